// SPDX-License-Identifier: MIT
/*
 * What reclaim does with each folio it scans (mm/vmscan.c): an active
 * list is aged onto the inactive one; an inactive folio is activated,
 * kept for another round, or reclaimed, by its young mappings and
 * PG_referenced (folio_check_references). Clean page cache is dropped;
 * anon folios are swapped out. The swap device is synchronous, as the
 * zram the kernel oracle swaps to, so a folio written in a pass is freed
 * in that pass. A program's host LRU units go with page cache.
 */
#include <errno.h>

#include "mm/host_lru.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"
#include "mm/writeback.h"

/* The folio client's rmap walk; without a client nothing maps folios. */
static int folio_referenced(struct memcg_engine *e, struct folio *folio)
{
	const struct memcg_folio_client_ops *ops = e->folio_client;

	if (!ops || !ops->referenced)
		return 0;
	return ops->referenced(e->folio_client_priv, folio);
}

/* The folio client's try_to_unmap; without a client nothing maps folios. */
static bool client_try_to_unmap(struct memcg_engine *e, struct folio *folio,
				memcg_swp_entry_t entry)
{
	const struct memcg_folio_client_ops *ops = e->folio_client;

	if (!ops || !ops->try_to_unmap)
		return true;
	return ops->try_to_unmap(e->folio_client_priv, folio, entry);
}

/* The folio client's split; without one, large folios stay whole. */
static int client_split(struct memcg_engine *e, struct folio *folio,
			bool partial_only, struct folio **pages)
{
	const struct memcg_folio_client_ops *ops = e->folio_client;

	if (!ops || !ops->split)
		return -EOPNOTSUPP;
	return ops->split(e->folio_client_priv, folio, partial_only, pages);
}

/* The folio client's remove_mapping; without a client nothing caches. */
static bool client_remove_mapping(struct memcg_engine *e, struct folio *folio)
{
	const struct memcg_folio_client_ops *ops = e->folio_client;

	if (!ops || !ops->remove_mapping)
		return false;
	return ops->remove_mapping(e->folio_client_priv, folio);
}

enum folio_references folio_check_references(struct memcg_engine *e,
					     struct folio *folio)
{
	int referenced_ptes = folio_referenced(e, folio);
	bool referenced_folio = folio_test_flag(folio, PG_referenced);

	folio_clear_flag(folio, PG_referenced);
	if (referenced_ptes < 0)
		return FOLIOREF_KEEP;	/* rmap contention: rotate */
	if (referenced_ptes) {
		/*
		 * Every mapped folio starts with a young mapping from its
		 * fault: mark it, and activate it on the next reference.
		 */
		folio_set_flag(folio, PG_referenced);
		if (referenced_folio || referenced_ptes > 1)
			return FOLIOREF_ACTIVATE;
		return FOLIOREF_KEEP;
	}
	/* used once through the cache: reclaim it if it is clean */
	if (referenced_folio && folio_type(folio) == FOLIO_FILE)
		return FOLIOREF_RECLAIM_CLEAN;
	return FOLIOREF_RECLAIM;
}

enum pageout_result { PAGEOUT_KEEP, PAGEOUT_ACTIVATE, PAGEOUT_FREED };

/* The isolated folios of a pass, with room for the pages of a split. */
struct shrink_batch {
	struct folio **folios;
	unsigned n, cap;
};

/*
 * split_folio_to_list(): split a large folio (the client turns its
 * mappings into page mappings); the head stays where it is in @b, its
 * other pages join the end of @b for their own turn, as the kernel adds
 * them to the list it is working through.
 *
 * Return: 0, or the client's error (-EAGAIN: @partial_only and a huge
 * mapping maps it whole), -ENOSPC with no room in @b, -EOPNOTSUPP
 * without a client that splits.
 */
static int split_folio_to_list(struct memcg_engine *e, struct folio *folio,
			       bool partial_only, struct shrink_batch *b)
{
	unsigned nr = (unsigned)folio_nr_pages(folio);
	int ret;

	if (b->n + nr > b->cap)
		return -ENOSPC;
	ret = client_split(e, folio, partial_only, b->folios + b->n);
	if (ret)
		return ret;
	/* b->folios[b->n] is the head again: the last page takes its slot */
	b->folios[b->n] = b->folios[b->n + nr - 1];
	b->n += nr - 1;
	return 0;
}

