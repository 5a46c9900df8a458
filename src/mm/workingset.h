/* SPDX-License-Identifier: MIT */
/*
 * Refault detection (the kernel's mm/workingset.c, classic LRU). An
 * evicted page leaves a shadow: the reclaim target's id, its nonresident
 * age at eviction, and whether the page was in the workingset. When the
 * page is read or swapped back in, the ages evicted and activated since
 * (the refault distance) tell whether it would have stayed had it had
 * the memory the active lists hold; if so it comes back active.
 *
 * A shadow is a nonzero 64-bit value: bit 63 set, 46 bits of age, the
 * workingset bit, 16 bits of cgroup id.
 */
#ifndef MEMCG_MM_WORKINGSET_H
#define MEMCG_MM_WORKINGSET_H

#include "core/memcontrol.h"

/*
 * MEMCG_AGE_BATCH: a CPU's batch folds once it owes this many pages, so
 * between operations it owes at most WORKINGSET_AGE_BATCH - 1.
 */
#define WORKINGSET_AGE_BATCH 64

/**
 * workingset_age_nonresident - advance @memcg's and its ancestors' age
 * @memcg: the cgroup whose lists lost or activated @nr pages
 * @nr: pages
 *
 * MEMCG_AGE_BATCH: the ancestors' through this CPU's batch.
 */
void workingset_age_nonresident(struct mem_cgroup *memcg, long nr);

/**
 * workingset_age_drain_locked - fold and drop @cpu's batch of ancestor
 * ages (MEMCG_AGE_BATCH) if its chain starts at @root or below it
 * @e: engine
 * @cpu: a CPU whose lock the caller holds
 * @root: a cgroup going offline, or any cgroup to settle its subtree
 */
void workingset_age_drain_locked(struct memcg_engine *e, unsigned cpu,
				 struct mem_cgroup *root);

/**
 * workingset_eviction - the shadow a page leaves as reclaim evicts it
 * @e: engine
 * @folio: a page-cache or swap-cache folio being freed by reclaim
 * @target: the reclaim's target, or NULL for the folio's cgroup
 *
 * Return: the shadow, never 0.
 */
uint64_t workingset_eviction(struct memcg_engine *e, struct folio *folio,
			     struct mem_cgroup *target);

/**
 * workingset_refault - a page comes back: count the refault and activate
 * it when its distance fits in the workingset
 * @e: engine
 * @folio: the new folio, charged, not yet on an LRU list
 * @shadow: what its eviction left
 */
void workingset_refault(struct memcg_engine *e, struct folio *folio,
			uint64_t shadow);

/**
 * workingset_activation - a page-cache folio was activated by use
 * @e: engine
 * @folio: the folio
 */
void workingset_activation(struct memcg_engine *e, struct folio *folio);

/**
 * reclaim_target - the target of the reclaim the calling thread runs, or
 * NULL outside reclaim (vmscan.c)
 */
struct mem_cgroup *reclaim_target(void);

#endif /* MEMCG_MM_WORKINGSET_H */
