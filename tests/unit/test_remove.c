/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_remove.c -- pmemset_remove_part_map and pmemset_remove_range: whole
 * removal, the anchor's move, trims at the front and back and splits of
 * coalesced part maps (inside a configured reservation, where the spec's
 * part-map-relative arithmetic matters, and without one), neighbours left
 * untouched, bytes around a removed range intact in memory and in the
 * file, and refusal while a reference is held.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SLOT (64 * KIB)
#define SEED 71

/*
 * A reservation of `slots` 64 KiB slots and a file of as many slots with
 * a pattern; a part at slot i always maps file offset i * SLOT, so every
 * slot's content tells which part is there.
 */
struct fixture {
	char path[PATH_MAX];
	struct pmemset_source *src;
	struct pmem2_vm_reservation *rsv;
	char *base;
	size_t slots;
	struct pmemset *set;
};

static void fixture_open(struct fixture *f, const char *name, size_t slots)
{
	ut_file_create(ut_path(f->path, name), slots * SLOT, SEED);
	f->src = ut_source_file(f->path);
	f->rsv = ut_reservation_new(slots * SLOT);
	f->base = pmem2_vm_reservation_get_address(f->rsv);
	f->slots = slots;
	f->set = ut_set_new(f->rsv, NULL, NULL);
}

static void fixture_close(struct fixture *f)
{
	UT_ASSERT_EQ(pmemset_delete(&f->set), 0);
	CU_ASSERT(pmem2_vm_reservation_get_address(f->rsv) == f->base);
	UT_ASSERT_EQ(pmem2_vm_reservation_get_size(f->rsv), f->slots * SLOT);
	UT_ASSERT_EQ(pmem2_vm_reservation_delete(&f->rsv), 0);
	/* removal never writes to the source */
	CU_ASSERT(ut_file_has_pattern(f->path, 0, f->slots * SLOT, SEED));
	pmemset_source_delete(&f->src);
}

static char *slot(struct fixture *f, size_t i)
{
	return f->base + i * SLOT;
}

/* maps the part for slot i, which must land in slot i */
static void map_slot(struct fixture *f, size_t i, enum pmemset_coalescing c)
{
	pmemset_set_contiguous_part_coalescing(f->set, c);
	struct pmemset_part_descriptor d = {NULL, 0};
	UT_ASSERT_EQ_FATAL(ut_map(f->set, f->src, i * SLOT, SLOT, &d), 0);
	CU_ASSERT_FATAL((char *)d.addr <= slot(f, i) &&
			(char *)d.addr + d.size == slot(f, i) + SLOT);
}

/*
 * Asserts the set is exactly the part maps [first, last) given in slots,
 * that each shows its parts' bytes, and that every other slot is gone.
 */
static void assert_layout(struct fixture *f, const size_t (*maps)[2],
			  size_t count)
{
	struct pmemset_part_descriptor got[16];
	size_t n = ut_list_maps(f->set, got, 16);
	UT_ASSERT_EQ(n, count);
	bool mapped[16] = {false};
	for (size_t i = 0; i < count && i < n; i++) {
		CU_ASSERT(got[i].addr == slot(f, maps[i][0]));
		UT_ASSERT_EQ(got[i].size, (maps[i][1] - maps[i][0]) * SLOT);
		for (size_t s = maps[i][0]; s < maps[i][1]; s++)
			mapped[s] = true;
	}
	for (size_t s = 0; s < f->slots; s++) {
		if (mapped[s]) {
			CU_ASSERT(ut_mem_has_pattern(slot(f, s), s * SLOT, SLOT,
						     SEED));
		} else {
			CU_ASSERT(ut_range_unreadable(slot(f, s), SLOT));
		}
	}
}

