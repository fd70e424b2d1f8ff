#!/usr/bin/env bash
# -o uid=N,gid=N,umask=NNN (as sshfs, bindfs and squashfuse offer): part
# files show owner N:N and mode 0666 & ~umask instead of their source's;
# map files show the same owner and stay 0600; the directories, status and
# ctl stay the mounting user's (ctl runs commands with the daemon's rights,
# so it is never handed to someone else). The kernel enforces what is
# shown. -o fsname= replaces the set file as the "device" in mountinfo and
# df. Bad values are refused with the valid ones named, nothing mounted.
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
chmod 4755 "$SRC/one.img"
cat >"$T/set" <<SET
part a $SRC/one.img
SET

note "-o uid=4321,gid=8765,umask=027,fsname=my-pmem,allow_other"
mount_set "$T/set" -o uid=4321,gid=8765,umask=027,fsname=my-pmem,allow_other
assert_eq "4321 8765 640" "$(stat -c '%u %g %a' "$MNT/a")" "owner and mode of a part"
assert_eq "4321 8765 600" "$(stat -c '%u %g %a' "$MNT/.pmemset/maps/0")" "owner and mode of a map file"
assert_eq "0 0" "$(stat -c "%u %g" "$MNT/.pmemset/ctl")" "owner of ctl"
assert_eq "0 0 755" "$(stat -c '%u %g %a' "$MNT")" "owner and mode of the root"
assert_eq "my-pmem" "$(awk -v m="$MNT" '$5 == m { print $(NF - 1) }' /proc/self/mountinfo)" "the mount's source in mountinfo"
assert_eq "my-pmem" "$(df --output=source "$MNT" | tail -n 1 | tr -d ' ')" "df's file system column"
# the kernel checks the shown owner and mode (default_permissions)
chmod 0711 "$T"
setpriv --reuid=4321 --regid=8765 --clear-groups cat "$MNT/a" >"$T/as_owner" ||
	fail "the shown owner (uid 4321) cannot read the part"
assert_same "$T/as_owner" "$MODEL/one.img"
if setpriv --reuid=4322 --regid=4322 --clear-groups cat "$MNT/a" \
	>/dev/null 2>&1; then
	fail "another user could read a part shown as mode 0640"
fi
part_matches_model a one.img 0 "$MiB"
unmount_set

note "umask alone keeps the source's owner; set-ID bits never show"
mount_set "$T/set" -o umask=0
assert_eq "0 0 666" "$(stat -c '%u %g %a' "$MNT/a")" "owner and mode with umask=0"
unmount_set

note "without the options, the source's owner and mode; fsname is the set file"
mount_set "$T/set"
assert_eq "0 0 4755" "$(stat -c '%u %g %a' "$MNT/a")" "owner and mode of a part"
assert_eq "$T/set" "$(awk -v m="$MNT" '$5 == m { print $(NF - 1) }' /proc/self/mountinfo)" "the default fsname"
unmount_set

note "bad values name the valid ones"
for bad in "uid=abc:a numeric user ID" "uid=-1:a numeric user ID" \
	"uid=4294967295:a numeric user ID" "gid=:a numeric group ID" \
	"umask=8:an octal mask" "umask=01000:an octal mask" \
	"persist=sync:expected write or fsync" \
	"coalescing=some:expected none, opportunistic or full" \
	"granularity=bit:expected page, cacheline or byte" \
	"cache=never:expected page or direct" \
	"reservation=lots:expected a size"; do
	opt=${bad%%:*}
	want=${bad#*:}
	if "$DAEMON" -f -o "$opt" "$T/set" "$MNT" 2>"$T/err"; then
		fail "-o $opt mounted"
	fi
	grep -qF "bad option $opt: " "$T/err" || fail "-o $opt: $(cat "$T/err")"
	grep -qF "$want" "$T/err" || fail "-o $opt does not say '$want': $(cat "$T/err")"
	if is_mounted "$MNT"; then fail "-o $opt left a mount"; fi
done
