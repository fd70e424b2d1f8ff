/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * commands.c -- changing the set while it is mounted: one command line
 * as written to .pmemset/ctl (script.c splits a write into them), and the
 * unmap behind rm of a part file. Words are split and quoted as in the set
 * file (setfile_split_words). No FUSE types: the ops/ layer hands the
 * text in, and unit tests run commands on a set that is not mounted.
 *   part NAME PATH [offset=] [length=] [create] [truncate]
 *   part NAME temporary=DIR length=SIZE
 *   unmap NAME
 *   remove-range MAP OFFSET LENGTH
 *   coalescing none|opportunistic|full
 * A failing command changes nothing, fails the write with an errno
 * (EINVAL syntax, ENOENT missing source or name, EEXIST duplicate name,
 * ENOSPC no room in the reservation, EBUSY part in use) and leaves its
 * reason in .pmemset/status (last_error, with its time and command), in
 * the log, and on the open ctl file it was written to (ops/control_files.c).
 * An unmap waits a little for open handles to close (set_teardown.c).
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "base/mountinfo.h"
#include "ctl/commands.h"
#include "set/set_build.h"

int ctl_unmap_part_locked(struct namespace *ns, const char *name, char *err,
			  size_t errlen)
{
	struct part_node *p = ns_part_by_name_locked(ns, name);
	if (p == NULL)
		return reason_fail(err, errlen, -ENOENT, "no part named '%s'",
				   name);
	return set_unmap_range_locked(ns, p->addr, p->length, err, errlen);
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
static int cmd_part(struct namespace *ns, char **words, int n, char *err,
		    size_t errlen)
{
	struct part_spec spec;
	/* relative paths: pmemsetfs ctl resolves them in the caller's dir */
	if (setfile_parse_part_words(words + 1, n - 1, NULL, &spec, err,
				     errlen) != 0)
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
	return ctl_unmap_part_locked(ns, words[1], err, errlen);
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
	return set_unmap_range_locked(ns, m->addr + off, len, err, errlen);
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
static int run_table_command(struct namespace *ns, char **words, int n,
			     char *err, size_t errlen)
{
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

int ctl_run_command(struct namespace *ns, char *line, char *err, size_t errlen)
{
	/* the set file's word syntax: quotes let a path hold blanks or '#' */
	char *words[SETFILE_MAX_WORDS];
	int n = setfile_split_words(line, words, SETFILE_MAX_WORDS, err,
				    errlen);
	if (n < 0)
		return -EINVAL;
	if (n == 0)
		return reason_fail(err, errlen, -EINVAL, "empty command");
	if (strcmp(words[0], "part") == 0)
		return cmd_part(ns, words, n, err, errlen);
	return run_table_command(ns, words, n, err, errlen);
}
