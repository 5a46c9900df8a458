// SPDX-License-Identifier: MIT
/*
 * The page-table side of MGLRU aging, as the kernel's lru_gen walks
 * x86 page tables (mm/vmscan.c, walk_mm() and lru_gen_look_around()):
 *
 * - Aging walks the address spaces of the tasks in the cgroup, only
 *   those that ran since the last walk, every one the first time.
 * - A run of PTES_PER_PMD entries is skipped when its PMD was not
 *   accessed since the last walk, or when the last walk found it not
 *   worth scanning (fewer than one young entry in eight) and no
 *   look-around reported it since; the first walk of a new address
 *   space scans everything (force_scan).
 * - A look-around scans up to 32 entries either side of a young one
 *   that reclaim's rmap walk found, in the same run.
 * - A run mapped by a huge folio as a whole is one entry: when its
 *   accessed bit is set the folio is young, whatever the filters say
 *   (walk_pmd_range_locked()).
 *
 * The kernel keeps "worth scanning" in Bloom filters keyed by page-table
 * page; here it is exact, per run. sim_walk_mm() takes sim->lock;
 * sim_look_around() runs under it, from folio_referenced_anon().
 */
#include "sim/sim.h"

#define LOOK_AROUND_PAGES 64	/* MIN_LRU_BATCH */

/* Suitable for the next walk: one young entry per cache line (8 PTEs). */
static bool suitable_to_scan(size_t total, size_t young)
{
	return young * 8 >= total;
}

/* Offer each young entry of [start, end) to the engine. Return: young. */
static size_t scan_ptes(struct memcg_engine *e, struct mm_struct *mm,
			size_t start, size_t end)
{
	size_t idx, young = 0;

	for (idx = start; idx < end; idx++) {
		uint32_t *pte = &mm->pte[idx];

		if (!pte_present(*pte) || !(*pte & PTE_YOUNG))
			continue;
		if (!memcg_folio_young(e, frame_folio(e, pte_pfn(*pte))))
			continue;
		*pte &= ~PTE_YOUNG;
		young++;
	}
	return young;
}

static bool pmd_in_filter(const struct mm_struct *mm, uint8_t pmd,
			  unsigned long seq)
{
	if (!(mm->filter_valid & PMD_FILTER(seq)))
		return true;	/* no filter yet: everything passes */
	return pmd & (PMD_FILTER(seq) | PMD_LOOKAROUND);
}

static void walk_mm(struct memcg_engine *e, struct mm_struct *mm,
		    unsigned long seq, bool force_scan)
{
	size_t b, start, end;

	for (b = 0, start = 0; start < mm->nr_pte; b++, start = end) {
		uint8_t *pmd = &mm->pmd[b];
		bool scan;

		end = start + PTES_PER_PMD < mm->nr_pte ? start + PTES_PER_PMD :
							  mm->nr_pte;
		if (*pmd & PMD_HUGE) {
			struct folio *folio = frame_folio(e, pte_pfn(mm->pte[start]));

			if ((*pmd & PMD_YOUNG) && memcg_folio_young(e, folio))
				*pmd &= (uint8_t)~PMD_YOUNG;
			continue;
		}
		if (!force_scan) {
			if (!(*pmd & PMD_YOUNG))
				continue;
			*pmd &= (uint8_t)~PMD_YOUNG;
		}
		scan = force_scan || pmd_in_filter(mm, *pmd, seq);
		*pmd &= (uint8_t)~PMD_LOOKAROUND;
		if (scan && suitable_to_scan(end - start,
					     scan_ptes(e, mm, start, end)))
			*pmd |= (uint8_t)PMD_FILTER(seq + 1);
	}
}

/* The next walk's filter starts empty (reset_bloom_filter()). */
static void reset_filter(struct mm_struct *mm, unsigned long seq)
{
	size_t b;

	mm->filter_valid |= (uint8_t)PMD_FILTER(seq);
	for (b = 0; b * PTES_PER_PMD < mm->nr_pte; b++)
		mm->pmd[b] &= (uint8_t)~PMD_FILTER(seq);
}

void sim_walk_mm(struct memcg_engine *e, struct mem_cgroup *memcg,
		 unsigned long seq, bool can_swap)
{
	struct memcg_sim *sim = sim_of(e);
	struct memcg_task *t;
	bool force_scan = false, first = true;

	if (!sim)
		return;
	pthread_mutex_lock(&sim->lock);
	for (t = sim->tasks; t; t = t->next) {
		struct mm_struct *mm = t->mm;

		if (!mm || t->memcg != memcg)
			continue;
		/* from the first address space new to the cgroup on */
		if (atomic_exchange(&mm->lru_gen_new, false))
			force_scan = true;
		if (!atomic_exchange(&mm->lru_gen_ran, false) && !force_scan)
			continue;
		if (first) {
			struct memcg_task *u;

			/* the whole cgroup's, those skipped before @t too */
			for (u = sim->tasks; u; u = u->next)
				if (u->mm && u->memcg == memcg)
					reset_filter(u->mm, seq + 1);
			first = false;
		}
		/* the area is anonymous: nothing to age without swap */
		if (can_swap)
			walk_mm(e, mm, seq, force_scan);
	}
	pthread_mutex_unlock(&sim->lock);
}

void sim_look_around(struct memcg_engine *e, struct mm_struct *mm, size_t idx)
{
	size_t start = idx / PTES_PER_PMD * PTES_PER_PMD;
	size_t end = start + PTES_PER_PMD < mm->nr_pte ? start + PTES_PER_PMD :
							 mm->nr_pte;
	size_t young;

	if (end - start <= 1)
		return;
	if (end - start > LOOK_AROUND_PAGES) {
		if (idx - start < LOOK_AROUND_PAGES / 2)
			end = start + LOOK_AROUND_PAGES;
		else if (end - idx < LOOK_AROUND_PAGES / 2)
			start = end - LOOK_AROUND_PAGES;
		else {
			start = idx - LOOK_AROUND_PAGES / 2;
			end = idx + LOOK_AROUND_PAGES / 2;
		}
	}
	/* the entry at @idx was young: its bit is already cleared */
	young = 1 + scan_ptes(e, mm, start, end);
	if (suitable_to_scan(end - start, young))
		mm->pmd[idx / PTES_PER_PMD] |= (uint8_t)PMD_LOOKAROUND;
}
