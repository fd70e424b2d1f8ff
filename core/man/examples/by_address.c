/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * by_address.c -- finds the part map that holds an address, and removes
 * it once no other reference to it is held.
 * usage: by_address [DIRECTORY]   (for the temporary file; default /tmp)
 */
#include <libpmemset.h>
#include <stdio.h>

#define PART_SIZE (1 << 20)

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	struct pmemset_config *cfg;
	struct pmemset *set;
	struct pmemset_source *src;
	struct pmemset_part *part;
	struct pmemset_part_descriptor desc;
	struct pmemset_part_map *pmap, *again;

	if (pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmemset_new(&set, cfg) ||
	    pmemset_source_from_temporary(&src, dir) ||
	    pmemset_part_new(&part, set, src, 0, PART_SIZE) ||
	    pmemset_part_map(&part, NULL, &desc)) {
		pmemset_perror("setting up");
		return 1;
	}
	pmemset_config_delete(&cfg);
	pmemset_source_delete(&src);

	char *inside = (char *)desc.addr + PART_SIZE / 2;
	if (pmemset_part_map_by_address(set, &pmap, inside) ||
	    pmemset_part_map_by_address(set, &again, inside)) {
		pmemset_perror("pmemset_part_map_by_address");
		return 1;
	}
	/* two references: removing would pull the memory from under one */
	int busy = pmemset_remove_part_map(set, &pmap);
	pmemset_part_map_drop(&again);
	int removed = pmemset_remove_part_map(set, &pmap);
	int gone = pmemset_part_map_by_address(set, &again, inside);
	pmemset_delete(&set);

	printf("busy %d, removed %d, lookup afterwards %d\n", busy, removed,
	       gone);
	return busy == PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP &&
			       removed == 0 && pmap == NULL &&
			       gone == PMEMSET_E_CANNOT_FIND_PART_MAP
		       ? 0
		       : 1;
}
