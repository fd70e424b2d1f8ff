/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fault.c -- the fault-injection points declared in fault.h. Counters are
 * atomic because tests may exercise the library from several threads; an
 * armed point fires exactly once.
 *
 * Which libpmem2 calls pass through the PMEM2 point: every call that can
 * fail and whose failure the library reports to its caller. Calls that
 * release resources while undoing an earlier failure, or while tearing a set
 * down (pmem2_map_delete in rollback and pmemset_delete,
 * pmem2_vm_reservation_shrink/delete of internal arenas, pmem2_config_delete,
 * pmem2_source_delete) do not, because a failure there could not be undone
 * and would only leak. Queries made while releasing space
 * (pmem2_vm_reservation_map_find_last) and getters that cannot fail
 * (pmem2_map_get_address, pmem2_get_*_fn, ...) are not injection points
 * either.
 */
#include <stdatomic.h>

#include "fault.h"

static atomic_ulong fault_calls[PMEMSET_FAULT_POINT_COUNT];
static atomic_ulong fault_armed_at[PMEMSET_FAULT_POINT_COUNT];

void pmemset_fault_inject(enum pmemset_fault_point point, unsigned long nth)
{
	if (point >= PMEMSET_FAULT_POINT_COUNT)
		return;
	/* armed_at is absolute: the call number that must fail */
	unsigned long now = atomic_load(&fault_calls[point]);
	atomic_store(&fault_armed_at[point], nth == 0 ? 0 : now + nth);
}

void pmemset_fault_reset(void)
{
	for (int p = 0; p < PMEMSET_FAULT_POINT_COUNT; p++) {
		atomic_store(&fault_armed_at[p], 0);
		atomic_store(&fault_calls[p], 0);
	}
}

unsigned long pmemset_fault_calls(enum pmemset_fault_point point)
{
	if (point >= PMEMSET_FAULT_POINT_COUNT)
		return 0;
	return atomic_load(&fault_calls[point]);
}

bool pmemset_fault_hit(enum pmemset_fault_point point)
{
	unsigned long call = atomic_fetch_add(&fault_calls[point], 1) + 1;
	unsigned long armed = atomic_load(&fault_armed_at[point]);
	if (armed == 0 || armed != call)
		return false;
	/* fire once: only the thread that disarms the point reports it */
	return atomic_compare_exchange_strong(&fault_armed_at[point], &armed,
					      0UL);
}
