// SPDX-License-Identifier: MIT
/*
 * Page charges without folios (include/memcg/pages.h): memory the engine
 * does not allocate, charged and uncharged in whole pages by a client
 * that keeps its own books (libmemcg-preload.so's malloc).
 *
 * A charge goes the whole way of a folio charge, try_charge_memcg(): the
 * per-CPU stock, then the counters, reclaim, the stock drain, the OOM
 * killer and -ENOMEM; memory.high is paid on the way out. The pages count
 * as anon in memory.stat and each holds one reference on the cgroup, as a
 * charged folio does, so that a removed cgroup stays (dying) until they
 * are uncharged. memcg->nr_pages_charged counts them for the auditor:
 * they are in no folio it could find.
 *
 * An uncharge goes to this CPU's stock like a socket's or kernel page's
 * (refill_stock()); a cgroup already offline goes straight to the
 * counters, so that no stock slot keeps it dying.
 */
#include <errno.h>

#include "core/stock.h"
#include "memcg/pages.h"

/* The pages' references and anon stat, under one CPU lock when free. */
static void pages_account(struct mem_cgroup *memcg, long nr)
{
	struct memcg_engine *e = memcg->engine;
	unsigned cpu = memcg_this_cpu(e);

	atomic_fetch_add_explicit(&memcg->nr_pages_charged, nr,
				  memory_order_relaxed);
	if (memcg_cpu_trylock(e, cpu)) {
		mod_memcg_state_local(memcg, cpu, MEMCG_ANON, nr);
		if (nr > 0)
			css_get_local(memcg, cpu, nr);
		else
			css_put_local(memcg, cpu, -nr);
		memcg_cpu_unlock(e, cpu);
		return;
	}
	mod_memcg_state(memcg, MEMCG_ANON, nr);
	if (nr > 0)
		css_get_many(memcg, nr);
	else
		css_put_many(memcg, -nr);
}

int memcg_charge_pages(struct mem_cgroup *memcg, unsigned long nr_pages,
		       unsigned gfp)
{
	struct memcg_engine *e;
	int ret;

	if (!memcg || nr_pages > MEMCG_CHARGE_PAGES_MAX)
		return -EINVAL;
	if (!nr_pages)
		return 0;
	e = memcg->engine;
	ret = try_charge_memcg(memcg, gfp, (unsigned)nr_pages);
	if (!ret)
		pages_account(memcg, (long)nr_pages);
	mem_cgroup_release_pending(e);
	mem_cgroup_return_to_user(e, gfp);
	return ret;
}

void memcg_uncharge_pages(struct mem_cgroup *memcg, unsigned long nr_pages)
{
	struct memcg_engine *e;

	if (!memcg || !nr_pages || nr_pages > MEMCG_CHARGE_PAGES_MAX)
		return;
	e = memcg->engine;
	/* the counters first: the references keep @memcg until then */
	if (!mem_cgroup_is_root(memcg)) {
		if (atomic_load(&memcg->online))
			refill_stock(memcg, (unsigned)nr_pages);
		else
			memcg_uncharge(memcg, (long)nr_pages);
	}
	pages_account(memcg, -(long)nr_pages);
	mem_cgroup_release_pending(e);
}
