// SPDX-License-Identifier: MIT
/*
 * MGLRU with the simulator: its page-table walk (walk_mm(), the Bloom
 * filters of PMDs, mm/vmscan.c in Linux 6.12), and the reclaim=
 * configuration (MGLRU needs the 6.12 profile). The helpers are
 * lru_gen_test.h's.
 */
#include "lru_gen_test.h"

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
		cmocka_unit_test(test_sim_walk),
		cmocka_unit_test(test_sim_walk_filter_reset),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
