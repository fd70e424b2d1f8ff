#!/usr/bin/env bash
# Every part file reads back exactly its source region, including parts at an
# offset and two parts of one file; reads at odd offsets and block sizes;
# a temporary part reads as zeros; reads at or past the end return 0 bytes
# and a read across the end is cut short there.
. "$(dirname "$0")/lib.sh"

make_source one.img $((4 * MiB))
make_source two.img $((3 * MiB))
mkdir "$T/tmpdir"
cat >"$T/set" <<SET
part head  $SRC/one.img offset=0 length=1M
part tail  $SRC/one.img offset=2M length=1536K
part two   $SRC/two.img offset=1M
part temp  temporary=$T/tmpdir length=256K
SET
mount_set "$T/set"

note "whole part files against their source regions"
part_matches_model head one.img 0 $((1 * MiB))
part_matches_model tail one.img $((2 * MiB)) $((1536 * KiB))
part_matches_model two two.img $((1 * MiB)) $((2 * MiB))
assert_size "$MNT/temp" $((256 * KiB))
assert_cmp_region "$MNT/temp" 0 $((256 * KiB)) /dev/zero

note "reads at odd offsets with odd block sizes"
for spec in "0 777 13" "12345 4093 7" "1000000 65537 3" "1 1 1"; do
	set -- $spec
	off=$1 bs=$2 count=$3
	dd if="$MNT/tail" of="$T/piece" bs="$bs" skip="$off" count="$count" \
		iflag=skip_bytes status=none
	assert_size "$T/piece" $((bs * count))
	assert_cmp_region "$T/piece" 0 $((bs * count)) "$MODEL/one.img" \
		$((2 * MiB + off))
done

note "reads at and past the end"
probe_expect "ok 0" pread "$MNT/head" $((1 * MiB)) 4096
probe_expect "ok 0" pread "$MNT/head" $((5 * MiB)) 4096
probe_expect "ok 100" pread "$MNT/head" $((1 * MiB - 100)) 4096
dd if="$MNT/head" of="$T/last" bs=4096 skip=$((1 * MiB - 100)) \
	iflag=skip_bytes status=none
assert_size "$T/last" 100
assert_cmp_region "$T/last" 0 100 "$MODEL/one.img" $((1 * MiB - 100))

note "reading changed no source byte"
unmount_set
assert_sources_match_model
