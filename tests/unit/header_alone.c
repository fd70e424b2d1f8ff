/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * header_alone.c -- proves libpmemset.h compiles as the first and only
 * include of a translation unit and that its interface data is as the
 * specification fixes it (checked at compile time).
 */
#include <libpmemset.h>

_Static_assert(LIBPMEMSET_H == 1, "header guard value");
_Static_assert(sizeof(((struct pmemset_event_context *)0)->data) ==
		       PMEMSET_EVENT_CONTEXT_SIZE,
	       "event context union is exactly 64 bytes");
_Static_assert(PMEMSET_COALESCING_FULL == 2, "coalescing enumerators");
_Static_assert(PMEMSET_EVENT_PART_REMOVE == 9, "event enumerators");
_Static_assert(PMEMSET_PART_STATE_CORRUPTED == 3, "part state enumerators");
_Static_assert(PMEMSET_F_MEM_NOFLUSH == PMEM2_F_MEM_NOFLUSH &&
		       PMEMSET_F_MEM_NODRAIN == PMEM2_F_MEM_NODRAIN &&
		       PMEMSET_F_MEM_NONTEMPORAL == PMEM2_F_MEM_NONTEMPORAL &&
		       PMEMSET_F_MEM_TEMPORAL == PMEM2_F_MEM_TEMPORAL &&
		       PMEMSET_F_MEM_WC == PMEM2_F_MEM_WC &&
		       PMEMSET_F_MEM_WB == PMEM2_F_MEM_WB,
	       "memory flags are bit-identical to libpmem2's");

/* the callback type is a function type: this declares a function */
pmemset_event_callback header_alone_callback;

int header_alone_callback(struct pmemset *set,
			  struct pmemset_event_context *ctx, void *arg)
{
	(void)set;
	(void)ctx;
	(void)arg;
	return 0;
}
