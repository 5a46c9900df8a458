// SPDX-License-Identifier: MIT
/*
 * The charge lifecycle (the 2014 uncharge rewrite and the 2020 refcount
 * decoupling):
 *
 * - a folio is charged when allocated for a cgroup, and holds one
 *   reference on that cgroup;
 * - it is uncharged only when its last reference is dropped, and folios
 *   freed together are uncharged with one counter update per run of the
 *   same cgroup;
 * - migration transfers the charge and the reference; counters stay put;
 * - a split gives each new folio its own reference;
 * - moving a charge gets the new cgroup and puts the old.
 *
 * Callers hold the folios they pass exclusively (the kernel's page lock,
 * or a folio that is not yet, or no longer, visible to anyone else).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/objcg.h"
#include "core/psi.h"
#include "core/rstat.h"
#include "core/stock.h"
#include "mm/oom.h"

#define memcg_of(counter, member) \
	((struct mem_cgroup *)((char *)(counter) - offsetof(struct mem_cgroup, member)))

/*
 * Charge memsw (v1) then memory; on failure report the limiting cgroup. A
 * memsw failure means swapping cannot help: reclaim without it.
 */
static bool charge_counters(struct mem_cgroup *memcg, unsigned nr,
			    struct mem_cgroup **over, struct page_counter **fail,
			    unsigned *options)
{
	if (do_memsw_account(memcg) &&
	    !page_counter_try_charge(&memcg->memsw, nr, fail)) {
		*over = memcg_of(*fail, memsw);
		*options &= ~MEMCG_RECLAIM_MAY_SWAP;
		return false;
	}
	if (!page_counter_try_charge(&memcg->memory, nr, fail)) {
		if (do_memsw_account(memcg))
			page_counter_uncharge(&memcg->memsw, nr);
		*over = memcg_of(*fail, memory);
		return false;
	}
	return true;
}

static void force_charge(struct mem_cgroup *memcg, unsigned nr)
{
	page_counter_charge(&memcg->memory, nr);
	if (do_memsw_account(memcg))
		page_counter_charge(&memcg->memsw, nr);
}

#define MAX_RECLAIM_RETRIES 16
#define PAGE_ALLOC_COSTLY_ORDER 3

/* The OOM killer for a charge over @memcg's limit (mem_cgroup_oom). */
static bool mem_cgroup_oom(struct mem_cgroup *memcg, unsigned nr)
{
	if (nr > (1u << PAGE_ALLOC_COSTLY_ORDER))
		return false;
	memcg_memory_event(memcg, MEMCG_OOM);
	return mem_cgroup_out_of_memory(memcg->engine, memcg, nr);
}

/*
 * The retries of a failing charge that reclaim cannot help, counted
 * without being run (MEMCG_RETRIES_SKIP_NOOP; docs/FIDELITY.md, "Charge
 * retries that cannot change anything"). Each would take nothing from
 * the drained stock, fail its charge at @fail again (one failcnt), count
 * MEMCG_MAX on @over, and stall in a reclaim that changes nothing:
 * O(depth) for the charge and the stall, for no effect. Counts them while
 * reclaim from @over stays a no-op and its margin stays short; a retry
 * that could differ is left to run. Return: the retries left.
 */
static int skip_noop_retries(struct mem_cgroup *over, struct page_counter *fail,
			     unsigned nr, int nr_retries)
{
	if (over->engine->cfg.charge_retries != MEMCG_RETRIES_SKIP_NOOP)
		return nr_retries;
	while (nr_retries > 0 && mem_cgroup_reclaim_is_noop(over) &&
	       mem_cgroup_margin(over) < (long)nr) {
		nr_retries--;
		if (fail->track_failcnt)
			atomic_fetch_add_explicit(&fail->failcnt, 1,
						  memory_order_relaxed);
		memcg_memory_event(over, MEMCG_MAX);
	}
	return nr_retries;
}

