#!/usr/bin/env bash
# A part file and its map file never show each other stale bytes, even with
# the kernel page cache in use (-o cache=page): read both (so the cache holds
# them), write through one, read the other -- both ways, and through an mmap
# of the part, several times, in a coalesced map where the part sits at an
# offset inside the map. In every cache mode.
. "$(dirname "$0")/lib.sh"

make_source x.img $((1 * MiB))
make_source y.img $((1 * MiB))
cat >"$T/set" <<SET
reservation 4M
coalescing full
part x $SRC/x.img
part y $SRC/y.img
SET
map=$MNT/.pmemset/maps/0

both_match()
{
	part_matches_model y y.img 0 "$MiB"
	assert_cmp_region "$map" "$MiB" "$MiB" "$MODEL/y.img" 0
	part_matches_model x x.img 0 "$MiB"
	assert_cmp_region "$map" 0 "$MiB" "$MODEL/x.img" 0
}

# every cache mode: page with write-through (persist=write) and with the
# writeback cache (persist=fsync), and direct
for mode in page:write page:fsync direct:write; do
	cache=${mode%:*} persist=${mode#*:}
	note "cache=$cache persist=$persist"
	mount_set "$T/set" -o cache="$cache",persist="$persist"
	grep -qx "cache: $cache" "$MNT/.pmemset/status" ||
		fail "status does not say cache $cache: $(cat "$MNT/.pmemset/status")"
	for round in 1 2 3; do
		note "round $round: map file -> part file"
		both_match
		make_data "$T/data" 20000
		off=$((RANDOM * 30))
		dd_write "$map" $((MiB + off)) "$T/data"
		model_write y.img "$off" "$T/data"
		both_match

		note "round $round: part file -> map file"
		make_data "$T/data" 20000
		off=$((RANDOM * 30))
		dd_write "$MNT/y" "$off" "$T/data"
		model_write y.img "$off" "$T/data"
		both_match

		[ $cache = page ] || continue
		note "round $round: mmap of the part -> map file"
		make_data "$T/data" 4096
		off=$((RANDOM * 8))
		"$HELPERS/mmap_writer" "$MNT/x" "$off" "$T/data" ||
			fail "mmap_writer into x failed"
		model_write x.img "$off" "$T/data"
		both_match
	done
	unmount_set
	assert_sources_match_model
done
