/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lookup.h -- the lookup table: a read-only copy of the address index laid
 * out for pmemset_part_map_by_address (see lookup.c). The B+tree stays the
 * index every change goes through; the table is built from it once enough
 * lookups have run since the last change, and dropped by the next change.
 */
#ifndef PMEMSET_LOOKUP_H
#define PMEMSET_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

struct pmemset;
struct pmemset_part_map;

struct lookup_table {
	size_t count;
	/*
	 * 1-based, in Eytzinger (breadth-first) order: the end address of
	 * each entry, and its part map. The entries cover the address space
	 * from 0 to the end of the highest part map: each part map is one,
	 * and so is each gap below one (with no part map), so the first entry
	 * ending above an address is its answer.
	 */
	const uintptr_t *ends;
	struct pmemset_part_map *const *maps;
};

/*
 * The part map containing addr, by a branch-free descent of the ends.
 * Four levels ahead of the descent, their ends (two cache lines) are
 * already being fetched.
 */
static inline struct pmemset_part_map *
lookup_table_find(const struct lookup_table *table, uintptr_t addr)
{
	const uintptr_t *ends = table->ends;
	size_t count = table->count;
	size_t k = 1;
	while (k <= count) {
		/* may point past the array: a prefetch never faults */
		uintptr_t ahead = (uintptr_t)ends + 16 * k * sizeof(*ends);
		__builtin_prefetch((const void *)ahead);
		__builtin_prefetch((const void *)(ahead + 64));
		k = 2 * k + (ends[k] <= addr);
	}
	/* undo the right turns taken after the last left turn */
	k >>= __builtin_ffsll((long long)~k);
	return k == 0 ? NULL : table->maps[k];
}

/*
 * The table to search, or NULL while there is none (the caller searches
 * the index and reports it with lookup_table_missed). Set read-locked.
 */
const struct lookup_table *lookup_table_current(struct pmemset *set);

/*
 * Counts a lookup made without a table; after about a quarter of the set's
 * part maps worth of them, builds and publishes one. Set read-locked.
 */
void lookup_table_missed(struct pmemset *set);

/* drops the table after a change of the index; set write-locked */
void lookup_table_drop(struct pmemset *set);

#endif /* PMEMSET_LOOKUP_H */
