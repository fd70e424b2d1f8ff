/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * data_path.c -- reads reply straight from the mapped address (one copy,
 * into the kernel); writes go from the request buffer into the mapping
 * with pmemset_memcpy, which also persists them unless persist=fsync.
 */
#include <errno.h>

#include "data_path.h"

void data_read(fuse_req_t req, struct namespace *ns, char *base, size_t size,
	       off_t off, size_t len)
{
	if (off < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if ((size_t)off >= size) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (len > size - (size_t)off)
		len = size - (size_t)off;
	atomic_fetch_add(&ns->counters.bytes_read, len);
	fuse_reply_buf(req, base + off, len);
}

ssize_t data_write(struct namespace *ns, char *base, size_t size, off_t off,
		   const char *buf, size_t len, atomic_bool *dirty)
{
	if (off < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if ((size_t)off >= size)
		return -ENOSPC;
	if (len > size - (size_t)off)
		len = size - (size_t)off;

	/* the API takes a non-const source although it only reads it */
	void *src = (void *)buf;
	if (ns->settings.persist == PERSIST_ON_WRITE) {
		pmemset_memcpy(ns->set, base + off, src, len, 0);
		atomic_fetch_add(&ns->counters.persists, 1);
	} else {
		/*
		 * Non-temporal stores, drained at the next persist point:
		 * libpmem2's NOFLUSH copy (plain stores) made 1 MiB overwrites
		 * ~30% slower (2.7-2.8 against 3.3-3.9 GB/s on /dev/shm).
		 */
		pmemset_memcpy(ns->set, base + off, src, len,
			       PMEMSET_F_MEM_NONTEMPORAL |
				       PMEMSET_F_MEM_NODRAIN);
		atomic_store(dirty, true);
	}
	atomic_fetch_add(&ns->counters.bytes_written, len);
	return (ssize_t)len;
}

int persist_range(struct namespace *ns, char *addr, size_t len)
{
	if (len == 0)
		return 0;
	pmemset_persist(ns->set, addr, len);
	atomic_fetch_add(&ns->counters.persists, 1);
	/* deep flush fails only when the medium reports an error: EIO */
	return pmemset_deep_flush(ns->set, addr, len) ? -EIO : 0;
}
