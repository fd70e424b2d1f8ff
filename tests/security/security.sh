#!/usr/bin/env bash
# Security test: who may do what on a mounted set.
#   security.sh PMEMSETFS FSPROBE_DIR SECPROBE
# Creates two unprivileged users (A mounts, B is someone else; removed
# again on exit) and checks, with secprobe run as each of them:
#  1. root's mount with allow_other: each part file keeps its source's mode,
#     owner and group, and the kernel enforces them (default_permissions);
#     .pmemset/ctl is 0600 of the mounting user; others cannot unlink parts,
#     open map files, read xattrs of parts they cannot read, or chmod.
#  2. root's mount without allow_other: other users get EACCES on anything.
#  3. A's own mount (through setuid fusermount3): B gets EACCES; the ctl
#     file maps nothing A could not open itself (/root/..., root's files,
#     read-only files, create in root's directories, temporary in /root,
#     a symlink to a secret): EACCES, set unchanged, nothing mapped.
#  4. A's mount with allow_other (user_allow_other is put in /etc/fuse.conf
#     for the test and the file restored after): B is bound by the part
#     files' modes, cannot use ctl or rm; even root's ctl commands run with
#     A's rights.
# Every check prints what it checked and what it got.
TEST_DEADLINE=${TEST_DEADLINE:-240}
. "$(dirname "$0")/../fs/lib.sh" "$1" "$2"
SECPROBE=$(realpath "$3")

for tool in useradd userdel setpriv fusermount3; do
	command -v "$tool" >/dev/null || {
		echo "SKIP: security: $tool is missing" >&2
		exit 77
	}
done

UA=pmsa$$
UB=pmsb$$
ROOT_SECRET=/root/pmemsetfs-secret.$$
ROOT_NEW=/root/pmemsetfs-new.$$
FUSE_CONF_BACKUP=
DEV_FUSE_MODE=
CHECKS=0

# Processes of the test users write sanitizer reports here ($T's own
# log_path is root's).
USAN=$T/user-sanitizer
mkdir -m 1777 "$USAN"
USER_ASAN_OPTIONS=${ASAN_OPTIONS//"$T/sanitizer"/"$USAN/report"}
USER_UBSAN_OPTIONS=${UBSAN_OPTIONS//"$T/sanitizer"/"$USAN/report"}

security_cleanup()
{
	local rc=$? m p u
	trap - ERR
	set +e
	# the users' daemons must be gone before the users are
	for m in $(awk -v t="$T/" 'index($5, t) == 1 { print $5 }' \
		/proc/self/mountinfo); do
		fusermount3 -u "$m" 2>/dev/null || umount -l "$m"
	done
	for p in $(daemons_for "$T/"); do
		wait_until 10 not_running "$p" || kill -9 "$p" 2>/dev/null
	done
	for u in "$UA" "$UB"; do
		id "$u" >/dev/null 2>&1 && userdel "$u"
	done
	if [ -n "$FUSE_CONF_BACKUP" ]; then
		cat "$FUSE_CONF_BACKUP" >/etc/fuse.conf
		rm -f "$FUSE_CONF_BACKUP"
	fi
	[ -n "$DEV_FUSE_MODE" ] && chmod "$DEV_FUSE_MODE" /dev/fuse
	rm -f "$ROOT_SECRET" "$ROOT_NEW"
	if compgen -G "$USAN/report*" >/dev/null; then
		echo "FAIL: $TEST_NAME: sanitizer report of a user process:" >&2
		cat "$USAN"/report* >&2
		rc=1
	fi
	return $rc
}
trap 'security_cleanup; cleanup' EXIT

# as USER COMMAND...: runs COMMAND with USER's uid, gid and groups.
as()
{
	local user=$1
	shift
	env ASAN_OPTIONS="$USER_ASAN_OPTIONS" \
		UBSAN_OPTIONS="$USER_UBSAN_OPTIONS" \
		setpriv --reuid="$user" --regid="$(id -g "$user")" \
		--init-groups -- "$@"
}

# check WHAT EXPECTED ACTUAL
check()
{
	CHECKS=$((CHECKS + 1))
	set -- "${1//$'\n'/\\n}" "$2" "$3"
	[ "$2" = "$3" ] || fail "check $CHECKS: $1: expected '$2', got '$3'"
	echo "ok $CHECKS: $1: $3"
}

# probe USER EXPECTED OP PATH [ARG]: secprobe OP as USER gives EXPECTED.
probe()
{
	local user=$1 expected=$2 out
	shift 2
	out=$(as "$user" "$SECPROBE" "$@") || true
	check "$user: $*" "$expected" "$out"
}

# probe_root EXPECTED OP PATH [ARG]: the same as root.
probe_root()
{
	local expected=$1 out
	shift
	out=$("$SECPROBE" "$@") || true
	check "root: $*" "$expected" "$out"
}

# same_bytes FILE: whether stdin holds exactly the bytes of FILE.
same_bytes()
{
	cmp -s - "$1" && echo identical || echo differs
}

# fingerprint PATH: its mode, owner, size and contents' hash, or "absent".
fingerprint()
{
	if [ -f "$1" ]; then
		echo "$(stat -c '%a %U %s' "$1") $(sha256sum <"$1" | cut -c1-16)"
	elif [ -e "$1" ]; then
		stat -c '%F %a %U' "$1"
	else
		echo absent
	fi
}

# owner FILE: "MODE USER GROUP" as stat shows it.
owner()
{
	stat -c '%a %U %G' "$1"
}

# super_options MNT: the file system's mount options (user_id, allow_other..)
super_options()
{
	awk -v m="$1" '$5 == m { print $NF }' /proc/self/mountinfo
}

# mount_flags MNT: the per-mount flags (rw, nosuid, nodev, ...)
mount_flags()
{
	awk -v m="$1" '$5 == m { print $6 }' /proc/self/mountinfo
}

has_flag()
{
	case ",$(mount_flags "$1")," in
	*",$2,"*) echo yes ;;
	*) echo no ;;
	esac
}

