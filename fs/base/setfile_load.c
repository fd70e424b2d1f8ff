/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setfile_load.c -- reading a set file from disk for the parser
 * (setfile.c), which itself only ever sees text in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/setfile.h"

#define SETFILE_MAX_BYTES (1 << 20)

/*
 * Reads the whole set file into a NUL-terminated buffer. Only a regular
 * file up to SETFILE_MAX_BYTES: a FIFO would block the start-up and
 * /dev/zero would never end. O_NONBLOCK keeps the open of a FIFO from
 * waiting for a writer before we can look at what it is.
 */
static int read_setfile_text(const char *path, char **out, size_t *outlen,
			     char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return reason_fail(err, errlen, -errno, " cannot open: %s",
				   strerror(errno));
	struct stat st;
	int ret = 0;
	char *text = NULL;
	if (fstat(fd, &st) != 0) {
		ret = reason_fail(err, errlen, -errno, " cannot stat: %s",
				  strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = reason_fail(err, errlen, -EINVAL, " not a regular file");
		goto out_close;
	}
	if (st.st_size > SETFILE_MAX_BYTES) {
		ret = reason_fail(err, errlen, -EFBIG,
				  " too large (%lld bytes, max %d)",
				  (long long)st.st_size, SETFILE_MAX_BYTES);
		goto out_close;
	}
	size_t len = 0, cap = (size_t)st.st_size + 1;
	text = malloc(cap + 1);
	if (text == NULL) {
		ret = reason_fail(err, errlen, -ENOMEM, " out of memory");
		goto out_close;
	}
	ssize_t n;
	/* read one byte more than stat said, to notice a file that grew */
	while (len < cap && (n = read(fd, text + len, cap - len)) > 0)
		len += (size_t)n;
	if (len == cap) {
		ret = reason_fail(err, errlen, -EFBIG,
				  " changed while being read");
		goto out_close;
	}
	text[len] = '\0';
	*out = text;
	*outlen = len;
	text = NULL;
out_close:
	free(text);
	close(fd);
	return ret;
}

int setfile_load(const char *path, struct set_spec *spec, char *err,
		 size_t errlen)
{
	char resolved[PATH_MAX];
	if (realpath(path, resolved) == NULL)
		return reason_fail(err, errlen, -errno, " cannot open: %s",
				   strerror(errno));
	char *text = NULL;
	size_t textlen = 0;
	int ret = read_setfile_text(resolved, &text, &textlen, err, errlen);
	if (ret)
		return ret;
	const char *nul = memchr(text, '\0', textlen);
	if (nul != NULL) {
		unsigned line = 1;
		for (const char *c = text; c < nul; c++)
			line += *c == '\n';
		free(text);
		return reason_fail(
			err, errlen, -EINVAL,
			"%u: NUL byte in the set file (not a text file?)",
			line);
	}
	ret = setfile_parse_text(text, dirname(strdupa(resolved)), spec, err,
				 errlen);
	free(text);
	struct stat st;
	if (ret == 0 && stat(resolved, &st) == 0) {
		spec->file_dev = st.st_dev;
		spec->file_ino = st.st_ino;
	}
	return ret ? -EINVAL : 0;
}
