// SPDX-License-Identifier: MIT
/*
 * Page-table pages. A task's anonymous area needs one page of PTEs per
 * PTES_PER_PMD entries; the kernel allocates it at the first fault in its
 * 2 MiB range (pte_alloc(), GFP_PGTABLE_USER), charges it to the task's
 * cgroup as kernel memory through the cgroup's objcg, counts it in
 * memory.stat "pagetables", and frees it when the range is unmapped
 * (free_pgtables()). The upper levels are shared with the rest of a
 * process's mappings and are not counted: a 60M area costs 30 pages, as
 * the kernel oracle measures on 6.1 and 6.12. A huge fault charges the
 * same page after its folio, as the table it deposits for a later split
 * (pte_alloc_one(), accounted on x86): one page per 2 MiB either way.
 */
#include <errno.h>

#include "sim/sim.h"

bool sim_reclaim_machine(struct memcg_engine *e);

static struct mem_cgroup *objcg_memcg(struct memcg_engine *e,
				      struct folio *folio)
{
	return memcg_objcg_memcg(memcg_kmem_folio_objcg(e, folio));
}

/**
 * pgtable_alloc - the page table the next fault of @t maps into, charged
 * if that entry starts a new one
 * @t: task about to map entry mm->nr_pte
 *
 * Return: 0, or the charge's error (-ENOMEM).
 */
int pgtable_alloc(struct memcg_task *t)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	struct mm_struct *mm = t->mm;
	size_t b = mm->nr_pte / PTES_PER_PMD;
	struct obj_cgroup *objcg;
	struct folio *folio;
	int ret, tries;

	if (mm->nr_pte % PTES_PER_PMD)
		return 0;
	objcg = memcg_objcg_get(t->memcg);
	for (tries = 0;; tries++) {
		ret = memcg_kmem_charge_page(e, objcg, MEMCG_GFP_KERNEL, 0,
					     &folio);
		/* the machine is full: reclaim, as the page allocator would */
		if (ret != -ENOMEM || tries == 4 ||
		    folio_arena_nr_free(e->arena) || !sim_reclaim_machine(e))
			break;
	}
	memcg_objcg_put(objcg);
	if (ret)
		return ret;
	mod_memcg_state(objcg_memcg(e, folio), MEMCG_PAGETABLES, 1);
	pthread_mutex_lock(&sim->lock);
	ret = pte_reserve(mm, 1);
	if (!ret)
		mm->ptables[b] = folio;
	pthread_mutex_unlock(&sim->lock);
	if (ret) {
		mod_memcg_state(objcg_memcg(e, folio), MEMCG_PAGETABLES, -1);
		memcg_kmem_uncharge_page(e, folio);
	}
	return ret;
}

/**
 * pgtable_free_unused - free the page tables past the end of @mm's area
 * @e: engine
 * @mm: an area just shrunk
 *
 * Only the task itself (or teardown) maps, unmaps and frees its tables:
 * mm->ptables needs no lock, unlike the entries reclaim reads.
 */
void pgtable_free_unused(struct memcg_engine *e, struct mm_struct *mm)
{
	size_t b;

	for (b = nr_pmds(mm->nr_pte); b < nr_pmds(mm->cap); b++) {
		struct folio *folio = mm->ptables[b];

		if (!folio)
			continue;
		mm->ptables[b] = NULL;
		mod_memcg_state(objcg_memcg(e, folio), MEMCG_PAGETABLES, -1);
		memcg_kmem_uncharge_page(e, folio);
	}
}
