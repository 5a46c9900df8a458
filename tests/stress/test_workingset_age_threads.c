// SPDX-License-Identifier: MIT
/*
 * MEMCG_AGE_BATCH under threads: two threads evict and activate in their
 * own cgroups p/t0 and p/t1 (their CPUs' batches owe p and the root),
 * each now and then in a child it makes, removes while still aging it,
 * and lets go. A third thread makes r/c, ages it (the CPU's chain is r),
 * removes both (the offline drains sweep the evictors' batches while
 * they add), ages the dying c (its parent offline: at once) and lets go.
 * At the end, after a drain, the root's age is every page aged and p's
 * every page aged below it: no fold was lost or made twice; no batch
 * names a cgroup, and the removed ones are all released.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fixture.h"
#include "seed.h"
#include "mm/workingset.h"

#define NR_EVICTORS 2
#define ITERS 40000
#define CHILD_EVERY 2000
#define NR_DYING 300

struct world {
	struct memcg_engine *e;
	struct mem_cgroup *p, *t[NR_EVICTORS];
	uint64_t seed;
};

struct evictor {
	struct world *w;
	int idx;
	uint64_t rng;
	long aged;		/* pages, all below p */
	pthread_t tid;
};

/* An eviction (reads the age, ages 1) or an activation of 1-3 pages. */
static long age_once(struct memcg_engine *e, struct folio *f,
		     struct mem_cgroup *m, uint64_t *rng)
{
	long nr;

	if (test_rnd(rng) & 1) {
		workingset_eviction(e, f, m);
		return 1;
	}
	nr = 1 + (long)(test_rnd(rng) % 3);
	workingset_age_nonresident(m, nr);
	return nr;
}

/* A child of t<idx>: aged online, removed, aged dying, let go. */
static void child_round(struct evictor *v, struct folio *f, int k)
{
	struct memcg_engine *e = v->w->e;
	struct mem_cgroup *g;
	char path[32];
	int i;

	snprintf(path, sizeof(path), "p/t%d/g%d", v->idx, k);
	assert_int_equal(memcg_mkdir(e, path, &g), 0);
	for (i = 0; i < 100; i++)
		v->aged += age_once(e, f, g, &v->rng);
	assert_int_equal(memcg_rmdir(e, path), 0);
	for (i = 0; i < 10; i++)
		v->aged += age_once(e, f, g, &v->rng);
	memcg_put(g);
}

static void *evictor_fn(void *arg)
{
	struct evictor *v = arg;
	struct world *w = v->w;
	struct folio *f = memcg_folio_alloc(w->e, MEMCG_FOLIO_FILE, 0);
	int i;

	assert_non_null(f);
	for (i = 0; i < ITERS; i++) {
		if (i % CHILD_EVERY == CHILD_EVERY - 1)
			child_round(v, f, i / CHILD_EVERY);
		v->aged += age_once(w->e, f, w->t[v->idx], &v->rng);
	}
	memcg_folio_put(w->e, f);
	return NULL;
}

struct remover {
	struct world *w;
	long aged;		/* pages, none below p */
};

static void *remover_fn(void *arg)
{
	struct remover *r = arg;
	struct memcg_engine *e = r->w->e;
	int i, k;

	for (i = 0; i < NR_DYING; i++) {
		struct mem_cgroup *top, *c;

		assert_int_equal(memcg_mkdir(e, "r", &top), 0);
		assert_int_equal(memcg_mkdir(e, "r/c", &c), 0);
		for (k = 1; k <= 5; k++) {
			workingset_age_nonresident(c, k);
			r->aged += k;
		}
		assert_int_equal(memcg_rmdir(e, "r/c"), 0);
		assert_int_equal(memcg_rmdir(e, "r"), 0);
		workingset_age_nonresident(c, 2);
		r->aged += 2;
		memcg_put(c);
		memcg_put(top);
		mem_cgroup_release_pending(e);
	}
	return NULL;
}

static long age(struct mem_cgroup *m)
{
	return atomic_load(&m->lruvec.nonresident_age);
}

static void test_workingset_age_threads(void **state)
{
	struct evictor v[NR_EVICTORS];
	struct memcg_config cfg;
	struct world w = { 0 };
	struct remover r = { &w, 0 };
	pthread_t remover;
	long below_p = 0, owed_root = 0, owed_p = 0;
	unsigned cpu;
	char path[32];
	int i;

	(void)state;
	w.seed = test_seed("test_workingset_age_threads", 0xa6eba7c4);
	memcg_config_init(&cfg);
	cfg.memory_bytes = 16 << 20;
	cfg.dataless = true;
	assert_int_equal(cfg.nonresident_age, MEMCG_AGE_BATCH);
	assert_int_equal(memcg_engine_create(&cfg, &w.e), 0);
	assert_int_equal(memcg_mkdir(w.e, "p", &w.p), 0);
	for (i = 0; i < NR_EVICTORS; i++) {
		snprintf(path, sizeof(path), "p/t%d", i);
		assert_int_equal(memcg_mkdir(w.e, path, &w.t[i]), 0);
	}
	for (i = 0; i < NR_EVICTORS; i++) {
		v[i] = (struct evictor){ .w = &w, .idx = i,
					 .rng = w.seed + (uint64_t)i };
		assert_int_equal(pthread_create(&v[i].tid, NULL, evictor_fn,
						&v[i]), 0);
	}
	assert_int_equal(pthread_create(&remover, NULL, remover_fn, &r), 0);
	for (i = 0; i < NR_EVICTORS; i++) {
		pthread_join(v[i].tid, NULL);
		below_p += v[i].aged;
	}
	pthread_join(remover, NULL);

	/* one more on this thread's CPU: a batch owes something */
	workingset_age_nonresident(w.t[0], 5);
	below_p += 5;
	for (cpu = 0; cpu < w.e->nr_cpus; cpu++) {
		struct memcg_age_batch *b = &w.e->cpus[cpu].age;

		if (!b->parent)
			continue;
		owed_root += b->pending;
		if (mem_cgroup_is_descendant(b->parent, w.p))
			owed_p += b->pending;
	}
	print_message("owed before the drain: root %ld, p %ld\n", owed_root,
		      owed_p);
	assert_int_equal(age(w.p), below_p - owed_p);
	assert_int_equal(age(w.e->root), below_p + r.aged - owed_root);
	memcg_drain_all_stock(w.e->root);
	assert_int_equal(age(w.p), below_p);
	assert_int_equal(age(w.e->root), below_p + r.aged);
	for (cpu = 0; cpu < w.e->nr_cpus; cpu++)
		assert_null(w.e->cpus[cpu].age.parent);
	mem_cgroup_release_pending(w.e);
	assert_int_equal(atomic_load(&w.e->nr_memcgs), 2 + NR_EVICTORS);
	for (i = 0; i < NR_EVICTORS; i++)
		memcg_put(w.t[i]);
	memcg_put(w.p);
	memcg_engine_destroy(w.e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workingset_age_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
