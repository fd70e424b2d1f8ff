#!/usr/bin/env bash
# Installs the built library into a fresh prefix with `cmake --install`, then
# builds the installed example (written only against the public header) the
# way a user would (pkg-config, and the plain `-lpmemset -lpmem2` link
# line), runs it, and checks that the exported symbols are exactly the pmemset 1.0 API.
# usage: install_and_link.sh BUILD_DIR SOURCE_DIR [SANITIZE]
# SANITIZE=ON: the library is built with ASan+UBSan, so the programs linked
# to it must be too (the ASan runtime has to come first).
set -euo pipefail
build=$1
src=$2
san=()
[ "${3:-OFF}" = ON ] && san=(-fsanitize=address,undefined)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build/core" --prefix "$tmp/prefix" >/dev/null
libdir=$(dirname "$(find "$tmp/prefix" -name libpmemset.pc)")/..
export PKG_CONFIG_PATH="$libdir/pkgconfig"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

[ -f "$tmp/prefix/include/libpmemset.h" ] || fail "header not installed"
[ -e "$libdir/libpmemset.so.1" ] || fail "libpmemset.so.1 not installed"
[ -f "$libdir/libpmemset.a" ] || fail "libpmemset.a not installed"
example=$tmp/prefix/share/doc/pmemsetfs/examples/two_parts.c
[ -f "$example" ] || fail "the example is not installed as $example"
cmp -s "$example" "$src/core/examples/two_parts.c" || fail "the installed example differs"

# 1. pkg-config
cc "${san[@]}" -std=gnu11 -Wall -Wextra -Werror $(pkg-config --cflags libpmemset) \
	"$example" -o "$tmp/ex-pc" \
	$(pkg-config --libs libpmemset) -Wl,-rpath,"$libdir" ||
	fail "example does not build with pkg-config libpmemset"
"$tmp/ex-pc" "$tmp" >/dev/null || fail "pkg-config build of the example fails"

# 2. the spec's link line, as C++ too (the header's extern "C" block)
cc "${san[@]}" -std=gnu11 -I"$tmp/prefix/include" "$src/core/examples/two_parts.c" \
	-o "$tmp/ex-plain" -L"$libdir" -Wl,-rpath,"$libdir" -lpmemset -lpmem2 ||
	fail "example does not link with -lpmemset -lpmem2"
"$tmp/ex-plain" "$tmp" >/dev/null || fail "plainly linked example fails"
if command -v g++ >/dev/null; then
	echo '#include <libpmemset.h>
int main() { return pmemset_err_to_errno(PMEMSET_E_NOSUPP) == ENOTSUP ? 0 : 1; }' |
		sed '1a #include <errno.h>' >"$tmp/cxx.cc"
	g++ "${san[@]}" -Wall -Werror -I"$tmp/prefix/include" "$tmp/cxx.cc" -o "$tmp/cxx" \
		-L"$libdir" -Wl,-rpath,"$libdir" -lpmemset -lpmem2 ||
		fail "header does not compile as C++"
	"$tmp/cxx" || fail "C++ program got a wrong err_to_errno result"
fi

# 3. exported symbols: the API under LIBPMEMSET_1.0, nothing internal
exported=$(nm -D --defined-only "$libdir/libpmemset.so.1" | awk '$2=="T"{print $3}' |
	sed 's/@.*//' | sort)
declared=$(grep -v '^typedef' "$tmp/prefix/include/libpmemset.h" | grep -oE '\bpmemset_[a-z0-9_]+\(' |
	tr -d '(' | sort -u)
[ "$exported" = "$declared" ] || {
	diff <(echo "$declared") <(echo "$exported") >&2 || true
	fail "exported functions differ from the header's (< header, > library)"
}
# (kept in a variable: grep -q stopping early would SIGPIPE objdump under pipefail)
dynsyms=$(objdump -T "$libdir/libpmemset.so.1")
grep -q 'LIBPMEMSET_1.0 *pmemset_part_map$' <<<"$dynsyms" ||
	fail "pmemset_part_map is not versioned LIBPMEMSET_1.0"
echo "install_and_link: installed, built with pkg-config and -lpmemset -lpmem2, $(echo "$exported" | wc -l) symbols exported: ok"
