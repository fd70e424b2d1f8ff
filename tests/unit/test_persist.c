/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_persist.c -- the data path: persist, flush + drain, and memcpy,
 * memmove (overlapping both ways, unaligned, tiny) and memset with every
 * flag combination the spec lists. A shadow buffer gets the same operations
 * with plain libc calls; the mapping, and after pmemset_delete the file
 * read back with pread, must equal it. CTest runs this suite again under
 * other libpmem2 implementations and forced granularities.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PART (4 * MIB)

static const unsigned FLAG_SETS[] = {
	0,
	PMEMSET_F_MEM_NODRAIN,
	PMEMSET_F_MEM_NONTEMPORAL,
	PMEMSET_F_MEM_TEMPORAL,
	PMEMSET_F_MEM_NONTEMPORAL | PMEMSET_F_MEM_TEMPORAL,
	PMEMSET_F_MEM_NONTEMPORAL | PMEMSET_F_MEM_NODRAIN,
	PMEMSET_F_MEM_WC,
	PMEMSET_F_MEM_WB,
	PMEMSET_F_MEM_NOFLUSH,
	PMEMSET_F_MEM_VALID_FLAGS,
};
#define FLAG_SET_COUNT (sizeof(FLAG_SETS) / sizeof(FLAG_SETS[0]))

static const size_t LENGTHS[] = {0,
				 1,
				 2,
				 3,
				 7,
				 8,
				 15,
				 63,
				 64,
				 65,
				 255,
				 4096 + 13,
				 64 * KIB + 1,
				 256 * KIB + 7};
static const size_t OFFSETS[] = {0, 1, 63, 4095, 12345};

struct fixture {
	char path[PATH_MAX];
	struct pmemset_source *src;
	struct pmemset *set;
	char *pmem;
	char *shadow;
};

static void fixture_open(struct fixture *f, const char *name)
{
	ut_file_create(ut_path(f->path, name), PART, 81);
	f->src = ut_source_file(f->path);
	f->set = ut_set_new(NULL, NULL, NULL);
	f->pmem = ut_map_ok(f->set, f->src, 0, PART).addr;
	f->shadow = malloc(PART);
	CU_ASSERT_FATAL(f->shadow != NULL);
	ut_mem_fill_pattern(f->shadow, 0, PART, 81);
}

/* deletes the set, then the file must hold exactly the shadow */
static void fixture_close(struct fixture *f)
{
	CU_ASSERT(memcmp(f->pmem, f->shadow, PART) == 0);
	UT_ASSERT_EQ(pmemset_delete(&f->set), 0);
	char *back = malloc(PART);
	CU_ASSERT_FATAL(back != NULL);
	CU_ASSERT(ut_file_read(f->path, 0, back, PART));
	CU_ASSERT(memcmp(back, f->shadow, PART) == 0);
	free(back);
	free(f->shadow);
	pmemset_source_delete(&f->src);
}

static void fill_bytes(char *buf, size_t len, unsigned salt)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(i * 31 + salt * 17 + 5);
}

static void persist_whole_part_reaches_file(void)
{
	struct fixture f;
	fixture_open(&f, "persist_whole");
	fill_bytes(f.shadow, PART, 1);
	memcpy(f.pmem, f.shadow, PART);
	UT_ASSERT_EQ(pmemset_persist(f.set, f.pmem, PART), 0);
	fixture_close(&f);
}

static void persist_two_separate_parts_reaches_files(void)
{
	char a[PATH_MAX], b[PATH_MAX];
	ut_file_create(ut_path(a, "persist_a"), 64 * KIB, 82);
	ut_file_create(ut_path(b, "persist_b"), 128 * KIB, 83);
	struct pmemset_source *sa = ut_source_file(a);
	struct pmemset_source *sb = ut_source_file(b);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	struct pmemset_part_descriptor da = ut_map_ok(set, sa, 0, 64 * KIB);
	struct pmemset_part_descriptor db = ut_map_ok(set, sb, 0, 128 * KIB);
	ut_mem_fill_pattern(da.addr, 0, da.size, 84);
	ut_mem_fill_pattern(db.addr, 0, db.size, 85);
	UT_ASSERT_EQ(pmemset_persist(set, da.addr, da.size), 0);
	UT_ASSERT_EQ(pmemset_persist(set, db.addr, db.size), 0);
	/* half a part is fine too */
	UT_ASSERT_EQ(pmemset_persist(set, db.addr, db.size / 2), 0);
	pmemset_delete(&set);
	CU_ASSERT(ut_file_has_pattern(a, 0, 64 * KIB, 84));
	CU_ASSERT(ut_file_has_pattern(b, 0, 128 * KIB, 85));
	pmemset_source_delete(&sa);
	pmemset_source_delete(&sb);
}

