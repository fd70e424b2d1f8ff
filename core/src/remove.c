/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * remove.c -- pmemset_remove_part_map and pmemset_remove_range (spec 3.10):
 * whole part maps, or runs of parts trimmed from a part map's front or back
 * or split out of its middle, always confined to that part map's bounds.
 */
#include <errno.h>
#include <stdint.h>

#include "errormsg.h"
#include "event.h"
#include "fault.h"
#include "placement.h"
#include "pmem2_workarounds/registry.h"
#include "remove.h"

/*
 * Unmaps mappings [first, first+count) of pmap in order; *done says how many
 * went before an error, so the caller can keep the part map consistent.
 */
static int unmap_run(struct pmemset_part_map *pmap, size_t first, size_t count,
		     size_t *done)
{
	for (*done = 0; *done < count; (*done)++) {
		struct part_mapping *m = &pmap->mappings[first + *done];
		int ret = PMEM2_GUARDED(registry_map_delete(&m->map));
		if (ret == PMEM2_E_MAPPING_NOT_FOUND)
			return set_error_pmem2(PMEMSET_E_CANNOT_FIND_PART_MAP,
					       ret, "cannot unmap part at %p",
					       (void *)m->addr);
		if (ret)
			return set_error_pmem2(ret, ret,
					       "cannot unmap part at %p",
					       (void *)m->addr);
	}
	return 0;
}

/* bytes of mappings [first, first+count) (they lie back to back) */
static size_t run_bytes(const struct pmemset_part_map *pmap, size_t first,
			size_t count)
{
	if (count == 0)
		return 0;
	const struct part_mapping *last = &pmap->mappings[first + count - 1];
	return (size_t)(last->addr + last->size - pmap->mappings[first].addr);
}

/* spec 3.6: the anchor moves to the part map below, else the one above */
static void anchor_move_from(struct pmemset *set, struct pmemset_part_map *pmap)
{
	if (set->anchor != pmap)
		return;
	struct pmemset_part_map *below = index_below(set->index, pmap->addr);
	set->anchor = below != NULL ? below
				    : index_at_or_above(set->index, pmap->addr);
}

/* removes a whole part map (write lock held) */
static int remove_whole(struct pmemset *set, struct pmemset_part_map *pmap)
{
	/* room to re-index what a failed unmapping leaves behind */
	int ret = index_prepare_insert(set->index);
	if (ret)
		return ret;
	struct pmemset_part_map *old_anchor = set->anchor;
	index_remove(set->index, pmap);
	anchor_move_from(set, pmap);

	struct pmemset_event_context ctx = {.type = PMEMSET_EVENT_PART_REMOVE};
	ctx.data.part_remove.addr = pmap->addr;
	ctx.data.part_remove.len = pmap->size;
	event_fire(set, &ctx);

	size_t done;
	char *freed = pmap->addr;
	ret = unmap_run(pmap, 0, pmap->mapping_count, &done);
	if (ret) {
		/* what is still mapped stays a part map of the set */
		size_t bytes = run_bytes(pmap, 0, done);
		part_map_forget_mappings(pmap, 0, done);
		index_insert(set->index, pmap);
		set->anchor = old_anchor;
		if (done > 0)
			placement_release(set, pmap->arena, freed, bytes);
		return ret;
	}
	struct arena *arena = pmap->arena;
	size_t bytes = pmap->size;
	part_map_free(&set->part_maps, pmap);
	placement_release(set, arena, freed, bytes);
	return 0;
}

/*
 * Unmaps the run of parts [first, first+count) that is not the whole part
 * map: a trim at the front or back, or a split that leaves the parts above
 * the run in a new part map (allocated before anything is unmapped).
 */