static void remove_lower_of_two_part_maps_keeps_higher(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "lower_of_two"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	ut_map_ok(set, src, 0, 64 * KIB);
	ut_map_ok(set, src, 64 * KIB, 64 * KIB);
	struct pmemset_part_descriptor before[2];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, before, 2), 2);

	struct pmemset_part_map *lower = NULL;
	pmemset_first_part_map(set, &lower);
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &lower), 0);
	CU_ASSERT_PTR_NULL(lower);
	CU_ASSERT(ut_range_unreadable(before[0].addr, before[0].size));

	struct pmemset_part_descriptor after[2];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, after, 2), 1);
	CU_ASSERT(ut_desc_eq(after[0], before[1]));
	struct pmemset_part_map *higher = NULL;
	pmemset_first_part_map(set, &higher);
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &higher), 0);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	CU_ASSERT(ut_range_unreadable(before[1].addr, before[1].size));
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void remove_part_map_of_other_set_is_part_not_found(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "other_set"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *a = ut_set_new(NULL, NULL, NULL);
	struct pmemset *b = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d = ut_map_ok(b, src, 0, 64 * KIB);
	struct pmemset_part_map *pm = NULL;
	pmemset_first_part_map(b, &pm);
	struct pmemset_part_map *mine = pm;
	UT_ASSERT_EQ(pmemset_remove_part_map(a, &pm), PMEMSET_E_PART_NOT_FOUND);
	CU_ASSERT(pm == mine);
	CU_ASSERT(ut_range_readable(d.addr, d.size));
	UT_ASSERT_EQ(pmemset_remove_part_map(b, &pm), 0);
	pmemset_delete(&a);
	pmemset_delete(&b);
	pmemset_source_delete(&src);
}

static void removing_coalesced_part_map_empties_set(void)
{
	struct fixture f;
	fixture_open(&f, "coalesced_whole", 2);
	map_slot(&f, 0, PMEMSET_COALESCING_FULL);
	map_slot(&f, 1, PMEMSET_COALESCING_FULL);
	const size_t one[][2] = {{0, 2}};
	assert_layout(&f, one, 1);
	struct pmemset_part_map *pm = NULL;
	pmemset_first_part_map(f.set, &pm);
	UT_ASSERT_EQ(pmemset_remove_part_map(f.set, &pm), 0);
	assert_layout(&f, NULL, 0);
	fixture_close(&f);
}

static void anchor_moves_below_after_removing_it(void)
{
	struct fixture f;
	fixture_open(&f, "anchor_below", 3);
	map_slot(&f, 0, PMEMSET_COALESCING_NONE);
	map_slot(&f, 1, PMEMSET_COALESCING_NONE); /* the anchor */
	struct pmemset_part_map *pm = NULL;
	UT_ASSERT_EQ(pmemset_part_map_by_address(f.set, &pm, slot(&f, 1)), 0);
	UT_ASSERT_EQ(pmemset_remove_part_map(f.set, &pm), 0);
	/* the anchor is now slot 0's part map: the next part joins it */
	map_slot(&f, 1, PMEMSET_COALESCING_FULL);
	const size_t joined[][2] = {{0, 2}};
	assert_layout(&f, joined, 1);
	pmemset_first_part_map(f.set, &pm);
	UT_ASSERT_EQ(pmemset_remove_part_map(f.set, &pm), 0);
	assert_layout(&f, NULL, 0);
	fixture_close(&f);
}

static void anchor_moves_above_when_nothing_below(void)
{
	struct fixture f;
	fixture_open(&f, "anchor_above", 5);
	for (size_t i = 0; i < 4; i++)
		map_slot(&f, i, PMEMSET_COALESCING_NONE);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 2), SLOT), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 0), SLOT), 0);
	map_slot(&f, 0, PMEMSET_COALESCING_NONE); /* lowest, the anchor */
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 0), SLOT), 0);
	/* anchor: nothing below, so slot 1's part map (above it) */
	map_slot(&f, 2, PMEMSET_COALESCING_FULL);
	const size_t layout[][2] = {{1, 3}, {3, 4}};
	assert_layout(&f, layout, 2);
	fixture_close(&f);
}

