#!/usr/bin/env bash
# A set of 10,000 parts (4 KiB slices of one sparse file) mounts, lists
# every part and every part map, and shows and takes the right bytes at a
# few parts. (Its speed is measured by scripts/bench-large-set.sh, not here:
# before, building the map list after every part made this mount take over
# a minute.)
. "$(dirname "$0")/lib.sh"

N=10000
truncate -s $((N * 4 * KiB)) "$SRC/big.img"
# a few slices hold data; the rest stays a hole
for i in 0 1 4999 9998 9999; do
	head -c 4096 /dev/urandom | dd of="$SRC/big.img" bs=4K seek=$i \
		conv=notrunc status=none
done
cp "$SRC/big.img" "$MODEL/big.img"
for ((i = 0; i < N; i++)); do
	echo "part s$i $SRC/big.img offset=$((i * 4))K length=4K"
done >"$T/set"

mount_set "$T/set"
assert_eq $N "$(ls "$MNT" | wc -l)" "parts listed"
assert_eq $N "$(ls "$MNT/.pmemset/maps" | wc -l)" "part maps listed"
assert_eq $N "$(ls -l "$MNT" | grep -c '^-rw-r--r-- 1 .* 4096 ')" \
	"parts of 4096 bytes in ls -l"
grep -qx "parts: $N" "$MNT/.pmemset/status" || fail "status lacks parts: $N"
for i in 0 1 2 4999 9998 9999; do
	part_matches_model "s$i" big.img $((i * 4 * KiB)) 4096
done
# map file N: the part maps are in address order, each one slice
assert_size "$MNT/.pmemset/maps/9999" 4096
make_data "$T/data" 4096
dd_write "$MNT/s7777" 0 "$T/data"
model_write big.img $((7777 * 4 * KiB)) "$T/data"
part_matches_model s7777 big.img $((7777 * 4 * KiB)) 4096
ctl "unmap s5000"
assert_eq $((N - 1)) "$(ls "$MNT" | wc -l)" "parts listed after an unmap"
[ ! -e "$MNT/s5000" ] || fail "s5000 still there"
part_matches_model s5001 big.img $((5001 * 4 * KiB)) 4096
unmount_set
assert_sources_match_model
