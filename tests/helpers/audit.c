// SPDX-License-Identifier: MIT
/* The invariant auditor: see audit.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/memcg_walk.h"
#include "core/objcg.h"
#include "core/rstat.h"
#include "mm/host_lru.h"
#include "mm/lru_gen.h"
#include "mm/swapfile.h"
#include "sim/sim.h"

struct audit_cg {
	struct mem_cgroup *memcg;
	long folio_pages;	/* charged to this cgroup itself */
	long folios;
	long stock_pages;
	long stock_slots;
	long stat[MEMCG_NR_STAT];
	long holds;
	long children;		/* in the children list, live or dying */
	long live_desc, dying_desc;
	long subtree_pages;	/* folio + stock pages of the subtree */
	long records;		/* swap slots recorded with its id */
	long subtree_records;
	long swapcache;		/* pages of its folios in the swap cache */
	long lru_pages;		/* pages of its folios with PG_lru */
	long kmem;		/* pages charged here through objcgs, and
				 * what released children left here */
	long sock;		/* socket pages */
	long subtree_kmem, subtree_sock;
	long subtree_tasks;	/* nr_tasks of the subtree */
	long pages;		/* charged by memcg_charge_pages() */
};

/* One objcg: the pointers that hold its references, and its bytes. */
struct audit_objcg {
	struct obj_cgroup *objcg;
	long alive, orig;	/* memcg->objcg, memcg->orig_objcg */
	long listed;		/* on a memcg's objcg_list */
	long stock_slots, stock_bytes;
	long folios, folio_pages;	/* kernel folios charged through it */
};

struct audit {
	struct memcg_engine *e;
	struct audit_cg *cg;	/* indexed by slot */
	struct audit_objcg *objcg;	/* indexed by objcg slot */
	uint32_t nr_objcg;
	int errors;
};

#define report(a, ...) do { fprintf(stderr, "audit: " __VA_ARGS__); \
	fputc('\n', stderr); (a)->errors++; } while (0)

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
static void audit_folio_stats(struct audit_cg *cg, const struct folio *folio)
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

/* --- the simulator's page tables --- */

/*
 * One address space: rss and swap entries as counted; a run mapped by a
 * huge folio as a whole lies inside the area, names the folio's frames in
 * order, keeps its accessed bit in the PMD; every run with entries has
 * its page table and no other does; the rmap names where each mapped
 * folio's first page maps. Each mapping's folio reference is added to
 * @maprefs (a huge mapping's one at the head).
 */
static void audit_mm(struct audit *a, const struct memcg_task *t,
		     long *maprefs)
{
	struct memcg_engine *e = a->e;
	struct memcg_sim *sim = sim_of(e);
	const struct mm_struct *mm = t->mm;
	long rss = 0, swapents = 0;
	size_t idx, b;

	for (idx = 0; idx < mm->nr_pte; idx++) {
		uint32_t pte = mm->pte[idx], pfn, head;
		struct folio *folio;
		uint64_t who;

		b = idx / PTES_PER_PMD;
		if (pte & PTE_SWAP) {
			swapents++;
			if (mm->pmd[b] & PMD_HUGE)
				report(a, "task %s: swap entry %zu in a huge "
				       "mapping", t->name, idx);
			continue;
		}
		if (!pte) {
			if (mm->pmd[b] & PMD_HUGE)
				report(a, "task %s: hole %zu in a huge mapping",
				       t->name, idx);
			continue;
		}
		rss++;
		pfn = pte_pfn(pte);
		folio = frame_folio(e, pfn);
		head = folio_pfn(e->arena, folio);
		if (folio_test_flag(folio, PG_free) ||
		    folio_type(folio) != FOLIO_ANON) {
			report(a, "task %s: entry %zu maps frame %u, no anon "
			       "folio", t->name, idx, pfn);
			continue;
		}
		who = sim->rmap[head];
		if (!(who & RMAP_ANON) ||
		    ((uint32_t)(who >> 32) & 0x3fffffff) != mm->id ||
		    (uint32_t)who != idx - (pfn - head))
			report(a, "task %s: entry %zu maps frame %u, rmap says "
			       "%#llx", t->name, idx, pfn,
			       (unsigned long long)who);
		if (!(mm->pmd[b] & PMD_HUGE)) {
			maprefs[head]++;
			continue;
		}
		if (pte & PTE_YOUNG)
			report(a, "task %s: young entry %zu in a huge mapping",
			       t->name, idx);
		if (folio_nr_pages(folio) != PTES_PER_PMD ||
		    pfn - head != idx % PTES_PER_PMD ||
		    b * PTES_PER_PMD + PTES_PER_PMD > mm->nr_pte)
			report(a, "task %s: huge mapping %zu: entry %zu maps "
			       "frame %u of a folio of %ld at %u", t->name, b,
			       idx, pfn, folio_nr_pages(folio), head);
		else if (idx % PTES_PER_PMD == 0)
			maprefs[head]++;
	}
	if (rss != mm->rss || swapents != mm->swapents)
		report(a, "task %s: rss %ld swapents %ld, entries say %ld and "
		       "%ld", t->name, mm->rss, mm->swapents, rss, swapents);
	for (b = 0; b < nr_pmds(mm->cap); b++)
		if (!mm->ptables[b] != (b >= nr_pmds(mm->nr_pte)))
			report(a, "task %s: run %zu of %zu %s a page table",
			       t->name, b, nr_pmds(mm->nr_pte),
			       mm->ptables[b] ? "has" : "lacks");
}

