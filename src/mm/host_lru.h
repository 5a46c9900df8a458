/* SPDX-License-Identifier: MIT */
/*
 * The host LRU: a program's own reclaimable units (memcg/hooks.h) on two
 * lists per cgroup beside its folio lists, aged and evicted by the same
 * reclaim as page cache.
 *
 * Locking: the lists, their byte counts and a unit's memcg pointer are
 * written under the cgroup's lruvec->lock; the byte counts are read
 * without it, as scan targets. A unit's flags are atomic. Reclaim
 * isolates units under the lock and calls evict without it; an isolated
 * unit belongs to reclaim (memcg_lru_del() answers -EBUSY) until evicted
 * or put back. A listed or isolated unit holds a reference on its cgroup.
 */
#ifndef MEMCG_MM_HOST_LRU_H
#define MEMCG_MM_HOST_LRU_H

#include "core/memcontrol.h"

/* memcg_lru_unit.flags */
#define LRU_UNIT_LISTED		(1u << 0)
#define LRU_UNIT_ACTIVE		(1u << 1)
#define LRU_UNIT_REFERENCED	(1u << 2)
#define LRU_UNIT_ISOLATED	(1u << 3)

/**
 * host_lru_pages - pages on one of @lruvec's host lists (bytes rounded up)
 * @lruvec: lists
 * @lru: HOST_LRU_INACTIVE or HOST_LRU_ACTIVE
 */
static inline long host_lru_pages(const struct lruvec *lruvec, enum host_lru lru)
{
	/* read without the lock: a scan target, as the kernel's list sizes */
	long bytes = __atomic_load_n(&lruvec->host[lru].nr_bytes,
				     __ATOMIC_RELAXED);

	return (bytes + (long)MEMCG_PAGE_SIZE - 1) >> MEMCG_PAGE_SHIFT;
}

/* Change a list's byte count; call with the lock held. */
static inline void host_lru_add_bytes(struct host_lru_list *l, long bytes)
{
	__atomic_store_n(&l->nr_bytes, l->nr_bytes + bytes, __ATOMIC_RELAXED);
}

/**
 * shrink_host_inactive - evict up to @nr_to_scan pages' worth of units from
 * the tail of @memcg's inactive host list; referenced ones are activated
 * @memcg: cgroup
 * @nr_to_scan: pages to look at
 * @reclaimed_bytes: increased by the bytes evicted
 *
 * Return: pages scanned.
 */
long shrink_host_inactive(struct mem_cgroup *memcg, long nr_to_scan,
			  long *reclaimed_bytes);

/**
 * shrink_host_active - age up to @nr_to_scan pages' worth of active units:
 * they go inactive, their referenced bit cleared
 * @memcg: cgroup
 * @nr_to_scan: pages
 */
void shrink_host_active(struct mem_cgroup *memcg, long nr_to_scan);

/**
 * host_lru_reparent - move @from's units to @to's lists (offline)
 * @from: a cgroup going offline
 * @to: its nearest online ancestor
 *
 * Return: the units moved, whose references the caller moves.
 */
long host_lru_reparent(struct mem_cgroup *from, struct mem_cgroup *to);

#endif /* MEMCG_MM_HOST_LRU_H */
