/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * handle.c -- open-file handles, reference counted. A reply that hands the
 * kernel a pointer into a handle's memory (fuse_reply_buf from a mapping or
 * a text snapshot) holds a reference until the call returns: the reader may
 * close, and RELEASE run on another thread, before that call is back (e.g.
 * under a sanitizer that re-reads the buffer after writev). The last
 * reference unpins the part or map view, so it cannot be unmapped earlier.
 */
#include <stdlib.h>

#include "ops/handlers.h"

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
