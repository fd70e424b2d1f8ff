/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * acked_verify.c -- checks, after a crash, that every byte acked_writer got
 * acknowledged is in the target (the remounted part file or the source file
 * itself), and that every byte no write touched is what it was before the
 * cycle. Bytes of the write that was in flight, and with persist=fsync the
 * writes after the last acknowledged fsync, may hold either the old or the
 * new bytes; they are counted as indeterminate and not compared.
 *
 * Usage: acked_verify -l LOG -s SEED -p write|fsync -z PART_SIZE
 *                     [-m MAX_LENGTH] -t TARGET[@OFFSET] -b BEFORE[@OFFSET]
 * Prints one line "VERIFIED acked=A untouched=U indeterminate=I writes=W"
 * and exits 0, or prints every kind of loss found and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acked_plan.h"

#define OWNER_UNTOUCHED (-1)
#define OWNER_INDETERMINATE (-2)
#define MAX_REPORTED_MISMATCHES 10

struct verify_options {
	const char *log_path;
	uint64_t seed;
	bool fsync_mode;
	uint64_t part_size;
	size_t max_length;
	char *target_path;
	uint64_t target_offset;
	char *before_path;
	uint64_t before_offset;
};

/* What the writer's log says. */
struct writer_log {
	uint64_t logged;   /* W lines: writes 0..logged-1 returned */
	ssize_t *returned; /* bytes each logged write returned */
	uint64_t *offset;  /* where the writer says it wrote */
	uint64_t fsynced;  /* highest F count */
	bool ended;	   /* E line: no write was in flight */
	uint64_t allocated;
};

static void usage(void)
{
	fprintf(stderr, "usage: acked_verify -l LOG -s SEED -p write|fsync "
			"-z PART_SIZE [-m MAX_LENGTH] -t TARGET[@OFFSET] "
			"-b BEFORE[@OFFSET]\n");
	exit(2);
}

/* Splits "path@offset" in place. */
static void split_path_offset(char *arg, char **path, uint64_t *offset)
{
	char *at = strrchr(arg, '@');
	*path = arg;
	*offset = 0;
	if (at) {
		*at = '\0';
		*offset = strtoull(at + 1, NULL, 0);
	}
}

static void parse_options(int argc, char **argv, struct verify_options *o)
{
	int c;
	bool have_seed = false, have_mode = false;
	memset(o, 0, sizeof(*o));
	o->max_length = 256 * 1024;
	while ((c = getopt(argc, argv, "l:s:p:z:m:t:b:")) != -1) {
		switch (c) {
		case 'l':
			o->log_path = optarg;
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			have_seed = true;
			break;
		case 'p':
			have_mode = true;
			if (strcmp(optarg, "write") == 0)
				o->fsync_mode = false;
			else if (strcmp(optarg, "fsync") == 0)
				o->fsync_mode = true;
			else
				usage();
			break;
		case 'z':
			o->part_size = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			o->max_length = strtoull(optarg, NULL, 0);
			break;
		case 't':
			split_path_offset(optarg, &o->target_path,
					  &o->target_offset);
			break;
		case 'b':
			split_path_offset(optarg, &o->before_path,
					  &o->before_offset);
			break;
		default:
			usage();
		}
	}
	if (!o->log_path || !have_seed || !have_mode || o->part_size == 0 ||
	    o->max_length == 0 || !o->target_path || !o->before_path ||
	    optind != argc)
		usage();
}

static void die(const char *what)
{
	fprintf(stderr, "acked_verify: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void read_log(const char *path, struct writer_log *log)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(path);
	memset(log, 0, sizeof(*log));
	char kind;
	uint64_t a, offset;
	ssize_t n;
	char line[128];
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "W %" SCNu64 " %" SCNu64 " %zd", &a, &offset,
			   &n) == 3 &&
		    line[0] == 'W') {
			if (a != log->logged) {
				fprintf(stderr,
					"acked_verify: log %s: write %" PRIu64
					" out of order\n",
					path, a);
				exit(1);
			}
			if (log->logged == log->allocated) {
				log->allocated = log->allocated * 2 + 1024;
				log->returned = realloc(
					log->returned,
					log->allocated * sizeof(ssize_t));
				log->offset = realloc(log->offset,
						      log->allocated *
							      sizeof(uint64_t));
				if (!log->returned || !log->offset)
					die("realloc");
			}
			log->offset[log->logged] = offset;
			log->returned[log->logged++] = n;
		} else if (sscanf(line, "%c %" SCNu64, &kind, &a) == 2 &&
			   kind == 'F') {
			log->fsynced = a;
		} else if (sscanf(line, "%c %" SCNu64, &kind, &a) == 2 &&
			   kind == 'E') {
			log->ended = true;
		} else {
			/* the writer writes whole lines with one write(2) */
			fprintf(stderr, "acked_verify: log %s: bad line: %s",
				path, line);
			exit(1);
		}
	}
	fclose(f);
}

