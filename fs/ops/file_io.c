/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * file_io.c -- the data files: a part file is a fixed-size window onto one
 * mapped part; a map file (.pmemset/maps/N) one onto a part map, possibly
 * made of several coalesced parts, so one request can cross part
 * boundaries. Open pins the part or view (nothing under it is unmapped
 * while it is open), so the data path then needs no lock: the handle holds
 * the address and length. Both kinds share one read, write, flush, fsync
 * and release; what differs is said where it differs: map files bypass the
 * page cache and alias the part files, so a map request first brings the
 * parts' cached pages home and afterwards drops them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "ops/attr.h"
#include "ops/handlers.h"
#include "set/data_path.h"
#include "set/part_failure.h"

/* The bytes a part or map handle reaches. */
struct window {
	char *addr;
	size_t size;
	atomic_bool *dirty; /* persist=fsync: written since the last persist */
};

static struct window window_of(struct handle *h)
{
	if (h->kind == HANDLE_PART)
		return (struct window){h->part->addr, h->part->length,
				       &h->part->dirty};
	return (struct window){h->map->addr, h->map->size, &h->map->dirty};
}

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

/*
 * Whether a part handle bypasses the page cache. With the write-through
 * cache (persist=write) each written byte is copied three times: into the
 * kernel's cache, into the request, into the mapping. A handle opened
 * write-only can neither read nor map the file, so that cache gains it
 * nothing: its writes go direct, one copy fewer, while readers of the same
 * part keep their cache. The kernel drops (writing dirty pages back first)
 * the cached pages under a direct write before it sends it to us. With the
 * writeback cache (persist=fsync) the cache is what makes writes fast.
 */
static bool part_handle_is_direct(const struct namespace *ns, int open_flags)
{
	if (ns->direct_io)
		return true;
	return !ns->writeback && (open_flags & O_ACCMODE) == O_WRONLY;
}

/*
 * A reader's page cache beside a direct writer: the kernel drops the pages
 * under a direct write before sending it, but a cached reader that reads the
 * range while we copy would keep half-written pages. What was open, and how
 * many were ever opened, before the copy tells whether one may have.
 */
struct cached_readers {
	bool open;
	unsigned opened_ever;
};

static struct cached_readers cached_readers_now(struct part_node *part)
{
	return (struct cached_readers){
		.open = atomic_load(&part->cached_opens) > 0,
		.opened_ever = atomic_load(&part->cached_opens_ever),
	};
}

static bool cached_readers_may_hold(struct part_node *part,
				    struct cached_readers before)
{
	struct cached_readers now = cached_readers_now(part);
	return before.open || now.open || before.opened_ever != now.opened_ever;
}

static void cached_open_start(struct handle *h)
{
	h->cached = true;
	atomic_fetch_add(&h->part->cached_opens_ever, 1);
	atomic_fetch_add(&h->part->cached_opens, 1);
}

static void cached_open_end(struct handle *h)
{
	if (h->cached)
		atomic_fetch_sub(&h->part->cached_opens, 1);
}

void file_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct namespace *ns = req_ns(req);
	struct part_node *part = NULL;
	struct map_view *map = NULL;
	int ret = ns_part_open(ns, ino, &part);
	if (ret == -ENOENT)
		ret = ns_map_open(ns, ino, &map);
	struct handle *h =
		ret == 0 ? handle_new(part ? HANDLE_PART : HANDLE_MAP) : NULL;
	if (ret == 0 && h == NULL) {
		if (part != NULL)
			ns_part_release(ns, part);
		else
			ns_map_release(ns, map);
		ret = -ENOMEM;
	}
	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	h->part = part;
	h->map = map;
	h->writable = (fi->flags & O_ACCMODE) != O_RDONLY;
	if (part != NULL) {
		/* O_TRUNC (atomic_o_trunc) is ignored: a part keeps its size */
		fi->direct_io = part_handle_is_direct(ns, fi->flags);
		/* a direct writer keeps the readers' cache too */
		fi->keep_cache = !ns->direct_io;
		if (!fi->direct_io)
			cached_open_start(h);
	} else {
		fi->direct_io = 1; /* map files alias the part files */
	}
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0) {
		cached_open_end(h);
		handle_put(ns, h);
	}
}

