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
 * the part maps in Eytzinger order (a binary search whose first levels share
 * a few lines that stay cached, and whose next lines are prefetched while
 * the current one is compared), then the part map pointer beside it; gaps
 * between part maps are entries of their own (with no part map), so no
 * start needs checking. The reference count lives in a dense array of its
 * slab chunk (part_map.h), so the part map's line is not touched at all.
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

#include "alloc.h"
#include "lookup.h"
#include "set.h"

#define REBUILD_AFTER_MIN 8

/* the table and its two arrays, in one allocation */
struct lookup_block {
	struct lookup_table table;
	uintptr_t *ends;
	struct pmemset_part_map **maps;
};

const struct lookup_table *lookup_table_current(struct pmemset *set)
{
	struct lookup_block *block =
		atomic_load_explicit(&set->lookup, memory_order_acquire);
	return block != NULL ? &block->table : NULL;
}

/* an entry: [previous entry's end, end) belongs to pmap (NULL: a gap) */
struct entry {
	uintptr_t end;
	struct pmemset_part_map *pmap;
};

/* in-order entry i goes to Eytzinger position k */
static size_t fill(struct lookup_block *block, const struct entry *sorted,
		   size_t i, size_t k)
{
	if (k > block->table.count)
		return i;
	i = fill(block, sorted, i, 2 * k);
	block->ends[k] = sorted[i].end;
	block->maps[k] = sorted[i].pmap;
	return fill(block, sorted, i + 1, 2 * k + 1);
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

	size_t ends_at = round_up(sizeof(struct lookup_block), 64);
	size_t maps_at = round_up(ends_at + (n + 1) * sizeof(uintptr_t), 64);
	size_t size = maps_at + (n + 1) * sizeof(struct pmemset_part_map *);
	block = pmemset_zalloc_aligned(64, size);
	if (block == NULL)
		goto out;
	block->ends = (uintptr_t *)((char *)block + ends_at);
	block->maps = (struct pmemset_part_map **)((char *)block + maps_at);
	block->table.count = n;
	block->table.ends = block->ends;
	block->table.maps = block->maps;
	fill(block, entries, 0, 1);
out:
	pmemset_free(entries);
	pmemset_free(pmaps);
	return block;
}

void lookup_table_missed(struct pmemset *set)
{
	size_t missed = atomic_fetch_add_explicit(&set->lookups_missed, 1,
						  memory_order_relaxed);
	if (missed < set->index->count / 4 + REBUILD_AFTER_MIN)
		return;
	/* one builder; the others keep searching the index meanwhile */
	if (atomic_exchange(&set->lookup_building, true))
		return;
	if (atomic_load_explicit(&set->lookup, memory_order_relaxed) == NULL) {
		struct lookup_block *block = build(set->index);
		atomic_store_explicit(&set->lookup, block,
				      memory_order_release);
		if (block == NULL) /* out of memory: try again later */
			atomic_store(&set->lookups_missed, 0);
	}
	atomic_store(&set->lookup_building, false);
}

void lookup_table_drop(struct pmemset *set)
{
	struct lookup_block *block =
		atomic_load_explicit(&set->lookup, memory_order_relaxed);
	atomic_store_explicit(&set->lookup, NULL, memory_order_relaxed);
	atomic_store_explicit(&set->lookups_missed, 0, memory_order_relaxed);
	pmemset_free(block);
}
