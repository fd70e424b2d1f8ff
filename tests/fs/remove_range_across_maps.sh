#!/usr/bin/env bash
# `remove-range MAP OFFSET LENGTH` removes every part the byte range touches,
# also past the end of map MAP into the next map: three separate maps laid
# back to back in one reservation (coalescing none); a range from the end of
# map 0 into map 1 removes a and b and leaves c. Then, in a coalesced map,
# a one-byte range removes only the part holding that byte.
. "$(dirname "$0")/lib.sh"

for f in a b c x y z; do make_source $f.img $((1 * MiB)); done
cat >"$T/set" <<SET
reservation 4M
coalescing none
part a $SRC/a.img
part b $SRC/b.img
part c $SRC/c.img
SET
mount_set "$T/set"
assert_eq "0 1 2" "$(ls_line "$MNT/.pmemset/maps")" "maps before"
# the premise: the maps are adjacent, a then b then c
for p in a b c; do
	eval "addr_$p=\$(xattr $p address)"
done
((addr_b == addr_a + MiB && addr_c == addr_b + MiB)) ||
	fail "maps are not back to back: a=$addr_a b=$addr_b c=$addr_c"
assert_eq 0 "$(xattr a map)" "map of a"

note "remove-range 0 $((MiB - 4096)) 8192: touches a and b"
ctl "remove-range 0 $((MiB - 4096)) 8192"
assert_eq "c" "$(ls_line "$MNT")" "ls after remove-range"
assert_eq "0" "$(ls_line "$MNT/.pmemset/maps")" "maps after remove-range"
assert_same "$MNT/.pmemset/maps/0" "$MNT/c"
part_matches_model c c.img 0 "$MiB"
assert_sources_match_model
unmount_set

note "one byte in the middle part of a coalesced map"
cat >"$T/set" <<SET
reservation 4M
coalescing full
part x $SRC/x.img
part y $SRC/y.img
part z $SRC/z.img
SET
mount_set "$T/set"
assert_eq "0" "$(ls_line "$MNT/.pmemset/maps")" "maps before"
ctl "remove-range 0 $((MiB + 12345)) 1"
assert_eq "x z" "$(ls_line "$MNT")" "ls after remove-range"
assert_eq "0 1" "$(ls_line "$MNT/.pmemset/maps")" "maps after remove-range"
assert_same "$MNT/.pmemset/maps/0" "$MNT/x"
assert_same "$MNT/.pmemset/maps/1" "$MNT/z"
part_matches_model x x.img 0 "$MiB"
part_matches_model z z.img 0 "$MiB"
unmount_set
assert_sources_match_model
