// SPDX-License-Identifier: MIT
/*
 * MGLRU eviction and aging (mm/vmscan.c), look-around, and the workingset
 * (lru_gen_eviction() and lru_gen_refault(), mm/workingset.c), against
 * figures worked out by hand from Linux 6.12. The fake folio client and
 * the helpers are lru_gen_test.h's.
 */
#include "lru_gen_test.h"

/*
 * Eviction through memory.reclaim, no swap (swappiness 0: page cache
 * only), a client whose referenced() says 0. Page cache: H (8, accessed
 * five times: refs 4), Y (8, PG_active: generation 3), C (64, cold).
 * memory.reclaim of 32 pages asks try_to_free_mem_cgroup_pages() for 32
 * (6.12: a quarter of the rest, at least 32). 80 pages:
 *
 * - priorities 12..7: 80 >> prio = 0, nothing (get_nr_to_scan);
 * - 6: 80 >> 6 = 1; min_seq 0 and max_seq 3 leave should_run_aging()
 *   false (0 + 2 < 3). evict_folios(): seq 0 is empty, so scan_folios()
 *   returns 0 and try_to_inc_min_seq() makes min_seq[file] 1: scanned 1;
 * - 5: 80 >> 5 = 2; young (seq 3) 8 * 2 <= 80, old (seq 1) 72 * 4 >= 80:
 *   no aging. get_tier_idx() is 3 (no refaults: every error positive).
 *   scan_folios() from the tail of seq 1: H first, refs 4 (= BIT(2)):
 *   sort_folio() protects them into seq 2 (pgrefill 8, protected[2]);
 *   then 64 of C are isolated (pgscan 64), the batch is full. Seq 1 is
 *   empty: min_seq[file] 2, which folds protected[2] = 8 into avg_total
 *   of tier 3 as 8 / 2 = 4. Two generations left: evict_folios() returns
 *   0 but reclaims its 64 (pgsteal 64), each evicted in tier 0.
 *
 * H (seq 2) and Y (seq 3) stay, both active now; 64 >= 32 ends it.
 */
static void test_evict_oldest_first(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *h[8], *y[8], *c[64];
	struct mem_cgroup *a;
	int i;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	fill(e, a, MEMCG_FOLIO_FILE, 8, false, 5, h);
	fill(e, a, MEMCG_FOLIO_FILE, 8, true, 0, y);
	fill(e, a, MEMCG_FOLIO_FILE, 64, false, 0, c);
	assert_int_equal(folio_lru_refs(h[0]), 4);
	lru_sizes_are(a, 0, 0, 72, 8);

	reclaim(a, 32);
	assert_int_equal(reap(c, 64), 64);
	assert_int_equal(reap(h, 8), 0);
	assert_int_equal(reap(y, 8), 0);
	assert_int_equal(stat(a, "pgscan"), 64);
	assert_int_equal(stat(a, "pgsteal"), 64);
	assert_int_equal(stat(a, "pgrefill"), 8);
	assert_int_equal(stat(a, "pgactivate"), 0);
	min_seq_is(a, 0, 2, 3);
	for (i = 0; i < 8; i++) {
		assert_int_equal(folio_lru_gen(h[i]), 2);
		assert_int_equal(folio_lru_refs(h[i]), 0);
		assert_false(folio_test_flag(h[i], PG_referenced));
		assert_int_equal(folio_lru_gen(y[i]), 3);
	}
	assert_int_equal(gen_pages(a, 2, LRU_GEN_FILE), 8);
	assert_int_equal(gen_pages(a, 3, LRU_GEN_FILE), 8);
	lru_sizes_are(a, 0, 0, 0, 16);
	ctrl_pos_is(a, LRU_GEN_FILE, 3, 0, 4);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 0, 64);
	audit(e, a, NULL);

	put_all(e, h, 8);
	put_all(e, y, 8);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * The PID controller's cut through real refaults, then sort_folio()
 * protecting the tiers above it. No swap; K is one cold folio at the
 * head of seq 1 that keeps min_seq[file] at 1.
 *
 * Phase 1, memory.reclaim of 128 pages: T1 (64, accessed twice: refs 1,
 * tier 1) then T0 (64, cold), then K. The first batch of 32 evicts T1
 * (64 isolated at priority 6 after min_seq[file] went 0 -> 1 at 7), the
 * second (16 -> 32) T0 at priority 6 (65 >> 6 = 1). T1 leaves shadows
 * of tier 1 (token refs 0 + workingset), T0 of tier 0. Refaulting T1
 * now (min_seq unchanged) counts refaulted[1] = 64: its folios G come
 * back to min_seq itself (1 + 2 >= max_seq 3), K still at its tail.
 *
 * get_tier_idx(): sp tier 0 = (0 refaulted, 64 total) * gain 1, pv
 * tier 1 = (64, 64) * 2: 64 * (64 + 64) * 1 > (0 + 1) * 64 * 2, so the
 * cut is tier 0.
 *
 * Phase 2, memory.reclaim of 32: G[0..31] accessed twice (tier 1). At
 * priority 6 (65 >> 6 = 1) scan_folios() takes K, protects G[0..31]
 * (tier 1 > 0: pgrefill 32, protected[0] = 32) and isolates G[32..63]:
 * 33 pages. Seq 1 empties: min_seq[file] 2, reset_ctrl_pos() folds tier
 * 0 to (0 / 2, 64 / 2) = (0, 32) and tier 1 to (64 / 2, (64 + 32) / 2)
 * = (32, 48); the 33 evictions then count in tier 0.
 */
