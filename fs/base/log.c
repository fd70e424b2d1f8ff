/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * log.c -- the daemon's log (see log.h). A background daemon's stderr is
 * /dev/null, and many containers have no syslog socket: then the messages
 * go to a file in the runtime directory, named after the mount point (its
 * first line says why; status names it). A mount that went well prints
 * nothing, and its file goes again at a clean unmount unless a warning or
 * an error was written to it, so such files do not pile up.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#define FUSE_USE_VERSION 314
#include <fuse_log.h>

#include "base/log.h"

#define SYSLOG_SOCKET "/dev/log"
#define LOG_LINE_MAX 4096

enum log_target {
	TARGET_SYSLOG,
	TARGET_STDERR, /* a copy of stderr taken before daemonizing */
	TARGET_FILE,
};

static enum log_target target;
static int log_fd = -1;
/* the file messages go to, for status ("" when not a file) */
static char log_path[PATH_MAX];
/* the file stands in for a missing syslog: said in its first line */
static bool is_fallback;
/* a warning or error went to the file: it is kept at unmount */
static atomic_bool file_has_problem;
/* what log_open made: removed again if nothing gets mounted */
static char *created_file;
static char *created_dir;
/* resolved while the working directory is still the user's */
static char mountpoint_path[PATH_MAX];

int reason_fail(char *err, size_t errlen, int code, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vsnprintf(err, errlen, format, ap);
	va_end(ap);
	return code;
}

int reason_fail_with_detail(char *err, size_t errlen, int code,
			    const char *reason, const char *detail)
{
	if (*detail == '\0')
		return reason_fail(err, errlen, code, "%s", reason);
	return reason_fail(err, errlen, code, "%s: %s", reason, detail);
}

void log_utc_time(const struct timespec *t, bool millis, char *out,
		  size_t outlen)
{
	struct tm tm;
	gmtime_r(&t->tv_sec, &tm);
	size_t n = strftime(out, outlen, "%Y-%m-%dT%H:%M:%S", &tm);
	if (millis)
		snprintf(out + n, outlen - n, ".%03ldZ", t->tv_nsec / 1000000);
	else
		snprintf(out + n, outlen - n, "Z");
}

bool log_target_valid(const char *value)
{
	return strcmp(value, "syslog") == 0 || strcmp(value, "stderr") == 0 ||
	       value[0] == '/';
}

