/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_coalescing.c -- contiguous part coalescing: FULL and OPPORTUNISTIC,
 * enabled before or after the first mapping, with and without a configured
 * reservation. The spec would accept PMEMSET_E_CANNOT_COALESCE_PARTS
 * without a configured reservation (the OS may have taken the space after
 * a map); this library places internal part maps in large per-set arenas
 * and promises success whenever the space after the anchor is free, so
 * these tests require it. Inside a configured reservation layouts are
 * exact.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static void full_whole_file_parts(bool enable_before_first)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "full_whole"), 64 * KIB, 51);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	if (enable_before_first)
		UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
				     set, PMEMSET_COALESCING_FULL),
			     0);
	struct pmemset_part_descriptor first = ut_map_ok(set, src, 0, 0);
	UT_ASSERT_EQ(first.size, 64 * KIB);
	if (!enable_before_first)
		UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
				     set, PMEMSET_COALESCING_FULL),
			     0);
	struct pmemset_part_descriptor d = {NULL, 0};
	int ret = ut_map(set, src, 0, 0, &d);
	struct pmemset_part_descriptor maps[2];
	size_t n = ut_list_maps(set, maps, 2);
	/* the space after the first map is free: FULL must succeed */
	UT_ASSERT_EQ_FATAL(ret, 0);
	UT_ASSERT_EQ(n, 1); /* no next part map */
	CU_ASSERT(maps[0].addr == first.addr);
	UT_ASSERT_EQ(maps[0].size, 128 * KIB);
	CU_ASSERT(ut_desc_eq(d, maps[0]));
	/* both halves show the same file */
	CU_ASSERT(ut_mem_has_pattern(d.addr, 0, 64 * KIB, 51));
	CU_ASSERT(
		ut_mem_has_pattern(ut_add(d.addr, 64 * KIB), 0, 64 * KIB, 51));
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void full_enabled_before_first_mapping(void)
{
	full_whole_file_parts(true);
}

static void full_enabled_after_first_mapping(void)
{
	full_whole_file_parts(false);
}

static void opportunistic_two_parts(bool enable_before_first)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "opportunistic"), 128 * KIB, 52);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	if (enable_before_first)
		pmemset_set_contiguous_part_coalescing(
			set, PMEMSET_COALESCING_OPPORTUNISTIC);
	ut_map_ok(set, src, 0, 64 * KIB);
	if (!enable_before_first)
		pmemset_set_contiguous_part_coalescing(
			set, PMEMSET_COALESCING_OPPORTUNISTIC);
	struct pmemset_part_descriptor d =
		ut_map_ok(set, src, 64 * KIB, 64 * KIB);
	struct pmemset_part_descriptor maps[3];
	size_t n = ut_list_maps(set, maps, 3);
	/* the space after the anchor is free: always one 128 KiB map */
	UT_ASSERT_EQ_FATAL(n, 1);
	UT_ASSERT_EQ(maps[0].size, 128 * KIB);
	CU_ASSERT(ut_desc_eq(d, maps[0]));
	CU_ASSERT(ut_mem_has_pattern(maps[0].addr, 0, 128 * KIB, 52));
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void opportunistic_enabled_before_first_mapping(void)
{
	opportunistic_two_parts(true);
}

static void opportunistic_enabled_after_first_mapping(void)
{
	opportunistic_two_parts(false);
}

