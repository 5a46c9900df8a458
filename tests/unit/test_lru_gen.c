// SPDX-License-Identifier: MIT
/*
 * The multi-generational LRU, mechanism by mechanism, against figures
 * worked out by hand from Linux 6.12: lru_gen_add_folio() and
 * lru_gen_update_size() (include/linux/mm_inline.h), folio_inc_refs()
 * (mm/swap.c), the PID controller and the generations (mm/vmscan.c).
 * Eviction, aging, look-around and the workingset are
 * test_lru_gen_evict.c's; the simulator's page-table walk and the
 * reclaim= configuration test_lru_gen_walk.c's. The fake folio client and
 * the helpers are lru_gen_test.h's.
 */
#include "lru_gen_test.h"

/*
 * lru_gen_add_folio(): PG_active to max_seq (3); anon outside the swap
 * cache, and PG_reclaim with dirty or writeback, to max_seq - 1 (2); other
 * page cache, and anon in the swap cache, to min_seq + 1 (1); added at the
 * tail (folio_rotate_reclaimable -> lru_move_tail) to min_seq (0). An
 * active add clears LRU_REFS, PG_referenced and PG_active but keeps
 * PG_workingset. lru_gen_del_folio() outside reclaim sets PG_active for
 * an active generation, so the folio comes back to max_seq.
 */
