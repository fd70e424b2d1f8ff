/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_part_map.c -- parts and pmemset_part_map: the part is consumed on
 * success and stays the caller's on failure, the descriptor, data at an
 * offset, whole-source parts, file growth, and every error code of the
 * mapping path that a regular file can reach (granularity mismatch through
 * PMEM2_FORCE_GRANULARITY, which libpmem2 reads at every pmem2_map_new).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "util.h"

static const struct pmemset_part_descriptor SENTINEL = {(void *)0x5a5a, 77};

static void part_new_out_of_memory_returns_enomem_and_null(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "part_oom"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part *part = (struct pmemset_part *)0x1;
	pmemset_fault_inject(PMEMSET_FAULT_ALLOC, 1);
	UT_ASSERT_EQ(pmemset_part_new(&part, set, src, 0, 0), -ENOMEM);
	pmemset_fault_reset();
	CU_ASSERT_PTR_NULL(part);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void part_new_and_delete(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "part_new"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part *part = NULL;
	UT_ASSERT_EQ(pmemset_part_new(&part, set, src, 0, 0), 0);
	CU_ASSERT_PTR_NOT_NULL(part);
	UT_ASSERT_EQ(pmemset_part_delete(&part), 0);
	CU_ASSERT_PTR_NULL(part);
	UT_ASSERT_EQ(pmemset_part_delete(&part), 0); /* NULL allowed */

	struct pmem2_source *p2 = NULL;
	int fd = open(path, O_RDWR);
	UT_ASSERT_EQ_FATAL(pmem2_source_from_fd(&p2, fd), 0);
	struct pmemset_source *psrc = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_source_from_pmem2(&psrc, p2), 0);
	UT_ASSERT_EQ(pmemset_part_new(&part, set, psrc, 0, 0), 0);
	CU_ASSERT_PTR_NOT_NULL(part);
	UT_ASSERT_EQ(pmemset_part_delete(&part), 0);
	CU_ASSERT_PTR_NULL(part);
	pmemset_source_delete(&psrc);
	pmem2_source_delete(&p2);
	close(fd);

	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void part_map_consumes_part_and_fills_descriptor(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "map_64k"), 64 * KIB, 11);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part *part = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_part_new(&part, set, src, 0, 64 * KIB), 0);

	/* extras are ignored: neither read nor written */
	enum pmemset_part_state state = PMEMSET_PART_STATE_CORRUPTED;
	struct pmemset_extras extras = {NULL, NULL, &state};
	struct pmemset_part_descriptor desc = SENTINEL;
	UT_ASSERT_EQ(pmemset_part_map(&part, &extras, &desc), 0);
	CU_ASSERT_PTR_NULL(part);
	CU_ASSERT_PTR_NOT_NULL(desc.addr);
	CU_ASSERT(desc.addr != SENTINEL.addr);
	UT_ASSERT_EQ(desc.size, 64 * KIB);
	UT_ASSERT_EQ(state, PMEMSET_PART_STATE_CORRUPTED);

	/* the mapping shows the file and is writable */
	CU_ASSERT(ut_mem_has_pattern(desc.addr, 0, 64 * KIB, 11));
	ut_mem_fill_pattern(desc.addr, 0, 64 * KIB, 12);
	CU_ASSERT(ut_mem_has_pattern(desc.addr, 0, 64 * KIB, 12));
	pmemset_delete(&set);
	CU_ASSERT(ut_file_has_pattern(path, 0, 64 * KIB, 12));
	pmemset_source_delete(&src);
}

static void part_map_with_null_descriptor(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "null_desc"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	UT_ASSERT_EQ(ut_map(set, src, 0, 64 * KIB, NULL), 0);
	struct pmemset_part_descriptor d;
	UT_ASSERT_EQ(ut_list_maps(set, &d, 1), 1);
	UT_ASSERT_EQ(d.size, 64 * KIB);
	CU_ASSERT(ut_range_readable(d.addr, d.size));
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void part_at_offset_shows_source_bytes_at_offset(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "offset"), 1 * MIB, 21);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d =
		ut_map_ok(set, src, 320 * KIB, 128 * KIB);
	UT_ASSERT_EQ(d.size, 128 * KIB);
	CU_ASSERT(ut_mem_has_pattern(d.addr, 320 * KIB, 128 * KIB, 21));

	/* and writes land at that offset of the file, nowhere else */
	ut_mem_fill_pattern(d.addr, 320 * KIB, 128 * KIB, 22);
	pmemset_persist(set, d.addr, d.size);
	pmemset_delete(&set);
	CU_ASSERT(ut_file_has_pattern(path, 0, 320 * KIB, 21));
	CU_ASSERT(ut_file_has_pattern(path, 320 * KIB, 128 * KIB, 22));
	CU_ASSERT(ut_file_has_pattern(path, 448 * KIB, 576 * KIB, 21));
	pmemset_source_delete(&src);
}

