// SPDX-License-Identifier: MIT
/* Per-cgroup LRU lists: see lru.h. */
#include "core/memcontrol.h"
#include "mm/lru.h"
#include "mm/workingset.h"

void lruvec_init(struct lruvec *lruvec)
{
	int i;

	pthread_mutex_init(&lruvec->lock, NULL);
	for (i = 0; i < NR_LRU_LISTS; i++) {
		lruvec->head[i] = lruvec->tail[i] = FOLIO_NONE;
		lruvec->nr_pages[i] = 0;
	}
	for (i = 0; i < NR_HOST_LRU; i++)
		lruvec->host[i] = (struct host_lru_list){ NULL, NULL, 0 };
	lruvec->anon_cost = lruvec->file_cost = 0;
	atomic_init(&lruvec->nonresident_age, 0);
	atomic_init(&lruvec->refaults[0], 0);
	atomic_init(&lruvec->refaults[1], 0);
}

void lruvec_destroy(struct lruvec *lruvec)
{
	pthread_mutex_destroy(&lruvec->lock);
}

enum lru_list folio_lru_list(const struct folio *folio)
{
	bool active = folio_test_flag(folio, PG_active);

	if (folio_test_flag(folio, PG_unevictable))
		return LRU_UNEVICTABLE;
	/* shmem is swap-backed: it ages with anon */
	if (folio_type(folio) == FOLIO_FILE)
		return active ? LRU_ACTIVE_FILE : LRU_INACTIVE_FILE;
	return active ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
}

static struct lruvec *folio_lruvec(struct memcg_engine *e, struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);

	return &(memcg ? memcg : e->root)->lruvec;
}

/*
 * Lock the lists a folio belongs to. Reparenting can move a folio to its
 * parent's lists while we wait for the lock: check again once we hold it.
 */
static struct lruvec *folio_lruvec_lock(struct memcg_engine *e,
					struct folio *folio)
{
	struct lruvec *lruvec;

	for (;;) {
		lruvec = folio_lruvec(e, folio);
		pthread_mutex_lock(&lruvec->lock);
		if (lruvec == folio_lruvec(e, folio))
			return lruvec;
		pthread_mutex_unlock(&lruvec->lock);
	}
}

/* List sizes are read without the lock as scan targets (vmscan_balance.c). */
static void lru_size_add(struct lruvec *lruvec, enum lru_list lru, long nr)
{
	__atomic_store_n(&lruvec->nr_pages[lru], lruvec->nr_pages[lru] + nr,
			 __ATOMIC_RELAXED);
}

/* Link at the head of @lru; call with the lock held. */
static void list_add_head(struct memcg_engine *e, struct lruvec *lruvec,
			  struct folio *folio, enum lru_list lru)
{
	uint32_t pfn = folio_pfn(e->arena, folio);

	folio->lru_prev = FOLIO_NONE;
	folio->lru_next = lruvec->head[lru];
	if (lruvec->head[lru] != FOLIO_NONE)
		pfn_folio(e->arena, lruvec->head[lru])->lru_prev = pfn;
	else
		lruvec->tail[lru] = pfn;
	lruvec->head[lru] = pfn;
	lru_size_add(lruvec, lru, folio_nr_pages(folio));
	folio_set_flag(folio, PG_lru);
}

static void list_del(struct memcg_engine *e, struct lruvec *lruvec,
		     struct folio *folio, enum lru_list lru)
{
	if (folio->lru_prev != FOLIO_NONE)
		pfn_folio(e->arena, folio->lru_prev)->lru_next = folio->lru_next;
	else
		lruvec->head[lru] = folio->lru_next;
	if (folio->lru_next != FOLIO_NONE)
		pfn_folio(e->arena, folio->lru_next)->lru_prev = folio->lru_prev;
	else
		lruvec->tail[lru] = folio->lru_prev;
	folio->lru_next = folio->lru_prev = FOLIO_NONE;
	lru_size_add(lruvec, lru, -folio_nr_pages(folio));
	folio_clear_flag(folio, PG_lru);
}

void folio_add_lru(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;

	mem_cgroup_reparent_folio(e, folio);
	lruvec = folio_lruvec_lock(e, folio);
	list_add_head(e, lruvec, folio, folio_lru_list(folio));
	pthread_mutex_unlock(&lruvec->lock);
}

void folio_del_lru(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;

	if (!folio_test_flag(folio, PG_lru))
		return;
	lruvec = folio_lruvec_lock(e, folio);
	if (folio_test_flag(folio, PG_lru))
		list_del(e, lruvec, folio, folio_lru_list(folio));
	pthread_mutex_unlock(&lruvec->lock);
}

unsigned lruvec_isolate(struct memcg_engine *e, struct lruvec *lruvec,
			enum lru_list lru, unsigned nr_to_scan,
			struct folio **out, long *nr_scanned)
{
	uint32_t pfn, prev;
	unsigned n = 0, scanned = 0;

	*nr_scanned = 0;
	pthread_mutex_lock(&lruvec->lock);
	/* nr_to_scan counts pages, as isolate_lru_folios() does */
	for (pfn = lruvec->tail[lru];
	     pfn != FOLIO_NONE && scanned < nr_to_scan && n < SWAP_CLUSTER_MAX;
	     pfn = prev) {
		struct folio *folio = pfn_folio(e->arena, pfn);

		prev = folio->lru_prev;
		scanned += (unsigned)folio_nr_pages(folio);
		*nr_scanned += folio_nr_pages(folio);
		if (!folio_try_get(folio))
			continue;	/* its final put takes it off */
		list_del(e, lruvec, folio, lru);
		out[n++] = folio;
	}
	pthread_mutex_unlock(&lruvec->lock);
	return n;
}

