/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * help.c -- what pmemsetfs --help and --version print. The help text lives
 * here alone so that adding an option, a set-file directive or a ctl command
 * means adding its line here too (tests/fs/help_version_and_read_only.sh
 * checks that every -o option the parser knows is listed). The man pages
 * pmemsetfs(1) and pmemsetfs.set(5) say the same at length.
 */
#include <stdio.h>
#include <string.h>

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>

#include "startup/help.h"

#ifndef PMEMSETFS_VERSION
#error "PMEMSETFS_VERSION comes from the CMake project version (fs/CMakeLists.txt)"
#endif

static const char help_text[] =
	"Maps every part of the pmemset described by SETFILE and mounts it at\n"
	"MOUNTPOINT: one file per part, .pmemset/maps/N per part map,\n"
	".pmemset/status and .pmemset/ctl. Everything is checked and mapped\n"
	"before the mount; only then does pmemsetfs go to the background.\n"
	"\n"
	"pmemsetfs options:\n"
	"    -o persist=write|fsync persist every write before it returns "
	"(default),\n"
	"                           or on fsync, close and unmount\n"
	"    -o coalescing=none|opportunistic|full\n"
	"    -o reservation=SIZE    every part map inside one reservation\n"
	"    -o granularity=page|cacheline|byte\n"
	"                           the store granularity required (default "
	"page)\n"
	"    -o cache=page|direct   part files use the kernel page cache "
	"(default;\n"
	"                           a writeback cache with persist=fsync) "
	"or bypass it\n"
	"                           (single-threaded, -s, means direct)\n"
	"    -o uid=USER, -o gid=GROUP\n"
	"                           owner and group (names or numbers) "
	"shown for\n"
	"                           part and map files (default: the "
	"source's)\n"
	"    -o umask=MASK          part files show mode 0666 & ~MASK (octal)\n"
	"    -o ro                  sources opened and mapped read-only; "
	"every\n"
	"                           change fails with EROFS\n"
	"    -o unlink=refuse|unmap rm of a part file fails with EPERM "
	"(default:\n"
	"                           tar -x, install and rsync, which unlink "
	"first,\n"
	"                           cannot drop a part) or unmaps the part\n"
	"    -o fsname=NAME         the device shown in df and /proc/mounts\n"
	"                           (default: the set file's path)\n"
	"    -o transport=auto|uring|dev\n"
	"                           how requests arrive: io_uring queues when "
	"the\n"
	"                           kernel offers them (enable_uring), else "
	"/dev/fuse\n"
	"                           (auto, default); uring: no mount without "
	"them\n"
	"    -o log=syslog|stderr|FILE\n"
	"                           where the daemon's messages go (default:\n"
	"                           syslog in the background, stderr with -f)\n"
	"    (coalescing, reservation and granularity override the set file)\n"
	"    Nothing is printed on a successful mount; status shows where "
	"the log\n"
	"    goes.\n"
	"\n"
	"Set file: one directive a line, words split on blanks, '#' at the\n"
	"start of a word starts a comment; a word may be quoted: \"...\" "
	"(\\\"\n"
	"and \\\\ inside stand for \" and \\), '...' (as it is), and a "
	"backslash\n"
	"outside quotes takes the next character as it is. SIZE takes a K,\n"
	"M, G or T suffix, relative paths are taken from the set file's\n"
	"directory; parts are mapped in file order.\n"
	"    part NAME PATH [offset=SIZE] [length=SIZE] [create] [truncate]\n"
	"    part NAME temporary=DIR length=SIZE\n"
	"    reservation SIZE\n"
	"    coalescing none|opportunistic|full\n"
	"    granularity page|cacheline|byte\n"
	"\n"
	"ctl commands: one a line, written to MOUNTPOINT/.pmemset/ctl (a "
	"write\n"
	"of several lines is a script that stops at its first failing line),\n"
	"or sent with pmemsetfs ctl (\"-\": a script from standard input):\n"
	"    pmemsetfs ctl MOUNTPOINT COMMAND...\n"
	"    part NAME PATH [offset=SIZE] [length=SIZE] [create] [truncate]\n"
	"    part NAME temporary=DIR length=SIZE\n"
	"                           map one more part (pmemsetfs ctl makes "
	"a\n"
	"                           relative PATH absolute; words quoted "
	"as in\n"
	"                           the set file)\n"
	"    unmap NAME             unmap a part (the source keeps its "
	"bytes)\n"
	"    remove-range MAP OFFSET LENGTH\n"
	"                           unmap every part the range of map file "
	"MAP\n"
	"                           touches\n"
	"    coalescing none|opportunistic|full\n"
	"                           the mode for parts mapped from now on\n"
	"\n"
	"Exit status:\n"
	"    0  unmounted (fusermount3 -u, umount, SIGTERM, SIGINT, SIGHUP), "
	"or\n"
	"       -h, -V\n"
	"    1  bad command line, set file, mount point or part: nothing is\n"
	"       mounted and every source file is as it was\n"
	"pmemsetfs ctl prints nothing on success and the daemon's reason on\n"
	"stderr on failure; its exit status says what kind of failure:\n"
	"    0 done, 1 other, 2 usage, 3 invalid command, 4 not found,\n"
	"    5 exists, 6 no space, 7 busy, 8 permission denied or read-only\n"
	"    mount, 9 not a pmemsetfs mount, 10 its daemon is not running\n"
	"\n"
	"See pmemsetfs(1), pmemsetfs.set(5) and libpmemset(7).\n"
	"\n"
	"libfuse options:\n";

void help_print(const char *prog)
{
	const char *slash = strrchr(prog, '/');
	prog = slash != NULL ? slash + 1 : prog;
	printf("usage: %s [OPTIONS] SETFILE MOUNTPOINT\n"
	       "       %s ctl MOUNTPOINT COMMAND...\n"
	       "       mount -t fuse.pmemsetfs SETFILE MOUNTPOINT [-o "
	       "OPTIONS]\n"
	       "\n%s",
	       prog, prog, help_text);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

void help_print_version(void)
{
	printf("pmemsetfs version %s\n", PMEMSETFS_VERSION);
	/* the library loaded now, which may be newer than the headers */
	printf("FUSE library version %s\n", fuse_pkgversion());
	fflush(stdout); /* the next line comes from libfuse's own printf */
	fuse_lowlevel_version();
}
