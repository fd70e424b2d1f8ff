/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * handle.h -- open files: what fi->fh points to, and the pins an open file
 * holds on a part or map view (see handle.c).
 */
#ifndef PMEMSETFS_HANDLE_H
#define PMEMSETFS_HANDLE_H

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
	char *text; /* a snapshot, or why a ctl write failed (ctl_file_read) */
	size_t text_len;
	bool writable; /* opened for writing: persist on close (fsync mode) */
	bool cached;   /* a part handle served from the kernel's page cache */
	atomic_int refs;
};

/* A new handle holds one reference; the last put unpins its node. */
struct handle *handle_new(enum handle_kind kind);
void handle_hold(struct handle *h);
void handle_put(struct namespace *ns, struct handle *h);

/* Open/close bookkeeping: take and give back a pin on a node. */
int ns_part_open(struct namespace *ns, fuse_ino_t ino, struct part_node **part);
void ns_part_release(struct namespace *ns, struct part_node *part);
int ns_map_open(struct namespace *ns, fuse_ino_t ino, struct map_view **map);
void ns_map_release(struct namespace *ns, struct map_view *map);

/* A part is busy while it or a map view over it has open handles. */
bool ns_part_busy_locked(struct namespace *ns, const struct part_node *part);

#endif /* PMEMSETFS_HANDLE_H */
