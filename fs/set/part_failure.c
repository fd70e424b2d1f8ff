/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part_failure.c -- what a fault of the fault guard (fault_guard.c) means
 * for the part it hit, in the user's terms, and the part's failed state.
 *
 * A source truncated under a part fails the request that met it with EIO
 * and marks the part failed: from then on every read, write and fsync of it
 * (through its part file or a map file over it) fails with EIO, the reason
 * logged once and kept in last_error, status shows it, until the part is
 * unmapped and mapped again. Why not let it recover when the source grows
 * back: a copy that met the truncation in its window left zero pages in
 * the mapping that no longer reach the source, and a read from the kernel
 * met missing pages; the part no longer shows its source's bytes, and only
 * a new mapping does. A full file system (ENOSPC) is met by the touch,
 * which stores nothing: the part stays usable.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include "set/fault_guard.h"
#include "set/part_failure.h"
#include "set/source_lock.h"

/* The part that maps addr, or NULL (ns->lock held). */
static struct part_node *part_at_locked(struct namespace *ns, const char *addr)
{
	for (size_t i = 0; i < ns->nparts; i++) {
		struct part_node *p = ns->parts[i];
		if (addr >= p->addr && addr < p->addr + p->length)
			return p;
	}
	return NULL;
}

/* The source's size now, or -1 (a temporary part, or fstat failed). */
static long long source_size(const struct part_node *p)
{
	int fd = source_lock_fd(p->lock); /* -1 for a temporary part */
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		return -1;
	return (long long)st.st_size;
}

static bool file_system_full(const struct part_node *p)
{
	int fd = source_lock_fd(p->lock);
	struct statvfs sv;
	if (fd >= 0)
		return fstatvfs(fd, &sv) == 0 && sv.f_bavail == 0;
	return statvfs(p->source + strlen("temporary:"), &sv) == 0 &&
	       sv.f_bavail == 0;
}

static void mark_failed_locked(struct namespace *ns, struct part_node *p)
{
	if (!atomic_exchange(&p->failed, true))
		ns->failed_parts++;
}

/*
 * EIO when the source is now shorter than the faulting offset, ENOSPC when
 * its file system has no free block for a hole (only when nothing was
 * stored: may_be_full), EIO otherwise; every EIO fails the part. message
 * gets the reason in the user's terms.
 */
static int classify_locked(struct namespace *ns, const char *addr,
			   bool may_be_full, char *message, size_t len)
{
	struct part_node *p = part_at_locked(ns, addr);
	if (p == NULL) {
		snprintf(message, len, "bus error writing at %p", (void *)addr);
		return -EIO;
	}
	size_t offset = p->offset + (size_t)(addr - p->addr);
	long long size = source_size(p);
	if (size >= 0 && (size_t)size <= offset) {
		snprintf(message, len,
			 "part %s: its source %s was truncated "
			 "to %lld bytes by another process (the part needs "
			 "%zu); the part fails with EIO until it is unmapped "
			 "and mapped again",
			 p->name, p->source, size, p->offset + p->length);
	} else if (may_be_full && file_system_full(p)) {
		snprintf(message, len,
			 "part %s: no space left on the file system of %s "
			 "for a hole at offset %zu",
			 p->name, p->source, offset);
		return -ENOSPC;
	} else {
		snprintf(message, len,
			 "part %s: bus error at offset %zu of %s (truncated "
			 "and grown again?); the part fails with EIO until it "
			 "is unmapped and mapped again",
			 p->name, offset, p->source);
	}
	mark_failed_locked(ns, p);
	return -EIO;
}

/* Records error in last_error and the log. */
static void report(struct last_error *error)
{
	char message[sizeof(error->command) + sizeof(error->reason)];
	last_error_format(error, false, message, sizeof(message));
	fuse_log(FUSE_LOG_ERR, "pmemsetfs: %s\n", message);
}

static int write_fault(struct namespace *ns, const char *addr, bool may_be_full)
{
	struct last_error error = {.set = true, .command = "write"};
	clock_gettime(CLOCK_REALTIME, &error.time);
	pthread_mutex_lock(&ns->lock);
	int ret = classify_locked(ns, addr, may_be_full, error.reason,
				  sizeof(error.reason));
	ns_set_last_error_locked(ns, &error);
	pthread_mutex_unlock(&ns->lock);
	report(&error);
	return ret;
}

int part_failure_prepare_write(struct namespace *ns, char *addr, size_t len)
{
	char *fault_at = NULL;
	if (len == 0 || fault_guard_touch(addr, len, &fault_at) == 0)
		return 0;
	return write_fault(ns, fault_at, true);
}

int part_failure_after_copy(struct namespace *ns, const char *hit)
{
	if (hit == NULL)
		return 0;
	return write_fault(ns, hit, false);
}

bool part_failure_in_range(struct namespace *ns, const char *addr, size_t len)
{
	/* the common case, nothing failed: one load, no lock */
	if (atomic_load(&ns->failed_parts) == 0)
		return false;
	bool failed = false;
	pthread_mutex_lock(&ns->lock);
	for (size_t i = 0; i < ns->nparts && !failed; i++) {
		const struct part_node *p = ns->parts[i];
		failed = atomic_load(&p->failed) &&
			 addr < p->addr + p->length && p->addr < addr + len;
	}
	pthread_mutex_unlock(&ns->lock);
	return failed;
}

/*
 * The parts under [addr, addr+len) whose sources are now too short fail;
 * if none is (it grew back meanwhile), all of them: the kernel met a
 * missing page somewhere in that range.
 */
static void fail_read_range_locked(struct namespace *ns, const char *addr,
				   size_t len, struct last_error *error)
{
	size_t marked = 0;
	for (int pass = 0; pass < 2 && marked == 0; pass++) {
		for (size_t i = 0; i < ns->nparts; i++) {
			struct part_node *p = ns->parts[i];
			if (addr >= p->addr + p->length ||
			    p->addr >= addr + len)
				continue;
			long long size = source_size(p);
			bool short_now = size >= 0 &&
					 (size_t)size < p->offset + p->length;
			if (pass == 0 && !short_now)
				continue;
			if (marked++ == 0)
				snprintf(error->reason, sizeof(error->reason),
					 "part %s: the kernel could not read "
					 "from its mapping: its source %s was "
					 "truncated by another process; the "
					 "part fails with EIO until it is "
					 "unmapped and mapped again",
					 p->name, p->source);
			mark_failed_locked(ns, p);
		}
	}
}

void part_failure_after_reply(struct namespace *ns, const char *addr,
			      size_t len)
{
	if (!fault_guard_take_reply_fault())
		return;
	struct last_error error = {.set = true, .command = "read"};
	clock_gettime(CLOCK_REALTIME, &error.time);
	snprintf(error.reason, sizeof(error.reason),
		 "bad address %p in a read reply", (const void *)addr);
	pthread_mutex_lock(&ns->lock);
	fail_read_range_locked(ns, addr, len, &error);
	ns_set_last_error_locked(ns, &error);
	pthread_mutex_unlock(&ns->lock);
	report(&error);
}
