/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pmemfsx.c -- a seeded random-operation verifier for a mounted pmemsetfs
 * whose part files and map file alias the same bytes. It keeps a shadow copy
 * of the map in memory, runs a random mix of reads, writes, fsyncs, reopens,
 * size checks and edge cases (writes cut short at the end, ENOSPC at the end,
 * reads past the end) through both views, and checks the result of every
 * operation and the bytes of every read against the shadow. The op sequence
 * depends only on the seed, so a failure repeats with the same seed.
 *
 * Usage: pmemfsx [-s SEED] [-n OPS] [-m MAX_LENGTH] [-o SHADOW_OUT] [-M] [-P]
 *                [-W]
 *                MAPFILE PART...
 *   PARTs are the part files in the order the map file spans them.
 *   -o writes the final shadow to a file (to compare the sources later),
 *   -M adds reads and writes (with msync) through mmap of the part files
 *   (they need the page cache: -o cache=page).
 *   -P runs on plain files: no end-of-file cases, no O_TRUNC (for testing
 *   pmemfsx itself).
 *   -W the part files are on the writeback cache (cache=page with
 *      persist=fsync): no writes at or past the end, whose count the kernel
 *      gives before the daemon sees them (reads past the end stay).
 * Exit: 0 all verified, 1 mismatch or failed operation, 2 bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsx_oplog.h"

#define MAX_VIEWS 16

/* One file that shows a window of the shadow: the map file or a part. */
struct view {
	const char *path;
	int fd;
	uint64_t base; /* where the view starts in the map */
	uint64_t size;
};

struct fsx {
	uint64_t seed;
	uint64_t rng;
	struct view views[MAX_VIEWS];
	int nviews;
	unsigned char *shadow;
	uint64_t shadow_size;
	unsigned char *buf;
	size_t max_length;
	bool use_mmap;
	bool plain_files; /* -P: no part-file semantics (edges, O_TRUNC) */
	bool writeback;	  /* -W: writes past the end fail only at writeback */
	long page_size;
	struct fsx_oplog log;
	struct fsx_counters {
		uint64_t ops, reads, bytes_read, writes, bytes_written;
		uint64_t syncs, reopens, edges, mmaps;
	} count;
};

static uint64_t rng_next(struct fsx *f)
{
	/* splitmix64: tiny, good enough, and the same on every machine */
	uint64_t x = (f->rng += 0x9e3779b97f4a7c15ULL);
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rng_below(struct fsx *f, uint64_t bound)
{
	return bound ? rng_next(f) % bound : 0;
}

static void fail(struct fsx *f, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "pmemfsx: FAILED at operation %" PRIu64 ": ",
		f->count.ops);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fsx_oplog_print(&f->log, stderr);
	fprintf(stderr, "pmemfsx: reproduce with -s %" PRIu64 "\n", f->seed);
	exit(1);
}

/* Compares bytes read from a view with the shadow, naming the first
 * difference and where it is in the map and in the view. */
static void check_bytes(struct fsx *f, const struct view *v, uint64_t off,
			const unsigned char *got, size_t len, const char *how)
{
	const unsigned char *want = f->shadow + v->base + off;
	if (memcmp(got, want, len) == 0)
		return;
	size_t i = 0;
	while (got[i] == want[i])
		i++;
	size_t bad = 0;
	for (size_t j = i; j < len; j++)
		bad += got[j] != want[j];
	fail(f,
	     "%s %s: byte at view offset %" PRIu64 " (map offset %" PRIu64
	     ") is 0x%02x, shadow has 0x%02x; %zu of %zu bytes differ",
	     how, v->path, off + i, v->base + off + i, got[i], want[i], bad,
	     len);
}

static void open_view(struct fsx *f, struct view *v, int flags)
{
	v->fd = open(v->path, O_RDWR | flags);
	if (v->fd < 0)
		fail(f, "open %s: %s", v->path, strerror(errno));
	struct stat st;
	if (fstat(v->fd, &st) != 0)
		fail(f, "fstat %s: %s", v->path, strerror(errno));
	if ((uint64_t)st.st_size != v->size)
		fail(f, "%s: size %jd after open, expected %" PRIu64, v->path,
		     (intmax_t)st.st_size, v->size);
}

