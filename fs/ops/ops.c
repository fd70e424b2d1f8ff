/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ops.c -- the one table of FUSE low-level operations. Each entry routes
 * the request by inode (before open) or by handle kind (after open) to the
 * handler group of that object; no file-system logic lives here.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "ops/handlers.h"
#include "ops/ops.h"

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	struct namespace *ns = userdata;
	/*
	 * persist=fsync on the page cache: the kernel buffers writes and sends
	 * them at writeback, fsync, close and unmount (session-wide, so map
	 * files, which stay direct, are unaffected). Otherwise every write
	 * must reach us before write(2) returns.
	 */
	if (ns->writeback && (conn->capable & FUSE_CAP_WRITEBACK_CACHE))
		conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	else
		conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	ns->writeback = (conn->want & FUSE_CAP_WRITEBACK_CACHE) != 0;
	/*
	 * O_TRUNC arrives as an open flag, which we ignore, not a setattr.
	 * Not with the writeback cache: the kernel would then set the size to
	 * 0 itself and drop the file's cached pages, dirty ones included, and
	 * keep that size (it trusts its own); as a setattr(size 0) without a
	 * file handle, which attr_setattr answers with the part's size, it
	 * keeps both.
	 */
	if ((conn->capable & FUSE_CAP_ATOMIC_O_TRUNC) && !ns->writeback)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	else
		conn->want &= ~FUSE_CAP_ATOMIC_O_TRUNC;
	conn->max_write = 1 << 20;
	conn->max_readahead = 1 << 20;
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct namespace *ns = req_ns(req);
	/* the kernel refuses first; this holds even after a remount,rw */
	if (ns->read_only && (fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EROFS);
		return;
	}
	switch (ino) {
	case INO_ROOT:
	case INO_META_DIR:
	case INO_MAPS_DIR:
		fuse_reply_err(req, EISDIR);
		return;
	case INO_STATUS:
		status_file_open(req, fi);
		return;
	case INO_STATUS_JSON:
		status_json_file_open(req, fi);
		return;
	case INO_CTL:
		ctl_file_open(req, fi);
		return;
	}
	file_open(req, ino, fi);
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)ino;
	struct namespace *ns = req_ns(req);
	struct handle *h = fi_handle(fi);
	handle_hold(h); /* the reply points into the handle's memory */
	switch (h->kind) {
	case HANDLE_PART:
	case HANDLE_MAP:
		file_read(req, h, size, off);
		break;
	case HANDLE_TEXT:
		text_read(req, h, size, off);
		break;
	case HANDLE_CTL:
		ctl_file_read(req, h, size, off);
		break;
	}
	handle_put(ns, h);
}

static void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)ino;
	struct handle *h = fi_handle(fi);
	struct namespace *ns = req_ns(req);
	if (ns->read_only) { /* the mapping is read-only: never store */
		fuse_reply_err(req, EROFS);
		return;
	}
	switch (h->kind) {
	case HANDLE_PART:
	case HANDLE_MAP:
		file_write(req, h, buf, size, off);
		return;
	case HANDLE_CTL:
		ctl_file_write(req, h, buf, size);
		return;
	case HANDLE_TEXT:
		fuse_reply_err(req, EBADF);
		return;
	}
}

static void fs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	struct handle *h = fi_handle(fi);
	if (h->kind == HANDLE_PART || h->kind == HANDLE_MAP)
		file_flush(req, h);
	else
		fuse_reply_err(req, 0);
}

static void fs_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
		     struct fuse_file_info *fi)
{
	(void)ino;
	(void)datasync; /* there is no metadata to skip */
	struct handle *h = fi_handle(fi);
	if (h->kind == HANDLE_PART || h->kind == HANDLE_MAP)
		file_fsync(req, h);
	else
		fuse_reply_err(req, 0);
}

static void fs_release(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	(void)ino;
	struct handle *h = fi_handle(fi);
	if (h->kind == HANDLE_PART || h->kind == HANDLE_MAP) {
		file_release(req, h);
	} else {
		handle_put(req_ns(req), h);
		fuse_reply_err(req, 0);
	}
}

static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	(void)ino;
	struct namespace *ns = req_ns(req); /* the reply frees req */
	struct handle *h = fi_handle(fi);
	handle_hold(h); /* the reply points into the listing */
	text_read(req, h, size, off);
	handle_put(ns, h);
}

static void fs_releasedir(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	(void)ino;
	handle_put(req_ns(req), fi_handle(fi));
	fuse_reply_err(req, 0);
}

static void fs_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
			size_t size)
{
	xattr_get(req, ino, name, size);
}

static void fs_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	xattr_list(req, ino, size);
}

/*
 * The tree's shape is the set's: a new part comes from the ctl file (which
 * knows its source), rm of a part is refused too unless the mount says
 * -o unlink=unmap (then it unmaps the part), and nothing else can be made,
 * renamed, linked or removed. Every such refusal is EPERM, "not allowed
 * here", as for a file system that does not allow the operation at all.
 */
static void fs_create(fuse_req_t req, fuse_ino_t parent, const char *name,
		      mode_t mode, struct fuse_file_info *fi)
{
	(void)parent, (void)name, (void)mode, (void)fi;
	fuse_reply_err(req, EPERM);
}

static void fs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode)
{
	(void)parent, (void)name, (void)mode;
	fuse_reply_err(req, EPERM);
}

static void fs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode, dev_t rdev)
{
	(void)parent, (void)name, (void)mode, (void)rdev;
	fuse_reply_err(req, EPERM);
}

static void fs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
		       const char *name)
{
	(void)link, (void)parent, (void)name;
	fuse_reply_err(req, EPERM);
}

static void fs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
		    const char *newname)
{
	(void)ino, (void)newparent, (void)newname;
	fuse_reply_err(req, EPERM);
}

static void fs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname,
		      unsigned int flags)
{
	(void)parent, (void)name, (void)newparent, (void)newname, (void)flags;
	fuse_reply_err(req, EPERM);
}

static void fs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent, (void)name;
	fuse_reply_err(req, EPERM);
}

static void fs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	if (req_ns(req)->read_only) /* unmapping changes the set */
		fuse_reply_err(req, EROFS);
	else
		part_unlink(req, parent, name);
}

const struct fuse_lowlevel_ops pmemsetfs_ops = {
	.init = fs_init,
	.lookup = dir_lookup,
	.getattr = attr_getattr,
	.setattr = attr_setattr,
	.opendir = dir_open,
	.readdir = fs_readdir,
	.releasedir = fs_releasedir,
	.statfs = dir_statfs,
	.open = fs_open,
	.read = fs_read,
	.write = fs_write,
	.flush = fs_flush,
	.fsync = fs_fsync,
	.release = fs_release,
	.getxattr = fs_getxattr,
	.listxattr = fs_listxattr,
	.unlink = fs_unlink,
	.create = fs_create,
	.mkdir = fs_mkdir,
	.mknod = fs_mknod,
	.symlink = fs_symlink,
	.link = fs_link,
	.rename = fs_rename,
	.rmdir = fs_rmdir,
};