/* Link at the tail of @lru; call with the lock held. */
static void list_add_tail(struct memcg_engine *e, struct lruvec *lruvec,
			  struct folio *folio, enum lru_list lru)
{
	uint32_t pfn = folio_pfn(e->arena, folio);

	folio->lru_next = FOLIO_NONE;
	folio->lru_prev = lruvec->tail[lru];
	if (lruvec->tail[lru] != FOLIO_NONE)
		pfn_folio(e->arena, lruvec->tail[lru])->lru_next = pfn;
	else
		lruvec->head[lru] = pfn;
	lruvec->tail[lru] = pfn;
	lru_size_add(lruvec, lru, folio_nr_pages(folio));
	folio_set_flag(folio, PG_lru);
}

void folio_putback_lru_tail(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;

	mem_cgroup_reparent_folio(e, folio);
	lruvec = folio_lruvec_lock(e, folio);
	list_add_tail(e, lruvec, folio, folio_lru_list(folio));
	pthread_mutex_unlock(&lruvec->lock);
	memcg_folio_put(e, folio);
}

void folio_putback_lru(struct memcg_engine *e, struct folio *folio)
{
	folio_add_lru(e, folio);
	memcg_folio_put(e, folio);
}

void folio_rotate_reclaimable(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;

	if (folio_test_flag(folio, PG_dirty) ||
	    folio_test_flag(folio, PG_unevictable) ||
	    !folio_test_flag(folio, PG_lru))
		return;
	lruvec = folio_lruvec_lock(e, folio);
	if (folio_test_flag(folio, PG_lru)) {
		list_del(e, lruvec, folio, folio_lru_list(folio));
		folio_clear_flag(folio, PG_active);
		list_add_tail(e, lruvec, folio, folio_lru_list(folio));
	}
	pthread_mutex_unlock(&lruvec->lock);
}

void folio_mark_accessed(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;
	enum lru_list lru;

	if (!folio_test_flag(folio, PG_referenced) ||
	    folio_test_flag(folio, PG_active) ||
	    folio_test_flag(folio, PG_unevictable)) {
		folio_set_flag(folio, PG_referenced);
		return;
	}
	/* second access while inactive: activate */
	lruvec = folio_lruvec_lock(e, folio);
	if (folio_test_flag(folio, PG_lru)) {
		lru = folio_lru_list(folio);
		list_del(e, lruvec, folio, lru);
		folio_set_flag(folio, PG_active);
		list_add_head(e, lruvec, folio, folio_lru_list(folio));
		/* lru_activate() counts it; a folio off the lists is not */
		mod_memcg_state(folio_memcg(e, folio), MEMCG_PGACTIVATE,
				folio_nr_pages(folio));
	} else {
		folio_set_flag(folio, PG_active);
	}
	folio_clear_flag(folio, PG_referenced);
	pthread_mutex_unlock(&lruvec->lock);
	workingset_activation(e, folio);
}

/**
 * lruvec_reparent - move every folio of @from onto @to's lists, charged to
 * @to_slot: reparenting at offline
 * @e: engine
 * @from: a removed cgroup's lists
 * @to: its parent's lists
 * @to_slot: the parent's css slot
 * @acct: receives the pages per list, folio count, and per-type stats
 *
 * Both lists are locked across the move, so a folio is never reachable
 * through a cgroup whose lists do not hold it.
 */
void lruvec_reparent(struct memcg_engine *e, struct lruvec *from,
		     struct lruvec *to, uint32_t to_slot,
		     void (*acct)(struct folio *folio, void *arg), void *arg)
{
	uint32_t pfn;
	int lru;

	pthread_mutex_lock(&from->lock);
	pthread_mutex_lock(&to->lock);
	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		if (from->head[lru] == FOLIO_NONE)
			continue;
		for (pfn = from->head[lru]; pfn != FOLIO_NONE;
		     pfn = pfn_folio(e->arena, pfn)->lru_next) {
			struct folio *folio = pfn_folio(e->arena, pfn);

			acct(folio, arg);
			folio_set_memcg_data(folio, to_slot);
		}
		/* from's list goes before to's head: both keep their order */
		pfn_folio(e->arena, from->tail[lru])->lru_next = to->head[lru];
		if (to->head[lru] != FOLIO_NONE)
			pfn_folio(e->arena, to->head[lru])->lru_prev = from->tail[lru];
		else
			to->tail[lru] = from->tail[lru];
		to->head[lru] = from->head[lru];
		lru_size_add(to, lru, from->nr_pages[lru]);
		from->head[lru] = from->tail[lru] = FOLIO_NONE;
		lru_size_add(from, lru, -from->nr_pages[lru]);
	}
	pthread_mutex_unlock(&to->lock);
	pthread_mutex_unlock(&from->lock);
}

void memcg_folio_add_lru(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_of_engine(e, folio) || folio_test_flag(folio, PG_lru)) {
		memcg_folio_misuse(__func__, folio);
		return;
	}
	folio_objcg_to_memcg(e, folio);	/* lists are per cgroup */
	folio_add_lru(e, folio);
}

void memcg_folio_mark_accessed(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_of_engine(e, folio)) {
		memcg_folio_misuse(__func__, folio);
		return;
	}
	folio_mark_accessed(e, folio);
}
