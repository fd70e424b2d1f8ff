#!/usr/bin/env bash
# On a mount with -o unlink=unmap, `rm MOUNTPOINT/NAME` unmaps the part
# (without it rm is refused: everyday_tools_keep_parts): it leaves ls and
# .pmemset/maps at once, its source keeps its data (including writes made through the
# mount), the other parts keep working. While the part is open, rm fails
# with EBUSY and the part stays; once closed, rm works.
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
make_source two.img $((2 * MiB))
make_source three.img $((1 * MiB))
cat >"$T/set" <<SET
coalescing none
part a $SRC/one.img
part b $SRC/two.img offset=1M
part c $SRC/three.img
SET
mount_set "$T/set" -o unlink=unmap
make_data "$T/data" 9999
dd_write "$MNT/b" 4444 "$T/data"
model_write two.img $((MiB + 4444)) "$T/data"

note "rm b"
rm "$MNT/b" || fail "rm $MNT/b failed"
assert_eq "a c" "$(ls_line "$MNT")" "ls after rm b"
assert_eq "0 1" "$(ls_line "$MNT/.pmemset/maps")" "maps after rm b"
probe_expect ENOENT pread "$MNT/b" 0 1
assert_sources_match_model
part_matches_model a one.img 0 "$MiB"
part_matches_model c three.img 0 "$MiB"

note "rm of an open part: EBUSY, nothing changes"
exec 3<"$MNT/a"
probe_expect EBUSY unlink "$MNT/a"
assert_eq "a c" "$(ls_line "$MNT")" "ls after a refused rm"
part_matches_model a one.img 0 "$MiB"
exec 3<&-
note "rm after close"
probe_expect "ok 0" unlink "$MNT/a"
assert_eq "c" "$(ls_line "$MNT")" "ls after rm a"
assert_eq "0" "$(ls_line "$MNT/.pmemset/maps")" "maps after rm a"
part_matches_model c three.img 0 "$MiB"

note "rm of a missing part: ENOENT"
probe_expect ENOENT unlink "$MNT/b"

unmount_set
assert_sources_match_model
