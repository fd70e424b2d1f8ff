#!/usr/bin/env bash
# Mount, list and unmount times of large sets: N parts, each a 4 KiB slice
# of one sparse file (part sI big.img offset=I*4K length=4K), for N in
# BENCH_PARTS (default "1000 5000 10000"). Prints the median of
# BENCH_REPEAT runs (default 3) of each step, in seconds:
#
#   mount         `pmemsetfs SET MNT` until it returns (mounted, detached)
#   ls -l         `ls -l MNT` (a lookup and a getxattr per part)
#   ls maps       `ls MNT/.pmemset/maps` (one readdir)
#   ls -l maps    `ls -l MNT/.pmemset/maps`
#   unmount       `fusermount3 -u MNT` until the daemon has exited
#
# BENCH_REFERENCE=/path/to/other/pmemsetfs measures that binary too, in the
# same run, alternating with this one, and prints the ratios (this build /
# reference). A benchmark, not a test: nothing fails because it is slow.
# Needs root (or FUSE rights) and a built daemon (BUILD, default ./build).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DAEMON=$(realpath "$BUILD/fs/pmemsetfs")
REFERENCE=${BENCH_REFERENCE:-}
PARTS=${BENCH_PARTS:-1000 5000 10000}
REPEAT=${BENCH_REPEAT:-3}
DIR=$(mktemp -d "${BENCH_DIR:-/dev/shm}/pmemsetfs-large.XXXXXX")
MNT=$DIR/mnt
mkdir -p "$MNT"

cleanup()
{
	if mountpoint -q "$MNT"; then
		fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT"
	fi
	rm -rf "$DIR"
}
trap cleanup EXIT

[ -x "$DAEMON" ] || {
	echo "no daemon at $DAEMON: build first (cmake --build $BUILD)" >&2
	exit 1
}

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

# the pid of the daemon serving $MNT (its command line names the mount)
daemon_pid()
{
	local p
	for p in /proc/[0-9]*; do
		{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- " $MNT" &&
			echo "${p#/proc/}" && return 0
	done
	return 1
}

# one_run BINARY SETFILE N: prints "mount ls_l ls_maps ls_l_maps unmount"
one_run()
{
	local bin=$1 set=$2 n=$3 t lines pid m l lm llm u
	local opts=()
	# log to our stderr where the daemon knows -o log= (no log files left)
	"$bin" --help 2>&1 | grep -q 'log=' && opts=(-o log=stderr)
	t=$(now)
	"$bin" "${opts[@]}" "$set" "$MNT" 2>>"$DIR/daemon.log" || {
		cat "$DIR/daemon.log" >&2
		exit 1
	}
	m=$(elapsed "$t")
	t=$(now)
	lines=$(ls -l "$MNT" | wc -l)
	l=$(elapsed "$t")
	[ "$lines" = $((n + 1)) ] || {
		echo "ls -l listed $lines lines, expected $((n + 1))" >&2
		exit 1
	}
	t=$(now)
	ls "$MNT/.pmemset/maps" >/dev/null
	lm=$(elapsed "$t")
	t=$(now)
	ls -l "$MNT/.pmemset/maps" >/dev/null
	llm=$(elapsed "$t")
	pid=$(daemon_pid)
	t=$(now)
	fusermount3 -u "$MNT"
	# done once it is gone or a zombie (its reaper may take its time)
	while [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" \
		!= Z ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.005
	done
	u=$(elapsed "$t")
	echo "$m $l $lm $llm $u"
}

# median of each column of FILE (mawk has no sort: sort(1) per column)
median_columns()
{
	local i out=()
	for i in 1 2 3 4 5; do
		out+=("$(cut -d' ' -f"$i" "$1" | sort -g | awk '{ v[NR] = $1 }
			END {
				m = v[int((NR + 1) / 2)]
				if (NR % 2 == 0) m = (m + v[NR / 2 + 1]) / 2
				printf "%.3f", m
			}')")
	done
	echo "${out[*]}"
}

echo "pmemsetfs large sets: $(nproc) CPUs, $(uname -r), files in $DIR"
echo "this build: $DAEMON${REFERENCE:+; reference: $REFERENCE}"
printf '%-8s %-10s %8s %8s %8s %10s %8s\n' parts binary mount "ls -l" \
	"ls maps" "ls -l maps" unmount
for n in $PARTS; do
	truncate -s $((n * 4096)) "$DIR/big.img"
	for ((i = 0; i < n; i++)); do
		echo "part s$i $DIR/big.img offset=$((i * 4096)) length=4K"
	done >"$DIR/set"
	: >"$DIR/this"
	: >"$DIR/ref"
	for ((r = 0; r < REPEAT; r++)); do
		one_run "$DAEMON" "$DIR/set" "$n" >>"$DIR/this"
		[ -z "$REFERENCE" ] ||
			one_run "$REFERENCE" "$DIR/set" "$n" >>"$DIR/ref"
	done
	this=$(median_columns "$DIR/this")
	printf '%-8s %-10s %8s %8s %8s %10s %8s\n' "$n" this $this
	if [ -n "$REFERENCE" ]; then
		ref=$(median_columns "$DIR/ref")
		printf '%-8s %-10s %8s %8s %8s %10s %8s\n' "$n" reference $ref
		paste <(tr ' ' '\n' <<<"$this") <(tr ' ' '\n' <<<"$ref") |
			awk '{ r = $2 > 0 ? $1 / $2 : 0; printf "%.3f ", r }' |
			xargs printf '%-8s %-10s %8s %8s %8s %10s %8s\n' "$n" ratio
	fi
	rm -f "$DIR/big.img"
done
