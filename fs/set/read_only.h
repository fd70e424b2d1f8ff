/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * read_only.h -- a read-only mount (-o ro): sources opened O_RDONLY and
 * mapped without PROT_WRITE, so files on read-only file systems and
 * immutable files can be mounted, and nothing is ever created or grown.
 */
#ifndef PMEMSETFS_READ_ONLY_H
#define PMEMSETFS_READ_ONLY_H

#include <stddef.h>

#include "base/setfile.h"

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

#endif /* PMEMSETFS_READ_ONLY_H */
