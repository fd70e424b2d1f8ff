#!/usr/bin/env bash
# Builds the Debian packages of pmemsetfs into $PACKAGE_OUT (default build/),
# as debhelper would build them from a debian/ directory:
#   libpmemset1     the shared library (soname libpmemset.so.1), with shlibs,
#                   symbols (Build-Depends-Package) and the ldconfig trigger
#   libpmemset-dev  header, libpmemset.so link, static library, .pc file,
#                   section 3 and 7 man pages, the example source in its
#                   own /usr/share/doc/libpmemset-dev/examples
#   pmemsetfs       the daemon, its section 1 and 5 pages, the mount helpers
#                   /sbin/mount.pmemsetfs and /sbin/mount.fuse.pmemsetfs,
#                   the bash completion
#   libpmemset1-dbgsym, pmemsetfs-dbgsym
#                   the debug symbols stripped from the library and the
#                   daemon, under /usr/lib/debug/.build-id/
# Each package has its own /usr/share/doc/PACKAGE with the DEP-5 copyright,
# the changelog and the README, compressed. The package is native (the
# version is the project version, pmemsetfs --version), so its changelog is
# changelog.gz, as Debian policy and lintian want for native packages.
# The files are whatever `cmake --install` puts under /usr, split by path (a
# file that matches no package stops the build, so nothing installed is
# silently left out); Depends come from dpkg-shlibdeps; the compiler and
# linker flags from dpkg-buildflags with every hardening feature.
#
# Lintian (tests/package runs it with -I -E --pedantic) reports no error,
# warning, info, pedantic or experimental tag on the five packages; what
# each former tag needed: the copyright file (no-copyright-file), the
# changelog (no-changelog), the project address as Maintainer
# (bogus-mail-host, root-in-contact), dpkg-buildflags (hardening-no-bindnow,
# hardening-no-fortify-functions), the symbols file's Build-Depends-Package
# (symbols-file-missing-build-depends-package-field), and stripping the
# static library, which is an ar archive and not an ELF file
# (unstripped-static-library). A tag that has to stay gets its reason here
# and its name in the test's list of accepted tags.
#
# usage: bash scripts/package.sh
#   PACKAGE_OUT=DIR     where the .deb files go (default: build/)
#   PACKAGE_BUILD=DIR   the CMake build directory (default: build-package/ in
#                       the source tree); always configured without
#                       sanitizers, with prefix /usr and the Debian flags
#   PACKAGE_KEEP=1      keep the staging directory (its path is printed)
#   PACKAGE_MAINTAINER  the Maintainer field (default: the project address)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${PACKAGE_OUT:-$top/build}
build=${PACKAGE_BUILD:-$top/build-package}
files=$top/scripts/package
maintainer=${PACKAGE_MAINTAINER:-pmemsetfs maintainers <pmemsetfs@users.noreply.github.com>}

# (scripts/deps.sh installs them: dpkg-dev comes with build-essential)
for tool in cmake dpkg-deb dpkg-shlibdeps dpkg-gensymbols dpkg-buildflags objcopy strip readelf; do
	command -v "$tool" >/dev/null ||
		{ echo "package.sh: $tool not found (apt-get install dpkg-dev cmake binutils)" >&2; exit 1; }
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

