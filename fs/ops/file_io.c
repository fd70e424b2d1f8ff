/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part_ops.c -- a part file: a fixed-size window onto one mapped part.
 * Open pins the part (it cannot be unmapped while open), and the data path
 * then needs no lock: the handle holds the address and length.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "set/data_path.h"
#include "ops/handlers.h"

void part_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct namespace *ns = req_ns(req);
	struct handle *h = handle_new(HANDLE_PART);
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	int ret = ns_part_open(ns, ino, &h->part);
	if (ret) {
		handle_put(ns, h);
		fuse_reply_err(req, -ret);
		return;
	}
	h->writable = (fi->flags & O_ACCMODE) != O_RDONLY;
	/* O_TRUNC (atomic_o_trunc) is ignored: a part keeps its size */
	fi->direct_io = ns->direct_io;
	fi->keep_cache = !ns->direct_io;
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		handle_put(ns, h);
}

void part_read(fuse_req_t req, struct handle *h, size_t size, off_t off)
{
	data_read(req, req_ns(req), h->part->addr, h->part->length, off, size);
}

void part_write(fuse_req_t req, struct handle *h, const char *buf, size_t size,
		off_t off)
{
	struct namespace *ns = req_ns(req);
	struct part_node *p = h->part;
	/* map files bypass the page cache, so they need no invalidation */
	ssize_t n =
		data_write(ns, p->addr, p->length, off, buf, size, &p->dirty);
	if (ns->writeback && (n < 0 || (size_t)n < size)) {
		/*
		 * The writeback cache took a write past the end (the kernel
		 * owns the size then, and cannot know ours): what fits is
		 * written, the rest is refused, and the error reaches the
		 * writer's fsync or close. See part_release for the size.
		 */
		atomic_store(&p->overran, true);
		n = -ENOSPC;
	}
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_write(req, (size_t)n);
}

void part_fsync(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
	atomic_store(&h->part->dirty, false);
	fuse_reply_err(req, -persist_range(ns, h->part->addr, h->part->length));
}

/* flush runs at every close(): in fsync mode that is a persist point */
void part_flush(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
	int ret = 0;
	if (ns->settings.persist == PERSIST_ON_FSYNC && h->writable &&
	    atomic_exchange(&h->part->dirty, false))
		ret = persist_range(ns, h->part->addr, h->part->length);
	fuse_reply_err(req, -ret);
}

void part_release(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
	struct part_node *p = h->part;
	if (ns->settings.persist == PERSIST_ON_FSYNC && h->writable &&
	    atomic_exchange(&p->dirty, false))
		persist_range(ns, p->addr, p->length);
	/*
	 * After a write past the end the kernel's inode keeps the size it
	 * grew to (with the writeback cache it trusts its own). Dropping the
	 * name lets that inode go once nothing holds it; the next lookup
	 * brings the part's real size back.
	 */
	if (atomic_exchange(&p->overran, false))
		fuse_lowlevel_notify_inval_entry(ns->session, INO_ROOT, p->name,
						 strlen(p->name));
	handle_put(ns, h);
	fuse_reply_err(req, 0);
}
