#!/usr/bin/env bash
# The README's main command: installs what is missing, builds pmemsetfs into
# ./build, writes a demo set file with two parts (a file part created on
# the spot and a temporary part) in a fresh temporary directory, and mounts
# it in the foreground. Ctrl-C unmounts and removes the demo directory.
#
# A checkout copied or moved together with its build directory is noticed
# (the build's CMakeCache.txt names another source directory) and the build
# is configured afresh. `run.sh --configure-only` stops after configuring.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
pmemsetfs_install_deps "${pmemsetfs_packages[@]}"

# configure_build SOURCE BUILD: cmake's configure step, after dropping a
# cache that belongs to another source directory (cmake refuses to reuse it)
configure_build() {
	local src=$1 build=$2 home
	if [ -f "$build/CMakeCache.txt" ]; then
		home=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' \
			"$build/CMakeCache.txt")
		if [ ! "$home" -ef "$src" ]; then
			echo "== $build was configured for ${home:-another" \
				"checkout}; configuring it afresh for $src"
			rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
		fi
	fi
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
}

configure_build "$top" "$top/build"
[ "${1:-}" = --configure-only ] && exit 0
cmake --build "$top/build" --target pmemsetfs -j "$(nproc)"

demo=$(mktemp -d "${TMPDIR:-/tmp}/pmemsetfs-demo.XXXXXX")
mnt="$demo/mnt"
mkdir "$mnt"
cleanup() {
	mountpoint -q "$mnt" && fusermount3 -u "$mnt"
	rm -rf "$demo"
}
trap cleanup EXIT

cat >"$demo/demo.set" <<EOF
# pmemsetfs demo set: one directive a line (see README)
granularity page
part data    $demo/data.img length=16M create truncate
part scratch temporary=$demo length=4M
EOF

cat <<EOF
== pmemsetfs demo
set file:    $demo/demo.set
mount point: $mnt

In another terminal, try:
  ls -la $mnt
  cat $mnt/.pmemset/status
  getfattr -n user.pmemset.source $mnt/data
  df -h $mnt
  dd if=/dev/urandom of=$mnt/data bs=1M count=2 seek=1 conv=notrunc
  cmp $mnt/data $demo/data.img && echo "the part is its source file"
  cat $mnt/.pmemset/maps/0 | od -A d -t x1 | head
  echo "part more $demo/more.img length=1M create truncate" > $mnt/.pmemset/ctl
  $top/build/fs/pmemsetfs ctl $mnt unmap more    # rm of a part is refused

Press Ctrl-C here to unmount and clean up.
EOF
# -f: stay in the foreground; SIGINT makes the daemon persist and unmount
"$top/build/fs/pmemsetfs" -f "$demo/demo.set" "$mnt"
echo "== unmounted; $demo removed"
