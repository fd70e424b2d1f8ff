/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * session.h -- around the FUSE session loop: signals, the mount, the
 * loop, and the start-up line (see session.c).
 */
#ifndef PMEMSETFS_SESSION_H
#define PMEMSETFS_SESSION_H

#include <limits.h>

#include "tree/namespace.h"

/* Only SIGHUP, SIGINT and SIGTERM stop the daemon (they unmount). */
int session_handle_signals(struct fuse_session *se);

/*
 * Mounts at mountpoint; then our own device I/O (page cache), the mount's
 * device for ctl's own-mount check, and its read-ahead and dirty-page
 * budget. 0, or -1 when the mount failed (libfuse said why).
 */
int session_mount(struct fuse_session *se, struct namespace *ns,
		  const char *mountpoint);

/* Serves requests until unmounted: 0, or > 0 the signal that stopped it. */
int session_loop(struct fuse_session *se,
		 const struct fuse_cmdline_opts *cmdline);

/* The set file and mount point, resolved before the daemon leaves cwd. */
struct startup_paths {
	char setfile[PATH_MAX];
	char mountpoint[PATH_MAX];
};

void startup_paths_resolve(struct startup_paths *paths, const char *setfile,
			   const char *mountpoint);
/* The start-up line at the info level: set file, parts, maps, modes. */
void startup_report(struct namespace *ns, const struct startup_paths *paths);

#endif /* PMEMSETFS_SESSION_H */
