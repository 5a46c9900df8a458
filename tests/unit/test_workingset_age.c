// SPDX-License-Identifier: MIT
/*
 * memcg_config.nonresident_age: MEMCG_AGE_KERNEL ages a cgroup and every
 * ancestor at once, as the kernel's workingset_age_nonresident();
 * MEMCG_AGE_BATCH ages the cgroup at once and owes its ancestors through
 * a per-CPU batch. Against a model of the kernel's ages, over random
 * agings on four CPUs: the kernel policy is exact; under the batch an
 * ancestor lags by exactly what the CPUs' batches owe it, at most
 * nr_cpus x (WORKINGSET_AGE_BATCH - 1) pages, a cgroup without
 * descendants never lags, a drain catches every age up, and an eviction
 * on one CPU reads the kernel's age. A removed cgroup is left in no
 * CPU's batch (under ASan, a use after its release would be caught).
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
#include "seed.h"
#include "mm/workingset.h"

#define NR_CPUS 4
#define NR_CG 6
#define NR_OPS 4000
#define AGE_MASK ((1ULL << 46) - 1)	/* a shadow's age bits */

/* root, P, P/A, P/A/x, P/B, Q; parent indices */
static const char *const paths[NR_CG] = { NULL, "P", "P/A", "P/A/x", "P/B", "Q" };
static const int parent_of[NR_CG] = { -1, 0, 1, 2, 1, 0 };

struct tree {
	struct memcg_engine *e;
	struct mem_cgroup *cg[NR_CG];
	long model[NR_CG];	/* the kernel's ages */
	uint64_t rng;
};

static void tree_new(struct tree *t, enum memcg_nonresident_age policy)
{
	struct memcg_config cfg;
	int i;

	memset(t, 0, sizeof(*t));
	t->rng = 0x9e3779b97f4a7c15ULL;
	test_config_init(&cfg, 16UL << 20);
	cfg.nr_cpus = NR_CPUS;
	cfg.nonresident_age = policy;
	assert_int_equal(memcg_engine_create(&cfg, &t->e), 0);
	memcg_set_cpu(0);
	t->cg[0] = t->e->root;
	for (i = 1; i < NR_CG; i++)
		assert_int_equal(memcg_mkdir(t->e, paths[i], &t->cg[i]), 0);
}

static void tree_free(struct tree *t)
{
	int i;

	memcg_set_cpu(0);
	for (i = 1; i < NR_CG; i++)
		memcg_put(t->cg[i]);
	memcg_engine_destroy(t->e);
}

static long age(struct tree *t, int i)
{
	return atomic_load(&t->cg[i]->lruvec.nonresident_age);
}

/* What the kernel adds for @nr pages aged at @i. */
static void model_age(struct tree *t, int i, long nr)
{
	for (; i >= 0; i = parent_of[i])
		t->model[i] += nr;
}

static bool chain_passes(struct tree *t, struct mem_cgroup *parent, int i)
{
	return parent && mem_cgroup_is_descendant(parent, t->cg[i]);
}

/*
 * Every cgroup's age is the model's less what the batches owe it, each
 * batch under WORKINGSET_AGE_BATCH; a cgroup no chain passes is exact.
 */
static void check_ages(struct tree *t)
{
	int i, cpu;

	for (i = 0; i < NR_CG; i++) {
		long owed = 0;

		for (cpu = 0; cpu < NR_CPUS; cpu++) {
			struct memcg_age_batch *b = &t->e->cpus[cpu].age;

			assert_true(b->pending >= 0 &&
				    b->pending < WORKINGSET_AGE_BATCH);
			if (chain_passes(t, b->parent, i))
				owed += b->pending;
		}
		assert_int_equal(age(t, i), t->model[i] - owed);
		assert_true(owed <= NR_CPUS * (WORKINGSET_AGE_BATCH - 1));
	}
}

/* A random cgroup below the root, a random CPU, 1-3 pages or a huge 512. */
static void random_age(struct tree *t)
{
	int i = 1 + (int)(test_rnd(&t->rng) % (NR_CG - 1));
	long nr = test_rnd(&t->rng) % 8 ? 1 + (long)(test_rnd(&t->rng) % 3) : 512;

	memcg_set_cpu((int)(test_rnd(&t->rng) % NR_CPUS));
	workingset_age_nonresident(t->cg[i], nr);
	model_age(t, i, nr);
}

