#!/usr/bin/env bash
# While one cmp after another reads part a and a dd keeps writing it,
# part b is unmapped and mapped again through ctl, over and over. No crash,
# every read of a returns exactly its source bytes, every write lands, and
# b comes back with its data each time; with and without the page cache.
. "$(dirname "$0")/lib.sh"

make_source one.img $((4 * MiB))
make_source two.img $((1 * MiB))
cat >"$T/set" <<SET
coalescing none
part a $SRC/one.img
part b $SRC/two.img
SET
make_data "$T/tail" "$MiB"
model_write one.img $((3 * MiB)) "$T/tail"

for cache in direct page; do
	note "cache=$cache"
	mount_set "$T/set" -o cache=$cache

	# The reader checks the first 3 MiB of a (which nothing writes) each round.
	(
		for i in $(seq 1 25); do
			cmp -n $((3 * MiB)) "$MNT/a" "$MODEL/one.img" ||
				{ echo "reader: round $i differs" >&2; exit 1; }
		done
	) &
	reader=$!
	# The writer rewrites the last MiB of a with the same data each round.
	(
		for i in $(seq 1 25); do
			dd if="$T/tail" of="$MNT/a" bs=128K seek=$((3 * MiB)) \
				oflag=seek_bytes conv=notrunc status=none ||
				{ echo "writer: round $i failed" >&2; exit 1; }
		done
	) &
	writer=$!

	rounds=0
	while is_running $reader || is_running $writer || ((rounds < 5)); do
		ctl "unmap b"
		[ -e "$MNT/b" ] && fail "b still there after unmap"
		ctl "part b $SRC/two.img"
		part_matches_model b two.img 0 "$MiB"
		rounds=$((rounds + 1))
		((rounds < 500)) || fail "reader/writer still running after 500 rounds"
	done
	note "$rounds unmap/map rounds"
	wait $reader || fail "the reader failed"
	wait $writer || fail "the writer failed"
	is_running "$DAEMON_PID" || fail "the daemon died"
	part_matches_model a one.img 0 $((4 * MiB))
	unmount_set
	assert_sources_match_model
done
