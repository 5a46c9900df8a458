/* SPDX-License-Identifier: MIT */
/*
 * rstat: memory.stat as per-CPU deltas flushed into hierarchical sums, as
 * the kernel's kernel/cgroup/rstat.c with memcg's flush callback
 * (mem_cgroup_css_rstat_flush()) and its update threshold
 * (memcg_rstat_updated()).
 *
 * Layout. A cgroup has nr_cpus update slots, one per CPU. An update made
 * without the CPU's lock (memcg_rstat_updated_shared()) is rare: it adds
 * to memcg->stat_shared[] (the cgroup's own value) and straight to the
 * sums of the cgroup and every ancestor, so it needs no slot and no flush.
 *
 *   per cgroup, per slot:
 *     counters   memcg->pcpu[cpu].stat[MEMCG_NR_STAT] (memcontrol.h):
 *                cumulative, never reset; written by the CPU's lock
 *                holder (local_add)
 *     struct memcg_rstat_cpu, memcg->rstat_cpu[slot], 448 bytes:
 *       line 0   updated_next     NULL: not on the slot's updated tree;
 *                                 read locklessly by updaters
 *                updated_children children on the tree, a list ended by
 *                                 the cgroup itself (the kernel's)
 *                flush_next       the flusher's list, under rstat->lock
 *                stats_updates    updates not yet counted in
 *                                 vmstats->stats_updates (the threshold)
 *                parent, vmstats  the threshold walk's chain, fixed at
 *                                 mkdir (the kernel's statc->parent): a
 *                                 level costs this line only
 *       lines 1-5 prev[MEMCG_NR_STAT]  the counters at the last flush;
 *                                 written by the flusher under
 *                                 rstat->lock, read by a leaf's readers
 *   per cgroup, struct memcg_vmstats, memcg->vmstats (allocated with
 *   struct mem_cgroup; rstat_cpu follows memcg->pcpu: memcg_tree.c):
 *     sums             NULL for a cgroup that never had a child; else
 *                      struct memcg_vmstats_sums, allocated at the first
 *                      child (memcg_stat_alloc_parent()) and kept:
 *       state[]          the subtree's sums, flushed, less the cgroup's
 *                        own stat_shared; atomic adds, by the flusher and
 *                        by the descendants' lockless updates
 *       state_pending[]  children's deltas not yet added here
 *     stats_updates    pending updates in the subtree, for the threshold
 *
 * The flushed value (memory.stat) of a cgroup is state[] + stat_shared[]
 * with sums, else, a leaf, the sum of its slots' prev[] + stat_shared[]:
 * what state[] would hold after the same flushes (no child hands it
 * deltas, and stat_dead is only written through a child), at a read cost
 * of nr_cpus lines instead of one. The sums are materialised from prev[]
 * under rstat->lock (memcg_rstat_alloc_sums()); they leave the cgroup's
 * own stat_shared out so that a lockless update racing with that needs
 * no lock: it adds to stat_shared and to the sums of the ancestors only,
 * which all have sums.
 *   per engine, struct memcg_rstat, e->rstat:
 *     lock             the kernel's cgroup_rstat_lock: one flusher
 *     tree[slot].lock  each slot's updated tree (the per-CPU rstat lock)
 *     last_flush_ns    the last flush of the root (periodic flush)
 *
 * An update adds to its slot's counter, links the cgroup and its
 * ancestors into the slot's updated tree if it is not on it, and counts
 * itself at each level for the threshold. A flush of a subtree takes the
 * updated part of the subtree off every slot's tree, children before
 * parents, and for each adds the counters' change since the last flush to
 * the cgroup's sums and to its parent's pending deltas. So a flush visits
 * the cgroups that changed and their ancestors, nothing else.
 *
 * Locking: cgroup_mutex > rstat->lock > tree[slot].lock; a CPU's area
 * lock > tree[slot].lock (an updater links under its CPU's lock). The
 * flusher takes the CPU area locks only with no tree lock held.
 */
#ifndef MEMCG_CORE_RSTAT_H
#define MEMCG_CORE_RSTAT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/memcontrol.h"

/* The kernel's FLUSH_TIME: the periodic flush of the root, 2 s. */
#define MEMCG_FLUSH_TIME_NS (2ULL * 1000000000ULL)

struct memcg_rstat_cpu {
	_Atomic(struct mem_cgroup *) updated_next;
	struct mem_cgroup *updated_children;
	struct mem_cgroup *flush_next;
	atomic_long stats_updates;
	struct memcg_rstat_cpu *parent;	/* the parent's same slot, or NULL */
	struct memcg_vmstats *vmstats;	/* the cgroup's */
	atomic_long prev[MEMCG_NR_STAT];	/* relaxed: no atomic insn */
} __attribute__((aligned(MEMCG_CACHELINE)));

/* A parent's flushed sums (memcg_rstat_alloc_sums()). */
struct memcg_vmstats_sums {
	atomic_long state[MEMCG_NR_STAT];
	long state_pending[MEMCG_NR_STAT];	/* under rstat->lock */
};

