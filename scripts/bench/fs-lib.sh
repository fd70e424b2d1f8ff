# shellcheck shell=bash
# fs-lib.sh -- building, mounting and measuring for scripts/bench.sh (issue
# 6's file-system benchmark). Sourced, never run. The systems compared:
#   A_write  pmemsetfs -o persist=write over the part files
#   A_fsync  pmemsetfs -o persist=fsync over the part files
#   B        libfuse's passthrough_ll example -o cache=never over the same files
#   C        the part files themselves on tmpfs (the ceiling)
# Every measurement appends "rep,system,workload,bs,metric,value" to $raw_csv.

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

# makes the next read cold for the FUSE systems (their page cache) without
# touching the tmpfs files (shmem pages are never dropped)
drop_caches() {
	[ "$can_drop_caches" = 1 ] || return 0
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

record() { echo "$rep,$1,$2,$3,$4,$5" >>"$raw_csv"; }

# the dd flag for O_DIRECT on a system, if BENCH_DIRECT=1 and it allows it
direct_flag() {
	local system=$1 kind=$2 # kind: iflag or oflag
	[ "${BENCH_DIRECT:-0}" = 1 ] || return 0
	local file="${fs_dir[$system]}/seq"
	if [ "$kind" = iflag ]; then
		dd if="$file" of=/dev/null bs=1M count=1 iflag=direct \
			status=none 2>/dev/null && echo "iflag=direct"
	else
		dd if="$file" of="$file" bs=1M count=1 oflag=direct \
			conv=notrunc status=none 2>/dev/null && echo "oflag=direct"
	fi
}

# GB/s of a dd (its arguments follow), from the bytes and seconds that dd
# itself reports: its clock starts after the files are open and stops after
# the final fsync and close, so process start-up is left out for everyone;
# fails unless exactly $1 bytes were moved
time_dd_gbps() {
	local expect=$1
	shift
	LC_ALL=C dd "$@" 2>"$work/dd.err" || {
		cat "$work/dd.err" >&2
		return 1
	}
	awk -v expect="$expect" '/ bytes .* copied, / {
		bytes = $1; secs = $0
		sub(/.* copied, /, "", secs); sub(/ s,.*/, "", secs)
		if (bytes != expect || secs <= 0) exit 1
		printf "%.4f", bytes / secs / 1e9; found = 1 }
		END { exit !found }' "$work/dd.err"
}

# bytes a sweep point moves: small blocks move less, so that a 4k point of
# a slow system stays short (the rate is what is reported)
sweep_bytes() {
	local bs=$1 cap=$(($1 * 32768))
	echo $((cap < seq_bytes ? cap : seq_bytes))
}

# sequential read of the "seq" part with block size $2 (bytes), cold
measure_seq_read() {
	local system=$1 bs=$2 file="${fs_dir[$1]}/seq" gbps bytes
	bytes=$(sweep_bytes "$bs")
	drop_caches
	gbps=$(time_dd_gbps "$bytes" if="$file" of=/dev/null bs="$bs" \
		count=$((bytes / bs)) ${direct_iflag[$system]}) ||
		bench_die "$system: dd read bs=$bs failed"
	record "$system" seq_read "$bs" GBps "$gbps"
}

# sequential overwrite of the "seq" part in place, fsync included, so that
# persist=fsync pays for its durability like persist=write does
measure_seq_write() {
	local system=$1 bs=$2 file="${fs_dir[$1]}/seq" gbps bytes
	bytes=$(sweep_bytes "$bs")
	gbps=$(time_dd_gbps "$bytes" if=/dev/zero of="$file" bs="$bs" \
		count=$((bytes / bs)) conv=notrunc,fsync \
		${direct_oflag[$system]}) ||
		bench_die "$system: dd overwrite bs=$bs failed"
	record "$system" seq_write "$bs" GBps "$gbps"
}

# re-reading the "hot" part after one untimed read made it hot
measure_hot_read() {
	local system=$1 file="${fs_dir[$1]}/hot" gbps
	dd if="$file" of=/dev/null bs=1M status=none ||
		bench_die "$system: warming $file failed"
	gbps=$(time_dd_gbps "$hot_bytes" if="$file" of=/dev/null bs=1M \
		count=$((hot_bytes / 1048576))) ||
		bench_die "$system: hot re-read failed"
	record "$system" hot_read 1048576 GBps "$gbps"
}

