/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * index.c -- B+tree of part maps keyed by start address. Inner nodes keep,
 * for each child, the lowest key of that child's subtree; leaves keep the
 * part maps. All leaves are at the same depth and every node but the root
 * is at least a quarter full, so the height is O(log n). Keys of one node are
 * packed together so a level costs one short scan, not a pointer chase per
 * comparison as in a binary tree.
 *
 * Nodes come from a small spare pool that index_prepare_insert fills before
 * an operation that must not fail half-way; removal returns nodes to it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "errormsg.h"
#include "index.h"

#define FANOUT 32
#define MIN_FILL (FANOUT / 4)
#define SPARE_MAX 16

struct index_node {
	uintptr_t keys[FANOUT];
	void *slots[FANOUT]; /* children (inner node) or part maps (leaf) */
	int count;
	bool leaf;
};

static uintptr_t key_of(const void *addr)
{
	return (uintptr_t)addr;
}

int index_new(struct part_map_index **index)
{
	*index = pmemset_zalloc(sizeof(**index));
	if (*index == NULL)
		return set_error_errno(-ENOMEM, "cannot allocate set index");
	return 0;
}

static void node_free_tree(struct index_node *n)
{
	if (n == NULL)
		return;
	if (!n->leaf)
		for (int i = 0; i < n->count; i++)
			node_free_tree(n->slots[i]);
	pmemset_free(n);
}

void index_delete(struct part_map_index *index)
{
	node_free_tree(index->root);
	while (index->spare != NULL) {
		struct index_node *n = index->spare;
		index->spare = n->slots[0];
		pmemset_free(n);
	}
	pmemset_free(index);
}

int index_prepare_insert(struct part_map_index *index)
{
	/* one split per level plus a new root */
	while (index->spare_count < (size_t)index->height + 1) {
		struct index_node *n = pmemset_malloc(sizeof(*n));
		if (n == NULL)
			return set_error_errno(-ENOMEM,
					       "cannot grow the set index");
		n->slots[0] = index->spare;
		index->spare = n;
		index->spare_count++;
	}
	return 0;
}

static struct index_node *node_take(struct part_map_index *index, bool leaf)
{
	struct index_node *n = index->spare;
	index->spare = n->slots[0];
	index->spare_count--;
	n->count = 0;
	n->leaf = leaf;
	return n;
}

static void node_release(struct part_map_index *index, struct index_node *n)
{
	if (index->spare_count >= SPARE_MAX) {
		pmemset_free(n);
		return;
	}
	n->slots[0] = index->spare;
	index->spare = n;
	index->spare_count++;
}

/*
 * How many keys of n are <= key (keys are sorted). A lookup is bound by
 * the chain of dependent loads, so a branch-free binary search narrows the
 * node to at most 8 keys and a linear count, whose compares are independent,
 * finishes it.
 */
static int key_rank(const struct index_node *n, uintptr_t key)
{
	const uintptr_t *base = n->keys;
	int len = n->count;
	while (len > 8) {
		int half = len / 2;
		base = base[half] <= key ? base + half : base;
		len -= half;
	}
	int rank = (int)(base - n->keys);
	for (int i = 0; i < len; i++)
		rank += base[i] <= key;
	return rank;
}

static uintptr_t node_min(const struct index_node *n)
{
	return n->keys[0];
}

static void node_insert_at(struct index_node *n, int pos, uintptr_t key,
			   void *slot)
{
	int tail = n->count - pos;
	memmove(&n->keys[pos + 1], &n->keys[pos], (size_t)tail * sizeof(key));
	memmove(&n->slots[pos + 1], &n->slots[pos],
		(size_t)tail * sizeof(slot));
	n->keys[pos] = key;
	n->slots[pos] = slot;
	n->count++;
}

static void node_remove_at(struct index_node *n, int pos)
{
	int tail = n->count - pos - 1;
	memmove(&n->keys[pos], &n->keys[pos + 1],
		(size_t)tail * sizeof(*n->keys));
	memmove(&n->slots[pos], &n->slots[pos + 1],
		(size_t)tail * sizeof(*n->slots));
	n->count--;
}

