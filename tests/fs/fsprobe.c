/*
 * fsprobe: performs exactly one system call on a file and prints its result,
 * so that the shell tests can assert on return counts and errno names, which
 * cat, dd and truncate do not show precisely.
 *
 * Prints "ok N" (N = the call's return value) or the errno name (e.g.
 * "ENOSPC") on stdout. Exit status: 0 if the call succeeded, 1 if it failed,
 * 2 for a usage or set-up error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: fsprobe pwrite FILE OFFSET DATAFILE\n"
			"       fsprobe write FILE STRING      (one write at "
			"offset 0)\n"
			"       fsprobe pread FILE OFFSET LEN\n"
			"       fsprobe truncate|ftruncate FILE SIZE\n"
			"       fsprobe open-trunc FILE\n"
			"       fsprobe unlink FILE\n"
			"       fsprobe rename|link|symlink FROM TO\n"
			"       fsprobe mkdir|rmdir|mkfifo|mknod|create PATH\n"
			"       fsprobe tmpfile DIR\n");
	return 2;
}

/* Prints the outcome of one call and turns it into the exit status. */
static int report(long long ret)
{
	if (ret < 0) {
		const char *name = strerrorname_np(errno);
		printf("%s\n", name ? name : "EUNKNOWN");
		return 1;
	}
	printf("ok %lld\n", ret);
	return 0;
}

static int parse_size(const char *s, long long *out)
{
	char *end;
	errno = 0;
	*out = strtoll(s, &end, 0);
	if (errno || *end || *out < 0) {
		fprintf(stderr, "fsprobe: bad number '%s'\n", s);
		return -1;
	}
	return 0;
}

/* Reads the whole of a (small, regular) data file into memory. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(path);
		return NULL;
	}
	char *buf = malloc(st.st_size ? st.st_size : 1);
	ssize_t got = buf ? read(fd, buf, st.st_size) : -1;
	close(fd);
	if (got != st.st_size) {
		fprintf(stderr, "fsprobe: short read of %s\n", path);
		free(buf);
		return NULL;
	}
	*len = st.st_size;
	return buf;
}

static int do_pwrite(const char *file, const char *off_s, const char *data)
{
	long long off;
	size_t len;
	if (parse_size(off_s, &off))
		return 2;
	char *buf = slurp(data, &len);
	if (!buf)
		return 2;
	int fd = open(file, O_WRONLY);
	if (fd < 0) {
		free(buf);
		return report(-1);
	}
	int rc = report(pwrite(fd, buf, len, off));
	close(fd);
	free(buf);
	return rc;
}

static int do_write(const char *file, const char *str)
{
	int fd = open(file, O_WRONLY);
	if (fd < 0)
		return report(-1);
	int rc = report(write(fd, str, strlen(str)));
	close(fd);
	return rc;
}

static int do_pread(const char *file, const char *off_s, const char *len_s)
{
	long long off, len;
	if (parse_size(off_s, &off) || parse_size(len_s, &len))
		return 2;
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return 2;
	int fd = open(file, O_RDONLY);
	if (fd < 0) {
		free(buf);
		return report(-1);
	}
	int rc = report(pread(fd, buf, len, off));
	close(fd);
	free(buf);
	return rc;
}

static int do_truncate(const char *file, const char *size_s)
{
	long long size;
	if (parse_size(size_s, &size))
		return 2;
	return report(truncate(file, size));
}

static int do_ftruncate(const char *file, const char *size_s)
{
	long long size;
	if (parse_size(size_s, &size))
		return 2;
	int fd = open(file, O_WRONLY);
	if (fd < 0)
		return report(-1);
	int rc = report(ftruncate(fd, size));
	close(fd);
	return rc;
}

static int do_open_trunc(const char *file)
{
	int fd = open(file, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return report(-1);
	return report(close(fd));
}

/* The calls that make, rename, link or remove names: PATH [TO] */
static int do_name_call(const char *call, const char *path, const char *to)
{
	if (!strcmp(call, "mkdir"))
		return report(mkdir(path, 0755));
	if (!strcmp(call, "rmdir"))
		return report(rmdir(path));
	if (!strcmp(call, "mkfifo"))
		return report(mkfifo(path, 0644));
	if (!strcmp(call, "mknod"))
		return report(mknod(path, S_IFREG | 0644, 0));
	if (!strcmp(call, "create")) {
		int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		return fd < 0 ? report(-1) : report(close(fd));
	}
	if (!strcmp(call, "tmpfile")) {
		int fd = open(path, O_TMPFILE | O_WRONLY, 0600);
		return fd < 0 ? report(-1) : report(close(fd));
	}
	if (to == NULL)
		return usage();
	if (!strcmp(call, "rename"))
		return report(rename(path, to));
	if (!strcmp(call, "link"))
		return report(link(path, to));
	if (!strcmp(call, "symlink"))
		return report(symlink(path, to));
	return usage();
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "pwrite"))
		return do_pwrite(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return do_write(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "pread"))
		return do_pread(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "truncate"))
		return do_truncate(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "ftruncate"))
		return do_ftruncate(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "open-trunc"))
		return do_open_trunc(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "unlink"))
		return report(unlink(argv[2]));
	if (argc == 3 || argc == 4)
		return do_name_call(argv[1], argv[2],
				    argc == 4 ? argv[3] : NULL);
	return usage();
}
