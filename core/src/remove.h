/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * remove.h -- taking part maps and parts out of a set.
 */
#ifndef PMEMSET_REMOVE_H
#define PMEMSET_REMOVE_H

#include "set.h"

/*
 * Unmaps and frees every part map of the set without events, checks or
 * fault points (used by pmemset_delete, which must always complete).
 */
void remove_all_part_maps(struct pmemset *set);

#endif /* PMEMSET_REMOVE_H */