/* Lengths: mostly small, some page-sized, a few larger than one FUSE
 * request so that the kernel splits them. */
static size_t random_length(struct fsx *f, uint64_t limit)
{
	uint64_t r = rng_below(f, 100), cap;
	if (r < 50)
		cap = 64;
	else if (r < 80)
		cap = 4096;
	else if (r < 95)
		cap = 65536;
	else
		cap = f->max_length;
	if (cap > f->max_length) /* the buffer holds max_length bytes */
		cap = f->max_length;
	if (cap > limit)
		cap = limit;
	return 1 + (size_t)rng_below(f, cap);
}

/* Offsets: uniform, page-aligned, or just before a part boundary of the
 * map (so that a map-file access crosses parts). */
static uint64_t random_offset(struct fsx *f, const struct view *v, size_t len)
{
	uint64_t last = v->size - len, r = rng_below(f, 4), off;
	if (r == 0) {
		off = rng_below(f, last + 1);
		off -= off % (uint64_t)f->page_size;
	} else if (r == 1 && v == &f->views[0] && f->nviews > 2) {
		const struct view *part =
			&f->views[1 + rng_below(f, f->nviews - 2)];
		uint64_t edge = part->base + part->size;
		uint64_t back = rng_below(f, len + 1);
		off = edge > back ? edge - back : 0;
	} else {
		off = rng_below(f, last + 1);
	}
	return off > last ? last : off;
}

static struct view *random_view(struct fsx *f)
{
	/* the map file 40% of the time, a part otherwise */
	if (f->nviews == 1 || rng_below(f, 10) < 4)
		return &f->views[0];
	return &f->views[1 + rng_below(f, f->nviews - 1)];
}

static void do_read(struct fsx *f, struct view *v)
{
	size_t len = random_length(f, v->size);
	uint64_t off = random_offset(f, v, len);
	fsx_oplog_add(&f->log, f->count.ops, "read", v->path, off, len);
	ssize_t n = pread(v->fd, f->buf, len, (off_t)off);
	fsx_oplog_result(&f->log, n < 0 ? -errno : n);
	if (n != (ssize_t)len)
		fail(f, "pread %s: returned %zd (%s), expected %zu", v->path, n,
		     n < 0 ? strerror(errno) : "short", len);
	check_bytes(f, v, off, f->buf, len, "pread");
	f->count.reads++;
	f->count.bytes_read += len;
}

static void fill_random(struct fsx *f, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t r = rng_next(f);
		size_t chunk = len - i < 8 ? len - i : 8;
		memcpy(f->buf + i, &r, chunk);
	}
}

static void do_write(struct fsx *f, struct view *v)
{
	size_t len = random_length(f, v->size);
	uint64_t off = random_offset(f, v, len);
	fill_random(f, len);
	fsx_oplog_add(&f->log, f->count.ops, "write", v->path, off, len);
	ssize_t n = pwrite(v->fd, f->buf, len, (off_t)off);
	fsx_oplog_result(&f->log, n < 0 ? -errno : n);
	if (n != (ssize_t)len)
		fail(f, "pwrite %s: returned %zd (%s), expected %zu", v->path,
		     n, n < 0 ? strerror(errno) : "short", len);
	memcpy(f->shadow + v->base + off, f->buf, len);
	f->count.writes++;
	f->count.bytes_written += len;
}

/*
 * Part files are fixed-size devices: a write reaching past the end is cut
 * short at the end, one starting at the end fails with ENOSPC, a read past
 * the end returns what is left (0 bytes at or beyond the end).
 */
