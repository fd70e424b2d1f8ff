#!/usr/bin/env bash
# A successful mount prints nothing (unless asked: -f, -d, -o log=stderr),
# also without syslog; status says where the log goes; the log file of a
# mount without syslog is removed at a clean unmount when nothing but the
# start-up line was written to it, and kept when it holds a warning or an
# error, so such files do not pile up.
if [ -S /dev/log ] && [ -z "${PMEMSETFS_TEST_NO_SYSLOG:-}" ]; then
	exec env PMEMSETFS_TEST_NO_SYSLOG=1 unshare -m --propagation private \
		sh -c 'mount --bind /dev/null /dev/log && exec bash "$0" "$@"' \
		"$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

make_source a.img $MiB
cat >"$T/set" <<SET
part a $SRC/a.img
SET
logdir=$XDG_RUNTIME_DIR/pmemsetfs

note "a background mount without syslog prints nothing"
"$DAEMON" "$T/set" "$MNT" >"$T/out" 2>&1 || fail "mount failed: $(cat "$T/out")"
wait_mounted "$MNT"
find_detached_daemon
[ ! -s "$T/out" ] || fail "a successful mount printed: $(cat "$T/out")"
log=$(sed -n 's/^log: //p' "$MNT/.pmemset/status")
case "$log" in
"$logdir"/*) ;;
*) fail "status does not give the log file under $logdir: 'log: $log'" ;;
esac
[ -f "$log" ] || fail "the log file $log named in status does not exist"
[ "$(jq -r .log "$MNT/.pmemset/status.json")" = "$log" ] ||
	fail "status.json's log differs from status"
unmount_detached
[ ! -e "$log" ] || fail "a clean unmount left the log with only its start-up line: $(cat "$log")"

note "a log with an error is kept"
"$DAEMON" "$T/set" "$MNT" >"$T/out" 2>&1 || fail "mount failed"
wait_mounted "$MNT"
find_detached_daemon
"$DAEMON" ctl "$MNT" unmap nosuch 2>/dev/null && fail "unmap of no part succeeded"
unmount_detached
[ -s "$log" ] && grep -q nosuch "$log" || fail "the log with an error was not kept"

note "status names syslog or stderr when they take the messages"
mount_set "$T/set" -o log=stderr
assert_eq stderr "$(sed -n 's/^log: //p' "$MNT/.pmemset/status")" "status log with -o log=stderr"
unmount_set
