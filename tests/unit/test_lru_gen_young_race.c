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
 * The figures follow test_lru_gen.c's test_aging: 64 page-cache folios
 * of P/A, PG_active (seq 3); memory.reclaim of A ages it twice, at
 * priority 5 (walk_mm(A, 3)) and 4 (walk_mm(A, 4), A's max_seq 4). The
 * second walk reports F[0] young, with A removed in between: F[0] is at
 * seq 3 of A, one generation below A's youngest, so it lands in P's seq
 * 2 (generation 2); A's youngest is generation 0.
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
	struct folio *young;		/* reported by the second walk */
	pthread_mutex_t *armed;		/* rmdir "P/A" before locking it */
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
	if (r->nr_walks++ != 1)
		return;
	/* memcg_folio_young()'s first lock is of A's lists */
	r->armed = &memcg->lruvec.lock;
	r->young_ret = memcg_folio_young(r->e, r->young);
	assert_null(r->armed);
}

static const struct memcg_folio_client_ops race_client = {
	.walk_mm = race_walk_mm,
};

static void test_young_after_reparent(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *p, *a;
	struct folio *f[NR];
	struct lru_gen_folio *lrugen;
	struct audit_hold h;
	int i;

	(void)state;
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
	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &a), 0);
	for (i = 0; i < NR; i++) {
		f[i] = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);
		assert_non_null(f[i]);
		assert_int_equal(mem_cgroup_charge(f[i], a, MEMCG_GFP_KERNEL), 0);
		folio_set_flag(f[i], PG_active);
		memcg_folio_add_lru(e, f[i]);
	}
	rc.young = f[0];

	/* A is gone before the reclaim ends: nothing is left to reclaim */
	assert_int_equal(memcg_write(a, "memory.reclaim", "128K"), -EAGAIN);
	assert_int_equal(rc.rmdir_ret, 0);
	assert_true(rc.nr_walks >= 2);
	assert_false(atomic_load(&a->online));
	memcg_put(a);
	h = (struct audit_hold){ p, 1 };
	assert_int_equal(memcg_audit(e, &h, 1), 0);
	/* the folio had left A: its young bit is left for P's walk */
	assert_false(rc.young_ret);

	/* every folio in P's seq 2 (generation 2), counted there */
	lrugen = p->lruvec.lrugen;
	assert_int_equal(lrugen->max_seq, 3);
	for (i = 0; i < NR; i++) {
		assert_ptr_equal(folio_memcg(e, f[i]), p);
		assert_int_equal(folio_lru_gen(f[i]), 2);
	}
	assert_int_equal(lrugen->nr_pages[2][LRU_GEN_FILE], NR);
	for (i = 0; i < MAX_NR_GENS; i++)
		if (i != 2)
			assert_int_equal(lrugen->nr_pages[i][LRU_GEN_FILE], 0);

	for (i = 0; i < NR; i++)
		memcg_folio_put(e, f[i]);
	memcg_put(p);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_young_after_reparent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
