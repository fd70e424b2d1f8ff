/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fault_guard.h -- turns a SIGBUS from a bad source into an error for the
 * one write that met it (see fault_guard.c).
 */
#ifndef PMEMSETFS_FAULT_GUARD_H
#define PMEMSETFS_FAULT_GUARD_H

#include "tree/namespace.h"

/*
 * Makes sure every page of [addr, addr+len) is backed before a write copies
 * into it. 0, or -EIO (the source was truncated) / -ENOSPC (no block for a
 * hole of a sparse source), with the reason in last_error and the log.
 * Changes no byte.
 */
int fault_guard_prepare_write(struct namespace *ns, char *addr, size_t len);

#endif /* PMEMSETFS_FAULT_GUARD_H */
