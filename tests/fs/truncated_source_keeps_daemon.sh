#!/usr/bin/env bash
# No truncation of a source kills the daemon, at any moment. Four threads
# write and read 1 MiB at random offsets of several parts while another
# program truncates one part's source to 0, 4K or 1M and regrows it to its
# size, in a loop, for TRUNCATE_SECONDS (default 60, split over the page
# cache and direct modes). The daemon must stay alive; requests on the
# truncated part may fail, but only with EIO; the other parts must show
# exactly the bytes written to them; after the loop the damaged part is
# unmapped and mapped again and works. First, without the race: a read the
# kernel cannot copy from a truncated mapping gets EIO (not a hang) and
# fails the part until it is mapped again.
. "$(dirname "$0")/lib.sh"
seconds=${TRUNCATE_SECONDS:-60}
TEST_DEADLINE=$((seconds + 120))
per_mode=$((seconds / 2))

for cache in page direct; do
	note "cache=$cache: ${per_mode} s of I/O while victim.img is truncated in a loop"
	make_source "victim-$cache.img" $((8 * MiB))
	make_source "keep1-$cache.img" $((8 * MiB))
	make_source "keep2-$cache.img" $((8 * MiB))
	cat >"$T/set.$cache" <<-SET
		part victim $SRC/victim-$cache.img
		part keep1 $SRC/keep1-$cache.img
		part keep2 $SRC/keep2-$cache.img offset=1M length=4M
	SET
	mount_set "$T/set.$cache" -o cache=$cache

	note "cache=$cache: a read of a truncated source is EIO and fails the part"
	truncate -s 0 "$SRC/victim-$cache.img"
	probe_expect EIO pread "$MNT/victim" $((4 * MiB)) 65536
	truncate -s $((8 * MiB)) "$SRC/victim-$cache.img"
	grep -q "^part victim: .* failed=yes$" "$MNT/.pmemset/status" ||
		fail "status does not show victim failed: $(grep '^part victim' "$MNT/.pmemset/status")"
	grep -q "last_error: .*read: part victim: .*truncated" "$MNT/.pmemset/status" ||
		fail "last_error: $(grep last_error "$MNT/.pmemset/status")"
	probe_expect EIO pread "$MNT/victim" 0 4096
	ctl "unmap victim"
	ctl "part victim $SRC/victim-$cache.img"
	"$FSPROBE" pread "$MNT/victim" 0 4096 >/dev/null ||
		fail "the mapped-again victim cannot be read"

	(
		sizes=(0 4096 $MiB)
		end=$((SECONDS + per_mode))
		i=0
		while [ $SECONDS -lt $end ]; do
			truncate -s "${sizes[i % 3]}" "$SRC/victim-$cache.img"
			truncate -s $((8 * MiB)) "$SRC/victim-$cache.img"
			i=$((i + 1))
		done
		echo "$i" >"$T/truncations"
	) &
	truncator=$!
	rc=0
	"$HELPERS/truncation_stress" -s "$per_mode" -t 4 \
		-v "$MNT/victim" "$MNT/keep1" "$MNT/keep2" >"$T/stress.out" 2>&1 ||
		rc=$?
	wait "$truncator"
	cat "$T/stress.out"
	note "$(cat "$T/truncations") truncations of victim.img"
	assert_eq 0 "$rc" "truncation_stress exit status"
	is_running "$DAEMON_PID" || fail "the daemon died (cache=$cache)"

	if ! grep -q "victim: .* 0 EIO$" "$T/stress.out"; then
		grep -q "^part victim: .* failed=yes$" "$MNT/.pmemset/status" ||
			fail "victim met EIO but status does not show it failed"
	fi
	grep -q "^part keep.* failed=yes" "$MNT/.pmemset/status" &&
		fail "a part whose source stayed whole is shown failed"

	note "the other parts still serve their bytes"
	for p in keep1 keep2; do
		cat "$MNT/$p" >/dev/null || fail "reading $p failed after the loop"
	done
	note "unmapping and mapping the damaged part again makes it whole"
	"$DAEMON" ctl "$MNT" unmap victim || fail "ctl unmap victim failed"
	"$DAEMON" ctl "$MNT" part victim "$SRC/victim-$cache.img" ||
		fail "mapping victim again failed"
	grep -q "^part victim: .* failed=yes" "$MNT/.pmemset/status" &&
		fail "the mapped-again victim is still shown failed"
	make_data "$T/data" $MiB
	dd_write "$MNT/victim" $MiB "$T/data"
	assert_cmp_region "$MNT/victim" $MiB $MiB "$T/data"
	unmount_set
	assert_cmp_region "$SRC/victim-$cache.img" $MiB $MiB "$T/data"
done
