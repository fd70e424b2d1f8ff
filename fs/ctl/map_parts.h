/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * map_parts.h -- which parts lie in which live map, computed once per
 * status snapshot, so listing 10,000 maps with 10,000 parts is not a
 * product of the two.
 */
#ifndef PMEMSETFS_MAP_PARTS_H
#define PMEMSETFS_MAP_PARTS_H

#include "tree/namespace.h"

struct map_parts {
	size_t *start; /* nmaps + 1 entries: map i owns order[start[i]..] */
	size_t *order; /* part indexes, in mapping order within each map */
};

/* Expects ns->lock held. Returns 0 or -ENOMEM. */
int map_parts_build_locked(struct namespace *ns, struct map_parts *mp);
void map_parts_clear(struct map_parts *mp);

#endif /* PMEMSETFS_MAP_PARTS_H */
