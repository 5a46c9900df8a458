// SPDX-License-Identifier: MIT
/*
 * rstat (src/core/rstat.c): which cgroups an update links and a flush
 * visits, subtree flushes and the parents' pending deltas, the kernel's
 * threshold, the periodic flush on the engine clock, a released cgroup's
 * deltas reaching its parent, and updates made without the CPU lock.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/rstat.h"
#include "memcg/hooks.h"

#include "audit.h"
#include "fixture.h"

#define NR_CPUS 2
#define NR_SIBLINGS 20

static struct memcg_engine *engine_new(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64 << 20);
	cfg.nr_cpus = NR_CPUS;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	return e;
}

static struct mem_cgroup *mkdir_get(struct memcg_engine *e, const char *path)
{
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, path, &m), 0);
	return m;
}

static bool linked(struct mem_cgroup *m, unsigned slot)
{
	return atomic_load(&m->rstat_cpu[slot].updated_next) != NULL;
}

/* the flushed value, no flush: the sums, or a leaf's slots (rstat.h) */
static long flushed(struct mem_cgroup *m, enum memcg_stat_item idx)
{
	long v;

	memcg_vmstats_read(m, &idx, 1, &v);
	return v;
}

/* a parent's deltas from its children, not yet in its sums */
static long pending(struct mem_cgroup *m, enum memcg_stat_item idx)
{
	return atomic_load(&m->vmstats->sums)->state_pending[idx];
}

static unsigned long visited(struct memcg_engine *e)
{
	return atomic_load(&e->rstat->nr_visited);
}

static void destroy(struct memcg_engine *e)
{
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
	memcg_set_cpu(-1);
}

/* An update links its cgroup and ancestors on its CPU only; a flush of
 * the root visits exactly those, not the 20 siblings. */
static void test_flush_visits_changed(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e), *a, *b, *c, *sib[NR_SIBLINGS];
	unsigned long before;
	char name[16];
	int i;

	(void)state;
	a = mkdir_get(e, "a");
	b = mkdir_get(e, "a/b");
	c = mkdir_get(e, "a/b/c");
	for (i = 0; i < NR_SIBLINGS; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		sib[i] = mkdir_get(e, name);
		mod_memcg_state(sib[i], MEMCG_PGFAULT, 1);
	}
	css_rstat_flush(root);
	assert_false(linked(root, 0));
	before = visited(e);

	memcg_set_cpu(1);
	mod_memcg_state(c, MEMCG_PGFAULT, 3);
	memcg_set_cpu(0);
	assert_true(linked(c, 1) && linked(b, 1) && linked(a, 1) &&
		    linked(root, 1));
	assert_false(linked(c, 0) || linked(root, 0) || linked(sib[0], 1));
	css_rstat_flush(root);
	assert_int_equal(visited(e) - before, 4);
	assert_false(linked(c, 1) || linked(root, 1));
	assert_int_equal(memcg_page_state(root, MEMCG_PGFAULT), NR_SIBLINGS + 3);
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 3);
	assert_int_equal(memcg_page_state(c, MEMCG_PGFAULT), 3);
	assert_int_equal(memcg_page_state(sib[3], MEMCG_PGFAULT), 1);

	/* nothing changed: a read visits nothing */
	before = visited(e);
	assert_int_equal(memcg_page_state(root, MEMCG_PGFAULT), NR_SIBLINGS + 3);
	assert_int_equal(visited(e), before);

	memcg_put(a);
	memcg_put(b);
	memcg_put(c);
	for (i = 0; i < NR_SIBLINGS; i++)
		memcg_put(sib[i]);
	destroy(e);
}

/* A flush of b leaves a on the tree with b's delta pending; a flush of
 * the root takes it. */
