#!/usr/bin/env bash
# `pmemsetfs ctl MNT COMMAND...` as a shell script uses it, under bash and
# under dash (sh -c): success prints nothing and exits 0; each kind of
# failure exits with its own status (2 usage, 3 EINVAL, 4 ENOENT, 5 EEXIST,
# 6 ENOSPC, 7 EBUSY, 8 EACCES, 9 not a pmemsetfs mount) and prints the
# daemon's exact reason, the one status shows as last_error, on stderr.
. "$(dirname "$0")/lib.sh"

make_source a.img $((1 * MiB))
make_source b.img $((1 * MiB))
make_source c.img $((1 * MiB))
make_source big.img $((4 * MiB))
cat >"$T/set" <<SET
reservation 4M
part a $SRC/a.img
part b $SRC/b.img
SET
mount_set "$T/set"

SHELLS=(bash sh)
command -v dash >/dev/null && [ "$(readlink -f /bin/sh)" != "$(command -v dash)" ] &&
	SHELLS+=(dash)

# client SHELL ARG...: runs `pmemsetfs ctl ARG...` through SHELL -c; sets
# RC, OUT and ERR (its exit status, stdout and stderr).
client()
{
	local shell=$1
	shift
	"$shell" -c '"$@" >"$CLIENT_OUT" 2>"$CLIENT_ERR"; echo $? >"$CLIENT_RC"' \
		sh "$DAEMON" ctl "$@"
	RC=$(cat "$CLIENT_RC")
	OUT=$(cat "$CLIENT_OUT")
	ERR=$(cat "$CLIENT_ERR")
}
export CLIENT_OUT=$T/client.out CLIENT_ERR=$T/client.err CLIENT_RC=$T/client.rc

# last_error without its time: what the client must have printed
last_error_reason()
{
	sed -n 's/^last_error: [^ ]* //p' "$MNT/.pmemset/status"
}

# expect_failure SHELL RC REASON_REGEX COMMAND...
expect_failure()
{
	local shell=$1 rc=$2 regex=$3
	shift 3
	note "$shell: $* -> exit $rc"
	client "$shell" "$MNT" "$@"
	assert_eq "$rc" "$RC" "exit status of '$*' in $shell"
	assert_eq "" "$OUT" "stdout of '$*' in $shell"
	assert_eq "pmemsetfs: $(last_error_reason)" "$ERR" \
		"stderr of '$*' in $shell (the daemon's reason)"
	grep -qE -- "$regex" <<<"$ERR" ||
		fail "'$*' in $shell: reason does not match /$regex/: $ERR"
	grep -qF -- "ctl '$*'" <<<"$ERR" ||
		fail "'$*' in $shell: reason does not name the command: $ERR"
	echo "    $ERR"
}

for sh in "${SHELLS[@]}"; do
	note "$sh: a good command is silent"
	client "$sh" "$MNT" part "c$sh" "$SRC/c.img" length=64K
	assert_eq 0 "$RC" "exit status of a good command in $sh"
	assert_eq "" "$OUT$ERR" "output of a good command in $sh"
	assert_size "$MNT/c$sh" $((64 * KiB))
	client "$sh" "$MNT" unmap "c$sh"
	assert_eq 0 "$RC" "exit status of unmap in $sh"
	assert_eq "" "$OUT$ERR" "output of unmap in $sh"
	[ ! -e "$MNT/c$sh" ] || fail "c$sh still there after unmap"

	expect_failure "$sh" 3 "unknown command" frobnicate 1 2
	expect_failure "$sh" 3 "usage: coalescing" coalescing sometimes
	expect_failure "$sh" 3 "directory" part x "$SRC"
	expect_failure "$sh" 4 "no part named 'nosuch'" unmap nosuch
	expect_failure "$sh" 4 "missing.img" part x "$SRC/missing.img" length=4K
	expect_failure "$sh" 5 "duplicate name" part a "$SRC/c.img" length=4K
	expect_failure "$sh" 6 "reservation" part x "$SRC/big.img" length=4M
	exec 3<"$MNT/a"
	expect_failure "$sh" 7 "part a is open" unmap a
	exec 3<&-

	note "$sh: usage -> exit 2"
	client "$sh"
	assert_eq 2 "$RC" "exit status without arguments in $sh"
	grep -q "usage: pmemsetfs ctl MOUNTPOINT COMMAND" <<<"$ERR" ||
		fail "no usage on stderr in $sh: $ERR"
	client "$sh" "$MNT"
	assert_eq 2 "$RC" "exit status without a command in $sh"

	note "$sh: not a pmemsetfs mount -> exit 9"
	client "$sh" "$T" unmap a
	assert_eq 9 "$RC" "exit status for a plain directory in $sh"
	assert_eq "pmemsetfs ctl: $T is not a pmemsetfs mount ($T/.pmemset/ctl: No such file or directory)" \
		"$ERR" "stderr for a plain directory in $sh"
	client "$sh" "$T/no-such-dir" unmap a
	assert_eq 9 "$RC" "exit status for a missing directory in $sh"

	note "$sh: another user (no allow_other) -> exit 8"
	chmod 755 "$T" # nobody may reach the mount point, not use it
	RC=0
	env ASAN_OPTIONS=detect_leaks=0 setpriv --reuid=nobody \
		--regid="$(id -g nobody)" --clear-groups -- \
		"$sh" -c '"$@"' sh "$DAEMON" ctl "$MNT" unmap a \
		>"$T/nobody.out" 2>"$T/nobody.err" || RC=$?
	chmod 700 "$T"
	assert_eq 8 "$RC" "exit status for a user who may not use ctl in $sh"
	grep -q "Permission denied" "$T/nobody.err" ||
		fail "no 'Permission denied' for nobody in $sh: $(cat "$T/nobody.err")"
done

note "every refused command left the set as it was"
assert_eq "a b" "$(ls_line "$MNT")" "ls after the refused commands"
unmount_set
assert_sources_match_model
