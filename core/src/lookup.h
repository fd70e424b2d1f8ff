/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lookup.h -- the lookup table: a read-only copy of the address index laid
 * out for pmemset_part_map_by_address (see lookup.c). The B+tree stays the
 * index every change goes through; the table is built from it once enough
 * lookups have run since the last change, and dropped by the next change.
 */
#ifndef PMEMSET_LOOKUP_H
#define PMEMSET_LOOKUP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct part_map_index;
struct pmemset_part_map;
struct lookup_block;

/*
 * A set's lookup table and what decides when to build it; lives in the set
 * and is guarded by the set's lock (see lookup.c for the publication).
 */
struct lookup_cache {
	_Atomic(struct lookup_block *) published; /* NULL after a change */
	atomic_size_t missed; /* lookups without a table since the change */
	atomic_bool building; /* one reader builds, the others search on */
};

#define LOOKUP_LINEAR_MAX 16
#define LOOKUP_NODE_KEYS 8

/*
 * A node of the static search tree: 8 entry ends (one cache line) and
 * their part maps (the line beside it, fetched with it from L2). Node k's
 * children are nodes 9k+1 ... 9k+9: the i-th lies between its ends i-1
 * and i.
 */
struct lookup_node {
	_Alignas(128) uintptr_t ends[LOOKUP_NODE_KEYS];
	struct pmemset_part_map *maps[LOOKUP_NODE_KEYS];
};

struct lookup_table {
	/*
	 * The entries cover the address space from 0 to the end of the
	 * highest part map: each part map is one, and so is each gap below
	 * one (with no part map), so the first entry ending above an address
	 * is its answer. Up to LOOKUP_LINEAR_MAX entries are one array of 16
	 * slots in address order (unused ones ending at UINTPTR_MAX), searched
	 * by counting with independent compares; more
	 * are a static B-tree of `nodes` nodes (unused slots end at
	 * UINTPTR_MAX), searched one cache line per level.
	 */
	size_t count;
	const uintptr_t *ends; /* the small form */
	struct pmemset_part_map *const *maps;
	const struct lookup_node *nodes; /* the tree form */
	size_t node_count;
};

/* how many of n ends are <= addr: eight independent compares */
static inline unsigned lookup_rank(const uintptr_t *ends, uintptr_t addr)
{
	unsigned low = (ends[0] <= addr) + (ends[1] <= addr) +
		       (ends[2] <= addr) + (ends[3] <= addr);
	unsigned high = (ends[4] <= addr) + (ends[5] <= addr) +
			(ends[6] <= addr) + (ends[7] <= addr);
	return low + high;
}

/* the part map containing addr, or NULL */
static inline struct pmemset_part_map *
lookup_table_find(const struct lookup_table *table, uintptr_t addr)
{
	if (table->count <= LOOKUP_LINEAR_MAX) {
		/* 16 slots, the unused ones ending at UINTPTR_MAX */
		unsigned rank = lookup_rank(table->ends, addr) +
				lookup_rank(table->ends + 8, addr);
		return rank < table->count ? table->maps[rank] : NULL;
	}
	/* the answer is the last end above addr met on the way down */
	struct pmemset_part_map *found = NULL;
	for (size_t k = 0; k < table->node_count;) {
		const struct lookup_node *node = &table->nodes[k];
		unsigned i = lookup_rank(node->ends, addr);
		if (i < LOOKUP_NODE_KEYS)
			found = node->maps[i];
		k = k * (LOOKUP_NODE_KEYS + 1) + i + 1;
	}
	return found;
}

/*
 * The table to search, or NULL while there is none (the caller searches
 * the index and reports it with lookup_table_missed). Set read-locked.
 * The published block starts with its table.
 */
static inline const struct lookup_table *
lookup_table_current(struct lookup_cache *cache)
{
	return (const struct lookup_table *)atomic_load_explicit(
		&cache->published, memory_order_acquire);
}

/* an empty cache: no table, nothing missed */
void lookup_cache_init(struct lookup_cache *cache);

/*
 * Counts a lookup made without a table; after about a quarter of the set's
 * part maps worth of them, builds and publishes one. Set read-locked.
 */
void lookup_table_missed(struct lookup_cache *cache,
			 const struct part_map_index *index);

/* drops the table after a change of the index; set write-locked */
void lookup_table_drop(struct lookup_cache *cache);

#endif /* PMEMSET_LOOKUP_H */
