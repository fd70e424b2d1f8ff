// SPDX-License-Identifier: BSD-3-Clause
/*
 * bench_core.c -- issue 3's core benchmark. Measures, in one run and side by
 * side, libpmemset against plain libpmem2 on files of the same kind:
 *   - memcpy + persist of 4 KiB and 1 MiB (pmemset_memcpy vs the memcpy
 *     function libpmem2 hands out for a map of the same file);
 *   - pmemset_part_map_by_address latency with few and with many part maps;
 *   - the time to map and to remove many parts (vs pmem2_map_new/delete).
 * Every figure is the median of several trials, and the trials of the two
 * sides alternate so that drift on the machine hits both alike. This is a
 * benchmark, not a test: it prints numbers and asserts nothing about speed.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <libpmem2.h>
#include <libpmemset.h>

#define KIB ((size_t)1024)
#define MIB (KIB * KIB)

/* the copy destination file, and the window inside it the copies rotate in */
#define COPY_FILE_SIZE (64 * MIB)
#define COPY_WINDOW (32 * MIB)
/* each copy trial should take a few tens of milliseconds */
#define COPY_TRIAL_BYTES (64 * MIB)
#define COPY_TRIAL_MIN_OPS 64
#define LOOKUP_TRIAL_OPS 200000
/* a trial alternates the two sides this many times */
#define INTERLEAVED_BATCHES 32
#define SMALL_SET_PARTS 10

struct options {
	const char *dir;   /* where the benchmark files live (tmpfs) */
	int repeat;	   /* trials per copy and lookup figure */
	int map_repeat;	   /* trials per map/remove figure */
	size_t many_parts; /* the "many part maps" case */
	const char *only;  /* run one section (copy, lookup, map) or all */
};

struct result_row {
	const char *what;
	const char *unit;
	double pmemset;	  /* median over trials */
	double reference; /* median over trials */
	double ratio;	  /* median of the per-trial ratios */
	const char *reference_name;
};

static void fail_pmemset(const char *what, int ret)
{
	fprintf(stderr, "bench_core: %s failed (%d): %s\n", what, ret,
		pmemset_errormsg());
	exit(1);
}

static void fail_pmem2(const char *what, int ret)
{
	fprintf(stderr, "bench_core: %s failed (%d): %s\n", what, ret,
		pmem2_errormsg());
	exit(1);
}

