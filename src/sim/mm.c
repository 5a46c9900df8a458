// SPDX-License-Identifier: MIT
/*
 * Address spaces: one anonymous area per task, as a page table of
 * sim.h's PTE values. Faults allocate and charge folios to the task's
 * cgroup; swapped-out entries are faulted back in; unmapping drops the
 * page table's references, and the final put uncharges.
 */
#include <errno.h>
#include <sched.h>
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

/* int_sqrt() */
static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0, b;

	for (b = 1UL << 30; b; b >>= 1)
		if ((r + b) * (r + b) <= x)
			r += b;
	return r;
}

/*
 * Pages reclaim frees when the machine is full. The kernel wakes kswapd
 * as free memory falls below the low watermark and it reclaims up to the
 * high one; the engine, with no kswapd, reclaims that much at once when
 * the arena is empty. The watermarks from the machine's size, as
 * calculate_min_free_kbytes() and __setup_per_zone_wmarks() (scale
 * factor 10): min = int_sqrt(KiB * 16) KiB, high = min + 2 * max(min / 4,
 * pages / 1000).
 */
static long kswapd_goal(struct memcg_engine *e)
{
	unsigned long pages = folio_arena_nr_frames(e->arena);
	unsigned long min_kb = isqrt(pages * (MEMCG_PAGE_SIZE >> 10) * 16);
	unsigned long min, step;

	min_kb = min_kb < 128 ? 128 : min_kb > 262144 ? 262144 : min_kb;
	min = min_kb / (MEMCG_PAGE_SIZE >> 10);
	step = min / 4 > pages / 1000 ? min / 4 : pages / 1000;
	return (long)(min + 2 * step);
}

bool sim_reclaim_machine(struct memcg_engine *e);
bool sim_reclaim_machine(struct memcg_engine *e)
{
	return try_to_free_mem_cgroup_pages(e->root, kswapd_goal(e),
					    MEMCG_GFP_KERNEL,
					    MEMCG_RECLAIM_MAY_SWAP |
					    MEMCG_RECLAIM_KSWAPD, -1) > 0;
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
		if (sim_reclaim_machine(e))
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
/*
 * The task writes its new page (frames with memory only): the address
 * space and the page's index, so that a page swapped out and read back is
 * the page written, not zeros.
 */
static void anon_stamp(struct memcg_engine *e, struct folio *folio,
		       struct mm_struct *mm)
{
	uint64_t stamp = (uint64_t)mm->id << 32 | (mm->nr_pte + 1);
	void *data = folio_address(e->arena, folio);

	if (data)
		memcpy(data, &stamp, sizeof(stamp));
}

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
	anon_stamp(e, folio, t->mm);
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

/*
 * Whether the next fault may map a huge folio (the kernel's
 * thp_vma_suitable_order() and pmd_none()): THP on, the entry starts an
 * aligned run, the run ends within the area as it will be at @end, and
 * no page table is there yet.
 */
static bool thp_fault_suitable(struct memcg_task *t, size_t end)
{
	struct memcg_sim *sim = sim_of(t->e);
	struct mm_struct *mm = t->mm;
	size_t idx = mm->nr_pte;

	return sim->thp && idx % PTES_PER_PMD == 0 &&
	       idx + PTES_PER_PMD <= end &&
	       (idx >= mm->cap || !mm->ptables[idx / PTES_PER_PMD]);
}

/*
 * Map a huge folio over the next PTES_PER_PMD entries, as
 * do_huge_pmd_anonymous_page() with defrag "madvise" on an area nobody
 * madvised: the folio comes from the free runs only (no reclaim, no
 * compaction) and its charge may not block (GFP_TRANSHUGE_LIGHT has no
 * direct reclaim: no reclaim, no memory.events max). Either failing is
 * the kernel's THP_FAULT_FALLBACK (THP_FAULT_FALLBACK_CHARGE), counted
 * in /proc/vmstat only: the fault maps a 4K page instead. Then the page
 * table deposited for a later split, charged as any (pte_alloc_one()).
 *
 * Return: 0, -EAGAIN to fall back, or an error as fault_one()'s.
 */
static int fault_huge(struct memcg_task *t, bool mlock)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	struct mm_struct *mm = t->mm;
	struct folio *folio;
	size_t base = mm->nr_pte, i;
	uint32_t pfn;
	int ret;

	folio = folio_alloc(e->arena, FOLIO_ANON, e->cfg.huge_order);
	if (!folio)
		return -EAGAIN;
	if (mem_cgroup_charge(folio, t->memcg, MEMCG_GFP_NOWAIT)) {
		memcg_folio_put(e, folio);
		return -EAGAIN;
	}
	ret = pgtable_alloc(t);
	if (ret || t->oom_victim) {
		memcg_folio_put(e, folio);
		return ret ? ret : -ENOMEM;
	}
	if (mlock) {
		folio_set_flag(folio, PG_mlocked);
		folio_set_flag(folio, PG_unevictable);
	}
	pfn = folio_pfn(e->arena, folio);
	pthread_mutex_lock(&sim->lock);
	ret = pte_reserve(mm, PTES_PER_PMD);
	if (!ret) {
		for (i = 0; i < PTES_PER_PMD; i++)
			mm->pte[base + i] = pfn + (uint32_t)i + 1;
		mm->nr_pte += PTES_PER_PMD;
		mm->pmd[base / PTES_PER_PMD] |= PMD_HUGE | PMD_YOUNG;
		rmap_set(sim, e, folio, RMAP_ANON | (uint64_t)mm->id << 32 | base);
		mm->rss += PTES_PER_PMD;
	}
	pthread_mutex_unlock(&sim->lock);
	if (ret) {
		memcg_folio_put(e, folio);
		return ret;
	}
	mod_memcg_state(t->memcg, MEMCG_PGFAULT, 1);
	mod_memcg_state(t->memcg, MEMCG_THP_FAULT_ALLOC, 1);
	folio_add_lru_fault(e, folio);
	return 0;
}

