// SPDX-License-Identifier: MIT
/* Per-cgroup LRU lists: see lru.h. */
#include <errno.h>
#include <stdlib.h>

#include "core/memcontrol.h"
#include "mm/lru.h"
#include "mm/lru_gen.h"
#include "mm/workingset.h"

int lruvec_init(struct lruvec *lruvec, bool lru_gen)
{
	int i;

	pthread_mutex_init(&lruvec->lock, NULL);
	for (i = 0; i < NR_LRU_LISTS; i++) {
		lruvec->lists[i] = (struct flist){ FOLIO_NONE, FOLIO_NONE };
		lruvec->nr_pages[i] = 0;
	}
	for (i = 0; i < NR_HOST_LRU; i++)
		lruvec->host[i] = (struct host_lru_list){ NULL, NULL, 0 };
	lruvec->anon_cost = lruvec->file_cost = 0;
	atomic_init(&lruvec->nonresident_age, 0);
	atomic_init(&lruvec->refaults[0], 0);
	atomic_init(&lruvec->refaults[1], 0);
	lruvec->lrugen = NULL;
	if (lru_gen && lru_gen_init_lruvec(lruvec)) {
		pthread_mutex_destroy(&lruvec->lock);
		return -ENOMEM;
	}
	return 0;
}

void lruvec_destroy(struct lruvec *lruvec)
{
	free(lruvec->lrugen);
	pthread_mutex_destroy(&lruvec->lock);
}

void flist_add(struct folio_arena *a, struct flist *l, struct folio *folio)
{
	uint32_t pfn = folio_pfn(a, folio);

	folio->lru_prev = FOLIO_NONE;
	folio->lru_next = l->head;
	if (l->head != FOLIO_NONE)
		pfn_folio(a, l->head)->lru_prev = pfn;
	else
		l->tail = pfn;
	l->head = pfn;
}

void flist_add_tail(struct folio_arena *a, struct flist *l, struct folio *folio)
{
	uint32_t pfn = folio_pfn(a, folio);

	folio->lru_next = FOLIO_NONE;
	folio->lru_prev = l->tail;
	if (l->tail != FOLIO_NONE)
		pfn_folio(a, l->tail)->lru_next = pfn;
	else
		l->head = pfn;
	l->tail = pfn;
}

void flist_del(struct folio_arena *a, struct flist *l, struct folio *folio)
{
	if (folio->lru_prev != FOLIO_NONE)
		pfn_folio(a, folio->lru_prev)->lru_next = folio->lru_next;
	else
		l->head = folio->lru_next;
	if (folio->lru_next != FOLIO_NONE)
		pfn_folio(a, folio->lru_next)->lru_prev = folio->lru_prev;
	else
		l->tail = folio->lru_prev;
	folio->lru_next = folio->lru_prev = FOLIO_NONE;
}

