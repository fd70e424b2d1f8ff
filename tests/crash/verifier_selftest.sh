#!/usr/bin/env bash
# verifier_selftest.sh -- shows that acked_verify, the judge of the crash
# cycles, fails when it must: on a plain file (no daemon), a complete run
# verifies, one flipped byte of an acknowledged write is reported LOST, one
# flipped byte that no write touched is reported CHANGED, and a log cut after
# an fsync (as a crash leaves it) still verifies in fsync mode.
#
# Usage: verifier_selftest.sh TOOLDIR
set -euo pipefail
tools=${1:?usage: verifier_selftest.sh TOOLDIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/pmemset-verifier.XXXXXX")
trap 'rm -rf "$work"' EXIT
size=$((1024 * 1024))
checks=0

fail() {
	echo "FAIL: verifier_selftest: $*" >&2
	exit 1
}

flip_byte() { # file offset
	local old
	old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\x$(printf %02x $(((old + 1) % 256)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

verify() { # mode log file before -> sets out and rc
	rc=0
	out=$("$tools/acked_verify" -l "$2" -s 42 -p "$1" -z $size -t "$3" \
		-b "$4" 2>&1) || rc=$?
	checks=$((checks + 1))
}

head -c $size /dev/urandom >"$work/before"
cp "$work/before" "$work/file"
"$tools/acked_writer" -f "$work/file" -l "$work/log" -s 42 -p write -n 300
verify write "$work/log" "$work/file" "$work/before"
[ $rc -eq 0 ] || fail "a complete run does not verify: $out"
echo "complete run verifies: $out"

# the last write is never overwritten, so its first byte is acknowledged
read -r _ _ offset _ < <(grep '^W' "$work/log" | tail -n 1)
flip_byte "$work/file" "$offset"
verify write "$work/log" "$work/file" "$work/before"
[ $rc -eq 1 ] && grep -q "LOST acknowledged byte at part offset $offset " \
	<<<"$out" || fail "flipped acknowledged byte at $offset not found: $out"
echo "flipped acknowledged byte found: $(head -n 1 <<<"$out")"

# no writes at all: every byte is untouched
cp "$work/before" "$work/file"
"$tools/acked_writer" -f "$work/file" -l "$work/empty.log" -s 42 -p write -n 0
flip_byte "$work/file" 777
verify write "$work/empty.log" "$work/file" "$work/before"
[ $rc -eq 1 ] && grep -q "CHANGED byte at part offset 777 " <<<"$out" ||
	fail "flipped untouched byte at 777 not found: $out"
echo "flipped untouched byte found: $(head -n 1 <<<"$out")"

# fsync mode, log without its final fsync and end (as a crash leaves it):
# the writes after the last logged fsync happened but are not
# acknowledged, so their bytes are indeterminate, not losses
cp "$work/before" "$work/file"
"$tools/acked_writer" -f "$work/file" -l "$work/fsync.log" -s 42 -p fsync \
	-n 300
head -n -2 "$work/fsync.log" >"$work/cut.log"
verify fsync "$work/cut.log" "$work/file" "$work/before"
[ $rc -eq 0 ] && grep -q 'indeterminate=[1-9]' <<<"$out" ||
	fail "a log cut by a crash does not verify: $out"
echo "log cut by a crash verifies: $out"
# a log of acknowledged writes against a file that never got them
cp "$work/before" "$work/file"
verify write "$work/log" "$work/file" "$work/before"
[ $rc -eq 1 ] || fail "unwritten acknowledged writes verified: $out"
echo "missing writes found: $(tail -n 1 <<<"$out")"
echo "PASS verifier_selftest: $checks verifier runs, each with the verdict" \
	"it must give"
