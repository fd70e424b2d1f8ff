// SPDX-License-Identifier: BSD-3-Clause
/*
 * bench_scale.c -- bench_core's scale sections: pmemset_part_map_by_address
 * with 10 and with many part maps (interleaved in every trial), and the
 * time to map and to remove many parts against plain pmem2_map_new and
 * pmem2_map_delete of the same file.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench_util.h"

#define LOOKUP_TRIAL_OPS 200000
#define SMALL_SET_PARTS 10

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

int bench_scale(const struct options *opt, bool lookups, bool map_remove,
		struct result_row *rows)
{
	int n = 0;
	struct part_file pf = make_part_file(opt);
	if (lookups)
		rows[n++] = bench_lookups(opt, &pf);
	if (map_remove)
		n += bench_map_remove(opt, &pf, rows + n);
	unlink(pf.path);
	free(pf.path);
	return n;
}
