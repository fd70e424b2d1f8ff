/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fault.c -- fault injection (core/src/fault.h): every internal
 * allocation and every fallible libpmem2 call of pmemset_part_map (on each
 * placement path), pmemset_new, the source constructors, remove_range and
 * remove_part_map is made to fail in turn. Each failure must return an
 * error code, leave out-pointers as documented (the part still the
 * caller's, *src and *set NULL), leave the set exactly as it was (no
 * leaked or half-removed mapping), and the set must work afterwards: the
 * same call without the fault succeeds with the expected result. Leaks
 * are caught by LeakSanitizer (ASan build) and valgrind (unit_valgrind).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "util.h"

#define SLOT (64 * KIB)
#define SEED 101
#define MAX_NTH 200

static const enum pmemset_fault_point POINTS[] = {PMEMSET_FAULT_ALLOC,
						  PMEMSET_FAULT_PMEM2};
static const char *const POINT_NAMES[] = {"alloc", "pmem2"};

struct ctx;

/* one operation under test; setup and teardown run for every attempt */
struct fault_case {
	const char *name;
	void (*setup)(struct ctx *c);
	int (*attempt)(struct ctx *c);
	void (*after_failure)(struct ctx *c, int ret);
	void (*after_success)(struct ctx *c);
	void (*teardown)(struct ctx *c);
	/* a failure that needs no injected fault (e.g. cannot coalesce) */
	int tolerated_without_fault;
};

struct ctx {
	const struct fault_case *fc;
	char path[PATH_MAX];
	struct pmemset_source *src;
	struct pmem2_vm_reservation *rsv;
	struct pmemset *set;
	/* part-map cases */
	enum pmemset_coalescing mode;
	bool use_rsv;
	bool coalesce_after_first;
	size_t premapped;
	struct pmemset_part *part, *part_before;
	struct pmemset_part_descriptor desc;
	struct pmemset_part_descriptor before[8];
	size_t nbefore;
	/* remove cases: slot i of the 3-part map holds file offset i*SLOT */
	char *base;
	int expected_layout[3]; /* 1: slot mapped after the removal */
	int remove_kind;
	/* source and set cases */
	struct pmemset_source *new_src;
	struct pmemset *new_set;
	int fds;
	int source_kind;
};

static const struct pmemset_part_descriptor SENTINEL = {(void *)0x77, 77};

/* error codes the part-map cases returned, to check each path is reached */
static int codes_seen[64];
static size_t codes_seen_count;

static void code_seen(int code)
{
	for (size_t i = 0; i < codes_seen_count; i++)
		if (codes_seen[i] == code)
			return;
	if (codes_seen_count < 64)
		codes_seen[codes_seen_count++] = code;
}

