// SPDX-License-Identifier: MIT
/* The multi-generational LRU's lists and counters: see lru_gen.h. */
#include <errno.h>
#include <stdlib.h>

#include "mm/lru_gen.h"

int lru_gen_init_lruvec(struct lruvec *lruvec)
{
	struct lru_gen_folio *lrugen = calloc(1, sizeof(*lrugen));
	int gen, type;

	if (!lrugen)
		return -ENOMEM;
	/* min_seq starts at 0 and max_seq at MIN_NR_GENS + 1: four open */
	lrugen->max_seq = MIN_NR_GENS + 1;
	lrugen->mm_seq = MIN_NR_GENS;
	for (gen = 0; gen < MAX_NR_GENS; gen++)
		for (type = 0; type < ANON_AND_FILE; type++)
			lrugen->folios[gen][type] =
				(struct flist){ FOLIO_NONE, FOLIO_NONE };
	lruvec->lrugen = lrugen;
	return 0;
}

/*
 * The list a folio is on. Promotion renumbers a folio without moving it,
 * so the list is the one whose end it is, or any when it is inside one
 * (flist_del() then needs none).
 */
static struct flist *gen_list_of(struct memcg_engine *e, struct lruvec *lruvec,
				 struct folio *folio)
{
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	uint32_t pfn = folio_pfn(e->arena, folio);
	int gen, type = folio_lru_type(folio);

	if (folio->lru_prev != FOLIO_NONE && folio->lru_next != FOLIO_NONE)
		return NULL;
	for (gen = 0; gen < MAX_NR_GENS; gen++) {
		struct flist *l = &lrugen->folios[gen][type];

		if (l->head == pfn || l->tail == pfn)
			return l;
	}
	memcg_folio_misuse(__func__, folio);	/* not on any list */
	return NULL;
}

/* Pages per generation, and the active/inactive sizes memory.stat shows. */
static void lru_gen_update_size(struct lruvec *lruvec, struct folio *folio,
				int old_gen, int new_gen)
{
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	int type = folio_lru_type(folio);
	long delta = folio_nr_pages(folio);
	enum lru_list lru = type ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
	bool was_active = old_gen >= 0 && lru_gen_is_active(lrugen, old_gen);
	bool is_active = new_gen >= 0 && lru_gen_is_active(lrugen, new_gen);

	if (old_gen >= 0)
		lrugen->nr_pages[old_gen][type] -= delta;
	if (new_gen >= 0)
		lrugen->nr_pages[new_gen][type] += delta;
	if (old_gen >= 0)
		lru_size_add(lruvec, lru + was_active, -delta);
	if (new_gen >= 0)
		lru_size_add(lruvec, lru + is_active, delta);
}

/* Where lru_gen_add_folio() puts a folio (see lru_gen.h). */
static unsigned long lru_gen_seq_for(const struct lru_gen_folio *lrugen,
				     const struct folio *folio, bool reclaiming)
{
	int type = folio_lru_type(folio);

	if (folio_test_flag(folio, PG_active))
		return lrugen->max_seq;
	if ((type == LRU_GEN_ANON && !folio_test_flag(folio, PG_swapcache)) ||
	    (folio_test_flag(folio, PG_reclaim) &&
	     (folio_test_flag(folio, PG_dirty) ||
	      folio_test_flag(folio, PG_writeback))))
		return lrugen->max_seq - 1;
	if (reclaiming || lrugen->min_seq[type] + MIN_NR_GENS >= lrugen->max_seq)
		return lrugen->min_seq[type];
	return lrugen->min_seq[type] + 1;
}

void lru_gen_add_folio(struct memcg_engine *e, struct lruvec *lruvec,
		       struct folio *folio, bool reclaiming)
{
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	int gen = lru_gen_from_seq(lru_gen_seq_for(lrugen, folio, reclaiming));
	struct flist *l = &lrugen->folios[gen][folio_lru_type(folio)];

