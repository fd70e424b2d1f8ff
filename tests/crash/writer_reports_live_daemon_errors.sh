#!/usr/bin/env bash
# writer_reports_live_daemon_errors.sh -- the crash cycles' writer must tell a
# dead daemon from a live one that failed a write: with the daemon alive and
# the part's source truncated under it, writes fail with EIO and
# acked_writer must exit 1 ("daemon alive"); after the daemon is SIGKILLed
# the same writer must stop with 0 ("daemon gone"). Without this control a
# writer that called every error a crash would pass every cycle.
#
# Usage: writer_reports_live_daemon_errors.sh PMEMSETFS TOOLDIR
. "$(dirname "$0")/../fs/lib.sh" "$1" "$2"
tools=$HELPERS

# run_writer PERSIST EXPECTED_STATUS SAYS: acked_writer on the part must exit
# with EXPECTED_STATUS and say SAYS about the daemon
run_writer() {
	local rc=0
	"$tools/acked_writer" -f "$MNT/p" -l "$T/log" -s 7 -p "$1" -n 64 \
		2>"$T/writer.err" || rc=$?
	cat "$T/writer.err"
	assert_eq "$2" "$rc" "acked_writer's exit status ($3)"
	grep -q "$3" "$T/writer.err" || fail "acked_writer did not say '$3'"
}

for persist in write fsync; do
	note "persist=$persist: a live daemon's EIO is an error"
	make_source "$persist.img" $((4 * MiB))
	cat >"$T/set.$persist" <<-SET
		part p $SRC/$persist.img offset=0 length=2M
	SET
	mount_set "$T/set.$persist" -o persist=$persist
	truncate -s 0 "$SRC/$persist.img"
	run_writer "$persist" 1 "(daemon alive)"
	is_running "$DAEMON_PID" || fail "the daemon died of a truncated source"

	note "persist=$persist: after SIGKILL the writer stops cleanly"
	truncate -s $((4 * MiB)) "$SRC/$persist.img"
	kill -9 "$DAEMON_PID"
	wait "$DAEMON_PID" || true
	DAEMON_PID=
	run_writer "$persist" 0 "daemon gone"
	fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT"
done
