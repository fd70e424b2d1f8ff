/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tree_ops.c -- the shape of the mounted tree: name lookup, attributes,
 * directory listings (a snapshot taken at opendir) and statfs.
 *
 * Names of parts and map files are cached by the kernel for a short time
 * (DYNAMIC_ENTRY_TIMEOUT): every change of the set tells the kernel which
 * names went stale before the change is acknowledged (namespace.c), and
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

#include "ops/handlers.h"
#include "ops/attr.h"

#define ATTR_TIMEOUT 1.0
#define FIXED_ENTRY_TIMEOUT 3600.0
#define DYNAMIC_ENTRY_TIMEOUT 1.0

static void dir_stat(struct namespace *ns, struct stat *st, nlink_t nlink)
{
	st->st_mode = S_IFDIR | 0755;
	st->st_nlink = nlink;
	st->st_uid = ns->uid;
	st->st_gid = ns->gid;
	st->st_mtim = st->st_ctim = st->st_atim = ns->mount_time;
}

static void file_stat(struct namespace *ns, struct stat *st, mode_t mode,
		      size_t size)
{
	st->st_mode = S_IFREG | mode;
	st->st_nlink = 1;
	st->st_uid = ns->uid;
	st->st_gid = ns->gid;
	st->st_size = (off_t)size;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	st->st_blksize = 1 << 20; /* invites 1 MiB requests */
	st->st_mtim = st->st_ctim = st->st_atim = ns->mount_time;
}

static int tree_stat_counting_locked(struct namespace *ns, fuse_ino_t ino,
				     struct stat *st,
				     struct blocks_query *blocks);

int tree_stat_locked(struct namespace *ns, fuse_ino_t ino, struct stat *st)
{
	return tree_stat_counting_locked(ns, ino, st, NULL);
}

/* blocks: where a part asks for its allocation to be counted, or NULL */
static int tree_stat_counting_locked(struct namespace *ns, fuse_ino_t ino,
				     struct stat *st,
				     struct blocks_query *blocks)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	switch (ino) {
	case INO_ROOT:
		dir_stat(ns, st, 3);
		return 0;
	case INO_META_DIR:
		dir_stat(ns, st, 3);
		return 0;
	case INO_MAPS_DIR:
		dir_stat(ns, st, 2);
		return 0;
	case INO_STATUS:
		file_stat(ns, st, 0444, status_size_locked(ns));
		return 0;
	case INO_STATUS_JSON:
		file_stat(ns, st, 0444, status_json_size_locked(ns));
		return 0;
	case INO_CTL:
		/* readable: a failed write's reason is read back (ctl_read) */
		file_stat(ns, st, 0600, 0);
		return 0;
	}
	struct part_node *part = ns_part_by_ino_locked(ns, ino);
	if (part != NULL) {
		file_stat(ns, st, part->mode, part->length);
		part_attr_fill_locked(ns, part, st, blocks);
		return 0;
	}
	struct map_view *map = ns_map_by_ino_locked(ns, ino);
	if (map != NULL) {
		file_stat(ns, st, 0600, map->size);
		map_attr_fill_locked(ns, st);
		return 0;
	}
	return -ENOENT;
}

/* tree_stat_locked, then a part's st_blocks from its source (unlocked) */
static int stat_inode(struct namespace *ns, fuse_ino_t ino, struct stat *st)
{
	struct blocks_query blocks = {0};
	pthread_mutex_lock(&ns->lock);
	int ret = tree_stat_counting_locked(ns, ino, st, &blocks);
	pthread_mutex_unlock(&ns->lock);
	if (ret == 0)
		part_attr_count_blocks(&blocks, st);
	return ret;
}

static double attr_timeout(fuse_ino_t ino)
{
	/*
	 * Directories: without caching, default_permissions asks for each
	 * one on every path walk. Parts and maps: the page cache depends on
	 * it. With libfuse's auto_inval_data every cached read past the
	 * timeout asks for the attributes first, and with the writeback
	 * cache so does every write: at 0 s a warm 4 KiB read cost a round
	 * trip (290 instead of 525k IOPS). Their times stay right without
	 * it: the kernel drops a file's cached times after each write it
	 * sends us, and a map-file write invalidates the parts under it.
	 */
	(void)ino;
	return ATTR_TIMEOUT;
}

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

void tree_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct namespace *ns = req_ns(req);
	struct fuse_entry_param e;
	memset(&e, 0, sizeof(e));
	struct blocks_query blocks = {0};
	pthread_mutex_lock(&ns->lock);
	fuse_ino_t ino = child_locked(ns, parent, name);
	int ret = ino ? tree_stat_counting_locked(ns, ino, &e.attr, &blocks)
		      : -ENOENT;
	pthread_mutex_unlock(&ns->lock);
	if (ret == 0)
		part_attr_count_blocks(&blocks, &e.attr);
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

void tree_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)fi;
	struct namespace *ns = req_ns(req);
	struct stat st;
	int ret = stat_inode(ns, ino, &st);
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_attr(req, &st, attr_timeout(ino));
}

#define SET_TIMES                                                              \
	(FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW | \
	 FUSE_SET_ATTR_MTIME_NOW)

/*
 * With the writeback cache, open(O_TRUNC) comes as setattr(size 0) without
 * a file handle (see fs_init); it changes nothing, as without the cache.
 * (So does truncate(2) to 0 by name there; ftruncate(2) carries a handle.)
 */
static bool open_trunc(struct namespace *ns, const struct stat *attr,
		       const struct fuse_file_info *fi)
{
	return ns->writeback && fi == NULL && attr->st_size == 0;
}

/*
 * Part and map files are fixed-size windows onto memory: truncating to
 * their own size (what O_TRUNC and `truncate -s SAME` ask) changes nothing
 * and is accepted; any other size is EINVAL. Times of a part (`touch`) are
 * set on its source file; times of anything else, owner and mode cannot be
 * changed (EPERM).
 */
void tree_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		  struct fuse_file_info *fi)
{
	(void)fi;
	struct namespace *ns = req_ns(req);
	struct stat st;
	int ret = stat_inode(ns, ino, &st);
	if (ret == 0 && (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID |
				   FUSE_SET_ATTR_GID)))
		ret = -EPERM;
	/* ftruncate sends times too: a truncate that changes nothing keeps them
	 */
	if (ret == 0 && (to_set & SET_TIMES) &&
	    !(to_set & FUSE_SET_ATTR_SIZE)) {
		if (ns->read_only)
			ret = -EROFS;
		else if (ino == INO_CTL && !(to_set & ~SET_TIMES))
			ret = 0; /* `touch ctl`: nothing to do, no harm */
		else
			ret = part_attr_set_times(ns, ino, attr, to_set);
		if (ret == -ENOENT)
			ret = -EPERM; /* not a part: its times are fixed */
		if (ret == 0)
			ret = stat_inode(ns, ino, &st);
	}
	if (ret == 0 && (to_set & FUSE_SET_ATTR_SIZE)) {
		if (ino == INO_CTL)
			ret = 0; /* `echo cmd > ctl` */
		else if (!S_ISREG(st.st_mode) || ino == INO_STATUS ||
			 ino == INO_STATUS_JSON)
			ret = -EPERM;
		else if (attr->st_size != st.st_size &&
			 !open_trunc(ns, attr, fi))
			ret = -EINVAL;
	}
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_attr(req, &st, attr_timeout(ino));
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

void tree_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
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

void tree_statfs(fuse_req_t req, fuse_ino_t ino)
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
