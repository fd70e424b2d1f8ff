#!/usr/bin/env bash
# Everyday tools never drop a part or lose a byte by accident. Removing a
# part takes an explicit act (`pmemsetfs ctl MNT unmap NAME`, or a mount
# with -o unlink=unmap); `rm` of a part is refused with EPERM, so tools that
# unlink before they write (tar -x, install, rsync --delete) or write a
# temporary file and rename it over the part (rsync, sed -i, editors) fail
# loudly and change nothing, and tools that write in place (cp, cp -a,
# rsync --inplace, tar --overwrite) restore the bytes into the mapped parts.
. "$(dirname "$0")/lib.sh"
command -v rsync >/dev/null || fail "rsync is not installed (scripts/deps.sh installs it)"

make_source a.img $((1 * MiB))
make_source b.img $((2 * MiB))
cat >"$T/set" <<SET
part a $SRC/a.img
part b $SRC/b.img offset=64K length=1M
part t temporary=$T length=512K
SET
mount_set "$T/set"
parts="a b t"

# the bytes each part shows now, to compare after every tool
snapshot() { # DIR
	mkdir -p "$1"
	for p in $parts; do cat "$MNT/$p" >"$1/$p"; done
}
assert_parts_are() { # DIR WHAT
	assert_eq "a b t" "$(ls_line "$MNT")" "parts listed after $2"
	for p in $parts; do
		cmp -s "$MNT/$p" "$1/$p" || fail "$2: part $p changed"
	done
	grep -q "^parts: 3$" "$MNT/.pmemset/status" ||
		fail "$2: status does not say 'parts: 3': $(grep '^parts' "$MNT/.pmemset/status")"
}

# a different content of every part, to restore from
scribble() {
	for p in $parts; do
		head -c "$(stat -c %s "$MNT/$p")" /dev/urandom |
			dd of="$MNT/$p" conv=notrunc status=none
	done
}

note "rm of a part is refused with EPERM and says how to unmap"
snapshot "$T/now"
out=$(rm "$MNT/a" 2>&1) && fail "rm of a part succeeded"
grep -q "Operation not permitted" <<<"$out" || fail "rm said: $out"
assert_parts_are "$T/now" "rm"
grep -q "unmap" "$MNT/.pmemset/status" ||
	fail "last_error does not say how to remove a part: $(grep last_error "$MNT/.pmemset/status")"

note "tar: a backup made with the README's command"
tar -C "$MNT" --exclude=.pmemset -cf "$T/backup.tar" .
snapshot "$T/backup"
scribble
snapshot "$T/scribbled"
note "tar -xf without --overwrite fails loudly and changes nothing"
rc=0
tar -C "$MNT" -xf "$T/backup.tar" 2>"$T/tar.err" || rc=$?
[ "$rc" -ne 0 ] || fail "tar -xf over the parts exited 0"
[ -s "$T/tar.err" ] || fail "tar -xf failed without saying why"
assert_parts_are "$T/scribbled" "tar -xf"
note "tar --overwrite -xf restores every byte in place, exit 0"
tar --overwrite -C "$MNT" -xf "$T/backup.tar" 2>"$T/tar.err" ||
	fail "tar --overwrite -xf failed: $(cat "$T/tar.err")"
assert_parts_are "$T/backup" "tar --overwrite -xf"

note "cp and cp -a of backup copies write in place"
mkdir "$T/copies"
for p in $parts; do cp "$MNT/$p" "$T/copies/$p"; done
scribble
for p in $parts; do cp "$T/copies/$p" "$MNT/$p" || fail "cp into $p failed"; done
assert_parts_are "$T/backup" "cp"
scribble
cp -a "$T/copies/." "$MNT/" 2>"$T/cp.err" || fail "cp -a failed: $(cat "$T/cp.err")"
assert_parts_are "$T/backup" "cp -a"

