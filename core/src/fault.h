/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fault.h -- fault injection points for tests. Every internal heap
 * allocation and every libpmem2 call of the library goes through a check
 * here, so a test can make the Nth one fail and verify the error code, that
 * nothing leaked and that the set is still usable. These symbols are not
 * exported from the shared library (see libpmemset.map); tests link the
 * static library.
 */
#ifndef PMEMSET_FAULT_H
#define PMEMSET_FAULT_H

#include <errno.h>
#include <stdbool.h>

enum pmemset_fault_point {
	PMEMSET_FAULT_ALLOC, /* malloc/calloc/strdup inside the library */
	PMEMSET_FAULT_PMEM2, /* any libpmem2 call made by the library */
	PMEMSET_FAULT_POINT_COUNT,
};

/*
 * Arms the point: the nth call through it from now on (1 = the very next)
 * fails; 0 disarms. Allocation failures look like ENOMEM; a failed libpmem2
 * call returns -ENOMEM (or NULL for allocating calls) as libpmem2 itself
 * does when it runs out of memory.
 */
void pmemset_fault_inject(enum pmemset_fault_point point, unsigned long nth);

/* Disarms every point and zeroes the call counters. */
void pmemset_fault_reset(void);

/* How many calls went through the point since the last reset. */
unsigned long pmemset_fault_calls(enum pmemset_fault_point point);

/* Called by the library at each point: true when this call must fail. */
bool pmemset_fault_hit(enum pmemset_fault_point point);

/*
 * Wraps a fallible libpmem2 call of the library in the PMEM2 point: when
 * the point fires the call is not made and -ENOMEM is returned, which is
 * what libpmem2 itself returns when it runs out of memory.
 */
#define PMEM2_GUARDED(call)                                                    \
	(pmemset_fault_hit(PMEMSET_FAULT_PMEM2) ? -ENOMEM : (call))

#endif /* PMEMSET_FAULT_H */
