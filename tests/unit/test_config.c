/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_config.c -- the configuration object: creation and deletion, the
 * granularity setter's accepted values, out-of-memory creation, and that a
 * set copies the config (later changes or deletion do not reach the set).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "util.h"

static void config_new_delete_round_trip(void)
{
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ(pmemset_config_new(&cfg), 0);
	CU_ASSERT_PTR_NOT_NULL(cfg);
	UT_ASSERT_EQ(pmemset_config_delete(&cfg), 0);
	CU_ASSERT_PTR_NULL(cfg);
}

static void config_delete_null_returns_zero(void)
{
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ(pmemset_config_delete(&cfg), 0);
	CU_ASSERT_PTR_NULL(cfg);
}

static void config_new_out_of_memory_returns_enomem_and_null(void)
{
	struct pmemset_config *cfg = (struct pmemset_config *)&cfg;
	pmemset_fault_reset();
	pmemset_fault_inject(PMEMSET_FAULT_ALLOC, 1);
	int ret = pmemset_config_new(&cfg);
	pmemset_fault_reset();
	UT_ASSERT_EQ(ret, -ENOMEM);
	CU_ASSERT_PTR_NULL(cfg);
}

static void config_granularity_999_not_supported(void)
{
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
	UT_ASSERT_EQ(pmemset_config_set_required_store_granularity(
			     cfg, (enum pmem2_granularity)999),
		     PMEMSET_E_GRANULARITY_NOT_SUPPORTED);
	UT_ASSERT_EQ(pmemset_config_set_required_store_granularity(
			     cfg, (enum pmem2_granularity) - 1),
		     PMEMSET_E_GRANULARITY_NOT_SUPPORTED);

	/* the config is unchanged: still no granularity, so no set */
	struct pmemset *set = NULL;
	UT_ASSERT_EQ(pmemset_new(&set, cfg), PMEMSET_E_GRANULARITY_NOT_SET);
	CU_ASSERT_PTR_NULL(set);
	pmemset_config_delete(&cfg);
}

static void config_rejected_granularity_keeps_previous_value(void)
{
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
	UT_ASSERT_EQ(pmemset_config_set_required_store_granularity(
			     cfg, PMEM2_GRANULARITY_PAGE),
		     0);
	UT_ASSERT_EQ(pmemset_config_set_required_store_granularity(
			     cfg, (enum pmem2_granularity)999),
		     PMEMSET_E_GRANULARITY_NOT_SUPPORTED);

	struct pmemset *set = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_new(&set, cfg), 0);
	/* PAGE is still required: a regular file maps fine */
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "keep_previous"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	UT_ASSERT_EQ(ut_map(set, src, 0, 64 * KIB, NULL), 0);
	enum pmem2_granularity g = PMEM2_GRANULARITY_BYTE;
	UT_ASSERT_EQ(pmemset_get_store_granularity(set, &g), 0);
	UT_ASSERT_EQ(g, PMEM2_GRANULARITY_PAGE);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
	pmemset_config_delete(&cfg);
}

static void config_accepts_byte_cache_line_and_page(void)
{
	const enum pmem2_granularity all[] = {PMEM2_GRANULARITY_BYTE,
					      PMEM2_GRANULARITY_CACHE_LINE,
					      PMEM2_GRANULARITY_PAGE};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		struct pmemset_config *cfg = NULL;
		UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
		UT_ASSERT_EQ(pmemset_config_set_required_store_granularity(
				     cfg, all[i]),
			     0);
		struct pmemset *set = NULL;
		UT_ASSERT_EQ(pmemset_new(&set, cfg), 0);
		CU_ASSERT_PTR_NOT_NULL(set);
		UT_ASSERT_EQ(pmemset_delete(&set), 0);
		pmemset_config_delete(&cfg);
	}
}

static void event_structures_fit_context_size(void)
{
	struct pmemset_event_context ctx;
	UT_ASSERT_EQ(sizeof(ctx.data), PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_copy) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_move) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_set) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_flush) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_persist) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_bad_block) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_remove_range) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_part_remove) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
	CU_ASSERT(sizeof(struct pmemset_event_part_add) <=
		  PMEMSET_EVENT_CONTEXT_SIZE);
}

struct event_counter {
	int part_adds;
};

