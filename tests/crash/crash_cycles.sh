#!/usr/bin/env bash
# crash_cycles.sh -- crash consistency of pmemsetfs: every cycle mounts a set
# of three parts, starts concurrent writers (two acked_writer processes and a
# dd loop, each on its own part), SIGKILLs the daemon after a random delay,
# lazily unmounts the dead mount, and checks every acknowledged byte, first
# directly in the source files and then through a fresh mount. Bytes that no
# write touched (inside the parts and between them) must be unchanged too.
#
# Usage: crash_cycles.sh PMEMSETFS TOOLDIR [write|fsync|both]
#   TOOLDIR holds acked_writer and acked_verify.
# Environment:
#   CRASH_CYCLES        cycles per persist mode (default 50; 20 when
#                       PMEMSET_SANITIZED=1, i.e. the ASan/UBSan CI run)
#   CRASH_SEED          seed for delays and write plans (default: random;
#                       printed so a failing run can be repeated)
#   CRASH_MAX_DELAY_MS  upper bound of the random delay before SIGKILL
#                       (default 700)
# Exits non-zero on the first lost or changed byte.
if [ $# -lt 2 ]; then
	echo "usage: crash_cycles.sh PMEMSETFS TOOLDIR [write|fsync|both]" >&2
	exit 2
fi
modes=${3:-both}
[ "$modes" = both ] && modes="write fsync"

default_cycles=50
[ "${PMEMSET_SANITIZED:-0}" = 1 ] && default_cycles=20
cycles=${CRASH_CYCLES:-$default_cycles}
seed=${CRASH_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
max_delay_ms=${CRASH_MAX_DELAY_MS:-700}
RANDOM=$seed

# lib.sh: $T, $SRC, $MNT, mount_set, unmount_set, fail and the trap that
# unmounts and removes $T. Its watchdog (TEST_DEADLINE seconds) must outlast
# our cycles (about 1 s each, 1.5 s under ASan) but end before CTest's
# 600 s timeout would kill us without cleaning up.
nmodes=$(wc -w <<<"$modes")
TEST_DEADLINE=${TEST_DEADLINE:-$((120 + 8 * cycles * nmodes))}
. "$(dirname "$0")/../fs/lib.sh" "$1" "$2"
tooldir=$HELPERS
work=$T
writer_pids=()

crash_fail() {
	local pid
	for pid in "${writer_pids[@]}"; do
		kill -9 "$pid" 2>/dev/null || true
	done
	fail "$* (reproduce with CRASH_SEED=$seed CRASH_CYCLES=$cycles)"
}

# The set: alpha and beta share pool0, gamma sits inside pool1; the gaps
# around them must never change.
K=1024
M=$((1024 * K))
pool0=$SRC/pool0
pool1=$SRC/pool1
alpha_offset=$((64 * K)) alpha_size=$M
beta_offset=$((1152 * K)) beta_size=$((2 * M))
gamma_offset=$((512 * K)) gamma_size=$M
pool0_size=$((4 * M)) pool1_size=$((2 * M))
head -c $pool0_size /dev/urandom >"$pool0"
head -c $pool1_size /dev/urandom >"$pool1"
dd_block=$((16 * K))

write_setfile() {
	local coalescing=$1
	cat >"$work/set" <<-EOF
		# crash_cycles.sh: three parts in two files
		coalescing $coalescing
		part alpha $pool0 offset=$alpha_offset length=$alpha_size
		part beta $pool0 offset=$beta_offset length=$beta_size
		part gamma $pool1 offset=$gamma_offset length=$gamma_size
	EOF
}

# Writes beta block by block with dd; a block is logged only after its dd
# returned success (with conv=fsync in fsync mode, so its fsync returned).
dd_writer() {
	local mode=$1 log=$2 conv=notrunc b
	[ "$mode" = fsync ] && conv=notrunc,fsync
	for ((b = 0; b < beta_size / dd_block; b++)); do
		dd if="$work/pattern" of="$MNT/beta" bs=$dd_block skip=$b \
			seek=$b count=1 conv=$conv status=none \
			2>>"$work/dd.err" || return 0
		echo "$b" >>"$log"
	done
	echo end >>"$log"
}

cmp_range() { # label file_a offset_a file_b offset_b length
	[ "$6" -gt 0 ] || return 0
	cmp -s -n "$6" -i "$3:$5" "$2" "$4" ||
		crash_fail "$1: $(cmp -n "$6" -i "$3:$5" "$2" "$4" 2>&1 | head -1)"
}

total_acked=0 total_untouched=0 total_unknown=0 total_dd=0
source_acked=0 # acknowledged bytes checked in the source files themselves

# acked_verify for one C writer: label part target target_offset
verify_writer() {
	local label=$1 part=$2 target=$3 target_offset=$4 out
	local size_var=${part}_size offset_var=${part}_offset before
	case $part in
	gamma) before=$work/before1 ;;
	*) before=$work/before0 ;;
	esac
	out=$("$tooldir/acked_verify" -l "$work/$part.log" \
		-s "${part_seed[$part]}" -p "$mode" -z "${!size_var}" \
		-t "$target@$target_offset" -b "$before@${!offset_var}" 2>&1) ||
		crash_fail "$label: $part: $out"
	set -- $out
	total_acked=$((total_acked + ${2#acked=}))
	[[ $label != sources* ]] || source_acked=$((source_acked + ${2#acked=}))
	total_untouched=$((total_untouched + ${3#untouched=}))
	total_unknown=$((total_unknown + ${4#indeterminate=}))
}

# dd blocks 0..k-1 are acknowledged, block k may be in flight, the rest
# must be as before.
verify_dd() {
	local label=$1 target=$2 target_offset=$3 acked tail_start
	acked=$(grep -c '^[0-9]' "$work/beta.log" || true)
	cmp_range "$label: beta acknowledged dd blocks" "$work/pattern" 0 \
		"$target" "$target_offset" $((acked * dd_block))
	tail_start=$(((acked + 1) * dd_block))
	grep -q end "$work/beta.log" && tail_start=$((acked * dd_block))
	[ $tail_start -gt $beta_size ] && tail_start=$beta_size
	cmp_range "$label: beta blocks dd never wrote" "$work/before0" \
		$((beta_offset + tail_start)) "$target" \
		$((target_offset + tail_start)) $((beta_size - tail_start))
	total_dd=$((total_dd + acked * dd_block))
	[[ $label != sources* ]] ||
		source_acked=$((source_acked + acked * dd_block))
	total_untouched=$((total_untouched + beta_size - tail_start))
}

verify_gaps() {
	cmp_range "pool0 before alpha" "$work/before0" 0 "$pool0" 0 \
		$alpha_offset
	cmp_range "pool0 between alpha and beta" "$work/before0" \
		$((alpha_offset + alpha_size)) "$pool0" \
		$((alpha_offset + alpha_size)) \
		$((beta_offset - alpha_offset - alpha_size))
	cmp_range "pool0 after beta" "$work/before0" \
		$((beta_offset + beta_size)) "$pool0" \
		$((beta_offset + beta_size)) \
		$((pool0_size - beta_offset - beta_size))
	cmp_range "pool1 before gamma" "$work/before1" 0 "$pool1" 0 \
		$gamma_offset
	cmp_range "pool1 after gamma" "$work/before1" \
		$((gamma_offset + gamma_size)) "$pool1" \
		$((gamma_offset + gamma_size)) \
		$((pool1_size - gamma_offset - gamma_size))
	total_untouched=$((total_untouched + alpha_offset + \
		beta_offset - alpha_offset - alpha_size + \
		pool0_size - beta_offset - beta_size + gamma_offset + \
		pool1_size - gamma_offset - gamma_size))
}

wait_writers() {
	local i pid status
	for ((i = 0; i < 600; i++)); do
		local alive=0
		for pid in "${writer_pids[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ $alive = 0 ] && break
		sleep 0.05
	done
	[ $alive = 0 ] || crash_fail "writers still running 30 s after the daemon died"
	for pid in "${writer_pids[@]}"; do
		status=0
		wait "$pid" || status=$?
		[ $status -eq 0 ] || crash_fail "writer ${writer_name[$pid]}" \
			"failed (status $status): $(cat \
			"$work/${writer_name[$pid]}.err" 2>/dev/null)"
	done
	writer_pids=()
}

declare -A part_seed writer_name
run_cycle() {
	local mode=$1 cycle=$2 delay_ms status cache coalescing
	# vary what the daemon does per cycle: one map per part or one map
	# for all, direct I/O or the kernel page cache for the part files
	coalescing=$([ $((cycle % 2)) = 0 ] && echo none || echo full)
	cache=$([ $((cycle / 2 % 2)) = 0 ] && echo direct || echo page)
	write_setfile "$coalescing"
	cp "$pool0" "$work/before0"
	cp "$pool1" "$work/before1"
	head -c $beta_size /dev/urandom >"$work/pattern"
	rm -f "$work"/*.log "$work"/*.err
	: >"$work/beta.log"
	part_seed[alpha]=$((seed * 100000 + cycle * 2 + 1))
	part_seed[gamma]=$((seed * 100000 + cycle * 2 + 2))

	mount_set "$work/set" -o persist="$mode",cache="$cache"
	"$tooldir/acked_writer" -f "$MNT/alpha" -l "$work/alpha.log" \
		-s "${part_seed[alpha]}" -p "$mode" >/dev/null 2>"$work/alpha.err" &
	writer_pids+=($!)
	writer_name[$!]=alpha
	"$tooldir/acked_writer" -f "$MNT/gamma" -l "$work/gamma.log" \
		-s "${part_seed[gamma]}" -p "$mode" >/dev/null 2>"$work/gamma.err" &
	writer_pids+=($!)
	writer_name[$!]=gamma
	dd_writer "$mode" "$work/beta.log" >/dev/null &
	writer_pids+=($!)
	writer_name[$!]=dd

	delay_ms=$((RANDOM % max_delay_ms))
	sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
	kill -9 "$DAEMON_PID"
	status=0
	wait "$DAEMON_PID" 2>/dev/null || status=$?
	DAEMON_PID=
	[ $status -eq 137 ] || crash_fail "daemon exited with $status before SIGKILL"
	wait_writers
	fusermount3 -u -z "$MNT" || crash_fail "fusermount3 -u -z on the dead mount"

	# the source files themselves, with no daemon running
	verify_writer "sources after SIGKILL" alpha "$pool0" $alpha_offset
	verify_writer "sources after SIGKILL" gamma "$pool1" $gamma_offset
	verify_dd "sources after SIGKILL" "$pool0" $beta_offset
	verify_gaps

	# and the same bytes through a fresh mount
	mount_set "$work/set" -o persist="$mode",cache="$cache"
	verify_writer "remounted part files" alpha "$MNT/alpha" 0
	verify_writer "remounted part files" gamma "$MNT/gamma" 0
	verify_dd "remounted part files" "$MNT/beta" 0
	unmount_set

	echo "cycle $cycle persist=$mode cache=$cache coalescing=$coalescing:" \
		"killed after ${delay_ms} ms;" \
		"alpha $(grep -c ^W "$work/alpha.log" || true) writes," \
		"gamma $(grep -c ^W "$work/gamma.log" || true) writes," \
		"beta $(grep -c '^[0-9]' "$work/beta.log" || true) dd blocks"
}

echo "crash_cycles: seed $seed, $cycles cycles per mode ($modes)," \
	"SIGKILL within ${max_delay_ms} ms"
cycles_run=0
for mode in $modes; do
	for ((cycle = 0; cycle < cycles; cycle++)); do
		run_cycle "$mode" "$cycle"
		cycles_run=$((cycles_run + 1))
	done
done
echo "PASS crash_cycles: $cycles_run cycles survived ($modes), seed $seed;" \
	"$source_acked acknowledged bytes verified in the source files after" \
	"SIGKILL, and again through the remount (byte checks in all:" \
	"$total_acked of acked_writer writes, $total_dd of dd blocks);" \
	"$total_untouched byte checks that untouched bytes stayed;" \
	"$total_unknown in-flight or unsynced bytes not judged; zero losses"
