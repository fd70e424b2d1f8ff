/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source_lock.c -- an advisory lock on every source file, held while any
 * part of the set maps it. Two mounts of one source used to be allowed,
 * and with -o cache=page one of them kept showing stale bytes after the
 * other wrote. flock() locks belong to an open file description, so a
 * second open of the same file in this process would conflict with the
 * first: the set keeps one lock per file (by device and inode), shared by
 * all of its parts on that file (slices of one file are common).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fuse_log.h>

#include "set/source_lock.h"

struct source_lock {
	dev_t dev;
	ino_t ino;
	int fd; /* holds the flock */
	unsigned parts;
};

struct file_id {
	dev_t dev;
	ino_t ino;
};

static size_t file_id_hash(dev_t dev, ino_t ino)
{
	return hash_number(ino ^ ((uint64_t)dev << 32));
}

static size_t lock_hash(const void *entry, const void *context)
{
	(void)context;
	const struct source_lock *lock = entry;
	return file_id_hash(lock->dev, lock->ino);
}

static bool lock_is_of(const void *entry, const void *key, const void *context)
{
	(void)context;
	const struct source_lock *lock = entry;
	const struct file_id *id = key;
	return lock->dev == id->dev && lock->ino == id->ino;
}

static struct source_lock *find(const struct source_locks *locks, dev_t dev,
				ino_t ino)
{
	struct file_id id = {dev, ino};
	return hash_table_find(&locks->by_file, file_id_hash(dev, ino),
			       lock_is_of, &id);
}

struct source_locks *source_locks_new(bool shared)
{
	struct source_locks *locks = calloc(1, sizeof(*locks));
	if (locks == NULL)
		return NULL;
	locks->by_file = (struct hash_table)HASH_TABLE_INIT(lock_hash, NULL);
	locks->shared = shared;
	return locks;
}

/*
 * "pmemsetfs (pid 123)": the process holding a lock on dev:ino, from
 * /proc/locks (fcntl's F_GETLK cannot see flock locks; F_OFD_GETLK would
 * report pid -1).
 */
static void describe_holder(dev_t dev, ino_t ino, char *out, size_t outlen)
{
	snprintf(out, outlen, "another process");
	FILE *f = fopen("/proc/locks", "re");
	if (f == NULL)
		return;
	char id[64], line[256];
	snprintf(id, sizeof(id), "%02x:%02x:%llu", major(dev), minor(dev),
		 (unsigned long long)ino);
	int pid = 0;
	while (pid == 0 && fgets(line, sizeof(line), f) != NULL) {
		char kind[16], field_id[64];
		int field_pid;
		/* "1: FLOCK  ADVISORY  WRITE 123 00:2d:4567 0 EOF" */
		if (sscanf(line, "%*s %15s %*s %*s %d %63s", kind, &field_pid,
			   field_id) == 3 &&
		    strcmp(field_id, id) == 0 && field_pid > 0 &&
		    field_pid != getpid())
			pid = field_pid;
	}
	fclose(f);
	if (pid == 0)
		return;
	char path[64], comm[64] = "a process";
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	FILE *c = fopen(path, "re");
	if (c != NULL) {
		if (fgets(comm, sizeof(comm), c) != NULL)
			comm[strcspn(comm, "\n")] = '\0';
		fclose(c);
	}
	snprintf(out, outlen, "%s (pid %d)", comm, pid);
}

/*
 * A set of 10,000 files needs 10,000 descriptors: use what the hard limit
 * allows (the soft limit is often 1,024). Once per process.
 */
static void raise_fd_limit(void)
{
	static bool raised;
	struct rlimit rl;
	if (raised || getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	raised = true;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int source_lock_take(struct source_locks *locks, const char *path,
		     struct source_lock **out, char *err, size_t errlen)
{
	*out = NULL;
	raise_fd_limit();
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int code = -errno;
		snprintf(err, errlen, "cannot open %s to lock it: %s", path,
			 strerror(errno));
		return code;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int code = -errno;
		snprintf(err, errlen, "cannot stat %s: %s", path,
			 strerror(errno));
		close(fd);
		return code;
	}
	struct source_lock *lock = find(locks, st.st_dev, st.st_ino);
	if (lock != NULL) { /* another part of this set: share its lock */
		close(fd);
		lock->parts++;
		*out = lock;
		return 0;
	}
	if (flock(fd, (locks->shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
		int code = errno == EWOULDBLOCK ? -EBUSY : -errno;
		char holder[128];
		if (code == -EBUSY)
			describe_holder(st.st_dev, st.st_ino, holder,
					sizeof(holder));
		snprintf(err, errlen, "%s is in use by %s", path,
			 code == -EBUSY ? holder : strerror(-code));
		close(fd);
		return code;
	}
	lock = calloc(1, sizeof(*lock));
	if (lock != NULL)
		*lock = (struct source_lock){st.st_dev, st.st_ino, fd, 1};
	if (lock == NULL || hash_table_add(&locks->by_file, lock) != 0) {
		free(lock);
		close(fd); /* and with it the lock */
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*out = lock;
	return 0;
}

int source_lock_fd(const struct source_lock *lock)
{
	return lock != NULL ? lock->fd : -1;
}

/*
 * A shared lock is re-recorded without a gap: a second open file takes it
 * too (shared locks do not conflict), then the inherited one is dropped.
 */
static int renew_shared(struct source_lock *lock)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", lock->fd);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
		close(fd);
		return -1;
	}
	close(lock->fd);
	lock->fd = fd;
	return 0;
}

void source_locks_renew(struct source_locks *locks)
{
	for (size_t i = 0; i < locks->by_file.cap; i++) {
		struct source_lock *lock = locks->by_file.slots[i];
		if (lock == NULL)
			continue;
		if (locks->shared) {
			if (renew_shared(lock) != 0)
				fuse_log(FUSE_LOG_WARNING,
					 "pmemsetfs: cannot renew the shared "
					 "lock on a source: %s\n",
					 strerror(errno));
			continue;
		}
		/*
		 * A conversion re-records the owner (fuse_daemonize forked).
		 * Linux converts by dropping and re-taking, so another
		 * pmemsetfs could only slip in between if it asked for the
		 * lock in those microseconds; if the way back to exclusive
		 * fails, we still hold it shared, which keeps every other
		 * pmemsetfs (they ask for it exclusively) out.
		 */
		if (flock(lock->fd, LOCK_SH | LOCK_NB) != 0 ||
		    flock(lock->fd, LOCK_EX | LOCK_NB) != 0)
			fuse_log(FUSE_LOG_WARNING,
				 "pmemsetfs: cannot renew the lock on a "
				 "source: %s\n",
				 strerror(errno));
	}
}

void source_lock_put(struct source_locks *locks, struct source_lock *lock)
{
	if (lock == NULL || --lock->parts > 0)
		return;
	hash_table_remove(&locks->by_file, lock);
	close(lock->fd);
	free(lock);
}

void source_locks_free(struct source_locks *locks)
{
	if (locks == NULL)
		return;
	for (size_t i = 0; i < locks->by_file.cap; i++) {
		struct source_lock *lock = locks->by_file.slots[i];
		if (lock != NULL) {
			close(lock->fd);
			free(lock);
		}
	}
	hash_table_clear(&locks->by_file);
	free(locks);
}
