// SPDX-License-Identifier: MIT
/*
 * A cgroup's online children by name (memcg_names.h), for mkdir, rmdir
 * and path lookups among many siblings. The kernel finds them through
 * kernfs, an rbtree per directory ordered by (hash, name); here, a chained
 * hash table per parent, linked through the children themselves.
 *
 * Why not a library:
 * - liburcu's rculfhash lives in liburcu-cds, which we do not link; it
 *   resizes in a worker thread of its own, its readers must hold the RCU
 *   read lock, and cds_lfht_destroy() must not run from a call_rcu
 *   callback, which is where a cgroup is freed. Its lock-free readers buy
 *   nothing: every lookup holds cgroup_mutex.
 * - glibc's hsearch_r() can neither delete nor grow; tsearch() allocates
 *   a node per entry and costs log2(n) string compares.
 *
 * A table holds exactly the parent's online children: a child is linked
 * at online and unlinked at offline, so a dying child of the same name
 * is never found. It doubles when it holds more children than buckets
 * and halves below a quarter; a failed resize keeps the old buckets, and
 * only the chains grow. The hash is not keyed: a writer of many names
 * under one parent can make long chains there, no worse than the list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/memcontrol.h"

#define NAMES_MIN_BITS 3	/* 8 buckets, 64 bytes */
#define NAMES_MAX_BITS 20	/* beyond MEM_CGROUP_ID_MAX children */
#define GOLDEN_RATIO_32 0x61C88647u

/* The kernel's hash_32(): the top @bits of a multiplicative hash. */
static inline uint32_t hash_32(uint32_t val, uint32_t bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

/**
 * memcg_name_hash - hash of a cgroup name (FNV-1a)
 * @name: name, not necessarily NUL-terminated
 * @len: its length
 *
 * Return: the hash, the same for any parent.
 */
uint32_t memcg_name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 16777619u;
	}
	return h;
}

static struct mem_cgroup **name_bucket(struct memcg_names *t, uint32_t hash)
{
	return &t->buckets[hash_32(hash, t->bits)];
}

/* Rehash into 1 << @bits buckets; the old ones stay on failure. */
static int memcg_names_resize(struct memcg_names *t, uint32_t bits)
{
	struct mem_cgroup **old = t->buckets, *c, *next, **b;
	uint32_t i, old_size = old ? 1u << t->bits : 0;

	t->buckets = calloc((size_t)1 << bits, sizeof(*t->buckets));
	if (!t->buckets) {
		t->buckets = old;
		return -ENOMEM;
	}
	t->bits = bits;
	for (i = 0; i < old_size; i++) {
		for (c = old[i]; c; c = next) {
			next = c->name_node.next;
			b = name_bucket(t, c->name_hash);
			c->name_node.next = *b;
			*b = c;
		}
	}
	free(old);
	return 0;
}

/**
 * memcg_names_reserve - make room for one more child of @parent
 * @parent: cgroup; call with cgroup_mutex held
 *
 * Allocates the first buckets, or doubles them when they are full (a
 * failed doubling is not an error: the chains grow instead).
 *
 * Return: 0, or -ENOMEM when @parent has no buckets and none could be
 * allocated.
 */
int memcg_names_reserve(struct mem_cgroup *parent)
{
	struct memcg_names *t = &parent->child_names;

	if (!t->buckets)
		return memcg_names_resize(t, NAMES_MIN_BITS);
	if (t->nr >= (1u << t->bits) && t->bits < NAMES_MAX_BITS)
		memcg_names_resize(t, t->bits + 1);
	return 0;
}

/**
 * memcg_names_link - add @memcg to its parent's table, at online
 * @parent: @memcg's parent, made room for by memcg_names_reserve()
 * @memcg: a child not in the table, whose name no online sibling has
 * Call with cgroup_mutex held.
 */
void memcg_names_link(struct mem_cgroup *parent, struct mem_cgroup *memcg)
{
	struct memcg_names *t = &parent->child_names;
	uint32_t hash = memcg_name_hash(memcg->name, strlen(memcg->name));
	struct mem_cgroup **b = name_bucket(t, hash);

	memcg->name_hash = hash;
	memcg->name_node.next = *b;
	*b = memcg;
	t->nr++;
}

/**
 * memcg_names_unlink - remove @memcg from its parent's table, at offline
 * @parent: @memcg's parent
 * @memcg: a child in the table
 * Call with cgroup_mutex held.
 */
void memcg_names_unlink(struct mem_cgroup *parent, struct mem_cgroup *memcg)
{
	struct memcg_names *t = &parent->child_names;
	struct mem_cgroup **pp = name_bucket(t, memcg->name_hash);

	while (*pp != memcg)
		pp = &(*pp)->name_node.next;
	*pp = memcg->name_node.next;
	memcg->name_node.next = NULL;
	t->nr--;
	if (t->bits > NAMES_MIN_BITS && t->nr < (1u << t->bits) / 4)
		memcg_names_resize(t, t->bits - 1);
}

/**
 * memcg_names_find - the online child of @parent called @name
 * @parent: cgroup; call with cgroup_mutex held
 * @name: name, not necessarily NUL-terminated (a path component)
 * @len: its length
 *
 * Return: the child, or NULL.
 */
struct mem_cgroup *memcg_names_find(struct mem_cgroup *parent,
				    const char *name, size_t len)
{
	struct memcg_names *t = &parent->child_names;
	uint32_t hash;
	struct mem_cgroup *c;

	if (!t->nr)
		return NULL;
	hash = memcg_name_hash(name, len);
	for (c = *name_bucket(t, hash); c; c = c->name_node.next)
		if (c->name_hash == hash && !strncmp(c->name, name, len) &&
		    !c->name[len])
			return c;
	return NULL;
}

/**
 * memcg_names_free - free @memcg's table, when @memcg is freed
 * @memcg: a cgroup without online children
 */
void memcg_names_free(struct mem_cgroup *memcg)
{
	free(memcg->child_names.buckets);
	memcg->child_names.buckets = NULL;
}
