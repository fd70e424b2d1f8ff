/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * reason.c -- see reason.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "base/reason.h"

int reason_fail(char *err, size_t errlen, int code, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vsnprintf(err, errlen, format, ap);
	va_end(ap);
	return code;
}