has_option()
{
	case ",$(super_options "$1")," in
	*",$2,"*) echo yes ;;
	*) echo no ;;
	esac
}

status_value()
{
	sed -n "s/^$2: //p" "$1/.pmemset/status"
}

# mount_as USER SETFILE MNT [OPTION...]: the daemon run by USER in the
# foreground (its pid is DAEMON_PID: setpriv and env exec it).
mount_as()
{
	local user=$1 setfile=$2
	MNT=$3
	shift 3
	env ASAN_OPTIONS="$USER_ASAN_OPTIONS" \
		UBSAN_OPTIONS="$USER_UBSAN_OPTIONS" \
		setpriv --reuid="$user" --regid="$(id -g "$user")" \
		--init-groups -- env --default-signal=INT "$DAEMON" -f "$@" \
		"$setfile" "$MNT" </dev/null >>"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_mounted "$MNT" "$DAEMON_PID"
}

as_nobody_can_run_daemon()
{
	setpriv --reuid=65534 --regid=65534 --clear-groups -- test -x "$DAEMON" &&
		setpriv --reuid=65534 --regid=65534 --clear-groups -- \
			test -x "$SECPROBE"
}
if ! as_nobody_can_run_daemon; then
	echo "SKIP: security: other users cannot run $DAEMON or $SECPROBE" \
		"(a directory on the way is not searchable)" >&2
	exit 77
fi
useradd -M -N -s /usr/sbin/nologin "$UA"
useradd -M -N -s /usr/sbin/nologin "$UB"
GROUP=$(id -gn "$UA")
note "users $UA (mounts) and $UB (someone else), group $GROUP"
chmod 755 "$T"

# ---------------------------------------------------------------------------
note "1. root mounts with allow_other: part files carry their sources' rights"
make_source pa600 65536
make_source pa644 65536
make_source pg660 65536
make_source pr640 65536
make_source pb400 65536
chown "$UA:$GROUP" "$SRC/pa600" "$SRC/pa644"
chmod 600 "$SRC/pa600"
chmod 644 "$SRC/pa644"
chown "root:$GROUP" "$SRC/pg660"
chmod 660 "$SRC/pg660"
chown root:root "$SRC/pr640"
chmod 640 "$SRC/pr640"
chown "$UB:$GROUP" "$SRC/pb400"
chmod 400 "$SRC/pb400"
: >"$T/set1"
for p in pa600 pa644 pg660 pr640 pb400; do
	echo "part $p $SRC/$p" >>"$T/set1"
