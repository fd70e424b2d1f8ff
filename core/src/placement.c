/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * placement.c -- choosing the address of a new part (spec 3.6): appended to
 * the coalescing anchor, first fit inside the configured reservation, or a
 * fresh internal reservation; and trimming internal reservations.
 *
 * Reliable coalescing without a configured reservation: the kernel places
 * new mappings just below older ones, so the address space right after a
 * part map is usually taken and extending its reservation fails. When a
 * fresh internal reservation is created while coalescing is enabled, it is
 * therefore made larger than the part by a headroom (placement_headroom). The
 * extra space is inaccessible (PROT_NONE, no memory committed) and invisible
 * through the API, which only reports part maps; parts coalesced later land
 * in it without extending the reservation. When it runs out the reservation
 * is extended as the spec describes (with new headroom when possible), and
 * trimming keeps up to HEADROOM_MIN after the last mapping while
 * coalescing is enabled.
 */
#include <stdint.h>
#include <unistd.h>

#include "errormsg.h"
#include "placement.h"
#include "pmem2_guard.h"

/*
 * Headroom after a part: 64 more parts of its size, at least 1 GiB (room
 * for 16,384 parts of 64 KiB) and at most 64 GiB. Address space only: it
 * costs no memory. Valgrind gives a client only ~96 GiB of address space, so
 * a failed reservation with headroom falls back to one of the exact size.
 */
#define HEADROOM_MIN ((size_t)1 << 30)
#define HEADROOM_MAX ((size_t)64 << 30)

static size_t placement_headroom(size_t part_size)
{
	if (part_size > HEADROOM_MAX / 64)
		return HEADROOM_MAX;
	size_t headroom = part_size * 64;
	return headroom < HEADROOM_MIN ? HEADROOM_MIN : headroom;
}

/* libpmem2's allocation granularity for reservations and lengths */
static size_t allocation_granularity(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static int coalescing_mode(struct pmemset *set)
{
	return atomic_load(&set->coalescing);
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

/* grows an internal reservation so that [0, needed_size) fits in it */
static int reservation_grow(struct pmem2_vm_reservation *rsv,
			    size_t needed_size)
{
	size_t missing = needed_size - pmem2_vm_reservation_get_size(rsv);
	size_t headroom = placement_headroom(missing);
	int ret = PMEM2_E_MAPPING_EXISTS;
	if (missing <= SIZE_MAX - headroom)
		ret = PMEM2_GUARDED(
			pmem2_vm_reservation_extend(rsv, missing + headroom));
	if (ret == PMEM2_E_MAPPING_EXISTS)
		ret = PMEM2_GUARDED(pmem2_vm_reservation_extend(rsv, missing));
	return ret;
}

/* the result of trying to coalesce, apart from real errors */
#define COALESCE_IMPOSSIBLE 1

static int coalesce_try(struct pmemset *set, size_t size, int mode,
			struct placement *placement)
{
	struct pmemset_part_map *anchor = set->anchor;
	struct pmem2_vm_reservation *rsv = anchor->reservation;
	char *base = pmem2_vm_reservation_get_address(rsv);
	size_t rsv_size = pmem2_vm_reservation_get_size(rsv);
	size_t offset = (size_t)(part_map_end(anchor) - base);
	bool busy = false;
	size_t busy_end;

	if (size == 0 || size > SIZE_MAX - offset)
		return COALESCE_IMPOSSIBLE;
	if (set_has_reservation(set) && offset + size > rsv_size)
		return COALESCE_IMPOSSIBLE; /* never leave the reservation */
	if (!set_has_reservation(set) && size % allocation_granularity()) {
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
		ret = reservation_grow(rsv, offset + size);
		if (ret == PMEM2_E_MAPPING_EXISTS)
			return COALESCE_IMPOSSIBLE;
		if (ret) {
			if (mode != PMEMSET_COALESCING_FULL)
				return COALESCE_IMPOSSIBLE;
			return set_error_pmem2(ret, ret,
					       "cannot extend the reservation");
		}
	}

	placement->reservation = rsv;
	placement->offset = offset;
	placement->part_map = anchor;
	placement->appended = true;
	placement->created_reservation = false;
	placement->old_reservation_size = rsv_size;
	return 0;
}

/* first fit from the bottom of the configured reservation */
static int place_in_configured(struct pmemset *set, size_t size,
			       struct placement *placement)
{
	struct pmem2_vm_reservation *rsv = set->config->reservation;
	size_t rsv_size = pmem2_vm_reservation_get_size(rsv);
	size_t offset = 0;

	if (size == 0)
		return set_error(PMEMSET_E_INVALID_PMEM2_MAP,
				 "cannot map a part of length 0");
	while (size <= rsv_size && offset <= rsv_size - size) {
		bool busy;
		size_t busy_end = 0;
		int ret = reservation_range_busy(rsv, offset, size, &busy,
						 &busy_end);
		if (ret)
			return ret;
		if (!busy) {
			char *addr =
				(char *)pmem2_vm_reservation_get_address(rsv) +
				offset;
			ret = part_map_new(&placement->part_map, rsv, addr, 1);
			if (ret)
				return ret;
			placement->reservation = rsv;
			placement->offset = offset;
			return 0;
		}
		offset = busy_end;
	}
	return set_error(PMEMSET_E_CANNOT_FIT_PART_MAP,
			 "no room for %zu bytes in the reservation", size);
}

/* a fresh internal reservation, with headroom when coalescing is on */
static int place_in_new_reservation(struct pmemset *set, size_t size,
				    struct placement *placement)
{
	struct pmem2_vm_reservation *rsv = NULL;
	int ret;

	if (size == 0)
		return set_error(PMEMSET_E_INVALID_PMEM2_MAP,
				 "cannot map a part of length 0");
	ret = PMEM2_E_MAPPING_EXISTS;
	if (coalescing_mode(set) != PMEMSET_COALESCING_NONE &&
	    size % allocation_granularity() == 0 &&
	    size <= SIZE_MAX - placement_headroom(size))
		ret = PMEM2_GUARDED(pmem2_vm_reservation_new(
			&rsv, NULL, size + placement_headroom(size)));
	if (ret) /* no headroom wanted, or no room for it */
		ret = PMEM2_GUARDED(pmem2_vm_reservation_new(&rsv, NULL, size));
	if (ret == PMEM2_E_LENGTH_UNALIGNED)
		return set_error(PMEMSET_E_LENGTH_UNALIGNED,
				 "part length %zu is not a multiple of %zu",
				 size, allocation_granularity());
	if (ret)
		return set_error_pmem2(ret, ret,
				       "cannot reserve %zu bytes of address "
				       "space",
				       size);

	ret = part_map_new(&placement->part_map, rsv,
			   pmem2_vm_reservation_get_address(rsv), 1);
	if (ret) {
		pmem2_vm_reservation_delete(&rsv);
		return ret;
	}
	placement->reservation = rsv;
	placement->offset = 0;
	placement->created_reservation = true;
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
					 "occupied");
		/* OPPORTUNISTIC falls back to NONE placement */
	}

	if (set_has_reservation(set))
		return place_in_configured(set, size, placement);
	return place_in_new_reservation(set, size, placement);
}

