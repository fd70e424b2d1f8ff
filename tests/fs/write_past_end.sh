#!/usr/bin/env bash
# A part is a fixed-size device: a write reaching past its end is cut short
# at the end (the bytes after the part in the source file stay as they
# were); a write starting at the end fails with ENOSPC; nothing grows.
. "$(dirname "$0")/lib.sh"

make_source one.img $((2 * MiB))
cat >"$T/set" <<SET
part p $SRC/one.img offset=4K length=1M
SET
mount_set "$T/set"
end=$((1 * MiB))

note "a write across the end is cut short"
make_data "$T/data" 8192
probe_expect "ok 4096" pwrite "$MNT/p" $((end - 4096)) "$T/data"
head -c 4096 "$T/data" >"$T/written"
model_write one.img $((4096 + end - 4096)) "$T/written"

note "a write starting at the end fails with ENOSPC"
probe_expect ENOSPC pwrite "$MNT/p" "$end" "$T/data"
make_data "$T/one" 1
probe_expect ENOSPC pwrite "$MNT/p" "$end" "$T/one"

note "a write starting past the end fails"
out=$("$FSPROBE" pwrite "$MNT/p" $((end + 4096)) "$T/data") &&
	fail "write past the end succeeded: $out"

note "dd across the end: reports ENOSPC, writes what fits"
make_data "$T/data2" 3000
if dd if="$T/data2" of="$MNT/p" bs=3000 seek=$((end - 1000)) \
	oflag=seek_bytes conv=notrunc status=none 2>"$T/dd.err"; then
	fail "dd across the end succeeded"
fi
grep -q "No space left on device" "$T/dd.err" ||
	fail "dd across the end: expected ENOSPC, got: $(cat "$T/dd.err")"
head -c 1000 "$T/data2" >"$T/written"
model_write one.img $((4096 + end - 1000)) "$T/written"

note "size and bytes"
assert_size "$MNT/p" "$end"
part_matches_model p one.img 4096 "$end"
assert_sources_match_model
unmount_set
assert_size "$SRC/one.img" $((2 * MiB))
assert_sources_match_model
