// SPDX-License-Identifier: MIT
/*
 * Memory cgroup reclaim (mm/vmscan.c): walk the target's subtree at
 * decreasing priorities, skip cgroups below their effective min, and below
 * their effective low on the first pass; scan each cgroup's LRU lists in
 * proportion to its usage above protection, split between anon and file
 * by swappiness; drop clean file pages and swap anon pages out. A
 * program's host LRU units age and go with page cache; after each
 * cgroup's lists, its shrinkers are called.
 */
#include <errno.h>

#include "core/memcontrol.h"
#include "mm/host_lru.h"
#include "mm/shrinker.h"
#include "mm/swapfile.h"

#define SWAP_CLUSTER_MAX 32
#define DEF_PRIORITY 12

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

/* The lists reclaim scans: the folio lists, then the host LRU's two. */
enum scan_list {
	SCAN_HOST_INACTIVE = NR_LRU_LISTS,
	SCAN_HOST_ACTIVE,
	NR_SCAN_LISTS
};

struct scan_control {
	struct mem_cgroup *target;
	long nr_to_reclaim;
	long nr_reclaimed;
	int priority;
	int swappiness;
	bool may_swap;
	bool proactive;
	bool memcg_low_reclaim;
	bool memcg_low_skipped;
	unsigned gfp;
	long host_bytes;	/* evicted host bytes not yet a whole page */
};

/**
 * lruvec_page_state - pages on @lru of @memcg and its descendants
 * @memcg: cgroup
 * @lru: list
 */
long lruvec_page_state(struct mem_cgroup *memcg, enum lru_list lru)
{
	struct mem_cgroup *c;
	long sum = memcg->lruvec.nr_pages[lru];

	rcu_read_lock();
	cds_list_for_each_entry_rcu(c, &memcg->children, sibling)
		sum += lruvec_page_state(c, lru);
	rcu_read_unlock();
	return sum;
}

/**
 * mem_cgroup_get_nr_swap_pages - swap slots @memcg may still fill: the
 * device's free slots, within memory.swap.max up the hierarchy (v2)
 * @memcg: cgroup
 */
long mem_cgroup_get_nr_swap_pages(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	long nr = e->swap ? memcg_swap_nr_free(e) : 0;

	if (e->v1)
		return nr;
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		long room = atomic_load(&memcg->swap.max) -
			    page_counter_read(&memcg->swap);

		if (room < nr)
			nr = room > 0 ? room : 0;
	}
	return nr;
}

static int memcg_swappiness(struct scan_control *sc, struct mem_cgroup *memcg)
{
	if (sc->swappiness >= 0)
		return sc->swappiness;
	/* v2 has no per-cgroup swappiness: vm.swappiness (60) */
	return memcg->engine->v1 ? memcg->swappiness : 60;
}

/* Pages on @list of @memcg's own lists. */
static long scan_list_size(struct mem_cgroup *memcg, int list)
{
	if (list == SCAN_HOST_INACTIVE)
		return host_lru_pages(&memcg->lruvec, HOST_LRU_INACTIVE);
	if (list == SCAN_HOST_ACTIVE)
		return host_lru_pages(&memcg->lruvec, HOST_LRU_ACTIVE);
	return memcg->lruvec.nr_pages[list];
}

/* Host units are dropped, not swapped: they balance as page cache does. */
static bool scan_list_is_file(int list)
{
	return list >= NR_LRU_LISTS || is_file_lru((enum lru_list)list);
}

