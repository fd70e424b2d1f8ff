/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * placement.c -- choosing the address of a new part (spec 3.6): appended to
 * the coalescing anchor, first fit inside the configured reservation, or a
 * slot in one of the set's internal arenas.
 *
 * Arenas instead of one reservation per part map. The spec's reference
 * gives each new part map a private reservation of exactly its size. With
 * libpmem2 1.12.1 that leaks: pmem2_vm_reservation_new maps
 * roundup(size, 2 MiB) + 2 MiB of address space, and
 * pmem2_vm_reservation_delete unmaps only `size`, so every map/unmap cycle
 * left a PROT_NONE region and a VMA behind until vm.max_map_count ran out.
 * Here a set owns a list of arenas, internal reservations of at least 1 GiB
 * of address space (PROT_NONE: no memory is committed), and part maps are
 * placed in them: at an arena's high-water mark first, then in a hole of an
 * arena at most half used, else in a new arena. An arena is deleted when it
 * empties, except the last one, which is kept for reuse. The API cannot tell
 * the difference: part maps, descriptors, lookups and error codes are what the
 * spec gives.
 *
 * Reliable coalescing without a configured reservation follows from it: the
 * anchor usually ends at its arena's high-water mark, so the space after it
 * is free inside the arena and FULL appends there instead of needing the
 * address space after a private reservation (which the kernel usually has
 * already given to a newer mapping). A new arena asks for 1 TiB of address
 * space, so that any set of up to 1 TiB coalesces; where that is refused it
 * halves the request down to 64 parts of the part's size (1 GiB to 64 GiB),
 * then the part alone. Past an arena's end FULL tries to extend it as the
 * spec describes, and fails with CANNOT_COALESCE_PARTS (naming the fix, a
 * configured reservation) if the address space after it is taken.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "alloc.h"
#include "errormsg.h"
#include "fault.h"
#include "placement.h"

struct arena {
	struct pmem2_vm_reservation *reservation;
	char *base;
	size_t size;
	size_t high_water; /* end offset of its highest mapping */
	size_t full_below; /* [0, full_below) is all mapped */
	size_t used;	   /* bytes mapped in it */
	struct arena *prev;
	struct arena *next;
};

/* after unmapping: new high-water mark; an empty arena goes (but the last) */
static void arena_forget(struct pmemset *set, struct arena *arena);

#define ARENA_MIN ((size_t)1 << 30)
#define ARENA_MAX ((size_t)64 << 30)
#define ARENA_PARTS 64
/*
 * What a new arena asks for first: FULL coalescing can only append inside
 * the anchor's arena (the space above it is usually the kernel's already),
 * so the first arena should hold any set a program may build. PROT_NONE
 * address space costs no memory and no commit charge; 1 TiB is 1/128 of
 * the 47-bit user address space.
 */
#define ARENA_GENEROUS ((size_t)1 << 40)
#define LIBPMEM2_RESERVATION_ALIGN ((size_t)2 << 20)

