/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mover.h -- the data mover handed to every libpmem2 mapping of the library.
 */
#ifndef PMEMSET_MOVER_H
#define PMEMSET_MOVER_H

#include <libpmem2.h>

/* sets the library's shared data mover in a libpmem2 config */
int mover_set(struct pmem2_config *cfg);

#endif /* PMEMSET_MOVER_H */
