// SPDX-License-Identifier: MIT
/*
 * Statistics (memory.stat) and events (memory.events).
 *
 * Stats are per-CPU sums, updated under the CPU's lock with no atomic
 * instruction, or on a shared atomic when that lock is busy; each update
 * tells rstat (rstat.h), which flushes them into hierarchical sums. A
 * cgroup's own value adds up its CPUs (memcg_page_state_local(), exact);
 * a hierarchical value is a flush of what changed in the subtree, then a
 * read of the sums (memcg_page_state()).
 */
#include <errno.h>
#include <stdlib.h>

#include "core/cgroup.h"
#include "core/memcontrol.h"
#include "core/memcg_walk.h"
#include "core/rstat.h"

/**
 * mod_memcg_state_local - add @val to a stat, holding @cpu's lock
 * @memcg: cgroup
 * @cpu: CPU whose lock the caller holds
 * @idx: item
 * @val: delta
 */
void mod_memcg_state_local(struct mem_cgroup *memcg, unsigned cpu,
			   enum memcg_stat_item idx, long val)
{
	local_add(&memcg->pcpu[cpu].stat[idx], val);
	memcg_rstat_updated(memcg, cpu, val);
}

/* memcg->stat_shared and stat_dead until their first write: never written */
atomic_long memcg_stat_zero[MEMCG_NR_STAT];

/*
 * @memcg's shared counters, allocated at its first update made without
 * the CPU's lock; NULL if that allocation failed. Racing first updates
 * publish one array by a compare-exchange; the loser frees its own.
 */
static atomic_long *memcg_stat_shared_alloc(struct mem_cgroup *memcg)
{
	atomic_long *cur = atomic_load(&memcg->stat_shared), *new;

	if (cur != memcg_stat_zero)
		return cur;
	new = calloc(MEMCG_NR_STAT, sizeof(*new));
	if (!new)
		return NULL;
	if (!atomic_compare_exchange_strong(&memcg->stat_shared, &cur, new)) {
		free(new);
		return cur;
	}
	return new;
}

/**
 * mod_memcg_state_shared - add @val to a stat without a CPU lock: to the
 * cgroup's own shared counter and straight to the sums (rstat.c)
 * @memcg: cgroup
 * @idx: item
 * @val: delta
 *
 * If the counters cannot be allocated, waits for this CPU's lock instead
 * (the caller does not hold it: mod_memcg_state_local() is for that).
 */
void mod_memcg_state_shared(struct mem_cgroup *memcg,
				   enum memcg_stat_item idx, long val)
{
	atomic_long *shared = memcg_stat_shared_alloc(memcg);
	unsigned cpu;

	if (!shared) {
		cpu = memcg_cpu_lock_this(memcg->engine);
		mod_memcg_state_local(memcg, cpu, idx, val);
		memcg_cpu_unlock(memcg->engine, cpu);
		return;
	}
	atomic_fetch_add_explicit(&shared[idx], val, memory_order_relaxed);
	memcg_rstat_updated_shared(memcg, idx, val);
}

/**
 * memcg_stat_alloc_parent - what a cgroup needs once it has a child:
 * rstat's flushed sums and pending deltas (memcg_rstat_alloc_sums()),
 * and the array its released children leave their stats in
 * @parent: cgroup getting a child; call with cgroup_mutex held
 *
 * Leaves, most cgroups in a large tree, go without both (memcontrol.h).
 * The sums come first: a cgroup with stat_dead has sums (rstat.h).
 *
 * Return: 0 or -ENOMEM.
 */
int memcg_stat_alloc_parent(struct mem_cgroup *parent)
{
	atomic_long *dead = atomic_load(&parent->stat_dead);
	int err = memcg_rstat_alloc_sums(parent);

	if (err)
		return err;
	if (dead == memcg_stat_zero) {
		dead = calloc(MEMCG_NR_STAT, sizeof(*dead));
		if (!dead)
			return -ENOMEM;
		atomic_store(&parent->stat_dead, dead);
	}
	return 0;
}

/**
 * memcg_stat_free - free @memcg's shared and dead counters if allocated
 * @memcg: cgroup being freed
 */
