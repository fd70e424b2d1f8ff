/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part.h -- a part: a request to map `length` bytes of a source, starting at
 * `offset`, into a set.
 */
#ifndef PMEMSET_PART_H
#define PMEMSET_PART_H

#include <stddef.h>

#include <libpmemset.h>

struct pmemset_part {
	struct pmemset *set;
	struct pmemset_source *source;
	size_t offset;
	size_t length; /* 0: the whole source */
};

#endif /* PMEMSET_PART_H */
