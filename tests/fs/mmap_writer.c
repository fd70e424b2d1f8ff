/*
 * mmap_writer: the program a user would write against a part file: map it
 * with MAP_SHARED, store a data file's bytes at an offset with plain memory
 * writes, msync(MS_SYNC) to make them durable, and read them back through a
 * second, fresh mapping. The shell test then checks the part file, and after
 * unmount the source file, byte by byte.
 *
 * usage: mmap_writer PARTFILE OFFSET DATAFILE [hold|dirty-pwrite|dirty-mmap]
 * With "hold" it then closes the file but keeps the read-back mapping,
 * prints "holding" and waits for end of input on stdin, so the test can
 * try to unmap the part meanwhile; then it checks the bytes once more.
 * With "pause" it stops between the stores and msync: prints "stored" and
 * waits for end of input, so the test can break the source meanwhile.
 * "dirty-pwrite" and "dirty-mmap" instead store the bytes with pwrite(2)
 * or through the mapping and neither msync nor close: they print "dirty"
 * and wait for end of input with the bytes possibly still dirty in the
 * kernel's page cache (writeback cache), then close and exit 0.
 * Exit status 0 on success; 1 with a message naming the failing step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* file scope: still reachable when a step fails and main returns early */
static char *data;

static int fail(const char *step, const char *what)
{
	fprintf(stderr, "mmap_writer: %s %s: %s\n", step, what,
		strerror(errno));
	return 1;
}

/* stores without any sync, reports, waits for EOF on stdin, closes */
static int leave_dirty(int fd, const char *part, bool via_mmap,
		       long long offset, const char *data, size_t len,
		       size_t size)
{
	char *map = NULL;
	if (via_mmap) {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   0);
		if (map == MAP_FAILED)
			return fail("mmap", part);
		memcpy(map + offset, data, len);
	} else if (pwrite(fd, data, len, offset) != (ssize_t)len) {
		return fail("pwrite", part);
	}
	printf("dirty\n");
	fflush(stdout);
	while (getchar() != EOF)
		;
	if (map != NULL && munmap(map, size) < 0)
		return fail("munmap", part);
	if (close(fd) < 0)
		return fail("close", part);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc == 5 ? argv[4] : "";
	bool hold = !strcmp(mode, "hold");
	bool pause = !strcmp(mode, "pause");
	bool dirty_pwrite = !strcmp(mode, "dirty-pwrite");
	bool dirty_mmap = !strcmp(mode, "dirty-mmap");
	if (argc != 4 && !hold && !pause && !dirty_pwrite && !dirty_mmap) {
		fprintf(stderr, "usage: mmap_writer PARTFILE OFFSET DATAFILE "
				"[hold|pause|dirty-pwrite|dirty-mmap]\n");
		return 2;
	}
	const char *part = argv[1];
	long long offset = strtoll(argv[2], NULL, 0);

	/* the data to store, read with plain read(2) */
	int dfd = open(argv[3], O_RDONLY);
	struct stat dst;
	if (dfd < 0 || fstat(dfd, &dst) < 0)
		return fail("open", argv[3]);
	data = malloc(dst.st_size ? dst.st_size : 1);
	if (!data || read(dfd, data, dst.st_size) != dst.st_size)
		return fail("read", argv[3]);
	close(dfd);

	int fd = open(part, O_RDWR);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return fail("open", part);
	if (offset < 0 || offset + dst.st_size > st.st_size) {
		fprintf(stderr,
			"mmap_writer: %lld+%lld is past the end (%lld)\n",
			offset, (long long)dst.st_size, (long long)st.st_size);
		return 1;
	}

	if (dirty_pwrite || dirty_mmap) {
		int ret = leave_dirty(fd, part, dirty_mmap, offset, data,
				      (size_t)dst.st_size, (size_t)st.st_size);
		free(data);
		return ret;
	}

	char *map = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
	if (map == MAP_FAILED)
		return fail("mmap", part);
	memcpy(map + offset, data, dst.st_size);
	if (pause) {
		printf("stored\n");
		fflush(stdout);
		while (getchar() != EOF)
			;
	}
	if (msync(map, st.st_size, MS_SYNC) < 0)
		return fail("msync", part);
	if (munmap(map, st.st_size) < 0)
		return fail("munmap", part);

	/* a fresh mapping must show what the first one stored */
	char *check = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (check == MAP_FAILED)
		return fail("mmap (read back)", part);
	if (memcmp(check + offset, data, dst.st_size) != 0) {
		fprintf(stderr, "mmap_writer: read-back through a new mapping "
				"differs from what was written\n");
		return 1;
	}
	if (close(fd) < 0)
		return fail("close", part);
	if (hold) {
		/* only the mapping keeps the part file open now */
		printf("holding\n");
		fflush(stdout);
		while (getchar() != EOF)
			;
		if (memcmp(check + offset, data, dst.st_size) != 0) {
			fprintf(stderr, "mmap_writer: the held mapping changed "
					"while it was held\n");
			return 1;
		}
	}
	munmap(check, st.st_size);
	free(data);
	return 0;
}