static void test_subtree_flush(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e), *a, *b, *c;

	(void)state;
	a = mkdir_get(e, "a");
	b = mkdir_get(e, "a/b");
	c = mkdir_get(e, "a/b/c");
	css_rstat_flush(root);
	mod_memcg_state(c, MEMCG_PGMAJFAULT, 5);
	mod_memcg_state(a, MEMCG_PGMAJFAULT, 2);
	css_rstat_flush(b);
	assert_int_equal(flushed(c, MEMCG_PGMAJFAULT), 5);
	assert_int_equal(flushed(b, MEMCG_PGMAJFAULT), 5);
	assert_int_equal(flushed(a, MEMCG_PGMAJFAULT), 0);
	assert_int_equal(pending(a, MEMCG_PGMAJFAULT), 5);
	assert_true(linked(a, 0) && linked(root, 0));
	assert_false(linked(b, 0) || linked(c, 0));
	assert_int_equal(a->rstat_cpu[0].updated_children, a);

	css_rstat_flush(root);
	assert_int_equal(flushed(a, MEMCG_PGMAJFAULT), 7);
	assert_int_equal(flushed(root, MEMCG_PGMAJFAULT), 7);
	assert_int_equal(pending(a, MEMCG_PGMAJFAULT), 0);
	memcg_put(a);
	memcg_put(b);
	memcg_put(c);
	destroy(e);
}

/*
 * The kernel's gate: each CPU hands its count to the cgroup every
 * MEMCG_CHARGE_BATCH updates; a read flushes once the count passes
 * MEMCG_CHARGE_BATCH * nr_cpus (128 here), so after 191 updates it is
 * stale and after 192 exact.
 */
static void test_threshold(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e), *a;
	int i;

	(void)state;
	a = mkdir_get(e, "a");
	css_rstat_flush(root);
	e->stats_kernel_flush = true;
	assert_int_equal(memcg_rstat_threshold(e), MEMCG_CHARGE_BATCH * NR_CPUS);
	for (i = 0; i < 191; i++)
		mod_memcg_state(a, MEMCG_PGFAULT, 1);
	assert_false(memcg_vmstats_needs_flush(a));
	assert_int_equal(atomic_load(&a->vmstats->stats_updates), 128);
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 0);
	assert_int_equal(memcg_page_state(root, MEMCG_PGFAULT), 0);
	mod_memcg_state(a, MEMCG_PGFAULT, 1);
	assert_true(memcg_vmstats_needs_flush(a));
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 192);
	assert_int_equal(atomic_load(&a->vmstats->stats_updates), 0);
	/* the root's count was its own: a flush of a does not reset it */
	assert_true(memcg_vmstats_needs_flush(root));
	assert_int_equal(memcg_page_state(root, MEMCG_PGFAULT), 192);

	/* a big update counts by its size */
	mod_memcg_state(a, MEMCG_PGFAULT, 200);
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 392);
	e->stats_kernel_flush = false;
	memcg_put(a);
	destroy(e);
}

static uint64_t fake_now;

static uint64_t fake_now_ns(void *priv)
{
	(void)priv;
	return fake_now;
}

static void fake_sleep_ns(void *priv, uint64_t ns)
{
	(void)priv;
	fake_now += ns;
}

static const struct memcg_clock_ops fake_clock = {
	.now_ns = fake_now_ns,
	.sleep_ns = fake_sleep_ns,
};