void flist_splice(struct folio_arena *a, struct flist *from, struct flist *to)
{
	if (from->head == FOLIO_NONE)
		return;
	pfn_folio(a, from->tail)->lru_next = to->head;
	if (to->head != FOLIO_NONE)
		pfn_folio(a, to->head)->lru_prev = from->tail;
	else
		to->tail = from->tail;
	to->head = from->head;
	*from = (struct flist){ FOLIO_NONE, FOLIO_NONE };
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

/* Link at the head of @lru; call with the lock held. */
static void list_add_head(struct memcg_engine *e, struct lruvec *lruvec,
			  struct folio *folio, enum lru_list lru)
{
	flist_add(e->arena, &lruvec->lists[lru], folio);
	lru_size_add(lruvec, lru, folio_nr_pages(folio));
	folio_set_flag(folio, PG_lru);
}

static void list_del(struct memcg_engine *e, struct lruvec *lruvec,
		     struct folio *folio, enum lru_list lru)
{
	flist_del(e->arena, &lruvec->lists[lru], folio);
	lru_size_add(lruvec, lru, -folio_nr_pages(folio));
	folio_clear_flag(folio, PG_lru);
}

/* Link at the tail of @lru; call with the lock held. */
static void list_add_tail(struct memcg_engine *e, struct lruvec *lruvec,
			  struct folio *folio, enum lru_list lru)
{
	flist_add_tail(e->arena, &lruvec->lists[lru], folio);
	lru_size_add(lruvec, lru, folio_nr_pages(folio));
	folio_set_flag(folio, PG_lru);
}

/* lruvec_add_folio(): generations take what is evictable under MGLRU. */
static void lruvec_add_folio(struct memcg_engine *e, struct lruvec *lruvec,
			     struct folio *folio, bool tail)
{
	if (lruvec->lrugen && !folio_test_flag(folio, PG_unevictable)) {
		lru_gen_add_folio(e, lruvec, folio, tail);
		return;
	}
	if (tail)
		list_add_tail(e, lruvec, folio, folio_lru_list(folio));
	else
		list_add_head(e, lruvec, folio, folio_lru_list(folio));
}

static void lruvec_del_folio(struct memcg_engine *e, struct lruvec *lruvec,
			     struct folio *folio)
{
	if (lruvec->lrugen && !folio_test_flag(folio, PG_unevictable))
		lru_gen_del_folio(e, lruvec, folio, false);
	else
		list_del(e, lruvec, folio, folio_lru_list(folio));
}

void folio_add_lru(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;

	mem_cgroup_reparent_folio(e, folio);
	lruvec = folio_lruvec_lock(e, folio);
	lruvec_add_folio(e, lruvec, folio, false);
	pthread_mutex_unlock(&lruvec->lock);
}

void folio_add_lru_fault(struct memcg_engine *e, struct folio *folio)
{
	/* MGLRU: what a fault brings in is hot (lru_gen_in_fault()) */
	if (lru_gen_enabled(e) && !folio_test_flag(folio, PG_unevictable))
		folio_set_flag(folio, PG_active);
	folio_add_lru(e, folio);
}

void folio_del_lru(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;

	if (!folio_test_flag(folio, PG_lru))
		return;
	lruvec = folio_lruvec_lock(e, folio);
	if (folio_test_flag(folio, PG_lru))
		lruvec_del_folio(e, lruvec, folio);
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
	for (pfn = lruvec->lists[lru].tail;
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

void folio_putback_lru_tail(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;

	mem_cgroup_reparent_folio(e, folio);
	lruvec = folio_lruvec_lock(e, folio);
	lruvec_add_folio(e, lruvec, folio, true);
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
		lruvec_del_folio(e, lruvec, folio);
		folio_clear_flag(folio, PG_active);
		lruvec_add_folio(e, lruvec, folio, true);
	}
	pthread_mutex_unlock(&lruvec->lock);
}

void folio_mark_accessed(struct memcg_engine *e, struct folio *folio)
{
	struct lruvec *lruvec;

	if (lru_gen_enabled(e)) {
		lru_gen_inc_refs(folio);	/* a tier up, no list move */
		return;
	}
	if (!folio_test_flag(folio, PG_referenced) ||
	    folio_test_flag(folio, PG_active) ||
	    folio_test_flag(folio, PG_unevictable)) {
		folio_set_flag(folio, PG_referenced);
		return;
	}
	/* second access while inactive: activate */
	lruvec = folio_lruvec_lock(e, folio);
	if (folio_test_flag(folio, PG_lru)) {
		list_del(e, lruvec, folio, folio_lru_list(folio));
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
		if (from->lrugen && lru != LRU_UNEVICTABLE)
			continue;	/* the generations follow */
		for (pfn = from->lists[lru].head; pfn != FOLIO_NONE;
		     pfn = pfn_folio(e->arena, pfn)->lru_next) {
			struct folio *folio = pfn_folio(e->arena, pfn);

			acct(folio, arg);
			folio_set_memcg_data(folio, to_slot);
		}
		flist_splice(e->arena, &from->lists[lru], &to->lists[lru]);
		lru_size_add(to, lru, from->nr_pages[lru]);
		lru_size_add(from, lru, -from->nr_pages[lru]);
	}
	if (from->lrugen)
		lru_gen_reparent(e, from, to, to_slot, acct, arg);
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
