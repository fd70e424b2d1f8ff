#!/usr/bin/env bash
# A write of several lines to .pmemset/ctl runs as a script: in order, up to
# the first failing line, whose number the error names ("line 3: ..."); the
# lines before it took effect, the ones after it did not. The same through
# one printf, through `cat script > ctl`, and through `pmemsetfs ctl MNT -`.
# last_error carries the UTC time (ISO 8601) and the command it belongs to.
. "$(dirname "$0")/lib.sh"

make_source a.img $((1 * MiB))
for f in x y z; do
	make_source "$f.img" $((64 * KiB))
done
cat >"$T/set" <<SET
part a $SRC/a.img
SET
mount_set "$T/set"

# script_for TAG: maps x$TAG and y$TAG, fails on line 5, would map z$TAG
script_for()
{
	cat <<SCRIPT
# a comment and a blank line are lines too

part x$1 $SRC/x.img
part y$1 $SRC/y.img
unmap no-such-part
part z$1 $SRC/z.img
SCRIPT
}

# check_outcome TAG: the first two commands ran, the last did not
check_outcome()
{
	part_matches_model "x$1" x.img 0 $((64 * KiB))
	part_matches_model "y$1" y.img 0 $((64 * KiB))
	[ ! -e "$MNT/z$1" ] || fail "script $1 ran past its failing line"
	local last
	last=$(sed -n 's/^last_error: //p' "$MNT/.pmemset/status")
	[[ $last =~ ^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)\ line\ 5:\ ctl\ \'unmap\ no-such-part\':\ no\ part\ named\ \'no-such-part\'$ ]] ||
		fail "script $1: last_error is not 'TIME line 5: ctl 'COMMAND': REASON': $last"
	# the time is now, in UTC
	local then now
	then=$(date -u -d "${BASH_REMATCH[1]}" +%s)
	now=$(date -u +%s)
	((now - then >= 0 && now - then < 60)) ||
		fail "script $1: last_error time ${BASH_REMATCH[1]} is not now ($(date -u +%FT%TZ))"
	echo "    last_error: $last"
}

note "one printf of the whole script"
script_for 1 >"$T/script1"
probe_expect ENOENT write "$MNT/.pmemset/ctl" "$(cat "$T/script1")"
check_outcome 1

note "cat script > ctl (bash)"
script_for 2 >"$T/script2"
if cat "$T/script2" >"$MNT/.pmemset/ctl" 2>"$T/cat.err"; then
	fail "cat of a failing script succeeded"
fi
grep -q "No such file or directory" "$T/cat.err" ||
	fail "cat did not fail with ENOENT: $(cat "$T/cat.err")"
check_outcome 2

note "cat script > ctl (dash)"
script_for 3 >"$T/script3"
sh -c 'cat "$1" >"$2"' sh "$T/script3" "$MNT/.pmemset/ctl" 2>/dev/null &&
	fail "cat of a failing script succeeded in dash"
check_outcome 3

note "pmemsetfs ctl MNT - < script: exit 4 and the line on stderr"
script_for 4 >"$T/script4"
rc=0
"$DAEMON" ctl "$MNT" - <"$T/script4" 2>"$T/client.err" || rc=$?
assert_eq 4 "$rc" "exit status of the client for a script failing with ENOENT"
assert_eq "pmemsetfs: line 5: ctl 'unmap no-such-part': no part named 'no-such-part'" \
	"$(cat "$T/client.err")" "the client's message"
check_outcome 4

note "a script that succeeds runs every line, silently"
printf 'unmap x1\nunmap y1\r\n  # done\n' >"$T/good"
rc=0
"$DAEMON" ctl "$MNT" - <"$T/good" >"$T/client.out" 2>&1 || rc=$?
assert_eq 0 "$rc" "exit status of a good script"
assert_eq "" "$(cat "$T/client.out")" "output of a good script"
[ ! -e "$MNT/x1" ] && [ ! -e "$MNT/y1" ] || fail "the good script did not run"

note "an overlong line stops the script there"
long="part w $SRC/x.img #$(head -c 5000 /dev/zero | tr '\0' x)"
probe_expect EINVAL write "$MNT/.pmemset/ctl" "part v $SRC/x.img"$'\n'"$long"$'\nunmap v\n'
[ -e "$MNT/v" ] || fail "line 1 before the overlong line did not run"
[ ! -e "$MNT/w" ] || fail "the overlong line ran"
grep -q "^last_error: [^ ]* line 2: ctl 'part w .*': command too long (5[0-9]* bytes, max 4095)$" \
	"$MNT/.pmemset/status" || fail "overlong line: $(grep last_error "$MNT/.pmemset/status" | head -c 300)"

note "a single command that fails names no line"
ctl_expect ENOENT "unmap nothing-here"
grep -qE "^last_error: [0-9T:Z-]+ ctl 'unmap nothing-here': no part named" \
	"$MNT/.pmemset/status" ||
	fail "single command: $(grep last_error "$MNT/.pmemset/status")"

note "a script with nothing but comments is an empty command"
probe_expect EINVAL write "$MNT/.pmemset/ctl" $'# nothing\n\n'

unmount_set
assert_sources_match_model
