#!/usr/bin/env bash
# bad_input.sh -- runs every case of a bad-input table (cases.txt) against
# pmemsetfs: a bad set file, option or command line must give a clear
# message (case-specific substrings of stderr), a non-zero exit (not a crash
# or a hang) and say each thing once, mount nothing, leave no daemon
# behind, and leave every source file byte-for-byte as it was (a file made
# by `create` removed again, a file grown by `truncate` back to its size,
# no temporary file left).
#
# Usage: bad_input.sh PMEMSETFS [CASES_FILE]
# Runs all cases, prints one line per case, and exits non-zero if any failed.
# Rows needing an unprivileged user print SKIP when none can be created.
if [ $# -lt 1 ]; then
	echo "usage: bad_input.sh PMEMSETFS [CASES_FILE]" >&2
	exit 2
fi
cases_file=$(realpath "${2:-$(dirname "$0")/cases.txt}")
# lib.sh gives $T, $SRC, $MNT, sha_tree, is_mounted, daemons_for and the
# exit trap that unmounts and removes $T; it wants a helper dir we don't use.
TEST_DEADLINE=${TEST_DEADLINE:-500}
. "$(dirname "$0")/../fs/lib.sh" "$1" "$(dirname "$0")"
trap - ERR
set +e
. "$(dirname "$0")/said_twice.sh"

test_user=pmemset-badinput
tmpdir=$T/tmpdir
user_dir=$T/user
mkdir -p "$tmpdir" "$SRC/subdir" "$T/mnt2" "$T/proc"
mkfifo "$T/fifo"
# a proc instance of our own, to mount over without hiding the real /proc
mount -t proc proc "$T/proc" &&
	CLEANUP_CMDS+=("umount -l '$T/proc' 2>/dev/null")
{
	printf 'part a %s\n' "$SRC/a.img"
	for ((i = 0; i < 32768; i++)); do
		printf '# %061d\n' "$i"
	done
} >"$T/big.set"
head -c $MiB /dev/urandom >"$SRC/a.img"
head -c $MiB /dev/urandom >"$SRC/b.img"
head -c 4096 /dev/urandom >"$SRC/small.img"
head -c $((64 * KiB)) /dev/urandom >"$SRC/secret.img"
chmod 0600 "$SRC/secret.img"
printf 'part a %s\npart b %s\n' "$SRC/a.img" "$SRC/b.img" >"$T/good.set"
name256=$(printf 'n%.0s' {1..256})
longword=$(printf 'x%.0s' {1..100000})

# An unprivileged user for the rows that need one; it must reach $SRC and
# its own directory with the set file and the mount point.
have_user=0
if id "$test_user" >/dev/null 2>&1; then
	have_user=1
elif useradd --system --no-create-home --shell /usr/sbin/nologin \
	"$test_user" >/dev/null 2>&1; then
	have_user=1
	# a user the test made does not outlive it (lib.sh runs this after
	# unmounting)
	CLEANUP_CMDS+=("userdel $test_user 2>/dev/null")
fi
if [ $have_user = 1 ]; then
	chmod 0711 "$T"
	chmod 0755 "$SRC"
	mkdir -p "$user_dir/mnt"
	chown -R "$test_user:" "$user_dir"
fi

expand() {
	local s=$1
	s=${s//@SRC@/$SRC}
	s=${s//@TMP@/$tmpdir}
	s=${s//@SET@/$case_set}
	s=${s//@MNT@/$case_mnt}
	s=${s//@NAME256@/$name256}
	s=${s//@LONGWORD@/$longword}
	s=${s//@T@/$T}
	printf '%s' "$s"
}

trim() {
	local s=$1
	s=${s#"${s%%[![:space:]]*}"}
	s=${s%"${s##*[![:space:]]}"}
	printf '%s' "$s"
}

# FUSE mounts under $T (the proc instance below is not the daemon's)
mounts_under_t() {
	awk -v t="$T/" 'index($5, t) == 1 {
		for (i = 7; i < NF; i++) if ($i == "-") break
		if ($(i + 1) ~ /^fuse/) print $5 }' /proc/self/mountinfo |
		sort
}

failures=()
case_failed() {
	echo "FAIL $case_no $name: $*"
	failures+=("$name: $*")
}

# Pids of processes (other than this shell) with an argument holding $1;
# bash builtins only, since lib.sh's daemons_for runs two processes per pid
# of the machine, too slow to run twice for each of 70 cases.
daemon_pids() {
	local dir arg
	local -a args
	for dir in /proc/[0-9]*; do
		[ "${dir#/proc/}" != $$ ] || continue
		mapfile -d '' args 2>/dev/null <"$dir/cmdline" || continue
		for arg in "${args[@]}"; do
			if [[ $arg == *"$1"* ]]; then
				echo "${dir#/proc/}"
				break
			fi
		done
	done
}

no_daemon() {
	[ -z "$(daemon_pids "$1")" ]
}

# Unmounts whatever a case left mounted so the next case starts clean.
clean_mounts() {
	local m p
	for m in $(mounts_under_t); do
		fusermount3 -u "$m" 2>/dev/null || fusermount3 -u -z "$m"
	done
	for p in $(daemon_pids "$T/"); do
		wait_until 10 not_running "$p" || kill -9 "$p"
	done
}

run_case() {
	local args_field=$1 content=$2 expect=$3 setup=$4
	local -a args prefix=()
	local rc sub msg
	case_set=$T/case$case_no.set
	case_mnt=$MNT
	if [ "$setup" = nonroot ]; then
		if [ $have_user = 0 ]; then
			echo "SKIP $case_no $name: no unprivileged user" \
				"(useradd unavailable)"
			skipped=$((skipped + 1))
			return
		fi
		case_set=$user_dir/case$case_no.set
		case_mnt=$user_dir/mnt
		prefix=(setpriv --reuid="$test_user" --regid="$test_user"
			--clear-groups --)
	fi
	if [ "$content" = GOOD ]; then
		cp "$T/good.set" "$case_set"
	else
		printf '%b' "$(expand "$content")" >"$case_set"
	fi
	[ "$setup" = nonroot ] && chown "$test_user:" "$case_set"
	if [ "$setup" = mounted ]; then
		"$DAEMON" "$T/good.set" "$case_mnt" </dev/null \
			>>"$T/daemon.log" 2>&1 ||
			{ case_failed "could not mount the good set first"; return; }
	fi
	read -r -a args <<<"$(expand "$args_field")"

	sha_tree "$SRC" >"$T/before"
	mounts_under_t >"$T/mounts-before"
	"${prefix[@]}" timeout 30 "$DAEMON" "${args[@]}" </dev/null \
		>"$T/out" 2>"$T/err"
	rc=$?
	msg=$(grep -v '^$' "$T/err" | head -n 1)

	if [ $rc -eq 0 ]; then
		case_failed "exit status 0 (stderr: '$msg')"
	elif [ $rc -eq 124 ]; then
		case_failed "still running after 30 s"
	elif [ $rc -ge 128 ]; then
		case_failed "killed by signal $((rc - 128)): $(head -c 2000 "$T/err")"
	fi
	IFS=';' read -r -a subs <<<"$expect"
	for sub in "${subs[@]}"; do
		sub=$(expand "$(trim "$sub")")
		grep -qiF -- "$sub" "$T/err" ||
			case_failed "stderr lacks '$sub': '$(head -c 300 "$T/err")'"
	done
	local twice
	twice=$(said_twice "$msg")
	[ -z "$twice" ] || case_failed "the message says '$twice' twice: '$msg'"
	wait_until 5 no_daemon "$case_set" ||
		case_failed "a daemon still runs: $(daemon_pids "$case_set")"
	mounts_under_t >"$T/mounts-after"
	cmp -s "$T/mounts-before" "$T/mounts-after" ||
		case_failed "mounts changed: $(diff "$T/mounts-before" \
			"$T/mounts-after" | grep '^[<>]' | tr '\n' ' ')"
	sha_tree "$SRC" >"$T/after"
	cmp -s "$T/before" "$T/after" ||
		case_failed "source files changed: $(diff "$T/before" \
			"$T/after" | grep '^[<>]' | tr '\n' ' ')"
	[ -z "$(ls -A "$tmpdir")" ] ||
		case_failed "left in the temporary dir: $(ls -A "$tmpdir")"
	clean_mounts
	[ ${#failures[@]} -eq "$failed_before" ] &&
		echo "ok   $case_no $name (exit $rc): $msg"
}

case_no=0 skipped=0
while IFS= read -r line; do
	case $line in
	'#'* | '') continue ;;
	esac
	case_no=$((case_no + 1))
	IFS='|' read -r name args_field content expect setup <<<"$line"
	name=$(trim "$name")
	failed_before=${#failures[@]}
	run_case "$(trim "$args_field")" "$(trim "$content")" \
		"$(trim "$expect")" "$(trim "$setup")"
done <"$cases_file"

tried=$((case_no - skipped))
pending=$(grep -c '^#PENDING' "$cases_file" || true)
if [ ${#failures[@]} -ne 0 ]; then
	echo "bad_input: ${#failures[@]} failure(s) in $tried cases tried:"
	printf '  %s\n' "${failures[@]}"
	exit 1
fi
[ $case_no -ge 30 ] || fail "only $case_no cases in $cases_file"
echo "PASS bad_input: $tried bad inputs tried ($skipped skipped," \
	"$pending pending on known daemon bugs):" \
	"each refused with its message, non-zero exit, nothing mounted," \
	"sources unchanged"
