/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * status.h -- the set as .pmemset/status (text) and .pmemset/status.json
 * show it: one snapshot, two formatters (see status.c).
 */
#ifndef PMEMSETFS_STATUS_H
#define PMEMSETFS_STATUS_H

#include "tree/namespace.h"

struct status_map {
	const void *addr;
	size_t length;
	size_t first, count; /* its parts: map_order[first..first+count) */
};

struct status_part {
	const char *name; /* the node's: valid while ns->lock is held */
	const char *source;
	bool temporary;
	size_t offset, length;
	long map; /* index of the live map holding it, -1: none */
	const void *addr;
	bool failed; /* its source was truncated: EIO until mapped again */
};

struct status_snapshot {
	struct set_settings settings;
	bool granularity_known; /* false: no part mapped yet */
	enum pmem2_granularity granularity;
	const char *cache;	 /* -o cache=: "direct" or "page" */
	const char *write_cache; /* "none", "writeback" or "write-through" */
	const char *unlink;	 /* -o unlink=: "refuse" or "unmap" */
	bool read_only;		 /* -o ro */
	const char *log;	 /* "syslog", "stderr" or the log file */
	const char *transport;	 /* "uring" or "dev" */
	const char *transport_reason; /* why that one */
	struct status_map *maps;
	size_t nmaps;
	struct status_part *parts; /* in mapping order */
	size_t nparts;
	size_t *map_order; /* part indexes grouped by map, in address order */
	uint64_t bytes_read, bytes_written, persists;
	struct last_error last_error;
};

/* Gathers the snapshot (ns->lock held, and kept until it is cleared). */
int status_snapshot_take_locked(struct namespace *ns,
				struct status_snapshot *snap);
void status_snapshot_clear(struct status_snapshot *snap);

/* The file's whole text (malloc'd) and its length, or NULL (no memory). */
char *status_text_locked(struct namespace *ns, size_t *len);
char *status_json_locked(struct namespace *ns, size_t *len);

#endif /* PMEMSETFS_STATUS_H */
