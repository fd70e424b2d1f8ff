#!/usr/bin/env bash
# The README's main command: installs what is missing, builds pmemsetfs into
# ./build, writes a demo set file with two parts (a file part created on
# the spot and a temporary part) in a fresh temporary directory, and mounts
# it in the foreground. Ctrl-C unmounts and removes the demo directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
pmemsetfs_install_deps "${pmemsetfs_packages[@]}"

cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
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
  getfattr -d $mnt/data
  df -h $mnt
  dd if=/dev/urandom of=$mnt/data bs=1M count=2 seek=1 conv=notrunc
  cmp $mnt/data $demo/data.img && echo "the part is its source file"
  cat $mnt/.pmemset/maps/0 | od -A d -t x1 | head
  echo "part more $demo/more.img length=1M create truncate" > $mnt/.pmemset/ctl
  rm $mnt/more

Press Ctrl-C here to unmount and clean up.
EOF
# -f: stay in the foreground; SIGINT makes the daemon persist and unmount
"$top/build/fs/pmemsetfs" -f "$demo/demo.set" "$mnt"
echo "== unmounted; $demo removed"
