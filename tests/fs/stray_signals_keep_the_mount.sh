#!/usr/bin/env bash
# Signals a daemon may receive by accident (SIGUSR1, SIGUSR2, SIGALRM,
# SIGPIPE, timers, SIGIO, SIGPWR, real-time signals) neither kill it nor
# leave a dead mount ("Transport endpoint is not connected"): after each
# one the mount still reads and writes. Only SIGHUP, SIGINT and SIGTERM
# unmount; SIGHUP is checked here (the others in unmount_signals): it
# persists, unmounts and exits 0.
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
cat >"$T/set" <<SET
part a $SRC/one.img
SET
mount_set "$T/set" -o persist=fsync

signals="USR1 USR2 ALRM PIPE VTALRM PROF IO PWR XFSZ XCPU STKFLT RTMIN RTMIN+5 RTMAX"
for sig in $signals; do
	note "SIG$sig"
	kill -s "$sig" "$DAEMON_PID"
	sleep 0.1
	is_running "$DAEMON_PID" || fail "SIG$sig killed the daemon"
	make_data "$T/data" 5000
	off=$((RANDOM * 16))
	dd_write "$MNT/a" "$off" "$T/data"
	model_write one.img "$off" "$T/data"
	part_matches_model a one.img 0 "$MiB"
done

note "SIGHUP unmounts"
kill -HUP "$DAEMON_PID"
wait_daemon_exit "$DAEMON_PID"
assert_eq 0 "$DAEMON_RC" "daemon exit status after SIGHUP"
DAEMON_PID=
wait_until 10 not_mounted "$MNT" || fail "$MNT still mounted after SIGHUP"
assert_sources_match_model
