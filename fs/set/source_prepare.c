/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source_prepare.c -- what the daemon does to a part's source file before
 * mapping it: refuse the set file itself, lock the file for this set, and
 * allocate the blocks of a part that create/truncate made sparse.
 *
 * Read-only mounts: sources for a read-only mount. libpmemset opens files by
 * path read-write, which fails with EROFS on a read-only file system and
 * with EPERM on an immutable file; here the daemon opens the file O_RDONLY
 * itself and hands libpmemset a libpmem2 source on that descriptor, which
 * libpmemset maps with read protection.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <libpmem2.h>

#include "base/log.h"
#include "set/source_lock.h"
#include "set/source_prepare.h"

/*
 * A part over the set file itself would overwrite it (with `truncate`,
 * with NUL bytes), and the next mount would fail: refused, also when the
 * set file is reached through another name (a link).
 */
static int refuse_set_file(struct namespace *ns, const struct part_spec *p,
			   char *err, size_t errlen)
{
	struct stat st;
	if (ns->setfile_ino != 0 && stat(p->path, &st) == 0 &&
	    st.st_dev == ns->setfile_dev && st.st_ino == ns->setfile_ino)
		return reason_fail(err, errlen, -EINVAL,
				   "part %s: %s is the set file itself",
				   p->name, p->path);
	return 0;
}

/* Locks a file part's source for this set (source_lock.c). */
int source_prepare_lock(struct namespace *ns, const struct part_spec *p,
			struct source_lock **lock, char *err, size_t errlen)
{
	char reason[SETFILE_ERR_MAX];
	*lock = NULL;
	if (p->path == NULL)
		return 0; /* a temporary file: nobody else can open it */
	int ret = refuse_set_file(ns, p, err, errlen);
	if (ret)
		return ret;
	ret = source_lock_take(ns->source_locks, p->path, lock, reason,
			       sizeof(reason));
	if (ret)
		return reason_fail(err, errlen, ret, "part %s: %s", p->name,
				   reason);
	return 0;
}

/*
 * A part made by `create` or grown by `truncate` is sparse: on a full file
 * system the first store into a hole would fail (a SIGBUS the data path
 * can only turn into ENOSPC for that write). Its blocks are allocated now
 * instead, so a full file system is an error at mount (or at the ctl
 * `part`), as PMDK's tools allocate pool files. KEEP_SIZE: the size stays
 * the library's business (truncate or not), and undo shrinks it back.
 */
int source_prepare_allocate(const struct part_spec *p, size_t length, char *err,
			    size_t errlen)
{
	if (p->path == NULL || !(p->create || p->truncate) || length == 0)
		return 0;
	int fd = open(p->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return reason_fail(err, errlen, -errno,
				   "part %s: cannot open %s: %s", p->name,
				   p->path, strerror(errno));
	int ret = 0;
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)p->offset,
		      (off_t)length) != 0 &&
	    errno != EOPNOTSUPP) {
		int code = errno;
		struct statvfs sv;
		unsigned long long avail =
			fstatvfs(fd, &sv) == 0
				? (unsigned long long)sv.f_bavail * sv.f_frsize
				: 0;
		ret = reason_fail(
			err, errlen, -code,
			"part %s: cannot allocate %zu bytes of %s: %s "
			"(%llu bytes free there; parts made by create or "
			"truncate are allocated when they are mapped)",
			p->name, length, p->path, strerror(code), avail);
	}
	close(fd);
	return ret;
}

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
