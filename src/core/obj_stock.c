// SPDX-License-Identifier: MIT
/*
 * Byte-precise object charges (the kernel's slab path) and the per-CPU
 * object stock.
 *
 * An object of @size bytes is charged @size + sizeof(void *) bytes (the
 * objcg pointer the kernel keeps beside every accounted slab object). A
 * charge takes the bytes from this CPU's object stock when it caches the
 * objcg with enough bytes; otherwise it charges whole pages through the
 * page path (try_charge_memcg, MEMCG_KERNEL) and leaves the unused part of
 * the last page in the stock. A free gives the bytes back to the stock,
 * which uncharges whole pages once it holds more than a page. Each CPU
 * caches up to NR_OBJ_STOCK objcgs (the mm tree's layout: u16 byte counts
 * and a round-robin eviction); draining a slot uncharges its whole pages
 * and leaves the remainder in the objcg's nr_charged_bytes, which the next
 * stock to cache the objcg takes back.
 *
 * Invariant, per objcg: PAGE_SIZE * (pages charged for its objects) =
 * live object bytes + bytes in stocks + nr_charged_bytes.
 *
 * Each live object holds a reference on its objcg. Statistics: the object
 * bytes go to slab_reclaimable or slab_unreclaimable of the cgroup the
 * objcg points to at the time, the pages to kernel.
 *
 * Locking: see objcg.h. Everything runs under this CPU's pcpu_lock, taken
 * with pcpu_lock(). When its local_trylock fails, the kernel falls back to
 * objcg->nr_charged_bytes and to statistics updated under RCU; we wait for
 * the lock instead (it is held for a few loads and stores), because our
 * statistics need objcg->memcg stable and a removed cgroup's stats are
 * folded into its parent's when it is released.
 */
#include <errno.h>
#include <limits.h>

#include "core/objcg.h"

#define OBJ_STOCK_MAX UINT16_MAX

/*
 * Work left for after the lock: pages to uncharge through the page path
 * (with a reference on their cgroup), an evicted slot's objcg to put, an
 * objcg whose last reference went to release.
 */
struct obj_stock_after {
	struct mem_cgroup *memcg;	/* referenced, for nr_pages */
	unsigned nr_pages;
	struct obj_cgroup *put;
	struct obj_cgroup *release;
};

static bool consume_obj_stock_locked(struct obj_stock_pcp *stock,
				     struct obj_cgroup *objcg, size_t nr_bytes)
{
	int i;

	for (i = 0; i < NR_OBJ_STOCK; i++) {
		if (stock->cached[i] != objcg)
			continue;
		if (stock->nr_bytes[i] < nr_bytes)
			return false;
		stock->nr_bytes[i] -= (uint16_t)nr_bytes;
		return true;
	}
	return false;
}

/*
 * Empty slot @i of @cpu's stock, holding that CPU's lock: uncharge its
 * whole pages, leave the rest to the objcg. Return the objcg, whose
 * reference the caller drops after unlocking.
 */
static struct obj_cgroup *drain_obj_stock_slot_locked(struct memcg_engine *e,
						      unsigned cpu, int i)
{
	struct obj_stock_pcp *stock = &e->cpus[cpu].obj_stock;
	struct obj_cgroup *old = stock->cached[i];
	unsigned bytes = stock->nr_bytes[i];

	if (!old)
		return NULL;
	if (bytes >> MEMCG_PAGE_SHIFT)
		memcg_uncharge_kmem_locked(objcg_memcg(old), cpu,
					   bytes >> MEMCG_PAGE_SHIFT);
	objcg_add_charged_bytes_locked(old, cpu,
				       bytes & (MEMCG_PAGE_SIZE - 1));
	stock->nr_bytes[i] = 0;
	stock->cached[i] = NULL;
	return old;
}

/*
 * refill_obj_stock, under @cpu's lock: cache @nr_bytes of @objcg. A new
 * slot takes over the objcg's nr_charged_bytes and may uncharge whole
 * pages; an existing one only when @allow_uncharge, or when the bytes
 * would not fit in 16 bits.
 */
static void refill_obj_stock_locked(struct memcg_engine *e, unsigned cpu,
				    struct obj_cgroup *objcg, size_t nr_bytes,
				    bool allow_uncharge,
				    struct obj_stock_after *after)
{
	struct obj_stock_pcp *stock = &e->cpus[cpu].obj_stock;
	int i, slot = -1, empty = -1;
	size_t bytes;
	unsigned nr_pages = 0;