static bool was_seen(int code)
{
	for (size_t i = 0; i < codes_seen_count; i++)
		if (codes_seen[i] == code)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* the driver                                                          */

static void run_case(const struct fault_case *fc)
{
	for (size_t p = 0; p < sizeof(POINTS) / sizeof(POINTS[0]); p++) {
		unsigned long failures = 0;
		for (unsigned long nth = 1; nth <= MAX_NTH; nth++) {
			struct ctx c;
			memset(&c, 0, sizeof(c));
			c.fc = fc;
			fc->setup(&c);
			pmemset_fault_reset();
			pmemset_fault_inject(POINTS[p], nth);
			int ret = fc->attempt(&c);
			bool reached = pmemset_fault_calls(POINTS[p]) >= nth;
			pmemset_fault_reset();
			if (ret == 0) {
				fc->after_success(&c);
			} else {
				if (!reached &&
				    ret != fc->tolerated_without_fault) {
					fprintf(stderr,
						"\n%s: failed (%d) "
						"without a fault\n",
						fc->name, ret);
					CU_FAIL("failure without a fault");
				}
				failures++;
				fc->after_failure(&c, ret);
			}
			fc->teardown(&c);
			if (!reached)
				break;
			CU_ASSERT(nth < MAX_NTH); /* must finish */
		}
		printf("[%s: %lu %s faults] ", fc->name, failures,
		       POINT_NAMES[p]);
	}
}

/* ------------------------------------------------------------------ */
/* pmemset_part_map                                                    */

static void map_setup(struct ctx *c)
{
	ut_path(c->path, "map_src");
	if (ut_file_size(c->path) != 4 * (long long)SLOT)
		ut_file_create(c->path, 4 * SLOT, SEED);
	c->src = ut_source_file(c->path);
	if (c->use_rsv)
		c->rsv = ut_reservation_new(4 * SLOT);
	c->set = ut_set_new(c->rsv, NULL, NULL);
	if (!c->coalesce_after_first)
		pmemset_set_contiguous_part_coalescing(c->set, c->mode);
	for (size_t i = 0; i < c->premapped; i++)
		ut_map_ok(c->set, c->src, i * SLOT, SLOT);
	pmemset_set_contiguous_part_coalescing(c->set, c->mode);
	c->nbefore = ut_list_maps(c->set, c->before, 8);
	UT_ASSERT_EQ_FATAL(pmemset_part_new(&c->part, c->set, c->src,
					    c->premapped * SLOT, SLOT),
			   0);
	c->part_before = c->part;
	c->desc = SENTINEL;
}

static int map_attempt(struct ctx *c)
{
	return pmemset_part_map(&c->part, NULL, &c->desc);
}

/* the new part is the last SLOT of the descriptor and shows its bytes */
static void map_check_mapped(struct ctx *c)
{
	CU_ASSERT_PTR_NULL(c->part);
	CU_ASSERT_FATAL(c->desc.addr != SENTINEL.addr && c->desc.size >= SLOT);
	char *mine = (char *)c->desc.addr + c->desc.size - SLOT;
	CU_ASSERT(ut_mem_has_pattern(mine, c->premapped * SLOT, SLOT, SEED));
	struct pmemset_part_descriptor now[8];
	size_t n = ut_list_maps(c->set, now, 8);
	CU_ASSERT(n == c->nbefore || n == c->nbefore + 1);
	for (size_t i = 0; i < n && i < 8; i++)
		CU_ASSERT(ut_range_readable(now[i].addr, now[i].size));
}

static void map_after_failure(struct ctx *c, int ret)
{
	const int allowed[] = {-ENOMEM,
			       PMEMSET_E_CANNOT_ALLOCATE_INTERNAL_STRUCTURE,
			       PMEMSET_E_GRANULARITY_NOT_SUPPORTED,
			       PMEMSET_E_INVALID_OFFSET_VALUE,
			       PMEMSET_E_INVALID_PMEM2_MAP,
			       PMEMSET_E_CANNOT_COALESCE_PARTS};
	bool known = false;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		known |= ret == allowed[i];
	if (!known)
		fprintf(stderr, "\n%s: unexpected code %d (%s)\n", c->fc->name,
			ret, pmemset_errormsg());
	CU_ASSERT(known);
	code_seen(ret);
	/* the part is still the caller's and nothing else changed */
	CU_ASSERT(c->part == c->part_before);
	CU_ASSERT(ut_desc_eq(c->desc, SENTINEL));
	struct pmemset_part_descriptor now[8];
	size_t n = ut_list_maps(c->set, now, 8);
	UT_ASSERT_EQ(n, c->nbefore);
	for (size_t i = 0; i < n && i < c->nbefore; i++) {
		CU_ASSERT(ut_desc_eq(now[i], c->before[i]));
		CU_ASSERT(ut_range_readable(now[i].addr, now[i].size));
	}
	if (c->rsv)
		UT_ASSERT_EQ(pmem2_vm_reservation_get_size(c->rsv), 4 * SLOT);
	/* and the set is usable: the same part maps now */
	int again = pmemset_part_map(&c->part, NULL, &c->desc);
	if (again == c->fc->tolerated_without_fault && again != 0) {
		pmemset_part_delete(&c->part);
		return;
	}
	UT_ASSERT_EQ_FATAL(again, 0);
	map_check_mapped(c);
}

static void map_teardown(struct ctx *c)
{
	pmemset_part_delete(&c->part);
	UT_ASSERT_EQ(pmemset_delete(&c->set), 0);
	if (c->rsv)
		UT_ASSERT_EQ(pmem2_vm_reservation_delete(&c->rsv), 0);
	pmemset_source_delete(&c->src);
}

#define MAP_CASE(fn, name_, mode_, rsv_, premapped_, after_, tolerated)        \
	static void fn##_setup(struct ctx *c)                                  \
	{                                                                      \
		c->mode = mode_;                                               \
		c->use_rsv = rsv_;                                             \
		c->premapped = premapped_;                                     \
		c->coalesce_after_first = after_;                              \
		map_setup(c);                                                  \
	}                                                                      \
	static void fn(void)                                                   \
	{                                                                      \
		const struct fault_case fc = {name_,                           \
					      fn##_setup,                      \
					      map_attempt,                     \
					      map_after_failure,               \
					      map_check_mapped,                \
					      map_teardown,                    \
					      tolerated};                      \
		run_case(&fc);                                                 \
	}

MAP_CASE(part_map_first_of_set_fails_cleanly, "first map",
	 PMEMSET_COALESCING_NONE, false, 0, false, 0)
MAP_CASE(part_map_new_internal_reservation_fails_cleanly, "none",
	 PMEMSET_COALESCING_NONE, false, 1, false, 0)
MAP_CASE(part_map_in_configured_reservation_fails_cleanly, "none rsv",
	 PMEMSET_COALESCING_NONE, true, 1, false, 0)
MAP_CASE(part_map_full_in_reservation_fails_cleanly, "full rsv",
	 PMEMSET_COALESCING_FULL, true, 2, false, 0)
MAP_CASE(part_map_full_with_headroom_fails_cleanly, "full",
	 PMEMSET_COALESCING_FULL, false, 2, false, 0)
MAP_CASE(part_map_full_extending_reservation_fails_cleanly, "full extend",
	 PMEMSET_COALESCING_FULL, false, 1, true, 0)
MAP_CASE(part_map_opportunistic_fails_cleanly, "opportunistic",
	 PMEMSET_COALESCING_OPPORTUNISTIC, false, 1, true, 0)

static void part_map_failures_reach_each_documented_code(void)
{
	codes_seen_count = 0;
	part_map_first_of_set_fails_cleanly();
	/* internal allocation, libpmem2 config allocation, pmem2_map_new */
	CU_ASSERT(was_seen(-ENOMEM));
	CU_ASSERT(was_seen(PMEMSET_E_CANNOT_ALLOCATE_INTERNAL_STRUCTURE));
	CU_ASSERT(was_seen(PMEMSET_E_INVALID_PMEM2_MAP));
	/* the libpmem2 config setters for offset and granularity */
	CU_ASSERT(was_seen(PMEMSET_E_INVALID_OFFSET_VALUE));
	CU_ASSERT(was_seen(PMEMSET_E_GRANULARITY_NOT_SUPPORTED));
}

static void temporary_setup(struct ctx *c)
{
	UT_ASSERT_EQ_FATAL(pmemset_source_from_temporary(&c->src, ut_dir()), 0);
	c->set = ut_set_new(NULL, NULL, NULL);
	UT_ASSERT_EQ_FATAL(pmemset_part_new(&c->part, c->set, c->src, 0, SLOT),
			   0);
	c->part_before = c->part;
	c->desc = SENTINEL;
}

static void temporary_after_failure(struct ctx *c, int ret)
{
	CU_ASSERT(ret < 0);
	CU_ASSERT(c->part == c->part_before);
	CU_ASSERT(ut_desc_eq(c->desc, SENTINEL));
	UT_ASSERT_EQ(ut_count_maps(c->set), 0);
	UT_ASSERT_EQ(pmemset_part_map(&c->part, NULL, &c->desc), 0);
	UT_ASSERT_EQ(c->desc.size, SLOT);
}

static void temporary_after_success(struct ctx *c)
{
	CU_ASSERT_PTR_NULL(c->part);
	UT_ASSERT_EQ(c->desc.size, SLOT);
	memset(c->desc.addr, 1, SLOT); /* the file really grew */
}

static void part_map_growing_temporary_file_fails_cleanly(void)
{
	const struct fault_case fc = {"temporary",
				      temporary_setup,
				      map_attempt,
				      temporary_after_failure,
				      temporary_after_success,
				      map_teardown,
				      0};
	run_case(&fc);
}

/* ------------------------------------------------------------------ */
/* remove_range and remove_part_map on a 3-part coalesced part map      */

enum { REMOVE_SPLIT, REMOVE_FRONT, REMOVE_BACK, REMOVE_WHOLE, REMOVE_MAP };

static void remove_setup(struct ctx *c)
{
	ut_path(c->path, "remove_src");
	if (ut_file_size(c->path) != 3 * (long long)SLOT)
		ut_file_create(c->path, 3 * SLOT, SEED);
	c->src = ut_source_file(c->path);
	if (c->use_rsv)
		c->rsv = ut_reservation_new(3 * SLOT);
	c->set = ut_set_new(c->rsv, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(c->set, PMEMSET_COALESCING_FULL);
	struct pmemset_part_descriptor d;
	for (size_t i = 0; i < 3; i++)
		d = ut_map_ok(c->set, c->src, i * SLOT, SLOT);
	UT_ASSERT_EQ_FATAL(d.size, 3 * SLOT);
	c->base = d.addr;
	c->nbefore = ut_list_maps(c->set, c->before, 8);
}

static int remove_attempt(struct ctx *c)
{
	switch (c->remove_kind) {
	case REMOVE_SPLIT:
		return pmemset_remove_range(c->set, c->base + SLOT + 5, 1);
	case REMOVE_FRONT:
		return pmemset_remove_range(c->set, c->base, 1);
	case REMOVE_BACK:
		return pmemset_remove_range(c->set, c->base + 3 * SLOT - 1, 1);
	case REMOVE_WHOLE:
		return pmemset_remove_range(c->set, c->base, 3 * SLOT);
	default: {
		struct pmemset_part_map *pm = NULL;
		pmemset_first_part_map(c->set, &pm);
		int ret = pmemset_remove_part_map(c->set, &pm);
		if (ret) {
			CU_ASSERT_PTR_NOT_NULL(pm); /* unchanged on failure */
			pmemset_part_map_drop(&pm);
		} else {
			CU_ASSERT_PTR_NULL(pm);
		}
		return ret;
	}
	}
}

/*
 * The set is consistent: every part map is a run of whole slots showing
 * their bytes, and a slot in no part map is not mapped (nothing leaked).
 */
static void remove_check_consistent(struct ctx *c)
{
	struct pmemset_part_descriptor now[8];
	size_t n = ut_list_maps(c->set, now, 8);
	bool covered[3] = {false, false, false};
	for (size_t i = 0; i < n && i < 8; i++) {
		size_t from = (size_t)((char *)now[i].addr - c->base);
		CU_ASSERT_FATAL(from % SLOT == 0 && now[i].size % SLOT == 0 &&
				now[i].size > 0 &&
				from + now[i].size <= 3 * SLOT);
		for (size_t s = from / SLOT; s < (from + now[i].size) / SLOT;
		     s++) {
			CU_ASSERT(!covered[s]);
			covered[s] = true;
		}
	}
	for (size_t s = 0; s < 3; s++) {
		char *slot = c->base + s * SLOT;
		if (covered[s]) {
			CU_ASSERT(
				ut_mem_has_pattern(slot, s * SLOT, SLOT, SEED));
		} else {
			CU_ASSERT(ut_range_unreadable(slot, SLOT));
		}
	}
}

static void remove_check_expected(struct ctx *c)
{
	remove_check_consistent(c);
	struct pmemset_part_descriptor now[8];
	size_t n = ut_list_maps(c->set, now, 8);
	size_t mapped = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		mapped += now[i].size / SLOT;
	size_t expected = 0;
	for (size_t s = 0; s < 3; s++) {
		expected += (size_t)c->expected_layout[s];
		if (c->expected_layout[s])
			CU_ASSERT(ut_range_readable(c->base + s * SLOT, SLOT));
	}
	UT_ASSERT_EQ(mapped, expected);
}

static void remove_after_failure(struct ctx *c, int ret)
{
	CU_ASSERT(ret < 0);
	remove_check_consistent(c);
	/* the set still works: the same removal succeeds now */
	UT_ASSERT_EQ(remove_attempt(c), 0);
	remove_check_expected(c);
}

static void remove_teardown(struct ctx *c)
{
	UT_ASSERT_EQ(pmemset_delete(&c->set), 0);
	if (c->rsv)
		UT_ASSERT_EQ(pmem2_vm_reservation_delete(&c->rsv), 0);
	pmemset_source_delete(&c->src);
	/* removal never writes to the file */
	CU_ASSERT(ut_file_has_pattern(c->path, 0, 3 * SLOT, SEED));
}

#define REMOVE_CASE(fn, name_, kind, rsv_, s0, s1, s2)                         \
	static void fn##_setup(struct ctx *c)                                  \
	{                                                                      \
		c->remove_kind = kind;                                         \
		c->use_rsv = rsv_;                                             \
		c->expected_layout[0] = s0;                                    \
		c->expected_layout[1] = s1;                                    \
		c->expected_layout[2] = s2;                                    \
		remove_setup(c);                                               \
	}                                                                      \
	static void fn(void)                                                   \
	{                                                                      \
		const struct fault_case fc = {name_,                           \
					      fn##_setup,                      \
					      remove_attempt,                  \
					      remove_after_failure,            \
					      remove_check_expected,           \
					      remove_teardown,                 \
					      0};                              \
		run_case(&fc);                                                 \
	}

REMOVE_CASE(remove_range_split_fails_cleanly, "split", REMOVE_SPLIT, false, 1,
	    0, 1)
REMOVE_CASE(remove_range_split_in_reservation_fails_cleanly, "split rsv",
	    REMOVE_SPLIT, true, 1, 0, 1)
REMOVE_CASE(remove_range_front_trim_fails_cleanly, "front trim", REMOVE_FRONT,
	    false, 0, 1, 1)
REMOVE_CASE(remove_range_back_trim_in_reservation_fails_cleanly,
	    "back trim rsv", REMOVE_BACK, true, 1, 1, 0)
REMOVE_CASE(remove_range_whole_map_fails_cleanly, "whole", REMOVE_WHOLE, false,
	    0, 0, 0)
REMOVE_CASE(remove_part_map_fails_cleanly, "remove_part_map", REMOVE_MAP, true,
	    0, 0, 0)

/* ------------------------------------------------------------------ */
/* sources and pmemset_new                                             */

enum { SOURCE_FILE, SOURCE_CREATE, SOURCE_TEMPORARY, SOURCE_PMEM2 };

static struct pmem2_source *pmem2_src;
static int pmem2_fd = -1;

static void source_setup(struct ctx *c)
{
	ut_path(c->path, "source_file");
	if (c->source_kind == SOURCE_CREATE)
		unlink(c->path);
	else if (ut_file_size(c->path) < 0)
		ut_file_create(c->path, SLOT, SEED);
	c->new_src = (struct pmemset_source *)0x1;
	c->fds = ut_count_fds_under(ut_dir());
}

static int source_attempt(struct ctx *c)
{
	switch (c->source_kind) {
	case SOURCE_FILE:
		return pmemset_source_from_file(&c->new_src, c->path);
	case SOURCE_CREATE:
		return pmemset_xsource_from_file(
			&c->new_src, c->path,
			PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED |
				PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED);
	case SOURCE_TEMPORARY:
		return pmemset_source_from_temporary(&c->new_src, ut_dir());
	default:
		return pmemset_source_from_pmem2(&c->new_src, pmem2_src);
	}
}

static void source_after_failure(struct ctx *c, int ret)
{
	UT_ASSERT_EQ(ret, -ENOMEM);
	CU_ASSERT_PTR_NULL(c->new_src);
	/* no descriptor left open */
	UT_ASSERT_EQ(ut_count_fds_under(ut_dir()), c->fds);
}

static void source_after_success(struct ctx *c)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->new_src);
	/* usable: map a part of it */
	struct pmemset *set = ut_set_new(NULL, NULL, NULL);
	UT_ASSERT_EQ(ut_map(set, c->new_src, 0, SLOT, NULL), 0);
	pmemset_delete(&set);
	UT_ASSERT_EQ(pmemset_source_delete(&c->new_src), 0);
}

