// SPDX-License-Identifier: MIT
/*
 * User folios charged through an objcg: the folios a program charges with
 * memcg_charge() under the reparent policy. Such a folio may live off
 * every LRU list, where reparenting at offline cannot find it, so it
 * points at its cgroup's objcg instead of the cgroup (memcg_data is
 * MEMCG_DATA_KMEM | the objcg's slot, its type anon, file or shmem) and
 * holds a reference on the objcg, not on the cgroup. At offline the objcg
 * is redirected to the parent (memcg_offline_kmem()), and what such
 * folios charged at the cgroup's own level moves to the parent
 * (objcg_folios_acct(), memcg_reparent.c): nothing of them keeps the
 * cgroup dying.
 *
 * Book-keeping: besides the usual memory.stat items, each folio counts in
 * the hidden MEMCG_OBJCG_* twin of each item, at the level that holds its
 * charge. Charges and uncharges (runs of them gathered at the final put,
 * memcontrol.c) update them under a CPU lock; offline
 * reads them after the objcg's kill swept every CPU lock, when no section
 * that saw the old pointer is still running. An uncharge updates the
 * statistics under the lock first and the counters after, so a move that
 * read the statistics and an uncharge that races it agree on every level.
 *
 * The folio goes back to pointing at a cgroup (folio_objcg_to_memcg())
 * before it joins an LRU list, the swap cache, a split or a v1 move,
 * which all work on cgroup-charged folios.
 */
#include <errno.h>

#include "core/objcg.h"
#include "core/rstat.h"
#include "core/stock.h"

/* The twins only (@both: the visible items too), under @cpu's lock. */
static void objcg_folio_stat(struct mem_cgroup *memcg, unsigned cpu,
			     const struct folio *folio, long sign, bool both)
{
	enum memcg_stat_item items[FOLIO_MAX_STAT_ITEMS];
	long nr = sign * folio_nr_pages(folio);
	int i, n = folio_stat_items(folio, items);

	atomic_long *stat = memcg->pcpu[cpu].stat;

	for (i = 0; i < n; i++) {
		local_add(&stat[objcg_twin(items[i])], nr);
		if (both)
			local_add(&stat[items[i]], nr);
	}
	memcg_rstat_updated(memcg, cpu, nr * n * (both ? 2 : 1));
}

/*
 * Point @folio, charged to @memcg's counters, at @memcg's objcg, under
 * @cpu's lock. A cgroup already offline (no objcg) is pointed at
 * directly, as the kernel charges a dying cgroup.
 */
static void objcg_commit_locked(struct folio *folio, struct mem_cgroup *memcg,
				unsigned cpu)
{
	struct obj_cgroup *objcg = atomic_load(&memcg->objcg);

	if (objcg) {
		/* the charge and its books stay with @memcg until offline */
		obj_cgroup_get_local(objcg, cpu, 1);
		folio_set_memcg_data(folio, MEMCG_DATA_KMEM | objcg->slot);
		objcg_folio_stat(memcg, cpu, folio, 1, true);
	} else {
		css_get_local(memcg, cpu, 1);
		folio_set_memcg_data(folio, memcg->slot);
		memcg_stat_folio(memcg, (int)cpu, folio, 1);
	}
	mod_memcg_state_local(memcg, cpu, MEMCG_PGPGIN, 1);
}

/**
 * mem_cgroup_charge_objcg - charge a new user folio through @memcg's objcg
 * @folio: an uncharged anon, file or shmem folio
 * @memcg: a cgroup other than the root
 * @gfp: MEMCG_GFP_* flags
 *
 * A stock hit is one CPU-lock section, as charge_from_stock().
 *
 * Return: 0, -ENOMEM, or -EINVAL if @folio is already charged.
 */
int mem_cgroup_charge_objcg(struct folio *folio, struct mem_cgroup *memcg,
			    unsigned gfp)
{
	struct memcg_engine *e = memcg->engine;
	unsigned nr = (unsigned)folio_nr_pages(folio);
	unsigned cpu = memcg_this_cpu(e);
	int ret;

	if (folio_memcg_data(folio))
		return -EINVAL;
	if (memcg_cpu_trylock(e, cpu)) {
		if (consume_stock_locked(e, cpu, memcg, nr)) {
			objcg_commit_locked(folio, memcg, cpu);
			memcg_cpu_unlock(e, cpu);
			return 0;
		}
		memcg_cpu_unlock(e, cpu);
	}
	ret = try_charge_memcg(memcg, gfp, nr);
	if (ret)
		return ret;
	cpu = memcg_cpu_lock_this(e);
	objcg_commit_locked(folio, memcg, cpu);
	memcg_cpu_unlock(e, cpu);
	return 0;
}

/**
 * folio_objcg_to_memcg - make a folio charged through an objcg point at
 * the cgroup the objcg charges now
 * @e: engine
 * @folio: a folio the caller holds exclusively; others are left alone
 *
 * The charge stays where it is: only the books of who holds it change.
 */
void folio_objcg_to_memcg(struct memcg_engine *e, struct folio *folio)
{
	struct obj_cgroup *objcg;
	struct mem_cgroup *memcg;
	bool release;
	unsigned cpu;

	if (!folio_is_objcg_user(folio))
		return;
	objcg = folio_objcg(e, folio);
	cpu = memcg_cpu_lock_this(e);
	memcg = objcg_memcg(objcg);
	objcg_folio_stat(memcg, cpu, folio, -1, false);
	css_get_local(memcg, cpu, 1);
	folio_set_memcg_data(folio, memcg->slot);
	release = obj_cgroup_put_local(objcg, cpu, 1);
	memcg_cpu_unlock(e, cpu);
	if (release)
		obj_cgroup_release(objcg);
}

/**
 * folio_objcg_memcg - the cgroup a folio charged through an objcg charges
 * @e: engine
 * @folio: a folio the caller holds
 *
 * Return: the cgroup, for display: it may change at any rmdir.
 */
struct mem_cgroup *folio_objcg_memcg(struct memcg_engine *e,
				     struct folio *folio)
{
	return objcg_memcg(folio_objcg(e, folio));
}

/**
 * objcg_folios_acct - what folios charged through objcgs hold at @memcg's
 * own level: pages, and each statistic, visible and hidden
 * @memcg: a cgroup going offline, its objcgs already redirected and killed
 * @pages: the pages
 * @stat: MEMCG_NR_STAT entries, added to
 */
void objcg_folios_acct(struct mem_cgroup *memcg, long *pages, long *stat)
{
	static const enum memcg_stat_item visible[] = {
		MEMCG_ANON, MEMCG_ANON_THP, MEMCG_SHMEM, MEMCG_SHMEM_THP,
		MEMCG_FILE, MEMCG_FILE_THP,
	};
	size_t i;

	for (i = 0; i < sizeof(visible) / sizeof(visible[0]); i++) {
		enum memcg_stat_item twin = objcg_twin(visible[i]);
		long nr = memcg_page_state_local(memcg, twin);

		stat[visible[i]] += nr;
		stat[twin] += nr;
	}
	/* shmem counts in file too: the pages are anon + file */
	*pages = stat[MEMCG_OBJCG_ANON] + stat[MEMCG_OBJCG_FILE];
}
