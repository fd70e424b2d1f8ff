/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fs_hash_table.c -- the daemon's one hash table (fs/base/hash_table.c):
 * adds, finds, removes (the run after a removed entry must stay reachable),
 * growth past many doublings, and a reservation that makes adds infallible.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash_table.h"
#include "util.h"

struct item {
	char name[32];
	int value;
};

static size_t item_hash(const void *entry, const void *context)
{
	(void)context;
	return hash_string(((const struct item *)entry)->name);
}

static bool item_named(const void *entry, const void *key, const void *context)
{
	(void)context;
	return strcmp(((const struct item *)entry)->name, key) == 0;
}

static struct item *find(struct hash_table *t, const char *name)
{
	return hash_table_find(t, hash_string(name), item_named, name);
}

/* Every key hashes alike: one long probe run, the hardest case for removal. */
static size_t same_hash(const void *entry, const void *context)
{
	(void)entry, (void)context;
	return 7;
}

static void added_entries_are_found_and_others_not(void)
{
	struct hash_table t = HASH_TABLE_INIT(item_hash, NULL);
	struct item a = {"alpha", 1}, b = {"beta", 2};
	UT_ASSERT_EQ(hash_table_add(&t, &a), 0);
	UT_ASSERT_EQ(hash_table_add(&t, &b), 0);
	UT_ASSERT_EQ(t.count, 2);
	CU_ASSERT_PTR_EQUAL(find(&t, "alpha"), &a);
	CU_ASSERT_PTR_EQUAL(find(&t, "beta"), &b);
	CU_ASSERT_PTR_NULL(find(&t, "gamma"));
	CU_ASSERT_PTR_NULL(find(&t, "alph"));
	hash_table_clear(&t);
	CU_ASSERT_PTR_NULL(find(&t, "alpha"));
	UT_ASSERT_EQ(t.count, 0);
}

static void empty_table_finds_nothing_and_removes_nothing(void)
{
	struct hash_table t = HASH_TABLE_INIT(item_hash, NULL);
	struct item a = {"alpha", 1};
	CU_ASSERT_PTR_NULL(find(&t, "alpha"));
	hash_table_remove(&t, &a);
	UT_ASSERT_EQ(t.count, 0);
	UT_ASSERT_EQ(t.cap, 0);
}

static void removal_keeps_the_rest_of_a_probe_run_reachable(void)
{
	struct hash_table t = HASH_TABLE_INIT(same_hash, NULL);
	struct item items[10];
	for (int i = 0; i < 10; i++) {
		snprintf(items[i].name, sizeof(items[i].name), "k%d", i);
		UT_ASSERT_EQ_FATAL(hash_table_add(&t, &items[i]), 0);
	}
	/* from the middle of the run, then its head, then its tail */
	hash_table_remove(&t, &items[4]);
	hash_table_remove(&t, &items[0]);
	hash_table_remove(&t, &items[9]);
	UT_ASSERT_EQ(t.count, 7);
	for (int i = 0; i < 10; i++) {
		bool removed = i == 4 || i == 0 || i == 9;
		struct item *found =
			hash_table_find(&t, 7, item_named, items[i].name);
		CU_ASSERT_PTR_EQUAL(found, removed ? NULL : &items[i]);
	}
	/* removing what is not there changes nothing */
	hash_table_remove(&t, &items[4]);
	UT_ASSERT_EQ(t.count, 7);
	hash_table_clear(&t);
}

static void many_keys_grow_the_table_and_stay_findable(void)
{
	enum { N = 20000 };
	struct item *items = calloc(N, sizeof(*items));
	CU_ASSERT_PTR_NOT_NULL_FATAL(items);
	struct hash_table t = HASH_TABLE_INIT(item_hash, NULL);
	for (int i = 0; i < N; i++) {
		snprintf(items[i].name, sizeof(items[i].name), "part-%d", i);
		items[i].value = i;
		UT_ASSERT_EQ_FATAL(hash_table_add(&t, &items[i]), 0);
	}
	UT_ASSERT_EQ(t.count, N);
	/* at most half full, a power of two */
	CU_ASSERT(t.cap >= 2 * (size_t)N);
	UT_ASSERT_EQ(t.cap & (t.cap - 1), 0);
	int wrong = 0;
	for (int i = 0; i < N; i++) {
		struct item *found = find(&t, items[i].name);
		wrong += found == NULL || found->value != i;
	}
	UT_ASSERT_EQ(wrong, 0);
	/* every other one goes; the rest must still be found */
	for (int i = 0; i < N; i += 2)
		hash_table_remove(&t, &items[i]);
	UT_ASSERT_EQ(t.count, N / 2);
	wrong = 0;
	for (int i = 0; i < N; i++) {
		struct item *found = find(&t, items[i].name);
		wrong += (i % 2 == 0) ? found != NULL : found != &items[i];
	}
	UT_ASSERT_EQ(wrong, 0);
	hash_table_clear(&t);
	free(items);
}

static void reserve_makes_room_for_all_adds_at_once(void)
{
	struct hash_table t = HASH_TABLE_INIT(item_hash, NULL);
	UT_ASSERT_EQ(hash_table_reserve(&t, 1000), 0);
	size_t cap = t.cap;
	CU_ASSERT(cap >= 2000);
	struct item items[1000];
	for (int i = 0; i < 1000; i++) {
		snprintf(items[i].name, sizeof(items[i].name), "%d", i);
		UT_ASSERT_EQ(hash_table_add(&t, &items[i]), 0);
	}
	UT_ASSERT_EQ(t.cap, cap); /* no growth: the slots were made up front */
	CU_ASSERT_PTR_EQUAL(find(&t, "999"), &items[999]);
	hash_table_clear(&t);
}

static void string_and_number_hashes_spread(void)
{
	/* FNV-1a of "" is its offset basis; one byte changes the hash */
	CU_ASSERT_EQUAL(hash_string(""), (size_t)1469598103934665603ull);
	CU_ASSERT_NOT_EQUAL(hash_string("a"), hash_string("b"));
	CU_ASSERT_NOT_EQUAL(hash_number(1) & 63, hash_number(2) & 63);
	UT_ASSERT_EQ(hash_number(0), 0);
}

static CU_TestInfo tests[] = {
	{"added_entries_are_found_and_others_not",
	 added_entries_are_found_and_others_not},
	{"empty_table_finds_nothing_and_removes_nothing",
	 empty_table_finds_nothing_and_removes_nothing},
	{"removal_keeps_the_rest_of_a_probe_run_reachable",
	 removal_keeps_the_rest_of_a_probe_run_reachable},
	{"many_keys_grow_the_table_and_stay_findable",
	 many_keys_grow_the_table_and_stay_findable},
	{"reserve_makes_room_for_all_adds_at_once",
	 reserve_makes_room_for_all_adds_at_once},
	{"string_and_number_hashes_spread", string_and_number_hashes_spread},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("fs_hash_table", tests);
}