static void test_placement(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *hot_file, *hot_anon, *anon, *file, *dirty, *wb, *clean,
		     *swapped, *rotated, *late;
	struct lru_gen_folio *lrugen;
	memcg_swp_entry_t entry;
	struct mem_cgroup *a;

	(void)state;
	assert_int_equal(memcg_swapon(e, NULL, 1UL << 20), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	lrugen = lrugen_of(a);
	min_seq_is(a, 0, 0, 3);

	/* three accesses: PG_referenced, PG_workingset, LRU_REFS 1 */
	hot_file = new_folio(e, a, MEMCG_FOLIO_FILE);
	memcg_folio_mark_accessed(e, hot_file);
	memcg_folio_mark_accessed(e, hot_file);
	memcg_folio_mark_accessed(e, hot_file);
	assert_int_equal(folio_lru_refs(hot_file), 2);
	folio_set_flag(hot_file, PG_active);
	memcg_folio_add_lru(e, hot_file);
	assert_int_equal(folio_lru_gen(hot_file), 3);
	assert_false(folio_test_flag(hot_file, PG_active));
	assert_false(folio_test_flag(hot_file, PG_referenced));
	assert_true(folio_test_flag(hot_file, PG_workingset));
	assert_int_equal(folio_lru_refs(hot_file), 1);	/* 0 + workingset */

	fill(e, a, MEMCG_FOLIO_ANON, 1, true, 0, &hot_anon);
	assert_int_equal(folio_lru_gen(hot_anon), 3);
	fill(e, a, MEMCG_FOLIO_ANON, 1, false, 0, &anon);
	assert_int_equal(folio_lru_gen(anon), 2);
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &file);
	assert_int_equal(folio_lru_gen(file), 1);

	dirty = new_folio(e, a, MEMCG_FOLIO_FILE);
	assert_int_equal(memcg_folio_mark_dirty(e, dirty), 0);
	folio_set_flag(dirty, PG_reclaim);
	memcg_folio_add_lru(e, dirty);
	assert_int_equal(folio_lru_gen(dirty), 2);

	wb = new_folio(e, a, MEMCG_FOLIO_FILE);
	assert_int_equal(memcg_folio_mark_dirty(e, wb), 0);
	assert_int_equal(memcg_folio_start_writeback(e, wb), 0);
	folio_set_flag(wb, PG_reclaim);
	memcg_folio_add_lru(e, wb);
	assert_int_equal(folio_lru_gen(wb), 2);

	/* PG_reclaim alone (written back already) is ordinary page cache */
	clean = new_folio(e, a, MEMCG_FOLIO_FILE);
	folio_set_flag(clean, PG_reclaim);
	memcg_folio_add_lru(e, clean);
	assert_int_equal(folio_lru_gen(clean), 1);
	folio_clear_flag(clean, PG_reclaim);

	swapped = new_folio(e, a, MEMCG_FOLIO_ANON);
	assert_int_equal(memcg_swap_alloc(e, swapped, &entry), 0);
	memcg_folio_add_lru(e, swapped);
	assert_int_equal(folio_lru_gen(swapped), 1);

	/* written back while reclaim waited: to the tail, the oldest */
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &rotated);
	assert_int_equal(folio_lru_gen(rotated), 1);
	assert_int_equal(memcg_folio_mark_dirty(e, rotated), 0);
	assert_int_equal(memcg_folio_start_writeback(e, rotated), 0);
	folio_set_flag(rotated, PG_reclaim);
	assert_int_equal(memcg_folio_end_writeback(e, rotated), 0);
	assert_int_equal(folio_lru_gen(rotated), 0);
	assert_false(folio_test_flag(rotated, PG_reclaim));
	assert_int_equal(lrugen->folios[0][LRU_GEN_FILE].tail,
			 folio_pfn(e->arena, rotated));

	assert_int_equal(gen_pages(a, 3, LRU_GEN_FILE), 1);
	assert_int_equal(gen_pages(a, 3, LRU_GEN_ANON), 1);
	assert_int_equal(gen_pages(a, 2, LRU_GEN_ANON), 1);
	assert_int_equal(gen_pages(a, 2, LRU_GEN_FILE), 2);
	assert_int_equal(gen_pages(a, 1, LRU_GEN_FILE), 2);
	assert_int_equal(gen_pages(a, 1, LRU_GEN_ANON), 1);
	assert_int_equal(gen_pages(a, 0, LRU_GEN_FILE), 1);
	assert_int_equal(gen_pages(a, 0, LRU_GEN_ANON), 0);
	/* generations 3 and 2 are active, 1 and 0 inactive */
	lru_sizes_are(a, 1, 2, 3, 3);
	audit(e, a, NULL);

	/* off the lists outside reclaim: PG_active for an active generation */
	folio_del_lru(e, anon);
	assert_true(folio_test_flag(anon, PG_active));
	folio_add_lru(e, anon);
	assert_int_equal(folio_lru_gen(anon), 3);
	folio_del_lru(e, file);
	assert_false(folio_test_flag(file, PG_active));
	folio_add_lru(e, file);
	assert_int_equal(folio_lru_gen(file), 1);

	/*
	 * Generation 0 of page cache emptied: try_to_inc_min_seq() makes
	 * min_seq[file] 1 (no swap considered). Then min_seq + 2 >= max_seq
	 * and page cache goes to min_seq itself.
	 */
	memcg_folio_put(e, rotated);
	pthread_mutex_lock(&a->lruvec.lock);
	assert_true(try_to_inc_min_seq(&a->lruvec, false));
	pthread_mutex_unlock(&a->lruvec.lock);
	min_seq_is(a, 0, 1, 3);
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &late);
	assert_int_equal(folio_lru_gen(late), 1);
	audit(e, a, NULL);

	assert_int_equal(memcg_folio_end_writeback(e, wb), 0);
	assert_int_equal(memcg_folio_start_writeback(e, dirty), 0);
	assert_int_equal(memcg_folio_end_writeback(e, dirty), 0);
	assert_int_equal(memcg_folio_free_swap(e, swapped, entry), 0);
	memcg_folio_put(e, swapped);
	memcg_folio_put(e, hot_file);
	memcg_folio_put(e, hot_anon);
	memcg_folio_put(e, anon);
	memcg_folio_put(e, file);
	memcg_folio_put(e, dirty);
	memcg_folio_put(e, wb);
	memcg_folio_put(e, clean);
	memcg_folio_put(e, late);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * folio_inc_refs() through folio_mark_accessed(): the first access sets
 * PG_referenced, the second PG_workingset, the next three count in
 * LRU_REFS (2 bits, saturating). folio_lru_refs() is LRU_REFS +
 * PG_workingset: 0 0 1 2 3 4 4 after 0..6 accesses, and the tier
 * order_base_2(refs + 1): 0 0 1 2 2 3 3. Unevictable folios keep none.
 */
