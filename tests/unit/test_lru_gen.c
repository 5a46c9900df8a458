// SPDX-License-Identifier: MIT
/*
 * The multi-generational LRU, mechanism by mechanism, against figures
 * worked out by hand from Linux 6.12: lru_gen_add_folio() and
 * lru_gen_update_size() (include/linux/mm_inline.h), folio_inc_refs()
 * (mm/swap.c), the PID controller, the generations, eviction and aging
 * (mm/vmscan.c), lru_gen_eviction() and lru_gen_refault()
 * (mm/workingset.c), and the simulator's page-table walk.
 *
 * A fresh lruvec has min_seq 0 and max_seq MIN_NR_GENS + 1 = 3
 * (lru_gen_init_lruvec): generations 0..3, of which 3 and 2 count as
 * active (lru_gen_is_active). Without swap, get_swappiness() is 0 and
 * only page cache is scanned.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "memcg/sim.h"
#include "mm/lru_gen.h"
#include "mm/vmscan.h"
#include "mm/workingset.h"
#include "sim/sim.h"

#define PAGE 4096L
#define MAX_TRACKED 1024

/*
 * The fake folio client: referenced() finds no young mapping but for
 * @central, one, whose neighbours @around it reports young (look-around);
 * remove_mapping() frees clean page cache and keeps its shadow; walk_mm()
 * records its calls and reports @walk_young as young mappings.
 */
static struct fake {
	struct memcg_engine *e;
	struct folio *central;
	struct folio *around[8];
	int nr_around;
	bool around_ret[8];
	int nr_walks;
	struct mem_cgroup *walk_memcg[8];
	unsigned long walk_seq[8];
	bool walk_can_swap[8];
	struct folio *walk_young[64];
	int nr_walk_young;
	bool walk_ret[8][64];
	struct folio *removed[MAX_TRACKED];
	uint64_t shadow[MAX_TRACKED];
	int nr_removed;
} fk;

static int fake_referenced(void *priv, struct folio *folio)
{
	struct fake *f = priv;
	int i;

	if (folio == f->central) {
		for (i = 0; i < f->nr_around; i++)
			f->around_ret[i] = memcg_folio_young(f->e,
							     f->around[i]);
		return 1;
	}
	return 0;
}

/* The page cache's and reclaim's references, as filemap_remove_folio(). */
static bool fake_remove_mapping(void *priv, struct folio *folio)
{
	struct fake *f = priv;

	if (f->nr_removed == MAX_TRACKED || !folio_ref_freeze(folio, 2))
		return false;
	f->removed[f->nr_removed] = folio;
	f->shadow[f->nr_removed++] = workingset_eviction(f->e, folio,
							 reclaim_target());
	folio_free_frozen(f->e, folio);
	return true;
}

static void fake_walk_mm(void *priv, struct mem_cgroup *memcg,
			 unsigned long seq, bool can_swap)
{
	struct fake *f = priv;
	int i, n = f->nr_walks++;

	assert_true(n < 8);
	f->walk_memcg[n] = memcg;
	f->walk_seq[n] = seq;
	f->walk_can_swap[n] = can_swap;
	for (i = 0; i < f->nr_walk_young; i++)
		f->walk_ret[n][i] = memcg_folio_young(f->e, f->walk_young[i]);
}

static const struct memcg_folio_client_ops fake_client = {
	.remove_mapping = fake_remove_mapping,
	.referenced = fake_referenced,
	.walk_mm = fake_walk_mm,
};

/* A 6.12 MGLRU engine with the fake client. */
static struct memcg_engine *engine(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64UL << 20);
	cfg.kernel = MEMCG_KERNEL_6_12;
	cfg.reclaim = MEMCG_RECLAIM_MGLRU;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	memset(&fk, 0, sizeof(fk));
	fk.e = e;
	assert_int_equal(memcg_set_folio_client(e, &fake_client, &fk), 0);
	return e;
}

/*
 * A folio charged to @memcg itself, as the page cache and faults charge
 * (memcg_charge() of a program's folio goes through the objcg until the
 * folio joins the LRU; refaults are detected before that).
 */
