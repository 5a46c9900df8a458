// SPDX-License-Identifier: MIT
/*
 * Address spaces: one anonymous area per task, as a page table of
 * sim.h's PTE values. Faults allocate and charge folios to the task's
 * cgroup; swapped-out entries are faulted back in; unmapping drops the
 * page table's references, and the final put uncharges.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/lru_gen.h"
#include "mm/swapfile.h"
#include "sim/sim.h"

struct mm_struct *mm_alloc(struct memcg_sim *sim)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm)), **mms;
	uint32_t id;

	if (!mm)
		return NULL;
	pthread_mutex_lock(&sim->lock);
	for (id = 0; id < sim->nr_mms && sim->mms[id]; id++)
		;
	if (id == sim->nr_mms) {
		mms = realloc(sim->mms, (sim->nr_mms + 1) * sizeof(*mms));
		if (!mms) {
			pthread_mutex_unlock(&sim->lock);
			free(mm);
			return NULL;
		}
		sim->mms = mms;
		sim->nr_mms++;
	}
	mm->id = id;
	atomic_init(&mm->lru_gen_new, true);
	sim->mms[id] = mm;
	pthread_mutex_unlock(&sim->lock);
	return mm;
}

void mm_free(struct memcg_engine *e, struct memcg_sim *sim, struct mm_struct *mm)
{
	pthread_mutex_lock(&sim->lock);
	sim->mms[mm->id] = NULL;
	pthread_mutex_unlock(&sim->lock);
	free(mm->pte);
	free(mm->pmd);
	free(mm->ptables);
	free(mm);
}

size_t nr_pmds(size_t nr_pte)
{
	return (nr_pte + PTES_PER_PMD - 1) / PTES_PER_PMD;
}

int pte_reserve(struct mm_struct *mm, size_t nr)
{
	uint32_t *pte;
	uint8_t *pmd;
	struct folio **ptables;
	size_t cap;

	if (mm->nr_pte + nr <= mm->cap)
		return 0;
	cap = mm->cap ? mm->cap : PTES_PER_PMD;
	while (cap < mm->nr_pte + nr)
		cap *= 2;
	pte = realloc(mm->pte, cap * sizeof(*pte));
	if (!pte)
		return -ENOMEM;
	mm->pte = pte;
	pmd = realloc(mm->pmd, nr_pmds(cap));
	if (!pmd)
		return -ENOMEM;
	memset(pmd + nr_pmds(mm->cap), 0, nr_pmds(cap) - nr_pmds(mm->cap));
	mm->pmd = pmd;
	ptables = realloc(mm->ptables, nr_pmds(cap) * sizeof(*ptables));
	if (!ptables)
		return -ENOMEM;
	memset(ptables + nr_pmds(mm->cap), 0,
	       (nr_pmds(cap) - nr_pmds(mm->cap)) * sizeof(*ptables));
	mm->ptables = ptables;
	mm->cap = cap;
	return 0;
}

/*
 * A free frame for a new folio: when the machine is full, reclaim from
 * the root, then call the global OOM killer.
 */
static struct folio *alloc_folio(struct memcg_engine *e, enum folio_type type)
{
	struct folio *folio;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		folio = folio_alloc(e->arena, type, 0);
		if (folio)
			return folio;
		if (current_task && current_task->oom_victim)
			return NULL;
		if (try_to_free_mem_cgroup_pages(e->root, MEMCG_CHARGE_BATCH,
						 MEMCG_GFP_KERNEL,
						 MEMCG_RECLAIM_MAY_SWAP, -1) > 0)
			continue;
		if (!mem_cgroup_out_of_memory(e, NULL, 1))
			return NULL;
	}
	return folio_alloc(e->arena, type, 0);
}

struct folio *sim_alloc_folio(struct memcg_engine *e, enum folio_type type);
struct folio *sim_alloc_folio(struct memcg_engine *e, enum folio_type type)
{
	return alloc_folio(e, type);
}