/* The periodic flush runs on the engine clock, from the charge path. */
static void test_periodic(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e), *a;
	struct folio *f[2 * MEMCG_CHARGE_BATCH + 1];
	unsigned long flushes;
	size_t i;

	(void)state;
	fake_now = 0;
	assert_int_equal(memcg_set_clock(e, &fake_clock, NULL), 0);
	a = mkdir_get(e, "a");
	css_rstat_flush(root);
	e->stats_kernel_flush = true;
	mod_memcg_state(a, MEMCG_PGFAULT, 9);

	memcg_rstat_periodic(e);	/* 0 s since the last root flush */
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 0);
	fake_now = MEMCG_FLUSH_TIME_NS - 1;
	memcg_rstat_periodic(e);
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 0);
	fake_now = MEMCG_FLUSH_TIME_NS;
	memcg_rstat_periodic(e);
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 9);
	assert_int_equal(flushed(root, MEMCG_PGFAULT), 9);
	assert_int_equal(atomic_load(&e->rstat->last_flush_ns),
			 MEMCG_FLUSH_TIME_NS);

	/* from the charge path: every stock refill looks at the clock */
	mod_memcg_state(a, MEMCG_PGFAULT, 1);
	fake_now = 2 * MEMCG_FLUSH_TIME_NS;
	flushes = atomic_load(&e->rstat->nr_flushes);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		f[i] = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		assert_non_null(f[i]);
		assert_int_equal(memcg_charge(e, f[i], a, MEMCG_GFP_KERNEL), 0);
	}
	assert_int_equal(atomic_load(&e->rstat->nr_flushes), flushes + 1);
	assert_int_equal(atomic_load(&e->rstat->last_flush_ns),
			 2 * MEMCG_FLUSH_TIME_NS);
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 10);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		memcg_folio_put(e, f[i]);
	e->stats_kernel_flush = false;
	memcg_put(a);
	destroy(e);
}

/* A released cgroup's deltas, on any CPU, reach its parent. */
static void test_released(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e), *a, *b;

	(void)state;
	a = mkdir_get(e, "a");
	b = mkdir_get(e, "a/b");
	css_rstat_flush(root);
	memcg_set_cpu(1);
	mod_memcg_state(b, MEMCG_PGFAULT, 7);
	memcg_set_cpu(0);
	mod_memcg_state(b, MEMCG_PGMAJFAULT, 2);
	assert_int_equal(memcg_rmdir(e, "a/b"), 0);
	memcg_put(b);
	mem_cgroup_release_pending(e);
	assert_int_equal(atomic_load(&e->nr_memcgs), 2);

	/* its last flush left the deltas with a, still on both trees */
	assert_int_equal(pending(a, MEMCG_PGFAULT), 7);
	assert_int_equal(pending(a, MEMCG_PGMAJFAULT), 2);
	assert_true(linked(a, 0) && linked(a, 1));
	assert_ptr_equal(a->rstat_cpu[1].updated_children, a);
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 7);
	assert_int_equal(memcg_page_state(root, MEMCG_PGMAJFAULT), 2);
	assert_int_equal(atomic_load(&a->stat_dead[MEMCG_PGFAULT]), 7);
	memcg_put(a);
	destroy(e);
}

/*
 * An update made without the CPU lock goes to the cgroup's shared counter
 * and straight to the sums of every level: no slot, nothing to flush.
 */
static void test_shared_update(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e), *a;
	unsigned long v0;

	(void)state;
	a = mkdir_get(e, "a");
	css_rstat_flush(root);
	memcg_cpu_lock(e, 0);
	mod_memcg_state(a, MEMCG_PGFAULT, 4);
	memcg_cpu_unlock(e, 0);
	assert_int_equal(atomic_load(&a->stat_shared[MEMCG_PGFAULT]), 4);
	assert_false(linked(a, 0) || linked(a, 1) || linked(root, 0));
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 4);
	assert_int_equal(flushed(root, MEMCG_PGFAULT), 4);
	v0 = visited(e);
	assert_int_equal(memcg_page_state(root, MEMCG_PGFAULT), 4);
	assert_int_equal(visited(e), v0);
	memcg_put(a);
	destroy(e);
}

static struct memcg_vmstats_sums *sums_of(struct mem_cgroup *m)
{
	return atomic_load(&m->vmstats->sums);
}

/*
 * A leaf has no sums: its flushed value is its slots' prev[] plus its
 * shared counter, stale between flushes exactly as sums would be. Its
 * first child gives it sums holding that value, less the shared counter;
 * they stay after the child's rmdir.
 */