/* get_scan_count: how many pages of each evictable list to scan. */
static void get_scan_count(struct mem_cgroup *memcg, struct scan_control *sc,
			   long nr[NR_SCAN_LISTS])
{
	int swappiness = memcg_swappiness(sc, memcg);
	enum scan_balance balance = SCAN_FRACT;
	long usage = page_counter_read(&memcg->memory);
	long min = 0, low = 0, fraction[2], denominator;
	int lru;

	if (!sc->may_swap || mem_cgroup_get_nr_swap_pages(memcg) <= 0 || !swappiness)
		balance = SCAN_FILE;
	else if (swappiness == SWAPPINESS_ANON_ONLY)
		balance = SCAN_ANON;
	else if (!sc->priority)
		balance = SCAN_EQUAL;
	fraction[0] = swappiness;		/* anon */
	fraction[1] = 200 - swappiness;		/* file */
	denominator = 200;
	if (memcg != sc->target) {
		min = atomic_load(&memcg->memory.emin);
		low = atomic_load(&memcg->memory.elow);
	}
	for (lru = 0; lru < NR_SCAN_LISTS; lru++) {
		bool file = scan_list_is_file(lru);
		long size = scan_list_size(memcg, lru), scan = size;

		if (lru == LRU_UNEVICTABLE) {
			nr[lru] = 0;
			continue;
		}
		if (min || low) {
			long protection = !sc->memcg_low_reclaim && low > min ?
					  low : min;
			long cgroup_size = usage > protection ? usage : protection;

			/* pressure in proportion to the excess over protection */
			scan = size - (long)((__int128)size * protection /
					     (cgroup_size + 1));
			if (scan < SWAP_CLUSTER_MAX)
				scan = SWAP_CLUSTER_MAX;
		}
		scan >>= sc->priority;
		if (!scan && !atomic_load(&memcg->online))
			scan = size < SWAP_CLUSTER_MAX ? size : SWAP_CLUSTER_MAX;
		switch (balance) {
		case SCAN_FRACT:
			scan = (scan * fraction[file] + denominator - 1) / denominator;
			break;
		case SCAN_FILE:
			scan = file ? scan : 0;
			break;
		case SCAN_ANON:
			scan = file ? 0 : scan;
			break;
		case SCAN_EQUAL:
			break;
		}
		nr[lru] = scan < size ? scan : size;
	}
}

enum reclaim_result { KEEP, ROTATE, FREED };

/* The folio client's try_to_unmap; without a client nothing maps folios. */
static bool client_try_to_unmap(struct memcg_engine *e, struct folio *folio,
				memcg_swp_entry_t entry)
{
	const struct memcg_folio_client_ops *ops = e->folio_client;

	if (!ops || !ops->try_to_unmap)
		return true;
	return ops->try_to_unmap(e->folio_client_priv, folio, entry);
}

/* The folio client's remove_mapping; without a client nothing caches. */
static bool client_remove_mapping(struct memcg_engine *e, struct folio *folio)
{
	const struct memcg_folio_client_ops *ops = e->folio_client;

	if (!ops || !ops->remove_mapping)
		return false;
	return ops->remove_mapping(e->folio_client_priv, folio);
}

/*
 * Swap an isolated anon folio out. pageout() is asynchronous in the
 * kernel: a folio written in one pass is freed by a later one, once its
 * writeback has completed; until then it sits in the swap cache, charged
 * to memory and to swap. We write synchronously but keep that order: the
 * folio is rotated to the tail and freed when reclaim next reaches it.
 */
static enum reclaim_result reclaim_anon(struct memcg_engine *e,
					struct folio *folio,
					struct scan_control *sc)
{
	memcg_swp_entry_t entry = folio_swap_entry(e, folio);
	bool new_entry = false;

	if (folio_test_flag(folio, PG_writeback)) {
		/* writeback has completed: free it */
		if (!entry.val)
			return KEEP;
		return swap_remove_mapping(e, folio, entry, 2) ? KEEP : FREED;
	}
	if (!sc->may_swap || !e->swap ||
	    mem_cgroup_get_nr_swap_pages(folio_memcg(e, folio)) <= 0)
		return KEEP;
	if (!entry.val) {
		if (folio_test_flag(folio, PG_swapcache) ||
		    memcg_swap_alloc(e, folio, &entry))
			return KEEP;
		new_entry = true;
	}
	if (!client_try_to_unmap(e, folio, entry)) {
		if (new_entry)
			memcg_folio_free_swap(e, folio, entry);	/* undo */
		return KEEP;
	}
	if (swap_writepage(e, folio, entry))
		return KEEP;		/* stays in the cache; tried again later */
	folio_set_flag(folio, PG_writeback);
	return ROTATE;
}

