/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source.c -- pmemset_source: a libpmem2 source, a file opened by path
 * (optionally created or truncated), or an unnamed temporary file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "errormsg.h"
#include "fault.h"
#include "source.h"

#define SOURCE_FILE_MODE 0644
#define SOURCE_TEMPORARY_MODE 0600

static int source_alloc(struct pmemset_source **src, enum source_type type,
			const char *path)
{
	struct pmemset_source *source = pmemset_zalloc(sizeof(*source));
	if (source == NULL)
		return set_error_errno(-ENOMEM, "cannot allocate source");
	source->type = type;
	source->fd = -1;
	if (path != NULL) {
		source->path = pmemset_strdup(path);
		if (source->path == NULL) {
			pmemset_free(source);
			return set_error_errno(-ENOMEM, "cannot copy path");
		}
	}
	*src = source;
	return 0;
}

static void source_free(struct pmemset_source *source)
{
	pmemset_free(source->path);
	pmemset_free(source);
}

/* a missing path is the caller's mistake; other stat failures are -errno */
static int path_check_exists(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return 0;
	if (errno == ENOENT)
		return set_error_errno(PMEMSET_E_INVALID_SOURCE_PATH, "stat %s",
				       path);
	return set_error_errno(-errno, "stat %s", path);
}

/*
 * Last step of the path-based constructors: wraps the open descriptor in a
 * libpmem2 source and hands the source out; on failure closes and frees it.
 */
static int source_finish(struct pmemset_source **src,
			 struct pmemset_source *source, bool grow,
			 const char *path)
{
	int ret =
		PMEM2_GUARDED(pmem2_source_from_fd(&source->pmem2, source->fd));
	if (ret) {
		set_error_pmem2(ret, ret, "cannot create a pmem2 source for %s",
				path);
		close(source->fd);
		source_free(source);
		return ret;
	}
	source->grow = grow;
	*src = source;
	return 0;
}

int pmemset_source_from_pmem2(struct pmemset_source **src,
			      struct pmem2_source *pmem2_src)
{
	*src = NULL;
	if (pmem2_src == NULL)
		return set_error(PMEMSET_E_INVALID_PMEM2_SOURCE,
				 "pmem2 source cannot be NULL");

	struct pmemset_source *source = NULL;
	int ret = source_alloc(&source, SOURCE_PMEM2, NULL);
	if (ret)
		return ret;

	ret = PMEM2_GUARDED(pmem2_source_get_fd(pmem2_src, &source->fd));
	if (ret) {
		source_free(source);
		return set_error_pmem2(ret, ret,
				       "pmem2 source has no file "
				       "descriptor");
	}
	/*
	 * A descriptor opened read-only (a file on a read-only mount, an
	 * immutable file) can only be mapped without PROT_WRITE; libpmem2
	 * maps read-write unless told, so part_map asks for read protection.
	 */
	int access = fcntl(source->fd, F_GETFL);
	source->read_only = access >= 0 && (access & O_ACCMODE) == O_RDONLY;
	source->pmem2 = pmem2_src;
	*src = source;
	return 0;
}

/* opens path with the disposition flags; the caller closes the result */
static int source_open_path(const char *file, unsigned flags, int *fd)
{
	if (flags == 0) {
		int ret = path_check_exists(file);
		if (ret)
			return ret;
	}
	int oflags = O_RDWR;
	if (flags & PMEMSET_SOURCE_FILE_CREATE_ALWAYS)
		oflags |= O_CREAT | O_TRUNC;
	else if (flags & PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED)
		oflags |= O_CREAT;

	*fd = open(file, oflags, SOURCE_FILE_MODE);
	if (*fd < 0)
		return set_error_errno(-errno, "open %s", file);
	return 0;
}

