#!/usr/bin/env bash
# The command line outside the happy path: -h and -V print help and version
# and exit 0 without mounting; no arguments is a usage error; -o ro mounts
# read-only: reads match, every write (part file, map file, ctl, rm) fails
# with EROFS, and the sources stay byte-for-byte the same.
. "$(dirname "$0")/lib.sh"

note "-h, -V, no arguments"
"$DAEMON" -h >"$T/help" 2>&1 || fail "pmemsetfs -h exited non-zero"
grep -q "SETFILE MOUNTPOINT" "$T/help" || fail "-h shows no usage: $(cat "$T/help")"
grep -q "persist=write|fsync" "$T/help" || fail "-h does not list -o persist="
"$DAEMON" -V >"$T/version" 2>&1 || fail "pmemsetfs -V exited non-zero"
grep -qE "pmemsetfs.*[0-9]+\.[0-9]+\.[0-9]+" "$T/version" ||
	fail "-V shows no version: $(cat "$T/version")"
if "$DAEMON" >"$T/usage" 2>&1; then
	fail "pmemsetfs without arguments exited 0"
fi
grep -qi usage "$T/usage" || fail "no usage message: $(cat "$T/usage")"
is_mounted "$MNT" && fail "something got mounted"

note "-o ro"
make_source one.img $((2 * MiB))
cat >"$T/set" <<SET
part a $SRC/one.img offset=1M
SET
sha_tree "$SRC" >"$T/before"
mount_set "$T/set" -o ro
part_matches_model a one.img "$MiB" "$MiB"
make_data "$T/data" 4096
probe_expect EROFS pwrite "$MNT/a" 0 "$T/data"
probe_expect EROFS pwrite "$MNT/.pmemset/maps/0" 0 "$T/data"
probe_expect EROFS write "$MNT/.pmemset/ctl" $'unmap a\n'
probe_expect EROFS unlink "$MNT/a"
assert_eq a "$(ls_line "$MNT")" "ls after the refused changes"
part_matches_model a one.img "$MiB" "$MiB"
unmount_set
sha_tree "$SRC" >"$T/after"
diff "$T/before" "$T/after" >&2 || fail "a read-only mount changed a source"