/* Map a new anonymous page at the end of the area. */
static int fault_one(struct memcg_task *t, bool mlock)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	struct folio *folio;
	struct mm_struct *mm;
	size_t idx;
	int ret;

	/* the page table first, as pte_alloc() in the fault */
	ret = pgtable_alloc(t);
	if (ret || t->oom_victim)
		return ret ? ret : -ENOMEM;
	folio = alloc_folio(e, FOLIO_ANON);
	if (!folio)
		return -ENOMEM;
	ret = mem_cgroup_charge(folio, t->memcg, MEMCG_GFP_KERNEL);
	if (ret || t->oom_victim) {
		memcg_folio_put(e, folio);
		return ret ? ret : -ENOMEM;
	}
	if (mlock) {
		folio_set_flag(folio, PG_mlocked);
		folio_set_flag(folio, PG_unevictable);
	}
	mm = t->mm;
	pthread_mutex_lock(&sim->lock);
	ret = pte_reserve(mm, 1);
	if (!ret) {
		idx = mm->nr_pte++;
		mm->pte[idx] = mk_pte_young(folio_pfn(e->arena, folio));
		mm_mkyoung(mm, idx);
		rmap_set(sim, e, folio, RMAP_ANON | (uint64_t)mm->id << 32 | idx);
		mm->rss++;
	}
	pthread_mutex_unlock(&sim->lock);
	if (ret) {
		memcg_folio_put(e, folio);
		return ret;
	}
	mod_memcg_state(t->memcg, MEMCG_PGFAULT, 1);
	folio_add_lru_fault(e, folio);
	return 0;
}

int mm_fault_anon(struct memcg_task *t, size_t nr_pages, bool mlock)
{
	size_t i;
	int ret;

	for (i = 0; i < nr_pages; i++) {
		ret = fault_one(t, mlock);
		mem_cgroup_handle_over_high(t->e);	/* return to user */
		if (ret)
			return ret;
		if (t->oom_victim)
			return -ENOMEM;
	}
	return 0;
}

/* Fault a swapped-out page back in (do_swap_page), as a write access. */
static int swapin_one(struct memcg_task *t, size_t idx, memcg_swp_entry_t entry)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	struct mm_struct *mm = t->mm;
	struct folio *folio;
	int ret = memcg_swapin(e, entry, t->memcg, MEMCG_GFP_KERNEL, &folio);
	bool mapped = false;

	if (ret)
		return ret;
	pthread_mutex_lock(&sim->lock);
	if (idx < mm->nr_pte && mm->pte[idx] == (PTE_SWAP | entry.val)) {
		mm->pte[idx] = mk_pte_young(folio_pfn(e->arena, folio));
		mm_mkyoung(mm, idx);
		rmap_set(sim, e, folio, RMAP_ANON | (uint64_t)mm->id << 32 | idx);
		mm->rss++;
		mm->swapents--;
		mapped = true;
	}
	pthread_mutex_unlock(&sim->lock);
	if (!mapped) {
		memcg_folio_put(e, folio);
		return 0;
	}
	memcg_swap_free(e, entry);
	/* a write fault on an exclusive page frees its swap copy */
	memcg_folio_free_swap(e, folio, entry);
	if (!folio_test_flag(folio, PG_lru))
		folio_add_lru_fault(e, folio);
	mod_memcg_state(folio_memcg(e, folio), MEMCG_PGMAJFAULT, 1);
	mod_memcg_state(folio_memcg(e, folio), MEMCG_PGFAULT, 1);
	return 0;
}

int mm_touch(struct memcg_task *t, size_t nr_pages)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	size_t i;
	int ret = 0;

	if (nr_pages > t->mm->nr_pte)
		return -EINVAL;
	for (i = 0; i < nr_pages && !ret && !t->oom_victim; i++) {
		uint32_t pte;

		/* an access to a present page only sets its accessed bit */
		pthread_mutex_lock(&sim->lock);
		pte = t->mm->pte[i];
		if (pte_present(pte))
			mm_mkyoung(t->mm, i);
		pthread_mutex_unlock(&sim->lock);
		if (pte & PTE_SWAP) {
			ret = swapin_one(t, i, (memcg_swp_entry_t){ pte & ~PTE_SWAP });
			mem_cgroup_handle_over_high(e);
		}
	}
	return t->oom_victim ? -ENOMEM : ret;
}

