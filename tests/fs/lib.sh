# Shared code for the pmemsetfs shell tests; each scenario sources it with
#   . "$(dirname "$0")/lib.sh" DAEMON HELPER_DIR
# DAEMON is the built pmemsetfs, HELPER_DIR holds fsprobe and mmap_writer.
#
# It gives every test a fresh temporary directory ($T) with src/ (the source
# files the set maps), model/ (what each source file must contain: every
# write a test makes through the mount is also applied here) and mnt/; mounts
# the daemon with its stderr in $T/daemon.log; and on exit, whatever happened,
# unmounts, kills a leftover daemon, fails the test on a sanitizer report,
# shows the daemon's log when the test failed, and removes $T.
set -Eeuo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 PMEMSETFS_BINARY HELPER_DIR" >&2
	exit 2
fi
DAEMON=$(realpath "$1")
HELPERS=$(realpath "$2")
FSPROBE=$HELPERS/fsprobe
TEST_NAME=$(basename "$0" .sh)

if [ ! -c /dev/fuse ] || [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: $TEST_NAME needs root and /dev/fuse" >&2
	exit 77
fi

# PMEMSETFS_TEST_TRANSPORT=uring|dev: mount_set and mount_daemonized add
# -o transport= (the suites registered a second time for FUSE over
# io_uring). uring needs /sys/module/fuse/parameters/enable_uring on, which
# the test command turns on for those tests only; without it they skip.
ENABLE_URING=/sys/module/fuse/parameters/enable_uring
TRANSPORT_ARGS=()
case ${PMEMSETFS_TEST_TRANSPORT:-} in
'') ;;
uring)
	if [ "$(cat "$ENABLE_URING" 2>/dev/null)" != Y ]; then
		echo "SKIP: $TEST_NAME over io_uring needs $ENABLE_URING" \
			"on (scripts/test.sh turns it on for these tests)" >&2
		exit 77
	fi
	TRANSPORT_ARGS=(-o transport=uring)
	;;
dev) TRANSPORT_ARGS=(-o transport=dev) ;;
*)
	echo "PMEMSETFS_TEST_TRANSPORT=$PMEMSETFS_TEST_TRANSPORT:" \
		"expected uring or dev" >&2
	exit 2
	;;
esac

T=$(mktemp -d "${TMPDIR:-/tmp}/fstest-$TEST_NAME.XXXXXX")
SRC=$T/src
MODEL=$T/model
MNT=$T/mnt
mkdir -p "$SRC" "$MODEL" "$MNT"
# Without syslog a background daemon logs to $XDG_RUNTIME_DIR/pmemsetfs/
# (else /run/pmemsetfs/): keep those files inside $T.
export XDG_RUNTIME_DIR=$T/run
mkdir -p "$XDG_RUNTIME_DIR"
DAEMON_PID=
WATCHDOG_PID=
# Commands (strings, eval'ed) that cleanup runs after unmounting.
CLEANUP_CMDS=()
# Sanitizer reports of the daemon (and of our helpers) land in these files,
# one per process, also when the daemon runs detached from our stderr.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$T/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$T/sanitizer"
# Upper bound on the whole test, so a hung daemon can't hang CTest forever.
TEST_DEADLINE=${TEST_DEADLINE:-150}

fail()
{
	echo "FAIL: $TEST_NAME: $*" >&2
	exit 1
}

note()
{
	echo "--- $*"
}

trap 'echo "FAIL: $TEST_NAME: line $LINENO: \"$BASH_COMMAND\" exited $?" >&2' ERR

is_mounted()
{
	awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' \
		/proc/self/mountinfo
}

# True while the process exists and is not a zombie.
is_running()
{
	local state
	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# Pids of running pmemsetfs daemons (our binary) whose command line names $1.
daemons_for()
{
	local p cmd
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$DAEMON" ] || continue
		cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) || continue
		case "$cmd" in
		*"$1"*) is_running "$p" && echo "$p" ;;
		esac
	done
	return 0
}

