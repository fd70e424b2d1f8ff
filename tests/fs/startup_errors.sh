#!/usr/bin/env bash
# Every start-up error: exactly one line on stderr naming the set-file line,
# the part and the reason; a non-zero exit; nothing mounted and no daemon
# left; every source file byte-for-byte as before -- a file made by `create`
# is removed again and a file grown by `truncate` is back to its size.
. "$(dirname "$0")/lib.sh"

make_source ok.img $((2 * MiB))
make_source short.img 4096
mkdir "$T/tmpdir"

# The first lines of every case map fine: they create new.img, grow
# short.img and make a temporary file, all of which must be undone.
GOOD_LINES="# case file: three good parts, then the bad line
part fresh $SRC/new.img length=64K create truncate
part grow $SRC/short.img length=64K truncate
part scratch temporary=$T/tmpdir length=64K"

# check_case NAME PART REASON_REGEX SETTINGS BADLINE [ERROR_AT]
# SETTINGS go before the good parts, BADLINE after them. The message must
# name the line of BADLINE, or the first line starting with ERROR_AT.
check_case()
{
	local name=$1 part=$2 reason=$3 settings=$4 bad=$5 at=${6:-} line rc msg
	note "$name"
	printf '%s\n%s\n%s\n' "$settings" "$GOOD_LINES" "$bad" >"$T/set"
	if [ -n "$at" ]; then
		line=$(grep -n -- "^$at" "$T/set" | head -n 1 | cut -d: -f1)
	else
		line=$(grep -nxF -- "$bad" "$T/set" | cut -d: -f1)
	fi
	sha_tree "$SRC" >"$T/before"

	timeout 60 "$DAEMON" "$T/set" "$MNT" </dev/null >"$T/out" \
		2>"$T/err" && rc=0 || rc=$?
	[ "$rc" -ne 0 ] || fail "$name: exit status 0"
	[ "$rc" -ne 124 ] || fail "$name: still running after 60 s"
	[ "$rc" -lt 128 ] || fail "$name: died of signal $((rc - 128))"

	grep -v '^$' "$T/err" >"$T/msg" || true
	[ "$(wc -l <"$T/msg")" = 1 ] ||
		fail "$name: expected one line on stderr, got:
$(cat "$T/err")"
	msg=$(cat "$T/msg")
	grep -qE "(line $line\b|:$line\b)" <<<"$msg" ||
		fail "$name: message does not name line $line: $msg"
	[ -z "$part" ] || grep -qF -- "$part" <<<"$msg" ||
		fail "$name: message does not name part '$part': $msg"
	grep -qiE -- "$reason" <<<"$msg" ||
		fail "$name: message does not say /$reason/: $msg"

	is_mounted "$MNT" && fail "$name: $MNT is mounted"
	wait_until 10 no_daemon_for "$MNT" ||
		fail "$name: a daemon is still running: $(daemons_for "$MNT")"
	sha_tree "$SRC" >"$T/after"
	diff "$T/before" "$T/after" >&2 ||
		fail "$name: source files changed (diff above)"
	[ -z "$(ls -A "$T/tmpdir")" ] ||
		fail "$name: files left in the temporary dir: $(ls -A "$T/tmpdir")"
	echo "    $msg"
}

check_case "unknown directive" "" "unknown.*frobnicate|frobnicate.*unknown" \
	"" "frobnicate 12"
check_case "bad size" victim "size|length" \
	"" "part victim $SRC/ok.img length=12Q"
check_case "missing file" victim "no such file|not exist|missing" \
	"" "part victim $SRC/missing.img length=1M"
check_case "unaligned length" victim "align|not a multiple" \
	"" "part victim $SRC/ok.img length=1000"
check_case "part past the end of its file" victim "end|past|beyond|exceed" \
	"" "part victim $SRC/ok.img offset=1M length=2M"
check_case "duplicate name" fresh "duplicate|exists|already" \
	"" "part fresh $SRC/ok.img length=1M"
check_case "reservation too small" victim "reservation|fit" \
	"reservation 1M" "part victim $SRC/ok.img length=1M"
check_case "coalescing refused" victim "coalesc" \
	"reservation 1M
coalescing full" "part victim $SRC/ok.img length=1M"
# byte granularity is not available on a regular file: the first part fails
check_case "granularity not available" fresh "granularity" \
	"granularity byte" "part victim $SRC/ok.img length=1M" "part fresh "