static unsigned char *read_region(const char *path, uint64_t offset,
				  uint64_t length)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	unsigned char *buf = malloc(length);
	if (!buf)
		die("malloc");
	uint64_t done = 0;
	while (done < length) {
		ssize_t n = pread(fd, buf + done, length - done,
				  (off_t)(offset + done));
		if (n < 0)
			die(path);
		if (n == 0) {
			fprintf(stderr,
				"acked_verify: %s: only %" PRIu64 " of %" PRIu64
				" bytes at offset %" PRIu64 "\n",
				path, done, length, offset);
			exit(1);
		}
		done += (uint64_t)n;
	}
	close(fd);
	return buf;
}

static void mark(int64_t *owner, uint64_t from, uint64_t to, int64_t who)
{
	for (uint64_t b = from; b < to; b++)
		owner[b] = who;
}

int main(int argc, char **argv)
{
	struct verify_options o;
	struct writer_log log;
	int ret = 1;
	parse_options(argc, argv, &o);
	read_log(o.log_path, &log);

	uint64_t size = o.part_size;
	unsigned char *expected =
		read_region(o.before_path, o.before_offset, size);
	unsigned char *actual =
		read_region(o.target_path, o.target_offset, size);
	int64_t *owner = malloc(size * sizeof(*owner));
	if (!owner)
		die("malloc");
	mark(owner, 0, size, OWNER_UNTOUCHED);

	uint64_t acked = o.fsync_mode ? log.fsynced : log.logged;
	if (acked > log.logged) {
		fprintf(stderr, "acked_verify: fsync covers unlogged writes\n");
		goto out;
	}
	/* the log and the plan must agree, or we would check the wrong bytes */
	for (uint64_t i = 0; i < log.logged; i++) {
		struct planned_write w =
			plan_write(o.seed, i, size, o.max_length);
		if (w.offset != log.offset[i] || log.returned[i] < 0 ||
		    (size_t)log.returned[i] > w.length) {
			fprintf(stderr,
				"acked_verify: write %" PRIu64
				" logged at %" PRIu64
				" (%zd bytes), planned at %" PRIu64
				" (%zu bytes): wrong seed or size?\n",
				i, log.offset[i], log.returned[i], w.offset,
				w.length);
			goto out;
		}
	}
	/* every acknowledged write, in order, over the old bytes */
	for (uint64_t i = 0; i < acked; i++) {
		struct planned_write w =
			plan_write(o.seed, i, size, o.max_length);
		size_t n = (size_t)log.returned[i];
		plan_fill(o.seed, i, w.offset, expected + w.offset, n);
		mark(owner, w.offset, w.offset + n, (int64_t)i);
	}
	/* then what may or may not have reached the source: unsynced writes,
	 * the cut tails of short writes, and the write in flight */
	uint64_t last_issued = log.ended ? log.logged : log.logged + 1;
	for (uint64_t i = 0; i < last_issued; i++) {
		struct planned_write w =
			plan_write(o.seed, i, size, o.max_length);
		uint64_t from = w.offset;
		if (i < acked)
			from += (uint64_t)log.returned[i];
		mark(owner, from, w.offset + w.length, OWNER_INDETERMINATE);
	}

	uint64_t count_acked = 0, count_untouched = 0, count_unknown = 0;
	uint64_t mismatches = 0;
	for (uint64_t b = 0; b < size; b++) {
		if (owner[b] == OWNER_INDETERMINATE) {
			count_unknown++;
			continue;
		}
		if (expected[b] == actual[b]) {
			if (owner[b] == OWNER_UNTOUCHED)
				count_untouched++;
			else
				count_acked++;
			continue;
		}
		if (mismatches++ >= MAX_REPORTED_MISMATCHES)
			continue;
		if (owner[b] == OWNER_UNTOUCHED)
			fprintf(stderr,
				"acked_verify: %s: CHANGED byte at part offset "
				"%" PRIu64 " that no write touched: was 0x%02x,"
				" now 0x%02x\n",
				o.target_path, b, expected[b], actual[b]);
		else
			fprintf(stderr,
				"acked_verify: %s: LOST acknowledged byte at "
				"part offset %" PRIu64 " (write %" PRId64
				"): expected 0x%02x, found 0x%02x\n",
				o.target_path, b, owner[b], expected[b],
				actual[b]);
	}
	if (mismatches) {
		fprintf(stderr,
			"acked_verify: %s: %" PRIu64 " bad bytes (seed %" PRIu64
			", %s mode, %" PRIu64 " writes logged, %" PRIu64
			" acknowledged)\n",
			o.target_path, mismatches, o.seed,
			o.fsync_mode ? "fsync" : "write", log.logged, acked);
		goto out;
	}
	printf("VERIFIED acked=%" PRIu64 " untouched=%" PRIu64
	       " indeterminate=%" PRIu64 " writes=%" PRIu64 "\n",
	       count_acked, count_untouched, count_unknown, acked);
	ret = 0;
out:
	free(owner);
	free(actual);
	free(expected);
	free(log.returned);
	free(log.offset);
	return ret;
}
