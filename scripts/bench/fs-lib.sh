# shellcheck shell=bash
# fs-lib.sh -- building, mounting and measuring for scripts/bench.sh (the
# file-system benchmark). Sourced, never run. The
# systems are listed in bench.sh; every measurement appends
# "rep,system,workload,temp,jobs,metric,value" to $raw_csv.

bench_log() { echo "bench: $*" >&2; }
bench_die() {
	echo "bench: error: $*" >&2
	exit 1
}

# "1G", "256M", "512K" or plain bytes -> bytes
parse_size() {
	local bytes
	bytes=$(numfmt --from=iec "${1^^}" 2>/dev/null) ||
		bench_die "cannot read size '$1' (use e.g. 1G, 256M)"
	echo "$bytes"
}

# builds the daemon (Release) into $1 and prints its path
build_daemon() {
	local build=$1
	if [ ! -f "$build/CMakeCache.txt" ]; then
		cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	fi
	cmake --build "$build" --target pmemsetfs -j "$(nproc)" >/dev/null ||
		bench_die "building pmemsetfs failed"
	local daemon
	daemon=$(find "$build" -type f -name pmemsetfs -perm -u+x -print -quit)
	[ -n "$daemon" ] || bench_die "no pmemsetfs binary under $build"
	echo "$daemon"
}

# compiles libfuse's passthrough_ll example (from the libfuse3-dev package,
# never copied into the repository) in directory $1; prints the binary's path
build_passthrough() {
	local dir=$1 examples=/usr/share/doc/libfuse3-dev/examples name
	for name in passthrough_ll.c passthrough_helpers.h; do
		if [ -f "$examples/$name" ]; then
			cp "$examples/$name" "$dir/"
		elif [ -f "$examples/$name.gz" ]; then
			gzip -dc "$examples/$name.gz" >"$dir/$name"
		else
			bench_die "no $name in $examples (is libfuse3-dev installed?)"
		fi
	done
	# shellcheck disable=SC2046 # pkg-config prints several words on purpose
	gcc -O2 -o "$dir/passthrough_ll" "$dir/passthrough_ll.c" \
		$(pkg-config fuse3 --cflags --libs) ||
		bench_die "compiling passthrough_ll failed"
	echo "$dir/passthrough_ll"
}

# a part file of $2 bytes at $1 filled with random bytes, so that every page
# exists (reading a tmpfs hole would be free and flatter everyone)
make_part() {
	dd if=/dev/urandom of="$1" bs=1M count=$(($2 / 1048576)) \
		status=none || bench_die "cannot create part $1"
}

# waits until $2 is a mount point served by process $1
wait_mounted() {
	local pid=$1 mnt=$2 i
	for ((i = 0; i < 200; i++)); do
		mountpoint -q "$mnt" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# starts a FUSE daemon in the foreground (in our background), records its
# pid in fs_pid[$1] and its mount point in fs_mnt[$1]; the rest of the
# arguments are the command line
start_fs() {
	local system=$1 mnt=$2
	shift 2
	mkdir -p "$mnt"
	"$@" >"$work/$system.log" 2>&1 9>&- & # 9: the benchmark lock
	fs_pid[$system]=$!
	fs_mnt[$system]=$mnt
	if ! wait_mounted "${fs_pid[$system]}" "$mnt"; then
		cat "$work/$system.log" >&2
		bench_die "$system did not mount: $*"
	fi
}

stop_fs() {
	local system=$1 pid=${fs_pid[$1]:-} mnt=${fs_mnt[$1]:-} i
	[ -n "$mnt" ] || return 0
	if mountpoint -q "$mnt"; then
		fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true
	fi
	if [ -n "$pid" ]; then
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	unset "fs_mnt[$system]" "fs_pid[$system]"
}

# "VmRSS=... RssAnon=... RssFile=... RssShmem=..." in KiB for a pid
rss_of() {
	awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ {
		sub(":", "", $1); printf "%s=%s ", $1, $2 }' "/proc/$1/status"
}

# a cold start for every system that has a cache: the kernel's page cache
# of the FUSE mounts (the tmpfs files themselves are shmem and stay; fio's
# invalidate=1 then drops the file's own cached pages as well)
drop_caches() {
	[ "$can_drop_caches" = 1 ] || return 0
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# (under BENCH_LOAD=loaded the temperature reads warm-loaded, cold-loaded)
record() { echo "$rep,$1,$2,$3${load_suffix:-},$4,$5,$6" >>"$raw_csv"; }

# one CPU-bound process per vCPU, beside whatever is measured
start_hogs() {
	local i
	for ((i = 0; i < $(nproc); i++)); do
		(while :; do :; done) 9>&- &
		hogs+=($!)
	done
}

stop_hogs() {
	local pid
	for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null || true; done
	hogs=()
}

# the fio arguments of a workload: rw, block size, and what it is called
workload_args() {
	case $1 in
	randread4k) echo "randread 4k" ;;
	randwrite4k) echo "randwrite 4k" ;;
	seqwrite4k) echo "write 4k" ;;
	read1m) echo "read 1M" ;;
	overwrite1m) echo "write 1M" ;;
	*) bench_die "unknown workload $1" ;;
	esac
}