	if (folio_test_flag(folio, PG_active)) {
		/* PG_workingset stays: it may be a refault's */
		atomic_fetch_and_explicit(&folio->refflags,
					  ~(LRU_REFS_MASK | 1u << PG_referenced |
					    1u << PG_active),
					  memory_order_relaxed);
	}
	folio_set_lru_gen(folio, gen);
	lru_gen_update_size(lruvec, folio, -1, gen);
	if (reclaiming)
		flist_add_tail(e->arena, l, folio);
	else
		flist_add(e->arena, l, folio);
	folio_set_flag(folio, PG_lru);
}

void lru_gen_del_folio(struct memcg_engine *e, struct lruvec *lruvec,
		       struct folio *folio, bool reclaiming)
{
	int gen = folio_lru_gen(folio);

	flist_del(e->arena, gen_list_of(e, lruvec, folio), folio);
	/* for whoever puts it back, as folio_migrate_flags() needs */
	if (!reclaiming && lru_gen_is_active(lruvec->lrugen, gen))
		folio_set_flag(folio, PG_active);
	lru_gen_update_size(lruvec, folio, gen, -1);
	folio_clear_flag(folio, PG_lru);
}

void lru_gen_move(struct memcg_engine *e, struct lruvec *lruvec,
		  struct folio *folio, bool tail)
{
	struct flist *to = &lruvec->lrugen->folios[folio_lru_gen(folio)]
						  [folio_lru_type(folio)];

	flist_del(e->arena, gen_list_of(e, lruvec, folio), folio);
	if (tail)
		flist_add_tail(e->arena, to, folio);
	else
		flist_add(e->arena, to, folio);
}

void lru_gen_inc_refs(struct folio *folio)
{
	uint32_t old = atomic_load_explicit(&folio->refflags,
					    memory_order_relaxed);

	if (old & (1u << PG_unevictable))
		return;
	if (!(old & (1u << PG_referenced))) {
		folio_set_flag(folio, PG_referenced);
		return;
	}
	if (!(old & (1u << PG_workingset))) {
		folio_set_flag(folio, PG_workingset);
		return;
	}
	do {
		if ((old & LRU_REFS_MASK) == LRU_REFS_MASK)
			return;
	} while (!atomic_compare_exchange_weak_explicit(&folio->refflags, &old,
			old + (1u << LRU_REFS_PGOFF), memory_order_relaxed,
			memory_order_relaxed));
}

void folio_clear_lru_refs(struct folio *folio)
{
	atomic_fetch_and_explicit(&folio->refflags,
				  ~(LRU_REFS_MASK | 1u << PG_referenced |
				    1u << PG_workingset),
				  memory_order_relaxed);
}

int folio_inc_gen(struct memcg_engine *e, struct lruvec *lruvec,
		  struct folio *folio, bool reclaiming)
{
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	int old_gen = lru_gen_from_seq(lrugen->min_seq[folio_lru_type(folio)]);
	int new_gen = folio_lru_gen(folio);

	(void)e;
	if (new_gen != old_gen)
		return new_gen;		/* promoted meanwhile */
	new_gen = (old_gen + 1) % MAX_NR_GENS;
	folio_clear_lru_refs(folio);
	if (reclaiming)
		folio_set_flag(folio, PG_reclaim);	/* for end of writeback */
	folio_set_lru_gen(folio, new_gen);
	lru_gen_update_size(lruvec, folio, old_gen, new_gen);
	return new_gen;
}

void lru_gen_promote(struct memcg_engine *e, struct lruvec *lruvec,
		     struct folio *folio)
{
	int old_gen, new_gen = lru_gen_from_seq(lruvec->lrugen->max_seq);

	(void)e;
	if (!folio_test_flag(folio, PG_lru)) {
		folio_set_flag(folio, PG_referenced);	/* for shrink_folio_list */
		return;
	}
	old_gen = folio_lru_gen(folio);
	folio_clear_lru_refs(folio);
	if (old_gen == new_gen)
		return;
	folio_set_lru_gen(folio, new_gen);
	lru_gen_update_size(lruvec, folio, old_gen, new_gen);
}

