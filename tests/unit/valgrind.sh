#!/usr/bin/env bash
# Runs each unit-test executable given under valgrind memcheck; fails when
# any of them has a memory error, a definite or indirect leak, or a failed
# assertion. Usage: valgrind.sh VALGRIND EXECUTABLE...
set -u
valgrind=$1
shift
status=0
# lets suites skip what valgrind cannot run (huge address ranges)
export UT_UNDER_VALGRIND=1
# valgrind runs one thread at a time: keep the stress test short
export UT_THREAD_ITERATIONS=${UT_THREAD_ITERATIONS:-20}
for exe in "$@"; do
	echo "== valgrind $(basename "$exe")"
	if ! "$valgrind" --quiet --error-exitcode=1 --leak-check=full \
		--suppressions="$(dirname "$0")/valgrind.supp" \
		--errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect "$exe"; then
		echo "!! $(basename "$exe") failed under valgrind"
		status=1
	fi
done
exit $status
