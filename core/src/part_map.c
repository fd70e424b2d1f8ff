/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part_map.c -- the part map object: its ordered array of underlying
 * libpmem2 mappings, its descriptor and its reference count.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "alloc.h"
#include "errormsg.h"
#include "part_map.h"

_Static_assert(sizeof(struct pmemset_part_map) == PART_MAP_ALIGNMENT,
	       "a part map fills exactly one cache line");
_Static_assert(sizeof(struct part_map_chunk) == PART_MAP_CHUNK_SIZE,
	       "the counts and slots of a chunk fill exactly its size");
_Static_assert(offsetof(struct part_map_chunk, maps) == PART_MAP_CHUNK_HEADER,
	       "the slots fill the chunk after its header");

/* takes a free slot, adding a chunk when there is none */
static struct pmemset_part_map *slab_take(struct part_map_slab *slab)
{
	if (slab->free_list == NULL) {
		struct part_map_chunk *chunk = pmemset_zalloc_aligned(
			PART_MAP_CHUNK_SIZE, sizeof(*chunk));
		if (chunk == NULL)
			return NULL;
		chunk->next = slab->chunks;
		slab->chunks = chunk;
		for (int i = PART_MAP_CHUNK_MAPS - 1; i >= 0; i--) {
			chunk->maps[i].next_free = slab->free_list;
			slab->free_list = &chunk->maps[i];
		}
	}
	struct pmemset_part_map *pmap = slab->free_list;
	slab->free_list = pmap->next_free;
	memset(pmap, 0, sizeof(*pmap));
	return pmap;
}

static void slab_put(struct part_map_slab *slab, struct pmemset_part_map *pmap)
{
	pmap->next_free = slab->free_list;
	slab->free_list = pmap;
}

void part_map_slab_destroy(struct part_map_slab *slab)
{
	while (slab->chunks != NULL) {
		struct part_map_chunk *chunk = slab->chunks;
		slab->chunks = chunk->next;
		pmemset_free(chunk);
	}
	slab->free_list = NULL;
}

int part_map_new(struct part_map_slab *slab, struct pmemset_part_map **pmap,
		 struct pmem2_vm_reservation *reservation, char *addr,
		 size_t capacity)
{
	struct pmemset_part_map *part_map = slab_take(slab);
	if (part_map == NULL)
		return set_error_errno(-ENOMEM, "cannot allocate part map");
	if (capacity == 0)
		capacity = 1;
	part_map->mappings =
		pmemset_malloc(capacity * sizeof(*part_map->mappings));
	if (part_map->mappings == NULL) {
		slab_put(slab, part_map);
		return set_error_errno(-ENOMEM, "cannot allocate part map");
	}
	part_map->mapping_capacity = capacity;
	part_map->reservation = reservation;
	part_map->addr = addr;
	atomic_init(part_map_refcount(part_map), 0);
	*pmap = part_map;
	return 0;
}

void part_map_free(struct part_map_slab *slab, struct pmemset_part_map *pmap)
{
	pmemset_free(pmap->mappings);
	slab_put(slab, pmap);
}

int part_map_reserve_slot(struct pmemset_part_map *pmap)
{
	if (pmap->mapping_count < pmap->mapping_capacity)
		return 0;
	size_t capacity = pmap->mapping_capacity * 2;
	struct part_mapping *mappings =
		pmemset_realloc(pmap->mappings, capacity * sizeof(*mappings));
	if (mappings == NULL)
		return set_error_errno(-ENOMEM, "cannot grow part map");
	pmap->mappings = mappings;
	pmap->mapping_capacity = capacity;
	return 0;
}

void part_map_append(struct pmemset_part_map *pmap, struct pmem2_map *map)
{
	struct part_mapping *m = &pmap->mappings[pmap->mapping_count++];
	m->map = map;
	m->addr = pmem2_map_get_address(map);
	m->size = pmem2_map_get_size(map);
	pmap->size = (size_t)(m->addr + m->size - pmap->addr);
}

size_t part_map_mapping_after(const struct pmemset_part_map *pmap,
			      const char *addr)
{
	/* binary search: coalesced part maps may hold many parts */
	size_t low = 0, high = pmap->mapping_count;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const struct part_mapping *m = &pmap->mappings[mid];
		if (m->addr + m->size <= addr)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

/* recomputes the range from the mappings left */
static void part_map_update_range(struct pmemset_part_map *pmap)
{
	if (pmap->mapping_count == 0) {
		pmap->size = 0;
		return;
	}
	const struct part_mapping *last =
		&pmap->mappings[pmap->mapping_count - 1];
	pmap->addr = pmap->mappings[0].addr;
	pmap->size = (size_t)(last->addr + last->size - pmap->addr);
}

void part_map_forget_mappings(struct pmemset_part_map *pmap, size_t first,
			      size_t count)
{
	size_t tail = pmap->mapping_count - first - count;
	memmove(&pmap->mappings[first], &pmap->mappings[first + count],
		tail * sizeof(*pmap->mappings));
	pmap->mapping_count -= count;
	part_map_update_range(pmap);
}

void part_map_move_tail(struct pmemset_part_map *pmap, size_t first,
			struct pmemset_part_map *upper)
{
	size_t count = pmap->mapping_count - first;
	memcpy(upper->mappings, &pmap->mappings[first],
	       count * sizeof(*pmap->mappings));
	upper->mapping_count = count;
	upper->reservation = pmap->reservation;
	upper->arena = pmap->arena;
	part_map_update_range(upper);
	pmap->mapping_count = first;
	part_map_update_range(pmap);
}

struct pmemset_part_descriptor
pmemset_descriptor_part_map(struct pmemset_part_map *pmap)
{
	struct pmemset_part_descriptor desc = {pmap->addr, pmap->size};
	return desc;
}

void pmemset_part_map_drop(struct pmemset_part_map **pmap)
{
	atomic_fetch_sub(part_map_refcount(*pmap), 1);
	*pmap = NULL;
}
