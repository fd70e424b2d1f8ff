/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * secprobe.c -- one access attempt on a path, for the security test, which
 * runs it as different users: prints "ok" (with a count where one applies)
 * or the errno name (e.g. "EACCES"), so the test can assert on exactly
 * what the kernel and the daemon allowed.
 *
 *   secprobe stat PATH            stat(2)
 *   secprobe list DIR             opendir + readdir: "ok ENTRIES"
 *   secprobe read FILE            open O_RDONLY + read 4 KiB: "ok BYTES"
 *   secprobe write FILE STRING    open O_WRONLY + one write: "ok BYTES"
 *   secprobe getxattr FILE NAME   "ok VALUE_LENGTH"
 *   secprobe unlink PATH
 *   secprobe chmod PATH OCTAL
 *
 * Exit status: 0 the access succeeded, 1 it failed, 2 usage error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

static int failed(void)
{
	const char *name = strerrorname_np(errno);
	printf("%s\n", name ? name : "EUNKNOWN");
	return 1;
}

static int succeeded(long long count, int with_count)
{
	if (with_count)
		printf("ok %lld\n", count);
	else
		printf("ok\n");
	return 0;
}

static int probe_list(const char *path)
{
	DIR *d = opendir(path);
	if (d == NULL)
		return failed();
	long long n = 0;
	errno = 0;
	while (readdir(d) != NULL)
		n++;
	int err = errno;
	closedir(d);
	if (err) {
		errno = err;
		return failed();
	}
	return succeeded(n, 1);
}

static int probe_read(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return failed();
	ssize_t n = read(fd, buf, sizeof(buf));
	int err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return failed();
	}
	return succeeded(n, 1);
}

static int probe_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return failed();
	ssize_t n = write(fd, text, strlen(text));
	int err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return failed();
	}
	return succeeded(n, 1);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "stat") == 0) {
		struct stat st;
		return stat(argv[2], &st) ? failed() : succeeded(0, 0);
	}
	if (argc == 3 && strcmp(argv[1], "list") == 0)
		return probe_list(argv[2]);
	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return probe_read(argv[2]);
	if (argc == 4 && strcmp(argv[1], "write") == 0)
		return probe_write(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "getxattr") == 0) {
		char value[4096];
		ssize_t n = getxattr(argv[2], argv[3], value, sizeof(value));
		return n < 0 ? failed() : succeeded(n, 1);
	}
	if (argc == 3 && strcmp(argv[1], "unlink") == 0)
		return unlink(argv[2]) ? failed() : succeeded(0, 0);
	if (argc == 4 && strcmp(argv[1], "chmod") == 0) {
		mode_t mode = (mode_t)strtoul(argv[3], NULL, 8);
		return chmod(argv[2], mode) ? failed() : succeeded(0, 0);
	}
	fprintf(stderr, "usage: secprobe stat|list|read|write|getxattr|"
			"unlink|chmod PATH [ARG]\n");
	return 2;
}