static void flush_then_drain_reaches_file(void)
{
	struct fixture f;
	fixture_open(&f, "flush_drain");
	fill_bytes(f.shadow + 100, 64 * KIB, 2);
	memcpy(f.pmem + 100, f.shadow + 100, 64 * KIB);
	UT_ASSERT_EQ(pmemset_flush(f.set, f.pmem + 100, 64 * KIB), 0);
	fill_bytes(f.shadow + 2 * MIB, 128 * KIB, 3);
	memcpy(f.pmem + 2 * MIB, f.shadow + 2 * MIB, 128 * KIB);
	UT_ASSERT_EQ(pmemset_flush(f.set, f.pmem + 2 * MIB, 128 * KIB), 0);
	UT_ASSERT_EQ(pmemset_drain(f.set), 0);
	fixture_close(&f);
}

static void memcpy_every_flag_set(void)
{
	struct fixture f;
	fixture_open(&f, "memcpy_flags");
	char *src = malloc(PART);
	CU_ASSERT_FATAL(src != NULL);
	for (size_t fl = 0; fl < FLAG_SET_COUNT; fl++) {
		unsigned flags = FLAG_SETS[fl];
		fill_bytes(src, PART, (unsigned)fl);
		for (size_t o = 0; o < sizeof(OFFSETS) / sizeof(OFFSETS[0]);
		     o++) {
			for (size_t l = 0;
			     l < sizeof(LENGTHS) / sizeof(LENGTHS[0]); l++) {
				size_t off = OFFSETS[o] + l * 250 * KIB;
				size_t len = LENGTHS[l];
				char *dest = f.pmem + off;
				void *ret = pmemset_memcpy(f.set, dest, src + o,
							   len, flags);
				CU_ASSERT(ret == dest);
				memcpy(f.shadow + off, src + o, len);
			}
		}
		/* the whole part at once */
		if (fl % 3 == 0) {
			CU_ASSERT(pmemset_memcpy(f.set, f.pmem, src, PART,
						 flags) == f.pmem);
			memcpy(f.shadow, src, PART);
		}
		if (flags & PMEMSET_F_MEM_NODRAIN)
			pmemset_drain(f.set);
		CU_ASSERT(memcmp(f.pmem, f.shadow, PART) == 0);
	}
	free(src);
	fixture_close(&f);
}

static void memset_every_flag_set(void)
{
	struct fixture f;
	fixture_open(&f, "memset_flags");
	for (size_t fl = 0; fl < FLAG_SET_COUNT; fl++) {
		unsigned flags = FLAG_SETS[fl];
		for (size_t o = 0; o < sizeof(OFFSETS) / sizeof(OFFSETS[0]);
		     o++) {
			for (size_t l = 0;
			     l < sizeof(LENGTHS) / sizeof(LENGTHS[0]); l++) {
				size_t off = OFFSETS[o] + l * 250 * KIB;
				int c = (int)(fl * 16 + o * 3 + l);
				char *dest = f.pmem + off;
				CU_ASSERT(pmemset_memset(f.set, dest, c,
							 LENGTHS[l],
							 flags) == dest);
				memset(f.shadow + off, c, LENGTHS[l]);
			}
		}
		if (fl % 3 == 1) {
			CU_ASSERT(pmemset_memset(f.set, f.pmem, (int)fl, PART,
						 flags) == f.pmem);
			memset(f.shadow, (int)fl, PART);
		}
		CU_ASSERT(memcmp(f.pmem, f.shadow, PART) == 0);
	}
	fixture_close(&f);
}

