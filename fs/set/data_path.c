/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * data_path.c -- reads reply straight from the mapped address (one copy,
 * into the kernel); writes go from the request buffer into the mapping
 * with pmemset_memcpy, which also persists them unless persist=fsync.
 * A part whose source was truncated under it fails every request with EIO
 * until it is mapped again (part_failure.c); the checks cost one atomic
 * load while no part has failed.
 */
#include <errno.h>

#include "set/data_path.h"
#include "set/fault_guard.h"
#include "set/part_failure.h"

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
	if (part_failure_in_range(ns, base + off, len)) {
		fuse_reply_err(req, EIO);
		return;
	}
	atomic_fetch_add(&ns->counters.bytes_read, len);
	/* the kernel copies from the mapping; if it cannot, see kernel_io.c */
	fuse_reply_buf(req, base + off, len);
	part_failure_after_reply(ns, base + off, len);
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

	if (part_failure_in_range(ns, base + off, len))
		return -EIO;
	/* a truncated or full source fails this write, not the daemon */
	int fault = part_failure_prepare_write(ns, base + off, len);
	if (fault)
		return fault;
	/* the API takes a non-const source although it only reads it */
	void *src = (void *)buf;
	fault_guard_window_open(base + off, len);
	if (ns->settings.persist == PERSIST_ON_WRITE) {
		pmemset_memcpy(ns->set, base + off, src, len, 0);
		atomic_fetch_add(&ns->counters.persists, 1);
	} else {
		/*
		 * Deferred: plain stores, persisted at the next persist point
		 * (fsync, close, unmount). Not NONTEMPORAL|NODRAIN: at PAGE
		 * granularity libpmem2 msyncs every copy that lacks NOFLUSH
		 * (one msync per write, measured with strace), which is cheap
		 * on tmpfs but writeback I/O on ext4; on pmem it would
		 * acknowledge a write whose non-temporal stores are not fenced
		 * yet.
		 */
		pmemset_memcpy(ns->set, base + off, src, len,
			       PMEMSET_F_MEM_NOFLUSH | PMEMSET_F_MEM_NODRAIN);
		atomic_store(dirty, true);
	}
	fault = part_failure_after_copy(ns, fault_guard_window_close());
	if (fault)
		return fault;
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
