/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * acked_writer.c -- writes the seeded plan of acked_plan.h into a part file
 * of a mounted pmemsetfs and records in a log what the daemon acknowledged:
 *
 *   W <index> <offset> <bytes>  pwrite number <index> at <offset> returned
 *                               <bytes>
 *   F <count>           an fsync returned: writes 0..count-1 are covered
 *   E <count>           the writer finished: nothing was in flight
 *
 * With -p write every W line is an acknowledgement (persist=write persists
 * before the write returns); with -p fsync only the writes before the last F
 * are. The log is written with write(2) straight after each acknowledgement:
 * the test kills only the daemon, so the kernel keeps the log's bytes (the
 * same guarantee as stdout piped to a file) without an fsync per record.
 *
 * Usage: acked_writer -f PART -l LOG -s SEED -p write|fsync
 *                     [-n WRITES] [-m MAX_LENGTH]
 * Exit: 0 when the plan ran out or the daemon went away (the mount answers
 * ENOTCONN or ECONNABORTED, to the failed call or to a statfs() after it),
 * 1 on any other error (a live daemon's EIO, ENOSPC or short write), 2 on
 * bad usage.
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
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "acked_plan.h"

struct writer_options {
	const char *part_path;
	const char *log_path;
	uint64_t seed;
	bool fsync_mode;
	uint64_t writes;
	size_t max_length;
};

static void usage(void)
{
	fprintf(stderr, "usage: acked_writer -f PART -l LOG -s SEED "
			"-p write|fsync [-n WRITES] [-m MAX_LENGTH]\n");
	exit(2);
}

static void parse_options(int argc, char **argv, struct writer_options *o)
{
	int c;
	bool have_seed = false, have_mode = false;
	memset(o, 0, sizeof(*o));
	o->writes = 1000000;
	o->max_length = 256 * 1024;
	while ((c = getopt(argc, argv, "f:l:s:p:n:m:")) != -1) {
		switch (c) {
		case 'f':
			o->part_path = optarg;
			break;
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
		case 'n':
			o->writes = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			o->max_length = strtoull(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (!o->part_path || !o->log_path || !have_seed || !have_mode ||
	    o->max_length == 0 || optind != argc)
		usage();
}

/* Appends one record to the log; a log we cannot write makes the run
 * worthless, so that is fatal. */
static void log_record(int log_fd, const char *fmt, ...)
{
	char line[128];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (write(log_fd, line, (size_t)len) != len) {
		perror("acked_writer: log write");
		exit(1);
	}
}

static const char *part_path_for_errors;

/*
 * Whether the daemon behind the mount has gone. statfs() is the probe
 * because the kernel never answers it from a cache: it reaches the daemon
 * or fails with ENOTCONN/ECONNABORTED once the connection is gone (a stat()
 * could be answered from the attribute cache of a dead daemon's mount and
 * call it alive). Over FUSE-over-io_uring a request the kernel was handing
 * to a ring thread of the killed daemon fails with ECANCELED, and so can
 * the probe itself while the connection is being torn down.
 */
static bool daemon_has_gone(void)
{
	struct statfs sfs;
	if (statfs(part_path_for_errors, &sfs) == 0)
		return false;
	return errno == ENOTCONN || errno == ECONNABORTED || errno == ECANCELED;
}

/*
 * The daemon going away is the expected end of a crash cycle. Calls in
 * flight then fail with ECONNABORTED, later ones with ENOTCONN, and a write
 * the kernel was handing to a daemon thread as SIGKILL landed fails with
 * EIO; so any other error counts as the daemon's death only if the mount
 * has really gone. A live daemon's EIO or ENOSPC is a failure.
 */
static int stop_on_error(const char *what, uint64_t index)
{
	int err = errno;
	bool daemon_gone = err == ENOTCONN || err == ECONNABORTED;
	if (!daemon_gone)
		daemon_gone = daemon_has_gone();
	fprintf(stderr, "acked_writer: %s at write %" PRIu64 ": %s%s\n", what,
		index, strerror(err),
		daemon_gone ? " (daemon gone, stopping)" : " (daemon alive)");
	return daemon_gone ? 0 : 1;
}

/* A short write is acceptable only as a request cut by the daemon's death. */
static int stop_on_short_write(uint64_t index, ssize_t done, size_t wanted)
{
	bool daemon_gone = daemon_has_gone();
	fprintf(stderr,
		"acked_writer: short write %" PRIu64 ": %zd of %zu bytes%s\n",
		index, done, wanted,
		daemon_gone ? " (daemon gone, stopping)" : " (daemon alive)");
	return daemon_gone ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct writer_options o;
	parse_options(argc, argv, &o);
	part_path_for_errors = o.part_path;

	int log_fd =
		open(o.log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (log_fd < 0) {
		perror(o.log_path);
		return 1;
	}
	int fd = open(o.part_path, O_RDWR);
	if (fd < 0)
		return stop_on_error("open", 0);
	struct stat st;
	if (fstat(fd, &st) != 0)
		return stop_on_error("fstat", 0);
	if (st.st_size <= 0) {
		fprintf(stderr, "acked_writer: %s is empty\n", o.part_path);
		return 1;
	}
	unsigned char *buf = malloc(o.max_length);
	if (!buf) {
		perror("malloc");
		return 1;
	}

	uint64_t part_size = (uint64_t)st.st_size;
	/* fsync after a seeded number of writes, 1..16, so that a crash finds
	 * anything from zero to many unsynced writes */
	uint64_t next_fsync = 1 + plan_mix(o.seed ^ 0xf5) % 16;
	int ret = 0;
	uint64_t i;
	for (i = 0; i < o.writes; i++) {
		struct planned_write w =
			plan_write(o.seed, i, part_size, o.max_length);
		plan_fill(o.seed, i, w.offset, buf, w.length);
		ssize_t n = pwrite(fd, buf, w.length, (off_t)w.offset);
		if (n < 0) {
			ret = stop_on_error("pwrite", i);
			goto out;
		}
		log_record(log_fd, "W %" PRIu64 " %" PRIu64 " %zd\n", i,
			   w.offset, n);
		if ((size_t)n != w.length) {
			ret = stop_on_short_write(i, n, w.length);
			goto out;
		}
		if (o.fsync_mode && i + 1 == next_fsync) {
			if (fsync(fd) != 0) {
				ret = stop_on_error("fsync", i);
				goto out;
			}
			log_record(log_fd, "F %" PRIu64 "\n", i + 1);
			next_fsync += 1 + plan_mix(o.seed ^ i) % 16;
		}
	}
	if (o.fsync_mode) {
		if (fsync(fd) != 0) {
			ret = stop_on_error("fsync", i);
			goto out;
		}
		log_record(log_fd, "F %" PRIu64 "\n", i);
	}
	log_record(log_fd, "E %" PRIu64 "\n", i);
out:
	free(buf);
	close(fd);
	close(log_fd);
	return ret;
}
