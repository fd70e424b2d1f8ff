/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist.c -- the data path: persist, flush, drain, memcpy, memmove and
 * memset through the libpmem2 functions captured from the set's first
 * mapping, and deep flush over the underlying mappings of a range. Before
 * the first mapping there is nothing to act on: calls return cleanly. With
 * PAGE granularity each libpmem2 call holds the registry lock for reading
 * (registry.c); otherwise the data path takes no lock at all.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "errormsg.h"
#include "event.h"
#include "fault.h"
#include "pmem2_workarounds/registry.h"
#include "set.h"

/*
 * With PAGE granularity libpmem2's functions look the address up in its
 * mapping registry, which must not change meanwhile (registry.c).
 */
static bool registry_enter(const struct pmemset *set)
{
	if (set->effective_granularity != PMEM2_GRANULARITY_PAGE)
		return false;
	registry_read_lock();
	return true;
}

static void registry_leave(bool entered)
{
	if (entered)
		registry_read_unlock();
}

/*
 * persist and flush: the FLUSH event with the caller's range, the libpmem2
 * call, and for persist the DRAIN event after it (same data left in place).
 */
static int flush_range(struct pmemset *set, void *ptr, size_t size,
		       bool persist)
{
	const struct set_data_path *data_path = set_data_path(set);
	if (data_path == NULL)
		return 0;
	struct pmemset_event_context ctx = {.type = PMEMSET_EVENT_FLUSH};
	ctx.data.flush.addr = ptr;
	ctx.data.flush.len = size;
	event_fire(set, &ctx);

	bool entered = registry_enter(set);
	if (persist)
		data_path->persist(ptr, size);
	else
		data_path->flush(ptr, size);
	registry_leave(entered);

	if (persist) {
		ctx.type = PMEMSET_EVENT_DRAIN;
		event_fire(set, &ctx);
	}
	return 0;
}

int pmemset_persist(struct pmemset *set, void *ptr, size_t size)
{
	return flush_range(set, ptr, size, true);
}

int pmemset_flush(struct pmemset *set, void *ptr, size_t size)
{
	return flush_range(set, ptr, size, false);
}

int pmemset_drain(struct pmemset *set)
{
	const struct set_data_path *data_path = set_data_path(set);
	if (data_path == NULL)
		return 0;
	data_path->drain();
	struct pmemset_event_context ctx = {.type = PMEMSET_EVENT_DRAIN};
	event_fire(set, &ctx);
	return 0;
}

/* the DRAIN a memory operation reports, unless NODRAIN was asked for */
static void memory_op_drained(struct pmemset *set,
			      struct pmemset_event_context *ctx, unsigned flags)
{
	if (flags & PMEMSET_F_MEM_NODRAIN)
		return;
	/* the previous member's data stays in place, as the spec says */
	ctx->type = PMEMSET_EVENT_DRAIN;
	event_fire(set, ctx);
}

/*
 * A NOFLUSH copy at PAGE granularity leaves persistence to the next
 * pmemset_persist, which msyncs the pages; until then the bytes only have
 * to be in the mapping. libpmem2's NOFLUSH loop runs at less than half the
 * speed of libc's (it is written for flushing afterwards by cache line), so
 * such copies are plain libc calls. At CACHE_LINE or BYTE granularity the
 * copy's stores and cache flushes are what persists, so those stay
 * libpmem2's, as does every copy that flushes.
 */
static bool copy_deferred_to_persist(const struct pmemset *set, unsigned flags)
{
	return (flags & PMEMSET_F_MEM_NOFLUSH) &&
	       set->effective_granularity == PMEM2_GRANULARITY_PAGE;
}

static void *deferred_op(const struct set_data_path *data_path,
			 enum pmemset_event type, void *dest, void *src, int c,
			 size_t len, unsigned flags)
{
	/* memmove for memcpy too: libpmem2's memcpy tolerates overlap */
	if (type == PMEMSET_EVENT_SET)
		memset(dest, c, len);
	else
		memmove(dest, src, len);
	/* libc may use non-temporal stores for large copies: order them */
	if (!(flags & PMEMSET_F_MEM_NODRAIN))
		data_path->drain();
	return dest;
}

