/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * syscall_counter.h -- counts of the mmap and msync calls made in this
 * process, kept by the preloaded syscall_counter library. A suite that
 * needs them is registered with LD_PRELOAD set to that library;
 * syscall_counts_take fails when it is not loaded.
 */
#ifndef PMEMSET_UNIT_SYSCALL_COUNTER_H
#define PMEMSET_UNIT_SYSCALL_COUNTER_H

#include <dlfcn.h>
#include <stdbool.h>

struct syscall_counts {
	unsigned long msync_calls;
	unsigned long fixed_mmaps;	  /* MAP_FIXED or MAP_FIXED_NOREPLACE */
	unsigned long failed_fixed_mmaps; /* of those, the ones that failed */
};

void syscall_counter_read(struct syscall_counts *counts);

/* fills *counts; false when the counter library is not preloaded */
static inline bool syscall_counts_take(struct syscall_counts *counts)
{
	void (*read_counts)(struct syscall_counts *) =
		(void (*)(struct syscall_counts *))dlsym(
			RTLD_DEFAULT, "syscall_counter_read");
	if (read_counts == NULL)
		return false;
	read_counts(counts);
	return true;
}

#endif /* PMEMSET_UNIT_SYSCALL_COUNTER_H */
