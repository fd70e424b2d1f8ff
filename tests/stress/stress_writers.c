/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stress_writers.c -- concurrent load on a mounted pmemsetfs set: four
 * writer threads, each owning two part files, write seeded patterns at
 * random offsets and read every write back, while the mapper thread
 * (stress_mapper.c) maps and unmaps parts through .pmemset/ctl.
 *
 *   stress_writers MNT SRCDIR TMPDIR EXPECTDIR SECONDS SEED
 *
 * The set must be empty at start. The program maps the writer parts
 * (SRCDIR/w0a ... w3b, which must exist) through ctl, runs for SECONDS,
 * unmaps every part so the set is empty again, and writes to EXPECTDIR the
 * image each source file must now hold, for the caller to compare after
 * unmount. Exit status 0 only if every check passed.
 *
 * The daemon refuses to unmap an open part (EBUSY, after waiting up to 2 s
 * for handles to close), so the only error a writer tolerates is ENOENT on
 * open, while its part is unmapped. Every other error, short transfer or
 * byte that differs from the shadow copy fails the run. After each open
 * the whole part is compared with its shadow, which also proves that an
 * unmap and remap kept the data. Now and then a writer keeps its part open
 * past the daemon's 2 s wait, so unmaps also meet EBUSY.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

#define MAX_WRITE (64 * 1024)
#define MAX_OPS_PER_OPEN 32
/* One round in HOLD_ONE_IN keeps its part open for HOLD_MS (> 2 s). */
#define HOLD_ONE_IN 1500
#define HOLD_MS 2500
/* After this many seconds past the deadline the process ends itself. */
#define GRACE_SECONDS 90

struct writer {
	struct stress *s;
	int id;
	pthread_t thread;
};

void stress_fail(struct stress *s, const char *format, ...)
{
	va_list ap;
	char msg[1024];
	va_start(ap, format);
	vsnprintf(msg, sizeof(msg), format, ap);
	va_end(ap);
	fprintf(stderr, "stress: FAIL: %s\n", msg);
	atomic_store(&s->failed, true);
	atomic_store(&s->stop, true);
}

void pause_us(unsigned us)
{
	struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};
	nanosleep(&ts, NULL);
}

void fill_pattern(unsigned char *buf, size_t len, uint64_t seed)
{
	uint64_t state = seed;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t v = rng_next(&state);
		memcpy(buf + i, &v, 8);
	}
	if (i < len) {
		uint64_t v = rng_next(&state);
		memcpy(buf + i, &v, len - i);
	}
}

int ctl_command(struct stress *s, const char *format, ...)
{
	char cmd[PATH_MAX + 256];
	va_list ap;
	va_start(ap, format);
	int len = vsnprintf(cmd, sizeof(cmd) - 1, format, ap);
	va_end(ap);
	if (len < 0 || len >= (int)sizeof(cmd) - 1)
		return ENAMETOOLONG;
	cmd[len++] = '\n';
	int fd = open(s->ctl, O_WRONLY);
	if (fd < 0)
		return errno;
	ssize_t n = write(fd, cmd, (size_t)len);
	int err = n < 0 ? errno : (n == len ? 0 : EIO);
	close(fd);
	return err;
}

int ctl_map_writer_part(struct stress *s, const struct writer_part *p)
{
	return ctl_command(s, "part %s %s offset=%zu length=%zu", p->name,
			   p->source, p->offset, p->length);
}

/* The first offset where a and b differ (they must differ). */
static size_t first_difference(const unsigned char *a, const unsigned char *b,
			       size_t len)
{
	size_t i = 0;
	while (i < len && a[i] == b[i])
		i++;
	return i;
}

/* Reads [off, off+len) of fd and compares it with want. */
static bool read_matches(struct writer *w, struct writer_part *p, int fd,
			 size_t off, size_t len, const unsigned char *want,
			 unsigned char *buf, const char *why)
{
	ssize_t got = pread(fd, buf, len, (off_t)off);
	if (got < 0) {
		stress_fail(w->s, "writer %d: %s: pread %s at %zu+%zu: %s",
			    w->id, why, p->name, off, len, strerror(errno));
		return false;
	}
	if ((size_t)got != len) {
		stress_fail(w->s,
			    "writer %d: %s: pread %s at %zu+%zu: %zd bytes",
			    w->id, why, p->name, off, len, got);
		return false;
	}
	if (memcmp(buf, want, len) != 0) {
		size_t at = first_difference(buf, want, len);
		stress_fail(w->s,
			    "writer %d: %s: %s byte %zu is 0x%02x, expected "
			    "0x%02x (read %zu+%zu)",
			    w->id, why, p->name, off + at, buf[at], want[at],
			    off, len);
		return false;
	}
	atomic_fetch_add(&w->s->n.bytes_verified, len);
	return true;
}

