#!/usr/bin/env bash
# With no syslog socket (/dev/log), a background daemon's messages are not
# lost: a file takes syslog's place ($XDG_RUNTIME_DIR/pmemsetfs/, else
# /run/pmemsetfs/ for root, named after the mount point), without a word
# on stderr: its first line says why, status names it, and it gets the
# start-up line and the reasons of failing ctl commands (a file with such
# an error is kept after unmount). The same for an explicit -o log=syslog.
# A start that fails says why on stderr and leaves no such file behind.
#
# On a machine that has /dev/log the test runs in its own mount namespace
# with /dev/null bound over the socket.
if [ -S /dev/log ] && [ -z "${PMEMSETFS_TEST_NO_SYSLOG:-}" ]; then
	exec env PMEMSETFS_TEST_NO_SYSLOG=1 unshare -m --propagation private \
		sh -c 'mount --bind /dev/null /dev/log && exec bash "$0" "$@"' \
		"$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
[ ! -S /dev/log ] || fail "/dev/log is still a socket"

make_source a.img $((1 * MiB))
cat >"$T/set" <<SET
part a $SRC/a.img
SET
name=$(printf '%s' "${MNT#/}" | tr / -).log

# check_fallback DIR OPTION...: mount in the background; DIR/$name takes
# the messages, its first line says why, stderr stays quiet
check_fallback()
{
	local dir=$1 log=$1/$name
	shift
	: >"$T/daemon.log"
	mount_daemonized "$T/set" "$@"
	assert_eq "" "$(cat "$T/daemon.log")" "what the daemon said before detaching"
	assert_eq "$log" "$(sed -n 's/^log: //p' "$MNT/.pmemset/status")" \
		"the log file in status"
	grep -q "\\[$DETACHED_PID\\] notice: pmemsetfs: no syslog here (/dev/log is not a socket): logging to this file" "$log" ||
		fail "$log does not say why it is there: $(cat "$log")"
	wait_until 5 grep -q "\\[$DETACHED_PID\\] info: pmemsetfs: mounted $T/set on $MNT: 1 part, 1 map;" "$log" ||
		fail "no start-up line in $log: $(cat "$log")"
	ctl_expect EEXIST "part a $SRC/a.img"
	wait_until 5 grep -q "\\[$DETACHED_PID\\] err: pmemsetfs: ctl 'part a $SRC/a.img': part a: duplicate name" "$log" ||
		fail "the ctl failure is not in $log: $(cat "$log")"
	assert_eq 700 "$(stat -c %a "$dir")" "mode of $dir"
	unmount_detached
	[ -s "$log" ] || fail "the log with an error was removed at unmount"
}

note "default log, XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
check_fallback "$XDG_RUNTIME_DIR/pmemsetfs"

note "-o log=syslog"
check_fallback "$XDG_RUNTIME_DIR/pmemsetfs" -o log=syslog
assert_eq 2 "$(grep -c 'info: pmemsetfs: mounted' "$XDG_RUNTIME_DIR/pmemsetfs/$name")" \
	"start-up lines after two mounts (appended)"

note "root without XDG_RUNTIME_DIR: /run/pmemsetfs"
run_dir_existed=no
[ -d /run/pmemsetfs ] && run_dir_existed=yes
CLEANUP_CMDS+=("rm -f '/run/pmemsetfs/$name'")
CLEANUP_CMDS+=("[ $run_dir_existed = yes ] || rmdir /run/pmemsetfs 2>/dev/null")
unset XDG_RUNTIME_DIR
check_fallback /run/pmemsetfs
rm -f "/run/pmemsetfs/$name"

note "a start that fails leaves no log file and no directory"
export XDG_RUNTIME_DIR=$T/run2
mkdir "$XDG_RUNTIME_DIR"
rc=0
# the kernel refuses blksize= on a non-block FUSE mount: the start fails
# after the log file was opened
"$DAEMON" -o blksize=4096 "$T/set" "$MNT" >"$T/fail.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a mount with bad kernel options succeeded"
# the kernel's refusal comes after the log was opened
grep -q "mount failed" "$T/fail.out" ||
	fail "the failed start did not get as far as the mount: $(cat "$T/fail.out")"
is_mounted "$MNT" && fail "the failed start mounted"
assert_eq "" "$(ls -A "$XDG_RUNTIME_DIR")" "the runtime directory after a failed start"
assert_sources_match_model