static void do_edge(struct fsx *f, struct view *v)
{
	uint64_t kind = rng_below(f, 3);
	if (f->writeback)
		kind = 2; /* the write's count says nothing yet (fs/README.md,
			     "Cache modes") */
	size_t len = random_length(f, v->size);
	if (kind == 0) { /* write starting at the end */
		fill_random(f, len);
		fsx_oplog_add(&f->log, f->count.ops, "write@end", v->path,
			      v->size, len);
		ssize_t n = pwrite(v->fd, f->buf, len, (off_t)v->size);
		fsx_oplog_result(&f->log, n < 0 ? -errno : n);
		if (n != -1 || errno != ENOSPC)
			fail(f,
			     "pwrite at the end of %s returned %zd (%s), "
			     "expected ENOSPC",
			     v->path, n, n < 0 ? strerror(errno) : "no error");
	} else if (kind == 1) { /* write across the end */
		uint64_t inside =
			1 + rng_below(f, len < v->size ? len : v->size);
		uint64_t off = v->size - inside;
		size_t total = inside + 1 + rng_below(f, 4096);
		if (total > f->max_length)
			total = f->max_length;
		fill_random(f, total);
		fsx_oplog_add(&f->log, f->count.ops, "write-past-end", v->path,
			      off, total);
		ssize_t n = pwrite(v->fd, f->buf, total, (off_t)off);
		fsx_oplog_result(&f->log, n < 0 ? -errno : n);
		if (n != (ssize_t)inside)
			fail(f,
			     "pwrite of %zu bytes at %" PRIu64 " of %s "
			     "(size %" PRIu64 ") returned %zd (%s), "
			     "expected %" PRIu64 " (cut at the end)",
			     total, off, v->path, v->size, n,
			     n < 0 ? strerror(errno) : "count", inside);
		memcpy(f->shadow + v->base + off, f->buf, inside);
		f->count.bytes_written += inside;
	} else { /* read across or beyond the end */
		uint64_t off = v->size - rng_below(f, len + 1) +
			       rng_below(f, 2) * rng_below(f, 8192);
		fsx_oplog_add(&f->log, f->count.ops, "read-past-end", v->path,
			      off, len);
		ssize_t n = pread(v->fd, f->buf, len, (off_t)off);
		fsx_oplog_result(&f->log, n < 0 ? -errno : n);
		uint64_t left = off < v->size ? v->size - off : 0;
		size_t want = left < len ? (size_t)left : len;
		if (n != (ssize_t)want)
			fail(f,
			     "pread of %zu at %" PRIu64 " of %s (size %" PRIu64
			     ") returned %zd (%s), expected %zu",
			     len, off, v->path, v->size, n,
			     n < 0 ? strerror(errno) : "count", want);
		check_bytes(f, v, off, f->buf, want, "pread past end");
	}
	f->count.edges++;
}

static void do_sync(struct fsx *f, struct view *v)
{
	bool data_only = rng_below(f, 2);
	fsx_oplog_add(&f->log, f->count.ops, data_only ? "fdatasync" : "fsync",
		      v->path, 0, 0);
	int ret = data_only ? fdatasync(v->fd) : fsync(v->fd);
	fsx_oplog_result(&f->log, ret < 0 ? -errno : ret);
	if (ret != 0)
		fail(f, "%s %s: %s", data_only ? "fdatasync" : "fsync", v->path,
		     strerror(errno));
	f->count.syncs++;
}

/* Close and open again, sometimes with O_TRUNC, which a part file ignores:
 * the size and the bytes must stay. */
static void do_reopen(struct fsx *f, struct view *v)
{
	bool trunc = rng_below(f, 4) == 0 && !f->plain_files;
	fsx_oplog_add(&f->log, f->count.ops, trunc ? "reopen-trunc" : "reopen",
		      v->path, 0, 0);
	if (close(v->fd) != 0)
		fail(f, "close %s: %s", v->path, strerror(errno));
	open_view(f, v, trunc ? O_TRUNC : 0);
	fsx_oplog_result(&f->log, 0);
	f->count.reopens++;
}

/*
 * Reads or writes a random range through a shared mapping of a part file
 * (map files are direct I/O, which cannot be mapped). A write is followed by
 * msync(MS_SYNC), after which every other view must show it.
 */