done
mount_set "$T/set1" -o allow_other

check "mount option default_permissions" yes "$(has_option "$MNT" default_permissions)"
check "mount option allow_other" yes "$(has_option "$MNT" allow_other)"
check "mount flag nosuid (parts keep set-id bits of their sources)" yes \
	"$(has_flag "$MNT" nosuid)"
check "mount flag nodev" yes "$(has_flag "$MNT" nodev)"
for p in pa600 pa644 pg660 pr640 pb400; do
	check "mode, owner and group of part $p = its source's" \
		"$(owner "$SRC/$p")" "$(owner "$MNT/$p")"
done
check "mode and owner of .pmemset/ctl" "600 root root" \
	"$(owner "$MNT/.pmemset/ctl")"
check "mode and owner of .pmemset/maps/0" "600 root root" \
	"$(owner "$MNT/.pmemset/maps/0")"

probe "$UA" "ok 4096" read "$MNT/pa600"
probe "$UB" EACCES read "$MNT/pa600"
probe "$UB" "ok 4096" read "$MNT/pa644"
check "$UB reads the bytes of pa644's source" identical \
	"$(as "$UB" cat "$MNT/pa644" | same_bytes "$SRC/pa644")"
probe "$UB" EACCES write "$MNT/pa644" intruder
probe "$UA" "ok 5" write "$MNT/pa644" hello
echo -n hello >"$T/hello"
model_write pa644 0 "$T/hello"
probe "$UA" "ok 2" write "$MNT/pg660" ga
probe "$UB" "ok 2" write "$MNT/pg660" gb
echo -n gb >"$T/gb"
model_write pg660 0 "$T/gb"
probe "$UA" EACCES read "$MNT/pr640"
probe "$UB" EACCES read "$MNT/pr640"
probe "$UB" "ok 4096" read "$MNT/pb400"
probe "$UB" EACCES write "$MNT/pb400" owner-but-read-only
probe "$UB" EACCES read "$MNT/.pmemset/maps/0"
probe "$UB" EACCES write "$MNT/.pmemset/maps/0" via-map-file
probe "$UB" EACCES getxattr "$MNT/pa600" user.pmemset.source
probe "$UB" "ok $((${#SRC} + 6))" getxattr "$MNT/pa644" user.pmemset.source
probe "$UA" EPERM chmod "$MNT/pa600" 666
probe "$UB" EPERM chmod "$MNT/pa644" 666
check "mode of pa600 after the chmod attempts" "600" "$(stat -c %a "$MNT/pa600")"
probe "$UA" EACCES unlink "$MNT/pa600"
probe "$UB" EACCES unlink "$MNT/pa644"
probe "$UB" EACCES write "$MNT/.pmemset/ctl" "unmap pa644"
probe "$UA" EACCES write "$MNT/.pmemset/ctl" "part x $SRC/pb400"
check "parts after the refused rm and ctl" 5 "$(status_value "$MNT" parts)"
check "ls after the refused rm and ctl" "pa600 pa644 pb400 pg660 pr640" \
	"$(ls_line "$MNT")"
unmount_set
for p in pa600 pa644 pg660 pr640 pb400; do
	check "source $p holds exactly the permitted writes" identical \
		"$(same_bytes "$MODEL/$p" <"$SRC/$p")"
done

# ---------------------------------------------------------------------------
note "2. root mounts without allow_other: other users get nothing"
mount_set "$T/set1"
check "mount option allow_other" no "$(has_option "$MNT" allow_other)"
probe "$UA" EACCES stat "$MNT"
probe "$UA" EACCES list "$MNT"
probe "$UA" EACCES stat "$MNT/pa600"
probe "$UA" EACCES read "$MNT/pa600"
probe "$UB" EACCES write "$MNT/.pmemset/ctl" "unmap pa644"
probe_root "ok 8" list "$MNT"
check "parts after the other users' attempts" 5 "$(status_value "$MNT" parts)"
unmount_set