/*
 * Whether a retry's charge walk must fail at @fail again, so that
 * MEMCG_RETRIES_SKIP_NOOP counts its failcnt instead of walking (and
 * cancelling) every level from the charging cgroup up (docs/FIDELITY.md,
 * "Charge retries that cannot change anything"). The last walk, of this
 * size or larger (the batch), found room at every level below @fail, and
 * this thread has only uncharged since (reclaim, the drain, a kill), so
 * @fail alone decides, and the watermarks below are already at what the
 * walk would set. A charge racing in below (or made by a shrinker during
 * reclaim) could make the kernel's walk fail lower down; that walk would
 * be as racy.
 */
static bool charge_fails_again(struct page_counter *fail, unsigned nr)
{
	if (page_counter_read(fail) + (long)nr <= atomic_load(&fail->max))
		return false;
	if (fail->track_failcnt)
		atomic_fetch_add_explicit(&fail->failcnt, 1, memory_order_relaxed);
	return true;
}

/*
 * try_charge_memcg() past the stock: charges a batch and stocks the
 * surplus. Over a limit: retries with the exact size, raises
 * MEMCG_MAX, reclaims, drains every stock once, retries up to
 * MAX_RECLAIM_RETRIES times, then calls the OOM killer; a charge still
 * over the limit fails with -ENOMEM, or is forced past max with
 * MEMCG_GFP_NOFAIL. A charge that leaves a level over memory.high is
 * noted for throttling.
 */
static int try_charge_slow(struct mem_cgroup *memcg, unsigned gfp,
			   unsigned nr)
{
	unsigned batch = nr > MEMCG_CHARGE_BATCH ? nr : MEMCG_CHARGE_BATCH;
	int nr_retries = MAX_RECLAIM_RETRIES;
	struct mem_cgroup *over = NULL;
	struct page_counter *fail = NULL;
	bool drained = false, raised_max = false, passed_oom = false;
	unsigned options = MEMCG_RECLAIM_MAY_SWAP;
	bool skip_walks = memcg->engine->cfg.charge_retries ==
			  MEMCG_RETRIES_SKIP_NOOP;
	struct psi_stall stall;
	long reclaimed;

	if (mem_cgroup_is_root(memcg))
		return 0;
	memcg_rstat_periodic(memcg->engine);
	goto charge;
retry:
	if (consume_stock(memcg, nr))
		return 0;
	if (fail && skip_walks && charge_fails_again(fail, batch))
		goto over_limit;
charge:
	if (charge_counters(memcg, batch, &over, &fail, &options))
		goto done_restock;
	if (batch > nr) {
		batch = nr;
		goto retry;
	}
over_limit:
	if (gfp & MEMCG_GFP_NOWAIT)
		goto nomem;
	memcg_memory_event(over, MEMCG_MAX);
	raised_max = true;
	/*
	 * MEMCG_RETRIES_SKIP_NOOP: once the stocks are drained, a reclaim
	 * of an empty subtree takes microseconds outside a stall, not a
	 * stall through every ancestor's PSI group (docs/FIDELITY.md).
	 */
	stall.memcg = NULL;
	if (!(skip_walks && drained && mem_cgroup_reclaim_is_trivial(over)))
		psi_memstall_enter(memcg, &stall);
	reclaimed = try_to_free_mem_cgroup_pages(over, nr, gfp, options, -1);
	psi_memstall_leave(&stall);
	if (mem_cgroup_margin(over) >= nr)
		goto retry;
	if (!drained) {
		drain_all_stock(over);
		drained = true;
		goto retry;
	}
	if (gfp & MEMCG_GFP_NORETRY)
		goto nomem;
	if (reclaimed && nr <= (1u << PAGE_ALLOC_COSTLY_ORDER))
		goto retry;
	nr_retries = skip_noop_retries(over, fail, nr, nr_retries);
	if (nr_retries--)
		goto retry;
	if (gfp & MEMCG_GFP_RETRY_MAYFAIL)
		goto nomem;
	if (passed_oom && task_is_dying())
		goto nomem;
	/*
	 * A kill makes progress: retry from the start, the victim too (it
	 * may be this task), which then gives up on its next failure above.
	 */
	if (mem_cgroup_oom(over, nr)) {
		passed_oom = true;
		nr_retries = MAX_RECLAIM_RETRIES;
		goto retry;
	}
nomem:
	/* 6.12 counts a rejected charge too (a THP fault's), 6.1 a forced one */
	if (!raised_max && ((gfp & MEMCG_GFP_NOFAIL) ||
			    memcg->engine->cfg.kernel == MEMCG_KERNEL_6_12))
		memcg_memory_event(over, MEMCG_MAX);
	if (!(gfp & MEMCG_GFP_NOFAIL))
		return -ENOMEM;
	force_charge(memcg, nr);
	return 0;
done_restock:
	if (batch > nr)
		refill_stock(memcg, batch - nr);
	mem_cgroup_note_over_high(memcg, batch);
	return 0;
}

