#!/usr/bin/env bash
# scripts/run.sh on a checkout that was copied, then moved, together with
# its configured build directory: the build's CMakeCache.txt names the old
# source directory, which cmake refuses to reuse. run.sh must notice,
# configure afresh for the new place and succeed (its --configure-only
# step, so the test neither builds everything nor mounts).
set -euo pipefail
if [ $# -ne 1 ]; then
	echo "usage: $0 SOURCE_DIR" >&2
	exit 2
fi
top=$(realpath "$1")
T=$(mktemp -d "${TMPDIR:-/tmp}/run-sh-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() {
	echo "FAIL: run_sh_recovers_moved_checkout: $*" >&2
	exit 1
}

mkdir "$T/first"
cp -a "$top/CMakeLists.txt" "$top/core" "$top/fs" "$top/scripts" \
	"$top/tests" "$T/first/"
cmake -S "$T/first" -B "$T/first/build" >"$T/configure.log" 2>&1 ||
	fail "configuring the copy failed: $(tail -n 5 "$T/configure.log")"
mv "$T/first" "$T/moved"

bash "$T/moved/scripts/run.sh" --configure-only >"$T/run.log" 2>&1 ||
	fail "run.sh --configure-only failed after the move: $(tail -n 8 "$T/run.log")"
grep -q "configuring it afresh" "$T/run.log" ||
	fail "run.sh did not say it configured afresh: $(cat "$T/run.log")"
home=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' \
	"$T/moved/build/CMakeCache.txt")
[ "$home" -ef "$T/moved" ] ||
	fail "the cache still names '$home', not $T/moved"

# a second run finds its own cache and keeps it
bash "$T/moved/scripts/run.sh" --configure-only >"$T/run2.log" 2>&1 ||
	fail "the second run.sh failed: $(tail -n 8 "$T/run2.log")"
if grep -q "configuring it afresh" "$T/run2.log"; then
	fail "run.sh dropped a cache of its own checkout"
fi
echo "PASS: run_sh_recovers_moved_checkout"
