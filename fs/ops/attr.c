/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * attr.c -- attributes of everything in the tree (getattr, setattr) and
 * the user.pmemset.* xattrs of part files. The fixed entries have fixed
 * attributes (but for the root directory's times, which a restore from a
 * backup sets); part files carry those that tools rely on:
 *  - times: the source's at mount; a write through the mount moves mtime
 *    and ctime to the write's time (make, rsync and backups see changes);
 *    utimens (`touch`) sets the source file's own times;
 *  - st_blocks: the bytes the source has allocated over the part's range
 *    (base/allocated_bytes.c), so `du` of a sparse source is honest; map files
 *    repeat the parts' bytes and count none, so `du` of the mount counts
 *    every byte once;
 *  - owner and mode: the source's, or what -o uid=, gid=, umask= say.
 */
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/allocated_bytes.h"
#include "ops/attr.h"
#include "ops/handlers.h"

#define ATTR_TIMEOUT 1.0

static long long timespec_ns(struct timespec t)
{
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct timespec ns_timespec(long long ns)
{
	struct timespec t = {.tv_sec = ns / 1000000000LL,
			     .tv_nsec = ns % 1000000000LL};
	return t;
}

static struct timespec later(struct timespec t, long long written_ns)
{
	return written_ns > timespec_ns(t) ? ns_timespec(written_ns) : t;
}

static void apply_ownership(const struct ownership *own, struct stat *st)
{
	if (own->has_uid)
		st->st_uid = own->uid;
	if (own->has_gid)
		st->st_gid = own->gid;
}

static void part_fill_locked(struct namespace *ns, const struct part_node *p,
			     struct stat *st, struct blocks_query *q)
{
	const struct ownership *own = &ns->ownership;
	st->st_mode = S_IFREG | (own->has_umask ? 0666 & ~own->umask : p->mode);
	st->st_uid = p->uid;
	st->st_gid = p->gid;
	apply_ownership(own, st);
	long long written = atomic_load(&p->written_ns);
	st->st_atim = p->atime;
	st->st_mtim = later(p->mtime, written);
	st->st_ctim = later(p->ctime, written);
	if (q == NULL)
		return;
	/* counted after the lock is dropped; until then, the full length */
	q->wanted = true;
	q->offset = p->offset;
	q->length = p->length;
	q->dev = p->source_dev;
	q->ino = p->source_ino;
	if (p->temporary) /* no path: the file behind our own mapping */
		snprintf(q->path, sizeof(q->path),
			 "/proc/self/map_files/%lx-%lx", (unsigned long)p->addr,
			 (unsigned long)(p->addr + p->length));
	else if (snprintf(q->path, sizeof(q->path), "%s", p->source) >=
		 (int)sizeof(q->path))
		q->wanted = false;
}

static void map_fill_locked(struct namespace *ns, struct stat *st)
{
	apply_ownership(&ns->ownership, st);
	st->st_blocks = 0; /* its bytes are the parts' and counted there */
}

/* Is st the file the part was mapped from (dev 0: not known, any file)? */
static bool same_file(const struct stat *st, dev_t dev, ino_t ino)
{
	return S_ISREG(st->st_mode) &&
	       (dev == 0 || (st->st_dev == dev && st->st_ino == ino));
}

/*
 * Opens path read-only if it still is the part's source. Checked with stat
 * before the open too: the daemon must never open whatever else (a device)
 * someone may have put under that name since the mount.
 */
static int open_source(const char *path, dev_t dev, ino_t ino)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -errno;
	if (!same_file(&st, dev, ino))
		return -ESTALE;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0 || !same_file(&st, dev, ino)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

void attr_count_blocks(const struct blocks_query *q, struct stat *st)
{
	if (!q->wanted)
		return;
	/* a source replaced since the mount says nothing about the part */
	int fd = open_source(q->path, q->dev, q->ino);
	if (fd < 0) /* map_files needs CAP_SYS_ADMIN: keep the full length */
		return;
	long long bytes = allocated_bytes(fd, (off_t)q->offset,
					  (off_t)(q->offset + q->length));
	close(fd);
	if (bytes >= 0)
		st->st_blocks = (blkcnt_t)((bytes + 511) / 512);
}

static long long now_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return timespec_ns(now);
}

