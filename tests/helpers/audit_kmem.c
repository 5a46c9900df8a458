// SPDX-License-Identifier: MIT
/*
 * The invariant auditor (audit.h): kernel memory: objcgs, object stocks,
 * kernel folios.
 */
#include "audit_internal.h"

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

void audit_kmem_folio(struct audit *a, struct folio *folio, size_t pfn,
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
void audit_objcg_collect(struct audit *a)
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
void audit_objcg_memcg(struct audit *a, struct mem_cgroup *m)
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

void audit_obj_stocks(struct audit *a)
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
void audit_objcgs(struct audit *a, long *kmem_pages, long *obj_bytes)
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
void audit_kmem_stats(struct audit *a, long kmem_pages, long obj_bytes)
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
