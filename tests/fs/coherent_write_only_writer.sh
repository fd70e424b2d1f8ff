#!/usr/bin/env bash
# A writer that opens a part write-only (dd, cp, a shell's >) bypasses the
# page cache with persist=write, while readers of the same part keep it:
# while a reader holds the part open with its pages cached, every read
# shows the writer's bytes at once; a shared mapping's stores that are
# still dirty in the kernel reach the part before the write-only writer's
# bytes, never after them (the writer's bytes win, also once the mapping
# is closed and written back). In every cache mode.
. "$(dirname "$0")/lib.sh"

make_source x.img $((1 * MiB))
make_source y.img $((1 * MiB))
cat >"$T/set" <<SET
part x $SRC/x.img
part y $SRC/y.img
SET

# start_dirty_mapping OFFSET DATAFILE: mmap_writer stores into y through a
# shared mapping and waits (its stdin is our pipe) with the stores unsynced
start_dirty_mapping()
{
	coproc WRITER { "$HELPERS/mmap_writer" "$MNT/y" "$1" "$2" dirty-mmap; }
	writer_pid=$WRITER_PID
	writer_in=${WRITER[1]}
	local line
	read -r -t 30 line <&"${WRITER[0]}" || fail "mmap_writer did not report"
	assert_eq dirty "$line" "mmap_writer's report"
}

stop_dirty_mapping()
{
	exec {writer_in}>&-
	wait "$writer_pid" || fail "mmap_writer (dirty) failed"
}

for mode in page:write page:fsync direct:write; do
	cache=${mode%:*} persist=${mode#*:}
	note "cache=$cache persist=$persist: cached reader, write-only writer"
	mount_set "$T/set" -o cache="$cache",persist="$persist"
	# a reader holds the part open, its pages cached
	exec {reader}<"$MNT/x"
	cat <&"$reader" >/dev/null
	for round in 1 2 3; do
		make_data "$T/data" $((RANDOM * 4 + 5000))
		off=$((RANDOM * 16))
		dd_write "$MNT/x" "$off" "$T/data"
		model_write x.img "$off" "$T/data"
		# the cached pages (one page cache per part) show the new bytes
		assert_cmp_region "$MNT/x" "$off" "$(stat -c %s "$T/data")" \
			"$T/data"
		part_matches_model x x.img 0 "$MiB"
	done
	exec {reader}<&-

	if [ "$cache" = page ]; then
		note "cache=$cache persist=$persist: dirty mapping, write-only writer"
		make_data "$T/first" 12000
		make_data "$T/second" 6000
		off=$((RANDOM * 16 + 100))
		cat "$MNT/y" >/dev/null
		start_dirty_mapping "$off" "$T/first"
		model_write y.img "$off" "$T/first"
		# over the middle of the unsynced stores
		dd_write "$MNT/y" $((off + 3000)) "$T/second"
		model_write y.img $((off + 3000)) "$T/second"
		part_matches_model y y.img 0 "$MiB"
		# the mapping closes: nothing older may be written over it
		stop_dirty_mapping
		part_matches_model y y.img 0 "$MiB"
	fi
	unmount_set
	assert_sources_match_model
done