int mm_unmap(struct memcg_task *t, size_t nr_pages)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	struct mm_struct *mm = t->mm;
	struct folio **folios;
	size_t i, n = 0;
	uint32_t *swap;
	size_t nr_swap = 0;

	if (nr_pages > mm->nr_pte)
		return -EINVAL;
	folios = malloc((nr_pages + 1) * sizeof(*folios));
	swap = malloc((nr_pages + 1) * sizeof(*swap));
	if (!folios || !swap) {
		free(folios);
		free(swap);
		return -ENOMEM;
	}
	pthread_mutex_lock(&sim->lock);
	for (i = 0; i < nr_pages; i++) {
		uint32_t pte = mm->pte[--mm->nr_pte];

		if (pte & PTE_SWAP) {
			swap[nr_swap++] = pte & ~PTE_SWAP;
			mm->swapents--;
		} else if (pte) {
			folios[n] = pfn_folio(e->arena, pte_pfn(pte));
			rmap_set(sim, e, folios[n++], 0);
			mm->rss--;
		}
	}
	pthread_mutex_unlock(&sim->lock);
	memcg_folios_put(e, folios, n);		/* one uncharge per run */
	pgtable_free_unused(e, mm);
	for (i = 0; i < nr_swap; i++)
		memcg_swap_free(e, (memcg_swp_entry_t){ swap[i] });
	free(folios);
	free(swap);
	return 0;
}

bool try_to_unmap_anon(struct memcg_engine *e, struct folio *folio,
		       memcg_swp_entry_t entry)
{
	struct memcg_sim *sim = sim_of(e);
	uint32_t pfn = folio_pfn(e->arena, folio);
	struct mm_struct *mm;
	uint64_t who;
	size_t idx;
	bool unmapped = false;

	pthread_mutex_lock(&sim->lock);
	who = rmap_get(sim, e, folio);
	if (who & RMAP_ANON) {
		mm = sim->mms[(uint32_t)(who >> 32) & 0x3fffffff];
		idx = (uint32_t)who;
		if (mm && idx < mm->nr_pte && pte_present(mm->pte[idx]) &&
		    pte_pfn(mm->pte[idx]) == pfn) {
			mm->pte[idx] = PTE_SWAP | entry.val;
			mm->rss--;
			mm->swapents++;
			rmap_set(sim, e, folio, 0);
			unmapped = true;
		}
	}
	pthread_mutex_unlock(&sim->lock);
	if (!unmapped)
		return !(who & RMAP_ANON);
	memcg_swap_dup(e, entry);	/* the page table's reference */
	folio_put_testzero(folio);	/* the mapping's: reclaim holds two more */
	return true;
}

int folio_referenced_anon(struct memcg_engine *e, struct folio *folio)
{
	struct memcg_sim *sim = sim_of(e);
	uint32_t pfn = folio_pfn(e->arena, folio), *pte;
	struct mm_struct *mm;
	uint64_t who;
	size_t idx;
	int young = 0;

	pthread_mutex_lock(&sim->lock);
	who = rmap_get(sim, e, folio);
	if (who & RMAP_ANON) {
		mm = sim->mms[(uint32_t)(who >> 32) & 0x3fffffff];
		idx = (uint32_t)who;
		pte = mm && idx < mm->nr_pte ? &mm->pte[idx] : NULL;
		if (pte && pte_present(*pte) && pte_pfn(*pte) == pfn &&
		    (*pte & PTE_YOUNG)) {
			*pte &= ~PTE_YOUNG;
			young = 1;
			if (lru_gen_enabled(e))
				sim_look_around(e, mm, idx);
		}
	}
	pthread_mutex_unlock(&sim->lock);
	return young;
}
