/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pmem2_guard.h -- wraps a fallible libpmem2 call in the PMEM2 fault point:
 * when the point fires the call is not made and -ENOMEM is returned, which
 * is what libpmem2 itself returns when it runs out of memory.
 */
#ifndef PMEMSET_PMEM2_GUARD_H
#define PMEMSET_PMEM2_GUARD_H

#include <errno.h>

#include "fault.h"

#define PMEM2_GUARDED(call)                                                    \
	(pmemset_fault_hit(PMEMSET_FAULT_PMEM2) ? -ENOMEM : (call))

#endif /* PMEMSET_PMEM2_GUARD_H */