static void coalesced_map_is_one_step_and_one_lookup_hit(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "one_step"), 192 * KIB, 53);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(192 * KIB);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	struct pmemset_part_descriptor d;
	for (int i = 0; i < 3; i++)
		d = ut_map_ok(set, src, (size_t)i * 64 * KIB, 64 * KIB);
	/* the descriptor is the whole, enlarged part map */
	CU_ASSERT(d.addr == pmem2_vm_reservation_get_address(rsv));
	UT_ASSERT_EQ(d.size, 192 * KIB);
	UT_ASSERT_EQ(ut_count_maps(set), 1);
	CU_ASSERT(ut_mem_has_pattern(d.addr, 0, 192 * KIB, 53));

	struct pmemset_part_map *first = NULL;
	pmemset_first_part_map(set, &first);
	size_t probes[] = {0, 64 * KIB - 1, 64 * KIB, 130 * KIB, 192 * KIB - 1};
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct pmemset_part_map *pm = NULL;
		UT_ASSERT_EQ(pmemset_part_map_by_address(
				     set, &pm, ut_add(d.addr, probes[i])),
			     0);
		CU_ASSERT(pm == first);
		pmemset_part_map_drop(&pm);
	}
	pmemset_part_map_drop(&first);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void coalesced_write_across_parts_reaches_both_files(void)
{
	char a[PATH_MAX], b[PATH_MAX];
	ut_file_create(ut_path(a, "across_a"), 64 * KIB, 54);
	ut_file_create(ut_path(b, "across_b"), 64 * KIB, 55);
	struct pmemset_source *sa = ut_source_file(a);
	struct pmemset_source *sb = ut_source_file(b);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(128 * KIB);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	ut_map_ok(set, sa, 0, 0);
	struct pmemset_part_descriptor d = ut_map_ok(set, sb, 0, 0);
	UT_ASSERT_EQ_FATAL(d.size, 128 * KIB);
	CU_ASSERT(ut_mem_has_pattern(d.addr, 0, 64 * KIB, 54));
	CU_ASSERT(
		ut_mem_has_pattern(ut_add(d.addr, 64 * KIB), 0, 64 * KIB, 55));

	/* one copy over the boundary: 4 KiB into each file */
	char buf[8 * 1024];
	memset(buf, 0xee, sizeof(buf));
	void *dest = ut_add(d.addr, 60 * KIB);
	CU_ASSERT(pmemset_memcpy(set, dest, buf, sizeof(buf), 0) == dest);
	pmemset_delete(&set);

	char back[4 * 1024];
	CU_ASSERT(ut_file_read(a, 60 * KIB, back, sizeof(back)));
	CU_ASSERT(memcmp(back, buf, sizeof(back)) == 0);
	CU_ASSERT(ut_file_read(b, 0, back, sizeof(back)));
	CU_ASSERT(memcmp(back, buf, sizeof(back)) == 0);
	CU_ASSERT(ut_file_has_pattern(a, 0, 60 * KIB, 54));
	CU_ASSERT(ut_file_has_pattern(b, 4 * KIB, 60 * KIB, 55));
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&sa);
	pmemset_source_delete(&sb);
}

/*
 * Reservation of `slots` 64 KiB slots: maps 0..3 at slots 0..3 (NONE),
 * removes slot 1 and maps again (NONE, first fit: slot 1, the new anchor
 * whose successor, slot 2, is taken).
 */
static struct pmemset *
anchor_before_taken_slot(struct pmemset_source *src,
			 struct pmem2_vm_reservation *rsv)
{
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	struct pmemset_part_descriptor d[4];
	for (int i = 0; i < 4; i++)
		d[i] = ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ_FATAL(pmemset_remove_range(set, d[1].addr, 1), 0);
	struct pmemset_part_descriptor again = ut_map_ok(set, src, 0, 64 * KIB);
	CU_ASSERT_FATAL(again.addr == d[1].addr);
	return set;
}

