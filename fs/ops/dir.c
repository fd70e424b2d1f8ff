/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dir.c -- the shape of the mounted tree: name lookup, directory listings
 * (a snapshot taken at opendir) and statfs.
 *
 * Names of parts and map files are cached by the kernel for a short time
 * (DYNAMIC_ENTRY_TIMEOUT): every change of the set tells the kernel which
 * names went stale before the change is acknowledged (tree/namespace.c), and
 * without the cache `ls -l` of 10,000 parts cost four lookups per part.
 * With -s they are not cached: invalidating an entry can wait for a
 * lookup only our one thread would serve. The fixed entries (.pmemset,
 * maps, status, ctl) and the directories' attributes never change and are
 * cached longer; a part's or map's attributes are not (their times move).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "ops/attr.h"
#include "ops/handlers.h"

#define FIXED_ENTRY_TIMEOUT 3600.0
#define DYNAMIC_ENTRY_TIMEOUT 1.0

/* The inode that name denotes in directory parent, or 0. */
static fuse_ino_t child_locked(struct namespace *ns, fuse_ino_t parent,
			       const char *name)
{
	switch (parent) {
	case INO_ROOT: {
		if (strcmp(name, META_DIR_NAME) == 0)
			return INO_META_DIR;
		struct part_node *part = ns_part_by_name_locked(ns, name);
		return part ? part->ino : 0;
	}
	case INO_META_DIR:
		if (strcmp(name, "maps") == 0)
			return INO_MAPS_DIR;
		if (strcmp(name, "status") == 0)
			return INO_STATUS;
		if (strcmp(name, "status.json") == 0)
			return INO_STATUS_JSON;
		if (strcmp(name, "ctl") == 0)
			return INO_CTL;
		return 0;
	case INO_MAPS_DIR: {
		char *end;
		unsigned long index = strtoul(name, &end, 10);
		bool canonical = *name >= '0' && *name <= '9' && *end == '\0' &&
				 (name[0] != '0' || name[1] == '\0');
		if (!canonical || index >= ns->nmaps)
			return 0;
		return ns->maps[index]->ino;
	}
	}
	return 0;
}

void dir_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct namespace *ns = req_ns(req);
	struct fuse_entry_param e;
	memset(&e, 0, sizeof(e));
	struct blocks_query blocks = {0};
	pthread_mutex_lock(&ns->lock);
	fuse_ino_t ino = child_locked(ns, parent, name);
	int ret = ino ? attr_stat_locked(ns, ino, &e.attr, &blocks) : -ENOENT;
	pthread_mutex_unlock(&ns->lock);
	if (ret == 0)
		attr_count_blocks(&blocks, &e.attr);
	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	e.ino = ino;
	e.generation = 1;
	e.attr_timeout = attr_timeout(ino);
	if (ino < INO_FIRST_DYNAMIC)
		e.entry_timeout = FIXED_ENTRY_TIMEOUT;
	else if (ns->cache_entries)
		e.entry_timeout = DYNAMIC_ENTRY_TIMEOUT;
	fuse_reply_entry(req, &e);
}

static int add_entry(fuse_req_t req, FILE *out, const char *name,
		     fuse_ino_t ino, mode_t type)
{
	struct stat st = {.st_ino = ino, .st_mode = type};
	char entry[512];
	long pos = ftell(out);
	/* the entry's offset is where the next one starts */
	size_t len = fuse_add_direntry(req, NULL, 0, name, NULL, 0);
	if (len > sizeof(entry))
		return -ENAMETOOLONG;
	fuse_add_direntry(req, entry, len, name, &st, pos + (long)len);
	return fwrite(entry, 1, len, out) == len ? 0 : -ENOMEM;
}

static void list_dir_locked(fuse_req_t req, struct namespace *ns,
			    fuse_ino_t ino, FILE *out)
{
	add_entry(req, out, ".", ino, S_IFDIR);
	add_entry(req, out, "..", ino == INO_ROOT ? INO_ROOT : ino - 1,
		  S_IFDIR);
	switch (ino) {
	case INO_ROOT:
		add_entry(req, out, META_DIR_NAME, INO_META_DIR, S_IFDIR);
		for (size_t i = 0; i < ns->nparts; i++)
			add_entry(req, out, ns->parts[i]->name,
				  ns->parts[i]->ino, S_IFREG);
		break;
	case INO_META_DIR:
		add_entry(req, out, "maps", INO_MAPS_DIR, S_IFDIR);
		add_entry(req, out, "status", INO_STATUS, S_IFREG);
		add_entry(req, out, "status.json", INO_STATUS_JSON, S_IFREG);
		add_entry(req, out, "ctl", INO_CTL, S_IFREG);
		break;
	case INO_MAPS_DIR:
		for (size_t i = 0; i < ns->nmaps; i++) {
			char name[32];
			snprintf(name, sizeof(name), "%zu", i);
			add_entry(req, out, name, ns->maps[i]->ino, S_IFREG);
		}
		break;
	}
}

void dir_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct namespace *ns = req_ns(req);
	if (ino != INO_ROOT && ino != INO_META_DIR && ino != INO_MAPS_DIR) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	struct handle *h = handle_new(HANDLE_TEXT);
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	FILE *out = open_memstream(&h->text, &h->text_len);
	if (out == NULL) {
		handle_put(ns, h);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&ns->lock);
	list_dir_locked(req, ns, ino, out);
	pthread_mutex_unlock(&ns->lock);
	fclose(out);
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		handle_put(ns, h);
}

void dir_statfs(fuse_req_t req, fuse_ino_t ino)
{
	(void)ino;
	struct namespace *ns = req_ns(req);
	struct statvfs sv;
	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = 4096;
	sv.f_frsize = 4096;
	sv.f_blocks = ns_total_size(ns) / 4096;
	sv.f_bfree = 0; /* parts have fixed sizes: nothing is free */
	sv.f_bavail = 0;
	pthread_mutex_lock(&ns->lock);
	sv.f_files = ns->nparts + ns->nmaps + 5;
	pthread_mutex_unlock(&ns->lock);
	sv.f_ffree = 0;
	sv.f_favail = 0;
	sv.f_namemax = 255;
	fuse_reply_statfs(req, &sv);
}
