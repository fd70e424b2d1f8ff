#!/usr/bin/env bash
# The command line outside the happy path: -h/--help print the usage, every
# -o option the parser knows, the set-file syntax, the ctl commands, the exit
# codes and the man pages; -V/--version print the CMake project's version;
# all exit 0 without mounting; no arguments, an unknown option or a bad -o
# value is an error that names it and mounts nothing; -o ro mounts
# read-only: reads match, every write (part file, map file, ctl, rm) fails
# with EROFS, and the sources stay byte-for-byte the same.
. "$(dirname "$0")/lib.sh"

note "-h and --help: usage, every option, the set-file syntax, ctl, exit codes, man pages"
top=$(cd "$(dirname "$0")/../.." && pwd)
for flag in -h --help; do
	"$DAEMON" "$flag" >"$T/help" 2>&1 || fail "pmemsetfs $flag exited non-zero"
	help_has()
	{
		grep -qF -- "$1" "$T/help" || fail "$flag does not show '$1': $(cat "$T/help")"
	}
	help_has "pmemsetfs [OPTIONS] SETFILE MOUNTPOINT"
	help_has "pmemsetfs ctl MOUNTPOINT COMMAND..."
	help_has "mount -t fuse.pmemsetfs SETFILE MOUNTPOINT"
	help_has "-o persist=write|fsync"
	# every -o NAME= the parser knows (fs/startup/options.c), so a new option
	# cannot be left out of fs/startup/help.c
	opts=$(grep -oE '"[a-z_]+=%[a-z]+"' "$top/fs/startup/options.c" | sed -E 's/^"([a-z_]+=).*/\1/' | sort -u)
	[ -n "$opts" ] || fail "found no -o options in $top/fs/startup/options.c"
	for o in $opts; do
		help_has "-o $o"
	done
	# the set-file directives
	help_has "part NAME PATH [offset=SIZE] [length=SIZE] [create] [truncate]"
	help_has "part NAME temporary=DIR length=SIZE"
	help_has "reservation SIZE"
	help_has "coalescing none|opportunistic|full"
	help_has "granularity page|cacheline|byte"
	# the ctl commands, after the ctl heading
	sed -n '/^ctl commands/,/^Exit status/p' "$T/help" >"$T/help.ctl"
	for cmd in "part NAME PATH" "part NAME temporary=DIR" "unmap NAME" \
		"remove-range MAP OFFSET LENGTH" "coalescing none|opportunistic|full"; do
		grep -qF -- "$cmd" "$T/help.ctl" ||
			fail "$flag: ctl command '$cmd' missing: $(cat "$T/help.ctl")"
	done
	help_has "Exit status"
	grep -qE '^ +0 ' "$T/help" || fail "$flag does not explain exit status 0"
	grep -qE '^ +1 ' "$T/help" || fail "$flag does not explain exit status 1"
	for page in "pmemsetfs(1)" "pmemsetfs.set(5)" "libpmemset(7)"; do
		help_has "$page"
	done
	help_has "allow_other" # libfuse's own options come last
done

note "-V and --version: the CMake project version"
want=$(sed -nE 's/^project\(pmemsetfs VERSION ([0-9.]+).*/\1/p' "$top/CMakeLists.txt")
[ -n "$want" ] || fail "no project(pmemsetfs VERSION ...) in $top/CMakeLists.txt"
for flag in -V --version; do
	"$DAEMON" "$flag" >"$T/version" 2>&1 || fail "pmemsetfs $flag exited non-zero"
	got=$(sed -n 's/^pmemsetfs version //p' "$T/version")
	assert_eq "$want" "$got" "pmemsetfs $flag"
done

note "no arguments, an unknown option, a bad -o value: usage errors"
if "$DAEMON" >"$T/usage" 2>&1; then
	fail "pmemsetfs without arguments exited 0"
fi
grep -qi usage "$T/usage" || fail "no usage message: $(cat "$T/usage")"
make_source one.img $((2 * MiB))
echo "part a $SRC/one.img" >"$T/set"
if "$DAEMON" --no-such-option "$T/set" "$MNT" >"$T/bad" 2>&1; then
	fail "pmemsetfs --no-such-option exited 0"
fi
grep -qF -- "--no-such-option" "$T/bad" || fail "the unknown option is not named: $(cat "$T/bad")"
if "$DAEMON" -o persist=sometimes "$T/set" "$MNT" >"$T/bad" 2>&1; then
	fail "pmemsetfs -o persist=sometimes exited 0"
fi
grep -qF "persist=sometimes" "$T/bad" || fail "the bad value is not named: $(cat "$T/bad")"
is_mounted "$MNT" && fail "something got mounted"

note "-o ro"
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
