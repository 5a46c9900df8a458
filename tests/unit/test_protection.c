// SPDX-License-Identifier: MIT
/*
 * Effective protection (page_counter_calculate_protection): unit cases of
 * the formula, then a port of the kernel selftests' memcg_protection.m
 * model run on real page_counters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/page_counter.h"

#define MB(x) ((long)(x) * 256)	/* pages in x MiB */

#define assert_long_equal(a, b)						\
	do {								\
		long a_ = (a), b_ = (b);				\
		if (a_ != b_)						\
			fail_msg("%s == %ld, expected %ld", #a, a_, b_); \
	} while (0)

static long rd(atomic_long *v)
{
	return atomic_load(v);
}

/* root <- p <- kids[n]: the usual shape; root is the reclaim target. */
struct tree {
	struct page_counter_prot root, p, kids[4];
	int n;
};

static void tree_init(struct tree *t, int n)
{
	int i;

	t->n = n;
	page_counter_init_prot(&t->root, NULL, true);
	page_counter_init_prot(&t->p, &t->root, true);
	for (i = 0; i < n; i++)
		page_counter_init_prot(&t->kids[i], &t->p, true);
}

/* The top-down walk reclaim does: target first, then p, then p's kids. */
static void tree_calc(struct tree *t, bool recursive)
{
	int i;

	page_counter_calculate_protection(&t->root, &t->root, recursive);
	page_counter_calculate_protection(&t->root, &t->p, recursive);
	for (i = 0; i < t->n; i++)
		page_counter_calculate_protection(&t->root, &t->kids[i],
						  recursive);
}

static void test_parent_is_root(void **state)
{
	struct tree t;

	tree_init(&t, 0);
	page_counter_set_min(&t.p, 10);
	page_counter_set_low(&t.p, 20);
	page_counter_charge(&t.p.counter, 5);
	tree_calc(&t, false);
	/* The setting as is, even above usage. */
	assert_long_equal(rd(&t.p.emin), 10);
	assert_long_equal(rd(&t.p.elow), 20);

	page_counter_set_low(&t.p, PAGE_COUNTER_MAX);
	tree_calc(&t, true);
	assert_long_equal(rd(&t.p.elow), PAGE_COUNTER_MAX);
}

static void test_root_ignored(void **state)
{
	struct tree t;

	tree_init(&t, 1);
	page_counter_set_min(&t.root, 100);
	page_counter_charge(&t.kids[0].counter, 50);
	atomic_store(&t.root.emin, 7);
	atomic_store(&t.root.elow, 9);
	tree_calc(&t, true);
	assert_long_equal(rd(&t.root.emin), 7);
	assert_long_equal(rd(&t.root.elow), 9);

	/* p is the target now: its protection is ignored, kids see stale. */
	page_counter_set_min(&t.p, 40);
	page_counter_set_min(&t.kids[0], 40);
	atomic_store(&t.p.emin, 3);
	page_counter_calculate_protection(&t.p, &t.p, false);
	page_counter_calculate_protection(&t.p, &t.kids[0], false);
	assert_long_equal(rd(&t.p.emin), 3);
	/* kids[0]'s parent is the target: its own setting applies. */
	assert_long_equal(rd(&t.kids[0].emin), 40);
}

static void test_usage_zero_keeps_stale(void **state)
{
	struct tree t;

	tree_init(&t, 2);
	page_counter_set_low(&t.p, 30);
	page_counter_set_low(&t.kids[0], 100);
	page_counter_charge(&t.kids[0].counter, 20);
	tree_calc(&t, false);
	assert_long_equal(rd(&t.kids[0].elow), 20);

	page_counter_uncharge(&t.kids[0].counter, 20);
	page_counter_set_low(&t.kids[0], 0);
	tree_calc(&t, false);
	assert_long_equal(rd(&t.kids[0].elow), 20);

	/* p has no usage either now: stale too. */
	page_counter_set_low(&t.p, 0);
	tree_calc(&t, false);
	assert_long_equal(rd(&t.p.elow), 30);
	/* An empty sibling never gets computed. */
	assert_long_equal(rd(&t.kids[1].elow), 0);
}

/* Children claim more than the parent has: proportional to use. */
static void test_overcommit_proportional(void **state)
{
	struct tree t;

	tree_init(&t, 3);
	page_counter_set_min(&t.p, 30);
	page_counter_set_min(&t.kids[0], 40);
	page_counter_set_min(&t.kids[1], 60);	/* claims 60, uses 20 */
	page_counter_set_min(&t.kids[2], 0);
	page_counter_charge(&t.kids[0].counter, 50);	/* protected 40 */
	page_counter_charge(&t.kids[1].counter, 20);	/* protected 20 */
	page_counter_charge(&t.kids[2].counter, 10);
	assert_long_equal(rd(&t.p.children_min_usage), 60);

	tree_calc(&t, false);
	assert_long_equal(rd(&t.p.emin), 30);
	assert_long_equal(rd(&t.kids[0].emin), 40 * 30 / 60);
	assert_long_equal(rd(&t.kids[1].emin), 20 * 30 / 60);
	assert_long_equal(rd(&t.kids[2].emin), 0);

	/* Recursive changes nothing when nothing is left to float. */
	tree_calc(&t, true);
	assert_long_equal(rd(&t.kids[0].emin), 20);
	assert_long_equal(rd(&t.kids[1].emin), 10);
	assert_long_equal(rd(&t.kids[2].emin), 0);

	/* Integer division rounds down, like the kernel's. */
	page_counter_set_min(&t.p, 31);
	tree_calc(&t, false);
	assert_long_equal(rd(&t.kids[0].emin), 40 * 31 / 60);
	assert_long_equal(rd(&t.kids[1].emin), 20 * 31 / 60);
}

/* Undercommitted: each keeps its own claim; recursive floats the rest. */
static void test_undercommit_and_floating(void **state)
{
	struct tree t;

	tree_init(&t, 2);
	page_counter_set_low(&t.p, 100);
	page_counter_set_low(&t.kids[0], 40);
	page_counter_charge(&t.kids[0].counter, 50);
	page_counter_charge(&t.kids[1].counter, 50);

	tree_calc(&t, false);
	assert_long_equal(rd(&t.kids[0].elow), 40);
	assert_long_equal(rd(&t.kids[1].elow), 0);
	/* min is independent of low. */
	assert_long_equal(rd(&t.kids[0].emin), 0);

	/*
	 * 60 unclaimed pages go by unprotected usage: 10 and 50 of the
	 * parent's 100 - 40 = 60 unprotected pages.
	 */
	tree_calc(&t, true);
	assert_long_equal(rd(&t.kids[0].elow), 40 + 60 * 10 / 60);
	assert_long_equal(rd(&t.kids[1].elow), 60 * 50 / 60);
}

/* Floating protection flows down levels that claim nothing. */
static void test_recursive_deep(void **state)
{
	struct page_counter_prot root, p, q, l;

	page_counter_init_prot(&root, NULL, true);
	page_counter_init_prot(&p, &root, true);
	page_counter_init_prot(&q, &p, true);
	page_counter_init_prot(&l, &q, true);
	page_counter_set_low(&p, 100);
	page_counter_charge(&l.counter, 80);

	page_counter_calculate_protection(&root, &p, true);
	page_counter_calculate_protection(&root, &q, true);
	page_counter_calculate_protection(&root, &l, true);
	assert_long_equal(rd(&q.elow), 100);
	assert_long_equal(rd(&l.elow), 100);

	page_counter_calculate_protection(&root, &q, false);
	page_counter_calculate_protection(&root, &l, false);
	assert_long_equal(rd(&q.elow), 0);
	assert_long_equal(rd(&l.elow), 0);
}

/*
 * low = "max" on the parent: (peff - sibs) * unprotected usage needs more
 * than 64 bits. The kernel's unsigned long math wraps here; ours doesn't.
 */
static void test_recursive_huge_parent(void **state)
{
	struct tree t;

	tree_init(&t, 2);
	page_counter_set_low(&t.p, PAGE_COUNTER_MAX);
	page_counter_charge(&t.kids[0].counter, 1L << 20);
	page_counter_charge(&t.kids[1].counter, 1L << 20);
	tree_calc(&t, true);
	assert_long_equal(rd(&t.kids[0].elow), PAGE_COUNTER_MAX / 2);
	assert_long_equal(rd(&t.kids[1].elow), PAGE_COUNTER_MAX / 2);
	/* Still "fully protected". */
	assert_true(rd(&t.kids[0].elow) >= page_counter_read(&t.kids[0].counter));
}

/* Mirrors mem_cgroup_below_min/low: the reclaim decision. */
static void test_below_min_low(void **state)
{
	struct tree t;

	tree_init(&t, 2);
	page_counter_set_min(&t.p, 100);
	page_counter_set_min(&t.kids[0], 100);
	page_counter_charge(&t.kids[0].counter, 30);
	page_counter_charge(&t.kids[1].counter, 30);
	tree_calc(&t, false);
	assert_true(rd(&t.kids[0].emin) >= page_counter_read(&t.kids[0].counter));
	assert_false(rd(&t.kids[1].emin) >= page_counter_read(&t.kids[1].counter));
}

/*
 * memcg_protection.m on page_counters. A (reclaim target) -> B (50M) ->
 * C (75M), D (25M), E (0), F (500M); C, D, E use 50M each. Every round
 * recomputes the effective protection e and reclaims from each child
 *   r = 0.1 * c * (1 - e / max(e, c)),  at least SWAP_CLUSTER_MAX pages,
 * all children "in parallel", until nothing is left to reclaim.
 */
#define MODEL_KIDS 4
#define SWAP_CLUSTER_MAX 32	/* pages: the model's 128 KiB */
/* The model's epsilon, 1e-7 GiB, in pages. */
#define MODEL_EPS (1e-7 * (1 << 18))

struct model {
	struct page_counter_prot a, b, kid[MODEL_KIDS];
	int steps;
};

static const long model_prot[MODEL_KIDS] = { MB(75), MB(25), 0, MB(500) };
static const long model_use[MODEL_KIDS] = { MB(50), MB(50), MB(50), 0 };

static void model_init(struct model *m, bool use_min)
{
	void (*set)(struct page_counter_prot *, long) =
		use_min ? page_counter_set_min : page_counter_set_low;
	int i;

	page_counter_init_prot(&m->a, NULL, true);
	page_counter_init_prot(&m->b, &m->a, true);
	set(&m->b, MB(50));
	for (i = 0; i < MODEL_KIDS; i++) {
		page_counter_init_prot(&m->kid[i], &m->b, true);
		set(&m->kid[i], model_prot[i]);
		if (model_use[i])
			page_counter_charge(&m->kid[i].counter, model_use[i]);
	}
	m->steps = 0;
}

static long model_eff(struct model *m, int i, bool use_min)
{
	return rd(use_min ? &m->kid[i].emin : &m->kid[i].elow);
}

/* One round; returns false once converged (the model's max(r) < eps). */
static bool model_step(struct model *m, bool use_min, bool recursive)
{
	double r[MODEL_KIDS], rmax = 0;
	int i;

	page_counter_calculate_protection(&m->a, &m->b, recursive);
	for (i = 0; i < MODEL_KIDS; i++)
		page_counter_calculate_protection(&m->a, &m->kid[i], recursive);

	for (i = 0; i < MODEL_KIDS; i++) {
		double c = (double)page_counter_read(&m->kid[i].counter);
		double e = (double)model_eff(m, i, use_min);
		double sz = e > c ? e : c;

		r[i] = 0.1 * c * (1 - (e + MODEL_EPS) / (sz + MODEL_EPS));
		if (r[i] > rmax)
			rmax = r[i];
	}
	m->steps++;
	if (rmax < MODEL_EPS)
		return false;

	for (i = 0; i < MODEL_KIDS; i++) {
		long c = page_counter_read(&m->kid[i].counter);
		long nr = 0;

		if (r[i] > MODEL_EPS)
			nr = r[i] < SWAP_CLUSTER_MAX ? SWAP_CLUSTER_MAX
						     : (long)(r[i] + 0.5);
		if (nr > c)
			nr = c;
		if (nr)
			page_counter_uncharge(&m->kid[i].counter, nr);
	}
	return true;
}

static void model_run(struct model *m, bool use_min, bool recursive)
{
	model_init(m, use_min);
	while (model_step(m, use_min, recursive))
		assert_true(m->steps < 1000);	/* the model's timeout */
	print_message("%s, recursive %s: %d steps, C %.3fM D %.3fM E %.3fM F %.3fM; e: C %.3fM D %.3fM E %.3fM\n",
		      use_min ? "min" : "low", recursive ? "on" : "off",
		      m->steps,
		      page_counter_read(&m->kid[0].counter) / 256.0,
		      page_counter_read(&m->kid[1].counter) / 256.0,
		      page_counter_read(&m->kid[2].counter) / 256.0,
		      page_counter_read(&m->kid[3].counter) / 256.0,
		      model_eff(m, 0, use_min) / 256.0,
		      model_eff(m, 1, use_min) / 256.0,
		      model_eff(m, 2, use_min) / 256.0);
}

/* Within 0.5% or 64 KiB, whichever is larger. */
static void assert_close_mb(const char *what, long pages, double want_mb)
{
	double want = want_mb * 256, tol = want * 0.005;
	double diff = (double)pages - want;

	if (tol < 16)
		tol = 16;
	if (diff > tol || -diff > tol)
		fail_msg("%s: %ld pages (%.3fM), expected %.3fM", what, pages,
			 pages / 256.0, want_mb);
}

/* The reference: 45 steps to C=28.78M, D=21.05M, E=0.13M, F=0. */
static void check_model_reference(struct model *m, bool use_min)
{
	assert_close_mb("C", page_counter_read(&m->kid[0].counter), 28.78);
	assert_close_mb("D", page_counter_read(&m->kid[1].counter), 21.05);
	assert_close_mb("E", page_counter_read(&m->kid[2].counter), 0.13);
	assert_long_equal(page_counter_read(&m->kid[3].counter), 0);
	/* e equals c where the claim is used up; E is fully protected. */
	assert_close_mb("e(C)", model_eff(m, 0, use_min), 28.78);
	assert_close_mb("e(D)", model_eff(m, 1, use_min), 21.05);
	assert_true(model_eff(m, 2, use_min) >= page_counter_read(&m->kid[2].counter));
	/* B is where the selftest expects it: 50M, within 3%. */
	assert_close_mb("B", page_counter_read(&m->b.counter), 49.96);
	assert_int_equal(m->steps, 45);
}

static void test_model_min_recursive(void **state)
{
	struct model m;

	model_run(&m, true, true);
	check_model_reference(&m, true);
}

static void test_model_low_recursive(void **state)
{
	struct model m;

	model_run(&m, false, true);
	check_model_reference(&m, false);
}

/*
 * Without memory_recursiveprot, C and D end the same, but nothing floats
 * to E, which is reclaimed to 0: the reference's E=0.13M needs the
 * recursive term.
 */
static void test_model_not_recursive(void **state)
{
	struct model m;
	int use_min;

	for (use_min = 0; use_min < 2; use_min++) {
		model_run(&m, use_min, false);
		assert_close_mb("C", page_counter_read(&m.kid[0].counter), 28.78);
		assert_close_mb("D", page_counter_read(&m.kid[1].counter), 21.05);
		assert_long_equal(page_counter_read(&m.kid[2].counter), 0);
		assert_long_equal(page_counter_read(&m.kid[3].counter), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parent_is_root),
		cmocka_unit_test(test_root_ignored),
		cmocka_unit_test(test_usage_zero_keeps_stale),
		cmocka_unit_test(test_overcommit_proportional),
		cmocka_unit_test(test_undercommit_and_floating),
		cmocka_unit_test(test_recursive_deep),
		cmocka_unit_test(test_recursive_huge_parent),
		cmocka_unit_test(test_below_min_low),
		cmocka_unit_test(test_model_min_recursive),
		cmocka_unit_test(test_model_low_recursive),
		cmocka_unit_test(test_model_not_recursive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