void memcg_stat_free(struct mem_cgroup *memcg)
{
	atomic_long *shared = atomic_load(&memcg->stat_shared);
	atomic_long *dead = atomic_load(&memcg->stat_dead);

	if (shared != memcg_stat_zero)
		free(shared);
	if (dead != memcg_stat_zero)
		free(dead);
	atomic_store(&memcg->stat_shared, memcg_stat_zero);
	atomic_store(&memcg->stat_dead, memcg_stat_zero);
}

/**
 * mod_memcg_state - add @val to a stat
 * @memcg: cgroup
 * @idx: item
 * @val: delta
 */
void mod_memcg_state(struct mem_cgroup *memcg, enum memcg_stat_item idx,
		     long val)
{
	struct memcg_engine *e = memcg->engine;
	unsigned cpu = memcg_this_cpu(e);

	if (memcg_cpu_trylock(e, cpu)) {
		mod_memcg_state_local(memcg, cpu, idx, val);
		memcg_cpu_unlock(e, cpu);
		return;
	}
	mod_memcg_state_shared(memcg, idx, val);
}

/**
 * memcg_stat_folio - account a folio's pages by type (anon, file, ...)
 * @memcg: cgroup
 * @cpu: CPU whose lock the caller holds, or -1
 * @folio: folio
 * @sign: +1 when charged, -1 when uncharged
 */
void memcg_stat_folio(struct mem_cgroup *memcg, int cpu,
		      const struct folio *folio, long sign)
{
	enum memcg_stat_item items[FOLIO_MAX_STAT_ITEMS];
	long nr = folio_nr_pages(folio) * sign;
	int i, n = folio_stat_items(folio, items);

	if (cpu < 0) {
		for (i = 0; i < n; i++)
			mod_memcg_state(memcg, items[i], nr);
		return;
	}
	for (i = 0; i < n; i++)
		local_add(&memcg->pcpu[cpu].stat[items[i]], nr);
	memcg_rstat_updated(memcg, (unsigned)cpu, nr * n);
}

/**
 * memcg_stat_folio_charge - a charged folio's items and pgpgin, with one
 * rstat update for all of them
 * @memcg: cgroup
 * @cpu: CPU whose lock the caller holds
 * @folio: folio
 */
void memcg_stat_folio_charge(struct mem_cgroup *memcg, unsigned cpu,
			     const struct folio *folio)
{
	enum memcg_stat_item items[FOLIO_MAX_STAT_ITEMS];
	atomic_long *stat = memcg->pcpu[cpu].stat;
	long nr = folio_nr_pages(folio);
	int i, n = folio_stat_items(folio, items);

	for (i = 0; i < n; i++)
		local_add(&stat[items[i]], nr);
	local_add(&stat[MEMCG_PGPGIN], 1);
	memcg_rstat_updated(memcg, cpu, nr * n + 1);
}

/**
 * memcg_lru_size_stat - count a change of an LRU list's size in the
 * list's memory.stat item (the kernel's update_lru_size())
 * @lruvec: a cgroup's lists, lock held
 * @lru: list
 * @nr: pages added (negative: removed)
 */
void memcg_lru_size_stat(struct lruvec *lruvec, enum lru_list lru, long nr)
{
	struct mem_cgroup *memcg = caa_container_of(lruvec, struct mem_cgroup,
						    lruvec);

	mod_memcg_state(memcg, (enum memcg_stat_item)(MEMCG_LRU_BASE + lru), nr);
}

/*
 * Add @memcg's own values of @items to @out: the shared atomics, then each
 * CPU's area once for all the items, not once per item.
 */
static void page_state_local_add(struct mem_cgroup *memcg,
				 const enum memcg_stat_item *items, size_t nr,
				 long *out)
{
	unsigned cpu, nr_cpus = memcg->engine->nr_cpus;
	atomic_long *shared = atomic_load_explicit(&memcg->stat_shared,
						   memory_order_acquire);
	size_t i;

	for (i = 0; i < nr; i++)
		out[i] += atomic_load_explicit(&shared[items[i]],
					       memory_order_relaxed);
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		struct memcg_pcpu *pcpu = &memcg->pcpu[cpu];

		for (i = 0; i < nr; i++)
			out[i] += atomic_load_explicit(&pcpu->stat[items[i]],
						       memory_order_relaxed);
	}
}

