#!/usr/bin/env bash
# statfs (df): the total size is the sum of the part lengths, and there is
# no free or available space.
. "$(dirname "$0")/lib.sh"

make_source one.img $((3 * MiB))
make_source two.img $((1 * MiB))
mkdir "$T/tmpdir"
cat >"$T/set" <<SET
part a $SRC/one.img offset=1M length=2M
part b $SRC/two.img
part c temporary=$T/tmpdir length=512K
SET
mount_set "$T/set"
sum=$((2 * MiB + 1 * MiB + 512 * KiB))

read -r blocks frsize free avail <<<"$(stat -f -c '%b %S %f %a' "$MNT")"
assert_eq "$sum" $((blocks * frsize)) "statfs blocks * fragment size"
assert_eq 0 "$free" "statfs free blocks"
assert_eq 0 "$avail" "statfs available blocks"

read -r size used avail <<<"$(df -B1 --output=size,used,avail "$MNT" | tail -n 1)"
assert_eq "$sum" "$size" "df size"
assert_eq "$sum" "$used" "df used"
assert_eq 0 "$avail" "df avail"
unmount_set
