#!/usr/bin/env bash
# Small things users notice: --help lists each option once; -V also prints
# the libfuse version (as sshfs does); status and status.json say whether
# the mount is read-only; -o uid= and gid= take names as well as numbers.
. "$(dirname "$0")/lib.sh"

"$DAEMON" --help >"$T/help"
for opt in -s -f -d; do
	n=$(grep -cE "^ +$opt( |,)" "$T/help" || true)
	[ "$n" -le 1 ] || fail "--help lists $opt $n times"
done
grep -cE "^ +-s " "$T/help" | grep -qx 1 || fail "--help does not list -s"
"$DAEMON" -V >"$T/version"
grep -q "^pmemsetfs version" "$T/version" || fail "-V: $(cat "$T/version")"
grep -qiE "libfuse.*version 3\.[0-9]+|FUSE library version 3\.[0-9]+" "$T/version" ||
	fail "-V does not print the libfuse version: $(cat "$T/version")"

make_source a.img $MiB
cat >"$T/set" <<SET
part a $SRC/a.img
SET
mount_set "$T/set" -o ro
assert_eq yes "$(sed -n 's/^read_only: //p' "$MNT/.pmemset/status")" "status read_only on -o ro"
assert_eq true "$(jq .read_only "$MNT/.pmemset/status.json")" "status.json read_only on -o ro"
unmount_set

getent passwd daemon >/dev/null || fail "no user 'daemon' on this machine"
uid=$(id -u daemon) gid=$(getent group daemon | cut -d: -f3)
mount_set "$T/set" -o uid=daemon,gid=daemon
assert_eq "$uid:$gid" "$(stat -c %u:%g "$MNT/a")" "owner with -o uid=daemon,gid=daemon"
assert_eq no "$(sed -n 's/^read_only: //p' "$MNT/.pmemset/status")" "status read_only"
unmount_set

mkdir -p "$T/mnt2"
rc=0
"$DAEMON" -f -o uid=no-such-user-here "$T/set" "$T/mnt2" 2>"$T/err" || rc=$?
assert_eq 1 "$rc" "exit status for an unknown user"
grep -q "no-such-user-here" "$T/err" || fail "unknown user: $(cat "$T/err")"
