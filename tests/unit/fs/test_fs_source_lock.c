/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fs_source_lock.c -- the sets' advisory locks on their sources
 * (fs/set/source_lock.c), in one process: flock locks belong to an open
 * file, so two sets here exclude each other just as two daemons do, while
 * the parts of one set share its single lock on a file.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "set/source_lock.h"
#include "util.h"

static char err[512];

static void parts_of_one_set_share_its_lock(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "shared-by-parts"), 4096, 1);
	struct source_locks *set = source_locks_new(false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	struct source_lock *first = NULL, *second = NULL;
	UT_ASSERT_EQ(source_lock_take(set, path, &first, err, sizeof(err)), 0);
	UT_ASSERT_EQ(source_lock_take(set, path, &second, err, sizeof(err)), 0);
	CU_ASSERT_PTR_EQUAL(first, second);
	UT_ASSERT_EQ(set->by_file.count, 1);
	CU_ASSERT(source_lock_fd(first) >= 0);
	UT_ASSERT_EQ(source_lock_fd(NULL), -1);
	source_lock_put(set, first);
	UT_ASSERT_EQ(set->by_file.count, 1); /* one part still maps it */
	source_lock_put(set, second);
	UT_ASSERT_EQ(set->by_file.count, 0);
	source_locks_free(set);
}

static void a_second_set_is_refused_until_the_first_lets_go(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "two-sets"), 4096, 2);
	struct source_locks *one = source_locks_new(false);
	struct source_locks *two = source_locks_new(false);
	struct source_lock *held = NULL, *refused = NULL, *later = NULL;
	UT_ASSERT_EQ_FATAL(source_lock_take(one, path, &held, err, sizeof(err)),
			   0);
	UT_ASSERT_EQ(source_lock_take(two, path, &refused, err, sizeof(err)),
		     -EBUSY);
	CU_ASSERT_PTR_NULL(refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "is in use by"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
	UT_ASSERT_EQ(two->by_file.count, 0); /* no partial state */
	source_lock_put(one, held);
	UT_ASSERT_EQ(source_lock_take(two, path, &later, err, sizeof(err)), 0);
	source_lock_put(two, later);
	source_locks_free(one);
	source_locks_free(two);
}

static void read_only_sets_share_and_exclude_a_writer(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "readers"), 4096, 3);
	struct source_locks *reader1 = source_locks_new(true);
	struct source_locks *reader2 = source_locks_new(true);
	struct source_locks *writer = source_locks_new(false);
	struct source_lock *r1 = NULL, *r2 = NULL, *w = NULL;
	UT_ASSERT_EQ(source_lock_take(reader1, path, &r1, err, sizeof(err)), 0);
	UT_ASSERT_EQ(source_lock_take(reader2, path, &r2, err, sizeof(err)), 0);
	UT_ASSERT_EQ(source_lock_take(writer, path, &w, err, sizeof(err)),
		     -EBUSY);
	/* renewing (after daemonize) keeps the shared locks held */
	source_locks_renew(reader1);
	UT_ASSERT_EQ(source_lock_take(writer, path, &w, err, sizeof(err)),
		     -EBUSY);
	/* freeing a set drops every lock it holds */
	source_locks_free(reader1);
	source_locks_free(reader2);
	UT_ASSERT_EQ(source_lock_take(writer, path, &w, err, sizeof(err)), 0);
	source_locks_free(writer);
}

static void a_missing_source_says_so(void)
{
	char path[PATH_MAX];
	ut_path(path, "no-such-file");
	struct source_locks *set = source_locks_new(false);
	struct source_lock *lock = NULL;
	UT_ASSERT_EQ(source_lock_take(set, path, &lock, err, sizeof(err)),
		     -ENOENT);
	CU_ASSERT_PTR_NULL(lock);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot open"));
	source_locks_free(set);
	source_locks_free(NULL); /* a no-op */
}

static void many_files_each_get_their_own_lock(void)
{
	enum { N = 300 };
	static struct source_lock *locks[N];
	struct source_locks *set = source_locks_new(false);
	for (int i = 0; i < N; i++) {
		char name[32], path[PATH_MAX];
		snprintf(name, sizeof(name), "many-%d", i);
		ut_file_create(ut_path(path, name), 4096, 4);
		UT_ASSERT_EQ_FATAL(source_lock_take(set, path, &locks[i], err,
						    sizeof(err)),
				   0);
	}
	UT_ASSERT_EQ(set->by_file.count, N);
	for (int i = 0; i < N; i += 2)
		source_lock_put(set, locks[i]);
	UT_ASSERT_EQ(set->by_file.count, N / 2);
	/* the ones left are still found: taking one again shares it */
	char path[PATH_MAX];
	struct source_lock *again = NULL;
	UT_ASSERT_EQ(source_lock_take(set, ut_path(path, "many-1"), &again, err,
				      sizeof(err)),
		     0);
	CU_ASSERT_PTR_EQUAL(again, locks[1]);
	UT_ASSERT_EQ(set->by_file.count, N / 2);
	source_locks_free(set);
}

static CU_TestInfo tests[] = {
	{"parts_of_one_set_share_its_lock", parts_of_one_set_share_its_lock},
	{"a_second_set_is_refused_until_the_first_lets_go",
	 a_second_set_is_refused_until_the_first_lets_go},
	{"read_only_sets_share_and_exclude_a_writer",
	 read_only_sets_share_and_exclude_a_writer},
	{"a_missing_source_says_so", a_missing_source_says_so},
	{"many_files_each_get_their_own_lock",
	 many_files_each_get_their_own_lock},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("fs_source_lock", tests);
}