static int mm_access(struct memcg_task *t, size_t start, size_t end);

int mm_fault_anon(struct memcg_task *t, size_t nr_pages, bool mlock)
{
	size_t i, end = t->mm->nr_pte + nr_pages;
	int ret;

	for (i = 0; i < nr_pages;) {
		size_t idx = t->mm->nr_pte;
		bool huge = false;

		ret = -EAGAIN;
		if (thp_fault_suitable(t, end))
			huge = !(ret = fault_huge(t, mlock));
		if (huge)
			i += PTES_PER_PMD;
		else if (ret == -EAGAIN && !(ret = fault_one(t, mlock)))
			i++;
		/* return to user */
		sim_return_to_user(t, ret ? 0 : huge ? PTES_PER_PMD : 1);
		/*
		 * The task then writes the huge range's other pages: each
		 * an access through the PMD, whose accessed bit that return's
		 * reclaim may have cleared (or a swap-in, had it taken them).
		 */
		if (huge)
			ret = mm_access(t, idx + 1, idx + PTES_PER_PMD);
		if (ret)
			return ret;
		if (t->oom_victim)
			return -ENOMEM;
	}
	return 0;
}

/* folio_lock(): wait for reclaim, which holds it while it swaps it out. */
static void folio_lock(struct folio *folio)
{
	while (folio_test_set_flag(folio, PG_locked))
		sched_yield();
}

/*
 * Fault a swapped-out page back in (do_swap_page), as a write access,
 * under the folio lock: a folio found in the swap cache may be one reclaim
 * is writing, whose swap copy must not be freed under it. A huge folio
 * still in the swap cache (its write failed, or reclaim has not freed it
 * yet) is mapped page by page, as the kernel maps it.
 */
