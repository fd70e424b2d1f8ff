/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl.c -- changing the set while it is mounted: one command per write to
 * .pmemset/ctl, and rm of a part file.
 *   part NAME PATH [offset=] [length=] [create] [truncate]
 *   part NAME temporary=DIR length=SIZE
 *   unmap NAME
 *   remove-range MAP OFFSET LENGTH
 *   coalescing none|opportunistic|full
 * A failing command changes nothing, fails the write with an errno
 * (EINVAL syntax, ENOENT missing source or name, EEXIST duplicate name,
 * ENOSPC no room in the reservation, EBUSY part in use) and leaves its
 * reason in .pmemset/status (last_error) and the log.
 *
 * Open handles: a part whose file, or a map file over it, is open cannot
 * be unmapped. Because close() only queues FUSE's release, an unmap waits
 * up to BUSY_WAIT_SECONDS for handles to go away before it fails with EBUSY.
 * Changes run one at a time (change_lock), so while one waits (ns->lock
 * released) no other change can free the parts it is looking at.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "data_path.h"
#include "handlers.h"
#include "mountinfo.h"
#include "set_build.h"

#define BUSY_WAIT_SECONDS 2
#define CTL_MAX_COMMAND 4096

static int fail(char *err, size_t errlen, int code, const char *format, ...)
	__attribute__((__format__(__printf__, 4, 5)));

static int fail(char *err, size_t errlen, int code, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vsnprintf(err, errlen, format, ap);
	va_end(ap);
	return code;
}

void ctl_open(fuse_req_t req, struct fuse_file_info *fi)
{
	struct namespace *ns = req_ns(req); /* the reply frees req */
	struct handle *h = handle_new(HANDLE_CTL);
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fi->direct_io = 1; /* every write must reach us as written */
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		handle_put(ns, h);
}

/* The first busy part among parts[0..n), or NULL. */
static struct part_node *first_busy_locked(struct namespace *ns,
					   struct part_node **parts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ns_part_busy_locked(ns, parts[i]))
			return parts[i];
	}
	return NULL;
}

/* Waits (lock held) until no part is busy; -EBUSY after the deadline. */
static int wait_not_busy_locked(struct namespace *ns, struct part_node **parts,
				size_t n, char *err, size_t errlen)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += BUSY_WAIT_SECONDS;
	struct part_node *busy;
	while ((busy = first_busy_locked(ns, parts, n)) != NULL) {
		if (pthread_cond_timedwait(&ns->released, &ns->lock,
					   &deadline) == ETIMEDOUT &&
		    (busy = first_busy_locked(ns, parts, n)) != NULL)
			return fail(err, errlen, -EBUSY,
				    "part %s is open (its file or a map file "
				    "over it)",
				    busy->name);
	}
	return 0;
}

/*
 * Unmaps every part touching [addr, addr+len) (ns->lock held): the unit
 * of removal is a whole part, as in pmemset_remove_range.
 */
