/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_events.c -- the event callback: which calls fire which events, in
 * what order, with which context fields (spec 3.12); the callback's view
 * of the set and its argument; that return values are ignored; that
 * PART_ADD runs after the set lock is released and PART_REMOVE while the
 * memory is still mapped; and what fires nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "event.h" /* the library's internal dispatcher */
#include "util.h"

#define MAX_EVENTS 32

struct recorder {
	struct pmemset *set; /* the set every event must carry */
	int wrong_set;	     /* events that carried another set pointer */
	int count;
	struct pmemset_event_context events[MAX_EVENTS];
	/* the byte at `watch`, seen when each event fired */
	const char *watch;
	char watched[MAX_EVENTS];
	/* PART_REMOVE: was the part map still mapped when it fired? */
	bool removed_readable[MAX_EVENTS];
	/* PART_ADD: the lookup made from inside the callback */
	int lookup_in_part_add;
	bool lookup_from_callback;
	int return_value;
};

static int record(struct pmemset *set, struct pmemset_event_context *ctx,
		  void *arg)
{
	struct recorder *r = arg;
	if (r->set && set != r->set)
		r->wrong_set++;
	if (r->count >= MAX_EVENTS)
		return r->return_value;
	int i = r->count++;
	r->events[i] = *ctx;
	if (r->watch)
		r->watched[i] = *r->watch;
	if (ctx->type == PMEMSET_EVENT_PART_REMOVE)
		r->removed_readable[i] = ut_range_readable(
			ctx->data.part_remove.addr, ctx->data.part_remove.len);
	if (ctx->type == PMEMSET_EVENT_PART_ADD && r->lookup_from_callback) {
		/* takes the set's lock: deadlocks if it were still held */
		struct pmemset_part_map *pm = NULL;
		r->lookup_in_part_add = pmemset_part_map_by_address(
			set, &pm, ctx->data.part_add.addr);
		if (pm)
			pmemset_part_map_drop(&pm);
	}
	return r->return_value;
}

struct fixture {
	char path[PATH_MAX];
	struct pmemset_source *src;
	struct pmemset *set;
	struct recorder rec;
	struct pmemset_part_descriptor part;
};

/* a set recording events with one mapped 256 KiB part; events cleared */
static void fixture_open(struct fixture *f, const char *name)
{
	memset(&f->rec, 0, sizeof(f->rec));
	ut_file_create(ut_path(f->path, name), 256 * KIB, 91);
	f->src = ut_source_file(f->path);
	f->set = ut_set_new(NULL, record, &f->rec);
	f->rec.set = f->set;
	f->part = ut_map_ok(f->set, f->src, 0, 256 * KIB);
	f->rec.count = 0;
}

static void fixture_close(struct fixture *f)
{
	UT_ASSERT_EQ(f->rec.wrong_set, 0);
	int before = f->rec.count;
	UT_ASSERT_EQ(pmemset_delete(&f->set), 0);
	UT_ASSERT_EQ(f->rec.count, before); /* delete fires nothing */
	pmemset_source_delete(&f->src);
}

static int count_type(struct recorder *r, enum pmemset_event type)
{
	int n = 0;
	for (int i = 0; i < r->count; i++)
		n += r->events[i].type == type;
	return n;
}

static void flush_fires_one_flush_with_its_range(void)
{
	struct fixture f;
	fixture_open(&f, "flush");
	char *p = f.part.addr;
	UT_ASSERT_EQ(pmemset_flush(f.set, p + 10, 1000), 0);
	UT_ASSERT_EQ_FATAL(f.rec.count, 1);
	UT_ASSERT_EQ(f.rec.events[0].type, PMEMSET_EVENT_FLUSH);
	CU_ASSERT(f.rec.events[0].data.flush.addr == p + 10);
	UT_ASSERT_EQ(f.rec.events[0].data.flush.len, 1000);
	fixture_close(&f);
}

static void drain_fires_one_drain(void)
{
	struct fixture f;
	fixture_open(&f, "drain");
	UT_ASSERT_EQ(pmemset_drain(f.set), 0);
	UT_ASSERT_EQ_FATAL(f.rec.count, 1);
	UT_ASSERT_EQ(f.rec.events[0].type, PMEMSET_EVENT_DRAIN);
	fixture_close(&f);
}

