/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * registry.c -- works around a race in libpmem2 1.12.1. For PAGE store
 * granularity its persist/flush functions, and the memmove/memcpy/memset
 * functions (which persist with msync), find the mapping of an address in a
 * process-wide registry; that lookup reads the registry's tree node after
 * releasing the registry lock, so a pmem2_map_new or pmem2_map_delete in
 * another thread (of any set) can free or move it: the data path then
 * crashes or msyncs a stale range and aborts. The spec lets the data path
 * run lock-free next to mapping and removal, so the library excludes the
 * two itself: map creation and deletion take this process-wide lock for
 * writing, the PAGE data path takes it for reading (BYTE and CACHE_LINE
 * granularity never consult the registry and stay lock-free).
 */
#include <pthread.h>

#include "map_sync_probe.h"
#include "registry.h"

/* writer-preferring, so a stream of persists cannot starve mapping */
static pthread_rwlock_t registry_lock =
	PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

static void registry_write_lock(void)
{
	pthread_rwlock_wrlock(&registry_lock);
}

int registry_map_new(struct pmem2_map **map, const struct pmem2_config *cfg,
		     const struct pmem2_source *src)
{
	map_sync_probe_install();
	registry_write_lock();
	int ret = pmem2_map_new(map, cfg, src);
	pthread_rwlock_unlock(&registry_lock);
	return ret;
}

int registry_map_delete(struct pmem2_map **map)
{
	registry_write_lock();
	int ret = pmem2_map_delete(map);
	pthread_rwlock_unlock(&registry_lock);
	return ret;
}

void registry_read_lock(void)
{
	pthread_rwlock_rdlock(&registry_lock);
}

void registry_read_unlock(void)
{
	pthread_rwlock_unlock(&registry_lock);
}
