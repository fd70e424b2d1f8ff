/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hash_table.c -- linear probing in a power-of-two array kept at most half
 * full, which keeps probe runs short. Removal shifts the rest of the run
 * back instead of leaving tombstones, so a table that sees many removals
 * (parts unmapped one by one) never fills up with them.
 */
#include <errno.h>
#include <stdlib.h>

#include "base/hash_table.h"

#define MIN_SLOTS 64

size_t hash_string(const char *text)
{
	size_t h = 1469598103934665603ull;
	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 1099511628211ull;
	return h;
}

size_t hash_number(uint64_t number)
{
	return (size_t)(number * 11400714819323198485ull);
}

static void slot_put(void **slots, size_t cap, size_t hash, void *entry)
{
	size_t i = hash & (cap - 1);
	while (slots[i] != NULL)
		i = (i + 1) & (cap - 1);
	slots[i] = entry;
}

static int resize(struct hash_table *t, size_t cap)
{
	void **slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i] != NULL)
			slot_put(slots, cap, t->hash(t->slots[i], t->context),
				 t->slots[i]);
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

int hash_table_reserve(struct hash_table *t, size_t n)
{
	if (2 * n <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap : MIN_SLOTS;
	while (cap < 2 * n)
		cap *= 2;
	return resize(t, cap);
}

int hash_table_add(struct hash_table *t, void *entry)
{
	int ret = hash_table_reserve(t, t->count + 1);
	if (ret)
		return ret;
	slot_put(t->slots, t->cap, t->hash(entry, t->context), entry);
	t->count++;
	return 0;
}

void *hash_table_find(const struct hash_table *t, size_t hash,
		      hash_match_fn *match, const void *key)
{
	if (t->cap == 0)
		return NULL;
	size_t mask = t->cap - 1;
	for (size_t i = hash & mask; t->slots[i] != NULL; i = (i + 1) & mask) {
		if (match(t->slots[i], key, t->context))
			return t->slots[i];
	}
	return NULL;
}

void hash_table_remove(struct hash_table *t, const void *entry)
{
	if (t->cap == 0)
		return;
	size_t mask = t->cap - 1;
	size_t i = t->hash(entry, t->context) & mask;
	while (t->slots[i] != NULL && t->slots[i] != entry)
		i = (i + 1) & mask;
	if (t->slots[i] == NULL)
		return;
	t->slots[i] = NULL;
	t->count--;
	/* put back every later entry of the run, which may now be cut off */
	for (size_t j = (i + 1) & mask; t->slots[j] != NULL;
	     j = (j + 1) & mask) {
		void *moved = t->slots[j];
		t->slots[j] = NULL;
		slot_put(t->slots, t->cap, t->hash(moved, t->context), moved);
	}
}

void hash_table_clear(struct hash_table *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}
