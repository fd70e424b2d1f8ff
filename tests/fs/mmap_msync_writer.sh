#!/usr/bin/env bash
# A program maps a part file with MAP_SHARED, stores with plain memory
# writes and calls msync: read(2) of the part shows the bytes at once, and
# after unmount they are in the source file at part offset + offset, with
# persist=write and with persist=fsync. While a mapping is live the part
# cannot be removed (EBUSY), and the mapping keeps its bytes. All on the
# default mount (cache=page; libfuse 3.14 cannot mmap direct_io files).
. "$(dirname "$0")/lib.sh"

make_source one.img $((3 * MiB))
cat >"$T/set" <<SET
part p $SRC/one.img offset=1M length=1M
SET

for persist in write fsync; do
	note "persist=$persist"
	mount_set "$T/set" -o persist=$persist # the default cache=page
	for spec in "0 4096" "5000 100" "$((MiB - 8192)) 8192" "300000 200000"; do
		set -- $spec
		make_data "$T/data" "$2"
		"$HELPERS/mmap_writer" "$MNT/p" "$1" "$T/data" ||
			fail "mmap_writer at $1 failed"
		model_write one.img $((MiB + $1)) "$T/data"
	done
	part_matches_model p one.img "$MiB" "$MiB"
	unmount_set
	assert_sources_match_model
done

note "a live mapping keeps the part busy: rm fails with EBUSY until munmap"
mount_set "$T/set" -o unlink=unmap
make_data "$T/data" 4096
coproc HOLDER { "$HELPERS/mmap_writer" "$MNT/p" 8192 "$T/data" hold; }
holder_pid=$HOLDER_PID
holder_in=${HOLDER[1]}
read -r -t 30 line <&"${HOLDER[0]}" || fail "mmap_writer did not start holding"
assert_eq holding "$line" "mmap_writer's report"
model_write one.img $((MiB + 8192)) "$T/data"
probe_expect EBUSY unlink "$MNT/p"
assert_eq p "$(ls_line "$MNT")" "ls after a refused rm"
exec {holder_in}>&-
wait "$holder_pid" || fail "mmap_writer (hold) failed"
probe_expect "ok 0" unlink "$MNT/p"
assert_eq "" "$(ls_line "$MNT")" "ls after rm"
unmount_set
assert_sources_match_model
