#!/usr/bin/env bash
# st_blocks tells du and tar the truth: a part's blocks are what its source
# has allocated over the part's range (a sparse source counts only its data,
# a part of a file counts only its own range), map files count none (they
# repeat the parts' bytes), so `du` of the mount counts every byte once.
# tar with --exclude=.pmemset archives each part once.
. "$(dirname "$0")/lib.sh"

# sparse.img: 8 MiB with data at [1M, 1M+64K) and [6M, 6M+128K) only
truncate -s $((8 * MiB)) "$SRC/sparse.img"
head -c $((64 * KiB)) /dev/urandom |
	dd of="$SRC/sparse.img" bs=64K seek=16 conv=notrunc status=none
head -c $((128 * KiB)) /dev/urandom |
	dd of="$SRC/sparse.img" bs=64K seek=96 conv=notrunc status=none
make_source full.img $((2 * MiB))
cat >"$T/set" <<SET
part s $SRC/sparse.img
part lo $SRC/sparse.img offset=0 length=4M
part hi $SRC/sparse.img offset=4M length=4M
part f $SRC/full.img
part t temporary=$T length=1M
SET
mount_set "$T/set"

blocks() { stat -c %b "$1"; }
note "parts count their source's allocation over their own range"
# the file system may allocate a little more (its block size); allow 16 KiB
near() {
	local got=$1 want=$2 what=$3
	[ "$got" -ge "$want" ] && [ "$got" -le $((want + 32)) ] ||
		fail "$what: st_blocks $got, expected about $want"
}
near "$(blocks "$MNT/s")" $(((64 + 128) * 2)) "part s (all of sparse.img)"
near "$(blocks "$MNT/lo")" $((64 * 2)) "part lo (first half)"
near "$(blocks "$MNT/hi")" $((128 * 2)) "part hi (second half)"
near "$(blocks "$MNT/f")" $((2 * 1024 * 2)) "part f (a full file)"
[ "$(blocks "$MNT/t")" -le 32 ] || fail "an unwritten temporary part has $(blocks "$MNT/t") blocks"
for m in "$MNT"/.pmemset/maps/*; do
	assert_eq 0 "$(blocks "$m")" "st_blocks of map file $m"
done

note "du counts every byte once"
parts_kib=$(du -k -c "$MNT/s" "$MNT/lo" "$MNT/hi" "$MNT/f" "$MNT/t" | tail -n 1 | cut -f1)
mount_kib=$(du -k -s "$MNT" | cut -f1)
[ "$mount_kib" -le $((parts_kib + 4)) ] ||
	fail "du of the mount ($mount_kib KiB) is more than its parts ($parts_kib KiB)"
assert_eq 0 "$(du -k -s "$MNT/.pmemset/maps" | cut -f1)" "du of the map files"

note "writing into a hole allocates, and the part shows it"
make_data "$T/data" $((256 * KiB))
dd_write "$MNT/lo" $((2 * MiB)) "$T/data"
near "$(blocks "$MNT/lo")" $(((64 + 256) * 2)) "part lo after a write into its hole"

note "tar --exclude=.pmemset archives each part once"
tar -C "$MNT" --exclude=.pmemset -cf "$T/set.tar" .
assert_eq "./ ./f ./hi ./lo ./s ./t" \
	"$(tar -tf "$T/set.tar" | sort | tr '\n' ' ' | sed 's/ $//')" \
	"the archive's members"
mkdir "$T/x"
tar -C "$T/x" -xf "$T/set.tar"
assert_same "$T/x/s" "$SRC/sparse.img"
unmount_set