static void test_protect_above_cut(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *t1[64], *t0[64], *k, *g[64];
	struct mem_cgroup *a;
	int i, j;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	fill(e, a, MEMCG_FOLIO_FILE, 64, false, 2, t1);
	fill(e, a, MEMCG_FOLIO_FILE, 64, false, 0, t0);
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &k);

	reclaim(a, 128);
	assert_int_equal(stat(a, "pgscan"), 128);
	assert_int_equal(stat(a, "pgsteal"), 128);
	assert_int_equal(fk.nr_removed, 128);
	min_seq_is(a, 0, 1, 3);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 0, 64);
	ctrl_pos_is(a, LRU_GEN_FILE, 1, 0, 64);

	/* fk.removed[0..63] is T1, tail first */
	for (i = 0; i < 64; i++) {
		assert_ptr_equal(fk.removed[i], t1[i]);
		g[i] = new_folio(e, a, MEMCG_FOLIO_FILE);
		workingset_refault(e, g[i], fk.shadow[i]);
		memcg_folio_add_lru(e, g[i]);
		assert_int_equal(folio_lru_gen(g[i]), 1);
	}
	assert_int_equal(reap(t1, 64) + reap(t0, 64), 128);
	assert_int_equal(stat(a, "workingset_refault_file"), 64);
	assert_int_equal(stat(a, "workingset_activate_file"), 64);
	assert_int_equal(stat(a, "workingset_restore_file"), 0);
	ctrl_pos_is(a, LRU_GEN_FILE, 1, 64, 64);

	for (i = 0; i < 32; i++)
		for (j = 0; j < 2; j++)
			memcg_folio_mark_accessed(e, g[i]);
	fk.nr_removed = 0;
	reclaim(a, 32);
	assert_true(reaped(&k));
	assert_int_equal(reap(g, 32), 0);
	assert_int_equal(reap(g + 32, 32), 32);
	assert_int_equal(stat(a, "pgscan"), 128 + 33);
	assert_int_equal(stat(a, "pgsteal"), 128 + 33);
	assert_int_equal(stat(a, "pgrefill"), 32);
	min_seq_is(a, 0, 2, 3);
	for (i = 0; i < 32; i++) {
		assert_int_equal(folio_lru_gen(g[i]), 2);
		assert_int_equal(folio_lru_refs(g[i]), 0);
	}
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 0, 32 + 33);
	ctrl_pos_is(a, LRU_GEN_FILE, 1, 32, 48);
	lru_sizes_are(a, 0, 0, 0, 32);
	audit(e, a, NULL);

	put_all(e, g, 32);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * Aging, no swap. F: 64 page-cache folios, PG_active (seq 3); the walk
 * reports F[0..15] young, plus a folio of sibling B and an anon folio
 * of A (seq 2). memory.reclaim of 32:
 *
 * - priority 6 (64 >> 6 = 1): seqs 0 and 1 of file are empty;
 *   try_to_inc_min_seq() takes min_seq[file] to 2, two generations are
 *   left, evict_folios() returns 0;
 * - 5: min_seq[file] + 2 > max_seq: should_run_aging(); not DEF_PRIORITY,
 *   so try_to_inc_max_seq(3): walk_mm(A, 3, can_swap false).
 *   memcg_folio_young() renumbers F[0..15] to max_seq's generation (3,
 *   where they are), refuses B's folio and the anon one. inc_max_seq():
 *   anon has four generations, its min_seq goes 0 -> 1 without moving
 *   anything; max_seq 4, anon's seq 2 turns inactive. Return -1;
 * - 4: seq 2 (old) is empty: old * 4 < total, aging again: walk_mm(A, 4):
 *   F[0..15] to seq 4 (generation 0); max_seq 5, seq 3 inactive;
 * - 3 (64 >> 3 = 8): min_seq[file] 2 + 2 < 5, no aging. Seq 2 empty:
 *   min_seq[file] 3 (scanned 1). Then seq 3's list: F[0..15] were
 *   promoted and are sorted onto seq 4's list (pgrefill 16), F[16..63]
 *   isolated (pgscan 48) and reclaimed (pgsteal 48); min_seq[file] 4.
 */