static void anchor_moves_after_removal_without_reservation(void)
{
	for (int remove_lower = 0; remove_lower < 2; remove_lower++) {
		char path[PATH_MAX];
		ut_file_create(ut_path(path, "anchor_no_rsv"), 64 * KIB, 72);
		struct pmemset_source *src = ut_source_file(path);
		struct pmemset *set = ut_set_new(NULL, NULL, NULL);
		ut_map_ok(set, src, 0, 0);
		ut_map_ok(set, src, 0, 0);
		struct pmemset_part_map *pm = NULL, *other = NULL;
		pmemset_first_part_map(set, &pm);
		if (!remove_lower) {
			pmemset_next_part_map(set, pm, &other);
			pmemset_part_map_drop(&pm);
			pm = other;
		}
		UT_ASSERT_EQ_FATAL(pmemset_remove_part_map(set, &pm), 0);
		struct pmemset_part_descriptor left;
		UT_ASSERT_EQ_FATAL(ut_list_maps(set, &left, 1), 1);

		pmemset_set_contiguous_part_coalescing(set,
						       PMEMSET_COALESCING_FULL);
		struct pmemset_part_descriptor d = {NULL, 0};
		/* joins the remaining part map, the anchor (the space after
		 * it is free in this library's arenas) */
		UT_ASSERT_EQ(ut_map(set, src, 0, 0, &d), 0);
		CU_ASSERT(d.addr == left.addr);
		UT_ASSERT_EQ(d.size, 128 * KIB);
		UT_ASSERT_EQ(ut_count_maps(set), 1);
		pmemset_first_part_map(set, &pm);
		UT_ASSERT_EQ(pmemset_remove_part_map(set, &pm), 0);
		UT_ASSERT_EQ(ut_count_maps(set), 0);
		pmemset_delete(&set);
		pmemset_source_delete(&src);
	}
}

static void hundred_part_maps_removed_from_the_middle(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "hundred"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	for (int i = 0; i < 100; i++)
		ut_map_ok(set, src, 0, 64 * KIB);
	for (size_t left = 100; left > 0; left--) {
		UT_ASSERT_EQ_FATAL(ut_count_maps(set), left);
		struct pmemset_part_map *pm = NULL;
		pmemset_first_part_map(set, &pm);
		for (size_t i = 0; i < left / 2; i++) {
			struct pmemset_part_map *next = NULL;
			pmemset_next_part_map(set, pm, &next);
			pmemset_part_map_drop(&pm);
			pm = next;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
		struct pmemset_part_descriptor d =
			pmemset_descriptor_part_map(pm);
		UT_ASSERT_EQ_FATAL(pmemset_remove_part_map(set, &pm), 0);
		CU_ASSERT(ut_range_unreadable(d.addr, d.size));
	}
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void remove_range_spanning_gap_removes_both_maps(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "gap"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	ut_map_ok(set, src, 0, 64 * KIB);
	ut_map_ok(set, src, 0, 64 * KIB);
	struct pmemset_part_descriptor d[2];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, d, 2), 2);
	char *from = (char *)d[0].addr + d[0].size - 1;
	char *to = (char *)d[1].addr + 1;
	UT_ASSERT_EQ(pmemset_remove_range(set, from, (size_t)(to - from)), 0);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	CU_ASSERT(ut_range_unreadable(d[0].addr, d[0].size));
	CU_ASSERT(ut_range_unreadable(d[1].addr, d[1].size));
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void remove_range_trims_two_coalesced_maps_to_one_part_each(void)
{
	struct fixture f;
	fixture_open(&f, "two_by_two", 4);
	map_slot(&f, 0, PMEMSET_COALESCING_NONE);
	map_slot(&f, 1, PMEMSET_COALESCING_FULL);
	map_slot(&f, 2, PMEMSET_COALESCING_NONE);
	map_slot(&f, 3, PMEMSET_COALESCING_FULL);
	const size_t before[][2] = {{0, 2}, {2, 4}};
	assert_layout(&f, before, 2);
	/* last byte of the first map to the first byte of the second */
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 2) - 1, 2), 0);
	const size_t after[][2] = {{0, 1}, {3, 4}};
	assert_layout(&f, after, 2);
	fixture_close(&f);
}