void part_attr_note_write(struct part_node *p)
{
	atomic_store(&p->written_ns, now_ns());
}

void part_attr_note_map_write(struct namespace *ns, const char *addr,
			      size_t len)
{
	long long now = now_ns();
	pthread_mutex_lock(&ns->lock);
	for (size_t i = 0; i < ns->nparts; i++) {
		struct part_node *p = ns->parts[i];
		if (p->addr < addr + len && addr < p->addr + p->length)
			atomic_store(&p->written_ns, now);
	}
	pthread_mutex_unlock(&ns->lock);
}

/* The times utimensat wants from a setattr's flags. */
static void requested_times(const struct stat *attr, int to_set,
			    struct timespec times[2])
{
	times[0].tv_nsec = times[1].tv_nsec = UTIME_OMIT;
	if (to_set & FUSE_SET_ATTR_ATIME_NOW)
		times[0].tv_nsec = UTIME_NOW;
	else if (to_set & FUSE_SET_ATTR_ATIME)
		times[0] = attr->st_atim;
	if (to_set & FUSE_SET_ATTR_MTIME_NOW)
		times[1].tv_nsec = UTIME_NOW;
	else if (to_set & FUSE_SET_ATTR_MTIME)
		times[1] = attr->st_mtim;
}

/* Sets the source's times; fills st with what the file then says. */
static int set_source_times(const char *path, dev_t dev, ino_t ino,
			    const struct timespec times[2], struct stat *st)
{
	int fd = open_source(path, dev, ino); /* ESTALE: another file now */
	if (fd < 0)
		return fd;
	int ret = 0;
	if (futimens(fd, times) != 0 || fstat(fd, st) != 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The root directory keeps its times in the daemon until unmount: `tar -x`
 * and `cp -a` of a backup of the mount restore the directory's times too,
 * and would fail on an EPERM.
 */
static void set_root_times(struct namespace *ns, const struct timespec times[2])
{
	struct timespec now = ns_timespec(now_ns());
	pthread_mutex_lock(&ns->lock);
	if (times[0].tv_nsec != UTIME_OMIT)
		ns->root_atime = times[0].tv_nsec == UTIME_NOW ? now : times[0];
	if (times[1].tv_nsec != UTIME_OMIT)
		ns->root_mtime = times[1].tv_nsec == UTIME_NOW ? now : times[1];
	ns->root_ctime = now;
	pthread_mutex_unlock(&ns->lock);
}

static int set_times(struct namespace *ns, fuse_ino_t ino,
		     const struct stat *attr, int to_set)
{
	struct timespec times[2];
	requested_times(attr, to_set, times);
	if (ino == INO_ROOT) {
		set_root_times(ns, times);
		return 0;
	}
	char path[PATH_MAX];
	dev_t dev = 0;
	ino_t source_ino = 0;
	bool temporary = true;
	pthread_mutex_lock(&ns->lock);
	struct part_node *p = ns_part_by_ino_locked(ns, ino);
	if (p != NULL && !p->temporary) {
		temporary = false;
		snprintf(path, sizeof(path), "%s", p->source);
		dev = p->source_dev;
		source_ino = p->source_ino;
	}
	pthread_mutex_unlock(&ns->lock);
	if (p == NULL)
		return -ENOENT;

	struct stat st;
	if (temporary) { /* an unnamed file: the node's times are the file's */
		struct timespec now = ns_timespec(now_ns());
		st.st_atim = times[0].tv_nsec == UTIME_NOW ? now : times[0];
		st.st_mtim = times[1].tv_nsec == UTIME_NOW ? now : times[1];
		st.st_ctim = now;
	} else {
		int ret = set_source_times(path, dev, source_ino, times, &st);
		if (ret)
			return ret;
	}
	pthread_mutex_lock(&ns->lock);
	p = ns_part_by_ino_locked(ns, ino); /* may be gone meanwhile */
	if (p != NULL) {
		if (times[0].tv_nsec != UTIME_OMIT)
			p->atime = st.st_atim;
		/* an explicit mtime wins over the last write's time */
		long long written = atomic_exchange(&p->written_ns, 0);
		if (times[1].tv_nsec != UTIME_OMIT)
			p->mtime = st.st_mtim;
		else
			p->mtime = later(p->mtime, written);
		p->ctime = st.st_ctim;
	}
	pthread_mutex_unlock(&ns->lock);
	return 0;
}

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

int attr_stat_locked(struct namespace *ns, fuse_ino_t ino, struct stat *st,
		     struct blocks_query *blocks)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	switch (ino) {
	case INO_ROOT:
		dir_stat(ns, st, 3);
		st->st_atim = ns->root_atime;
		st->st_mtim = ns->root_mtime;
		st->st_ctim = ns->root_ctime;
		return 0;
	case INO_META_DIR:
		dir_stat(ns, st, 3);
		return 0;
	case INO_MAPS_DIR:
		dir_stat(ns, st, 2);
		return 0;
	case INO_STATUS:
		file_stat(ns, st, 0444, status_file_size_locked(ns, ino));
		return 0;
	case INO_STATUS_JSON:
		file_stat(ns, st, 0444, status_file_size_locked(ns, ino));
		return 0;
	case INO_CTL:
		/* readable: a failed write's reason is read back
		 * (ctl_file_read) */
		file_stat(ns, st, 0600, 0);
		return 0;
	}
	struct part_node *part = ns_part_by_ino_locked(ns, ino);
	if (part != NULL) {
		file_stat(ns, st, part->mode, part->length);
		part_fill_locked(ns, part, st, blocks);
		return 0;
	}
	struct map_view *map = ns_map_by_ino_locked(ns, ino);
	if (map != NULL) {
		file_stat(ns, st, 0600, map->size);
		map_fill_locked(ns, st);
		return 0;
	}
	return -ENOENT;
}

/* attr_stat_locked, then a part's st_blocks from its source (unlocked) */
static int stat_inode(struct namespace *ns, fuse_ino_t ino, struct stat *st)
{
	struct blocks_query blocks = {0};
	pthread_mutex_lock(&ns->lock);
	int ret = attr_stat_locked(ns, ino, st, &blocks);
	pthread_mutex_unlock(&ns->lock);
	if (ret == 0)
		attr_count_blocks(&blocks, st);
	return ret;
}

double attr_timeout(fuse_ino_t ino)
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

void attr_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
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
 * Owner and mode come from the sources or from -o uid=, gid=, umask=; a
 * chmod or chown to what an entry already shows changes nothing and is
 * accepted, so `cp -a` and `tar` as root restore a backup cleanly.
 */
static bool changes_owner_or_mode(const struct stat *attr, int to_set,
				  const struct stat *st)
{
	return ((to_set & FUSE_SET_ATTR_MODE) &&
		(attr->st_mode & 07777) != (st->st_mode & 07777)) ||
	       ((to_set & FUSE_SET_ATTR_UID) && attr->st_uid != st->st_uid) ||
	       ((to_set & FUSE_SET_ATTR_GID) && attr->st_gid != st->st_gid);
}

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
 * set on its source file, the root directory's kept in the daemon; times of
 * anything else, owner and mode cannot be changed (EPERM) except to what
 * they already are.
 */
void attr_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		  struct fuse_file_info *fi)
{
	(void)fi;
	struct namespace *ns = req_ns(req);
	struct stat st;
	int ret = stat_inode(ns, ino, &st);
	if (ret == 0 && changes_owner_or_mode(attr, to_set, &st))
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
			ret = set_times(ns, ino, attr, to_set);
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

/*
 * xattrs: user.pmemset.* attributes of a part file, read by name
 * (`getfattr -n user.pmemset.source`), so a part tells where it comes from
 * and where it is mapped. They are not listed: they describe this mount
 * (the address is this daemon's), and `cp -a`, `rsync -X` and `getfattr
 * -d` copy what listxattr names onto backup copies, where they would be
 * false. No setxattr: the kernel answers EOPNOTSUPP.
 */
#define XATTR_PREFIX "user.pmemset."

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
	(void)ino;
	reply_value(req, "", 0, size); /* nothing listed: see above */
}