/* The whole part equals its shadow (just after open). */
static bool verify_whole(struct writer *w, struct writer_part *p, int fd,
			 unsigned char *buf)
{
	const unsigned char *shadow = p->image + p->offset;
	for (size_t off = 0; off < p->length; off += MAX_WRITE) {
		size_t len = p->length - off < MAX_WRITE ? p->length - off
							 : MAX_WRITE;
		if (!read_matches(w, p, fd, off, len, shadow + off, buf,
				  "whole-part check after open"))
			return false;
	}
	atomic_fetch_add(&w->s->n.full_verifies, 1);
	return true;
}

/* A write inside the part, then its read-back. */
static bool write_inside(struct writer *w, struct writer_part *p, int fd,
			 uint64_t *rng, unsigned char *data, unsigned char *buf)
{
	size_t off = rng_below(rng, p->length);
	size_t max = p->length - off < MAX_WRITE ? p->length - off : MAX_WRITE;
	size_t len = 1 + rng_below(rng, max);
	fill_pattern(data, len, rng_next(rng));
	ssize_t n = pwrite(fd, data, len, (off_t)off);
	if (n < 0 || (size_t)n != len) {
		stress_fail(w->s, "writer %d: pwrite %s at %zu+%zu: %s", w->id,
			    p->name, off, len,
			    n < 0 ? strerror(errno) : "short write");
		return false;
	}
	memcpy(p->image + p->offset + off, data, len);
	atomic_fetch_add(&w->s->n.writes, 1);
	atomic_fetch_add(&w->s->n.bytes_written, len);
	return read_matches(w, p, fd, off, len, data, buf, "read-back");
}

/*
 * The documented edges: a write reaching past the end is cut short at the
 * end; one starting at the end fails with ENOSPC; a read there returns 0.
 */
static bool write_at_end(struct writer *w, struct writer_part *p, int fd,
			 uint64_t *rng, unsigned char *data, unsigned char *buf)
{
	size_t inside = 1 + rng_below(rng, 4096);
	size_t len = inside + 1 + rng_below(rng, 4096);
	size_t off = p->length - inside;
	fill_pattern(data, len, rng_next(rng));
	ssize_t n;
	if (w->s->no_edge_writes) /* writeback cache: only the read */
		goto read_at_end;
	n = pwrite(fd, data, len, (off_t)off);
	if (n < 0 || (size_t)n != inside) {
		stress_fail(w->s,
			    "writer %d: pwrite %s at %zu+%zu across the end: "
			    "%s (expected %zu bytes)",
			    w->id, p->name, off, len,
			    n < 0 ? strerror(errno) : "wrong count", inside);
		return false;
	}
	memcpy(p->image + p->offset + off, data, inside);
	n = pwrite(fd, data, 16, (off_t)p->length);
	if (n >= 0 || errno != ENOSPC) {
		stress_fail(w->s,
			    "writer %d: pwrite %s at its end (%zu): %s, "
			    "expected ENOSPC",
			    w->id, p->name, p->length,
			    n >= 0 ? "succeeded" : strerror(errno));
		return false;
	}
read_at_end:
	n = pread(fd, buf, 16, (off_t)p->length);
	if (n != 0) {
		stress_fail(w->s, "writer %d: pread %s at its end: %zd (%s)",
			    w->id, p->name, n, n < 0 ? strerror(errno) : "");
		return false;
	}
	if (w->s->no_edge_writes)
		return true;
	atomic_fetch_add(&w->s->n.edge_writes, 1);
	return read_matches(w, p, fd, off, inside, data, buf,
			    "read-back of a write cut at the end");
}

