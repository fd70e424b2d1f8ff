/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * set_build.c -- builds the set at start-up (and one part at a time for the
 * ctl `part` command). Each failure is explained with what the daemon knows
 * (the part, its file and sizes) followed by libpmemset's own message, and
 * every source file the build touched can be put back as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "set/set_build.h"
#include "set/source_lock.h"
#include "set/source_prepare.h"

/* libpmemset's code as the errno a ctl write fails with */
static int errno_of(int code)
{
	switch (code) {
	case PMEMSET_E_INVALID_SOURCE_PATH:
		return -ENOENT;
	case PMEMSET_E_CANNOT_FIT_PART_MAP:
	case PMEMSET_E_CANNOT_COALESCE_PARTS:
		return -ENOSPC;
	case PMEMSET_E_CANNOT_CREATE_TEMP_FILE:
		return -EACCES;
	case -ENOMEM:
		return -ENOMEM;
	}
	if (code < 0 && code > -4096)
		return code; /* already -errno */
	return -EINVAL;
}

/*
 * The part of libpmemset's message that adds to what the daemon already
 * said: "open PATH: No such file or directory" after "cannot open PATH" is
 * just the reason, and "cannot map N bytes at source offset M: " restates
 * the part. Empty when nothing is left.
 */
static const char *library_detail(const char *message, const char *path)
{
	const char *after_path = path ? strstr(message, path) : NULL;
	if (after_path != NULL) {
		after_path += strlen(path);
		return after_path + strspn(after_path, ": ");
	}
	const char *restated = "cannot map ";
	const char *colon = strstr(message, ": ");
	if (strncmp(message, restated, strlen(restated)) == 0 && colon)
		return colon + 2;
	return message;
}

static int append_change(struct build_undo *undo,
			 const struct file_change *change)
{
	struct file_change *grown =
		realloc(undo->changes, (undo->nchanges + 1) * sizeof(*grown));
	if (grown == NULL)
		return -ENOMEM;
	undo->changes = grown;
	grown[undo->nchanges] = *change;
	grown[undo->nchanges].path = strdup(change->path);
	if (grown[undo->nchanges].path == NULL)
		return -ENOMEM;
	undo->nchanges++;
	return 0;
}

/* Remembers how path is now, before the build touches it. */
static int record_file(struct build_undo *undo, const char *path)
{
	struct stat st;
	struct file_change change = {.path = (char *)path};
	change.existed = stat(path, &st) == 0;
	change.size = change.existed ? st.st_size : 0;
	return append_change(undo, &change);
}

void build_undo_run(struct build_undo *undo)
{
	for (size_t i = undo->nchanges; i-- > 0;) {
		struct file_change *c = &undo->changes[i];
		struct stat st;
		if (!c->existed)
			unlink(c->path);
		else if (stat(c->path, &st) == 0 && st.st_size != c->size &&
			 truncate(c->path, c->size) != 0)
			fprintf(stderr,
				"pmemsetfs: cannot shrink %s back: %s\n",
				c->path, strerror(errno));
	}
	build_undo_clear(undo);
}

void build_undo_clear(struct build_undo *undo)
{
	for (size_t i = 0; i < undo->nchanges; i++)
		free(undo->changes[i].path);
	free(undo->changes);
	undo->changes = NULL;
	undo->nchanges = 0;
}

static int open_source(const struct part_spec *p, struct pmemset_source **src,
		       char *err, size_t errlen)
{
	int ret;
	if (p->temp_dir != NULL) {
		errno = 0;
		ret = pmemset_source_from_temporary(src, p->temp_dir);
		if (ret == 0)
			return 0;
		int failed_with = errno;
		const char *detail =
			library_detail(pmemset_errormsg(), p->temp_dir);
		/* the errno the message names, not a guess from the code */
		int code = errno_of(ret);
		if (ret == PMEMSET_E_CANNOT_CREATE_TEMP_FILE && failed_with &&
		    strstr(detail, strerror(failed_with)) != NULL)
			code = -failed_with;
		char reason[SETFILE_ERR_MAX];
		snprintf(reason, sizeof(reason),
			 "part %s: cannot create a temporary file in %s",
			 p->name, p->temp_dir);
		return reason_fail_with_detail(err, errlen, code, reason,
					       detail);
	}
	unsigned flags = 0;
	if (p->create)
		flags |= PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED;
	if (p->truncate)
		flags |= PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED;
	struct stat st;
	/* st is read only when stat worked (EACCES left it unset) */
	bool found = stat(p->path, &st) == 0;
	bool missing = !found && errno == ENOENT;
	if (found && S_ISDIR(st.st_mode))
		return reason_fail(err, errlen, -EISDIR,
				   "part %s: %s is a directory", p->name,
				   p->path);
	const char *hint = "";
	if (missing && !p->create)
		hint = " (missing? add 'create')";
	else if (found && S_ISCHR(st.st_mode))
		hint = " (not a device-DAX device?)";
	else if (found && !S_ISREG(st.st_mode))
		hint = " (not a regular file)";
	ret = pmemset_xsource_from_file(src, p->path, flags);
	if (ret == 0)
		return 0;
	char reason[SETFILE_ERR_MAX];
	snprintf(reason, sizeof(reason), "part %s: cannot open %s%s", p->name,
		 p->path, hint);
	return reason_fail_with_detail(
		err, errlen, errno_of(ret), reason,
		library_detail(pmemset_errormsg(), p->path));
}

