/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_deferred_copy.c -- copies with PMEMSET_F_MEM_NOFLUSH. At PAGE
 * granularity libpmemset makes them with libc (persistence comes from the
 * msync of the next pmemset_persist); at CACHE_LINE or BYTE granularity, and
 * for every copy that flushes, libpmem2's functions still do the work. The
 * executable wraps pmem2_get_mem{cpy,move,set}_fn, so the library is handed
 * counting trampolines around libpmem2's functions, and CTest preloads the
 * syscall_counter library to count msync calls. CTest runs the suite as is
 * (PAGE on a tmpfs file) and with PMEM2_FORCE_GRANULARITY=CACHE_LINE.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_counter.h"
#include "util.h"

#define PART (4 * MIB)

static pmem2_memcpy_fn real_memcpy;
static pmem2_memmove_fn real_memmove;
static pmem2_memset_fn real_memset;
static unsigned long pmem2_copies; /* calls of any of the three */

static void *counting_memcpy(void *dest, const void *src, size_t len,
			     unsigned flags)
{
	pmem2_copies++;
	return real_memcpy(dest, src, len, flags);
}

static void *counting_memmove(void *dest, const void *src, size_t len,
			      unsigned flags)
{
	pmem2_copies++;
	return real_memmove(dest, src, len, flags);
}

static void *counting_memset(void *dest, int c, size_t len, unsigned flags)
{
	pmem2_copies++;
	return real_memset(dest, c, len, flags);
}

pmem2_memcpy_fn __real_pmem2_get_memcpy_fn(struct pmem2_map *map);
pmem2_memmove_fn __real_pmem2_get_memmove_fn(struct pmem2_map *map);
pmem2_memset_fn __real_pmem2_get_memset_fn(struct pmem2_map *map);
pmem2_memcpy_fn __wrap_pmem2_get_memcpy_fn(struct pmem2_map *map);
pmem2_memmove_fn __wrap_pmem2_get_memmove_fn(struct pmem2_map *map);
pmem2_memset_fn __wrap_pmem2_get_memset_fn(struct pmem2_map *map);

pmem2_memcpy_fn __wrap_pmem2_get_memcpy_fn(struct pmem2_map *map)
{
	real_memcpy = __real_pmem2_get_memcpy_fn(map);
	return counting_memcpy;
}

pmem2_memmove_fn __wrap_pmem2_get_memmove_fn(struct pmem2_map *map)
{
	real_memmove = __real_pmem2_get_memmove_fn(map);
	return counting_memmove;
}

pmem2_memset_fn __wrap_pmem2_get_memset_fn(struct pmem2_map *map)
{
	real_memset = __real_pmem2_get_memset_fn(map);
	return counting_memset;
}

/* the granularity this run forces (CTest sets the variable), else PAGE */
static enum pmem2_granularity expected_granularity(void)
{
	const char *forced = getenv("PMEM2_FORCE_GRANULARITY");
	if (forced == NULL)
		return PMEM2_GRANULARITY_PAGE;
	if (strcmp(forced, "CACHE_LINE") == 0)
		return PMEM2_GRANULARITY_CACHE_LINE;
	if (strcmp(forced, "BYTE") == 0)
		return PMEM2_GRANULARITY_BYTE;
	return PMEM2_GRANULARITY_PAGE;
}

struct fixture {
	char path[PATH_MAX];
	struct pmemset_source *src;
	struct pmemset *set;
	char *pmem;
	char *shadow;
	char *bytes;
};

static void fixture_open(struct fixture *f, const char *name)
{
	ut_file_create(ut_path(f->path, name), PART, 91);
	f->src = ut_source_file(f->path);
	f->set = ut_set_new(NULL, NULL, NULL);
	f->pmem = ut_map_ok(f->set, f->src, 0, PART).addr;
	enum pmem2_granularity g;
	UT_ASSERT_EQ_FATAL(pmemset_get_store_granularity(f->set, &g), 0);
	UT_ASSERT_EQ_FATAL(g, expected_granularity());
	f->shadow = malloc(PART);
	f->bytes = malloc(PART);
	CU_ASSERT_FATAL(f->shadow != NULL && f->bytes != NULL);
	ut_mem_fill_pattern(f->shadow, 0, PART, 91);
	for (size_t i = 0; i < PART; i++)
		f->bytes[i] = (char)(i * 13 + 7);
	pmem2_copies = 0;
}

/* deletes the set; the mapping and then the file must equal the shadow */
static void fixture_close(struct fixture *f)
{
	CU_ASSERT(memcmp(f->pmem, f->shadow, PART) == 0);
	UT_ASSERT_EQ(pmemset_delete(&f->set), 0);
	char *back = malloc(PART);
	CU_ASSERT_FATAL(back != NULL);
	CU_ASSERT(ut_file_read(f->path, 0, back, PART));
	CU_ASSERT(memcmp(back, f->shadow, PART) == 0);
	free(back);
	free(f->bytes);
	free(f->shadow);
	pmemset_source_delete(&f->src);
}

static struct syscall_counts counts_now(void)
{
	struct syscall_counts counts = {0};
	if (!syscall_counts_take(&counts))
		CU_FAIL_FATAL("run with LD_PRELOAD=libsyscall_counter.so");
	return counts;
}

