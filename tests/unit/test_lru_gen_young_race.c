// SPDX-License-Identifier: MIT
/*
 * memcg_folio_young() racing the removal of the cgroup it walks, made
 * deterministic: the test is linked with -Wl,--wrap=pthread_mutex_lock,
 * so that the walk's lock of the cgroup's lists can be preceded by an
 * rmdir of that cgroup, whose reparenting (reparent policy) moves the
 * folio to the parent's generations in between.
 *
 * memcg_folio_young() checks that the folio is the walked cgroup's, then
 * takes that cgroup's lruvec lock. If the folio left meanwhile, its
 * generation must not be renumbered under the wrong lock and counted in
 * the wrong lists: the parent's per-generation count would be off by one
 * (what tests/stress/test_swap_race.c's MGLRU case found about 3 runs in
 * 20). The walk leaves such a folio alone, as the kernel's walk skips a
 * folio of another cgroup (get_pfn_folio()).
 *
 * Two ways in: aging's walk (proactive reclaim renumbers the folio in
 * place) and direct reclaim's look-around (no walk: the folio would be
 * activated, taken off the parent's list under the child's lock).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/lru_gen.h"

#define NR 64

int __real_pthread_mutex_lock(pthread_mutex_t *m);
int __wrap_pthread_mutex_lock(pthread_mutex_t *m);

static struct race {
	struct memcg_engine *e;
	struct mem_cgroup *a;		/* P/A, the cgroup reclaimed */
	struct folio *central;		/* referenced(): its neighbour is... */
	struct folio *young;		/* ...this one, or the second walk's */
	pthread_mutex_t *armed;		/* rmdir "P/A" before locking it */
	bool by_walk;			/* walk_mm() reports @young */
	int nr_walks;
	bool young_ret;
	int rmdir_ret;
} rc;

/* Every pthread_mutex_lock() of the library and the test comes here. */
int __wrap_pthread_mutex_lock(pthread_mutex_t *m)
{
	if (m == rc.armed) {
		rc.armed = NULL;
		rc.rmdir_ret = memcg_rmdir(rc.e, "P/A");
	}
	return __real_pthread_mutex_lock(m);
}

static void race_walk_mm(void *priv, struct mem_cgroup *memcg,
			 unsigned long seq, bool can_swap)
{
	struct race *r = priv;

	(void)seq;
	(void)can_swap;
	if (!r->by_walk || r->nr_walks++ != 1)
		return;
	/* memcg_folio_young()'s first lock is of A's lists */
	r->armed = &memcg->lruvec.lock;
	r->young_ret = memcg_folio_young(r->e, r->young);
	assert_null(r->armed);
}

/* Look-around from the central folio: its neighbour is young. */
static int race_referenced(void *priv, struct folio *folio)
{
	struct race *r = priv;

	if (folio != r->central)
		return 0;
	r->central = NULL;	/* once */
	r->armed = &r->a->lruvec.lock;
	r->young_ret = memcg_folio_young(r->e, r->young);
	assert_null(r->armed);
	return 1;
}

static const struct memcg_folio_client_ops race_client = {
	.referenced = race_referenced,
	.walk_mm = race_walk_mm,
};

/* A 6.12 MGLRU engine, reparent policy, the race client; P and P/A. */
static struct memcg_engine *engine(struct mem_cgroup **p)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64UL << 20);
	cfg.kernel = MEMCG_KERNEL_6_12;
	cfg.reclaim = MEMCG_RECLAIM_MGLRU;
	cfg.policy = MEMCG_POLICY_REPARENT;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	memset(&rc, 0, sizeof(rc));
	rc.e = e;
	rc.rmdir_ret = 1;
	assert_int_equal(memcg_set_folio_client(e, &race_client, &rc), 0);
	assert_int_equal(memcg_mkdir(e, "P", p), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &rc.a), 0);
	return e;
}

/* A page-cache folio on @memcg's lists, PG_active if @active. */
static struct folio *new_folio(struct memcg_engine *e, struct mem_cgroup *memcg,
			       bool active)
{
	struct folio *folio = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);

	assert_non_null(folio);
	assert_int_equal(mem_cgroup_charge(folio, memcg, MEMCG_GFP_KERNEL), 0);
	if (active)
		folio_set_flag(folio, PG_active);
	memcg_folio_add_lru(e, folio);
	return folio;
}

