#!/usr/bin/env bash
# A part that does not fit the set's reservation is refused with a reason
# that fits the case: with a reservation set, it says the reservation is too
# small (whatever the coalescing mode), and does not advise setting one.
. "$(dirname "$0")/lib.sh"

make_source a.img $MiB
truncate -s $((100 * MiB)) "$SRC/big.img"
cat >"$T/set" <<SET
part a $SRC/a.img
SET
for coalescing in full none opportunistic; do
	mount_set "$T/set" -o reservation=64M,coalescing=$coalescing
	rc=0
	"$DAEMON" ctl "$MNT" part big "$SRC/big.img" 2>"$T/err" || rc=$?
	cat "$T/err"
	assert_eq 6 "$rc" "ctl exit status (ENOSPC), coalescing=$coalescing"
	grep -qi "reservation.*too small\|too small.*reservation" "$T/err" ||
		fail "coalescing=$coalescing: reason does not say the reservation is too small"
	grep -q "gives the set room" "$T/err" &&
		fail "coalescing=$coalescing: advises a reservation although one is set"
	assert_eq a "$(ls_line "$MNT")" "parts after the refusal"
	unmount_set
done