/*
 * A large anon folio without a swap entry, before its slots are taken
 * (shrink_folio_list()): split right away when no huge mapping maps it
 * whole (a partial unmap left it so), as 6.1 and 6.12 do.
 *
 * Return: false to activate it.
 */
static bool split_partially_mapped(struct memcg_engine *e,
				   struct folio *folio, struct shrink_batch *b)
{
	int ret;

	if (folio_nr_pages(folio) == 1)
		return true;
	ret = split_folio_to_list(e, folio, true, b);
	/* mapped whole, or a client that never splits: swap it whole */
	return !ret || ret == -EAGAIN || ret == -EOPNOTSUPP;
}

/*
 * Swap slots for @folio (add_to_swap()); for a large folio a whole
 * aligned run charged whole to swap.max, else it is split and its head
 * tries alone (THP_SWPOUT_FALLBACK), its other pages in their own turn.
 *
 * Return: 0, or an error to activate it.
 */
static int add_to_swap(struct memcg_engine *e, struct folio *folio,
		       memcg_swp_entry_t *entry, struct shrink_batch *b)
{
	if (!memcg_swap_alloc(e, folio, entry))
		return 0;
	if (folio_nr_pages(folio) == 1 ||
	    split_folio_to_list(e, folio, false, b))
		return -ENOMEM;
	mod_memcg_state(folio_memcg(e, folio), MEMCG_THP_SWPOUT_FALLBACK, 1);
	return memcg_swap_alloc(e, folio, entry);
}

/*
 * Swap an isolated anon folio out: a slot (within swap.max), no mapping
 * left, the page written, the folio freed (*@freed pages). Without a
 * slot or with a mapping that stays, it is activated, as the kernel does.
 */
static enum pageout_result pageout_anon(struct memcg_engine *e,
					struct folio *folio,
					struct reclaim_stat *stat,
					struct shrink_batch *b, long *freed)
{
	memcg_swp_entry_t entry = folio_swap_entry(e, folio);
	bool new_entry = false;
	long nr;

	if (!entry.val) {
		/*
		 * No check of swap.max first: the scan's balance did that once,
		 * and a batch that reaches the limit fails here, counted in
		 * memory.swap.events (max, fail), as folio_alloc_swap() does.
		 */
		if (folio_test_flag(folio, PG_swapcache) || !e->swap ||
		    !split_partially_mapped(e, folio, b) ||
		    add_to_swap(e, folio, &entry, b))
			return PAGEOUT_ACTIVATE;
		new_entry = true;
	}
	if (!client_try_to_unmap(e, folio, entry)) {
		if (new_entry)
			memcg_folio_free_swap(e, folio, entry);	/* undo */
		return PAGEOUT_ACTIVATE;
	}
	if (swap_writepage(e, folio, entry))
		return PAGEOUT_KEEP;	/* stays in the cache; tried again later */
	nr = folio_nr_pages(folio);
	stat->nr_pageout += nr;
	if (nr > 1)	/* swap_writepage()'s count_swpout_vm_event() */
		mod_memcg_state(folio_memcg(e, folio), MEMCG_THP_SWPOUT, 1);
	/* the cache's reference and reclaim's */
	if (swap_remove_mapping(e, folio, entry, 2))
		return PAGEOUT_KEEP;
	*freed = nr;
	return PAGEOUT_FREED;
}

/* To go back active, counted as the kernel's activate_locked. */
static void folio_activate_locked(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_test_flag(folio, PG_mlocked)) {
		folio_set_flag(folio, PG_active);
		mod_memcg_state(folio_memcg(e, folio), MEMCG_PGACTIVATE,
				folio_nr_pages(folio));
	}
}

/*
 * Page cache being written back, or dirty: reclaim does not write it
 * (only kswapd would); it asks for it back on the inactive tail once
 * written (PG_reclaim) and activates it meanwhile, as 6.1 and 6.12 do in
 * cgroup v2 reclaim.
 */
