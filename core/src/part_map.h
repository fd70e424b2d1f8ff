/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part_map.h -- a part map: one contiguous virtual range [addr, addr+size)
 * made of one or more libpmem2 mappings lying back to back inside one
 * libpmem2 virtual memory reservation.
 */
#ifndef PMEMSET_PART_MAP_H
#define PMEMSET_PART_MAP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <libpmemset.h>

struct arena;

/* one mapped part: the libpmem2 mapping and where it lies */
struct part_mapping {
	struct pmem2_map *map;
	char *addr;
	size_t size;
};

#define PART_MAP_ALIGNMENT 64 /* a cache line */

struct pmemset_part_map {
	_Alignas(PART_MAP_ALIGNMENT) char *addr;
	/*
	 * Atomic because pmemset_descriptor_part_map reads it without the
	 * lock while a concurrent pmemset_part_map may append a part to this
	 * very part map (coalescing grows it; nothing else changes a part map
	 * that is referenced).
	 */
	_Atomic size_t size;
	union {
		struct pmem2_vm_reservation *reservation;
		struct pmemset_part_map *next_free; /* while in the slab */
	};
	struct arena *arena; /* NULL inside the configured reservation */

	/* the mapped parts in address order */
	struct part_mapping *mappings;
	size_t mapping_count;
	size_t mapping_capacity;
};

/*
 * A set's part maps come from 64 KiB chunks of cache-line aligned slots,
 * whose reference counts sit together at the start of the chunk: a lookup
 * by address changes a count without touching the part map's own line, and
 * the counts of 10,000 part maps take 40 KiB on 11 pages instead of
 * 640 KiB of lines. The chunk of a part map is its address rounded down to
 * the chunk size.
 */
#define PART_MAP_CHUNK_SIZE (64 * 1024)
#define PART_MAP_CHUNK_MAPS 963
#define PART_MAP_CHUNK_HEADER                                                  \
	(PART_MAP_CHUNK_SIZE - PART_MAP_CHUNK_MAPS * PART_MAP_ALIGNMENT)

struct part_map_chunk {
	atomic_int refcounts[PART_MAP_CHUNK_MAPS];
	struct part_map_chunk *next;
	struct pmemset_part_map maps[PART_MAP_CHUNK_MAPS];
};

static inline atomic_int *part_map_refcount(struct pmemset_part_map *pmap)
{
	struct part_map_chunk *chunk =
		(struct part_map_chunk *)((uintptr_t)pmap &
					  ~(uintptr_t)(PART_MAP_CHUNK_SIZE -
						       1));
	return &chunk->refcounts[pmap - chunk->maps];
}

struct part_map_slab {
	struct part_map_chunk *chunks;
	struct pmemset_part_map *free_list;
};

/* frees the slab's chunks (all its part maps must be freed) */
void part_map_slab_destroy(struct part_map_slab *slab);

/* a part map at addr of size 0 with room for `capacity` mappings */
int part_map_new(struct part_map_slab *slab, struct pmemset_part_map **pmap,
		 struct pmem2_vm_reservation *reservation, char *addr,
		 size_t capacity);
void part_map_free(struct part_map_slab *slab, struct pmemset_part_map *pmap);

/* makes room for one more mapping so that appending cannot fail */
int part_map_reserve_slot(struct pmemset_part_map *pmap);

/* appends a mapping at the part map's end (a slot must be reserved) */
void part_map_append(struct pmemset_part_map *pmap, struct pmem2_map *map);

/* index of the first mapping that ends above addr (count if none) */
size_t part_map_mapping_after(const struct pmemset_part_map *pmap,
			      const char *addr);

/* forgets mappings [first, first+count), which must be at the front or back */
void part_map_forget_mappings(struct pmemset_part_map *pmap, size_t first,
			      size_t count);

/* moves mappings [first, end) into the empty part map `upper` */
void part_map_move_tail(struct pmemset_part_map *pmap, size_t first,
			struct pmemset_part_map *upper);

static inline char *part_map_end(const struct pmemset_part_map *pmap)
{
	return pmap->addr + pmap->size;
}

#endif /* PMEMSET_PART_MAP_H */
