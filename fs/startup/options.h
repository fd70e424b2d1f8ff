/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * options.h -- the command line: SETFILE MOUNTPOINT, pmemsetfs's own -o
 * options (persist=, coalescing=, reservation=, granularity=, cache=,
 * uid=, gid=, umask=, fsname=, unlink=, transport=) and
 * libfuse's standard ones, which are handed on to the FUSE session.
 */
#ifndef PMEMSETFS_OPTIONS_H
#define PMEMSETFS_OPTIONS_H

#include "tree/namespace.h"
#include "transport/uring_transport.h"

struct options {
	char *setfile;
	struct set_settings override;	  /* what -o asked, over the set file */
	bool direct_io;			  /* -o cache=direct (default: page) */
	bool read_only;			  /* -o ro */
	bool unlink_unmaps;		  /* -o unlink=unmap */
	struct ownership ownership;	  /* -o uid=, gid=, umask= */
	struct fuse_cmdline_opts cmdline; /* -f -d -s, mountpoint, ... */
	struct fuse_args args;		  /* what the FUSE session gets */
	char *log;			  /* -o log=; NULL: the default */
	enum transport_mode transport;	  /* -o transport= */
};

/*
 * Parses argv. Returns 0 to go on, 1 when -h or -V was handled (exit 0),
 * -1 on a bad command line (message printed, exit non-zero).
 */
int options_parse(int argc, char **argv, struct options *o);
void options_clear(struct options *o);

#endif /* PMEMSETFS_OPTIONS_H */
