# shellcheck shell=bash
# fs-report.sh -- turns scripts/bench.sh's raw measurements into medians,
# the printed tables with ratios, the page-cache targets and the plot.
# Sourced, never run. Only POSIX awk, sort and gnuplot are used.

# raw.csv (rep,system,workload,temp,jobs,metric,value) -> summary.csv with
# system,workload,temp,jobs,metric,median,min,max,samples
summarize() {
	local raw=$1 summary=$2
	echo "system,workload,temp,jobs,metric,median,min,max,samples" >"$summary"
	tail -n +2 "$raw" | sort -t, -k2,2 -k3,3 -k4,4 -k5,5n -k6,6 -k7,7g |
		awk -F, '
		function flush() {
			if (n == 0) return
			med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%s,%.6g,%.6g,%.6g,%d\n", key, med, v[1], v[n], n
		}
		{
			k = $2 "," $3 "," $4 "," $5 "," $6
			if (k != key) { flush(); key = k; n = 0 }
			v[++n] = $7
		}
		END { flush() }' >>"$summary"
}

# median of one figure, or nothing: figure SUMMARY SYSTEM WORKLOAD TEMP JOBS METRIC
figure() {
	awk -F, -v s="$2" -v w="$3" -v t="$4" -v j="$5" -v m="$6" \
		'$1 == s && $2 == w && $3 == t && $4 == j && $5 == m { print $6 }' "$1"
}

# the metric a workload's throughput is given in
rate_metric() { case $1 in *4k) echo IOPS ;; *) echo GBps ;; esac; }

# the passthrough_ll mode that matches a pmemsetfs mode
peer_of() {
	case $1 in
	A_direct_*) echo B_never ;;
	A_page_write*) echo B_always ;;
	A_page_fsync*) echo B_writeback ;;
	esac
}

