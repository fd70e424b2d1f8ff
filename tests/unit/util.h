/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * util.h -- helpers shared by the libpmemset unit suites: a fresh temporary
 * directory per suite process, files with a known byte pattern, reading
 * bytes back with pread, probing whether an address is mapped, building
 * sets and mapping parts in one call, and the CUnit runner every suite uses.
 */
#ifndef PMEMSET_UNIT_UTIL_H
#define PMEMSET_UNIT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <CUnit/CUnit.h>
#include <libpmemset.h>

#define KIB ((size_t)1024)
#define MIB (KIB * 1024)

/* assert an integer equality and print both values when it fails */
#define UT_ASSERT_EQ(actual, expected)                                         \
	do {                                                                   \
		long long ut_a_ = (long long)(actual);                         \
		long long ut_e_ = (long long)(expected);                       \
		if (ut_a_ != ut_e_)                                            \
			fprintf(stderr,                                        \
				"\n%s:%d: %s == %lld, expected %lld\n",        \
				__FILE__, __LINE__, #actual, ut_a_, ut_e_);    \
		CU_ASSERT(ut_a_ == ut_e_);                                     \
	} while (0)

/* same, but stop the test (for results later steps depend on) */
#define UT_ASSERT_EQ_FATAL(actual, expected)                                   \
	do {                                                                   \
		long long ut_a_ = (long long)(actual);                         \
		long long ut_e_ = (long long)(expected);                       \
		if (ut_a_ != ut_e_)                                            \
			fprintf(stderr,                                        \
				"\n%s:%d: %s == %lld, expected %lld\n",        \
				__FILE__, __LINE__, #actual, ut_a_, ut_e_);    \
		CU_ASSERT_FATAL(ut_a_ == ut_e_);                               \
	} while (0)

/*
 * Runs one suite in CUnit's basic mode with verbose output; the suite's
 * init creates the temporary directory and its cleanup removes it. Returns
 * the process exit status: 0 only when every assertion passed.
 */
int ut_run_suite(const char *name, CU_TestInfo *tests);

/* the suite's temporary directory (under /dev/shm when it exists) */
const char *ut_dir(void);

/* writes "<ut_dir>/<name>" into buf (PATH_MAX) and returns buf */
char *ut_path(char *buf, const char *name);

/* the pattern byte of file "seed" at offset off */
uint8_t ut_pattern(unsigned seed, size_t off);

/* creates (or replaces) a file of size bytes filled with ut_pattern(seed) */
void ut_file_create(const char *path, size_t size, unsigned seed);

/* creates (or replaces) a sparse (all zero) file of size bytes */
void ut_file_create_sparse(const char *path, size_t size);

/* size of a file, -1 if it cannot be stat'ed */
long long ut_file_size(const char *path);

/* reads len bytes at off with pread; true when all bytes were read */
bool ut_file_read(const char *path, size_t off, void *buf, size_t len);

/* true when len bytes at off of the file equal ut_pattern(seed, off...) */
bool ut_file_has_pattern(const char *path, size_t off, size_t len,
			 unsigned seed);

/* true when memory at addr equals ut_pattern(seed, off...) for len bytes */
bool ut_mem_has_pattern(const void *addr, size_t off, size_t len,
			unsigned seed);

/* fills memory with ut_pattern(seed, off...) */
void ut_mem_fill_pattern(void *addr, size_t off, size_t len, unsigned seed);

/* true when the kernel can read one byte at addr (not unmapped/PROT_NONE) */
bool ut_addr_readable(const void *addr);

/* true when the kernel can read every page of [addr, addr+len) */
bool ut_range_readable(const void *addr, size_t len);

/* true when no page of [addr, addr+len) is readable */
bool ut_range_unreadable(const void *addr, size_t len);

/* number of open descriptors of this process whose path starts with dir */
int ut_count_fds_under(const char *dir);

/*
 * New set with PAGE granularity, optional reservation (NULL for none) and
 * optional event callback; asserts success.
 */
struct pmemset *ut_set_new(struct pmem2_vm_reservation *rsv,
			   pmemset_event_callback *cb, void *arg);

/* file source of an existing file; asserts success */
struct pmemset_source *ut_source_file(const char *path);

/*
 * part_new + part_map; returns the pmemset_part_map result (the part is
 * deleted when mapping fails, so the caller never owns it); desc may be NULL
 */
int ut_map(struct pmemset *set, struct pmemset_source *src, size_t offset,
	   size_t length, struct pmemset_part_descriptor *desc);

/* same but asserts success and returns the descriptor */
struct pmemset_part_descriptor ut_map_ok(struct pmemset *set,
					 struct pmemset_source *src,
					 size_t offset, size_t length);

/* number of part maps in the set (every reference taken is dropped) */
size_t ut_count_maps(struct pmemset *set);

/*
 * Copies up to max descriptors of the set's part maps, in iteration order,
 * into out; returns how many part maps there are.
 */
size_t ut_list_maps(struct pmemset *set, struct pmemset_part_descriptor *out,
		    size_t max);

/* a reservation of size bytes at an address chosen by the OS; asserts */
struct pmem2_vm_reservation *ut_reservation_new(size_t size);

/* true when the two descriptors are the same range */
bool ut_desc_eq(struct pmemset_part_descriptor a,
		struct pmemset_part_descriptor b);

/* "p + n" on a void pointer, for readable arithmetic */
static inline void *ut_add(void *p, size_t n)
{
	return (char *)p + n;
}

#endif /* PMEMSET_UNIT_UTIL_H */
