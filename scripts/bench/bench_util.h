// SPDX-License-Identifier: BSD-3-Clause
/*
 * bench_util.h -- what the sections of bench_core share: the command-line
 * options, a result row, timing and statistics, and helpers that make
 * files, sets and libpmem2 configs or end the run on a failure.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpmem2.h>
#include <libpmemset.h>

#define KIB ((size_t)1024)
#define MIB (KIB * KIB)

/* a trial alternates the two sides this many times */
#define INTERLEAVED_BATCHES 32

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

/* each prints what failed, with the library's message, and exits 1 */
void fail_pmemset(const char *what, int ret);
void fail_pmem2(const char *what, int ret);
void fail_errno(const char *what, const char *path);

double now_ns(void);
/* sorts the samples in place */
double median(double *samples, int count);
uint64_t next_random(uint64_t *state);

/* creates dir/bench_core.PID.name of the given size; returns its path */
char *make_file(const char *dir, const char *name, size_t size);
/* a set requiring PAGE granularity */
struct pmemset *new_page_set(void);
/* maps length bytes from offset 0 of src into set; returns the address */
void *map_one_part(struct pmemset *set, struct pmemset_source *src,
		   size_t length);
/* a libpmem2 config set up the way libpmemset sets up its own */
struct pmem2_config *new_pmem2_page_config(void);

/* the sections; each fills rows and returns how many */
int bench_copies(const struct options *opt, struct result_row *rows);
int bench_scale(const struct options *opt, bool lookups, bool map_remove,
		struct result_row *rows);

#endif /* BENCH_UTIL_H */
