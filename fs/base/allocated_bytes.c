/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * allocated_bytes.c -- how many bytes of a range of a file have storage
 * behind them, for a part's st_blocks (`du`, `ls -s`, `stat -c %b`).
 *
 * Three ways, the first that answers:
 * - the range is the whole file: the file's own st_blocks, exact on every
 *   file system and one fstat;
 * - FIEMAP: every extent counts, unwritten (fallocated) and delayed ones
 *   too. SEEK_DATA cannot be used first: ext4 treats unwritten extents as
 *   holes, so a part made with `create`/`truncate` (whose blocks the daemon
 *   fallocates) or a fallocated source showed 0 blocks;
 * - SEEK_DATA/SEEK_HOLE, where FIEMAP is not supported (tmpfs): there
 *   fallocated pages read as holes, a slice of such a file counts low.
 * At most MAX_EXTENTS extents are looked at; the rest of the range is taken
 * as allocated, so a stat of a badly fragmented source stays cheap.
 */
#include <errno.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/allocated_bytes.h"

#define MAX_EXTENTS 1024
#define EXTENTS_PER_CALL 64

/* Bytes of extents in [start, end) by FIEMAP, or -1 if not supported. */
static long long by_fiemap(int fd, off_t start, off_t end)
{
	struct {
		struct fiemap map;
		struct fiemap_extent extents[EXTENTS_PER_CALL];
	} q;
	long long bytes = 0;
	off_t pos = start;
	for (int seen = 0; pos < end;) {
		off_t asked = pos;
		memset(&q.map, 0, sizeof(q.map));
		q.map.fm_start = (__u64)pos;
		q.map.fm_length = (__u64)(end - pos);
		q.map.fm_extent_count = EXTENTS_PER_CALL;
		if (ioctl(fd, FS_IOC_FIEMAP, &q.map) != 0)
			return -1;
		if (q.map.fm_mapped_extents == 0)
			break;
		for (unsigned i = 0; i < q.map.fm_mapped_extents; i++) {
			const struct fiemap_extent *e = &q.extents[i];
			off_t from = (off_t)e->fe_logical;
			off_t to = (off_t)(e->fe_logical + e->fe_length);
			if (seen++ == MAX_EXTENTS)
				return bytes + (end - pos);
			if (from < pos)
				from = pos;
			if (to > end)
				to = end;
			if (to > from)
				bytes += to - from;
			if (to > pos)
				pos = to;
			if (e->fe_flags & FIEMAP_EXTENT_LAST)
				return bytes;
		}
		if (pos == asked) /* no progress: do not ask again */
			break;
	}
	return bytes;
}

/* Bytes of data in [start, end) by SEEK_DATA/SEEK_HOLE, or -1. */
static long long by_seek(int fd, off_t start, off_t end)
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

long long allocated_bytes(int fd, off_t start, off_t end)
{
	struct stat st;
	if (start >= end)
		return 0;
	if (fstat(fd, &st) == 0 && start == 0 && end >= st.st_size) {
		long long bytes = (long long)st.st_blocks * 512;
		return bytes < end ? bytes : (long long)end;
	}
	long long bytes = by_fiemap(fd, start, end);
	return bytes >= 0 ? bytes : by_seek(fd, start, end);
}
