/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * index.c -- AVL tree of part maps keyed by start address. Trimming a part
 * map changes its key in place; that is safe because part maps never
 * overlap, so a trim cannot change their order.
 */
#include <errno.h>

#include "alloc.h"
#include "errormsg.h"
#include "index.h"

#define node_part_map(n)                                                       \
	((struct pmemset_part_map *)((char *)(n)-offsetof(                     \
		struct pmemset_part_map, node)))

int index_new(struct part_map_index **index)
{
	*index = pmemset_zalloc(sizeof(**index));
	if (*index == NULL)
		return set_error_errno(-ENOMEM, "cannot allocate set index");
	return 0;
}

void index_delete(struct part_map_index *index)
{
	pmemset_free(index);
}

static int height(const struct index_node *n)
{
	return n ? n->height : 0;
}

static void update_height(struct index_node *n)
{
	int l = height(n->left), r = height(n->right);
	n->height = (l > r ? l : r) + 1;
}

static struct index_node *rotate_right(struct index_node *n)
{
	struct index_node *l = n->left;
	n->left = l->right;
	l->right = n;
	update_height(n);
	update_height(l);
	return l;
}

static struct index_node *rotate_left(struct index_node *n)
{
	struct index_node *r = n->right;
	n->right = r->left;
	r->left = n;
	update_height(n);
	update_height(r);
	return r;
}

static struct index_node *rebalance(struct index_node *n)
{
	update_height(n);
	int balance = height(n->left) - height(n->right);
	if (balance > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (balance < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

static struct index_node *insert_node(struct index_node *root,
				      struct index_node *node)
{
	if (root == NULL)
		return node;
	if (node_part_map(node)->addr < node_part_map(root)->addr)
		root->left = insert_node(root->left, node);
	else
		root->right = insert_node(root->right, node);
	return rebalance(root);
}

int index_insert(struct part_map_index *index, struct pmemset_part_map *pmap)
{
	if (index_first_overlap(index, pmap->addr, part_map_end(pmap)) != NULL)
		return set_error(PMEMSET_E_PART_EXISTS,
				 "part map %p overlaps an existing one",
				 (void *)pmap->addr);
	pmap->node.left = pmap->node.right = NULL;
	pmap->node.height = 1;
	index->root = insert_node(index->root, &pmap->node);
	index->count++;
	return 0;
}

/* detaches the lowest node of a subtree into *lowest */
static struct index_node *remove_lowest(struct index_node *root,
					struct index_node **lowest)
{
	if (root->left == NULL) {
		*lowest = root;
		return root->right;
	}
	root->left = remove_lowest(root->left, lowest);
	return rebalance(root);
}

static struct index_node *remove_node(struct index_node *root, const char *key)
{
	if (root == NULL)
		return NULL;
	const char *root_key = node_part_map(root)->addr;
	if (key < root_key) {
		root->left = remove_node(root->left, key);
	} else if (key > root_key) {
		root->right = remove_node(root->right, key);
	} else {
		if (root->right == NULL)
			return root->left;
		struct index_node *successor;
		struct index_node *right =
			remove_lowest(root->right, &successor);
		successor->right = right;
		successor->left = root->left;
		return rebalance(successor);
	}
	return rebalance(root);
}

void index_remove(struct part_map_index *index, struct pmemset_part_map *pmap)
{
	index->root = remove_node(index->root, pmap->addr);
	index->count--;
}

struct pmemset_part_map *index_at_or_above(const struct part_map_index *index,
					   const char *addr)
{
	struct pmemset_part_map *best = NULL;
	struct index_node *n = index->root;
	while (n != NULL) {
		struct pmemset_part_map *pm = node_part_map(n);
		if (pm->addr >= addr) {
			best = pm;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct pmemset_part_map *index_below(const struct part_map_index *index,
				     const char *addr)
{
	struct pmemset_part_map *best = NULL;
	struct index_node *n = index->root;
	while (n != NULL) {
		struct pmemset_part_map *pm = node_part_map(n);
		if (pm->addr < addr) {
			best = pm;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

struct pmemset_part_map *index_find(const struct part_map_index *index,
				    const char *addr)
{
	struct pmemset_part_map *pm = index_below(index, addr + 1);
	if (pm != NULL && addr >= pm->addr && addr < part_map_end(pm))
		return pm;
	return NULL;
}

struct pmemset_part_map *index_first_overlap(const struct part_map_index *index,
					     const char *start, const char *end)
{
	if (start >= end)
		return NULL;
	struct pmemset_part_map *pm = index_below(index, start + 1);
	if (pm != NULL && part_map_end(pm) > start)
		return pm;
	pm = index_at_or_above(index, start);
	if (pm != NULL && pm->addr < end)
		return pm;
	return NULL;
}

struct pmemset_part_map *index_first(const struct part_map_index *index)
{
	struct index_node *n = index->root;
	if (n == NULL)
		return NULL;
	while (n->left != NULL)
		n = n->left;
	return node_part_map(n);
}
