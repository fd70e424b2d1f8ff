/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lookup_index.c -- hash indexes that answer the kernel's per-file
 * questions (a part by name, a map view by inode number) in constant time:
 * `ls -l` of a 10,000-part set asks 10,000 of each, and a scan per question
 * made listing quadratic. Open addressing with linear probing; removal
 * shifts the following entries back, so no tombstones pile up.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tree/namespace.h"

#define MIN_SLOTS 64

static size_t hash_name(const char *name)
{
	size_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return h;
}

static size_t hash_ino(fuse_ino_t ino)
{
	return (size_t)(ino * 11400714819323198485ull);
}

static void name_slot_put(struct part_node **slots, size_t cap,
			  struct part_node *part)
{
	size_t i = hash_name(part->name) & (cap - 1);
	while (slots[i] != NULL)
		i = (i + 1) & (cap - 1);
	slots[i] = part;
}

static int name_index_grow(struct name_index *idx)
{
	size_t cap = idx->cap ? idx->cap * 2 : MIN_SLOTS;
	struct part_node **slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < idx->cap; i++) {
		if (idx->slots[i] != NULL)
			name_slot_put(slots, cap, idx->slots[i]);
	}
	free(idx->slots);
	idx->slots = slots;
	idx->cap = cap;
	return 0;
}

int name_index_add(struct name_index *idx, struct part_node *part)
{
	/* at most half full keeps probe runs short */
	if (2 * (idx->count + 1) > idx->cap) {
		int ret = name_index_grow(idx);
		if (ret)
			return ret;
	}
	name_slot_put(idx->slots, idx->cap, part);
	idx->count++;
	return 0;
}

struct part_node *name_index_find(const struct name_index *idx,
				  const char *name)
{
	if (idx->cap == 0)
		return NULL;
	size_t mask = idx->cap - 1;
	for (size_t i = hash_name(name) & mask; idx->slots[i] != NULL;
	     i = (i + 1) & mask) {
		if (strcmp(idx->slots[i]->name, name) == 0)
			return idx->slots[i];
	}
	return NULL;
}

void name_index_remove(struct name_index *idx, const struct part_node *part)
{
	if (idx->cap == 0)
		return;
	size_t mask = idx->cap - 1;
	size_t i = hash_name(part->name) & mask;
	while (idx->slots[i] != NULL && idx->slots[i] != part)
		i = (i + 1) & mask;
	if (idx->slots[i] == NULL)
		return;
	idx->slots[i] = NULL;
	idx->count--;
	/* move back every later entry of the run that may now be lost */
	for (size_t j = (i + 1) & mask; idx->slots[j] != NULL;
	     j = (j + 1) & mask) {
		struct part_node *moved = idx->slots[j];
		idx->slots[j] = NULL;
		name_slot_put(idx->slots, idx->cap, moved);
	}
}

void name_index_clear(struct name_index *idx)
{
	free(idx->slots);
	memset(idx, 0, sizeof(*idx));
}

int ino_index_build(struct ino_index *idx, struct map_view **views, size_t n)
{
	size_t cap = MIN_SLOTS;
	while (cap < 2 * n)
		cap *= 2;
	struct map_view **slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		size_t i = hash_ino(views[k]->ino) & (cap - 1);
		while (slots[i] != NULL)
			i = (i + 1) & (cap - 1);
		slots[i] = views[k];
	}
	free(idx->slots);
	idx->slots = slots;
	idx->cap = cap;
	return 0;
}

struct map_view *ino_index_find(const struct ino_index *idx, fuse_ino_t ino)
{
	if (idx->cap == 0)
		return NULL;
	size_t mask = idx->cap - 1;
	for (size_t i = hash_ino(ino) & mask; idx->slots[i] != NULL;
	     i = (i + 1) & mask) {
		if (idx->slots[i]->ino == ino)
			return idx->slots[i];
	}
	return NULL;
}

void ino_index_clear(struct ino_index *idx)
{
	free(idx->slots);
	memset(idx, 0, sizeof(*idx));
}
