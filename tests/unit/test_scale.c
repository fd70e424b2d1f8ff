/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_scale.c -- a set of 10,000 part maps: map them, look every one up
 * by address, iterate them in order, remove them all; and 10,000 parts
 * coalesced into one part map inside a configured reservation, split into
 * 5,000 by removing every other part; and 200 map/remove cycles that must
 * not leave address-space mappings behind. Only correctness is asserted,
 * never time (speed belongs to the benchmark).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PARTS 10000
#define PART (4 * KIB)

/* a fresh set of PARTS one-page parts; part i maps file page i */
struct fixture {
	char path[PATH_MAX];
	struct pmemset_source *src;
	struct pmemset *set;
	char **addr; /* start of part i */
};

static void fixture_open(struct fixture *f, const char *name)
{
	ut_file_create_sparse(ut_path(f->path, name), PARTS * PART);
	f->src = ut_source_file(f->path);
	f->addr = calloc(PARTS, sizeof(*f->addr));
	CU_ASSERT_FATAL(f->addr != NULL);
}

static void fixture_close(struct fixture *f)
{
	UT_ASSERT_EQ(pmemset_delete(&f->set), 0);
	pmemset_source_delete(&f->src);
	free(f->addr);
}

/* maps every part and writes its number into its first bytes */
static int map_all(struct fixture *f)
{
	int failures = 0;
	for (uint64_t i = 0; i < PARTS; i++) {
		struct pmemset_part_descriptor d = {NULL, 0};
		int ret = ut_map(f->set, f->src, i * PART, PART, &d);
		if (ret) {
			failures++;
			continue;
		}
		/* with coalescing the descriptor is the whole map */
		f->addr[i] = (char *)d.addr + d.size - PART;
		pmemset_memcpy(f->set, f->addr[i], &i, sizeof(i),
			       PMEMSET_F_MEM_NODRAIN);
	}
	pmemset_drain(f->set);
	return failures;
}

/* looks every part up by its first and last byte */
static int lookup_all(struct fixture *f, size_t step,
		      struct pmemset_part_descriptor (*expect)(struct fixture *,
							       size_t))
{
	int wrong = 0;
	for (size_t i = 0; i < PARTS; i += step) {
		struct pmemset_part_descriptor want = expect(f, i);
		for (size_t at = 0; at < PART; at += PART - 1) {
			struct pmemset_part_map *pm = NULL;
			if (pmemset_part_map_by_address(f->set, &pm,
							f->addr[i] + at)) {
				wrong++;
				continue;
			}
			if (!ut_desc_eq(pmemset_descriptor_part_map(pm), want))
				wrong++;
			pmemset_part_map_drop(&pm);
		}
	}
	return wrong;
}

static struct pmemset_part_descriptor own_part(struct fixture *f, size_t i)
{
	return (struct pmemset_part_descriptor){f->addr[i], PART};
}

static void ten_thousand_part_maps(void)
{
	struct fixture f;
	fixture_open(&f, "ten_thousand");
	f.set = ut_set_new(NULL, NULL, NULL);
	UT_ASSERT_EQ_FATAL(map_all(&f), 0);
	UT_ASSERT_EQ(lookup_all(&f, 1, own_part), 0);

	/* iteration: ascending, non-overlapping, every part exactly once */
	unsigned char *seen = calloc(PARTS, 1);
	size_t count = 0, out_of_order = 0, bad = 0;
	char *prev_end = NULL;
	struct pmemset_part_map *cur = NULL;
	pmemset_first_part_map(f.set, &cur);
	while (cur) {
		struct pmemset_part_descriptor d =
			pmemset_descriptor_part_map(cur);
		if ((char *)d.addr < prev_end)
			out_of_order++;
		prev_end = (char *)d.addr + d.size;
		uint64_t id;
		memcpy(&id, d.addr, sizeof(id));
		if (d.size != PART || id >= PARTS || seen[id]++ ||
		    f.addr[id] != d.addr)
			bad++;
		count++;
		struct pmemset_part_map *next = NULL;
		pmemset_next_part_map(f.set, cur, &next);
		pmemset_part_map_drop(&cur);
		cur = next;
	}
	free(seen);
	UT_ASSERT_EQ(count, PARTS);
	UT_ASSERT_EQ(out_of_order, 0);
	UT_ASSERT_EQ(bad, 0);

	/* remove all: even ones as part maps, odd ones as ranges */
	int failures = 0;
	for (size_t i = 0; i < PARTS; i++) {
		if (i % 2 == 0) {
			struct pmemset_part_map *pm = NULL;
			failures += pmemset_part_map_by_address(f.set, &pm,
								f.addr[i]) != 0;
			failures += pmemset_remove_part_map(f.set, &pm) != 0;
		} else {
			failures += pmemset_remove_range(f.set, f.addr[i],
							 PART) != 0;
		}
	}
	UT_ASSERT_EQ(failures, 0);
	UT_ASSERT_EQ(ut_count_maps(f.set), 0);
	size_t still_mapped = 0;
	for (size_t i = 0; i < PARTS; i += 7)
		still_mapped += ut_addr_readable(f.addr[i]);
	UT_ASSERT_EQ(still_mapped, 0);
	fixture_close(&f);

	/* every part's number reached its page of the file */
	size_t lost = 0;
	for (uint64_t i = 0; i < PARTS; i += 13) {
		uint64_t id = UINT64_MAX;
		ut_file_read(f.path, i * PART, &id, sizeof(id));
		lost += id != i;
	}
	UT_ASSERT_EQ(lost, 0);
}

