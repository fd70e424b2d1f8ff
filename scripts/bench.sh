#!/usr/bin/env bash
# Issue 6's file-system benchmark: pmemsetfs (A, persist=write and
# persist=fsync) against libfuse's passthrough_ll -o cache=never (B) over the
# same part files, and the files read and written directly on tmpfs (C).
# Builds what it needs, creates the parts on /dev/shm, alternates the
# systems inside every repetition, and prints medians [min-max] with the
# ratios A/B and A/C; writes raw.csv, summary.csv and a PNG plot of
# throughput against block size into the output directory. A benchmark, not
# a test: it reports the targets, it does not fail on them.
#
# usage: scripts/bench.sh [OUTPUT_DIR]          (default ./bench-results)
# environment:
#   BENCH_SIZE=1G          total size of the parts (seq 1/2, rand 1/4, hot 1/4)
#   BENCH_REPEAT=5         repetitions of every measurement
#   BENCH_FIO_SECONDS=10   length of each fio run (a default run takes about
#                          8.5 minutes; 5 makes it about 5)
#   BENCH_SYSTEMS="A_write A_fsync B C"   which systems to run
#   BENCH_BLOCK_SIZES="4k 16k 64k 256k 1M"  dd block sizes for the sweep
#   BENCH_A_OPTIONS=""     extra pmemsetfs options for both A mounts, e.g.
#                          "-o cache=page" (printed with the results)
#   BENCH_DIRECT=0         1: add iflag/oflag=direct where a system allows it
#   BENCH_NICE=0           e.g. -10: run everything (daemons, dd, fio) at that
#                          niceness, to be less disturbed by other load (root)
#   BENCH_PERF=0           1: afterwards, profile each pmemsetfs daemon with
#                          perf during 1 MiB read, overwrite, hot re-read and
#                          4 KiB random read
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
. "$top/scripts/bench/fs-lib.sh"
. "$top/scripts/bench/fs-report.sh"
pmemsetfs_install_deps "${pmemsetfs_packages[@]}" fio jq gnuplot-nox

out=${1:-./bench-results}
total_bytes=$(parse_size "${BENCH_SIZE:-1G}")
repeat=${BENCH_REPEAT:-5}
fio_seconds=${BENCH_FIO_SECONDS:-10}
systems=${BENCH_SYSTEMS:-A_write A_fsync B C}
block_sizes=${BENCH_BLOCK_SIZES:-4k 16k 64k 256k 1M}
[[ $repeat =~ ^[1-9][0-9]*$ ]] || bench_die "BENCH_REPEAT must be a positive number"
[[ $fio_seconds =~ ^[1-9][0-9]*$ ]] || bench_die "BENCH_FIO_SECONDS must be a positive number"
((total_bytes >= 16 * 1048576)) || bench_die "BENCH_SIZE must be at least 16M"
for system in $systems; do
	case $system in A_write | A_fsync | B | C) ;; *) bench_die "unknown system '$system' in BENCH_SYSTEMS" ;; esac
done
# part sizes in whole MiB: the sequential part gets half, the others a quarter
quarter_mib=$((total_bytes / 4 / 1048576))
seq_bytes=$((2 * quarter_mib * 1048576))
rand_bytes=$((quarter_mib * 1048576))
hot_bytes=$((quarter_mib * 1048576))
bs_bytes=()
for bs in $block_sizes; do
	b=$(parse_size "$bs")
	((b >= 512 && seq_bytes % b == 0)) || bench_die "block size $bs must divide the seq part"
	bs_bytes+=("$b")
done

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
echo "rep,system,workload,bs,metric,value" >"$raw_csv"
rss_csv="$out/rss.csv"
echo "when,system,VmRSS_KiB,RssAnon_KiB,RssFile_KiB,RssShmem_KiB" >"$rss_csv"
work=$(mktemp -d /dev/shm/pmemsetfs-bench.XXXXXX)
declare -A fs_pid=() fs_mnt=() fs_dir=() direct_iflag=() direct_oflag=()
declare -A rss_before=()
cleanup() {
	local system
	for system in "${!fs_mnt[@]}"; do stop_fs "$system"; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${BENCH_NICE:-0}" != 0 ]; then
	renice -n "$BENCH_NICE" -p $$ >/dev/null || bench_die "cannot renice to $BENCH_NICE"
fi
can_drop_caches=0
[ -w /proc/sys/vm/drop_caches ] && can_drop_caches=1
machine_line="$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB"
started=$(date +%s)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

bench_log "building"
mkdir -p "$work/passthrough"
pt_bin=$(build_passthrough "$work/passthrough")
case " $systems " in *" A_"*) daemon=$(build_daemon "$top/build-bench") ;; esac

bench_log "creating $((total_bytes / 1048576)) MiB of parts in $work/parts"
mkdir -p "$work/parts"
make_part "$work/parts/seq" "$seq_bytes"
make_part "$work/parts/rand" "$rand_bytes"
make_part "$work/parts/hot" "$hot_bytes"
cat >"$work/bench.set" <<EOF
# scripts/bench.sh: one part per workload, each a whole file on tmpfs
part seq $work/parts/seq
part rand $work/parts/rand
part hot $work/parts/hot
EOF