/* maps a part expected to fail; checks it stays the caller's */
static void expect_map_failure(struct pmemset *set, struct pmemset_source *src,
			       size_t offset, size_t length, int expected)
{
	struct pmemset_part *part = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_part_new(&part, set, src, offset, length),
			   0);
	struct pmemset_part *before = part;
	struct pmemset_part_descriptor desc = SENTINEL;
	UT_ASSERT_EQ(pmemset_part_map(&part, NULL, &desc), expected);
	CU_ASSERT(part == before);
	CU_ASSERT(ut_desc_eq(desc, SENTINEL));
	UT_ASSERT_EQ(pmemset_part_delete(&part), 0);
	CU_ASSERT_PTR_NULL(part);
}

static void offset_above_int64_max_is_invalid(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "big_offset"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	expect_map_failure(set, src, (size_t)INT64_MAX + 1, 64 * KIB,
			   PMEMSET_E_INVALID_OFFSET_VALUE);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void part_map_out_of_memory_leaves_part_with_caller(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "map_oom"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part *part = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_part_new(&part, set, src, 0, 64 * KIB), 0);
	struct pmemset_part *before = part;
	pmemset_fault_inject(PMEMSET_FAULT_ALLOC, 1);
	int ret = pmemset_part_map(&part, NULL, NULL);
	pmemset_fault_reset();
	UT_ASSERT_EQ(ret, -ENOMEM);
	CU_ASSERT(part == before);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	/* the same part maps once memory is back */
	UT_ASSERT_EQ(pmemset_part_map(&part, NULL, NULL), 0);
	CU_ASSERT_PTR_NULL(part);
	UT_ASSERT_EQ(ut_count_maps(set), 1);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void length_zero_maps_whole_file(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "whole"), 1 * MIB, 31);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 0);
	UT_ASSERT_EQ(d.size, 1 * MIB);
	CU_ASSERT(ut_mem_has_pattern(d.addr, 0, 1 * MIB, 31));
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void whole_file_of_unaligned_size_is_length_unaligned(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "unaligned_file"), 16 * MIB - 1);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	expect_map_failure(set, src, 0, 0, PMEMSET_E_LENGTH_UNALIGNED);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void unaligned_length_is_length_unaligned(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "unaligned_len"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	expect_map_failure(set, src, 0, 64 * KIB + 1,
			   PMEMSET_E_LENGTH_UNALIGNED);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void unaligned_offset_or_past_end_is_invalid_pmem2_map(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "bad_offset"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	expect_map_failure(set, src, 100, 64 * KIB,
			   PMEMSET_E_INVALID_PMEM2_MAP);
	expect_map_failure(set, src, 64 * KIB, 128 * KIB,
			   PMEMSET_E_INVALID_PMEM2_MAP);
	/* length 0 stands for the whole source size, even at an offset */
	expect_map_failure(set, src, 64 * KIB, 0, PMEMSET_E_INVALID_PMEM2_MAP);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	/* the set is still usable */
	ut_map_ok(set, src, 64 * KIB, 64 * KIB);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void empty_source_whole_part_is_invalid_pmem2_map(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "empty_whole"), 0);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	expect_map_failure(set, src, 0, 0, PMEMSET_E_INVALID_PMEM2_MAP);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void byte_granularity_on_regular_file_is_invalid_pmem2_map(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "byte_gran"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	/* a regular file offers PAGE only: finer requirements fail */
	const enum pmem2_granularity finer[] = {PMEM2_GRANULARITY_BYTE,
						PMEM2_GRANULARITY_CACHE_LINE};
	for (int i = 0; i < 2; i++) {
		struct pmemset_config *cfg = NULL;
		UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
		pmemset_config_set_required_store_granularity(cfg, finer[i]);
		struct pmemset *set = NULL;
		UT_ASSERT_EQ_FATAL(pmemset_new(&set, cfg), 0);
		pmemset_config_delete(&cfg);
		expect_map_failure(set, src, 0, 64 * KIB,
				   PMEMSET_E_INVALID_PMEM2_MAP);
		enum pmem2_granularity g;
		UT_ASSERT_EQ(pmemset_get_store_granularity(set, &g),
			     PMEMSET_E_NO_PART_MAPPED);
		UT_ASSERT_EQ(ut_count_maps(set), 0);
		pmemset_delete(&set);
	}
	pmemset_source_delete(&src);
}

static void different_effective_granularity_is_mismatch(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "mismatch"), 256 * KIB, 41);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor first = ut_map_ok(set, src, 0, 64 * KIB);

	/* libpmem2 reads this at every pmem2_map_new */
	setenv("PMEM2_FORCE_GRANULARITY", "CACHE_LINE", 1);
	expect_map_failure(set, src, 64 * KIB, 64 * KIB,
			   PMEMSET_E_GRANULARITY_MISMATCH);
	unsetenv("PMEM2_FORCE_GRANULARITY");

	/* the failed mapping was undone; the set is unchanged and usable */
	struct pmemset_part_descriptor maps[2];
	UT_ASSERT_EQ(ut_list_maps(set, maps, 2), 1);
	CU_ASSERT(ut_desc_eq(maps[0], first));
	enum pmem2_granularity g;
	UT_ASSERT_EQ(pmemset_get_store_granularity(set, &g), 0);
	UT_ASSERT_EQ(g, PMEM2_GRANULARITY_PAGE);
	struct pmemset_part_descriptor second =
		ut_map_ok(set, src, 64 * KIB, 64 * KIB);
	CU_ASSERT(ut_mem_has_pattern(second.addr, 64 * KIB, 64 * KIB, 41));
	UT_ASSERT_EQ(ut_count_maps(set), 2);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void forced_byte_granularity_becomes_effective(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "forced_byte"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	setenv("PMEM2_FORCE_GRANULARITY", "BYTE", 1);
	ut_map_ok(set, src, 0, 64 * KIB);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	enum pmem2_granularity g;
	UT_ASSERT_EQ(pmemset_get_store_granularity(set, &g), 0);
	UT_ASSERT_EQ(g, PMEM2_GRANULARITY_BYTE);
	/* now a PAGE mapping is the odd one */
	expect_map_failure(set, src, 64 * KIB, 64 * KIB,
			   PMEMSET_E_GRANULARITY_MISMATCH);
	UT_ASSERT_EQ(ut_count_maps(set), 1);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void temporary_source_grows_as_parts_are_mapped(void)
{
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_source_from_temporary(&src, ut_dir()), 0);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor d[4];
	d[0] = ut_map_ok(set, src, 0, 128 * KIB);
	UT_ASSERT_EQ(d[0].size, 128 * KIB);
	for (int i = 1; i < 4; i++) {
		size_t offset = 128 * KIB + (size_t)(i - 1) * 64 * KIB;
		d[i] = ut_map_ok(set, src, offset, 64 * KIB);
		UT_ASSERT_EQ(d[i].size, 64 * KIB);
	}
	/* every part is real storage of its own */
	for (int i = 0; i < 4; i++)
		memset(d[i].addr, 'a' + i, d[i].size);
	for (int i = 0; i < 4; i++) {
		const char *p = d[i].addr;
		CU_ASSERT(p[0] == 'a' + i && p[d[i].size - 1] == 'a' + i);
	}
	UT_ASSERT_EQ(ut_count_maps(set), 4);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void temporary_source_size_max_cannot_truncate(void)
{
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_source_from_temporary(&src, ut_dir()), 0);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	expect_map_failure(set, src, 0, SIZE_MAX,
			   PMEMSET_E_CANNOT_TRUNCATE_SOURCE_FILE);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void empty_file_grows_only_with_truncate_if_needed(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "grow"), 0);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	expect_map_failure(set, src, 0, 64 * KIB, PMEMSET_E_INVALID_PMEM2_MAP);
	UT_ASSERT_EQ(ut_file_size(path), 0);
	pmemset_source_delete(&src);

	UT_ASSERT_EQ_FATAL(
		pmemset_xsource_from_file(
			&src, path,
			PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED |
				PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED),
		0);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ(d.size, 64 * KIB);
	UT_ASSERT_EQ(ut_file_size(path), 64 * KIB);
	d = ut_map_ok(set, src, 0, 128 * KIB);
	UT_ASSERT_EQ(d.size, 128 * KIB);
	UT_ASSERT_EQ(ut_file_size(path), 128 * KIB);
	/* never shrunk */
	ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ(ut_file_size(path), 128 * KIB);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void failed_map_leaves_set_state_unchanged(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "unchanged"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor a = ut_map_ok(set, src, 0, 64 * KIB);
	expect_map_failure(set, src, 4096 + 100, 64 * KIB,
			   PMEMSET_E_INVALID_PMEM2_MAP);
	expect_map_failure(set, src, 0, 64 * KIB + 4096 + 1,
			   PMEMSET_E_LENGTH_UNALIGNED);
	struct pmemset_part_descriptor maps[2];
	UT_ASSERT_EQ(ut_list_maps(set, maps, 2), 1);
	CU_ASSERT(ut_desc_eq(maps[0], a));
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

/* the permissions column of /proc/self/maps for the mapping at addr */
static bool mapping_perms(const void *addr, char perms[5])
{
	FILE *maps = fopen("/proc/self/maps", "r");
	if (maps == NULL)
		return false;
	unsigned long start, end;
	bool found = false;
	while (!found &&
	       fscanf(maps, "%lx-%lx %4s%*[^\n]", &start, &end, perms) == 3)
		found = start <= (uintptr_t)addr && (uintptr_t)addr < end;
	fclose(maps);
	return found;
}

/*
 * A pmem2 source on a read-only descriptor (a file on a read-only mount,
 * an immutable file) maps read-only, shared, showing the file's bytes.
 */
static void read_only_descriptor_maps_read_only(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "read_only"), 64 * KIB, 31);
	int fd = open(path, O_RDONLY);
	CU_ASSERT_FATAL(fd >= 0);
	struct pmem2_source *p2 = NULL;
	UT_ASSERT_EQ_FATAL(pmem2_source_from_fd(&p2, fd), 0);
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_source_from_pmem2(&src, p2), 0);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor desc = SENTINEL;
	UT_ASSERT_EQ(ut_map(set, src, 0, 64 * KIB, &desc), 0);
	UT_ASSERT_EQ(desc.size, 64 * KIB);
	CU_ASSERT(ut_mem_has_pattern(desc.addr, 0, 64 * KIB, 31));
	char perms[5] = "";
	CU_ASSERT(mapping_perms(desc.addr, perms));
	CU_ASSERT_STRING_EQUAL(perms, "r--s");
	pmemset_delete(&set);
	CU_ASSERT(ut_file_has_pattern(path, 0, 64 * KIB, 31));
	pmemset_source_delete(&src);
	pmem2_source_delete(&p2);
	close(fd);
}

