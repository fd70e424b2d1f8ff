#!/usr/bin/env bash
# run_fsx.sh -- mounts a fully coalesced set of three parts (two in one file,
# one in another), so that .pmemset/maps/0 spans all of them, runs pmemfsx on
# the map file and the part files, unmounts, and checks that the source files
# hold exactly the final shadow in the parts' regions and their old bytes
# everywhere else.
#
# Usage: run_fsx.sh PMEMSETFS PMEMFSX [write|fsync] [direct|page]
#   the last two are the daemon's -o persist= and -o cache=; with cache=page
#   pmemfsx also reads through mmap of the part files (MAP_SHARED).
# Environment:
#   FSX_OPS   operations (default 100000; 40000 when PMEMSET_SANITIZED=1,
#             i.e. the ASan/UBSan CI run)
#   FSX_SEED  seed (default: random; printed, a failure repeats with it)
if [ $# -lt 2 ]; then
	echo "usage: run_fsx.sh PMEMSETFS PMEMFSX [write|fsync] [direct|page]" >&2
	exit 2
fi
fsx=$(realpath "$2")
mode=${3:-write}
cache=${4:-direct}
default_ops=100000
[ "${PMEMSET_SANITIZED:-0}" = 1 ] && default_ops=40000
ops=${FSX_OPS:-$default_ops}
seed=${FSX_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
TEST_DEADLINE=${TEST_DEADLINE:-550}
. "$(dirname "$0")/../fs/lib.sh" "$1" "$(dirname "$fsx")"

# pool0: [64K, +512K) is p0, [1M, +768K) is p1; pool1: [256K, +1M) is p2
make_source pool0 $((2 * MiB))
make_source pool1 $((2 * MiB))
cat >"$T/set" <<EOF
coalescing full
part p0 $SRC/pool0 offset=64K length=512K
part p1 $SRC/pool0 offset=1M length=768K
part p2 $SRC/pool1 offset=256K length=1M
EOF
declare -A source_of=([p0]=pool0 [p1]=pool0 [p2]=pool1)
declare -A offset_of=([p0]=$((64 * KiB)) [p1]=$MiB [p2]=$((256 * KiB)))
declare -A length_of=([p0]=$((512 * KiB)) [p1]=$((768 * KiB)) [p2]=$MiB)

mount_set "$T/set" -o persist="$mode",cache="$cache"
maps=$(ls "$MNT/.pmemset/maps")
assert_eq 0 "$maps" "map files of a fully coalesced set"
# the order in which the map spans the parts is their address order
by_address=()
for p in p0 p1 p2; do
	addr=$(getfattr --absolute-names --only-values -n user.pmemset.address "$MNT/$p")
	map=$(getfattr --absolute-names --only-values -n user.pmemset.map "$MNT/$p")
	assert_eq 0 "$map" "user.pmemset.map of $p"
	by_address+=("$(printf '%d %s' "$addr" "$p")")
done
parts_in_map_order=$(printf '%s\n' "${by_address[@]}" | sort -n | cut -d' ' -f2)
note "map 0 spans: $(echo $parts_in_map_order)"
part_paths=()
for p in $parts_in_map_order; do
	part_paths+=("$MNT/$p")
done

mmap_flag=()
[ "$cache" = page ] && mmap_flag=(-M)
# the writeback cache answers writes past the end itself (fs/README.md, "Cache modes")
[ "$cache:$mode" = page:fsync ] && mmap_flag+=(-W)
"$fsx" -s "$seed" -n "$ops" -o "$T/shadow" "${mmap_flag[@]}" \
	"$MNT/.pmemset/maps/0" "${part_paths[@]}" ||
	fail "pmemfsx failed (persist=$mode cache=$cache; reproduce with FSX_SEED=$seed" \
		"FSX_OPS=$ops)"
unmount_set

# the sources after unmount: each part's region is its slice of the shadow,
# the rest of each file is what make_source wrote
at=0
for p in $parts_in_map_order; do
	src=${source_of[$p]}
	assert_cmp_region "$SRC/$src" "${offset_of[$p]}" "${length_of[$p]}" \
		"$T/shadow" $at
	at=$((at + ${length_of[$p]}))
	# the model takes the part's final bytes, so that the comparison below
	# checks every byte outside the parts as well
	dd if="$T/shadow" of="$MODEL/$src" bs=64K iflag=skip_bytes,count_bytes \
		skip=$((at - ${length_of[$p]})) count="${length_of[$p]}" \
		seek="${offset_of[$p]}" oflag=seek_bytes conv=notrunc status=none
done
assert_sources_match_model
echo "run_fsx: persist=$mode cache=$cache: $ops operations verified with seed $seed;" \
	"after unmount the sources hold the shadow ($at bytes) and" \
	"nothing else changed"