static void memmove_overlapping_both_ways_every_flag_set(void)
{
	struct fixture f;
	fixture_open(&f, "memmove_flags");
	const size_t shifts[] = {1, 7, 64, 4093, 70000};
	for (size_t fl = 0; fl < FLAG_SET_COUNT; fl++) {
		unsigned flags = FLAG_SETS[fl];
		for (size_t s = 0; s < sizeof(shifts) / sizeof(shifts[0]);
		     s++) {
			for (size_t l = 0;
			     l < sizeof(LENGTHS) / sizeof(LENGTHS[0]); l++) {
				size_t len = LENGTHS[l];
				size_t base = 1 * MIB + l * 131 + s;
				/* forward: destination above the source */
				char *from = f.pmem + base;
				char *to = from + shifts[s];
				CU_ASSERT(pmemset_memmove(f.set, to, from, len,
							  flags) == to);
				memmove(f.shadow + base + shifts[s],
					f.shadow + base, len);
				/* backward: destination below the source */
				to = f.pmem + base - shifts[s];
				CU_ASSERT(pmemset_memmove(f.set, to, from, len,
							  flags) == to);
				memmove(f.shadow + base - shifts[s],
					f.shadow + base, len);
			}
		}
		CU_ASSERT(memcmp(f.pmem, f.shadow, PART) == 0);
	}
	/* from ordinary memory into the mapping */
	char buf[300];
	fill_bytes(buf, sizeof(buf), 9);
	CU_ASSERT(pmemset_memmove(f.set, f.pmem + 3, buf, sizeof(buf), 0) ==
		  f.pmem + 3);
	memmove(f.shadow + 3, buf, sizeof(buf));
	fixture_close(&f);
}

static void data_path_spans_coalesced_parts(void)
{
	char a[PATH_MAX], b[PATH_MAX];
	ut_file_create(ut_path(a, "span_a"), 64 * KIB, 86);
	ut_file_create(ut_path(b, "span_b"), 64 * KIB, 87);
	struct pmemset_source *sa = ut_source_file(a);
	struct pmemset_source *sb = ut_source_file(b);
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	ut_map_ok(set, sa, 0, 0);
	struct pmemset_part_descriptor d = ut_map_ok(set, sb, 0, 0);
	UT_ASSERT_EQ_FATAL(d.size, 128 * KIB);
	char *p = d.addr;
	CU_ASSERT(pmemset_memset(set, p + 60 * KIB, 0x11, 8 * KIB, 0) ==
		  p + 60 * KIB);
	CU_ASSERT(pmemset_memmove(set, p + 62 * KIB, p + 60 * KIB, 1 * KIB,
				  PMEMSET_F_MEM_NODRAIN) == p + 62 * KIB);
	memset(p + 10, 0x22, 128 * KIB - 20);
	UT_ASSERT_EQ(pmemset_persist(set, p + 10, 128 * KIB - 20), 0);
	pmemset_delete(&set);
	char back[64 * KIB];
	CU_ASSERT(ut_file_read(a, 0, back, sizeof(back)));
	CU_ASSERT(ut_mem_has_pattern(back, 0, 10, 86));
	for (size_t i = 10; i < sizeof(back); i++)
		if (back[i] != 0x22) {
			CU_FAIL("first file byte not persisted");
			break;
		}
	CU_ASSERT(ut_file_read(b, 0, back, sizeof(back)));
	for (size_t i = 0; i < sizeof(back) - 10; i++)
		if (back[i] != 0x22) {
			CU_FAIL("second file byte not persisted");
			break;
		}
	CU_ASSERT(ut_mem_has_pattern(back + sizeof(back) - 10,
				     sizeof(back) - 10, 10, 87));
	pmemset_source_delete(&sa);
	pmemset_source_delete(&sb);
}

static void memory_functions_before_first_mapping_touch_nothing(void)
{
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	char dest[16], src[16];
	memset(dest, 'd', sizeof(dest));
	memset(src, 's', sizeof(src));
	CU_ASSERT(pmemset_memcpy(set, dest, src, sizeof(dest), 0) == dest);
	CU_ASSERT(pmemset_memmove(set, dest, src, sizeof(dest), 0) == dest);
	CU_ASSERT(pmemset_memset(set, dest, 'x', sizeof(dest), 0) == dest);
	for (size_t i = 0; i < sizeof(dest); i++)
		CU_ASSERT(dest[i] == 'd');
	pmemset_delete(&set);
}

static CU_TestInfo tests[] = {
	{"persist_whole_part_reaches_file", persist_whole_part_reaches_file},
	{"persist_two_separate_parts_reaches_files",
	 persist_two_separate_parts_reaches_files},
	{"flush_then_drain_reaches_file", flush_then_drain_reaches_file},
	{"memcpy_every_flag_set", memcpy_every_flag_set},
	{"memset_every_flag_set", memset_every_flag_set},
	{"memmove_overlapping_both_ways_every_flag_set",
	 memmove_overlapping_both_ways_every_flag_set},
	{"data_path_spans_coalesced_parts", data_path_spans_coalesced_parts},
	{"memory_functions_before_first_mapping_touch_nothing",
	 memory_functions_before_first_mapping_touch_nothing},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("persist", tests);
}
