/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.h -- the configuration record a set copies at creation.
 */
#ifndef PMEMSET_CONFIG_H
#define PMEMSET_CONFIG_H

#include <stdbool.h>

#include <libpmemset.h>

struct pmemset_config {
	bool granularity_set;
	enum pmem2_granularity granularity;
	struct pmem2_vm_reservation *reservation; /* not owned */
	pmemset_event_callback *callback;
	void *callback_arg;
};

/* allocates a copy of config (-ENOMEM on failure) */
int config_duplicate(struct pmemset_config **copy,
		     const struct pmemset_config *config);

#endif /* PMEMSET_CONFIG_H */
