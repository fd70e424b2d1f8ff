/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * placement.h -- where a new part goes: appended to the coalescing anchor,
 * first fit inside the configured reservation, or into one of the set's
 * internal arenas (libpmem2 reservations shared by many part maps).
 */
#ifndef PMEMSET_PLACEMENT_H
#define PMEMSET_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "set.h"

struct arena;

struct placement {
	struct pmem2_vm_reservation *reservation;
	struct arena *arena; /* NULL inside the configured reservation */
	size_t offset;	     /* of the new part inside reservation */
	struct pmemset_part_map *part_map; /* the anchor or a new part map */
	bool appended;			   /* part_map is the anchor */
	bool created_arena;		   /* arena is new for this part */
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
 * Called after `bytes` of parts were unmapped, from `lowest` upwards:
 * in an arena (arena != NULL) forgets their space and deletes the arena
 * once it is empty unless it is the set's only one; in the configured
 * reservation lets first fit look at the freed space again.
 */
void placement_release(struct pmemset *set, struct arena *arena,
		       const char *lowest, size_t bytes);

/* deletes every (empty) arena of the set; for pmemset_delete */
void arenas_delete_all(struct pmemset *set);

#endif /* PMEMSET_PLACEMENT_H */