static struct pmemset_part_descriptor whole_map(struct fixture *f, size_t i)
{
	(void)i;
	return (struct pmemset_part_descriptor){f->addr[0], PARTS * PART};
}

/* after every odd part was removed, part i (even) is a map of its own */
static struct pmemset_part_descriptor even_part(struct fixture *f, size_t i)
{
	return own_part(f, i);
}

static void ten_thousand_coalesced_parts_split_in_reservation(void)
{
	struct fixture f;
	fixture_open(&f, "coalesced");
	struct pmem2_vm_reservation *rsv = ut_reservation_new(PARTS * PART);
	char *base = pmem2_vm_reservation_get_address(rsv);
	f.set = ut_set_new(rsv, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(f.set, PMEMSET_COALESCING_FULL);
	UT_ASSERT_EQ_FATAL(map_all(&f), 0);
	CU_ASSERT_FATAL(f.addr[0] == base);
	CU_ASSERT(f.addr[PARTS - 1] == base + (PARTS - 1) * PART);
	UT_ASSERT_EQ(ut_count_maps(f.set), 1);
	UT_ASSERT_EQ(lookup_all(&f, 97, whole_map), 0);

	int failures = 0;
	for (size_t i = 1; i < PARTS; i += 2)
		failures += pmemset_remove_range(f.set, f.addr[i], 1) != 0;
	UT_ASSERT_EQ(failures, 0);
	UT_ASSERT_EQ(ut_count_maps(f.set), PARTS / 2);
	UT_ASSERT_EQ(lookup_all(&f, 2, even_part), 0);
	size_t wrong = 0;
	for (uint64_t i = 0; i < PARTS; i++) {
		uint64_t id;
		if (i % 2) {
			wrong += ut_addr_readable(f.addr[i]);
			continue;
		}
		memcpy(&id, f.addr[i], sizeof(id));
		wrong += id != i;
	}
	UT_ASSERT_EQ(wrong, 0);

	for (size_t i = 0; i < PARTS; i += 2)
		failures += pmemset_remove_range(f.set, f.addr[i], PART) != 0;
	UT_ASSERT_EQ(failures, 0);
	UT_ASSERT_EQ(ut_count_maps(f.set), 0);
	CU_ASSERT(pmem2_vm_reservation_get_address(rsv) == base);
	UT_ASSERT_EQ(pmem2_vm_reservation_get_size(rsv), PARTS * PART);
	fixture_close(&f);
	UT_ASSERT_EQ(pmem2_vm_reservation_delete(&rsv), 0);
}

/* number of mappings (lines of /proc/self/maps) the process has */
/*
 * AddressSanitizer's allocator maps memory of its own, now and then, as
 * its quarantine of freed blocks fills (one mapping in about every fourth
 * run of 200 cycles); a leak of ours would be one or more per cycle.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_SLACK 2
#else
#define SANITIZER_SLACK 0
#endif

static size_t mapping_count(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	CU_ASSERT_FATAL(f != NULL);
	size_t lines = 0;
	int c;
	while ((c = fgetc(f)) != EOF)
		lines += c == '\n';
	fclose(f);
	return lines;
}

/*
 * Mapping and removing parts again and again must not leave address-space
 * mappings behind (a long-running daemon would hit vm.max_map_count):
 * after the first cycle has set up whatever the set keeps, the count of
 * the process's mappings stays exactly the same.
 */
static void map_remove_cycles_leave_no_mappings_behind(void)
{
	const enum pmemset_coalescing modes[] = {
		PMEMSET_COALESCING_NONE, PMEMSET_COALESCING_OPPORTUNISTIC,
		PMEMSET_COALESCING_FULL};
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "cycles"), 2 * 256 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	for (size_t m = 0; m < 3; m++) {
		struct pmemset *set = ut_set_new(NULL, NULL, NULL);
		pmemset_set_contiguous_part_coalescing(set, modes[m]);
		size_t settled = 0;
		int failures = 0;
		for (int cycle = 0; cycle < 200; cycle++) {
			struct pmemset_part_descriptor a = {NULL, 0},
						       b = {NULL, 0};
			failures += ut_map(set, src, 0, 256 * KIB, &a) != 0;
			failures +=
				ut_map(set, src, 256 * KIB, 256 * KIB, &b) != 0;
			/* both parts (coalesced or not) go in one call */
			char *lo = a.addr < b.addr ? a.addr : b.addr;
			char *hi_a = (char *)a.addr + a.size;
			char *hi_b = (char *)b.addr + b.size;
			char *hi = hi_a > hi_b ? hi_a : hi_b;
			failures += pmemset_remove_range(
					    set, lo, (size_t)(hi - lo)) != 0;
			failures += ut_count_maps(set) != 0;
			if (cycle == 0)
				settled = mapping_count();
		}
		UT_ASSERT_EQ(failures, 0);
		/* valgrind's own mappings come and go: only check natively */
		if (!getenv("UT_UNDER_VALGRIND")) {
			size_t now = mapping_count();
			if (now < settled || now > settled + SANITIZER_SLACK)
				UT_ASSERT_EQ(now, settled);
		}
		pmemset_delete(&set);
	}
	pmemset_source_delete(&src);
}

static CU_TestInfo tests[] = {
	{"ten_thousand_part_maps", ten_thousand_part_maps},
	{"ten_thousand_coalesced_parts_split_in_reservation",
	 ten_thousand_coalesced_parts_split_in_reservation},
	{"map_remove_cycles_leave_no_mappings_behind",
	 map_remove_cycles_leave_no_mappings_behind},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("scale", tests);
}
