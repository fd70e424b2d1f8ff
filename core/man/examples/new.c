/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * new.c -- a set is made from a config that names the store granularity;
 * without one it is refused and the out-pointer is NULL.
 */
#include <libpmemset.h>
#include <stdio.h>

int main(void)
{
	struct pmemset_config *cfg;
	struct pmemset *set;

	if (pmemset_config_new(&cfg)) {
		pmemset_perror("pmemset_config_new");
		return 1;
	}
	/* no granularity in the config yet */
	int ret = pmemset_new(&set, cfg);
	if (ret != PMEMSET_E_GRANULARITY_NOT_SET || set != NULL) {
		fprintf(stderr, "expected GRANULARITY_NOT_SET, got %d\n", ret);
		return 1;
	}
	printf("refused: %s\n", pmemset_errormsg());

	pmemset_config_set_required_store_granularity(cfg,
						      PMEM2_GRANULARITY_PAGE);
	if (pmemset_new(&set, cfg)) {
		pmemset_perror("pmemset_new");
		return 1;
	}
	pmemset_config_delete(&cfg); /* the set keeps its own copy */

	pmemset_delete(&set);
	if (set != NULL) {
		fprintf(stderr, "pmemset_delete left the pointer set\n");
		return 1;
	}
	printf("created and deleted a set\n");
	return 0;
}
