#!/usr/bin/env bash
# Each failing ctl command fails its write with the issue's errno (EINVAL
# syntax, ENOENT missing source or name, EEXIST duplicate name, ENOSPC full
# reservation, EBUSY part in use), leaves the set as it was (same files,
# maps, sizes and bytes, no source file created) and its reason is readable
# as the last error in .pmemset/status.
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
	grep -iE -- "$2" "$MNT/.pmemset/status" >/dev/null ||
		fail "'$3': status does not show /$2/ as last error:
$(cat "$MNT/.pmemset/status")"
}

expect EINVAL "frobnicate" "frobnicate a b c"
expect EINVAL "part" "part"
expect EINVAL "size|length" "part n $SRC/spare.img length=12Q"
expect EINVAL "coalesc" "coalescing sometimes"
expect ENOENT "missing.img" "part n $SRC/missing.img length=4K"
expect ENOENT "nosuch" "unmap nosuch"
expect EEXIST "exist|duplicate|already" "part a $SRC/spare.img length=4K"
expect ENOSPC "reservation|fit|space" "part n $SRC/spare.img length=1M"

note "EBUSY while the part is open"
exec 3<"$MNT/a"
expect EBUSY "busy|in use|open" "unmap a"
exec 3<&-
ctl "unmap a"
assert_eq "b" "$(ls_line "$MNT")" "ls after unmap a once closed"
unmount_set
assert_sources_match_model
