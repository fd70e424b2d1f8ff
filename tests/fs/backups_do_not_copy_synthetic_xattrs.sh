#!/usr/bin/env bash
# The user.pmemset.* attributes describe a part of this mount (its source,
# offset, length, map, address in this daemon): they are readable by name
# but not listed, so `cp -a`, `rsync -aX` and `getfattr -d` do not carry
# them onto backup copies, where they would be false.
. "$(dirname "$0")/lib.sh"
command -v rsync >/dev/null || fail "rsync is not installed (scripts/deps.sh installs it)"

make_source a.img $MiB
cat >"$T/set" <<SET
part a $SRC/a.img
SET
mount_set "$T/set"
assert_eq "$SRC/a.img" "$(xattr a source)" "user.pmemset.source by name"
xattr a address | grep -q '^0x' || fail "user.pmemset.address by name"
listed=$(getfattr -d -m - --absolute-names "$MNT/a" 2>/dev/null | grep -c pmemset || true)
assert_eq 0 "$listed" "user.pmemset.* attributes listed by getfattr -d"
mkdir "$T/backup"
cp -a "$MNT/a" "$T/backup/cp" || fail "cp -a failed"
rsync -aX "$MNT/a" "$T/backup/rsync" || fail "rsync -aX failed"
for f in cp rsync; do
	out=$(getfattr -d -m - --absolute-names "$T/backup/$f" 2>/dev/null)
	grep -q pmemset <<<"$out" && fail "$f copied the synthetic attributes: $out"
	cmp "$T/backup/$f" "$SRC/a.img" || fail "$f copy differs"
done
