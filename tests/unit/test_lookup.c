/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_lookup.c -- iteration (first/next in address order, not mapping
 * order), lookup by any address inside a part map, descriptors, and the
 * reference counts these take and pmemset_part_map_drop releases.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define NOT_NULL_MAP ((struct pmemset_part_map *)0x1)

static void first_part_map_of_empty_set_is_null(void)
{
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_map *pm = NOT_NULL_MAP;
	pmemset_first_part_map(set, &pm);
	CU_ASSERT_PTR_NULL(pm);
	pmemset_delete(&set);
}

static void first_part_map_after_one_mapping(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "first"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 64 * KIB);
	struct pmemset_part_map *pm = NULL;
	pmemset_first_part_map(set, &pm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
	struct pmemset_part_descriptor got = pmemset_descriptor_part_map(pm);
	CU_ASSERT(ut_desc_eq(got, d));
	UT_ASSERT_EQ(got.size, 64 * KIB);

	struct pmemset_part_map *next = NOT_NULL_MAP;
	pmemset_next_part_map(set, pm, &next);
	CU_ASSERT_PTR_NULL(next);
	pmemset_part_map_drop(&pm);
	CU_ASSERT_PTR_NULL(pm);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void next_part_map_is_higher_and_sizes_differ(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "two_sizes"), 256 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	ut_map_ok(set, src, 0, 64 * KIB);
	ut_map_ok(set, src, 64 * KIB, 128 * KIB);

	struct pmemset_part_map *first = NULL, *second = NULL;
	pmemset_first_part_map(set, &first);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	pmemset_next_part_map(set, first, &second);
	CU_ASSERT_PTR_NOT_NULL_FATAL(second);
	struct pmemset_part_descriptor a = pmemset_descriptor_part_map(first);
	struct pmemset_part_descriptor b = pmemset_descriptor_part_map(second);
	CU_ASSERT((char *)a.addr < (char *)b.addr);
	CU_ASSERT((char *)a.addr + a.size <= (char *)b.addr);
	CU_ASSERT(a.size != b.size);
	CU_ASSERT((a.size == 64 * KIB && b.size == 128 * KIB) ||
		  (a.size == 128 * KIB && b.size == 64 * KIB));
	pmemset_part_map_drop(&first);
	pmemset_part_map_drop(&second);
	CU_ASSERT_PTR_NULL(first);
	CU_ASSERT_PTR_NULL(second);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void iteration_follows_addresses_not_mapping_order(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "order"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(4 * 64 * KIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	for (int i = 0; i < 4; i++)
		ut_map_ok(set, src, 0, 64 * KIB);
	/* free slots 0 and 2, then map into them: newest are lowest */
	pmemset_remove_range(set, base, 64 * KIB);
	pmemset_remove_range(set, base + 128 * KIB, 64 * KIB);
	ut_map_ok(set, src, 0, 64 * KIB);
	ut_map_ok(set, src, 0, 64 * KIB);
	struct pmemset_part_descriptor maps[5];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, maps, 5), 4);
	for (int i = 0; i < 4; i++)
		CU_ASSERT(maps[i].addr == base + (size_t)i * 64 * KIB);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void lookup_by_any_address_inside_part_map(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "by_address"), 256 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d[3];
	d[0] = ut_map_ok(set, src, 0, 64 * KIB);
	d[1] = ut_map_ok(set, src, 64 * KIB, 128 * KIB);
	d[2] = ut_map_ok(set, src, 192 * KIB, 64 * KIB);
	for (int i = 0; i < 3; i++) {
		size_t probes[] = {0, 1, d[i].size / 2, d[i].size - 1};
		for (int p = 0; p < 4; p++) {
			struct pmemset_part_map *pm = NOT_NULL_MAP;
			UT_ASSERT_EQ(
				pmemset_part_map_by_address(
					set, &pm, ut_add(d[i].addr, probes[p])),
				0);
			CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
			CU_ASSERT(ut_desc_eq(pmemset_descriptor_part_map(pm),
					     d[i]));
			pmemset_part_map_drop(&pm);
		}
	}
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void lookup_outside_every_part_map_fails(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "bogus"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(3 * 64 * KIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	ut_map_ok(set, src, 0, 64 * KIB);

	void *bogus[] = {(void *)0x999, base + 64 * KIB, base + 64 * KIB + 1,
			 base + 3 * 64 * KIB - 1, base - 1};
	for (size_t i = 0; i < sizeof(bogus) / sizeof(bogus[0]); i++) {
		struct pmemset_part_map *pm = NOT_NULL_MAP;
		UT_ASSERT_EQ(pmemset_part_map_by_address(set, &pm, bogus[i]),
			     PMEMSET_E_CANNOT_FIND_PART_MAP);
		CU_ASSERT_PTR_NULL(pm);
	}
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void references_block_removal_until_dropped(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "refs"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 64 * KIB);

	/* three references: first, by_address, by_address */
	struct pmemset_part_map *a = NULL, *b = NULL, *c = NULL;
	pmemset_first_part_map(set, &a);
	UT_ASSERT_EQ(pmemset_part_map_by_address(set, &b, d.addr), 0);
	UT_ASSERT_EQ(pmemset_part_map_by_address(set, &c, d.addr), 0);
	CU_ASSERT_FATAL(a == b && b == c && a != NULL);

	struct pmemset_part_map *mine = a;
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &a),
		     PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP);
	CU_ASSERT(a == mine);
	pmemset_part_map_drop(&b);
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &a),
		     PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP);
	CU_ASSERT(a == mine);
	/* a range removal wants no reference at all */
	pmemset_part_map_drop(&c);
	UT_ASSERT_EQ(pmemset_remove_range(set, d.addr, d.size),
		     PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP);
	UT_ASSERT_EQ(ut_count_maps(set), 1);
	CU_ASSERT(ut_range_readable(d.addr, d.size));
	/* the caller's own single reference is allowed */
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &a), 0);
	CU_ASSERT_PTR_NULL(a);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void descriptor_read_takes_no_reference(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "descriptor"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	ut_map_ok(set, src, 0, 64 * KIB);
	struct pmemset_part_map *pm = NULL;
	pmemset_first_part_map(set, &pm);
	for (int i = 0; i < 5; i++)
		pmemset_descriptor_part_map(pm);
	/* still only our one reference: removal allowed */
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &pm), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void next_part_map_does_not_release_current(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "next_keeps"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	ut_map_ok(set, src, 0, 64 * KIB);
	ut_map_ok(set, src, 64 * KIB, 64 * KIB);
	struct pmemset_part_map *first = NULL, *next = NULL, *again = NULL;
	pmemset_first_part_map(set, &first);
	pmemset_next_part_map(set, first, &next);
	pmemset_first_part_map(set, &again);
	CU_ASSERT_FATAL(again == first);
	/* first holds two references (ours and again's) */
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &first),
		     PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP);
	pmemset_part_map_drop(&again);
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &first), 0);
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &next), 0);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