static void full_cannot_coalesce_when_space_after_anchor_taken(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "taken"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(5 * 64 * KIB);
	struct pmemset *set = anchor_before_taken_slot(src, rsv);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);

	struct pmemset_part_descriptor before[5], after[5];
	size_t n = ut_list_maps(set, before, 5);
	UT_ASSERT_EQ(n, 4);
	struct pmemset_part *part = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_part_new(&part, set, src, 0, 64 * KIB), 0);
	struct pmemset_part *mine = part;
	UT_ASSERT_EQ(pmemset_part_map(&part, NULL, NULL),
		     PMEMSET_E_CANNOT_COALESCE_PARTS);
	CU_ASSERT(part == mine);
	pmemset_part_delete(&part);
	UT_ASSERT_EQ(ut_list_maps(set, after, 5), n);
	for (size_t i = 0; i < n; i++)
		CU_ASSERT(ut_desc_eq(before[i], after[i]));
	UT_ASSERT_EQ(pmem2_vm_reservation_get_size(rsv), 5 * 64 * KIB);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void opportunistic_falls_back_when_space_after_anchor_taken(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "fallback"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(5 * 64 * KIB);
	struct pmemset *set = anchor_before_taken_slot(src, rsv);
	pmemset_set_contiguous_part_coalescing(
		set, PMEMSET_COALESCING_OPPORTUNISTIC);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 64 * KIB);
	/* NONE placement: first fit is the last free slot */
	char *base = pmem2_vm_reservation_get_address(rsv);
	CU_ASSERT(d.addr == base + 4 * 64 * KIB);
	UT_ASSERT_EQ(d.size, 64 * KIB);
	UT_ASSERT_EQ(ut_count_maps(set), 5);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void full_past_reservation_end_cannot_coalesce(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "past_end"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(2 * 64 * KIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	/* slot 0, slot 1, then free slot 0: anchor is slot 1, at the end */
	struct pmemset_part_descriptor d0 = ut_map_ok(set, src, 0, 64 * KIB);
	ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ_FATAL(pmemset_remove_range(set, d0.addr, d0.size), 0);

	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	UT_ASSERT_EQ(ut_map(set, src, 0, 64 * KIB, NULL),
		     PMEMSET_E_CANNOT_COALESCE_PARTS);
	UT_ASSERT_EQ(ut_count_maps(set), 1);

	pmemset_set_contiguous_part_coalescing(
		set, PMEMSET_COALESCING_OPPORTUNISTIC);
	struct pmemset_part_descriptor d = {NULL, 0};
	UT_ASSERT_EQ(ut_map(set, src, 0, 64 * KIB, &d), 0);
	CU_ASSERT(d.addr == base); /* fell back to first fit */
	UT_ASSERT_EQ(ut_count_maps(set), 2);
	UT_ASSERT_EQ(pmem2_vm_reservation_get_size(rsv), 2 * 64 * KIB);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void full_without_anchor_uses_none_placement(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "no_anchor"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	struct pmemset_part_descriptor d = ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ(pmemset_remove_range(set, d.addr, d.size), 0);
	UT_ASSERT_EQ(ut_count_maps(set), 0);
	/* the set is empty again: no anchor, so this is a fresh map */
	d = ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ(d.size, 64 * KIB);
	UT_ASSERT_EQ(ut_count_maps(set), 1);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void coalescing_unaligned_part_is_refused(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "coalesce_unaligned"), 128 * KIB);
	struct pmemset_source *src = ut_source_file(path);

	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	ut_map_ok(set, src, 0, 64 * KIB);
	/* FULL returns libpmem2's own code unchanged (spec 6.11) */
	UT_ASSERT_EQ(ut_map(set, src, 64 * KIB, 4097, NULL),
		     PMEM2_E_LENGTH_UNALIGNED);
	UT_ASSERT_EQ(ut_count_maps(set), 1);

	pmemset_set_contiguous_part_coalescing(
		set, PMEMSET_COALESCING_OPPORTUNISTIC);
	UT_ASSERT_EQ(ut_map(set, src, 64 * KIB, 4097, NULL),
		     PMEMSET_E_LENGTH_UNALIGNED);
	UT_ASSERT_EQ(ut_count_maps(set), 1);
	struct pmemset_part_descriptor maps[2];
	ut_list_maps(set, maps, 2);
	UT_ASSERT_EQ(maps[0].size, 64 * KIB);
	pmemset_delete(&set);

	/* inside a configured reservation libpmem2 rejects the length */
	struct pmem2_vm_reservation *rsv = ut_reservation_new(256 * KIB);
	set = ut_set_new(rsv, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ(ut_map(set, src, 64 * KIB, 4097, NULL),
		     PMEMSET_E_INVALID_PMEM2_MAP);
	ut_list_maps(set, maps, 2);
	UT_ASSERT_EQ(maps[0].size, 64 * KIB); /* appended size undone */
	ut_map_ok(set, src, 64 * KIB, 64 * KIB);
	UT_ASSERT_EQ(ut_list_maps(set, maps, 2), 1);
	UT_ASSERT_EQ(maps[0].size, 128 * KIB);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void switching_back_to_none_stops_coalescing(void)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "back_to_none"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(4 * 64 * KIB);
	struct pmemset *set = ut_set_new(rsv, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	ut_map_ok(set, src, 0, 0);
	ut_map_ok(set, src, 0, 0);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_NONE);
	ut_map_ok(set, src, 0, 0);
	struct pmemset_part_descriptor maps[3];
	UT_ASSERT_EQ(ut_list_maps(set, maps, 3), 2);
	UT_ASSERT_EQ(maps[0].size, 128 * KIB);
	UT_ASSERT_EQ(maps[1].size, 64 * KIB);
	CU_ASSERT(maps[1].addr == ut_add(maps[0].addr, 128 * KIB));
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

/*
 * count parts of part_size bytes, slices of one sparse file, with FULL
 * coalescing and no configured reservation: one part map of all of them
 */
static void full_coalesces_parts_without_reservation(size_t count,
						     size_t part_size)
{
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "large"), count * part_size);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	UT_ASSERT_EQ(pmemset_set_contiguous_part_coalescing(
			     set, PMEMSET_COALESCING_FULL),
		     0);
	struct pmemset_part_descriptor first = {NULL, 0}, last = {NULL, 0};
	for (size_t i = 0; i < count; i++) {
		struct pmemset_part_descriptor d;
		int ret = ut_map(set, src, i * part_size, part_size, &d);
		if (ret) {
			fprintf(stderr, "\npart %zu of %zu: %s\n", i, count,
				pmemset_errormsg());
			UT_ASSERT_EQ_FATAL(ret, 0);
		}
		if (i == 0)
			first = d;
		last = d;
	}
	CU_ASSERT(last.addr == first.addr);
	UT_ASSERT_EQ(last.size, count * part_size);
	UT_ASSERT_EQ(ut_count_maps(set), 1);
	/* the first and the last byte are the file's */
	char *base = first.addr;
	base[0] = 'F';
	base[count * part_size - 1] = 'L';
	UT_ASSERT_EQ(pmemset_delete(&set), 0);
	char byte = 0;
	CU_ASSERT(ut_file_read(path, count * part_size - 1, &byte, 1));
	CU_ASSERT(byte == 'L');
	CU_ASSERT(ut_file_read(path, 0, &byte, 1));
	CU_ASSERT(byte == 'F');
	pmemset_source_delete(&src);
	unlink(path);
}

static void full_coalesces_1000_parts_of_10_mib(void)
{
	full_coalesces_parts_without_reservation(1000, 10 * MIB);
}

static void full_coalesces_1200_parts_of_2_mib(void)
{
	full_coalesces_parts_without_reservation(1200, 2 * MIB);
}

/* VmSize of this process in bytes, 0 if unknown */
static size_t address_space_in_use(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (f == NULL)
		return 0;
	char line[256];
	size_t kib = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSize: %zu kB", &kib) == 1)
			break;
	fclose(f);
	return kib * KIB;
}

/*
 * In a child process whose address space is capped just above what it
 * uses (RLIMIT_AS), FULL coalescing must run out, and the message must
 * name the fix: a configured reservation. Exit status 0: as expected.
 */
static int child_runs_out_of_address_space(const char *path)
{
	size_t in_use = address_space_in_use();
	if (in_use == 0)
		return 10;
	struct rlimit limit = {in_use + 512 * MIB, in_use + 512 * MIB};
	if (setrlimit(RLIMIT_AS, &limit))
		return 11;
	struct pmemset_config *cfg = NULL;
	struct pmemset *set = NULL;
	struct pmemset_source *src = NULL;
	if (pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmemset_new(&set, cfg) || pmemset_source_from_file(&src, path))
		return 12;
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	for (size_t i = 0; i < 1024; i++) {
		struct pmemset_part *part = NULL;
		if (pmemset_part_new(&part, set, src, 0, 64 * MIB))
			return 13;
		int ret = pmemset_part_map(&part, NULL, NULL);
		if (ret == 0)
			continue;
		const char *msg = pmemset_errormsg();
		fprintf(stderr, "\n(expected) part %zu: %s\n", i, msg);
		if (ret != PMEMSET_E_CANNOT_COALESCE_PARTS)
			return 14;
		return strstr(msg, "reservation SIZE") != NULL ? 0 : 15;
	}
	return 16; /* 64 GiB mapped under a 512 MiB cap? */
}

static void full_out_of_address_space_names_reservation(void)
{
#if defined(__SANITIZE_ADDRESS__)
	/* the sanitizer's allocator needs address space of its own */
	printf("skipped under AddressSanitizer ");
	return;
#endif
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "capped"), 64 * MIB);
	fflush(NULL);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		_exit(child_runs_out_of_address_space(path));
	int status = 0;
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	CU_ASSERT(WIFEXITED(status));
	UT_ASSERT_EQ(WEXITSTATUS(status), 0);
}

