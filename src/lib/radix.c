// SPDX-License-Identifier: MIT
/* A sparse table of 64-bit values: see radix.h. */
#include <errno.h>
#include <stdlib.h>

#include "lib/radix.h"

#define RADIX_MASK (RADIX_FANOUT - 1)

/* An inner node's slots hold child pointers, a leaf's (level 0) values. */
struct radix_node {
	uint64_t slots[RADIX_FANOUT];
	unsigned int count;		/* non-zero slots */
};

static struct radix_node *child_of(uint64_t slot)
{
	return (struct radix_node *)(uintptr_t)slot;
}

static unsigned int offset_at(uint64_t idx, unsigned int level)
{
	return (unsigned int)(idx >> (level * RADIX_SHIFT)) & RADIX_MASK;
}

/* Whether @idx lies in a tree of @height levels. */
static int fits(uint64_t idx, unsigned int height)
{
	return height && !(idx >> (height * RADIX_SHIFT));
}

static struct radix_node *node_alloc(struct radix_tree *t)
{
	struct radix_node *n = calloc(1, sizeof(*n));

	if (n)
		t->nr_nodes++;
	return n;
}

static void node_free(struct radix_tree *t, struct radix_node *n)
{
	free(n);
	t->nr_nodes--;
}

void radix_init(struct radix_tree *t)
{
	t->root = NULL;
	t->height = 0;
	t->nr_nodes = 0;
	t->nr_entries = 0;
}

uint64_t radix_lookup(const struct radix_tree *t, uint64_t idx)
{
	const struct radix_node *n = t->root;
	unsigned int level;

	if (!fits(idx, t->height))
		return 0;
	for (level = t->height - 1; level; level--) {
		n = child_of(n->slots[offset_at(idx, level)]);
		if (!n)
			return 0;
	}
	return n->slots[offset_at(idx, 0)];
}

/* Add levels above the root until @idx fits. */
static int grow(struct radix_tree *t, uint64_t idx)
{
	struct radix_node *n;

	if (!t->root) {
		t->height = 1;
		while (!fits(idx, t->height))
			t->height++;
		t->root = node_alloc(t);
		return t->root ? 0 : -ENOMEM;
	}
	while (!fits(idx, t->height)) {
		n = node_alloc(t);
		if (!n)
			return -ENOMEM;
		n->slots[0] = (uint64_t)(uintptr_t)t->root;
		n->count = 1;
		t->root = n;
		t->height++;
	}
	return 0;
}

/* Clear @idx; free the nodes left empty, from the leaf up. */
static void erase(struct radix_tree *t, uint64_t idx)
{
	struct radix_node *path[RADIX_MAX_HEIGHT];
	struct radix_node *n = t->root;
	unsigned int level = t->height - 1, off;

	if (!fits(idx, t->height))
		return;
	for (;; level--) {
		path[level] = n;
		if (!level)
			break;
		n = child_of(n->slots[offset_at(idx, level)]);
		if (!n)
			return;
	}
	off = offset_at(idx, 0);
	if (!n->slots[off])
		return;
	n->slots[off] = 0;
	n->count--;
	t->nr_entries--;
	for (level = 0; level < t->height && !path[level]->count; level++) {
		node_free(t, path[level]);
		if (level + 1 == t->height) {
			t->root = NULL;
			t->height = 0;
			return;
		}
		path[level + 1]->slots[offset_at(idx, level + 1)] = 0;
		path[level + 1]->count--;
	}
}

int radix_store(struct radix_tree *t, uint64_t idx, uint64_t val)
{
	struct radix_node *n, *c;
	unsigned int level, off;
	int ret;

	if (idx > RADIX_MAX_INDEX)
		return -EINVAL;
	if (!val) {
		erase(t, idx);
		return 0;
	}
	ret = grow(t, idx);
	if (ret)
		return ret;
	/* a failed allocation below leaves empty nodes: freed at destroy */
	n = t->root;
	for (level = t->height - 1; level; level--) {
		off = offset_at(idx, level);
		c = child_of(n->slots[off]);
		if (!c) {
			c = node_alloc(t);
			if (!c)
				return -ENOMEM;
			n->slots[off] = (uint64_t)(uintptr_t)c;
			n->count++;
		}
		n = c;
	}
	off = offset_at(idx, 0);
	if (!n->slots[off]) {
		n->count++;
		t->nr_entries++;
	}
	n->slots[off] = val;
	return 0;
}

/*
 * The first entry at or after *@idx under @n, the node at @level whose
 * first index is @base (*@idx >= @base, and inside @n). Recursion is
 * bounded by the height, at most RADIX_MAX_HEIGHT.
 */
static uint64_t next_in(const struct radix_node *n, unsigned int level,
			uint64_t base, uint64_t *idx)
{
	unsigned int shift = level * RADIX_SHIFT;
	unsigned int off = (unsigned int)((*idx - base) >> shift);
	uint64_t v, start;

	for (; off < RADIX_FANOUT; off++) {
		if (!n->slots[off])
			continue;
		start = base + ((uint64_t)off << shift);
		if (*idx < start)
			*idx = start;
		if (!level)
			return n->slots[off];
		v = next_in(child_of(n->slots[off]), level - 1, start, idx);
		if (v)
			return v;
	}
	return 0;
}

uint64_t radix_next(const struct radix_tree *t, uint64_t *idx)
{
	if (!fits(*idx, t->height))
		return 0;
	return next_in(t->root, t->height - 1, 0, idx);
}

size_t radix_bytes(const struct radix_tree *t)
{
	return t->nr_nodes * sizeof(struct radix_node);
}

/* Free @n and what is under it; recursion bounded by the height. */
static void free_subtree(struct radix_tree *t, struct radix_node *n,
			 unsigned int level)
{
	unsigned int off;

	if (level)
		for (off = 0; off < RADIX_FANOUT; off++)
			if (n->slots[off])
				free_subtree(t, child_of(n->slots[off]),
					     level - 1);
	node_free(t, n);
}

void radix_destroy(struct radix_tree *t)
{
	if (t->root)
		free_subtree(t, t->root, t->height - 1);
	radix_init(t);
}
