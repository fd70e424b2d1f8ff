/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * control_files.c -- the files of .pmemset as FUSE files. status and
 * status.json are read-only snapshots made at open (ctl/status.c), so one
 * reader sees one consistent state; ctl takes commands and scripts
 * (ctl/script.c) and gives back why its own last write failed; rm of a
 * part file is refused, or with -o unlink=unmap the unmap command by
 * another name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/script.h"
#include "ctl/status.h"
#include "ops/handlers.h"

/* Opens a read-only snapshot made by generate_locked (under ns->lock). */
static void snapshot_open(fuse_req_t req, struct fuse_file_info *fi,
			  char *(*generate_locked)(struct namespace *,
						   size_t *))
{
	struct namespace *ns = req_ns(req);
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EACCES);
		return;
	}
	struct handle *h = handle_new(HANDLE_TEXT);
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&ns->lock);
	h->text = generate_locked(ns, &h->text_len);
	pthread_mutex_unlock(&ns->lock);
	if (h->text == NULL) {
		handle_put(ns, h);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	/* the size changes with the counters: never serve it from a cache */
	fi->direct_io = 1;
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		handle_put(ns, h);
}

void status_file_open(fuse_req_t req, struct fuse_file_info *fi)
{
	snapshot_open(req, fi, status_text_locked);
}

void status_json_file_open(fuse_req_t req, struct fuse_file_info *fi)
{
	snapshot_open(req, fi, status_json_locked);
}

size_t status_file_size_locked(struct namespace *ns, fuse_ino_t ino)
{
	size_t len = 0;
	free(ino == INO_STATUS_JSON ? status_json_locked(ns, &len)
				    : status_text_locked(ns, &len));
	return len;
}

void text_read(fuse_req_t req, struct handle *h, size_t size, off_t off)
{
	if (off < 0 || (size_t)off >= h->text_len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	size_t left = h->text_len - (size_t)off;
	fuse_reply_buf(req, h->text + off, size < left ? size : left);
}

void ctl_file_open(fuse_req_t req, struct fuse_file_info *fi)
{
	struct namespace *ns = req_ns(req); /* the reply frees req */
	struct handle *h = handle_new(HANDLE_CTL);
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fi->direct_io = 1; /* every write must reach us as written */
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		handle_put(ns, h);
}

void ctl_file_write(fuse_req_t req, struct handle *h, const char *buf,
		    size_t size)
{
	struct namespace *ns = req_ns(req);
	char *reason = NULL;
	int ret = ctl_run_write(ns, buf, size, &reason);
	ns_flush_stale_entries(ns); /* before the writer sees the result */
	pthread_mutex_lock(&ns->lock);
	/* after a success there is nothing to read back */
	free(h->text);
	h->text = reason;
	h->text_len = reason != NULL ? strlen(reason) : 0;
	pthread_mutex_unlock(&ns->lock);
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_write(req, size);
}

/*
 * Reading a ctl handle gives the reason its last write failed (empty
 * after a success): a client opens ctl O_RDWR, writes, and on an error
 * reads the reason back from the same descriptor, which no other writer
 * can overwrite (last_error in status is shared by all of them).
 */
void ctl_file_read(fuse_req_t req, struct handle *h, size_t size, off_t off)
{
	struct namespace *ns = req_ns(req);
	char reason[CTL_MAX_REASON];
	size_t len = 0;
	pthread_mutex_lock(&ns->lock);
	if (off >= 0 && (size_t)off < h->text_len) {
		len = h->text_len - (size_t)off;
		len = len < size ? len : size;
		memcpy(reason, h->text + off, len);
	}
	pthread_mutex_unlock(&ns->lock);
	fuse_reply_buf(req, reason, len);
}

void part_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct namespace *ns = req_ns(req);
	if (parent != INO_ROOT || strcmp(name, META_DIR_NAME) == 0) {
		fuse_reply_err(req, EPERM);
		return;
	}
	int ret = ctl_remove_part(ns, name);
	fuse_reply_err(req, -ret);
	ns_flush_stale_entries(ns); /* the root stays locked until we reply */
}
