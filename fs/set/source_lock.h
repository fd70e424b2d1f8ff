/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source_lock.h -- the set's advisory locks on its source files (see
 * source_lock.c). Called under ns->change_lock, or before mounting.
 */
#ifndef PMEMSETFS_SOURCE_LOCK_H
#define PMEMSETFS_SOURCE_LOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/hash_table.h"

struct source_lock;

struct source_locks {
	struct hash_table by_file; /* by device and inode */
	bool shared; /* -o ro: readers share a source, writers exclude all */
};

/* No lock yet; shared for a read-only mount. NULL: out of memory. */
struct source_locks *source_locks_new(bool shared);

/*
 * Locks path for one more part of this set (a file another part already
 * locked just counts one more). -EBUSY when another process holds it; err
 * then says "PATH is in use by pmemsetfs (pid N)".
 */
int source_lock_take(struct source_locks *locks, const char *path,
		     struct source_lock **lock, char *err, size_t errlen);
/*
 * After fuse_daemonize: /proc/locks still names the parent that took the
 * locks and has exited; re-recording them names this process instead.
 */
void source_locks_renew(struct source_locks *locks);
/* One part less; the lock goes with the last. NULL is a no-op. */
void source_lock_put(struct source_locks *locks, struct source_lock *lock);
/* The locked descriptor (read-only), to look at the file; -1 for NULL. */
int source_lock_fd(const struct source_lock *lock);
/* Drops every lock (at unmount, after the last persist); NULL: no-op. */
void source_locks_free(struct source_locks *locks);

#endif /* PMEMSETFS_SOURCE_LOCK_H */