static CU_TestInfo tests[] = {
	{"full_coalesces_1000_parts_of_10_mib",
	 full_coalesces_1000_parts_of_10_mib},
	{"full_coalesces_1200_parts_of_2_mib",
	 full_coalesces_1200_parts_of_2_mib},
	{"full_out_of_address_space_names_reservation",
	 full_out_of_address_space_names_reservation},
	{"full_enabled_before_first_mapping",
	 full_enabled_before_first_mapping},
	{"full_enabled_after_first_mapping", full_enabled_after_first_mapping},
	{"opportunistic_enabled_before_first_mapping",
	 opportunistic_enabled_before_first_mapping},
	{"opportunistic_enabled_after_first_mapping",
	 opportunistic_enabled_after_first_mapping},
	{"coalesced_map_is_one_step_and_one_lookup_hit",
	 coalesced_map_is_one_step_and_one_lookup_hit},
	{"coalesced_write_across_parts_reaches_both_files",
	 coalesced_write_across_parts_reaches_both_files},
	{"full_cannot_coalesce_when_space_after_anchor_taken",
	 full_cannot_coalesce_when_space_after_anchor_taken},
	{"opportunistic_falls_back_when_space_after_anchor_taken",
	 opportunistic_falls_back_when_space_after_anchor_taken},
	{"full_past_reservation_end_cannot_coalesce",
	 full_past_reservation_end_cannot_coalesce},
	{"full_without_anchor_uses_none_placement",
	 full_without_anchor_uses_none_placement},
	{"coalescing_unaligned_part_is_refused",
	 coalescing_unaligned_part_is_refused},
	{"switching_back_to_none_stops_coalescing",
	 switching_back_to_none_stops_coalescing},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("coalescing", tests);
}
