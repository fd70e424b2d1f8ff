#!/usr/bin/env bash
# Clients that fail at the same moment each get the reason of their own
# command (the daemon keeps it per open ctl file), never a neighbour's, as
# they would from the set-wide last_error. Good commands run alongside.
. "$(dirname "$0")/lib.sh"

make_source a.img $((1 * MiB))
make_source spare.img $((64 * KiB))
cat >"$T/set" <<SET
part a $SRC/a.img
SET
mount_set "$T/set"

CLIENTS=8
ROUNDS=25

# worker N: ROUNDS failing commands of its own, and a good one now and then
worker()
{
	local n=$1 r rc err
	for ((r = 0; r < ROUNDS; r++)); do
		rc=0
		err=$("$DAEMON" ctl "$MNT" unmap "missing-$n-$r" 2>&1) || rc=$?
		[ "$rc" = 4 ] || echo "client $n round $r: exit $rc"
		[ "$err" = "pmemsetfs: ctl 'unmap missing-$n-$r': no part named 'missing-$n-$r'" ] ||
			echo "client $n round $r got: $err"
		if ((r % 5 == 0)); then
			"$DAEMON" ctl "$MNT" part "p$n" "$SRC/spare.img" &&
				"$DAEMON" ctl "$MNT" unmap "p$n" ||
				echo "client $n round $r: good commands failed"
		fi
	done
}

pids=()
for ((n = 0; n < CLIENTS; n++)); do
	worker "$n" >"$T/worker.$n" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || fail "worker $p exited non-zero"
done
problems=$(cat "$T"/worker.*)
[ -z "$problems" ] || fail "clients got wrong answers:"$'\n'"$problems"
note "$((CLIENTS * ROUNDS)) concurrent failures, each with its own reason"

assert_eq "a" "$(ls_line "$MNT")" "ls after the clients"
unmount_set
assert_sources_match_model
