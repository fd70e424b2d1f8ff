/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * set.c -- what the library's files do to a set under its lock: take the
 * write lock for a change, and capture the data path of the first mapping.
 */
#include "lookup.h"
#include "set.h"

void set_write_lock(struct pmemset *set)
{
	pthread_rwlock_wrlock(&set->lock);
	lookup_table_drop(&set->lookup);
}

void set_capture_data_path(struct pmemset *set, struct pmem2_map *map)
{
	if (atomic_load(&set->data_path_ready))
		return;
	set->effective_granularity = pmem2_map_get_store_granularity(map);
	set->data_path.persist = pmem2_get_persist_fn(map);
	set->data_path.flush = pmem2_get_flush_fn(map);
	set->data_path.drain = pmem2_get_drain_fn(map);
	set->data_path.memmove = pmem2_get_memmove_fn(map);
	set->data_path.memcpy = pmem2_get_memcpy_fn(map);
	set->data_path.memset = pmem2_get_memset_fn(map);
	atomic_store_explicit(&set->data_path_ready, true,
			      memory_order_release);
}