/* inserts at pos, splitting a full node; returns the new right half */
static struct index_node *node_insert_split(struct part_map_index *index,
					    struct index_node *n, int pos,
					    uintptr_t key, void *slot)
{
	if (n->count < FANOUT) {
		node_insert_at(n, pos, key, slot);
		return NULL;
	}
	/*
	 * Mappings usually arrive in falling (kernel top-down) or rising
	 * (coalescing, reservation first fit) address order; splitting such
	 * inserts 1:3 instead of 1:1 leaves nodes fuller and the tree lower.
	 */
	int cut = FANOUT / 2;
	if (pos < FANOUT / 4)
		cut = FANOUT / 4;
	else if (pos > FANOUT - FANOUT / 4)
		cut = FANOUT - FANOUT / 4;
	struct index_node *right = node_take(index, n->leaf);
	right->count = FANOUT - cut;
	memcpy(right->keys, &n->keys[cut], (size_t)right->count * sizeof(key));
	memcpy(right->slots, &n->slots[cut],
	       (size_t)right->count * sizeof(slot));
	n->count = cut;
	if (pos <= cut)
		node_insert_at(n, pos, key, slot);
	else
		node_insert_at(right, pos - cut, key, slot);
	return right;
}

static struct index_node *insert_into(struct part_map_index *index,
				      struct index_node *n, uintptr_t key,
				      void *slot)
{
	int rank = key_rank(n, key);
	if (n->leaf)
		return node_insert_split(index, n, rank, key, slot);

	int i = rank == 0 ? 0 : rank - 1;
	struct index_node *child = n->slots[i];
	struct index_node *right = insert_into(index, child, key, slot);
	n->keys[i] = node_min(child);
	if (right == NULL)
		return NULL;
	return node_insert_split(index, n, i + 1, node_min(right), right);
}

int index_insert(struct part_map_index *index, struct pmemset_part_map *pmap)
{
	if (index_first_overlap(index, pmap->addr, part_map_end(pmap)) != NULL)
		return set_error(PMEMSET_E_PART_EXISTS,
				 "part map %p overlaps an existing one",
				 (void *)pmap->addr);
	int ret = index_prepare_insert(index);
	if (ret)
		return ret;

	if (index->root == NULL) {
		index->root = node_take(index, true);
		index->height = 1;
	}
	struct index_node *right =
		insert_into(index, index->root, key_of(pmap->addr), pmap);
	if (right != NULL) {
		struct index_node *root = node_take(index, false);
		node_insert_at(root, 0, node_min(index->root), index->root);
		node_insert_at(root, 1, node_min(right), right);
		index->root = root;
		index->height++;
	}
	index->count++;
	return 0;
}

/* merges child i+1 of n into child i */
static void merge_children(struct part_map_index *index, struct index_node *n,
			   int i)
{
	struct index_node *left = n->slots[i];
	struct index_node *right = n->slots[i + 1];
	memcpy(&left->keys[left->count], right->keys,
	       (size_t)right->count * sizeof(*right->keys));
	memcpy(&left->slots[left->count], right->slots,
	       (size_t)right->count * sizeof(*right->slots));
	left->count += right->count;
	node_remove_at(n, i + 1);
	node_release(index, right);
}

/* child i of n fell below half: borrow from a sibling or merge */
static void refill_child(struct part_map_index *index, struct index_node *n,
			 int i)
{
	struct index_node *child = n->slots[i];
	if (i > 0) {
		struct index_node *left = n->slots[i - 1];
		if (left->count > MIN_FILL) {
			int last = left->count - 1;
			node_insert_at(child, 0, left->keys[last],
				       left->slots[last]);
			left->count--;
			n->keys[i] = node_min(child);
			return;
		}
		merge_children(index, n, i - 1);
		return;
	}
	if (i + 1 < n->count) {
		struct index_node *right = n->slots[i + 1];
		if (right->count > MIN_FILL) {
			node_insert_at(child, child->count, right->keys[0],
				       right->slots[0]);
			node_remove_at(right, 0);
			n->keys[i + 1] = node_min(right);
			n->keys[i] = node_min(child);
			return;
		}
		merge_children(index, n, i);
	}
}