static void folio_reclaim_after_writeback(struct memcg_engine *e,
					  struct folio *folio)
{
	folio_set_flag(folio, PG_reclaim);
	folio_activate_locked(e, folio);
}

/*
 * One isolated, locked folio: activate, keep or reclaim it. Return: pages
 * freed; 0 leaves the folio isolated for the caller to put back. A large
 * folio split on the way leaves its other pages at the end of @b.
 */
static long __shrink_folio(struct memcg_engine *e, struct folio *folio,
			   struct reclaim_stat *stat, struct shrink_batch *b)
{
	long nr = folio_nr_pages(folio);
	enum pageout_result result;

	if (folio_test_flag(folio, PG_unevictable))
		return 0;
	if (folio_test_flag(folio, PG_dirty) &&
	    !folio_test_flag(folio, PG_writeback))
		stat->nr_unqueued_dirty += nr;
	if (folio_type(folio) == FOLIO_FILE &&
	    folio_test_flag(folio, PG_writeback)) {
		folio_reclaim_after_writeback(e, folio);
		return 0;
	}
	switch (folio_check_references(e, folio)) {
	case FOLIOREF_ACTIVATE:
		folio_activate_locked(e, folio);
		return 0;
	case FOLIOREF_KEEP:
		return 0;
	case FOLIOREF_RECLAIM:
	case FOLIOREF_RECLAIM_CLEAN:
		break;
	}
	if (folio_type(folio) == FOLIO_FILE && folio_test_flag(folio, PG_dirty)) {
		folio_reclaim_after_writeback(e, folio);
		return 0;
	}
	if (folio_type(folio) == FOLIO_FILE)
		result = client_remove_mapping(e, folio) ? PAGEOUT_FREED :
							   PAGEOUT_KEEP;
	else
		result = pageout_anon(e, folio, stat, b, &nr);
	if (result == PAGEOUT_FREED)
		return nr;
	if (result == PAGEOUT_ACTIVATE)
		folio_activate_locked(e, folio);
	return 0;
}

/*
 * Under the folio lock (PG_locked), as the kernel's shrink_folio_list():
 * a swap-in fault that finds the folio in the swap cache waits for it,
 * and cannot free the swap copy between its write and its removal. A
 * folio someone else has locked is kept for another round.
 */
static long shrink_folio(struct memcg_engine *e, struct folio *folio,
			 struct reclaim_stat *stat, struct shrink_batch *b)
{
	unsigned from = b->n;
	long freed;

	if (folio_test_set_flag(folio, PG_locked))
		return 0;
	freed = __shrink_folio(e, folio, stat, b);
	/* a split's pages came locked: each takes the lock in its turn */
	for (; from < b->n; from++)
		folio_clear_flag(b->folios[from], PG_locked);
	if (!freed)
		folio_unlock(folio);
	return freed;
}

/*
 * Freed folios are uncharged together: 6.12 flushes a folio_batch of
 * PAGEVEC_SIZE (31), 6.1 gathers the whole pass on a list.
 */
#define PAGEVEC_SIZE 31
#define RECLAIM_BATCH_MAX (MIN_LRU_BATCH + HPAGE_PMD_NR)

long shrink_folio_list(struct memcg_engine *e, struct folio **folios,
		       unsigned *n, unsigned cap, struct reclaim_stat *stat)
{
	struct shrink_batch b = { folios, *n, cap };
	struct folio *space[RECLAIM_BATCH_MAX];
	struct folio_free_batch free_folios;
	long reclaimed = 0, freed;
	unsigned i, left = 0;

	folio_free_batch_begin(&free_folios, e, space,
			       e->cfg.kernel == MEMCG_KERNEL_6_12 ? PAGEVEC_SIZE :
			       cap < RECLAIM_BATCH_MAX ? cap : RECLAIM_BATCH_MAX);

	/* b.n grows past i as splits add pages; left never passes i */
	for (i = 0; i < b.n; i++) {
		freed = shrink_folio(e, folios[i], stat, &b);
		reclaimed += freed;
		if (!freed)
			folios[left++] = folios[i];
	}
	folio_free_batch_end(&free_folios);
	*n = left;
	return reclaimed;
}

