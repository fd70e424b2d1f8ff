#!/usr/bin/env bash
# Installs, with apt-get, every Debian package that building and testing
# pmemsetfs needs and that is not installed yet. Sourced by the other scripts.
pmemsetfs_packages=(build-essential cmake pkg-config libpmem2-dev libcunit1-dev rsync
	libfuse3-dev fuse3 attr valgrind clang-format groff-base man-db)

pmemsetfs_install_deps() {
	local missing=() pkg
	for pkg in "$@"; do
		[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = \
			"install ok installed" ] || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# the package test checks the .deb files with lintian and the installed
# bash completion with bash-completion
pmemsetfs_packages+=(lintian bash-completion)

# .pmemset/status.json is written with json-c; its tests read it with jq
pmemsetfs_packages+=(libjson-c-dev jq)
# FUSE over io_uring (fs/uring_ring.c)
pmemsetfs_packages+=(liburing-dev)
