#!/usr/bin/env bash
# A part file's user.pmemset.{source,offset,length,address,map,granularity}
# are read by name (getfattr -n) with the part's real values: the source
# path, offset and length from the set file, the map index whose map file
# holds the part, distinct addresses for distinct parts, the set's
# granularity. They are not listed (getfattr -d shows none, so backups do
# not copy them: backups_do_not_copy_synthetic_xattrs), and no attribute
# can be set or removed on a part: EOPNOTSUPP.
. "$(dirname "$0")/lib.sh"

make_source one.img $((3 * MiB))
make_source two.img $((1 * MiB))
cat >"$T/set" <<SET
coalescing none
part a $SRC/one.img offset=1M length=2M
part b $SRC/two.img
SET
mount_set "$T/set"

note "each of the six is there by name; getfattr -d lists none"
for n in source offset length address map granularity; do
	xattr a $n >/dev/null
done
getfattr -d -m - --absolute-names "$MNT/a" >"$T/dump" 2>&1 ||
	fail "getfattr -d failed: $(cat "$T/dump")"
grep -q pmemset "$T/dump" && fail "getfattr -d lists attributes: $(cat "$T/dump")"
probe_err=$(getfattr -n user.pmemset.nosuch "$MNT/a" 2>&1) &&
	fail "getfattr of user.pmemset.nosuch succeeded: $probe_err"
grep -q "No such attribute" <<<"$probe_err" ||
	fail "getfattr of user.pmemset.nosuch said: $probe_err"

note "setting or removing an attribute: EOPNOTSUPP, nothing changes"
for args in "-n user.note -v x" "-n user.pmemset.source -v /elsewhere" \
	"-x user.pmemset.source"; do
	# shellcheck disable=SC2086 # the words of $args are setfattr's
	out=$(setfattr $args "$MNT/a" 2>&1) && fail "setfattr $args succeeded"
	grep -q "Operation not supported" <<<"$out" || fail "setfattr $args said: $out"
done
assert_eq "$SRC/one.img" "$(xattr a source)" "a: source after setfattr"

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