static CU_TestInfo tests[] = {
	{"read_only_descriptor_maps_read_only",
	 read_only_descriptor_maps_read_only},
	{"part_new_out_of_memory_returns_enomem_and_null",
	 part_new_out_of_memory_returns_enomem_and_null},
	{"part_new_and_delete", part_new_and_delete},
	{"part_map_consumes_part_and_fills_descriptor",
	 part_map_consumes_part_and_fills_descriptor},
	{"part_map_with_null_descriptor", part_map_with_null_descriptor},
	{"part_at_offset_shows_source_bytes_at_offset",
	 part_at_offset_shows_source_bytes_at_offset},
	{"offset_above_int64_max_is_invalid",
	 offset_above_int64_max_is_invalid},
	{"part_map_out_of_memory_leaves_part_with_caller",
	 part_map_out_of_memory_leaves_part_with_caller},
	{"length_zero_maps_whole_file", length_zero_maps_whole_file},
	{"whole_file_of_unaligned_size_is_length_unaligned",
	 whole_file_of_unaligned_size_is_length_unaligned},
	{"unaligned_length_is_length_unaligned",
	 unaligned_length_is_length_unaligned},
	{"unaligned_offset_or_past_end_is_invalid_pmem2_map",
	 unaligned_offset_or_past_end_is_invalid_pmem2_map},
	{"empty_source_whole_part_is_invalid_pmem2_map",
	 empty_source_whole_part_is_invalid_pmem2_map},
	{"byte_granularity_on_regular_file_is_invalid_pmem2_map",
	 byte_granularity_on_regular_file_is_invalid_pmem2_map},
	{"different_effective_granularity_is_mismatch",
	 different_effective_granularity_is_mismatch},
	{"forced_byte_granularity_becomes_effective",
	 forced_byte_granularity_becomes_effective},
	{"temporary_source_grows_as_parts_are_mapped",
	 temporary_source_grows_as_parts_are_mapped},
	{"temporary_source_size_max_cannot_truncate",
	 temporary_source_size_max_cannot_truncate},
	{"empty_file_grows_only_with_truncate_if_needed",
	 empty_file_grows_only_with_truncate_if_needed},
	{"failed_map_leaves_set_state_unchanged",
	 failed_map_leaves_set_state_unchanged},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	/* the suite sets it itself where it needs it */
	unsetenv("PMEM2_FORCE_GRANULARITY");
	return ut_run_suite("part_map", tests);
}