/*
 * Every task's page tables; then each anon folio they map holds one
 * reference per mapping and one for the swap cache, and no more.
 */
static void audit_sim(struct audit *a)
{
	struct memcg_sim *sim = sim_of(a->e);
	size_t pfn, n = folio_arena_nr_frames(a->e->arena);
	struct memcg_task *t;
	long *maprefs;

	if (!sim)
		return;
	maprefs = calloc(n, sizeof(*maprefs));
	if (!maprefs)
		abort();
	pthread_mutex_lock(&sim->lock);
	for (t = sim->tasks; t; t = t->next)
		if (t->mm)
			audit_mm(a, t, maprefs);
	for (pfn = 0; pfn < n; pfn++) {
		struct folio *folio = pfn_folio(a->e->arena, (uint32_t)pfn);
		long want;

		if (!maprefs[pfn])
			continue;
		want = maprefs[pfn] + folio_test_flag(folio, PG_swapcache);
		if ((long)folio_ref_count(folio) != want)
			report(a, "folio %zu: %u references, %ld mappings%s",
			       pfn, folio_ref_count(folio), maprefs[pfn],
			       folio_test_flag(folio, PG_swapcache) ?
			       " and the swap cache" : "");
	}
	pthread_mutex_unlock(&sim->lock);
	free(maprefs);
}

/* --- kernel memory: objcgs, object stocks, kernel folios --- */

static struct audit_objcg *audit_objcg_of(struct audit *a,
					  struct obj_cgroup *objcg)
{
	if (!objcg || !objcg->slot || objcg->slot >= a->nr_objcg ||
	    a->objcg[objcg->slot].objcg != objcg)
		return NULL;
	return &a->objcg[objcg->slot];
}

/*
 * A program's folio charged through an objcg (memcontrol_objcg.c): its
 * pages and statistics are the cgroup's the objcg points to, in the
 * visible items and their hidden twins; never on a list or in the cache.
 */