static void test_tiers(void **state)
{
	static const int refs[] = { 0, 0, 1, 2, 3, 4, 4 };
	static const int tier[] = { 0, 0, 1, 2, 2, 3, 3 };
	struct memcg_engine *e = engine();
	struct folio *folio, *unevictable;
	struct mem_cgroup *a;
	int i;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &folio);
	for (i = 0; i < 7; i++) {
		if (i)
			memcg_folio_mark_accessed(e, folio);
		assert_int_equal(folio_lru_refs(folio), refs[i]);
		assert_int_equal(lru_tier_from_refs(folio_lru_refs(folio)),
				 tier[i]);
		assert_int_equal(folio_test_flag(folio, PG_referenced), i >= 1);
		assert_int_equal(folio_test_flag(folio, PG_workingset), i >= 2);
	}
	/* accesses move no folio between generations */
	assert_int_equal(folio_lru_gen(folio), 1);
	assert_int_equal(gen_pages(a, 1, LRU_GEN_FILE), 1);

	unevictable = new_folio(e, a, MEMCG_FOLIO_FILE);
	folio_set_flag(unevictable, PG_unevictable);
	for (i = 0; i < 3; i++)
		lru_gen_inc_refs(unevictable);
	assert_false(folio_test_flag(unevictable, PG_referenced));
	assert_int_equal(folio_lru_refs(unevictable), 0);
	folio_clear_flag(unevictable, PG_unevictable);

	memcg_folio_put(e, unevictable);
	memcg_folio_put(e, folio);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * positive_ctrl_err(sp, pv): pv.refaulted < MIN_LRU_BATCH (64), or
 * pv.refaulted * (sp.total + 64) * sp.gain <= (sp.refaulted + 1) *
 * pv.total * pv.gain.
 */
static void test_positive_ctrl_err(void **state)
{
	static const struct {
		struct ctrl_pos sp, pv;
		bool positive;
	} t[] = {
		/* 63 refaults: below the floor, whatever the ratio */
		{ { 0, 0, 1 }, { 63, 63, 2 }, true },
		/* 64 * 64 * 1 = 4096 > 1 * 128 * 2 = 256 */
		{ { 0, 0, 1 }, { 64, 128, 2 }, false },
		/* 64 * 1064 * 1 = 68096 <= 101 * 640 * 2 = 129280 */
		{ { 100, 1000, 1 }, { 64, 640, 2 }, true },
		/* 64 * 128 * 1 = 8192 <= 64 * 128 * 1: equal is positive */
		{ { 63, 64, 1 }, { 64, 128, 1 }, true },
		/* 64 * 128 * 1 = 8192 > 64 * 127 * 1 = 8128 */
		{ { 63, 64, 1 }, { 64, 127, 1 }, false },
		/* gains of swappiness 60: 100 * 264 * 60 <= 51 * 400 * 140 */
		{ { 50, 200, 60 }, { 100, 400, 140 }, true },
		/* swapped: 100 * 464 * 140 > 51 * 200 * 60 */
		{ { 50, 400, 140 }, { 100, 200, 60 }, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(positive_ctrl_err(&t[i].sp, &t[i].pv),
				 t[i].positive);
}

/* A charged page-cache folio off the lists, accessed @refs times. */
static struct folio *loose_file(struct memcg_engine *e, struct mem_cgroup *m,
				int refs)
{
	struct folio *folio = new_folio(e, m, MEMCG_FOLIO_FILE);
	int i;

	for (i = 0; i < refs; i++)
		lru_gen_inc_refs(folio);
	return folio;
}

/*
 * read_ctrl_pos() sums the moving average and the current generation's
 * counters: lru_gen_eviction() adds each evicted folio to evicted[tier],
 * lru_gen_refault() each refault to refaulted[tier]. When the oldest
 * generation closes (inc_min_seq, reset_ctrl_pos with carryover, one
 * history generation as without CONFIG_LRU_GEN_STATS), the average
 * becomes (average + current) / 2 and the counters start over.
 *
 * Evicted: 6 folios of tier 0, 4 accessed twice (refs 1, tier 1), 2
 * accessed five times (refs 4, tier 3). Refaulted while min_seq stays:
 * 3 of tier 0, the 4 of tier 1, 1 of tier 3 (token refs 3 + workingset).
 */
static void test_ctrl_pos(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *f[12], *back[8];
	uint64_t shadow[12];
	struct mem_cgroup *a;
	struct ctrl_pos sp, pv;
	int i;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	for (i = 0; i < 12; i++) {
		f[i] = loose_file(e, a, i < 6 ? 0 : i < 10 ? 2 : 5);
		shadow[i] = workingset_eviction(e, f[i], NULL);
		memcg_folio_put(e, f[i]);
	}
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 0, 6);
	ctrl_pos_is(a, LRU_GEN_FILE, 1, 0, 4);
	ctrl_pos_is(a, LRU_GEN_FILE, 2, 0, 0);
	ctrl_pos_is(a, LRU_GEN_FILE, 3, 0, 2);
	ctrl_pos_is(a, LRU_GEN_ANON, 0, 0, 0);

	for (i = 0; i < 8; i++) {
		int src = i < 3 ? i : i < 7 ? i + 3 : 10;

		back[i] = new_folio(e, a, MEMCG_FOLIO_FILE);
		workingset_refault(e, back[i], shadow[src]);
	}
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 3, 6);
	ctrl_pos_is(a, LRU_GEN_FILE, 1, 4, 4);
	ctrl_pos_is(a, LRU_GEN_FILE, 3, 1, 2);

	/*
	 * get_tier_idx(): sp = tier 0 with gain 1, pv = tier 1 with gain 2:
	 * 4 refaults are below the floor, so the error is positive.
	 */
	read_ctrl_pos(lrugen_of(a), LRU_GEN_FILE, 0, 1, &sp);
	read_ctrl_pos(lrugen_of(a), LRU_GEN_FILE, 1, 2, &pv);
	assert_true(positive_ctrl_err(&sp, &pv));

	/*
	 * Four generations open: inc_max_seq(3) first closes page cache's
	 * oldest (and anon's). Averages: tier 0 (0 + 3) / 2 = 1 and
	 * (0 + 6) / 2 = 3; tier 1 2 and 2; tier 3 0 and 1.
	 */
	assert_true(inc_max_seq(e, &a->lruvec, 3, false));
	min_seq_is(a, 1, 1, 4);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 1, 3);
	ctrl_pos_is(a, LRU_GEN_FILE, 1, 2, 2);
	ctrl_pos_is(a, LRU_GEN_FILE, 3, 0, 1);
	/* a stale sequence opens nothing */
	assert_false(inc_max_seq(e, &a->lruvec, 3, false));

	/* one more eviction of tier 0; next close: (1 + 0) / 2, (3 + 1) / 2 */
	f[0] = loose_file(e, a, 0);
	workingset_eviction(e, f[0], NULL);
	memcg_folio_put(e, f[0]);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 1, 4);
	assert_true(inc_max_seq(e, &a->lruvec, 4, false));
	min_seq_is(a, 2, 2, 5);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 0, 2);
	ctrl_pos_is(a, LRU_GEN_FILE, 1, 1, 1);

	put_all(e, back, 8);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * inc_max_seq() with four generations open moves the oldest into the
 * next (inc_min_seq: from the tail, onto the tail, accesses forgotten),
 * then turns max_seq - 1 inactive. Anon that cannot be swapped is not
 * moved: its min_seq still advances, and its old generation becomes the
 * new youngest (the cold/hot inversion inc_max_seq()'s comment warns
 * of), counted active.
 */
