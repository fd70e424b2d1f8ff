#!/usr/bin/env bash
# The file-system benchmark: pmemsetfs in each of its
# modes (A) against libfuse's passthrough_ll in the matching cache mode (B)
# over the same file, and the file itself on tmpfs (C, the physical limit
# here), plus A again with PMEM2_FORCE_GRANULARITY=CACHE_LINE (libpmem2
# then persists with CPU cache flushes, as on real persistent memory).
# fio psync, warm (cache pre-read, invalidate=0) and cold (every cache
# dropped) reported separately; 4 KiB random read, random write and
# sequential write, 1 MiB read and overwrite; 1, 2 and 4 jobs; completion
# latency p50/p99. Systems alternate inside every repetition; medians.
# A benchmark, not a test: it reports the targets, it does not fail on them.
#
# usage: scripts/bench.sh [OUTPUT_DIR]          (default ./bench-results)
# environment:
#   BENCH_SIZE=256M        size of the file (a part of one set)
#   BENCH_REPEAT=3         repetitions of every measurement
#   BENCH_FIO_SECONDS=1    length of each warm fio run (a default run takes
#                          about 13 minutes on 2 vCPUs)
#   BENCH_JOBS="1 2 4"     fio numjobs for the warm 4 KiB runs (cold and 1 MiB: 1)
#   BENCH_SYSTEMS="..."    which systems to run (default: all, see below)
#   BENCH_PERF=0           1: afterwards, a perf profile of the whole machine
#                          during each workload on A_page_write/A_page_fsync
#   BENCH_LOAD=quiet       "quiet loaded": everything again with one CPU-bound
#                          process per vCPU running beside every system alike
#                          (rows "warm-loaded", "cold-loaded")
#   BENCH_WORKLOADS="..."  which workloads to run (default: all five:
#                          randread4k randwrite4k seqwrite4k read1m overwrite1m)
#   BENCH_DAEMON=          a daemon already built (e.g. the build the tests
#                          ran on) instead of a Release build in build-bench
# Systems ending in _uring mount with -o transport=uring (FUSE over
# io_uring), the other A_ systems with -o transport=dev; for them the run
# turns /sys/module/fuse/parameters/enable_uring on and puts it back.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
. "$top/scripts/bench/fs-lib.sh"
. "$top/scripts/bench/fs-report.sh"
pmemsetfs_install_deps "${pmemsetfs_packages[@]}"
# the benchmark's own tools, without what they merely recommend
bench_missing=()
for pkg in fio jq gnuplot-nox; do
	[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] ||
		bench_missing+=("$pkg")
done
if [ ${#bench_missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${bench_missing[@]}"
fi

# A_<cache>_<persist>[_cl|_uring]: pmemsetfs -o cache=,persist= (_cl:
#   CACHE_LINE; _uring: -o transport=uring)
# B_never / B_always / B_writeback: passthrough_ll -o cache=never,
#   -o cache=always, -o cache=always -o writeback;  C: tmpfs
all_systems="A_page_write A_page_fsync A_direct_write A_direct_fsync
B_never B_always B_writeback C
A_page_write_cl A_page_fsync_cl A_direct_write_cl A_direct_fsync_cl
A_page_write_uring A_page_fsync_uring A_direct_write_uring"
default_size=256M default_repeat=3 default_fio_seconds=1

out=${1:-./bench-results}
data_bytes=$(parse_size "${BENCH_SIZE:-$default_size}")
repeat=${BENCH_REPEAT:-$default_repeat}
fio_seconds=${BENCH_FIO_SECONDS:-$default_fio_seconds}
jobs_list=${BENCH_JOBS:-1 2 4}
loads=${BENCH_LOAD:-quiet}
systems=$(echo ${BENCH_SYSTEMS:-$all_systems})
[[ $repeat =~ ^[1-9][0-9]*$ ]] || bench_die "BENCH_REPEAT must be a positive number"
[[ $fio_seconds =~ ^[1-9][0-9]*$ ]] || bench_die "BENCH_FIO_SECONDS must be a positive number"
((data_bytes >= 16 * 1048576 && data_bytes % (4 * 1048576) == 0)) ||
	bench_die "BENCH_SIZE must be a multiple of 4M, at least 16M"
for load in $loads; do
	[[ $load =~ ^(quiet|loaded)$ ]] || bench_die "BENCH_LOAD: $load is not quiet or loaded"
done
all_workloads="randread4k randwrite4k seqwrite4k read1m overwrite1m"
workloads=$(echo ${BENCH_WORKLOADS:-$all_workloads})
for workload in $workloads; do
	case " $all_workloads " in *" $workload "*) ;;
	*) bench_die "unknown workload '$workload' in BENCH_WORKLOADS" ;; esac
