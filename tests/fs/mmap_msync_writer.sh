#!/usr/bin/env bash
# A program maps a part file with MAP_SHARED, stores with plain memory
# writes and calls msync: read(2) of the part shows the bytes at once, and
# after unmount they are in the source file at part offset + offset, with
# persist=write and with persist=fsync.
. "$(dirname "$0")/lib.sh"

make_source one.img $((3 * MiB))
cat >"$T/set" <<SET
part p $SRC/one.img offset=1M length=1M
SET

for persist in write fsync; do
	note "persist=$persist"
	mount_set "$T/set" -o persist=$persist,cache=page
	for spec in "0 4096" "5000 100" "$((MiB - 8192)) 8192" "300000 200000"; do
		set -- $spec
		make_data "$T/data" "$2"
		"$HELPERS/mmap_writer" "$MNT/p" "$1" "$T/data" ||
			fail "mmap_writer at $1 failed"
		model_write one.img $((MiB + $1)) "$T/data"
	done
	part_matches_model p one.img "$MiB" "$MiB"
	unmount_set
	assert_sources_match_model
done
