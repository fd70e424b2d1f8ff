/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_deep_flush.c -- pmemset_deep_flush calls libpmem2's deep flush once
 * per underlying mapping that the range touches, with exactly the
 * intersection, skips gaps, stops at the first failure, leaves no
 * references behind and fires no events. The executable is linked with
 * -Wl,--wrap=pmem2_deep_flush, so every call the library makes lands in
 * the recording wrapper below, which then calls the real function.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define SLOT (64 * KIB)
#define MAX_CALLS 64

struct flush_call {
	struct pmem2_map *map;
	char *ptr;
	size_t size;
};

static struct flush_call calls[MAX_CALLS];
static size_t call_count;
static size_t fail_at; /* 1-based call that fails, 0: none */

int __real_pmem2_deep_flush(struct pmem2_map *map, void *ptr, size_t size);
int __wrap_pmem2_deep_flush(struct pmem2_map *map, void *ptr, size_t size);

int __wrap_pmem2_deep_flush(struct pmem2_map *map, void *ptr, size_t size)
{
	if (call_count < MAX_CALLS)
		calls[call_count] = (struct flush_call){map, ptr, size};
	call_count++;
	if (fail_at && call_count == fail_at)
		return PMEM2_E_DEEP_FLUSH_RANGE;
	return __real_pmem2_deep_flush(map, ptr, size);
}

static void reset_calls(void)
{
	call_count = 0;
	fail_at = 0;
	memset(calls, 0, sizeof(calls));
}

static int by_address(const void *a, const void *b)
{
	const struct flush_call *x = a, *y = b;
	return x->ptr < y->ptr ? -1 : x->ptr > y->ptr;
}

/*
 * Deep-flushes [ptr, ptr+size) and checks one call per expected
 * [from, to) range (given in ascending order), each on its own mapping.
 */
static void expect_calls(struct pmemset *set, char *ptr, size_t size,
			 const char *(*ranges)[2], size_t count)
{
	reset_calls();
	UT_ASSERT_EQ(pmemset_deep_flush(set, ptr, size), 0);
	UT_ASSERT_EQ(call_count, count);
	if (call_count != count || count > MAX_CALLS)
		return;
	qsort(calls, count, sizeof(calls[0]), by_address);
	for (size_t i = 0; i < count; i++) {
		CU_ASSERT(calls[i].ptr == ranges[i][0]);
		UT_ASSERT_EQ(calls[i].size, ranges[i][1] - ranges[i][0]);
		CU_ASSERT_PTR_NOT_NULL(calls[i].map);
		if (i > 0)
			CU_ASSERT(calls[i].map != calls[i - 1].map);
	}
}

static void one_part_ranges(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "one_part"), SLOT);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	char *p = ut_map_ok(set, src, 0, SLOT).addr;

	const char *whole[][2] = {{p, p + SLOT}};
	expect_calls(set, p, SLOT, whole, 1);
	const char *half[][2] = {{p, p + SLOT / 2}};
	expect_calls(set, p, SLOT / 2, half, 1);
	const char *tail[][2] = {{p + SLOT / 2, p + SLOT}};
	expect_calls(set, p + SLOT / 2, SLOT, tail, 1);
	expect_calls(set, p - 2 * SLOT, SLOT, NULL, 0); /* entirely below */
	expect_calls(set, p + SLOT, SLOT, NULL, 0);	/* entirely above */

	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void two_separate_part_maps_two_calls(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "two_maps"), 2 * SLOT);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	ut_map_ok(set, src, 0, SLOT);
	ut_map_ok(set, src, SLOT, SLOT);
	struct pmemset_part_descriptor d[2];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, d, 2), 2);
	char *a = d[0].addr, *b = d[1].addr;
	const char *both[][2] = {{a, a + SLOT}, {b, b + SLOT}};
	expect_calls(set, a, (size_t)(b + SLOT - a), both, 2);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

