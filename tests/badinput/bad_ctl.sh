#!/usr/bin/env bash
# bad_ctl.sh -- runs every row of a table of bad .pmemset/ctl commands
# (ctl_cases.txt) against one mounted set: each write must fail with its
# errno, name the problem in the status file's last_error, leave the set as
# it was (same files, sizes, maps, settings), create or change no source
# file, and leave the daemon running. A good command before and after the
# table shows that the ctl file itself works.
#
# Usage: bad_ctl.sh PMEMSETFS FSPROBE_DIR [CASES_FILE]
# Runs all cases, prints one line per case, exits non-zero if any failed.
if [ $# -lt 2 ]; then
	echo "usage: bad_ctl.sh PMEMSETFS FSPROBE_DIR [CASES_FILE]" >&2
	exit 2
fi
cases_file=$(realpath "${3:-$(dirname "$0")/ctl_cases.txt}")
TEST_DEADLINE=${TEST_DEADLINE:-270}
. "$(dirname "$0")/../fs/lib.sh" "$1" "$2"
. "$(dirname "$0")/said_twice.sh"
trap - ERR
set +e

tmpdir=$T/tmpdir
ctl=$MNT/.pmemset/ctl
mkdir -p "$tmpdir" "$SRC/subdir"
make_source a.img $MiB
make_source b.img $((2 * MiB))
make_source c.img $((4 * MiB))
longword=$(printf 'x%.0s' {1..100000})
cat >"$T/set" <<EOF
reservation 4M
coalescing none
part a $SRC/a.img
part b $SRC/b.img offset=0 length=1M
EOF
mount_set "$T/set"

# ctl_write BYTES: one write of BYTES (printf %b) to the ctl file; prints
# "ok N" or the errno name.
ctl_write() {
	printf '%b' "$1" >"$T/command"
	"$FSPROBE" pwrite "$ctl" 0 "$T/command"
}

# What a failed command must not change: the files and their sizes, the map
# files, the set's description in status (less counters and last_error),
# the source files and the temporary directory.
snapshot() {
	(cd "$MNT" && ls -l --time-style=+ . .pmemset/maps |
		awk '{ print $1, $5, $NF }')
	grep -Ev '^(bytes_read|bytes_written|persists|last_error):' \
		"$MNT/.pmemset/status"
	sha_tree "$SRC"
	ls -A "$tmpdir"
}

expand() {
	local s=$1
	s=${s//@SRC@/$SRC}
	s=${s//@TMP@/$tmpdir}
	s=${s//@LONGWORD@/$longword}
	s=${s//@MNT@/$MNT}
	s=${s//@T@/$T}
	printf '%s' "$s"
}

trim() {
	local s=$1
	s=${s#"${s%%[![:space:]]*}"}
	s=${s%"${s##*[![:space:]]}"}
	printf '%s' "$s"
}

# the ctl file works: map a part and unmap it again
good="part probe $SRC/c.img length=64K"
out=$(ctl_write "$good")
assert_eq "ok ${#good}" "$out" "good command '$good'"
assert_size "$MNT/probe" $((64 * KiB))
out=$(ctl_write "unmap probe")
assert_eq "ok 11" "$out" "good command 'unmap probe'"
[ ! -e "$MNT/probe" ] || fail "probe still listed after unmap"
snapshot >"$T/before"

failures=()
case_no=0
while IFS= read -r line; do
	case $line in
	'#'* | '') continue ;;
	esac
	case_no=$((case_no + 1))
	IFS='|' read -r name command errno expect setup <<<"$line"
	name=$(trim "$name")
	command=$(expand "$(trim "$command")")
	errno=$(trim "$errno")
	setup=$(trim "$setup")
	problems=()

	[ "$setup" = open ] && exec 9<"$MNT/a"
	# held: another process holds the lock on c.img (as a second mount
	# would); flock(1) locks the shell's own descriptor 8
	[ "$setup" = held ] && exec 8<"$SRC/c.img" && flock -n 8
	out=$(ctl_write "$command")
	[ "$setup" = open ] && exec 9<&-
	[ "$setup" = held ] && exec 8<&-
	[ "$out" = "$errno" ] || problems+=("write gave '$out', expected $errno")
	is_running "$DAEMON_PID" || {
		echo "FAIL $case_no $name: the daemon died" >&2
		fail "daemon died on ctl case $name"
	}
	last=$(grep '^last_error:' "$MNT/.pmemset/status")
	IFS=';' read -r -a subs <<<"$expect"
	for sub in "${subs[@]}"; do
		sub=$(expand "$(trim "$sub")")
		[ -z "$sub" ] || grep -qiF -- "$sub" <<<"$last" ||
			problems+=("last_error lacks '$sub': '${last:0:300}'")
	done
	# the reason after "ctl 'COMMAND': " must say each thing once
	twice=$(said_twice "x: ${last#*"': "}")
	[ -z "$twice" ] || problems+=("last_error says '$twice' twice: '${last:0:300}'")
	snapshot >"$T/after"
	cmp -s "$T/before" "$T/after" ||
		problems+=("the set or a source changed: $(diff "$T/before" \
			"$T/after" | grep '^[<>]' | tr '\n' ' ' | head -c 400)")
	if [ ${#problems[@]} -eq 0 ]; then
		echo "ok   $case_no $name: $errno; ${last:0:160}"
	else
		for p in "${problems[@]}"; do
			echo "FAIL $case_no $name: $p"
			failures+=("$name: $p")
		done
	fi
done <"$cases_file"

# and it still works afterwards
out=$(ctl_write "unmap b")
assert_eq "ok 7" "$out" "good command 'unmap b' after the table"
[ ! -e "$MNT/b" ] || fail "b still listed after unmap"
unmount_set
assert_sources_match_model

if [ ${#failures[@]} -ne 0 ]; then
	echo "bad_ctl: ${#failures[@]} failure(s) in $case_no cases:"
	printf '  %s\n' "${failures[@]}"
	exit 1
fi
echo "PASS bad_ctl: $case_no bad ctl commands tried: each failed with its" \
	"errno and reason, the set and the sources unchanged"