/* shrink_folio_list: reclaim what can go, put the rest back. */
static long shrink_folio_list(struct memcg_engine *e, struct folio **folios,
			      unsigned n, struct scan_control *sc)
{
	long reclaimed = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		struct folio *folio = folios[i];
		long nr = folio_nr_pages(folio);
		enum reclaim_result result;

		if (folio_test_flag(folio, PG_unevictable)) {
			folio_putback_lru(e, folio);
			continue;
		}
		if (folio_test_flag(folio, PG_referenced)) {
			/* used since the last scan: a second chance */
			folio_clear_flag(folio, PG_referenced);
			folio_set_flag(folio, PG_active);
			mod_memcg_state(folio_memcg(e, folio), MEMCG_PGACTIVATE, nr);
			folio_putback_lru(e, folio);
			continue;
		}
		if (folio_type(folio) == FOLIO_FILE)
			result = client_remove_mapping(e, folio) ? FREED : KEEP;
		else
			result = reclaim_anon(e, folio, sc);
		if (result == FREED)
			reclaimed += nr;
		else if (result == ROTATE)
			folio_putback_lru_tail(e, folio);
		else
			folio_putback_lru(e, folio);
	}
	return reclaimed;
}

static void shrink_inactive_list(struct mem_cgroup *memcg, enum lru_list lru,
				 long nr_to_scan, struct scan_control *sc)
{
	struct memcg_engine *e = memcg->engine;
	struct folio *folios[SWAP_CLUSTER_MAX];
	long scanned, reclaimed;
	unsigned n;

	n = lruvec_isolate(e, &memcg->lruvec, lru, (unsigned)nr_to_scan, folios,
			   &scanned);
	mod_memcg_state(memcg, MEMCG_PGSCAN, scanned);
	reclaimed = shrink_folio_list(e, folios, n, sc);
	mod_memcg_state(memcg, MEMCG_PGSTEAL, reclaimed);
	sc->nr_reclaimed += reclaimed;
}

/* Age an active list: its folios go inactive, their referenced bit cleared. */
static void shrink_active_list(struct mem_cgroup *memcg, enum lru_list lru,
			       long nr_to_scan)
{
	struct memcg_engine *e = memcg->engine;
	struct folio *folios[SWAP_CLUSTER_MAX];
	long scanned;
	unsigned i, n;

	n = lruvec_isolate(e, &memcg->lruvec, lru, (unsigned)nr_to_scan, folios,
			   &scanned);
	mod_memcg_state(memcg, MEMCG_PGREFILL, scanned);
	for (i = 0; i < n; i++) {
		folio_clear_flag(folios[i], PG_active);
		folio_clear_flag(folios[i], PG_referenced);
		mod_memcg_state(memcg, MEMCG_PGDEACTIVATE, folio_nr_pages(folios[i]));
		folio_putback_lru(e, folios[i]);
	}
}

static bool inactive_is_low(struct mem_cgroup *memcg, enum lru_list inactive)
{
	return memcg->lruvec.nr_pages[inactive] <
	       memcg->lruvec.nr_pages[inactive + 1];
}

/* The host LRU's turn: evict from the inactive list, age the active one. */
static void shrink_host_list(struct mem_cgroup *memcg, int list,
			     long nr_to_scan, struct scan_control *sc)
{
	struct lruvec *lruvec = &memcg->lruvec;

	if (list == SCAN_HOST_ACTIVE) {
		if (host_lru_pages(lruvec, HOST_LRU_INACTIVE) <
		    host_lru_pages(lruvec, HOST_LRU_ACTIVE))
			shrink_host_active(memcg, nr_to_scan);
		return;
	}
	shrink_host_inactive(memcg, nr_to_scan, &sc->host_bytes);
	sc->nr_reclaimed += sc->host_bytes >> MEMCG_PAGE_SHIFT;
	sc->host_bytes &= (long)MEMCG_PAGE_SIZE - 1;
}

static void shrink_list(struct mem_cgroup *memcg, int list,
			long nr_to_scan, struct scan_control *sc)
{
	enum lru_list lru = (enum lru_list)list;

	if (list >= NR_LRU_LISTS) {
		shrink_host_list(memcg, list, nr_to_scan, sc);
		return;
	}
	if (is_active_lru(lru)) {
		if (inactive_is_low(memcg, lru - 1))
			shrink_active_list(memcg, lru, nr_to_scan);
		return;
	}
	shrink_inactive_list(memcg, lru, nr_to_scan, sc);
}