done
for j in $jobs_list; do
	[[ $j =~ ^[124]$ ]] || bench_die "BENCH_JOBS: $j is not 1, 2 or 4"
done
for system in $systems; do
	case " $(echo $all_systems) " in *" $system "*) ;;
	*) bench_die "unknown system '$system' in BENCH_SYSTEMS" ;; esac
done
# verdicts only for runs at least as big as the default one
full_run=0
((data_bytes >= $(parse_size $default_size) && repeat >= default_repeat &&
	fio_seconds >= default_fio_seconds)) && full_run=1

# one benchmark at a time on this machine: two runs would disturb each
# other's figures (and must not share an output directory)
exec 9>/tmp/pmemsetfs-bench.lock
if ! flock -n 9; then
	bench_log "waiting for another benchmark run to finish (/tmp/pmemsetfs-bench.lock)"
	flock 9
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
raw_csv="$out/raw.csv"
echo "rep,system,workload,temp,jobs,metric,value" >"$raw_csv"
work=$(mktemp -d /dev/shm/pmemsetfs-bench.XXXXXX)
declare -A fs_pid=() fs_mnt=() fs_dir=() rss_before=()
hogs=() uring_param=/sys/module/fuse/parameters/enable_uring uring_was=""
cleanup() {
	local system
	stop_hogs
	for system in "${!fs_mnt[@]}"; do stop_fs "$system"; done
	[ -z "$uring_was" ] || echo "$uring_was" >"$uring_param" || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

can_drop_caches=0
[ -w /proc/sys/vm/drop_caches ] && can_drop_caches=1
cpu_model=$(lscpu | sed -n 's/^Model name: *//p')
machine_line="$cpu_model, $(nproc) vCPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB"
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$top" diff --quiet HEAD 2>/dev/null || commit="$commit+changes"
started=$(date +%s)
run_date=$(date -u '+%Y-%m-%d %H:%M UTC')
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

case " $systems " in *_uring" "*)
	uring_was=$(cat "$uring_param" 2>/dev/null) ||
		bench_die "the _uring systems need FUSE over io_uring: this kernel has no $uring_param"
	echo Y >"$uring_param" ||
		bench_die "the _uring systems need $uring_param on and it is not writable here"
	;;
esac

bench_log "building"
mkdir -p "$work/passthrough"
pt_bin=$(build_passthrough "$work/passthrough")
case " $systems " in *" A_"*)
	if [ -n "${BENCH_DAEMON:-}" ]; then
		[ -x "$BENCH_DAEMON" ] || bench_die "BENCH_DAEMON '$BENCH_DAEMON' is not an executable"
		daemon=$BENCH_DAEMON
	else
		daemon=$(build_daemon "$top/build-bench")
	fi
	;;
esac

bench_log "creating a $((data_bytes / 1048576)) MiB file in $work/parts"
mkdir -p "$work/parts"
make_part "$work/parts/data" "$data_bytes"
# Each pmemsetfs mode maps a file of its own: a mount locks its sources, and
# modes that shared one file would see each other's cached pages.
for system in $systems; do
	case $system in A_*) ;; *) continue ;; esac
	mkdir -p "$work/a/$system"
	cp "$work/parts/data" "$work/a/$system/data"
	cat >"$work/a/$system/bench.set" <<EOF2
# scripts/bench.sh: one part, the whole file on tmpfs
part data $work/a/$system/data
EOF2
done

for system in $systems; do
	mnt=$work/mnt/$system
	case $system in
	A_*)
		mode=${system#A_} transport=dev
		case $mode in *_uring) mode=${mode%_uring} transport=uring ;; esac
		cache=${mode%%_*} persist=${mode#*_} env=()
		case $persist in *_cl) persist=${persist%_cl} env=(PMEM2_FORCE_GRANULARITY=CACHE_LINE) ;; esac
		start_fs "$system" "$mnt" env "${env[@]}" "$daemon" -f \
			-o "cache=$cache,persist=$persist,transport=$transport" \
			"$work/a/$system/bench.set" "$mnt"
		;;
	B_never) start_fs "$system" "$mnt" "$pt_bin" -f -o source="$work/parts" -o cache=never "$mnt" ;;
	B_always) start_fs "$system" "$mnt" "$pt_bin" -f -o source="$work/parts" -o cache=always "$mnt" ;;
	B_writeback) start_fs "$system" "$mnt" "$pt_bin" -f -o source="$work/parts" -o cache=always -o writeback "$mnt" ;;
	C) mnt=$work/parts ;;
	esac
	fs_dir[$system]=$mnt
	[ -n "${fs_pid[$system]:-}" ] && rss_before[$system]=$(rss_of "${fs_pid[$system]}")