static void test_aging(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *f[64], *anon, *other;
	struct mem_cgroup *a, *b;
	int i, w;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "B", &b), 0);
	fill(e, a, MEMCG_FOLIO_FILE, 64, true, 0, f);
	fill(e, a, MEMCG_FOLIO_ANON, 1, false, 0, &anon);
	fill(e, b, MEMCG_FOLIO_FILE, 1, false, 0, &other);
	for (i = 0; i < 16; i++)
		fk.walk_young[i] = f[i];
	fk.walk_young[16] = other;
	fk.walk_young[17] = anon;
	fk.nr_walk_young = 18;
	/* outside a walk no young mapping is taken */
	assert_false(memcg_folio_young(e, f[0]));

	reclaim(a, 32);
	assert_int_equal(fk.nr_walks, 2);
	for (w = 0; w < 2; w++) {
		assert_ptr_equal(fk.walk_memcg[w], a);
		assert_int_equal(fk.walk_seq[w], 3 + w);
		assert_false(fk.walk_can_swap[w]);
		for (i = 0; i < 16; i++)
			assert_true(fk.walk_ret[w][i]);
		assert_false(fk.walk_ret[w][16]);
		assert_false(fk.walk_ret[w][17]);
	}
	assert_int_equal(reap(f, 16), 0);
	assert_int_equal(reap(f + 16, 48), 48);
	assert_int_equal(stat(a, "pgscan"), 48);
	assert_int_equal(stat(a, "pgsteal"), 48);
	assert_int_equal(stat(a, "pgrefill"), 16);
	assert_int_equal(stat(a, "pgactivate"), 0);
	min_seq_is(a, 2, 4, 5);
	for (i = 0; i < 16; i++)
		assert_int_equal(folio_lru_gen(f[i]), lru_gen_from_seq(4));
	assert_int_equal(folio_lru_gen(anon), 2);
	assert_int_equal(folio_lru_gen(other), 1);
	lru_sizes_are(a, 1, 0, 0, 16);
	assert_false(memcg_folio_young(e, f[0]));
	audit(e, a, b);

	put_all(e, f, 16);
	memcg_folio_put(e, anon);
	memcg_folio_put(e, other);
	memcg_put(a);
	memcg_put(b);
	memcg_engine_destroy(e);
}

/*
 * Look-around (lru_gen_look_around()): referenced() of the central folio
 * X reports N[0..3] (page cache, seq 1) and M (anon, seq 2) as young
 * neighbours. Page cache X, then C (64), then N, then M; no swap.
 * Reclaiming 32 pages: priority 6 moves min_seq[file] to 1, priority 5
 * (69 >> 5 = 2) isolates X and C[0..62] (pgscan 64) and reclaims the 63
 * C (pgsteal 63); X is kept (one young mapping: FOLIOREF_KEEP with
 * PG_referenced) and comes back to max_seq.
 *
 * Direct reclaim (memory.max 70 -> 38 pages) has no mm_walk: each N not
 * in max_seq's generation gets folio_activate() (to seq 3, pgactivate 4).
 * Proactive reclaim (memory.reclaim) has one: folio_update_gen()
 * renumbers N in place, no pgactivate. Either way the central folio is
 * page cache, so can_swap is false and get_pfn_folio() skips the anon M:
 * its young bit is left.
 */
