/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * index.h -- the set's address index: an AVL tree of part maps ordered by
 * address (part maps never overlap). Lookup, insertion, removal and
 * "next above" are O(log n); nodes live inside the part maps, so indexing
 * never allocates.
 */
#ifndef PMEMSET_INDEX_H
#define PMEMSET_INDEX_H

#include <stddef.h>

#include "part_map.h"

struct part_map_index {
	struct index_node *root;
	size_t count;
};

int index_new(struct part_map_index **index);
void index_delete(struct part_map_index *index);

/* PMEMSET_E_PART_EXISTS if pmap overlaps an indexed part map */
int index_insert(struct part_map_index *index, struct pmemset_part_map *pmap);
void index_remove(struct part_map_index *index, struct pmemset_part_map *pmap);

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

#endif /* PMEMSET_INDEX_H */