/* One open of one of w's parts, a batch of operations, close. */
static void writer_round(struct writer *w, uint64_t *rng, unsigned char *data,
			 unsigned char *buf)
{
	struct stress *s = w->s;
	struct writer_part *p = &s->parts[w->id * PARTS_PER_WRITER +
					  rng_below(rng, PARTS_PER_WRITER)];
	int fd = open(p->file, O_RDWR);
	if (fd < 0) {
		if (errno == ENOENT) { /* the mapper has it unmapped */
			atomic_fetch_add(&s->n.absent_opens, 1);
			pause_us(100 + rng_below(rng, 1000));
			return;
		}
		stress_fail(s, "writer %d: open %s: %s", w->id, p->file,
			    strerror(errno));
		return;
	}
	atomic_fetch_add(&s->n.opens, 1);
	if (!atomic_load(&p->mapped))
		stress_fail(s, "writer %d: opened %s while it is unmapped",
			    w->id, p->name);
	bool ok = !atomic_load(&s->stop) && verify_whole(w, p, fd, buf);
	unsigned ops = 1 + (unsigned)rng_below(rng, MAX_OPS_PER_OPEN);
	for (unsigned i = 0; ok && i < ops && !atomic_load(&s->stop); i++) {
		unsigned r = (unsigned)rng_below(rng, 100);
		if (r < 90) {
			ok = write_inside(w, p, fd, rng, data, buf);
		} else if (r < 96) {
			ok = write_at_end(w, p, fd, rng, data, buf);
		} else if (fsync(fd) != 0) {
			stress_fail(s, "writer %d: fsync %s: %s", w->id,
				    p->name, strerror(errno));
			ok = false;
		} else {
			atomic_fetch_add(&s->n.fsyncs, 1);
		}
	}
	/*
	 * Now and then keep the part open for longer than the daemon waits
	 * for handles to close, so an unmap in that time must fail with EBUSY
	 * and leave the part, and this writer's handle, intact.
	 */
	if (ok && rng_below(rng, HOLD_ONE_IN) == 0) {
		atomic_fetch_add(&s->n.long_holds, 1);
		for (int i = 0; i < HOLD_MS / 100 && !atomic_load(&s->stop);
		     i++)
			pause_us(100000);
		if (!atomic_load(&p->mapped))
			stress_fail(s, "writer %d: %s was unmapped while open",
				    w->id, p->name);
		ok = write_inside(w, p, fd, rng, data, buf);
	}
	if (close(fd) != 0)
		stress_fail(s, "writer %d: close %s: %s", w->id, p->name,
			    strerror(errno));
	/* give the mapper a chance to find the part closed */
	pause_us((unsigned)rng_below(rng, 2000));
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	uint64_t rng = w->s->seed * 1000003u + (uint64_t)w->id + 1;
	unsigned char *data = malloc(MAX_WRITE * 2);
	unsigned char *buf = malloc(MAX_WRITE * 2);
	if (data == NULL || buf == NULL)
		stress_fail(w->s, "writer %d: out of memory", w->id);
	while (!atomic_load(&w->s->stop))
		writer_round(w, &rng, data, buf);
	free(data);
	free(buf);
	return NULL;
}

static int read_file(const char *path, unsigned char **out, size_t *size)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		return -1;
	}
	*size = (size_t)st.st_size;
	*out = malloc(*size ? *size : 1);
	ssize_t n = *out ? read(fd, *out, *size) : -1;
	close(fd);
	if (n < 0 || (size_t)n != *size) {
		fprintf(stderr, "stress: cannot read %s\n", path);
		return -1;
	}
	return 0;
}

/*
 * Writer W's parts: w<W>a is the 256 KiB at offset 4 KiB * (W+1), w<W>b the
 * 512 KiB at offset 0, so bytes outside a part must stay as they were.
 */
static int setup_parts(struct stress *s)
{
	for (int i = 0; i < STRESS_PARTS; i++) {
		struct writer_part *p = &s->parts[i];
		int w = i / PARTS_PER_WRITER;
		bool first = i % PARTS_PER_WRITER == 0;
		snprintf(p->name, sizeof(p->name), "w%d%c", w,
			 first ? 'a' : 'b');
		snprintf(p->source, sizeof(p->source), "%s/%s", s->srcdir,
			 p->name);
		snprintf(p->file, sizeof(p->file), "%s/%s", s->mnt, p->name);
		p->offset = first ? 4096 * (size_t)(w + 1) : 0;
		p->length = first ? 256 * 1024 : 512 * 1024;
		if (read_file(p->source, &p->image, &p->image_size) != 0)
			return -1;
		if (p->image_size < p->offset + p->length) {
			fprintf(stderr, "stress: %s is too small (%zu bytes)\n",
				p->source, p->image_size);
			return -1;
		}
		int err = ctl_map_writer_part(s, p);
		if (err) {
			fprintf(stderr, "stress: ctl part %s: %s\n", p->name,
				strerror(err));
			return -1;
		}
		atomic_store(&p->mapped, true);
	}
	return 0;
}

/* Unmaps every part in the mount: the set must be empty afterwards. */
static int empty_set(struct stress *s, unsigned *unmapped)
{
	DIR *d = opendir(s->mnt);
	if (d == NULL) {
		fprintf(stderr, "stress: opendir %s: %s\n", s->mnt,
			strerror(errno));
		return -1;
	}
	char names[64][256];
	unsigned n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 64) {
		if (e->d_name[0] != '.')
			snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
	}
	closedir(d);
	int ret = 0;
	for (unsigned i = 0; i < n; i++) {
		int err = ctl_command(s, "unmap %s", names[i]);
		if (err) {
			fprintf(stderr, "stress: FAIL: final unmap %s: %s\n",
				names[i], strerror(err));
			ret = -1;
		}
	}
	*unmapped = n;
	return ret;
}

