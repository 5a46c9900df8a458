/* SPDX-License-Identifier: MIT */
/*
 * The invariant auditor (docs/DESIGN.md): call it at a quiescent point,
 * when no other thread is using the engine.
 */
#ifndef MEMCG_TEST_AUDIT_H
#define MEMCG_TEST_AUDIT_H

#include <stddef.h>

#include "core/memcontrol.h"

/* References on a cgroup that the test itself holds (handles, files,
 * sockets from memcg_sock_alloc()). */
struct audit_hold {
	struct mem_cgroup *memcg;
	long nr;
};

/**
 * memcg_audit - check every invariant of the engine
 * @e: engine
 * @holds: the test's own references, one entry per cgroup (or NULL)
 * @nr_holds: entries in @holds
 *
 * Checks, for every cgroup in the tree (live or dying):
 * - memory usage = pages of folios charged in its subtree + pages in the
 *   stocks of its subtree (less the root's own, which skip its counter);
 * - v1: memsw usage = memory usage + swap records of the subtree;
 *   v2: swap usage = swap records of the subtree;
 * - id references = online + its swap records;
 * - swap slots: free ones have no record, cache bits match the cache;
 * - the reference count = charged folios + stock slots + children +
 *   tasks + the id's reference + the online reference + @holds;
 * - local stats (anon, file, shmem, *_thp, swapcached, swap) = charged
 *   folios, the swap cache and the records;
 * - nr_descendants and nr_dying_descendants match the tree, and
 *   nr_tasks_subtree the tasks attached in the subtree;
 * - kernel memory: every objcg's references = its pointers (the cgroup's
 *   objcg and orig_objcg, object stock slots, kernel folios, live
 *   objects, handles); it charges an online cgroup and is that cgroup's
 *   objcg or on one reparented list; its live object bytes + stocked
 *   bytes + nr_charged_bytes are whole pages; all cgroups' kernel stats
 *   (less kernel folios charged directly) = kernel folios charged through
 *   objcgs + those object pages; slab stats = live object bytes; memory
 *   usage above counts the kernel pages and (v2) socket pages charged
 *   in the subtree; v1: kmem usage = the subtree's kernel pages through
 *   objcgs, tcpmem usage = its socket pages;
 * - pages charged without folios (memcg_charge_pages()): in memory usage,
 *   one reference each, and in the anon stat;
 * - LRU lists: each links folios of that cgroup and list with PG_lru,
 *   and the sizes match;
 * - watermark >= usage; every charged folio points to a live cgroup;
 * - rstat, after a flush of the root: each cgroup's flushed sums = its
 *   subtree's per-CPU counters plus what released cgroups left; no
 *   cgroup left on an updated tree or with pending deltas; each LRU
 *   list's stat = the list's size.
 *
 * Return: 0, or -1 after printing each violation to stderr.
 */
int memcg_audit(struct memcg_engine *e, const struct audit_hold *holds,
		size_t nr_holds);

#endif /* MEMCG_TEST_AUDIT_H */