static void source_teardown(struct ctx *c)
{
	(void)c;
}

#define SOURCE_CASE(fn, name_, kind)                                           \
	static void fn##_setup(struct ctx *c)                                  \
	{                                                                      \
		c->source_kind = kind;                                         \
		source_setup(c);                                               \
	}                                                                      \
	static void fn(void)                                                   \
	{                                                                      \
		const struct fault_case fc = {name_,                           \
					      fn##_setup,                      \
					      source_attempt,                  \
					      source_after_failure,            \
					      source_after_success,            \
					      source_teardown,                 \
					      0};                              \
		run_case(&fc);                                                 \
	}

SOURCE_CASE(source_from_file_fails_cleanly, "from_file", SOURCE_FILE)
SOURCE_CASE(xsource_creating_file_fails_cleanly, "xsource", SOURCE_CREATE)
SOURCE_CASE(source_from_temporary_fails_cleanly, "temporary", SOURCE_TEMPORARY)

static void source_pmem2_setup(struct ctx *c)
{
	c->source_kind = SOURCE_PMEM2;
	source_setup(c);
}

static void source_from_pmem2_fails_cleanly(void)
{
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "pmem2_file"), SLOT, SEED);
	pmem2_fd = open(path, O_RDWR);
	UT_ASSERT_EQ_FATAL(pmem2_source_from_fd(&pmem2_src, pmem2_fd), 0);
	const struct fault_case fc = {"from_pmem2",
				      source_pmem2_setup,
				      source_attempt,
				      source_after_failure,
				      source_after_success,
				      source_teardown,
				      0};
	run_case(&fc);
	pmem2_source_delete(&pmem2_src);
	close(pmem2_fd);
}