static int remove_run(struct pmemset *set, struct pmemset_part_map *pmap,
		      size_t first, size_t count)
{
	struct pmemset_part_map *upper = NULL;
	char *old_addr = pmap->addr;
	int ret;
	if (first > 0) {
		ret = index_prepare_insert(set->index);
		if (ret)
			return ret;
		ret = part_map_new(&set->part_maps, &upper, pmap->reservation,
				   NULL, pmap->mapping_count - first);
		if (ret)
			return ret;
	}

	size_t done;
	char *freed = pmap->mappings[first].addr;
	ret = unmap_run(pmap, first, count, &done);
	size_t bytes = run_bytes(pmap, first, done);
	size_t hole_end = first + done;
	if (done > 0 && first > 0 && hole_end < pmap->mapping_count) {
		part_map_move_tail(pmap, hole_end, upper);
		part_map_forget_mappings(pmap, first, done);
		/* cannot fail: nodes are ready, upper is inside pmap's range */
		index_insert(set->index, upper);
		upper = NULL;
	} else if (done > 0) {
		part_map_forget_mappings(pmap, first, done);
		if (pmap->addr != old_addr)
			index_rekey(set->index, old_addr, pmap);
	}
	if (upper != NULL)
		part_map_free(&set->part_maps, upper);
	if (done > 0)
		placement_release(set, pmap->arena, freed, bytes);
	return ret;
}

int pmemset_remove_part_map(struct pmemset *set, struct pmemset_part_map **part)
{
	struct pmemset_part_map *pmap = *part;
	int ret;

	set_write_lock(set);
	/* membership first: a foreign part map's count means nothing */
	if (index_find(set->index, pmap->addr) != pmap) {
		ret = set_error(PMEMSET_E_PART_NOT_FOUND,
				"part map %p is not in this set",
				(void *)pmap->addr);
		goto out_unlock;
	}
	if (atomic_load(part_map_refcount(pmap)) > 1) {
		ret = set_error(PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP,
				"part map %p is still referenced",
				(void *)pmap->addr);
		goto out_unlock;
	}
	ret = remove_whole(set, pmap);
	if (ret == 0)
		*part = NULL;
out_unlock:
	pthread_rwlock_unlock(&set->lock);
	return ret;
}

/* removes the parts of pmap that intersect [start, end) */
static int remove_from_part_map(struct pmemset *set,
				struct pmemset_part_map *pmap, char *start,
				char *end)
{
	char *low = start > pmap->addr ? start : pmap->addr;
	char *high = end < part_map_end(pmap) ? end : part_map_end(pmap);
	size_t first = part_map_mapping_after(pmap, low);
	size_t last = part_map_mapping_after(pmap, high - 1);
	if (first == 0 && last == pmap->mapping_count - 1)
		return remove_whole(set, pmap);
	return remove_run(set, pmap, first, last - first + 1);
}

int pmemset_remove_range(struct pmemset *set, void *addr, size_t len)
{
	struct pmemset_event_context ctx = {.type = PMEMSET_EVENT_REMOVE_RANGE};
	ctx.data.remove_range.addr = addr;
	ctx.data.remove_range.len = len;
	event_fire(set, &ctx);
	if (len == 0)
		return 0;

	char *start = addr;
	char *end = (uintptr_t)addr > UINTPTR_MAX - len ? (char *)UINTPTR_MAX
							: start + len;
	int ret = 0;

	set_write_lock(set);
	char *cursor = start;
	struct pmemset_part_map *pmap;
	while ((pmap = index_first_overlap(set->index, cursor, end)) != NULL) {
		if (atomic_load(part_map_refcount(pmap)) > 0) {
			ret = set_error(
				PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP,
				"part map %p is still referenced",
				(void *)pmap->addr);
			break;
		}
		char *old_end = part_map_end(pmap);
		ret = remove_from_part_map(set, pmap, start, end);
		if (ret)
			break;
		cursor = old_end;
	}
	pthread_rwlock_unlock(&set->lock);
	return ret;
}

void remove_all_part_maps(struct pmemset *set)
{
	struct pmemset_part_map *pmap;
	while ((pmap = index_first(set->index)) != NULL) {
		index_remove(set->index, pmap);
		for (size_t i = 0; i < pmap->mapping_count; i++) {
			int ret = registry_map_delete(&pmap->mappings[i].map);
			if (ret)
				log_message(1, "cannot unmap part: %d", ret);
		}
		part_map_free(&set->part_maps, pmap);
	}
	set->anchor = NULL;
	arenas_delete_all(set);
}
