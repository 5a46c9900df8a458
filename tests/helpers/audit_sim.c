// SPDX-License-Identifier: MIT
/* The invariant auditor (audit.h): the simulator's page tables. */
#include "audit_internal.h"

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
void audit_sim(struct audit *a)
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