static void remove_from(struct part_map_index *index, struct index_node *n,
			uintptr_t key)
{
	int i = key_rank(n, key) - 1;
	if (n->leaf) {
		node_remove_at(n, i);
		return;
	}
	struct index_node *child = n->slots[i];
	remove_from(index, child, key);
	if (child->count > 0)
		n->keys[i] = node_min(child);
	if (child->count < MIN_FILL)
		refill_child(index, n, i);
}

void index_remove(struct part_map_index *index, struct pmemset_part_map *pmap)
{
	remove_from(index, index->root, key_of(pmap->addr));
	struct index_node *root = index->root;
	if (root->count == 0) {
		node_release(index, root);
		index->root = NULL;
		index->height = 0;
	} else if (!root->leaf && root->count == 1) {
		index->root = root->slots[0];
		node_release(index, root);
		index->height--;
	}
	index->count--;
}

void index_rekey(struct part_map_index *index, const char *old_addr,
		 struct pmemset_part_map *pmap)
{
	uintptr_t old_key = key_of(old_addr);
	struct index_node *n = index->root;
	for (;;) {
		int i = key_rank(n, old_key) - 1;
		/* lowest key of a subtree: its separators move with it */
		if (n->keys[i] == old_key)
			n->keys[i] = key_of(pmap->addr);
		if (n->leaf)
			return;
		n = n->slots[i];
	}
}

/* the part map with the highest start <= key, or NULL */
static struct pmemset_part_map *index_floor(const struct part_map_index *index,
					    uintptr_t key)
{
	const struct index_node *n = index->root;
	if (n == NULL || key < node_min(n))
		return NULL;
	while (!n->leaf)
		n = n->slots[key_rank(n, key) - 1];
	return n->slots[key_rank(n, key) - 1];
}

static struct pmemset_part_map *subtree_first(const struct index_node *n)
{
	while (!n->leaf)
		n = n->slots[0];
	return n->slots[0];
}

/* the part map with the lowest start >= key in subtree n, or NULL */
static struct pmemset_part_map *subtree_ceiling(const struct index_node *n,
						uintptr_t key)
{
	int rank = key_rank(n, key);
	if (n->leaf) {
		if (rank > 0 && n->keys[rank - 1] == key)
			return n->slots[rank - 1];
		return rank < n->count ? n->slots[rank] : NULL;
	}
	if (rank == 0)
		return subtree_first(n);
	struct pmemset_part_map *pm = subtree_ceiling(n->slots[rank - 1], key);
	if (pm == NULL && rank < n->count)
		pm = subtree_first(n->slots[rank]);
	return pm;
}

struct pmemset_part_map *index_at_or_above(const struct part_map_index *index,
					   const char *addr)
{
	if (index->root == NULL)
		return NULL;
	return subtree_ceiling(index->root, key_of(addr));
}

struct pmemset_part_map *index_below(const struct part_map_index *index,
				     const char *addr)
{
	uintptr_t key = key_of(addr);
	return key == 0 ? NULL : index_floor(index, key - 1);
}

struct pmemset_part_map *index_find(const struct part_map_index *index,
				    const char *addr)
{
	struct pmemset_part_map *pm = index_floor(index, key_of(addr));
	if (pm != NULL && addr < part_map_end(pm))
		return pm;
	return NULL;
}

struct pmemset_part_map *index_first_overlap(const struct part_map_index *index,
					     const char *start, const char *end)
{
	if (start >= end)
		return NULL;
	struct pmemset_part_map *pm = index_floor(index, key_of(start));
	if (pm != NULL && part_map_end(pm) > start)
		return pm;
	pm = index_at_or_above(index, start);
	if (pm != NULL && pm->addr < end)
		return pm;
	return NULL;
}

struct pmemset_part_map *index_first(const struct part_map_index *index)
{
	if (index->root == NULL)
		return NULL;
	return subtree_first(index->root);
}

static struct pmemset_part_map **collect_from(const struct index_node *n,
					      struct pmemset_part_map **out)
{
	for (int i = 0; i < n->count; i++) {
		if (n->leaf)
			*out++ = n->slots[i];
		else
			out = collect_from(n->slots[i], out);
	}
	return out;
}

void index_collect(const struct part_map_index *index,
		   struct pmemset_part_map **out)
{
	if (index->root != NULL)
		collect_from(index->root, out);
}
