#!/usr/bin/env bash
# .pmemset/status describes the set as mounted: settings (granularity,
# coalescing, persist, reservation, cache, unlink), the map with its address, length and
# parts, each part with source, offset, length, map and address (matching
# the xattrs), and counters that move by exactly the bytes read and written.
. "$(dirname "$0")/lib.sh"

make_source one.img $((2 * MiB))
make_source two.img $((1 * MiB))
mkdir "$T/tmpdir"
cat >"$T/set" <<SET
reservation 8M
coalescing full
part a $SRC/one.img offset=1M length=1M
part b $SRC/two.img
part t temporary=$T/tmpdir length=512K
SET
# counters move by exactly what was asked only without the page cache
# (read-ahead reads more): cache=direct here, the other modes below
mount_set "$T/set" -o cache=direct
status=$MNT/.pmemset/status

# has_line LINE: status holds exactly this line.
has_line()
{
	grep -qxF -- "$1" "$status" ||
		fail "status lacks the line '$1'; status is:
$(cat "$status")"
}

# counter NAME: the number on status line "NAME: N".
counter()
{
	local v
	v=$(sed -n "s/^$1: \([0-9]\+\)\$/\1/p" "$status")
	[ -n "$v" ] || fail "status has no counter $1: $(cat "$status")"
	echo "$v"
}

note "settings"
has_line "granularity: page"
has_line "coalescing: full"
has_line "persist: write"
has_line "reservation: $((8 * MiB))"
has_line "last_error: none"
has_line "cache: direct"
has_line "write_cache: none"
has_line "unlink: refuse"

note "the map and the parts"
addr_a=$(xattr a address)
addr_b=$(xattr b address)
addr_t=$(xattr t address)
has_line "maps: 1"
has_line "map 0: address=$addr_a length=$((2 * MiB + 512 * KiB)) parts=a,b,t"
has_line "parts: 3"
has_line "part a: source=$SRC/one.img offset=$MiB length=$MiB map=0 address=$addr_a"
has_line "part b: source=$SRC/two.img offset=0 length=$MiB map=0 address=$addr_b"
has_line "part t: source=temporary:$T/tmpdir offset=0 length=$((512 * KiB)) map=0 address=$addr_t"
((addr_b == addr_a + MiB)) || fail "b is not right after a: $addr_a $addr_b"
((addr_t == addr_b + MiB)) || fail "t is not right after b: $addr_b $addr_t"

note "counters"
read0=$(counter bytes_read)
written0=$(counter bytes_written)
persists0=$(counter persists)
dd if="$MNT/a" of=/dev/null bs=100000 count=1 status=none
dd if="$MNT/.pmemset/maps/0" of=/dev/null bs=4096 skip=3 count=2 status=none
assert_eq $((read0 + 100000 + 8192)) "$(counter bytes_read)" "bytes_read"
make_data "$T/data" 12345
dd_write "$MNT/b" 777 "$T/data"
dd_write "$MNT/.pmemset/maps/0" 0 "$T/data"
assert_eq $((written0 + 2 * 12345)) "$(counter bytes_written)" "bytes_written"
persists1=$(counter persists)
((persists1 >= persists0 + 2)) ||
	fail "persists went from $persists0 to $persists1 after 2 writes"
model_write two.img 777 "$T/data"
model_write one.img "$MiB" "$T/data"

unmount_set
assert_sources_match_model

note "persist=fsync and overrides from -o"
mount_set "$T/set" -o persist=fsync,coalescing=none,unlink=unmap
has_line "persist: fsync"
has_line "unlink: unmap"
has_line "coalescing: none"
has_line "cache: page"
has_line "write_cache: writeback"
unmount_set

note "the default mount: page cache, writes go through"
mount_set "$T/set"
has_line "cache: page"
has_line "write_cache: write-through"
unmount_set
