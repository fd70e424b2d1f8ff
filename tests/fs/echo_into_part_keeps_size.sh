#!/usr/bin/env bash
# `echo hi > part` opens with O_TRUNC, which a part ignores: the size stays,
# the echo's bytes land at offset 0, every byte after them is unchanged.
# An open with O_TRUNC and no write (`: > part`) changes nothing at all.
. "$(dirname "$0")/lib.sh"

make_source one.img $((1 * MiB))
cat >"$T/set" <<SET
part p $SRC/one.img
SET
mount_set "$T/set"

note "echo hi > part"
echo hi >"$MNT/p"
printf 'hi\n' >"$T/hi"
model_write one.img 0 "$T/hi"
assert_size "$MNT/p" $((1 * MiB))
part_matches_model p one.img 0 $((1 * MiB))

note ": > part and open(O_TRUNC)"
: >"$MNT/p"
probe_expect "ok 0" open-trunc "$MNT/p"
assert_size "$MNT/p" $((1 * MiB))
part_matches_model p one.img 0 $((1 * MiB))

note "a longer redirect over the start"
make_data "$T/data" 5000
cat "$T/data" >"$MNT/p"
model_write one.img 0 "$T/data"
assert_size "$MNT/p" $((1 * MiB))
part_matches_model p one.img 0 $((1 * MiB))

unmount_set
assert_size "$SRC/one.img" $((1 * MiB))
assert_sources_match_model
