/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * read_only.c -- sources for a read-only mount. libpmemset opens files by
 * path read-write, which fails with EROFS on a read-only file system and
 * with EPERM on an immutable file; here the daemon opens the file O_RDONLY
 * itself and hands libpmemset a libpmem2 source on that descriptor, which
 * libpmemset maps with read protection.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "set/read_only.h"

int read_only_check_spec(const struct set_spec *spec, char *err, size_t errlen)
{
	for (size_t i = 0; i < spec->nparts; i++) {
		const struct part_spec *p = &spec->parts[i];
		if (!p->create && !p->truncate)
			continue;
		snprintf(err, errlen,
			 "%u: part %s: '%s' is not allowed on a read-only "
			 "mount (-o ro never creates or grows a source)",
			 p->line, p->name, p->create ? "create" : "truncate");
		return -EROFS;
	}
	return 0;
}

int read_only_source_open(const struct part_spec *p,
			  struct read_only_source *ro, char *err, size_t errlen)
{
	ro->pmem2 = NULL;
	ro->source = NULL;
	ro->fd = open(p->path, O_RDONLY | O_CLOEXEC);
	if (ro->fd < 0) {
		int code = -errno;
		snprintf(err, errlen, "part %s: cannot open %s read-only: %s",
			 p->name, p->path, strerror(errno));
		return code;
	}
	int ret = pmem2_source_from_fd(&ro->pmem2, ro->fd);
	if (ret == 0)
		ret = pmemset_source_from_pmem2(&ro->source, ro->pmem2);
	if (ret) {
		snprintf(err, errlen, "part %s: cannot use %s: %s", p->name,
			 p->path,
			 ro->pmem2 ? pmemset_errormsg() : pmem2_errormsg());
		read_only_source_close(ro);
		return -EINVAL;
	}
	return 0;
}

void read_only_source_close(struct read_only_source *ro)
{
	pmemset_source_delete(&ro->source);
	pmem2_source_delete(&ro->pmem2);
	if (ro->fd >= 0)
		close(ro->fd);
	ro->fd = -1;
}
