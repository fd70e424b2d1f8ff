/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_reservation.c -- part maps inside a caller's virtual memory
 * reservation: first-fit placement from the bottom, FULL coalescing at the
 * reservation start, PMEMSET_E_CANNOT_FIT_PART_MAP when full or
 * fragmented, reuse of freed space, and that the reservation's address and
 * size never change and it can be deleted after the set.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

struct fixture {
	struct pmemset_source *src;
	struct pmem2_vm_reservation *rsv;
	char *base;
	size_t size;
	struct pmemset *set;
};

static void fixture_open(struct fixture *f, const char *name, size_t rsv_size)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, name), 256 * KIB, 61);
	f->src = ut_source_file(path);
	f->rsv = ut_reservation_new(rsv_size);
	f->base = pmem2_vm_reservation_get_address(f->rsv);
	f->size = rsv_size;
	f->set = ut_set_new(f->rsv, NULL, NULL);
}

/* the reservation is where and as big as it was */
static void assert_reservation_unchanged(struct fixture *f)
{
	CU_ASSERT(pmem2_vm_reservation_get_address(f->rsv) == f->base);
	UT_ASSERT_EQ(pmem2_vm_reservation_get_size(f->rsv), f->size);
}

static void fixture_close(struct fixture *f)
{
	UT_ASSERT_EQ(pmemset_delete(&f->set), 0);
	assert_reservation_unchanged(f);
	CU_ASSERT(ut_range_unreadable(f->base, f->size));
	/* the set left it empty, so libpmem2 lets us delete it */
	UT_ASSERT_EQ(pmem2_vm_reservation_delete(&f->rsv), 0);
	pmemset_source_delete(&f->src);
}

static void three_parts_fill_reservation_at_distinct_addresses(void)
{
	struct fixture f;
	fixture_open(&f, "three", 3 * 64 * KIB);
	struct pmemset_part_descriptor d[3];
	for (int i = 0; i < 3; i++) {
		d[i] = ut_map_ok(f.set, f.src, (size_t)i * 64 * KIB, 64 * KIB);
		/* first fit from the bottom: slot i */
		CU_ASSERT(d[i].addr == f.base + (size_t)i * 64 * KIB);
		UT_ASSERT_EQ(d[i].size, 64 * KIB);
		CU_ASSERT(ut_mem_has_pattern(d[i].addr, (size_t)i * 64 * KIB,
					     64 * KIB, 61));
	}
	UT_ASSERT_EQ(ut_count_maps(f.set), 3);
	for (int i = 0; i < 3; i++) {
		struct pmemset_part_map *pm = NULL;
		UT_ASSERT_EQ_FATAL(
			pmemset_part_map_by_address(f.set, &pm, d[i].addr), 0);
		UT_ASSERT_EQ(pmemset_remove_part_map(f.set, &pm), 0);
		CU_ASSERT_PTR_NULL(pm);
		assert_reservation_unchanged(&f);
		CU_ASSERT(ut_range_unreadable(d[i].addr, d[i].size));
	}
	UT_ASSERT_EQ(ut_count_maps(f.set), 0);
	fixture_close(&f);
}

static void full_coalescing_trims_and_regrows_inside_reservation(void)
{
	struct fixture f;
	fixture_open(&f, "full_rsv", 3 * 64 * KIB);
	pmemset_set_contiguous_part_coalescing(f.set, PMEMSET_COALESCING_FULL);
	for (int i = 0; i < 3; i++)
		ut_map_ok(f.set, f.src, (size_t)i * 64 * KIB, 64 * KIB);
	struct pmemset_part_descriptor maps[3];
	UT_ASSERT_EQ_FATAL(ut_list_maps(f.set, maps, 3), 1);
	CU_ASSERT(maps[0].addr == f.base);
	UT_ASSERT_EQ(maps[0].size, 192 * KIB);

	/* drop the first part's range, then the third's */
	UT_ASSERT_EQ(pmemset_remove_range(f.set, f.base, 64 * KIB), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, f.base + 128 * KIB, 64 * KIB),
		     0);
	UT_ASSERT_EQ_FATAL(ut_list_maps(f.set, maps, 3), 1);
	CU_ASSERT(maps[0].addr == f.base + 64 * KIB);
	UT_ASSERT_EQ(maps[0].size, 64 * KIB);
	CU_ASSERT(ut_mem_has_pattern(maps[0].addr, 64 * KIB, 64 * KIB, 61));
	CU_ASSERT(ut_range_unreadable(f.base, 64 * KIB));
	CU_ASSERT(ut_range_unreadable(f.base + 128 * KIB, 64 * KIB));
	assert_reservation_unchanged(&f);

	/* the anchor is still that part map: the next part joins it */
	struct pmemset_part_descriptor d = ut_map_ok(f.set, f.src, 0, 64 * KIB);
	CU_ASSERT(d.addr == f.base + 64 * KIB);
	UT_ASSERT_EQ(d.size, 128 * KIB);
	UT_ASSERT_EQ_FATAL(ut_list_maps(f.set, maps, 3), 1);
	CU_ASSERT(ut_desc_eq(maps[0], d));
	CU_ASSERT(ut_mem_has_pattern(f.base + 128 * KIB, 0, 64 * KIB, 61));
	assert_reservation_unchanged(&f);
	fixture_close(&f);
}

