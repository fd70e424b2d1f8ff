/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source_prepare.h -- checks and preparation of a part's source before it
 * is mapped (see source_prepare.c). err gets "part NAME: reason".
 */
#ifndef PMEMSETFS_SOURCE_PREPARE_H
#define PMEMSETFS_SOURCE_PREPARE_H

#include "tree/namespace.h"

/*
 * Refuses the set file itself, then locks a file part's source for this
 * set (*lock NULL for a temporary part). -EINVAL, -EBUSY (in use by
 * another process, named in err) or -errno.
 */
int source_prepare_lock(struct namespace *ns, const struct part_spec *p,
			struct source_lock **lock, char *err, size_t errlen);

/* Allocates [offset, offset+length) of a create/truncate part's file. */
int source_prepare_allocate(const struct part_spec *p, size_t length, char *err,
			    size_t errlen);

#endif /* PMEMSETFS_SOURCE_PREPARE_H */
