/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part_failure.h -- a fault of the fault guard as the request's error, and
 * the failed state of a part whose source was truncated (part_failure.c).
 */
#ifndef PMEMSETFS_PART_FAILURE_H
#define PMEMSETFS_PART_FAILURE_H

#include "tree/namespace.h"

/*
 * Makes sure every page of [addr, addr+len) is backed before a write copies
 * into it. 0, or -EIO (the source was truncated: the part fails) / -ENOSPC
 * (no block for a hole of a sparse source), with the reason in last_error
 * and the log. Changes no byte.
 */
int part_failure_prepare_write(struct namespace *ns, char *addr, size_t len);

/*
 * hit: what fault_guard_window_close returned. 0, or -EIO: the copy met a
 * vanished page, the part under it fails (reason logged).
 */
int part_failure_after_copy(struct namespace *ns, const char *hit);

/* Is a failed part under [addr, addr+len)? Cheap while none has failed. */
bool part_failure_in_range(struct namespace *ns, const char *addr, size_t len);

/*
 * After a reply from [addr, addr+len): if the kernel could not copy it (the
 * device I/O answered EIO instead), the parts there fail.
 */
void part_failure_after_reply(struct namespace *ns, const char *addr,
			      size_t len);

#endif /* PMEMSETFS_PART_FAILURE_H */
