#!/usr/bin/env bash
# Stress test: on a mounted set, four writer threads write and
# verify seeded patterns in their own part files while a fifth thread maps
# and unmaps parts through .pmemset/ctl, for STRESS_SECONDS (default 60).
#   stress.sh PMEMSETFS FSPROBE_DIR STRESS_WRITERS_BINARY
# Passes only if: the stress program's every read matched its shadow copy;
# the daemon is alive and still serving afterwards; once every part is
# unmapped through ctl, /proc/<daemon>/maps holds no mapping of any source
# or temporary file, no new PROT_NONE region that is not a thread's or a
# heap's (a leaked reservation), and no more mappings than before the load
# plus a small allowance for threads and allocator arenas; and every source
# file holds exactly the expected bytes, with the set empty and after
# unmount. STRESS_SEED repeats a run's random choices (not its timing).
# A third of the time in each cache mode: cache=page (the default),
# cache=page with persist=fsync (writeback cache) and cache=direct.
STRESS_SECONDS=${STRESS_SECONDS:-60}
if ! [[ $STRESS_SECONDS =~ ^[0-9]+$ ]] || [ "$STRESS_SECONDS" -lt 1 ] ||
	[ "$STRESS_SECONDS" -gt 3600 ]; then
	echo "stress.sh: STRESS_SECONDS must be 1..3600, not '$STRESS_SECONDS'" >&2
	exit 2
