/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_source.c -- data sources: from a libpmem2 source, from a path with
 * and without disposition flags, temporary files; each constructor's
 * errors in the documented order with *src == NULL after a failure; the
 * re-validation done by pmemset_part_new; and source lifetime rules.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"
#include "util.h"

/* a non-NULL value for out-pointers, to see that failures reset them */
#define NOT_NULL_SOURCE ((struct pmemset_source *)0x1)

static void source_from_null_pmem2_fails(void)
{
	struct pmemset_source *src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_pmem2(&src, NULL),
		     PMEMSET_E_INVALID_PMEM2_SOURCE);
	CU_ASSERT_PTR_NULL(src);
}

static void source_from_pmem2_keeps_caller_ownership(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "pmem2_src"), 64 * KIB, 9);
	int fd = open(path, O_RDWR);
	CU_ASSERT_FATAL(fd >= 0);
	struct pmem2_source *p2 = NULL;
	UT_ASSERT_EQ_FATAL(pmem2_source_from_fd(&p2, fd), 0);

	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_source_from_pmem2(&src, p2), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);

	/* it maps the caller's file */
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 0);
	UT_ASSERT_EQ(d.size, 64 * KIB);
	CU_ASSERT(ut_mem_has_pattern(d.addr, 0, 64 * KIB, 9));
	pmemset_delete(&set);

	UT_ASSERT_EQ(pmemset_source_delete(&src), 0);
	CU_ASSERT_PTR_NULL(src);
	CU_ASSERT(fcntl(fd, F_GETFD) >= 0); /* descriptor still open */
	UT_ASSERT_EQ(pmem2_source_delete(&p2), 0);
	CU_ASSERT(close(fd) == 0);
}

static void source_from_anonymous_pmem2_fails_with_pmem2_code(void)
{
	struct pmem2_source *anon = NULL;
	UT_ASSERT_EQ_FATAL(pmem2_source_from_anon(&anon, 64 * KIB), 0);
	struct pmemset_source *src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_pmem2(&src, anon),
		     PMEM2_E_FILE_DESCRIPTOR_NOT_SET);
	CU_ASSERT_PTR_NULL(src);
	pmem2_source_delete(&anon);
}

static void source_out_of_memory_returns_enomem_and_null(void)
{
	char path[PATH_MAX], dir[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "oom_src"), 64 * KIB);
	int fd = open(path, O_RDWR);
	struct pmem2_source *p2 = NULL;
	UT_ASSERT_EQ_FATAL(pmem2_source_from_fd(&p2, fd), 0);
	snprintf(dir, sizeof(dir), "%s", ut_dir());

	struct pmemset_source *src = NOT_NULL_SOURCE;
	pmemset_fault_inject(PMEMSET_FAULT_ALLOC, 1);
	UT_ASSERT_EQ(pmemset_source_from_pmem2(&src, p2), -ENOMEM);
	CU_ASSERT_PTR_NULL(src);

	src = NOT_NULL_SOURCE;
	pmemset_fault_inject(PMEMSET_FAULT_ALLOC, 1);
	UT_ASSERT_EQ(pmemset_source_from_file(&src, path), -ENOMEM);
	CU_ASSERT_PTR_NULL(src);

	src = NOT_NULL_SOURCE;
	pmemset_fault_inject(PMEMSET_FAULT_ALLOC, 1);
	UT_ASSERT_EQ(pmemset_source_from_temporary(&src, dir), -ENOMEM);
	CU_ASSERT_PTR_NULL(src);
	pmemset_fault_reset();

	pmem2_source_delete(&p2);
	close(fd);
}

static void source_from_null_path_fails_with_verbatim_message(void)
{
	struct pmemset_source *src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_file(&src, NULL),
		     PMEMSET_E_INVALID_SOURCE_PATH);
	CU_ASSERT_PTR_NULL(src);
	CU_ASSERT_STRING_EQUAL(pmemset_errormsg(), "file path cannot be empty");

	/* the path is checked before the flags */
	src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(
		pmemset_xsource_from_file(
			&src, NULL, PMEMSET_SOURCE_FILE_CREATE_VALID_FLAGS + 1),
		PMEMSET_E_INVALID_SOURCE_PATH);
	CU_ASSERT_PTR_NULL(src);
}

