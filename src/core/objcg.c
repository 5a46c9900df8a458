// SPDX-License-Identifier: MIT
/*
 * Object cgroups (see objcg.h): allocation with the memory cgroup, the
 * reference count, reparenting at offline, release, and the table that
 * kernel folios' memcg_data points into.
 *
 * The reference count follows the kernel's percpu_ref, as css_ref.c does
 * for cgroups: gets and puts add to the current CPU's counter under its
 * pcpu_lock until the objcg is killed at offline, then go to one exact
 * atomic. The atomic carries a bias until the kill folds the per-CPU
 * counters in, so it cannot reach zero before.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/objcg.h"

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
/* liburcu is not instrumented: tell TSan that call_rcu hands over @p. */
#define rcu_handoff_release(p) __tsan_release(p)
#define rcu_handoff_acquire(p) __tsan_acquire(p)
#else
#define rcu_handoff_release(p) ((void)(p))
#define rcu_handoff_acquire(p) ((void)(p))
#endif

#define OBJCG_REF_BIAS (LONG_MAX / 2)
#define OBJCG_NR_SLOTS (1u << 20)

_Static_assert(OBJCG_NR_SLOTS <= OBJCG_SLOT_MASK + 1,
	       "objcg slots fit below MEMCG_DATA_KMEM");

/* --- the table --- */

static int objcg_table_create(struct memcg_engine *e)
{
	struct objcg_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->slots = calloc(OBJCG_NR_SLOTS, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return -ENOMEM;
	}
	pthread_mutex_init(&t->lock, NULL);
	t->nr_slots = OBJCG_NR_SLOTS;
	t->next_unused = 1;	/* slot 0 means "none" */
	e->objcgs = t;
	return 0;
}

static void objcg_table_destroy(struct memcg_engine *e)
{
	struct objcg_table *t = e->objcgs;

	if (!t)
		return;
	if (t->nr_objcgs) {
		/* the caller's leaked handles or objects still point here */
		fprintf(stderr, "libmemcg: %ld objcgs still referenced at "
			"engine destroy\n", t->nr_objcgs);
		return;
	}
	pthread_mutex_destroy(&t->lock);
	free(t->slots);
	free(t);
	e->objcgs = NULL;
}

/* Under objcg_lock. */
static int objcg_slot_alloc(struct objcg_table *t, struct obj_cgroup *objcg)
{
	uint32_t slot = t->free_head;

	if (slot) {
		t->free_head = (uint32_t)(uintptr_t)t->slots[slot];
	} else {
		if (t->next_unused >= t->nr_slots)
			return -ENOSPC;
		slot = t->next_unused++;
	}
	t->slots[slot] = objcg;
	objcg->slot = slot;
	t->nr_objcgs++;
	return 0;
}

/* Under objcg_lock. */
static void objcg_slot_free(struct objcg_table *t, struct obj_cgroup *objcg)
{
	t->slots[objcg->slot] = (struct obj_cgroup *)(uintptr_t)t->free_head;
	t->free_head = objcg->slot;
	objcg->slot = 0;
	t->nr_objcgs--;
}

/* --- references --- */

/*
 * An objcg in one cache-aligned allocation: its nr_cpus objcg_pcpu, then
 * the objcg itself (88 bytes, no line of its own to fill).
 */
static struct obj_cgroup *objcg_alloc(unsigned nr_cpus)
{
	size_t pcpu = nr_cpus * sizeof(struct objcg_pcpu);
	struct obj_cgroup *objcg;
	void *p;

	if (posix_memalign(&p, MEMCG_CACHELINE, pcpu + sizeof(*objcg)))
		return NULL;
	memset(p, 0, pcpu + sizeof(*objcg));
	objcg = (struct obj_cgroup *)((char *)p + pcpu);
	objcg->pcpu = p;
	return objcg;
}

static void objcg_free(struct obj_cgroup *objcg)
{
	free(objcg->pcpu);	/* and the objcg after it */
}

