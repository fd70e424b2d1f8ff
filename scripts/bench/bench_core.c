// SPDX-License-Identifier: BSD-3-Clause
/*
 * bench_core.c -- the core benchmark. Measures, in one run and side by
 * side, libpmemset against plain libpmem2 on files of the same kind:
 *   - memcpy + persist of 4 KiB and 1 MiB (pmemset_memcpy vs the memcpy
 *     function libpmem2 hands out for a map of the same file);
 *   - pmemset_part_map_by_address latency with few and with many part maps;
 *   - the time to map and to remove many parts (vs pmem2_map_new/delete).
 * Every figure is the median of several trials, and the trials of the two
 * sides alternate so that drift on the machine hits both alike. This is a
 * benchmark, not a test: it prints numbers and asserts nothing about speed.
 * This file holds the command line and the report; the sections are in
 * bench_copy.c and bench_scale.c, shared helpers in bench_util.c.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: bench_core [-d DIR] [-r TRIALS] [-m MAP_TRIALS] [-s "
		"SECTION] "
		"[-n PARTS]\n"
		"  -d DIR         directory for the benchmark files "
		"(default /dev/shm)\n"
		"  -r TRIALS      trials per copy and lookup figure "
		"(default 15)\n"
		"  -m MAP_TRIALS  trials per map/remove figure (default 5)\n"
		"  -n PARTS       part maps in the large set (default "
		"10000)\n"
		"  -s SECTION     run only copy, lookup or map (for "
		"profiling)\n");
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
	struct result_row rows[16];
	int n = 0;

	printf("bench_core: files in %s, %d trials per copy/lookup figure, "
	       "%d per map/remove figure, medians\n",
	       opt.dir, opt.repeat, opt.map_repeat);
	fflush(stdout);
	if (wanted(&opt, "copy"))
		n += bench_copies(&opt, rows + n);
	if (wanted(&opt, "lookup") || wanted(&opt, "map"))
		n += bench_scale(&opt, wanted(&opt, "lookup"),
				 wanted(&opt, "map"), rows + n);

	print_rows(rows, n);
	return 0;
}
