// SPDX-License-Identifier: BSD-3-Clause
/*
 * bench_copy.c -- bench_core's copy section: pmemset_memcpy (+ persist) of
 * 4 KiB and 1 MiB against the memcpy and persist functions libpmem2 hands
 * out for its own map of the same file, both sides interleaved in every
 * trial: copies that persist, NOFLUSH copies each followed by a persist,
 * and NOFLUSH copies alone (what a deferred write costs until its fsync).
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

/* the copy destination file, and the window inside it the copies rotate in */
#define COPY_FILE_SIZE (64 * MIB)
#define COPY_WINDOW (32 * MIB)
/* each copy trial should take a few tens of milliseconds */
#define COPY_TRIAL_BYTES (64 * MIB)
#define COPY_TRIAL_MIN_OPS 64

enum copy_mode {
	COPY_PERSISTING,   /* one call: flags 0 copies and persists */
	COPY_THEN_PERSIST, /* copy with NOFLUSH, then an explicit persist */
	COPY_DEFERRED,	   /* copy with NOFLUSH only (persisted later) */
};

static size_t copy_ops(size_t len)
{
	size_t ops = COPY_TRIAL_BYTES / len;
	return ops < COPY_TRIAL_MIN_OPS ? COPY_TRIAL_MIN_OPS : ops;
}

/* nanoseconds for copies number first..first+count-1 through the set */
static double time_pmemset_copies(struct pmemset *set, char *base,
				  const char *src, size_t len,
				  enum copy_mode mode, size_t first,
				  size_t count)
{
	double start = now_ns();
	for (size_t i = first; i < first + count; i++) {
		char *dest = base + (i * len) % COPY_WINDOW;
		if (mode == COPY_PERSISTING) {
			pmemset_memcpy(set, dest, (void *)src, len, 0);
		} else {
			pmemset_memcpy(set, dest, (void *)src, len,
				       PMEMSET_F_MEM_NOFLUSH);
			if (mode == COPY_THEN_PERSIST)
				pmemset_persist(set, dest, len);
		}
	}
	return now_ns() - start;
}

/* the same copies through libpmem2's own functions */
static double time_pmem2_copies(pmem2_memcpy_fn copy, pmem2_persist_fn persist,
				char *base, const char *src, size_t len,
				enum copy_mode mode, size_t first, size_t count)
{
	double start = now_ns();
	for (size_t i = first; i < first + count; i++) {
		char *dest = base + (i * len) % COPY_WINDOW;
		if (mode == COPY_PERSISTING) {
			copy(dest, src, len, 0);
		} else {
			copy(dest, src, len, PMEM2_F_MEM_NOFLUSH);
			if (mode == COPY_THEN_PERSIST)
				persist(dest, len);
		}
	}
	return now_ns() - start;
}

struct copy_sides {
	struct pmemset *set;
	char *set_base;
	pmem2_memcpy_fn pmem2_copy;
	pmem2_persist_fn pmem2_persist;
	char *pmem2_base;
	const char *src;
};

/*
 * One trial: the same copies done by both sides in small interleaved
 * batches, so that a burst of other load on the machine hits both alike.
 * Returns nanoseconds per copy of each side.
 */
static void copy_trial(const struct copy_sides *sides, size_t len,
		       enum copy_mode mode, double *set_ns, double *pmem2_ns)
{
	size_t ops = copy_ops(len);
	size_t batch =
		ops / INTERLEAVED_BATCHES ? ops / INTERLEAVED_BATCHES : 1;
	double set_total = 0, pmem2_total = 0;
	for (size_t first = 0, b = 0; first < ops; first += batch, b++) {
		size_t count = ops - first < batch ? ops - first : batch;
		double set_t, pmem2_t;
		if (b % 2) {
			pmem2_t = time_pmem2_copies(
				sides->pmem2_copy, sides->pmem2_persist,
				sides->pmem2_base, sides->src, len, mode, first,
				count);
			set_t = time_pmemset_copies(sides->set, sides->set_base,
						    sides->src, len, mode,
						    first, count);
		} else {
			set_t = time_pmemset_copies(sides->set, sides->set_base,
						    sides->src, len, mode,
						    first, count);
			pmem2_t = time_pmem2_copies(
				sides->pmem2_copy, sides->pmem2_persist,
				sides->pmem2_base, sides->src, len, mode, first,
				count);
		}
		set_total += set_t;
		pmem2_total += pmem2_t;
	}
	*set_ns = set_total / (double)ops;
	*pmem2_ns = pmem2_total / (double)ops;
}