static void objcg_free_rcu(struct rcu_head *head)
{
	struct obj_cgroup *objcg = caa_container_of(head, struct obj_cgroup, rcu);

	rcu_handoff_acquire(objcg);
	objcg_free(objcg);
}

static bool objcg_ref_sub_atomic(struct obj_cgroup *objcg, long nr)
{
	return atomic_fetch_sub_explicit(&objcg->count, nr,
					 memory_order_acq_rel) == nr;
}

/**
 * obj_cgroup_get_local - take @nr references, holding @cpu's lock
 * @objcg: objcg the caller holds a reference on (or reaches through a
 *         pointer that holds one, under the same lock)
 * @cpu: CPU whose pcpu_lock the caller holds
 * @nr: references
 */
void obj_cgroup_get_local(struct obj_cgroup *objcg, unsigned cpu, long nr)
{
	if (atomic_load_explicit(&objcg->atomic_mode, memory_order_relaxed))
		atomic_fetch_add_explicit(&objcg->count, nr,
					  memory_order_relaxed);
	else
		local_add(&objcg->pcpu[cpu].ref, nr);
}

/**
 * obj_cgroup_put_local - drop @nr references, holding @cpu's lock
 * @objcg: objcg
 * @cpu: CPU whose pcpu_lock the caller holds
 * @nr: references
 *
 * Return: true if that was the last reference: the caller must call
 * obj_cgroup_release() once it has dropped the lock.
 */
bool obj_cgroup_put_local(struct obj_cgroup *objcg, unsigned cpu, long nr)
{
	if (atomic_load_explicit(&objcg->atomic_mode, memory_order_relaxed))
		return objcg_ref_sub_atomic(objcg, nr);
	local_add(&objcg->pcpu[cpu].ref, -nr);
	return false;
}

/**
 * obj_cgroup_get_many - take @nr references
 * @objcg: objcg the caller holds a reference on
 * @nr: references
 */
void obj_cgroup_get_many(struct obj_cgroup *objcg, long nr)
{
	struct memcg_engine *e = objcg->engine;
	unsigned cpu = memcg_this_cpu(e);

	if (memcg_cpu_trylock(e, cpu)) {
		obj_cgroup_get_local(objcg, cpu, nr);
		memcg_cpu_unlock(e, cpu);
		return;
	}
	atomic_fetch_add_explicit(&objcg->count, nr, memory_order_relaxed);
}

void obj_cgroup_get(struct obj_cgroup *objcg)
{
	obj_cgroup_get_many(objcg, 1);
}

/**
 * obj_cgroup_put_many - drop @nr references; the last one releases
 * @objcg: objcg
 * @nr: references
 *
 * Call without any CPU's pcpu_lock held.
 */
void obj_cgroup_put_many(struct obj_cgroup *objcg, long nr)
{
	struct memcg_engine *e = objcg->engine;
	unsigned cpu = memcg_this_cpu(e);
	bool zero;

	if (memcg_cpu_trylock(e, cpu)) {
		zero = obj_cgroup_put_local(objcg, cpu, nr);
		memcg_cpu_unlock(e, cpu);
	} else {
		zero = objcg_ref_sub_atomic(objcg, nr);
	}
	if (zero)
		obj_cgroup_release(objcg);
}

void obj_cgroup_put(struct obj_cgroup *objcg)
{
	obj_cgroup_put_many(objcg, 1);
}

/*
 * percpu_ref_kill: switch to the shared atomic, take every CPU's lock once
 * so that nobody still adds to a per-CPU counter, fold them in and drop
 * the bias and the initial reference. The sweep also orders every CPU-lock
 * holder after a reparenting done before the kill (objcg.h, "Locking").
 */