static void look_around(bool proactive)
{
	struct memcg_engine *e = engine();
	struct folio *x, *c[64], *n[4], *m;
	struct mem_cgroup *a;
	char buf[32];
	int i;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &x);
	fill(e, a, MEMCG_FOLIO_FILE, 64, false, 0, c);
	fill(e, a, MEMCG_FOLIO_FILE, 4, false, 0, n);
	fill(e, a, MEMCG_FOLIO_ANON, 1, false, 0, &m);
	fk.central = x;
	for (i = 0; i < 4; i++)
		fk.around[i] = n[i];
	fk.around[4] = m;
	fk.nr_around = 5;

	if (proactive) {
		reclaim(a, 32);
	} else {
		memcg_drain_all_stock(a);
		assert_true(memcg_read(a, "memory.current", buf,
				       sizeof(buf)) > 0);
		assert_int_equal(atol(buf), 70 * PAGE);
		snprintf(buf, sizeof(buf), "%ld", (70 - 32) * PAGE);
		assert_int_equal(memcg_write(a, "memory.max", buf), 0);
	}
	assert_int_equal(reap(c, 63), 63);
	assert_int_equal(reap(c + 63, 1), 0);
	assert_false(reaped(&x));
	assert_int_equal(stat(a, "pgscan"), 64);
	assert_int_equal(stat(a, "pgsteal"), 63);
	assert_int_equal(stat(a, "pgrefill"), 0);
	assert_int_equal(stat(a, "pgactivate"), proactive ? 0 : 4);
	for (i = 0; i < 4; i++) {
		assert_true(fk.around_ret[i]);
		assert_int_equal(folio_lru_gen(n[i]), 3);
	}
	assert_false(fk.around_ret[4]);
	assert_int_equal(folio_lru_gen(m), 2);
	assert_int_equal(folio_lru_gen(x), 3);
	assert_int_equal(gen_pages(a, 3, LRU_GEN_FILE), 5);
	assert_int_equal(gen_pages(a, 1, LRU_GEN_FILE), 1);
	/* renumbered in place: still on seq 1's list */
	assert_int_equal(lrugen_of(a)->folios[1][LRU_GEN_FILE].head ==
			 folio_pfn(e->arena, n[3]), proactive);
	lru_sizes_are(a, 0, 1, 1, 5);
	audit(e, a, NULL);

	memcg_folio_put(e, x);
	put_all(e, c, 64);
	put_all(e, n, 4);
	memcg_folio_put(e, m);
	memcg_put(a);
	memcg_engine_destroy(e);
}

static void test_look_around_direct(void **state)
{
	(void)state;
	look_around(false);
}

static void test_look_around_proactive(void **state)
{
	(void)state;
	look_around(true);
}

/* A new folio of @type charged to @m takes the page back: refault. */
static struct folio *refault(struct memcg_engine *e, struct mem_cgroup *m,
			     enum memcg_folio_type type, uint64_t shadow)
{
	struct folio *folio = new_folio(e, m, type);

	workingset_refault(e, folio, shadow);
	return folio;
}

static void workingset_is(struct mem_cgroup *m, const char *type,
			  long refault, long activate, long restore)
{
	char key[32];

	snprintf(key, sizeof(key), "workingset_refault_%s", type);
	assert_int_equal(stat(m, key), refault);
	snprintf(key, sizeof(key), "workingset_activate_%s", type);
	assert_int_equal(stat(m, key), activate);
	snprintf(key, sizeof(key), "workingset_restore_%s", type);
	assert_int_equal(stat(m, key), restore);
}

/*
 * lru_gen_eviction() leaves min_seq[type] << 2 | max(refs - 1, 0) and
 * refs != 0 as workingset; lru_gen_refault() counts workingset_refault
 * when the shadow is of the folio's own cgroup, and workingset_activate
 * plus refaulted[tier] only while min_seq[type] is still the shadow's;
 * restore (LRU_REFS and PG_workingset set: refs 4) in a fault, which
 * here is anon, or when refs >= 3.
 *
 * Page cache, no swap: W (16, accessed four times: refs 3, tier 2), Z
 * (48, cold), K (one, keeps seq 1). memory.reclaim of 32 evicts W and Z
 * at priority 5 as in test_evict_oldest_first (W is not protected: tier
 * 2 <= get_tier_idx() 3 and refs != 4), with min_seq[file] 1.
 */