static void shrink_lruvec(struct mem_cgroup *memcg, struct scan_control *sc)
{
	long nr[NR_SCAN_LISTS];
	bool work = true;
	int lru;

	get_scan_count(memcg, sc, nr);
	while (work) {
		work = false;
		for (lru = 0; lru < NR_SCAN_LISTS; lru++) {
			long n = nr[lru] < SWAP_CLUSTER_MAX ? nr[lru] : SWAP_CLUSTER_MAX;

			if (!n)
				continue;
			nr[lru] -= n;
			work = true;
			shrink_list(memcg, lru, n, sc);
		}
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	/* keep the inactive anon list from running dry */
	if (inactive_is_low(memcg, LRU_INACTIVE_ANON) && sc->may_swap)
		shrink_active_list(memcg, LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX);
}

/* Pre-order walk: a parent's effective protection is computed first. */
static void shrink_memcg_tree(struct mem_cgroup *memcg, struct scan_control *sc)
{
	struct memcg_engine *e = memcg->engine;
	struct mem_cgroup *c;
	long usage;

	page_counter_calculate_protection(&sc->target->memory, &memcg->memory,
					  e->cfg.memory_recursiveprot);
	usage = page_counter_read(&memcg->memory);
	if (memcg != sc->target && atomic_load(&memcg->memory.emin) >= usage) {
		/* below min: hard protection; its subtree is protected too */
		goto children;
	}
	if (memcg != sc->target && atomic_load(&memcg->memory.elow) >= usage) {
		if (!sc->memcg_low_reclaim) {
			sc->memcg_low_skipped = true;
			goto children;
		}
		memcg_memory_event(memcg, MEMCG_LOW);
	}
	shrink_lruvec(memcg, sc);
	/* not counted in nr_reclaimed: freed slab is not attributable */
	shrink_slab(memcg, sc->gfp, sc->priority);
children:
	cds_list_for_each_entry_rcu(c, &memcg->children, sibling)
		shrink_memcg_tree(c, sc);
}

static long do_try_to_free_pages(struct scan_control *sc)
{
retry:
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		rcu_read_lock();
		shrink_memcg_tree(sc->target, sc);
		rcu_read_unlock();
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	if (!sc->nr_reclaimed && sc->memcg_low_skipped && !sc->memcg_low_reclaim) {
		/* everything left is below low: reclaim it anyway */
		sc->memcg_low_reclaim = true;
		sc->memcg_low_skipped = false;
		goto retry;
	}
	return sc->nr_reclaimed;
}

/**
 * try_to_free_mem_cgroup_pages - reclaim from @memcg's subtree
 * @memcg: the reclaim target; its own protection is ignored
 * @nr_pages: pages wanted (at least SWAP_CLUSTER_MAX are aimed for)
 * @gfp: MEMCG_GFP_* flags of the charge that needs the pages
 * @options: MEMCG_RECLAIM_MAY_SWAP, MEMCG_RECLAIM_PROACTIVE
 * @swappiness: 0..200, SWAPPINESS_ANON_ONLY, or -1 for the default
 *
 * Return: pages reclaimed.
 */
long try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg, long nr_pages,
				  unsigned gfp, unsigned options, int swappiness)
{
	struct scan_control sc = {
		.target = memcg,
		.nr_to_reclaim = nr_pages > SWAP_CLUSTER_MAX ? nr_pages :
							       SWAP_CLUSTER_MAX,
		.swappiness = swappiness,
		.may_swap = options & MEMCG_RECLAIM_MAY_SWAP,
		.gfp = gfp,
		.proactive = options & MEMCG_RECLAIM_PROACTIVE,
	};

	if (gfp & MEMCG_GFP_NOWAIT)
		return 0;	/* may not block */
	return do_try_to_free_pages(&sc);
}

int memcg_set_folio_client(struct memcg_engine *e,
			   const struct memcg_folio_client_ops *ops, void *priv)
{
	if (!e)
		return -EINVAL;
	if (ops && e->folio_client && e->folio_client != ops)
		return -EBUSY;
	e->folio_client = ops;
	e->folio_client_priv = ops ? priv : NULL;
	return 0;
}

void *memcg_folio_client_priv(struct memcg_engine *e,
			      const struct memcg_folio_client_ops *ops)
{
	return e && ops && e->folio_client == ops ? e->folio_client_priv : NULL;
}
