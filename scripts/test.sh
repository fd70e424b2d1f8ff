#!/usr/bin/env bash
# The one test command: installs what is missing, builds pmemsetfs in a fresh
# directory with -Wall -Wextra -Werror, and runs every test (unit tests and
# shell tests that mount for real) with CTest. Then does the same again with
# AddressSanitizer + UndefinedBehaviorSanitizer unless PMEMSET_SKIP_SANITIZE=1.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
pmemsetfs_install_deps "${pmemsetfs_packages[@]}"

# FUSE over io_uring: the tests labelled "uring" run with the fuse module's
# enable_uring on, all others with it off (the default mount's fallback to
# /dev/fuse); whatever it was is put back on exit. Without the parameter (or
# without the right to write it) the uring tests skip and say why.
uring_param=/sys/module/fuse/parameters/enable_uring
uring_was=$(cat "$uring_param" 2>/dev/null || true)
set_uring() { [ -n "$uring_was" ] && echo "$1" >"$uring_param" 2>/dev/null; }
trap 'set_uring "$uring_was" || true' EXIT

jobs=$(nproc)
run_suite() {
	local dir=$1
	shift
	rm -rf "$dir"
	cmake -S "$top" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$dir" -j "$jobs"
	set_uring N || true
	(cd "$dir" && ctest --output-on-failure -j 1 --timeout 1200 -LE uring)
	set_uring Y || echo "== $uring_param missing or read-only: uring tests skip"
	(cd "$dir" && ctest --output-on-failure -j 1 --timeout 1200 -L uring)
	set_uring "$uring_was" || true
}

echo "== build and test"
run_suite "$top/build"
if [ "${PMEMSET_SKIP_SANITIZE:-0}" != 1 ]; then
	echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run_suite "$top/build-asan" -DPMEMSET_SANITIZE=ON
fi
