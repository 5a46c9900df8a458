// SPDX-License-Identifier: MIT
/* The invariant auditor: see audit.h; its parts: audit_internal.h. */
#include "audit_internal.h"


/* Every cgroup of the tree, and its number of children: no recursion. */
static void audit_collect(struct audit *a, struct mem_cgroup *root)
{
	struct mem_cgroup *memcg;

	memcg_for_each_descendant_pre(memcg, root) {
		a->cg[memcg->slot].memcg = memcg;
		if (memcg->parent)
			a->cg[memcg->parent->slot].children++;
	}
}

/* Written out again, not folio_stat_items(): the auditor derives on its own. */
void audit_folio_stats(struct audit_cg *cg, const struct folio *folio)
{
	long nr = folio_nr_pages(folio);
	bool thp = folio_order(folio) > 0;

	switch (folio_type(folio)) {
	case FOLIO_ANON:
		cg->stat[MEMCG_ANON] += nr;
		cg->stat[MEMCG_ANON_THP] += thp ? nr : 0;
		break;
	case FOLIO_SHMEM:
		cg->stat[MEMCG_SHMEM] += nr;
		cg->stat[MEMCG_SHMEM_THP] += thp ? nr : 0;
		cg->stat[MEMCG_FILE] += nr;
		break;
	case FOLIO_FILE:
		cg->stat[MEMCG_FILE] += nr;
		cg->stat[MEMCG_FILE_THP] += thp ? nr : 0;
		if (folio_test_flag(folio, PG_dirty))
			cg->stat[MEMCG_FILE_DIRTY] += nr;
		if (folio_test_flag(folio, PG_writeback))
			cg->stat[MEMCG_FILE_WRITEBACK] += nr;
		break;
	default:
		cg->stat[MEMCG_KERNEL] += nr;
		break;
	}
}

/* A task and an OOM victim point at their cgroup: one reference each. */
static void audit_tasks(struct audit *a)
{
	struct memcg_sim *sim = sim_of(a->e);
	struct memcg_victim *v;
	struct memcg_task *t;

	pthread_mutex_lock(&a->e->victims_lock);
	cds_list_for_each_entry(v, &a->e->victims, node) {
		if (a->cg[v->memcg->slot].memcg != v->memcg)
			report(a, "OOM victim in a cgroup not in the tree");
		else
			a->cg[v->memcg->slot].holds++;
	}
	pthread_mutex_unlock(&a->e->victims_lock);
	if (!sim)
		return;
	for (t = sim->tasks; t; t = t->next) {
		if (!t->memcg)
			continue;
		if (a->cg[t->memcg->slot].memcg != t->memcg)
			report(a, "task %s in a cgroup not in the tree", t->name);
		else
			a->cg[t->memcg->slot].holds++;
	}
}

static void audit_pages(struct audit *a)
{
	uint32_t slot;

	for (slot = 1; slot < a->e->slot_next_unused; slot++) {
		struct audit_cg *cg = &a->cg[slot];

		if (!cg->memcg)
			continue;
		cg->pages = atomic_load(&cg->memcg->nr_pages_charged);
		if (cg->pages < 0)
			report(a, "%s: %ld pages charged without folios",
			       cg->memcg->name, cg->pages);
		cg->stat[MEMCG_ANON] += cg->pages;
	}
}

static void audit_folios(struct audit *a)
{
	size_t pfn, n = folio_arena_nr_frames(a->e->arena);

	for (pfn = 0; pfn < n; pfn++) {
		struct folio *folio = pfn_folio(a->e->arena, (uint32_t)pfn);
		uint32_t slot;
		struct audit_cg *cg;

		if (folio_test_flag(folio, PG_free) ||
		    folio_test_flag(folio, PG_tail))
			continue;
		slot = folio_memcg_data(folio);
		if (!slot)
			continue;
		if (slot & MEMCG_DATA_KMEM) {
			audit_kmem_folio(a, folio, pfn, slot & OBJCG_SLOT_MASK);
			continue;
		}
		cg = &a->cg[slot];
		if (!cg->memcg) {
			report(a, "folio %zu charged to slot %u, not a cgroup "
			       "in the tree", pfn, slot);
			continue;
		}
		cg->folio_pages += folio_nr_pages(folio);
		cg->folios++;
		audit_folio_stats(cg, folio);
		if (folio_test_flag(folio, PG_swapcache))
			cg->swapcache += folio_nr_pages(folio);
		if (folio_test_flag(folio, PG_lru))
			cg->lru_pages += folio_nr_pages(folio);
	}
}