static void persist_fires_flush_then_one_drain(void)
{
	struct fixture f;
	fixture_open(&f, "persist");
	char *p = f.part.addr;
	UT_ASSERT_EQ(pmemset_persist(f.set, p + 100, f.part.size - 100), 0);
	UT_ASSERT_EQ_FATAL(f.rec.count, 2);
	UT_ASSERT_EQ(f.rec.events[0].type, PMEMSET_EVENT_FLUSH);
	CU_ASSERT(f.rec.events[0].data.flush.addr == p + 100);
	UT_ASSERT_EQ(f.rec.events[0].data.flush.len, f.part.size - 100);
	UT_ASSERT_EQ(f.rec.events[1].type, PMEMSET_EVENT_DRAIN);
	UT_ASSERT_EQ(count_type(&f.rec, PMEMSET_EVENT_PERSIST), 0);
	fixture_close(&f);
}

enum mem_op { OP_MEMSET, OP_MEMCPY, OP_MEMMOVE };

/*
 * Runs one memory operation writing 'N' bytes over 'o' (old) bytes and
 * checks: exactly one event of the op's type first, seen before the
 * destination changed, then one DRAIN (after it changed) unless NODRAIN;
 * never a FLUSH.
 */
static void check_mem_op(enum mem_op op, unsigned flags)
{
	struct fixture f;
	fixture_open(&f, "mem_op");
	char *dest = (char *)f.part.addr + 4096 + 3;
	char src[777];
	memset(src, 'N', sizeof(src));
	memset(dest, 'o', sizeof(src));
	f.rec.watch = dest;
	void *ret = NULL;
	enum pmemset_event expected = PMEMSET_EVENT_SET;
	switch (op) {
	case OP_MEMSET:
		ret = pmemset_memset(f.set, dest, 'N', sizeof(src), flags);
		break;
	case OP_MEMCPY:
		expected = PMEMSET_EVENT_COPY;
		ret = pmemset_memcpy(f.set, dest, src, sizeof(src), flags);
		break;
	case OP_MEMMOVE:
		expected = PMEMSET_EVENT_MOVE;
		ret = pmemset_memmove(f.set, dest, src, sizeof(src), flags);
		break;
	}
	CU_ASSERT(ret == dest);
	CU_ASSERT(dest[0] == 'N' && dest[sizeof(src) - 1] == 'N');

	bool drains = !(flags & PMEMSET_F_MEM_NODRAIN);
	UT_ASSERT_EQ_FATAL(f.rec.count, drains ? 2 : 1);
	struct pmemset_event_context *e = &f.rec.events[0];
	UT_ASSERT_EQ(e->type, expected);
	UT_ASSERT_EQ(f.rec.watched[0], 'o'); /* fired before the write */
	switch (op) {
	case OP_MEMSET:
		CU_ASSERT(e->data.set.dest == dest);
		UT_ASSERT_EQ(e->data.set.value, 'N');
		UT_ASSERT_EQ(e->data.set.len, sizeof(src));
		UT_ASSERT_EQ(e->data.set.flags, flags);
		break;
	case OP_MEMCPY:
		CU_ASSERT(e->data.copy.dest == dest);
		CU_ASSERT(e->data.copy.src == src);
		UT_ASSERT_EQ(e->data.copy.len, sizeof(src));
		UT_ASSERT_EQ(e->data.copy.flags, flags);
		break;
	case OP_MEMMOVE:
		CU_ASSERT(e->data.move.dest == dest);
		CU_ASSERT(e->data.move.src == src);
		UT_ASSERT_EQ(e->data.move.len, sizeof(src));
		UT_ASSERT_EQ(e->data.move.flags, flags);
		break;
	}
	if (drains) {
		UT_ASSERT_EQ(f.rec.events[1].type, PMEMSET_EVENT_DRAIN);
		UT_ASSERT_EQ(f.rec.watched[1], 'N'); /* after the write */
	}
	UT_ASSERT_EQ(count_type(&f.rec, PMEMSET_EVENT_FLUSH), 0);
	fixture_close(&f);
}

static void memset_fires_set_then_drain(void)
{
	check_mem_op(OP_MEMSET, 0);
	check_mem_op(OP_MEMSET, PMEMSET_F_MEM_NODRAIN);
	check_mem_op(OP_MEMSET, PMEMSET_F_MEM_NOFLUSH);
	check_mem_op(OP_MEMSET,
		     PMEMSET_F_MEM_NONTEMPORAL | PMEMSET_F_MEM_NODRAIN);
}

static void memcpy_fires_copy_then_drain(void)
{
	check_mem_op(OP_MEMCPY, 0);
	check_mem_op(OP_MEMCPY, PMEMSET_F_MEM_NODRAIN);
	check_mem_op(OP_MEMCPY, PMEMSET_F_MEM_NOFLUSH);
	check_mem_op(OP_MEMCPY, PMEMSET_F_MEM_WC);
}