static void fail_errno(const char *what, const char *path)
{
	fprintf(stderr, "bench_core: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static double now_ns(void)
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
static double median(double *samples, int count)
{
	qsort(samples, (size_t)count, sizeof(*samples), compare_doubles);
	if (count % 2)
		return samples[count / 2];
	return (samples[count / 2 - 1] + samples[count / 2]) / 2;
}

static uint64_t next_random(uint64_t *state)
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
static char *make_file(const char *dir, const char *name, size_t size)
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

static struct pmemset *new_page_set(void)
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

static void *map_one_part(struct pmemset *set, struct pmemset_source *src,
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

static struct pmem2_config *new_pmem2_page_config(void)
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

/* ---- memcpy + persist ---- */

enum copy_mode {
	COPY_PERSISTING,   /* one call: flags 0 copies and persists */
	COPY_THEN_PERSIST, /* copy with NOFLUSH, then an explicit persist */
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
static int bench_copies(const struct options *opt, struct result_row *rows)
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

/* ---- lookup, map and remove at scale ---- */

struct part_file {
	char *path;
	size_t part_length; /* the smallest length the source allows */
};

static struct part_file make_part_file(const struct options *opt)
{
	struct part_file pf;
	pf.path = make_file(opt->dir, "part", 64 * KIB);
	int fd = open(pf.path, O_RDWR);
	if (fd < 0)
		fail_errno("cannot open", pf.path);
	struct pmem2_source *src;
	int ret = pmem2_source_from_fd(&src, fd);
	if (ret)
		fail_pmem2("pmem2_source_from_fd", ret);
	ret = pmem2_source_alignment(src, &pf.part_length);
	if (ret)
		fail_pmem2("pmem2_source_alignment", ret);
	pmem2_source_delete(&src);
	close(fd);
	return pf;
}

struct mapped_set {
	struct pmemset *set;
	struct pmemset_source *src;
	void **addrs;
	size_t count;
	double map_ns; /* time it took to map all parts */
};

/* a set of count part maps, each a part of the same small file */
static struct mapped_set build_set(const struct part_file *pf, size_t count)
{
	struct mapped_set ms = {.count = count};
	ms.set = new_page_set();
	int ret = pmemset_source_from_file(&ms.src, pf->path);
	if (ret)
		fail_pmemset("pmemset_source_from_file", ret);
	ms.addrs = calloc(count, sizeof(*ms.addrs));
	if (!ms.addrs) {
		fprintf(stderr, "bench_core: out of memory\n");
		exit(1);
	}
	double start = now_ns();
	for (size_t i = 0; i < count; i++)
		ms.addrs[i] = map_one_part(ms.set, ms.src, pf->part_length);
	ms.map_ns = now_ns() - start;
	return ms;
}

/* removes every part map by address, in mapping order; returns the time */
static double remove_all_parts(struct mapped_set *ms)
{
	double start = now_ns();
	for (size_t i = 0; i < ms->count; i++) {
		struct pmemset_part_map *pmap;
		int ret = pmemset_part_map_by_address(ms->set, &pmap,
						      ms->addrs[i]);
		if (ret)
			fail_pmemset("pmemset_part_map_by_address", ret);
		ret = pmemset_remove_part_map(ms->set, &pmap);
		if (ret)
			fail_pmemset("pmemset_remove_part_map", ret);
	}
	return now_ns() - start;
}

static void free_set(struct mapped_set *ms)
{
	pmemset_delete(&ms->set);
	pmemset_source_delete(&ms->src);
	free(ms->addrs);
}

/* nanoseconds per lookup (with its drop) at random part maps of the set */
/* nanoseconds for count lookups (each with its drop) at random addresses */
static double time_lookups(const struct mapped_set *ms, size_t part_length,
			   uint64_t *rnd, size_t count)
{
	double start = now_ns();
	for (size_t i = 0; i < count; i++) {
		uint64_t r = next_random(rnd);
		char *addr = (char *)ms->addrs[r % ms->count] +
			     (r >> 32) % part_length;
		struct pmemset_part_map *pmap;
		int ret = pmemset_part_map_by_address(ms->set, &pmap, addr);
		if (ret)
			fail_pmemset("pmemset_part_map_by_address", ret);
		pmemset_part_map_drop(&pmap);
	}
	return now_ns() - start;
}

/* one trial: lookups in both sets in interleaved batches; ns per lookup */
static void lookup_trial(const struct mapped_set *few,
			 const struct mapped_set *many, size_t part_length,
			 uint64_t seed, double *few_ns, double *many_ns)
{
	const size_t batch = LOOKUP_TRIAL_OPS / INTERLEAVED_BATCHES;
	uint64_t few_rnd = seed, many_rnd = seed;
	double few_total = 0, many_total = 0;
	for (int b = 0; b < INTERLEAVED_BATCHES; b++) {
		if (b % 2) {
			many_total += time_lookups(many, part_length, &many_rnd,
						   batch);
			few_total +=
				time_lookups(few, part_length, &few_rnd, batch);
		} else {
			few_total +=
				time_lookups(few, part_length, &few_rnd, batch);
			many_total += time_lookups(many, part_length, &many_rnd,
						   batch);
		}
	}
	*few_ns = few_total / (double)(batch * INTERLEAVED_BATCHES);
	*many_ns = many_total / (double)(batch * INTERLEAVED_BATCHES);
}

static struct result_row bench_lookups(const struct options *opt,
				       const struct part_file *pf)
{
	struct mapped_set few = build_set(pf, SMALL_SET_PARTS);
	struct mapped_set many = build_set(pf, opt->many_parts);
	double few_ns[opt->repeat], many_ns[opt->repeat], ratio[opt->repeat];
	double ignored_few, ignored_many;
	lookup_trial(&few, &many, pf->part_length, 1, &ignored_few,
		     &ignored_many);
	for (int t = 0; t < opt->repeat; t++) {
		uint64_t seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(t + 1);
		lookup_trial(&few, &many, pf->part_length, seed, &few_ns[t],
			     &many_ns[t]);
		ratio[t] = many_ns[t] / few_ns[t];
	}
	free_set(&few);
	free_set(&many);
	static char what[80];
	snprintf(what, sizeof(what), "part_map_by_address, %zu part maps",
		 opt->many_parts);
	struct result_row row = {what,
				 "ns/op",
				 median(many_ns, opt->repeat),
				 median(few_ns, opt->repeat),
				 median(ratio, opt->repeat),
				 "the same with 10 part maps"};
	return row;
}

struct pmem2_maps {
	struct pmem2_map **maps;
	double map_ns, delete_ns;
};

/* the reference: the same number of plain libpmem2 maps of the same file */
static struct pmem2_maps time_pmem2_maps(const struct part_file *pf,
					 size_t count)
{
	struct pmem2_maps pm = {0};
	int fd = open(pf->path, O_RDWR);
	if (fd < 0)
		fail_errno("cannot open", pf->path);
	struct pmem2_source *src;
	int ret = pmem2_source_from_fd(&src, fd);
	if (ret)
		fail_pmem2("pmem2_source_from_fd", ret);
	struct pmem2_config *cfg = new_pmem2_page_config();
	ret = pmem2_config_set_length(cfg, pf->part_length);
	if (ret)
		fail_pmem2("pmem2_config_set_length", ret);
	pm.maps = calloc(count, sizeof(*pm.maps));
	if (!pm.maps) {
		fprintf(stderr, "bench_core: out of memory\n");
		exit(1);
	}
	double start = now_ns();
	for (size_t i = 0; i < count; i++) {
		ret = pmem2_map_new(&pm.maps[i], cfg, src);
		if (ret)
			fail_pmem2("pmem2_map_new", ret);
	}
	pm.map_ns = now_ns() - start;
	start = now_ns();
	for (size_t i = 0; i < count; i++) {
		ret = pmem2_map_delete(&pm.maps[i]);
		if (ret)
			fail_pmem2("pmem2_map_delete", ret);
	}
	pm.delete_ns = now_ns() - start;
	free(pm.maps);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	close(fd);
	return pm;
}

static int bench_map_remove(const struct options *opt,
			    const struct part_file *pf, struct result_row *rows)
{
	int trials = opt->map_repeat;
	double set_map[trials], set_remove[trials];
	double pmem2_map[trials], pmem2_delete[trials];
	for (int t = 0; t < trials; t++) {
		struct mapped_set ms = build_set(pf, opt->many_parts);
		set_map[t] = ms.map_ns;
		set_remove[t] = remove_all_parts(&ms);
		free_set(&ms);
		struct pmem2_maps pm = time_pmem2_maps(pf, opt->many_parts);
		pmem2_map[t] = pm.map_ns;
		pmem2_delete[t] = pm.delete_ns;
	}
	static char map_what[80], remove_what[80];
	snprintf(map_what, sizeof(map_what), "map %zu parts", opt->many_parts);
	snprintf(remove_what, sizeof(remove_what), "remove %zu parts",
		 opt->many_parts);
	/* per-trial ratios first: median() reorders the arrays */
	double map_ratio[trials], remove_ratio[trials];
	for (int t = 0; t < trials; t++) {
		map_ratio[t] = set_map[t] / pmem2_map[t];
		remove_ratio[t] = set_remove[t] / pmem2_delete[t];
	}
	rows[0] = (struct result_row){map_what,
				      "ms",
				      median(set_map, trials) / 1e6,
				      median(pmem2_map, trials) / 1e6,
				      median(map_ratio, trials),
				      "pmem2_map_new"};
	rows[1] = (struct result_row){remove_what,
				      "ms",
				      median(set_remove, trials) / 1e6,
				      median(pmem2_delete, trials) / 1e6,
				      median(remove_ratio, trials),
				      "pmem2_map_delete"};
	return 2;
}

/* ---- command line and report ---- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: bench_core [-d DIR] [-r TRIALS] [-m MAP_TRIALS] "
		"[-n PARTS]\n"
		"  -d DIR         directory for the benchmark files "
		"(default /dev/shm)\n"
		"  -r TRIALS      trials per copy and lookup figure "
		"(default 15)\n"
		"  -m MAP_TRIALS  trials per map/remove figure (default 5)\n"
		"  -n PARTS       part maps in the large set (default "
		"10000)\n");
}

static long parse_count(const char *text, const char *what)
{
	char *end;
	errno = 0;
	long value = strtol(text, &end, 10);
	if (errno || *end || value < 1 || value > 1000000) {
		fprintf(stderr,
			"bench_core: %s must be a number from 1 to "
			"1000000, not '%s'\n",
			what, text);
		exit(2);
	}
	return value;
}

static struct options parse_options(int argc, char *argv[])
{
	struct options opt = {"/dev/shm", 15, 5, 10000, NULL};
	int c;
	while ((c = getopt(argc, argv, "d:r:m:n:s:h")) != -1) {
		switch (c) {
		case 'd':
			opt.dir = optarg;
			break;
		case 'r':
			opt.repeat = (int)parse_count(optarg, "-r TRIALS");
			break;
		case 'm':
			opt.map_repeat =
				(int)parse_count(optarg, "-m MAP_TRIALS");
			break;
		case 'n':
			opt.many_parts =
				(size_t)parse_count(optarg, "-n PARTS");
			break;
		case 's':
			if (strcmp(optarg, "copy") &&
			    strcmp(optarg, "lookup") && strcmp(optarg, "map")) {
				fprintf(stderr,
					"bench_core: -s takes copy, lookup "
					"or map, not '%s'\n",
					optarg);
				exit(2);
			}
			opt.only = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "bench_core: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		exit(2);
	}
	return opt;
}

static void print_rows(const struct result_row *rows, int count)
{
	printf("%-46s %12s %12s %7s  %s\n", "measurement [unit], medians",
	       "pmemset", "reference", "ratio", "reference is");
	for (int i = 0; i < count; i++) {
		const struct result_row *r = &rows[i];
		char label[96];
		snprintf(label, sizeof(label), "%s [%s]", r->what, r->unit);
		printf("%-46s %12.3f %12.3f %7.3f  %s\n", label, r->pmemset,
		       r->reference, r->ratio, r->reference_name);
	}
}

static bool wanted(const struct options *opt, const char *section)
{
	return opt->only == NULL || strcmp(opt->only, section) == 0;
}

int main(int argc, char *argv[])
{
	struct options opt = parse_options(argc, argv);
	struct result_row rows[8];
	int n = 0;

	printf("bench_core: files in %s, %d trials per copy/lookup figure, "
	       "%d per map/remove figure, medians\n",
	       opt.dir, opt.repeat, opt.map_repeat);
	fflush(stdout);
	if (wanted(&opt, "copy"))
		n += bench_copies(&opt, rows + n);

	struct part_file pf = make_part_file(&opt);
	if (wanted(&opt, "lookup"))
		rows[n++] = bench_lookups(&opt, &pf);
	if (wanted(&opt, "map"))
		n += bench_map_remove(&opt, &pf, rows + n);
	unlink(pf.path);
	free(pf.path);

	print_rows(rows, n);
	return 0;
}
