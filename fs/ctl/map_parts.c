/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * map_parts.c -- a counting sort of the parts by the map that holds them:
 * one binary search per part, then one pass to place them.
 */
#include <errno.h>
#include <stdlib.h>

#include "ctl/map_parts.h"

int map_parts_build_locked(struct namespace *ns, struct map_parts *mp)
{
	mp->start = calloc(ns->nmaps + 1, sizeof(*mp->start));
	mp->order = malloc((ns->nparts ? ns->nparts : 1) * sizeof(*mp->order));
	long *map_of = malloc((ns->nparts ? ns->nparts : 1) * sizeof(*map_of));
	if (mp->start == NULL || mp->order == NULL || map_of == NULL) {
		free(map_of);
		map_parts_clear(mp);
		return -ENOMEM;
	}
	for (size_t j = 0; j < ns->nparts; j++) {
		map_of[j] = ns_map_index_locked(ns, ns->parts[j]->addr);
		if (map_of[j] >= 0)
			mp->start[map_of[j] + 1]++;
	}
	for (size_t i = 0; i < ns->nmaps; i++)
		mp->start[i + 1] += mp->start[i];
	/* start[i] doubles as map i's fill position, then is restored */
	for (size_t j = 0; j < ns->nparts; j++)
		if (map_of[j] >= 0)
			mp->order[mp->start[map_of[j]]++] = j;
	for (size_t i = ns->nmaps; i > 0; i--)
		mp->start[i] = mp->start[i - 1];
	mp->start[0] = 0;
	free(map_of);
	return 0;
}

void map_parts_clear(struct map_parts *mp)
{
	free(mp->start);
	free(mp->order);
	mp->start = NULL;
	mp->order = NULL;
}
