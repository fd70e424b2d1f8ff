#!/usr/bin/env bash
# Two builds of the daemon side by side on the same machine at the same
# time: a change that must not cost speed (a restructuring, a refactor) is
# judged against the commit before it, not against figures from another
# day. Each build mounts its own copy of one tmpfs file in the default mode
# (persist=write) and with persist=fsync; fio psync 4 KiB random read warm,
# 4 KiB random write warm and 1 MiB sequential write warm, the two builds
# alternating inside every repetition. Prints per row the medians, the
# ratio new/old and each side's min-max, so that a difference can be set
# against the noise. A benchmark, not a test: it never fails on a figure.
#
# usage: scripts/bench/compare-daemons.sh OLD_DAEMON NEW_DAEMON [OUTPUT_DIR]
# environment:
#   BENCH_SIZE=256M         size of the file
#   BENCH_REPEAT=5          repetitions
#   BENCH_FIO_SECONDS=1     length of each fio run
#   OLD_OPTS, NEW_OPTS      extra -o options for one side only (e.g. a
#                           transport=dev the old build does not know)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/bench/fs-lib.sh"
. "$top/scripts/bench/fs-report.sh"

[ $# -ge 2 ] || bench_die "usage: $0 OLD_DAEMON NEW_DAEMON [OUTPUT_DIR]"
declare -A daemon_of=([old]=$1 [new]=$2) opts_of=([old]=${OLD_OPTS:-} [new]=${NEW_OPTS:-})
for side in old new; do
	[ -x "${daemon_of[$side]}" ] || bench_die "$side daemon '${daemon_of[$side]}' is not an executable"
done
out=${3:-./bench-compare}
data_bytes=$(parse_size "${BENCH_SIZE:-256M}")
repeat=${BENCH_REPEAT:-5}
fio_seconds=${BENCH_FIO_SECONDS:-1}
[[ $repeat =~ ^[1-9][0-9]*$ ]] || bench_die "BENCH_REPEAT must be a positive number"
[[ $fio_seconds =~ ^[1-9][0-9]*$ ]] || bench_die "BENCH_FIO_SECONDS must be a positive number"

# one benchmark at a time (shared with scripts/bench.sh)
exec 9>/tmp/pmemsetfs-bench.lock
flock 9
mkdir -p "$out"
out=$(cd "$out" && pwd)
raw_csv="$out/raw.csv"
echo "rep,system,workload,temp,jobs,metric,value" >"$raw_csv"
work=$(mktemp -d /dev/shm/pmemsetfs-compare.XXXXXX)
declare -A fs_pid=() fs_mnt=() fs_dir=()
can_drop_caches=0
cleanup() {
	local system
	for system in "${!fs_mnt[@]}"; do stop_fs "$system"; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

make_part "$work/data" "$data_bytes"
systems=""
for persist in write fsync; do
	for side in old new; do
		system=${side}_$persist
		systems+=" $system"
		mkdir -p "$work/$system"
		cp "$work/data" "$work/$system/data"
		echo "part data $work/$system/data" >"$work/$system/bench.set"
		opts="cache=page,persist=$persist${opts_of[$side]:+,${opts_of[$side]}}"
		start_fs "$system" "$work/mnt/$system" "${daemon_of[$side]}" -f -o "$opts" \
			"$work/$system/bench.set" "$work/mnt/$system"
		fs_dir[$system]=$work/mnt/$system
	done
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
workloads="randread4k randwrite4k overwrite1m"
for ((rep = 1; rep <= repeat; rep++)); do
	bench_log "repetition $rep/$repeat"
	for workload in $workloads; do
		# the order flips every repetition so neither side always goes first
		order=$systems
		if ((rep % 2 == 0)); then
			order=""
			for system in $systems; do order="$system $order"; done
		fi
		for system in $order; do measure_fio "$system" "$workload" warm 1; done
	done
done
summarize "$raw_csv" "$out/summary.csv"

{
	echo "old: ${daemon_of[old]} ${opts_of[old]}"
	echo "new: ${daemon_of[new]} ${opts_of[new]}"
	echo "$((data_bytes / 1048576)) MiB on tmpfs, $repeat repetitions, fio psync ${fio_seconds}s warm, 1 job;" \
		"load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) vCPUs)"
	printf "%-7s %-12s %-10s %-10s %-6s %-19s %-19s %s\n" persist workload old new new/old \
		"old min-max" "new min-max" "p50/p99 us old -> new"
	for persist in write fsync; do
		for workload in $workloads; do
			metric=$(rate_metric "$workload")
			o=$(figure "$out/summary.csv" "old_$persist" "$workload" warm 1 "$metric")
			n=$(figure "$out/summary.csv" "new_$persist" "$workload" warm 1 "$metric")
			span() { awk -F, -v s="$1" -v w="$workload" -v m="$metric" \
				'$1 == s && $2 == w && $5 == m { print $7 "-" $8 }' "$out/summary.csv"; }
			lat() { echo "$(figure "$out/summary.csv" "$1" "$workload" warm 1 p50_us)/$(figure "$out/summary.csv" "$1" "$workload" warm 1 p99_us)"; }
			printf "%-7s %-12s %-10s %-10s %-6s %-19s %-19s %s\n" "$persist" "$workload" \
				"$(fmt "$o")" "$(fmt "$n")" "$(ratio "$n" "$o")" "$(span "old_$persist")" \
				"$(span "new_$persist")" "$(lat "old_$persist") -> $(lat "new_$persist")"
		done
	done
} | tee "$out/report.txt"
