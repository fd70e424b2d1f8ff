#!/usr/bin/env bash
# `part ...` written to .pmemset/ctl maps a new part while mounted: a file
# part at an offset, a file part made with create+truncate, and a temporary
# part. Each appears in ls at once with its size, reads its source region
# (zeros for the new ones), takes writes that reach the source, and gets its
# own map file; no stale directory entry or size hides a change. Then
# `coalescing full` makes the next part grow the last map.
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
make_source two.img $((3 * MiB))
mkdir "$T/tmpdir"
cat >"$T/set" <<SET
coalescing none
part a $SRC/one.img
SET
mount_set "$T/set"
assert_eq "a" "$(ls_line "$MNT")" "ls before"
assert_eq "0" "$(ls_line "$MNT/.pmemset/maps")" "maps before"

note "map a file part at an offset"
# look b up first, so a stale negative entry would hide it afterwards
[ -e "$MNT/b" ] && fail "$MNT/b exists before it is mapped"
ctl "part b $SRC/two.img offset=1M length=2M"
assert_eq "a b" "$(ls_line "$MNT")" "ls after mapping b"
part_matches_model b two.img "$MiB" $((2 * MiB))
make_data "$T/data" 70000
dd_write "$MNT/b" 123456 "$T/data"
model_write two.img $((MiB + 123456)) "$T/data"
part_matches_model b two.img "$MiB" $((2 * MiB))

note "map a part whose file is created"
ctl "part c $SRC/new.img length=512K create truncate"
assert_eq "a b c" "$(ls_line "$MNT")" "ls after mapping c"
assert_size "$SRC/new.img" $((512 * KiB))
assert_size "$MNT/c" $((512 * KiB))
assert_cmp_region "$MNT/c" 0 $((512 * KiB)) /dev/zero
head -c $((512 * KiB)) /dev/zero >"$MODEL/new.img"
make_data "$T/data" 4096
dd_write "$MNT/c" 8192 "$T/data"
model_write new.img 8192 "$T/data"

note "map a temporary part"
ctl "part t temporary=$T/tmpdir length=256K"
assert_eq "a b c t" "$(ls_line "$MNT")" "ls after mapping t"
assert_size "$MNT/t" $((256 * KiB))
assert_eq "600" "$(stat -c %a "$MNT/t")" "mode of the temporary part"
assert_cmp_region "$MNT/t" 0 $((256 * KiB)) /dev/zero
make_data "$T/data" 10000
dd_write "$MNT/t" 100 "$T/data"
assert_cmp_region "$MNT/t" 100 10000 "$T/data"

note "one map file per part, each showing its part"
assert_eq "0 1 2 3" "$(ls "$MNT/.pmemset/maps" | sort -n | tr '\n' ' ' |
	sed 's/ $//')" "maps after"
for p in a b c t; do
	assert_same "$MNT/.pmemset/maps/$(xattr $p map)" "$MNT/$p"
done
part_matches_model a one.img 0 "$MiB"

unmount_set
assert_sources_match_model

note "coalescing full from ctl: the next part joins the last map"
make_source three.img $((1 * MiB))
cat >"$T/set" <<SET
reservation 4M
coalescing none
part a $SRC/one.img
SET
mount_set "$T/set"
assert_size "$MNT/.pmemset/maps/0" "$MiB"
ctl "coalescing full"
grep -qx "coalescing: full" "$MNT/.pmemset/status" ||
	fail "status does not show coalescing full"
ctl "part d $SRC/three.img"
assert_eq "0" "$(ls_line "$MNT/.pmemset/maps")" "maps after a coalesced part"
assert_size "$MNT/.pmemset/maps/0" $((2 * MiB))
assert_cmp_region "$MNT/.pmemset/maps/0" "$MiB" "$MiB" "$MODEL/three.img"
part_matches_model a one.img 0 "$MiB"
part_matches_model d three.img 0 "$MiB"
unmount_set
assert_sources_match_model
