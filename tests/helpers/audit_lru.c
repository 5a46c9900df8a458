// SPDX-License-Identifier: MIT
/* The invariant auditor (audit.h): the LRU lists and a program's units. */
#include "audit_internal.h"

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
void audit_lru(struct audit *a, struct audit_cg *cg)
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
void audit_host_lru(struct audit *a, struct audit_cg *cg)
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