static void do_mmap(struct fsx *f)
{
	struct view *v =
		&f->views[f->nviews > 1 ? 1 + rng_below(f, f->nviews - 1) : 0];
	bool write = rng_below(f, 2);
	uint64_t pages = v->size / (uint64_t)f->page_size;
	uint64_t first = rng_below(f, pages);
	/* at most 16 pages, and no more than the buffer (max_length plus
	 * one page of slack) holds */
	uint64_t most = f->max_length / (uint64_t)f->page_size;
	most = most < 1 ? 1 : most > 16 ? 16 : most;
	if (most > pages - first)
		most = pages - first;
	uint64_t count = 1 + rng_below(f, most);
	size_t map_len = (size_t)(count * (uint64_t)f->page_size);
	off_t map_off = (off_t)(first * (uint64_t)f->page_size);
	/* the bytes touched: anywhere inside the mapped pages */
	size_t len = 1 + (size_t)rng_below(f, map_len);
	size_t skip = (size_t)rng_below(f, map_len - len + 1);
	uint64_t off = (uint64_t)map_off + skip;
	fsx_oplog_add(&f->log, f->count.ops, write ? "mmap-write" : "mmap-read",
		      v->path, off, len);
	int prot = PROT_READ | (write ? PROT_WRITE : 0);
	char *addr = mmap(NULL, map_len, prot, MAP_SHARED, v->fd, map_off);
	if (addr == MAP_FAILED) {
		fsx_oplog_result(&f->log, -errno);
		fail(f, "mmap %s: %s", v->path, strerror(errno));
	}
	if (write) {
		fill_random(f, len);
		memcpy(addr + skip, f->buf, len);
		if (msync(addr, map_len, MS_SYNC) != 0) {
			fsx_oplog_result(&f->log, -errno);
			fail(f, "msync %s: %s", v->path, strerror(errno));
		}
		memcpy(f->shadow + v->base + off, f->buf, len);
		f->count.bytes_written += len;
	} else {
		memcpy(f->buf, addr + skip, len);
	}
	munmap(addr, map_len);
	fsx_oplog_result(&f->log, (int64_t)len);
	if (!write)
		check_bytes(f, v, off, f->buf, len, "mmap read");
	f->count.mmaps++;
}

static void run_one(struct fsx *f)
{
	struct view *v = random_view(f);
	uint64_t r = rng_below(f, 100);
	if (r < 38)
		do_read(f, v);
	else if (r < 78)
		do_write(f, v);
	else if (r < 84)
		do_sync(f, v);
	else if (r < 88)
		do_reopen(f, v);
	else if (f->plain_files && r >= 88)
		do_read(f, v);
	else if (r < 94 || !f->use_mmap)
		do_edge(f, v);
	else
		do_mmap(f);
}

/* Reads a whole view and compares it with the shadow. */
static void check_view(struct fsx *f, struct view *v, const char *when)
{
	uint64_t done = 0;
	while (done < v->size) {
		size_t chunk = v->size - done < f->max_length
				       ? (size_t)(v->size - done)
				       : f->max_length;
		ssize_t n = pread(v->fd, f->buf, chunk, (off_t)done);
		if (n <= 0)
			fail(f, "%s: reading %s at %" PRIu64 ": %s", when,
			     v->path, done, n < 0 ? strerror(errno) : "EOF");
		check_bytes(f, v, done, f->buf, (size_t)n, when);
		done += (uint64_t)n;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: pmemfsx [-s SEED] [-n OPS] [-m MAX_LENGTH] "
			"[-o SHADOW_OUT] [-M] [-P] [-W] MAPFILE PART...\n");
	exit(2);
}

static void save_shadow(struct fsx *f, const char *path)
{
	FILE *out = fopen(path, "w");
	if (!out ||
	    fwrite(f->shadow, 1, f->shadow_size, out) != f->shadow_size ||
	    fclose(out) != 0)
		fail(f, "writing the shadow to %s: %s", path, strerror(errno));
}

