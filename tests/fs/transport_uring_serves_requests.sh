#!/usr/bin/env bash
# With enable_uring on, the default mount takes the kernel's io_uring
# queues: the log, status and status.json say so (one queue per possible
# CPU), the ring's threads (named pmemsetfs-ring) are the ones woken by
# direct writes and reads whose bytes land right, 1 MiB writes (the
# largest payload) land whole, a ctl command is served, and both unmount
# and SIGTERM end the daemon with status 0. Registered with
# PMEMSETFS_TEST_TRANSPORT=uring, so lib.sh skips it when enable_uring is
# off.
. "$(dirname "$0")/lib.sh"
TRANSPORT_ARGS=() # this test's mounts use the default, -o transport=auto

# ring_wakeups PID: voluntary context switches of the daemon's ring threads
ring_wakeups()
{
	local task total=0 n
	for task in /proc/"$1"/task/*; do
		[ "$(cat "$task/comm" 2>/dev/null)" = pmemsetfs-ring ] || continue
		n=$(sed -n 's/^voluntary_ctxt_switches:\s*//p' "$task/status")
		total=$((total + n))
	done
	echo "$total"
}

make_source a.img $((4 * MiB))
make_source b.img $((2 * MiB))
printf 'part a %s\npart b %s\n' "$SRC/a.img" "$SRC/b.img" >"$T/set"
mount_set "$T/set" -o cache=page

note "status names the transport and its queues"
cpus=$(($(sed 's/.*-//; s/,.*//' /sys/devices/system/cpu/possible) + 1))
line=$(grep '^transport:' "$MNT/.pmemset/status")
assert_eq "transport: uring (kernel offered it, $cpus queues of 2 threads)" \
	"$line" "status transport line"
assert_eq uring "$(jq -r .transport "$MNT/.pmemset/status.json")" \
	"status.json transport"
wait_until 5 grep -qxF "pmemsetfs: ${line}" "$T/daemon.log" ||
	fail "the transport is not in the log: $(cat "$T/daemon.log")"
threads=0
for task in /proc/"$DAEMON_PID"/task/*; do
	[ "$(cat "$task/comm")" = pmemsetfs-ring ] && threads=$((threads + 1))
done
assert_eq $((cpus * 2)) "$threads" "ring threads of the daemon"

note "direct writes and reads are served by the ring's threads"
before=$(ring_wakeups "$DAEMON_PID")
make_data "$T/data" $((256 * KiB))
dd if="$T/data" of="$MNT/a" bs=4K seek=16 oflag=direct conv=notrunc \
	status=none || fail "direct dd into a failed"
model_write a.img $((64 * KiB)) "$T/data"
dd if="$MNT/a" of="$T/back" bs=4K skip=16 count=64 iflag=direct status=none ||
	fail "direct dd from a failed"
cmp "$T/data" "$T/back" || fail "direct read did not return what was written"
after=$(ring_wakeups "$DAEMON_PID")
# 128 requests, each waking a ring thread: /dev/fuse would wake none
[ $((after - before)) -ge 64 ] ||
	fail "ring threads woke $((after - before)) times for 128 requests"

note "1 MiB writes, the largest payload, land whole"
make_data "$T/big" $((2 * MiB))
dd if="$T/big" of="$MNT/a" bs=1M seek=1 conv=notrunc status=none ||
	fail "1 MiB dd into a failed"
model_write a.img $MiB "$T/big"
part_matches_model a a.img 0 $((4 * MiB))
part_matches_model b b.img 0 $((2 * MiB))

note "a ctl command over the ring"
ctl "unmap b"
[ -e "$MNT/b" ] && fail "b still listed after 'unmap b'"
unmount_set
assert_sources_match_model

note "SIGTERM ends the ring's threads and the daemon cleanly"
mount_set "$T/set"
grep -q '^transport: uring' "$MNT/.pmemset/status" ||
	fail "second mount not on the ring: $(grep transport "$MNT/.pmemset/status")"
kill -TERM "$DAEMON_PID"
wait_daemon_exit "$DAEMON_PID"
assert_eq 0 "$DAEMON_RC" "daemon exit status after SIGTERM"
DAEMON_PID=
is_mounted "$MNT" && fail "$MNT still mounted after SIGTERM"
assert_sources_match_model