fmt() { awk -v x="$1" 'BEGIN { if (x >= 1000) printf "%.0fk", x / 1000; else if (x >= 10) printf "%.0f", x; else printf "%.3g", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }

# per temperature and job count: throughput (x tmpfs, x peer) and 4 KiB
# latencies, one row per system
print_tables() {
	local summary=$1 temp jobs system workload v c p line
	for temp in warm cold warm-loaded cold-loaded; do
		for jobs in 1 2 4; do
			grep -q ",$temp,$jobs,IOPS," "$summary" || continue
			echo "== $temp, $jobs job(s): IOPS (4k) or GB/s (1m), median (x tmpfs, x passthrough peer) =="
			printf "%-18s" system
			for workload in $workloads; do printf " %-21s" "$workload"; done
			printf "\n"
			for system in $systems; do
				line=$(printf "%-18s" "$system") c=""
				for workload in $workloads; do
					v=$(figure "$summary" "$system" "$workload" "$temp" "$jobs" "$(rate_metric "$workload")")
					[ -n "$v" ] && c=1
					p=$(peer_of "$system")
					line+=$(printf " %-21s" "$( [ -n "$v" ] && echo "$(fmt "$v") ($(ratio "$v" "$(figure "$summary" C "$workload" "$temp" "$jobs" "$(rate_metric "$workload")")"),$( [ -n "$p" ] && ratio "$v" "$(figure "$summary" "$p" "$workload" "$temp" "$jobs" "$(rate_metric "$workload")")" || echo -))" || echo -)")
				done
				[ -n "$c" ] && echo "$line"
			done
			echo "-- clat p50/p99 in us, 4 KiB workloads"
			for system in $systems; do
				line=$(printf "%-18s" "$system") c=""
				for workload in randread4k randwrite4k seqwrite4k; do
					v=$(figure "$summary" "$system" "$workload" "$temp" "$jobs" p50_us)
					[ -n "$v" ] && c=1
					line+=$(printf " %-12s %-16s" "$workload" "$(fmt "${v:-0}")/$(fmt "$(figure "$summary" "$system" "$workload" "$temp" "$jobs" p99_us)")")
				done
				[ -n "$c" ] && echo "$line"
			done
			echo
		done
	done
}

# target LABEL SYSTEM WORKLOAD REF BOUND: one line of the targets (warm, 1 job)
target() {
	local label=$1 system=$2 workload=$3 ref=$4 bound=$5 metric a b r verdict
	metric=$(rate_metric "$workload")
	a=$(figure "$summary_file" "$system" "$workload" warm 1 "$metric")
	b=$(figure "$summary_file" "$ref" "$workload" warm 1 "$metric")
	r=$(ratio "$a" "$b")
	if [ "$r" = - ]; then
		verdict="not measured"
	elif [ "$verdict_ok" != 1 ]; then
		verdict="(no verdict: run smaller than the default)"
	else
		verdict=$(awk -v r="$r" -v b="$bound" 'BEGIN { print (r >= b) ? "met" : "MISSED" }')
	fi
	printf "  %-52s %s/%s = %s (>= %s) %s\n" "$label" "$system" "$ref" "$r" "$bound" "$verdict"
}

# the targets set when the page cache became the default mount (see
# scripts/bench/README.md), warm, 1 job, medians of this run
print_targets() {
	summary_file=$1 verdict_ok=$2
	echo "targets (warm, 1 job, medians of this run):"
	target "4 KiB random read, warm (write-through mount)" A_page_write randread4k C 0.8
	target "4 KiB random read, warm (writeback mount)" A_page_fsync randread4k C 0.8
	target "4 KiB random write, persist=fsync" A_page_fsync randwrite4k C 0.3
	target "4 KiB sequential write, persist=fsync" A_page_fsync seqwrite4k C 0.5
	target "4 KiB random write, persist=write" A_page_write randwrite4k B_never 1.3
	local s
	for s in A_page_write B_never; do
		echo "      $s randwrite4k clat p50/p99 us: $(figure "$summary_file" $s randwrite4k warm 1 p50_us)/$(figure "$summary_file" $s randwrite4k warm 1 p99_us)"
	done
	target "1 MiB read, warm, persist=write" A_page_write read1m C 0.8
	target "1 MiB read, warm, persist=fsync" A_page_fsync read1m C 0.8
	target "1 MiB overwrite, warm, persist=write" A_page_write overwrite1m C 0.8
	target "1 MiB overwrite, warm, persist=fsync" A_page_fsync overwrite1m C 0.8
}

# one PNG: warm 1-job throughput relative to tmpfs (left) beside the 4 KiB
# p99 completion latency (right); $3 says how the run was made
plot_results() {
	local summary=$1 png=$2 made=$3 dat="$work/plot.dat" lat="$work/lat.dat" system workload
	{
		printf "system"
		for workload in $workloads; do printf " %s" "$workload"; done
		printf "\n"
		for system in $systems; do
			printf "%s" "$system"
			for workload in $workloads; do
				printf " %s" "$(ratio "$(figure "$summary" "$system" "$workload" warm 1 "$(rate_metric "$workload")")" \
					"$(figure "$summary" C "$workload" warm 1 "$(rate_metric "$workload")")" | sed 's/^-$/0/')"
			done
			printf "\n"
		done
	} >"$dat"
	{
		echo "system randread4k randwrite4k seqwrite4k"
		for system in $systems; do
			printf "%s" "$system"
			for workload in randread4k randwrite4k seqwrite4k; do
				printf " %s" "$(figure "$summary" "$system" "$workload" warm 1 p99_us)"
			done
			printf "\n"
		done
	} >"$lat"
	gnuplot <<PLOT || bench_log "gnuplot failed; no plot"
set terminal pngcairo size 1800,700 font ",10" noenhanced
set output "$png"
set multiplot layout 1,2 title "pmemsetfs vs passthrough_ll vs tmpfs: $made"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside bottom horizontal
set xtics rotate by -35 noenhanced
set grid ytics
set title "warm, 1 job: throughput relative to tmpfs (IOPS or GB/s)"
set ylabel "x tmpfs"
plot for [i=2:6] "$dat" using i:xtic(1) title columnheader(i) noenhanced
set title "warm, 1 job: 4 KiB completion latency p99"
set ylabel "us (log)"
set logscale y
plot for [i=2:4] "$lat" using i:xtic(1) title columnheader(i) noenhanced
unset multiplot
PLOT
}
