/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl.c -- changing the set while it is mounted: commands written to
 * .pmemset/ctl, one a line (a write of several lines is a script, run in
 * order up to its first failing line), and rm of a part file.
 *   part NAME PATH [offset=] [length=] [create] [truncate]
 *   part NAME temporary=DIR length=SIZE
 *   unmap NAME
 *   remove-range MAP OFFSET LENGTH
 *   coalescing none|opportunistic|full
 * A failing command changes nothing, fails the write with an errno
 * (EINVAL syntax, ENOENT missing source or name, EEXIST duplicate name,
 * ENOSPC no room in the reservation, EBUSY part in use) and leaves its
 * reason in .pmemset/status (last_error, with its time and command), in
 * the log, and on the open ctl file it was written to (see ctl_read).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "set/data_path.h"
#include "ops/handlers.h"
#include "base/mountinfo.h"
#include "base/reason.h"
#include "set/set_build.h"

#define BUSY_WAIT_SECONDS 2
#define CTL_MAX_COMMAND 4096	  /* one line */
#define CTL_MAX_WRITE (64 * 1024) /* one write: a command or a script */
/* "line N: ctl 'COMMAND': REASON\n", what a ctl handle reads back */
#define CTL_MAX_REASON                                                         \
	(sizeof(((struct last_error *)0)->command) +                           \
	 sizeof(((struct last_error *)0)->reason) + 32)

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
			return reason_fail(
				err, errlen, -EBUSY,
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
		return reason_fail(err, errlen, -ENOMEM, "out of memory");
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
		ret = reason_fail(
			err, errlen,
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
		reason_fail(err, errlen, ret,
			    "out of memory listing the part maps");
out:
	free(victims);
	return ret;
}

static int unmap_part_locked(struct namespace *ns, const char *name, char *err,
			     size_t errlen)
{
	struct part_node *p = ns_part_by_name_locked(ns, name);
	if (p == NULL)
		return reason_fail(err, errlen, -ENOENT, "no part named '%s'",
				   name);
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
		return reason_fail(err, errlen, -ENOMEM, "out of memory");
	/* a file that `create` would make: check its directory */
	int ret = stat(path, &st);
	if (ret != 0 && errno == ENOENT)
		ret = stat(dirname(dir), &st);
	free(dir);
	if (ret == 0 && ns->has_mount_dev && st.st_dev == ns->mount_dev)
		goto refuse;
	return 0;
refuse:
	return reason_fail(err, errlen, -EINVAL,
			   "part %s: %s is inside this mount", p->name, path);
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
		return reason_fail(err, errlen, -EINVAL, "usage: unmap NAME");
	return unmap_part_locked(ns, words[1], err, errlen);
}

static int cmd_remove_range(struct namespace *ns, char **words, int n,
			    char *err, size_t errlen)
{
	size_t index, off, len;
	char *end;
	if (n != 4)
		return reason_fail(err, errlen, -EINVAL,
				   "usage: remove-range MAP OFFSET LENGTH");
	index = strtoul(words[1], &end, 10);
	if (*words[1] < '0' || *words[1] > '9' || *end != '\0' ||
	    setfile_parse_size(words[2], &off) != 0 ||
	    setfile_parse_size(words[3], &len) != 0 || len == 0)
		return reason_fail(
			err, errlen, -EINVAL,
			"usage: remove-range MAP OFFSET LENGTH (numbers, "
			"LENGTH > 0)");
	if (index >= ns->nmaps)
		return reason_fail(err, errlen, -ENOENT,
				   "no map %zu (there are %zu)", index,
				   ns->nmaps);
	/*
	 * The range starts in map MAP and may run on past its end into the
	 * maps at higher addresses: every part it touches is removed.
	 */
	struct map_view *m = ns->maps[index];
	if (off >= m->size)
		return reason_fail(err, errlen, -EINVAL,
				   "offset %zu is outside map %zu (length %zu)",
				   off, index, m->size);
	if ((uintptr_t)m->addr + off > UINTPTR_MAX - len)
		return reason_fail(
			err, errlen, -EINVAL,
			"offset %zu + length %zu overflows (past the end "
			"of the address space)",
			off, len);
	return unmap_range_locked(ns, m->addr + off, len, err, errlen);
}

static int cmd_coalescing(struct namespace *ns, char **words, int n, char *err,
			  size_t errlen)
{
	enum pmemset_coalescing mode;
	if (n != 2 || setfile_parse_coalescing(words[1], &mode) != 0)
		return reason_fail(err, errlen, -EINVAL,
				   "usage: coalescing none|opportunistic|full");
	int ret = pmemset_set_contiguous_part_coalescing(ns->set, mode);
	if (ret)
		return reason_fail(err, errlen, -EINVAL, "coalescing: %s",
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
		return reason_fail(err, errlen, -EINVAL, "empty command");
	int ret;
	pthread_mutex_lock(&ns->lock);
	if (strcmp(words[0], "unmap") == 0)
		ret = cmd_unmap(ns, words, n, err, errlen);
	else if (strcmp(words[0], "remove-range") == 0)
		ret = cmd_remove_range(ns, words, n, err, errlen);
	else if (strcmp(words[0], "coalescing") == 0)
		ret = cmd_coalescing(ns, words, n, err, errlen);
	else
		ret = reason_fail(err, errlen, -EINVAL,
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

/*
 * Records a failure: in status (last_error), in the log, and on the handle
 * it came through (if any), where the writer reads it back (see ctl_read).
 */
static void record_failure(struct namespace *ns, struct handle *h,
			   struct last_error *error)
{
	char message[CTL_MAX_REASON - 1];
	clock_gettime(CLOCK_REALTIME, &error->time);
	error->set = true;
	last_error_format(error, false, message, sizeof(message));
	char *reason = NULL; /* a line, as a client prints it */
	if (h != NULL && asprintf(&reason, "%s\n", message) < 0)
		reason = NULL;
	pthread_mutex_lock(&ns->lock);
	ns_set_last_error_locked(ns, error);
	if (h != NULL) {
		free(h->text);
		h->text = reason;
		h->text_len = reason != NULL ? strlen(reason) : 0;
	}
	pthread_mutex_unlock(&ns->lock);
	fuse_log(FUSE_LOG_ERR, "pmemsetfs: %s\n", message);
}

/* The command a failure belongs to: ctl 'LINE', control bytes escaped. */
static void name_command(struct last_error *error, const char *line, size_t len)
{
	char shown[sizeof(error->command) - 8];
	setfile_escape(line, len, 200, shown, sizeof(shown));
	snprintf(error->command, sizeof(error->command), "ctl '%s'", shown);
}

/* A line (up to '\n' or the end) that holds no command: blank or # */
static bool is_blank(const char *line)
{
	line += strspn(line, " \t\r");
	return *line == '\0' || *line == '\n' || *line == '#';
}

static size_t count_commands(const char *text)
{
	size_t n = 0;
	for (const char *line = text; line != NULL;) {
		n += !is_blank(line);
		const char *eol = strchr(line, '\n');
		line = eol != NULL ? eol + 1 : NULL;
	}
	return n;
}

/* Cuts the next line out of *cursor (NULL when none is left). */
static char *next_line(char **cursor)
{
	char *line = *cursor;
	if (line == NULL)
		return NULL;
	char *eol = strchr(line, '\n');
	*cursor = eol != NULL ? eol + 1 : NULL;
	if (eol != NULL)
		*eol = '\0';
	size_t len = strlen(line);
	if (len > 0 && line[len - 1] == '\r') /* a script saved on Windows */
		line[len - 1] = '\0';
	return line;
}

/*
 * Runs the lines of one write in order and stops at the first failure;
 * the commands before it stay done. A write of more than one command is
 * a script, and its failure names the line. The whole script runs under
 * change_lock, so two scripts never interleave.
 */
static int run_script(struct namespace *ns, char *text,
		      struct last_error *error)
{
	size_t commands = count_commands(text);
	if (commands == 0)
		return reason_fail(error->reason, sizeof(error->reason),
				   -EINVAL, "empty command");
	int ret = 0;
	unsigned number = 0;
	char *cursor = text, *line;
	pthread_mutex_lock(&ns->change_lock);
	while (ret == 0 && (line = next_line(&cursor)) != NULL) {
		number++;
		if (is_blank(line))
			continue;
		size_t len = strlen(line);
		name_command(error, line, len);
		error->line = commands > 1 ? number : 0;
		if (len >= CTL_MAX_COMMAND)
			ret = reason_fail(
				error->reason, sizeof(error->reason), -EINVAL,
				"command too long (%zu bytes, max %d)", len,
				CTL_MAX_COMMAND - 1);
		else
			ret = run_command(ns, line, error->reason,
					  sizeof(error->reason));
	}
	pthread_mutex_unlock(&ns->change_lock);
	return ret;
}

void ctl_write(fuse_req_t req, struct handle *h, const char *buf, size_t size)
{
	struct namespace *ns = req_ns(req);
	struct last_error error = {.command = "ctl"};
	char *text = NULL;
	int ret;
	if (size > CTL_MAX_WRITE) {
		ret = reason_fail(
			error.reason, sizeof(error.reason), -EINVAL,
			"write too long (%zu bytes; a command or a script "
			"is at most %d)",
			size, CTL_MAX_WRITE);
	} else if (memchr(buf, '\0', size) != NULL) {
		ret = reason_fail(error.reason, sizeof(error.reason), -EINVAL,
				  "NUL byte in command");
	} else if ((text = strndup(buf, size)) == NULL) {
		ret = reason_fail(error.reason, sizeof(error.reason), -ENOMEM,
				  "out of memory");
	} else {
		ret = run_script(ns, text, &error);
	}
	free(text);
	ns_flush_stale_entries(ns); /* before the writer sees the result */
	if (ret) {
		record_failure(ns, h, &error);
		fuse_reply_err(req, -ret);
		return;
	}
	pthread_mutex_lock(&ns->lock);
	h->text_len = 0; /* this write went well: nothing to read back */
	pthread_mutex_unlock(&ns->lock);
	fuse_reply_write(req, size);
}

/*
 * Reading a ctl handle gives the reason its last write failed (empty
 * after a success): a client opens ctl O_RDWR, writes, and on an error
 * reads the reason back from the same descriptor, which no other writer
 * can overwrite (last_error in status is shared by all of them).
 */
void ctl_read(fuse_req_t req, struct handle *h, size_t size, off_t off)
{
	struct namespace *ns = req_ns(req);
	char reason[CTL_MAX_REASON];
	size_t len = 0;
	pthread_mutex_lock(&ns->lock);
	if (off >= 0 && (size_t)off < h->text_len) {
		len = h->text_len - (size_t)off;
		len = len < size ? len : size;
		memcpy(reason, h->text + off, len);
	}
	pthread_mutex_unlock(&ns->lock);
	fuse_reply_buf(req, reason, len);
}

void ctl_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct namespace *ns = req_ns(req);
	struct last_error error = {0};
	if (parent != INO_ROOT || strcmp(name, META_DIR_NAME) == 0) {
		fuse_reply_err(req, EPERM);
		return;
	}
	pthread_mutex_lock(&ns->change_lock);
	pthread_mutex_lock(&ns->lock);
	int ret =
		unmap_part_locked(ns, name, error.reason, sizeof(error.reason));
	pthread_mutex_unlock(&ns->lock);
	pthread_mutex_unlock(&ns->change_lock);
	if (ret) {
		char shown[sizeof(error.command) - 8];
		setfile_escape(name, strlen(name), 200, shown, sizeof(shown));
		snprintf(error.command, sizeof(error.command), "rm %s", shown);
		record_failure(ns, NULL, &error);
	}
	fuse_reply_err(req, -ret);
	ns_flush_stale_entries(ns); /* the root stays locked until we reply */
}
