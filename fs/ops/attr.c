/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part_attr.c -- part file attributes that tools rely on:
 *  - times: the source's at mount; a write through the mount moves mtime
 *    and ctime to the write's time (make, rsync and backups see changes);
 *    utimens (`touch`) sets the source file's own times;
 *  - st_blocks: the bytes the source has allocated over the part's range
 *    (SEEK_DATA/SEEK_HOLE), so `du` of a sparse source is honest; map files
 *    repeat the parts' bytes and count none, so `du` of the mount counts
 *    every byte once;
 *  - owner and mode: the source's, or what -o uid=, gid=, umask= say.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ops/attr.h"

/* SEEK_DATA steps before the rest is taken as allocated: keeps stat cheap */
#define MAX_EXTENTS 1024

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

void part_attr_fill_locked(struct namespace *ns, const struct part_node *p,
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

void map_attr_fill_locked(struct namespace *ns, struct stat *st)
{
	apply_ownership(&ns->ownership, st);
	st->st_blocks = 0; /* its bytes are the parts' and counted there */
}

/* Allocated bytes of fd in [start, end), or -1 if the file cannot tell. */
static long long allocated_bytes(int fd, off_t start, off_t end)
{
	long long bytes = 0;
	off_t pos = start;
	for (int extents = 0; pos < end; extents++) {
		if (extents == MAX_EXTENTS)
			return bytes + (end - pos);
		off_t data = lseek(fd, pos, SEEK_DATA);
		if (data < 0)
			return errno == ENXIO ? bytes : -1; /* ENXIO: no more */
		if (data >= end)
			break;
		off_t hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0)
			return -1;
		if (hole > end)
			hole = end;
		bytes += hole - data;
		pos = hole;
	}
	return bytes;
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

void part_attr_count_blocks(const struct blocks_query *q, struct stat *st)
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

int part_attr_set_times(struct namespace *ns, fuse_ino_t ino,
			const struct stat *attr, int to_set)
{
	struct timespec times[2];
	requested_times(attr, to_set, times);
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
