/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xattr.c -- user.pmemset.* attributes of a part file, so `getfattr -d`
 * tells where a part comes from and where it is mapped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ops/handlers.h"

#define XATTR_PREFIX "user.pmemset."

static const char *const xattr_names[] = {
	"source", "offset", "length", "address", "map", "granularity",
};

#define NXATTRS (sizeof(xattr_names) / sizeof(xattr_names[0]))

/* Formats attribute key of part into buf; -ENODATA if there is none. */
static int format_locked(struct namespace *ns, const struct part_node *p,
			 const char *key, char *buf, size_t buflen)
{
	enum pmem2_granularity g;
	if (strcmp(key, "source") == 0)
		return snprintf(buf, buflen, "%s", p->source);
	if (strcmp(key, "offset") == 0)
		return snprintf(buf, buflen, "%zu", p->offset);
	if (strcmp(key, "length") == 0)
		return snprintf(buf, buflen, "%zu", p->length);
	if (strcmp(key, "address") == 0)
		return snprintf(buf, buflen, "%p", (void *)p->addr);
	if (strcmp(key, "map") == 0)
		return snprintf(buf, buflen, "%ld",
				ns_map_index_locked(ns, p->addr));
	if (strcmp(key, "granularity") == 0) {
		if (pmemset_get_store_granularity(ns->set, &g) != 0)
			return -ENODATA;
		return snprintf(buf, buflen, "%s", setfile_granularity_name(g));
	}
	return -ENODATA;
}

/* Replies with value as getxattr/listxattr want: size probe or bytes. */
static void reply_value(fuse_req_t req, const char *value, size_t len,
			size_t size)
{
	if (size == 0)
		fuse_reply_xattr(req, len);
	else if (size < len)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, value, len);
}

void xattr_get(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct namespace *ns = req_ns(req);
	char value[4200];
	int len = -ENODATA;
	pthread_mutex_lock(&ns->lock);
	struct part_node *p = ns_part_by_ino_locked(ns, ino);
	if (p != NULL && strncmp(name, XATTR_PREFIX, strlen(XATTR_PREFIX)) == 0)
		len = format_locked(ns, p, name + strlen(XATTR_PREFIX), value,
				    sizeof(value));
	pthread_mutex_unlock(&ns->lock);
	if (len < 0)
		fuse_reply_err(req, -len);
	else
		reply_value(req, value, (size_t)len, size);
}

void xattr_list(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct namespace *ns = req_ns(req);
	char list[512];
	size_t len = 0;
	pthread_mutex_lock(&ns->lock);
	bool is_part = ns_part_by_ino_locked(ns, ino) != NULL;
	pthread_mutex_unlock(&ns->lock);
	for (size_t i = 0; is_part && i < NXATTRS; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					XATTR_PREFIX, xattr_names[i]) +
		       1; /* keep the NUL: the list is NUL-separated */
	reply_value(req, list, len, size);
}