static void test_config_checked(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	(void)state;
	memcg_config_init(&cfg);
	assert_int_equal(cfg.nonresident_age, MEMCG_AGE_BATCH);
	cfg.nonresident_age = (enum memcg_nonresident_age)(MEMCG_AGE_KERNEL + 1);
	assert_int_equal(memcg_engine_create(&cfg, &e), -EINVAL);
}

static void test_kernel_exact(void **state)
{
	struct tree t;
	int op, i;

	(void)state;
	tree_new(&t, MEMCG_AGE_KERNEL);
	for (op = 0; op < NR_OPS; op++) {
		random_age(&t);
		for (i = 0; i < NR_CG; i++)
			assert_int_equal(age(&t, i), t.model[i]);
	}
	for (i = 0; i < NR_CPUS; i++)
		assert_null(t.e->cpus[i].age.parent);
	tree_free(&t);
}

static void test_batch_bound(void **state)
{
	long max_lag = 0;
	struct tree t;
	int op, i;

	(void)state;
	tree_new(&t, MEMCG_AGE_BATCH);
	for (op = 0; op < NR_OPS; op++) {
		random_age(&t);
		check_ages(&t);
		/* x, B and Q have no descendants: never behind */
		assert_int_equal(age(&t, 3), t.model[3]);
		assert_int_equal(age(&t, 4), t.model[4]);
		assert_int_equal(age(&t, 5), t.model[5]);
		if (t.model[0] - age(&t, 0) > max_lag)
			max_lag = t.model[0] - age(&t, 0);
	}
	/* the root did lag: the batches were used */
	assert_true(max_lag > 0);
	/* each CPU on one cgroup: the chains stay, the root owes more */
	for (op = 0; op < NR_OPS; op++) {
		static const int sticky[NR_CPUS] = { 3, 4, 5, 2 };
		int cpu = (int)(test_rnd(&t.rng) % NR_CPUS);

		memcg_set_cpu(cpu);
		workingset_age_nonresident(t.cg[sticky[cpu]], 1);
		model_age(&t, sticky[cpu], 1);
		check_ages(&t);
		if (t.model[0] - age(&t, 0) > max_lag)
			max_lag = t.model[0] - age(&t, 0);
	}
	print_message("the root's largest lag: %ld pages\n", max_lag);
	assert_true(max_lag > 2 * WORKINGSET_AGE_BATCH);
	memcg_drain_all_stock(t.e->root);
	for (i = 0; i < NR_CG; i++)
		assert_int_equal(age(&t, i), t.model[i]);
	for (i = 0; i < NR_CPUS; i++)
		assert_null(t.e->cpus[i].age.parent);
	tree_free(&t);
}

/*
 * Agings on every CPU, evictions on CPU 0 only, with the kernel policy's
 * and the batch's engines side by side: on CPU 0 the batch settles what
 * it owes the target before reading, so every shadow's age equals the
 * kernel's less what the other CPUs owe it.
 */
static void test_eviction_reads(void **state)
{
	struct tree k, b;
	struct folio *fk, *fb;
	int op;

	(void)state;
	tree_new(&k, MEMCG_AGE_KERNEL);
	tree_new(&b, MEMCG_AGE_BATCH);
	fk = memcg_folio_alloc(k.e, MEMCG_FOLIO_FILE, 0);
	fb = memcg_folio_alloc(b.e, MEMCG_FOLIO_FILE, 0);
	assert_non_null(fk);
	assert_non_null(fb);
	for (op = 0; op < NR_OPS; op++) {
		int target = (int)(test_rnd(&k.rng) % NR_CG), cpu;
		uint64_t sk, sb;
		long owed = 0;

		b.rng = k.rng;
		random_age(&k);
		random_age(&b);
		memcg_set_cpu(0);
		sk = workingset_eviction(k.e, fk, k.cg[target]);
		sb = workingset_eviction(b.e, fb, b.cg[target]);
		model_age(&k, target, 1);
		model_age(&b, target, 1);
		for (cpu = 1; cpu < NR_CPUS; cpu++)
			if (chain_passes(&b, b.e->cpus[cpu].age.parent, target))
				owed += b.e->cpus[cpu].age.pending;
		assert_int_equal((sk >> 17) & AGE_MASK, (uint64_t)(
				 k.model[target] - 1) & AGE_MASK);
		assert_int_equal((sb >> 17) & AGE_MASK, (uint64_t)(
				 b.model[target] - 1 - owed) & AGE_MASK);
		check_ages(&b);
	}
	memcg_folio_put(k.e, fk);
	memcg_folio_put(b.e, fb);
	tree_free(&k);
	tree_free(&b);
}

