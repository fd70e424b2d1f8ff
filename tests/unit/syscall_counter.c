/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * syscall_counter.c -- an LD_PRELOAD library for the unit tests: it stands
 * in for libc's mmap and msync (libpmem2 calls them through the dynamic
 * linker, so a preloaded definition sees every call libpmem2 and libpmemset
 * make), counts them, and makes the real system call. The suites read the
 * counts through syscall_counter.h; the library is built without
 * sanitizers, as a preloaded object must not depend on their runtime.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscall_counter.h"

static atomic_ulong msync_calls;
static atomic_ulong fixed_mmaps;
static atomic_ulong failed_fixed_mmaps;

/* the system call itself: no lookup of the next definition, no recursion */
void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	long ret = syscall(SYS_mmap, addr, length, prot, flags, fd, offset);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		atomic_fetch_add(&fixed_mmaps, 1);
		if (ret == -1)
			atomic_fetch_add(&failed_fixed_mmaps, 1);
	}
	return ret == -1 ? MAP_FAILED : (void *)ret;
}

void *mmap64(void *addr, size_t length, int prot, int flags, int fd,
	     off_t offset) __attribute__((alias("mmap")));

int msync(void *addr, size_t length, int flags)
{
	atomic_fetch_add(&msync_calls, 1);
	return (int)syscall(SYS_msync, addr, length, flags);
}

void syscall_counter_read(struct syscall_counts *counts)
{
	counts->msync_calls = atomic_load(&msync_calls);
	counts->fixed_mmaps = atomic_load(&fixed_mmaps);
	counts->failed_fixed_mmaps = atomic_load(&failed_fixed_mmaps);
}
