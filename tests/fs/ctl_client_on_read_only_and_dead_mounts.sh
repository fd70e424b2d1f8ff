#!/usr/bin/env bash
# pmemsetfs ctl tells what is wrong in the words and exit codes its --help,
# man page and README give: on an -o ro mount a command is refused with
# EROFS, exit 8, "Read-only file system"; when the daemon is gone (ENOTCONN)
# it says the daemon is not running, with an exit code of its own (10), not
# "not a pmemsetfs mount" (9, kept for a directory that is no mount).
. "$(dirname "$0")/lib.sh"

make_source a.img $MiB
cat >"$T/set" <<SET
part a $SRC/a.img
SET
mount_set "$T/set" -o ro
rc=0
"$DAEMON" ctl "$MNT" unmap a 2>"$T/err" || rc=$?
cat "$T/err"
assert_eq 8 "$rc" "exit status of ctl on a read-only mount"
grep -q "Read-only file system" "$T/err" || fail "ctl on ro: $(cat "$T/err")"
grep -q "not a pmemsetfs mount" "$T/err" && fail "ctl on ro calls it no mount"
assert_eq a "$(ls_line "$MNT")" "parts after a refused unmap"
"$DAEMON" ctl --help | grep -qE '10 .*daemon' ||
	fail "ctl --help does not list exit 10 for a daemon that is not running"

note "a dead daemon: 'daemon not running', exit 10"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" || true
DAEMON_PID=
rc=0
"$DAEMON" ctl "$MNT" unmap a 2>"$T/err" || rc=$?
cat "$T/err"
assert_eq 10 "$rc" "exit status of ctl on a dead mount"
grep -qi "not running" "$T/err" || fail "ctl on a dead mount: $(cat "$T/err")"
fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT"

note "a plain directory is still 'not a pmemsetfs mount', exit 9"
mkdir "$T/plain"
rc=0
"$DAEMON" ctl "$T/plain" unmap a 2>"$T/err" || rc=$?
assert_eq 9 "$rc" "exit status of ctl on a plain directory"
grep -q "not a pmemsetfs mount" "$T/err" || fail "plain dir: $(cat "$T/err")"