# measure_fio SYSTEM WORKLOAD warm|cold JOBS: fio psync on the "data" file
# of the system, JOBS jobs each on its own slice. Warm: the slice is read
# once first, fio keeps the cache (invalidate=0) and runs time based.
# Cold: caches dropped, fio invalidates, one pass (4 KiB: 64 MiB of
# distinct blocks per job at most) so that every access is a first one.
# Writes end with an fsync, inside fio's runtime, so that persist=fsync
# and the writeback caches pay for durability like everyone else.
# Records IOPS (4 KiB) or GB/s (1 MiB), and clat p50/p99 in us.
measure_fio() {
	local system=$1 workload=$2 temp=$3 jobs=$4 rw bs side jobs_to_warm
	local file="${fs_dir[$system]}/data" json="$work/fio.json"
	read -r rw bs <<<"$(workload_args "$workload")"
	local slice=$((data_bytes / jobs)) args=()
	args=(--name="$workload" --filename="$file" --rw="$rw" --bs="$bs"
		--ioengine=psync --numjobs="$jobs" --size="$slice"
		--offset_increment="$slice" --fallocate=none
		--allow_file_create=0 --group_reporting
		--output-format=json --output="$json")
	case $rw in *write) args+=(--end_fsync=1) ;; esac
	if [ "$temp" = warm ]; then
		local j
		# (no cache to fill: direct I/O systems and tmpfs itself)
		case $system in A_direct_* | B_never | C) jobs_to_warm=0 ;; *) jobs_to_warm=$jobs ;; esac
		for ((j = 0; j < jobs_to_warm; j++)); do
			dd if="$file" of=/dev/null bs=1M skip=$((j * slice / 1048576)) \
				count=$((slice / 1048576)) status=none
		done
		args+=(--invalidate=0 --time_based --runtime="$fio_seconds")
	else
		drop_caches
		args+=(--invalidate=1)
		[ "$bs" = 4k ] && ((slice > 64 * 1048576)) && args+=(--io_size=64M)
	fi
	fio "${args[@]}" >/dev/null 2>"$work/fio.err" || {
		cat "$work/fio.err" >&2
		bench_die "$system: fio $workload $temp $jobs jobs failed"
	}
	side=read
	case $rw in *write) side=write ;; esac
	if [ "$bs" = 4k ]; then
		record "$system" "$workload" "$temp" "$jobs" IOPS \
			"$(jq ".jobs[0].$side.iops" "$json")"
	else
		record "$system" "$workload" "$temp" "$jobs" GBps \
			"$(jq ".jobs[0].$side.bw_bytes / 1e9" "$json")"
	fi
	local p
	for p in 50 99; do
		record "$system" "$workload" "$temp" "$jobs" "p${p}_us" \
			"$(jq ".jobs[0].$side.clat_ns.percentile[\"$p.000000\"] / 1000" "$json")"
	done
}

# bytes the daemon says it moved, from its status file (pmemsetfs only)
bytes_moved() {
	awk -F': ' '/^bytes_(read|written):/ { sum += $2 }
		END { printf "%.1f GiB", sum / 1073741824 }' "${fs_mnt[$1]}/.pmemset/status" 2>/dev/null
}

# BENCH_PERF=1: a call-graph profile of the whole machine (-a: the
# daemon's threads and the kernel's FUSE paths) while fio runs workload $2
# warm on system $1 for 3 s; the report goes to $out/perf-SYSTEM-WORKLOAD.txt
profile_system() {
	local system=$1 workload=$2 data="$work/perf.data" perf_pid rw bs
	local report="$out/perf-$1-$2.txt"
	read -r rw bs <<<"$(workload_args "$workload")"
	dd if="${fs_dir[$system]}/data" of=/dev/null bs=1M status=none
	perf record -q -a -g -o "$data" 2>/dev/null &
	perf_pid=$!
	sleep 0.5 # let perf attach before the workload starts
	fio --name=profile --filename="${fs_dir[$system]}/data" \
		--rw="$rw" --bs="$bs" --ioengine=psync --time_based --runtime=3 \
		--size="$data_bytes" --invalidate=0 --fallocate=none \
		--allow_file_create=0 >/dev/null 2>&1
	kill -INT "$perf_pid"
	wait "$perf_pid" 2>/dev/null || true
	{
		echo "# perf record -a -g during fio $workload on $system (3 s, warm)"
		# awk, not head: head would close the pipe early and, under
		# pipefail, the SIGPIPE would end the whole benchmark
		# only fio and the daemons (the machine is shared): shares of
		# their time, by process, library and function
		perf report -i "$data" --no-children --comms fio,pmemsetfs,passthrough_ll \
			--percentage relative --sort comm,dso,symbol --stdio 2>/dev/null |
			awk '/^ +[0-9]+\.[0-9]+%/ && ++n <= 40 { sub(/ +- +- *$/, ""); print }' || true
	} >"$report"
	bench_log "profile of $system during $workload: $report"
}