static void test_workingset(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *w[16], *z[48], *k, *back[64], *loose, *in_b, *r[2];
	struct mem_cgroup *a, *b;
	uint64_t shadow, anon_shadow[2];
	int i;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "B", &b), 0);
	fill(e, a, MEMCG_FOLIO_FILE, 16, false, 4, w);
	fill(e, a, MEMCG_FOLIO_FILE, 48, false, 0, z);
	fill(e, a, MEMCG_FOLIO_FILE, 1, false, 0, &k);
	assert_int_equal(folio_lru_refs(w[0]), 3);

	reclaim(a, 32);
	assert_int_equal(reap(w, 16) + reap(z, 48), 64);
	assert_int_equal(stat(a, "pgsteal"), 64);
	min_seq_is(a, 0, 1, 3);
	ctrl_pos_is(a, LRU_GEN_FILE, 2, 0, 16);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 0, 48);
	workingset_is(a, "file", 0, 0, 0);

	/* W[0..7] (shadows 0..7) and Z[0..23] (16..39) come back now */
	for (i = 0; i < 32; i++) {
		back[i] = refault(e, a, MEMCG_FOLIO_FILE,
				  fk.shadow[i < 8 ? i : i + 8]);
		memcg_folio_add_lru(e, back[i]);
	}
	workingset_is(a, "file", 32, 32, 8);
	for (i = 0; i < 32; i++)
		assert_int_equal(folio_lru_refs(back[i]), i < 8 ? 4 : 0);
	ctrl_pos_is(a, LRU_GEN_FILE, 2, 8, 16);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 24, 48);

	/*
	 * inc_max_seq(3) closes anon's seq 0 only (file has three), then
	 * inc_max_seq(4) file's seq 1: averages (8 / 2, 16 / 2) for tier 2,
	 * (24 / 2, 48 / 2) for tier 0. The other shadows name seq 1 now
	 * gone: refault counted, nothing else.
	 */
	assert_true(inc_max_seq(e, &a->lruvec, 3, false));
	assert_true(inc_max_seq(e, &a->lruvec, 4, false));
	min_seq_is(a, 2, 2, 5);
	for (i = 32; i < 64; i++) {
		back[i] = refault(e, a, MEMCG_FOLIO_FILE,
				  fk.shadow[i < 40 ? i - 24 : i]);
		memcg_folio_add_lru(e, back[i]);
		assert_int_equal(folio_lru_refs(back[i]), 0);
	}
	workingset_is(a, "file", 64, 32, 8);
	ctrl_pos_is(a, LRU_GEN_FILE, 2, 4, 8);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 12, 24);

	/* A's shadow refaulting into B's folio: nothing, anywhere */
	loose = new_folio(e, a, MEMCG_FOLIO_FILE);
	shadow = workingset_eviction(e, loose, NULL);
	memcg_folio_put(e, loose);
	in_b = refault(e, b, MEMCG_FOLIO_FILE, shadow);
	workingset_is(b, "file", 0, 0, 0);
	workingset_is(a, "file", 64, 32, 8);
	ctrl_pos_is(a, LRU_GEN_FILE, 0, 12, 25);

	/*
	 * Anon, min_seq[anon] 2: a cold folio (tier 0) and one accessed
	 * twice (refs 1, tier 1) evicted. The first comes back at once: a
	 * fault, so restored. Then inc_max_seq(5) closes anon's seq 2 and
	 * the second comes back too late.
	 */
	for (i = 0; i < 2; i++) {
		loose = new_folio(e, a, MEMCG_FOLIO_ANON);
		if (i) {
			lru_gen_inc_refs(loose);
			lru_gen_inc_refs(loose);
		}
		anon_shadow[i] = workingset_eviction(e, loose, NULL);
		memcg_folio_put(e, loose);
	}
	ctrl_pos_is(a, LRU_GEN_ANON, 0, 0, 1);
	ctrl_pos_is(a, LRU_GEN_ANON, 1, 0, 1);
	r[0] = refault(e, a, MEMCG_FOLIO_ANON, anon_shadow[0]);
	workingset_is(a, "anon", 1, 1, 1);
	assert_int_equal(folio_lru_refs(r[0]), 4);
	ctrl_pos_is(a, LRU_GEN_ANON, 0, 1, 1);
	assert_true(inc_max_seq(e, &a->lruvec, 5, false));
	min_seq_is(a, 3, 3, 6);
	r[1] = refault(e, a, MEMCG_FOLIO_ANON, anon_shadow[1]);
	workingset_is(a, "anon", 2, 1, 1);
	assert_int_equal(folio_lru_refs(r[1]), 0);
	workingset_is(a, "file", 64, 32, 8);
	audit(e, a, b);

	put_all(e, back, 64);
	put_all(e, r, 2);
	memcg_folio_put(e, k);
	memcg_folio_put(e, in_b);
	memcg_put(a);
	memcg_put(b);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evict_oldest_first),
		cmocka_unit_test(test_protect_above_cut),
		cmocka_unit_test(test_aging),
		cmocka_unit_test(test_look_around_direct),
		cmocka_unit_test(test_look_around_proactive),
		cmocka_unit_test(test_workingset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