void lru_gen_activate(struct memcg_engine *e, struct lruvec *lruvec,
		      struct folio *folio)
{
	long nr = folio_nr_pages(folio);

	lru_gen_del_folio(e, lruvec, folio, false);
	folio_set_flag(folio, PG_active);
	lru_gen_add_folio(e, lruvec, folio, false);
	mod_memcg_state(folio_memcg(e, folio), MEMCG_PGACTIVATE, nr);
}

/*
 * A type's oldest generation closes: fold its refaults into the moving
 * averages (smoothing 1/2) and start counting afresh (reset_ctrl_pos with
 * carryover; one history generation, as without CONFIG_LRU_GEN_STATS).
 */
static void reset_ctrl_pos(struct lru_gen_folio *lrugen, int type)
{
	int tier;

	for (tier = 0; tier < MAX_NR_TIERS; tier++) {
		unsigned long sum;

		sum = lrugen->avg_refaulted[type][tier] +
		      (unsigned long)atomic_load(&lrugen->refaulted[type][tier]);
		lrugen->avg_refaulted[type][tier] = sum / 2;
		sum = lrugen->avg_total[type][tier] +
		      (unsigned long)atomic_load(&lrugen->evicted[type][tier]);
		if (tier)
			sum += lrugen->protected[type][tier - 1];
		lrugen->avg_total[type][tier] = sum / 2;
		atomic_store(&lrugen->refaulted[type][tier], 0);
		atomic_store(&lrugen->evicted[type][tier], 0);
		if (tier)
			lrugen->protected[type][tier - 1] = 0;
	}
}

void read_ctrl_pos(const struct lru_gen_folio *lrugen, int type, int tier,
		   int gain, struct ctrl_pos *pos)
{
	pos->refaulted = lrugen->avg_refaulted[type][tier] +
		(unsigned long)atomic_load(&lrugen->refaulted[type][tier]);
	pos->total = lrugen->avg_total[type][tier] +
		(unsigned long)atomic_load(&lrugen->evicted[type][tier]);
	if (tier)
		pos->total += lrugen->protected[type][tier - 1];
	pos->gain = gain;
}

bool positive_ctrl_err(const struct ctrl_pos *sp, const struct ctrl_pos *pv)
{
	return pv->refaulted < MIN_LRU_BATCH ||
	       pv->refaulted * (sp->total + MIN_LRU_BATCH) * (unsigned long)sp->gain <=
	       (sp->refaulted + 1) * pv->total * (unsigned long)pv->gain;
}

/* Move the oldest generation of @type into the next one; lock held. */
static void inc_min_seq(struct memcg_engine *e, struct lruvec *lruvec,
			int type, bool can_swap)
{
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	struct flist *old = &lrugen->folios[lru_gen_from_seq(lrugen->min_seq[type])][type];

	/* the kernel does this in batches of MAX_LRU_BATCH, dropping the lock */
	while ((type != LRU_GEN_ANON || can_swap) && old->tail != FOLIO_NONE) {
		struct folio *folio = pfn_folio(e->arena, old->tail);

		folio_inc_gen(e, lruvec, folio, false);
		lru_gen_move(e, lruvec, folio, true);
	}
	reset_ctrl_pos(lrugen, type);
	lrugen->min_seq[type]++;
}

