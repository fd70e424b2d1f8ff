/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.c -- a config with a reservation: every part map of the set is
 * placed inside it, first fit from its bottom.
 * usage: config [DIRECTORY]   (for the temporary files; default /tmp)
 */
#include <libpmemset.h>
#include <stdio.h>

#define PART_SIZE (1 << 20)
#define RESERVATION_SIZE (4 * PART_SIZE)

static int map_temporary(struct pmemset *set, const char *dir, void **addr)
{
	struct pmemset_source *src;
	struct pmemset_part *part;
	struct pmemset_part_descriptor desc;

	if (pmemset_source_from_temporary(&src, dir))
		return -1;
	int ret = pmemset_part_new(&part, set, src, 0, PART_SIZE);
	if (ret == 0 && (ret = pmemset_part_map(&part, NULL, &desc)) != 0)
		pmemset_part_delete(&part);
	pmemset_source_delete(&src); /* the mapping keeps the file */
	*addr = ret == 0 ? desc.addr : NULL;
	return ret;
}

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	struct pmem2_vm_reservation *rsv;
	struct pmemset_config *cfg;
	struct pmemset *set;
	void *first, *second;

	if (pmem2_vm_reservation_new(&rsv, NULL, RESERVATION_SIZE)) {
		pmem2_perror("pmem2_vm_reservation_new");
		return 1;
	}
	if (pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE)) {
		pmemset_perror("config");
		return 1;
	}
	pmemset_config_set_reservation(cfg, rsv);
	if (pmemset_new(&set, cfg)) {
		pmemset_perror("pmemset_new");
		return 1;
	}
	pmemset_config_delete(&cfg);

	if (map_temporary(set, dir, &first) ||
	    map_temporary(set, dir, &second)) {
		pmemset_perror("mapping a part");
		return 1;
	}
	char *base = pmem2_vm_reservation_get_address(rsv);
	int status = 0;
	if (first != base || second != base + PART_SIZE) {
		fprintf(stderr, "parts at %p and %p, reservation at %p\n",
			first, second, (void *)base);
		status = 1;
	}
	pmemset_delete(&set); /* unmaps; the reservation stays ours */
	pmem2_vm_reservation_delete(&rsv);
	if (status == 0)
		printf("both parts lie at the bottom of the reservation\n");
	return status;
}