static void audit_stocks(struct audit *a)
{
	unsigned cpu;
	int i;

	for (cpu = 0; cpu < a->e->nr_cpus; cpu++) {
		struct memcg_stock_pcp *stock = &a->e->cpus[cpu].stock;

		for (i = 0; i < NR_MEMCG_STOCK; i++) {
			struct mem_cgroup *m = stock->cached[i];

			if (!m) {
				if (stock->nr_pages[i])
					report(a, "cpu %u slot %d: %u pages, no "
					       "cgroup", cpu, i, stock->nr_pages[i]);
				continue;
			}
			if (a->cg[m->slot].memcg != m) {
				report(a, "cpu %u slot %d caches a cgroup not "
				       "in the tree", cpu, i);
				continue;
			}
			if (stock->nr_pages[i] > MEMCG_CHARGE_BATCH)
				report(a, "cpu %u slot %d: %u pages > batch",
				       cpu, i, stock->nr_pages[i]);
			a->cg[m->slot].stock_pages += stock->nr_pages[i];
			a->cg[m->slot].stock_slots++;
		}
	}
}

/* Post-order, no recursion: a cgroup's own, then added to its parent. */
static void audit_subtree(struct audit *a, struct mem_cgroup *root)
{
	struct mem_cgroup *memcg = NULL;

	while ((memcg = memcg_next_descendant_post(memcg, root))) {
		struct audit_cg *cg = &a->cg[memcg->slot], *pc;

		/* the children added theirs already: add our own */
		cg->subtree_pages += cg->folio_pages + cg->stock_pages +
				     cg->kmem + (a->e->v1 ? 0 : cg->sock) +
				     cg->pages;
		cg->subtree_records += cg->records;
		cg->subtree_kmem += cg->kmem;
		cg->subtree_sock += cg->sock;
		cg->subtree_tasks += atomic_load(&memcg->nr_tasks);
		if (atomic_load(&memcg->nr_tasks_subtree) != cg->subtree_tasks)
			report(a, "%s: nr_tasks_subtree %ld, its subtree has %ld "
			       "tasks", memcg->name,
			       (long)atomic_load(&memcg->nr_tasks_subtree),
			       cg->subtree_tasks);
		if (memcg == root)
			break;
		pc = &a->cg[memcg->parent->slot];
		pc->subtree_tasks += cg->subtree_tasks;
		pc->subtree_pages += cg->subtree_pages;
		pc->subtree_records += cg->subtree_records;
		pc->subtree_kmem += cg->subtree_kmem;
		pc->subtree_sock += cg->subtree_sock;
		pc->live_desc += cg->live_desc;
		pc->dying_desc += cg->dying_desc;
		if (atomic_load(&memcg->online))
			pc->live_desc++;
		else
			pc->dying_desc++;
	}
}

static void audit_counters(struct audit *a, struct audit_cg *cg)
{
	struct mem_cgroup *m = cg->memcg;
	bool root = mem_cgroup_is_root(m);
	long usage = page_counter_read(&m->memory);
	/* the root's own charges skip its counter; its children's do not */
	long expect = cg->subtree_pages -
		(root ? cg->folio_pages + cg->stock_pages + cg->kmem +
			(m->engine->v1 ? 0 : cg->sock) + cg->pages : 0);
	long records = cg->subtree_records - (root ? cg->records : 0);

	/* v2's root counts nothing (mem_cgroup_root_counted()) */
	if (root && !mem_cgroup_root_counted(m->engine))
		expect = records = 0;
	if (usage != expect)
		report(a, "%s: memory usage %ld, charged pages %ld", m->name,
		       usage, expect);
	if (m->engine->v1 && page_counter_read(&m->memsw) != usage + records)
		report(a, "%s: memsw usage %ld != memory %ld + records %ld",
		       m->name, page_counter_read(&m->memsw), usage, records);
	if (!m->engine->v1 && page_counter_read(&m->swap) != records)
		report(a, "%s: swap usage %ld, swap records %ld", m->name,
		       page_counter_read(&m->swap), records);
	/* v1: kmem follows every objcg charge, the root's own included */
	if (m->engine->v1 && page_counter_read(&m->v1->kmem) != cg->subtree_kmem)
		report(a, "%s: kmem usage %ld, kernel pages through objcgs %ld",
		       m->name, page_counter_read(&m->v1->kmem), cg->subtree_kmem);
	if (m->engine->v1 && page_counter_read(&m->v1->tcpmem) != cg->subtree_sock)
		report(a, "%s: tcpmem usage %ld, socket pages %ld", m->name,
		       page_counter_read(&m->v1->tcpmem), cg->subtree_sock);
	if (!m->engine->v1 != !m->v1)
		report(a, "%s: v1 state %s on a v%d engine", m->name,
		       m->v1 ? "allocated" : "missing", m->engine->v1 ? 1 : 2);
	if (atomic_load(&m->memory.watermark) < usage)
		report(a, "%s: watermark %ld below usage %ld", m->name,
		       atomic_load(&m->memory.watermark), usage);
	if (atomic_load(&m->id_ref) != atomic_load(&m->online) + cg->records)
		report(a, "%s: %d id references, online %d + records %ld",
		       m->name, atomic_load(&m->id_ref),
		       (int)atomic_load(&m->online), cg->records);
}