static void objcg_ref_kill(struct memcg_engine *e, struct obj_cgroup *objcg)
{
	long sum = 0;
	unsigned cpu;

	if (objcg)
		atomic_store(&objcg->atomic_mode, true);
	memcg_cpu_lock_all(e);
	for (cpu = 0; objcg && cpu < e->nr_cpus; cpu++) {
		sum += atomic_load_explicit(&objcg->pcpu[cpu].ref,
					    memory_order_relaxed);
		atomic_store_explicit(&objcg->pcpu[cpu].ref, 0,
				      memory_order_relaxed);
	}
	memcg_cpu_unlock_all(e);
	if (objcg && objcg_ref_sub_atomic(objcg, OBJCG_REF_BIAS + 1 - sum))
		obj_cgroup_release(objcg);
}

/**
 * obj_cgroup_ref_read - the reference count, exact at a quiescent point
 * @objcg: objcg
 */
long obj_cgroup_ref_read(struct obj_cgroup *objcg)
{
	long count = atomic_load(&objcg->count);
	unsigned cpu;

	if (atomic_load(&objcg->atomic_mode))
		return count;
	count -= OBJCG_REF_BIAS;
	for (cpu = 0; cpu < objcg->engine->nr_cpus; cpu++)
		count += atomic_load_explicit(&objcg->pcpu[cpu].ref,
					      memory_order_relaxed);
	return count;
}

/* --- the memcg behind an objcg --- */

/**
 * get_mem_cgroup_from_objcg - a referenced cgroup that @objcg charges
 * @objcg: objcg the caller holds a reference on
 *
 * Call without any CPU's pcpu_lock held. Drop the result with css_put().
 */
struct mem_cgroup *get_mem_cgroup_from_objcg(struct obj_cgroup *objcg)
{
	struct memcg_engine *e = objcg->engine;
	unsigned cpu = memcg_cpu_lock_this(e);
	struct mem_cgroup *memcg;

	memcg = objcg_memcg(objcg);
	/* online, or offlining before its kill: it holds its initial ref */
	css_get_local(memcg, cpu, 1);
	memcg_cpu_unlock(e, cpu);
	return memcg;
}

/**
 * memcg_account_kmem - v1: charge or uncharge the kmem counter
 * @memcg: cgroup, the root included (memcg1_account_kmem)
 * @nr: pages, negative to uncharge
 */
void memcg_account_kmem(struct mem_cgroup *memcg, long nr)
{
	if (!memcg->engine->v1 || !nr)
		return;
	if (nr > 0)
		page_counter_charge(&memcg->v1->kmem, nr);
	else
		page_counter_uncharge(&memcg->v1->kmem, -nr);
}

/**
 * memcg_uncharge_kmem_locked - uncharge @nr kernel pages at once
 * @memcg: the cgroup they were charged to, loaded under @cpu's lock
 * @cpu: CPU whose pcpu_lock the caller holds
 * @nr: pages
 *
 * For drains and releases, which uncharge the counters directly as the
 * kernel's memcg_uncharge_kmem() does, instead of refilling the stock.
 */
void memcg_uncharge_kmem_locked(struct mem_cgroup *memcg, unsigned cpu, long nr)
{
	mod_memcg_state_local(memcg, cpu, MEMCG_KERNEL, -nr);
	memcg_account_kmem(memcg, -nr);
	memcg_uncharge(memcg, nr);
}

/**
 * objcg_add_charged_bytes_locked - hand bytes no stock holds to @objcg
 * @objcg: objcg
 * @cpu: CPU whose pcpu_lock the caller holds
 * @nr_bytes: bytes, charged and free
 *
 * Whole pages that accumulate in nr_charged_bytes are uncharged at once.
 * The kernel leaves them until the objcg is released or a stock takes the
 * bytes back; uncharging them here makes "every stock drained and no live
 * object" mean "no object charge left".
 */
void objcg_add_charged_bytes_locked(struct obj_cgroup *objcg, unsigned cpu,
				    long nr_bytes)
{
	long old;

	if (!nr_bytes)
		return;
	old = atomic_fetch_add(&objcg->nr_charged_bytes, nr_bytes) + nr_bytes;
	while (old >= (long)MEMCG_PAGE_SIZE) {
		long left = old & (long)(MEMCG_PAGE_SIZE - 1);

		if (atomic_compare_exchange_weak(&objcg->nr_charged_bytes,
						 &old, left)) {
			memcg_uncharge_kmem_locked(objcg_memcg(objcg), cpu,
						   old >> MEMCG_PAGE_SHIFT);
			break;
		}
	}
}

