#!/usr/bin/env bash
# On the default mount (cache=page) a part file that was read once is
# served by the kernel's page cache: 256 more 4 KiB reads send the daemon
# no READ and (attributes are cached) no GETATTR; with persist=fsync the
# writeback cache gathers 256 4 KiB writes into a few large ones at close.
# Counted in the daemon's own -d request log, not timed. A GETATTR on
# every read is what a zero attribute timeout does with libfuse's
# auto_inval_data; it made warm reads 1,800 times slower unnoticed.
. "$(dirname "$0")/lib.sh"

make_source x.img $((1 * MiB))
printf 'part x %s\n' "$SRC/x.img" >"$T/set"

# requests OPCODE: how many OPCODE requests the daemon has logged so far
requests()
{
	grep -c "opcode: $1 " "$T/daemon.log" || true
}

# at_most LIMIT OPCODE BEFORE WHAT: fewer than LIMIT new OPCODE requests
at_most()
{
	local now
	now=$(requests "$2")
	[ $((now - $3)) -le "$1" ] ||
		fail "$4: $((now - $3)) $2 requests reached the daemon (at most $1)"
}

for persist in write fsync; do
	note "persist=$persist: warm reads"
	mount_set "$T/set" -d -o persist=$persist
	cat "$MNT/x" >/dev/null # fill the page cache
	reads=$(requests READ) getattrs=$(requests GETATTR)
	[ "$reads" -gt 0 ] || fail "the daemon logged no READ (is -d logging?)"
	dd if="$MNT/x" of=/dev/null bs=4k count=256 status=none
	at_most 0 READ "$reads" "256 warm 4 KiB reads"
	# one refresh if the attribute timeout (1 s) ran out meanwhile
	at_most 1 GETATTR "$getattrs" "256 warm 4 KiB reads"
	if [ "$persist" = fsync ]; then
		note "persist=fsync: buffered writes"
		make_data "$T/d.bin" $((1 * MiB))
		writes=$(requests WRITE) getattrs=$(requests GETATTR)
		dd if="$T/d.bin" of="$MNT/x" bs=4k count=256 conv=notrunc \
			status=none
		# dd's close writes the dirty megabyte back in large requests
		at_most 4 WRITE "$writes" "256 buffered 4 KiB writes"
		at_most 1 GETATTR "$getattrs" "256 buffered 4 KiB writes"
		dd if="$T/d.bin" of="$MNT/x" bs=1M count=1 conv=notrunc,fsync \
			status=none
		[ "$(requests WRITE)" -gt "$writes" ] ||
			fail "fsync sent the daemon no WRITE"
		model_write x.img 0 "$T/d.bin"
	fi
	unmount_set
done
assert_sources_match_model