static void audit_refs(struct audit *a, struct audit_cg *cg)
{
	struct mem_cgroup *m = cg->memcg;
	long expect = cg->folios + cg->stock_slots + cg->children + cg->holds +
		      (atomic_load(&m->id_ref) > 0) + atomic_load(&m->online) +
		      cg->pages;
	long refs = css_ref_read(m);

	if (refs != expect)
		report(a, "%s: %ld references, expected %ld (folios %ld, "
		       "stock %ld, children %ld, held %ld, id %d, online %d, "
		       "pages %ld)",
		       m->name, refs, expect, cg->folios, cg->stock_slots,
		       cg->children, cg->holds, atomic_load(&m->id_ref),
		       (int)atomic_load(&m->online), cg->pages);
}

/*
 * A leaf's flushed value is its slots' prev[] (rstat.h): after a flush of
 * the root, each slot's prev[] must equal its counters, and a cgroup
 * without sums must never have had a child (no stat_dead).
 */
static void audit_rstat_prev(struct audit *a, struct mem_cgroup *m)
{
	struct memcg_vmstats_sums *sums = atomic_load(&m->vmstats->sums);
	unsigned slot;
	int i;

	for (slot = 0; slot < a->e->nr_cpus; slot++)
		for (i = 0; i < MEMCG_NR_STAT; i++)
			if (atomic_load(&m->rstat_cpu[slot].prev[i]) !=
			    atomic_load(&m->pcpu[slot].stat[i]))
				report(a, "%s: slot %u stat %d flushed at %ld, "
				       "its counter is %ld", m->name, slot, i,
				       atomic_load(&m->rstat_cpu[slot].prev[i]),
				       atomic_load(&m->pcpu[slot].stat[i]));
	if (sums) {
		for (i = 0; i < MEMCG_NR_STAT; i++)
			if (sums->state_pending[i])
				report(a, "%s: stat %d has %ld pending after a "
				       "flush", m->name, i,
				       sums->state_pending[i]);
	} else if (!cds_list_empty(&m->children) ||
		   atomic_load(&m->stat_dead) != memcg_stat_zero) {
		report(a, "%s: children or stat_dead without sums", m->name);
	}
}

static void audit_rstat_idle(struct audit *a, struct mem_cgroup *m)
{
	unsigned slot;
	int i;

	for (slot = 0; slot < a->e->nr_cpus; slot++) {
		struct memcg_rstat_cpu *rc = &m->rstat_cpu[slot];

		if (atomic_load(&rc->updated_next) || rc->updated_children != m)
			report(a, "%s: still on slot %u's updated tree after a "
			       "flush", m->name, slot);
	}
	audit_rstat_prev(a, m);
	for (i = 0; i < NR_LRU_LISTS; i++)
		if (memcg_page_state_local(m, MEMCG_LRU_BASE + i) !=
		    m->lruvec.nr_pages[i])
			report(a, "%s: LRU stat %d is %ld, the list has %ld",
			       m->name, i,
			       memcg_page_state_local(m, MEMCG_LRU_BASE + i),
			       m->lruvec.nr_pages[i]);
}

/*
 * rstat: flush the root, then each cgroup's flushed values (its sums, or a
 * leaf's slots: memcg_vmstats_read()) must equal its subtree's per-CPU
 * counters (and what released cgroups left, stat_dead), summed here
 * bottom-up, and no update may be left pending.
 */
static void audit_rstat(struct audit *a)
{
	struct mem_cgroup *root = a->e->root, *m = NULL;
	long *sum = calloc((size_t)a->e->slot_next_unused * MEMCG_NR_STAT,
			   sizeof(*sum));
	enum memcg_stat_item items[MEMCG_NR_STAT];
	long flushed[MEMCG_NR_STAT];
	int i;

	if (!sum)
		abort();
	for (i = 0; i < MEMCG_NR_STAT; i++)
		items[i] = (enum memcg_stat_item)i;
	css_rstat_flush(root);
	while ((m = memcg_next_descendant_post(m, root))) {
		long *own = sum + (size_t)m->slot * MEMCG_NR_STAT;

		memcg_vmstats_read(m, items, MEMCG_NR_STAT, flushed);
		for (i = 0; i < MEMCG_NR_STAT; i++) {
			own[i] += memcg_page_state_local(m, i) +
				  atomic_load(&m->stat_dead[i]);
			if (flushed[i] != own[i])
				report(a, "%s: flushed stat %d is %ld, its "
				       "subtree's CPUs say %ld", m->name, i,
				       flushed[i], own[i]);
			if (m->parent)
				sum[(size_t)m->parent->slot * MEMCG_NR_STAT + i] +=
					own[i];
		}
		audit_rstat_idle(a, m);
		if (m == root)
			break;
	}
	free(sum);
}

