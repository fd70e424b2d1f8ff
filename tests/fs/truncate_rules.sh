#!/usr/bin/env bash
# Truncate to the current size is accepted and changes nothing; truncate to
# any other size (smaller, zero, larger) fails with EINVAL and changes
# nothing.
. "$(dirname "$0")/lib.sh"

make_source one.img $((2 * MiB))
cat >"$T/set" <<SET
part p $SRC/one.img offset=1M length=1M
SET
mount_set "$T/set"
size=$((1 * MiB))

note "truncate to the current size"
truncate -s "$size" "$MNT/p" || fail "truncate -s $size (same size) failed"
probe_expect "ok 0" truncate "$MNT/p" "$size"

note "truncate to other sizes: EINVAL"
for s in 0 1 $((size - 4096)) $((size + 1)) $((4 * MiB)); do
	probe_expect EINVAL truncate "$MNT/p" "$s"
done
if truncate -s 0 "$MNT/p" 2>"$T/err"; then
	fail "truncate -s 0 succeeded"
fi
grep -q "Invalid argument" "$T/err" ||
	fail "truncate -s 0: expected EINVAL, got: $(cat "$T/err")"

note "nothing changed"
assert_size "$MNT/p" "$size"
part_matches_model p one.img $((1 * MiB)) "$size"
unmount_set
assert_size "$SRC/one.img" $((2 * MiB))
assert_sources_match_model
