#!/usr/bin/env bash
# Source paths may hold blanks, '#', quotes and backslashes: in the set file
# and in ctl commands a word may be quoted, "..." (where \" and \\ stand
# for " and \) or '...' (taken as it is), and outside quotes a backslash
# takes the next character as it is; '#' starts a comment only at the start
# of a word outside quotes. pmemsetfs ctl quotes the words it is given, and
# resolves a relative source path against the caller's directory.
. "$(dirname "$0")/lib.sh"

mkdir -p "$SRC/with space" "$SRC/hash#dir"
head -c $MiB /dev/urandom >"$SRC/with space/a b.img"
head -c $MiB /dev/urandom >"$SRC/hash#dir/c#1.img"
head -c $MiB /dev/urandom >"$SRC/quote\"back\\slash.img"
head -c $MiB /dev/urandom >"$SRC/it's.img"
cat >"$T/set" <<SET
# comment line
part a "$SRC/with space/a b.img" # a comment after a quoted word
part c '$SRC/hash#dir/c#1.img'
part q "$SRC/quote\\"back\\\\slash.img"
part s $SRC/it\\'s.img
SET
cat "$T/set"
mount_set "$T/set"
assert_eq "a c q s" "$(ls_line "$MNT")" "parts of the quoted set file"
cmp "$MNT/a" "$SRC/with space/a b.img" || fail "part a differs"
cmp "$MNT/c" "$SRC/hash#dir/c#1.img" || fail "part c differs"
cmp "$MNT/q" "$SRC/quote\"back\\slash.img" || fail "part q differs"
cmp "$MNT/s" "$SRC/it's.img" || fail "part s differs"
assert_eq "$SRC/with space/a b.img" "$(xattr a source)" "source of a"

note "ctl with quoted words"
printf 'part e "%s"\n' "$SRC/with space/a b.img" >"$T/cmd"
"$DAEMON" ctl "$MNT" unmap a
"$DAEMON" ctl "$MNT" - <"$T/cmd" || fail "quoted ctl script failed"
cmp "$MNT/e" "$SRC/with space/a b.img" || fail "part e differs"

note "pmemsetfs ctl quotes its words itself"
"$DAEMON" ctl "$MNT" unmap c
"$DAEMON" ctl "$MNT" part f "$SRC/hash#dir/c#1.img" ||
	fail "ctl part with a '#' in the path failed"
cmp "$MNT/f" "$SRC/hash#dir/c#1.img" || fail "part f differs"

note "a relative path is resolved against the caller's directory"
"$DAEMON" ctl "$MNT" unmap s
(cd "$SRC" && "$DAEMON" ctl "$MNT" part g "it's.img") ||
	fail "ctl part with a relative path failed"
assert_eq "$SRC/it's.img" "$(xattr g source)" "source of g"

note "an unterminated quote is an error naming the line"
printf 'part z "%s/with space/a b.img\n' "$SRC" >"$T/bad.set"
mkdir -p "$T/mnt2"
rc=0
"$DAEMON" -f "$T/bad.set" "$T/mnt2" 2>"$T/err" || rc=$?
assert_eq 1 "$rc" "exit status for an unterminated quote"
grep -q "bad.set:1" "$T/err" && grep -qi "quote" "$T/err" ||
	fail "unterminated quote: $(cat "$T/err")"