bool try_to_inc_min_seq(struct lruvec *lruvec, bool can_swap)
{
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	unsigned long min_seq[ANON_AND_FILE] = { lrugen->min_seq[0],
						 lrugen->min_seq[1] };
	bool success = false;
	int type;

	/* the oldest generation that holds a folio */
	for (type = !can_swap; type < ANON_AND_FILE; type++)
		while (min_seq[type] + MIN_NR_GENS <= lrugen->max_seq &&
		       lrugen->folios[lru_gen_from_seq(min_seq[type])][type].head ==
		       FOLIO_NONE)
			min_seq[type]++;
	if (can_swap) {
		if (min_seq[LRU_GEN_FILE] < min_seq[LRU_GEN_ANON])
			min_seq[LRU_GEN_ANON] = min_seq[LRU_GEN_FILE];
		min_seq[LRU_GEN_FILE] = min_seq[LRU_GEN_ANON] > lrugen->min_seq[LRU_GEN_FILE] ?
					min_seq[LRU_GEN_ANON] : lrugen->min_seq[LRU_GEN_FILE];
	}
	for (type = !can_swap; type < ANON_AND_FILE; type++) {
		if (min_seq[type] == lrugen->min_seq[type])
			continue;
		reset_ctrl_pos(lrugen, type);
		lrugen->min_seq[type] = min_seq[type];
		success = true;
	}
	return success;
}

bool inc_max_seq(struct memcg_engine *e, struct lruvec *lruvec,
		 unsigned long seq, bool can_swap)
{
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	int prev, next, type;
	bool success;

	pthread_mutex_lock(&lruvec->lock);
	success = seq == lrugen->max_seq;
	if (!success)
		goto unlock;
	for (type = ANON_AND_FILE - 1; type >= 0; type--)
		if (get_nr_gens(lrugen, type) == MAX_NR_GENS)
			inc_min_seq(e, lruvec, type, can_swap);
	/*
	 * max_seq - 1 turns inactive, max_seq + 1 opens active; they can
	 * be one list when anon could not be moved on (no swap).
	 */
	prev = lru_gen_from_seq(lrugen->max_seq - 1);
	next = lru_gen_from_seq(lrugen->max_seq + 1);
	for (type = 0; type < ANON_AND_FILE; type++) {
		enum lru_list lru = type ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
		long delta = lrugen->nr_pages[prev][type] -
			     lrugen->nr_pages[next][type];

		lru_size_add(lruvec, lru, delta);
		lru_size_add(lruvec, lru + 1, -delta);
	}
	lrugen->max_seq++;
unlock:
	pthread_mutex_unlock(&lruvec->lock);
	return success;
}

/* The sequence of @to of the same age as @seq in @from, for @type. */
static unsigned long reparent_seq(const struct lru_gen_folio *from,
				  const struct lru_gen_folio *to, int type,
				  int gen)
{
	unsigned long seq = from->max_seq, age, to_seq;

	while (lru_gen_from_seq(seq) != gen)
		seq--;
	age = from->max_seq - seq;
	to_seq = to->max_seq - (age < to->max_seq ? age : to->max_seq);
	return to_seq < to->min_seq[type] ? to->min_seq[type] : to_seq;
}

void lru_gen_reparent(struct memcg_engine *e, struct lruvec *from,
		      struct lruvec *to, uint32_t to_slot,
		      void (*acct)(struct folio *folio, void *arg), void *arg)
{
	int gen, type;

	for (gen = 0; gen < MAX_NR_GENS; gen++) {
		for (type = 0; type < ANON_AND_FILE; type++) {
			struct flist *l = &from->lrugen->folios[gen][type];

			while (l->tail != FOLIO_NONE) {
				struct folio *folio = pfn_folio(e->arena, l->tail);
				int new_gen = lru_gen_from_seq(reparent_seq(
					from->lrugen, to->lrugen, type,
					folio_lru_gen(folio)));

				acct(folio, arg);
				flist_del(e->arena, l, folio);
				lru_gen_update_size(from, folio,
						    folio_lru_gen(folio), -1);
				folio_set_memcg_data(folio, to_slot);
				folio_set_lru_gen(folio, new_gen);
				lru_gen_update_size(to, folio, -1, new_gen);
				flist_add(e->arena, &to->lrugen->folios[new_gen][type],
					  folio);
			}
		}
	}
}