void file_read(fuse_req_t req, struct handle *h, size_t size, off_t off)
{
	struct namespace *ns = req_ns(req);
	if (h->kind == HANDLE_MAP)
		launder_parts(ns, h->map, off, size);
	struct window w = window_of(h);
	data_read(req, ns, w.addr, w.size, off, size);
}

/* The write's time, as file_update_time does, on every part it touches. */
static void note_write(struct namespace *ns, struct handle *h, size_t size,
		       off_t off)
{
	if (size == 0)
		return;
	if (h->kind == HANDLE_PART)
		part_attr_note_write(h->part);
	else if (off >= 0 && (size_t)off < h->map->size)
		part_attr_note_map_write(ns, h->map->addr + off, size);
}

void file_write(fuse_req_t req, struct handle *h, const char *buf, size_t size,
		off_t off)
{
	struct namespace *ns = req_ns(req);
	struct window w = window_of(h);
	note_write(ns, h, size, off);
	/* else a part's older dirty page, written back later, would win */
	if (h->kind == HANDLE_MAP)
		launder_parts(ns, h->map, off, size);
	bool beside_cache =
		h->kind == HANDLE_PART && !h->cached && !ns->direct_io;
	struct cached_readers readers = {0};
	if (beside_cache)
		readers = cached_readers_now(h->part);
	ssize_t n = data_write(ns, w.addr, w.size, off, buf, size, w.dirty);
	if (h->kind == HANDLE_PART && ns->writeback && off >= 0 &&
	    (size_t)off + size > w.size) {
		/*
		 * The writeback cache took a write past the end (the kernel
		 * owns the size then, and cannot know ours): what fits is
		 * written, the rest is refused, and the error reaches the
		 * writer's fsync or close. See file_release for the size.
		 * Any other error (EIO of a truncated source) stays itself.
		 */
		atomic_store(&h->part->overran, true);
		if (n >= 0)
			n = -ENOSPC;
	}
	if (n < 0) {
		fuse_reply_err(req, (int)-n);
		return;
	}
	/* before the reply, so the writer's next read of a part is fresh */
	if (h->kind == HANDLE_MAP && !ns->direct_io && n > 0)
		invalidate_parts(ns, w.addr + off, (size_t)n);
	if (beside_cache && n > 0 && cached_readers_may_hold(h->part, readers))
		fuse_lowlevel_notify_inval_inode(ns->session, h->part->ino, off,
						 n);
	fuse_reply_write(req, (size_t)n);
}

void file_fsync(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
	struct window w = window_of(h);
	/* what the parts' writers left in the kernel is under a map too */
	if (h->kind == HANDLE_MAP)
		launder_parts(ns, h->map, 0, w.size);
	atomic_store(w.dirty, false);
	int ret = persist_range(ns, w.addr, w.size);
	/* what was written to a failed part did not all reach its source */
	if (ret == 0 && part_failure_in_range(ns, w.addr, w.size))
		ret = -EIO;
	fuse_reply_err(req, -ret);
}

/* flush runs at every close(): in fsync mode that is a persist point */
static int persist_if_dirty(struct namespace *ns, struct handle *h)
{
	struct window w = window_of(h);
	int ret = 0;
	if (ns->settings.persist == PERSIST_ON_FSYNC && h->writable &&
	    atomic_exchange(w.dirty, false))
		ret = persist_range(ns, w.addr, w.size);
	/* the other parts' bytes are persisted, the failed part's are not */
	if (ret == 0 && h->writable &&
	    part_failure_in_range(ns, w.addr, w.size))
		ret = -EIO;
	return ret;
}

void file_flush(fuse_req_t req, struct handle *h)
{
	fuse_reply_err(req, -persist_if_dirty(req_ns(req), h));
}

void file_release(fuse_req_t req, struct handle *h)
{
	struct namespace *ns = req_ns(req);
	persist_if_dirty(ns, h);
	/*
	 * After a write past the end the kernel's inode keeps the size it
	 * grew to (with the writeback cache it trusts its own). Dropping the
	 * name lets that inode go once nothing holds it; the next lookup
	 * brings the part's real size back.
	 */
	if (h->kind == HANDLE_PART && atomic_exchange(&h->part->overran, false))
		fuse_lowlevel_notify_inval_entry(ns->session, INO_ROOT,
						 h->part->name,
						 strlen(h->part->name));
	cached_open_end(h);
	handle_put(ns, h);
	fuse_reply_err(req, 0);
}
