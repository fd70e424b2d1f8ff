#!/usr/bin/env bash
# The one test command: installs what is missing, builds pmemsetfs in a fresh
# directory with -Wall -Wextra -Werror, and runs every test (unit tests and
# shell tests that mount for real) with CTest. Then does the same again with
# AddressSanitizer + UndefinedBehaviorSanitizer unless PMEMSET_SKIP_SANITIZE=1.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
pmemsetfs_install_deps "${pmemsetfs_packages[@]}"

jobs=$(nproc)
run_suite() {
	local dir=$1
	shift
	rm -rf "$dir"
	cmake -S "$top" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$dir" -j "$jobs"
	(cd "$dir" && ctest --output-on-failure -j 1 --timeout 1200)
}

echo "== build and test"
run_suite "$top/build"
if [ "${PMEMSET_SKIP_SANITIZE:-0}" != 1 ]; then
	echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run_suite "$top/build-asan" -DPMEMSET_SANITIZE=ON
fi
