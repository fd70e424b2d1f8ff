#!/usr/bin/env bash
# Builds the Debian packages of pmemsetfs into $PACKAGE_OUT (default build/):
#   libpmemset1     the shared library (soname libpmemset.so.1), with shlibs,
#                   symbols and the ldconfig trigger
#   libpmemset-dev  header, libpmemset.so link, static library, .pc file,
#                   section 3 and 7 man pages, the example source
#   pmemsetfs       the daemon, its section 1, 5 and 8 man pages, the README
# The files are whatever `cmake --install` puts under /usr, split by path (a
# file that matches no package stops the build, so nothing installed is
# silently left out); Depends come from dpkg-shlibdeps; the version is the
# CMake project version (pmemsetfs --version).
#
# usage: bash scripts/package.sh
#   PACKAGE_OUT=DIR     where the .deb files go (default: build/)
#   PACKAGE_BUILD=DIR   the CMake build directory (default: build-package/ in
#                       the source tree); always configured without
#                       sanitizers and with prefix /usr
#   PACKAGE_KEEP=1      keep the staging directory (its path is printed)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${PACKAGE_OUT:-$top/build}
build=${PACKAGE_BUILD:-$top/build-package}

# (scripts/deps.sh installs them: dpkg-dev comes with build-essential)
for tool in cmake dpkg-deb dpkg-shlibdeps dpkg-gensymbols; do
	command -v "$tool" >/dev/null ||
		{ echo "package.sh: $tool not found (apt-get install dpkg-dev cmake)" >&2; exit 1; }
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pmemsetfs-package.XXXXXX")
if [ -n "${PACKAGE_KEEP:-}" ]; then
	echo "package.sh: staging in $work (kept)"
else
	trap 'rm -rf "$work"' EXIT
fi

# quiet: run STEP COMMAND...: the command's output only if it fails
quiet()
{
	local step=$1
	shift
	"$@" >"$work/$step.log" 2>&1 || {
		tail -n 40 "$work/$step.log" >&2
		echo "package.sh: $step failed" >&2
		return 1
	}
}
quiet configure cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_INSTALL_PREFIX=/usr -DPMEMSET_SANITIZE=OFF
quiet build cmake --build "$build" -j"$(nproc)"
stage=$work/stage
DESTDIR=$stage quiet install cmake --install "$build"

version=$("$build/fs/pmemsetfs" --version | sed -n 's/^pmemsetfs version //p')
[ -n "$version" ] || { echo "package.sh: pmemsetfs --version printed no version" >&2; exit 1; }
arch=$(dpkg --print-architecture)
soversion=$(find "$stage" -name 'libpmemset.so.*' -type l -printf '%f\n' |
	sed -n 's/^libpmemset\.so\.\([0-9]*\)$/\1/p')
[ -n "$soversion" ] || { echo "package.sh: no libpmemset.so.N installed" >&2; exit 1; }
lib=libpmemset$soversion

