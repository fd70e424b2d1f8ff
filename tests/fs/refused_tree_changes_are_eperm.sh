#!/usr/bin/env bash
# Changes a part tree does not allow fail with one errno, EPERM ("not
# allowed here"): creating a file, a directory, a FIFO or a device node,
# a symlink or a hard link, renaming, removing a directory or a part (rm of
# a part unmaps it only on a mount with -o unlink=unmap), chmod and chown to
# another mode or owner (to the same ones they change nothing and succeed).
# O_TMPFILE is the one exception: the kernel answers EOPNOTSUPP itself
# (libfuse 3.14 has no tmpfile operation to reach the daemon). Nothing in
# the tree or the sources changes.
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
cat >"$T/set" <<SET
part a $SRC/one.img
SET
sha_tree "$SRC" >"$T/before"
mount_set "$T/set"

for dir in "$MNT" "$MNT/.pmemset" "$MNT/.pmemset/maps"; do
	note "in $dir"
	probe_expect EPERM create "$dir/new"
	probe_expect EPERM mkdir "$dir/newdir"
	probe_expect EPERM mkfifo "$dir/fifo"
	probe_expect EPERM mknod "$dir/node"
	probe_expect EPERM symlink /etc/hostname "$dir/link"
	probe_expect EPERM link "$MNT/a" "$dir/hardlink"
	probe_expect EOPNOTSUPP tmpfile "$dir"
done
note "renames, rmdir, rm, chmod, chown"
probe_expect EPERM rename "$MNT/a" "$MNT/b"
probe_expect EPERM rename "$MNT/.pmemset/status" "$MNT/status"
probe_expect EPERM rename "$MNT/.pmemset/maps/0" "$MNT/.pmemset/maps/1"
probe_expect EPERM rmdir "$MNT/.pmemset/maps"
probe_expect EPERM rmdir "$MNT/.pmemset"
probe_expect EPERM unlink "$MNT/.pmemset/status"
probe_expect EPERM unlink "$MNT/.pmemset/status.json"
probe_expect EPERM unlink "$MNT/.pmemset/maps/0"
probe_expect EPERM unlink "$MNT/a"
other_mode=0600
[ "$(stat -c %a "$MNT/a")" != 600 ] || other_mode=0640 # another one
chmod $other_mode "$MNT/a" 2>"$T/err" && fail "chmod of a part succeeded"
grep -q "Operation not permitted" "$T/err" || fail "chmod: $(cat "$T/err")"
chown nobody "$MNT/a" 2>"$T/err" && fail "chown of a part succeeded"
grep -q "Operation not permitted" "$T/err" || fail "chown: $(cat "$T/err")"
assert_eq ".pmemset a" "$(ls -A "$MNT" | tr '\n' ' ' | sed 's/ $//')" "the root after the refusals"
assert_eq "ctl maps status status.json" "$(ls_line "$MNT/.pmemset")" ".pmemset after the refusals"

note "chmod and chown to the mode and owner shown: accepted, nothing changes"
mode=$(stat -c %a "$MNT/a")
owner=$(stat -c %u:%g "$MNT/a")
chmod "$mode" "$MNT/a" || fail "chmod $mode (the part's own mode) failed"
chown "$owner" "$MNT/a" || fail "chown $owner (the part's own owner) failed"
assert_eq "$mode $owner" "$(stat -c '%a %u:%g' "$MNT/a")" "mode and owner after no-op chmod/chown"
chmod 0700 "$MNT/.pmemset/maps/0" 2>"$T/err" && fail "chmod of a map file succeeded"
grep -q "Operation not permitted" "$T/err" || fail "chmod of a map file: $(cat "$T/err")"
assert_eq "a" "$(ls_line "$MNT")" "ls after the refused rm"
unmount_set
sha_tree "$SRC" >"$T/after"
diff "$T/before" "$T/after" >&2 || fail "a refused change touched a source"