static void set_setup(struct ctx *c)
{
	c->new_set = (struct pmemset *)0x1;
}

static struct pmemset_config *set_config;

static int set_attempt(struct ctx *c)
{
	return pmemset_new(&c->new_set, set_config);
}

static void set_after_failure(struct ctx *c, int ret)
{
	UT_ASSERT_EQ(ret, -ENOMEM);
	CU_ASSERT_PTR_NULL(c->new_set);
}

static void set_after_success(struct ctx *c)
{
	CU_ASSERT_PTR_NOT_NULL(c->new_set);
	UT_ASSERT_EQ(pmemset_delete(&c->new_set), 0);
}

static void pmemset_new_fails_cleanly(void)
{
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&set_config), 0);
	pmemset_config_set_required_store_granularity(set_config,
						      PMEM2_GRANULARITY_PAGE);
	const struct fault_case fc = {"pmemset_new",
				      set_setup,
				      set_attempt,
				      set_after_failure,
				      set_after_success,
				      source_teardown,
				      0};
	run_case(&fc);
	pmemset_config_delete(&set_config);
}

/* ------------------------------------------------------------------ */
/* deep flush                                                          */

static void deep_flush_failure_leaves_no_reference(void)
{
	struct ctx c;
	memset(&c, 0, sizeof(c));
	remove_setup(&c);
	pmemset_fault_reset();
	pmemset_fault_inject(PMEMSET_FAULT_PMEM2, 2);
	int ret = pmemset_deep_flush(c.set, c.base, 3 * SLOT);
	pmemset_fault_reset();
	UT_ASSERT_EQ(ret, PMEMSET_E_DEEP_FLUSH_FAIL);
	UT_ASSERT_EQ(pmemset_deep_flush(c.set, c.base, 3 * SLOT), 0);
	UT_ASSERT_EQ(pmemset_remove_range(c.set, c.base, 3 * SLOT), 0);
	UT_ASSERT_EQ(ut_count_maps(c.set), 0);
	remove_teardown(&c);
}