/* libpmem2's allocation granularity for reservations and lengths */
static size_t allocation_granularity(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static int coalescing_mode(struct pmemset *set)
{
	return atomic_load(&set->coalescing);
}

/* address space for an arena made for (or extended by) `part` bytes */
static size_t arena_size_for(size_t part)
{
	size_t size =
		part > ARENA_MAX / ARENA_PARTS ? ARENA_MAX : part * ARENA_PARTS;
	if (size < ARENA_MIN)
		size = ARENA_MIN;
	if (size < part)
		size = part;
	/* whole 2 MiB units: what libpmem2 reserves anyway */
	size_t align = LIBPMEM2_RESERVATION_ALIGN;
	if (size <= SIZE_MAX - align)
		size = (size + align - 1) / align * align;
	return size;
}

/*
 * Looks for a mapping intersecting [offset, offset+size) of the reservation.
 * Returns 0 and sets *busy (and *busy_end, the end offset of the lowest such
 * mapping), or a negative error.
 */
static int reservation_range_busy(struct pmem2_vm_reservation *rsv,
				  size_t offset, size_t size, bool *busy,
				  size_t *busy_end)
{
	struct pmem2_map *map = NULL;
	int ret = PMEM2_GUARDED(
		pmem2_vm_reservation_map_find(rsv, offset, size, &map));
	if (ret == PMEM2_E_MAPPING_NOT_FOUND || (ret == 0 && map == NULL)) {
		*busy = false;
		return 0;
	}
	if (ret)
		return set_error_pmem2(ret, ret,
				       "cannot search the reservation");
	*busy = true;
	char *base = pmem2_vm_reservation_get_address(rsv);
	*busy_end = (size_t)((char *)pmem2_map_get_address(map) +
			     pmem2_map_get_size(map) - base);
	return 0;
}

/* grows an arena so that [0, needed_size) fits in it */
static int arena_grow(struct arena *arena, size_t needed_size)
{
	size_t missing = needed_size - arena->size;
	size_t generous = arena_size_for(missing);
	int ret = PMEM2_GUARDED(
		pmem2_vm_reservation_extend(arena->reservation, generous));
	if (ret == PMEM2_E_MAPPING_EXISTS)
		ret = PMEM2_GUARDED(pmem2_vm_reservation_extend(
			arena->reservation, missing));
	if (ret == 0)
		arena->size = pmem2_vm_reservation_get_size(arena->reservation);
	return ret;
}

/* the result of trying to coalesce, apart from real errors */
#define COALESCE_IMPOSSIBLE 1

static int coalesce_try(struct pmemset *set, size_t size, int mode,
			struct placement *placement)
{
	struct pmemset_part_map *anchor = set->anchor;
	struct pmem2_vm_reservation *rsv = anchor->reservation;
	struct arena *arena = anchor->arena;
	char *base = pmem2_vm_reservation_get_address(rsv);
	size_t rsv_size = pmem2_vm_reservation_get_size(rsv);
	size_t offset = (size_t)(part_map_end(anchor) - base);
	bool busy = false;
	size_t busy_end;

	if (size == 0 || size > SIZE_MAX - offset)
		return COALESCE_IMPOSSIBLE;
	if (arena == NULL && offset + size > rsv_size)
		return COALESCE_IMPOSSIBLE; /* never leave the reservation */
	if (arena != NULL && size % allocation_granularity()) {
		/* extending by an unaligned size is what libpmem2 rejects */
		if (mode == PMEMSET_COALESCING_FULL)
			return set_error(PMEM2_E_LENGTH_UNALIGNED,
					 "part length %zu is not a multiple "
					 "of %zu",
					 size, allocation_granularity());
		return COALESCE_IMPOSSIBLE;
	}

	if (offset < rsv_size) {
		size_t inside =
			rsv_size - offset < size ? rsv_size - offset : size;
		int ret = reservation_range_busy(rsv, offset, inside, &busy,
						 &busy_end);
		if (ret)
			return mode == PMEMSET_COALESCING_FULL
				       ? ret
				       : COALESCE_IMPOSSIBLE;
		if (busy)
			return COALESCE_IMPOSSIBLE;
	}

	int ret = part_map_reserve_slot(anchor);
	if (ret)
		return ret;

	if (offset + size > rsv_size) {
		ret = arena_grow(arena, offset + size);
		/* taken, or out of address space (ENOMEM, RLIMIT_AS) */
		if (ret == PMEM2_E_MAPPING_EXISTS || ret == -ENOMEM)
			return COALESCE_IMPOSSIBLE;
		if (ret) {
			if (mode != PMEMSET_COALESCING_FULL)
				return COALESCE_IMPOSSIBLE;
			return set_error_pmem2(ret, ret,
					       "cannot extend the reservation");
		}
	}

	placement->reservation = rsv;
	placement->arena = arena;
	placement->offset = offset;
	placement->part_map = anchor;
	placement->appended = true;
	placement->old_reservation_size = rsv_size;
	return 0;
}

/*
 * First fit in [offset, limit) of a reservation: the lowest offset where
 * `size` bytes are free. Returns 0 and sets *found, or an error.
 */
static int first_fit(struct pmem2_vm_reservation *rsv, size_t offset,
		     size_t limit, size_t size, bool *found, size_t *fit)
{
	*found = false;
	while (size <= limit && offset <= limit - size) {
		bool busy;
		size_t busy_end = 0;
		int ret = reservation_range_busy(rsv, offset, size, &busy,
						 &busy_end);
		if (ret)
			return ret;
		if (!busy) {
			*found = true;
			*fit = offset;
			return 0;
		}
		offset = busy_end;
	}
	return 0;
}

/* first fit from the bottom of the configured reservation */
static int place_in_configured(struct pmemset *set, size_t size,
			       struct placement *placement)
{
	struct pmem2_vm_reservation *rsv = set->config->reservation;
	size_t offset = 0;
	bool found;

	if (size == 0)
		return set_error(PMEMSET_E_INVALID_PMEM2_MAP,
				 "cannot map a part of length 0");
	/* [0, reservation_full_below) is known to be taken: skip it */
	int ret = first_fit(rsv, set->reservation_full_below,
			    pmem2_vm_reservation_get_size(rsv), size, &found,
			    &offset);
	if (ret)
		return ret;
	if (!found)
		return set_error(PMEMSET_E_CANNOT_FIT_PART_MAP,
				 "no room for %zu bytes in the reservation",
				 size);
	char *addr = (char *)pmem2_vm_reservation_get_address(rsv) + offset;
	ret = part_map_new(&set->part_maps, &placement->part_map, rsv, addr, 1);
	if (ret)
		return ret;
	placement->reservation = rsv;
	placement->offset = offset;
	return 0;
}

/*
 * A generous reservation, halved while the address space (or RLIMIT_AS)
 * refuses it, down to what the old sizing gave and at last the part alone.
 */
static int arena_reserve(struct arena *arena, size_t part_size)
{
	size_t roomy = arena_size_for(part_size);
	size_t size = roomy > ARENA_GENEROUS ? roomy : ARENA_GENEROUS;
	for (;;) {
		int ret = PMEM2_GUARDED(pmem2_vm_reservation_new(
			&arena->reservation, NULL, size));
		if (ret == 0 || ret == PMEM2_E_LENGTH_UNALIGNED ||
		    size == part_size)
			return ret;
		if (size > roomy)
			size = size / 2 > roomy ? size / 2 : roomy;
		else
			size = part_size;
	}
}

static int arena_new(struct pmemset *set, size_t part_size,
		     struct arena **arena_ptr)
{
	struct arena *arena = pmemset_zalloc(sizeof(*arena));
	if (arena == NULL)
		return set_error_errno(-ENOMEM, "cannot allocate an arena");

	int ret = arena_reserve(arena, part_size);
	if (ret) {
		pmemset_free(arena);
		if (ret == PMEM2_E_LENGTH_UNALIGNED)
			return set_error(PMEMSET_E_LENGTH_UNALIGNED,
					 "part length %zu is not a multiple "
					 "of %zu",
					 part_size, allocation_granularity());
		return set_error_pmem2(ret, ret,
				       "cannot reserve %zu bytes of address "
				       "space",
				       part_size);
	}
	arena->base = pmem2_vm_reservation_get_address(arena->reservation);
	arena->size = pmem2_vm_reservation_get_size(arena->reservation);
	arena->next = set->arenas;
	if (set->arenas != NULL)
		set->arenas->prev = arena;
	set->arenas = arena;
	*arena_ptr = arena;
	return 0;
}

static void arena_delete(struct pmemset *set, struct arena *arena)
{
	if (arena->prev != NULL)
		arena->prev->next = arena->next;
	else
		set->arenas = arena->next;
	if (arena->next != NULL)
		arena->next->prev = arena->prev;
	int ret = pmem2_vm_reservation_delete(&arena->reservation);
	if (ret)
		log_message(1, "cannot delete an arena: %d", ret);
	pmemset_free(arena);
}

/* a slot for `size` bytes: above some arena's high-water mark, else a hole */
static int arena_find_slot(struct pmemset *set, size_t size,
			   struct arena **found_arena, size_t *offset)
{
	for (struct arena *a = set->arenas; a != NULL; a = a->next) {
		if (a->high_water <= a->size &&
		    size <= a->size - a->high_water) {
			*found_arena = a;
			*offset = a->high_water;
			return 0;
		}
	}
	/*
	 * Holes only in arenas at most half used: first fit then finds room
	 * after few probes, and the address space stays within twice what
	 * is mapped (plus one arena); fuller arenas are left to drain.
	 */
	for (struct arena *a = set->arenas; a != NULL; a = a->next) {
		bool found;
		if (a->used > a->size / 2)
			continue;
		int ret = first_fit(a->reservation, a->full_below,
				    a->high_water, size, &found, offset);
		if (ret)
			return ret;
		if (found) {
			*found_arena = a;
			return 0;
		}
	}
	*found_arena = NULL;
	return 0;
}

static int place_in_arena(struct pmemset *set, size_t size,
			  struct placement *placement)
{
	struct arena *arena;
	size_t offset = 0;

	if (size == 0)
		return set_error(PMEMSET_E_INVALID_PMEM2_MAP,
				 "cannot map a part of length 0");
	if (size % allocation_granularity())
		return set_error(PMEMSET_E_LENGTH_UNALIGNED,
				 "part length %zu is not a multiple of %zu",
				 size, allocation_granularity());
	int ret = arena_find_slot(set, size, &arena, &offset);
	if (ret)
		return ret;
	if (arena == NULL) {
		ret = arena_new(set, size, &arena);
		if (ret)
			return ret;
		placement->created_arena = true;
	}

	ret = part_map_new(&set->part_maps, &placement->part_map,
			   arena->reservation, arena->base + offset, 1);
	if (ret) {
		if (placement->created_arena)
			arena_forget(set, arena);
		return ret;
	}
	placement->part_map->arena = arena;
	placement->reservation = arena->reservation;
	placement->arena = arena;
	placement->offset = offset;
	return 0;
}

int placement_choose(struct pmemset *set, size_t size,
		     struct placement *placement)
{
	*placement = (struct placement){0};
	int mode = coalescing_mode(set);

	if (mode != PMEMSET_COALESCING_NONE && set->anchor != NULL) {
		int ret = coalesce_try(set, size, mode, placement);
		if (ret <= 0)
			return ret;
		if (mode == PMEMSET_COALESCING_FULL)
			return set_error(PMEMSET_E_CANNOT_COALESCE_PARTS,
					 "cannot coalesce: the address space "
					 "after the previous part map is "
					 "occupied; a reservation that holds "
					 "the whole set always coalesces "
					 "(set file: 'reservation SIZE', "
					 "pmemset_config_set_reservation)");
		/* OPPORTUNISTIC falls back to NONE placement */
	}

	if (set_has_reservation(set))
		return place_in_configured(set, size, placement);
	return place_in_arena(set, size, placement);
}

void placement_undo(struct pmemset *set, struct placement *placement)
{
	struct arena *arena = placement->arena;
	if (placement->appended) {
		size_t old = placement->old_reservation_size;
		if (arena != NULL && arena->size > old &&
		    pmem2_vm_reservation_shrink(arena->reservation, old,
						arena->size - old) == 0)
			arena->size = old;
		return;
	}
	part_map_free(&set->part_maps, placement->part_map);
	if (placement->created_arena)
		arena_forget(set, arena);
}

void placement_release(struct pmemset *set, struct arena *arena,
		       const char *lowest, size_t bytes)
{
	if (arena != NULL) {
		arena->used -= bytes;
		size_t offset = (size_t)(lowest - arena->base);
		if (offset < arena->full_below)
			arena->full_below = offset;
		arena_forget(set, arena);
		return;
	}
	char *base = pmem2_vm_reservation_get_address(set->config->reservation);
	size_t offset = (size_t)(lowest - base);
	if (offset < set->reservation_full_below)
		set->reservation_full_below = offset;
}

int placement_commit(struct pmemset *set, struct placement *placement,
		     struct pmem2_map *map)
{
	part_map_append(placement->part_map, map);
	struct arena *arena = placement->arena;
	size_t end = placement->offset + pmem2_map_get_size(map);
	if (arena != NULL && end > arena->high_water)
		arena->high_water = end;
	if (arena != NULL && placement->offset == arena->full_below)
		arena->full_below = end;
	if (arena != NULL)
		arena->used += pmem2_map_get_size(map);
	if (arena == NULL && placement->offset == set->reservation_full_below)
		set->reservation_full_below = end;
	if (placement->appended)
		return 0;
	int ret = index_insert(set->index, placement->part_map);
	if (ret)
		return ret;
	set->anchor = placement->part_map;
	return 0;
}

static void arena_forget(struct pmemset *set, struct arena *arena)
{
	struct pmem2_map *last = NULL;
	if (pmem2_vm_reservation_map_find_last(arena->reservation, &last) ==
		    0 &&
	    last != NULL) {
		arena->high_water =
			(size_t)((char *)pmem2_map_get_address(last) +
				 pmem2_map_get_size(last) - arena->base);
		return;
	}
	arena->high_water = 0;
	arena->full_below = 0;
	/* keep one empty arena: deleting it leaks address space (above) */
	if (set->arenas == arena && arena->next == NULL)
		return;
	arena_delete(set, arena);
}

void arenas_delete_all(struct pmemset *set)
{
	while (set->arenas != NULL)
		arena_delete(set, set->arenas);
}
