/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * set_teardown.c -- the other half of set_build.c: unmapping parts while
 * mounted (ctl unmap and remove-range, rm of a part file) and the whole
 * set at unmount. Whatever goes, its bytes are persisted first, since a
 * part written with persist=fsync may hold bytes no persist point has
 * reached yet; the source locks go last, once nothing can write.
 *
 * Open handles: a part whose file, or a map file over it, is open cannot
 * be unmapped. Because close() only queues FUSE's release, an unmap waits
 * up to BUSY_WAIT_SECONDS for handles to go away before it fails with EBUSY.
 * Changes run one at a time (change_lock), so while one waits (ns->lock
 * released) no other change can free the parts it is looking at.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "base/log.h"
#include "set/data_path.h"
#include "set/set_build.h"
#include "set/source_lock.h"
#include "tree/handle.h"

#define BUSY_WAIT_SECONDS 2

/* The first busy part among parts[0..n), or NULL. */
static struct part_node *first_busy_locked(struct namespace *ns,
					   struct part_node **parts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ns_part_busy_locked(ns, parts[i]))
			return parts[i];
	}
	return NULL;
}

/* Waits (lock held) until no part is busy; -EBUSY after the deadline. */
static int wait_not_busy_locked(struct namespace *ns, struct part_node **parts,
				size_t n, char *err, size_t errlen)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += BUSY_WAIT_SECONDS;
	struct part_node *busy;
	while ((busy = first_busy_locked(ns, parts, n)) != NULL) {
		if (pthread_cond_timedwait(&ns->released, &ns->lock,
					   &deadline) == ETIMEDOUT &&
		    (busy = first_busy_locked(ns, parts, n)) != NULL)
			return reason_fail(
				err, errlen, -EBUSY,
				"part %s is open (its file or a map file "
				"over it)",
				busy->name);
	}
	return 0;
}

/*
 * Unmaps every part touching [addr, addr+len) (ns->lock held): the unit
 * of removal is a whole part, as in pmemset_remove_range.
 */
int set_unmap_range_locked(struct namespace *ns, char *addr, size_t len,
			   char *err, size_t errlen)
{
	struct part_node **victims = calloc(ns->nparts + 1, sizeof(*victims));
	if (victims == NULL)
		return reason_fail(err, errlen, -ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < ns->nparts; i++) {
		struct part_node *p = ns->parts[i];
		if (p->addr < addr + len && addr < p->addr + p->length)
			victims[n++] = p;
	}
	int ret = wait_not_busy_locked(ns, victims, n, err, errlen);
	if (ret)
		goto out;
	/* the part may have been written with persist=fsync: keep its data */
	for (size_t i = 0; i < n; i++)
		persist_range(ns, victims[i]->addr, victims[i]->length);
	ret = pmemset_remove_range(ns->set, addr, len);
	if (ret) {
		ret = reason_fail(
			err, errlen,
			ret == PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP
				? -EBUSY
				: -EIO,
			"cannot unmap: %s", pmemset_errormsg());
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		source_lock_put(ns->source_locks, victims[i]->lock);
		ns_forget_part_locked(ns, victims[i]);
	}
	ret = ns_refresh_maps_locked(ns);
	if (ret)
		reason_fail(err, errlen, ret,
			    "out of memory listing the part maps");
out:
	free(victims);
	return ret;
}

void set_teardown(struct namespace *ns)
{
	if (ns->set != NULL) {
		for (size_t i = 0; i < ns->nmaps; i++)
			persist_range(ns, ns->maps[i]->addr, ns->maps[i]->size);
		pmemset_delete(&ns->set);
	}
	if (ns->reservation != NULL)
		pmem2_vm_reservation_delete(&ns->reservation);
	source_locks_free(ns->source_locks); /* after the last persist */
	ns->source_locks = NULL;
}