static CU_TestInfo tests[] = {
	{"part_map_first_of_set_fails_cleanly",
	 part_map_first_of_set_fails_cleanly},
	{"part_map_new_internal_reservation_fails_cleanly",
	 part_map_new_internal_reservation_fails_cleanly},
	{"part_map_in_configured_reservation_fails_cleanly",
	 part_map_in_configured_reservation_fails_cleanly},
	{"part_map_full_in_reservation_fails_cleanly",
	 part_map_full_in_reservation_fails_cleanly},
	{"part_map_full_with_headroom_fails_cleanly",
	 part_map_full_with_headroom_fails_cleanly},
	{"part_map_full_extending_reservation_fails_cleanly",
	 part_map_full_extending_reservation_fails_cleanly},
	{"part_map_opportunistic_fails_cleanly",
	 part_map_opportunistic_fails_cleanly},
	{"part_map_failures_reach_each_documented_code",
	 part_map_failures_reach_each_documented_code},
	{"part_map_growing_temporary_file_fails_cleanly",
	 part_map_growing_temporary_file_fails_cleanly},
	{"remove_range_split_fails_cleanly", remove_range_split_fails_cleanly},
	{"remove_range_split_in_reservation_fails_cleanly",
	 remove_range_split_in_reservation_fails_cleanly},
	{"remove_range_front_trim_fails_cleanly",
	 remove_range_front_trim_fails_cleanly},
	{"remove_range_back_trim_in_reservation_fails_cleanly",
	 remove_range_back_trim_in_reservation_fails_cleanly},
	{"remove_range_whole_map_fails_cleanly",
	 remove_range_whole_map_fails_cleanly},
	{"remove_part_map_fails_cleanly", remove_part_map_fails_cleanly},
	{"source_from_file_fails_cleanly", source_from_file_fails_cleanly},
	{"xsource_creating_file_fails_cleanly",
	 xsource_creating_file_fails_cleanly},
	{"source_from_temporary_fails_cleanly",
	 source_from_temporary_fails_cleanly},
	{"source_from_pmem2_fails_cleanly", source_from_pmem2_fails_cleanly},
	{"pmemset_new_fails_cleanly", pmemset_new_fails_cleanly},
	{"deep_flush_failure_leaves_no_reference",
	 deep_flush_failure_leaves_no_reference},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("fault", tests);
}