# fio 4 KiB random $2 (randread|randwrite) on the "rand" part: psync, one
# job, time based; records IOPS and the median completion latency (us)
measure_fio() {
	local system=$1 rw=$2 json="$work/fio.json" side extra=()
	[ "$rw" = randwrite ] && extra=(--end_fsync=1)
	fio --name="$rw" --filename="${fs_dir[$system]}/rand" --rw="$rw" \
		--bs=4k --ioengine=psync --numjobs=1 --time_based \
		--runtime="$fio_seconds" --size="$rand_bytes" \
		--fallocate=none --allow_file_create=0 "${extra[@]}" \
		--output-format=json --output="$json" >/dev/null 2>"$work/fio.err" ||
		{
			cat "$work/fio.err" >&2
			bench_die "$system: fio $rw failed"
		}
	side=read
	[ "$rw" = randwrite ] && side=write
	record "$system" "$rw" 4096 IOPS \
		"$(jq ".jobs[0].$side.iops" "$json")"
	record "$system" "$rw" 4096 p50_us \
		"$(jq ".jobs[0].$side.clat_ns.percentile[\"50.000000\"] / 1000" "$json")"
}

# one line of rss.csv per FUSE daemon: "when,system,VmRSS,RssAnon,RssFile,RssShmem"
record_rss() {
	local when=$1 system
	for system in $systems; do
		[ -n "${fs_pid[$system]:-}" ] || continue
		awk -v when="$when" -v s="$system" '
			/^(VmRSS|RssAnon|RssFile|RssShmem):/ { v[$1] = $2 }
			END { printf "%s,%s,%s,%s,%s,%s\n", when, s, v["VmRSS:"],
				v["RssAnon:"], v["RssFile:"], v["RssShmem:"] }' \
			"/proc/${fs_pid[$system]}/status" >>"$rss_csv"
	done
}

# bytes the daemon says it moved, from its status file (pmemsetfs only)
bytes_moved() {
	awk -F': ' '/^bytes_(read|written):/ { sum += $2 }
		END { printf "%.1f GiB", sum / 1073741824 }' "${fs_mnt[$1]}/.pmemset/status" 2>/dev/null
}

# BENCH_PERF=1: a call-graph profile of daemon $1 while one workload runs
# ($2: seq_read, seq_write or hot_read with 1 MiB blocks, or randread: fio
# 4 KiB random reads, 3 x 1 s); the report goes to
# $out/perf-SYSTEM-WORKLOAD.txt
profile_daemon() {
	local system=$1 workload=$2 pid=${fs_pid[$1]} data perf_pid
	local file="${fs_dir[$1]}/seq" report="$out/perf-$1-$2.txt"
	data="$work/perf-$system-$workload.data"
	[ "$workload" = hot_read ] && file="${fs_dir[$system]}/hot" &&
		dd if="$file" of=/dev/null bs=1M status=none
	[ "$workload" = seq_read ] && drop_caches
	perf record -q -g -p "$pid" -o "$data" 2>/dev/null &
	perf_pid=$!
	sleep 0.5 # let perf attach before the workload starts
	local i
	for ((i = 0; i < 3; i++)); do
		case $workload in
		randread)
			fio --name=profile --filename="${fs_dir[$system]}/rand" \
				--rw=randread --bs=4k --ioengine=psync --time_based \
				--runtime=1 --size="$rand_bytes" --fallocate=none \
				--allow_file_create=0 >/dev/null 2>&1
			;;
		seq_write)
			dd if=/dev/zero of="$file" bs=1M count=$((seq_bytes / 1048576)) \
				conv=notrunc,fsync status=none
			;;
		*) dd if="$file" of=/dev/null bs=1M status=none ;;
		esac
	done
	kill -INT "$perf_pid"
	wait "$perf_pid" 2>/dev/null || true
	{
		echo "# perf record -g -p <$system daemon> during 3x $workload" \
			"(dd bs=1M, or fio 4k psync for randread)"
		# awk, not head: head would close the pipe early and, under
		# pipefail, the SIGPIPE would end the whole benchmark
		perf report -i "$data" --no-children --sort dso,symbol --stdio 2>/dev/null |
			awk '/^ +[0-9]+\.[0-9]+%/ && ++n <= 30 { sub(/ +- +- *$/, ""); print }' || true
	} >"$report"
	bench_log "profile of $system during $workload: $report"
}
