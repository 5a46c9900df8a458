/* SPDX-License-Identifier: MIT */
/*
 * A sparse table of 64-bit values indexed by 64-bit keys: a radix tree of
 * 64-way nodes, allocated as entries are stored and freed as they are
 * erased, so its memory is proportional to the entries it holds, never to
 * the largest index (the kernel's page cache keeps its folios and shadow
 * entries in an xarray for the same reason). 0 is the empty value. A walk
 * visits only populated nodes. Not thread-safe: callers lock.
 */
#ifndef MEMCG_LIB_RADIX_H
#define MEMCG_LIB_RADIX_H

#include <stddef.h>
#include <stdint.h>

#define RADIX_SHIFT 6
#define RADIX_FANOUT (1u << RADIX_SHIFT)
#define RADIX_MAX_HEIGHT 10
/* the largest index: ten levels of 6 bits */
#define RADIX_MAX_INDEX ((1ULL << (RADIX_SHIFT * RADIX_MAX_HEIGHT)) - 1)

struct radix_node;

struct radix_tree {
	struct radix_node *root;
	unsigned int height;	/* levels below and including the root */
	size_t nr_nodes;	/* allocated nodes */
	size_t nr_entries;	/* non-zero values */
};

/** radix_init - an empty table */
void radix_init(struct radix_tree *t);

/**
 * radix_lookup - the value at @idx
 * @t: table
 * @idx: any index
 *
 * Return: the value, or 0 if absent.
 */
uint64_t radix_lookup(const struct radix_tree *t, uint64_t idx);

/**
 * radix_store - set the value at @idx
 * @t: table
 * @idx: at most RADIX_MAX_INDEX
 * @val: the value; 0 erases the entry and frees the nodes it empties
 *
 * Replacing an existing non-zero value allocates nothing and cannot fail.
 *
 * Return: 0, -EINVAL for an index too large, -ENOMEM.
 */
int radix_store(struct radix_tree *t, uint64_t idx, uint64_t val);

/**
 * radix_next - the first entry at or after *@idx
 * @t: table
 * @idx: where to start; set to the entry's index when one is found
 *
 * Return: its value, or 0 if there is none (*@idx is then unspecified).
 */
uint64_t radix_next(const struct radix_tree *t, uint64_t *idx);

/**
 * radix_bytes - the memory the table's nodes take
 * @t: table
 *
 * Return: bytes allocated for nodes.
 */
size_t radix_bytes(const struct radix_tree *t);

/** radix_destroy - free every node; the table is empty after */
void radix_destroy(struct radix_tree *t);

#endif /* MEMCG_LIB_RADIX_H */