/*
 * memcpy, memmove and memset: the event before the operation, the
 * operation through libpmem2 (under the registry lock for PAGE) or, when it
 * is deferred to a later persist, through libc, then the DRAIN event unless
 * NODRAIN. src is unused for memset, c for the others.
 */
static void *memory_op(struct pmemset *set, enum pmemset_event type, void *dest,
		       void *src, int c, size_t len, unsigned flags)
{
	const struct set_data_path *data_path = set_data_path(set);
	if (data_path == NULL)
		return dest;

	struct pmemset_event_context ctx = {.type = type};
	if (type == PMEMSET_EVENT_COPY)
		ctx.data.copy =
			(struct pmemset_event_copy){src, dest, len, flags};
	else if (type == PMEMSET_EVENT_MOVE)
		ctx.data.move =
			(struct pmemset_event_move){src, dest, len, flags};
	else
		ctx.data.set = (struct pmemset_event_set){dest, c, len, flags};
	event_fire(set, &ctx);

	if (copy_deferred_to_persist(set, flags)) {
		void *ret =
			deferred_op(data_path, type, dest, src, c, len, flags);
		memory_op_drained(set, &ctx, flags);
		return ret;
	}

	bool entered = registry_enter(set);
	void *ret;
	if (type == PMEMSET_EVENT_COPY)
		ret = data_path->memcpy(dest, src, len, flags);
	else if (type == PMEMSET_EVENT_MOVE)
		ret = data_path->memmove(dest, src, len, flags);
	else
		ret = data_path->memset(dest, c, len, flags);
	registry_leave(entered);

	memory_op_drained(set, &ctx, flags);
	return ret;
}

void *pmemset_memcpy(struct pmemset *set, void *pmemdest, void *src, size_t len,
		     unsigned flags)
{
	return memory_op(set, PMEMSET_EVENT_COPY, pmemdest, src, 0, len, flags);
}

void *pmemset_memmove(struct pmemset *set, void *pmemdest, void *src,
		      size_t len, unsigned flags)
{
	return memory_op(set, PMEMSET_EVENT_MOVE, pmemdest, src, 0, len, flags);
}

void *pmemset_memset(struct pmemset *set, void *pmemdest, int c, size_t len,
		     unsigned flags)
{
	return memory_op(set, PMEMSET_EVENT_SET, pmemdest, NULL, c, len, flags);
}

/* deep-flushes the parts of pmap intersecting [start, end) */
static int deep_flush_part_map(struct pmemset_part_map *pmap, char *start,
			       char *end)
{
	char *low = start > pmap->addr ? start : pmap->addr;
	char *high = end < part_map_end(pmap) ? end : part_map_end(pmap);
	for (size_t i = part_map_mapping_after(pmap, low);
	     i < pmap->mapping_count && pmap->mappings[i].addr < high; i++) {
		struct part_mapping *m = &pmap->mappings[i];
		char *from = low > m->addr ? low : m->addr;
		char *to = high < m->addr + m->size ? high : m->addr + m->size;
		int ret = PMEM2_GUARDED(
			pmem2_deep_flush(m->map, from, (size_t)(to - from)));
		if (ret)
			return set_error_pmem2(PMEMSET_E_DEEP_FLUSH_FAIL, ret,
					       "deep flush of %p failed",
					       (void *)from);
	}
	return 0;
}

int pmemset_deep_flush(struct pmemset *set, void *ptr, size_t size)
{
	if (size == 0)
		return 0;
	char *start = ptr;
	char *end = (uintptr_t)ptr > UINTPTR_MAX - size ? (char *)UINTPTR_MAX
							: start + size;
	int ret = 0;

	/*
	 * The shared lock keeps the walk safe against concurrent removal;
	 * the walk itself takes no references, so no count changes.
	 */
	pthread_rwlock_rdlock(&set->lock);
	char *cursor = start;
	struct pmemset_part_map *pmap;
	while ((pmap = index_first_overlap(set->index, cursor, end)) != NULL) {
		ret = deep_flush_part_map(pmap, start, end);
		if (ret)
			break;
		cursor = part_map_end(pmap);
	}
	pthread_rwlock_unlock(&set->lock);
	return ret;
}
