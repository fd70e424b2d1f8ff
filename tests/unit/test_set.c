/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_set.c -- set lifetime: creation and deletion, out-of-memory at each
 * allocation of pmemset_new, a missing granularity, the effective store
 * granularity, the coalescing setter's validation, that deletion unmaps
 * everything, and that the data path is harmless before any mapping.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "util.h"

static struct pmemset_config *page_config(void)
{
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
	UT_ASSERT_EQ_FATAL(pmemset_config_set_required_store_granularity(
				   cfg, PMEM2_GRANULARITY_PAGE),
			   0);
	return cfg;
}

static void set_new_delete_with_page_granularity(void)
{
	struct pmemset_config *cfg = page_config();
	struct pmemset *set = NULL;
	UT_ASSERT_EQ(pmemset_new(&set, cfg), 0);
	CU_ASSERT_PTR_NOT_NULL(set);
	UT_ASSERT_EQ(pmemset_delete(&set), 0);
	CU_ASSERT_PTR_NULL(set);
	pmemset_config_delete(&cfg);
}

static void set_delete_null_returns_zero(void)
{
	struct pmemset *set = NULL;
	UT_ASSERT_EQ(pmemset_delete(&set), 0);
	CU_ASSERT_PTR_NULL(set);
}

static void set_new_without_granularity_fails_and_nulls(void)
{
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
	struct pmemset *set = (struct pmemset *)&cfg; /* not NULL on entry */
	UT_ASSERT_EQ(pmemset_new(&set, cfg), PMEMSET_E_GRANULARITY_NOT_SET);
	CU_ASSERT_PTR_NULL(set);
	pmemset_config_delete(&cfg);
}

static void set_new_out_of_memory_at_each_allocation(void)
{
	struct pmemset_config *cfg = page_config();
	unsigned long failed = 0;
	for (unsigned long nth = 1; nth < 64; nth++) {
		struct pmemset *set = (struct pmemset *)&cfg;
		pmemset_fault_reset();
		pmemset_fault_inject(PMEMSET_FAULT_ALLOC, nth);
		int ret = pmemset_new(&set, cfg);
		pmemset_fault_reset();
		if (ret == 0) {
			/* nth is past the last allocation of pmemset_new */
			CU_ASSERT_PTR_NOT_NULL(set);
			pmemset_delete(&set);
			break;
		}
		failed++;
		UT_ASSERT_EQ(ret, -ENOMEM);
		CU_ASSERT_PTR_NULL(set);
	}
	/* the set itself, and its config copy or index, are allocated */
	CU_ASSERT(failed >= 1);
	pmemset_config_delete(&cfg);
}

static void config_deleted_before_set(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "cfg_first"), 64 * KIB, 3);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset_config *cfg = page_config();
	struct pmemset *set = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_new(&set, cfg), 0);
	pmemset_config_delete(&cfg);
	struct pmemset_part_descriptor desc = ut_map_ok(set, src, 0, 64 * KIB);
	CU_ASSERT(ut_mem_has_pattern(desc.addr, 0, 64 * KIB, 3));
	UT_ASSERT_EQ(pmemset_delete(&set), 0);
	pmemset_source_delete(&src);
}

static void set_delete_unmaps_every_part_map(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "delete_unmaps"), 256 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d[3];
	d[0] = ut_map_ok(set, src, 0, 64 * KIB);
	d[1] = ut_map_ok(set, src, 64 * KIB, 128 * KIB);
	d[2] = ut_map_ok(set, src, 192 * KIB, 64 * KIB);
	for (int i = 0; i < 3; i++)
		CU_ASSERT(ut_range_readable(d[i].addr, d[i].size));

	/* references are ignored by delete */
	struct pmemset_part_map *held = NULL;
	pmemset_first_part_map(set, &held);
	CU_ASSERT_PTR_NOT_NULL(held);

	UT_ASSERT_EQ(pmemset_delete(&set), 0);
	CU_ASSERT_PTR_NULL(set);
	for (int i = 0; i < 3; i++)
		CU_ASSERT(ut_range_unreadable(d[i].addr, d[i].size));
	pmemset_source_delete(&src);
}