static void memmove_fires_move_then_drain(void)
{
	check_mem_op(OP_MEMMOVE, 0);
	check_mem_op(OP_MEMMOVE, PMEMSET_F_MEM_NODRAIN);
	check_mem_op(OP_MEMMOVE, PMEMSET_F_MEM_NOFLUSH);
	check_mem_op(OP_MEMMOVE, PMEMSET_F_MEM_VALID_FLAGS);
}

static void part_add_carries_descriptor_and_source(void)
{
	struct recorder rec = {0};
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "part_add"), 192 * KIB, 92);
	int fd = open(path, O_RDWR);
	struct pmem2_source *p2 = NULL;
	UT_ASSERT_EQ_FATAL(pmem2_source_from_fd(&p2, fd), 0);
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_source_from_pmem2(&src, p2), 0);
	struct pmemset *set = ut_set_new(NULL, record, &rec);
	rec.set = set;

	struct pmemset_part_descriptor d[2];
	d[0] = ut_map_ok(set, src, 0, 64 * KIB);
	d[1] = ut_map_ok(set, src, 64 * KIB, 128 * KIB);
	UT_ASSERT_EQ_FATAL(rec.count, 2);
	for (int i = 0; i < 2; i++) {
		struct pmemset_event_context *e = &rec.events[i];
		UT_ASSERT_EQ(e->type, PMEMSET_EVENT_PART_ADD);
		CU_ASSERT(e->data.part_add.addr == d[i].addr);
		UT_ASSERT_EQ(e->data.part_add.len, d[i].size);
		CU_ASSERT(e->data.part_add.src == p2);
	}
	/* a failed mapping fires nothing */
	UT_ASSERT_EQ(ut_map(set, src, 100, 64 * KIB, NULL),
		     PMEMSET_E_INVALID_PMEM2_MAP);
	UT_ASSERT_EQ(rec.count, 2);
	UT_ASSERT_EQ(rec.wrong_set, 0);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
	pmem2_source_delete(&p2);
	close(fd);
}

static void part_add_source_of_file_source_is_that_file(void)
{
	struct recorder rec = {0};
	char path[PATH_MAX];
	ut_file_create(ut_path(path, "part_add_file"), 192 * KIB, 93);
	struct pmemset_source *src = ut_source_file(path);
	struct pmemset *set = ut_set_new(NULL, record, &rec);
	ut_map_ok(set, src, 0, 64 * KIB);
	UT_ASSERT_EQ_FATAL(rec.count, 1);
	struct pmem2_source *p2 = rec.events[0].data.part_add.src;
	CU_ASSERT_PTR_NOT_NULL_FATAL(p2);
	size_t size = 0;
	UT_ASSERT_EQ(pmem2_source_size(p2, &size), 0);
	UT_ASSERT_EQ(size, 192 * KIB);
	pmemset_delete(&set);
	pmemset_source_delete(&src);
}