note "rsync --inplace writes in place"
scribble
# -I: rsync's quick check would skip a file whose size and time match
rsync -a -I --inplace --no-whole-file "$T/copies/" "$MNT/" 2>"$T/rsync.err" ||
	rsync -a -I --inplace "$T/copies/" "$MNT/" 2>"$T/rsync.err" ||
	fail "rsync --inplace failed: $(cat "$T/rsync.err")"
assert_parts_are "$T/backup" "rsync --inplace"

note "rsync (temporary file + rename) fails loudly and changes nothing"
scribble
snapshot "$T/scribbled"
rc=0
rsync -a -I "$T/copies/" "$MNT/" 2>"$T/rsync.err" || rc=$?
[ "$rc" -ne 0 ] || fail "rsync without --inplace exited 0"
[ -s "$T/rsync.err" ] || fail "rsync failed without saying why"
assert_parts_are "$T/scribbled" "rsync"

note "rsync --delete cannot delete a part"
mkdir "$T/only_a"
cp "$T/copies/a" "$T/only_a/a"
rc=0
rsync -a -I --inplace --delete --exclude=/.pmemset "$T/only_a/" "$MNT/" \
	2>"$T/rsync.err" || rc=$?
[ "$rc" -ne 0 ] || fail "rsync --delete exited 0 although it could not delete"
grep -q "Operation not permitted" "$T/rsync.err" ||
	fail "rsync --delete: $(cat "$T/rsync.err")"
cp "$T/copies/a" "$T/scribbled/a" # rsync wrote a in place before deleting
assert_parts_are "$T/scribbled" "rsync --delete"

note "install unlinks first: refused, nothing changes"
rc=0
install -m644 "$T/copies/a" "$MNT/a" 2>"$T/install.err" || rc=$?
[ "$rc" -ne 0 ] || fail "install over a part exited 0"
grep -q "Operation not permitted" "$T/install.err" ||
	fail "install: $(cat "$T/install.err")"
assert_parts_are "$T/scribbled" "install"

note "an editor-style save (sed -i: temporary file + rename) fails, part intact"
rc=0
sed -i 's/a/b/' "$MNT/a" 2>"$T/sed.err" || rc=$?
[ "$rc" -ne 0 ] || fail "sed -i on a part exited 0"
[ -s "$T/sed.err" ] || fail "sed -i failed without saying why"
assert_parts_are "$T/scribbled" "sed -i"

note "chmod and chown to what a part already has are accepted, others EPERM"
mode=$(stat -c %a "$MNT/a")
chmod "$mode" "$MNT/a" || fail "chmod $mode (unchanged) failed"
chown "$(stat -c %u:%g "$MNT/a")" "$MNT/a" || fail "chown to the same owner failed"
out=$(chmod 0777 "$MNT/a" 2>&1) && fail "chmod to another mode succeeded"
grep -q "Operation not permitted" <<<"$out" || fail "chmod 0777 said: $out"
assert_parts_are "$T/scribbled" "chmod/chown"

note "the explicit act still unmaps: pmemsetfs ctl MNT unmap"
"$DAEMON" ctl "$MNT" unmap t || fail "ctl unmap t failed"
assert_eq "a b" "$(ls_line "$MNT")" "parts after ctl unmap t"
unmount_set
cmp -s "$SRC/a.img" "$T/scribbled/a" || fail "source of a differs from the mount's view"

note "-o unlink=unmap opts in: rm unmaps, the source keeps its bytes"
mount_set "$T/set" -o unlink=unmap
rm "$MNT/a" || fail "rm with -o unlink=unmap failed"
assert_eq "b t" "$(ls_line "$MNT")" "parts after rm with -o unlink=unmap"
grep -q "unlink: unmap" "$MNT/.pmemset/status" ||
	fail "status does not say 'unlink: unmap'"
unmount_set
cmp -s "$SRC/a.img" "$T/scribbled/a" || fail "rm changed the source of a"
