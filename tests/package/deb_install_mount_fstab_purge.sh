#!/usr/bin/env bash
# The Debian packages as a user gets them: scripts/package.sh builds them,
# lintian finds no error, warning, info or pedantic tag in them, `apt-get
# install ./…deb` installs them on this machine, dpkg -L lists every file,
# each package has its copyright, changelog and README, `man 1 pmemsetfs`
# and every other page render, the installed /usr/bin/pmemsetfs mounts a set
# through `mount -t pmemsetfs` (/sbin/mount.pmemsetfs), `mount -t
# fuse.pmemsetfs` (/sbin/mount.fuse.pmemsetfs) and /etc/fstab lines of
# either type (`mount MNT`), bash completes its options and ctl commands and
# the part names of a mount, `pkg-config libpmemset` prints no system
# directory, the example in libpmemset-dev's doc folder builds with it and
# runs without LD_LIBRARY_PATH; then `apt-get purge` must leave no file, no
# ldconfig entry and the old fstab.
# Whatever happens, the trap unmounts, removes the fstab line and purges.
# usage: deb_install_mount_fstab_purge.sh SOURCE_DIR BUILD_DIR HELPER_DIR [SANITIZE]
set -euo pipefail
src=$(cd "$1" && pwd)
build=$2
helpers=$3
name=$(basename "$0" .sh)
packages=(pmemsetfs libpmemset-dev libpmemset1 pmemsetfs-dbgsym libpmemset1-dbgsym)
# lintian tags (other than classification) accepted, each with its reason
# in scripts/package.sh; none today
accepted_tags=()

skip()
{
	echo "SKIP: $name: $*" >&2
	exit 77
}

[ "${4:-OFF}" != ON ] ||
	skip "PMEMSET_SANITIZE=ON: a package holds the plain build (package.sh" \
		"builds one without sanitizers), which the plain test pass already installs and checks"
[ "$(id -u)" -eq 0 ] && [ -c /dev/fuse ] || skip "needs root and /dev/fuse"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	skip "needs apt-get and dpkg-deb (a Debian system)"
# dpkg_state PKG: "ii" installed, "rc" config files left, "" unknown or purged
dpkg_state()
{
	local state
	state=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) || true
	state=$(echo $state)
	[ "$state" = un ] || echo "$state"
}
for pkg in "${packages[@]}"; do
	[ -z "$(dpkg_state "$pkg")" ] ||
		skip "package $pkg is on this machine already; not replacing and purging it"
done
# the test's own tools (scripts/deps.sh lists them for a fresh machine)
. "$src/scripts/deps.sh"
pmemsetfs_install_deps lintian bash-completion >/dev/null 2>&1 ||
	skip "cannot install lintian and bash-completion with apt-get"
# mount.fuse3's /bin/sh searches /usr/local first: a pmemsetfs there (a
# `cmake --install` copy, or tests/fs/mount_via_mount_t.sh's link if that
# test was killed) would be run instead of the packaged one
for dir in /usr/local/sbin /usr/local/bin /usr/sbin /sbin; do
	[ ! -e "$dir/pmemsetfs" ] && [ ! -L "$dir/pmemsetfs" ] ||
		skip "$dir/pmemsetfs exists and would shadow the packaged /usr/bin/pmemsetfs"
done

# tests/fs/lib.sh: fresh $T and $MNT, unmount and kill the daemon in a trap,
# mount helpers; its DAEMON is the installed binary
set -- /usr/bin/pmemsetfs "$helpers"
TEST_DEADLINE=900 # a first package build compiles the whole tree
. "$src/tests/fs/lib.sh"
chmod 755 "$T" # apt fetches local .deb files as user _apt
# our fstab line names $T, so it is unique; we only ever append it
fstab_line="$T/set $MNT pmemsetfs noauto,persist=fsync 0 0" # and fuse.pmemsetfs
fstab_existed=false
touch "$T/fstab.orig"
[ -e /etc/fstab ] && fstab_existed=true && cp -p /etc/fstab "$T/fstab.orig"
fstab_size=$(stat -c %s "$T/fstab.orig")

