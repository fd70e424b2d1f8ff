#!/usr/bin/env bash
# With the writeback cache (cache=page, persist=fsync) the kernel accepts a
# write past the end of a part into its cache before pmemsetfs sees it, so
# write(2) cannot be cut short there. What the daemon does instead: it
# writes what fits when the kernel writes back, refuses the rest, and the
# writer's fsync (or close) fails with ENOSPC; the bytes after the part in
# the source stay as they were, and once the file is closed the part shows
# its own size again.
. "$(dirname "$0")/lib.sh"

make_source one.img $((2 * MiB))
cat >"$T/set" <<SET
part p $SRC/one.img offset=4K length=1M
SET
mount_set "$T/set" -o persist=fsync
grep -qx "write_cache: writeback" "$MNT/.pmemset/status" ||
	fail "not on the writeback cache: $(cat "$MNT/.pmemset/status")"
end=$((1 * MiB))

size_is_part_length() { [ "$(stat -c %s "$MNT/p")" = "$end" ]; }

note "dd across the end with fsync: ENOSPC, what fits is written"
make_data "$T/data" 3000
if dd if="$T/data" of="$MNT/p" bs=3000 seek=$((end - 1000)) \
	oflag=seek_bytes conv=notrunc,fsync status=none 2>"$T/dd.err"; then
	fail "dd across the end succeeded"
fi
grep -q "No space left on device" "$T/dd.err" ||
	fail "dd across the end: expected ENOSPC, got: $(cat "$T/dd.err")"
head -c 1000 "$T/data" >"$T/written"
model_write one.img $((4096 + end - 1000)) "$T/written"
wait_until 10 size_is_part_length ||
	fail "size of p after close: $(stat -c %s "$MNT/p"), not $end"
part_matches_model p one.img 4096 "$end"

note "a write starting at the end: close reports ENOSPC"
if dd if="$T/data" of="$MNT/p" bs=3000 seek="$end" oflag=seek_bytes \
	conv=notrunc status=none 2>"$T/dd.err"; then
	fail "dd at the end succeeded"
fi
grep -q "No space left on device" "$T/dd.err" ||
	fail "dd at the end: expected ENOSPC, got: $(cat "$T/dd.err")"
wait_until 10 size_is_part_length ||
	fail "size of p after close: $(stat -c %s "$MNT/p"), not $end"

note "writes inside the part are unaffected"
make_data "$T/inside" 5000
dd_write "$MNT/p" 12345 "$T/inside"
model_write one.img $((4096 + 12345)) "$T/inside"
part_matches_model p one.img 4096 "$end"
unmount_set
assert_sources_match_model