# ---------------------------------------------------------------------------
note "3. $UA mounts its own set: no allow_other, ctl maps only what $UA may open"
UADIR=$T/ua
mkdir -m 755 "$UADIR" "$T/uamnt"
head -c 65536 /dev/urandom >"$UADIR/own600"
head -c 65536 /dev/urandom >"$UADIR/own644"
head -c 65536 /dev/urandom >"$UADIR/extra"
head -c 65536 /dev/urandom >"$UADIR/setuid"
chmod 600 "$UADIR/own600" "$UADIR/extra"
chmod 644 "$UADIR/own644"
printf 'part own600 %s\npart own644 %s\n' "$UADIR/own600" "$UADIR/own644" \
	>"$UADIR/set"
chown -R "$UA:$GROUP" "$UADIR" "$T/uamnt"
chmod 4755 "$UADIR/setuid" # after chown, which clears set-id bits
# things A must not be able to map: in /root (0700), root's 0640 file,
# a root file A can read but not write, a symlink of A's to the secret
head -c 8192 /dev/urandom >"$ROOT_SECRET"
chmod 600 "$ROOT_SECRET"
make_source readonly644 8192
chmod 644 "$SRC/readonly644"
ln -s "$ROOT_SECRET" "$UADIR/link-to-secret"
chown -h "$UA:$GROUP" "$UADIR/link-to-secret"

if ! grep -qx 'user_allow_other' /etc/fuse.conf 2>/dev/null; then
	rc=0
	as "$UA" "$DAEMON" -o allow_other "$UADIR/set" "$T/uamnt" \
		>>"$T/daemon.log" 2>&1 || rc=$?
	check "$UA mounting with allow_other without user_allow_other: failed" \
		yes \
		"$([ $rc -ne 0 ] && echo yes || echo "no ($rc)")"
	check "$UA's refused allow_other mount: mounted" no \
		"$(is_mounted "$T/uamnt" && echo yes || echo no)"
fi
fingerprints()
{
	local f
	for f in "$UADIR"/own* "$ROOT_SECRET" "$SRC/readonly644"; do
		echo -n "$(basename "$f"): $(fingerprint "$f"); "
	done
}
sums_before=$(fingerprints)

# Distributions make /dev/fuse 0666 (libfuse opens it before it falls back
# to fusermount3); some containers leave it 0600. Open it up for the test.
if ! as "$UA" test -r /dev/fuse -a -w /dev/fuse; then
	DEV_FUSE_MODE=$(stat -c %a /dev/fuse)
	note "/dev/fuse is $DEV_FUSE_MODE; 666 (the usual mode) until the test ends"
	chmod 666 /dev/fuse
fi
mount_as "$UA" "$UADIR/set" "$T/uamnt"
UA_UID=$(id -u "$UA")
check "$UA's mount: user_id" "user_id=$UA_UID" \
	"$(super_options "$MNT" | tr ',' '\n' | grep '^user_id=')"
check "$UA's mount option default_permissions" yes "$(has_option "$MNT" default_permissions)"
check "$UA's mount option allow_other" no "$(has_option "$MNT" allow_other)"
check "$UA's mount flags nosuid and nodev" "yes yes" \
	"$(has_flag "$MNT" nosuid) $(has_flag "$MNT" nodev)"
probe "$UA" "ok 4096" read "$MNT/own600"
probe "$UB" EACCES stat "$MNT"
probe "$UB" EACCES list "$MNT"
probe "$UB" EACCES read "$MNT/own644"
if [ "$(cat /sys/module/fuse/parameters/allow_sys_admin_access 2>/dev/null)" != Y ]; then
	probe_root EACCES stat "$MNT"
fi
check "mode and owner of .pmemset/ctl in $UA's mount" "600 $UA $GROUP" \
	"$(as "$UA" stat -c '%a %U %G' "$MNT/.pmemset/ctl")"

# ctl_refused WHAT COMMAND TARGET: the command fails with EACCES, and the
# set, the mappings and the target are as before.
ctl_refused()
{
	local what=$1 cmd=$2 target=$3 before after
	before=$(fingerprint "$target")
	probe "$UA" EACCES write "$MNT/.pmemset/ctl" "$cmd"$'\n'
	check "$what: parts in status" 2 "$(as "$UA" cat "$MNT/.pmemset/status" | sed -n 's/^parts: //p')"
	check "$what: ls of the mount" "own600 own644" "$(as "$UA" ls "$MNT" | tr '\n' ' ' | sed 's/ $//')"
	check "$what: daemon mappings of $target" 0 \
		"$(grep -cF "$target" "/proc/$DAEMON_PID/maps" || true)"
	after=$(fingerprint "$target")
	check "$what: $target unchanged (or still absent)" "$before" "$after"
	check "$what: last_error names the command" yes \
		"$(as "$UA" grep -qF "ctl '$cmd'" "$MNT/.pmemset/status" && echo yes || echo no)"
}