/**
 * try_charge_memcg - charge @nr pages to @memcg's counters
 * @memcg: cgroup; the root is never charged
 * @gfp: MEMCG_GFP_* flags
 * @nr: pages
 *
 * Takes from this CPU's stock when it can (the root never has a slot),
 * otherwise from the counters (try_charge_slow()).
 *
 * Return: 0 or -ENOMEM.
 */
int try_charge_memcg(struct mem_cgroup *memcg, unsigned gfp, unsigned nr)
{
	if (consume_stock(memcg, nr))
		return 0;
	return try_charge_slow(memcg, gfp, nr);
}

static void commit_charge(struct folio *folio, struct mem_cgroup *memcg)
{
	folio_set_memcg_data(folio, memcg->slot);
}

/* The fast path: stock, reference and stats under one CPU lock. */
static bool charge_from_stock(struct folio *folio, struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	unsigned cpu = memcg_this_cpu(e);
	unsigned nr = (unsigned)folio_nr_pages(folio);

	if (!memcg_cpu_trylock(e, cpu))
		return false;
	if (!mem_cgroup_is_root(memcg) &&
	    !consume_stock_locked(e, cpu, memcg, nr)) {
		memcg_cpu_unlock(e, cpu);
		return false;
	}
	css_get_local(memcg, cpu, 1);
	commit_charge(folio, memcg);
	memcg_stat_folio_charge(memcg, cpu, folio);
	memcg_cpu_unlock(e, cpu);
	return true;
}

/**
 * mem_cgroup_charge - charge a new folio to @memcg
 * @folio: an uncharged folio
 * @memcg: cgroup, the root included
 * @gfp: MEMCG_GFP_* flags
 *
 * Return: 0, -ENOMEM, or -EINVAL if @folio is already charged.
 */
int mem_cgroup_charge(struct folio *folio, struct mem_cgroup *memcg, unsigned gfp)
{
	int ret;

	if (folio_memcg_data(folio))
		return -EINVAL;
	if (charge_from_stock(folio, memcg))
		return 0;
	ret = try_charge_memcg(memcg, gfp, (unsigned)folio_nr_pages(folio));
	if (ret)
		return ret;
	css_get(memcg);
	commit_charge(folio, memcg);
	memcg_stat_folio(memcg, -1, folio, 1);
	mod_memcg_state(memcg, MEMCG_PGPGIN, 1);
	return 0;
}

/* A run of folios of one cgroup, uncharged together. */
/*
 * The stats an uncharge moves, kept compact (the gather is on the hot
 * path): slot i + 1 of ug_slot[] holds item i's place in the gather.
 */
enum { NR_UG_ITEMS = 8 };
static const enum memcg_stat_item ug_items[NR_UG_ITEMS] = {
	MEMCG_ANON, MEMCG_ANON_THP, MEMCG_SHMEM, MEMCG_SHMEM_THP, MEMCG_FILE,
	MEMCG_FILE_THP, MEMCG_KERNEL, MEMCG_PGPGOUT,
};
static const unsigned char ug_slot[MEMCG_NR_STAT] = {
	[MEMCG_ANON] = 1, [MEMCG_ANON_THP] = 2, [MEMCG_SHMEM] = 3,
	[MEMCG_SHMEM_THP] = 4, [MEMCG_FILE] = 5, [MEMCG_FILE_THP] = 6,
	[MEMCG_KERNEL] = 7, [MEMCG_PGPGOUT] = 8,
};

