#!/usr/bin/env bash
# Every source is locked while a set maps it: a second mount of a source,
# or a ctl `part` over it from another set, fails with a message naming
# the holder (its pid), and works once the holder let go (unmount or
# unmap). Parts of ONE set over slices of one file still share it. A part
# whose source is the set file itself (also through a hard link) is
# refused and the set file stays as it was. A set file that starts with a
# UTF-8 byte-order mark mounts.
. "$(dirname "$0")/lib.sh"

make_source shared.img $((256 * KiB))
make_source other.img $((64 * KiB))
MNT2=$T/mnt2
mkdir -p "$MNT2"
cat >"$T/first.set" <<SET
part lo $SRC/shared.img length=64K
part hi $SRC/shared.img offset=64K length=64K
SET
cat >"$T/second.set" <<SET
part again $SRC/shared.img offset=128K length=64K
SET
cat >"$T/other.set" <<SET
part o $SRC/other.img
SET

# second_mount_refused HOLDER_PID: mounting second.set at MNT2 fails and
# names the holder.
second_mount_refused()
{
	local rc
	timeout 60 "$DAEMON" "$T/second.set" "$MNT2" </dev/null >"$T/out" \
		2>"$T/err" && rc=0 || rc=$?
	assert_eq 1 "$rc" "exit status of a second mount of shared.img"
	grep -qF "part again: $SRC/shared.img is in use by pmemsetfs (pid $1)" \
		"$T/err" || fail "message does not name pid $1: $(cat "$T/err")"
	is_mounted "$MNT2" && fail "the second set got mounted"
	return 0
}

note "two parts of one set over slices of one file"
mount_set "$T/first.set"
part_matches_model lo shared.img 0 $((64 * KiB))
part_matches_model hi shared.img $((64 * KiB)) $((64 * KiB))

note "a second mount of the same source is refused, naming the holder"
second_mount_refused "$DAEMON_PID"

note "ctl part over a source another set holds: EBUSY"
"$DAEMON" -f "$T/other.set" "$MNT2" </dev/null >>"$T/daemon.log" 2>&1 &
OTHER_PID=$!
wait_mounted "$MNT2" "$OTHER_PID"
probe_expect EBUSY write "$MNT2/.pmemset/ctl" \
	"part stolen $SRC/shared.img length=4K"$'\n'
grep -qF "is in use by pmemsetfs (pid $DAEMON_PID)" "$MNT2/.pmemset/status" ||
	fail "status lacks the holder: $(grep last_error "$MNT2/.pmemset/status")"
[ ! -e "$MNT2/stolen" ] || fail "the refused part appeared"
note "...and the first set cannot take the second's source either"
probe_expect EBUSY write "$MNT/.pmemset/ctl" \
	"part o2 $SRC/other.img length=4K"$'\n'
fusermount3 -u "$MNT2"
wait_daemon_exit "$OTHER_PID"

note "unmapping every part of a file releases it; one part keeps it"
ctl "unmap lo"
second_mount_refused "$DAEMON_PID"
ctl "unmap hi"
timeout 60 "$DAEMON" "$T/second.set" "$MNT2" </dev/null >>"$T/daemon.log" \
	2>&1 || fail "second.set did not mount once shared.img was free"
wait_mounted "$MNT2"
# a daemonized holder is named by its own pid, not its exited parent's
DETACHED_PID=$(daemons_for "$MNT2")
[ "$(wc -w <<<"$DETACHED_PID")" = 1 ] || fail "daemons: '$DETACHED_PID'"
probe_expect EBUSY write "$MNT/.pmemset/ctl" \
	"part lo $SRC/shared.img length=64K"$'\n'
grep -qF "is in use by pmemsetfs (pid $DETACHED_PID)" "$MNT/.pmemset/status" ||
	fail "status does not name the daemonized holder $DETACHED_PID:" \
		"$(grep last_error "$MNT/.pmemset/status")"
fusermount3 -u "$MNT2"
wait_until 20 not_running "$DETACHED_PID" || fail "second daemon still runs"
unmount_set

note "read-only mounts share a source; a writer is refused, naming one"
mount_daemonized "$T/first.set" -o ro
RO1_PID=$DETACHED_PID
timeout 60 "$DAEMON" -o ro "$T/first.set" "$MNT2" </dev/null \
	>>"$T/daemon.log" 2>&1 || fail "a second -o ro mount was refused"
wait_mounted "$MNT2"
RO2_PID=$(daemons_for "$MNT2")
cmp "$MNT/lo" "$MNT2/lo" || fail "the two read-only mounts differ"
MNT3=$T/mnt3
mkdir -p "$MNT3"
timeout 60 "$DAEMON" "$T/second.set" "$MNT3" </dev/null >"$T/out" \
	2>"$T/err" && rc=0 || rc=$?
assert_eq 1 "$rc" "exit status of a writable mount beside read-only ones"
grep -qE "part again: $SRC/shared.img is in use by pmemsetfs \(pid ($RO1_PID|$RO2_PID)\)" \
	"$T/err" || fail "message does not name a read-only holder" \
	"($RO1_PID, $RO2_PID): $(cat "$T/err")"
is_mounted "$MNT3" && fail "the writable set got mounted"
fusermount3 -u "$MNT2"
wait_until 20 not_running "$RO2_PID" || fail "daemon $RO2_PID still runs"
unmount_detached
note "...and a read-only mount is refused beside a writable one"
mount_set "$T/first.set"
timeout 60 "$DAEMON" -o ro "$T/second.set" "$MNT2" </dev/null >"$T/out" \
	2>"$T/err" && rc=0 || rc=$?
assert_eq 1 "$rc" "exit status of -o ro beside a writable mount"
grep -qF "is in use by pmemsetfs (pid $DAEMON_PID)" "$T/err" ||
	fail "message does not name the writer: $(cat "$T/err")"
unmount_set

note "the set file as a source is refused, also through a hard link"
printf 'part self self.set length=4K truncate\n' >"$T/self.set"
printf 'part self %s length=4K truncate\n' "$T/via-link-2.set" \
	>"$T/via-link.set"
ln "$T/via-link.set" "$T/via-link-2.set"
for s in self via-link; do
	cp "$T/$s.set" "$T/$s.before"
	timeout 60 "$DAEMON" "$T/$s.set" "$MNT" </dev/null >"$T/out" \
		2>"$T/err" && rc=0 || rc=$?
	assert_eq 1 "$rc" "exit status with $s.set"
	grep -qF "part self: " "$T/err" && grep -qF "is the set file itself" \
		"$T/err" || fail "$s.set: unclear message: $(cat "$T/err")"
	is_mounted "$MNT" && fail "$s.set got mounted"
	cmp "$T/$s.set" "$T/$s.before" || fail "$s.set was changed"
done
note "...and through ctl"
mount_set "$T/other.set"
cp "$T/other.set" "$T/other.before"
probe_expect EINVAL write "$MNT/.pmemset/ctl" \
	"part self $T/other.set length=4K truncate"$'\n'
grep -qF "is the set file itself" "$MNT/.pmemset/status" ||
	fail "status: $(grep last_error "$MNT/.pmemset/status")"
cmp "$T/other.set" "$T/other.before" || fail "the set file was changed"
unmount_set

note "a set file starting with a UTF-8 byte-order mark"
printf '\xef\xbb\xbfpart o %s\n' "$SRC/other.img" >"$T/bom.set"
mount_set "$T/bom.set"
part_matches_model o other.img 0 $((64 * KiB))
unmount_set
assert_sources_match_model
