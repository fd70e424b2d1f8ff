#!/usr/bin/env bash
# -o log=FILE: a background daemon appends to FILE, one timestamped line a
# message: the start-up line (set file, parts, maps, modes) and the
# transport the kernel and the daemon agreed on, at the info level, and the
# reason of a failing ctl command. A second mount appends.
# A relative or unopenable FILE is a start-up error: nothing is mounted.
. "$(dirname "$0")/lib.sh"

make_source a.img $((1 * MiB))
make_source b.img $((1 * MiB))
cat >"$T/set" <<SET
coalescing opportunistic
part a $SRC/a.img
part b $SRC/b.img
SET
mkdir "$T/logs"
LOG=$T/logs/pmemsetfs.log
STAMP='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'

note "mount in the background with -o log=$LOG"
mount_daemonized "$T/set" -o log="$LOG",persist=fsync,cache=page
[ ! -s "$T/daemon.log" ] ||
	fail "the daemon printed on stderr: $(cat "$T/daemon.log")"
wait_until 5 test -s "$LOG" || fail "$LOG stays empty"
startup="^$STAMP \\[$DETACHED_PID\\] info: pmemsetfs: mounted $T/set on $MNT: 2 parts, 1 map; persist=fsync cache=page coalescing=opportunistic granularity=page \\(store: [a-z]+\\) reservation=none$"
grep -qE "$startup" "$LOG" || fail "no start-up line like /$startup/ in: $(cat "$LOG")"
transport="^$STAMP \\[$DETACHED_PID\\] info: pmemsetfs: transport: (dev|uring) \\(.+\\)$"
wait_until 5 grep -qE "$transport" "$LOG" ||
	fail "no transport line like /$transport/ in: $(cat "$LOG")"

note "a failing ctl command's reason lands in the file"
rc=0
"$DAEMON" ctl "$MNT" unmap nosuch 2>"$T/client.err" || rc=$?
assert_eq 4 "$rc" "exit status of the failing command"
line="^$STAMP \\[$DETACHED_PID\\] err: pmemsetfs: ctl 'unmap nosuch': no part named 'nosuch'$"
wait_until 5 grep -qE "$line" "$LOG" || fail "no line like /$line/ in: $(cat "$LOG")"
assert_eq 3 "$(wc -l <"$LOG")" "lines in the log"
unmount_detached

note "a second mount appends"
mount_daemonized "$T/set" -o log="$LOG"
wait_until 5 test "$(grep -c 'info: pmemsetfs: mounted' "$LOG")" = 2 ||
	fail "the second start-up line is missing: $(cat "$LOG")"
unmount_detached

note "bad log= values: a start-up error, nothing mounted"
sha_tree "$SRC" >"$T/before"
for bad in "log=relative.log" "log=$T/no-such-dir/x.log" "log="; do
	rc=0
	"$DAEMON" -o "$bad" "$T/set" "$MNT" >"$T/bad.out" 2>&1 || rc=$?
	assert_eq 1 "$rc" "exit status with -o $bad"
	grep -q "log=" "$T/bad.out" || fail "-o $bad: no message naming log=: $(cat "$T/bad.out")"
	is_mounted "$MNT" && fail "-o $bad mounted"
	echo "    -o $bad: $(cat "$T/bad.out")"
done
[ ! -e "$T/no-such-dir" ] || fail "a bad log= made a directory"
sha_tree "$SRC" >"$T/after"
diff "$T/before" "$T/after" >&2 || fail "a refused start changed the sources"
assert_sources_match_model
