#!/usr/bin/env bash
# Mounted with the plain user command (the daemon detaches itself): one
# regular file per part with size = part length (explicit, "rest of the
# file", temporary), mode and owner taken from the source file (temporary:
# the mounting user's, 0600), and one .pmemset/maps/N per part map.
. "$(dirname "$0")/lib.sh"

make_source a.img $((2 * MiB))
make_source b.img $((3 * MiB))
chmod 0640 "$SRC/a.img"
chown 1234:5678 "$SRC/a.img"
chmod 0604 "$SRC/b.img"
mkdir "$T/tmpdir"
cat >"$T/set" <<SET
# two file parts and a temporary one, none coalesced
coalescing none
part alpha   $SRC/a.img offset=0 length=1M
part beta    $SRC/b.img offset=1M      # no length: the rest of the file
part scratch temporary=$T/tmpdir length=512K
SET

mount_daemonized "$T/set"

note "listing"
assert_eq "alpha beta scratch" "$(ls "$MNT" | tr '\n' ' ' | sed 's/ $//')" \
	"ls of the mount"
[ -d "$MNT/.pmemset" ] || fail ".pmemset is not a directory"
[ -d "$MNT/.pmemset/maps" ] || fail ".pmemset/maps is not a directory"
[ -f "$MNT/.pmemset/status" ] || fail ".pmemset/status is not a file"
for p in alpha beta scratch; do
	[ -f "$MNT/$p" ] || fail "$p is not a regular file"
done

note "sizes"
assert_size "$MNT/alpha" $((1 * MiB))
assert_size "$MNT/beta" $((2 * MiB))
assert_size "$MNT/scratch" $((512 * KiB))

note "mode and owner"
assert_eq "640 1234 5678" "$(stat -c '%a %u %g' "$MNT/alpha")" "alpha mode/owner"
assert_eq "604 0 0" "$(stat -c '%a %u %g' "$MNT/beta")" "beta mode/owner"
assert_eq "600 $(id -u) $(id -g)" "$(stat -c '%a %u %g' "$MNT/scratch")" \
	"scratch (temporary) mode/owner"

note "map files: one per part, sizes are the part lengths"
assert_eq "0 1 2" "$(ls "$MNT/.pmemset/maps" | sort -n | tr '\n' ' ' | sed 's/ $//')" \
	"ls .pmemset/maps"
sizes=$(for m in 0 1 2; do stat -c %s "$MNT/.pmemset/maps/$m"; done | sort -n |
	tr '\n' ' ' | sed 's/ $//')
assert_eq "$((512 * KiB)) $((1 * MiB)) $((2 * MiB))" "$sizes" \
	"sizes of the map files"

unmount_detached