fi
TEST_DEADLINE=$((STRESS_SECONDS + 200))
. "$(dirname "$0")/../fs/lib.sh" "$1" "$2"
STRESS=$(realpath "$3")
SEED=${STRESS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
# New mappings the daemon may keep after the load for reasons unrelated to
# parts: stacks of FUSE worker threads (libfuse keeps up to 10, a stack and
# a guard each) and glibc malloc arenas (two each, up to 8 per core); under
# AddressSanitizer its allocator's size-class regions too (~100 in a run).
# A per-map leak would exceed either by far (thousands of maps per run).
maps_allowance()
{
	if [ -n "${MAPS_ALLOWANCE:-}" ]; then
		echo "$MAPS_ALLOWANCE"
	elif grep -q libasan "/proc/$1/maps"; then
		echo 256
	else
		echo 64
	fi
}

mkdir -p "$T/tmp" "$T/expect"
chmod 700 "$T/tmp"

# Writer sources: 1 MiB of random bytes each; the parts take 256 or 512 KiB
# of them, so bytes around each part must come out unchanged too.
for w in 0 1 2 3; do
	for x in a b; do
		head -c $((1024 * 1024)) /dev/urandom >"$SRC/w$w$x"
	done
done
make_source anchor 4096
echo "part anchor $SRC/anchor" >"$T/set"

# maps_of PID: the mapping lines of the daemon, addresses included.
maps_of()
{
	cat "/proc/$1/maps"
}

# file_mappings PID: mappings of anything in this test's directory (the
# source files, and temporary files, which show as $T/tmp/#INODE (deleted)).
file_mappings()
{
	maps_of "$1" | awk -v t="$T/" 'index($0, t) { print }'
}

status_value()
{
	sed -n "s/^$1: //p" "$MNT/.pmemset/status"
}

# stress_phase LABEL SECONDS [MOUNT OPTION...]: mount, take the baseline,
# run the load, check, unmount, check the sources.
stress_phase()
{
	local label=$1 seconds=$2 rc before after leaked unexplained new_maps f
	local allowance
	shift 2
	mount_set "$T/set" "$@"
	allowance=$(maps_allowance "$DAEMON_PID")
	note "$label: daemon $DAEMON_PID mounted; emptying the set for the" \
		"baseline"
	ctl "unmap anchor"
	assert_eq 0 "$(status_value parts)" "parts in status after unmap anchor"
	assert_eq 0 "$(status_value maps)" "maps in status after unmap anchor"
	assert_eq ".pmemset" "$(ls -A "$MNT" | tr '\n' ' ' | sed 's/ $//')" \
		"ls -A of the empty mount"
	assert_eq "" "$(file_mappings "$DAEMON_PID")" \
		"mappings of test files after unmapping the only part"
	maps_of "$DAEMON_PID" >"$T/maps.before"
	before=$(wc -l <"$T/maps.before")
	note "baseline: $before mappings in /proc/$DAEMON_PID/maps, none of" \
		"a test file"

	note "$label: ${seconds}s, seed $SEED (STRESS_SEED=$SEED reproduces" \
		"the random choices)"
	rc=0
	STRESS_NO_EDGE_WRITES=$no_edge_writes \
		"$STRESS" "$MNT" "$SRC" "$T/tmp" "$T/expect" "$seconds" "$SEED" ||
		rc=$?
	assert_eq 0 "$rc" "exit status of the stress program (seed $SEED)"

	is_running "$DAEMON_PID" || fail "the daemon $DAEMON_PID died under the load"
	assert_eq 0 "$(status_value parts)" "parts in status after the final unmaps"
	assert_eq 0 "$(status_value maps)" "maps in status after the final unmaps"
	assert_eq ".pmemset" "$(ls -A "$MNT" | tr '\n' ' ' | sed 's/ $//')" \
		"ls -A of the mount after the final unmaps"

	leaked=$(file_mappings "$DAEMON_PID")
	if [ -n "$leaked" ]; then
		echo "$leaked" >&2
		fail "the empty set still maps test files (above) in /proc/$DAEMON_PID/maps"
	fi
	maps_of "$DAEMON_PID" >"$T/maps.after"
	after=$(wc -l <"$T/maps.after")
	note "after the load and emptying: $after mappings (baseline $before)," \
		"none of a test file"
	# An address-space reservation that outlived its parts is an anonymous
	# PROT_NONE (---p) mapping. Threads and malloc arenas make such mappings
	# too, but always right next to their own anonymous read-write memory (a
	# stack below its guard page, a heap before its unused rest). So every new
	# anonymous ---p mapping must touch an anonymous rw-p one.
	unexplained=$(awk '
		NR == FNR { old[$1] = 1; next }
		{
			split($1, r, "-")
			anon = NF == 5
			if (anon && $2 == "rw-p") { rw_start[r[1]] = 1; rw_end[r[2]] = 1 }
			if (anon && $2 == "---p" && !($1 in old)) guard[$1] = r[1] " " r[2]
		}
		END {
			for (g in guard) {
				split(guard[g], r, " ")
				if (!(r[1] in rw_end) && !(r[2] in rw_start)) print g
			}
		}' "$T/maps.before" "$T/maps.after")
	if [ -n "$unexplained" ]; then
		echo "$unexplained" >&2
		fail "new PROT_NONE mappings (above) that belong to no thread or heap:" \
			"a reservation outlived the parts"
	fi
	new_maps=$(awk 'NR == FNR { old[$1] = 1; next } !($1 in old)' \
		"$T/maps.before" "$T/maps.after" | wc -l)
	note "$new_maps new mappings, all thread stacks or heap arenas (allowance" \
		"$allowance)"
	if [ "$after" -gt $((before + allowance)) ]; then
		echo "mappings that are new since the baseline:" >&2
		awk 'NR == FNR { old[$1] = 1; next } !($1 in old)' \
			"$T/maps.before" "$T/maps.after" | head -n 40 >&2
		fail "$after mappings after emptying the set, more than baseline" \
			"$before + $allowance: a part map or reservation leaked"
	fi

	note "sources with the set empty"
	for f in "$T/expect"/*; do
		assert_same "$SRC/$(basename "$f")" "$f"
	done

	note "the daemon still serves: map the anchor part again and read it"
	ctl "part anchor $SRC/anchor"
	part_matches_model anchor anchor 0 4096
	ctl "unmap anchor"

	unmount_set
	note "sources after unmount"
	for f in "$T/expect"/*; do
		assert_same "$SRC/$(basename "$f")" "$f"
	done
	assert_same "$SRC/anchor" "$MODEL/anchor"
	note "checked $(ls "$T/expect" | wc -l) writer source files byte for byte"
}

# Every cache mode gets a third of the time, each on a fresh mount going on
# with the same source files: the default (cache=page, writes go through),
# the page cache with the writeback cache (persist=fsync), whose dirty pages
# must reach the part before it is unmapped, and cache=direct.
third=$((STRESS_SECONDS / 3))
no_edge_writes=0
stress_phase "page cache" $((STRESS_SECONDS - 2 * third))
if [ "$third" -gt 0 ]; then
	no_edge_writes=1 stress_phase "writeback cache" "$third" -o persist=fsync
	stress_phase "direct I/O" "$third" -o cache=direct
fi
