/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_mapping_stress.c -- part mapping and removal on one set from several
 * threads while other threads keep creating threads (whose stacks are new
 * mmaps) and mapping, filling, checking and unmapping anonymous memory. If
 * a part mapping ever left a hole in its slot, a churner's mmap could land
 * there and then be mapped over: its bytes would change under it, or its
 * address would be found inside a part map. Each round uses a fresh set;
 * UT_STRESS_ROUNDS sets how many (default 12), and a round stops early
 * after UT_STRESS_SECONDS (default 1). The part file lives in
 * UT_STRESS_DIR (default /var/tmp, a disk file system).
 */
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define MAPPERS 4
#define CHURNERS 3
#define SLOT (64 * KIB)
#define MAPPER_ITERATIONS 400

struct round {
	struct pmemset *set;
	struct pmemset_source *src;
	double deadline;
	atomic_int mappers_left;
	atomic_int errors;
	atomic_ulong churns;
	char first_error[200];
	pthread_mutex_t lock;
};

struct mapper {
	struct round *r;
	size_t slot;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(struct round *r, const char *what)
{
	pthread_mutex_lock(&r->lock);
	if (atomic_fetch_add(&r->errors, 1) == 0)
		snprintf(r->first_error, sizeof(r->first_error), "%s", what);
	pthread_mutex_unlock(&r->lock);
}

/* a churner's lookup may hold a reference for a moment: try again */
static void remove_part(struct round *r, char *addr)
{
	for (int attempt = 0; attempt < 100000; attempt++) {
		int ret = pmemset_remove_range(r->set, addr, SLOT);
		if (ret == 0)
			return;
		if (ret != PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP)
			break;
		sched_yield();
	}
	report(r, "removing a part failed");
}

static void *mapper_main(void *arg)
{
	struct mapper *m = arg;
	struct round *r = m->r;
	for (int it = 0; it < MAPPER_ITERATIONS && now_seconds() < r->deadline;
	     it++) {
		struct pmemset_part *part = NULL;
		struct pmemset_part_descriptor d;
		if (pmemset_part_new(&part, r->set, r->src, m->slot * SLOT,
				     SLOT) ||
		    pmemset_part_map(&part, NULL, &d)) {
			pmemset_part_delete(&part);
			report(r, "mapping a part failed");
			break;
		}
		/* coalesced, the new part is the part map's last SLOT */
		char *mine = (char *)d.addr + d.size - SLOT;
		if (!ut_mem_has_pattern(mine, m->slot * SLOT, SLOT, 73))
			report(r, "a part does not show its file's bytes");
		remove_part(r, mine);
	}
	atomic_fetch_sub(&r->mappers_left, 1);
	return NULL;
}

static void *short_thread(void *arg)
{
	volatile char stack[16 * 1024];
	memset((char *)stack, 0x3c, sizeof(stack));
	return stack[100] == 0x3c ? arg : NULL;
}

/* an anonymous mapping must keep its bytes and lie outside every part map */
static void churn_mapping(struct round *r, size_t len, unsigned char fill)
{
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		report(r, "anonymous mmap failed");
		return;
	}
	struct pmemset_part_map *pm = NULL;
	if (pmemset_part_map_by_address(r->set, &pm, p) == 0) {
		report(r, "a new mmap landed inside a part map");
		pmemset_part_map_drop(&pm);
	}
	memset(p, fill, len);
	for (int spin = 0; spin < 50; spin++)
		sched_yield();
	for (size_t i = 0; i < len; i += 512)
		if (p[i] != fill) {
			report(r, "an anonymous mapping changed under its "
				  "owner");
			break;
		}
	munmap(p, len);
}

static void *churner_main(void *arg)
{
	struct round *r = arg;
	unsigned n = 0;
	while (atomic_load(&r->mappers_left) > 0) {
		pthread_t t;
		int marker = 1;
		if (pthread_create(&t, NULL, short_thread, &marker) == 0) {
			void *ret = NULL;
			pthread_join(t, &ret);
			if (ret != &marker)
				report(r, "a short thread lost its stack");
		}
		churn_mapping(r, SLOT << (n % 4), (unsigned char)(n | 1));
		atomic_fetch_add(&r->churns, 1);
		n++;
	}
	return NULL;
}

static double env_number(const char *name, double fallback)
{
	const char *value = getenv(name);
	return value != NULL ? strtod(value, NULL) : fallback;
}

static void run_round(const char *path, enum pmemset_coalescing mode,
		      double seconds)
{
	struct round r = {0};
	pthread_mutex_init(&r.lock, NULL);
	r.src = ut_source_file(path);
	r.set = ut_set_new(NULL, NULL, NULL);
	pmemset_set_contiguous_part_coalescing(r.set, mode);
	r.deadline = now_seconds() + seconds;
	atomic_init(&r.mappers_left, MAPPERS);

	pthread_t mappers[MAPPERS], churners[CHURNERS];
	struct mapper m[MAPPERS];
	for (size_t i = 0; i < MAPPERS; i++) {
		m[i] = (struct mapper){&r, i};
		CU_ASSERT_FATAL(pthread_create(&mappers[i], NULL, mapper_main,
					       &m[i]) == 0);
	}
	for (size_t i = 0; i < CHURNERS; i++)
		CU_ASSERT_FATAL(pthread_create(&churners[i], NULL, churner_main,
					       &r) == 0);
	for (size_t i = 0; i < MAPPERS; i++)
		pthread_join(mappers[i], NULL);
	for (size_t i = 0; i < CHURNERS; i++)
		pthread_join(churners[i], NULL);

	if (atomic_load(&r.errors))
		fprintf(stderr, "\n%d errors, first: %s\n",
			atomic_load(&r.errors), r.first_error);
	UT_ASSERT_EQ(atomic_load(&r.errors), 0);
	CU_ASSERT(atomic_load(&r.churns) > 0);
	UT_ASSERT_EQ(ut_count_maps(r.set), 0);
	pmemset_delete(&r.set);
	pmemset_source_delete(&r.src);
	pthread_mutex_destroy(&r.lock);
}

static void map_and_remove_while_threads_and_mmaps_churn(void)
{
	/*
	 * A disk file system by default: ext4 and xfs refuse MAP_SYNC only
	 * inside their mmap method, after a MAP_FIXED call has unmapped the
	 * slot (tmpfs refuses it before touching anything)
	 */
	const char *dir = getenv("UT_STRESS_DIR");
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/pmemset_stress.%d",
		 dir != NULL ? dir : "/var/tmp", (int)getpid());
	ut_file_create(path, MAPPERS * SLOT, 73);
	int rounds = (int)env_number("UT_STRESS_ROUNDS", 12);
	double seconds = env_number("UT_STRESS_SECONDS", 1);
	for (int i = 0; i < rounds; i++)
		run_round(path,
			  i % 2 ? PMEMSET_COALESCING_OPPORTUNISTIC
				: PMEMSET_COALESCING_NONE,
			  seconds);
	CU_ASSERT(ut_file_has_pattern(path, 0, MAPPERS * SLOT, 73));
	unlink(path);
}

static CU_TestInfo tests[] = {
	{"map_and_remove_while_threads_and_mmaps_churn",
	 map_and_remove_while_threads_and_mmaps_churn},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("mapping_stress", tests);
}