# Debian's flags: -O2 -g, the stack protector, _FORTIFY_SOURCE, format
# checks, and with hardening=+all also relro and bindnow (-z now); gcc
# builds PIE by default. Run in the source tree, so that
# -ffile-prefix-map makes the paths in the debug symbols relative to it.
# CPPFLAGS go with CFLAGS: CMake has no preprocessor-flags variable.
flags()
{
	(cd "$top" && DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1")
}
cflags="$(flags CFLAGS) $(flags CPPFLAGS)"
ldflags=$(flags LDFLAGS)
quiet configure cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_INSTALL_PREFIX=/usr -DPMEMSET_SANITIZE=OFF \
	-DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
	-DCMAKE_SHARED_LINKER_FLAGS="$ldflags" -DCMAKE_MODULE_LINKER_FLAGS="$ldflags"
# what the packages hold, not the tests and benchmarks
quiet build cmake --build "$build" -j"$(nproc)" --target pmemsetfs pmemset pmemset_static \
	man_fs man_core
stage=$work/stage
DESTDIR=$stage quiet install cmake --install "$build"

version=$("$build/fs/pmemsetfs" --version | sed -n 's/^pmemsetfs version //p')
[ -n "$version" ] || { echo "package.sh: pmemsetfs --version printed no version" >&2; exit 1; }
arch=$(dpkg --print-architecture)
soversion=$(find "$stage" -name 'libpmemset.so.*' -type l -printf '%f\n' |
	sed -n 's/^libpmemset\.so\.\([0-9]*\)$/\1/p')
[ -n "$soversion" ] || { echo "package.sh: no libpmemset.so.N installed" >&2; exit 1; }
lib=libpmemset$soversion
packages=("$lib" libpmemset-dev pmemsetfs)

# The documentation every package gets is added below; the license is in
# the copyright file, where Debian wants it (lintian: extra-license-file)
readme=$work/README.md
mv "$stage/usr/share/doc/pmemsetfs/README.md" "$readme"
rm "$stage/usr/share/doc/pmemsetfs/LICENSE"
# the example belongs to the package that has the header and the .pc file
mkdir -p "$stage/usr/share/doc/libpmemset-dev"
mv "$stage/usr/share/doc/pmemsetfs/examples" "$stage/usr/share/doc/libpmemset-dev/"

# package_of PATH: which package a staged path (relative, usr/...) goes to
package_of()
{
	case "$1" in
	usr/lib/*/libpmemset.so.*) echo "$lib" ;;
	usr/include/* | usr/lib/*/libpmemset.so | usr/lib/*/libpmemset.a | \
		usr/lib/*/pkgconfig/* | usr/share/man/man3/* | usr/share/man/man7/* | \
		usr/share/doc/libpmemset-dev/examples/*)
		echo libpmemset-dev ;;
	usr/bin/* | usr/share/man/man1/* | usr/share/man/man5/* | \
		usr/share/bash-completion/completions/*)
		echo pmemsetfs ;;
	*) return 1 ;;
	esac
}

# dpkg-shlibdeps and dpkg-gensymbols expect the Debian source layout:
# debian/control and one directory per package under debian/
mkdir -p "$work/debian"
for pkg in "" "${packages[@]}"; do
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

# `mount -t pmemsetfs` runs /sbin/mount.pmemsetfs; `mount -t fuse.pmemsetfs`
# runs /sbin/mount.fuse.pmemsetfs (before falling back to mount.fuse),
# which is mount.fuse3 itself: it takes the type from its own name. Both
# in /sbin, where mount(8) looks and where fuse3 has mount.fuse3. Their
# manual is pmemsetfs(1), which documents them (FILES).
fsroot=$work/debian/pmemsetfs
install -D -m 755 "$files/mount.pmemsetfs" "$fsroot/sbin/mount.pmemsetfs"
ln -s mount.fuse3 "$fsroot/sbin/mount.fuse.pmemsetfs"
mkdir -p "$fsroot/usr/share/man/man8"
for helper in mount.pmemsetfs mount.fuse.pmemsetfs; do
	ln -s ../man1/pmemsetfs.1 "$fsroot/usr/share/man/man8/$helper.8"
done

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

# Stripped as dh_strip strips: the debug symbols of executables and shared
# libraries go to PACKAGE-dbgsym under /usr/lib/debug/.build-id/, where gdb
# and debuginfod look them up by build ID; a static library only loses its
# debug sections (--strip-debug keeps what linking needs; Debian ships no
# debug symbols for static libraries, programs linking them carry their own).
is_elf() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }
declare -A build_ids
for pkg in "${packages[@]}"; do
	while IFS= read -r -d '' f; do
		case "$f" in
		*.a) # an ar archive of ELF objects, not an ELF file itself
			strip --strip-debug --remove-section=.comment --remove-section=.note \
				--enable-deterministic-archives "$f"
			continue
			;;
		esac
		is_elf "$f" || continue
		id=$(readelf -n "$f" | sed -n 's/^ *Build ID: \([0-9a-f]*\)$/\1/p')
		[ -n "$id" ] || { echo "package.sh: ${f#"$work"/} has no build ID" >&2; exit 1; }
		debug=$work/debian/$pkg-dbgsym/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
		mkdir -p "$(dirname "$debug")"
		objcopy --only-keep-debug --compress-debug-sections "$f" "$debug"
		chmod 644 "$debug"
		case "$f" in
		*.so.*) strip --remove-section=.comment --remove-section=.note --strip-unneeded "$f" ;;
		*) strip --remove-section=.comment --remove-section=.note "$f" ;;
		esac
		build_ids[$pkg]="${build_ids[$pkg]:-}${build_ids[$pkg]:+ }$id"
	done < <(find "$work/debian/$pkg" -type f -print0)
done

# /usr/share/doc/PACKAGE: the DEP-5 copyright (its license text is
# scripts/package/LICENSE, indented), the changelog of this version, dated
# by the last commit so that a rebuild is the same, and the README
changelog_date=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
changelog_date=$(LC_ALL=C date -u -R -d "@${SOURCE_DATE_EPOCH:-$changelog_date}")
{
	cat "$files/copyright.head"
	sed -e 's/^$/./' -e 's/^/ /' "$files/LICENSE"
} >"$work/copyright"
sed -e "s/@VERSION@/$version/g" -e "s/@MAINTAINER@/$maintainer/" \
	-e "s/@DATE@/$changelog_date/" "$files/changelog.in" | gzip -9n >"$work/changelog.gz"
gzip -9nc "$readme" >"$work/README.md.gz"
for pkg in "${packages[@]}"; do
	doc=$work/debian/$pkg/usr/share/doc/$pkg
	mkdir -p "$doc"
	install -m 644 "$work/copyright" "$work/changelog.gz" "$work/README.md.gz" "$doc/"
done

# the library's dependency information, for programs built against it;
# Build-Depends-Package lets dpkg-shlibdeps raise a dependency to the
# version of libpmemset-dev a program was built with
libdir_rel=$(cd "$work/debian/$lib" && dirname "$(find usr -name "libpmemset.so.$soversion")")
mkdir -p "$work/debian/$lib/DEBIAN"
echo "libpmemset $soversion $lib (>= $version)" >"$work/debian/$lib/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$work/debian/$lib/DEBIAN/triggers"
(cd "$work" && dpkg-gensymbols -q -p"$lib" -P"debian/$lib" -v"$version" \
	-e"debian/$lib/$libdir_rel/libpmemset.so.$soversion" -c0 \
	-O"$work/symbols" >/dev/null)
sed '1a * Build-Depends-Package: libpmemset-dev' "$work/symbols" >"$work/debian/$lib/DEBIAN/symbols"

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

# control PKG SECTION DEPENDS MULTIARCH [FIELD: VALUE]... -- DESCRIPTION...:
# writes DEBIAN/control and DEBIAN/md5sums, builds the .deb
control()
{
	local pkg=$1 section=$2 depends=$3 multiarch=$4 root=$work/debian/$1
	shift 4
	local extra=()
	while [ "$1" != -- ]; do
		extra+=("$1")
		shift
	done
	shift
	mkdir -p "$root/DEBIAN"
	{
		echo "Package: $pkg"
		echo "Source: pmemsetfs"
		echo "Version: $version"
		echo "Architecture: $arch"
		[ -z "$multiarch" ] || echo "Multi-Arch: $multiarch"
		echo "Maintainer: $maintainer"
		echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
		echo "Depends: $depends"
		[ ${#extra[@]} -eq 0 ] || printf '%s\n' "${extra[@]}"
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

# dbgsym PKG MULTIARCH: the debug symbols package of PKG, as debhelper
# makes it (its doc directory is a link to PKG's, which it depends on)
dbgsym()
{
	local pkg=$1 root=$work/debian/$1-dbgsym
	mkdir -p "$root/usr/share/doc"
	ln -s "$pkg" "$root/usr/share/doc/$pkg-dbgsym"
	control "$pkg-dbgsym" debug "$pkg (= $version)" "$2" \
		"Auto-Built-Package: debug-symbols" "Build-Ids: ${build_ids[$pkg]}" -- \
		"debug symbols for $pkg"
}

lib_depends=$(shlibdeps "$lib")
fs_depends=$(shlibdeps pmemsetfs)
control "$lib" libs "$lib_depends" same -- \
	"sets of persistent-memory part mappings on top of libpmem2" \
	"libpmemset implements the pmemset 1.0 API: a set holds part mappings," \
	"each a range of a file or of a libpmem2 source, placed in reservations," \
	"coalesced, looked up by address, removed, and written with persist," \
	"flush and memcpy functions that make the data durable." \
	"." "This package holds the shared library."
control libpmemset-dev libdevel "$lib (= $version), libpmem2-dev" same -- \
	"sets of persistent-memory part mappings (development files)" \
	"The header, the static library, the pkg-config file (libpmemset), the" \
	"section 3 and 7 manual pages and an example program for libpmemset."
control pmemsetfs utils "$fs_depends, fuse3" "" -- \
	"FUSE file system that mounts a set of persistent-memory parts" \
	"pmemsetfs maps the parts named in a set file with libpmemset and shows" \
	"each part as a regular file, each part map as a file, the set's state" \
	"in .pmemset/status and a control file to map and unmap parts while" \
	"mounted. It works with mount -t pmemsetfs, mount -t fuse.pmemsetfs" \
	"and /etc/fstab."
dbgsym "$lib" same
dbgsym pmemsetfs ""
