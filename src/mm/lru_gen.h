/* SPDX-License-Identifier: MIT */
/*
 * The multi-generational LRU (the kernel's lru_gen, Linux 6.12), the
 * lists' side: where a folio joins, how generations open and close, the
 * tiers of folios accessed through the cache, and the PID controller that
 * weighs refaults between tiers and between anon and file. Reclaim's
 * side, eviction and aging, is vmscan_lru_gen.c.
 *
 * A folio's generation is in folio->info (folio_lru_gen()) and says which
 * generation it counts in. Aging and look-around promote a folio by
 * changing that number only, as the kernel's folio_update_gen() does: the
 * folio stays where it is on its old list until eviction reaches it and
 * sorts it onto its new one. So a list is found by its ends
 * (gen_list_of()), never from the folio's number.
 *
 * Everything here runs under the lruvec's lock except lru_gen_inc_refs().
 */
#ifndef MEMCG_MM_LRU_GEN_H
#define MEMCG_MM_LRU_GEN_H

#include "core/memcontrol.h"
#include "mm/lru.h"

#define MAX_SWAPPINESS 200

static inline bool lru_gen_enabled(const struct memcg_engine *e)
{
	return memcg_config_reclaim(&e->cfg) == MEMCG_RECLAIM_MGLRU;
}

static inline int lru_gen_from_seq(unsigned long seq)
{
	return (int)(seq % MAX_NR_GENS);
}

/* LRU_GEN_FILE for page cache, LRU_GEN_ANON for anon and shmem. */
static inline int folio_lru_type(const struct folio *folio)
{
	return folio_type(folio) == FOLIO_FILE;
}

/* Accesses through the cache beyond the first: 0..4 (folio_lru_refs). */
static inline int folio_lru_refs(const struct folio *folio)
{
	uint32_t flags = atomic_load_explicit(&folio->refflags,
					      memory_order_relaxed);

	return (int)((flags & LRU_REFS_MASK) >> LRU_REFS_PGOFF) +
	       !!(flags & (1u << PG_workingset));
}

/* The tier of @refs accesses: order_base_2(refs + 1). */
static inline int lru_tier_from_refs(int refs)
{
	static const int tier[] = { 0, 1, 2, 2, 3 };

	return tier[refs];
}

/* The two youngest generations count as active (memory.stat). */
static inline bool lru_gen_is_active(const struct lru_gen_folio *lrugen,
				     int gen)
{
	return gen == lru_gen_from_seq(lrugen->max_seq) ||
	       gen == lru_gen_from_seq(lrugen->max_seq - 1);
}

static inline int get_nr_gens(const struct lru_gen_folio *lrugen, int type)
{
	return (int)(lrugen->max_seq - lrugen->min_seq[type] + 1);
}

/**
 * lru_gen_init_lruvec - allocate and empty @lruvec's generations
 * @lruvec: lists
 *
 * Return: 0 or -ENOMEM.
 */
int lru_gen_init_lruvec(struct lruvec *lruvec);

/**
 * lru_gen_add_folio - put an evictable folio in a generation, by what it
 * is: active (just faulted or activated) in the youngest, anon not in the
 * swap cache or reclaim-pending writeback in the second youngest, the
 * rest in the second oldest, or the oldest when @reclaiming
 * @e: engine
 * @lruvec: its cgroup's lists, locked
 * @folio: a folio off every list
 * @reclaiming: at the tail of the list, the next reclaim takes it
 */
void lru_gen_add_folio(struct memcg_engine *e, struct lruvec *lruvec,
		       struct folio *folio, bool reclaiming);

/**
 * lru_gen_del_folio - take a folio off its generation; unless
 * @reclaiming, PG_active says whether that generation was active
 * @e: engine
 * @lruvec: its lists, locked
 * @folio: a folio on one of them
 * @reclaiming: isolated by eviction
 */
void lru_gen_del_folio(struct memcg_engine *e, struct lruvec *lruvec,
		       struct folio *folio, bool reclaiming);

/**
 * lru_gen_move - move a folio on the lists to the list of its
 * generation, at the head or the tail
 */
void lru_gen_move(struct memcg_engine *e, struct lruvec *lruvec,
		  struct folio *folio, bool tail);

/**
 * lru_gen_inc_refs - an access through the cache: PG_referenced, then
 * PG_workingset, then up to three more in LRU_REFS (folio_inc_refs)
 * @folio: folio
 */
void lru_gen_inc_refs(struct folio *folio);

/* Forget the accesses: LRU_REFS, PG_referenced and PG_workingset. */
void folio_clear_lru_refs(struct folio *folio);

/**
 * folio_inc_gen - move a folio of the oldest generation to the next one,
 * forgetting its accesses; a folio already promoted keeps its generation
 * @e: engine
 * @lruvec: its lists, locked
 * @folio: folio on the oldest list of its type
 * @reclaiming: set PG_reclaim (it waits for writeback)
 *
 * Return: the folio's generation now. The caller moves it on the lists.
 */
int folio_inc_gen(struct memcg_engine *e, struct lruvec *lruvec,
		  struct folio *folio, bool reclaiming);

/**
 * lru_gen_promote - a young mapping was found: count the folio in the
 * youngest generation (folio_update_gen); an isolated folio is marked
 * PG_referenced instead
 * @e: engine
 * @lruvec: the folio's lists, locked
 * @folio: folio
 */
void lru_gen_promote(struct memcg_engine *e, struct lruvec *lruvec,
		     struct folio *folio);

/**
 * lru_gen_activate - folio_activate() under MGLRU: to the youngest
 * generation at once, counted in pgactivate
 * @e: engine
 * @lruvec: the folio's lists, locked
 * @folio: a folio on them
 */
void lru_gen_activate(struct memcg_engine *e, struct lruvec *lruvec,
		      struct folio *folio);

/**
 * try_to_inc_min_seq - close the oldest generations that are empty;
 * anon never gets ahead of file when it can be swapped
 * @lruvec: lists, locked
 * @can_swap: anon is evictable
 *
 * Return: whether a min_seq moved.
 */
bool try_to_inc_min_seq(struct lruvec *lruvec, bool can_swap);

/**
 * inc_max_seq - open a new youngest generation, first moving the oldest
 * one of a type that has all four into the next (inc_min_seq)
 * @e: engine
 * @lruvec: lists, not locked
 * @seq: the max_seq the caller saw
 * @can_swap: anon is evictable
 *
 * Return: false if another thread opened it first.
 */
bool inc_max_seq(struct memcg_engine *e, struct lruvec *lruvec,
		 unsigned long seq, bool can_swap);

/* The PID controller's position: refaulted / total of one tier. */
struct ctrl_pos {
	unsigned long refaulted;
	unsigned long total;
	int gain;
};

void read_ctrl_pos(const struct lru_gen_folio *lrugen, int type, int tier,
		   int gain, struct ctrl_pos *pos);

/**
 * positive_ctrl_err - whether the process variable @pv refaults little,
 * or less in proportion than the setpoint @sp
 */
bool positive_ctrl_err(const struct ctrl_pos *sp, const struct ctrl_pos *pv);

/**
 * lru_gen_reparent - move every folio of @from's generations to the
 * generations of @to of the same age, charged to @to_slot; both locked
 */
void lru_gen_reparent(struct memcg_engine *e, struct lruvec *from,
		      struct lruvec *to, uint32_t to_slot,
		      void (*acct)(struct folio *folio, void *arg), void *arg);

#endif /* MEMCG_MM_LRU_GEN_H */