static void test_inc_max_seq(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *old[2], *anon, *file, *hot;
	struct lru_gen_folio *lrugen;
	struct mem_cgroup *a;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	lrugen = lrugen_of(a);

	/* old[0], old[1] rotated to generation 0; old[1] accessed thrice */
	fill(e, a, MEMCG_FOLIO_FILE, 2, false, 0, old);
	folio_rotate_reclaimable(e, old[0]);
	folio_rotate_reclaimable(e, old[1]);
	memcg_folio_mark_accessed(e, old[1]);
	memcg_folio_mark_accessed(e, old[1]);
	memcg_folio_mark_accessed(e, old[1]);
	fill(e, a, MEMCG_FOLIO_ANON, 1, false, 0, &anon);	/* gen 2 */
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &file);	/* gen 1 */
	fill(e, a, MEMCG_FOLIO_FILE, 1, true, 0, &hot);	/* gen 3 */
	lru_sizes_are(a, 0, 1, 3, 1);

	/*
	 * Seqs 0..3: both types have four. File's seq 0 goes into seq 1,
	 * old[1] (the tail) first, so old[0] ends at the tail of seq 1.
	 * Anon's seq 0 is empty. Then max_seq 4: generations 0 and 3 are
	 * active, anon's seq 2 turns inactive (prev - next = 1 - 0).
	 */
	assert_true(inc_max_seq(e, &a->lruvec, 3, true));
	min_seq_is(a, 1, 1, 4);
	assert_int_equal(folio_lru_gen(old[0]), 1);
	assert_int_equal(folio_lru_gen(old[1]), 1);
	assert_int_equal(folio_lru_refs(old[1]), 0);
	assert_false(folio_test_flag(old[1], PG_referenced));
	assert_int_equal(lrugen->folios[1][LRU_GEN_FILE].tail,
			 folio_pfn(e->arena, old[0]));
	assert_int_equal(gen_pages(a, 1, LRU_GEN_FILE), 3);
	assert_int_equal(lrugen->nr_pages[0][LRU_GEN_FILE], 0);
	lru_sizes_are(a, 1, 0, 3, 1);
	/* a stale sequence opens nothing */
	assert_false(inc_max_seq(e, &a->lruvec, 3, true));
	min_seq_is(a, 1, 1, 4);
	audit(e, a, NULL);

	/* seqs 1..4: page cache moves to seq 2, hot's seq 3 turns inactive */
	assert_true(inc_max_seq(e, &a->lruvec, 4, true));
	min_seq_is(a, 2, 2, 5);
	assert_int_equal(folio_lru_gen(file), 2);
	assert_int_equal(folio_lru_gen(anon), 2);
	lru_sizes_are(a, 1, 0, 4, 0);
	/* seqs 2..5 with swap: anon's seq 2 moves to seq 3 too */
	assert_true(inc_max_seq(e, &a->lruvec, 5, true));
	min_seq_is(a, 3, 3, 6);
	assert_int_equal(folio_lru_gen(anon), 3);
	assert_int_equal(folio_lru_gen(file), 3);
	assert_int_equal(gen_pages(a, 3, LRU_GEN_FILE), 4);
	lru_sizes_are(a, 1, 0, 4, 0);

	/*
	 * Seqs 3..6 without swap: page cache moves to seq 4 (generation 0);
	 * anon stays in generation 3, which is seq 7, the new max_seq:
	 * prev (seq 5) - next (seq 7) = 0 - 1 for anon, so it counts active.
	 */
	assert_true(inc_max_seq(e, &a->lruvec, 6, false));
	min_seq_is(a, 4, 4, 7);
	assert_int_equal(folio_lru_gen(anon), 3);
	assert_int_equal(folio_lru_gen(file), 0);
	lru_sizes_are(a, 0, 1, 4, 0);
	audit(e, a, NULL);

	memcg_folio_put(e, old[0]);
	memcg_folio_put(e, old[1]);
	memcg_folio_put(e, file);
	memcg_folio_put(e, hot);
	memcg_folio_put(e, anon);
	memcg_put(a);
	memcg_engine_destroy(e);
}

