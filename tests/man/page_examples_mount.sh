#!/usr/bin/env bash
# The examples of pmemsetfs.set(5) and pmemsetfs(1) work as printed: each
# set file of pmemsetfs.set(5) mounts (its absolute paths moved under the
# test's directory) with one file per part, of the length it gives, and the
# session in pmemsetfs(1) (mount, dd, cmp, ctl part/unmap through the ctl
# file and through `pmemsetfs ctl`, unmount) runs as shown.
# usage: page_examples_mount.sh DAEMON HELPER_DIR SOURCE_DIR
. "$(dirname "$0")/../fs/lib.sh"
PAGES=$(realpath "$3")

# The text of the .EX blocks of a page's EXAMPLES section, troff escapes
# undone, one block after another, each ended by a line "--".
examples()
{
	sed -n '/^\.SH EXAMPLES/,/^\.SH/p' "$1" |
		awk '/^\.EE/ { inside = 0; print "--" } inside { print } /^\.EX/ { inside = 1 }' |
		sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\e/\\/g'
}

# paths the examples use, moved into this test's directory
relocate()
{
	sed -e "s#temporary=/tmp\\( \\|\$\\)#temporary=$T/shm\\1#g" \
		-e "s#/pmem/#$SRC/pmem/#g" -e "s#/mnt/pm#$MNT#g" -e "s#/dev/shm#$T/shm#g"
}
mkdir -p "$SRC/pmem" "$T/shm"

# check_set_file FILE: mount it; one file per part, of its length
check_set_file()
{
	local set=$1 name path rest length words
	# parts named without create must exist: give them room
	while read -r _ name path rest; do
		case "$path $rest" in temporary=* | *create*) continue ;; esac
		[[ $path == /* ]] || path=$SRC/$path # next to the set file
		[ -e "$path" ] || truncate -s 2G "$path"
	done < <(grep '^part ' "$set")
	mount_set "$set"
	words=$(grep '^part ' "$set" | awk '{ print $2 }' | sort | tr '\n' ' ')
	assert_eq "$words" "$(ls "$MNT" | tr '\n' ' ')" "files of $set"
	while read -r _ name rest; do
		length=$(grep -o 'length=[0-9]*[KMGT]*' <<<"$rest" || true)
		[ -n "$length" ] || continue
		assert_size "$MNT/$name" "$(numfmt --from=iec "${length#length=}")"
	done < <(grep '^part ' "$set")
	unmount_set
}

# 1. the set files of pmemsetfs.set(5)
n=0
block=
while IFS= read -r line; do
	if [ "$line" = -- ]; then
		if grep -q '^part ' <<<"$block"; then
			n=$((n + 1))
			note "pmemsetfs.set(5) example $n"
			relocate <<<"$block" >"$SRC/example$n.set"
			check_set_file "$SRC/example$n.set"
		fi
		block=
	else
		block+="$line"$'\n'
	fi
done < <(examples "$PAGES/fs/man/pmemsetfs.set.5")
[ "$n" -ge 2 ] || fail "found only $n set-file examples in pmemsetfs.set(5)"

# 2. the session of pmemsetfs(1): its set file, then its commands
note "pmemsetfs(1) session"
examples "$PAGES/fs/man/pmemsetfs.1" | relocate >"$T/session"
sed -n '/^\$ cat my.set$/,/^\$/p' "$T/session" | sed '1d;$d' >"$SRC/my.set"
grep -q '^part ' "$SRC/my.set" || fail "no set file in the session of pmemsetfs(1)"
mount_set "$SRC/my.set"
# every command the session shows after mounting, in order, must succeed
# (the mount lines are the mount_set above; `pmemsetfs ctl` runs)
grep '^\$ ' "$T/session" | sed 's/^\$ //' | grep -v -e '^cat my.set' |
	grep -v -e '^pmemsetfs [^c]' -e '^pmemsetfs c[^t]' >"$T/commands"
[ "$(wc -l <"$T/commands")" -ge 5 ] || fail "too few commands in pmemsetfs(1)"
grep -q '^pmemsetfs ctl ' "$T/commands" ||
	fail "the session of pmemsetfs(1) shows no 'pmemsetfs ctl' command"
pmemsetfs() { "$DAEMON" "$@"; } # the one under test, not one in PATH
while IFS= read -r command; do
	note "$ $command"
	case $command in
	fusermount3*) unmount_set ;;
	*) (cd "$SRC" && eval "$command") >/dev/null || fail "'$command' failed" ;;
	esac
done <"$T/commands"
[ -z "$DAEMON_PID" ] || fail "the session of pmemsetfs(1) did not unmount"
[ -f "$SRC/pmem/more" ] || fail "the ctl part command did not create its file"
