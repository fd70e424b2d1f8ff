/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * namespace.h -- what the mounted tree is made of: inode numbers for the
 * fixed entries (root, .pmemset, maps/, status, ctl), part nodes (one per
 * mapped part) and map views (one per part map, in address order), plus
 * the set-wide state every handler reads (settings, counters, last error).
 *
 * Inode numbers of parts and map views are never reused, so a stale inode
 * the kernel still holds simply stops resolving. One mutex guards the
 * tables; the data path does not take it: an open handle pins its node
 * (opens > 0), and a part with open handles is never unmapped.
 */
#ifndef PMEMSETFS_NAMESPACE_H
#define PMEMSETFS_NAMESPACE_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>

#include "base/hash_table.h"
#include "base/setfile.h"

struct source_lock; /* set/source_lock.h: the tree only points to them */
struct source_locks;

enum {
	INO_ROOT = FUSE_ROOT_ID,
	INO_META_DIR,	 /* .pmemset */
	INO_MAPS_DIR,	 /* .pmemset/maps */
	INO_STATUS,	 /* .pmemset/status */
	INO_CTL,	 /* .pmemset/ctl */
	INO_STATUS_JSON, /* .pmemset/status.json */
	INO_FIRST_DYNAMIC = 16,
};

#define META_DIR_NAME ".pmemset"

struct part_node {
	fuse_ino_t ino;
	char *name;
	char *source; /* the file's path, or "temporary:DIR" */
	bool temporary;
	size_t offset; /* in the source */
	size_t length;
	char *addr; /* where the part is mapped */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	struct timespec atime, mtime, ctime; /* under the namespace lock */
	atomic_llong written_ns; /* time of the last write, 0: none */
	dev_t source_dev;	 /* the source as mapped: st_blocks is */
	ino_t source_ino; /* counted only while the path still leads there */
	unsigned opens;	  /* open handles, under the namespace lock */
	/* handles served from the page cache, and how many were ever opened:
	 * a direct write drops what such a reader may have cached meanwhile */
	atomic_uint cached_opens;
	atomic_uint cached_opens_ever;
	atomic_bool dirty;   /* persist=fsync: written since the last persist */
	atomic_bool overran; /* writeback: the kernel wrote past the end */
	atomic_bool failed;  /* its source was truncated: EIO until remapped */
	struct source_lock *lock; /* NULL for a temporary part */
};

struct map_view {
	fuse_ino_t ino;
	char *addr;
	size_t size;
	bool live;	/* false: the part map changed, kept for open handles */
	unsigned opens; /* under the namespace lock */
	atomic_bool dirty;
	struct map_view *next_retired;
};

/* a name whose cached kernel entry must go (ns_flush_stale_entries) */
struct stale_entry {
	fuse_ino_t parent;
	char *name;
};

/* -o uid=, gid=, umask=: how part and map files are shown */
struct ownership {
	bool has_uid, has_gid, has_umask;
	unsigned uid, gid;
	mode_t umask;
};

struct counters {
	atomic_uint_fast64_t bytes_read;
	atomic_uint_fast64_t bytes_written;
	atomic_uint_fast64_t persists;
};

/* The last change of the set that failed, for status and status.json. */
struct last_error {
	bool set;	      /* false: none yet */
	struct timespec time; /* CLOCK_REALTIME */
	unsigned line;	      /* in a ctl script; 0: not a script */
	char command[300]; /* "ctl 'unmap x'", "rm x", control bytes escaped */
	char reason[1024];
};

struct namespace
{
	pthread_mutex_t change_lock; /* one change of the set at a time */
	pthread_mutex_t lock;	     /* the tables below */
	pthread_cond_t released;     /* signalled when a handle closes */
	struct pmemset *set;
	struct pmem2_vm_reservation *reservation; /* NULL: none */
	struct set_settings settings;
	bool direct_io; /* -o cache=direct: part files bypass the page cache */
	bool writeback; /* cache=page, persist=fsync: FUSE writeback cache */
	bool read_only; /* -o ro: sources opened and mapped read-only */
	/* -o unlink=unmap: rm of a part unmaps it (default: refused) */
	bool unlink_unmaps;
	struct ownership ownership;

	struct part_node **parts; /* in the order they were mapped */
	atomic_size_t
		failed_parts; /* how many have failed (set/part_failure.c) */
	size_t nparts, parts_cap;
	struct hash_table parts_by_name;
	struct map_view **maps; /* live ones, in address order */
	size_t nmaps;
	struct hash_table maps_by_ino;	   /* the live ones */
	struct source_locks *source_locks; /* made with the set (set/) */
	/* mounted, multi-threaded: the kernel may cache names (ops/dir.c) */
	bool cache_entries;
	struct stale_entry *stale; /* under lock */
	size_t nstale;
	dev_t setfile_dev; /* a part may not map the set file itself */
	ino_t setfile_ino;
	struct map_view *retired; /* no longer live, still open: a list */
	fuse_ino_t next_ino;

	struct counters counters;
	struct last_error last_error;
	uid_t uid; /* the mounting user owns the fixed entries */
	gid_t gid;
	struct timespec mount_time;
	/* the root directory's times: the mount's, or what touch set */
	struct timespec root_atime, root_mtime, root_ctime;
	struct fuse_session *session; /* for cache invalidation notices */
	char *mountpoint;	      /* resolved, once mounted */
	dev_t mount_dev;	      /* our device, once mounted */
	bool has_mount_dev;
};

void ns_init(struct namespace *ns, const struct set_settings *settings);

/*
 * Frees the tables and the locks. The set they describe is torn down
 * first (set_teardown: persist, delete the set, drop the source locks).
 */
void ns_destroy(struct namespace *ns);

/* The rest expect ns->lock held (the _locked suffix says so). */
struct part_node *ns_part_by_ino_locked(struct namespace *ns, fuse_ino_t ino);
struct part_node *ns_part_by_name_locked(struct namespace *ns,
					 const char *name);
struct map_view *ns_map_by_ino_locked(struct namespace *ns, fuse_ino_t ino);
/* Index of the live map holding addr, or -1. */
long ns_map_index_locked(struct namespace *ns, const char *addr);
int ns_add_part_locked(struct namespace *ns, struct part_node *part);
/* Re-reads the part maps from the set after any change of it. */
int ns_refresh_maps_locked(struct namespace *ns);
/*
 * Takes the part out of the tables and frees it (it is already unmapped;
 * its source lock is the caller's to put).
 */
void ns_forget_part_locked(struct namespace *ns, struct part_node *part);
void ns_set_last_error_locked(struct namespace *ns,
			      const struct last_error *error);
/*
 * "[line N: ]COMMAND: REASON", as the log and a ctl client show it; with
 * with_time the UTC time goes first (status). "none" when there is none.
 */
void last_error_format(const struct last_error *error, bool with_time,
		       char *out, size_t outlen);

/*
 * Tells the kernel to drop the names that changed (parts gone, map files
 * renumbered). Call with no lock held and no directory request of ours
 * pending (not inside unlink: its directory is locked until we reply).
 */
void ns_flush_stale_entries(struct namespace *ns);

/* Sum of all part lengths (statfs). */
size_t ns_total_size(struct namespace *ns);

void part_node_free(struct part_node *part);

#endif /* PMEMSETFS_NAMESPACE_H */