/*
 * stat[i] is valid only while bit i of @stats is set: the gather is never
 * zeroed as a whole (a memset of it showed up as 10% of a charge+uncharge).
 */
struct uncharge_gather {
	struct mem_cgroup *memcg;
	struct obj_cgroup *objcg;	/* a run charged through this objcg */
	long nr_memory;
	long nr_folios;
	unsigned stats;
	long stat[NR_UG_ITEMS];
};

static void ug_init(struct uncharge_gather *ug)
{
	ug->memcg = NULL;
	ug->objcg = NULL;
	ug->nr_memory = 0;
	ug->nr_folios = 0;
	ug->stats = 0;
}

static void ug_add(struct uncharge_gather *ug, int i, long val)
{
	if (!(ug->stats & (1u << i))) {
		ug->stats |= 1u << i;
		ug->stat[i] = 0;
	}
	ug->stat[i] += val;
}

static bool uncharge_to_stock(const struct memcg_engine *e)
{
	return e->cfg.uncharge == MEMCG_UNCHARGE_STOCK;
}

/*
 * MEMCG_UNCHARGE_STOCK: a batch's pages go to @cpu's stock (its lock
 * held), which drains past MEMCG_CHARGE_BATCH as a refill does. An
 * offline cgroup is uncharged instead: a slot would pin it, and
 * offline's drain, which took every CPU lock after the cgroup went
 * offline, is over.
 */
static void uncharge_stock_locked(struct memcg_engine *e, unsigned cpu,
				  struct mem_cgroup *memcg, long nr)
{
	if (nr <= MEMCG_CHARGE_BATCH &&
	    atomic_load_explicit(&memcg->online, memory_order_relaxed))
		refill_stock_locked(e, cpu, memcg, (unsigned)nr);
	else
		memcg_uncharge(memcg, nr);
}

/*
 * A run of folios charged through one objcg (memcontrol_objcg.c): the
 * statistics, their hidden twins and the counters, once for the run,
 * under the CPU lock, on the cgroup the objcg points to then.
 */
static void uncharge_objcg_batch(struct memcg_engine *e,
				 struct uncharge_gather *ug)
{
	struct obj_cgroup *objcg = ug->objcg;
	struct mem_cgroup *memcg;
	atomic_long *stat;
	long updates = 0;
	unsigned cpu, bits;
	bool release;
	int i;

	cpu = memcg_cpu_lock_this(e);
	memcg = objcg_memcg(objcg);
	stat = memcg->pcpu[cpu].stat;
	for (bits = ug->stats; bits; bits &= bits - 1) {
		i = __builtin_ctz(bits);
		if (!ug->stat[i])
			continue;
		local_add(&stat[ug_items[i]], ug->stat[i]);
		updates += labs(ug->stat[i]);
		if (ug_items[i] != MEMCG_PGPGOUT) {
			local_add(&stat[objcg_twin(ug_items[i])], ug->stat[i]);
			updates += labs(ug->stat[i]);
		}
	}
	/* the counters under the lock too: the objcg's cgroup stays put */
	if (!mem_cgroup_is_root(memcg)) {
		if (uncharge_to_stock(e))
			uncharge_stock_locked(e, cpu, memcg, ug->nr_memory);
		else
			memcg_uncharge(memcg, ug->nr_memory);
		local_add(&stat[MEMCG_UNCHARGE_BATCHES], 1);
		updates++;
	}
	memcg_rstat_updated(memcg, cpu, updates);
	release = obj_cgroup_put_local(objcg, cpu, ug->nr_folios);
	memcg_cpu_unlock(e, cpu);
	if (release)
		obj_cgroup_release(objcg);
	ug_init(ug);
}