static void audit_objcg_user_folio(struct audit *a, struct folio *folio,
				   size_t pfn, struct obj_cgroup *objcg)
{
	struct mem_cgroup *m = objcg_memcg(objcg);
	struct audit_cg *cg;
	struct audit_cg twins = { 0 };

	if (!m || a->cg[m->slot].memcg != m) {
		report(a, "folio %zu charged through an objcg of a cgroup not "
		       "in the tree", pfn);
		return;
	}
	if (folio_test_flag(folio, PG_lru) ||
	    folio_test_flag(folio, PG_swapcache))
		report(a, "folio %zu charged through an objcg is on a list or "
		       "in the swap cache", pfn);
	cg = &a->cg[m->slot];
	cg->folio_pages += folio_nr_pages(folio);
	audit_folio_stats(cg, folio);
	audit_folio_stats(&twins, folio);
	cg->stat[MEMCG_OBJCG_ANON] += twins.stat[MEMCG_ANON];
	cg->stat[MEMCG_OBJCG_ANON_THP] += twins.stat[MEMCG_ANON_THP];
	cg->stat[MEMCG_OBJCG_SHMEM] += twins.stat[MEMCG_SHMEM];
	cg->stat[MEMCG_OBJCG_SHMEM_THP] += twins.stat[MEMCG_SHMEM_THP];
	cg->stat[MEMCG_OBJCG_FILE] += twins.stat[MEMCG_FILE];
	cg->stat[MEMCG_OBJCG_FILE_THP] += twins.stat[MEMCG_FILE_THP];
}

static void audit_kmem_folio(struct audit *a, struct folio *folio, size_t pfn,
			     uint32_t slot)
{
	struct audit_objcg *o = slot < a->nr_objcg ? &a->objcg[slot] : NULL;

	if (!o || !o->objcg) {
		report(a, "kernel folio %zu charged through objcg slot %u, no "
		       "such objcg", pfn, slot);
		return;
	}
	o->folios++;
	if (folio_type(folio) == FOLIO_KERNEL) {
		o->folio_pages += folio_nr_pages(folio);
		return;
	}
	audit_objcg_user_folio(a, folio, pfn, o->objcg);
}

/* The objcg table: live slots hold pointers, free ones small indices. */
static void audit_objcg_collect(struct audit *a)
{
	struct objcg_table *t = a->e->objcgs;
	uint32_t slot;

	a->nr_objcg = t->next_unused;
	a->objcg = calloc(a->nr_objcg, sizeof(*a->objcg));
	if (!a->objcg)
		abort();
	for (slot = 1; slot < t->next_unused; slot++) {
		struct obj_cgroup *objcg = t->slots[slot];

		if ((uintptr_t)objcg < t->nr_slots)
			continue;	/* on the free chain */
		if (objcg->slot != slot)
			report(a, "objcg in slot %u says slot %u", slot,
			       objcg->slot);
		a->objcg[slot].objcg = objcg;
	}
}

/* The memcgs' pointers to objcgs, and the reparented lists. */
static void audit_objcg_memcg(struct audit *a, struct mem_cgroup *m)
{
	struct obj_cgroup *alive = atomic_load(&m->objcg), *iter;
	struct audit_objcg *o;

	if (alive) {
		o = audit_objcg_of(a, alive);
		if (!o)
			report(a, "%s: objcg not in the table", m->name);
		else
			o->alive++;
		if (alive && objcg_memcg(alive) != m)
			report(a, "%s: its objcg points elsewhere", m->name);
		if (!atomic_load(&m->online))
			report(a, "%s: offline with an objcg", m->name);
	}
	if (m->orig_objcg) {
		o = audit_objcg_of(a, m->orig_objcg);
		if (!o)
			report(a, "%s: orig_objcg not in the table", m->name);
		else
			o->orig++;
	}
	cds_list_for_each_entry(iter, &m->objcg_list, list) {
		o = audit_objcg_of(a, iter);
		if (!o) {
			report(a, "%s: objcg_list has an unknown objcg", m->name);
			continue;
		}
		o->listed++;
		if (objcg_memcg(iter) != m)
			report(a, "%s: a reparented objcg points elsewhere",
			       m->name);
	}
}

