/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script.h -- running what a writer sent to .pmemset/ctl, and rm of a part
 * (see script.c). No FUSE types: ops/control_files.c is the FUSE face.
 */
#ifndef PMEMSETFS_CTL_SCRIPT_H
#define PMEMSETFS_CTL_SCRIPT_H

#include "tree/namespace.h"

#define CTL_MAX_WRITE (64 * 1024) /* one write: a command or a script */
/* "line N: ctl 'COMMAND': REASON\n", what a ctl handle reads back */
#define CTL_MAX_REASON                                                         \
	(sizeof(((struct last_error *)0)->command) +                           \
	 sizeof(((struct last_error *)0)->reason) + 32)

/*
 * Runs the command or script in buf[0..size). 0, or -errno: the failure is
 * then the set's last error and logged, and *reason holds it as one line
 * (malloc'd; NULL without memory) for the writer to read back.
 */
int ctl_run_write(struct namespace *ns, const char *buf, size_t size,
		  char **reason);

/*
 * rm NAME: with -o unlink=unmap unmaps the part, else refused (-EPERM)
 * with a reason that names ctl unmap; a failure is recorded as "rm 'NAME'".
 */
int ctl_remove_part(struct namespace *ns, const char *name);

#endif /* PMEMSETFS_CTL_SCRIPT_H */
