/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * data_path.h -- the bytes' path between FUSE requests and the mapping,
 * shared by part files and map files: range checks, one libpmemset copy,
 * and the persist that the persist= mode asks for.
 */
#ifndef PMEMSETFS_DATA_PATH_H
#define PMEMSETFS_DATA_PATH_H

#include "tree/namespace.h"

/* Replies to a read of [off, off+len) of the range [base, base+size). */
void data_read(fuse_req_t req, struct namespace *ns, char *base, size_t size,
	       off_t off, size_t len);

/*
 * Writes into [base, base+size): cut at the end, -ENOSPC when it starts
 * there; persisted now (persist=write) or marked dirty (fsync). Returns the
 * bytes written or -errno; the caller replies (after any invalidation).
 */
ssize_t data_write(struct namespace *ns, char *base, size_t size, off_t off,
		   const char *buf, size_t len, atomic_bool *dirty);

/* Makes [addr, addr+len) durable: persist, then deep flush. */
int persist_range(struct namespace *ns, char *addr, size_t len);

#endif /* PMEMSETFS_DATA_PATH_H */