static void source_from_existing_and_missing_path(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "exists"), 64 * KIB);
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_source_from_file(&src, path), 0);
	CU_ASSERT_PTR_NOT_NULL(src);
	UT_ASSERT_EQ(pmemset_source_delete(&src), 0);
	CU_ASSERT_PTR_NULL(src);

	src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_file(&src, ut_path(path, "missing")),
		     PMEMSET_E_INVALID_SOURCE_PATH);
	CU_ASSERT_PTR_NULL(src);
	CU_ASSERT(ut_file_size(path) < 0); /* nothing was created */
}

static void source_from_directory_fails_with_eisdir(void)
{
	struct pmemset_source *src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_file(&src, ut_dir()), -EISDIR);
	CU_ASSERT_PTR_NULL(src);
}

static void source_delete_null_returns_zero(void)
{
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_source_delete(&src), 0);
	CU_ASSERT_PTR_NULL(src);
}

static void create_always_truncates_existing_and_creates_missing(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "always_existing"), 16 * MIB);
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_xsource_from_file(
			     &src, path, PMEMSET_SOURCE_FILE_CREATE_ALWAYS),
		     0);
	CU_ASSERT_PTR_NOT_NULL(src);
	UT_ASSERT_EQ(ut_file_size(path), 0);
	pmemset_source_delete(&src);

	mode_t old = umask(022);
	UT_ASSERT_EQ(
		pmemset_xsource_from_file(&src, ut_path(path, "always_missing"),
					  PMEMSET_SOURCE_FILE_CREATE_ALWAYS),
		0);
	umask(old);
	CU_ASSERT_PTR_NOT_NULL(src);
	UT_ASSERT_EQ(ut_file_size(path), 0);
	struct stat st;
	CU_ASSERT_FATAL(stat(path, &st) == 0);
	UT_ASSERT_EQ(st.st_mode & 0777, 0644);
	pmemset_source_delete(&src);
	CU_ASSERT(ut_file_size(path) == 0); /* a named file stays */
}

static void create_always_wins_over_create_if_needed(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "always_and_if_needed"), 64 * KIB, 1);
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_xsource_from_file(
			     &src, path,
			     PMEMSET_SOURCE_FILE_CREATE_ALWAYS |
				     PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED),
		     0);
	UT_ASSERT_EQ(ut_file_size(path), 0);
	pmemset_source_delete(&src);
}

static void create_if_needed_keeps_existing_and_creates_missing(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "if_needed_existing"), 128 * KIB, 4);
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_xsource_from_file(
			     &src, path, PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED),
		     0);
	UT_ASSERT_EQ(ut_file_size(path), 128 * KIB);
	CU_ASSERT(ut_file_has_pattern(path, 0, 128 * KIB, 4));
	pmemset_source_delete(&src);

	UT_ASSERT_EQ(pmemset_xsource_from_file(
			     &src, ut_path(path, "if_needed_missing"),
			     PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED),
		     0);
	CU_ASSERT_PTR_NOT_NULL(src);
	UT_ASSERT_EQ(ut_file_size(path), 0);
	pmemset_source_delete(&src);
}

static void create_if_needed_with_truncate_creates_empty_file(void)
{
	char path[PATH_MAX];
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_xsource_from_file(
			     &src, ut_path(path, "if_needed_truncate"),
			     PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED |
				     PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED),
		     0);
	CU_ASSERT_PTR_NOT_NULL(src);
	UT_ASSERT_EQ(ut_file_size(path), 0); /* no growth before mapping */
	pmemset_source_delete(&src);
}

static void truncate_only_on_missing_file_fails_with_enoent(void)
{
	char path[PATH_MAX];
	struct pmemset_source *src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_xsource_from_file(
			     &src, ut_path(path, "truncate_missing"),
			     PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED),
		     -ENOENT);
	CU_ASSERT_PTR_NULL(src);
	CU_ASSERT(ut_file_size(path) < 0);
}

static void invalid_create_flags_rejected(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "bad_flags"), 64 * KIB);
	struct pmemset_source *src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(
		pmemset_xsource_from_file(
			&src, path, PMEMSET_SOURCE_FILE_CREATE_VALID_FLAGS + 1),
		PMEMSET_E_INVALID_SOURCE_FILE_CREATE_FLAGS);
	CU_ASSERT_PTR_NULL(src);
	src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_xsource_from_file(&src, path, 1U << 31),
		     PMEMSET_E_INVALID_SOURCE_FILE_CREATE_FLAGS);
	CU_ASSERT_PTR_NULL(src);
	UT_ASSERT_EQ(ut_file_size(path), 64 * KIB); /* untouched */
}

