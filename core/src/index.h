/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * index.h -- the set's address index: a B+tree of part maps keyed by start
 * address (part maps never overlap, so the start orders them). Lookup,
 * insertion, removal, "next above" and "first" are O(log n) with a fanout
 * of 32, so a 10,000-entry index is 3-4 levels deep and each level is a scan
 * of one node's packed keys.
 */
#ifndef PMEMSET_INDEX_H
#define PMEMSET_INDEX_H

#include <stddef.h>

#include "part_map.h"

struct index_node;

struct part_map_index {
	struct index_node *root;
	size_t count;
	int height;		  /* levels; 0 when empty */
	struct index_node *spare; /* preallocated nodes (linked by slot 0) */
	size_t spare_count;
};

int index_new(struct part_map_index **index);
/* frees the index and its nodes; the part maps are not touched */
void index_delete(struct part_map_index *index);

/*
 * Preallocates the nodes one insertion may need, so that the following
 * index_insert cannot fail for lack of memory (-ENOMEM here instead).
 */
int index_prepare_insert(struct part_map_index *index);

/* PMEMSET_E_PART_EXISTS if pmap overlaps an indexed part map */
int index_insert(struct part_map_index *index, struct pmemset_part_map *pmap);
void index_remove(struct part_map_index *index, struct pmemset_part_map *pmap);
/* pmap's start moved from old_addr without passing a neighbour */
void index_rekey(struct part_map_index *index, const char *old_addr,
		 struct pmemset_part_map *pmap);

/* the part map containing addr, or NULL */
struct pmemset_part_map *index_find(const struct part_map_index *index,
				    const char *addr);
/* the lowest part map starting at or above addr, or NULL */
struct pmemset_part_map *index_at_or_above(const struct part_map_index *index,
					   const char *addr);
/* the highest part map starting below addr, or NULL */
struct pmemset_part_map *index_below(const struct part_map_index *index,
				     const char *addr);
/* the lowest part map overlapping [start, end), or NULL */
struct pmemset_part_map *index_first_overlap(const struct part_map_index *index,
					     const char *start,
					     const char *end);
struct pmemset_part_map *index_first(const struct part_map_index *index);
/* writes the index->count part maps in address order into out */
void index_collect(const struct part_map_index *index,
		   struct pmemset_part_map **out);

#endif /* PMEMSET_INDEX_H */
