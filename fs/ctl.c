/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl.c -- .pmemset/ctl commands and rm of a part file (issue 5).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "handlers.h"

void ctl_open(fuse_req_t req, struct fuse_file_info *fi)
{
	struct handle *h = calloc(1, sizeof(*h));
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	h->kind = HANDLE_CTL;
	fi->direct_io = 1;
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		handle_free(h);
}

void ctl_write(fuse_req_t req, const char *buf, size_t size)
{
	(void)buf, (void)size;
	fuse_reply_err(req, ENOSYS);
}

void ctl_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent, (void)name;
	fuse_reply_err(req, ENOSYS);
}