static int swapin_one(struct memcg_task *t, size_t idx, memcg_swp_entry_t entry)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	struct mm_struct *mm = t->mm;
	memcg_swp_entry_t head = entry;
	struct folio *folio;
	bool mapped = false, new_folio;
	int ret = swapin_folio(e, entry, t->memcg, MEMCG_GFP_KERNEL, &folio,
			       &new_folio);
	uint32_t sub = 0;

	if (ret == -EIO)
		t->sigbus = true;	/* the page is lost: SIGBUS */
	if (ret)
		return ret;
	folio_lock(folio);
	/*
	 * A folio read now joins the LRU, locked, as the kernel's read into
	 * the swap cache adds it; one found in the cache is on a list
	 * already, or isolated by a reclaim that puts it back.
	 */
	if (new_folio)
		folio_add_lru_fault(e, folio);
	if (sim_folio_large(e, folio)) {
		head = folio_swap_entry(e, folio);
		sub = entry.val - head.val;
		if (!head.val || sub >= PTES_PER_PMD) {
			folio_unlock(folio);
			memcg_folio_put(e, folio);	/* left the cache meanwhile */
			return 0;
		}
	}
	pthread_mutex_lock(&sim->lock);
	if (idx < mm->nr_pte && mm->pte[idx] == (PTE_SWAP | entry.val)) {
		mm->pte[idx] = mk_pte_young(folio_pfn(e->arena, folio) + sub);
		mm_mkyoung(mm, idx);
		rmap_set(sim, e, folio,
			 RMAP_ANON | (uint64_t)mm->id << 32 | (idx - sub));
		mm->rss++;
		mm->swapents--;
		mapped = true;
	}
	pthread_mutex_unlock(&sim->lock);
	if (!mapped) {
		folio_unlock(folio);
		memcg_folio_put(e, folio);
		return 0;
	}
	memcg_swap_free(e, entry);
	/* a write fault on an exclusive page frees its swap copy */
	memcg_folio_free_swap(e, folio, head);
	/*
	 * Still under the folio lock: the page table's is the only
	 * reference left, and once unlocked, reclaim may swap the folio out
	 * and free it.
	 */
	mod_memcg_state(folio_memcg(e, folio), MEMCG_PGMAJFAULT, 1);
	mod_memcg_state(folio_memcg(e, folio), MEMCG_PGFAULT, 1);
	folio_unlock(folio);
	return 0;
}

/* Access entries [@start, @end): swapped-out ones are faulted back in. */
static int mm_access(struct memcg_task *t, size_t start, size_t end)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	size_t i;
	int ret = 0;

	for (i = start; i < end && !ret && !t->oom_victim; i++) {
		uint32_t pte;

		/* an access to a present page only sets its accessed bit */
		pthread_mutex_lock(&sim->lock);
		pte = t->mm->pte[i];
		if (pte_present(pte))
			mm_mkyoung(t->mm, i);
		/* the rest of a huge mapping: the same accessed bit */
		if (pmd_trans_huge(t->mm, i / PTES_PER_PMD))
			i |= PTES_PER_PMD - 1;
		pthread_mutex_unlock(&sim->lock);
		if (pte & PTE_SWAP) {
			ret = swapin_one(t, i, (memcg_swp_entry_t){ pte & ~PTE_SWAP });
			sim_return_to_user(t, ret ? 0 : 1);
		}
	}
	return t->oom_victim ? -ENOMEM : ret;
}

int mm_touch(struct memcg_task *t, size_t nr_pages)
{
	if (nr_pages > t->mm->nr_pte)
		return -EINVAL;
	return mm_access(t, 0, nr_pages);
}

/**
 * split_huge_pmd - turn the huge mapping of run @b into page mappings
 * @e: engine
 * @mm: address space; sim->lock held
 * @b: a run mapped by a huge folio as a whole
 *
 * The deposited page table takes the entries; each holds a folio
 * reference from now on, and inherits the PMD's accessed bit
 * (__split_huge_pmd_locked()). The folio stays whole.
 */
void split_huge_pmd(struct memcg_engine *e, struct mm_struct *mm, size_t b)
{
	size_t base = b * PTES_PER_PMD, i;
	uint32_t young = mm->pmd[b] & PMD_YOUNG ? PTE_YOUNG : 0;
	struct folio *folio = frame_folio(e, pte_pfn(mm->pte[base]));

	mm->pmd[b] &= (uint8_t)~PMD_HUGE;
	for (i = 0; i < PTES_PER_PMD; i++)
		mm->pte[base + i] |= young;
	folio_ref_add(folio, PTES_PER_PMD - 1);
}

