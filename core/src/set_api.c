/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * set_api.c -- the set's public calls: pmemset_new/delete, the coalescing
 * mode, the store granularity, and the reference-taking lookups over the
 * address index. It sits on top: it calls into the files that change part
 * maps (remove.c for the teardown) and none of them calls back up here.
 */
#include <errno.h>
#include <string.h>

#include "alloc.h"
#include "errormsg.h"
#include "lookup.h"
#include "remove.h"
#include "set.h"

int pmemset_new(struct pmemset **set, struct pmemset_config *cfg)
{
	*set = NULL;
	if (!cfg->granularity_set)
		return set_error(PMEMSET_E_GRANULARITY_NOT_SET,
				 "required store granularity is not set in "
				 "the config");

	struct pmemset *new_set = pmemset_zalloc(sizeof(*new_set));
	if (new_set == NULL)
		return set_error_errno(-ENOMEM, "cannot allocate set");

	int ret = config_duplicate(&new_set->config, cfg);
	if (ret)
		goto err_free_set;
	ret = index_new(&new_set->index);
	if (ret)
		goto err_free_config;
	ret = pthread_rwlock_init(&new_set->lock, NULL);
	if (ret) {
		errno = ret;
		ret = set_error_errno(-ret, "pthread_rwlock_init");
		goto err_free_index;
	}
	atomic_init(&new_set->coalescing, PMEMSET_COALESCING_NONE);
	atomic_init(&new_set->data_path_ready, false);
	lookup_cache_init(&new_set->lookup);
	*set = new_set;
	return 0;

err_free_index:
	index_delete(new_set->index);
err_free_config:
	pmemset_free(new_set->config);
err_free_set:
	pmemset_free(new_set);
	return ret;
}

int pmemset_delete(struct pmemset **set)
{
	struct pmemset *s = *set;
	if (s == NULL)
		return 0;
	remove_all_part_maps(s);
	lookup_table_drop(&s->lookup);
	part_map_slab_destroy(&s->part_maps);
	pthread_rwlock_destroy(&s->lock);
	index_delete(s->index);
	pmemset_free(s->config);
	pmemset_free(s);
	*set = NULL;
	return 0;
}

int pmemset_set_contiguous_part_coalescing(struct pmemset *set,
					   enum pmemset_coalescing value)
{
	switch (value) {
	case PMEMSET_COALESCING_NONE:
	case PMEMSET_COALESCING_OPPORTUNISTIC:
	case PMEMSET_COALESCING_FULL:
		break;
	default:
		return set_error(PMEMSET_E_INVALID_COALESCING_VALUE,
				 "invalid coalescing value %d", (int)value);
	}
	atomic_store(&set->coalescing, (int)value);
	return 0;
}

int pmemset_get_store_granularity(struct pmemset *set,
				  enum pmem2_granularity *g)
{
	if (set_data_path(set) == NULL)
		return set_error(PMEMSET_E_NO_PART_MAPPED,
				 "no part has been mapped yet");
	*g = set->effective_granularity;
	return 0;
}

/* takes a reference on pmap (may be NULL) for the caller */
static struct pmemset_part_map *part_map_take(struct pmemset_part_map *pmap)
{
	if (pmap != NULL)
		atomic_fetch_add(part_map_refcount(pmap), 1);
	return pmap;
}

void pmemset_first_part_map(struct pmemset *set, struct pmemset_part_map **pmap)
{
	*pmap = NULL;
	pthread_rwlock_rdlock(&set->lock);
	*pmap = part_map_take(index_first(set->index));
	pthread_rwlock_unlock(&set->lock);
}

void pmemset_next_part_map(struct pmemset *set, struct pmemset_part_map *cur,
			   struct pmemset_part_map **next)
{
	*next = NULL;
	pthread_rwlock_rdlock(&set->lock);
	*next = part_map_take(index_at_or_above(set->index, part_map_end(cur)));
	pthread_rwlock_unlock(&set->lock);
}

int pmemset_part_map_by_address(struct pmemset *set,
				struct pmemset_part_map **pmap, void *addr)
{
	*pmap = NULL;
	pthread_rwlock_rdlock(&set->lock);
	struct pmemset_part_map *found;
	const struct lookup_table *table = lookup_table_current(&set->lookup);
	if (table != NULL) {
		found = lookup_table_find(table, (uintptr_t)addr);
	} else {
		found = index_find(set->index, addr);
		lookup_table_missed(&set->lookup, set->index);
	}
	part_map_take(found);
	pthread_rwlock_unlock(&set->lock);
	if (found == NULL)
		return set_error(PMEMSET_E_CANNOT_FIND_PART_MAP,
				 "no part map contains address %p", addr);
	*pmap = found;
	return 0;
}