/**
 * obj_cgroup_release - free an objcg whose last reference went
 * @objcg: objcg
 *
 * Call without any CPU's pcpu_lock held. Whole pages left in
 * nr_charged_bytes are uncharged from the cgroup it points to now.
 */
void obj_cgroup_release(struct obj_cgroup *objcg)
{
	struct memcg_engine *e = objcg->engine;
	struct objcg_table *t = e->objcgs;
	long bytes = atomic_exchange(&objcg->nr_charged_bytes, 0);
	unsigned cpu;

	if (bytes & (long)(MEMCG_PAGE_SIZE - 1))
		fprintf(stderr, "libmemcg: objcg released with %ld charged "
			"bytes, not whole pages\n", bytes);
	if (bytes >= (long)MEMCG_PAGE_SIZE) {
		/*
		 * Under a CPU lock rather than with a css reference: at engine
		 * destroy the root may be on its way to being freed already.
		 */
		cpu = memcg_cpu_lock_this(e);
		memcg_uncharge_kmem_locked(objcg_memcg(objcg), cpu,
					   bytes >> MEMCG_PAGE_SHIFT);
		memcg_cpu_unlock(e, cpu);
	}
	pthread_mutex_lock(&t->lock);
	cds_list_del_init(&objcg->list);
	objcg_slot_free(t, objcg);
	pthread_mutex_unlock(&t->lock);
	rcu_handoff_release(objcg);
	call_rcu(&objcg->rcu, objcg_free_rcu);
}

/* --- lifecycle hooks (memcg_tree.c) --- */

/**
 * memcg_alloc_kmem - give a new cgroup its objcg (memcg_online_kmem)
 * @memcg: a cgroup being allocated; call with cgroup_mutex held, or
 *         single-threaded for the root
 *
 * The objcg starts with two references: the "alive" one behind
 * memcg->objcg and memcg->orig_objcg's. Unlike 6.18, and like the mm
 * tree, the root has an objcg too; its charges skip the root's counters
 * as every root charge does.
 *
 * Return: 0, -ENOMEM or -ENOSPC.
 */
int memcg_alloc_kmem(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	struct obj_cgroup *objcg;
	int err;

	CDS_INIT_LIST_HEAD(&memcg->objcg_list);
	if (!e->objcgs) {
		err = objcg_table_create(e);
		if (err)
			return err;
	}
	objcg = objcg_alloc(e->nr_cpus);
	if (!objcg)
		return -ENOMEM;
	objcg->engine = e;
	CDS_INIT_LIST_HEAD(&objcg->list);
	atomic_init(&objcg->count, OBJCG_REF_BIAS + 2);
	atomic_init(&objcg->memcg, memcg);
	pthread_mutex_lock(&e->objcgs->lock);
	err = objcg_slot_alloc(e->objcgs, objcg);
	pthread_mutex_unlock(&e->objcgs->lock);
	if (err) {
		objcg_free(objcg);
		return err;
	}
	atomic_store(&memcg->objcg, objcg);
	memcg->orig_objcg = objcg;
	return 0;
}

/**
 * memcg_offline_kmem - redirect @memcg's objcgs to its parent
 * @memcg: a cgroup going offline, not yet killed; cgroup_mutex held
 *
 * First every object stock caching them is drained, so that the cached
 * bytes leave @memcg's counters now. Then memcg_reparent_objcgs: @memcg's
 * objcg joins those already reparented to it, they all point to the
 * parent and move to its list, and the objcg is killed. The kill's sweep
 * of the CPU locks orders every CPU-lock holder that might still use
 * @memcg through an objcg before @memcg's own refcount is killed.
 *
 * For the root (engine teardown) the objcg is only killed.
 */