void placement_undo(struct pmemset *set, struct placement *placement)
{
	if (placement->appended) {
		struct pmem2_vm_reservation *rsv = placement->reservation;
		size_t now = pmem2_vm_reservation_get_size(rsv);
		size_t old = placement->old_reservation_size;
		if (!set_has_reservation(set) && now > old)
			pmem2_vm_reservation_shrink(rsv, old, now - old);
		return;
	}
	part_map_free(placement->part_map);
	if (placement->created_reservation)
		pmem2_vm_reservation_delete(&placement->reservation);
}

int placement_commit(struct pmemset *set, struct placement *placement,
		     struct pmem2_map *map)
{
	part_map_append(placement->part_map, map);
	if (placement->appended)
		return 0;
	int ret = index_insert(set->index, placement->part_map);
	if (ret)
		return ret;
	set->anchor = placement->part_map;
	return 0;
}

void reservation_trim(struct pmemset *set,
		      struct pmem2_vm_reservation **reservation)
{
	struct pmem2_vm_reservation *rsv = *reservation;
	if (set_has_reservation(set) || rsv == NULL)
		return;

	struct pmem2_map *first = NULL, *last = NULL;
	if (pmem2_vm_reservation_map_find_first(rsv, &first) || first == NULL) {
		int ret = pmem2_vm_reservation_delete(reservation);
		if (ret)
			log_message(1, "cannot delete reservation: %d", ret);
		return;
	}
	pmem2_vm_reservation_map_find_last(rsv, &last);

	char *base = pmem2_vm_reservation_get_address(rsv);
	size_t front = (size_t)((char *)pmem2_map_get_address(first) - base);
	if (front > 0 && pmem2_vm_reservation_shrink(rsv, 0, front))
		log_message(1, "cannot trim the reservation's front");

	/* headroom after the last part stays while coalescing is enabled */
	base = pmem2_vm_reservation_get_address(rsv);
	size_t size = pmem2_vm_reservation_get_size(rsv);
	size_t used = (size_t)((char *)pmem2_map_get_address(last) +
			       pmem2_map_get_size(last) - base);
	size_t keep = coalescing_mode(set) != PMEMSET_COALESCING_NONE
			      ? placement_headroom(0)
			      : 0;
	if (size - used > keep &&
	    pmem2_vm_reservation_shrink(rsv, used + keep, size - used - keep))
		log_message(1, "cannot trim the reservation's tail");
}