	for (i = 0; i < NR_OBJ_STOCK; i++) {
		if (stock->cached[i] == objcg) {
			slot = i;
			break;
		}
		if (!stock->cached[i] && empty < 0)
			empty = i;
	}
	if (slot < 0) {
		slot = empty;
		if (slot < 0) {
			/* evict round-robin, as the mm tree's drain_idx */
			slot = stock->drain_idx;
			stock->drain_idx = (uint8_t)((slot + 1) % NR_OBJ_STOCK);
			after->put = drain_obj_stock_slot_locked(e, cpu, slot);
		}
		obj_cgroup_get_local(objcg, cpu, 1);
		bytes = (size_t)atomic_exchange(&objcg->nr_charged_bytes, 0);
		stock->cached[slot] = objcg;
		allow_uncharge = true;	/* as the kernel: the objcg changed */
	} else {
		bytes = stock->nr_bytes[slot];
	}
	bytes += nr_bytes;
	if ((allow_uncharge && bytes > MEMCG_PAGE_SIZE) || bytes > OBJ_STOCK_MAX) {
		nr_pages = (unsigned)(bytes >> MEMCG_PAGE_SHIFT);
		bytes &= MEMCG_PAGE_SIZE - 1;
	}
	stock->nr_bytes[slot] = (uint16_t)bytes;
	if (nr_pages) {
		/*
		 * obj_cgroup_uncharge_pages(): the stat now, the counters
		 * after the lock, through the page stock. The cgroup holds
		 * its online reference while we hold the lock (objcg.h).
		 */
		struct mem_cgroup *memcg = objcg_memcg(objcg);

		css_get_local(memcg, cpu, 1);
		mod_memcg_state_local(memcg, cpu, MEMCG_KERNEL, -(long)nr_pages);
		after->memcg = memcg;
		after->nr_pages = nr_pages;
	}
}

static void obj_stock_after(struct obj_stock_after *after)
{
	if (after->nr_pages)
		obj_cgroup_uncharge_pages_ref(after->memcg, after->nr_pages);
	if (after->put)
		obj_cgroup_put(after->put);
	if (after->release)
		obj_cgroup_release(after->release);
}

/* An object's statistics, counts and reference, under @cpu's lock. */
static void account_obj_locked(struct obj_cgroup *objcg, unsigned cpu,
			       long nr_bytes, enum memcg_stat_item idx, long sign,
			       struct obj_stock_after *after)
{
	struct objcg_pcpu *pc = &objcg->pcpu[cpu];

	mod_memcg_state_local(objcg_memcg(objcg), cpu, idx, sign * nr_bytes);
	local_add(&pc->nr_objs, sign);
	local_add(&pc->obj_bytes, sign * nr_bytes);
	if (sign > 0)
		obj_cgroup_get_local(objcg, cpu, 1);
	else if (obj_cgroup_put_local(objcg, cpu, 1))
		after->release = objcg;
}

/*
 * obj_cgroup_charge_account: charge @size bytes to @objcg; @obj: it is an
 * object (reference, counts, slab stat @idx), else raw bytes.
 */
static int obj_cgroup_charge_account(struct obj_cgroup *objcg, unsigned gfp,
				     size_t size, bool obj,
				     enum memcg_stat_item idx)
{
	struct memcg_engine *e = objcg->engine;
	struct obj_stock_after after = { 0 };
	size_t nr_pages, remainder;
	unsigned cpu = memcg_cpu_lock_this(e);
	int ret;

	if (consume_obj_stock_locked(&e->cpus[cpu].obj_stock, objcg, size)) {
		if (obj)
			account_obj_locked(objcg, cpu, (long)size, idx, 1, &after);
		memcg_cpu_unlock(e, cpu);
		return 0;
	}
	memcg_cpu_unlock(e, cpu);

	/*
	 * As the kernel, ignore the bytes the stock or nr_charged_bytes may
	 * hold: charge whole pages and stock what the object leaves of the
	 * last one, without uncharging (the stock may briefly hold more than
	 * a page).
	 */
	nr_pages = (size + MEMCG_PAGE_SIZE - 1) >> MEMCG_PAGE_SHIFT;
	if (nr_pages > UINT_MAX)
		return -EINVAL;
	remainder = (nr_pages << MEMCG_PAGE_SHIFT) - size;
	ret = obj_cgroup_charge_pages(objcg, gfp, (unsigned)nr_pages);
	/*
	 * Only a charge that reached the counters can go over memory.high:
	 * a stock hit has nothing to pay on its way out.
	 */
	mem_cgroup_return_to_user(e, gfp);
	if (ret)
		return ret;

	cpu = memcg_cpu_lock_this(e);
	if (remainder)
		refill_obj_stock_locked(e, cpu, objcg, remainder, false, &after);
	if (obj)
		account_obj_locked(objcg, cpu, (long)size, idx, 1, &after);
	memcg_cpu_unlock(e, cpu);
	obj_stock_after(&after);
	return 0;
}

static void obj_cgroup_uncharge_account(struct obj_cgroup *objcg, size_t size,
					bool obj, enum memcg_stat_item idx)
{
	struct memcg_engine *e = objcg->engine;
	struct obj_stock_after after = { 0 };
	unsigned cpu = memcg_cpu_lock_this(e);

	refill_obj_stock_locked(e, cpu, objcg, size, true, &after);
	if (obj)
		account_obj_locked(objcg, cpu, (long)size, idx, -1, &after);
	memcg_cpu_unlock(e, cpu);
	obj_stock_after(&after);
}

/**
 * obj_cgroup_charge - charge @size bytes to @objcg (no object accounting)
 * @objcg: objcg the caller holds a reference on
 * @gfp: MEMCG_GFP_* flags
 * @size: bytes
 *
 * Return: 0, -ENOMEM or -EINVAL.
 */
