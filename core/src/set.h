/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * set.h -- the set as the library's files share it: its config copy,
 * address index and lookup table, coalescing mode and anchor, effective
 * store granularity with the libpmem2 data-path functions captured from the
 * first mapping, and its readers-writer lock. The public calls that make,
 * delete and query a set are in set_api.c, above every file that uses this.
 */
#ifndef PMEMSET_SET_H
#define PMEMSET_SET_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <libpmemset.h>

#include "config.h"
#include "index.h"
#include "lookup.h"

struct arena;

struct set_data_path {
	pmem2_persist_fn persist;
	pmem2_flush_fn flush;
	pmem2_drain_fn drain;
	pmem2_memmove_fn memmove;
	pmem2_memcpy_fn memcpy;
	pmem2_memset_fn memset;
};

struct pmemset {
	struct pmemset_config *config;
	struct part_map_index *index;
	pthread_rwlock_t lock;

	atomic_int coalescing; /* enum pmemset_coalescing; a plain store */
	struct pmemset_part_map *anchor;
	struct arena *arenas; /* internal reservations (placement.c) */
	struct part_map_slab part_maps; /* where its part maps live */
	size_t reservation_full_below;	/* configured one: [0, this) is used */

	/*
	 * Filled once by the first successful mapping (under the write lock)
	 * and published through data_path_ready, so the lock-free data path
	 * reads it without a race.
	 */
	enum pmem2_granularity effective_granularity;
	struct set_data_path data_path;
	atomic_bool data_path_ready;

	/* lookup.c: the index's read-only copy for lookups by address */
	struct lookup_cache lookup;
};

/*
 * The write lock of every change of the set's part maps; taking it drops
 * the lookup table, which no reader can be using then.
 */
void set_write_lock(struct pmemset *set);

/* the captured functions, or NULL before the first mapping */
static inline const struct set_data_path *set_data_path(struct pmemset *set)
{
	if (!atomic_load_explicit(&set->data_path_ready, memory_order_acquire))
		return NULL;
	return &set->data_path;
}

/* records the effective granularity and functions of the first mapping */
void set_capture_data_path(struct pmemset *set, struct pmem2_map *map);

static inline bool set_has_reservation(const struct pmemset *set)
{
	return set->config->reservation != NULL;
}

#endif /* PMEMSET_SET_H */