static bool inc_min_seq_locked(struct mem_cgroup *m, bool can_swap)
{
	bool moved;

	pthread_mutex_lock(&m->lruvec.lock);
	moved = try_to_inc_min_seq(&m->lruvec, can_swap);
	pthread_mutex_unlock(&m->lruvec.lock);
	return moved;
}

/*
 * try_to_inc_min_seq() skips empty generations while min_seq + 2 <=
 * max_seq; with swap, anon's min_seq becomes min(anon, file) and file's
 * max(that, its old one), so anon never passes file and file moves only
 * as far as anon; without swap file moves alone.
 */
static void test_try_to_inc_min_seq(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *anon, *file;
	struct mem_cgroup *a;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	fill(e, a, MEMCG_FOLIO_ANON, 1, false, 0, &anon);	/* seq 2 */
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &file);	/* seq 1 */

	/* no swap: file 0 -> 1 (seq 0 empty, seq 1 not); anon stays */
	assert_true(inc_min_seq_locked(a, false));
	min_seq_is(a, 0, 1, 3);
	assert_false(inc_min_seq_locked(a, false));

	/* swap: anon could go to 2 (0, 1 empty, 2 + 2 > 3): file stops it */
	assert_true(inc_min_seq_locked(a, true));
	min_seq_is(a, 1, 1, 3);
	assert_false(inc_min_seq_locked(a, true));

	/*
	 * max_seq 4, page cache gone: file could go to 3 (1 and 2 empty,
	 * 3 + 2 > 4) but anon stops at its seq 2, and file with it.
	 */
	assert_true(inc_max_seq(e, &a->lruvec, 3, true));
	memcg_folio_put(e, file);
	assert_true(inc_min_seq_locked(a, true));
	min_seq_is(a, 2, 2, 4);
	/* without swap file goes on alone, to max_seq - 1 at most */
	assert_true(inc_min_seq_locked(a, false));
	min_seq_is(a, 2, 3, 4);
	assert_false(inc_min_seq_locked(a, false));
	audit(e, a, NULL);

	memcg_folio_put(e, anon);
	memcg_put(a);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_tiers),
		cmocka_unit_test(test_positive_ctrl_err),
		cmocka_unit_test(test_ctrl_pos),
		cmocka_unit_test(test_inc_max_seq),
		cmocka_unit_test(test_try_to_inc_min_seq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