static void temporary_source_is_unnamed_and_vanishes_on_delete(void)
{
	int fds_before = ut_count_fds_under(ut_dir());
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_source_from_temporary(&src, ut_dir()), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	/* the source holds one descriptor in the directory */
	UT_ASSERT_EQ(ut_count_fds_under(ut_dir()), fds_before + 1);

	/* it is usable storage */
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 64 * KIB);
	memset(d.addr, 0x5a, d.size);
	pmemset_delete(&set);

	UT_ASSERT_EQ(pmemset_source_delete(&src), 0);
	CU_ASSERT_PTR_NULL(src);
	UT_ASSERT_EQ(ut_count_fds_under(ut_dir()), fds_before);
}

static void temporary_source_in_bad_directory_fails(void)
{
	struct pmemset_source *src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_temporary(&src, NULL),
		     PMEMSET_E_INVALID_SOURCE_PATH);
	CU_ASSERT_PTR_NULL(src);

	src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_temporary(
			     &src, "no-such-relative-dir-for-pmemset"),
		     PMEMSET_E_INVALID_SOURCE_PATH);
	CU_ASSERT_PTR_NULL(src);

	/* exists but is not a directory: the file cannot be created */
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "not_a_dir"), 4 * KIB);
	src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_temporary(&src, path),
		     PMEMSET_E_CANNOT_CREATE_TEMP_FILE);
	CU_ASSERT_PTR_NULL(src);
}

static void part_new_revalidates_path_source(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "revalidate"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	CU_ASSERT_FATAL(unlink(path) == 0);

	struct pmemset_part *part = (struct pmemset_part *)0x1;
	UT_ASSERT_EQ(pmemset_part_new(&part, set, src, 0, 64 * KIB),
		     PMEMSET_E_INVALID_SOURCE_PATH);
	CU_ASSERT_PTR_NULL(part);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void part_new_revalidates_temporary_directory(void)
{
	char dir[PATH_MAX];
	ut_path(dir, "tmpdir_removed");
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_source_from_temporary(&src, dir), 0);
	/* the temporary file is unlinked, so the directory is empty */
	CU_ASSERT_FATAL(rmdir(dir) == 0);

	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part *part = (struct pmemset_part *)0x1;
	UT_ASSERT_EQ(pmemset_part_new(&part, set, src, 0, 64 * KIB),
		     PMEMSET_E_INVALID_SOURCE_PATH);
	CU_ASSERT_PTR_NULL(part);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void mapping_outlives_deleted_source(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "outlive"), 64 * KIB, 6);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ(pmemset_source_delete(&src), 0);

	CU_ASSERT(ut_mem_has_pattern(d.addr, 0, 64 * KIB, 6));
	ut_mem_fill_pattern(d.addr, 0, 64 * KIB, 7);
	UT_ASSERT_EQ(pmemset_persist(set, d.addr, d.size), 0);
	pmemset_delete(&set);
	CU_ASSERT(ut_file_has_pattern(path, 0, 64 * KIB, 7));
}

static void source_shared_by_two_sets(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "shared"), 128 * KIB, 8);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *a = ut_set_new(NULL, NULL, NULL);
	struct pmemset *b = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor da = ut_map_ok(a, src, 0, 64 * KIB);
	struct pmemset_part_descriptor db =
		ut_map_ok(b, src, 64 * KIB, 64 * KIB);
	CU_ASSERT(ut_mem_has_pattern(da.addr, 0, 64 * KIB, 8));
	CU_ASSERT(ut_mem_has_pattern(db.addr, 64 * KIB, 64 * KIB, 8));
	UT_ASSERT_EQ(ut_count_maps(a), 1);
	UT_ASSERT_EQ(ut_count_maps(b), 1);
	pmemset_delete(&a);
	pmemset_delete(&b);
	pmemset_source_delete(&src);
}

/* the one descriptor of this process open under dir, or -1 */
static int fd_under(const char *dir)
{
	DIR *d = opendir("/proc/self/fd");
	CU_ASSERT_FATAL(d != NULL);
	int found = -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char link[PATH_MAX], target[PATH_MAX];
		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strncmp(target, dir, strlen(dir)) == 0 &&
		    target[strlen(dir)] == '/')
			found = atoi(e->d_name);
	}
	closedir(d);
	return found;
}

