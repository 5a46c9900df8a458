/* SPDX-License-Identifier: MIT */
/*
 * Shrinkers (mm/shrinker.c): caches a client registered for reclaim to
 * shrink, called per cgroup from the reclaim walk.
 *
 * Locking: engine->shrinker_rwsem (writer-preferring) is held for reading
 * around every callback and taken for writing by (un)registration, so an
 * unregister returns once no reclaim calls the shrinker. Reclaim only
 * trylocks it, as the kernel's down_read_trylock(&shrinker_rwsem).
 */
#ifndef MEMCG_MM_SHRINKER_H
#define MEMCG_MM_SHRINKER_H

#include "core/memcontrol.h"

#define SHRINK_BATCH 128

/* Deferred work per cgroup id: 256 chunks of 256, allocated on use. */
#define SHRINKER_DEFERRED_CHUNK 256

struct memcg_shrinker {
	struct cds_list_head node;		/* engine->shrinkers */
	struct memcg_engine *e;
	const struct memcg_shrinker_ops *ops;
	void *priv;
	atomic_long nr_deferred;		/* not memcg-aware */
	_Atomic(atomic_long *) deferred[(MEM_CGROUP_ID_MAX + 1) /
					SHRINKER_DEFERRED_CHUNK];
	atomic_bool warned;			/* a bad return was reported */
};

/**
 * shrink_slab - call the shrinkers for @memcg at @priority
 * @memcg: a cgroup the reclaim walk visits; the root calls every shrinker,
 *	another cgroup only the memcg-aware ones
 * @gfp: MEMCG_GFP_* flags of the reclaim
 * @priority: DEF_PRIORITY (12) down to 0
 *
 * Return: objects freed.
 */
unsigned long shrink_slab(struct mem_cgroup *memcg, unsigned gfp, int priority);

/**
 * reparent_shrinker_deferred - a cgroup goes offline: its deferred work
 * moves to its parent
 * @memcg: the cgroup; call with cgroup_mutex held
 */
void reparent_shrinker_deferred(struct mem_cgroup *memcg);

void memcg_shrinkers_init(struct memcg_engine *e);
void memcg_shrinkers_release(struct memcg_engine *e);

#endif /* MEMCG_MM_SHRINKER_H */