static void audit_obj_stocks(struct audit *a)
{
	unsigned cpu;
	int i;

	for (cpu = 0; cpu < a->e->nr_cpus; cpu++) {
		struct obj_stock_pcp *stock = &a->e->cpus[cpu].obj_stock;

		for (i = 0; i < NR_OBJ_STOCK; i++) {
			struct audit_objcg *o;

			if (!stock->cached[i]) {
				if (stock->nr_bytes[i])
					report(a, "cpu %u obj slot %d: %u bytes, "
					       "no objcg", cpu, i,
					       stock->nr_bytes[i]);
				continue;
			}
			o = audit_objcg_of(a, stock->cached[i]);
			if (!o) {
				report(a, "cpu %u obj slot %d caches an objcg "
				       "not in the table", cpu, i);
				continue;
			}
			o->stock_slots++;
			o->stock_bytes += stock->nr_bytes[i];
		}
	}
}

/*
 * Per objcg: references = pointers (alive, orig, stock slots, kernel
 * folios, live objects, handles); it charges an online cgroup in the
 * tree; it is that cgroup's objcg or on exactly one reparented list; its
 * object pages are whole: live bytes + stocked + nr_charged_bytes is a
 * multiple of PAGE_SIZE.
 *
 * Globally, the kernel stat of every cgroup (with what released ones left
 * to their parents), less the kernel folios charged to cgroups directly,
 * is the kernel folios charged through objcgs plus the object pages; the
 * slab stats are the live object bytes.
 */
static void audit_objcgs(struct audit *a, long *kmem_pages, long *obj_bytes)
{
	uint32_t slot;
	unsigned cpu;

	*kmem_pages = *obj_bytes = 0;
	for (slot = 1; slot < a->nr_objcg; slot++) {
		struct audit_objcg *o = &a->objcg[slot];
		struct obj_cgroup *objcg = o->objcg;
		struct mem_cgroup *m;
		long nr_objs = 0, bytes = 0, handles, charged, refs, expect;

		if (!objcg)
			continue;
		for (cpu = 0; cpu < a->e->nr_cpus; cpu++) {
			nr_objs += atomic_load(&objcg->pcpu[cpu].nr_objs);
			bytes += atomic_load(&objcg->pcpu[cpu].obj_bytes);
		}
		handles = atomic_load(&objcg->nr_handles);
		charged = atomic_load(&objcg->nr_charged_bytes);
		refs = obj_cgroup_ref_read(objcg);
		expect = o->alive + o->orig + o->stock_slots + o->folios +
			 nr_objs + handles;
		if (refs != expect)
			report(a, "objcg %u: %ld references, expected %ld (alive "
			       "%ld, orig %ld, stock %ld, folios %ld, objects "
			       "%ld, handles %ld)", slot, refs, expect, o->alive,
			       o->orig, o->stock_slots, o->folios, nr_objs,
			       handles);
		if (nr_objs < 0 || bytes < 0 || handles < 0 || charged < 0)
			report(a, "objcg %u: %ld objects of %ld bytes, %ld "
			       "handles, %ld charged bytes", slot, nr_objs,
			       bytes, handles, charged);
		if ((bytes + o->stock_bytes + charged) % (long)MEMCG_PAGE_SIZE)
			report(a, "objcg %u: objects %ld + stocked %ld + charged "
			       "%ld bytes are not whole pages", slot, bytes,
			       o->stock_bytes, charged);
		m = objcg_memcg(objcg);
		if (!m || a->cg[m->slot].memcg != m)
			report(a, "objcg %u charges a cgroup not in the tree", slot);
		else if (!atomic_load(&m->online))
			report(a, "objcg %u charges offline cgroup %s", slot,
			       m->name);
		if (o->alive + o->listed != 1)
			report(a, "objcg %u: alive %ld, on %ld lists", slot,
			       o->alive, o->listed);
		*kmem_pages += o->folio_pages +
			(bytes + o->stock_bytes + charged) / (long)MEMCG_PAGE_SIZE;
		*obj_bytes += bytes;
	}
}

