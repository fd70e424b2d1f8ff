/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * map_ops.c -- a map file (.pmemset/maps/N): one part map, possibly made
 * of several coalesced parts, so one request can cross part boundaries.
 * Open pins the view: no part under it is unmapped while it is open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "data_path.h"
#include "handlers.h"

void map_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct namespace *ns = req_ns(req);
	struct handle *h = calloc(1, sizeof(*h));
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	int ret = ns_map_open(ns, ino, &h->map);
	if (ret) {
		free(h);
		fuse_reply_err(req, -ret);
		return;
	}
	h->kind = HANDLE_MAP;
	h->writable = (fi->flags & O_ACCMODE) != O_RDONLY;
	/* map files bypass the page cache: they alias the part files */
	fi->direct_io = 1;
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0) {
		ns_map_release(ns, h->map);
		free(h);
	}
}

void map_read(fuse_req_t req, struct handle *h, size_t size, off_t off)
{
	data_read(req, req_ns(req), h->map->addr, h->map->size, off, size);
}

void map_write(fuse_req_t req, struct handle *h, const char *buf, size_t size,
	       off_t off)
{
	struct namespace *ns = req_ns(req);
	struct map_view *m = h->map;
	data_write(req, ns, m->addr, m->size, off, buf, size, &m->dirty);
}

void map_fsync(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
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
	ns_map_release(ns, h->map);
	free(h);
	fuse_reply_err(req, 0);
}