static bool syslog_available(void)
{
	struct stat st;
	return stat(SYSLOG_SOCKET, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* Appends to path, creating it (and remembering that) if missing. */
static int open_file(const char *path)
{
	int flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY;
	int fd = open(path, flags | O_CREAT | O_EXCL, 0640);
	if (fd >= 0)
		created_file = strdup(path);
	else if (errno == EEXIST)
		fd = open(path, flags);
	return fd;
}

/* A directory of our own for the fall-back file: made if missing. */
static int runtime_dir(char *dir, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg != NULL && xdg[0] == '/')
		snprintf(dir, len, "%s/pmemsetfs", xdg);
	else if (geteuid() == 0)
		snprintf(dir, len, "/run/pmemsetfs");
	else
		snprintf(dir, len, "/tmp/pmemsetfs-%u", (unsigned)geteuid());
	if (mkdir(dir, 0700) == 0)
		created_dir = strdup(dir);
	else if (errno != EEXIST)
		return -1;
	/* not a symbolic link someone else planted, and ours */
	struct stat st;
	if (lstat(dir, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* DIR/tmp-x-mnt.log for mount point /tmp/x/mnt, as systemd names units. */
static int fallback_path(const char *mountpoint, char *path, size_t len)
{
	char dir[PATH_MAX];
	if (runtime_dir(dir, sizeof(dir)) != 0)
		return -1;
	char name[NAME_MAX - 4];
	size_t n = 0;
	for (const char *c = mountpoint + strspn(mountpoint, "/");
	     *c != '\0' && n < sizeof(name) - 1; c++)
		name[n++] = *c == '/' ? '-' : *c;
	while (n > 0 && name[n - 1] == '-')
		n--;
	name[n] = '\0';
	if (snprintf(path, len, "%s/%s.log", dir, n ? name : "-") >= (int)len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* No syslog: a file takes its place, or at least stderr. */
static void open_fallback(const char *mountpoint)
{
	char path[PATH_MAX];
	if (fallback_path(mountpoint, path, sizeof(path)) == 0 &&
	    (log_fd = open_file(path)) >= 0) {
		target = TARGET_FILE;
		is_fallback = true;
		snprintf(log_path, sizeof(log_path), "%s", path);
		return; /* quiet: log_start says it in the file */
	}
	fprintf(stderr,
		"pmemsetfs: no syslog here (%s is not a socket) and no log "
		"file (%s): logging to stderr\n",
		SYSLOG_SOCKET, strerror(errno));
	target = TARGET_STDERR;
	log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
}

/* dst = path resolved, or as given if that fails */
static void resolve(const char *path, char *dst)
{
	if (realpath(path, dst) == NULL)
		snprintf(dst, PATH_MAX, "%s", path);
}

int log_open(const char *value, bool foreground, const char *mountpoint)
{
	resolve(mountpoint, mountpoint_path);
	if (value == NULL)
		value = foreground ? "stderr" : "syslog";
	if (strcmp(value, "stderr") == 0) {
		target = TARGET_STDERR;
		/* daemonizing points fd 2 at /dev/null: keep the original */
		log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		return 0;
	}
	if (strcmp(value, "syslog") == 0) {
		target = TARGET_SYSLOG;
		if (!syslog_available())
			open_fallback(mountpoint_path);
		return 0;
	}
	target = TARGET_FILE;
	snprintf(log_path, sizeof(log_path), "%s", value);
	log_fd = open_file(value);
	if (log_fd < 0) {
		fprintf(stderr, "pmemsetfs: log=%s: %s\n", value,
			strerror(errno));
		return -1;
	}
	return 0;
}

static const char *level_name(enum fuse_log_level level)
{
	static const char *const names[] = {
		"emerg",   "alert",  "crit", "err",
		"warning", "notice", "info", "debug",
	};
	unsigned i = (unsigned)level;
	return i < sizeof(names) / sizeof(names[0]) ? names[i] : "log";
}

/* One write() per message, so lines of concurrent threads never mix. */
static void log_to_fd(enum fuse_log_level level, const char *format, va_list ap)
{
	char line[LOG_LINE_MAX];
	size_t n = 0;
	if (target == TARGET_FILE) {
		struct timespec now;
		char time[LOG_TIME_MAX];
		clock_gettime(CLOCK_REALTIME, &now);
		log_utc_time(&now, true, time, sizeof(time));
		n = (size_t)snprintf(line, sizeof(line), "%s [%d] %s: ", time,
				     (int)getpid(), level_name(level));
		if (level <= FUSE_LOG_WARNING)
			atomic_store(&file_has_problem, true);
	}
	int len = vsnprintf(line + n, sizeof(line) - n - 1, format, ap);
	if (len < 0)
		return;
	n += (size_t)len < sizeof(line) - n - 1 ? (size_t)len
						: sizeof(line) - n - 2;
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	if (write(log_fd, line, n) < 0) {
		/* nowhere left to say it */
	}
}

static void log_to_syslog(enum fuse_log_level level, const char *format,
			  va_list ap)
{
	vsyslog((int)level, format, ap); /* fuse_log levels are syslog's */
}

void log_start(void)
{
	if (target == TARGET_SYSLOG) {
		openlog("pmemsetfs", LOG_PID, LOG_DAEMON);
		fuse_set_log_func(log_to_syslog);
	} else if (log_fd >= 0) {
		fuse_set_log_func(log_to_fd);
	}
	if (is_fallback)
		fuse_log(FUSE_LOG_NOTICE,
			 "pmemsetfs: no syslog here (%s is not a socket): "
			 "logging to this file\n",
			 SYSLOG_SOCKET);
}

const char *log_destination(void)
{
	switch (target) {
	case TARGET_SYSLOG:
		return "syslog";
	case TARGET_STDERR:
		return "stderr";
	case TARGET_FILE:
		break;
	}
	return log_path;
}

void log_close(bool startup_failed)
{
	/*
	 * A fall-back file made for this mount that holds nothing but
	 * start-up lines would only pile up; one with a warning or an error
	 * stays for the user to read. (Its directory stays: other mounts
	 * may be about to write theirs.)
	 */
	bool unneeded = is_fallback && !atomic_load(&file_has_problem);
	if ((startup_failed || unneeded) && created_file != NULL)
		unlink(created_file);
	if (startup_failed && created_dir != NULL)
		rmdir(created_dir);
	free(created_file);
	free(created_dir);
	created_file = created_dir = NULL;
	if (target == TARGET_SYSLOG)
		closelog();
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	fuse_set_log_func(NULL);
	is_fallback = false;
	log_path[0] = '\0';
}