struct memcg_vmstats {
	_Atomic(struct memcg_vmstats_sums *) sums;	/* NULL: a leaf */
	atomic_long stats_updates;
};

struct memcg_rstat_tree {
	pthread_mutex_t lock;
} __attribute__((aligned(MEMCG_CACHELINE)));

struct memcg_rstat {
	pthread_mutex_t lock;
	struct memcg_rstat_tree *tree;		/* nr_cpus slots */
	struct mem_cgroup **lists;		/* a flush's lists, per slot */
	atomic_ullong last_flush_ns;
	atomic_ulong nr_flushes;		/* flushes that found work */
	atomic_ulong nr_visited;		/* (cgroup, slot) pairs flushed */
};

int memcg_rstat_init(struct memcg_engine *e);
void memcg_rstat_exit(struct memcg_engine *e);
void memcg_rstat_setup(struct mem_cgroup *memcg, struct mem_cgroup *parent);
int memcg_rstat_alloc_sums(struct mem_cgroup *memcg);
void memcg_rstat_free(struct mem_cgroup *memcg);
void memcg_vmstats_read(struct mem_cgroup *memcg,
			const enum memcg_stat_item *items, size_t nr,
			long *out);

void css_rstat_updated(struct mem_cgroup *memcg, unsigned slot);
void css_rstat_flush(struct mem_cgroup *memcg);
void css_rstat_flush_released(struct mem_cgroup *memcg);
void mem_cgroup_flush_stats(struct mem_cgroup *memcg);
void mem_cgroup_flush_stats_ratelimited(struct mem_cgroup *memcg);
void memcg_stats_flush_for_read(struct mem_cgroup *memcg);
void memcg_rstat_periodic(struct memcg_engine *e);
void memcg_rstat_updated_shared(struct mem_cgroup *memcg,
				enum memcg_stat_item idx, long val);

/**
 * memcg_rstat_threshold - pending updates before a read must flush: the
 * kernel's MEMCG_CHARGE_BATCH * num_online_cpus()
 * @e: engine
 */
static inline long memcg_rstat_threshold(const struct memcg_engine *e)
{
	return (long)MEMCG_CHARGE_BATCH * (long)e->nr_cpus;
}

/**
 * memcg_vmstats_needs_flush - whether @memcg's subtree holds more pending
 * updates than the threshold (read racily, as the kernel's)
 * @memcg: cgroup
 */
static inline bool memcg_vmstats_needs_flush(struct mem_cgroup *memcg)
{
	return atomic_load_explicit(&memcg->vmstats->stats_updates,
				    memory_order_relaxed) >
	       memcg_rstat_threshold(memcg->engine);
}

/*
 * Count @x updates in @rc's cgroup's shared count, unless it is already
 * over @threshold (flush-able: spare the shared line).
 */
static inline void memcg_rstat_count(struct memcg_rstat_cpu *rc, long x,
				     long threshold)
{
	atomic_long *shared = &rc->vmstats->stats_updates;

	if (atomic_load_explicit(shared, memory_order_relaxed) <= threshold)
		atomic_fetch_add_explicit(shared, x, memory_order_relaxed);
}

/**
 * memcg_rstat_updated - note @val updates of @memcg's stats on @cpu
 * @memcg: cgroup whose counters of slot @cpu changed
 * @cpu: the CPU whose area lock the caller holds
 * @val: the change (its size counts for the threshold)
 *
 * The kernel's memcg_rstat_updated(): link @memcg into @cpu's updated
 * tree unless it is on it, then count abs(@val) at every level, handing a
 * level's count to its cgroup's shared count once it reaches
 * MEMCG_CHARGE_BATCH. The lockless test of updated_next may race with a
 * flush taking @memcg off the tree: the flush then waits for the CPU's
 * area lock (rstat.c, "barrier") and sees this update.
 */
static inline void memcg_rstat_updated(struct mem_cgroup *memcg, unsigned cpu,
				       long val)
{
	struct memcg_rstat_cpu *rc = &memcg->rstat_cpu[cpu];

	if (!val)
		return;
	if (!atomic_load_explicit(&rc->updated_next, memory_order_relaxed))
		css_rstat_updated(memcg, cpu);
	if (val < 0)
		val = -val;
	for (; rc; rc = rc->parent) {
		long x = atomic_load_explicit(&rc->stats_updates,
					      memory_order_relaxed) + val;

		if (x < MEMCG_CHARGE_BATCH) {
			atomic_store_explicit(&rc->stats_updates, x,
					      memory_order_relaxed);
			continue;
		}
		memcg_rstat_count(rc, x, memcg_rstat_threshold(memcg->engine));
		atomic_store_explicit(&rc->stats_updates, 0,
				      memory_order_relaxed);
	}
}

#endif /* MEMCG_CORE_RSTAT_H */
