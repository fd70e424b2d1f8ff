/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * reason.h -- one way for the daemon's set-up and ctl code to fail: format
 * the reason a person will read into the caller's buffer and return the
 * error code, so each failure is one line.
 */
#ifndef PMEMSETFS_REASON_H
#define PMEMSETFS_REASON_H

#include <stddef.h>

int reason_fail(char *err, size_t errlen, int code, const char *format, ...)
	__attribute__((__format__(__printf__, 4, 5)));

#endif /* PMEMSETFS_REASON_H */
