#!/usr/bin/env bash
# The core benchmark: builds bench_core (Release) in ./build-bench if
# it is missing or stale, prints the machine, then runs it. bench_core times
# libpmemset against plain libpmem2 side by side in the same run and prints
# medians and ratios. A benchmark, not a test: it asserts nothing about speed.
# Arguments are passed to bench_core (-h lists them); BENCH_DIR sets where
# the files go (default /dev/shm); BENCH_NICE (e.g. -10, as root) runs it at
# that niceness so that other load on the machine disturbs it less.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/build-bench"
. "$top/scripts/deps.sh"
pmemsetfs_install_deps "${pmemsetfs_packages[@]}"

if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target bench_core -j "$(nproc)" >/dev/null

# the CPU model from /proc/cpuinfo, with family/model/stepping (a VM may
# show only "AMD EPYC") and the cache sizes the lookup figure depends on
cpu_field() { sed -n "s/^$1[[:space:]]*: *//p" /proc/cpuinfo | head -n 1; }
echo "cpu: $(cpu_field 'model name') (family $(cpu_field 'cpu family')," \
	"model $(cpu_field model), stepping $(cpu_field stepping))," \
	"$(nproc) cores; L1d/L2/L3: $(getconf LEVEL1_DCACHE_SIZE 2>/dev/null || echo ?)" \
	"/ $(getconf LEVEL2_CACHE_SIZE 2>/dev/null || echo ?)" \
	"/ $(getconf LEVEL3_CACHE_SIZE 2>/dev/null || echo ?) bytes"
echo "machine: $(free -g | awk '/^Mem:/ {print $2}') GiB memory, kernel $(uname -r)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); niceness ${BENCH_NICE:-0}"
echo "libpmem2: $(dpkg-query -W -f='${Version}' libpmem2 2>/dev/null || echo unknown)"
# one benchmark at a time on this machine (shared with scripts/bench.sh)
exec 9>/tmp/pmemsetfs-bench.lock
if ! flock -n 9; then
	echo "bench-core: waiting for another benchmark run to finish (/tmp/pmemsetfs-bench.lock)" >&2
	flock 9
fi
# bench_core names its files bench_core.PID.*; remove them even if it dies
dir=${BENCH_DIR:-/dev/shm}
nice -n "${BENCH_NICE:-0}" "$build/scripts/bench/bench_core" -d "$dir" "$@" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$dir/bench_core.$pid".*' EXIT
wait "$pid"
