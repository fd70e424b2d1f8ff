#!/usr/bin/env bash
# getfattr -d on a part file shows user.pmemset.{source,offset,length,
# address,map,granularity} with the part's real values: the source path,
# offset and length from the set file, the map index whose map file holds
# the part, distinct addresses for distinct parts, the set's granularity.
. "$(dirname "$0")/lib.sh"

make_source one.img $((3 * MiB))
make_source two.img $((1 * MiB))
cat >"$T/set" <<SET
coalescing none
part a $SRC/one.img offset=1M length=2M
part b $SRC/two.img
SET
mount_set "$T/set"

note "getfattr -d lists all six"
getfattr -d --absolute-names "$MNT/a" >"$T/dump" 2>&1 ||
	fail "getfattr -d failed: $(cat "$T/dump")"
for n in source offset length address map granularity; do
	grep -q "^user\.pmemset\.$n=" "$T/dump" ||
		fail "getfattr -d lacks user.pmemset.$n: $(cat "$T/dump")"
done

note "values"
assert_eq "$SRC/one.img" "$(xattr a source)" "a: source"
assert_eq "$SRC/two.img" "$(xattr b source)" "b: source"
assert_eq $((1 * MiB)) "$(xattr a offset)" "a: offset"
assert_eq 0 "$(xattr b offset)" "b: offset"
assert_eq $((2 * MiB)) "$(xattr a length)" "a: length"
assert_eq $((1 * MiB)) "$(xattr b length)" "b: length"
assert_eq page "$(xattr a granularity)" "a: granularity"
assert_eq page "$(xattr b granularity)" "b: granularity"

note "map index: the map file of that index shows the part's bytes"
for p in a b; do
	m=$(xattr $p map)
	[[ "$m" =~ ^[0-9]+$ ]] || fail "$p: map '$m' is not an index"
	[ -f "$MNT/.pmemset/maps/$m" ] || fail "$p: no .pmemset/maps/$m"
	assert_same "$MNT/.pmemset/maps/$m" "$MNT/$p"
done
[ "$(xattr a map)" != "$(xattr b map)" ] || fail "a and b share a map index"

note "addresses: hexadecimal, distinct, non-overlapping"
aa=$(xattr a address)
ab=$(xattr b address)
[[ "$aa" =~ ^0x[0-9a-f]+$ ]] || fail "a: address '$aa' is not 0x-hex"
[[ "$ab" =~ ^0x[0-9a-f]+$ ]] || fail "b: address '$ab' is not 0x-hex"
if ((aa < ab)); then
	((aa + 2 * MiB <= ab)) || fail "a [$aa,+2M) overlaps b at $ab"
else
	((ab + 1 * MiB <= aa)) || fail "b [$ab,+1M) overlaps a at $aa"
fi
unmount_set