static void remove_range_one_byte_splits_three_part_map(void)
{
	struct fixture f;
	fixture_open(&f, "split_three", 3);
	for (size_t i = 0; i < 3; i++)
		map_slot(&f, i, PMEMSET_COALESCING_FULL);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 1), 1), 0);
	const size_t after[][2] = {{0, 1}, {2, 3}};
	assert_layout(&f, after, 2);

	/* the new upper part map holds no reference: removable at once */
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 2), SLOT), 0);
	struct pmemset_part_map *pm = NULL;
	UT_ASSERT_EQ(pmemset_part_map_by_address(f.set, &pm, slot(&f, 0)), 0);
	UT_ASSERT_EQ(pmemset_remove_part_map(f.set, &pm), 0);
	assert_layout(&f, NULL, 0);
	fixture_close(&f);
}

static void split_keeps_anchor_on_lower_half(void)
{
	struct fixture f;
	fixture_open(&f, "split_anchor", 4);
	for (size_t i = 0; i < 3; i++)
		map_slot(&f, i, PMEMSET_COALESCING_FULL);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 1), SLOT), 0);
	/* the anchor is still the original part map, now slot 0 only */
	map_slot(&f, 1, PMEMSET_COALESCING_FULL);
	const size_t after[][2] = {{0, 2}, {2, 3}};
	assert_layout(&f, after, 2);
	fixture_close(&f);
}

static void remove_range_parts_two_and_four_of_five(void)
{
	struct fixture f;
	fixture_open(&f, "five", 5);
	for (size_t i = 0; i < 5; i++)
		map_slot(&f, i, PMEMSET_COALESCING_FULL);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 1), SLOT), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 3), SLOT), 0);
	const size_t three[][2] = {{0, 1}, {2, 3}, {4, 5}};
	assert_layout(&f, three, 3);
	for (size_t i = 0; i < 5; i += 2) {
		struct pmemset_part_map *pm = NULL;
		UT_ASSERT_EQ(pmemset_part_map_by_address(f.set, &pm,
							 slot(&f, i) + 5),
			     0);
		UT_ASSERT_EQ(pmemset_remove_part_map(f.set, &pm), 0);
	}
	assert_layout(&f, NULL, 0);
	fixture_close(&f);
}

/* slot 0: one part map; slots 1-3: one 3-part map; slot 4: one map */
static void open_with_middle_map(struct fixture *f, const char *name)
{
	fixture_open(f, name, 6);
	map_slot(f, 0, PMEMSET_COALESCING_NONE);
	map_slot(f, 1, PMEMSET_COALESCING_NONE);
	map_slot(f, 2, PMEMSET_COALESCING_FULL);
	map_slot(f, 3, PMEMSET_COALESCING_FULL);
	map_slot(f, 4, PMEMSET_COALESCING_NONE);
	const size_t layout[][2] = {{0, 1}, {1, 4}, {4, 5}};
	assert_layout(f, layout, 3);
}

/* the freed slot can be mapped again, and first fit finds it */
static void assert_slot_reusable(struct fixture *f, size_t freed)
{
	struct pmemset_part_descriptor d = {NULL, 0};
	UT_ASSERT_EQ(ut_map(f->set, f->src, freed * SLOT, SLOT, &d), 0);
	CU_ASSERT(d.addr == slot(f, freed));
	CU_ASSERT(ut_mem_has_pattern(d.addr, freed * SLOT, SLOT, SEED));
}

