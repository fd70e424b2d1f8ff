/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * map_ops.c -- a map file (.pmemset/maps/N): one part map, possibly made
 * of several coalesced parts, so one request can cross part boundaries.
 * Open pins the view: no part under it is unmapped while it is open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "set/data_path.h"
#include "ops/handlers.h"

static void invalidate_all_parts(struct namespace *ns)
{
	pthread_mutex_lock(&ns->lock);
	size_t n = ns->nparts;
	fuse_ino_t first = INO_FIRST_DYNAMIC, last = ns->next_ino;
	pthread_mutex_unlock(&ns->lock);
	/* unknown inodes are simply not cached: ignore the errors */
	for (fuse_ino_t ino = first; n > 0 && ino < last; ino++)
		fuse_lowlevel_notify_inval_inode(ns->session, ino, 0, 0);
}

/*
 * Drops the kernel's cached pages of every part file under [addr, addr+len)
 * (page-cache modes only). The kernel first writes dirty pages back to us
 * (launder: a WRITE request that another thread of the loop serves), so the
 * bytes a part's writer has not yet flushed reach the mapping before a map file
 * reads or overwrites them. Never called with -s (cache=direct then): a single
 * thread blocked here could not serve the read or write the kernel waits for.
 */
static void invalidate_parts(struct namespace *ns, const char *addr, size_t len)
{
	struct range {
		fuse_ino_t ino;
		off_t off;
		off_t len;
	} * hits;
	size_t nhits = 0;
	pthread_mutex_lock(&ns->lock);
	hits = malloc((ns->nparts ? ns->nparts : 1) * sizeof(*hits));
	for (size_t i = 0; hits != NULL && i < ns->nparts; i++) {
		const struct part_node *p = ns->parts[i];
		const char *start = addr > p->addr ? addr : p->addr;
		const char *end = addr + len < p->addr + p->length
					  ? addr + len
					  : p->addr + p->length;
		if (start >= end)
			continue;
		hits[nhits].ino = p->ino;
		hits[nhits].off = start - p->addr;
		hits[nhits].len = end - start;
		nhits++;
	}
	pthread_mutex_unlock(&ns->lock);
	if (hits == NULL) { /* cannot say which: drop every part's cache */
		invalidate_all_parts(ns);
		return;
	}
	/* outside the lock: the kernel may wait for our other threads */
	for (size_t i = 0; i < nhits; i++)
		fuse_lowlevel_notify_inval_inode(ns->session, hits[i].ino,
						 hits[i].off, hits[i].len);
	free(hits);
}

void map_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct namespace *ns = req_ns(req);
	struct handle *h = handle_new(HANDLE_MAP);
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	int ret = ns_map_open(ns, ino, &h->map);
	if (ret) {
		handle_put(ns, h);
		fuse_reply_err(req, -ret);
		return;
	}
	h->writable = (fi->flags & O_ACCMODE) != O_RDONLY;
	/* map files bypass the page cache: they alias the part files */
	fi->direct_io = 1;
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		handle_put(ns, h);
}

/*
 * Brings the parts' dirty bytes in [off, off+len) home: pages of the
 * writeback cache, and with either page-cache mode pages a shared mapping
 * of a part has stored to but not yet msynced.
 */
static void launder_parts(struct namespace *ns, const struct map_view *m,
			  off_t off, size_t len)
{
	if (ns->direct_io || off < 0 || (size_t)off >= m->size)
		return;
	if (len > m->size - (size_t)off)
		len = m->size - (size_t)off;
	invalidate_parts(ns, m->addr + off, len);
}

void map_read(fuse_req_t req, struct handle *h, size_t size, off_t off)
{
	struct namespace *ns = req_ns(req);
	launder_parts(ns, h->map, off, size);
	data_read(req, ns, h->map->addr, h->map->size, off, size);
}

void map_write(fuse_req_t req, struct handle *h, const char *buf, size_t size,
	       off_t off)
{
	struct namespace *ns = req_ns(req);
	struct map_view *m = h->map;
	/* else a part's older dirty page, written back later, would win */
	launder_parts(ns, m, off, size);
	ssize_t n = data_write(ns, m->addr, m->size, off, buf, size, &m->dirty);
	if (n < 0) {
		fuse_reply_err(req, (int)-n);
		return;
	}
	/* before the reply, so the writer's next read of a part is fresh */
	if (!ns->direct_io && n > 0)
		invalidate_parts(ns, m->addr + off, (size_t)n);
	fuse_reply_write(req, (size_t)n);
}

void map_fsync(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
	/* what the parts' writers left in the kernel is under this map too */
	launder_parts(ns, h->map, 0, h->map->size);
	atomic_store(&h->map->dirty, false);
	fuse_reply_err(req, -persist_range(ns, h->map->addr, h->map->size));
}

void map_flush(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
	int ret = 0;
	if (ns->settings.persist == PERSIST_ON_FSYNC && h->writable &&
	    atomic_exchange(&h->map->dirty, false))
		ret = persist_range(ns, h->map->addr, h->map->size);
	fuse_reply_err(req, -ret);
}

void map_release(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
	if (ns->settings.persist == PERSIST_ON_FSYNC && h->writable &&
	    atomic_exchange(&h->map->dirty, false))
		persist_range(ns, h->map->addr, h->map->size);
	handle_put(ns, h);
	fuse_reply_err(req, 0);
}
