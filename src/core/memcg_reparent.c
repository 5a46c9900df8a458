// SPDX-License-Identifier: MIT
/*
 * Destruction without zombies (the reparent policy): when a cgroup goes
 * offline, everything that points at it moves to its parent, so that its
 * last reference goes as soon as the caller's handles do.
 *
 * - LRU folios: recharged to the parent and spliced onto its lists. The
 *   parent's counters already include them (charges are hierarchical):
 *   only the child's own level is cancelled. References move with the
 *   pointers: get the parent, put the child.
 * - Folios off the lists at that moment (isolated by reclaim) move when
 *   they are put back (mem_cgroup_reparent_folio()).
 * - Folios charged through an objcg (a program's, off every list): their
 *   objcg already points at the parent; their charge at this level and
 *   their statistics move (memcontrol_objcg.c).
 * - Swap records: rewritten to the parent's id through the per-id index,
 *   in time proportional to the records; their id references and the
 *   child's level of the swap (v2) or memsw (v1) counter move too.
 *
 * The kernel policy keeps the mainline behaviour: pages and records pin
 * the removed cgroup, which stays dying until they are freed.
 */
#include "core/memcontrol.h"
#include "mm/host_lru.h"
#include "mm/swapfile.h"

/* What moves with a set of folios: pages, references and statistics. */
struct reparent_acct {
	long nr_pages;
	long nr_folios;
	long stat[MEMCG_NR_STAT];
};

static void acct_folio(struct folio *folio, void *arg)
{
	enum memcg_stat_item items[FOLIO_MAX_STAT_ITEMS];
	struct reparent_acct *ra = arg;
	long nr = folio_nr_pages(folio);
	int i, n = folio_stat_items(folio, items);

	ra->nr_pages += nr;
	ra->nr_folios++;
	for (i = 0; i < n; i++)
		ra->stat[items[i]] += nr;
	n = folio_state_items(folio, items);
	for (i = 0; i < n; i++)
		ra->stat[items[i]] += nr;
}

static bool reparent_policy(struct mem_cgroup *memcg)
{
	return memcg->engine->cfg.policy == MEMCG_POLICY_REPARENT;
}

/* The nearest online ancestor (the root is always online). */
static struct mem_cgroup *online_ancestor(struct mem_cgroup *memcg)
{
	struct mem_cgroup *p = memcg->parent;

	while (p->parent && !atomic_load(&p->online))
		p = p->parent;
	return p;
}

/*
 * The levels whose counters stop holding a charge that moves from @from to
 * @to: those below @to, which already counts it; and the root itself when
 * it is @to and counts its descendants' charges (v1), since the root's own
 * charges are not counted.
 */
static void cancel_levels(struct mem_cgroup *from, struct mem_cgroup *to,
			  bool swap, long nr)
{
	struct mem_cgroup *m, *end = to;

	if (mem_cgroup_is_root(to) && mem_cgroup_root_counted(to->engine))
		end = NULL;

	for (m = from; m != end; m = m->parent) {
		if (swap) {
			page_counter_cancel(do_memsw_account(m) ? &m->memsw :
					    &m->swap, nr);
			continue;
		}
		page_counter_cancel(&m->memory, nr);
		if (do_memsw_account(m))
			page_counter_cancel(&m->memsw, nr);
	}
}

/*
 * Hand @ra's charges from @from to @to: the counters of the levels in
 * between, the statistics and the references.
 */
static void move_charges(struct mem_cgroup *from, struct mem_cgroup *to,
			 struct reparent_acct *ra)
{
	int i;

	cancel_levels(from, to, false, ra->nr_pages);
	for (i = 0; i < MEMCG_NR_STAT; i++) {
		if (!ra->stat[i])
			continue;
		mod_memcg_state(from, i, -ra->stat[i]);
		mod_memcg_state(to, i, ra->stat[i]);
	}
	css_get_many(to, ra->nr_folios);
	css_put_many(from, ra->nr_folios);
}

/**
 * mem_cgroup_reparent_folio - recharge a folio of a removed cgroup to the
 * nearest online ancestor (reparent policy)
 * @e: engine
 * @folio: a folio the caller holds exclusively, off the LRU lists
 */
void mem_cgroup_reparent_folio(struct memcg_engine *e, struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio), *to;
	struct reparent_acct ra = { 0 };

	if (!memcg || atomic_load(&memcg->online) || !memcg->parent ||
	    !reparent_policy(memcg))
		return;
	to = online_ancestor(memcg);
	acct_folio(folio, &ra);
	folio_set_memcg_data(folio, to->slot);
	move_charges(memcg, to, &ra);
}

static void reparent_lru(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	struct reparent_acct ra = { 0 };

	lruvec_reparent(memcg->engine, &memcg->lruvec, &parent->lruvec,
			parent->slot, acct_folio, &ra);
	if (ra.nr_folios)
		move_charges(memcg, parent, &ra);
}

/*
 * Folios charged through the cgroup's objcgs (memcontrol_objcg.c): the
 * objcgs point at the parent already; their charge at this level and
 * their statistics follow. They hold objcg references, none to move.
 */
static void reparent_objcg_charges(struct mem_cgroup *memcg,
				   struct mem_cgroup *parent)
{
	struct reparent_acct ra = { 0 };

	objcg_folios_acct(memcg, &ra.nr_pages, ra.stat);
	if (ra.nr_pages)
		move_charges(memcg, parent, &ra);
}

/* The program's units: they hold references, not charges. */
static void reparent_host_lru(struct mem_cgroup *memcg,
			      struct mem_cgroup *parent)
{
	long n = host_lru_reparent(memcg, parent);

	css_get_many(parent, n);
	css_put_many(memcg, n);
}

/* Called by swap_cgroup_reparent() before the records name the parent. */
static void get_parent_ids(void *parent, size_t nr)
{
	mem_cgroup_id_get_many(parent, (int)nr);
}

static void reparent_swap(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	struct memcg_engine *e = memcg->engine;
	long n;

	if (!e->swap)
		return;
	/*
	 * The parent's id references are taken with both ids' records
	 * locked, before any record names the parent: a moved record freed
	 * at once puts one of them, never one the parent has not got. A
	 * swap-out that read the cgroup online just before rmdir may still
	 * record it afterwards (memcg_id.c): that record is not moved, and
	 * the lock makes the count exact either way.
	 */
	n = (long)swap_cgroup_reparent(&e->swap->records, memcg->id, parent->id,
				       get_parent_ids, parent);
	if (!n)
		return;
	cancel_levels(memcg, parent, true, n);
	mod_memcg_state(memcg, MEMCG_SWAP, -n);
	mod_memcg_state(parent, MEMCG_SWAP, n);
	mem_cgroup_id_put_many(memcg, (int)n);
}

/**
 * mem_cgroup_reparent - move a removed cgroup's pages and swap records to
 * its parent (reparent policy); nothing under the kernel policy
 * @memcg: a cgroup going offline, its stocks drained, its online id
 *         reference still held; call with cgroup_mutex held
 */
void mem_cgroup_reparent(struct mem_cgroup *memcg)
{
	struct mem_cgroup *parent = memcg->parent;

	if (!parent || !reparent_policy(memcg))
		return;
	reparent_lru(memcg, parent);
	reparent_objcg_charges(memcg, parent);
	reparent_host_lru(memcg, parent);
	reparent_swap(memcg, parent);
}