# Polls CONDITION (a command) every 0.05 s for at most SECONDS seconds.
wait_until()
{
	local seconds=$1 i
	shift
	for ((i = 0; i < seconds * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	"$@"
}

not_running()
{
	! is_running "$1"
}

no_daemon_for()
{
	[ -z "$(daemons_for "$1")" ]
}

not_mounted()
{
	! is_mounted "$1"
}

cleanup()
{
	local rc=$? p
	trap - ERR
	set +e
	[ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null
	for m in $(awk -v t="$T/" 'index($5, t) == 1 { print $5 }' \
		/proc/self/mountinfo); do
		fusermount3 -u "$m" 2>/dev/null || fusermount3 -u -z "$m" ||
			umount -l "$m"
	done
	for p in $DAEMON_PID $(daemons_for "$T/"); do
		wait_until 10 not_running "$p" || kill -9 "$p" 2>/dev/null
	done
	for c in "${CLEANUP_CMDS[@]}"; do
		eval "$c"
	done
	if compgen -G "$T/sanitizer*" >/dev/null; then
		echo "FAIL: $TEST_NAME: sanitizer report:" >&2
		cat "$T"/sanitizer* >&2
		rc=1
	fi
	if [ $rc -ne 0 ] && [ -s "$T/daemon.log" ]; then
		echo "=== daemon log ($T/daemon.log):" >&2
		tail -n 60 "$T/daemon.log" >&2
	fi
	rm -rf "$T"
	[ $rc -eq 0 ] && echo "PASS: $TEST_NAME"
	exit $rc
}
trap cleanup EXIT

# A hung daemon leaves cat/dd blocked in the kernel; killing it makes those
# calls fail with ENOTCONN, so the test ends and its trap cleans up.
# Its sleep must not hold our stdout open, or CTest would wait for it.
(
	trap 'kill $sleeper 2>/dev/null; exit 0' TERM
	sleep "$TEST_DEADLINE" </dev/null >/dev/null 2>&1 &
	sleeper=$!
	wait $sleeper
	echo "FAIL: $TEST_NAME: still running after ${TEST_DEADLINE}s;" \
		"killing its daemons" >&2
	for p in $(daemons_for "$T/"); do kill -9 "$p"; done
) &
WATCHDOG_PID=$!

# make_source NAME SIZE: a source file of random bytes, and its model copy.
make_source()
{
	head -c "$2" /dev/urandom >"$SRC/$1"
	cp "$SRC/$1" "$MODEL/$1"
}

# make_data FILE SIZE: random bytes to write.
make_data()
{
	head -c "$2" /dev/urandom >"$1"
}

# mount_set SETFILE [OPTION...]: runs the daemon in the foreground, in the
# background of this shell (so we know its pid and can wait for its exit
# status), and waits until the mount is there. SIGINT is reset to its default
# because bash starts background jobs with it ignored, and libfuse only
# handles signals that are not ignored.
mount_set()
{
	local setfile=$1
	shift
	env --default-signal=INT "$DAEMON" -f "$@" "${TRANSPORT_ARGS[@]}" \
		"$setfile" "$MNT" \
		</dev/null >>"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_mounted "$MNT" "$DAEMON_PID"
}

# wait_mounted MNT [PID]: bounded wait for MNT to appear in the mount table;
# fails at once if the daemon PID exits first.
wait_mounted()
{
	local mnt=$1 pid=${2:-} i rc
	for ((i = 0; i < 400; i++)); do
		is_mounted "$mnt" && return 0
		if [ -n "$pid" ] && ! is_running "$pid"; then
			wait "$pid" && rc=0 || rc=$?
			fail "daemon exited with status $rc before mounting $mnt"
		fi
		sleep 0.05
	done
	fail "$mnt not mounted after 20 s"
}

# wait_daemon_exit PID: bounded wait for our background daemon; sets
# DAEMON_RC to its exit status. (Not for $(...): only this shell can wait.)
wait_daemon_exit()
{
	local pid=$1
	wait_until 20 not_running "$pid" ||
		fail "daemon $pid still running 20 s after unmount"
	wait "$pid" && DAEMON_RC=0 || DAEMON_RC=$?
}

# unmount_set: fusermount3 -u, then the daemon must exit with status 0.
unmount_set()
{
	fusermount3 -u "$MNT" || fail "fusermount3 -u $MNT failed"
	wait_daemon_exit "$DAEMON_PID"
	assert_eq 0 "$DAEMON_RC" "daemon exit status after unmount"
	DAEMON_PID=
	is_mounted "$MNT" && fail "$MNT still mounted after unmount"
	return 0
}

assert_eq()
{
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

assert_size()
{
	local size
	size=$(stat -c %s "$1") || fail "stat $1 failed"
	assert_eq "$2" "$size" "size of $1"
}

# assert_cmp_region FILE OFFSET LEN OTHER [OTHER_OFFSET]: LEN bytes of FILE
# from OFFSET equal LEN bytes of OTHER from OTHER_OFFSET (default 0).
assert_cmp_region()
{
	local file=$1 off=$2 len=$3 other=$4 ooff=${5:-0} out
	if ! out=$(cmp -i "$off:$ooff" -n "$len" "$file" "$other" 2>&1); then
		echo "$out" >&2
		cmp -l -i "$off:$ooff" -n "$len" "$file" "$other" 2>&1 |
			head -n 5 >&2 || true
		fail "$file [$off, +$len) differs from $other [$ooff, +$len)"
	fi
}

# assert_same FILE OTHER: identical sizes and bytes.
assert_same()
{
	local out
	out=$(cmp "$1" "$2" 2>&1) || fail "$1 and $2 differ: $out"
}

# model_write SRCNAME OFFSET DATAFILE: record in the model what a write
# through the mount should have done to source file SRCNAME at OFFSET.
model_write()
{
	dd if="$3" of="$MODEL/$1" bs=64K seek="$2" oflag=seek_bytes \
		conv=notrunc status=none
}

# dd_write FILE OFFSET DATAFILE: write DATAFILE into FILE at byte OFFSET
# with dd, as a user would (no O_TRUNC).
dd_write()
{
	dd if="$3" of="$1" bs=64K seek="$2" oflag=seek_bytes conv=notrunc \
		status=none || fail "dd into $1 at $2 failed"
}

# assert_sources_match_model: every source file holds what the model says.
assert_sources_match_model()
{
	local f
	for f in "$MODEL"/*; do
		assert_same "$SRC/$(basename "$f")" "$f"
	done
}

# probe_expect EXPECTED ARG...: run fsprobe ARG... and compare its output
# ("ok N" or an errno name such as ENOSPC) with EXPECTED.
probe_expect()
{
	local expected=$1 out
	shift
	out=$("$FSPROBE" "$@") || true
	assert_eq "$expected" "$out" "fsprobe $*"
}

# sha_tree DIR: one line per file under DIR with its size and sha256, so a
# before/after comparison catches any changed, created or removed file.
sha_tree()
{
	(cd "$1" && find . -type f -printf '%p %s\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0r sha256sum)
}

KiB=1024
MiB=$((1024 * 1024))

# mount_daemonized SETFILE [OPTION...]: the plain user command, which puts
# the daemon in the background itself; it must return 0 with the set
# mounted. Sets DAEMON_PID to the detached daemon's pid.
mount_daemonized()
{
	local setfile=$1 rc
	shift
	timeout 60 "$DAEMON" "$@" "${TRANSPORT_ARGS[@]}" "$setfile" "$MNT" \
		</dev/null \
		>>"$T/daemon.log" 2>&1 && rc=0 || rc=$?
	assert_eq 0 "$rc" "exit status of 'pmemsetfs $* $setfile $MNT'"
	wait_mounted "$MNT"
	DAEMON_PID=
	find_detached_daemon
}

# find_detached_daemon: sets DETACHED_PID to the one daemon serving $MNT.
find_detached_daemon()
{
	local pids
	pids=$(daemons_for "$MNT")
	[ "$(echo "$pids" | wc -w)" = 1 ] ||
		fail "expected one daemon for $MNT, found: '$pids'"
	DETACHED_PID=$pids
}

# unmount_detached [COMMAND...]: unmount with COMMAND (default fusermount3
# -u) and wait until the detached daemon has exited.
unmount_detached()
{
	if [ $# -eq 0 ]; then
		set -- fusermount3 -u "$MNT"
	fi
	"$@" || fail "'$*' failed"
	wait_until 20 not_running "$DETACHED_PID" ||
		fail "daemon $DETACHED_PID still running 20 s after '$*'"
	is_mounted "$MNT" && fail "$MNT still mounted after '$*'"
	return 0
}

# part_matches_model PART SRCNAME OFFSET LEN: the part file shows
# bytes [OFFSET, +LEN) of source SRCNAME as the model says they must be.
part_matches_model()
{
	assert_size "$MNT/$1" "$4"
	assert_cmp_region "$MNT/$1" 0 "$4" "$MODEL/$2" "$3"
}

# ls_line DIR: the names in DIR on one line, sorted as ls sorts them.
ls_line()
{
	ls "$1" | tr '\n' ' ' | sed 's/ $//'
}

# ctl COMMAND: one write of "COMMAND\n" to .pmemset/ctl; it must succeed.
ctl()
{
	local out
	out=$("$FSPROBE" write "$MNT/.pmemset/ctl" "$1"$'\n') ||
		fail "ctl '$1' failed with $out"
}

# ctl_expect ERRNO COMMAND: the write of COMMAND must fail with ERRNO.
ctl_expect()
{
	probe_expect "$1" write "$MNT/.pmemset/ctl" "$2"$'\n'
}

# xattr PART NAME: the value of user.pmemset.NAME of a part file.
xattr()
{
	getfattr --absolute-names --only-values -n "user.pmemset.$2" \
		"$MNT/$1" 2>"$T/getfattr.err" ||
		fail "getfattr -n user.pmemset.$2 $1: $(cat "$T/getfattr.err")"
}