static void set_delete_empties_configured_reservation(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "delete_rsv"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(256 * KIB);
	void *base = pmem2_vm_reservation_get_address(rsv);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	ut_map_ok(set, src, 0, 64 * KIB);
	ut_map_ok(set, src, 64 * KIB, 64 * KIB);

	/* libpmem2 refuses to delete a reservation that still has maps */
	CU_ASSERT(pmem2_vm_reservation_delete(&rsv) != 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rsv);

	UT_ASSERT_EQ(pmemset_delete(&set), 0);
	CU_ASSERT(pmem2_vm_reservation_get_address(rsv) == base);
	UT_ASSERT_EQ(pmem2_vm_reservation_get_size(rsv), 256 * KIB);
	CU_ASSERT(ut_range_unreadable(base, 256 * KIB));
	UT_ASSERT_EQ(pmem2_vm_reservation_delete(&rsv), 0);
	pmemset_source_delete(&src);
}

static void store_granularity_unknown_before_first_mapping(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "granularity"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);

	enum pmem2_granularity g = (enum pmem2_granularity)77;
	UT_ASSERT_EQ(pmemset_get_store_granularity(set, &g),
		     PMEMSET_E_NO_PART_MAPPED);
	UT_ASSERT_EQ(g, 77); /* untouched */

	struct pmemset_part_descriptor desc = ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ(pmemset_get_store_granularity(set, &g), 0);
	UT_ASSERT_EQ(g, PMEM2_GRANULARITY_PAGE);

	/* stays known after every part map is gone */
	UT_ASSERT_EQ(pmemset_remove_range(set, desc.addr, desc.size), 0);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	g = (enum pmem2_granularity)77;
	UT_ASSERT_EQ(pmemset_get_store_granularity(set, &g), 0);
	UT_ASSERT_EQ(g, PMEM2_GRANULARITY_PAGE);

	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void coalescing_rejects_unknown_value(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "coalescing_value"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(128 * KIB);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);

	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
			     set, (enum pmemset_coalescing)3),
		     PMEMSET_E_INVALID_COALESCING_VALUE);
	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
			     set, (enum pmemset_coalescing) - 1),
		     PMEMSET_E_INVALID_COALESCING_VALUE);
	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
			     set, PMEMSET_COALESCING_NONE),
		     0);
	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
			     set, PMEMSET_COALESCING_OPPORTUNISTIC),
		     0);
	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
			     set, PMEMSET_COALESCING_FULL),
		     0);
	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
			     set, (enum pmemset_coalescing)7),
		     PMEMSET_E_INVALID_COALESCING_VALUE);

	/* FULL is still in force: two parts become one part map */
	ut_map_ok(set, src, 0, 64 * KIB);
	ut_map_ok(set, src, 64 * KIB, 64 * KIB);
	UT_ASSERT_EQ(ut_count_maps(set), 1);

	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void data_path_before_first_mapping_returns_cleanly(void)
{
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	char buf[64];
	UT_ASSERT_EQ(pmemset_persist(set, buf, sizeof(buf)), 0);
	UT_ASSERT_EQ(pmemset_flush(set, buf, sizeof(buf)), 0);
	UT_ASSERT_EQ(pmemset_drain(set), 0);
	UT_ASSERT_EQ(pmemset_deep_flush(set, buf, sizeof(buf)), 0);
	UT_ASSERT_EQ(pmemset_remove_range(set, buf, sizeof(buf)), 0);
	pmemset_delete(&set);
}

static CU_TestInfo tests[] = {
	{"set_new_delete_with_page_granularity",
	 set_new_delete_with_page_granularity},
	{"set_delete_null_returns_zero", set_delete_null_returns_zero},
	{"set_new_without_granularity_fails_and_nulls",
	 set_new_without_granularity_fails_and_nulls},
	{"set_new_out_of_memory_at_each_allocation",
	 set_new_out_of_memory_at_each_allocation},
	{"config_deleted_before_set", config_deleted_before_set},
	{"set_delete_unmaps_every_part_map", set_delete_unmaps_every_part_map},
	{"set_delete_empties_configured_reservation",
	 set_delete_empties_configured_reservation},
	{"store_granularity_unknown_before_first_mapping",
	 store_granularity_unknown_before_first_mapping},
	{"coalescing_rejects_unknown_value", coalescing_rejects_unknown_value},
	{"data_path_before_first_mapping_returns_cleanly",
	 data_path_before_first_mapping_returns_cleanly},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("set", tests);
}
