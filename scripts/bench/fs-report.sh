# shellcheck shell=bash
# fs-report.sh -- turns scripts/bench.sh's raw measurements into medians,
# the printed table with ratios, and the throughput-vs-block-size plot.
# Sourced, never run. Only POSIX awk, sort and gnuplot are used.

# raw.csv (rep,system,workload,bs,metric,value) -> summary.csv with
# system,workload,bs,metric,median,min,max,samples
summarize() {
	local raw=$1 summary=$2
	echo "system,workload,bs,metric,median,min,max,samples" >"$summary"
	tail -n +2 "$raw" | sort -t, -k2,2 -k3,3 -k4,4n -k5,5 -k6,6g |
		awk -F, '
		function flush() {
			if (n == 0) return
			med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%s,%.6g,%.6g,%.6g,%d\n", key, med, v[1], v[n], n
		}
		{
			k = $2 "," $3 "," $4 "," $5
			if (k != key) { flush(); key = k; n = 0 }
			v[++n] = $6
		}
		END { flush() }' >>"$summary"
}

# prints one figure of summary.csv: "median min max" or nothing
figure() {
	awk -F, -v s="$2" -v w="$3" -v b="$4" -v m="$5" \
		'$1 == s && $2 == w && $3 == b && $4 == m { print $5, $6, $7 }' "$1"
}

# the table: one row per workload, median [min-max] per system, then ratios
print_table() {
	local summary=$1 row label workload bs metric system cells ratio_cells
	local -A median
	local rows=(
		"seq read 1M GB/s|seq_read|1048576|GBps"
		"seq overwrite 1M GB/s|seq_write|1048576|GBps"
		"seq read 4k GB/s|seq_read|4096|GBps"
		"seq overwrite 4k GB/s|seq_write|4096|GBps"
		"randread 4k IOPS|randread|4096|IOPS"
		"randread 4k p50 us|randread|4096|p50_us"
		"randwrite 4k IOPS|randwrite|4096|IOPS"
		"randwrite 4k p50 us|randwrite|4096|p50_us"
		"hot re-read 1M GB/s|hot_read|1048576|GBps"
	)
	printf "%-22s" "median [min-max]"
	for system in $systems; do printf " %-23s" "$system"; done
	for system in $systems; do
		case $system in A_*) printf " %8s %8s" "$system/B" "$system/C" ;; esac
	done
	printf "\n"
	for row in "${rows[@]}"; do
		IFS='|' read -r label workload bs metric <<<"$row"
		cells="" ratio_cells=""
		for system in $systems; do
			read -r med lo hi <<<"$(figure "$summary" "$system" "$workload" "$bs" "$metric")"
			median[$system]=${med:-}
			if [ -n "${med:-}" ]; then
				cells+=$(printf " %-23s" "$(fmt "$med") [$(fmt "$lo")-$(fmt "$hi")]")
			else
				cells+=$(printf " %-23s" "-")
			fi
		done
		for system in $systems; do
			case $system in A_*) ;; *) continue ;; esac
			ratio_cells+=$(printf " %8s %8s" \
				"$(ratio "${median[$system]}" "${median[B]:-}")" \
				"$(ratio "${median[$system]}" "${median[C]:-}")")
		done
		printf "%-22s%s%s\n" "$label" "$cells" "$ratio_cells"
	done
}

# three significant figures; large counts as k and M so that cells stay short
fmt() {
	awk -v x="$1" 'BEGIN {
		if (x >= 1e6) printf "%.3gM", x / 1e6
		else if (x >= 1e4) printf "%.3gk", x / 1e3
		else if (x >= 100) printf "%.0f", x
		else printf "%.3g", x }'
}

ratio() {
	if [ -z "$1" ] || [ -z "$2" ]; then
		echo "-"
		return
	fi
	awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'
}

# the issue's targets, each judged on medians of this run
print_targets() {
	local summary=$1 system
	echo "targets (issue 6), medians of this run:"
	for system in $systems; do
		case $system in A_*) ;; *) continue ;; esac
		target_line "$summary" "$system" B seq_read 1048576 GBps 1.5 "sequential 1M read A/B"
		target_line "$summary" "$system" B seq_write 1048576 GBps 1.5 "sequential 1M overwrite A/B"
		target_line "$summary" "$system" B randread 4096 IOPS 1.2 "4k random read IOPS A/B"
		target_line "$summary" "$system" B randwrite 4096 IOPS 1.2 "4k random write IOPS A/B"
		target_line "$summary" "$system" C hot_read 1048576 GBps 0.7 "hot re-read A/C"
	done
}

target_line() {
	local summary=$1 a=$2 ref=$3 workload=$4 bs=$5 metric=$6 goal=$7 label=$8
	local ma mr r verdict
	read -r ma _ <<<"$(figure "$summary" "$a" "$workload" "$bs" "$metric")"
	read -r mr _ <<<"$(figure "$summary" "$ref" "$workload" "$bs" "$metric")"
	[ -n "${ma:-}" ] && [ -n "${mr:-}" ] || return 0
	r=$(ratio "$ma" "$mr")
	verdict=$(awk -v r="$r" -v g="$goal" 'BEGIN { print (r >= g) ? "meets" : "MISSES" }')
	printf "  %-8s %-30s %6s (target >= %s) %s\n" "$a" "$label" "$r" "$goal" "$verdict"
}

# plot.dat blocks (one per system and workload) for gnuplot, then the PNG
plot_sweep() {
	local summary=$1 out=$2 system workload data="$2/plot.dat" script
	: >"$data"
	for workload in seq_read seq_write; do
		for system in $systems; do
			echo "# $workload $system" >>"$data"
			awk -F, -v s="$system" -v w="$workload" \
				'$1 == s && $2 == w && $4 == "GBps" { print $3 / 1024, $5, $6, $7 }' \
				"$summary" | sort -n >>"$data"
			printf "\n\n" >>"$data"
		done
	done
	script="$out/plot.gp"
	{
		echo "set terminal pngcairo size 1200,560 font 'sans,10'"
		echo "set output '$out/throughput-vs-block-size.png'"
		echo "set multiplot layout 1,2 title 'pmemsetfs benchmark: sequential throughput vs block size ($machine_line)'"
		echo "set logscale x 2; set xrange [3:1400]; set grid"
		echo "set xtics ('4K' 4, '8K' 8, '16K' 16, '32K' 32, '64K' 64, '128K' 128, '256K' 256, '512K' 512, '1M' 1024)"
		echo "set xlabel 'block size (dd bs)'; set ylabel 'GB/s (median, bars: min-max)'"
		echo "set key below; set bmargin 7; set yrange [0:*]"
		local index=0 panel title plots
		for workload in seq_read seq_write; do
			case $workload in
			seq_read) title="sequential read (cold)" ;;
			seq_write) title="sequential overwrite (with fsync)" ;;
			esac
			plots=""
			for system in $systems; do
				plots+="'$data' index $index using 1:2:3:4 with yerrorlines lw 2 title '$(system_title "$system")', "
				index=$((index + 1))
			done
			echo "set title '$title'"
			echo "plot ${plots%, }"
		done
		echo "unset multiplot"
	} >"$script"
	gnuplot "$script" || bench_log "gnuplot failed; data is in $data"
}

system_title() {
	case $1 in
	A_write) echo "A: pmemsetfs persist=write" ;;
	A_fsync) echo "A: pmemsetfs persist=fsync" ;;
	B) echo "B: passthrough\\_ll cache=never" ;;
	C) echo "C: tmpfs directly" ;;
	*) echo "$1" ;;
	esac
}
