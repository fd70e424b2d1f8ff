/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * set_build.h -- the set's lifetime: turns a parsed set file into a mapped
 * set (reservation, config, set, then every part in set-file order), maps
 * and unmaps single parts while mounted, and tears the set down. Records what
 * it did to source files (created them, grew them) so that a failure at any
 * later point of the start-up can put every file back byte for byte.
 */
#ifndef PMEMSETFS_SET_BUILD_H
#define PMEMSETFS_SET_BUILD_H

#include "tree/namespace.h"

struct file_change {
	char *path;
	bool existed; /* false: we created it, undo removes it */
	off_t size;   /* its size before, undo shrinks it back */
};

struct build_undo {
	struct file_change *changes;
	size_t nchanges;
};

/*
 * Creates ns->set (and its reservation) from spec and maps every part.
 * On failure err holds "LINE: part NAME: reason: libpmemset message"; the
 * caller then runs ns_destroy and build_undo_run.
 */
int set_build(struct namespace *ns, const struct set_spec *spec,
	      struct build_undo *undo, char *err, size_t errlen);

/*
 * Maps one part and adds its node. Called with ns->change_lock held (or
 * before mounting) but NOT ns->lock: the source may live on a file system
 * whose requests need our other threads. A failure leaves the set and the
 * part's source file as they were. undo may be NULL.
 */
int set_build_part(struct namespace *ns, const struct part_spec *part,
		   struct build_undo *undo, char *err, size_t errlen);

/*
 * Unmaps every part touching [addr, addr+len) after persisting it, waiting
 * a little for open handles to close: the unit of removal is a whole part,
 * as in pmemset_remove_range. ns->change_lock and ns->lock held. 0, or
 * -EBUSY (a part stays open), -EIO, -ENOMEM with the reason in err.
 */
int set_unmap_range_locked(struct namespace *ns, char *addr, size_t len,
			   char *err, size_t errlen);

/*
 * At unmount: persists every map, deletes the set and the reservation and
 * drops the source locks. The tables go after it (ns_destroy).
 */
void set_teardown(struct namespace *ns);

/* Puts the recorded files back (latest change first). */
void build_undo_run(struct build_undo *undo);
/* Forgets the records: the start-up succeeded. */
void build_undo_clear(struct build_undo *undo);

#endif /* PMEMSETFS_SET_BUILD_H */