int obj_cgroup_charge(struct obj_cgroup *objcg, unsigned gfp, size_t size)
{
	return obj_cgroup_charge_account(objcg, gfp, size, false, 0);
}

/**
 * obj_cgroup_uncharge - give back @size bytes charged by obj_cgroup_charge()
 * @objcg: objcg
 * @size: bytes
 */
void obj_cgroup_uncharge(struct obj_cgroup *objcg, size_t size)
{
	obj_cgroup_uncharge_account(objcg, size, false, 0);
}

static size_t obj_full_size(size_t size)
{
	/* the objcg pointer the kernel keeps for each accounted object */
	return size + sizeof(struct obj_cgroup *);
}

static enum memcg_stat_item slab_idx(unsigned gfp)
{
	return gfp & MEMCG_GFP_RECLAIMABLE ? MEMCG_SLAB_RECLAIMABLE :
					     MEMCG_SLAB_UNRECLAIMABLE;
}

int memcg_obj_charge(struct obj_cgroup *objcg, size_t size, unsigned gfp)
{
	if (!objcg || size > SIZE_MAX / 2)
		return -EINVAL;
	return obj_cgroup_charge_account(objcg, gfp, obj_full_size(size), true,
					 slab_idx(gfp));
}

void memcg_obj_uncharge(struct obj_cgroup *objcg, size_t size, unsigned gfp)
{
	if (!objcg)
		return;
	obj_cgroup_uncharge_account(objcg, obj_full_size(size), true,
				    slab_idx(gfp));
}

/* Drain @cpu's slots charging @root into @put; holding @cpu's lock. */
static int drain_obj_stock_locked(struct memcg_engine *e, unsigned cpu,
				  struct mem_cgroup *root,
				  struct obj_cgroup **put)
{
	struct obj_stock_pcp *stock = &e->cpus[cpu].obj_stock;
	int i, n = 0;

	for (i = 0; i < NR_OBJ_STOCK; i++) {
		struct obj_cgroup *objcg = stock->cached[i];

		if (!objcg || (root && !mem_cgroup_is_descendant(
					       objcg_memcg(objcg), root)))
			continue;
		put[n++] = drain_obj_stock_slot_locked(e, cpu, i);
	}
	return n;
}

/* The slots' references go after the locks: a put may release. */
static void put_drained(struct obj_cgroup **put, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		obj_cgroup_put(put[i]);
}

/**
 * drain_obj_stock_all - drain every CPU's object stock slots charging @root
 * @e: engine
 * @root: only objcgs pointing at @root or below it; NULL for all
 * @also: NULL, or more to drain from each CPU under the same lock (the
 *	  page stock: one sweep, one fence for both)
 *
 * One sweep under every CPU's lock (one fence with rseq locks), or CPU by
 * CPU if there is no memory for the list of references to drop. Call
 * without any CPU's pcpu_lock held.
 */
void drain_obj_stock_all(struct memcg_engine *e, struct mem_cgroup *root,
			 void (*also)(struct memcg_engine *e, unsigned cpu,
				      struct mem_cgroup *root))
{
	struct obj_cgroup **put = malloc(e->nr_cpus * NR_OBJ_STOCK *
					 sizeof(*put));
	struct obj_cgroup *one[NR_OBJ_STOCK];
	size_t n = 0;
	unsigned cpu;

	if (!put) {
		for (cpu = 0; cpu < e->nr_cpus; cpu++) {
			memcg_cpu_lock(e, cpu);
			if (also)
				also(e, cpu, root);
			n = (size_t)drain_obj_stock_locked(e, cpu, root, one);
			memcg_cpu_unlock(e, cpu);
			put_drained(one, n);
		}
		return;
	}
	memcg_cpu_lock_all(e);
	for (cpu = 0; cpu < e->nr_cpus; cpu++) {
		if (also)
			also(e, cpu, root);
		n += (size_t)drain_obj_stock_locked(e, cpu, root, put + n);
	}
	memcg_cpu_unlock_all(e);
	put_drained(put, n);
	free(put);
}

/**
 * obj_stock_bytes - bytes of @objcg cached in every CPU's object stock
 * @e: engine
 * @objcg: objcg
 * @slots: if not NULL, receives the number of slots caching it
 *
 * For the auditor, at a quiescent point.
 */
long obj_stock_bytes(struct memcg_engine *e, struct obj_cgroup *objcg,
		     long *slots)
{
	long bytes = 0, n = 0;
	unsigned cpu;
	int i;

	memcg_cpu_lock_all(e);
	for (cpu = 0; cpu < e->nr_cpus; cpu++) {
		struct obj_stock_pcp *stock = &e->cpus[cpu].obj_stock;

		for (i = 0; i < NR_OBJ_STOCK; i++) {
			if (stock->cached[i] != objcg)
				continue;
			bytes += stock->nr_bytes[i];
			n++;
		}
	}
	memcg_cpu_unlock_all(e);
	if (slots)
		*slots = n;
	return bytes;
}
