/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * errormsg.h -- the one way the library reports an error: format the
 * per-thread message and return the code, e.g.
 *	return set_error(PMEMSET_E_LENGTH_UNALIGNED, "length %zu", len);
 * plus the debug log controlled by PMEMSET_LOG_LEVEL / PMEMSET_LOG_FILE.
 */
#ifndef PMEMSET_ERRORMSG_H
#define PMEMSET_ERRORMSG_H

/* stores the formatted message for this thread and returns code */
int set_error(int code, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));

/* like set_error, appending ": " and strerror(errno) (for system calls) */
int set_error_errno(int code, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));

/*
 * like set_error, appending ": " and the reason of a failed libpmem2 call
 * that returned pmem2_ret (its own message, or strerror for -errno values)
 */
int set_error_pmem2(int code, int pmem2_ret, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

/* log line at the given level (1..4) if PMEMSET_LOG_LEVEL asks for it */
void log_message(int level, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));

#endif /* PMEMSET_ERRORMSG_H */