int main(int argc, char **argv)
{
	struct fsx f;
	memset(&f, 0, sizeof(f));
	uint64_t ops = 100000;
	const char *shadow_out = NULL;
	int c;
	f.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	f.max_length = 300 * 1024;
	while ((c = getopt(argc, argv, "s:n:m:o:MPW")) != -1) {
		switch (c) {
		case 's':
			f.seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			ops = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			f.max_length = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			shadow_out = optarg;
			break;
		case 'M':
			f.use_mmap = true;
			break;
		case 'P':
			f.plain_files = true;
			break;
		case 'W':
			f.writeback = true;
			break;
		default:
			usage();
		}
	}
	int nfiles = argc - optind;
	if (nfiles < 1 || nfiles > MAX_VIEWS || f.max_length == 0)
		usage();
	f.rng = f.seed;
	f.page_size = sysconf(_SC_PAGESIZE);
	printf("pmemfsx: seed %" PRIu64 ", %" PRIu64 " operations on %s and "
	       "%d part files\n",
	       f.seed, ops, argv[optind], nfiles - 1);
	fflush(stdout);

	/* the map file first, then its parts, each based where the previous
	 * one ended */
	uint64_t base = 0;
	for (int i = 0; i < nfiles; i++) {
		struct view *v = &f.views[i];
		struct stat st;
		v->path = argv[optind + i];
		if (stat(v->path, &st) != 0)
			fail(&f, "stat %s: %s", v->path, strerror(errno));
		v->size = (uint64_t)st.st_size;
		v->base = i == 0 ? 0 : base;
		if (i > 0)
			base += v->size;
		if (v->size == 0)
			fail(&f, "%s is empty", v->path);
		open_view(&f, v, 0);
	}
	f.nviews = nfiles;
	if (nfiles > 1 && base != f.views[0].size)
		fail(&f,
		     "the parts add up to %" PRIu64 " bytes, the map file "
		     "%s has %" PRIu64,
		     base, f.views[0].path, f.views[0].size);
	f.shadow_size = f.views[0].size;
	f.shadow = malloc(f.shadow_size);
	f.buf = malloc(f.max_length + 4096 + 8);
	if (!f.shadow || !f.buf)
		fail(&f, "out of memory");
	/* the shadow starts as the map file's bytes; each part must already
	 * show the same bytes */
	uint64_t done = 0;
	while (done < f.shadow_size) {
		ssize_t n = pread(f.views[0].fd, f.shadow + done,
				  f.shadow_size - done, (off_t)done);
		if (n <= 0)
			fail(&f, "reading %s: %s", f.views[0].path,
			     n < 0 ? strerror(errno) : "EOF");
		done += (uint64_t)n;
	}
	for (int i = 1; i < f.nviews; i++)
		check_view(&f, &f.views[i], "initial alias check");

	for (f.count.ops = 0; f.count.ops < ops; f.count.ops++)
		run_one(&f);

	for (int i = 0; i < f.nviews; i++) {
		check_view(&f, &f.views[i], "final check");
		if (close(f.views[i].fd) != 0)
			fail(&f, "close %s: %s", f.views[i].path,
			     strerror(errno));
	}
	if (shadow_out)
		save_shadow(&f, shadow_out);
	printf("pmemfsx: PASS seed %" PRIu64 ": %" PRIu64
	       " operations verified: %" PRIu64 " reads (%" PRIu64
	       " bytes), %" PRIu64 " writes (%" PRIu64 " bytes), %" PRIu64
	       " fsyncs, %" PRIu64 " reopens, %" PRIu64 " end-of-file edge "
	       "cases, %" PRIu64
	       " mmap reads or writes; final contents of %d files "
	       "match the shadow\n",
	       f.seed, ops, f.count.reads, f.count.bytes_read, f.count.writes,
	       f.count.bytes_written, f.count.syncs, f.count.reopens,
	       f.count.edges, f.count.mmaps, f.nviews);
	free(f.buf);
	free(f.shadow);
	return 0;
}