int pmemset_xsource_from_file(struct pmemset_source **src, const char *file,
			      unsigned flags)
{
	*src = NULL;
	if (file == NULL)
		return set_error(PMEMSET_E_INVALID_SOURCE_PATH,
				 "file path cannot be empty");
	if (flags & ~PMEMSET_SOURCE_FILE_CREATE_VALID_FLAGS)
		return set_error(PMEMSET_E_INVALID_SOURCE_FILE_CREATE_FLAGS,
				 "invalid source file flags 0x%x", flags);

	struct pmemset_source *source = NULL;
	int ret = source_alloc(&source, SOURCE_FILE, file);
	if (ret)
		return ret;

	ret = source_open_path(file, flags, &source->fd);
	if (ret) {
		source_free(source);
		return ret;
	}
	bool grow = (flags & PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED) != 0;
	return source_finish(src, source, grow, file);
}

int pmemset_source_from_file(struct pmemset_source **src, const char *file)
{
	return pmemset_xsource_from_file(src, file, 0);
}

/* an unnamed file: O_TMPFILE, or a unique name unlinked at once */
static int temporary_file_create(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR, SOURCE_TEMPORARY_MODE);
	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;

	char name[PATH_MAX];
	if (snprintf(name, sizeof(name), "%s/pmemset.XXXXXX", dir) >=
	    (int)sizeof(name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	mode_t old_mask = umask(077);
	fd = mkstemp(name);
	umask(old_mask);
	if (fd >= 0)
		unlink(name);
	return fd;
}

int pmemset_source_from_temporary(struct pmemset_source **src, const char *dir)
{
	*src = NULL;
	if (dir == NULL)
		return set_error(PMEMSET_E_INVALID_SOURCE_PATH,
				 "directory path cannot be empty");

	struct pmemset_source *source = NULL;
	int ret = source_alloc(&source, SOURCE_TEMPORARY, dir);
	if (ret)
		return ret;

	ret = path_check_exists(dir);
	if (ret == 0) {
		source->fd = temporary_file_create(dir);
		if (source->fd < 0)
			ret = set_error_errno(
				PMEMSET_E_CANNOT_CREATE_TEMP_FILE,
				"cannot create a temporary file in %s", dir);
	}
	if (ret) {
		source_free(source);
		return ret;
	}
	/* a temporary file always grows to fit its parts */
	return source_finish(src, source, true, dir);
}

int pmemset_source_delete(struct pmemset_source **src)
{
	struct pmemset_source *source = *src;
	if (source == NULL)
		return 0;
	if (source->type != SOURCE_PMEM2) {
		pmem2_source_delete(&source->pmem2);
		close(source->fd);
	}
	source_free(source);
	*src = NULL;
	return 0;
}

int source_validate(const struct pmemset_source *src)
{
	switch (src->type) {
	case SOURCE_FILE:
	case SOURCE_TEMPORARY:
		return path_check_exists(src->path);
	case SOURCE_PMEM2:
	default:
		if (src->pmem2 == NULL)
			return set_error(PMEMSET_E_INVALID_PMEM2_SOURCE,
					 "source has no pmem2 source");
		return 0;
	}
}

int source_grow(struct pmemset_source *src, size_t offset, size_t length)
{
	if (!src->grow)
		return 0;

	struct stat st;
	if (fstat(src->fd, &st))
		return set_error_errno(PMEMSET_E_CANNOT_TRUNCATE_SOURCE_FILE,
				       "fstat");
	/* the end must be representable as a non-negative off_t */
	if (offset > (size_t)INT64_MAX || length > (size_t)INT64_MAX - offset)
		return set_error(PMEMSET_E_CANNOT_TRUNCATE_SOURCE_FILE,
				 "cannot grow the file to offset %zu + length "
				 "%zu: too large",
				 offset, length);
	off_t end = (off_t)(offset + length);
	if (end <= st.st_size)
		return 0;
	if (ftruncate(src->fd, end))
		return set_error_errno(PMEMSET_E_CANNOT_TRUNCATE_SOURCE_FILE,
				       "ftruncate to %lld bytes",
				       (long long)end);
	return 0;
}
