#!/usr/bin/env bash
# Mount points that would make the daemon wait on itself or hide what it
# maps are refused before anything is mounted: /proc/self (the daemon used
# to mount over its own /proc/PID, read /proc/self/mountinfo through that
# mount and hang in D state), the root of a proc or sysfs mount, a source's
# directory (also through a symlink), the set file's directory and a
# temporary part's directory. Each: exit 1, one clear line, nothing
# mounted, sources unchanged. A normal mount still works afterwards.
#
# A failure here hangs a daemon in the kernel, so every attempt runs under
# its own watchdog that lazily unmounts whatever it mounted and kills it.
. "$(dirname "$0")/lib.sh"

make_source a.img $((1 * MiB))
mkdir -p "$T/tmpdir" "$T/setdir" "$T/pseudo/proc" "$T/pseudo/sys"
cat >"$T/set" <<SET
part a $SRC/a.img length=64K
SET

# A private proc and sysfs inside $T: the real ones are never mounted over.
mount -t proc proc "$T/pseudo/proc" || fail "cannot mount a proc instance"
CLEANUP_CMDS+=("umount -l '$T/pseudo/proc' 2>/dev/null")
mount -t sysfs sysfs "$T/pseudo/sys" || fail "cannot mount a sysfs instance"
CLEANUP_CMDS+=("umount -l '$T/pseudo/sys' 2>/dev/null")

# unhang PID: undo whatever a daemon that should have refused did mount
# (found through our own mountinfo, never through its /proc/PID), and kill
# it; a daemon stuck in a FUSE request dies of SIGKILL.
unhang()
{
	local pid=$1 m
	for m in $(awk -v p="/proc/$pid" '$5 == p || index($5, p "/") == 1 {
		print $5 }' /proc/self/mountinfo); do
		umount -l "$m" 2>/dev/null
	done
	kill -9 "$pid" 2>/dev/null || true
}

# Mounts this test could make (other tests may mount elsewhere meanwhile).
our_mounts()
{
	awk -v t="$T/" 'index($5, t) == 1 || index($5, "/proc/") == 1 ||
		$5 == "/proc" { print $5 }' /proc/self/mountinfo | sort
}

# expect_refused NAME MOUNTPOINT SETFILE REGEX: the daemon exits non-zero
# within 20 s with one line matching REGEX, and mounts nothing. Its end is
# seen through a file its wrapper writes, not through /proc/PID: that may
# be the hung mount itself.
expect_refused()
{
	local name=$1 mnt=$2 setfile=$3 regex=$4 rc i msg waiter
	note "$name: $mnt"
	sha_tree "$SRC" >"$T/before"
	our_mounts >"$T/mounts-before"
	rm -f "$T/rc" "$T/pid"
	(
		trap - ERR
		bash -c 'echo $$ >"$0"; exec "$@"' "$T/pid" \
			"$DAEMON" -f "$setfile" "$mnt" </dev/null \
			>"$T/out" 2>"$T/err" && rc=0 || rc=$?
		echo "$rc" >"$T/rc"
	) &
	waiter=$!
	for ((i = 0; i < 400; i++)); do
		[ -s "$T/rc" ] && break
		sleep 0.05
	done
	if [ ! -s "$T/rc" ]; then
		unhang "$(cat "$T/pid")"
		wait "$waiter"
		fail "$name: daemon still running after 20 s (unhung it)"
	fi
	wait "$waiter"
	rc=$(cat "$T/rc")
	[ "$rc" = 1 ] || fail "$name: exit status $rc, not 1: $(cat "$T/err")"
	msg=$(grep -v '^$' "$T/err")
	[ "$(wc -l <<<"$msg")" = 1 ] || fail "$name: not one line: $msg"
	grep -qE -- "$regex" <<<"$msg" ||
		fail "$name: message lacks /$regex/: $msg"
	our_mounts >"$T/mounts-after"
	diff "$T/mounts-before" "$T/mounts-after" >&2 ||
		fail "$name: the mount table changed (diff above)"
	sha_tree "$SRC" >"$T/after"
	diff "$T/before" "$T/after" >&2 || fail "$name: sources changed"
	echo "    $msg"
}

expect_refused "own /proc/PID" /proc/self "$T/set" \
	"mount point /proc/[0-9]+: is on the kernel's proc file system"
expect_refused "root of a proc mount" "$T/pseudo/proc" "$T/set" \
	"proc file system \(a pseudo file system\)"
expect_refused "a directory in sysfs" "$T/pseudo/sys/kernel" "$T/set" \
	"sysfs file system"
expect_refused "the sources' directory" "$SRC" "$T/set" \
	"would hide $SRC/a.img of part a"
ln -s "$SRC" "$T/srclink"
cat >"$T/set-link" <<SET
part a $T/srclink/a.img length=64K
SET
expect_refused "the sources' directory through a symlink" "$SRC" \
	"$T/set-link" "would hide $T/srclink/a.img of part a"
expect_refused "a directory above the sources" "$T" "$T/set" \
	"would hide"
cat >"$T/setdir/set" <<SET
part a $SRC/a.img length=64K
SET
expect_refused "the set file's directory" "$T/setdir" "$T/setdir/set" \
	"would hide the set file $T/setdir/set"
mkdir "$T/setdir/tmp"
cat >"$T/set-temp" <<SET
part a $SRC/a.img length=64K
part scratch temporary=$T/setdir/tmp length=64K
SET
expect_refused "a temporary part's directory" "$T/setdir" "$T/set-temp" \
	"would hide $T/setdir/tmp of part scratch"

note "a plain mount point still works, in both cache modes"
for cache in direct page; do
	mount_set "$T/set" -o cache=$cache
	part_matches_model a a.img 0 $((64 * KiB))
	grep -q "^part a: " "$MNT/.pmemset/status" ||
		fail "status lacks part a: $(cat "$MNT/.pmemset/status")"
	unmount_set
done
