#!/usr/bin/env bash
# A part file and the map file over it show the same bytes even while a
# writer keeps its bytes unflushed in the kernel (the writeback cache of
# cache=page with persist=fsync: no close, no fsync, no msync yet):
# the map file reads them, a write through the map file over the same bytes
# wins over the writer's older dirty page when that is written back later,
# and the part file then shows the map file's bytes. An open(O_TRUNC)
# meanwhile changes neither size nor bytes. Through write(2) and
# through a shared mapping, in every cache mode the daemon offers.
. "$(dirname "$0")/lib.sh"

make_source x.img $((1 * MiB))
make_source y.img $((1 * MiB))
cat >"$T/set" <<SET
reservation 4M
coalescing full
part x $SRC/x.img
part y $SRC/y.img
SET
map=$MNT/.pmemset/maps/0

# start_dirty_writer HOW OFFSET DATAFILE: mmap_writer stores into y and
# waits (its stdin is our pipe) with the bytes left dirty
start_dirty_writer()
{
	coproc WRITER { "$HELPERS/mmap_writer" "$MNT/y" "$2" "$3" "dirty-$1"; }
	writer_pid=$WRITER_PID
	writer_in=${WRITER[1]}
	local line
	read -r -t 30 line <&"${WRITER[0]}" || fail "mmap_writer ($1) did not report"
	assert_eq dirty "$line" "mmap_writer's report"
}

stop_dirty_writer()
{
	exec {writer_in}>&-
	wait "$writer_pid" || fail "mmap_writer (dirty) failed"
}

for mode in page:fsync page:write direct:fsync direct:write; do
	cache=${mode%:*} persist=${mode#*:}
	for how in pwrite mmap; do
		[ "$cache:$how" = direct:mmap ] && continue # no mmap on direct_io
		note "cache=$cache persist=$persist, dirty bytes from $how"
		mount_set "$T/set" -o cache="$cache",persist="$persist"
		off=$((RANDOM * 16 + 100))
		make_data "$T/first" 10000
		make_data "$T/second" 6000
		cat "$MNT/y" "$map" >/dev/null # both views cached
		start_dirty_writer "$how" "$off" "$T/first"
		model_write y.img "$off" "$T/first"
		# O_TRUNC changes nothing: not the size, not the dirty bytes
		# (except unsynced stores of a mapping on the write-through
		# page cache, which the kernel drops: see fs/README.md, "Cache modes")
		if [ "$cache:$persist:$how" != page:write:mmap ]; then
			probe_expect "ok 0" open-trunc "$MNT/y"
		fi
		probe_expect "ok 0" open-trunc "$map"
		assert_size "$MNT/y" "$MiB"
		assert_size "$map" $((2 * MiB))
		# the map file must see what is still dirty in y's cache
		assert_cmp_region "$map" $((MiB + off)) 10000 "$T/first"
		# overwrite part of it through the map while the writer is open
		dd_write "$map" $((MiB + off + 2000)) "$T/second"
		model_write y.img $((off + 2000)) "$T/second"
		part_matches_model y y.img 0 "$MiB"
		assert_cmp_region "$map" "$MiB" "$MiB" "$MODEL/y.img"
		# the writer closes: nothing older may be written back over it
		stop_dirty_writer
		part_matches_model y y.img 0 "$MiB"
		assert_cmp_region "$map" "$MiB" "$MiB" "$MODEL/y.img"
		part_matches_model x x.img 0 "$MiB"
		unmount_set
		assert_sources_match_model
	done
done
