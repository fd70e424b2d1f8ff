/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lookup.c -- the lookup table behind pmemset_part_map_by_address, the call
 * in front of every persist, flush and copy of a program that finds its
 * part map by address.
 *
 * A B+tree lookup over 10,000 part maps reads a dozen cache lines spread
 * over 160 KiB of nodes, then the part map's own line (for its end and its
 * reference count) among 640 KiB of part maps, so it misses the L2 cache at
 * nearly every level. The table keeps only what a lookup needs: the ends of
 * the part maps with the part map beside each, as a static B-tree of
 * 8-end nodes (lookup.h) where each level is one cache line compared with
 * eight independent compares, and the leaf's part maps sit in the line
 * next to its ends. Gaps between part maps are entries of their own (with
 * no part map), so no start needs checking. A table of up to 16 entries is
 * a flat array searched by one count. The reference count lives in a dense
 * array of its slab chunk (part_map.h), so the part map's own line is not
 * touched at all. (An Eytzinger binary search, with and without
 * prefetching, was measured too: 14 dependent steps for 10,000 entries
 * made it slower.)
 *
 * Publication is RCU-like without a grace period: the set's lock already
 * provides one. Readers hold it shared, so the table cannot change or go
 * away under them; a change holds it exclusively, so it frees the table at
 * once. Between a change and a rebuild lookups search the B+tree, and the
 * rebuild (O(n)) waits for n/4 of those, so a stream of changes each
 * followed by a lookup (as in removing every part map by address) never
 * pays for rebuilding.
 */
#include <stdatomic.h>
#include <stddef.h>

#include "alloc.h"
#include "index.h"
#include "lookup.h"

#define REBUILD_AFTER_MIN 8

/* the table and its arrays, in one allocation */
struct lookup_block {
	struct lookup_table table;
	uintptr_t *ends;
	struct pmemset_part_map **maps;
	struct lookup_node *nodes;
};

_Static_assert(offsetof(struct lookup_block, table) == 0,
	       "lookup_table_current reads a block as its table");

/* an entry: [previous entry's end, end) belongs to pmap (NULL: a gap) */
struct entry {
	uintptr_t end;
	struct pmemset_part_map *pmap;
};

/* fills the subtree of node k with in-order entries from i on */
static size_t fill(struct lookup_block *block, const struct entry *sorted,
		   size_t count, size_t i, size_t k)
{
	if (k >= block->table.node_count)
		return i;
	struct lookup_node *node = &block->nodes[k];
	for (size_t slot = 0; slot < LOOKUP_NODE_KEYS; slot++) {
		i = fill(block, sorted, count, i,
			 k * (LOOKUP_NODE_KEYS + 1) + slot + 1);
		node->ends[slot] = i < count ? sorted[i].end : UINTPTR_MAX;
		node->maps[slot] = i < count ? sorted[i].pmap : NULL;
		if (i < count)
			i++;
	}
	return fill(block, sorted, count, i,
		    k * (LOOKUP_NODE_KEYS + 1) + LOOKUP_NODE_KEYS + 1);
}

/* the part maps in address order, with an entry for each gap below one */
static size_t list_entries(struct pmemset_part_map *const *pmaps, size_t count,
			   struct entry *out)
{
	size_t n = 0;
	uintptr_t covered = 0;
	for (size_t i = 0; i < count; i++) {
		uintptr_t start = (uintptr_t)pmaps[i]->addr;
		if (start > covered)
			out[n++] = (struct entry){start, NULL};
		covered = (uintptr_t)part_map_end(pmaps[i]);
		out[n++] = (struct entry){covered, pmaps[i]};
	}
	return n;
}

static size_t round_up(size_t size, size_t align)
{
	return (size + align - 1) / align * align;
}

/* a table of the index as it is now, or NULL without memory */
static struct lookup_block *build(const struct part_map_index *index)
{
	size_t count = index->count;
	struct pmemset_part_map **pmaps =
		pmemset_malloc((count + 1) * sizeof(*pmaps));
	struct entry *entries =
		pmemset_malloc((2 * count + 1) * sizeof(*entries));
	struct lookup_block *block = NULL;
	if (pmaps == NULL || entries == NULL)
		goto out;
	index_collect(index, pmaps);
	size_t n = list_entries(pmaps, count, entries);

	size_t small = n <= LOOKUP_LINEAR_MAX ? LOOKUP_LINEAR_MAX : 0;
	size_t nodes =
		small ? 0 : (n + LOOKUP_NODE_KEYS - 1) / LOOKUP_NODE_KEYS;
	size_t ends_at = round_up(sizeof(struct lookup_block), 128);
	size_t maps_at = ends_at + small * sizeof(uintptr_t);
	size_t nodes_at = round_up(maps_at + small * sizeof(*block->maps), 128);
	size_t size = nodes_at + nodes * sizeof(struct lookup_node);
	block = pmemset_zalloc_aligned(128, size);
	if (block == NULL)
		goto out;
	block->ends = (uintptr_t *)((char *)block + ends_at);
	block->maps = (struct pmemset_part_map **)((char *)block + maps_at);
	block->nodes = (struct lookup_node *)((char *)block + nodes_at);
	block->table = (struct lookup_table){n, block->ends, block->maps,
					     block->nodes, nodes};
	for (size_t i = 0; i < small; i++) {
		block->ends[i] = i < n ? entries[i].end : UINTPTR_MAX;
		block->maps[i] = i < n ? entries[i].pmap : NULL;
	}
	if (nodes)
		fill(block, entries, n, 0, 0);
out:
	pmemset_free(entries);
	pmemset_free(pmaps);
	return block;
}

void lookup_cache_init(struct lookup_cache *cache)
{
	atomic_init(&cache->published, NULL);
	atomic_init(&cache->missed, 0);
	atomic_init(&cache->building, false);
}

void lookup_table_missed(struct lookup_cache *cache,
			 const struct part_map_index *index)
{
	size_t missed = atomic_fetch_add_explicit(&cache->missed, 1,
						  memory_order_relaxed);
	if (missed < index->count / 4 + REBUILD_AFTER_MIN)
		return;
	/* one builder; the others keep searching the index meanwhile */
	if (atomic_exchange(&cache->building, true))
		return;
	if (atomic_load_explicit(&cache->published, memory_order_relaxed) ==
	    NULL) {
		struct lookup_block *block = build(index);
		atomic_store_explicit(&cache->published, block,
				      memory_order_release);
		if (block == NULL) /* out of memory: try again later */
			atomic_store(&cache->missed, 0);
	}
	atomic_store(&cache->building, false);
}

void lookup_table_drop(struct lookup_cache *cache)
{
	struct lookup_block *block =
		atomic_load_explicit(&cache->published, memory_order_relaxed);
	atomic_store_explicit(&cache->published, NULL, memory_order_relaxed);
	atomic_store_explicit(&cache->missed, 0, memory_order_relaxed);
	pmemset_free(block);
}