void memcg_offline_kmem(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	struct objcg_table *t = e->objcgs;
	struct mem_cgroup *parent = memcg->parent;
	struct obj_cgroup *objcg, *iter;

	drain_obj_stock_all(e, memcg, NULL);

	pthread_mutex_lock(&t->lock);
	objcg = atomic_exchange(&memcg->objcg, NULL);
	if (parent) {
		if (objcg)
			cds_list_add(&objcg->list, &memcg->objcg_list);
		cds_list_for_each_entry(iter, &memcg->objcg_list, list)
			atomic_store_explicit(&iter->memcg, parent,
					      memory_order_release);
		cds_list_splice(&memcg->objcg_list, &parent->objcg_list);
		CDS_INIT_LIST_HEAD(&memcg->objcg_list);
	}
	pthread_mutex_unlock(&t->lock);

	objcg_ref_kill(e, objcg);
}

/**
 * memcg_free_kmem - a released cgroup: move its kernel charge, put objcg
 * @memcg: a cgroup whose last reference went; cgroup_mutex held
 *
 * Kernel memory charged while an objcg pointed here was uncharged later
 * through the parent, so it is still in this cgroup's counters (the
 * kernel keeps it there until the memcg is freed). The amount is exactly
 * the cgroup's kernel stat, its own and the one its released children
 * left; it was charged to the parent's counters as well, so only this
 * level lets go of it ("reparent whatever charge is left"). Except under
 * the root: charges that reach the root skip its counters, so the root
 * lets go of it too (the kernel leaves it in the root's counter forever,
 * where nobody reads it).
 *
 * The root, last at engine destroy, takes the objcg table with it.
 */
void memcg_free_kmem(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	struct obj_cgroup *objcg = memcg->orig_objcg;
	long kmem;

	if (memcg->parent) {
		kmem = memcg_page_state_local(memcg, MEMCG_KERNEL) +
		       atomic_load(&memcg->stat_dead[MEMCG_KERNEL]);
		if (kmem < 0)
			fprintf(stderr, "libmemcg: cgroup %s released with "
				"%ld kernel pages\n", memcg->name, kmem);
		if (kmem > 0) {
			struct mem_cgroup *parent = memcg->parent;
			bool root = mem_cgroup_is_root(parent) &&
				    mem_cgroup_root_counted(memcg->engine);

			page_counter_cancel(&memcg->memory, kmem);
			if (root)
				page_counter_cancel(&parent->memory, kmem);
			if (do_memsw_account(memcg)) {
				page_counter_cancel(&memcg->memsw, kmem);
				if (root)
					page_counter_cancel(&parent->memsw, kmem);
				/* the root's kmem counts its own charges */
				page_counter_cancel(&memcg->v1->kmem, kmem);
			}
		}
	}
	memcg->orig_objcg = NULL;
	if (objcg)
		obj_cgroup_put(objcg);
	if (!memcg->parent)
		objcg_table_destroy(e);
}

/* --- the public handles --- */

struct obj_cgroup *memcg_objcg_get(struct mem_cgroup *memcg)
{
	struct objcg_table *t;
	struct obj_cgroup *objcg = NULL;

	if (!memcg)
		return NULL;
	t = memcg->engine->objcgs;
	pthread_mutex_lock(&t->lock);
	/* an offline cgroup's objcg is its nearest online ancestor's */
	for (; memcg && !objcg; memcg = memcg->parent) {
		objcg = atomic_load(&memcg->objcg);
		if (objcg) {
			/* not killed: the kill clears memcg->objcg first */
			obj_cgroup_get(objcg);
			atomic_fetch_add(&objcg->nr_handles, 1);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return objcg;
}

void memcg_objcg_put(struct obj_cgroup *objcg)
{
	struct memcg_engine *e;

	if (!objcg)
		return;
	e = objcg->engine;
	atomic_fetch_sub(&objcg->nr_handles, 1);
	obj_cgroup_put(objcg);
	mem_cgroup_release_pending(e);
}

struct mem_cgroup *memcg_objcg_memcg(struct obj_cgroup *objcg)
{
	return objcg_memcg(objcg);
}
