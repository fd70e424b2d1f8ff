/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source_prepare.h -- checks and preparation of a part's source before it
 * is mapped (see source_prepare.c), and the sources of a read-only mount
 * (-o ro), opened O_RDONLY and mapped without PROT_WRITE so files on
 * read-only file systems and immutable files can be mounted and nothing
 * is ever created or grown. err gets "part NAME: reason".
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

/* What a read-only source holds open while its part is mapped. */
struct read_only_source {
	int fd;
	struct pmem2_source *pmem2;
	struct pmemset_source *source;
};

/* Refuses `create` and `truncate` in a set meant for a read-only mount. */
int read_only_check_spec(const struct set_spec *spec, char *err, size_t errlen);

/*
 * Opens the part's file read-only as a libpmemset source (which libpmemset
 * then maps read-only). 0, or -errno with "part NAME: reason" in err.
 */
int read_only_source_open(const struct part_spec *p,
			  struct read_only_source *ro, char *err,
			  size_t errlen);
void read_only_source_close(struct read_only_source *ro);

#endif /* PMEMSETFS_SOURCE_PREPARE_H */