done

bench_log "measuring: $(echo $systems | wc -w) systems, $repeat repetitions," \
	"fio ${fio_seconds}s, jobs '$jobs_list', $((data_bytes / 1048576)) MiB"
for load in $loads; do
load_suffix=""
if [ "$load" = loaded ]; then
	load_suffix=-loaded
	start_hogs
fi
for ((rep = 1; rep <= repeat; rep++)); do
	bench_log "$load: repetition $rep/$repeat ($(($(date +%s) - started)) s so far)"
	for workload in $workloads; do
		for jobs in $jobs_list; do
			for system in $systems; do
				# scaling: 4 KiB in the page modes, B and C; the
				# CACHE_LINE, direct and 1 MiB runs take one job
				# (a default run must stay under 15 minutes)
				case $system in *_cl | A_direct_*) [ "$jobs" = 1 ] || continue ;; esac
				case $workload in *1m) [ "$jobs" = 1 ] || continue ;; esac
				measure_fio "$system" "$workload" warm "$jobs"
			done
		done
		for system in $systems; do
			case $system in *_cl) continue ;; esac
			measure_fio "$system" "$workload" cold 1
		done
	done
done
stop_hogs
done
rss_after_line=()
for system in $systems; do
	[ -n "${fs_pid[$system]:-}" ] || continue
	rss_after_line+=("$system before: ${rss_before[$system]}, after: $(rss_of "${fs_pid[$system]}")")
	case $system in A_*) rss_after_line+=("  $system moved $(bytes_moved "$system") through the daemon") ;; esac
done
if [ "${BENCH_PERF:-0}" = 1 ] && ! command -v perf >/dev/null; then
	bench_log "BENCH_PERF=1 but perf is not installed (Debian: linux-perf); no profiles"
elif [ "${BENCH_PERF:-0}" = 1 ]; then
	for system in A_page_write A_page_fsync; do
		case " $systems " in *" $system "*) ;; *) continue ;; esac
		for workload in $workloads; do profile_system "$system" "$workload"; done
	done
fi

summarize "$raw_csv" "$out/summary.csv"
made="$((data_bytes / 1048576)) MiB, $repeat reps, fio ${fio_seconds}s, $run_date, commit $commit, $cpu_model"
plot_results "$out/summary.csv" "$out/throughput-and-latency.png" "$made"
{
	echo "pmemsetfs file-system benchmark, $run_date, commit $commit"
	echo "machine: $machine_line, kernel $(uname -r), $(fio --version), libfuse $(pkg-config --modversion fuse3)"
	echo "file: $((data_bytes / 1048576)) MiB on tmpfs (one part); $repeat repetitions, systems alternated in each;" \
		"fio psync, warm runs ${fio_seconds}s time based after one read of the file, invalidate=0;" \
		"cold runs one pass after dropping caches, invalidate=1; writes end with fsync (in the time)"
	[ "$can_drop_caches" = 1 ] || echo "page caches NOT dropped (not root): 'cold' is not cold"
	echo "A_<cache>_<persist>: pmemsetfs -o cache=,persist= (_cl: PMEM2_FORCE_GRANULARITY=CACHE_LINE);" \
		"B: passthrough_ll -o cache=never | cache=always | cache=always,writeback; C: tmpfs"
	echo "load average (1/5/15 min) at start: $load_at_start"
	echo "loads: $loads (loaded: one CPU-bound process per vCPU beside every system; rows *-loaded)"
	echo
	print_tables "$out/summary.csv"
	echo
	print_targets "$out/summary.csv" "$full_run"
	echo
	echo "daemon memory in KiB (RssShmem counts the mapped tmpfs file; RssAnon is the daemon's own):"
	for line in "${rss_after_line[@]}"; do echo "  $line"; done
	echo
	echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) vCPUs; other load makes the figures noisy)"
	echo "elapsed: $(($(date +%s) - started)) s; results in $out"
} | tee "$out/report.txt"