static int unmap_range_locked(struct namespace *ns, char *addr, size_t len,
			      char *err, size_t errlen)
{
	struct part_node **victims = calloc(ns->nparts + 1, sizeof(*victims));
	if (victims == NULL)
		return fail(err, errlen, -ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < ns->nparts; i++) {
		struct part_node *p = ns->parts[i];
		if (p->addr < addr + len && addr < p->addr + p->length)
			victims[n++] = p;
	}
	int ret = wait_not_busy_locked(ns, victims, n, err, errlen);
	if (ret)
		goto out;
	/* the part may have been written with persist=fsync: keep its data */
	for (size_t i = 0; i < n; i++)
		persist_range(ns, victims[i]->addr, victims[i]->length);
	ret = pmemset_remove_range(ns->set, addr, len);
	if (ret) {
		ret = fail(err, errlen,
			   ret == PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP
				   ? -EBUSY
				   : -EIO,
			   "cannot unmap: %s", pmemset_errormsg());
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		ns_forget_part_locked(ns, victims[i]);
	ret = ns_refresh_maps_locked(ns);
	if (ret)
		fail(err, errlen, ret, "out of memory listing the part maps");
out:
	free(victims);
	return ret;
}

static int unmap_part_locked(struct namespace *ns, const char *name, char *err,
			     size_t errlen)
{
	struct part_node *p = ns_part_by_name_locked(ns, name);
	if (p == NULL)
		return fail(err, errlen, -ENOENT, "no part named '%s'", name);
	return unmap_range_locked(ns, p->addr, p->length, err, errlen);
}

/*
 * A source on this very mount would make the daemon wait on itself (and
 * map its own files). Refused by walking the path without ever asking the
 * mount (the only protection with -s, where no other thread could answer),
 * then by device (bind mounts of this mount elsewhere).
 */
static int refuse_own_mount(struct namespace *ns, const struct part_spec *p,
			    char *err, size_t errlen)
{
	const char *path = p->path ? p->path : p->temp_dir;
	if (ns->mountpoint != NULL && path_leads_into(path, ns->mountpoint))
		goto refuse;
	struct stat st;
	char *dir = strdup(path);
	if (dir == NULL)
		return fail(err, errlen, -ENOMEM, "out of memory");
	/* a file that `create` would make: check its directory */
	int ret = stat(path, &st);
	if (ret != 0 && errno == ENOENT)
		ret = stat(dirname(dir), &st);
	free(dir);
	if (ret == 0 && ns->has_mount_dev && st.st_dev == ns->mount_dev)
		goto refuse;
	return 0;
refuse:
	return fail(err, errlen, -EINVAL, "part %s: %s is inside this mount",
		    p->name, path);
}

/* ns->change_lock held, ns->lock not: see set_build_part */
static int cmd_part(struct namespace *ns, const char *args, char *err,
		    size_t errlen)
{
	struct part_spec spec;
	if (setfile_parse_part(args, NULL, &spec, err, errlen) != 0)
		return -EINVAL;
	int ret = refuse_own_mount(ns, &spec, err, errlen);
	if (ret == 0)
		ret = set_build_part(ns, &spec, NULL, err, errlen);
	part_spec_clear(&spec);
	return ret;
}

static int cmd_unmap(struct namespace *ns, char **words, int n, char *err,
		     size_t errlen)
{
	if (n != 2)
		return fail(err, errlen, -EINVAL, "usage: unmap NAME");
	return unmap_part_locked(ns, words[1], err, errlen);
}

static int cmd_remove_range(struct namespace *ns, char **words, int n,
			    char *err, size_t errlen)
{
	size_t index, off, len;
	char *end;
	if (n != 4)
		return fail(err, errlen, -EINVAL,
			    "usage: remove-range MAP OFFSET LENGTH");
	index = strtoul(words[1], &end, 10);
	if (*words[1] < '0' || *words[1] > '9' || *end != '\0' ||
	    setfile_parse_size(words[2], &off) != 0 ||
	    setfile_parse_size(words[3], &len) != 0 || len == 0)
		return fail(err, errlen, -EINVAL,
			    "usage: remove-range MAP OFFSET LENGTH (numbers, "
			    "LENGTH > 0)");
	if (index >= ns->nmaps)
		return fail(err, errlen, -ENOENT, "no map %zu (there are %zu)",
			    index, ns->nmaps);
	/*
	 * The range starts in map MAP and may run on past its end into the
	 * maps at higher addresses: every part it touches is removed.
	 */
	struct map_view *m = ns->maps[index];
	if (off >= m->size || (uintptr_t)m->addr + off > UINTPTR_MAX - len)
		return fail(err, errlen, -EINVAL,
			    "offset %zu is outside map %zu (length %zu)", off,
			    index, m->size);
	return unmap_range_locked(ns, m->addr + off, len, err, errlen);
}

static int cmd_coalescing(struct namespace *ns, char **words, int n, char *err,
			  size_t errlen)
{
	enum pmemset_coalescing mode;
	if (n != 2 || setfile_parse_coalescing(words[1], &mode) != 0)
		return fail(err, errlen, -EINVAL,
			    "usage: coalescing none|opportunistic|full");
	int ret = pmemset_set_contiguous_part_coalescing(ns->set, mode);
	if (ret)
		return fail(err, errlen, -EINVAL, "coalescing: %s",
			    pmemset_errormsg());
	ns->settings.coalescing = mode;
	return 0;
}

/* The commands other than `part` work on the tables: under ns->lock. */
static int run_table_command(struct namespace *ns, char *line, char *err,
			     size_t errlen)
{
	char *words[8];
	int n = 0;
	char *save;
	for (char *w = strtok_r(line, " \t", &save); w != NULL && n < 8;
	     w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	if (n == 0)
		return fail(err, errlen, -EINVAL, "empty command");
	int ret;
	pthread_mutex_lock(&ns->lock);
	if (strcmp(words[0], "unmap") == 0)
		ret = cmd_unmap(ns, words, n, err, errlen);
	else if (strcmp(words[0], "remove-range") == 0)
		ret = cmd_remove_range(ns, words, n, err, errlen);
	else if (strcmp(words[0], "coalescing") == 0)
		ret = cmd_coalescing(ns, words, n, err, errlen);
	else
		ret = fail(err, errlen, -EINVAL,
			   "unknown command (part, unmap, remove-range, "
			   "coalescing)");
	pthread_mutex_unlock(&ns->lock);
	return ret;
}

/* Runs one command line (ns->change_lock held). */
static int run_command(struct namespace *ns, char *line, char *err,
		       size_t errlen)
{
	const char *rest = line + strspn(line, " \t");
	if (strncmp(rest, "part", 4) == 0 &&
	    (rest[4] == ' ' || rest[4] == '\t'))
		return cmd_part(ns, rest + 5, err, errlen);
	return run_table_command(ns, line, err, errlen);
}

/* Records a failure in status and the log, control bytes escaped. */
static void record_failure(struct namespace *ns, const char *what,
			   size_t what_len, const char *err)
{
	char shown[300], message[sizeof(ns->last_error)];
	setfile_escape(what, what_len, 200, shown, sizeof(shown));
	if (snprintf(message, sizeof(message), "%s: %s", shown, err) >=
	    (int)sizeof(message))
		strcpy(message + sizeof(message) - 4, "..."); /* cut, say so */
	pthread_mutex_lock(&ns->lock);
	ns_set_last_error_locked(ns, message);
	pthread_mutex_unlock(&ns->lock);
	fuse_log(FUSE_LOG_ERR, "pmemsetfs: %s\n", message);
}

/* Checks a write is one command line and copies it, newline stripped. */
static int take_command(const char *buf, size_t size, char *line,
			size_t linelen, char *err, size_t errlen)
{
	if (size >= linelen)
		return fail(err, errlen, -EINVAL,
			    "command too long (%zu bytes, max %zu)", size,
			    linelen - 1);
	if (memchr(buf, '\0', size) != NULL)
		return fail(err, errlen, -EINVAL, "NUL byte in command");
	memcpy(line, buf, size);
	line[size] = '\0';
	char *eol = line + strcspn(line, "\r\n"); /* `echo` adds a newline */
	bool one_line = eol[strspn(eol, " \t\r\n")] == '\0';
	*eol = '\0';
	if (!one_line)
		return fail(err, errlen, -EINVAL, "one command per write");
	return 0;
}

void ctl_write(fuse_req_t req, const char *buf, size_t size)
{
	struct namespace *ns = req_ns(req);
	char line[CTL_MAX_COMMAND], err[SETFILE_ERR_MAX * 2];
	char what[CTL_MAX_COMMAND + 8];
	int ret = take_command(buf, size, line, sizeof(line), err, sizeof(err));
	if (ret == 0) {
		snprintf(what, sizeof(what), "ctl '%s'", line);
		pthread_mutex_lock(&ns->change_lock);
		ret = run_command(ns, line, err, sizeof(err));
		pthread_mutex_unlock(&ns->change_lock);
		ns_flush_stale_entries(ns); /* before the writer sees "done" */
	} else {
		snprintf(what, sizeof(what), "ctl");
	}
	if (ret) {
		record_failure(ns, what, strlen(what), err);
		fuse_reply_err(req, -ret);
	} else {
		fuse_reply_write(req, size);
	}
}

void ctl_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct namespace *ns = req_ns(req);
	char err[SETFILE_ERR_MAX], what[300];
	if (parent != INO_ROOT || strcmp(name, META_DIR_NAME) == 0) {
		fuse_reply_err(req, EPERM);
		return;
	}
	snprintf(what, sizeof(what), "rm %s", name);
	pthread_mutex_lock(&ns->change_lock);
	pthread_mutex_lock(&ns->lock);
	int ret = unmap_part_locked(ns, name, err, sizeof(err));
	pthread_mutex_unlock(&ns->lock);
	pthread_mutex_unlock(&ns->change_lock);
	if (ret)
		record_failure(ns, what, strlen(what), err);
	fuse_reply_err(req, -ret);
	ns_flush_stale_entries(ns); /* the root stays locked until we reply */
}