static long shrink_inactive_list(struct mem_cgroup *memcg, enum lru_list lru,
				 long nr_to_scan)
{
	struct memcg_engine *e = memcg->engine;
	struct folio *folios[SWAP_CLUSTER_MAX + HPAGE_PMD_NR];
	struct reclaim_stat stat = { 0, 0 };
	long scanned, reclaimed, nr_taken = 0;
	unsigned i, n;

	n = lruvec_isolate(e, &memcg->lruvec, lru, (unsigned)nr_to_scan, folios,
			   &scanned);
	mod_memcg_state(memcg, MEMCG_PGSCAN, scanned);
	for (i = 0; i < n; i++)
		nr_taken += folio_nr_pages(folios[i]);
	reclaimed = shrink_folio_list(e, folios, &n,
				      sizeof(folios) / sizeof(folios[0]), &stat);
	for (i = 0; i < n; i++)
		folio_putback_lru(e, folios[i]);
	mod_memcg_state(memcg, MEMCG_PGSTEAL, reclaimed);
	lru_note_cost(memcg, is_file_lru(lru), stat.nr_pageout,
		      scanned - reclaimed);
	/* dirty pages no flusher is writing: nudge it */
	if (nr_taken && stat.nr_unqueued_dirty == nr_taken)
		wakeup_flusher_threads(e);
	return reclaimed;
}

void shrink_active_list(struct mem_cgroup *memcg, enum lru_list lru,
			long nr_to_scan)
{
	struct memcg_engine *e = memcg->engine;
	struct folio *folios[SWAP_CLUSTER_MAX];
	long scanned, nr_deactivate = 0;
	unsigned i, n;

	n = lruvec_isolate(e, &memcg->lruvec, lru, (unsigned)nr_to_scan, folios,
			   &scanned);
	mod_memcg_state(memcg, MEMCG_PGREFILL, scanned);
	for (i = 0; i < n; i++) {
		struct folio *folio = folios[i];

		if (!folio_test_flag(folio, PG_unevictable)) {
			/*
			 * Young mappings are consumed; only executable file
			 * folios, which the engine has none of, would stay.
			 * PG_referenced stays: a recently deactivated folio
			 * in use comes back at once.
			 */
			folio_referenced(e, folio);
			folio_clear_flag(folio, PG_active);
			folio_set_flag(folio, PG_workingset);
			nr_deactivate += folio_nr_pages(folio);
		}
		folio_putback_lru(e, folio);
	}
	mod_memcg_state(memcg, MEMCG_PGDEACTIVATE, nr_deactivate);
}

/* The host LRU's turn: evict from the inactive list, age the active one. */
static long shrink_host_list(struct mem_cgroup *memcg, int list,
			     long nr_to_scan, struct scan_control *sc)
{
	struct lruvec *lruvec = &memcg->lruvec;
	long pages;

	if (list == SCAN_HOST_ACTIVE) {
		if (host_lru_pages(lruvec, HOST_LRU_INACTIVE) <
		    host_lru_pages(lruvec, HOST_LRU_ACTIVE))
			shrink_host_active(memcg, nr_to_scan);
		return 0;
	}
	shrink_host_inactive(memcg, nr_to_scan, &sc->host_bytes);
	pages = sc->host_bytes >> MEMCG_PAGE_SHIFT;
	sc->host_bytes &= (long)MEMCG_PAGE_SIZE - 1;
	return pages;
}

long shrink_list(struct mem_cgroup *memcg, int list, long nr_to_scan,
		 struct scan_control *sc)
{
	enum lru_list lru = (enum lru_list)list;

	if (list >= NR_LRU_LISTS)
		return shrink_host_list(memcg, list, nr_to_scan, sc);
	if (is_active_lru(lru)) {
		if (sc->may_deactivate & (1u << is_file_lru(lru)))
			shrink_active_list(memcg, lru, nr_to_scan);
		else
			sc->skipped_deactivate = true;
		return 0;
	}
	return shrink_inactive_list(memcg, lru, nr_to_scan);
}
