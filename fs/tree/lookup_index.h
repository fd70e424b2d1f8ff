/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lookup_index.h -- constant-time lookups for the namespace: parts by name
 * (kept up to date one part at a time) and live map views by inode number
 * (rebuilt whenever the map list is re-read).
 */
#ifndef PMEMSETFS_LOOKUP_INDEX_H
#define PMEMSETFS_LOOKUP_INDEX_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stddef.h>

struct part_node;
struct map_view;

struct name_index {
	struct part_node **slots; /* a power of two of them, or none */
	size_t cap, count;
};

struct ino_index {
	struct map_view **slots;
	size_t cap;
};

int name_index_add(struct name_index *idx, struct part_node *part);
struct part_node *name_index_find(const struct name_index *idx,
				  const char *name);
void name_index_remove(struct name_index *idx, const struct part_node *part);
void name_index_clear(struct name_index *idx);

/* Replaces the index with one of views[0..n); on failure keeps the old. */
int ino_index_build(struct ino_index *idx, struct map_view **views, size_t n);
struct map_view *ino_index_find(const struct ino_index *idx, fuse_ino_t ino);
void ino_index_clear(struct ino_index *idx);

#endif /* PMEMSETFS_LOOKUP_INDEX_H */
