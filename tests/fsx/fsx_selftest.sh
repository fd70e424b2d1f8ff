#!/usr/bin/env bash
# fsx_selftest.sh -- shows that pmemfsx fails when it must, on plain files
# (no daemon): two files that do not alias the same bytes fail its first
# check; a regular file, which grows where a part file would answer ENOSPC,
# fails an end-of-file case; a file changed behind its back fails a read
# check. Each failure must print the seed and the op log.
#
# Usage: fsx_selftest.sh PMEMFSX
set -euo pipefail
fsx=${1:?usage: fsx_selftest.sh PMEMFSX}
work=$(mktemp -d "${TMPDIR:-/tmp}/pmemset-fsxself.XXXXXX")
trap 'rm -rf "$work"' EXIT
checks=0

fail() {
	echo "FAIL: fsx_selftest: $*" >&2
	exit 1
}

# expect_failure WHAT PATTERN ARGS...: pmemfsx exits 1 and says PATTERN
expect_failure() {
	local what=$1 pattern=$2 rc=0 out
	shift 2
	out=$("$fsx" "$@" 2>&1) || rc=$?
	[ $rc -eq 1 ] || fail "$what: exit $rc, expected 1: $out"
	grep -q -- "$pattern" <<<"$out" || fail "$what: no '$pattern' in: $out"
	grep -q 'reproduce with -s' <<<"$out" || fail "$what: no seed: $out"
	echo "$what: $(grep -m1 FAILED <<<"$out")"
	checks=$((checks + 1))
}

head -c 65536 /dev/urandom >"$work/map"
head -c 65536 /dev/urandom >"$work/part"
expect_failure "views that do not alias" "initial alias check" \
	-s 1 -n 10 "$work/map" "$work/part"

# a regular file grows on a write at its end and empties on O_TRUNC; a
# part file must do neither
expect_failure "regular file semantics" \
	"expected ENOSPC\|cut at the end\|size 0 after open" \
	-s 1 -n 100000 "$work/map"

# the control: the same run with nobody else writing passes
head -c 65536 /dev/urandom >"$work/solo"
"$fsx" -P -s 7 -n 20000 -m 4096 "$work/solo" >"$work/control.out" 2>&1 ||
	fail "plain run without interference failed: $(cat "$work/control.out")"
echo "control: $(grep PASS "$work/control.out")"

# a reader that races a writer behind pmemfsx's back: keep overwriting the
# file with zeros while it runs, so a read no longer matches the shadow
(
	for ((i = 0; i < 2000; i++)); do
		dd if=/dev/zero of="$work/solo" bs=4096 count=16 \
			conv=notrunc status=none
	done
) &
writer=$!
rc=0
out=$("$fsx" -P -s 7 -n 200000 -m 4096 "$work/solo" 2>&1) || rc=$?
kill "$writer" 2>/dev/null || true
wait "$writer" 2>/dev/null || true
[ $rc -eq 1 ] && grep -q 'FAILED.*pread.*shadow has' <<<"$out" ||
	fail "bytes changed behind its back: exit $rc: $out"
echo "bytes changed behind its back: $(grep -m1 FAILED <<<"$out")"
checks=$((checks + 1))
echo "PASS fsx_selftest: $checks runs of pmemfsx failed as they must"
