/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iterate.c -- walks the part maps of a set in address order, reads each
 * one's descriptor and gives back the reference each step took.
 * usage: iterate [DIRECTORY]   (for the temporary files; default /tmp)
 */
#include <libpmemset.h>
#include <stdio.h>

#define PARTS 3
#define PART_SIZE (1 << 20)

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	struct pmemset_config *cfg;
	struct pmemset *set;
	struct pmemset_source *src;

	if (pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmemset_new(&set, cfg) ||
	    pmemset_source_from_temporary(&src, dir)) {
		pmemset_perror("setting up");
		return 1;
	}
	pmemset_config_delete(&cfg);
	for (int i = 0; i < PARTS; i++) {
		struct pmemset_part *part;
		/* one temporary file, three ranges of it */
		if (pmemset_part_new(&part, set, src, (size_t)i * PART_SIZE,
				     PART_SIZE) ||
		    pmemset_part_map(&part, NULL, NULL)) {
			pmemset_perror("mapping part %d", i);
			return 1;
		}
	}

	int count = 0, ordered = 1;
	size_t total = 0;
	char *last_end = NULL;
	struct pmemset_part_map *pmap, *next;
	for (pmemset_first_part_map(set, &pmap); pmap != NULL; pmap = next) {
		struct pmemset_part_descriptor d =
			pmemset_descriptor_part_map(pmap);
		printf("part map at %p, %zu bytes\n", d.addr, d.size);
		ordered &= last_end == NULL || (char *)d.addr >= last_end;
		last_end = (char *)d.addr + d.size;
		total += d.size;
		count++;
		pmemset_next_part_map(set, pmap, &next);
		pmemset_part_map_drop(&pmap);
	}
	pmemset_delete(&set);
	pmemset_source_delete(&src);
	return count == PARTS && total == PARTS * PART_SIZE && ordered ? 0 : 1;
}
