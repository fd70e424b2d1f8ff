/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * errormsg.c -- per-thread error messages, pmemset_errormsg/perror,
 * pmemset_err_to_errno and the debug log.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpmemset.h>

#include "errormsg.h"

#define ERRORMSG_MAX 512

static __thread char last_error[ERRORMSG_MAX];

static int log_level;
static FILE *log_file;

/* read the log settings once, when the library is loaded */
__attribute__((constructor)) static void log_init(void)
{
	const char *level = getenv("PMEMSET_LOG_LEVEL");
	if (level != NULL)
		log_level = atoi(level);
	const char *path = getenv("PMEMSET_LOG_FILE");
	if (log_level > 0 && path != NULL && path[0] != '\0')
		log_file = fopen(path, "a");
}

__attribute__((destructor)) static void log_fini(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

/* in every build type; off (the default) it costs one compare */
void log_message(int level, const char *fmt, ...)
{
	if (level > log_level)
		return;
	FILE *out = log_file != NULL ? log_file : stderr;
	va_list ap;
	va_start(ap, fmt);
	flockfile(out); /* one line, whole, whatever other threads log */
	fprintf(out, "libpmemset: ");
	vfprintf(out, fmt, ap);
	fprintf(out, "\n");
	funlockfile(out);
	va_end(ap);
}

static void format_message(const char *suffix, const char *fmt, va_list ap)
{
	int n = vsnprintf(last_error, sizeof(last_error), fmt, ap);
	if (n < 0)
		n = 0;
	if (suffix != NULL && (size_t)n < sizeof(last_error)) {
		/* append ": reason", cut at the end of the buffer */
		size_t used = (size_t)n;
		const char *parts[] = {": ", suffix};
		for (int p = 0; p < 2; p++)
			for (const char *c = parts[p];
			     *c != '\0' && used < sizeof(last_error) - 1; c++)
				last_error[used++] = *c;
		last_error[used] = '\0';
	}
	log_message(1, "%s", last_error);
}

int set_error(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_message(NULL, fmt, ap);
	va_end(ap);
	return code;
}

int set_error_errno(int code, const char *fmt, ...)
{
	/* strerror first: formatting the message may clobber errno */
	char reason[128];
	const char *text = strerror_r(errno, reason, sizeof(reason));
	va_list ap;
	va_start(ap, fmt);
	format_message(text, fmt, ap);
	va_end(ap);
	return code;
}

int set_error_pmem2(int code, int pmem2_ret, const char *fmt, ...)
{
	char reason[ERRORMSG_MAX];
	if (pmem2_ret <= PMEM2_E_UNKNOWN)
		snprintf(reason, sizeof(reason), "%s", pmem2_errormsg());
	else
		snprintf(reason, sizeof(reason), "%s", strerror(-pmem2_ret));
	va_list ap;
	va_start(ap, fmt);
	format_message(reason, fmt, ap);
	va_end(ap);
	return code;
}

const char *pmemset_errormsg(void)
{
	return last_error;
}

void pmemset_perror(const char *format, ...)
{
	char user[ERRORMSG_MAX];
	va_list ap;
	va_start(ap, format);
	vsnprintf(user, sizeof(user), format, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", user, pmemset_errormsg());
}

/*
 * libpmem2 declares pmem2_err_to_errno but 1.12.1 does not export it, so the
 * library keeps its own table from libpmem2 codes to errno values.
 */
static int pmem2_code_to_errno(int code)
{
	switch (code) {
	case PMEM2_E_NOSUPP:
	case PMEM2_E_SOURCE_TYPE_NOT_SUPPORTED:
	case PMEM2_E_GRANULARITY_NOT_SUPPORTED:
		return ENOTSUP;
	case PMEM2_E_MAPPING_EXISTS:
	case PMEM2_E_MAP_EXISTS:
		return EEXIST;
	case PMEM2_E_MAPPING_NOT_FOUND:
	case PMEM2_E_DAX_REGION_NOT_FOUND:
	case PMEM2_E_NO_BAD_BLOCK_FOUND:
		return ENOENT;
	case PMEM2_E_BUFFER_TOO_SMALL:
		return ENOBUFS;
	case PMEM2_E_NO_ACCESS:
		return EACCES;
	case PMEM2_E_VM_RESERVATION_NOT_EMPTY:
		return EBUSY;
	case PMEM2_E_IO_FAIL:
		return EIO;
	case PMEM2_E_OFFSET_OUT_OF_RANGE:
	case PMEM2_E_LENGTH_OUT_OF_RANGE:
	case PMEM2_E_MAP_RANGE:
	case PMEM2_E_DEEP_FLUSH_RANGE:
		return ERANGE;
	case PMEM2_E_INVALID_FILE_HANDLE:
	case PMEM2_E_FILE_HANDLE_NOT_SET:
	case PMEM2_E_FILE_DESCRIPTOR_NOT_SET:
		return EBADF;
	default:
		return EINVAL;
	}
}

int pmemset_err_to_errno(int error)
{
	if (error > 0) {
		fprintf(stderr,
			"libpmemset: pmemset_err_to_errno: positive value %d "
			"is not an error code\n",
			error);
		abort();
	}
	if (error == PMEMSET_E_NOSUPP)
		return ENOTSUP;
	if (error <= PMEMSET_E_UNKNOWN)
		return EINVAL;
	if (error <= PMEM2_E_UNKNOWN)
		return pmem2_code_to_errno(error);
	return -error;
}
