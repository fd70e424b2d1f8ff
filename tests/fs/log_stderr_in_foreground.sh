#!/usr/bin/env bash
# In the foreground the daemon logs to stderr by default and with
# -o log=stderr: the start-up line and a failing ctl command's reason, one
# line each, no time stamps (the terminal's user is watching). In the
# background, -o log=stderr keeps the stderr it was started with.
# PMEMSET_LOG_LEVEL makes libpmemset's own messages appear there too, in
# this (release) build as in a debug one.
. "$(dirname "$0")/lib.sh"

make_source a.img $((1 * MiB))
make_source big.img $((4 * MiB))
cat >"$T/set" <<SET
reservation 2M
part a $SRC/a.img
SET
startup="pmemsetfs: mounted $T/set on $MNT: 1 part, 1 map; persist=write cache=page coalescing=none granularity=page (store: page) reservation=2097152"

# run_and_check WHAT: the log (daemon.log) gets the start-up line, then the
# reason of a failing command, each exactly once
run_and_check()
{
	wait_until 5 grep -qxF "$startup" "$T/daemon.log" ||
		fail "$1: no start-up line '$startup' in: $(cat "$T/daemon.log")"
	ctl_expect ENOENT "unmap nosuch"
	wait_until 5 grep -qxF "pmemsetfs: ctl 'unmap nosuch': no part named 'nosuch'" \
		"$T/daemon.log" || fail "$1: no reason in: $(cat "$T/daemon.log")"
	assert_eq 1 "$(grep -c 'mounted' "$T/daemon.log")" "$1: start-up lines"
}

note "foreground, default log"
mount_set "$T/set"
run_and_check "-f"
unmount_set
: >"$T/daemon.log"

note "foreground, -o log=stderr, PMEMSET_LOG_LEVEL=1"
export PMEMSET_LOG_LEVEL=1
mount_set "$T/set" -o log=stderr
unset PMEMSET_LOG_LEVEL
run_and_check "-f -o log=stderr"
ctl_expect ENOSPC "part big $SRC/big.img length=4M"
grep -q "^libpmemset: .*4194304" "$T/daemon.log" ||
	fail "PMEMSET_LOG_LEVEL=1 printed no libpmemset line: $(cat "$T/daemon.log")"
unmount_set
: >"$T/daemon.log"

note "background, -o log=stderr: the stderr it was started with"
mount_daemonized "$T/set" -o log=stderr
run_and_check "-o log=stderr in the background"
unmount_detached
assert_sources_match_model
