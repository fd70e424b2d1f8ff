/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * namespace.c -- the tables behind the mounted tree: part nodes, map views
 * and their inode numbers, open-handle pins, and the view of the set's part
 * maps that .pmemset/maps shows (re-read after every change of the set).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "tree/namespace.h"

/*
 * Parts by name and live map views by inode number, in constant time:
 * `ls -l` of a 10,000-part set asks 10,000 of each, and a scan per
 * question made listing quadratic.
 */
static size_t part_name_hash(const void *entry, const void *context)
{
	(void)context;
	return hash_string(((const struct part_node *)entry)->name);
}

static bool part_has_name(const void *entry, const void *name,
			  const void *context)
{
	(void)context;
	return strcmp(((const struct part_node *)entry)->name, name) == 0;
}

static size_t view_ino_hash(const void *entry, const void *context)
{
	(void)context;
	return hash_number(((const struct map_view *)entry)->ino);
}

static bool view_has_ino(const void *entry, const void *ino,
			 const void *context)
{
	(void)context;
	return ((const struct map_view *)entry)->ino ==
	       *(const fuse_ino_t *)ino;
}

/* Replaces the inode index with one of the live views; keeps it on failure. */
static int index_views_locked(struct namespace *ns)
{
	struct hash_table fresh = HASH_TABLE_INIT(view_ino_hash, NULL);
	if (hash_table_reserve(&fresh, ns->nmaps) != 0)
		return -ENOMEM;
	for (size_t i = 0; i < ns->nmaps; i++)
		hash_table_add(&fresh, ns->maps[i]); /* reserved: cannot fail */
	hash_table_clear(&ns->maps_by_ino);
	ns->maps_by_ino = fresh;
	return 0;
}

void ns_init(struct namespace *ns, const struct set_settings *settings)
{
	memset(ns, 0, sizeof(*ns));
	pthread_mutex_init(&ns->change_lock, NULL);
	pthread_mutex_init(&ns->lock, NULL);
	pthread_cond_init(&ns->released, NULL);
	ns->settings = *settings;
	ns->next_ino = INO_FIRST_DYNAMIC;
	ns->parts_by_name =
		(struct hash_table)HASH_TABLE_INIT(part_name_hash, NULL);
	ns->maps_by_ino =
		(struct hash_table)HASH_TABLE_INIT(view_ino_hash, NULL);
	ns->uid = getuid();
	ns->gid = getgid();
	clock_gettime(CLOCK_REALTIME, &ns->mount_time);
	ns->root_atime = ns->root_mtime = ns->root_ctime = ns->mount_time;
}

void part_node_free(struct part_node *part)
{
	if (part == NULL)
		return;
	free(part->name);
	free(part->source);
	free(part);
}

void ns_destroy(struct namespace *ns)
{
	for (size_t i = 0; i < ns->nparts; i++)
		part_node_free(ns->parts[i]);
	for (size_t i = 0; i < ns->nmaps; i++)
		free(ns->maps[i]);
	while (ns->retired != NULL) {
		struct map_view *m = ns->retired;
		ns->retired = m->next_retired;
		free(m);
	}
	free(ns->parts);
	free(ns->maps);
	hash_table_clear(&ns->parts_by_name);
	for (size_t i = 0; i < ns->nstale; i++)
		free(ns->stale[i].name);
	free(ns->stale);
	hash_table_clear(&ns->maps_by_ino);
	free(ns->mountpoint);
	pthread_cond_destroy(&ns->released);
	pthread_mutex_destroy(&ns->lock);
	pthread_mutex_destroy(&ns->change_lock);
}

