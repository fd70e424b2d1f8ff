/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * handlers.h -- the FUSE handlers, grouped by the object they serve, and
 * the open-file handle they share. ops.c holds the one operations table
 * and routes each request to the group its inode or handle belongs to.
 */
#ifndef PMEMSETFS_HANDLERS_H
#define PMEMSETFS_HANDLERS_H

#include "tree/namespace.h"

enum handle_kind {
	HANDLE_PART,
	HANDLE_MAP,
	HANDLE_TEXT, /* status file or directory listing: a snapshot */
	HANDLE_CTL,
};

/* What fi->fh points to. */
struct handle {
	enum handle_kind kind;
	struct part_node *part;
	struct map_view *map;
	char *text; /* a snapshot, or why a ctl write failed (ctl_read) */
	size_t text_len;
	bool writable; /* opened for writing: persist on close (fsync mode) */
	atomic_int refs;
};

static inline struct namespace *req_ns(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static inline struct handle *fi_handle(struct fuse_file_info *fi)
{
	return (struct handle *)(uintptr_t)fi->fh;
}

/* tree_ops.c: names, attributes, directories, statfs */
void tree_lookup(fuse_req_t req, fuse_ino_t parent, const char *name);
void tree_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void tree_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		  struct fuse_file_info *fi);
void tree_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void tree_statfs(fuse_req_t req, fuse_ino_t ino);
/* fills st for ino; 0 or -ENOENT (ns->lock held) */
int tree_stat_locked(struct namespace *ns, fuse_ino_t ino, struct stat *st);

/* part_ops.c and map_ops.c: the data files */
void part_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void part_read(fuse_req_t req, struct handle *h, size_t size, off_t off);
void part_write(fuse_req_t req, struct handle *h, const char *buf, size_t size,
		off_t off);
void part_fsync(fuse_req_t req, struct handle *h);
void part_flush(fuse_req_t req, struct handle *h);
void part_release(fuse_req_t req, struct handle *h);

void map_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void map_read(fuse_req_t req, struct handle *h, size_t size, off_t off);
void map_write(fuse_req_t req, struct handle *h, const char *buf, size_t size,
	       off_t off);
void map_fsync(fuse_req_t req, struct handle *h);
void map_flush(fuse_req_t req, struct handle *h);
void map_release(fuse_req_t req, struct handle *h);

/* status.c: .pmemset/status */
void status_open(fuse_req_t req, struct fuse_file_info *fi);
size_t status_size_locked(struct namespace *ns);
/* opens a read-only snapshot made by generate_locked (under ns->lock) */
void snapshot_open(fuse_req_t req, struct fuse_file_info *fi,
		   char *(*generate_locked)(struct namespace *, size_t *));

/* status_json.c: .pmemset/status.json, the same facts for scripts */
void status_json_open(fuse_req_t req, struct fuse_file_info *fi);
size_t status_json_size_locked(struct namespace *ns);

/* text handles (status, directory listings) */
void text_read(fuse_req_t req, struct handle *h, size_t size, off_t off);

/* handle.c: a new handle holds one reference; the last put unpins it */
struct handle *handle_new(enum handle_kind kind);
void handle_hold(struct handle *h);
void handle_put(struct namespace *ns, struct handle *h);

/* xattr.c: user.pmemset.* on part files */
void xattr_get(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size);
void xattr_list(fuse_req_t req, fuse_ino_t ino, size_t size);

/* ctl.c: .pmemset/ctl commands and rm of a part */
void ctl_open(fuse_req_t req, struct fuse_file_info *fi);
void ctl_write(fuse_req_t req, struct handle *h, const char *buf, size_t size);
/* the reason the handle's last write failed, or nothing */
void ctl_read(fuse_req_t req, struct handle *h, size_t size, off_t off);
void ctl_unlink(fuse_req_t req, fuse_ino_t parent, const char *name);

#endif /* PMEMSETFS_HANDLERS_H */