static void part_larger_than_reservation_cannot_fit(void)
{
	struct fixture f;
	fixture_open(&f, "too_big", 64 * KIB);
	struct pmemset_part *part = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_part_new(&part, f.set, f.src, 0, 128 * KIB),
			   0);
	struct pmemset_part *mine = part;
	UT_ASSERT_EQ(pmemset_part_map(&part, NULL, NULL),
		     PMEMSET_E_CANNOT_FIT_PART_MAP);
	CU_ASSERT(part == mine);
	pmemset_part_delete(&part);
	assert_reservation_unchanged(&f);
	UT_ASSERT_EQ(ut_count_maps(f.set), 0);
	fixture_close(&f);
}

static void fragmented_reservation_cannot_fit_larger_part(void)
{
	struct fixture f;
	fixture_open(&f, "fragmented", 3 * 128 * KIB);
	struct pmemset_part_descriptor d[6];
	for (int i = 0; i < 6; i++)
		d[i] = ut_map_ok(f.set, f.src, 0, 64 * KIB);
	UT_ASSERT_EQ(ut_map(f.set, f.src, 0, 64 * KIB, NULL),
		     PMEMSET_E_CANNOT_FIT_PART_MAP); /* full */
	for (int i = 1; i < 6; i += 2)
		UT_ASSERT_EQ(pmemset_remove_range(f.set, d[i].addr, d[i].size),
			     0);
	UT_ASSERT_EQ(ut_count_maps(f.set), 3);
	/* 192 KiB free in total, but no 128 KiB hole */
	UT_ASSERT_EQ(ut_map(f.set, f.src, 0, 128 * KIB, NULL),
		     PMEMSET_E_CANNOT_FIT_PART_MAP);
	assert_reservation_unchanged(&f);
	UT_ASSERT_EQ(ut_count_maps(f.set), 3);
	fixture_close(&f);
}

static void freed_space_is_reused_lowest_hole_first(void)
{
	struct fixture f;
	fixture_open(&f, "reuse", 4 * 64 * KIB);
	struct pmemset_part_descriptor d[4];
	for (int i = 0; i < 4; i++)
		d[i] = ut_map_ok(f.set, f.src, 0, 64 * KIB);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, d[2].addr, 64 * KIB), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, d[1].addr, 64 * KIB), 0);
	/* a 128 KiB part fits exactly into the joined hole */
	struct pmemset_part_descriptor big =
		ut_map_ok(f.set, f.src, 0, 128 * KIB);
	CU_ASSERT(big.addr == f.base + 64 * KIB);
	CU_ASSERT(ut_mem_has_pattern(big.addr, 0, 128 * KIB, 61));
	UT_ASSERT_EQ(ut_count_maps(f.set), 3);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, d[0].addr, 64 * KIB), 0);
	struct pmemset_part_descriptor low =
		ut_map_ok(f.set, f.src, 0, 64 * KIB);
	CU_ASSERT(low.addr == f.base);
	assert_reservation_unchanged(&f);
	fixture_close(&f);
}

static void unaligned_length_in_reservation_is_invalid_pmem2_map(void)
{
	struct fixture f;
	fixture_open(&f, "rsv_unaligned", 256 * KIB);
	UT_ASSERT_EQ(ut_map(f.set, f.src, 0, 64 * KIB + 1, NULL),
		     PMEMSET_E_INVALID_PMEM2_MAP);
	UT_ASSERT_EQ(ut_count_maps(f.set), 0);
	/* nothing left behind: the whole reservation is still free */
	struct pmemset_part_descriptor d =
		ut_map_ok(f.set, f.src, 0, 256 * KIB);
	CU_ASSERT(d.addr == f.base);
	assert_reservation_unchanged(&f);
	fixture_close(&f);
}

static void failed_mapping_leaves_reservation_slot_free(void)
{
	struct fixture f;
	fixture_open(&f, "rsv_failed", 2 * 64 * KIB);
	ut_map_ok(f.set, f.src, 0, 64 * KIB);
	/* past the end of the 256 KiB file: libpmem2 refuses */
	UT_ASSERT_EQ(ut_map(f.set, f.src, 256 * KIB, 64 * KIB, NULL),
		     PMEMSET_E_INVALID_PMEM2_MAP);
	struct pmemset_part_descriptor d =
		ut_map_ok(f.set, f.src, 64 * KIB, 64 * KIB);
	CU_ASSERT(d.addr == f.base + 64 * KIB);
	UT_ASSERT_EQ(ut_count_maps(f.set), 2);
	fixture_close(&f);
}

static CU_TestInfo tests[] = {
	{"three_parts_fill_reservation_at_distinct_addresses",
	 three_parts_fill_reservation_at_distinct_addresses},
	{"full_coalescing_trims_and_regrows_inside_reservation",
	 full_coalescing_trims_and_regrows_inside_reservation},
	{"part_larger_than_reservation_cannot_fit",
	 part_larger_than_reservation_cannot_fit},
	{"fragmented_reservation_cannot_fit_larger_part",
	 fragmented_reservation_cannot_fit_larger_part},
	{"freed_space_is_reused_lowest_hole_first",
	 freed_space_is_reused_lowest_hole_first},
	{"unaligned_length_in_reservation_is_invalid_pmem2_map",
	 unaligned_length_in_reservation_is_invalid_pmem2_map},
	{"failed_mapping_leaves_reservation_slot_free",
	 failed_mapping_leaves_reservation_slot_free},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("reservation", tests);
}
