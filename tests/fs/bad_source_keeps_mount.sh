#!/usr/bin/env bash
# One bad source fails only the requests that touch it, in both cache
# modes; the daemon stays up and every other part is still served:
# - a source truncated by another process: a write (and, with cache=page,
#   the write-back of an mmap) fails with EIO, status names the truncation;
# - a sparse source on a full file system (a small tmpfs of our own): the
#   write that needs a new block fails with ENOSPC, status says so;
# - a part made by `create truncate` that does not fit: the mount (or the
#   ctl `part`) fails with ENOSPC at once, and nothing is left behind.
# Before, each of these killed the daemon with SIGBUS (ENOTCONN for all).
. "$(dirname "$0")/lib.sh"

SMALL=$T/small
mkdir -p "$SMALL"
mount -t tmpfs -o size=1M tmpfs "$SMALL" || fail "cannot mount a small tmpfs"
CLEANUP_CMDS+=("umount -l '$SMALL' 2>/dev/null")
make_data "$T/data" $((128 * KiB))

# other_parts_served: part "good" reads and writes as before.
other_parts_served()
{
	part_matches_model good good.img 0 $((256 * KiB))
	make_data "$T/good-data" $((64 * KiB))
	dd_write "$MNT/good" $((64 * KiB)) "$T/good-data"
	model_write good.img $((64 * KiB)) "$T/good-data"
	part_matches_model good good.img 0 $((256 * KiB))
	is_running "$DAEMON_PID" || fail "the daemon died"
}

status_says()
{
	grep -qE -- "$1" "$MNT/.pmemset/status" ||
		fail "status lacks /$1/: $(grep last_error "$MNT/.pmemset/status")"
}

for cache in direct page; do
	note "cache=$cache: a source truncated by another process"
	make_source good.img $((256 * KiB))
	make_source victim.img $((1 * MiB))
	cat >"$T/set" <<SET
part victim $SRC/victim.img
part good $SRC/good.img
SET
	mount_set "$T/set" -o cache=$cache
	truncate -s 0 "$SRC/victim.img"
	probe_expect EIO pwrite "$MNT/victim" 0 "$T/data"
	probe_expect EIO pwrite "$MNT/victim" $((512 * KiB)) "$T/data"
	status_says "write: part victim: its source $SRC/victim.img was truncated to 0 bytes"
	"$FSPROBE" pread "$MNT/victim" 0 4096 >/dev/null || true # EIO or 0
	other_parts_served
	unmount_set
	cp "$SRC/victim.img" "$MODEL/victim.img" # truncated: nothing else
	assert_sources_match_model

	note "cache=$cache: a sparse source on a full file system"
	truncate -s 4M "$SMALL/sparse.img"
	cat >"$T/set" <<SET
part sparse $SMALL/sparse.img
part good $SRC/good.img
SET
	mount_set "$T/set" -o cache=$cache
	for ((i = 0; i < 8; i++)); do # 1 MiB fills the tmpfs
		dd_write "$MNT/sparse" $((i * 128 * KiB)) "$T/data"
	done
	probe_expect ENOSPC pwrite "$MNT/sparse" $((2 * MiB)) "$T/data"
	status_says "write: part sparse: no space left on the file system of $SMALL/sparse.img"
	other_parts_served
	# what was written before the file system filled up is there
	assert_cmp_region "$MNT/sparse" $((7 * 128 * KiB)) $((128 * KiB)) \
		"$T/data"
	unmount_set
	rm -f "$SMALL/sparse.img"
done

note "cache=page: the write-back of an mmap into a truncated source"
make_source victim.img $((1 * MiB))
cat >"$T/set" <<SET
part victim $SRC/victim.img
part good $SRC/good.img
SET
mount_set "$T/set" -o cache=page
mkfifo "$T/go"
"$HELPERS/mmap_writer" "$MNT/victim" 0 "$T/data" pause <"$T/go" \
	>"$T/mmap.out" 2>"$T/mmap.err" &
writer=$!
exec 7>"$T/go"
wait_until 10 grep -q stored "$T/mmap.out" || fail "mmap_writer did not store"
truncate -s 0 "$SRC/victim.img"
exec 7>&-
wait "$writer" && rc=0 || rc=$?
assert_eq 1 "$rc" "mmap_writer's exit status"
grep -q "msync.*Input/output error" "$T/mmap.err" ||
	fail "msync did not fail with EIO: $(cat "$T/mmap.err")"
status_says "write: part victim: its source $SRC/victim.img was truncated"
other_parts_served
unmount_set
cp "$SRC/victim.img" "$MODEL/victim.img"
assert_sources_match_model

note "a create/truncate part that does not fit fails the mount"
cat >"$T/set" <<SET
part good $SRC/good.img
part big $SMALL/big.img length=4M create truncate
SET
sha_tree "$SRC" >"$T/before"
timeout 60 "$DAEMON" "$T/set" "$MNT" </dev/null >"$T/out" 2>"$T/err" &&
	rc=0 || rc=$?
assert_eq 1 "$rc" "exit status with a part too big for its file system"
grep -qF "part big: cannot allocate 4194304 bytes of $SMALL/big.img: No space left on device" \
	"$T/err" || fail "unclear message: $(cat "$T/err")"
is_mounted "$MNT" && fail "mounted anyway"
[ ! -e "$SMALL/big.img" ] || fail "big.img was left behind"
sha_tree "$SRC" >"$T/after"
diff "$T/before" "$T/after" >&2 || fail "sources changed"

note "...and a ctl part, with ENOSPC"
cat >"$T/set" <<SET
part good $SRC/good.img
SET
mount_set "$T/set"
probe_expect ENOSPC write "$MNT/.pmemset/ctl" \
	"part big $SMALL/big.img length=4M create truncate"$'\n'
status_says "part big: cannot allocate 4194304 bytes"
[ ! -e "$SMALL/big.img" ] || fail "big.img was left behind"
[ ! -e "$MNT/big" ] || fail "the part appeared"
ctl "part fits $SMALL/fits.img length=512K create truncate"
assert_size "$MNT/fits" $((512 * KiB))
other_parts_served
unmount_set
assert_sources_match_model
