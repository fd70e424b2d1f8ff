#!/usr/bin/env bash
# `unmap NAME` of the middle part of a coalesced map of three: the other two
# stay mapped with their data and writable, the map splits into two map
# files (first and last part), the unmapped part's source keeps its data.
# Then unmapping the last part leaves one map.
. "$(dirname "$0")/lib.sh"

make_source x.img $((1 * MiB))
make_source y.img $((1 * MiB))
make_source z.img $((1 * MiB))
cat >"$T/set" <<SET
reservation 8M
coalescing full
part x $SRC/x.img
part y $SRC/y.img
part z $SRC/z.img
SET
mount_set "$T/set"
assert_eq "0" "$(ls_line "$MNT/.pmemset/maps")" "maps before"
assert_size "$MNT/.pmemset/maps/0" $((3 * MiB))

# a write into y before it goes, which its source must keep
make_data "$T/data" 5000
dd_write "$MNT/y" 1000 "$T/data"
model_write y.img 1000 "$T/data"

note "unmap y"
ctl "unmap y"
assert_eq "x z" "$(ls_line "$MNT")" "ls after unmap y"
[ -e "$MNT/y" ] && fail "$MNT/y still exists"
assert_eq "0 1" "$(ls_line "$MNT/.pmemset/maps")" "maps after unmap y"
assert_same "$MNT/.pmemset/maps/0" "$MNT/x"
assert_same "$MNT/.pmemset/maps/1" "$MNT/z"
part_matches_model x x.img 0 "$MiB"
part_matches_model z z.img 0 "$MiB"
assert_eq 0 "$(xattr x map)" "map of x"
assert_eq 1 "$(xattr z map)" "map of z"

note "x and z still take writes, through parts and maps"
make_data "$T/data" 3000
dd_write "$MNT/z" $((MiB - 3000)) "$T/data"
model_write z.img $((MiB - 3000)) "$T/data"
make_data "$T/data" 3000
dd_write "$MNT/.pmemset/maps/0" 0 "$T/data"
model_write x.img 0 "$T/data"
part_matches_model x x.img 0 "$MiB"
part_matches_model z z.img 0 "$MiB"

note "unmap z"
ctl "unmap z"
assert_eq "x" "$(ls_line "$MNT")" "ls after unmap z"
assert_eq "0" "$(ls_line "$MNT/.pmemset/maps")" "maps after unmap z"
assert_same "$MNT/.pmemset/maps/0" "$MNT/x"

unmount_set
assert_sources_match_model
