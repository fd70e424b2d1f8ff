/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * truncation_stress -- reads and writes 1 MiB at random offsets of several
 * part files from several threads for a given time, while another program
 * truncates the victim part's source under the daemon.
 *
 * Every write to a part other than the victim stores a pattern that is a
 * function of the part and the 4 KiB block alone, so any read of any block
 * at any time must show that pattern (or the bytes the part had before the
 * block's first write, which the program learns by reading the whole part
 * at the start). Requests on the victim may fail, but only with EIO.
 *
 * Usage: truncation_stress -s SECONDS -t THREADS -v VICTIM PART...
 * Exit: 0 when every check held, 1 on a wrong byte or a wrong error, 2 on
 * bad usage. Prints the count of requests and of EIOs per part.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IO_SIZE (1024 * 1024)
#define BLOCK 4096
#define MAX_PARTS 8

struct part_file {
	const char *path;
	bool victim;
	size_t size;
	unsigned char *initial; /* the bytes before any write of ours */
	atomic_uchar *written;	/* per block: 1 once a write of ours landed */
	atomic_ulong requests, eios;
};

static struct part_file parts[MAX_PARTS];
static int nparts;
static double deadline;
static atomic_int failed;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned char pattern_byte(int part, size_t block, size_t i)
{
	return (unsigned char)(part * 131 + block * 7 + i / 64);
}

static void fill_pattern(int part, size_t offset, unsigned char *buf,
			 size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t pos = offset + i;
		buf[i] = pattern_byte(part, pos / BLOCK, pos % BLOCK);
	}
}

/*
 * A block read back must be its pattern once a write of ours to it had
 * finished before the read began; before that, each byte may still be the
 * one the part held at the start (a read racing the first write sees a mix).
 */
static void check_block(int part, size_t block, const unsigned char *got,
			bool was_written)
{
	struct part_file *p = &parts[part];
	for (size_t i = 0; i < BLOCK; i++) {
		if (got[i] == pattern_byte(part, block, i))
			continue;
		if (!was_written && got[i] == p->initial[block * BLOCK + i])
			continue;
		fprintf(stderr,
			"truncation_stress: %s: byte %zu of block %zu is "
			"neither its pattern nor its old value\n",
			p->path, i, block);
		atomic_store(&failed, 1);
		return;
	}
}

static void count_error(struct part_file *p, const char *what, int err)
{
	if (p->victim && err == EIO) {
		atomic_fetch_add(&p->eios, 1);
		return;
	}
	fprintf(stderr, "truncation_stress: %s of %s: %s\n", what, p->path,
		strerror(err));
	atomic_store(&failed, 1);
}

static void *worker(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	unsigned char *buf = malloc(IO_SIZE);
	bool was_written[IO_SIZE / BLOCK];
	int fds[MAX_PARTS];
	for (int i = 0; i < nparts; i++) {
		fds[i] = open(parts[i].path, O_RDWR);
		if (fds[i] < 0) {
			count_error(&parts[i], "open", errno);
			return NULL;
		}
	}
	while (now() < deadline && !atomic_load(&failed)) {
		int part = rand_r(&seed) % nparts;
		struct part_file *p = &parts[part];
		size_t blocks = (p->size - IO_SIZE) / BLOCK;
		size_t offset = (size_t)(rand_r(&seed) % (blocks + 1)) * BLOCK;
		bool write_op = rand_r(&seed) % 2;
		ssize_t n;
		atomic_fetch_add(&p->requests, 1);
		if (write_op) {
			fill_pattern(part, offset, buf, IO_SIZE);
			n = pwrite(fds[part], buf, IO_SIZE, (off_t)offset);
			if (n < 0) {
				count_error(p, "write", errno);
				continue;
			}
			if (!p->victim && n != IO_SIZE) {
				fprintf(stderr,
					"truncation_stress: short write of %s: "
					"%zd\n",
					p->path, n);
				atomic_store(&failed, 1);
			}
			for (size_t b = 0; b < (size_t)n / BLOCK; b++)
				atomic_store(&p->written[offset / BLOCK + b],
					     1);
		} else {
			for (size_t b = 0; b < IO_SIZE / BLOCK; b++)
				was_written[b] = atomic_load(
					&p->written[offset / BLOCK + b]);
			n = pread(fds[part], buf, IO_SIZE, (off_t)offset);
			if (n < 0) {
				count_error(p, "read", errno);
				continue;
			}
			if (p->victim)
				continue;
			for (size_t b = 0; b < (size_t)n / BLOCK; b++)
				check_block(part, offset / BLOCK + b,
					    buf + b * BLOCK, was_written[b]);
		}
	}
	for (int i = 0; i < nparts; i++)
		close(fds[i]);
	free(buf);
	return NULL;
}

static int load_part(struct part_file *p)
{
	int fd = open(p->path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(p->path);
		return -1;
	}
	p->size = (size_t)st.st_size;
	if (p->size < IO_SIZE || p->size % BLOCK) {
		fprintf(stderr,
			"truncation_stress: %s: size %zu is not a multiple of "
			"4 KiB >= 1 MiB\n",
			p->path, p->size);
		close(fd);
		return -1;
	}
	p->initial = malloc(p->size);
	p->written = calloc(p->size / BLOCK, 1);
	size_t got = 0;
	while (got < p->size) {
		ssize_t n =
			pread(fd, p->initial + got, p->size - got, (off_t)got);
		if (n <= 0) {
			fprintf(stderr, "truncation_stress: reading %s: %s\n",
				p->path, n < 0 ? strerror(errno) : "short");
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int seconds = 0, threads = 4, c;
	const char *victim = NULL;
	while ((c = getopt(argc, argv, "s:t:v:")) != -1) {
		switch (c) {
		case 's':
			seconds = atoi(optarg);
			break;
		case 't':
			threads = atoi(optarg);
			break;
		case 'v':
			victim = optarg;
			break;
		default:
			return 2;
		}
	}
	if (seconds <= 0 || threads <= 0 || threads > 64 || !victim ||
	    optind >= argc || argc - optind + 1 > MAX_PARTS) {
		fprintf(stderr, "usage: truncation_stress -s SECONDS -t "
				"THREADS -v VICTIM PART...\n");
		return 2;
	}
	parts[nparts].path = victim;
	parts[nparts++].victim = true;
	for (int i = optind; i < argc; i++)
		parts[nparts++].path = argv[i];
	for (int i = 0; i < nparts; i++)
		if (!parts[i].victim && load_part(&parts[i]) != 0)
			return 1;
	/* the victim's size is its part's, whatever its source does */
	struct stat st;
	if (stat(victim, &st) != 0) {
		perror(victim);
		return 1;
	}
	parts[0].size = (size_t)st.st_size;
	parts[0].written = calloc(parts[0].size / BLOCK + 1, 1);

	deadline = now() + seconds;
	pthread_t tids[64];
	for (int i = 0; i < threads; i++)
		pthread_create(&tids[i], NULL, worker,
			       (void *)(uintptr_t)(i * 7919 + 1));
	for (int i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	for (int i = 0; i < nparts; i++)
		printf("%s: %lu requests, %lu EIO\n", parts[i].path,
		       atomic_load(&parts[i].requests),
		       atomic_load(&parts[i].eios));
	for (int i = 0; i < nparts; i++) {
		free(parts[i].initial);
		free(parts[i].written);
	}
	return atomic_load(&failed) ? 1 : 0;
}