static void uncharge_batch(struct memcg_engine *e, struct uncharge_gather *ug)
{
	struct mem_cgroup *memcg = ug->memcg;
	atomic_long *stat;
	long updates = 0;
	unsigned cpu, bits;
	int i;

	if (ug->objcg) {
		uncharge_objcg_batch(e, ug);
		return;
	}
	if (!memcg)
		return;
	if (!mem_cgroup_is_root(memcg) && !uncharge_to_stock(e))
		memcg_uncharge(memcg, ug->nr_memory);
	cpu = memcg_cpu_lock_this(e);
	stat = memcg->pcpu[cpu].stat;
	/* per CPU, a test's count: no line shared between cgroups is written */
	if (!mem_cgroup_is_root(memcg)) {
		if (uncharge_to_stock(e))
			uncharge_stock_locked(e, cpu, memcg, ug->nr_memory);
		local_add(&stat[MEMCG_UNCHARGE_BATCHES], 1);
		updates++;
	}
	for (bits = ug->stats; bits; bits &= bits - 1) {
		i = __builtin_ctz(bits);
		if (ug->stat[i]) {
			local_add(&stat[ug_items[i]], ug->stat[i]);
			updates += labs(ug->stat[i]);
		}
	}
	/* one rstat update for the batch's items */
	memcg_rstat_updated(memcg, cpu, updates);
	/* the folios' references, held until the counters were updated */
	css_put_local(memcg, cpu, ug->nr_folios);
	memcg_cpu_unlock(e, cpu);
	ug_init(ug);
}

static void gather_stat(struct uncharge_gather *ug, const struct folio *folio)
{
	enum memcg_stat_item items[FOLIO_MAX_STAT_ITEMS];
	long nr = folio_nr_pages(folio);
	int i, n = folio_stat_items(folio, items);

	for (i = 0; i < n; i++)
		ug_add(ug, ug_slot[items[i]] - 1, -nr);
	ug_add(ug, ug_slot[MEMCG_PGPGOUT] - 1, 1);
}

static void uncharge_folio(struct memcg_engine *e, struct folio *folio,
			   struct uncharge_gather *ug)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);
	struct obj_cgroup *objcg = NULL;

	if (!memcg) {
		if (!folio_is_objcg_user(folio))
			return;
		objcg = folio_objcg(e, folio);
	}
	if (ug->memcg != memcg || ug->objcg != objcg) {
		uncharge_batch(e, ug);
		ug->memcg = memcg;
		ug->objcg = objcg;
	}
	ug->nr_memory += folio_nr_pages(folio);
	ug->nr_folios++;
	gather_stat(ug, folio);
	folio_set_memcg_data(folio, 0);
}

/**
 * mem_cgroup_uncharge_folios - uncharge folios whose last reference went
 * @e: engine
 * @folios: folios with refcount 0
 * @nr: how many
 *
 * One counter update per run of folios charged to the same cgroup.
 */
void mem_cgroup_uncharge_folios(struct memcg_engine *e, struct folio **folios,
				size_t nr)
{
	struct uncharge_gather ug;
	size_t i;

	ug_init(&ug);
	for (i = 0; i < nr; i++)
		uncharge_folio(e, folios[i], &ug);
	uncharge_batch(e, &ug);
}

static bool same_shape(const struct folio *a, const struct folio *b)
{
	return folio_order(a) == folio_order(b) && folio_type(a) == folio_type(b);
}

/**
 * mem_cgroup_migrate - transfer the charge and reference of @old to @new
 * @e: engine
 * @old: the folio being replaced, charged or not
 * @new: its uncharged replacement of the same order and type
 *
 * Return: 0, or -EINVAL if @new is charged or differs from @old.
 */
int mem_cgroup_migrate(struct memcg_engine *e, struct folio *old,
		       struct folio *new)
{
	uint32_t data = folio_memcg_data(old);

	if (folio_memcg_data(new) || !same_shape(old, new) || old == new)
		return -EINVAL;
	/* the reference moves with the pointer: no get, no put */
	folio_set_memcg_data(new, data);
	folio_set_memcg_data(old, 0);
	return 0;
}

