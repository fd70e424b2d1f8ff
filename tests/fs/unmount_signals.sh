#!/usr/bin/env bash
# Every way of unmounting -- fusermount3 -u, umount, SIGTERM and SIGINT to
# the daemon -- persists everything (tested with persist=fsync, where the
# writes themselves are not persisted), removes the mount, and the daemon
# exits 0.
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
cat >"$T/set" <<SET
part a $SRC/one.img
SET

for how in fusermount3 umount SIGTERM SIGINT; do
	note "unmount with $how"
	mount_set "$T/set" -o persist=fsync
	make_data "$T/data" 70000
	off=$((RANDOM * 16))
	dd_write "$MNT/a" "$off" "$T/data"
	model_write one.img "$off" "$T/data"
	case $how in
	fusermount3) fusermount3 -u "$MNT" ;;
	umount) umount "$MNT" ;;
	SIGTERM) kill -TERM "$DAEMON_PID" ;;
	SIGINT) kill -INT "$DAEMON_PID" ;;
	esac
	wait_daemon_exit "$DAEMON_PID"
	assert_eq 0 "$DAEMON_RC" "daemon exit status after $how"
	DAEMON_PID=
	wait_until 10 not_mounted "$MNT" || fail "$MNT still mounted after $how"
	assert_sources_match_model
done
