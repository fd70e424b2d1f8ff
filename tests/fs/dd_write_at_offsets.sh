#!/usr/bin/env bash
# dd writes at aligned and unaligned offsets, small and large, land in the
# source files at part offset + write offset: checked through the part files
# and in the source files while mounted, after unmount, and after a remount.
# Bytes of the source files outside the parts never change.
. "$(dirname "$0")/lib.sh"

make_source one.img $((3 * MiB))
make_source two.img $((2 * MiB))
cat >"$T/set" <<SET
part p0 $SRC/one.img offset=1M length=1M
part p1 $SRC/two.img
SET
mount_set "$T/set"

# write PART SRCNAME PART_OFFSET_IN_SOURCE OFFSET LEN
write()
{
	make_data "$T/data" "$5"
	dd_write "$MNT/$1" "$4" "$T/data"
	model_write "$2" $(($3 + $4)) "$T/data"
}

note "writes"
write p0 one.img $((1 * MiB)) 0 4096
write p0 one.img $((1 * MiB)) 12345 1000
write p0 one.img $((1 * MiB)) $((1 * MiB - 100)) 100
write p1 two.img 0 1 1
write p1 two.img 0 100000 $((1536 * KiB))
# one dd with 1 MiB blocks, so single requests are large
make_data "$T/big" $((1 * MiB))
dd if="$T/big" of="$MNT/p1" bs=1M seek=$((512 * KiB)) oflag=seek_bytes \
	conv=notrunc status=none
model_write two.img $((512 * KiB)) "$T/big"

note "while mounted: part files and source files"
part_matches_model p0 one.img $((1 * MiB)) $((1 * MiB))
part_matches_model p1 two.img 0 $((2 * MiB))
assert_sources_match_model

note "after unmount: source files"
unmount_set
assert_sources_match_model

note "after a remount: part files"
mount_set "$T/set"
part_matches_model p0 one.img $((1 * MiB)) $((1 * MiB))
part_matches_model p1 two.img 0 $((2 * MiB))
unmount_set
