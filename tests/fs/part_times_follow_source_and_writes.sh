#!/usr/bin/env bash
# Part files carry their source's times: mtime and ctime as the source had
# them at mount; a write through the part file or through a map file over
# it moves both to the write's time (so make, rsync and backups see the
# change); `touch` sets the source file's own times (touch -d, touch -a,
# touch -m), and the part shows what the source then says (ESTALE once the
# path leads to another file). A temporary part keeps its times in the
# daemon, and so does the mount's root directory (tar -x and cp -a of a
# backup restore the times of "."). Times of the other directories, status
# and map files cannot be set (EPERM).
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
make_source two.img $((1 * MiB))
touch -d '2020-02-02 02:02:02' "$SRC/one.img" "$SRC/two.img"
cat >"$T/set" <<SET
part a $SRC/one.img
part b $SRC/two.img
part t temporary=$T length=64K
SET
mount_set "$T/set" -o coalescing=full

mtime() { stat -c %Y "$1"; }
ctime() { stat -c %Z "$1"; }

note "times from the source at mount"
assert_eq "$(mtime "$SRC/one.img")" "$(mtime "$MNT/a")" "mtime of a at mount"
assert_eq "$(ctime "$SRC/one.img")" "$(ctime "$MNT/a")" "ctime of a at mount"
assert_eq "$(stat -c %X "$SRC/one.img")" "$(stat -c %X "$MNT/a")" "atime of a at mount"

note "a write through the part file moves mtime and ctime"
before=$(date +%s)
make_data "$T/data" 4096
dd_write "$MNT/a" 8192 "$T/data"
model_write one.img 8192 "$T/data"
[ "$(mtime "$MNT/a")" -ge "$before" ] ||
	fail "mtime of a did not move on a write: $(mtime "$MNT/a") < $before"
[ "$(ctime "$MNT/a")" -ge "$before" ] || fail "ctime of a did not move on a write"
assert_eq "$(mtime "$SRC/two.img")" "$(mtime "$MNT/b")" "mtime of b (not written)"
# make: a target built from a before the write is now out of date
touch -d '2021-01-01' "$T/target"
[ "$MNT/a" -nt "$T/target" ] || fail "the written part is not newer than an old target"

note "a write through the map file moves the parts it touched"
dd_write "$MNT/.pmemset/maps/0" $((MiB + 4096)) "$T/data"
model_write two.img 4096 "$T/data"
[ "$(mtime "$MNT/b")" -ge "$before" ] || fail "mtime of b did not move on a map write"

note "touch sets the source's times"
touch -d '2001-01-01 12:00:00' "$MNT/a"
assert_eq "$(date -d '2001-01-01 12:00:00' +%s)" "$(mtime "$SRC/one.img")" "the source's mtime after touch -d"
assert_eq "$(mtime "$SRC/one.img")" "$(mtime "$MNT/a")" "the part's mtime after touch -d"
assert_eq "$(stat -c %X "$SRC/one.img")" "$(stat -c %X "$MNT/a")" "the part's atime after touch -d"
touch -a -d '2002-02-02' "$MNT/a"
assert_eq "$(date -d '2002-02-02' +%s)" "$(stat -c %X "$SRC/one.img")" "the source's atime after touch -a"
assert_eq "$(date -d '2001-01-01 12:00:00' +%s)" "$(mtime "$MNT/a")" "mtime after touch -a"
now=$(date +%s)
touch "$MNT/a"
[ "$(mtime "$SRC/one.img")" -ge "$now" ] || fail "touch (now) did not reach the source"
assert_eq "$(mtime "$SRC/one.img")" "$(mtime "$MNT/a")" "the part's mtime after touch"

note "a truncate that changes nothing changes no time either"
probe_expect "ok 0" ftruncate "$MNT/.pmemset/maps/0" "$(stat -c %s "$MNT/.pmemset/maps/0")"
probe_expect "ok 0" ftruncate "$MNT/a" "$MiB"
assert_eq "$(mtime "$SRC/one.img")" "$(mtime "$MNT/a")" "the part's mtime after ftruncate"

note "a temporary part keeps its own times"
touch -d '2003-03-03' "$MNT/t"
assert_eq "$(date -d '2003-03-03' +%s)" "$(mtime "$MNT/t")" "mtime of the temporary part"

note "a source replaced since the mount: touch fails with ESTALE"
mv "$SRC/one.img" "$T/mapped.img"
cp "$T/mapped.img" "$SRC/one.img"
touch "$MNT/a" 2>"$T/err" && fail "touch of a part whose source was replaced succeeded"
grep -q "Stale file handle" "$T/err" || fail "touch after the replacement: $(cat "$T/err")"
mv "$T/mapped.img" "$SRC/one.img"

note "the root directory keeps the times set on it"
touch -d '2003-03-03 03:03:03' "$MNT" || fail "touch of the mount's root failed"
assert_eq "$(date -d '2003-03-03 03:03:03' +%s)" "$(mtime "$MNT")" "the root's mtime after touch -d"
touch -a -d '2002-02-02' "$MNT" || fail "touch -a of the mount's root failed"
assert_eq "$(date -d '2003-03-03 03:03:03' +%s)" "$(mtime "$MNT")" "the root's mtime after touch -a"

note "other files' times cannot be set"
for f in "$MNT/.pmemset" "$MNT/.pmemset/status" "$MNT/.pmemset/maps/0"; do
	touch -d '2004-04-04' "$f" 2>"$T/err" && fail "touch $f succeeded"
	# status is 0444: touch reports the refused open (EACCES) instead
	grep -Eq "Operation not permitted|Permission denied" "$T/err" ||
		fail "touch $f: $(cat "$T/err")"
done
unmount_set
assert_sources_match_model
