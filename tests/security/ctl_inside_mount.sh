#!/usr/bin/env bash
# Security test: the ctl file cannot be turned against the daemon
# itself. A `part` command whose source (or temporary directory) lies inside
# the mount would make the daemon wait for its own answer; it must be
# refused with EINVAL at once, leave the set unchanged and leave the daemon
# serving, in the default multi-threaded mode and with -s, also when the
# path gets there through "..", "//", "." or a symlink.
#   ctl_inside_mount.sh PMEMSETFS FSPROBE_DIR
# A command that hangs fails the test, and the test then aborts the FUSE
# connection through fusectl so that neither it nor CTest stays blocked.
TEST_DEADLINE=${TEST_DEADLINE:-120}
. "$(dirname "$0")/../fs/lib.sh" "$1" "$2"

# Seconds a refused command may take (the daemon answers in milliseconds).
ANSWER_SECONDS=10
FUSECTL_MOUNTED=
CHECKS=0

abort_connection()
{
	local dev
	dev=$(awk -v m="$MNT" '$5 == m { split($3, d, ":"); print d[2] }' \
		/proc/self/mountinfo)
	[ -n "$dev" ] || return 0
	if [ ! -e /sys/fs/fuse/connections/"$dev"/abort ]; then
		mount -t fusectl none /sys/fs/fuse/connections 2>/dev/null &&
			FUSECTL_MOUNTED=yes
	fi
	echo "--- aborting FUSE connection $dev of $MNT" >&2
	echo 1 >/sys/fs/fuse/connections/"$dev"/abort 2>/dev/null || true
}

inside_cleanup()
{
	local rc=$?
	trap - ERR
	set +e
	[ "$FUSECTL_MOUNTED" = yes ] && umount /sys/fs/fuse/connections
	return $rc
}
trap 'inside_cleanup; cleanup' EXIT

check()
{
	CHECKS=$((CHECKS + 1))
	[ "$2" = "$3" ] || fail "check $CHECKS: $1: expected '$2', got '$3'"
	echo "ok $CHECKS: $1: $3"
}

# ctl_within_time EXPECTED COMMAND: the ctl write must give EXPECTED within
# ANSWER_SECONDS; a hang fails the test after the connection is aborted.
ctl_within_time()
{
	local expected=$1 cmd=$2 pid i
	"$FSPROBE" write "$MNT/.pmemset/ctl" "$cmd"$'\n' >"$T/probe.out" 2>&1 &
	pid=$!
	for ((i = 0; i < ANSWER_SECONDS * 20; i++)); do
		is_running "$pid" || break
		sleep 0.05
	done
	if is_running "$pid"; then
		abort_connection
		fail "ctl '$cmd' still blocked after ${ANSWER_SECONDS}s:" \
			"the daemon waits for itself"
	fi
	wait "$pid" || true
	check "ctl '$cmd'" "$expected" "$(cat "$T/probe.out")"
}

status_value()
{
	sed -n "s/^$1: //p" "$MNT/.pmemset/status"
}

# still_serving: the set is as it was and the daemon answers.
still_serving()
{
	check "$1: parts in status" 1 "$(status_value parts)"
	check "$1: ls of the mount" anchor "$(ls_line "$MNT")"
	check "$1: the anchor part reads its source" identical \
		"$(cmp -s "$MNT/anchor" "$SRC/anchor" && echo identical ||
			echo differs)"
}

make_source anchor 8192
echo "part anchor $SRC/anchor" >"$T/set"
ln -s "$MNT/anchor" "$T/link-into-mount"
ln -s "$MNT/.pmemset" "$T/dir-link-into-mount"

for mode in multi-threaded single-threaded; do
	if [ $mode = multi-threaded ]; then
		mount_set "$T/set"
	else
		mount_set "$T/set" -s
	fi
	note "$mode daemon $DAEMON_PID"
	ctl_within_time EINVAL "part loop $MNT/anchor"
	still_serving "$mode, after a part file of the mount as source"
	ctl_within_time EINVAL "part loop $MNT/.pmemset/status"
	still_serving "$mode, after the status file as source"
	ctl_within_time EINVAL "part loop temporary=$MNT/.pmemset length=4096"
	still_serving "$mode, after a temporary part inside the mount"
	# paths that do not start with the mount point but lead into it: the
	# daemon must see that without asking the mount (with -s no thread
	# would be free to answer)
	ctl_within_time EINVAL "part loop $T/link-into-mount"
	still_serving "$mode, after a symlink into the mount"
	ctl_within_time EINVAL "part loop $SRC/../mnt/anchor"
	still_serving "$mode, after a path through .. into the mount"
	ctl_within_time EINVAL "part loop ${T}//./mnt/anchor"
	still_serving "$mode, after a path with // and . into the mount"
	ctl_within_time EINVAL \
		"part loop $T/dir-link-into-mount/new create length=4096"
	still_serving "$mode, after create in a directory of the mount"
	ctl_within_time EINVAL \
		"part loop temporary=$T/dir-link-into-mount length=4096"
	still_serving "$mode, after a temporary part through a symlink"
	unmount_set
done
assert_sources_match_model
note "$CHECKS checks passed; sources unchanged"
