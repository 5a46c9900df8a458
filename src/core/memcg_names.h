/* SPDX-License-Identifier: MIT */
/*
 * A cgroup's online children by name: a hash table per parent, so that
 * mkdir, rmdir and path lookups do not walk every sibling.
 *
 * Locking: every function here is called with engine->cgroup_mutex held.
 * The table is not read under RCU; RCU readers walk the children list,
 * which is unchanged.
 */
#ifndef MEMCG_CORE_MEMCG_NAMES_H
#define MEMCG_CORE_MEMCG_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct mem_cgroup;

/* A parent's table: exactly its online children. */
struct memcg_names {
	struct mem_cgroup **buckets;	/* NULL until a first child */
	uint32_t nr;			/* online children */
	uint32_t bits;			/* 1 << bits buckets */
};

/*
 * A child's link in its parent's table, while it is online; the hash of
 * its name is memcg->name_hash (beside other 4-byte fields, no hole).
 */
struct memcg_name_node {
	struct mem_cgroup *next;	/* bucket chain */
};

uint32_t memcg_name_hash(const char *name, size_t len);
int memcg_names_reserve(struct mem_cgroup *parent);
void memcg_names_link(struct mem_cgroup *parent, struct mem_cgroup *memcg);
void memcg_names_unlink(struct mem_cgroup *parent, struct mem_cgroup *memcg);
struct mem_cgroup *memcg_names_find(struct mem_cgroup *parent,
				    const char *name, size_t len);
void memcg_names_free(struct mem_cgroup *memcg);

#endif /* MEMCG_CORE_MEMCG_NAMES_H */