static void temporary_file_is_private_and_unlinked(void)
{
	char dir[PATH_MAX];
	ut_path(dir, "private_tmp");
	CU_ASSERT_FATAL(mkdir(dir, 0755) == 0);
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_source_from_temporary(&src, dir), 0);
	int fd = fd_under(dir);
	CU_ASSERT_FATAL(fd >= 0);
	struct stat st;
	CU_ASSERT_FATAL(fstat(fd, &st) == 0);
	UT_ASSERT_EQ(st.st_mode & 0777, 0600);
	UT_ASSERT_EQ(st.st_nlink, 0); /* no name in the directory */
	UT_ASSERT_EQ(st.st_size, 0);
	CU_ASSERT(S_ISREG(st.st_mode));
	pmemset_source_delete(&src);
	CU_ASSERT(rmdir(dir) == 0); /* nothing was left in it */
}

static void stat_failures_other_than_enoent_are_negated_errno(void)
{
	char file[PATH_MAX], below[PATH_MAX];
	ut_file_create_sparse(ut_path(file, "plain_file"), 4 * KIB);
	ut_path(below, "plain_file/below");
	struct pmemset_source *src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_file(&src, below), -ENOTDIR);
	CU_ASSERT_PTR_NULL(src);
	src = NOT_NULL_SOURCE;
	UT_ASSERT_EQ(pmemset_source_from_temporary(&src, below), -ENOTDIR);
	CU_ASSERT_PTR_NULL(src);
}

static void part_new_reports_other_stat_failures(void)
{
	char dir[PATH_MAX], path[PATH_MAX];
	ut_path(dir, "replaced_dir");
	CU_ASSERT_FATAL(mkdir(dir, 0755) == 0);
	ut_path(path, "replaced_dir/file");
	ut_file_create_sparse(path, 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	/* the directory becomes a plain file: stat(path) says ENOTDIR */
	CU_ASSERT_FATAL(unlink(path) == 0 && rmdir(dir) == 0);
	ut_file_create_sparse(dir, 4 * KIB);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part *part = (struct pmemset_part *)0x1;
	UT_ASSERT_EQ(pmemset_part_new(&part, set, src, 0, 64 * KIB), -ENOTDIR);
	CU_ASSERT_PTR_NULL(part);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static CU_TestInfo tests[] = {
	{"source_from_null_pmem2_fails", source_from_null_pmem2_fails},
	{"source_from_pmem2_keeps_caller_ownership",
	 source_from_pmem2_keeps_caller_ownership},
	{"source_from_anonymous_pmem2_fails_with_pmem2_code",
	 source_from_anonymous_pmem2_fails_with_pmem2_code},
	{"source_out_of_memory_returns_enomem_and_null",
	 source_out_of_memory_returns_enomem_and_null},
	{"source_from_null_path_fails_with_verbatim_message",
	 source_from_null_path_fails_with_verbatim_message},
	{"source_from_existing_and_missing_path",
	 source_from_existing_and_missing_path},
	{"source_from_directory_fails_with_eisdir",
	 source_from_directory_fails_with_eisdir},
	{"source_delete_null_returns_zero", source_delete_null_returns_zero},
	{"create_always_truncates_existing_and_creates_missing",
	 create_always_truncates_existing_and_creates_missing},
	{"create_always_wins_over_create_if_needed",
	 create_always_wins_over_create_if_needed},
	{"create_if_needed_keeps_existing_and_creates_missing",
	 create_if_needed_keeps_existing_and_creates_missing},
	{"create_if_needed_with_truncate_creates_empty_file",
	 create_if_needed_with_truncate_creates_empty_file},
	{"truncate_only_on_missing_file_fails_with_enoent",
	 truncate_only_on_missing_file_fails_with_enoent},
	{"invalid_create_flags_rejected", invalid_create_flags_rejected},
	{"temporary_source_is_unnamed_and_vanishes_on_delete",
	 temporary_source_is_unnamed_and_vanishes_on_delete},
	{"temporary_file_is_private_and_unlinked",
	 temporary_file_is_private_and_unlinked},
	{"stat_failures_other_than_enoent_are_negated_errno",
	 stat_failures_other_than_enoent_are_negated_errno},
	{"part_new_reports_other_stat_failures",
	 part_new_reports_other_stat_failures},
	{"temporary_source_in_bad_directory_fails",
	 temporary_source_in_bad_directory_fails},
	{"part_new_revalidates_path_source", part_new_revalidates_path_source},
	{"part_new_revalidates_temporary_directory",
	 part_new_revalidates_temporary_directory},
	{"mapping_outlives_deleted_source", mapping_outlives_deleted_source},
	{"source_shared_by_two_sets", source_shared_by_two_sets},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("source", tests);
}
