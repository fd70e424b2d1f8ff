#!/usr/bin/env bash
# With the writeback cache (persist=fsync), a write into a part whose source
# another process truncated is reported at fsync or close as EIO ("Input/
# output error"), the error it is, not as ENOSPC: the user must not go
# looking for a full disk. ENOSPC stays for a write past the part's end.
# The part is failed from then on (status says so, reads and writes get EIO
# even once the source has grown back) until it is unmapped and mapped again.
. "$(dirname "$0")/lib.sh"

make_source a.img $((2 * MiB))
cat >"$T/set" <<SET
part a $SRC/a.img
SET
mount_set "$T/set" -o persist=fsync
truncate -s 0 "$SRC/a.img"
make_data "$T/data" $((64 * KiB))
rc=0
dd if="$T/data" of="$MNT/a" bs=64K seek=4 conv=notrunc,fsync status=none \
	2>"$T/dd.err" || rc=$?
cat "$T/dd.err"
[ "$rc" -ne 0 ] || fail "a write into a truncated source was acknowledged"
grep -q "Input/output error" "$T/dd.err" ||
	fail "expected EIO, dd said: $(cat "$T/dd.err")"
grep -q "No space left" "$T/dd.err" && fail "reported as ENOSPC"
grep -q "truncated" "$MNT/.pmemset/status" ||
	fail "last_error does not name the truncation: $(grep last_error "$MNT/.pmemset/status")"
is_running "$DAEMON_PID" || fail "the daemon died"

note "the part stays failed after its source grew back"
truncate -s $((2 * MiB)) "$SRC/a.img"
grep -q "^part a: .* failed=yes$" "$MNT/.pmemset/status" ||
	fail "status does not show part a failed: $(grep '^part a' "$MNT/.pmemset/status")"
probe_expect EIO pread "$MNT/a" 0 4096
[ "$(jq '.parts[0].failed' "$MNT/.pmemset/status.json")" = true ] ||
	fail "status.json: part a not failed"

note "a write past the end is still ENOSPC"
rc=0
dd if="$T/data" of="$MNT/a" bs=64K seek=32 conv=notrunc,fsync status=none \
	2>"$T/dd.err" || rc=$?
[ "$rc" -ne 0 ] || fail "a write past the end succeeded"
grep -q "No space left" "$T/dd.err" ||
	fail "past the end: expected ENOSPC, dd said: $(cat "$T/dd.err")"

note "unmapped and mapped again, the part works and is no longer failed"
ctl "unmap a"
ctl "part a $SRC/a.img"
grep -q "^part a: .* failed=yes" "$MNT/.pmemset/status" &&
	fail "the mapped-again part is still failed"
dd_write "$MNT/a" $((64 * KiB)) "$T/data"
unmount_set
assert_cmp_region "$SRC/a.img" $((64 * KiB)) $((64 * KiB)) "$T/data"