/*
 * Unmap the last @nr_pages entries (zap_pte_range(), zap_huge_pmd()). A
 * huge mapping unmapped whole goes with its one reference; one unmapped
 * in part is split first, and its folio stays whole and charged until
 * reclaim splits it (the kernel's deferred split; its shrinker, which
 * scans little at memcg reclaim's priorities, is not modelled).
 */
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
		size_t b = (mm->nr_pte - 1) / PTES_PER_PMD;
		uint32_t pte;

		if (pmd_trans_huge(mm, b) && nr_pages - i >= PTES_PER_PMD) {
			/* a huge run lies inside the area: this is its end */
			size_t base = b * PTES_PER_PMD;
			struct folio *folio = frame_folio(e, pte_pfn(mm->pte[base]));

			mm->pmd[b] &= (uint8_t)~PMD_HUGE;
			memset(mm->pte + base, 0, PTES_PER_PMD * sizeof(*mm->pte));
			rmap_set(sim, e, folio, 0);
			folios[n++] = folio;
			mm->rss -= PTES_PER_PMD;
			mm->nr_pte = base;
			i += PTES_PER_PMD - 1;
			continue;
		}
		if (pmd_trans_huge(mm, b))
			split_huge_pmd(e, mm, b);
		pte = mm->pte[--mm->nr_pte];
		mm->pte[mm->nr_pte] = 0;
		if (pte & PTE_SWAP) {
			swap[nr_swap++] = pte & ~PTE_SWAP;
			mm->swapents--;
		} else if (pte) {
			struct folio *folio = frame_folio(e, pte_pfn(pte));

			/* a large folio's entry may still serve other pages */
			if (!sim_folio_large(e, folio))
				rmap_set(sim, e, folio, 0);
			folios[n++] = folio;
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

/*
 * Where the rmap says @folio is mapped: its address space and the index
 * of its first page, or NULL. Call with sim->lock held.
 */
static struct mm_struct *rmap_anon(struct memcg_sim *sim,
				   struct memcg_engine *e, struct folio *folio,
				   size_t *base)
{
	uint64_t who = rmap_get(sim, e, folio);

	if (!(who & RMAP_ANON))
		return NULL;
	*base = (uint32_t)who;
	return sim->mms[(uint32_t)(who >> 32) & 0x3fffffff];
}

/* Whether entry @idx of @mm maps frame @pfn. */
static bool pte_maps(const struct mm_struct *mm, size_t idx, uint32_t pfn)
{
	return idx < mm->nr_pte && pte_present(mm->pte[idx]) &&
	       pte_pfn(mm->pte[idx]) == pfn;
}

/* Whether @folio, large, is mapped whole by the huge run at @base. */
static bool pmd_maps(const struct mm_struct *mm, size_t base, uint32_t pfn)
{
	return base % PTES_PER_PMD == 0 && pte_maps(mm, base, pfn) &&
	       pmd_trans_huge(mm, base / PTES_PER_PMD);
}

#define MAP_WORDS (PTES_PER_PMD / 64)

bool try_to_unmap_anon(struct memcg_engine *e, struct folio *folio,
		       memcg_swp_entry_t entry)
{
	struct memcg_sim *sim = sim_of(e);
	uint32_t pfn = folio_pfn(e->arena, folio);
	long nr = folio_nr_pages(folio), i, puts = 0;
	uint64_t unmapped[MAP_WORDS] = { 0 };
	struct mm_struct *mm;
	size_t base = 0;
	bool anon;

	if (nr > PTES_PER_PMD)
		return false;
	pthread_mutex_lock(&sim->lock);
	anon = rmap_get(sim, e, folio) & RMAP_ANON;
	mm = rmap_anon(sim, e, folio, &base);
	if (mm && nr > 1 && pmd_maps(mm, base, pfn)) {
		/* the huge mapping, split into swap entries: one reference */
		mm->pmd[base / PTES_PER_PMD] &= (uint8_t)~PMD_HUGE;
		for (i = 0; i < nr; i++) {
			mm->pte[base + i] = PTE_SWAP | (entry.val + (uint32_t)i);
			unmapped[i / 64] |= 1ULL << (i % 64);
		}
		mm->rss -= nr;
		mm->swapents += nr;
		puts = 1;
	} else if (mm) {
		for (i = 0; i < nr; i++) {
			if (!pte_maps(mm, base + i, pfn + (uint32_t)i))
				continue;
			mm->pte[base + i] = PTE_SWAP | (entry.val + (uint32_t)i);
			unmapped[i / 64] |= 1ULL << (i % 64);
			mm->rss--;
			mm->swapents++;
			puts++;
		}
	}
	if (puts)
		rmap_set(sim, e, folio, 0);
	/*
	 * Each page table's reference on its slot, before the entry can be
	 * faulted in or unmapped (the swap device's lock nests inside).
	 */
	for (i = 0; i < nr; i++)
		if (unmapped[i / 64] & (1ULL << (i % 64)))
			memcg_swap_dup(e, (memcg_swp_entry_t){ entry.val + (uint32_t)i });
	pthread_mutex_unlock(&sim->lock);
	while (puts--)	/* the mappings': reclaim holds two more */
		folio_put_testzero(folio);
	/* an order-0 folio the rmap names but no entry maps: still mapped */
	return nr > 1 || !anon || unmapped[0];
}

int folio_referenced_anon(struct memcg_engine *e, struct folio *folio)
{
	struct memcg_sim *sim = sim_of(e);
	uint32_t pfn = folio_pfn(e->arena, folio);
	long nr = folio_nr_pages(folio), i;
	struct mm_struct *mm;
	size_t base = 0;
	int young = 0;

	pthread_mutex_lock(&sim->lock);
	mm = rmap_anon(sim, e, folio, &base);
	if (mm && nr > 1 && pmd_maps(mm, base, pfn)) {
		/* a huge mapping's accessed bit; no look-around (PTEs only) */
		uint8_t *pmd = &mm->pmd[base / PTES_PER_PMD];

		if (*pmd & PMD_YOUNG) {
			*pmd &= (uint8_t)~PMD_YOUNG;
			young = 1;
		}
	} else if (mm) {
		for (i = 0; i < nr; i++) {
			uint32_t *pte;

			if (!pte_maps(mm, base + i, pfn + (uint32_t)i))
				continue;
			pte = &mm->pte[base + i];
			if (!(*pte & PTE_YOUNG))
				continue;
			*pte &= ~PTE_YOUNG;
			young++;
			if (lru_gen_enabled(e))
				sim_look_around(e, mm, base + i);
		}
	}
	pthread_mutex_unlock(&sim->lock);
	return young;
}

int sim_split_folio(struct memcg_engine *e, struct folio *folio,
		    bool partial_only, struct folio **pages)
{
	struct memcg_sim *sim = sim_of(e);
	uint32_t pfn = folio_pfn(e->arena, folio);
	long nr = folio_nr_pages(folio), i;
	uint64_t mapped[MAP_WORDS] = { 0 };
	unsigned refs = 0, count;
	struct mm_struct *mm;
	size_t base = 0;
	bool huge = false;
	int ret;

	if (nr != PTES_PER_PMD)
		return -EINVAL;
	pthread_mutex_lock(&sim->lock);
	mm = rmap_anon(sim, e, folio, &base);
	for (i = 0; mm && i < nr; i++) {
		if (pte_maps(mm, base + i, pfn + (uint32_t)i)) {
			mapped[i / 64] |= 1ULL << (i % 64);
			refs++;
		}
	}
	if (mm && pmd_maps(mm, base, pfn)) {
		huge = true;
		refs = 1;
	}
	ret = -EAGAIN;
	if (partial_only && huge)
		goto out;
	/* can_split_folio(): the mappings' references and reclaim's only */
	ret = -EBUSY;
	if (folio_ref_count(folio) != refs + 1)
		goto out;
	if (huge)
		split_huge_pmd(e, mm, base / PTES_PER_PMD);
	ret = memcg_split_folio(e, folio, pages);
	if (ret)
		goto out;
	/* each page inherited the head's count: keep its own mapping's */
	count = folio_ref_count(pages[0]);
	for (i = 0; i < nr; i++) {
		bool m = mapped[i / 64] & (1ULL << (i % 64));

		folio_ref_sub(pages[i], count - 1 - m);
		rmap_set(sim, e, pages[i], m ? RMAP_ANON |
			 (uint64_t)mm->id << 32 | (base + (size_t)i) : 0);
	}
out:
	pthread_mutex_unlock(&sim->lock);
	return ret;
}