/* the spec's eight-part cases on one coalesced part map at p */
static void eight_part_cases(struct pmemset *set, char *p)
{
	const char *r[8][2];
	for (int i = 0; i < 8; i++) {
		r[i][0] = p + (size_t)i * SLOT;
		r[i][1] = p + (size_t)(i + 1) * SLOT;
	}
	expect_calls(set, p, 8 * SLOT, r, 8);
	expect_calls(set, p + 4 * SLOT, 5 * SLOT, r + 4, 4);

	const char *mid0[][2] = {{p + SLOT / 2, p + SLOT},
				 {p + SLOT, p + 2 * SLOT},
				 {p + 2 * SLOT, p + 2 * SLOT + SLOT / 2}};
	expect_calls(set, p + SLOT / 2, 2 * SLOT, mid0, 3);

	const char *quarter[][2] = {
		{p + 2 * SLOT + SLOT / 4, p + 2 * SLOT + SLOT / 2}};
	expect_calls(set, p + 2 * SLOT + SLOT / 4, SLOT / 4, quarter, 1);

	const char *mid1[][2] = {{p + SLOT + SLOT / 2, p + 2 * SLOT},
				 {p + 2 * SLOT, p + 3 * SLOT},
				 {p + 3 * SLOT, p + 3 * SLOT + SLOT / 2}};
	expect_calls(set, p + SLOT + SLOT / 2, 2 * SLOT, mid1, 3);

	expect_calls(set, p + 5 * SLOT, SLOT, r + 5, 1);

	const char *five_and_half[][2] = {
		{p + 5 * SLOT, p + 6 * SLOT},
		{p + 6 * SLOT, p + 6 * SLOT + SLOT / 2}};
	expect_calls(set, p + 5 * SLOT, SLOT + SLOT / 2, five_and_half, 2);

	expect_calls(set, p, 9 * SLOT, r, 8);
}

static void eight_coalesced_parts_in_reservation(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "eight_rsv"), 8 * SLOT);
	struct pmemset_source *src = ut_source_file(path);
	/* one extra slot so "past the end" is reserved, not someone's */
	struct pmem2_vm_reservation *rsv = ut_reservation_new(9 * SLOT);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	struct pmemset_part_descriptor d;
	for (size_t i = 0; i < 8; i++)
		d = ut_map_ok(set, src, i * SLOT, SLOT);
	UT_ASSERT_EQ_FATAL(d.size, 8 * SLOT);
	eight_part_cases(set, d.addr);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void eight_coalesced_parts_without_reservation(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "eight"), 8 * SLOT);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	struct pmemset_part_descriptor d;
	for (size_t i = 0; i < 8; i++)
		d = ut_map_ok(set, src, i * SLOT, SLOT);
	UT_ASSERT_EQ_FATAL(d.size, 8 * SLOT);
	eight_part_cases(set, d.addr);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void many_separate_reservations_each_flushed_once(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "many"), SLOT);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	for (int i = 0; i < 5; i++)
		ut_map_ok(set, src, 0, SLOT);
	struct pmemset_part_descriptor d[5];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, d, 5), 5);
	const char *r[5][2];
	for (int i = 0; i < 5; i++) {
		r[i][0] = d[i].addr;
		r[i][1] = (char *)d[i].addr + SLOT;
	}
	/* a walk that revisits a reservation would never end or overcount */
	char *lo = d[0].addr;
	expect_calls(set, lo, (size_t)((char *)d[4].addr + SLOT - lo), r, 5);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

/*
 * Huge sparse parts: this library keeps at most three 17 GiB parts in one
 * internal reservation, so seven of them span at least three reservations
 * (where the reference walk looped forever). Whatever the layout, every
 * part must be flushed exactly once. Skipped under valgrind, whose address
 * space is smaller.
 */
static void parts_in_three_or_more_reservations_each_flushed_once(void)
{
	if (getenv("UT_UNDER_VALGRIND"))
		return;
	const size_t huge = (size_t)17 << 30;
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "huge"), huge);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	for (int i = 0; i < 7; i++)
		ut_map_ok(set, src, 0, huge);
	struct pmemset_part_descriptor d[7];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, d, 7), 7);
	const char *r[7][2];
	for (int i = 0; i < 7; i++) {
		r[i][0] = d[i].addr;
		r[i][1] = (char *)d[i].addr + d[i].size;
		/* touch one page so the flush has something to write */
		*(char *)d[i].addr = (char)i;
	}
	char *lo = d[0].addr;
	expect_calls(set, lo, (size_t)((char *)d[6].addr + huge - lo), r, 7);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
	unlink(path);
}