# restore: the fstab as it was, the packages purged (idempotent; run by
# lib.sh's trap after it unmounted, and by the test itself)
restore_fstab()
{
	if grep -qxF "$fstab_line" /etc/fstab 2>/dev/null; then
		if cmp -s -n "$fstab_size" /etc/fstab "$T/fstab.orig"; then
			truncate -s "$fstab_size" /etc/fstab # what we appended
		else # changed meanwhile: take out just our line
			grep -vxF "$fstab_line" /etc/fstab >"$T/fstab.new" || true
			cat "$T/fstab.new" >/etc/fstab
		fi
	fi
	$fstab_existed || [ -s /etc/fstab ] || rm -f /etc/fstab
}
purge_packages()
{
	local pkg installed=()
	for pkg in "${packages[@]}"; do
		[ -z "$(dpkg_state "$pkg")" ] || installed+=("$pkg")
	done
	[ ${#installed[@]} -eq 0 ] ||
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "${installed[@]}" \
			>>"$T/apt.log" 2>&1
}
CLEANUP_CMDS+=(restore_fstab purge_packages)

note "scripts/package.sh"
PACKAGE_OUT=$T/out PACKAGE_BUILD=$build/package-build \
	bash "$src/scripts/package.sh" >"$T/package.log" 2>&1 ||
	fail "package.sh failed: $(cat "$T/package.log")"
version=$(sed -nE 's/^project\(pmemsetfs VERSION ([0-9.]+).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
debs=()
for pkg in "${packages[@]}"; do
	deb=${pkg}_${version}_$arch.deb
	[ -f "$T/out/$deb" ] || fail "package.sh made no $deb: $(ls "$T/out")"
	debs+=("./$deb")
	assert_eq "$version" "$(dpkg-deb -f "$T/out/$deb" Version)" "version of $pkg"
done

note "lintian: no error, warning, info or pedantic tag"
# lint_tags DEB...: every tag lintian reports, except classification (C:)
lint_tags()
{
	(cd "$T/out" && lintian -I -E --pedantic "$@") >"$T/lintian.out" 2>&1 || true
	grep -vE '^(running with root privileges|[CN]:|$)' "$T/lintian.out" || true
}
unexpected=$(lint_tags "${debs[@]}")
for tag in "${accepted_tags[@]}"; do
	unexpected=$(grep -vE "^[IPX]: [^ ]+: $tag( |$)" <<<"$unexpected" || true)
done
[ -z "$unexpected" ] || fail "lintian: $unexpected"
# the check can fail: the same package without its copyright file
dpkg-deb -R "$T/out/pmemsetfs_${version}_$arch.deb" "$T/broken"
rm "$T/broken/usr/share/doc/pmemsetfs/copyright"
dpkg-deb --root-owner-group -b "$T/broken" "$T/out/broken.deb" >/dev/null
grep -q '^E: pmemsetfs: no-copyright-file' <<<"$(lint_tags ./broken.deb)" ||
	fail "lintian does not see a missing copyright file: $(cat "$T/lintian.out")"
rm -r "$T/broken" "$T/out/broken.deb"

# every path of the packages, and which of them exist before we install
(cd "$T/out" && for deb in "${debs[@]}"; do dpkg-deb -c "$deb"; done) | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' |
	grep -v '^$' | sort -u >"$T/paths"
grep -qx /usr/bin/pmemsetfs "$T/paths" || fail "no /usr/bin/pmemsetfs in the packages"
while read -r p; do
	if [ -e "$p" ] || [ -L "$p" ]; then
		# (a directory may be a link to one: /sbin on a merged-/usr system)
		[ -d "$p" ] || skip "$p exists and does not come from a package; not overwriting it"
		echo "$p"
	fi
done <"$T/paths" >"$T/paths.before"

note "Depends, soname, shlibs"
depends=$(dpkg-deb -f "$T/out/pmemsetfs_${version}_$arch.deb" Depends)
for dep in fuse3 libfuse3-3 libpmem2; do
	grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || fail "pmemsetfs does not depend on $dep: $depends"
done
grep -qE "(^|, )libpmem2( |,|$)" <<<"$(dpkg-deb -f "$T/out/libpmemset1_${version}_$arch.deb" Depends)" ||
	fail "libpmemset1 does not depend on libpmem2"
dpkg-deb -e "$T/out/libpmemset1_${version}_$arch.deb" "$T/control.lib"
assert_eq "libpmemset 1 libpmemset1 (>= $version)" "$(cat "$T/control.lib/shlibs")" "shlibs"
grep -q '^ pmemset_part_map@LIBPMEMSET_1.0 ' "$T/control.lib/symbols" ||
	fail "the symbols file lacks pmemset_part_map@LIBPMEMSET_1.0"

note "apt-get install ./…deb"
# dpkg installs what a Docker image's path-exclude would drop (docs, pages)
dpkg_opts=()
if grep -qs '^path-exclude' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/*; then
	dpkg_opts=(-o 'DPkg::Options::=--path-include=*')
fi
(cd "$T/out" && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"${dpkg_opts[@]}" "${debs[@]}" >>"$T/apt.log" 2>&1) ||
	fail "apt-get install ./…deb failed: $(tail -n 20 "$T/apt.log")"
for pkg in "${packages[@]}"; do
	assert_eq ii "$(dpkg_state "$pkg")" "dpkg status of $pkg"
done
dpkg -L "${packages[@]}" | sort -u >"$T/listed"
while read -r p; do
	grep -qxF "$p" "$T/listed" || fail "dpkg -L does not list $p"
	[ -e "$p" ] || [ -L "$p" ] || fail "$p was not installed"
done <"$T/paths"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
for p in /usr/bin/pmemsetfs /usr/lib/$multiarch/libpmemset.so.1 \
	/usr/lib/$multiarch/libpmemset.so /usr/lib/$multiarch/libpmemset.a \
	/usr/lib/$multiarch/pkgconfig/libpmemset.pc /usr/include/libpmemset.h \
	/usr/share/doc/libpmemset-dev/examples/two_parts.c /sbin/mount.pmemsetfs \
	/sbin/mount.fuse.pmemsetfs /usr/share/bash-completion/completions/pmemsetfs; do
	grep -qxF "$p" "$T/listed" || fail "dpkg -L does not list $p"
done
# each package's own documentation, compressed: the README of the tree,
# the changelog of this version, the machine-readable copyright
for pkg in pmemsetfs libpmemset-dev libpmemset1; do
	doc=/usr/share/doc/$pkg
	zcat "$doc/README.md.gz" | cmp -s - "$src/README.md" ||
		fail "$doc/README.md.gz is not the tree's README.md"
	first=$(zcat "$doc/changelog.gz" | head -n 1)
	assert_eq "pmemsetfs ($version) unstable; urgency=medium" "$first" "$doc/changelog.gz"
	assert_eq "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" \
		"$(head -n 1 "$doc/copyright")" "$doc/copyright"
	grep -qx 'License: BSD-3-Clause' "$doc/copyright" || fail "$doc/copyright names no BSD-3-Clause"
done
# (outputs kept in variables: grep -q on a pipe would SIGPIPE under pipefail)
cache=$(ldconfig -p)
grep -qF "libpmemset.so.1 " <<<"$cache" || fail "ldconfig's cache has no libpmemset.so.1"
# every page the packages hold: `man SECTION NAME` finds and renders it
# (with .so link pages resolved inside the compressed files)
if command -v man >/dev/null; then
	grep -E '^/usr/share/man/man[1-8]/[^/]+\.[1-8](\.gz)?$' "$T/paths" >"$T/pages" || true
	while read -r page; do
		base=$(basename "${page%.gz}")
		section=${base##*.}
		title=${base%.*}
		found=$(man -w "$section" "$title" 2>&1) || fail "man -w $section $title: $found"
		[[ "$found" = /usr/share/man/* ]] || fail "man $section $title finds $found"
		MANPAGER=cat MANWIDTH=80 man "$section" "$title" >"$T/page.txt" 2>"$T/page.err" ||
			fail "man $section $title: $(cat "$T/page.err")"
		[ -s "$T/page.txt" ] || fail "man $section $title renders nothing"
	done <"$T/pages"
	note "$(wc -l <"$T/pages") man pages render"
	assert_eq /usr/share/man/man1/pmemsetfs.1.gz "$(man -w 1 pmemsetfs)" "man -w 1 pmemsetfs"
	MANPAGER=cat MANWIDTH=80 man 1 pmemsetfs >"$T/page.txt" 2>/dev/null
	grep -q 'mount -t pmemsetfs' "$T/page.txt" || fail "man 1 pmemsetfs shows no mount -t pmemsetfs"
fi
shown=$(/usr/bin/pmemsetfs --version)
grep -qx "pmemsetfs version $version" <<<"$shown" ||
	fail "the installed pmemsetfs --version is not $version: $shown"

make_source one.img $((2 * MiB))
cat >"$T/set" <<SET
part a $SRC/one.img offset=1M
SET
# use_and_unmount: the daemon serving $MNT is the installed binary (lib.sh's
# DAEMON); read, write, umount, check the source
use_and_unmount()
{
	[ -n "$(daemons_for "$MNT")" ] ||
		fail "$MNT is not served by /usr/bin/pmemsetfs but by" \
			"$(ps -o args= -p "$(pgrep -d, -f "pmemsetfs.*$MNT" || echo 1)")" \
			"($(ls -l /usr/local/sbin/pmemsetfs /usr/local/bin/pmemsetfs 2>&1 | tr '\n' ' '))"
	find_detached_daemon
	assert_eq a "$(ls "$MNT")" "ls of the mount"
	part_matches_model a one.img "$MiB" "$MiB"
	make_data "$T/data" 50000
	dd_write "$MNT/a" 4000 "$T/data"
	model_write one.img $((MiB + 4000)) "$T/data"
	part_matches_model a one.img "$MiB" "$MiB"
	unmount_detached umount "$MNT"
	assert_sources_match_model
}

# complete WORD...: what bash-completion offers for the last WORD of
# `pmemsetfs WORD...`, one a line, with the installed completion loaded the
# way bash-completion loads it (by the command's name, on first use)
complete_words()
{
	bash -c '. /usr/share/bash-completion/bash_completion
		__load_completion pmemsetfs || exit 2
		complete -p pmemsetfs >"$0.spec"
		COMP_WORDS=(pmemsetfs "$@")
		COMP_CWORD=$#
		COMP_LINE="${COMP_WORDS[*]}"
		COMP_POINT=${#COMP_LINE}
		_pmemsetfs pmemsetfs "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' "$T/complete" "$@"
}
check_completion()
{
	complete_words -V >/dev/null || fail "bash-completion does not load the pmemsetfs completion"
	assert_eq "complete -F _pmemsetfs pmemsetfs" "$(cat "$T/complete.spec")" "complete -p pmemsetfs"
	assert_eq "--version" "$(complete_words --vers)" "completion of --vers"
	assert_eq "$(printf 'fsync\nwrite')" "$(complete_words -o persist=)" "completion of -o persist="
	assert_eq "ro,cache=" "$(complete_words -o ro,cac)" "completion of -o ro,cac"
	assert_eq "$MNT" "$(complete_words ctl "${MNT%?}")" "completion of the mount point after ctl"
	assert_eq remove-range "$(complete_words ctl "$MNT" rem)" "completion of a ctl command"
	assert_eq a "$(complete_words ctl "$MNT" unmap "")" "completion of a part name after unmap"
	assert_eq 0 "$(complete_words ctl "$MNT" remove-range "")" "completion of a map name"
}

note "mount -t pmemsetfs (/sbin/mount.pmemsetfs) with the installed binary"
mount -t pmemsetfs "$T/set" "$MNT" 2>"$T/mount.err" ||
	fail "mount -t pmemsetfs failed: $(cat "$T/mount.err")"
wait_mounted "$MNT"
assert_eq fuse.pmemsetfs "$(findmnt -n -o FSTYPE "$MNT")" "type of the mount -t pmemsetfs mount"
note "bash completion of the installed pmemsetfs"
check_completion
use_and_unmount

note "mount -t fuse.pmemsetfs (/sbin/mount.fuse.pmemsetfs) with the installed binary"
mount -t fuse.pmemsetfs -o persist=fsync "$T/set" "$MNT" 2>"$T/mount.err" ||
	fail "mount -t fuse.pmemsetfs failed: $(cat "$T/mount.err")"
wait_mounted "$MNT"
grep -q "persist.*fsync" "$MNT/.pmemset/status" ||
	fail "-o persist=fsync not in status: $(cat "$MNT/.pmemset/status")"
use_and_unmount

for type in pmemsetfs fuse.pmemsetfs; do
	note "an /etc/fstab line of type $type, mount MNT"
	fstab_line="$T/set $MNT $type noauto,persist=fsync 0 0"
	{
		[ ! -s /etc/fstab ] || [ -z "$(tail -c 1 /etc/fstab)" ] || echo
		echo "$fstab_line"
	} >>/etc/fstab
	mount "$MNT" 2>"$T/mount.err" || fail "mount $MNT (fstab, $type) failed: $(cat "$T/mount.err")"
	wait_mounted "$MNT"
	grep -q "persist.*fsync" "$MNT/.pmemset/status" ||
		fail "persist=fsync from fstab not in status: $(cat "$MNT/.pmemset/status")"
	use_and_unmount
	restore_fstab
	if $fstab_existed; then
		cmp -s /etc/fstab "$T/fstab.orig" || fail "/etc/fstab differs from before the test"
	else
		[ ! -e /etc/fstab ] || fail "/etc/fstab was made by the test and is left"
	fi
done

note "pkg-config libpmemset: no system directory"
assert_eq "$(env -u PKG_CONFIG_PATH pkg-config --cflags libpmem2)" \
	"$(env -u PKG_CONFIG_PATH pkg-config --cflags libpmemset)" "pkg-config --cflags libpmemset"
libs=$(env -u PKG_CONFIG_PATH pkg-config --libs libpmemset)
[[ "$libs" =~ ^-lpmemset\ -lpmem2\ *$ ]] || fail "pkg-config --libs libpmemset: $libs"

note "the installed example, built with pkg-config, run without LD_LIBRARY_PATH"
mkdir "$T/example"
(cd "$T/example" && env -u PKG_CONFIG_PATH -u LD_LIBRARY_PATH -u LIBRARY_PATH -u CPATH \
	cc -std=gnu11 -Wall -Wextra -Werror $(env -u PKG_CONFIG_PATH pkg-config --cflags libpmemset) \
	/usr/share/doc/libpmemset-dev/examples/two_parts.c -o two_parts \
	$(env -u PKG_CONFIG_PATH pkg-config --libs libpmemset)) 2>"$T/cc.err" ||
	fail "the example does not build with pkg-config libpmemset: $(cat "$T/cc.err")"
dynamic=$(readelf -d "$T/example/two_parts")
grep -qE 'RPATH|RUNPATH' <<<"$dynamic" && fail "the example has an rpath"
resolved=$(env -u LD_LIBRARY_PATH ldd "$T/example/two_parts" | awk '$1 == "libpmemset.so.1" { print $3 }')
assert_eq "$(realpath /usr/lib/"$multiarch"/libpmemset.so.1)" "$(realpath "$resolved")" \
	"libpmemset.so.1 the example loads"
env -u LD_LIBRARY_PATH "$T/example/two_parts" "$T/example" >"$T/example.out" 2>&1 ||
	fail "the example failed: $(cat "$T/example.out")"

note "apt-get purge: nothing left"
purge_packages || fail "apt-get purge failed: $(tail -n 20 "$T/apt.log")"
for pkg in "${packages[@]}"; do
	assert_eq "" "$(dpkg_state "$pkg")" "dpkg status of $pkg after purge"
done
while read -r p; do
	if [ -e "$p" ] || [ -L "$p" ]; then
		grep -qxF "$p" "$T/paths.before" || fail "$p is left after purge"
	fi
done <"$T/paths"
cache=$(ldconfig -p)
if grep -qF libpmemset <<<"$cache"; then
	fail "ldconfig's cache still has libpmemset: $(grep libpmemset <<<"$cache")"
fi
env -u PKG_CONFIG_PATH pkg-config --exists libpmemset && fail "pkg-config still finds libpmemset"
[ -z "$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v pmemsetfs)" ] ||
	fail "a pmemsetfs is still on the standard PATH"
grep -qxF "$fstab_line" /etc/fstab 2>/dev/null && fail "our fstab line is left"
true