/* Each cgroup's kernel pages charged through objcgs, and socket pages. */
static void audit_kmem_stats(struct audit *a, long kmem_pages, long obj_bytes)
{
	long kmem = 0, slab = 0;
	uint32_t slot;

	for (slot = 1; slot < a->e->slot_next_unused; slot++) {
		struct audit_cg *cg = &a->cg[slot];
		struct mem_cgroup *m = cg->memcg;

		if (!m)
			continue;
		/* the folio pass counted kernel folios charged to m directly */
		cg->kmem = memcg_page_state_local(m, MEMCG_KERNEL) +
			   atomic_load(&m->stat_dead[MEMCG_KERNEL]) -
			   cg->stat[MEMCG_KERNEL];
		cg->sock = memcg_page_state_local(m, MEMCG_SOCK);
		if (atomic_load(&m->stat_dead[MEMCG_SOCK]))
			report(a, "%s: released children left %ld socket pages",
			       m->name, atomic_load(&m->stat_dead[MEMCG_SOCK]));
		if (mem_cgroup_is_root(m) && cg->sock)
			report(a, "root: %ld socket pages", cg->sock);
		kmem += cg->kmem;
		slab += memcg_page_state_local(m, MEMCG_SLAB_RECLAIMABLE) +
			memcg_page_state_local(m, MEMCG_SLAB_UNRECLAIMABLE) +
			atomic_load(&m->stat_dead[MEMCG_SLAB_RECLAIMABLE]) +
			atomic_load(&m->stat_dead[MEMCG_SLAB_UNRECLAIMABLE]);
	}
	if (kmem != kmem_pages)
		report(a, "kernel stats say %ld pages through objcgs, kernel "
		       "folios and object bytes %ld", kmem, kmem_pages);
	if (slab != obj_bytes)
		report(a, "slab stats say %ld bytes, live objects %ld", slab,
		       obj_bytes);
}

/*
 * Pages charged without folios (memcontrol_pages.c): in the counters, one
 * reference each, and anon in memory.stat.
 */
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

static void audit_swap_slot(struct audit *a, struct swap_device *dev, size_t i,
			    bool returning)
{
	uint16_t id = lookup_swap_cgroup_id(&dev->records, i);
	uint8_t state = dev->swap_map[i];
	bool cached = swap_cache_pfn(dev, i) != FOLIO_NONE;
	struct mem_cgroup *m;

	if (!state && (id || cached))
		report(a, "free swap slot %zu has a record or a folio", i);
	if (returning && (state != SWAP_HAS_CACHE || cached))
		report(a, "swap slot %zu in a return cache: state %#x, cached "
		       "folio %d", i, state, cached);
	if (!returning && !!(state & SWAP_HAS_CACHE) != cached)
		report(a, "swap slot %zu: cache bit %d, cached folio %d", i,
		       !!(state & SWAP_HAS_CACHE), cached);
	if (cached && !folio_test_flag(pfn_folio(a->e->arena, swap_cache_pfn(dev, i)),
				       PG_swapcache))
		report(a, "swap slot %zu: cached folio without PG_swapcache", i);
	if (!id)
		return;
	m = a->e->ids[id];
	if (!m || a->cg[m->slot].memcg != m) {
		report(a, "swap slot %zu: record of id %u, no such cgroup", i, id);
		return;
	}
	a->cg[m->slot].records++;
}