# package_of PATH: which package a staged path (relative, usr/...) goes to
package_of()
{
	case "$1" in
	usr/lib/*/libpmemset.so.*) echo "$lib" ;;
	usr/include/* | usr/lib/*/libpmemset.so | usr/lib/*/libpmemset.a | \
		usr/lib/*/pkgconfig/* | usr/share/man/man3/* | usr/share/man/man7/* | \
		usr/share/doc/pmemsetfs/examples/*)
		echo libpmemset-dev ;;
	usr/bin/* | usr/sbin/* | usr/share/man/man1/* | usr/share/man/man5/* | \
		usr/share/man/man8/* | usr/share/doc/pmemsetfs/*)
		echo pmemsetfs ;;
	*) return 1 ;;
	esac
}

# dpkg-shlibdeps expects the Debian source layout: debian/control and one
# directory per package under debian/
mkdir -p "$work/debian"
for pkg in "" "$lib" libpmemset-dev pmemsetfs; do
	if [ -z "$pkg" ]; then
		printf 'Source: pmemsetfs\n\n'
	else
		printf 'Package: %s\nArchitecture: any\n\n' "$pkg"
	fi
done >"$work/debian/control"
while IFS= read -r -d '' path; do
	rel=${path#"$stage"/}
	pkg=$(package_of "$rel") || {
		echo "package.sh: $rel belongs to no package (add it to package_of)" >&2
		exit 1
	}
	mkdir -p "$work/debian/$pkg/$(dirname "$rel")"
	cp -a "$path" "$work/debian/$pkg/$rel"
done < <(find "$stage" \( -type f -o -type l \) -print0)

# man pages gzip-compressed, as Debian ships them (a page that is a symlink
# is pointed at the compressed target; .so include pages are files and are
# compressed like any page)
while IFS= read -r -d '' page; do
	if [ -L "$page" ]; then
		target=$(readlink "$page")
		rm "$page"
		ln -s "${target%.gz}.gz" "$page.gz"
	else
		gzip -9n "$page"
	fi
done < <(find "$work/debian" -path '*/usr/share/man/*' ! -name '*.gz' \( -type f -o -type l \) -print0)

# the daemon and the library without debug sections, as Debian ships them
is_elf() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }
while IFS= read -r -d '' f; do
	is_elf "$f" || continue
	case "$f" in
	*.a) strip --strip-debug "$f" ;;
	*) strip --strip-unneeded --remove-section=.comment "$f" ;;
	esac
done < <(find "$work/debian" -type f -print0)

# the library's dependency information, for programs built against it
libdir_rel=$(cd "$work/debian/$lib" && dirname "$(find usr -name "libpmemset.so.$soversion")")
mkdir -p "$work/debian/$lib/DEBIAN"
echo "libpmemset $soversion $lib (>= $version)" >"$work/debian/$lib/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$work/debian/$lib/DEBIAN/triggers"
(cd "$work" && dpkg-gensymbols -q -p"$lib" -P"debian/$lib" -v"$version" \
	-e"debian/$lib/$libdir_rel/libpmemset.so.$soversion" -c0 \
	-O"debian/$lib/DEBIAN/symbols" >/dev/null)

# shlibdeps PKG: the Depends that its ELF files need
shlibdeps()
{
	local elves=() f
	while IFS= read -r -d '' f; do
		is_elf "$f" && [ "${f%.a}" = "$f" ] && elves+=("${f#"$work"/}")
	done < <(find "$work/debian/$1" -path "*/DEBIAN" -prune -o -type f -print0)
	[ ${#elves[@]} -gt 0 ] || return 0
	local found
	found=$(cd "$work" && dpkg-shlibdeps -O -S"debian/$lib" "${elves[@]}" 2>"$work/shlibdeps.err") ||
		{ cat "$work/shlibdeps.err" >&2; return 1; }
	found=$(sed -n 's/^shlibs:Depends=//p' <<<"$found")
	[ -n "$found" ] || { echo "package.sh: dpkg-shlibdeps found nothing for $1" >&2; return 1; }
	echo "$found"
}

# control PKG SECTION DEPENDS MULTIARCH DESCRIPTION...: writes DEBIAN/control
control()
{
	local pkg=$1 section=$2 depends=$3 multiarch=$4 root=$work/debian/$1
	shift 4
	mkdir -p "$root/DEBIAN"
	{
		echo "Package: $pkg"
		echo "Source: pmemsetfs"
		echo "Version: $version"
		echo "Architecture: $arch"
		[ -z "$multiarch" ] || echo "Multi-Arch: $multiarch"
		echo "Maintainer: ${PACKAGE_MAINTAINER:-pmemsetfs developers <root@localhost>}"
		echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
		echo "Depends: $depends"
		echo "Section: $section"
		echo "Priority: optional"
		echo "Description: $1"
		shift
		local line
		for line in "$@"; do
			echo " $line"
		done
	} >"$root/DEBIAN/control"
	(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
		LC_ALL=C sort -z | xargs -0 -r md5sum >DEBIAN/md5sums)
	dpkg-deb --root-owner-group -Zxz --build "$root" \
		"$out/${pkg}_${version}_$arch.deb" >/dev/null
	echo "$out/${pkg}_${version}_$arch.deb"
}

lib_depends=$(shlibdeps "$lib")
fs_depends=$(shlibdeps pmemsetfs)
control "$lib" libs "$lib_depends" same \
	"sets of persistent-memory part mappings on top of libpmem2" \
	"libpmemset implements the pmemset 1.0 API: a set holds part mappings," \
	"each a range of a file or of a libpmem2 source, placed in reservations," \
	"coalesced, looked up by address, removed, and written with persist," \
	"flush and memcpy functions that make the data durable." \
	"." "This package holds the shared library."
control libpmemset-dev libdevel "$lib (= $version), libpmem2-dev" same \
	"sets of persistent-memory part mappings (development files)" \
	"The header, the static library, the pkg-config file (libpmemset), the" \
	"section 3 and 7 manual pages and an example program for libpmemset."
control pmemsetfs utils "$fs_depends, fuse3" "" \
	"FUSE file system that mounts a set of persistent-memory parts" \
	"pmemsetfs maps the parts named in a set file with libpmemset and shows" \
	"each part as a regular file, each part map as a file, the set's state" \
	"in .pmemset/status and a control file to map and unmap parts while" \
	"mounted. It works with mount -t fuse.pmemsetfs and /etc/fstab."