static struct folio *new_folio(struct memcg_engine *e, struct mem_cgroup *memcg,
			       enum memcg_folio_type type)
{
	struct folio *folio = memcg_folio_alloc(e, type, 0);

	assert_non_null(folio);
	assert_int_equal(mem_cgroup_charge(folio, memcg, MEMCG_GFP_KERNEL), 0);
	return folio;
}

/* @nr charged folios on @memcg's LRU, active if asked, accessed @refs times. */
static void fill(struct memcg_engine *e, struct mem_cgroup *memcg,
		 enum memcg_folio_type type, int nr, bool active, int refs,
		 struct folio **out)
{
	int i, j;

	for (i = 0; i < nr; i++) {
		struct folio *folio = new_folio(e, memcg, type);

		if (active)
			folio_set_flag(folio, PG_active);
		memcg_folio_add_lru(e, folio);
		for (j = 0; j < refs; j++)
			memcg_folio_mark_accessed(e, folio);
		out[i] = folio;
	}
}

/* Whether remove_mapping() freed @folio; if so, forget it (no put). */
static bool reaped(struct folio **slot)
{
	int i;

	for (i = 0; i < fk.nr_removed; i++) {
		if (fk.removed[i] == *slot) {
			*slot = NULL;
			return true;
		}
	}
	return false;
}

/* How many of @folios remove_mapping() freed; those are forgotten. */
static int reap(struct folio **folios, int nr)
{
	int i, n = 0;

	for (i = 0; i < nr; i++)
		n += folios[i] && reaped(&folios[i]);
	return n;
}

static void put_all(struct memcg_engine *e, struct folio **folios, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (folios[i])
			memcg_folio_put(e, folios[i]);
}

static long long stat(struct mem_cgroup *memcg, const char *key)
{
	return test_file_key(memcg, "memory.stat", key);
}

static void reclaim(struct mem_cgroup *memcg, long pages)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ldK", pages * 4);
	assert_int_equal(memcg_write(memcg, "memory.reclaim", buf), 0);
}

static struct lru_gen_folio *lrugen_of(struct mem_cgroup *memcg)
{
	return memcg->lruvec.lrugen;
}

static long gen_pages(struct mem_cgroup *memcg, unsigned long seq, int type)
{
	return lrugen_of(memcg)->nr_pages[lru_gen_from_seq(seq)][type];
}

static void audit(struct memcg_engine *e, struct mem_cgroup *a,
		  struct mem_cgroup *b)
{
	const struct audit_hold holds[2] = { { a, a ? 1 : 0 },
					     { b, b ? 1 : 0 } };

	assert_int_equal(memcg_audit(e, holds, 2), 0);
}

static void min_seq_is(struct mem_cgroup *memcg, unsigned long anon,
		       unsigned long file, unsigned long max)
{
	struct lru_gen_folio *lrugen = lrugen_of(memcg);

	assert_int_equal(lrugen->min_seq[LRU_GEN_ANON], anon);
	assert_int_equal(lrugen->min_seq[LRU_GEN_FILE], file);
	assert_int_equal(lrugen->max_seq, max);
}

/* The active/inactive sizes memory.stat shows, in pages. */
static void lru_sizes_are(struct mem_cgroup *memcg, long inactive_anon,
			  long active_anon, long inactive_file,
			  long active_file)
{
	assert_int_equal(stat(memcg, "inactive_anon"), inactive_anon * PAGE);
	assert_int_equal(stat(memcg, "active_anon"), active_anon * PAGE);
	assert_int_equal(stat(memcg, "inactive_file"), inactive_file * PAGE);
	assert_int_equal(stat(memcg, "active_file"), active_file * PAGE);
}

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

static void ctrl_pos_is(struct mem_cgroup *m, int type, int tier,
			unsigned long refaulted, unsigned long total)
{
	struct ctrl_pos pos;

	read_ctrl_pos(lrugen_of(m), type, tier, 1, &pos);
	assert_int_equal(pos.refaulted, refaulted);
	assert_int_equal(pos.total, total);
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

/* A simulator engine (6.12, MGLRU by default) with 16M of swap. */
static struct memcg_engine *sim_engine(struct mem_cgroup **a)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64UL << 20);
	cfg.kernel = MEMCG_KERNEL_6_12;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	assert_int_equal(memcg_swapon(e, NULL, 16UL << 20), 0);
	assert_int_equal(memcg_mkdir(e, "A", a), 0);
	return e;
}

