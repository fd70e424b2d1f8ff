/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * attr.h -- attributes of the tree's entries. Those of part and map files
 * come from somewhere else than the tree: owner and mode (the source, or
 * -o uid=, gid=, umask=), times (the source's, moved on by writes and
 * utimens) and st_blocks (the source's allocation over the part's range).
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

/*
 * Fills st for ino (lock held). blocks: where a part asks for its
 * allocation to be counted after the lock is dropped, or NULL. 0 or -ENOENT.
 */
int attr_stat_locked(struct namespace *ns, fuse_ino_t ino, struct stat *st,
		     struct blocks_query *blocks);
/* st_blocks from the source's allocation; NOT under the lock (file I/O). */
void attr_count_blocks(const struct blocks_query *q, struct stat *st);
/* How long the kernel may keep ino's attributes. */
double attr_timeout(fuse_ino_t ino);

/* Records a write through a part file, or a map file over [addr, +len). */
void part_attr_note_write(struct part_node *p);
void part_attr_note_map_write(struct namespace *ns, const char *addr,
			      size_t len);

#endif /* PMEMSETFS_PART_ATTR_H */
