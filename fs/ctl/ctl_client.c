/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_client.c -- the ctl client (see ctl_client.h). It opens ctl O_RDWR,
 * makes ONE write, and when that fails reads the reason back from the same
 * descriptor: the daemon keeps it per open file, so concurrent clients
 * each get their own (last_error in status is shared and may already be
 * someone else's).
 *
 * Exit status, one per kind of failure:
 *   0 done                 5 EEXIST: the name is taken
 *   1 another error        6 ENOSPC, EFBIG: no room
 *   2 usage                7 EBUSY: the part is open
 *   3 EINVAL (and EISDIR,  8 EACCES, EPERM, EROFS: not allowed
 *     ENOTDIR, ENOTSUP,    9 not a pmemsetfs mount (or its daemon is gone)
 *     ENAMETOOLONG, ELOOP): the command or an argument is wrong
 *   4 ENOENT: no such source, part or map
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "ctl/ctl_client.h"

#define FUSE_SUPER_MAGIC 0x65735546
#define CTL_PATH "/.pmemset/ctl"
#define SCRIPT_MAX (1024 * 1024) /* the daemon takes 64 KiB; it says so */
#define REASON_MAX 4096

enum exit_status {
	EXIT_DONE = 0,
	EXIT_OTHER = 1,
	EXIT_USAGE = 2,
	EXIT_INVALID = 3,
	EXIT_NOT_FOUND = 4,
	EXIT_EXISTS = 5,
	EXIT_NO_SPACE = 6,
	EXIT_BUSY = 7,
	EXIT_DENIED = 8,
	EXIT_NOT_MOUNTED = 9,
};

static int exit_status_of(int error)
{
	switch (error) {
	case EINVAL:
	case EISDIR:
	case ENOTDIR:
	case ENOTSUP:
	case ENAMETOOLONG:
	case ELOOP:
		return EXIT_INVALID;
	case ENOENT:
		return EXIT_NOT_FOUND;
	case EEXIST:
		return EXIT_EXISTS;
	case ENOSPC:
	case EFBIG:
		return EXIT_NO_SPACE;
	case EBUSY:
		return EXIT_BUSY;
	case EACCES:
	case EPERM:
	case EROFS: /* a read-only mount */
		return EXIT_DENIED;
	case ENOTCONN:
		return EXIT_NOT_MOUNTED;
	default:
		return EXIT_OTHER;
	}
}

static int usage(FILE *out, int status)
{
	fprintf(out,
		"usage: pmemsetfs ctl MOUNTPOINT COMMAND [ARG...]\n"
		"       pmemsetfs ctl MOUNTPOINT -    (a script on stdin: one "
		"command a line)\n\n"
		"Sends the command to MOUNTPOINT/.pmemset/ctl. Prints nothing "
		"on success;\n"
		"on failure prints the daemon's reason and exits with:\n"
		"  1 another error  2 usage    3 EINVAL  4 ENOENT  5 EEXIST\n"
		"  6 ENOSPC         7 EBUSY    8 EACCES, EPERM, EROFS\n"
		"  9 not a pmemsetfs mount\n"
		"A script runs in order and stops at its first failing "
		"line.\n");
	return status;
}

/* The words of the command, joined by spaces, and a newline. */
static char *join_words(int argc, char **argv, size_t *len)
{
	size_t total = 1;
	for (int i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	char *text = malloc(total);
	if (text == NULL)
		return NULL;
	size_t n = 0;
	for (int i = 0; i < argc; i++) {
		size_t w = strlen(argv[i]);
		memcpy(text + n, argv[i], w);
		n += w;
		text[n++] = i + 1 < argc ? ' ' : '\n';
	}
	*len = n;
	return text;
}

/* All of stdin: the script goes to the daemon in one write. */
static char *read_script(size_t *len)
{
	char *text = malloc(SCRIPT_MAX + 1);
	if (text == NULL)
		return NULL;
	size_t n = 0;
	ssize_t got;
	while (n <= SCRIPT_MAX &&
	       (got = read(STDIN_FILENO, text + n, SCRIPT_MAX + 1 - n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(text);
			return NULL;
		}
		n += (size_t)got;
	}
	*len = n;
	return text;
}

static int open_ctl(const char *mountpoint, char *path, size_t pathlen, int *fd)
{
	if (snprintf(path, pathlen, "%s%s", mountpoint, CTL_PATH) >=
	    (int)pathlen) {
		fprintf(stderr, "pmemsetfs ctl: %s: path too long\n",
			mountpoint);
		return EXIT_USAGE;
	}
	*fd = open(path, O_RDWR | O_CLOEXEC);
	if (*fd < 0 && (errno == EACCES || errno == EPERM))
		*fd = open(path, O_WRONLY | O_CLOEXEC); /* a read-less ctl */
	if (*fd < 0) {
		int error = errno;
		if (error == EACCES || error == EPERM) {
			fprintf(stderr, "pmemsetfs ctl: %s: %s\n", path,
				strerror(error));
			return EXIT_DENIED;
		}
		fprintf(stderr,
			"pmemsetfs ctl: %s is not a pmemsetfs mount (%s: %s)\n",
			mountpoint, path, strerror(error));
		return EXIT_NOT_MOUNTED;
	}
	struct statfs fs;
	if (fstatfs(*fd, &fs) != 0 || fs.f_type != FUSE_SUPER_MAGIC) {
		fprintf(stderr,
			"pmemsetfs ctl: %s is not a pmemsetfs mount (%s is "
			"not on a FUSE file system)\n",
			mountpoint, path);
		close(*fd);
		return EXIT_NOT_MOUNTED;
	}
	return EXIT_DONE;
}

/* Prints why the write failed: the daemon's reason, else strerror. */
static void print_reason(int fd, const char *path, int error)
{
	char reason[REASON_MAX];
	ssize_t n = pread(fd, reason, sizeof(reason) - 1, 0);
	if (n > 0) {
		reason[n] = '\0';
		fprintf(stderr, "pmemsetfs: %s%s", reason,
			reason[n - 1] == '\n' ? "" : "\n");
	} else if (error == ENOTCONN) {
		fprintf(stderr, "pmemsetfs ctl: %s: %s (the daemon is gone)\n",
			path, strerror(error));
	} else {
		fprintf(stderr,
			"pmemsetfs ctl: %s: %s (see last_error in "
			".pmemset/status)\n",
			path, strerror(error));
	}
}

int ctl_client_main(int argc, char **argv)
{
	if (argc >= 1 &&
	    (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0))
		return usage(stdout, EXIT_DONE);
	if (argc < 2 || argv[1][0] == '\0')
		return usage(stderr, EXIT_USAGE);

	size_t len = 0;
	bool script = argc == 2 && strcmp(argv[1], "-") == 0;
	char *text = script ? read_script(&len)
			    : join_words(argc - 1, argv + 1, &len);
	if (text == NULL) {
		fprintf(stderr, "pmemsetfs ctl: %s: %s\n",
			script ? "reading the script" : "the command",
			strerror(errno));
		return EXIT_OTHER;
	}
	if (len == 0)
		text[len++] = '\n'; /* the daemon answers "empty command" */
	char path[PATH_MAX];
	int fd = -1;
	int status = open_ctl(argv[0], path, sizeof(path), &fd);
	if (status != EXIT_DONE)
		goto out_free;
	ssize_t written;
	do
		written = write(fd, text, len);
	while (written < 0 && errno == EINTR);
	if (written < 0) {
		int error = errno;
		print_reason(fd, path, error);
		status = exit_status_of(error);
	} else if ((size_t)written != len) {
		fprintf(stderr, "pmemsetfs ctl: %s: short write (%zd of %zu)\n",
			path, written, len);
		status = EXIT_OTHER;
	}
	close(fd);
out_free:
	free(text);
	return status;
}
