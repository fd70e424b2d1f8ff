#!/usr/bin/env bash
# Each failing ctl command fails its write with the issue's errno (EINVAL
# syntax, ENOENT missing source or name, EEXIST duplicate name, ENOSPC full
# reservation or refused full coalescing, EBUSY part in use), leaves the set
# as it was (same files, maps, sizes and bytes, no source file created) and
# its reason is readable as the last error in .pmemset/status.
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
make_source two.img $((1 * MiB))
make_source spare.img $((1 * MiB))
cat >"$T/set" <<SET
reservation 2M
coalescing none
part a $SRC/one.img
part b $SRC/two.img
SET
mount_set "$T/set"

# snapshot: names, map files and their sizes, sources
snapshot()
{
	(
		cd "$MNT" && ls -l --time-style=+ . .pmemset/maps |
			awk '{ print $5, $NF }'
	)
	sha_tree "$SRC"
}
snapshot >"$T/before"

# expect ERRNO REASON_REGEX COMMAND
expect()
{
	note "$3 -> $1"
	ctl_expect "$1" "$3"
	snapshot >"$T/after"
	diff "$T/before" "$T/after" >&2 || fail "'$3' changed the set"
	last=$(grep '^last_error: ' "$MNT/.pmemset/status") ||
		fail "'$3': no last_error line in status"
	grep -qF -- "$3" <<<"$last" ||
		fail "'$3': last_error does not name the command: $last"
	grep -qiE -- "$2" <<<"${last#*"$3"}" ||
		fail "'$3': last_error does not give the reason /$2/: $last"
	echo "    $last"
}

expect EINVAL "unknown|command" "frobnicate a b c"
expect EINVAL "usage|path|missing|argument" "part n"
expect EINVAL "relative|absolute" "part n spare.img length=4K"
expect EINVAL "size|length" "part n $SRC/spare.img length=12Q"
expect EINVAL "coalesc" "coalescing sometimes"
expect ENOENT "no such file|missing|not exist|cannot open" "part n $SRC/missing.img length=4K"
expect ENOENT "no part|not found|unknown|no such" "unmap nosuch"
expect EEXIST "exist|duplicate|already" "part a $SRC/spare.img length=4K"
expect ENOSPC "reservation|fit|space" "part n $SRC/spare.img length=1M"
expect EINVAL "usage|name|missing" "unmap"
expect ENOENT "map|no such|not found" "remove-range 7 0 4096"
expect EINVAL "size|length|offset|usage" "remove-range 0 x 4096"

note "a script whose first line fails -> its errno, no line runs"
ctl_expect ENOENT $'unmap nosuch\nunmap a\nunmap b'
snapshot >"$T/after"
diff "$T/before" "$T/after" >&2 || fail "a failed script changed the set"

note "EBUSY while the part is open"
exec 3<"$MNT/a"
expect EBUSY "busy|in use|open" "unmap a"
exec 3<&-
ctl "unmap a"
assert_eq "b" "$(ls_line "$MNT")" "ls after unmap a once closed"
unmount_set
assert_sources_match_model

note "coalescing full refused -> ENOSPC, though none would fit the part"
make_source c.img $((1 * MiB))
cat >"$T/set" <<SET
reservation 3M
coalescing none
part a $SRC/one.img
part b $SRC/two.img
part c $SRC/c.img
SET
mount_set "$T/set"
ctl "unmap a"
ctl "coalescing full"
snapshot >"$T/before"
# the last map created (c) ends at the reservation's end: nothing can follow
expect ENOSPC "coalesc" "part d $SRC/spare.img length=1M"
ctl "coalescing none"
ctl "part d $SRC/spare.img length=1M"
assert_eq "b c d" "$(ls_line "$MNT")" "ls after mapping d without coalescing"
part_matches_model d spare.img 0 "$MiB"
unmount_set
assert_sources_match_model