/* Every op on CPU 0: the batch's shadows are the kernel's. */
static void test_eviction_one_cpu(void **state)
{
	struct tree k, b;
	struct folio *fk, *fb;
	int op;

	(void)state;
	tree_new(&k, MEMCG_AGE_KERNEL);
	tree_new(&b, MEMCG_AGE_BATCH);
	fk = memcg_folio_alloc(k.e, MEMCG_FOLIO_FILE, 0);
	fb = memcg_folio_alloc(b.e, MEMCG_FOLIO_FILE, 0);
	memcg_set_cpu(0);
	for (op = 0; op < NR_OPS; op++) {
		int i = (int)(test_rnd(&k.rng) % NR_CG);
		long nr = 1 + (long)(test_rnd(&k.rng) % 3);

		if (op % 3) {
			workingset_age_nonresident(k.cg[i], nr);
			workingset_age_nonresident(b.cg[i], nr);
			continue;
		}
		assert_int_equal(workingset_eviction(k.e, fk, k.cg[i]),
				 workingset_eviction(b.e, fb, b.cg[i]));
	}
	memcg_folio_put(k.e, fk);
	memcg_folio_put(b.e, fb);
	tree_free(&k);
	tree_free(&b);
}

/*
 * P/A ages on CPU 1 (P's chain in its batch); removing P/A leaves the
 * chain (P is online), removing P folds it into the root and drops it.
 * A dying cgroup below an offline parent ages the kernel's way and sets
 * no chain. Then P is released; CPU 1 goes on aging elsewhere (a stale
 * chain would fold through freed memory).
 */
static void test_offline_drops_batch(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *p, *a, *q;
	struct memcg_age_batch *b;
	long nr_memcgs;

	(void)state;
	test_config_init(&cfg, 16UL << 20);
	cfg.nr_cpus = 2;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	nr_memcgs = atomic_load(&e->nr_memcgs);
	b = &e->cpus[1].age;
	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "Q", &q), 0);
	memcg_set_cpu(1);
	workingset_age_nonresident(a, 5);
	assert_ptr_equal(b->parent, p);
	assert_int_equal(b->pending, 5);
	assert_int_equal(atomic_load(&e->root->lruvec.nonresident_age), 0);

	memcg_set_cpu(0);
	assert_int_equal(memcg_rmdir(e, "P/A"), 0);
	assert_ptr_equal(b->parent, p);
	assert_int_equal(memcg_rmdir(e, "P"), 0);
	assert_null(b->parent);
	assert_int_equal(atomic_load(&p->lruvec.nonresident_age), 5);
	assert_int_equal(atomic_load(&e->root->lruvec.nonresident_age), 5);

	/* the dying A, its parent offline: at once, no chain */
	memcg_set_cpu(1);
	workingset_age_nonresident(a, 2);
	assert_null(b->parent);
	assert_int_equal(atomic_load(&p->lruvec.nonresident_age), 7);
	assert_int_equal(atomic_load(&e->root->lruvec.nonresident_age), 7);

	memcg_set_cpu(0);
	memcg_put(a);
	memcg_put(p);
	mem_cgroup_release_pending(e);
	rcu_barrier();
	assert_int_equal(atomic_load(&e->nr_memcgs), nr_memcgs + 1);

	memcg_set_cpu(1);
	assert_int_equal(memcg_mkdir(e, "Q/C", &a), 0);
	workingset_age_nonresident(a, 3);
	assert_ptr_equal(b->parent, q);
	workingset_age_nonresident(q, 4);	/* the root's chain: P's dropped */
	assert_ptr_equal(b->parent, e->root);
	memcg_set_cpu(0);
	assert_int_equal(memcg_rmdir(e, "Q/C"), 0);
	assert_int_equal(memcg_rmdir(e, "Q"), 0);
	assert_ptr_equal(b->parent, e->root);
	memcg_put(a);
	memcg_put(q);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_checked),
		cmocka_unit_test(test_kernel_exact),
		cmocka_unit_test(test_batch_bound),
		cmocka_unit_test(test_eviction_reads),
		cmocka_unit_test(test_eviction_one_cpu),
		cmocka_unit_test(test_offline_drops_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
