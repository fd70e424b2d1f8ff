#!/usr/bin/env bash
# The mount(8) paths: `mount -t fuse.pmemsetfs SETFILE MNT` (mount.fuse3
# finds pmemsetfs on PATH) and an fstab line with -o options passed through
# (read from a temporary fstab with `mount -T`, never /etc/fstab). Each time:
# the parts are there, reads match, writes reach the source, umount stops
# the daemon. mount(8) passes "suid,dev" to its helpers: the kernel mount
# must still be nosuid,nodev (part files show their sources' modes, set-ID
# bits included), as it is for a plain `pmemsetfs` command line.
. "$(dirname "$0")/lib.sh"

[ "$(basename "$DAEMON")" = pmemsetfs ] ||
	fail "the daemon must be named pmemsetfs for mount.fuse3, is $DAEMON"
# mount(8) runs mount.fuse3 without PATH, so its /bin/sh searches its own
# default path, which starts with /usr/local/sbin: the daemon under test is
# linked there for the duration of the test (an installed copy elsewhere is
# shadowed, one in /usr/local/sbin itself is left alone and we skip).
link=/usr/local/sbin/pmemsetfs
if [ -e "$link" ] && [ ! -L "$link" ]; then
	echo "SKIP: $link is a real file; not replacing it" >&2
	exit 77
fi
mkdir -p /usr/local/sbin
ln -sfn "$DAEMON" "$link"
CLEANUP_CMDS+=('[ "$(readlink "$link")" = "$DAEMON" ] && rm -f "$link"')

make_source one.img $((2 * MiB))
chmod 4755 "$SRC/one.img"
cat >"$T/set" <<SET
part a $SRC/one.img offset=1M
SET

# assert_nosuid_nodev: the kernel's flags of the mount at $MNT
assert_nosuid_nodev()
{
	local flags
	flags=$(awk -v m="$MNT" '$5 == m { print $6 }' /proc/self/mountinfo)
	case ",$flags," in
	*,nosuid,*) ;;
	*) fail "mount flags '$flags' lack nosuid" ;;
	esac
	case ",$flags," in
	*,nodev,*) ;;
	*) fail "mount flags '$flags' lack nodev" ;;
	esac
}

# use_and_unmount: read, write, umount, check the source.
use_and_unmount()
{
	find_detached_daemon
	assert_nosuid_nodev
	assert_eq a "$(ls "$MNT")" "ls of the mount"
	part_matches_model a one.img "$MiB" "$MiB"
	make_data "$T/data" 50000
	dd_write "$MNT/a" 4000 "$T/data"
	model_write one.img $((MiB + 4000)) "$T/data"
	part_matches_model a one.img "$MiB" "$MiB"
	unmount_detached umount "$MNT"
	assert_sources_match_model
}

note "mount -t fuse.pmemsetfs"
mount -t fuse.pmemsetfs "$T/set" "$MNT" 2>"$T/mount.err" ||
	fail "mount -t fuse.pmemsetfs failed: $(cat "$T/mount.err")"
wait_mounted "$MNT"
grep -q "persist.*write" "$MNT/.pmemset/status" ||
	fail "status does not show persist mode write: $(cat "$MNT/.pmemset/status")"
use_and_unmount

note "an fstab line with -o persist=fsync"
echo "$T/set $MNT fuse.pmemsetfs rw,suid,dev,persist=fsync 0 0" >"$T/fstab"
mount -T "$T/fstab" "$MNT" 2>"$T/mount.err" ||
	fail "mount -T fstab failed: $(cat "$T/mount.err")"
wait_mounted "$MNT"
grep -q "persist.*fsync" "$MNT/.pmemset/status" ||
	fail "-o persist=fsync from fstab not in status: $(cat "$MNT/.pmemset/status")"
use_and_unmount

note "the plain command line"
mount_daemonized "$T/set"
use_and_unmount