static void audit_swap(struct audit *a)
{
	struct swap_device *dev = a->e->swap;
	size_t i, nr_free = 0;

	uint8_t *returning;
	unsigned cpu, j;

	if (!dev)
		return;
	/* freed slots a CPU holds before returning them (swapfile.h) */
	returning = calloc(dev->nr_slots, 1);
	if (!returning) {
		report(a, "swap: out of memory for the audit");
		return;
	}
	for (cpu = 0; cpu < dev->nr_cpus; cpu++)
		for (j = 0; j < dev->slots_ret[cpu].n; j++)
			if (returning[dev->slots_ret[cpu].slot[j]]++)
				report(a, "swap slot %u returned twice",
				       dev->slots_ret[cpu].slot[j]);
	for (i = 0; i < dev->nr_slots; i++) {
		nr_free += !dev->swap_map[i];
		audit_swap_slot(a, dev, i, returning[i]);
	}
	free(returning);
	if (nr_free != swap_nr_free(dev))
		report(a, "swap: %zu free slots, device counts %zu", nr_free,
		       swap_nr_free(dev));
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

/* A folio on @cg's lists: linked back to @prev, PG_lru, @cg's. */
static bool audit_lru_folio(struct audit_cg *cg, struct folio *folio,
			    uint32_t prev)
{
	return folio->lru_prev == prev && folio_test_flag(folio, PG_lru) &&
	       (folio_memcg_data(folio) == cg->memcg->slot ||
		(mem_cgroup_is_root(cg->memcg) && !folio_memcg_data(folio)));
}

/*
 * Walk one list: every folio passes audit_lru_folio() and @fits. Return
 * the pages on it, or -1 after a report; @pages_by_gen sums by each
 * folio's generation when not NULL.
 */
static long audit_flist(struct audit *a, struct audit_cg *cg,
			const struct flist *l, int id,
			bool (*fits)(const struct folio *folio, int id),
			long pages_by_gen[MAX_NR_GENS])
{
	uint32_t pfn, prev = FOLIO_NONE;
	long pages = 0;

	for (pfn = l->head; pfn != FOLIO_NONE;
	     prev = pfn, pfn = pfn_folio(a->e->arena, pfn)->lru_next) {
		struct folio *folio = pfn_folio(a->e->arena, pfn);

		if (!audit_lru_folio(cg, folio, prev) || !fits(folio, id)) {
			report(a, "%s: bad folio %u on list %d", cg->memcg->name,
			       pfn, id);
			return -1;
		}
		pages += folio_nr_pages(folio);
		if (pages_by_gen)
			pages_by_gen[folio_lru_gen(folio)] += folio_nr_pages(folio);
	}
	if (prev != l->tail) {
		report(a, "%s: list %d has a bad tail", cg->memcg->name, id);
		return -1;
	}
	return pages;
}

static bool fits_lru(const struct folio *folio, int lru)
{
	return (int)folio_lru_list(folio) == lru;
}

/* On a generation list: evictable, of the list's type (id = gen * 2 + type). */
static bool fits_gen(const struct folio *folio, int id)
{
	return !folio_test_flag(folio, PG_unevictable) &&
	       !folio_test_flag(folio, PG_active) &&
	       folio_lru_type(folio) == id % ANON_AND_FILE;
}

/* MGLRU: pages per generation, and the active/inactive sizes they give. */
static long audit_lru_gen(struct audit *a, struct audit_cg *cg)
{
	struct lruvec *lruvec = &cg->memcg->lruvec;
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	long total = 0, sizes[NR_LRU_LISTS] = { 0 };
	int gen, type;

	for (type = 0; type < ANON_AND_FILE; type++) {
		long by_gen[MAX_NR_GENS] = { 0 };

		for (gen = 0; gen < MAX_NR_GENS; gen++) {
			long pages = audit_flist(a, cg, &lrugen->folios[gen][type],
						 gen * ANON_AND_FILE + type,
						 fits_gen, by_gen);

			if (pages < 0)
				return -1;
			total += pages;
		}
		for (gen = 0; gen < MAX_NR_GENS; gen++) {
			if (by_gen[gen] != lrugen->nr_pages[gen][type])
				report(a, "%s: generation %d type %d has %ld pages, "
				       "counts %ld", cg->memcg->name, gen, type,
				       by_gen[gen], lrugen->nr_pages[gen][type]);
			sizes[type * LRU_INACTIVE_FILE +
			      lru_gen_is_active(lrugen, gen)] += by_gen[gen];
		}
	}
	for (type = 0; type < LRU_UNEVICTABLE; type++)
		if (sizes[type] != lruvec->nr_pages[type])
			report(a, "%s: lru %d has %ld pages by generation, "
			       "counts %ld", cg->memcg->name, type, sizes[type],
			       lruvec->nr_pages[type]);
	return total;
}

/* Each list links folios of this cgroup, of that list, with PG_lru. */
static void audit_lru(struct audit *a, struct audit_cg *cg)
{
	struct lruvec *lruvec = &cg->memcg->lruvec;
	long total = 0, pages;
	int lru;

	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		if (lruvec->lrugen && lru != LRU_UNEVICTABLE)
			continue;
		pages = audit_flist(a, cg, &lruvec->lists[lru], lru, fits_lru,
				    NULL);
		if (pages < 0)
			return;
		if (pages != lruvec->nr_pages[lru])
			report(a, "%s: lru %d has %ld pages, counts %ld",
			       cg->memcg->name, lru, pages, lruvec->nr_pages[lru]);
		total += pages;
	}
	if (lruvec->lrugen) {
		pages = audit_lru_gen(a, cg);
		if (pages < 0)
			return;
		total += pages;
	}
	if (total != cg->lru_pages)
		report(a, "%s: %ld pages on its lists, %ld with PG_lru",
		       cg->memcg->name, total, cg->lru_pages);
}

