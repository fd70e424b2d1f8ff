/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_hole_free_mapping.c -- mapping and removing parts never makes a
 * MAP_FIXED mmap that fails: such a call may already have unmapped the
 * reservation's placeholder, leaving a hole another thread's mmap can take
 * (libpmem2 1.12.1 made one per part mapping on any file not on DAX).
 * CTest preloads the syscall_counter library, which counts MAP_FIXED calls
 * and their failures; every placement path is run: the library's arenas,
 * FULL coalescing, a configured reservation, and removal whole, by trim
 * and by split.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "syscall_counter.h"
#include "util.h"

#define PARTS 64
#define SLOT (64 * KIB)

static struct syscall_counts counts_now(void)
{
	struct syscall_counts counts = {0};
	if (!syscall_counts_take(&counts))
		CU_FAIL_FATAL("run with LD_PRELOAD=libsyscall_counter.so");
	return counts;
}

/* maps PARTS slots of one file, checks their bytes, removes them */
static void map_and_remove(struct pmemset *set, struct pmemset_source *src,
			   const char *path)
{
	struct pmemset_part_descriptor d[PARTS];
	for (size_t i = 0; i < PARTS; i++) {
		d[i] = ut_map_ok(set, src, i * SLOT, SLOT);
		char *last = (char *)d[i].addr + d[i].size - SLOT;
		CU_ASSERT(ut_mem_has_pattern(last, i * SLOT, SLOT, 61));
	}
	/* a split and a trim where parts coalesced, then the rest */
	char *mid = (char *)d[PARTS / 2].addr + d[PARTS / 2].size - SLOT;
	UT_ASSERT_EQ(pmemset_remove_range(set, mid, 1), 0);
	char *first = (char *)d[0].addr;
	UT_ASSERT_EQ(pmemset_remove_range(set, first, 1), 0);
	struct pmemset_part_map *pm = NULL;
	pmemset_first_part_map(set, &pm);
	while (pm != NULL) {
		UT_ASSERT_EQ_FATAL(pmemset_remove_part_map(set, &pm), 0);
		pmemset_first_part_map(set, &pm);
	}
	CU_ASSERT(ut_file_has_pattern(path, 0, PARTS * SLOT, 61));
}

static void check_paths(enum pmemset_coalescing mode, bool reservation)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "hole_free"), PARTS * SLOT, 61);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv =
		reservation ? ut_reservation_new(PARTS * SLOT) : NULL;
	struct syscall_counts before = counts_now();
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(set, mode), 0);
	for (int round = 0; round < 3; round++)
		map_and_remove(set, src, path);
	UT_ASSERT_EQ(pmemset_delete(&set), 0);
	struct syscall_counts after = counts_now();

	/* the part mappings themselves are MAP_FIXED: the count sees them */
	CU_ASSERT(after.fixed_mmaps - before.fixed_mmaps >= 3 * PARTS);
	UT_ASSERT_EQ(after.failed_fixed_mmaps - before.failed_fixed_mmaps, 0);
	if (rsv != NULL)
		pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void arenas_make_no_failed_fixed_mmap(void)
{
	check_paths(PMEMSET_COALESCING_NONE, false);
}

static void full_coalescing_makes_no_failed_fixed_mmap(void)
{
	check_paths(PMEMSET_COALESCING_FULL, false);
}

static void reservation_makes_no_failed_fixed_mmap(void)
{
	check_paths(PMEMSET_COALESCING_NONE, true);
	check_paths(PMEMSET_COALESCING_OPPORTUNISTIC, true);
}

static CU_TestInfo tests[] = {
	{"arenas_make_no_failed_fixed_mmap", arenas_make_no_failed_fixed_mmap},
	{"full_coalescing_makes_no_failed_fixed_mmap",
	 full_coalescing_makes_no_failed_fixed_mmap},
	{"reservation_makes_no_failed_fixed_mmap",
	 reservation_makes_no_failed_fixed_mmap},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("hole_free_mapping", tests);
}
