/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * handle.c -- open files and the pins they hold on the tree's nodes. An
 * open part or map view is pinned (opens > 0), and a pinned part is never
 * unmapped: that is what lets the data path run without the lock.
 *
 * Handles are reference counted. A reply that hands the kernel a pointer into a
 * handle's memory (fuse_reply_buf from a mapping or a text snapshot) holds a
 * reference until the call returns: the reader may close, and RELEASE run on
 * another thread, before that call is back (e.g. under a sanitizer that
 * re-reads the buffer after writev). The last reference unpins the part or map
 * view, so it cannot be unmapped earlier.
 */
#include <errno.h>
#include <stdlib.h>

#include "tree/handle.h"

int ns_part_open(struct namespace *ns, fuse_ino_t ino, struct part_node **part)
{
	pthread_mutex_lock(&ns->lock);
	struct part_node *p = ns_part_by_ino_locked(ns, ino);
	if (p != NULL)
		p->opens++;
	pthread_mutex_unlock(&ns->lock);
	*part = p;
	return p ? 0 : -ENOENT;
}

void ns_part_release(struct namespace *ns, struct part_node *part)
{
	pthread_mutex_lock(&ns->lock);
	part->opens--;
	pthread_cond_broadcast(&ns->released);
	pthread_mutex_unlock(&ns->lock);
}

int ns_map_open(struct namespace *ns, fuse_ino_t ino, struct map_view **map)
{
	pthread_mutex_lock(&ns->lock);
	struct map_view *m = ns_map_by_ino_locked(ns, ino);
	/* a retired view's bytes may be gone; only live ones can be opened */
	if (m != NULL && m->live)
		m->opens++;
	else
		m = NULL;
	pthread_mutex_unlock(&ns->lock);
	*map = m;
	return m ? 0 : -ENOENT;
}

void ns_map_release(struct namespace *ns, struct map_view *map)
{
	pthread_mutex_lock(&ns->lock);
	map->opens--;
	if (!map->live && map->opens == 0) {
		struct map_view **link = &ns->retired;
		while (*link != NULL && *link != map)
			link = &(*link)->next_retired;
		if (*link != NULL)
			*link = map->next_retired;
		free(map);
	}
	pthread_cond_broadcast(&ns->released);
	pthread_mutex_unlock(&ns->lock);
}

static bool ranges_overlap(const char *a, size_t alen, const char *b,
			   size_t blen)
{
	return a < b + blen && b < a + alen;
}

bool ns_part_busy_locked(struct namespace *ns, const struct part_node *part)
{
	if (part->opens > 0)
		return true;
	for (size_t i = 0; i < ns->nmaps; i++) {
		const struct map_view *m = ns->maps[i];
		if (m->opens > 0 &&
		    ranges_overlap(m->addr, m->size, part->addr, part->length))
			return true;
	}
	for (const struct map_view *m = ns->retired; m; m = m->next_retired) {
		if (ranges_overlap(m->addr, m->size, part->addr, part->length))
			return true;
	}
	return false;
}

struct handle *handle_new(enum handle_kind kind)
{
	struct handle *h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	h->kind = kind;
	atomic_init(&h->refs, 1);
	return h;
}

void handle_hold(struct handle *h)
{
	atomic_fetch_add(&h->refs, 1);
}

void handle_put(struct namespace *ns, struct handle *h)
{
	if (h == NULL || atomic_fetch_sub(&h->refs, 1) != 1)
		return;
	if (h->part != NULL)
		ns_part_release(ns, h->part);
	if (h->map != NULL)
		ns_map_release(ns, h->map);
	free(h->text);
	free(h);
}
