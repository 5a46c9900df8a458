/* SPDX-License-Identifier: MIT */
/*
 * libmemcg: page charges without folios.
 *
 * For memory the engine does not allocate: a client that manages its own
 * memory (a heap, a buffer pool, libmemcg-preload.so's malloc) charges and
 * uncharges whole pages to a cgroup. The charge takes the full path of a
 * folio charge (the per-CPU stock, reclaim through the registered hooks,
 * the OOM killer, then -ENOMEM), counts the pages as anon in memory.stat,
 * and holds one reference on the cgroup per page, as a charged folio does:
 * a removed cgroup stays (dying) until its pages are uncharged.
 */
#ifndef MEMCG_PAGES_H
#define MEMCG_PAGES_H

#include "memcg/memcg.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * memcg_charge_pages - charge @nr_pages pages of anon memory to @memcg
 * @memcg: the cgroup to charge; the root is allowed (its own charges are
 *         not counted in its counter, as for folios)
 * @nr_pages: pages; 0 charges nothing
 * @gfp: MEMCG_GFP_* flags: MEMCG_GFP_NOWAIT fails at once instead of
 *       reclaiming, MEMCG_GFP_NOFAIL forces the charge past memory.max
 *
 * Return: 0; -ENOMEM when the cgroup (or an ancestor) stays over its limit
 * after reclaim and the OOM killer; -EINVAL for a NULL @memcg or more than
 * MEMCG_CHARGE_PAGES_MAX pages at once.
 */
MEMCG_API int memcg_charge_pages(struct mem_cgroup *memcg,
				 unsigned long nr_pages, unsigned gfp);

/**
 * memcg_uncharge_pages - uncharge @nr_pages pages charged with
 * memcg_charge_pages()
 * @memcg: the cgroup they were charged to
 * @nr_pages: pages, at most as many as are charged
 *
 * The pages go to this CPU's charge stock when it has room (the kernel's
 * refill_stock()), otherwise straight back to the counters; a cgroup that
 * was removed meanwhile is uncharged directly, so no stock keeps it.
 */
MEMCG_API void memcg_uncharge_pages(struct mem_cgroup *memcg,
				    unsigned long nr_pages);

/* The largest charge memcg_charge_pages() takes at once: 8 TiB of pages. */
#define MEMCG_CHARGE_PAGES_MAX (1UL << 31)

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_PAGES_H */