static const unsigned NOFLUSH_FLAGS[] = {
	PMEMSET_F_MEM_NOFLUSH,
	PMEMSET_F_MEM_NOFLUSH | PMEMSET_F_MEM_NODRAIN,
	PMEMSET_F_MEM_NOFLUSH | PMEMSET_F_MEM_NONTEMPORAL,
};
#define NOFLUSH_FLAG_COUNT (sizeof(NOFLUSH_FLAGS) / sizeof(NOFLUSH_FLAGS[0]))

/* memcpy, overlapping memmove both ways and memset, lengths 1 B to 1 MiB */
static void copy_all_kinds(struct fixture *f, unsigned flags, size_t off,
			   size_t len)
{
	char *dest = f->pmem + off;
	CU_ASSERT(pmemset_memcpy(f->set, dest, f->bytes, len, flags) == dest);
	memcpy(f->shadow + off, f->bytes, len);
	CU_ASSERT(pmemset_memmove(f->set, dest + 3, dest, len, flags) ==
		  dest + 3);
	memmove(f->shadow + off + 3, f->shadow + off, len);
	CU_ASSERT(pmemset_memmove(f->set, dest, dest + 5, len, flags) == dest);
	memmove(f->shadow + off, f->shadow + off + 5, len);
	CU_ASSERT(pmemset_memset(f->set, dest + len / 2, 0x5a, len / 2,
				 flags) == dest + len / 2);
	memset(f->shadow + off + len / 2, 0x5a, len / 2);
}

static const size_t LENGTHS[] = {1, 63, 4096, 4096 + 17, 256 * KIB + 9, MIB};
#define LENGTH_COUNT (sizeof(LENGTHS) / sizeof(LENGTHS[0]))

static void noflush_copies_leave_the_right_bytes(void)
{
	struct fixture f;
	fixture_open(&f, "noflush_bytes");
	for (size_t fl = 0; fl < NOFLUSH_FLAG_COUNT; fl++)
		for (size_t l = 0; l < LENGTH_COUNT; l++)
			copy_all_kinds(&f, NOFLUSH_FLAGS[fl],
				       fl * MIB + l * 7 + 1, LENGTHS[l]);
	CU_ASSERT(memcmp(f.pmem, f.shadow, PART) == 0);
	UT_ASSERT_EQ(pmemset_persist(f.set, f.pmem, PART), 0);
	fixture_close(&f);
}

/*
 * No msync while copying with NOFLUSH; the persist afterwards msyncs at
 * PAGE granularity (at CACHE_LINE it flushes cache lines instead).
 */
static void noflush_copy_msyncs_only_at_persist(void)
{
	struct fixture f;
	fixture_open(&f, "noflush_msync");
	struct syscall_counts before = counts_now();
	for (size_t fl = 0; fl < NOFLUSH_FLAG_COUNT; fl++)
		for (size_t l = 0; l < LENGTH_COUNT; l++)
			copy_all_kinds(&f, NOFLUSH_FLAGS[fl], fl * MIB,
				       LENGTHS[l]);
	struct syscall_counts copied = counts_now();
	UT_ASSERT_EQ(copied.msync_calls, before.msync_calls);

	UT_ASSERT_EQ(pmemset_persist(f.set, f.pmem, 3 * MIB), 0);
	struct syscall_counts persisted = counts_now();
	if (expected_granularity() == PMEM2_GRANULARITY_PAGE)
		CU_ASSERT(persisted.msync_calls > copied.msync_calls);

	/* a flushing copy still persists through libpmem2 (msync at PAGE) */
	pmemset_memcpy(f.set, f.pmem, f.bytes, 4096, 0);
	memcpy(f.shadow, f.bytes, 4096);
	struct syscall_counts flushed = counts_now();
	if (expected_granularity() == PMEM2_GRANULARITY_PAGE)
		CU_ASSERT(flushed.msync_calls > persisted.msync_calls);
	fixture_close(&f);
}

/*
 * Who copies: libc for NOFLUSH at PAGE granularity, libpmem2 for every
 * flushing copy and for every copy at CACHE_LINE or BYTE granularity.
 */
static void libpmem2_copies_unless_page_noflush(void)
{
	struct fixture f;
	fixture_open(&f, "who_copies");
	copy_all_kinds(&f, PMEMSET_F_MEM_NOFLUSH, 0, 8192);
	copy_all_kinds(&f, PMEMSET_F_MEM_NOFLUSH | PMEMSET_F_MEM_NODRAIN, 0,
		       8192);
	if (expected_granularity() == PMEM2_GRANULARITY_PAGE)
		UT_ASSERT_EQ(pmem2_copies, 0);
	else
		UT_ASSERT_EQ(pmem2_copies, 8);

	pmem2_copies = 0;
	copy_all_kinds(&f, 0, 0, 8192);
	copy_all_kinds(&f, PMEMSET_F_MEM_NODRAIN, 0, 8192);
	UT_ASSERT_EQ(pmem2_copies, 8);
	fixture_close(&f);
}

static CU_TestInfo tests[] = {
	{"noflush_copies_leave_the_right_bytes",
	 noflush_copies_leave_the_right_bytes},
	{"noflush_copy_msyncs_only_at_persist",
	 noflush_copy_msyncs_only_at_persist},
	{"libpmem2_copies_unless_page_noflush",
	 libpmem2_copies_unless_page_noflush},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("deferred_copy", tests);
}