static void audit_stats(struct audit *a, struct audit_cg *cg)
{
	static const enum memcg_stat_item items[] = {
		/* MEMCG_KERNEL includes objcg charges: audit_kmem_stats() */
		MEMCG_ANON, MEMCG_FILE, MEMCG_SHMEM,
		MEMCG_FILE_DIRTY, MEMCG_FILE_WRITEBACK,
		MEMCG_ANON_THP, MEMCG_FILE_THP, MEMCG_SHMEM_THP,
		MEMCG_OBJCG_ANON, MEMCG_OBJCG_ANON_THP, MEMCG_OBJCG_SHMEM,
		MEMCG_OBJCG_SHMEM_THP, MEMCG_OBJCG_FILE, MEMCG_OBJCG_FILE_THP,
	};
	size_t i;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		long v = memcg_page_state_local(cg->memcg, items[i]);

		if (v != cg->stat[items[i]])
			report(a, "%s: stat %d is %ld, folios say %ld",
			       cg->memcg->name, items[i], v, cg->stat[items[i]]);
	}
	if (memcg_page_state_local(cg->memcg, MEMCG_SWAPCACHE) != cg->swapcache)
		report(a, "%s: swapcached %ld, swap cache holds %ld",
		       cg->memcg->name,
		       memcg_page_state_local(cg->memcg, MEMCG_SWAPCACHE),
		       cg->swapcache);
	if (memcg_page_state_local(cg->memcg, MEMCG_SWAP) != cg->records)
		report(a, "%s: swap stat %ld, records %ld", cg->memcg->name,
		       memcg_page_state_local(cg->memcg, MEMCG_SWAP), cg->records);
	if (cg->memcg->nr_descendants != cg->live_desc ||
	    cg->memcg->nr_dying_descendants != cg->dying_desc)
		report(a, "%s: descendants %d/%d dying, tree has %ld/%ld",
		       cg->memcg->name, cg->memcg->nr_descendants,
		       cg->memcg->nr_dying_descendants, cg->live_desc,
		       cg->dying_desc);
}

int memcg_audit(struct memcg_engine *e, const struct audit_hold *holds,
		size_t nr_holds)
{
	struct audit a = { .e = e };
	long kmem_pages, obj_bytes;
	uint32_t slot;
	size_t i;

	mem_cgroup_release_pending(e);
	a.cg = calloc(e->slot_next_unused, sizeof(*a.cg));
	if (!a.cg)
		abort();
	pthread_mutex_lock(&e->cgroup_mutex);
	audit_collect(&a, e->root);
	for (i = 0; i < nr_holds; i++)
		if (holds[i].nr &&
		    a.cg[holds[i].memcg->slot].memcg == holds[i].memcg)
			a.cg[holds[i].memcg->slot].holds += holds[i].nr;
	audit_tasks(&a);
	audit_objcg_collect(&a);
	for (slot = 1; slot < e->slot_next_unused; slot++)
		if (a.cg[slot].memcg)
			audit_objcg_memcg(&a, a.cg[slot].memcg);
	audit_folios(&a);
	audit_sim(&a);
	audit_pages(&a);
	audit_stocks(&a);
	audit_obj_stocks(&a);
	audit_objcgs(&a, &kmem_pages, &obj_bytes);
	audit_kmem_stats(&a, kmem_pages, obj_bytes);
	audit_swap(&a);
	audit_subtree(&a, e->root);
	audit_rstat(&a);
	for (slot = 1; slot < e->slot_next_unused; slot++) {
		if (!a.cg[slot].memcg)
			continue;
		audit_counters(&a, &a.cg[slot]);
		audit_host_lru(&a, &a.cg[slot]);
		audit_refs(&a, &a.cg[slot]);
		audit_stats(&a, &a.cg[slot]);
		audit_lru(&a, &a.cg[slot]);
	}
	pthread_mutex_unlock(&e->cgroup_mutex);
	free(a.objcg);
	free(a.cg);
	return a.errors ? -1 : 0;
}
