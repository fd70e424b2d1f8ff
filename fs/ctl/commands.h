/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * commands.h -- the ctl commands, one line each (see commands.c):
 *   part NAME PATH [offset=] [length=] [create] [truncate]
 *   part NAME temporary=DIR length=SIZE
 *   unmap NAME
 *   remove-range MAP OFFSET LENGTH
 *   coalescing none|opportunistic|full
 */
#ifndef PMEMSETFS_CTL_COMMANDS_H
#define PMEMSETFS_CTL_COMMANDS_H

#include "tree/namespace.h"

/*
 * Runs one command line (modified in place) with ns->change_lock held.
 * 0, or -errno with the reason in err; a failing command changes nothing.
 */
int ctl_run_command(struct namespace *ns, char *line, char *err, size_t errlen);

/* unmap NAME (ns->change_lock and ns->lock held). */
int ctl_unmap_part_locked(struct namespace *ns, const char *name, char *err,
			  size_t errlen);

#endif /* PMEMSETFS_CTL_COMMANDS_H */
