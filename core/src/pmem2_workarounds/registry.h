/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * registry.h -- keeps libpmem2's process-wide mapping registry consistent
 * for the PAGE-granularity data path (see registry.c).
 */
#ifndef PMEMSET_REGISTRY_H
#define PMEMSET_REGISTRY_H

#include <libpmem2.h>

/* pmem2_map_new / pmem2_map_delete, excluded from registry readers */
int registry_map_new(struct pmem2_map **map, const struct pmem2_config *cfg,
		     const struct pmem2_source *src);
int registry_map_delete(struct pmem2_map **map);

/* brackets a libpmem2 data-path call that may look up the registry */
void registry_read_lock(void);
void registry_read_unlock(void);

#endif /* PMEMSET_REGISTRY_H */