static void part_add_after_coalescing_reports_whole_map(void)
{
	struct recorder rec = {0};
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "part_add_coalesced"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(3 * 64 * KIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmemset *set = ut_set_new(rsv, record, &rec);
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	for (int i = 0; i < 3; i++)
		ut_map_ok(set, src, 0, 0);
	UT_ASSERT_EQ_FATAL(rec.count, 3);
	for (int i = 0; i < 3; i++) {
		UT_ASSERT_EQ(rec.events[i].type, PMEMSET_EVENT_PART_ADD);
		CU_ASSERT(rec.events[i].data.part_add.addr == base);
		UT_ASSERT_EQ(rec.events[i].data.part_add.len,
			     (size_t)(i + 1) * 64 * KIB);
	}
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void part_add_fires_after_set_lock_released(void)
{
	struct fixture f;
	fixture_open(&f, "part_add_unlocked");
	f.rec.lookup_from_callback = true;
	f.rec.lookup_in_part_add = 1;
	struct pmemset_part_descriptor d =
		ut_map_ok(f.set, f.src, 64 * KIB, 64 * KIB);
	UT_ASSERT_EQ_FATAL(f.rec.count, 1);
	CU_ASSERT(f.rec.events[0].data.part_add.addr == d.addr);
	/* the lookup from the callback found the new part map */
	UT_ASSERT_EQ(f.rec.lookup_in_part_add, 0);
	fixture_close(&f);
}

static void part_remove_fires_while_still_mapped(void)
{
	struct fixture f;
	fixture_open(&f, "part_remove");
	struct pmemset_part_map *pm = NULL;
	pmemset_first_part_map(f.set, &pm);
	UT_ASSERT_EQ(pmemset_remove_part_map(f.set, &pm), 0);
	UT_ASSERT_EQ_FATAL(f.rec.count, 1);
	struct pmemset_event_context *e = &f.rec.events[0];
	UT_ASSERT_EQ(e->type, PMEMSET_EVENT_PART_REMOVE);
	CU_ASSERT(e->data.part_remove.addr == f.part.addr);
	UT_ASSERT_EQ(e->data.part_remove.len, f.part.size);
	CU_ASSERT(f.rec.removed_readable[0]);
	CU_ASSERT(ut_range_unreadable(f.part.addr, f.part.size));
	fixture_close(&f);
}

static void remove_range_over_two_maps_fires_range_then_two_removes(void)
{
	struct fixture f;
	fixture_open(&f, "remove_range_two");
	struct pmemset_part_descriptor second =
		ut_map_ok(f.set, f.src, 0, 64 * KIB);
	struct pmemset_part_descriptor d[2];
	UT_ASSERT_EQ_FATAL(ut_list_maps(f.set, d, 2), 2);
	f.rec.count = 0;
	char *from = d[0].addr;
	size_t len = (size_t)((char *)d[1].addr + d[1].size - from);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, from, len), 0);
	UT_ASSERT_EQ_FATAL(f.rec.count, 3);
	UT_ASSERT_EQ(f.rec.events[0].type, PMEMSET_EVENT_REMOVE_RANGE);
	CU_ASSERT(f.rec.events[0].data.remove_range.addr == from);
	UT_ASSERT_EQ(f.rec.events[0].data.remove_range.len, len);
	for (int i = 1; i < 3; i++) {
		struct pmemset_event_context *e = &f.rec.events[i];
		UT_ASSERT_EQ(e->type, PMEMSET_EVENT_PART_REMOVE);
		CU_ASSERT(e->data.part_remove.addr == d[i - 1].addr);
		UT_ASSERT_EQ(e->data.part_remove.len, d[i - 1].size);
		CU_ASSERT(f.rec.removed_readable[i]);
	}
	(void)second;
	fixture_close(&f);
}