/*
 * One lru_gen_shrink_lruvec() of @memcg at @priority, as direct reclaim
 * of 32 pages with swap: one eviction round or one aging.
 */
static void shrink_step(struct mem_cgroup *memcg, int priority)
{
	struct scan_control sc = {
		.target = memcg,
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.priority = priority,
		.swappiness = -1,
		.may_swap = true,
	};

	rcu_read_lock();
	lru_gen_shrink_lruvec(memcg, &sc);
	rcu_read_unlock();
	assert_int_equal(sc.nr_reclaimed, 0);
}

/* Young entries of @t's page table in [start, end). */
static long young_ptes(struct memcg_task *t, size_t start, size_t end)
{
	long n = 0;
	size_t i;

	for (i = start; i < end; i++)
		n += !!(t->mm->pte[i] & PTE_YOUNG);
	return n;
}

/* Whether every PMD entry of @t's @nr runs has @flag. */
static bool pmds_have(struct memcg_task *t, size_t nr, unsigned flag)
{
	size_t b;

	for (b = 0; b < nr; b++)
		if (!(t->mm->pmd[b] & flag))
			return false;
	return true;
}

/*
 * The simulator's page-table walk (walk_mm(), iterate_mm_list()) driven
 * step by step. T1 (16M: 8 runs of 512 entries), T2 and T3 (2M: one run
 * each) fault in 5120 anon pages, PG_active: seq 3, young.
 *
 * - Step 1 (priority 10, 5120 >> 10 = 5): should_run_aging() false
 *   (0 + 2 < 3); seqs 0 and 1 empty: min_seq 2 for both, two
 *   generations left, no aging yet.
 * - Step 2: min_seq + 2 > max_seq: aging, walk of seq 3. Every mm is new
 *   (force_scan): every entry scanned and its young bit taken; PMD
 *   accessed bits are left (only a walk without force_scan clears them);
 *   every run had >= 1/8 young: in the filter of seq 4. max_seq 4.
 * - T1 touches all, T2 10 entries, T3 nothing. Step 3: seq 2 (old) is
 *   empty: aging, walk of seq 4. T1: 4096 to seq 4. T2 ran: its PMD bit
 *   is cleared, its 10 young pages go to seq 4, but 10 * 8 < 512: not
 *   in the filter of seq 5. T3 did not run: not walked, its PMD bit
 *   stays. max_seq 5: seq 3 (502 + 512) turns inactive.
 * - T2 touches all. Step 4 (DEF_PRIORITY, 5120 >> 12 = 1): seq 2 empty,
 *   min_seq 3. Step 5: old (seq 3) 1014 * 4 < 5120: aging, walk of
 *   seq 5. T1 did not run; T2 did, but its run is not in the filter:
 *   skipped, 512 young entries left. max_seq 6: seq 4 turns inactive.
 */
