/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script.c -- what one write to .pmemset/ctl brings: a command, or a
 * script of several lines run in order up to its first failing line (the
 * commands before it stay done), and rm of a part file. A failure is
 * recorded as the set's last error (status, with its time and command,
 * and the line in a script) and in the log, and handed back as one line
 * for the writer to read from its own ctl handle.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "ctl/commands.h"
#include "ctl/script.h"

#define CTL_MAX_COMMAND 4096 /* one line */

/*
 * Records a failure in status (last_error) and in the log; *reason (if
 * asked) gets it as one line, as a client prints it, or NULL.
 */
static void record_failure(struct namespace *ns, struct last_error *error,
			   char **reason)
{
	char message[CTL_MAX_REASON - 1];
	clock_gettime(CLOCK_REALTIME, &error->time);
	error->set = true;
	last_error_format(error, false, message, sizeof(message));
	if (reason != NULL && asprintf(reason, "%s\n", message) < 0)
		*reason = NULL;
	pthread_mutex_lock(&ns->lock);
	ns_set_last_error_locked(ns, error);
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
			ret = ctl_run_command(ns, line, error->reason,
					      sizeof(error->reason));
	}
	pthread_mutex_unlock(&ns->change_lock);
	return ret;
}

int ctl_run_write(struct namespace *ns, const char *buf, size_t size,
		  char **reason)
{
	struct last_error error = {.command = "ctl"};
	char *text = NULL;
	int ret;
	*reason = NULL;
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
	if (ret)
		record_failure(ns, &error, reason);
	return ret;
}

/*
 * rm of a part, unless the mount opted in with -o unlink=unmap: tar -x,
 * install and rsync unlink a file before they write it, and would unmap
 * the parts they meant to restore. The refusal says how to remove one.
 */
static int refuse_unlink(struct namespace *ns, const char *shown, char *err,
			 size_t errlen)
{
	const char *mountpoint = ns->mountpoint ? ns->mountpoint : "MOUNTPOINT";
	return reason_fail(err, errlen, -EPERM,
			   "refused: remove a part with 'pmemsetfs ctl %s "
			   "unmap %s' (or mount with -o unlink=unmap)",
			   mountpoint, shown);
}

int ctl_remove_part(struct namespace *ns, const char *name)
{
	struct last_error error = {0};
	char shown[sizeof(error.command) - 8];
	setfile_escape(name, strlen(name), 200, shown, sizeof(shown));
	pthread_mutex_lock(&ns->change_lock);
	pthread_mutex_lock(&ns->lock);
	int ret;
	if (!ns->unlink_unmaps && ns_part_by_name_locked(ns, name) != NULL)
		ret = refuse_unlink(ns, shown, error.reason,
				    sizeof(error.reason));
	else
		ret = ctl_unmap_part_locked(ns, name, error.reason,
					    sizeof(error.reason));
	pthread_mutex_unlock(&ns->lock);
	pthread_mutex_unlock(&ns->change_lock);
	if (ret) {
		snprintf(error.command, sizeof(error.command), "rm '%s'",
			 shown);
		record_failure(ns, &error, NULL);
	}
	return ret;
}