/* A was removed, the young folio left alone; @p's counts are exact. */
static void check_removed(struct memcg_engine *e, struct mem_cgroup *p)
{
	struct audit_hold h = { p, 1 };

	assert_int_equal(rc.rmdir_ret, 0);
	assert_false(atomic_load(&rc.a->online));
	memcg_put(rc.a);
	assert_int_equal(memcg_audit(e, &h, 1), 0);
	/* the folio had left A: its young bit is left for P's walk */
	assert_false(rc.young_ret);
	assert_ptr_equal(folio_memcg(e, rc.young), p);
}

/*
 * Aging, as test_lru_gen.c's test_aging: 64 page-cache folios of P/A,
 * PG_active (seq 3); memory.reclaim of A ages it twice, at priority 5
 * (walk_mm(A, 3)) and 4 (walk_mm(A, 4), A's max_seq 4). The second walk
 * reports F[0] young, with A removed in between: F[0] is at seq 3 of A,
 * one below A's youngest, so it lands in P's seq 2 (generation 2); A's
 * youngest is generation 0. Every folio stays in P's generation 2.
 */
static void test_walk_after_reparent(void **state)
{
	struct memcg_engine *e;
	struct mem_cgroup *p;
	struct folio *f[NR];
	struct lru_gen_folio *lrugen;
	int i;

	(void)state;
	e = engine(&p);
	for (i = 0; i < NR; i++)
		f[i] = new_folio(e, rc.a, true);
	rc.young = f[0];
	rc.by_walk = true;

	/* A is gone before the reclaim ends: nothing is left to reclaim */
	assert_int_equal(memcg_write(rc.a, "memory.reclaim", "128K"), -EAGAIN);
	assert_true(rc.nr_walks >= 2);
	check_removed(e, p);
	lrugen = p->lruvec.lrugen;
	assert_int_equal(lrugen->max_seq, 3);
	for (i = 0; i < NR; i++)
		assert_int_equal(folio_lru_gen(f[i]), 2);
	for (i = 0; i < MAX_NR_GENS; i++)
		assert_int_equal(lrugen->nr_pages[i][LRU_GEN_FILE],
				 i == 2 ? NR : 0);

	for (i = 0; i < NR; i++)
		memcg_folio_put(e, f[i]);
	memcg_put(p);
	memcg_engine_destroy(e);
}

/*
 * Look-around in direct reclaim (memory.high), as test_lru_gen.c's
 * look_around(false): X, C[0..62], N, C[63] page cache of A and Q of P,
 * all in seq 1. Eviction isolates X and C[0..62] (MIN_LRU_BATCH);
 * referenced(X) reports N young, with A removed in between: N lands in
 * P's seq 1 (same age), between C[63] and Q. Without a walk, a young
 * folio outside the youngest generation is activated (lru_gen_activate):
 * N must stay where it is, counted by P. Nothing is reclaimable (no
 * remove_mapping): every folio ends in P.
 */
static void test_look_around_after_reparent(void **state)
{
	struct memcg_engine *e;
	struct mem_cgroup *p;
	struct folio *x, *c[NR], *q;
	int i;

	(void)state;
	e = engine(&p);
	q = new_folio(e, p, false);
	x = new_folio(e, rc.a, false);
	for (i = 0; i < NR - 1; i++)
		c[i] = new_folio(e, rc.a, false);
	rc.young = new_folio(e, rc.a, false);
	c[NR - 1] = new_folio(e, rc.a, false);
	rc.central = x;

	assert_int_equal(memcg_write(rc.a, "memory.high", "128K"), 0);
	assert_null(rc.central);
	check_removed(e, p);
	assert_int_equal(folio_lru_gen(rc.young), 1);
	assert_false(folio_test_flag(rc.young, PG_active));
	assert_int_equal(test_file_key(p, "memory.stat", "pgactivate"), 0);

	memcg_folio_put(e, rc.young);
	memcg_folio_put(e, x);
	for (i = 0; i < NR; i++)
		memcg_folio_put(e, c[i]);
	memcg_folio_put(e, q);
	memcg_put(p);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_after_reparent),
		cmocka_unit_test(test_look_around_after_reparent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
