/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * handlers.h -- the FUSE handlers, grouped by the object they serve.
 * ops.c holds the one operations table
 * and routes each request to the group its inode or handle belongs to.
 */
#ifndef PMEMSETFS_HANDLERS_H
#define PMEMSETFS_HANDLERS_H

#include "tree/handle.h"

static inline struct namespace *req_ns(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static inline struct handle *fi_handle(struct fuse_file_info *fi)
{
	return (struct handle *)(uintptr_t)fi->fh;
}

/* dir.c: names, directory listings, statfs */
void dir_lookup(fuse_req_t req, fuse_ino_t parent, const char *name);
void dir_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void dir_statfs(fuse_req_t req, fuse_ino_t ino);

/* attr.c: attributes and the xattrs user.pmemset.* of part files */
void attr_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void attr_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		  struct fuse_file_info *fi);
void xattr_get(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size);
void xattr_list(fuse_req_t req, fuse_ino_t ino, size_t size);

/* file_io.c: part files and map files, one code path for both */
void file_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void file_read(fuse_req_t req, struct handle *h, size_t size, off_t off);
void file_write(fuse_req_t req, struct handle *h, const char *buf, size_t size,
		off_t off);
void file_fsync(fuse_req_t req, struct handle *h);
void file_flush(fuse_req_t req, struct handle *h);
void file_release(fuse_req_t req, struct handle *h);

/* control_files.c: .pmemset/status, status.json and ctl; rm of a part */
void status_file_open(fuse_req_t req, struct fuse_file_info *fi);
void status_json_file_open(fuse_req_t req, struct fuse_file_info *fi);
/* the size a status file (INO_STATUS or INO_STATUS_JSON) has now */
size_t status_file_size_locked(struct namespace *ns, fuse_ino_t ino);
/* text handles (status snapshots, directory listings) */
void text_read(fuse_req_t req, struct handle *h, size_t size, off_t off);
void ctl_file_open(fuse_req_t req, struct fuse_file_info *fi);
void ctl_file_write(fuse_req_t req, struct handle *h, const char *buf,
		    size_t size);
/* the reason the handle's last write failed, or nothing */
void ctl_file_read(fuse_req_t req, struct handle *h, size_t size, off_t off);
void part_unlink(fuse_req_t req, fuse_ino_t parent, const char *name);

#endif /* PMEMSETFS_HANDLERS_H */
