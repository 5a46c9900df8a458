/* SPDX-License-Identifier: MIT */
/*
 * Object cgroups: the indirection between kernel memory (kernel pages,
 * byte-charged objects) and the cgroup it is charged to.
 *
 * An obj_cgroup is created with its memory cgroup and points at it. When
 * the cgroup goes offline its objcgs are redirected to the parent
 * (memcg_reparent_objcgs), so objects and kernel pages never pin a
 * removed cgroup: their later frees uncharge the parent. The memcg pins
 * its original objcg (orig_objcg) until it is freed; an objcg never pins
 * its memcg.
 *
 * Who holds a reference on an objcg (the auditor counts them):
 * - memcg->objcg, the "alive" reference, dropped by the kill at offline;
 * - memcg->orig_objcg, dropped when the memcg is released;
 * - every per-CPU object stock slot caching it;
 * - every kernel folio charged through it (folio memcg_data is
 *   MEMCG_DATA_KMEM | objcg slot);
 * - every live object charged with memcg_obj_charge();
 * - every handle from memcg_objcg_get().
 *
 * Locking:
 * - objcg->memcg is read either with some CPU's pcpu_lock held, or by the
 *   reparenting code under objcg_lock. Reparenting switches the pointers
 *   and then takes every CPU's lock once (the kill's sweep), before the
 *   memcg's own refcount is killed: a CPU-lock holder that loaded the old
 *   memcg therefore sees it with its online reference still held, and may
 *   take a css reference with css_get_local().
 * - The per-CPU object stock, the objcg's per-CPU reference and object
 *   counters are used under the CPU's pcpu_lock. Object paths take it with
 *   pcpu_lock() (trylock, then spin): there is no shared fallback, because
 *   the slab statistics need a stable objcg->memcg.
 * - The objcg table (slots and the reparented lists) is behind objcg_lock.
 */
#ifndef MEMCG_CORE_OBJCG_H
#define MEMCG_CORE_OBJCG_H

#include "core/memcontrol.h"

/* One objcg's share of one CPU, under that CPU's pcpu_lock. */
struct objcg_pcpu {
	atomic_long ref;	/* references taken on this CPU, net */
	atomic_long nr_objs;	/* objects charged on this CPU, net */
	atomic_long obj_bytes;	/* their bytes, the objcg pointer included */
} __attribute__((aligned(MEMCG_CACHELINE)));

struct obj_cgroup {
	/* engine->nr_cpus entries, then this objcg: one allocation (objcg.c) */
	struct objcg_pcpu *pcpu;
	atomic_long count;		/* percpu_ref-like, as css_ref.c */
	atomic_bool atomic_mode;	/* set by the kill at offline */
	uint32_t slot;			/* in the objcg table */
	_Atomic(struct mem_cgroup *) memcg;	/* see "Locking" above */
	atomic_long nr_charged_bytes;	/* charged, cached in no stock */
	atomic_long nr_handles;		/* memcg_objcg_get() handles */
	struct memcg_engine *engine;
	struct cds_list_head list;	/* on a memcg's objcg_list once reparented */
	struct rcu_head rcu;
};

/* The engine's objcgs: slots for kernel folios' memcg_data. */
struct objcg_table {
	pthread_mutex_t lock;		/* objcg_lock */
	struct obj_cgroup **slots;	/* slot 0 unused; free ones chain */
	uint32_t nr_slots;
	uint32_t free_head;
	uint32_t next_unused;
	long nr_objcgs;
};

#define OBJCG_SLOT_MASK (MEMCG_DATA_KMEM - 1)

/**
 * objcg_memcg - the cgroup @objcg charges now
 * @objcg: objcg
 *
 * Stable while the caller holds some CPU's pcpu_lock or objcg_lock; use
 * get_mem_cgroup_from_objcg() for a reference.
 */
static inline struct mem_cgroup *objcg_memcg(struct obj_cgroup *objcg)
{
	return atomic_load_explicit(&objcg->memcg, memory_order_acquire);
}

/**
 * folio_objcg - the objcg a kernel folio is charged through, or NULL
 * @e: engine
 * @folio: a folio the caller holds
 */
static inline struct obj_cgroup *folio_objcg(const struct memcg_engine *e,
					     const struct folio *folio)
{
	uint32_t data = folio_memcg_data(folio);

	if (!(data & MEMCG_DATA_KMEM))
		return NULL;
	return e->objcgs->slots[data & OBJCG_SLOT_MASK];
}

/* objcg.c: references; the *_local ones hold @cpu's pcpu_lock */
void obj_cgroup_get_local(struct obj_cgroup *objcg, unsigned cpu, long nr);
bool obj_cgroup_put_local(struct obj_cgroup *objcg, unsigned cpu, long nr);
void obj_cgroup_get_many(struct obj_cgroup *objcg, long nr);
void obj_cgroup_put_many(struct obj_cgroup *objcg, long nr);
void obj_cgroup_get(struct obj_cgroup *objcg);
void obj_cgroup_put(struct obj_cgroup *objcg);
void obj_cgroup_release(struct obj_cgroup *objcg);
long obj_cgroup_ref_read(struct obj_cgroup *objcg);
struct mem_cgroup *get_mem_cgroup_from_objcg(struct obj_cgroup *objcg);
void memcg_account_kmem(struct mem_cgroup *memcg, long nr);
void memcg_uncharge_kmem_locked(struct mem_cgroup *memcg, unsigned cpu,
				long nr);
void objcg_add_charged_bytes_locked(struct obj_cgroup *objcg, unsigned cpu,
				    long nr_bytes);

/* kmem.c: whole pages through the page path */
int obj_cgroup_charge_pages(struct obj_cgroup *objcg, unsigned gfp,
			    unsigned nr_pages);
void obj_cgroup_uncharge_pages(struct obj_cgroup *objcg, unsigned nr_pages);
void obj_cgroup_uncharge_pages_ref(struct mem_cgroup *memcg, unsigned nr_pages);

/* obj_stock.c: byte charges */
int obj_cgroup_charge(struct obj_cgroup *objcg, unsigned gfp, size_t size);
void obj_cgroup_uncharge(struct obj_cgroup *objcg, size_t size);
long obj_stock_bytes(struct memcg_engine *e, struct obj_cgroup *objcg,
		     long *slots);

#endif /* MEMCG_CORE_OBJCG_H */