static void trims_and_splits_fire_only_remove_range(void)
{
	struct recorder rec = {0};
	char path[PATH_MAX];
	ut_file_create_sparse(ut_path(path, "trim_events"), 64 * KIB);
	struct pmemset_source *src = ut_source_file(path);
	struct pmem2_vm_reservation *rsv = ut_reservation_new(5 * 64 * KIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmemset *set = ut_set_new(rsv, record, &rec);
	rec.set = set;
	pmemset_set_contiguous_part_coalescing(set, PMEMSET_COALESCING_FULL);
	for (int i = 0; i < 5; i++)
		ut_map_ok(set, src, 0, 0);
	rec.count = 0;
	/* split [0,5) into [0,1) and [2,5), trim to [3,5), then to [3,4) */
	UT_ASSERT_EQ(pmemset_remove_range(set, base + 64 * KIB, 10), 0);
	UT_ASSERT_EQ(pmemset_remove_range(set, base + 2 * 64 * KIB, 1), 0);
	UT_ASSERT_EQ(pmemset_remove_range(set, base + 5 * 64 * KIB - 1, 1), 0);
	UT_ASSERT_EQ(ut_count_maps(set), 2);
	UT_ASSERT_EQ_FATAL(rec.count, 3);
	for (int i = 0; i < 3; i++)
		UT_ASSERT_EQ(rec.events[i].type, PMEMSET_EVENT_REMOVE_RANGE);
	UT_ASSERT_EQ(rec.events[1].data.remove_range.len, 1);
	CU_ASSERT(rec.events[1].data.remove_range.addr == base + 2 * 64 * KIB);
	pmemset_delete(&set);
	pmem2_vm_reservation_delete(&rsv);
	pmemset_source_delete(&src);
}

static void remove_range_over_nothing_still_fires_remove_range(void)
{
	struct fixture f;
	fixture_open(&f, "range_nothing");
	char *end = (char *)f.part.addr + f.part.size;
	UT_ASSERT_EQ(pmemset_remove_range(f.set, end + 64 * KIB, 4096), 0);
	UT_ASSERT_EQ_FATAL(f.rec.count, 1);
	UT_ASSERT_EQ(f.rec.events[0].type, PMEMSET_EVENT_REMOVE_RANGE);
	CU_ASSERT(f.rec.events[0].data.remove_range.addr == end + 64 * KIB);
	UT_ASSERT_EQ(f.rec.events[0].data.remove_range.len, 4096);
	UT_ASSERT_EQ(ut_count_maps(f.set), 1);
	fixture_close(&f);
}

static void callback_return_value_is_ignored(void)
{
	struct fixture f;
	fixture_open(&f, "ignored");
	f.rec.return_value = -1;
	char *p = f.part.addr;
	UT_ASSERT_EQ(pmemset_flush(f.set, p, 64), 0);
	UT_ASSERT_EQ(pmemset_persist(f.set, p, 64), 0);
	UT_ASSERT_EQ(pmemset_drain(f.set), 0);
	CU_ASSERT(pmemset_memset(f.set, p, 'z', 64, 0) == p);
	CU_ASSERT(p[63] == 'z');
	struct pmemset_part_descriptor d = {NULL, 0};
	UT_ASSERT_EQ(ut_map(f.set, f.src, 0, 64 * KIB, &d), 0);
	UT_ASSERT_EQ(pmemset_remove_range(f.set, d.addr, d.size), 0);
	UT_ASSERT_EQ(ut_count_maps(f.set), 1);
	fixture_close(&f);
}

static void callback_sees_set_and_argument(void)
{
	struct fixture f;
	fixture_open(&f, "pointers");
	/* record() counts any other set pointer in wrong_set; the arg is
	 * the recorder itself, so every recorded event proves it */
	pmemset_drain(f.set);
	pmemset_flush(f.set, f.part.addr, 1);
	UT_ASSERT_EQ(f.rec.count, 2);
	UT_ASSERT_EQ(f.rec.wrong_set, 0);
	fixture_close(&f);
}

struct dispatch_seen {
	struct pmemset *set;
	struct pmemset_event_context *ctx;
	void *arg;
};

static struct dispatch_seen seen;

static int remember_pointers(struct pmemset *set,
			     struct pmemset_event_context *ctx, void *arg)
{
	seen = (struct dispatch_seen){set, ctx, arg};
	return 4242;
}

static void dispatch_yields_callback_result_or_zero(void)
{
	struct pmemset_event_context ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.type = PMEMSET_EVENT_DRAIN;

	struct pmemset *quiet = ut_set_new(NULL, NULL, NULL);
	UT_ASSERT_EQ(event_fire(quiet, &ctx), 0);
	pmemset_delete(&quiet);

	int arg;
	struct pmemset *set = ut_set_new(NULL, remember_pointers, &arg);
	memset(&seen, 0, sizeof(seen));
	UT_ASSERT_EQ(event_fire(set, &ctx), 4242);
	CU_ASSERT(seen.set == set);
	CU_ASSERT(seen.ctx == &ctx);
	CU_ASSERT(seen.arg == &arg);
	pmemset_delete(&set);
}

static CU_TestInfo tests[] = {
	{"flush_fires_one_flush_with_its_range",
	 flush_fires_one_flush_with_its_range},
	{"drain_fires_one_drain", drain_fires_one_drain},
	{"persist_fires_flush_then_one_drain",
	 persist_fires_flush_then_one_drain},
	{"memset_fires_set_then_drain", memset_fires_set_then_drain},
	{"memcpy_fires_copy_then_drain", memcpy_fires_copy_then_drain},
	{"memmove_fires_move_then_drain", memmove_fires_move_then_drain},
	{"part_add_carries_descriptor_and_source",
	 part_add_carries_descriptor_and_source},
	{"part_add_source_of_file_source_is_that_file",
	 part_add_source_of_file_source_is_that_file},
	{"part_add_after_coalescing_reports_whole_map",
	 part_add_after_coalescing_reports_whole_map},
	{"part_add_fires_after_set_lock_released",
	 part_add_fires_after_set_lock_released},
	{"part_remove_fires_while_still_mapped",
	 part_remove_fires_while_still_mapped},
	{"remove_range_over_two_maps_fires_range_then_two_removes",
	 remove_range_over_two_maps_fires_range_then_two_removes},
	{"trims_and_splits_fire_only_remove_range",
	 trims_and_splits_fire_only_remove_range},
	{"remove_range_over_nothing_still_fires_remove_range",
	 remove_range_over_nothing_still_fires_remove_range},
	{"callback_return_value_is_ignored", callback_return_value_is_ignored},
	{"callback_sees_set_and_argument", callback_sees_set_and_argument},
	{"dispatch_yields_callback_result_or_zero",
	 dispatch_yields_callback_result_or_zero},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("events", tests);
}