/* The part's length: as given, or the rest of its file. */
static int resolve_length(const struct part_spec *p, size_t *length,
			  off_t *file_size, char *err, size_t errlen)
{
	struct stat st;
	*file_size = 0;
	if (p->temp_dir != NULL) {
		*length = p->length;
		return 0;
	}
	if (stat(p->path, &st) != 0)
		return reason_fail(err, errlen, -errno,
				   "part %s: cannot stat %s: %s", p->name,
				   p->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return reason_fail(err, errlen, -EINVAL,
				   "part %s: %s is not a regular file", p->name,
				   p->path);
	*file_size = st.st_size;
	if (p->has_length) {
		*length = p->length;
		return 0;
	}
	if ((size_t)st.st_size <= p->offset)
		return reason_fail(
			err, errlen, -EINVAL,
			"part %s: no length given and offset %zu is at "
			"or past the end of %s (size %lld)",
			p->name, p->offset, p->path, (long long)st.st_size);
	*length = (size_t)st.st_size - p->offset;
	return 0;
}

/*
 * Why pmemset_part_map refused, in the user's terms. *complete: the reason
 * says it all, libpmemset's message would only repeat it.
 */
static const char *map_failure_reason(const struct part_spec *p, int code,
				      size_t length, off_t file_size,
				      const struct set_settings *settings,
				      char *buf, size_t buflen, bool *complete)
{
	*complete = true;
	size_t reservation = settings->reservation;
	enum pmem2_granularity g = settings->granularity;
	long page = sysconf(_SC_PAGESIZE);
	if (p->temp_dir == NULL && !p->truncate &&
	    p->offset + length > (size_t)file_size) {
		snprintf(buf, buflen,
			 "offset+length %zu is past the end of %s (size %lld; "
			 "add 'truncate' to grow it)",
			 p->offset + length, p->path, (long long)file_size);
		return buf;
	}
	switch (code) {
	case PMEMSET_E_LENGTH_UNALIGNED:
		snprintf(buf, buflen, "length %zu is not a multiple of %ld",
			 length, page);
		return buf;
	case PMEMSET_E_CANNOT_COALESCE_PARTS:
	case PMEMSET_E_CANNOT_FIT_PART_MAP:
		/* a set with a reservation has only that room, whatever
		 * the coalescing mode: only a larger one helps */
		if (reservation != 0) {
			snprintf(buf, buflen,
				 "reservation too small: the reservation of "
				 "%zu bytes has no room left for %zu more "
				 "bytes%s "
				 "(a larger 'reservation SIZE' or "
				 "-o reservation=SIZE)",
				 reservation, length,
				 code == PMEMSET_E_CANNOT_COALESCE_PARTS
					 ? " right after the previous part map "
					   "(coalescing full)"
					 : "");
			return buf;
		}
		if (code == PMEMSET_E_CANNOT_COALESCE_PARTS)
			return "coalescing refused: the address range after "
			       "the previous part map is taken (a "
			       "'reservation SIZE' line or -o "
			       "reservation=SIZE gives the set room)";
		snprintf(buf, buflen, "no room left for %zu bytes", length);
		return buf;
	case PMEMSET_E_GRANULARITY_MISMATCH:
		return "store granularity differs from the other parts'";
	}
	*complete = false;
	if (code == PMEMSET_E_CANNOT_TRUNCATE_SOURCE_FILE)
		return "cannot grow the source file";
	*complete = true;
	if (p->offset % (size_t)page != 0) {
		snprintf(buf, buflen, "offset %zu is not a multiple of %ld",
			 p->offset, page);
		return buf;
	}
	if (length % (size_t)page != 0) {
		snprintf(buf, buflen, "length %zu is not a multiple of %ld",
			 length, page);
		return buf;
	}
	*complete = false;
	if (code == PMEMSET_E_INVALID_PMEM2_MAP &&
	    g != PMEM2_GRANULARITY_PAGE) {
		/* libpmemset's message says why (no DAX, no MAP_SYNC) */
		snprintf(buf, buflen, "granularity %s",
			 setfile_granularity_name(g));
		return buf;
	}
	return "cannot map";
}

static int new_node(const struct part_spec *p, size_t length, char *addr,
		    struct part_node **out)
{
	struct part_node *node = calloc(1, sizeof(*node));
	if (node == NULL)
		return -ENOMEM;
	node->name = strdup(p->name);
	node->temporary = p->temp_dir != NULL;
	if (node->temporary) {
		if (asprintf(&node->source, "temporary:%s", p->temp_dir) < 0)
			node->source = NULL;
	} else {
		node->source = strdup(p->path);
	}
	node->offset = p->offset;
	node->length = length;
	node->addr = addr;
	struct stat st;
	if (!node->temporary && stat(p->path, &st) == 0) {
		node->mode = st.st_mode & 07777;
		node->uid = st.st_uid;
		node->gid = st.st_gid;
		node->atime = st.st_atim;
		node->mtime = st.st_mtim;
		node->ctime = st.st_ctim;
		node->source_dev = st.st_dev;
		node->source_ino = st.st_ino;
	} else {
		node->mode = 0600;
		node->uid = getuid();
		node->gid = getgid();
		clock_gettime(CLOCK_REALTIME, &node->mtime);
		node->atime = node->ctime = node->mtime;
	}
	if (node->name == NULL || node->source == NULL) {
		part_node_free(node);
		return -ENOMEM;
	}
	*out = node;
	return 0;
}

/*
 * refresh: re-read the part maps now (a ctl part); set_build reads them
 * once at the end instead, since each read walks every map.
 */
static int map_part(struct namespace *ns, const struct part_spec *p,
		    struct pmemset_source *src, size_t length, off_t file_size,
		    struct source_lock *lock, bool refresh, char *err,
		    size_t errlen)
{
	struct pmemset_part *part = NULL;
	int ret = pmemset_part_new(&part, ns->set, src, p->offset, length);
	if (ret)
		return reason_fail(err, errlen, errno_of(ret),
				   "part %s: cannot create the part: %s",
				   p->name, pmemset_errormsg());
	struct pmemset_part_descriptor desc;
	ret = pmemset_part_map(&part, NULL, &desc);
	if (ret) {
		char why[256], reason[SETFILE_ERR_MAX];
		bool complete;
		snprintf(reason, sizeof(reason), "part %s: %s", p->name,
			 map_failure_reason(p, ret, length, file_size,
					    &ns->settings, why, sizeof(why),
					    &complete));
		reason_fail_with_detail(
			err, errlen, errno_of(ret), reason,
			complete ? ""
				 : library_detail(pmemset_errormsg(), NULL));
		pmemset_part_delete(&part);
		return errno_of(ret);
	}
	/* a coalesced part is appended at the end of the part map */
	char *addr = (char *)desc.addr + desc.size - length;
	struct part_node *node = NULL;
	ret = new_node(p, length, addr, &node); /* stat()s: not under lock */
	pthread_mutex_lock(&ns->lock);
	if (ret == 0)
		ret = ns_add_part_locked(ns, node);
	if (ret == 0 && refresh)
		ret = ns_refresh_maps_locked(ns);
	if (ret) {
		if (node != NULL)
			ns_forget_part_locked(ns, node);
		pmemset_remove_range(ns->set, addr, length);
		ns_refresh_maps_locked(ns);
	} else {
		node->lock = lock; /* the node holds it from now on */
	}
	pthread_mutex_unlock(&ns->lock);
	if (ret)
		return reason_fail(err, errlen, ret, "part %s: out of memory",
				   p->name);
	return 0;
}

static int build_part(struct namespace *ns, const struct part_spec *p,
		      struct build_undo *undo, bool refresh, char *err,
		      size_t errlen)
{
	pthread_mutex_lock(&ns->lock);
	bool taken = ns_part_by_name_locked(ns, p->name) != NULL;
	pthread_mutex_unlock(&ns->lock);
	if (taken)
		return reason_fail(err, errlen, -EEXIST,
				   "part %s: duplicate name", p->name);
	struct build_undo mine = {0};
	if (p->path != NULL && record_file(&mine, p->path) != 0)
		return reason_fail(err, errlen, -ENOMEM, "out of memory");

	struct pmemset_source *src = NULL;
	struct source_lock *lock = NULL;
	struct read_only_source ro = {.fd = -1};
	size_t length = 0;
	off_t file_size = 0;
	bool read_only = ns->read_only && p->path != NULL;
	/* locked before anything can grow the file */
	int ret = read_only ? read_only_source_open(p, &ro, err, errlen)
			    : open_source(p, &src, err, errlen);
	src = read_only ? ro.source : src;
	if (ret == 0)
		ret = source_prepare_lock(ns, p, &lock, err, errlen);
	if (ret == 0)
		ret = resolve_length(p, &length, &file_size, err, errlen);
	if (ret == 0)
		ret = source_prepare_allocate(p, length, err, errlen);
	if (ret == 0)
		ret = map_part(ns, p, src, length, file_size, lock, refresh,
			       err, errlen);
	/* the mapping does not need it */
	if (read_only)
		read_only_source_close(&ro);
	else
		pmemset_source_delete(&src);
	if (ret) {
		source_lock_put(ns->source_locks, lock);
		build_undo_run(&mine);
		return ret;
	}
	for (size_t i = 0; undo != NULL && i < mine.nchanges; i++) {
		ret = append_change(undo, &mine.changes[i]);
		if (ret) {
			build_undo_clear(&mine);
			return reason_fail(err, errlen, ret, "out of memory");
		}
	}
	build_undo_clear(&mine);
	return 0;
}

int set_build_part(struct namespace *ns, const struct part_spec *p,
		   struct build_undo *undo, char *err, size_t errlen)
{
	return build_part(ns, p, undo, true, err, errlen);
}

static int new_set(struct namespace *ns, char *err, size_t errlen)
{
	const struct set_settings *s = &ns->settings;
	ns->source_locks = source_locks_new(ns->read_only);
	if (ns->source_locks == NULL)
		return reason_fail(err, errlen, -ENOMEM, "out of memory");
	struct pmemset_config *cfg = NULL;
	int ret = pmemset_config_new(&cfg);
	if (ret)
		return reason_fail(err, errlen, ret,
				   "cannot create the config: %s",
				   pmemset_errormsg());
	ret = pmemset_config_set_required_store_granularity(cfg,
							    s->granularity);
	if (ret) {
		reason_fail(err, errlen, ret, "granularity %s: %s",
			    setfile_granularity_name(s->granularity),
			    pmemset_errormsg());
		goto err_delete_config;
	}
	if (s->reservation != 0) {
		ret = pmem2_vm_reservation_new(&ns->reservation, NULL,
					       s->reservation);
		if (ret) {
			reason_fail(err, errlen, ret,
				    "reservation %zu: cannot reserve it: %s",
				    s->reservation, pmem2_errormsg());
			goto err_delete_config;
		}
		pmemset_config_set_reservation(cfg, ns->reservation);
	}
	ret = pmemset_new(&ns->set, cfg);
	if (ret) {
		reason_fail(err, errlen, ret, "cannot create the set: %s",
			    pmemset_errormsg());
		goto err_delete_config;
	}
	ret = pmemset_set_contiguous_part_coalescing(ns->set, s->coalescing);
	if (ret)
		reason_fail(err, errlen, ret, "coalescing %s: %s",
			    setfile_coalescing_name(s->coalescing),
			    pmemset_errormsg());

err_delete_config:
	pmemset_config_delete(&cfg);
	return ret;
}

int set_build(struct namespace *ns, const struct set_spec *spec,
	      struct build_undo *undo, char *err, size_t errlen)
{
	int ret = new_set(ns, err, errlen);
	if (ret)
		return ret;
	ns->setfile_dev = spec->file_dev;
	ns->setfile_ino = spec->file_ino;
	char reason[SETFILE_ERR_MAX];
	size_t i;
	for (i = 0; i < spec->nparts; i++) {
		ret = build_part(ns, &spec->parts[i], undo, false, reason,
				 sizeof(reason));
		if (ret)
			break;
	}
	pthread_mutex_lock(&ns->lock);
	int refreshed = ns_refresh_maps_locked(ns);
	pthread_mutex_unlock(&ns->lock);
	if (ret)
		return reason_fail(err, errlen, ret, "%u: %s",
				   spec->parts[i].line, reason);
	if (refreshed)
		return reason_fail(err, errlen, refreshed, "out of memory");
	return 0;
}