static int count_part_add(struct pmemset *set,
			  struct pmemset_event_context *ctx, void *arg)
{
	(void)set;
	struct event_counter *counter = arg;
	if (ctx->type == PMEMSET_EVENT_PART_ADD)
		counter->part_adds++;
	return 0;
}

static void set_copies_config_later_changes_do_not_apply(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "copied_config"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);

	struct event_counter first = {0}, second = {0};
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
	pmemset_config_set_required_store_granularity(cfg,
						      PMEM2_GRANULARITY_PAGE);
	pmemset_config_set_event_callback(cfg, count_part_add, &first);
	struct pmemset *set = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_new(&set, cfg), 0);

	/* changed after the set was made: must not reach that set */
	pmemset_config_set_event_callback(cfg, count_part_add, &second);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(64 * KIB);
	pmemset_config_set_reservation(cfg, rsv);
	pmemset_config_delete(&cfg);

	UT_ASSERT_EQ(ut_map(set, src, 0, 64 * KIB, NULL), 0);
	/* no reservation in the set: a second part needs no room in rsv */
	UT_ASSERT_EQ(ut_map(set, src, 64 * KIB, 64 * KIB, NULL), 0);
	UT_ASSERT_EQ(first.part_adds, 2);
	UT_ASSERT_EQ(second.part_adds, 0);
	UT_ASSERT_EQ(ut_count_maps(set), 2);

	pmemset_delete(&set);
	UT_ASSERT_EQ(pmem2_vm_reservation_delete(&rsv), 0);
	pmemset_source_delete(&src);
}

static void config_reused_for_many_sets(void)
{
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
	pmemset_config_set_required_store_granularity(cfg,
						      PMEM2_GRANULARITY_PAGE);
	struct pmemset *sets[4] = {NULL};
	for (int i = 0; i < 4; i++) {
		UT_ASSERT_EQ(pmemset_new(&sets[i], cfg), 0);
		CU_ASSERT_PTR_NOT_NULL(sets[i]);
	}
	for (int i = 0; i < 4; i++) {
		UT_ASSERT_EQ(pmemset_delete(&sets[i]), 0);
		CU_ASSERT_PTR_NULL(sets[i]);
	}
	pmemset_config_delete(&cfg);
}

static void config_reservation_null_clears_it(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "rsv_cleared"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(64 * KIB);

	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
	pmemset_config_set_required_store_granularity(cfg,
						      PMEM2_GRANULARITY_PAGE);
	pmemset_config_set_reservation(cfg, rsv);
	pmemset_config_set_reservation(cfg, NULL);
	struct pmemset *set = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_new(&set, cfg), 0);
	pmemset_config_delete(&cfg);

	/* 128 KiB would not fit the 64 KiB reservation if it were used */
	struct pmemset_part_descriptor desc = {NULL, 0};
	UT_ASSERT_EQ(ut_map(set, src, 0, 128 * KIB, &desc), 0);
	char *base = pmem2_vm_reservation_get_address(rsv);
	CU_ASSERT((char *)desc.addr + desc.size <= base ||
		  (char *)desc.addr >= base + 64 * KIB);

	pmemset_delete(&set);
	UT_ASSERT_EQ(pmem2_vm_reservation_delete(&rsv), 0);
	pmemset_source_delete(&src);
}

static CU_TestInfo tests[] = {
	{"config_new_delete_round_trip", config_new_delete_round_trip},
	{"config_delete_null_returns_zero", config_delete_null_returns_zero},
	{"config_new_out_of_memory_returns_enomem_and_null",
	 config_new_out_of_memory_returns_enomem_and_null},
	{"config_granularity_999_not_supported",
	 config_granularity_999_not_supported},
	{"config_rejected_granularity_keeps_previous_value",
	 config_rejected_granularity_keeps_previous_value},
	{"config_accepts_byte_cache_line_and_page",
	 config_accepts_byte_cache_line_and_page},
	{"event_structures_fit_context_size",
	 event_structures_fit_context_size},
	{"set_copies_config_later_changes_do_not_apply",
	 set_copies_config_later_changes_do_not_apply},
	{"config_reused_for_many_sets", config_reused_for_many_sets},
	{"config_reservation_null_clears_it",
	 config_reservation_null_clears_it},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("config", tests);
}