static void gaps_between_part_maps_skipped(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "gaps"), SLOT);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(4 * SLOT);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	for (int i = 0; i < 4; i++)
		ut_map_ok(set, src, 0, SLOT);
	pmemset_remove_range(set, base + SLOT, SLOT);
	pmemset_remove_range(set, base + 3 * SLOT, SLOT);
	const char *r[][2] = {{base, base + SLOT},
			      {base + 2 * SLOT, base + 3 * SLOT}};
	expect_calls(set, base, 4 * SLOT, r, 2);
	expect_calls(set, base + SLOT, SLOT, NULL, 0); /* only the gap */
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void deep_flush_leaves_no_reference(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "no_refs"), 3 * SLOT);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	struct pmemset_part_descriptor d;
	for (size_t i = 0; i < 3; i++)
		d = ut_map_ok(set, src, i * SLOT, SLOT);
	reset_calls();
	UT_ASSERT_EQ(pmemset_deep_flush(set, d.addr, d.size), 0);
	UT_ASSERT_EQ(call_count, 3);
	/* remove_range refuses any reference, so this proves none is left */
	UT_ASSERT_EQ(pmemset_remove_range(set, d.addr, d.size), 0);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void first_failure_stops_walk_with_deep_flush_fail(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "fail"), 4 * SLOT);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(4 * SLOT);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	struct pmemset_part_descriptor d;
	for (size_t i = 0; i < 4; i++)
		d = ut_map_ok(set, src, i * SLOT, SLOT);
	reset_calls();
	fail_at = 2;
	UT_ASSERT_EQ(pmemset_deep_flush(set, d.addr, d.size),
		     PMEMSET_E_DEEP_FLUSH_FAIL);
	UT_ASSERT_EQ(call_count, 2);
	reset_calls();
	UT_ASSERT_EQ(pmemset_remove_range(set, d.addr, d.size), 0);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static int count_events(struct pmemset *set, struct pmemset_event_context *ctx,
			void *arg)
{
	(void)set;
	(void)ctx;
	(*(int *)arg)++;
	return 0;
}

static void deep_flush_fires_no_events_and_works_before_mapping(void)
{
	int events = 0;
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "events"), SLOT);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, count_events, &events);
	char buf[64];
	reset_calls();
	UT_ASSERT_EQ(pmemset_deep_flush(set, buf, sizeof(buf)), 0);
	UT_ASSERT_EQ(call_count, 0);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, SLOT);
	events = 0;
	UT_ASSERT_EQ(pmemset_deep_flush(set, d.addr, d.size), 0);
	UT_ASSERT_EQ(call_count, 1);
	UT_ASSERT_EQ(events, 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static CU_TestInfo tests[] = {
	{"one_part_ranges", one_part_ranges},
	{"two_separate_part_maps_two_calls", two_separate_part_maps_two_calls},
	{"eight_coalesced_parts_in_reservation",
	 eight_coalesced_parts_in_reservation},
	{"eight_coalesced_parts_without_reservation",
	 eight_coalesced_parts_without_reservation},
	{"many_separate_reservations_each_flushed_once",
	 many_separate_reservations_each_flushed_once},
	{"parts_in_three_or_more_reservations_each_flushed_once",
	 parts_in_three_or_more_reservations_each_flushed_once},
	{"gaps_between_part_maps_skipped", gaps_between_part_maps_skipped},
	{"deep_flush_leaves_no_reference", deep_flush_leaves_no_reference},
	{"first_failure_stops_walk_with_deep_flush_fail",
	 first_failure_stops_walk_with_deep_flush_fail},
	{"deep_flush_fires_no_events_and_works_before_mapping",
	 deep_flush_fires_no_events_and_works_before_mapping},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("deep_flush", tests);
}
