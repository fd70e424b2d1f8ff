/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source.h -- where a part's data comes from: always an open libpmem2
 * source, plus what is needed to re-validate and grow it.
 */
#ifndef PMEMSET_SOURCE_H
#define PMEMSET_SOURCE_H

#include <stdbool.h>

#include <libpmemset.h>

enum source_type {
	SOURCE_PMEM2,	  /* caller's pmem2 source; we own nothing */
	SOURCE_FILE,	  /* opened from a path; we own fd and pmem2 source */
	SOURCE_TEMPORARY, /* unnamed file in a directory; we own both */
};

struct pmemset_source {
	enum source_type type;
	struct pmem2_source *pmem2;
	int fd;
	char *path; /* the file (SOURCE_FILE) or the directory (TEMPORARY) */
	bool grow;  /* TRUNCATE_IF_NEEDED or temporary: grow on map */
	bool read_only; /* an O_RDONLY descriptor: map without PROT_WRITE */
};

/* checks that the source still exists (pmemset_part_new step 1) */
int source_validate(const struct pmemset_source *src);

/* grows the file to at least end bytes if the source allows growth */
int source_grow(struct pmemset_source *src, size_t offset, size_t length);

#endif /* PMEMSET_SOURCE_H */
