#!/usr/bin/env bash
# Checks the manual pages as a user meets them: every function that
# libpmemset exports has a page (`man FUNCTION`), every page renders
# through groff and man(1) without a single warning, has the sections its
# section of the manual calls for, and names (for apropos/whatis) the
# functions it documents; every page it refers to exists; and
# `cmake --install` puts them where `man` finds them.
# usage: check_pages.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# man-db's sandbox cannot start in some containers; it guards nothing here
export MAN_DISABLE_SECCOMP=1 MANWIDTH=80 LC_ALL=C.UTF-8

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

roots=("$build/core/man" "$build/fs/man")
pages=()
for root in "${roots[@]}"; do
	for page in "$root"/man[0-9]/*.[0-9]; do
		[ -e "$page" ] && pages+=("$page")
	done
done
[ ${#pages[@]} -gt 0 ] || {
	echo "FAIL: no pages under ${roots[*]}" >&2
	exit 1
}

# the page a .so link leads to (relative to the root of its manual)
resolve() {
	local page=$1 first
	first=$(head -n 1 "$page")
	case $first in
	.so\ *) echo "$(dirname "$(dirname "$page")")/${first#.so }" ;;
	*) echo "$page" ;;
	esac
}

# 1. every exported symbol has a page whose NAME lists it
symbols=$(sed -n 's/^[[:space:]]*\(pmemset_[a-z0-9_]*\);.*/\1/p' \
	"$src/core/libpmemset.map")
count=$(echo "$symbols" | wc -l)
[ "$count" -ge 34 ] || fail "only $count symbols read from libpmemset.map"
for sym in $symbols; do
	page="$build/core/man/man3/$sym.3"
	if [ ! -e "$page" ]; then
		fail "$sym: no page man3/$sym.3"
		continue
	fi
	target=$(resolve "$page")
	if [ ! -f "$target" ]; then
		fail "$sym: link leads to missing $target"
		continue
	fi
	[[ $(head -n 1 "$target") == .so* ]] && fail "$sym: link to a link"
	# no grep -q on a pipe: under pipefail its early exit fails the writer
	names=$(lexgrog "$target" || true)
	grep -q "\"$sym - " <<<"$names" ||
		fail "$sym: the NAME section of $(basename "$target") does not list it"
done

# 2. every page renders without warnings, through groff and man -l
for page in "${pages[@]}"; do
	root=$(dirname "$(dirname "$page")")
	rel=${page#"$root"/}
	(cd "$root" && groff -man -ww -z "$rel") >"$tmp/groff.err" 2>&1 ||
		fail "$rel: groff failed"
	[ -s "$tmp/groff.err" ] && fail "$rel: groff warns: $(cat "$tmp/groff.err")"
	(cd "$root" && groff -man -ww -Tutf8 "$rel") 2>"$tmp/groff.err" >/dev/null
	[ -s "$tmp/groff.err" ] && fail "$rel: groff -Tutf8 warns: $(cat "$tmp/groff.err")"
	(cd "$root" && man --warnings=w -l "$rel") >"$tmp/man.out" 2>"$tmp/man.err" ||
		fail "$rel: man -l failed: $(cat "$tmp/man.err")"
	[ -s "$tmp/man.err" ] && fail "$rel: man -l warns: $(cat "$tmp/man.err")"
	grep -q '^NAME' "$tmp/man.out" || fail "$rel: man -l shows no NAME"
done

# 3. the sections each part of the manual needs, in the pages themselves
declare -A required=(
	[3]="NAME|SYNOPSIS|DESCRIPTION|RETURN VALUE|ERRORS|EXAMPLE|SEE ALSO"
	[5]="NAME|SYNOPSIS|DESCRIPTION|ERRORS|EXAMPLES|SEE ALSO"
	[7]="NAME|SYNOPSIS|DESCRIPTION|ENVIRONMENT|NOTES|SEE ALSO"
	[1]="NAME|SYNOPSIS|DESCRIPTION|OPTIONS|SIGNALS|EXIT STATUS|FILES|EXAMPLES|SEE ALSO"
)
for page in "${pages[@]}"; do
	[[ $(head -n 1 "$page") == .so* ]] && continue
	name=$(basename "$page")
	section=${name##*.}
	IFS='|' read -r -a want <<<"${required[$section]}"
	for heading in "${want[@]}"; do
		grep -Eq "^\.SH \"?$heading\"?\$" "$page" ||
			fail "$name: no $heading section"
	done
	lexgrog "$page" >/dev/null || fail "$name: whatis cannot parse NAME"
	# the title line names the section the page is installed in
	th=$(grep -m1 '^\.TH ' "$page" | awk '{ print $3 }')
	[ "$th" = "$section" ] || fail "$name: .TH says section $th"
	grep -q '@example\|@PROJECT_VERSION@' "$page" &&
		fail "$name: a build marker was left unexpanded"
	# the example is the program the tests run, not a fragment
	example=$(sed -n '/^\.SH EXAMPLE/,/^\.SH/p' "$page")
	if [ "$section" = 3 ] && ! grep -q '^int main(' <<<"$example"; then
		fail "$name: EXAMPLE holds no complete program"
	fi
done

# 4. every page a page refers to exists
for page in "${pages[@]}"; do
	{ grep -o '^\.BR [a-z_.0-9]* ([0-9])' "$page" || true; } |
		sed 's/^\.BR \([^ ]*\) (\([0-9]\))/\1 \2/' |
		while read -r ref sec; do
			case $ref in pmemset* | libpmemset) ;; *) continue ;; esac
			found=
			for root in "${roots[@]}"; do
				[ -e "$root/man$sec/$ref.$sec" ] && found=1
			done
			[ -n "$found" ] || echo "$(basename "$page"): $ref($sec)"
		done
done >"$tmp/dangling"
[ -s "$tmp/dangling" ] && fail "references to missing pages: $(cat "$tmp/dangling")"

# 5. every example program is shown by a page (and so run by CTest)
for example in "$src"/core/man/examples/*.c; do
	grep -q "@example $(basename "$example")\$" "$src"/core/man/*.[0-9] ||
		fail "$(basename "$example") is in no page"
done

# 6. installed, `man` finds them by name
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
	fail "cmake --install: $(cat "$tmp/install.log")"
export MANPATH="$tmp/prefix/share/man"
for sym in $symbols; do
	where=$(man -w "$sym" 2>/dev/null) || {
		fail "installed: man -w $sym finds nothing"
		continue
	}
	case $where in "$MANPATH"/*) ;; *) fail "installed: $sym found at $where" ;; esac
done
for query in "1 pmemsetfs" "5 pmemsetfs.set" "7 libpmemset"; do
	# shellcheck disable=SC2086 # section and name are two words
	man -w $query >/dev/null 2>&1 || fail "installed: man -w $query finds nothing"
done
shown=$(man pmemset_flush 2>/dev/null || true)
grep -q 'pmemset_persist, pmemset_flush, pmemset_drain' <<<"$shown" ||
	fail "installed: man pmemset_flush does not show pmemset_persist(3)"

if [ "$failures" -gt 0 ]; then
	echo "$failures failure(s)" >&2
	exit 1
fi
echo "${#pages[@]} pages, $count functions: all checks passed"