static struct result_row measure_copy(const struct copy_sides *sides,
				      size_t len, enum copy_mode mode,
				      const struct options *opt,
				      const char *what)
{
	double set_ns[opt->repeat], pmem2_ns[opt->repeat], ratio[opt->repeat];
	double ignored_set, ignored_pmem2;
	/* one untimed trial, so that neither side pays for warm-up */
	copy_trial(sides, len, mode, &ignored_set, &ignored_pmem2);
	for (int t = 0; t < opt->repeat; t++) {
		copy_trial(sides, len, mode, &set_ns[t], &pmem2_ns[t]);
		ratio[t] = set_ns[t] / pmem2_ns[t];
	}
	struct result_row row = {what,
				 "us/op",
				 median(set_ns, opt->repeat) / 1e3,
				 median(pmem2_ns, opt->repeat) / 1e3,
				 median(ratio, opt->repeat),
				 "libpmem2 memcpy_fn"};
	return row;
}

/*
 * Maps one file twice, once as a pmemset part and once with libpmem2
 * directly, and times the same copies into both mappings.
 */
int bench_copies(const struct options *opt, struct result_row *rows)
{
	char *path = make_file(opt->dir, "copy", COPY_FILE_SIZE);

	struct pmemset *set = new_page_set();
	struct pmemset_source *set_src;
	int ret = pmemset_source_from_file(&set_src, path);
	if (ret)
		fail_pmemset("pmemset_source_from_file", ret);
	char *set_base = map_one_part(set, set_src, COPY_FILE_SIZE);

	int fd = open(path, O_RDWR);
	if (fd < 0)
		fail_errno("cannot open", path);
	struct pmem2_source *pmem2_src;
	ret = pmem2_source_from_fd(&pmem2_src, fd);
	if (ret)
		fail_pmem2("pmem2_source_from_fd", ret);
	struct pmem2_config *cfg = new_pmem2_page_config();
	struct pmem2_map *map;
	ret = pmem2_map_new(&map, cfg, pmem2_src);
	if (ret)
		fail_pmem2("pmem2_map_new", ret);

	char *src = aligned_alloc(4096, MIB);
	if (!src) {
		fprintf(stderr, "bench_core: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < MIB; i++)
		src[i] = (char)(i * 7 + 1);

	struct copy_sides sides = {
		.set = set,
		.set_base = set_base,
		.pmem2_copy = pmem2_get_memcpy_fn(map),
		.pmem2_persist = pmem2_get_persist_fn(map),
		.pmem2_base = pmem2_map_get_address(map),
		.src = src,
	};
	/* fault every page in both mappings before anything is timed */
	memset(sides.set_base, 0, COPY_WINDOW);
	memset(sides.pmem2_base, 0, COPY_WINDOW);

	int n = 0;
	rows[n++] = measure_copy(&sides, 4 * KIB, COPY_PERSISTING, opt,
				 "memcpy+persist 4 KiB (flags 0)");
	rows[n++] = measure_copy(&sides, MIB, COPY_PERSISTING, opt,
				 "memcpy+persist 1 MiB (flags 0)");
	rows[n++] = measure_copy(&sides, 4 * KIB, COPY_THEN_PERSIST, opt,
				 "memcpy NOFLUSH, persist 4 KiB");
	rows[n++] = measure_copy(&sides, MIB, COPY_THEN_PERSIST, opt,
				 "memcpy NOFLUSH, persist 1 MiB");
	rows[n++] = measure_copy(&sides, 4 * KIB, COPY_DEFERRED, opt,
				 "memcpy NOFLUSH only 4 KiB");
	rows[n++] = measure_copy(&sides, MIB, COPY_DEFERRED, opt,
				 "memcpy NOFLUSH only 1 MiB");

	if (memcmp(set_base, src, MIB) != 0 ||
	    memcmp(sides.pmem2_base, src, MIB) != 0) {
		fprintf(stderr, "bench_core: copied bytes differ from the "
				"source buffer\n");
		exit(1);
	}

	free(src);
	pmem2_map_delete(&map);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&pmem2_src);
	close(fd);
	pmemset_delete(&set);
	pmemset_source_delete(&set_src);
	unlink(path);
	free(path);
	return n;
}