/**
 * mem_cgroup_replace_folio - charge @new for page-cache replacement
 * @e: engine
 * @old: the replaced folio, which keeps its charge until freed
 * @new: its uncharged replacement of the same order and type
 *
 * The charge is forced: the old folio's charge goes when it is freed.
 *
 * Return: 0, or -EINVAL as mem_cgroup_migrate().
 */
int mem_cgroup_replace_folio(struct memcg_engine *e, struct folio *old,
			     struct folio *new)
{
	struct mem_cgroup *memcg = folio_memcg(e, old);

	if (folio_memcg_data(new) || !same_shape(old, new) || old == new)
		return -EINVAL;
	if (!memcg)
		return 0;
	if (!mem_cgroup_is_root(memcg))
		force_charge(memcg, (unsigned)folio_nr_pages(new));
	css_get(memcg);
	commit_charge(new, memcg);
	memcg_stat_folio(memcg, -1, new, 1);
	mod_memcg_state(memcg, MEMCG_PGPGIN, 1);
	return 0;
}

/**
 * mem_cgroup_split_folio - split a huge folio; each new folio gets a ref
 * @e: engine
 * @folio: a huge folio held exclusively
 *
 * Return: 0, or -EINVAL for an order-0 folio.
 */
int mem_cgroup_split_folio(struct memcg_engine *e, struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);
	long nr = folio_nr_pages(folio);

	if (nr == 1)
		return -EINVAL;
	if (memcg) {
		css_get_many(memcg, nr - 1);
		switch (folio_type(folio)) {
		case FOLIO_ANON:
			mod_memcg_state(memcg, MEMCG_ANON_THP, -nr);
			break;
		case FOLIO_SHMEM:
			mod_memcg_state(memcg, MEMCG_SHMEM_THP, -nr);
			break;
		case FOLIO_FILE:
			mod_memcg_state(memcg, MEMCG_FILE_THP, -nr);
			break;
		default:
			break;
		}
	}
	folio_split(e->arena, folio);
	return 0;
}

/**
 * mem_cgroup_move_account - move a folio's charge to @to (v1 charge moving)
 * @e: engine
 * @folio: a charged folio held exclusively
 * @to: the new owner
 *
 * Charges @to, moves the stats, gets @to and puts the old owner, then
 * uncharges the old owner.
 *
 * Return: 0, -ENOMEM if @to is at its limit, -EINVAL if uncharged.
 */
int mem_cgroup_move_account(struct memcg_engine *e, struct folio *folio,
			    struct mem_cgroup *to)
{
	struct mem_cgroup *from = folio_memcg(e, folio);
	unsigned nr = (unsigned)folio_nr_pages(folio);
	enum memcg_stat_item items[FOLIO_MAX_STAT_ITEMS];
	int ret, i, n;

	if (!from)
		return -EINVAL;
	if (from == to)
		return 0;
	ret = try_charge_memcg(to, MEMCG_GFP_KERNEL, nr);
	if (ret)
		return ret;
	memcg_stat_folio(from, -1, folio, -1);
	memcg_stat_folio(to, -1, folio, 1);
	n = folio_state_items(folio, items);
	for (i = 0; i < n; i++) {
		mod_memcg_state(from, items[i], -(long)nr);
		mod_memcg_state(to, items[i], nr);
	}
	css_get(to);
	commit_charge(folio, to);
	/* uncharge before the put: it may be the last reference on @from */
	memcg_uncharge(from, nr);
	css_put(from);
	return 0;
}

/**
 * mem_cgroup_margin - pages @memcg can still charge before its own limit
 * @memcg: cgroup
 */
long mem_cgroup_margin(struct mem_cgroup *memcg)
{
	long margin = atomic_load(&memcg->memory.max) -
		      page_counter_read(&memcg->memory);

	if (do_memsw_account(memcg)) {
		long m = atomic_load(&memcg->memsw.max) -
			 page_counter_read(&memcg->memsw);

		if (m < margin)
			margin = m;
	}
	return margin > 0 ? margin : 0;
}