struct part_node *ns_part_by_ino_locked(struct namespace *ns, fuse_ino_t ino)
{
	/* parts get rising inode numbers and keep their order: bisect */
	size_t low = 0, high = ns->nparts;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		if (ns->parts[mid]->ino == ino)
			return ns->parts[mid];
		if (ns->parts[mid]->ino < ino)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

struct part_node *ns_part_by_name_locked(struct namespace *ns, const char *name)
{
	return hash_table_find(&ns->parts_by_name, hash_string(name),
			       part_has_name, name);
}

struct map_view *ns_map_by_ino_locked(struct namespace *ns, fuse_ino_t ino)
{
	struct map_view *live = hash_table_find(
		&ns->maps_by_ino, hash_number(ino), view_has_ino, &ino);
	if (live != NULL)
		return live;
	/* no index (it could not be allocated): scan */
	for (size_t i = 0; ns->maps_by_ino.cap == 0 && i < ns->nmaps; i++) {
		if (ns->maps[i]->ino == ino)
			return ns->maps[i];
	}
	for (struct map_view *m = ns->retired; m; m = m->next_retired) {
		if (m->ino == ino)
			return m;
	}
	return NULL;
}

long ns_map_index_locked(struct namespace *ns, const char *addr)
{
	size_t lo = 0, hi = ns->nmaps; /* maps are in address order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct map_view *m = ns->maps[mid];
		if (addr < m->addr)
			hi = mid;
		else if (addr >= m->addr + m->size)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

int ns_add_part_locked(struct namespace *ns, struct part_node *part)
{
	if (ns->nparts == ns->parts_cap) {
		size_t cap = ns->parts_cap ? ns->parts_cap * 2 : 16;
		struct part_node **grown =
			realloc(ns->parts, cap * sizeof(*grown));
		if (grown == NULL)
			return -ENOMEM;
		ns->parts = grown;
		ns->parts_cap = cap;
	}
	int ret = hash_table_add(&ns->parts_by_name, part);
	if (ret)
		return ret;
	part->ino = ns->next_ino++;
	ns->parts[ns->nparts++] = part;
	return 0;
}

/*
 * Remembers a name whose cached entry went stale. Without memory the entry
 * simply expires (the entry timeout is short).
 */
static void note_stale_locked(struct namespace *ns, fuse_ino_t parent,
			      const char *name)
{
	if (!ns->cache_entries)
		return;
	struct stale_entry *grown =
		realloc(ns->stale, (ns->nstale + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	ns->stale = grown;
	grown[ns->nstale].parent = parent;
	grown[ns->nstale].name = strdup(name);
	if (grown[ns->nstale].name != NULL)
		ns->nstale++;
}

void ns_flush_stale_entries(struct namespace *ns)
{
	pthread_mutex_lock(&ns->lock);
	struct stale_entry *stale = ns->stale;
	size_t n = ns->nstale;
	ns->stale = NULL;
	ns->nstale = 0;
	pthread_mutex_unlock(&ns->lock);
	for (size_t i = 0; i < n; i++) {
		fuse_lowlevel_notify_inval_entry(ns->session, stale[i].parent,
						 stale[i].name,
						 strlen(stale[i].name));
		free(stale[i].name);
	}
	free(stale);
}

/* Map file names are indexes: note every index whose inode changed. */
static void note_renumbered_maps_locked(struct namespace *ns,
					const fuse_ino_t *old_inos,
					size_t old_n)
{
	size_t n = old_n > ns->nmaps ? old_n : ns->nmaps;
	for (size_t i = 0; i < n; i++) {
		fuse_ino_t now = i < ns->nmaps ? ns->maps[i]->ino : 0;
		fuse_ino_t before = i < old_n ? old_inos[i] : 0;
		if (now != before && before != 0) {
			char name[32];
			snprintf(name, sizeof(name), "%zu", i);
			note_stale_locked(ns, INO_MAPS_DIR, name);
		}
	}
}

void ns_forget_part_locked(struct namespace *ns, struct part_node *part)
{
	note_stale_locked(ns, INO_ROOT, part->name);
	if (atomic_load(&part->failed))
		ns->failed_parts--;
	hash_table_remove(&ns->parts_by_name, part);
	for (size_t i = 0; i < ns->nparts; i++) {
		if (ns->parts[i] != part)
			continue;
		memmove(&ns->parts[i], &ns->parts[i + 1],
			(ns->nparts - i - 1) * sizeof(ns->parts[0]));
		ns->nparts--;
		break;
	}
	part_node_free(part);
}

void ns_set_last_error_locked(struct namespace *ns,
			      const struct last_error *error)
{
	ns->last_error = *error;
	ns->last_error.set = true;
}

void last_error_format(const struct last_error *error, bool with_time,
		       char *out, size_t outlen)
{
	if (!error->set) {
		snprintf(out, outlen, "none");
		return;
	}
	char time[LOG_TIME_MAX] = "", line[32] = "";
	if (with_time) {
		log_utc_time(&error->time, false, time, sizeof(time));
		strcat(time, " ");
	}
	if (error->line != 0)
		snprintf(line, sizeof(line), "line %u: ", error->line);
	snprintf(out, outlen, "%s%s%s: %s", time, line, error->command,
		 error->reason);
}

/* Descriptors of every part map, in address order; the caller frees. */
static int read_part_maps(struct pmemset *set,
			  struct pmemset_part_descriptor **descs, size_t *n)
{
	size_t count = 0, cap = 0;
	struct pmemset_part_descriptor *out = NULL;
	struct pmemset_part_map *cur = NULL, *next = NULL;

	pmemset_first_part_map(set, &cur);
	while (cur != NULL) {
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			void *grown = realloc(out, cap * sizeof(*out));
			if (grown == NULL) {
				pmemset_part_map_drop(&cur);
				free(out);
				return -ENOMEM;
			}
			out = grown;
		}
		out[count++] = pmemset_descriptor_part_map(cur);
		pmemset_next_part_map(set, cur, &next);
		pmemset_part_map_drop(&cur);
		cur = next;
		next = NULL;
	}
	*descs = out;
	*n = count;
	return 0;
}

/*
 * The old view of the same part map, if it survived. Old views and
 * descriptors are both in address order, so one cursor walks the old list
 * once for the whole refresh (a scan per map made 10,000 parts quadratic).
 */
static struct map_view *take_same_view(struct namespace *ns, size_t *cursor,
				       const struct pmemset_part_descriptor *d)
{
	while (*cursor < ns->nmaps &&
	       (char *)ns->maps[*cursor]->addr < (char *)d->addr)
		(*cursor)++;
	if (*cursor == ns->nmaps)
		return NULL;
	struct map_view *m = ns->maps[*cursor];
	if (m->addr != d->addr || m->size != d->size)
		return NULL;
	ns->maps[(*cursor)++] = NULL;
	return m;
}

/* Old views that did not survive: keep the open ones, free the rest. */
static void retire_views(struct namespace *ns)
{
	for (size_t i = 0; i < ns->nmaps; i++) {
		struct map_view *m = ns->maps[i];
		if (m == NULL)
			continue;
		m->live = false;
		if (m->opens == 0) {
			free(m);
			continue;
		}
		m->next_retired = ns->retired;
		ns->retired = m;
	}
}

int ns_refresh_maps_locked(struct namespace *ns)
{
	struct pmemset_part_descriptor *descs = NULL;
	size_t n = 0;
	int ret = read_part_maps(ns->set, &descs, &n);
	if (ret)
		return ret;

	struct map_view **fresh = calloc(n ? n : 1, sizeof(*fresh));
	fuse_ino_t *old_inos =
		ns->cache_entries
			? calloc(ns->nmaps ? ns->nmaps : 1, sizeof(*old_inos))
			: NULL;
	if (fresh == NULL || (ns->cache_entries && old_inos == NULL)) {
		free(fresh);
		free(descs);
		return -ENOMEM;
	}
	size_t old_n = ns->nmaps;
	for (size_t i = 0; old_inos != NULL && i < old_n; i++)
		old_inos[i] = ns->maps[i]->ino;
	size_t cursor = 0;
	for (size_t i = 0; i < n; i++) {
		struct map_view *m = take_same_view(ns, &cursor, &descs[i]);
		if (m == NULL) {
			m = calloc(1, sizeof(*m));
			if (m == NULL) {
				ret = -ENOMEM;
				continue;
			}
			m->ino = ns->next_ino++;
			m->addr = descs[i].addr;
			m->size = descs[i].size;
			m->live = true;
		}
		fresh[i] = m;
	}
	free(descs);
	retire_views(ns);
	free(ns->maps);
	ns->maps = fresh;
	ns->nmaps = n;
	/* compact away views we could not allocate */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (fresh[i] != NULL)
			fresh[kept++] = fresh[i];
	}
	ns->nmaps = kept;
	if (old_inos != NULL)
		note_renumbered_maps_locked(ns, old_inos, old_n);
	free(old_inos);
	if (index_views_locked(ns) != 0) {
		hash_table_clear(&ns->maps_by_ino); /* its views may be freed */
		ret = -ENOMEM;
	}
	return ret;
}

size_t ns_total_size(struct namespace *ns)
{
	size_t total = 0;
	pthread_mutex_lock(&ns->lock);
	for (size_t i = 0; i < ns->nparts; i++)
		total += ns->parts[i]->length;
	pthread_mutex_unlock(&ns->lock);
	return total;
}