/**
 * memcg_page_state_local - a stat of @memcg alone
 * @memcg: cgroup
 * @idx: item
 */
long memcg_page_state_local(struct mem_cgroup *memcg, enum memcg_stat_item idx)
{
	long sum = 0;

	page_state_local_add(memcg, &idx, 1, &sum);
	return sum;
}

/**
 * memcg_page_state_many - stats of @memcg and its descendants
 * @memcg: cgroup; call with no CPU area lock held
 * @items: the items to read
 * @nr: how many
 * @out: receives @nr sums, out[i] for items[i]
 *
 * One flush for all the items (memcg_stats_flush_for_read()), then a read
 * of the flushed sums: the cost is the changed cgroups', not the
 * subtree's; a leaf's read sums its CPUs' last flushed values (rstat.h). Released descendants are in the sums: their last flush
 * handed them to their parents.
 */
void memcg_page_state_many(struct mem_cgroup *memcg,
			   const enum memcg_stat_item *items, size_t nr,
			   long *out)
{
	memcg_stats_flush_for_read(memcg);
	memcg_vmstats_read(memcg, items, nr, out);
}

/**
 * memcg_page_state - a stat of @memcg and its descendants, as memory.stat
 * @memcg: cgroup
 * @idx: item
 */
long memcg_page_state(struct mem_cgroup *memcg, enum memcg_stat_item idx)
{
	long sum;

	memcg_page_state_many(memcg, &idx, 1, &sum);
	return sum;
}

/**
 * memcg_stat_fold_dead - hand a released cgroup's stats to its parent
 * @memcg: cgroup being unlinked; call with cgroup_mutex held
 *
 * Its last flush hands its deltas to the parent's hierarchical sums; its
 * own values, and those its released descendants left it, go to the
 * parent's stat_dead for the readers of one level's exact values
 * (objcg.c's kernel charge left at release).
 */
void memcg_stat_fold_dead(struct mem_cgroup *memcg)
{
	atomic_long *dead = atomic_load(&memcg->parent->stat_dead);
	int i;

	css_rstat_flush_released(memcg);

	for (i = 0; i < MEMCG_NR_STAT; i++)
		atomic_fetch_add(&dead[i], memcg_page_state_local(memcg, i) +
					   atomic_load(&memcg->stat_dead[i]));
}

/**
 * mem_cgroup_nr_tasks - tasks attached to @memcg and its descendants
 * @memcg: cgroup
 * @stop_above: the walk may stop once the count exceeds this
 *
 * Return: the count, or some count above @stop_above.
 */
long mem_cgroup_nr_tasks(struct mem_cgroup *memcg, long stop_above)
{
	(void)stop_above;	/* kept up to date by memcg_attach_task() */
	return atomic_load_explicit(&memcg->nr_tasks_subtree,
				    memory_order_relaxed);
}

static bool memory_event_is_swap(enum memcg_memory_event ev)
{
	return ev == MEMCG_SWAP_HIGH || ev == MEMCG_SWAP_MAX ||
	       ev == MEMCG_SWAP_FAIL;
}

/**
 * memcg_memory_event - count an event on @memcg and, on v2 without
 * memory_localevents, on each ancestor below the root
 * @memcg: cgroup
 * @ev: event
 *
 * Each count that changes notifies its file, as the kernel's
 * cgroup_file_notify() calls: memory.events.local (not for swap events),
 * then memory.events or memory.swap.events on every level counted.
 */
void memcg_memory_event(struct mem_cgroup *memcg, enum memcg_memory_event ev)
{
	struct memcg_engine *e = memcg->engine;
	bool swap_event = memory_event_is_swap(ev);

	atomic_fetch_add(&memcg->memory_events_local[ev], 1);
	if (!swap_event)
		cgroup_file_notify(memcg, CGROUP_FILE_EVENTS_LOCAL);
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		atomic_fetch_add(&memcg->memory_events[ev], 1);
		cgroup_file_notify(memcg, swap_event ? CGROUP_FILE_SWAP_EVENTS :
						       CGROUP_FILE_EVENTS);
		if (e->v1 || e->cfg.memory_localevents)
			break;
	}
}
