/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * alloc.h -- heap allocation for the library. Every internal allocation goes
 * through these so that a test can make any one of them fail (fault.h).
 */
#ifndef PMEMSET_ALLOC_H
#define PMEMSET_ALLOC_H

#include <stddef.h>

void *pmemset_malloc(size_t size);
void *pmemset_zalloc(size_t size);
/* zeroed memory aligned to `alignment` (a power of two); pmemset_free it */
void *pmemset_zalloc_aligned(size_t alignment, size_t size);
void *pmemset_realloc(void *ptr, size_t size);
char *pmemset_strdup(const char *s);
void pmemset_free(void *ptr);

#endif /* PMEMSET_ALLOC_H */