for system in $systems; do
	case $system in
	A_write | A_fsync)
		# shellcheck disable=SC2086 # BENCH_A_OPTIONS is a list of words
		start_fs "$system" "$work/mnt/$system" \
			"$daemon" -f -o "persist=${system#A_}" ${BENCH_A_OPTIONS:-} \
			"$work/bench.set" "$work/mnt/$system"
		fs_dir[$system]=$work/mnt/$system
		;;
	B)
		start_fs B "$work/mnt/B" \
			"$pt_bin" -f -o source="$work/parts" -o cache=never "$work/mnt/B"
		fs_dir[B]=$work/mnt/B
		;;
	C) fs_dir[C]=$work/parts ;;
	esac
	direct_iflag[$system]=$(direct_flag "$system" iflag)
	direct_oflag[$system]=$(direct_flag "$system" oflag)
	if [ -n "${fs_pid[$system]:-}" ]; then
		rss_before[$system]=$(rss_of "${fs_pid[$system]}")
	fi
done
record_rss before

bench_log "measuring: systems '$systems', $repeat repetitions, fio ${fio_seconds}s," \
	"block sizes '$block_sizes'"
for ((rep = 1; rep <= repeat; rep++)); do
	bench_log "repetition $rep/$repeat ($(($(date +%s) - started)) s so far)"
	for bs in "${bs_bytes[@]}"; do
		for system in $systems; do measure_seq_read "$system" "$bs"; done
	done
	for bs in "${bs_bytes[@]}"; do
		for system in $systems; do measure_seq_write "$system" "$bs"; done
	done
	for system in $systems; do measure_fio "$system" randread; done
	for system in $systems; do measure_fio "$system" randwrite; done
	for system in $systems; do measure_hot_read "$system"; done
	record_rss "after_rep_$rep"
done
rss_after_line=()
for system in $systems; do
	[ -n "${fs_pid[$system]:-}" ] || continue
	rss_after_line+=("$system after:  $(rss_of "${fs_pid[$system]}")")
	case $system in A_*) rss_after_line+=("$system moved $(bytes_moved "$system") through the daemon (status counters)") ;; esac
done
if [ "${BENCH_PERF:-0}" = 1 ] && ! command -v perf >/dev/null; then
	bench_log "BENCH_PERF=1 but perf is not installed (Debian: linux-perf); no profiles"
elif [ "${BENCH_PERF:-0}" = 1 ]; then
	for system in $systems; do
		case $system in A_*) ;; *) continue ;; esac
		for workload in seq_read seq_write hot_read randread; do
			profile_daemon "$system" "$workload"
		done
	done
fi

summarize "$raw_csv" "$out/summary.csv"
plot_sweep "$out/summary.csv" "$out"
{
	echo "pmemsetfs file-system benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $machine_line, kernel $(uname -r), $(fio --version), libfuse $(pkg-config --modversion fuse3)"
	echo "parts on tmpfs: seq $((seq_bytes / 1048576)) MiB, rand $((rand_bytes / 1048576)) MiB," \
		"hot $((hot_bytes / 1048576)) MiB; $repeat repetitions, systems alternated in each;" \
		"fio 4k psync 1 job ${fio_seconds}s"
	echo "A: pmemsetfs -o persist=write|fsync ${BENCH_A_OPTIONS:+$BENCH_A_OPTIONS }(daemon defaults otherwise);" \
		"B: passthrough_ll -o cache=never (libfuse $(pkg-config --modversion fuse3) example, its defaults otherwise)"
	cold_note="page caches dropped before each cold sequential read"
	[ "$can_drop_caches" = 1 ] || cold_note="page caches NOT dropped (not root)"
	echo "reads: buffered, $cold_note; overwrites: dd conv=notrunc,fsync" \
		"(time includes the fsync); randwrite: fio end_fsync=1"
	for system in $systems; do
		[ -n "${direct_iflag[$system]}${direct_oflag[$system]}" ] &&
			echo "O_DIRECT used for $system: ${direct_iflag[$system]} ${direct_oflag[$system]}"
	done
	echo
	print_table "$out/summary.csv"
	echo "(ratios are A over B or C: above 1 is better for GB/s and IOPS, below 1 for latency)"
	echo
	print_targets "$out/summary.csv"
	echo
	echo "daemon memory in KiB (RssShmem counts pages of the mapped tmpfs parts, which"
	echo "are the parts themselves; RssAnon is the daemon's own memory):"
	for system in $systems; do
		[ -n "${fs_pid[$system]:-}" ] || continue
		echo "  $system before: ${rss_before[$system]}"
	done
	for line in "${rss_after_line[@]}"; do echo "  $line"; done
	echo "  RssAnon per repetition (rss.csv):"
	for system in $systems; do
		[ -n "${fs_pid[$system]:-}" ] || continue
		echo "    $system: $(awk -F, -v s="$system" '$2 == s { printf "%s ", $4 }' "$rss_csv")"
	done
	echo
	echo "load average (1/5/15 min) at start: $load_at_start, at end: $(cut -d' ' -f1-3 /proc/loadavg)" \
		"(on $(nproc) cores; other load makes the figures noisy); niceness $(ps -o ni= -p $$ | tr -d ' ')"
	echo "elapsed: $(($(date +%s) - started)) s; results in $out"
} | tee "$out/report.txt"