/* A program's units: linked both ways, this cgroup's, one reference each. */
static void audit_host_lru(struct audit *a, struct audit_cg *cg)
{
	struct lruvec *lruvec = &cg->memcg->lruvec;
	int lru;

	for (lru = 0; lru < NR_HOST_LRU; lru++) {
		struct memcg_lru_unit *u, *prev = NULL;
		unsigned want = LRU_UNIT_LISTED |
				(lru == HOST_LRU_ACTIVE ? LRU_UNIT_ACTIVE : 0);
		long bytes = 0;

		for (u = lruvec->host[lru].head; u; prev = u, u = u->lru_next) {
			if (u->lru_prev != prev || u->memcg != cg->memcg ||
			    (u->flags & ~LRU_UNIT_REFERENCED) != want) {
				report(a, "%s: bad unit %p on host list %d",
				       cg->memcg->name, (void *)u, lru);
				return;
			}
			bytes += (long)u->bytes;
			cg->holds++;
		}
		if (prev != lruvec->host[lru].tail ||
		    bytes != lruvec->host[lru].nr_bytes)
			report(a, "%s: host list %d has %ld bytes, counts %ld",
			       cg->memcg->name, lru, bytes,
			       lruvec->host[lru].nr_bytes);
	}
}

/* One cgroup's rstat state after a flush of the root: nothing pending. */
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
	for (i = 0; i < MEMCG_NR_STAT; i++)
		if (m->vmstats->state_pending[i])
			report(a, "%s: stat %d has %ld pending after a flush",
			       m->name, i, m->vmstats->state_pending[i]);
	for (i = 0; i < NR_LRU_LISTS; i++)
		if (memcg_page_state_local(m, MEMCG_LRU_BASE + i) !=
		    m->lruvec.nr_pages[i])
			report(a, "%s: LRU stat %d is %ld, the list has %ld",
			       m->name, i,
			       memcg_page_state_local(m, MEMCG_LRU_BASE + i),
			       m->lruvec.nr_pages[i]);
}

/*
 * rstat: flush the root, then each cgroup's flushed sums must equal its
 * subtree's per-CPU counters (and what released cgroups left, stat_dead),
 * summed here bottom-up, and no update may be left pending.
 */
static void audit_rstat(struct audit *a)
{
	struct mem_cgroup *root = a->e->root, *m = NULL;
	long *sum = calloc((size_t)a->e->slot_next_unused * MEMCG_NR_STAT,
			   sizeof(*sum));
	int i;

	if (!sum)
		abort();
	css_rstat_flush(root);
	while ((m = memcg_next_descendant_post(m, root))) {
		long *own = sum + (size_t)m->slot * MEMCG_NR_STAT;

		for (i = 0; i < MEMCG_NR_STAT; i++) {
			own[i] += memcg_page_state_local(m, i) +
				  atomic_load(&m->stat_dead[i]);
			if (atomic_load(&m->vmstats->state[i]) != own[i])
				report(a, "%s: flushed stat %d is %ld, its "
				       "subtree's CPUs say %ld", m->name, i,
				       atomic_load(&m->vmstats->state[i]),
				       own[i]);
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