static int write_expected(struct stress *s, const char *dir)
{
	for (int i = 0; i < STRESS_PARTS; i++) {
		struct writer_part *p = &s->parts[i];
		char path[PATH_MAX + 32];
		snprintf(path, sizeof(path), "%s/%s", dir, p->name);
		FILE *f = fopen(path, "w");
		if (f == NULL ||
		    fwrite(p->image, 1, p->image_size, f) != p->image_size) {
			perror(path);
			if (f)
				fclose(f);
			return -1;
		}
		if (fclose(f) != 0) {
			perror(path);
			return -1;
		}
	}
	return 0;
}

static void print_counters(const struct stress *s, double seconds)
{
	const struct counters *n = &s->n;
	printf("stress: seconds=%.1f seed=%llu writes=%llu bytes_written=%llu "
	       "edge_writes=%llu fsyncs=%llu opens=%llu absent_opens=%llu "
	       "whole_part_checks=%llu bytes_verified=%llu\n",
	       seconds, (unsigned long long)s->seed,
	       (unsigned long long)n->writes,
	       (unsigned long long)n->bytes_written,
	       (unsigned long long)n->edge_writes,
	       (unsigned long long)n->fsyncs, (unsigned long long)n->opens,
	       (unsigned long long)n->absent_opens,
	       (unsigned long long)n->full_verifies,
	       (unsigned long long)n->bytes_verified);
	printf("stress: long_holds=%llu unmaps=%llu busy_unmaps=%llu "
	       "remaps=%llu "
	       "scratch_maps=%llu temporary_maps=%llu scratch_unmaps=%llu "
	       "(by_remove_range=%llu) "
	       "refused_as_expected=%llu coalescing_switches=%llu\n",
	       (unsigned long long)n->long_holds, (unsigned long long)n->unmaps,
	       (unsigned long long)n->busy_unmaps,
	       (unsigned long long)n->remaps,
	       (unsigned long long)n->scratch_maps,
	       (unsigned long long)n->temp_maps,
	       (unsigned long long)n->scratch_unmaps,
	       (unsigned long long)n->range_removals,
	       (unsigned long long)n->refused,
	       (unsigned long long)n->coalescing);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr,
			"usage: %s MNT SRCDIR TMPDIR EXPECTDIR SECONDS "
			"SEED\n",
			argv[0]);
		return 2;
	}
	static struct stress s;
	s.mnt = argv[1];
	s.srcdir = argv[2];
	s.tmpdir = argv[3];
	unsigned seconds = (unsigned)strtoul(argv[5], NULL, 10);
	s.seed = strtoull(argv[6], NULL, 10);
	const char *no_edges = getenv("STRESS_NO_EDGE_WRITES");
	s.no_edge_writes = no_edges != NULL && strcmp(no_edges, "1") == 0;
	snprintf(s.ctl, sizeof(s.ctl), "%s/.pmemset/ctl", s.mnt);
	if (seconds == 0) {
		fprintf(stderr, "stress: SECONDS must be a positive number\n");
		return 2;
	}
	alarm(seconds + GRACE_SECONDS); /* a hang ends the run, never CTest */
	if (setup_parts(&s) != 0)
		return 1;

	struct writer writers[STRESS_WRITERS];
	pthread_t mapper;
	double start = now();
	for (int i = 0; i < STRESS_WRITERS; i++) {
		writers[i] = (struct writer){.s = &s, .id = i};
		if (pthread_create(&writers[i].thread, NULL, writer_main,
				   &writers[i]) != 0) {
			fprintf(stderr, "stress: cannot start writer %d\n", i);
			return 1;
		}
	}
	if (pthread_create(&mapper, NULL, mapper_main, &s) != 0) {
		fprintf(stderr, "stress: cannot start the mapper\n");
		return 1;
	}
	while (!atomic_load(&s.stop) && now() - start < seconds)
		pause_us(100000);
	atomic_store(&s.stop, true);
	for (int i = 0; i < STRESS_WRITERS; i++)
		pthread_join(writers[i].thread, NULL);
	pthread_join(mapper, NULL);
	print_counters(&s, now() - start);

	unsigned unmapped = 0;
	int ret = empty_set(&s, &unmapped);
	printf("stress: emptied the set: %u parts unmapped through ctl\n",
	       unmapped);
	if (write_expected(&s, argv[4]) != 0)
		ret = -1;
	for (int i = 0; i < STRESS_PARTS; i++)
		free(s.parts[i].image);
	if (atomic_load(&s.failed) || ret != 0)
		return 1;
	return 0;
}
