/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * log.h -- the daemon's messages: a failure's reason, formatted once, and
 * where messages go once it runs (-o log=): syslog,
 * stderr or a file, chosen and opened before it goes to the background,
 * with a file under the runtime directory when there is no syslog, so the
 * errors of a background daemon are never lost (and the file is removed at
 * a clean unmount when it holds none). Every message goes through
 * fuse_log (libfuse's own included).
 */
#ifndef PMEMSETFS_LOG_H
#define PMEMSETFS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define LOG_TIME_MAX 40

/*
 * One way to fail with a reason a person reads: formats it into err and
 * returns code, so each failure of set-up, parsing or a ctl command is
 * one line: return reason_fail(err, errlen, -ENOENT, "no part '%s'", n);
 */
int reason_fail(char *err, size_t errlen, int code, const char *format, ...)
	__attribute__((__format__(__printf__, 4, 5)));
/* "REASON", or "REASON: DETAIL" when a library added a detail. */
int reason_fail_with_detail(char *err, size_t errlen, int code,
			    const char *reason, const char *detail);

/* t as UTC ISO 8601: 2026-12-03T08:40:00Z (millis: 08:40:00.123Z). */
void log_utc_time(const struct timespec *t, bool millis, char *out,
		  size_t outlen);

/* Whether value is a valid -o log= value: syslog, stderr or /ABS/PATH. */
bool log_target_valid(const char *value);

/*
 * Chooses the target (value NULL: syslog in the background, stderr in the
 * foreground) and opens it: a file is created or appended to now, while
 * errors still reach the user. Without syslog a file named after the mount
 * point takes its place, quietly (log_start says so in the file). Returns
 * 0, or -1 with a message on stderr.
 */
int log_open(const char *value, bool foreground, const char *mountpoint);

/* Sends fuse_log (ours and libfuse's) to the target from now on. */
void log_start(void);

/* Where messages go, as status shows it: syslog, stderr or the file. */
const char *log_destination(void);

/*
 * startup_failed: a log file that log_open created is removed again; so is
 * a fall-back file made for this mount that got no warning or error.
 */
void log_close(bool startup_failed);

#endif /* PMEMSETFS_LOG_H */
