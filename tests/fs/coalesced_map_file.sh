#!/usr/bin/env bash
# Three parts coalesced into one part map (coalescing full, inside one
# reservation): .pmemset/maps/0 spans them in set-file order; reads and
# writes through it cross part boundaries and show up in the part files and
# in the sources; a write through a part file shows up in the map file.
. "$(dirname "$0")/lib.sh"

make_source x.img $((2 * MiB))
make_source y.img $((1 * MiB))
make_source z.img $((3 * MiB))
cat >"$T/set" <<SET
reservation 8M
coalescing full
part x $SRC/x.img offset=1M length=1M
part y $SRC/y.img
part z $SRC/z.img offset=2M length=1M
SET
mount_set "$T/set"
map=$MNT/.pmemset/maps/0

# region OFFSET_IN_MAP -> "SRCNAME OFFSET_IN_SOURCE" of the byte there
src_of()
{
	local o=$1
	if ((o < MiB)); then
		echo "x.img $((MiB + o))"
	elif ((o < 2 * MiB)); then
		echo "y.img $((o - MiB))"
	else
		echo "z.img $((2 * MiB + o - 2 * MiB))"
	fi
}

# map_matches_model: all 3 MiB of the map file, piece by piece.
map_matches_model()
{
	assert_size "$map" $((3 * MiB))
	assert_cmp_region "$map" 0 "$MiB" "$MODEL/x.img" "$MiB"
	assert_cmp_region "$map" "$MiB" "$MiB" "$MODEL/y.img" 0
	assert_cmp_region "$map" $((2 * MiB)) "$MiB" "$MODEL/z.img" $((2 * MiB))
}

parts_match_model()
{
	part_matches_model x x.img "$MiB" "$MiB"
	part_matches_model y y.img 0 "$MiB"
	part_matches_model z z.img $((2 * MiB)) "$MiB"
}

# map_write OFFSET LEN: one dd through the map file, mirrored in the model
# source by source.
map_write()
{
	local off=$1 len=$2 done_=0 chunk src soff
	make_data "$T/data" "$len"
	dd if="$T/data" of="$map" bs=1M seek="$off" oflag=seek_bytes \
		conv=notrunc status=none || fail "dd into $map at $off failed"
	while ((done_ < len)); do
		read -r src soff <<<"$(src_of $((off + done_)))"
		chunk=$((MiB - (off + done_) % MiB))
		((chunk > len - done_)) && chunk=$((len - done_))
		dd if="$T/data" of="$MODEL/$src" bs=64K skip="$done_" \
			seek="$soff" count="$chunk" iflag=skip_bytes,count_bytes \
			oflag=seek_bytes conv=notrunc status=none
		done_=$((done_ + chunk))
	done
}

note "one map file spanning the three parts"
assert_eq 0 "$(ls "$MNT/.pmemset/maps" | tr '\n' ' ' | sed 's/ $//')" \
	"ls .pmemset/maps"
for p in x y z; do
	assert_eq 0 "$(getfattr --absolute-names --only-values -n user.pmemset.map "$MNT/$p")" \
		"map index of part $p"
done
map_matches_model

note "a read across both boundaries"
dd if="$map" of="$T/piece" bs=1M skip=$((MiB - 5000)) count=$((MiB + 10000)) \
	iflag=skip_bytes,count_bytes status=none
assert_size "$T/piece" $((MiB + 10000))
assert_cmp_region "$T/piece" 0 5000 "$MODEL/x.img" $((2 * MiB - 5000))
assert_cmp_region "$T/piece" 5000 "$MiB" "$MODEL/y.img" 0
assert_cmp_region "$T/piece" $((MiB + 5000)) 5000 "$MODEL/z.img" $((2 * MiB))

note "a write across both boundaries, through the map file"
map_write $((MiB - 1000)) $((MiB + 2000))
note "a small write across one boundary"
map_write $((2 * MiB - 10)) 20
parts_match_model
map_matches_model

note "a write through a part file shows in the map file"
make_data "$T/data" 3000
dd_write "$MNT/y" 500000 "$T/data"
model_write y.img 500000 "$T/data"
map_matches_model
parts_match_model

unmount_set
assert_sources_match_model