#define MANY 300

/*
 * Looks up every address that matters of the set many times over (enough
 * for the library to build its lookup table) and checks each answer
 * against the descriptors: the start, the middle and the last byte of
 * every part map find it; the bytes just below, and in the holes between,
 * find nothing.
 */
static void check_lookups(struct pmemset *set)
{
	static struct pmemset_part_descriptor d[MANY];
	size_t n = ut_list_maps(set, d, MANY);
	CU_ASSERT_FATAL(n <= MANY);
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < n; i++) {
			char *start = d[i].addr;
			char *probes[] = {start, start + d[i].size / 2,
					  start + d[i].size - 1};
			for (int p = 0; p < 3; p++) {
				struct pmemset_part_map *pm = NULL;
				UT_ASSERT_EQ(pmemset_part_map_by_address(
						     set, &pm, probes[p]),
					     0);
				CU_ASSERT_FATAL(pm != NULL);
				CU_ASSERT(ut_desc_eq(
					pmemset_descriptor_part_map(pm), d[i]));
				pmemset_part_map_drop(&pm);
			}
			bool hole_below =
				i == 0 ||
				(char *)d[i - 1].addr + d[i - 1].size < start;
			if (!hole_below)
				continue;
			struct pmemset_part_map *pm = NOT_NULL_MAP;
			UT_ASSERT_EQ(pmemset_part_map_by_address(set, &pm,
								 start - 1),
				     PMEMSET_E_CANNOT_FIND_PART_MAP);
			CU_ASSERT_PTR_NULL(pm);
		}
		struct pmemset_part_map *pm = NOT_NULL_MAP;
		char *top = (char *)d[n - 1].addr + d[n - 1].size;
		UT_ASSERT_EQ(pmemset_part_map_by_address(set, &pm, top),
			     PMEMSET_E_CANNOT_FIND_PART_MAP);
		CU_ASSERT_PTR_NULL(pm);
	}
}