ctl_refused "a file in /root" "part x $ROOT_SECRET" "$ROOT_SECRET"
ctl_refused "root's 0640 file" "part x $SRC/pr640" "$SRC/pr640"
ctl_refused "root's 0644 file ($UA may read, not write)" \
	"part x $SRC/readonly644" "$SRC/readonly644"
ctl_refused "a new file in /root (create)" \
	"part x $ROOT_NEW length=4096 create truncate" "$ROOT_NEW"
ctl_refused "a temporary part in /root" \
	"part x temporary=/root length=4096" "/root"
ctl_refused "$UA's symlink to the secret" \
	"part x $UADIR/link-to-secret" "$ROOT_SECRET"
check "$ROOT_NEW was not created" no "$([ -e "$ROOT_NEW" ] && echo yes || echo no)"

# the control: the same ctl maps a file A may open, with A's rights shown
cmd="part extra $UADIR/extra"
probe "$UA" "ok $((${#cmd} + 1))" write "$MNT/.pmemset/ctl" "$cmd"$'\n'
check "mode and owner of the part $UA mapped through ctl" "600 $UA $GROUP" \
	"$(as "$UA" stat -c '%a %U %G' "$MNT/extra")"
check "$UA reads the part it mapped" identical \
	"$(as "$UA" cat "$MNT/extra" | same_bytes "$UADIR/extra")"
cmd="part tmp temporary=$UADIR length=8192"
probe "$UA" "ok $((${#cmd} + 1))" write "$MNT/.pmemset/ctl" "$cmd"$'\n'
check "mode and owner of a temporary part $UA mapped" "600 $UA $GROUP" \
	"$(as "$UA" stat -c '%a %U %G' "$MNT/tmp")"
cmd="part setuid $UADIR/setuid"
probe "$UA" "ok $((${#cmd} + 1))" write "$MNT/.pmemset/ctl" "$cmd"$'\n'
check "mode of a part whose source is set-user-id (the mount is nosuid)" \
	"4755 $UA" "$(as "$UA" stat -c '%a %U' "$MNT/setuid")"
unmount_set

# ---------------------------------------------------------------------------
note "4. $UA mounts with allow_other: $UB is bound by the part files' modes"
if ! grep -qx 'user_allow_other' /etc/fuse.conf 2>/dev/null; then
	FUSE_CONF_BACKUP=$(mktemp)
	cat /etc/fuse.conf >"$FUSE_CONF_BACKUP" 2>/dev/null || true
	echo user_allow_other >>/etc/fuse.conf
fi
mount_as "$UA" "$UADIR/set" "$T/uamnt" -o allow_other
check "$UA's mount option allow_other" yes "$(has_option "$MNT" allow_other)"
probe "$UB" ok stat "$MNT"
probe "$UB" "ok 5" list "$MNT"
probe "$UB" EACCES read "$MNT/own600"
probe "$UB" "ok 4096" read "$MNT/own644"
probe "$UB" EACCES write "$MNT/own644" intruder
probe "$UB" EACCES read "$MNT/.pmemset/maps/0"
probe "$UB" EACCES write "$MNT/.pmemset/maps/1" intruder
probe "$UB" EACCES write "$MNT/.pmemset/ctl" "part x temporary=/tmp length=4096"
probe "$UB" EACCES write "$MNT/.pmemset/ctl" "unmap own644"
probe "$UB" EACCES unlink "$MNT/own644"
check "parts after $UB's attempts" 2 "$(status_value "$MNT" parts)"
# root may write A's ctl (it may write anything), but the command still runs
# with A's rights: the secret stays out of reach
probe_root EACCES write "$MNT/.pmemset/ctl" "part x $ROOT_SECRET"
check "parts after root's ctl attempt" 2 "$(status_value "$MNT" parts)"
unmount_set
check "$UA's sources, the secret and the read-only file after both mounts" \
	"$sums_before" "$(fingerprints)"

note "$CHECKS security checks passed"