static void remove_range_trims_front_inside_reservation(void)
{
	struct fixture f;
	open_with_middle_map(&f, "front_trim");
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 1) + 10, 100), 0);
	const size_t after[][2] = {{0, 1}, {2, 4}, {4, 5}};
	assert_layout(&f, after, 3);
	pmemset_set_contiguous_part_coalescing(f.set, PMEMSET_COALESCING_NONE);
	assert_slot_reusable(&f, 1);
	fixture_close(&f);
}

static void remove_range_trims_back_inside_reservation(void)
{
	struct fixture f;
	open_with_middle_map(&f, "back_trim");
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 4) - 1, 1), 0);
	const size_t after[][2] = {{0, 1}, {1, 3}, {4, 5}};
	assert_layout(&f, after, 3);
	pmemset_set_contiguous_part_coalescing(f.set, PMEMSET_COALESCING_NONE);
	assert_slot_reusable(&f, 3);
	fixture_close(&f);
}

static void remove_range_splits_map_inside_reservation(void)
{
	struct fixture f;
	open_with_middle_map(&f, "split_middle");
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 2) + SLOT / 2, 1), 0);
	const size_t after[][2] = {{0, 1}, {1, 2}, {3, 4}, {4, 5}};
	assert_layout(&f, after, 4);
	pmemset_set_contiguous_part_coalescing(f.set, PMEMSET_COALESCING_NONE);
	assert_slot_reusable(&f, 2);
	fixture_close(&f);
}

static void remove_range_over_several_maps_and_part_of_one(void)
{
	struct fixture f;
	open_with_middle_map(&f, "several");
	/* whole slot-0 map, and the first two parts of the middle map */
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 0), 2 * SLOT + 1), 0);
	const size_t after[][2] = {{3, 4}, {4, 5}};
	assert_layout(&f, after, 2);
	fixture_close(&f);
}

static void remove_range_refused_while_reference_held(void)
{
	struct fixture f;
	fixture_open(&f, "refused", 3);
	for (size_t i = 0; i < 3; i++)
		map_slot(&f, i, PMEMSET_COALESCING_NONE);
	struct pmemset_part_map *held = NULL;
	UT_ASSERT_EQ(pmemset_part_map_by_address(f.set, &held, slot(&f, 1)), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 0), 3 * SLOT),
		     PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP);
	/* the walk stopped at the held map: the one before it is gone */
	const size_t after[][2] = {{1, 2}, {2, 3}};
	assert_layout(&f, after, 2);
	pmemset_part_map_drop(&held);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 0), 3 * SLOT), 0);
	assert_layout(&f, NULL, 0);
	fixture_close(&f);
}

static void remove_range_touching_nothing_or_empty_is_noop(void)
{
	struct fixture f;
	fixture_open(&f, "noop", 3);
	map_slot(&f, 0, PMEMSET_COALESCING_NONE);
	map_slot(&f, 1, PMEMSET_COALESCING_NONE);
	/* len 0 at a part map's start removes nothing */
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 0), 0), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 1), 0), 0);
	const size_t lower[][2] = {{0, 1}, {1, 2}};
	assert_layout(&f, lower, 2);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 2), SLOT), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, (void *)0x1000, 4096), 0);
	assert_layout(&f, lower, 2);
	fixture_close(&f);
}

static void bytes_around_removed_range_intact(void)
{
	struct fixture f;
	fixture_open(&f, "around", 3);
	for (size_t i = 0; i < 3; i++)
		map_slot(&f, i, PMEMSET_COALESCING_FULL);
	/* write through the mapping, then remove the middle part */
	ut_mem_fill_pattern(slot(&f, 0), 0, 3 * SLOT, SEED + 1);
	UT_ASSERT_EQ(pmemset_persist(f.set, slot(&f, 0), 3 * SLOT), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, slot(&f, 1) + 3, SLOT - 6), 0);
	CU_ASSERT(ut_mem_has_pattern(slot(&f, 0), 0, SLOT, SEED + 1));
	CU_ASSERT(ut_mem_has_pattern(slot(&f, 2), 2 * SLOT, SLOT, SEED + 1));
	CU_ASSERT(ut_range_unreadable(slot(&f, 1), SLOT));
	UT_ASSERT_EQ(pmemset_delete(&f.set), 0);
	/* every written byte, the removed part's included, is in the file */
	CU_ASSERT(ut_file_has_pattern(f.path, 0, 3 * SLOT, SEED + 1));
	UT_ASSERT_EQ(pmem2_vm_reservation_delete(&f.rsv), 0);
	pmemset_source_delete(&f.src);
}