/*
 * Between changes the library answers lookups from a table it builds from
 * the index; every change (a removal that leaves a hole, a split, a part
 * coalesced onto a part map, which moves its end) must show at once.
 */
static void lookups_stay_right_across_changes(void)
{
	char path[PATH_MAX];
	size_t part = 4 * KIB;
	ut_file_create_sparse(ut_path(path, "many"), MANY * part);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d[MANY];
	for (size_t i = 0; i < MANY - 20; i++)
		d[i] = ut_map_ok(set, src, i * part, part);
	check_lookups(set);

	/* holes: every seventh part map goes */
	for (size_t i = 3; i < MANY - 20; i += 7)
		UT_ASSERT_EQ(pmemset_remove_range(set, d[i].addr, 1), 0);
	check_lookups(set);

	/* a lookup through the table takes a reference that blocks removal */
	struct pmemset_part_map *held = NULL;
	UT_ASSERT_EQ(pmemset_part_map_by_address(set, &held, d[11].addr), 0);
	UT_ASSERT_EQ(pmemset_remove_range(set, d[11].addr, 1),
		     PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP);
	pmemset_part_map_drop(&held);

	/* coalesce 20 parts onto the last part map: its end moves up */
	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
			     set, PMEMSET_COALESCING_FULL),
		     0);
	for (size_t i = MANY - 20; i < MANY; i++) {
		d[i] = ut_map_ok(set, src, i * part, part);
		if (i % 5 == 0)
			check_lookups(set);
	}
	check_lookups(set);

	/* split the coalesced part map in the middle */
	UT_ASSERT_EQ(pmemset_remove_range(set, d[MANY - 10].addr, 1), 0);
	check_lookups(set);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static CU_TestInfo tests[] = {
	{"lookups_stay_right_across_changes",
	 lookups_stay_right_across_changes},
	{"first_part_map_of_empty_set_is_null",
	 first_part_map_of_empty_set_is_null},
	{"first_part_map_after_one_mapping", first_part_map_after_one_mapping},
	{"next_part_map_is_higher_and_sizes_differ",
	 next_part_map_is_higher_and_sizes_differ},
	{"iteration_follows_addresses_not_mapping_order",
	 iteration_follows_addresses_not_mapping_order},
	{"lookup_by_any_address_inside_part_map",
	 lookup_by_any_address_inside_part_map},
	{"lookup_outside_every_part_map_fails",
	 lookup_outside_every_part_map_fails},
	{"references_block_removal_until_dropped",
	 references_block_removal_until_dropped},
	{"descriptor_read_takes_no_reference",
	 descriptor_read_takes_no_reference},
	{"next_part_map_does_not_release_current",
	 next_part_map_does_not_release_current},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("lookup", tests);
}