static void test_sim_walk(void **state)
{
	struct memcg_task *t1, *t2, *t3;
	struct mem_cgroup *a;
	struct memcg_engine *e = sim_engine(&a);

	(void)state;
	assert_int_equal(memcg_task_create(e, "t1", a, &t1), 0);
	assert_int_equal(memcg_task_create(e, "t2", a, &t2), 0);
	assert_int_equal(memcg_task_create(e, "t3", a, &t3), 0);
	assert_int_equal(memcg_task_anon(t1, 16UL << 20), 0);
	assert_int_equal(memcg_task_anon(t2, 2UL << 20), 0);
	assert_int_equal(memcg_task_anon(t3, 2UL << 20), 0);
	assert_int_equal(gen_pages(a, 3, LRU_GEN_ANON), 5120);
	assert_int_equal(young_ptes(t1, 0, 4096), 4096);

	shrink_step(a, 10);
	min_seq_is(a, 2, 2, 3);
	assert_int_equal(young_ptes(t1, 0, 4096), 4096);

	shrink_step(a, 10);
	min_seq_is(a, 2, 2, 4);
	assert_int_equal(young_ptes(t1, 0, 4096), 0);
	assert_int_equal(young_ptes(t2, 0, 512), 0);
	assert_int_equal(young_ptes(t3, 0, 512), 0);
	assert_true(pmds_have(t1, 8, PMD_YOUNG | PMD_FILTER(4)));
	assert_true(pmds_have(t2, 1, PMD_YOUNG | PMD_FILTER(4)));
	assert_true(pmds_have(t3, 1, PMD_YOUNG | PMD_FILTER(4)));
	assert_int_equal(gen_pages(a, 3, LRU_GEN_ANON), 5120);
	lru_sizes_are(a, 0, 5120, 0, 0);

	assert_int_equal(memcg_task_touch(t1, 16UL << 20), 0);
	assert_int_equal(memcg_task_touch(t2, 10 * PAGE), 0);
	shrink_step(a, 10);
	min_seq_is(a, 2, 2, 5);
	assert_int_equal(gen_pages(a, 4, LRU_GEN_ANON), 4096 + 10);
	assert_int_equal(gen_pages(a, 3, LRU_GEN_ANON), 502 + 512);
	assert_false(t1->mm->pmd[0] & PMD_YOUNG);
	assert_true(pmds_have(t1, 8, PMD_FILTER(5)));
	assert_false(t2->mm->pmd[0] & (PMD_YOUNG | PMD_FILTER(5)));
	assert_true(t3->mm->pmd[0] & PMD_YOUNG);
	lru_sizes_are(a, 1014, 4106, 0, 0);

	assert_int_equal(memcg_task_touch(t2, 2UL << 20), 0);
	shrink_step(a, DEF_PRIORITY);
	min_seq_is(a, 3, 3, 5);
	shrink_step(a, 10);
	min_seq_is(a, 3, 3, 6);
	assert_int_equal(young_ptes(t2, 0, 512), 512);
	assert_int_equal(gen_pages(a, 5, LRU_GEN_ANON), 0);
	assert_int_equal(gen_pages(a, 4, LRU_GEN_ANON), 4106);
	assert_int_equal(gen_pages(a, 3, LRU_GEN_ANON), 1014);
	lru_sizes_are(a, 5120, 0, 0, 0);
	assert_int_equal(stat(a, "pgscan"), 0);
	audit(e, a, NULL);

	assert_int_equal(memcg_task_exit(t1), 0);
	assert_int_equal(memcg_task_exit(t2), 0);
	assert_int_equal(memcg_task_exit(t3), 0);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * iterate_mm_list() resets the filter of seq + 1 for the whole lruvec
 * once a walk finds its first mm, whichever that is. T0 (2M) is before
 * T1 (16M) in the cgroup's list.
 *
 * Steps 1 and 2 as in test_sim_walk (walk of seq 3, all in the filter
 * of seq 4, which is also the filter of seq 6: two by parity). Both
 * touch all; step 3, walk of seq 4: all 4608 to seq 4, renumbered on
 * seq 3's list. T1 touches all; step 4 (DEF_PRIORITY): seq 2 is empty,
 * seq 3's list is not: min_seq 3. Step 5: old (seq 3) 0 * 4 < 4608:
 * aging, walk of seq 5: T0 did not run; T1 did and is the first mm
 * walked: the filter of seq 6 starts empty, T1's runs (all young) go
 * in. T1 to seq 5; max_seq 6, T0's seq 4 turns inactive.
 *
 * T0 touches all. Step 6 (DEF_PRIORITY): 3 + 2 < 6, no aging; seq 3's
 * list is all promoted folios: sort_folio() moves MAX_LRU_BATCH (4096)
 * of them, T0's first (pgrefill 4096). Step 7: the other 512 (pgrefill
 * 4608), the list is empty: min_seq 4 (T0's seq 4). Step 8: old (seq 4)
 * 512 * 4 < 4608: walk of seq 6. T0's run is not in the filter of seq
 * 6: skipped, its pages stay in seq 4 and its entries young. max_seq 7:
 * seq 5 turns inactive too.
 */
static void test_sim_walk_filter_reset(void **state)
{
	struct memcg_task *t0, *t1;
	struct mem_cgroup *a;
	struct memcg_engine *e = sim_engine(&a);

	(void)state;
	assert_int_equal(memcg_task_create(e, "t0", a, &t0), 0);
	assert_int_equal(memcg_task_create(e, "t1", a, &t1), 0);
	assert_int_equal(memcg_task_anon(t0, 2UL << 20), 0);
	assert_int_equal(memcg_task_anon(t1, 16UL << 20), 0);

	shrink_step(a, 10);
	shrink_step(a, 10);
	min_seq_is(a, 2, 2, 4);
	assert_int_equal(memcg_task_touch(t0, 2UL << 20), 0);
	assert_int_equal(memcg_task_touch(t1, 16UL << 20), 0);
	shrink_step(a, 10);
	min_seq_is(a, 2, 2, 5);
	assert_int_equal(gen_pages(a, 4, LRU_GEN_ANON), 4608);

	assert_int_equal(memcg_task_touch(t1, 16UL << 20), 0);
	shrink_step(a, DEF_PRIORITY);
	min_seq_is(a, 3, 3, 5);
	shrink_step(a, 10);
	min_seq_is(a, 3, 3, 6);
	assert_int_equal(gen_pages(a, 5, LRU_GEN_ANON), 4096);
	assert_int_equal(gen_pages(a, 4, LRU_GEN_ANON), 512);
	lru_sizes_are(a, 512, 4096, 0, 0);

	assert_int_equal(memcg_task_touch(t0, 2UL << 20), 0);
	shrink_step(a, DEF_PRIORITY);
	assert_int_equal(stat(a, "pgrefill"), 4096);
	min_seq_is(a, 3, 3, 6);
	shrink_step(a, DEF_PRIORITY);
	assert_int_equal(stat(a, "pgrefill"), 4608);
	min_seq_is(a, 4, 4, 6);
	shrink_step(a, 10);
	min_seq_is(a, 4, 4, 7);
	assert_int_equal(young_ptes(t0, 0, 512), 512);
	assert_int_equal(gen_pages(a, 6, LRU_GEN_ANON), 0);
	assert_int_equal(gen_pages(a, 4, LRU_GEN_ANON), 512);
	lru_sizes_are(a, 4608, 0, 0, 0);
	audit(e, a, NULL);

	assert_int_equal(memcg_task_exit(t0), 0);
	assert_int_equal(memcg_task_exit(t1), 0);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/* reclaim=mglru needs the 6.12 profile; 6.12's default is MGLRU. */
static void test_config(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *a;

	(void)state;
	test_config_init(&cfg, 16UL << 20);
	cfg.kernel = MEMCG_KERNEL_6_1;
	cfg.reclaim = MEMCG_RECLAIM_MGLRU;
	assert_int_equal(memcg_engine_create(&cfg, &e), -EOPNOTSUPP);
	cfg.reclaim = MEMCG_RECLAIM_DEFAULT;
	assert_int_equal(memcg_config_reclaim(&cfg), MEMCG_RECLAIM_CLASSIC);
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_null(a->lruvec.lrugen);
	assert_false(lru_gen_enabled(e));
	memcg_put(a);
	memcg_engine_destroy(e);

	cfg.kernel = MEMCG_KERNEL_6_12;
	assert_int_equal(memcg_config_reclaim(&cfg), MEMCG_RECLAIM_MGLRU);
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_true(lru_gen_enabled(e));
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_non_null(a->lruvec.lrugen);
	memcg_put(a);
	memcg_engine_destroy(e);

	cfg.reclaim = MEMCG_RECLAIM_MGLRU;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_true(lru_gen_enabled(e));
	memcg_engine_destroy(e);
	cfg.reclaim = MEMCG_RECLAIM_CLASSIC;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_false(lru_gen_enabled(e));
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
		cmocka_unit_test(test_evict_oldest_first),
		cmocka_unit_test(test_protect_above_cut),
		cmocka_unit_test(test_aging),
		cmocka_unit_test(test_look_around_direct),
		cmocka_unit_test(test_look_around_proactive),
		cmocka_unit_test(test_workingset),
		cmocka_unit_test(test_sim_walk),
		cmocka_unit_test(test_sim_walk_filter_reset),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
