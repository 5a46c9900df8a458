// SPDX-License-Identifier: MIT
/*
 * Private cgroup ids, 1..MEM_CGROUP_ID_MAX, as swap records store them.
 *
 * An id is reserved at allocation and published at online. The online
 * state holds one id reference and every swap record holds one more; the
 * id holds one css reference. When the last id reference goes, the id is
 * unpublished and may be handed out again.
 */
#include <errno.h>

#include "core/memcontrol.h"

static int id_bitmap_alloc(struct memcg_engine *e)
{
	unsigned word, bit;

	for (word = 0; word <= MEM_CGROUP_ID_MAX / 64; word++) {
		uint64_t free = ~e->id_bitmap[word];

		if (!word)
			free &= ~1ULL;		/* id 0 means "none" */
		if (!free)
			continue;
		bit = (unsigned)__builtin_ctzll(free);
		if (word * 64 + bit > MEM_CGROUP_ID_MAX)
			break;
		e->id_bitmap[word] |= 1ULL << bit;
		return (int)(word * 64 + bit);
	}
	return -ENOSPC;
}

static void id_bitmap_free(struct memcg_engine *e, unsigned id)
{
	pthread_mutex_lock(&e->id_lock);
	e->id_bitmap[id / 64] &= ~(1ULL << (id % 64));
	pthread_mutex_unlock(&e->id_lock);
}

/**
 * mem_cgroup_id_alloc - reserve the lowest free id for @memcg
 * @e: engine
 * @memcg: a cgroup being allocated
 *
 * Return: 0 or -ENOSPC.
 */
int mem_cgroup_id_alloc(struct memcg_engine *e, struct mem_cgroup *memcg)
{
	int id;

	pthread_mutex_lock(&e->id_lock);
	id = id_bitmap_alloc(e);
	pthread_mutex_unlock(&e->id_lock);
	if (id < 0)
		return id;
	memcg->id = (uint16_t)id;
	return 0;
}

/**
 * mem_cgroup_id_publish - make the id findable; online state pins id, id
 * pins css
 * @memcg: a cgroup going online
 */
void mem_cgroup_id_publish(struct mem_cgroup *memcg)
{
	atomic_store(&memcg->id_ref, 1);
	css_get(memcg);
	/*
	 * rcu_assign_pointer(), as a C11 release store: liburcu's is a
	 * volatile store (or a call into the uninstrumented library) that
	 * ThreadSanitizer cannot pair with the lookup's load.
	 */
	__atomic_store_n(&memcg->engine->ids[memcg->id], memcg, __ATOMIC_RELEASE);
}

/**
 * mem_cgroup_id_release - give back an id that was never published
 * @memcg: a cgroup whose allocation failed
 */
void mem_cgroup_id_release(struct mem_cgroup *memcg)
{
	if (memcg->id)
		id_bitmap_free(memcg->engine, memcg->id);
	memcg->id = 0;
}

void mem_cgroup_id_get_many(struct mem_cgroup *memcg, int n)
{
	atomic_fetch_add(&memcg->id_ref, n);
}

/**
 * mem_cgroup_id_put_many - drop id references; the last unpublishes
 * @memcg: cgroup
 * @n: references
 */
void mem_cgroup_id_put_many(struct mem_cgroup *memcg, int n)
{
	struct memcg_engine *e = memcg->engine;

	if (atomic_fetch_sub(&memcg->id_ref, n) != n)
		return;
	__atomic_store_n(&e->ids[memcg->id], NULL, __ATOMIC_RELEASE);
	id_bitmap_free(e, memcg->id);
	css_put(memcg);
}

static bool id_ref_inc_not_zero(struct mem_cgroup *memcg)
{
	int old = atomic_load(&memcg->id_ref);

	while (old > 0)
		if (atomic_compare_exchange_weak(&memcg->id_ref, &old, old + 1))
			return true;
	return false;
}

/**
 * mem_cgroup_id_get_online - take an id reference on @memcg, or on its
 * nearest ancestor whose id is still alive
 * @memcg: cgroup the caller holds a reference on
 *
 * Return: the cgroup whose id reference was taken.
 */
struct mem_cgroup *mem_cgroup_id_get_online(struct mem_cgroup *memcg)
{
	/*
	 * The reparent policy moves an offline cgroup's records to its
	 * parent: new ones go to the nearest online ancestor directly. A
	 * swap-out that read the cgroup online just before rmdir may still
	 * record it after the move; that record keeps the cgroup dying until
	 * its slot is freed (a tolerated race).
	 */
	bool reparent = memcg->engine->cfg.policy == MEMCG_POLICY_REPARENT;

	while ((reparent && memcg->parent && !atomic_load(&memcg->online)) ||
	       !id_ref_inc_not_zero(memcg)) {
		/* the root's id lives as long as the engine */
		memcg = memcg->parent;
	}
	return memcg;
}

/**
 * mem_cgroup_from_id - look up a published id
 * @e: engine
 * @id: private id
 *
 * Call with rcu_read_lock() held; the result may be going offline.
 */
struct mem_cgroup *mem_cgroup_from_id(struct memcg_engine *e, unsigned short id)
{
	/* rcu_dereference(): consume, which compilers implement as acquire */
	return __atomic_load_n(&e->ids[id], __ATOMIC_ACQUIRE);
}
