/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * remove_range.c -- three parts coalesced into one part map; removing one
 * byte of the middle part unmaps that whole part and splits the part map.
 * usage: remove_range [DIRECTORY]   (for the temporary file; default /tmp)
 */
#include <libpmemset.h>
#include <stdio.h>

#define PARTS 3
#define PART_SIZE (1 << 20)

static int count_part_maps(struct pmemset *set)
{
	int n = 0;
	struct pmemset_part_map *pmap, *next;
	for (pmemset_first_part_map(set, &pmap); pmap != NULL; pmap = next) {
		n++;
		pmemset_next_part_map(set, pmap, &next);
		pmemset_part_map_drop(&pmap);
	}
	return n;
}

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	struct pmemset_config *cfg;
	struct pmemset *set;
	struct pmemset_source *src;
	struct pmemset_part_descriptor desc;

	if (pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmemset_new(&set, cfg) ||
	    pmemset_source_from_temporary(&src, dir) ||
	    pmemset_set_contiguous_part_coalescing(set,
						   PMEMSET_COALESCING_FULL)) {
		pmemset_perror("setting up");
		return 1;
	}
	pmemset_config_delete(&cfg);
	for (int i = 0; i < PARTS; i++) {
		struct pmemset_part *part;
		if (pmemset_part_new(&part, set, src, (size_t)i * PART_SIZE,
				     PART_SIZE) ||
		    pmemset_part_map(&part, NULL, &desc)) {
			pmemset_perror("mapping part %d", i);
			return 1;
		}
	}
	/* desc is the whole coalesced part map now */
	int before = count_part_maps(set);
	size_t coalesced = desc.size;

	char *middle = (char *)desc.addr + PART_SIZE + 4096;
	if (pmemset_remove_range(set, middle, 1)) {
		pmemset_perror("pmemset_remove_range");
		return 1;
	}
	int after = count_part_maps(set);
	pmemset_delete(&set);
	pmemset_source_delete(&src);

	printf("%d part map of %zu bytes, then %d part maps\n", before,
	       coalesced, after);
	return before == 1 && coalesced == PARTS * PART_SIZE && after == 2 ? 0
									   : 1;
}