static void split_and_trim_without_reservation(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "split_no_rsv"), 4 * SLOT, SEED);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	struct pmemset_part_descriptor d = {NULL, 0};
	for (size_t i = 0; i < 4; i++) {
		/* FULL set before the first map: coalescing must work */
		UT_ASSERT_EQ_FATAL(ut_map(set, src, i * SLOT, SLOT, &d), 0);
	}
	char *base = d.addr;
	UT_ASSERT_EQ_FATAL(d.size, 4 * SLOT);
	/* split off part 1, then trim part 0 away at the front */
	UT_ASSERT_EQ(pmemset_remove_range(set, base + SLOT, 1), 0);
	struct pmemset_part_descriptor maps[4];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, maps, 4), 2);
	CU_ASSERT(maps[0].addr == base && maps[0].size == SLOT);
	CU_ASSERT(maps[1].addr == base + 2 * SLOT && maps[1].size == 2 * SLOT);
	CU_ASSERT(ut_range_unreadable(base + SLOT, SLOT));
	/* back trim of the upper half, which shares the reservation */
	UT_ASSERT_EQ(pmemset_remove_range(set, base + 4 * SLOT - 1, 1), 0);
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, maps, 4), 2);
	CU_ASSERT(maps[1].addr == base + 2 * SLOT && maps[1].size == SLOT);
	CU_ASSERT(ut_mem_has_pattern(base, 0, SLOT, SEED));
	CU_ASSERT(ut_mem_has_pattern(base + 2 * SLOT, 2 * SLOT, SLOT, SEED));
	CU_ASSERT(ut_range_unreadable(base + 3 * SLOT, SLOT));
	UT_ASSERT_EQ(pmemset_remove_range(set, base, SLOT), 0);
	UT_ASSERT_EQ(pmemset_remove_range(set, base + 2 * SLOT, SLOT), 0);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	CU_ASSERT(ut_range_unreadable(base, 4 * SLOT));
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void remove_without_reservation_leaves_adjacent_maps_untouched(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "adjacent"), 3 * SLOT, SEED);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d[3];
	for (size_t i = 0; i < 3; i++)
		d[i] = ut_map_ok(set, src, i * SLOT, SLOT);
	/* exactly the middle map, by range, then the first by handle */
	UT_ASSERT_EQ(pmemset_remove_range(set, d[1].addr, SLOT), 0);
	CU_ASSERT(ut_range_unreadable(d[1].addr, SLOT));
	CU_ASSERT(ut_mem_has_pattern(d[0].addr, 0, SLOT, SEED));
	CU_ASSERT(ut_mem_has_pattern(d[2].addr, 2 * SLOT, SLOT, SEED));
	struct pmemset_part_map *pm = NULL;
	UT_ASSERT_EQ(pmemset_part_map_by_address(set, &pm, d[0].addr), 0);
	UT_ASSERT_EQ(pmemset_remove_part_map(set, &pm), 0);
	CU_ASSERT(ut_range_unreadable(d[0].addr, SLOT));
	CU_ASSERT(ut_mem_has_pattern(d[2].addr, 2 * SLOT, SLOT, SEED));
	struct pmemset_part_descriptor left[3];
	UT_ASSERT_EQ_FATAL(ut_list_maps(set, left, 3), 1);
	CU_ASSERT(ut_desc_eq(left[0], d[2]));
	pmemset_delete(&set);
	CU_ASSERT(ut_range_unreadable(d[2].addr, SLOT));
	pmemset_source_delete(&src);
}

