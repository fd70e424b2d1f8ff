#!/usr/bin/env bash
# -o ro is really read-only: sources are opened O_RDONLY and mapped without
# PROT_WRITE, so a source on a read-only bind mount and an immutable file
# (chattr +i) mount and read correctly (without -o ro they cannot: the
# daemon needs write access). `create` and `truncate` are refused at
# start-up, writes, ctl commands, rm and touch fail with EROFS, and no
# source byte or time changes.
. "$(dirname "$0")/lib.sh"

make_source one.img $((2 * MiB))
make_source imm.img $((1 * MiB))
ROBIND=$T/robind
mkdir -p "$ROBIND"
mount --bind "$SRC" "$ROBIND"
CLEANUP_CMDS+=('umount "$ROBIND" 2>/dev/null')
mount -o remount,bind,ro "$ROBIND"
touch "$ROBIND/probe" 2>/dev/null && fail "the bind mount $ROBIND is writable"

immutable=0
if chattr +i "$SRC/imm.img" 2>/dev/null; then
	immutable=1
	CLEANUP_CMDS=('chattr -i "$SRC/imm.img" 2>/dev/null' "${CLEANUP_CMDS[@]}")
else
	echo "--- SKIP the immutable-file case: chattr +i does not work" \
		"on $(stat -f -c %T "$SRC")" >&2
fi
cat >"$T/set" <<SET
part a $ROBIND/one.img offset=1M
part b $SRC/imm.img
SET
sha_tree "$SRC" >"$T/before"
stat -c '%n %Y %Z' "$SRC"/* >"$T/times.before"

note "without -o ro the read-only sources cannot be used"
if "$DAEMON" -f "$T/set" "$MNT" 2>"$T/err"; then
	fail "a read-write mount of a read-only source succeeded"
fi
grep -q "Read-only file system" "$T/err" ||
	fail "no EROFS reason for the read-write mount: $(cat "$T/err")"

note "-o ro mounts them and reads the right bytes"
mount_set "$T/set" -o ro
part_matches_model a one.img "$MiB" "$MiB"
part_matches_model b imm.img 0 "$MiB"
assert_same "$MNT/.pmemset/maps/1" "$MODEL/imm.img"
# the daemon's mappings of the sources are read-only and shared
for f in one.img imm.img; do
	perms=$(awk -v f="/$f" 'index($0, f) { print $2 }' \
		"/proc/$DAEMON_PID/maps" | sort -u)
	assert_eq "r--s" "$perms" "the daemon's mapping of $f"
done

note "nothing can change"
make_data "$T/data" 4096
probe_expect EROFS pwrite "$MNT/a" 0 "$T/data"
probe_expect EROFS pwrite "$MNT/.pmemset/maps/0" 0 "$T/data"
probe_expect EROFS write "$MNT/.pmemset/ctl" $'unmap a\n'
probe_expect EROFS write "$MNT/.pmemset/ctl" "part c $SRC/one.img length=4K"$'\n'
probe_expect EROFS unlink "$MNT/b"
touch "$MNT/a" 2>"$T/err" && fail "touch on a read-only mount succeeded"
grep -q "Read-only file system" "$T/err" || fail "touch: $(cat "$T/err")"
assert_eq "a b" "$(ls_line "$MNT")" "ls after the refused changes"
unmount_set

note "create and truncate are refused before anything happens"
for word in create truncate; do
	printf 'part a %s length=4M %s\n' "$SRC/new.img" "$word" >"$T/bad.set"
	[ $word = truncate ] &&
		printf 'part a %s length=4M truncate\n' "$SRC/one.img" >"$T/bad.set"
	if "$DAEMON" -f -o ro "$T/bad.set" "$MNT" 2>"$T/err"; then
		fail "-o ro with '$word' mounted"
	fi
	grep -q "part a: '$word' is not allowed on a read-only mount" "$T/err" ||
		fail "no clear refusal of '$word': $(cat "$T/err")"
	is_mounted "$MNT" && fail "-o ro with '$word' left a mount"
done

sha_tree "$SRC" >"$T/after"
diff "$T/before" "$T/after" >&2 || fail "a read-only mount changed a source"
stat -c '%n %Y %Z' "$SRC"/* >"$T/times.after"
diff "$T/times.before" "$T/times.after" >&2 ||
	fail "a read-only mount changed a source's times"
[ $immutable = 1 ] && lsattr "$SRC/imm.img" | cut -c1-20 | grep -q i ||
	[ $immutable = 0 ] || fail "imm.img lost its immutable flag"
