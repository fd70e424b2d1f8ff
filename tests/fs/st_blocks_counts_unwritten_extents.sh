#!/usr/bin/env bash
# st_blocks of a part is what its source really has allocated over the
# part's range, unwritten (fallocated) extents included: on ext4 SEEK_DATA
# treats those as holes, so `du` showed 0 for parts made with create or
# truncate (whose blocks the daemon allocates) and for fallocated sources.
# On tmpfs (no FIEMAP; fallocated pages read as holes) a part over a whole
# file still counts the file's blocks, and a slice counts its written data.
. "$(dirname "$0")/lib.sh"

fallocate -l $((8 * MiB)) "$SRC/falloc.img"
truncate -s $((8 * MiB)) "$SRC/half.img"
fallocate -o $((4 * MiB)) -l $((2 * MiB)) "$SRC/half.img"
cat >"$T/set" <<SET
part f $SRC/falloc.img
part h $SRC/half.img
part hlo $SRC/half.img offset=0 length=4M
part c $SRC/created.img length=4M create truncate
SET
mount_set "$T/set"
blocks() { stat -c %b "$1"; }
near() { # got want what: the file system may round up a little
	[ "$1" -ge "$2" ] && [ "$1" -le $(($2 + 64)) ] ||
		fail "$3: st_blocks $1, expected about $2 (du: $(du -k "$MNT/$4" | cut -f1) KiB)"
}
near "$(blocks "$MNT/f")" $((8 * 2048)) "fallocated source" f
near "$(blocks "$MNT/h")" $((2 * 2048)) "half-fallocated source" h
[ "$(blocks "$MNT/hlo")" -le 64 ] || fail "part hlo (its range is a hole) has $(blocks "$MNT/hlo") blocks"
near "$(blocks "$MNT/c")" $((4 * 2048)) "part made with create" c
[ "$(du -k "$MNT/f" | cut -f1)" -ge 8192 ] || fail "du of f: $(du -k "$MNT/f")"
unmount_set

note "tmpfs: no FIEMAP there"
SHM=$(mktemp -d /dev/shm/pmemsetfs-blocks.XXXXXX)
CLEANUP_CMDS+=("rm -rf '$SHM'")
fallocate -l $((8 * MiB)) "$SHM/falloc.img"
truncate -s $((8 * MiB)) "$SHM/half.img"
make_data "$T/two" $((2 * MiB))
dd if="$T/two" of="$SHM/half.img" bs=1M seek=5 conv=notrunc status=none
cat >"$T/set.shm" <<SET
part f $SHM/falloc.img
part hhi $SHM/half.img offset=4M length=4M
part hlo $SHM/half.img offset=0 length=4M
SET
mount_set "$T/set.shm"
near "$(blocks "$MNT/f")" $((8 * 2048)) "fallocated tmpfs source" f
near "$(blocks "$MNT/hhi")" $((2 * 2048)) "written slice of a tmpfs source" hhi
[ "$(blocks "$MNT/hlo")" -le 64 ] || fail "tmpfs part hlo (a hole) has $(blocks "$MNT/hlo") blocks"
