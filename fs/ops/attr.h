/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part_attr.h -- the attributes of part and map files that come from
 * somewhere else than the tree: owner and mode (the source, or -o uid=,
 * gid=, umask=), times (the source's, moved on by writes and utimens) and
 * st_blocks (the source's allocation over the part's range).
 */
#ifndef PMEMSETFS_PART_ATTR_H
#define PMEMSETFS_PART_ATTR_H

#include <limits.h>

#include "tree/namespace.h"

/* What counting a part's allocated blocks needs, copied under the lock. */
struct blocks_query {
	bool wanted;
	char path[PATH_MAX]; /* the source, or /proc/self/map_files/RANGE */
	dev_t dev;	     /* 0: do not check the file's identity */
	ino_t ino;
	size_t offset, length;
};

/* Fills mode, owner, times and a first st_blocks of a part (lock held). */
void part_attr_fill_locked(struct namespace *ns, const struct part_node *p,
			   struct stat *st, struct blocks_query *q);
/* Owner and blocks of a map file (lock held). */
void map_attr_fill_locked(struct namespace *ns, struct stat *st);
/* st_blocks from the source's allocation; NOT under the lock (file I/O). */
void part_attr_count_blocks(const struct blocks_query *q, struct stat *st);

/* Records a write through a part file, or a map file over [addr, +len). */
void part_attr_note_write(struct part_node *p);
void part_attr_note_map_write(struct namespace *ns, const char *addr,
			      size_t len);

/*
 * utimens of a part: sets the source file's times (the part node's own for
 * a temporary part). 0 or -errno. NOT under the lock.
 */
int part_attr_set_times(struct namespace *ns, fuse_ino_t ino,
			const struct stat *attr, int to_set);

#endif /* PMEMSETFS_PART_ATTR_H */
