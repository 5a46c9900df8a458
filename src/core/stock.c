// SPDX-License-Identifier: MIT
/*
 * Per-CPU charge stock: pages charged ahead to the counters and cached per
 * CPU, so most charges touch no shared cache line.
 *
 * Each CPU caches up to NR_MEMCG_STOCK cgroups with at most
 * MEMCG_CHARGE_BATCH pages each. A slot holds one reference on the cgroup
 * it caches (the 2020 seed's rule). Stock pages count in memory.current.
 *
 * Locking: a CPU's stock is used under its pcpu_lock, by trylock from the
 * charge path (failure falls back to the counters) and by a blocking lock
 * from drains run on behalf of other CPUs.
 */
#include "core/stock.h"
#include "mm/workingset.h"

/**
 * memcg_uncharge - take @nr pages off @memcg's counters (memory, memsw)
 * @memcg: cgroup; nothing happens for the root, which is never charged
 * @nr: pages
 */
void memcg_uncharge(struct mem_cgroup *memcg, long nr)
{
	if (mem_cgroup_is_root(memcg) || !nr)
		return;
	page_counter_uncharge(&memcg->memory, nr);
	if (do_memsw_account(memcg))
		page_counter_uncharge(&memcg->memsw, nr);
}

/* Uncharge a slot's pages and drop its reference; holding @cpu's lock. */
static void drain_stock_slot(struct memcg_engine *e, unsigned cpu, int i)
{
	struct memcg_stock_pcp *stock = &e->cpus[cpu].stock;
	struct mem_cgroup *old = stock->cached[i];

	if (!old)
		return;
	memcg_uncharge(old, stock->nr_pages[i]);
	stock->nr_pages[i] = 0;
	stock->cached[i] = NULL;
	css_put_local(old, cpu, 1);
}

/**
 * refill_stock_locked - cache @nr pre-charged pages of @memcg in @cpu's
 * stock, draining the slot to the counters past MEMCG_CHARGE_BATCH
 * @e: engine
 * @cpu: the CPU whose area lock the caller holds
 * @memcg: cgroup the pages are charged to, not the root
 * @nr: pages, at most MEMCG_CHARGE_BATCH
 */
void refill_stock_locked(struct memcg_engine *e, unsigned cpu,
			 struct mem_cgroup *memcg, unsigned nr)
{
	struct memcg_stock_pcp *stock = &e->cpus[cpu].stock;
	int i, empty = -1;

	for (i = 0; i < NR_MEMCG_STOCK; i++) {
		if (stock->cached[i] == memcg) {
			stock->nr_pages[i] += (uint8_t)nr;
			if (stock->nr_pages[i] > MEMCG_CHARGE_BATCH)
				drain_stock_slot(e, cpu, i);
			return;
		}
		if (!stock->cached[i] && empty < 0)
			empty = i;
	}
	if (empty < 0) {
		/* evict round-robin, as the mm tree's drain_idx does */
		empty = stock->drain_idx;
		stock->drain_idx = (uint8_t)((empty + 1) % NR_MEMCG_STOCK);
		drain_stock_slot(e, cpu, empty);
	}
	css_get_local(memcg, cpu, 1);
	stock->cached[empty] = memcg;
	stock->nr_pages[empty] = (uint8_t)nr;
}

/**
 * refill_stock_slow - refill_stock() when no slot caches @memcg yet, or
 * the slot would overflow, or the stock is busy
 * @memcg: cgroup the pages are charged to
 * @nr: pages
 */
void refill_stock_slow(struct mem_cgroup *memcg, unsigned nr)
{
	struct memcg_engine *e = memcg->engine;
	unsigned cpu = memcg_this_cpu(e);

	if (nr > MEMCG_CHARGE_BATCH || !memcg_cpu_trylock(e, cpu)) {
		memcg_uncharge(memcg, nr);
		return;
	}
	refill_stock_locked(e, cpu, memcg, nr);
	memcg_cpu_unlock(e, cpu);
}

/* @cpu's page stock slots caching @root or below; holding @cpu's lock. */
static void drain_stock_locked(struct memcg_engine *e, unsigned cpu,
			       struct mem_cgroup *root)
{
	struct memcg_stock_pcp *stock = &e->cpus[cpu].stock;
	int i;

	for (i = 0; i < NR_MEMCG_STOCK; i++)
		if (stock->cached[i] &&
		    mem_cgroup_is_descendant(stock->cached[i], root))
			drain_stock_slot(e, cpu, i);
	/* the batch of ancestor ages, in the same sweep */
	workingset_age_drain_locked(e, cpu, root);
}

/* Both stocks of every CPU, in one sweep (obj_stock.c). */
static void drain_cpus(struct memcg_engine *e, struct mem_cgroup *root)
{
	drain_obj_stock_all(e, root, drain_stock_locked);
}

/**
 * drain_all_stock - drain every CPU's slots that cache @root or below
 * @root: cgroup
 *
 * Gives up if another drain is running, as the kernel does: the charge
 * path only needs some pages back. Unlike the kernel, slots with no pages
 * are drained too, so a slot does not keep an offline cgroup alive.
 */
void drain_all_stock(struct mem_cgroup *root)
{
	struct memcg_engine *e = root->engine;

	if (pthread_mutex_trylock(&e->drain_mutex))
		return;
	drain_cpus(e, root);
	pthread_mutex_unlock(&e->drain_mutex);
}

/**
 * drain_all_stock_sync - drain_all_stock(), waiting for a running drain
 * @root: cgroup
 *
 * For offline, which must not leave a slot pointing at the cgroup.
 */
void drain_all_stock_sync(struct mem_cgroup *root)
{
	struct memcg_engine *e = root->engine;

	pthread_mutex_lock(&e->drain_mutex);
	drain_cpus(e, root);
	pthread_mutex_unlock(&e->drain_mutex);
}

/**
 * memcg_stock_pages - pages of @memcg cached in every CPU's stock
 * @e: engine
 * @memcg: cgroup
 * @slots: if not NULL, receives the number of slots caching @memcg
 */
long memcg_stock_pages(struct memcg_engine *e, struct mem_cgroup *memcg,
		       long *slots)
{
	long pages = 0, n = 0;
	unsigned cpu;
	int i;

	memcg_cpu_lock_all(e);
	for (cpu = 0; cpu < e->nr_cpus; cpu++) {
		struct memcg_stock_pcp *stock = &e->cpus[cpu].stock;

		for (i = 0; i < NR_MEMCG_STOCK; i++) {
			if (stock->cached[i] != memcg)
				continue;
			pages += stock->nr_pages[i];
			n++;
		}
	}
	memcg_cpu_unlock_all(e);
	if (slots)
		*slots = n;
	return pages;
}

void memcg_drain_all_stock(struct mem_cgroup *memcg)
{
	drain_all_stock_sync(memcg);
	mem_cgroup_release_pending(memcg->engine);
}
