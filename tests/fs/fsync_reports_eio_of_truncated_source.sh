#!/usr/bin/env bash
# With the writeback cache (persist=fsync), a write into a part whose source
# another process truncated is reported at fsync or close as EIO ("Input/
# output error"), the error it is, not as ENOSPC: the user must not go
# looking for a full disk. ENOSPC stays for a write past the part's end.
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

note "a write past the end is still ENOSPC"
truncate -s $((2 * MiB)) "$SRC/a.img"
rc=0
dd if="$T/data" of="$MNT/a" bs=64K seek=32 conv=notrunc,fsync status=none \
	2>"$T/dd.err" || rc=$?
[ "$rc" -ne 0 ] || fail "a write past the end succeeded"
grep -q "No space left" "$T/dd.err" ||
	fail "past the end: expected ENOSPC, dd said: $(cat "$T/dd.err")"