static void test_leaf_sums(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e), *a, *b;

	(void)state;
	a = mkdir_get(e, "a");
	assert_null(sums_of(a));
	assert_non_null(sums_of(root));
	mod_memcg_state(a, MEMCG_PGFAULT, 3);
	memcg_set_cpu(1);
	mod_memcg_state(a, MEMCG_PGFAULT, 4);
	css_rstat_flush(root);
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 7);
	mod_memcg_state(a, MEMCG_PGFAULT, 5);	/* not flushed */
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 7);
	mod_memcg_state_shared(a, MEMCG_PGFAULT, 2);
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 9);
	assert_int_equal(flushed(root, MEMCG_PGFAULT), 9);
	memcg_set_cpu(0);

	/* the first child: sums from prev[], the same value read */
	b = mkdir_get(e, "a/b");
	assert_non_null(sums_of(a));
	assert_int_equal(atomic_load(&sums_of(a)->state[MEMCG_PGFAULT]), 7);
	assert_int_equal(flushed(a, MEMCG_PGFAULT), 9);
	mod_memcg_state_shared(a, MEMCG_PGFAULT, 1);	/* not into a's sums */
	assert_int_equal(atomic_load(&sums_of(a)->state[MEMCG_PGFAULT]), 7);
	mod_memcg_state(b, MEMCG_PGFAULT, 6);
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 21);
	assert_int_equal(memcg_page_state(b, MEMCG_PGFAULT), 6);
	assert_int_equal(memcg_page_state(root, MEMCG_PGFAULT), 21);

	/* the last child goes: the sums stay, with its share */
	assert_int_equal(memcg_rmdir(e, "a/b"), 0);
	memcg_put(b);
	mem_cgroup_release_pending(e);
	assert_non_null(sums_of(a));
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 21);
	assert_int_equal(atomic_load(&a->stat_dead[MEMCG_PGFAULT]), 6);
	memcg_put(a);
	destroy(e);
}

/* The root too is a leaf until its first mkdir. */
static void test_root_leaf(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e);

	(void)state;
	assert_null(sums_of(root));
	mod_memcg_state(root, MEMCG_PGMAJFAULT, 4);
	mod_memcg_state_shared(root, MEMCG_PGMAJFAULT, 1);
	assert_int_equal(memcg_page_state(root, MEMCG_PGMAJFAULT), 5);
	assert_int_equal(memcg_mkdir(e, "a", NULL), 0);
	assert_non_null(sums_of(root));
	assert_int_equal(atomic_load(&sums_of(root)->state[MEMCG_PGMAJFAULT]),
			 4);
	assert_int_equal(memcg_page_state(root, MEMCG_PGMAJFAULT), 5);
	destroy(e);
}

/*
 * With the kernel's flush (stats_kernel_flush), a leaf read below the
 * threshold is as stale as the kernel's, from prev[], not the counters.
 */
static void test_leaf_kernel_flush(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *root = memcg_root(e), *a = mkdir_get(e, "a");

	(void)state;
	e->stats_kernel_flush = true;
	mod_memcg_state(a, MEMCG_PGFAULT, 10);
	css_rstat_flush(root);
	mod_memcg_state(a, MEMCG_PGFAULT, 1);
	assert_false(memcg_vmstats_needs_flush(a));
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 10);
	assert_int_equal(memcg_page_state_local(a, MEMCG_PGFAULT), 11);
	e->stats_kernel_flush = false;
	assert_int_equal(memcg_page_state(a, MEMCG_PGFAULT), 11);
	memcg_put(a);
	destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flush_visits_changed),
		cmocka_unit_test(test_subtree_flush),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_periodic),
		cmocka_unit_test(test_released),
		cmocka_unit_test(test_shared_update),
		cmocka_unit_test(test_leaf_sums),
		cmocka_unit_test(test_root_leaf),
		cmocka_unit_test(test_leaf_kernel_flush),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
