// SPDX-License-Identifier: BSD-3-Clause
/*
 * bench_util.c -- timing, statistics, failure reporting and the file, set
 * and libpmem2 config helpers that bench_core's sections share.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

void fail_pmemset(const char *what, int ret)
{
	fprintf(stderr, "bench_core: %s failed (%d): %s\n", what, ret,
		pmemset_errormsg());
	exit(1);
}

void fail_pmem2(const char *what, int ret)
{
	fprintf(stderr, "bench_core: %s failed (%d): %s\n", what, ret,
		pmem2_errormsg());
	exit(1);
}

void fail_errno(const char *what, const char *path)
{
	fprintf(stderr, "bench_core: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* sorts the samples in place; callers no longer need their order */
double median(double *samples, int count)
{
	qsort(samples, (size_t)count, sizeof(*samples), compare_doubles);
	if (count % 2)
		return samples[count / 2];
	return (samples[count / 2 - 1] + samples[count / 2]) / 2;
}

uint64_t next_random(uint64_t *state)
{
	/* xorshift64: cheap and good enough to scatter lookups */
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* creates (or re-creates) a file of the given size and returns its path */
char *make_file(const char *dir, const char *name, size_t size)
{
	char *path;
	if (asprintf(&path, "%s/bench_core.%d.%s", dir, (int)getpid(), name) <
	    0) {
		fprintf(stderr, "bench_core: out of memory\n");
		exit(1);
	}
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		fail_errno("cannot create", path);
	if (ftruncate(fd, (off_t)size) != 0)
		fail_errno("cannot size", path);
	close(fd);
	return path;
}

struct pmemset *new_page_set(void)
{
	struct pmemset_config *cfg;
	struct pmemset *set;
	int ret = pmemset_config_new(&cfg);
	if (ret)
		fail_pmemset("pmemset_config_new", ret);
	ret = pmemset_config_set_required_store_granularity(
		cfg, PMEM2_GRANULARITY_PAGE);
	if (ret)
		fail_pmemset("pmemset_config_set_required_store_granularity",
			     ret);
	ret = pmemset_new(&set, cfg);
	if (ret)
		fail_pmemset("pmemset_new", ret);
	pmemset_config_delete(&cfg);
	return set;
}

void *map_one_part(struct pmemset *set, struct pmemset_source *src,
		   size_t length)
{
	struct pmemset_part *part;
	struct pmemset_part_descriptor desc;
	int ret = pmemset_part_new(&part, set, src, 0, length);
	if (ret)
		fail_pmemset("pmemset_part_new", ret);
	ret = pmemset_part_map(&part, NULL, &desc);
	if (ret)
		fail_pmemset("pmemset_part_map", ret);
	return desc.addr;
}

/*
 * libpmem2 1.12.1 gives every mapping made without a data mover ("vdm") a
 * mover of its own holding a pthread key; past ~1020 live mappings the keys
 * run out and a later pmem2 call aborts. libpmemset hands libpmem2 one
 * shared placeholder mover (core/src/mover.c); the reference side does the
 * same, which also keeps the comparison fair. The async API that would use
 * the mover is never called. The declaration lives in <libpmem2/async.h>,
 * which needs libminiasync's headers, so it is repeated here.
 */
struct vdm;
int pmem2_config_set_vdm(struct pmem2_config *cfg, struct vdm *vdm);
static union {
	void *pointers[16];
	unsigned long long align;
} placeholder_mover;

struct pmem2_config *new_pmem2_page_config(void)
{
	struct pmem2_config *cfg;
	int ret = pmem2_config_new(&cfg);
	if (ret)
		fail_pmem2("pmem2_config_new", ret);
	ret = pmem2_config_set_required_store_granularity(
		cfg, PMEM2_GRANULARITY_PAGE);
	if (ret)
		fail_pmem2("pmem2_config_set_required_store_granularity", ret);
	ret = pmem2_config_set_vdm(cfg, (struct vdm *)&placeholder_mover);
	if (ret)
		fail_pmem2("pmem2_config_set_vdm", ret);
	return cfg;
}
