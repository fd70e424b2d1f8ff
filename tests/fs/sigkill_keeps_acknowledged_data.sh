#!/usr/bin/env bash
# If the daemon dies (SIGKILL), acknowledged data is in the source files:
# with persist=write every completed write, with persist=fsync everything
# before a completed fsync. The dead mount is cleaned with fusermount3 -u -z
# and a new mount of the same set shows the data.
. "$(dirname "$0")/lib.sh"

make_source one.img $((2 * MiB))
make_source two.img $((1 * MiB))
cat >"$T/set" <<SET
part a $SRC/one.img offset=1M length=1M
part b $SRC/two.img
SET

# write PART SRCNAME PART_OFFSET_IN_SOURCE OFFSET LEN [DD_CONV]
write()
{
	make_data "$T/data" "$5"
	dd if="$T/data" of="$MNT/$1" bs=64K seek="$4" oflag=seek_bytes \
		conv=notrunc${6:+,$6} status=none || fail "dd into $1 failed"
	model_write "$2" $(($3 + $4)) "$T/data"
}

kill_daemon()
{
	kill -9 "$DAEMON_PID"
	wait_until 20 not_running "$DAEMON_PID" ||
		fail "daemon $DAEMON_PID survived SIGKILL for 20 s"
	wait "$DAEMON_PID" || true
	DAEMON_PID=
	fusermount3 -u -z "$MNT" || fail "fusermount3 -u -z of the dead mount"
	is_mounted "$MNT" && fail "$MNT still mounted"
	return 0
}

check_remount()
{
	mount_set "$T/set"
	part_matches_model a one.img "$MiB" "$MiB"
	part_matches_model b two.img 0 "$MiB"
	unmount_set
}

note "persist=write: plain writes, then SIGKILL"
mount_set "$T/set"
write a one.img "$MiB" 0 4096
write a one.img "$MiB" 777777 100000
write b two.img 0 5 $((512 * KiB))
write b two.img 0 $((MiB - 1)) 1
kill_daemon
assert_sources_match_model
check_remount

note "persist=fsync: writes, fsync, then SIGKILL"
mount_set "$T/set" -o persist=fsync
write a one.img "$MiB" 1000 200000 fsync
write b two.img 0 300000 4096 fdatasync
write b two.img 0 0 12345
sync "$MNT/b" || fail "sync (fsync) of $MNT/b failed"
kill_daemon
assert_sources_match_model
check_remount
