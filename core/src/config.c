/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.c -- pmemset_config: required store granularity, an optional
 * virtual memory reservation and an event callback. A plain single-owner
 * record; sets copy it.
 */
#include <errno.h>

#include "alloc.h"
#include "config.h"
#include "errormsg.h"

int pmemset_config_new(struct pmemset_config **cfg)
{
	*cfg = NULL;
	struct pmemset_config *config = pmemset_zalloc(sizeof(*config));
	if (config == NULL)
		return set_error_errno(-ENOMEM, "cannot allocate config");
	*cfg = config;
	return 0;
}

int pmemset_config_delete(struct pmemset_config **cfg)
{
	pmemset_free(*cfg);
	*cfg = NULL;
	return 0;
}

int config_duplicate(struct pmemset_config **copy,
		     const struct pmemset_config *config)
{
	*copy = pmemset_malloc(sizeof(**copy));
	if (*copy == NULL)
		return set_error_errno(-ENOMEM, "cannot copy config");
	**copy = *config;
	return 0;
}

void pmemset_config_set_reservation(struct pmemset_config *cfg,
				    struct pmem2_vm_reservation *rsv)
{
	cfg->reservation = rsv;
}

int pmemset_config_set_required_store_granularity(struct pmemset_config *cfg,
						  enum pmem2_granularity g)
{
	switch (g) {
	case PMEM2_GRANULARITY_BYTE:
	case PMEM2_GRANULARITY_CACHE_LINE:
	case PMEM2_GRANULARITY_PAGE:
		break;
	default:
		return set_error(PMEMSET_E_GRANULARITY_NOT_SUPPORTED,
				 "store granularity %d is not supported",
				 (int)g);
	}
	cfg->granularity = g;
	cfg->granularity_set = true;
	return 0;
}

void pmemset_config_set_event_callback(struct pmemset_config *config,
				       pmemset_event_callback *callback,
				       void *arg)
{
	config->callback = callback;
	config->callback_arg = arg;
}
