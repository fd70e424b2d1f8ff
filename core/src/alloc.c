/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * alloc.c -- heap allocation wrappers with a fault-injection point, so every
 * out-of-memory path of the library can be reached by a test.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fault.h"

void *pmemset_malloc(size_t size)
{
	if (pmemset_fault_hit(PMEMSET_FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return malloc(size);
}

void *pmemset_zalloc(size_t size)
{
	if (pmemset_fault_hit(PMEMSET_FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return calloc(1, size);
}

void *pmemset_zalloc_aligned(size_t alignment, size_t size)
{
	if (pmemset_fault_hit(PMEMSET_FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	void *ptr;
	int ret = posix_memalign(&ptr, alignment, size);
	if (ret) {
		errno = ret;
		return NULL;
	}
	memset(ptr, 0, size);
	return ptr;
}

void *pmemset_realloc(void *ptr, size_t size)
{
	if (pmemset_fault_hit(PMEMSET_FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, size);
}

char *pmemset_strdup(const char *s)
{
	if (pmemset_fault_hit(PMEMSET_FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return strdup(s);
}

void pmemset_free(void *ptr)
{
	free(ptr);
}
