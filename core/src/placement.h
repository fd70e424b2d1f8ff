/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * placement.h -- where a new part goes: appended to the coalescing anchor,
 * first fit inside the configured reservation, or a fresh internal
 * reservation; and keeping internal reservations trimmed to their contents.
 */
#ifndef PMEMSET_PLACEMENT_H
#define PMEMSET_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "set.h"

struct placement {
	struct pmem2_vm_reservation *reservation;
	size_t offset; /* of the new part inside reservation */
	struct pmemset_part_map *part_map; /* the anchor or a new part map */
	bool appended;			   /* part_map is the anchor */
	bool created_reservation;	   /* reservation is new and ours */
	size_t old_reservation_size;	   /* to undo an extension */
};

/* decides where a part of `size` bytes goes (set write-locked) */
int placement_choose(struct pmemset *set, size_t size,
		     struct placement *placement);

/* undoes placement_choose when mapping the part failed */
void placement_undo(struct pmemset *set, struct placement *placement);

/* records the new mapping; indexes a new part map and makes it the anchor */
int placement_commit(struct pmemset *set, struct placement *placement,
		     struct pmem2_map *map);

/*
 * Shrinks an internal reservation to span its mappings, or deletes it when
 * it holds none (*reservation is then NULL). No-op for the configured one.
 */
void reservation_trim(struct pmemset *set,
		      struct pmem2_vm_reservation **reservation);

#endif /* PMEMSET_PLACEMENT_H */
