/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * util.c -- helpers shared by the libpmemset unit suites (see util.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <CUnit/Basic.h>

#include "util.h"

static char suite_dir[256];

const char *ut_dir(void)
{
	return suite_dir;
}

char *ut_path(char *buf, const char *name)
{
	/* the suite directory is short, so names never get cut */
	int n = snprintf(buf, PATH_MAX, "%s/%.200s", suite_dir, name);
	CU_ASSERT_FATAL(n > 0 && n < PATH_MAX);
	return buf;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int suite_init(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(suite_dir, sizeof(suite_dir), "%s/pmemset-unit.XXXXXX", base);
	return mkdtemp(suite_dir) == NULL ? -1 : 0;
}

static int suite_cleanup(void)
{
	return nftw(suite_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int ut_run_suite(const char *name, CU_TestInfo *tests)
{
	/* a deadlock in the library must fail the test, not hang CI */
	alarm(900);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	CU_SuiteInfo suites[] = {
		{name, suite_init, suite_cleanup, NULL, NULL, tests},
		CU_SUITE_INFO_NULL,
	};
	if (CU_register_suites(suites) != CUE_SUCCESS) {
		fprintf(stderr, "cannot register suite %s: %s\n", name,
			CU_get_error_msg());
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failures = CU_get_number_of_failures();
	unsigned failed_suites = CU_get_number_of_suites_failed();
	unsigned failed_tests = CU_get_number_of_tests_failed();
	printf("\n");
	CU_cleanup_registry();
	return failures || failed_suites || failed_tests ? 1 : 0;
}

uint8_t ut_pattern(unsigned seed, size_t off)
{
	/* mixes the page number in so a page shifted elsewhere shows up */
	return (uint8_t)(seed * 131u + off * 7u + (off >> 12) * 13u + 1u);
}

static int open_replacing(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	return fd;
}

void ut_file_create(const char *path, size_t size, unsigned seed)
{
	int fd = open_replacing(path);
	uint8_t buf[64 * 1024];
	for (size_t off = 0; off < size; off += sizeof(buf)) {
		size_t n = size - off < sizeof(buf) ? size - off : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = ut_pattern(seed, off + i);
		CU_ASSERT_FATAL(pwrite(fd, buf, n, (off_t)off) == (ssize_t)n);
	}
	close(fd);
}

void ut_file_create_sparse(const char *path, size_t size)
{
	int fd = open_replacing(path);
	CU_ASSERT_FATAL(ftruncate(fd, (off_t)size) == 0);
	close(fd);
}

long long ut_file_size(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	return (long long)st.st_size;
}

bool ut_file_read(const char *path, size_t off, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	return done == len;
}

bool ut_file_has_pattern(const char *path, size_t off, size_t len,
			 unsigned seed)
{
	uint8_t *buf = malloc(len);
	CU_ASSERT_FATAL(buf != NULL);
	bool same = ut_file_read(path, off, buf, len) &&
		    ut_mem_has_pattern(buf, off, len, seed);
	free(buf);
	return same;
}

bool ut_mem_has_pattern(const void *addr, size_t off, size_t len, unsigned seed)
{
	const uint8_t *p = addr;
	for (size_t i = 0; i < len; i++) {
		if (p[i] != ut_pattern(seed, off + i)) {
			fprintf(stderr,
				"\nbyte %zu (offset %zu) is %u, "
				"expected %u\n",
				i, off + i, p[i], ut_pattern(seed, off + i));
			return false;
		}
	}
	return true;
}

void ut_mem_fill_pattern(void *addr, size_t off, size_t len, unsigned seed)
{
	uint8_t *p = addr;
	for (size_t i = 0; i < len; i++)
		p[i] = ut_pattern(seed, off + i);
}

bool ut_addr_readable(const void *addr)
{
	/*
	 * The kernel copies the byte from our memory into the pipe and
	 * reports EFAULT instead of crashing us when the page is not
	 * readable, which makes this a safe probe for "is it mapped".
	 */
	int fds[2];
	CU_ASSERT_FATAL(pipe(fds) == 0);
	ssize_t n = write(fds[1], addr, 1);
	int err = errno;
	close(fds[0]);
	close(fds[1]);
	if (n < 0 && err != EFAULT)
		CU_FAIL("pipe probe failed for another reason than EFAULT");
	return n == 1;
}

bool ut_range_readable(const void *addr, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	for (size_t off = 0; off < len; off += (size_t)page)
		if (!ut_addr_readable((const char *)addr + off))
			return false;
	return len == 0 || ut_addr_readable((const char *)addr + len - 1);
}

bool ut_range_unreadable(const void *addr, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	for (size_t off = 0; off < len; off += (size_t)page)
		if (ut_addr_readable((const char *)addr + off))
			return false;
	return true;
}

int ut_count_fds_under(const char *dir)
{
	DIR *d = opendir("/proc/self/fd");
	CU_ASSERT_FATAL(d != NULL);
	size_t dirlen = strlen(dir);
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char link[PATH_MAX], target[PATH_MAX];
		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strncmp(target, dir, dirlen) == 0 && target[dirlen] == '/')
			count++;
	}
	closedir(d);
	return count;
}

struct pmemset *ut_set_new(struct pmem2_vm_reservation *rsv,
			   pmemset_event_callback *cb, void *arg)
{
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_config_new(&cfg), 0);
	UT_ASSERT_EQ_FATAL(pmemset_config_set_required_store_granularity(
				   cfg, PMEM2_GRANULARITY_PAGE),
			   0);
	if (rsv)
		pmemset_config_set_reservation(cfg, rsv);
	if (cb)
		pmemset_config_set_event_callback(cfg, cb, arg);
	struct pmemset *set = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_new(&set, cfg), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	pmemset_config_delete(&cfg);
	return set;
}

struct pmemset_source *ut_source_file(const char *path)
{
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ_FATAL(pmemset_source_from_file(&src, path), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	return src;
}

int ut_map(struct pmemset *set, struct pmemset_source *src, size_t offset,
	   size_t length, struct pmemset_part_descriptor *desc)
{
	struct pmemset_part *part = NULL;
	int ret = pmemset_part_new(&part, set, src, offset, length);
	if (ret)
		return ret;
	ret = pmemset_part_map(&part, NULL, desc);
	if (ret) {
		CU_ASSERT_PTR_NOT_NULL(part); /* still the caller's */
		pmemset_part_delete(&part);
	} else {
		CU_ASSERT_PTR_NULL(part); /* consumed */
	}
	return ret;
}

struct pmemset_part_descriptor ut_map_ok(struct pmemset *set,
					 struct pmemset_source *src,
					 size_t offset, size_t length)
{
	struct pmemset_part_descriptor desc = {NULL, 0};
	UT_ASSERT_EQ_FATAL(ut_map(set, src, offset, length, &desc), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(desc.addr);
	return desc;
}

size_t ut_list_maps(struct pmemset *set, struct pmemset_part_descriptor *out,
		    size_t max)
{
	size_t count = 0;
	struct pmemset_part_map *cur = NULL;
	pmemset_first_part_map(set, &cur);
	while (cur) {
		if (count < max)
			out[count] = pmemset_descriptor_part_map(cur);
		count++;
		struct pmemset_part_map *next = NULL;
		pmemset_next_part_map(set, cur, &next);
		pmemset_part_map_drop(&cur);
		cur = next;
	}
	return count;
}

size_t ut_count_maps(struct pmemset *set)
{
	return ut_list_maps(set, NULL, 0);
}

struct pmem2_vm_reservation *ut_reservation_new(size_t size)
{
	struct pmem2_vm_reservation *rsv = NULL;
	UT_ASSERT_EQ_FATAL(pmem2_vm_reservation_new(&rsv, NULL, size), 0);
	return rsv;
}

bool ut_desc_eq(struct pmemset_part_descriptor a,
		struct pmemset_part_descriptor b)
{
	return a.addr == b.addr && a.size == b.size;
}