static void delete_after_split_unmaps_both_halves(void)
{
	for (int use_rsv = 0; use_rsv < 2; use_rsv++) {
		char path[PATH_MAX];
		ut_file_create(ut_path(path, "delete_split"), 3 * SLOT, SEED);
		struct pmemset_source *src = ut_source_file(path);
		struct pmem2_vm_reservation *rsv =
			use_rsv ? ut_reservation_new(3 * SLOT) : NULL;
		struct pmemset *set = ut_set_new(rsv, NULL, NULL);
		pmemset_set_contiguous_part_coalescing(set,
						       PMEMSET_COALESCING_FULL);
		struct pmemset_part_descriptor d;
		for (size_t i = 0; i < 3; i++)
			d = ut_map_ok(set, src, i * SLOT, SLOT);
		UT_ASSERT_EQ_FATAL(d.size, 3 * SLOT);
		UT_ASSERT_EQ(pmemset_remove_range(set, ut_add(d.addr, SLOT), 1),
			     0);
		UT_ASSERT_EQ(ut_count_maps(set), 2);
		/* the two halves share one reservation: delete frees both */
		UT_ASSERT_EQ(pmemset_delete(&set), 0);
		CU_ASSERT(ut_range_unreadable(d.addr, 3 * SLOT));
		if (rsv)
			UT_ASSERT_EQ(pmem2_vm_reservation_delete(&rsv), 0);
		pmemset_source_delete(&src);
	}
}

static CU_TestInfo tests[] = {
	{"remove_lower_of_two_part_maps_keeps_higher",
	 remove_lower_of_two_part_maps_keeps_higher},
	{"remove_part_map_of_other_set_is_part_not_found",
	 remove_part_map_of_other_set_is_part_not_found},
	{"removing_coalesced_part_map_empties_set",
	 removing_coalesced_part_map_empties_set},
	{"anchor_moves_below_after_removing_it",
	 anchor_moves_below_after_removing_it},
	{"anchor_moves_above_when_nothing_below",
	 anchor_moves_above_when_nothing_below},
	{"anchor_moves_after_removal_without_reservation",
	 anchor_moves_after_removal_without_reservation},
	{"hundred_part_maps_removed_from_the_middle",
	 hundred_part_maps_removed_from_the_middle},
	{"remove_range_spanning_gap_removes_both_maps",
	 remove_range_spanning_gap_removes_both_maps},
	{"remove_range_trims_two_coalesced_maps_to_one_part_each",
	 remove_range_trims_two_coalesced_maps_to_one_part_each},
	{"remove_range_one_byte_splits_three_part_map",
	 remove_range_one_byte_splits_three_part_map},
	{"split_keeps_anchor_on_lower_half", split_keeps_anchor_on_lower_half},
	{"remove_range_parts_two_and_four_of_five",
	 remove_range_parts_two_and_four_of_five},
	{"remove_range_trims_front_inside_reservation",
	 remove_range_trims_front_inside_reservation},
	{"remove_range_trims_back_inside_reservation",
	 remove_range_trims_back_inside_reservation},
	{"remove_range_splits_map_inside_reservation",
	 remove_range_splits_map_inside_reservation},
	{"remove_range_over_several_maps_and_part_of_one",
	 remove_range_over_several_maps_and_part_of_one},
	{"remove_range_refused_while_reference_held",
	 remove_range_refused_while_reference_held},
	{"remove_range_touching_nothing_or_empty_is_noop",
	 remove_range_touching_nothing_or_empty_is_noop},
	{"bytes_around_removed_range_intact",
	 bytes_around_removed_range_intact},
	{"remove_without_reservation_leaves_adjacent_maps_untouched",
	 remove_without_reservation_leaves_adjacent_maps_untouched},
	{"delete_after_split_unmaps_both_halves",
	 delete_after_split_unmaps_both_halves},
	{"split_and_trim_without_reservation",
	 split_and_trim_without_reservation},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("remove", tests);
}
