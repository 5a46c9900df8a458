// SPDX-License-Identifier: MIT
/*
 * MEMCG_UNCHARGE_STOCK: a freed folio's charge goes to this CPU's stock,
 * which drains to the counters once it holds more than MEMCG_CHARGE_BATCH
 * pages. memory.current lags frees by at most a batch per CPU; rmdir,
 * memcg_drain_all_stock() and a charge that meets the limit drain it; an
 * offline cgroup is uncharged directly. The auditor, which counts stocked
 * pages, holds at every step.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"

#define BATCH MEMCG_CHARGE_BATCH
#define MAX_FOLIOS (2 * BATCH + 2)

static struct memcg_engine *engine(unsigned nr_cpus, enum memcg_policy policy)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64UL << 20);
	cfg.nr_cpus = nr_cpus;
	cfg.policy = policy;
	cfg.uncharge = MEMCG_UNCHARGE_STOCK;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	return e;
}

static long usage(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

static long stocked(struct mem_cgroup *m)
{
	return memcg_stock_pages(m->engine, m, NULL);
}

static struct folio *charge(struct memcg_engine *e, struct mem_cgroup *m)
{
	struct folio *f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);

	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, m, MEMCG_GFP_KERNEL), 0);
	return f;
}

static void audit(struct memcg_engine *e, struct mem_cgroup *a,
		  struct mem_cgroup *b)
{
	struct audit_hold h[2] = { { a, 1 }, { b, 1 } };

	assert_int_equal(memcg_audit(e, h, b ? 2 : 1), 0);
}

static void test_config_checked(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	(void)state;
	memcg_config_init(&cfg);
	assert_int_equal(cfg.uncharge, MEMCG_UNCHARGE_KERNEL);
	cfg.uncharge = (enum memcg_uncharge)(MEMCG_UNCHARGE_STOCK + 1);
	assert_int_equal(memcg_engine_create(&cfg, &e), -EINVAL);
}

/*
 * One CPU: 65 folios charge two batches (128 pages, 63 left in the
 * stock). Each free adds a page to the stock until it holds 65 > 64,
 * which drains it whole; usage never exceeds the live folios by more
 * than a batch, and equals live + stock after every step.
 */
static void test_one_cpu_bound(void **state)
{
	struct memcg_engine *e = engine(1, MEMCG_POLICY_REPARENT);
	struct mem_cgroup *p, *a;
	struct folio *f[BATCH + 1];
	int i;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &a), 0);
	for (i = 0; i < BATCH + 1; i++)
		f[i] = charge(e, a);
	assert_int_equal(usage(a), 2 * BATCH);
	assert_int_equal(stocked(a), BATCH - 1);

	memcg_folio_put(e, f[0]);
	assert_int_equal(usage(a), 2 * BATCH);	/* kernel: 2 * BATCH - 1 */
	assert_int_equal(stocked(a), BATCH);
	memcg_folio_put(e, f[1]);		/* 65 in the slot: drained */
	assert_int_equal(usage(a), BATCH - 1);
	assert_int_equal(usage(p), BATCH - 1);
	assert_int_equal(stocked(a), 0);
	audit(e, p, a);
	for (i = 2; i < BATCH + 1; i++) {
		memcg_folio_put(e, f[i]);
		assert_int_equal(stocked(a), i - 1);
		assert_int_equal(usage(a), BATCH - 1);
		assert_true(usage(a) - (BATCH - i) <= BATCH);
	}
	audit(e, p, a);
	memcg_drain_all_stock(a);
	assert_int_equal(usage(a), 0);
	assert_int_equal(usage(p), 0);
	audit(e, p, a);
	memcg_put(a);
	memcg_put(p);
	memcg_engine_destroy(e);
}

/* Two CPUs: the lag reaches a batch on each, 2 * BATCH, and no more. */
static void test_two_cpus_bound(void **state)
{
	struct memcg_engine *e = engine(2, MEMCG_POLICY_REPARENT);
	struct folio *f[2 * BATCH], *g;
	struct mem_cgroup *a;
	char buf[64];
	int i;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	for (i = 0; i < 2 * BATCH; i++)
		f[i] = charge(e, a);
	assert_int_equal(usage(a), 2 * BATCH);
	assert_int_equal(stocked(a), 0);
	for (i = 0; i < BATCH; i++)
		memcg_folio_put(e, f[i]);
	memcg_set_cpu(1);
	for (; i < 2 * BATCH; i++)
		memcg_folio_put(e, f[i]);
	/* no folio left, a batch stocked on each CPU */
	assert_int_equal(usage(a), 2 * BATCH);
	assert_int_equal(stocked(a), 2 * BATCH);
	assert_int_equal(memcg_read(a, "memory.current", buf, sizeof(buf)),
			 (int)snprintf(NULL, 0, "%ld\n",
				       2L * BATCH * MEMCG_PAGE_SIZE));
	assert_int_equal(atol(buf), 2L * BATCH * MEMCG_PAGE_SIZE);
	audit(e, a, NULL);

	/* a folio charged from CPU 1's stock and freed on CPU 0: 65 */
	g = charge(e, a);
	memcg_set_cpu(0);
	memcg_folio_put(e, g);
	assert_int_equal(usage(a), BATCH - 1);
	assert_int_equal(stocked(a), BATCH - 1);
	audit(e, a, NULL);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * At the limit, freed pages sit in the stock: a charge on the same CPU
 * takes them back without reclaim; one on another CPU fails at the
 * counter (a batch, then the page alone: one max event), drains every
 * stock and succeeds.
 */
static void test_limit_drains(void **state)
{
	struct memcg_engine *e = engine(2, MEMCG_POLICY_REPARENT);
	struct folio *f[BATCH];
	struct mem_cgroup *a;
	int i;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.max", "256K"), 0);
	for (i = 0; i < BATCH; i++)
		f[i] = charge(e, a);
	for (i = 0; i < BATCH; i++)
		memcg_folio_put(e, f[i]);
	assert_int_equal(usage(a), BATCH);
	for (i = 0; i < BATCH; i++)
		f[i] = charge(e, a);
	assert_int_equal(test_file_key(a, "memory.events", "max"), 0);
	for (i = 0; i < BATCH; i++)
		memcg_folio_put(e, f[i]);
	assert_int_equal(stocked(a), BATCH);

	memcg_set_cpu(1);
	f[0] = charge(e, a);
	/* the retry after the drain charges the page alone */
	assert_int_equal(test_file_key(a, "memory.events", "max"), 1);
	assert_int_equal(stocked(a), 0);
	assert_int_equal(usage(a), 1);
	memcg_folio_put(e, f[0]);
	audit(e, a, NULL);
	memcg_set_cpu(0);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * rmdir drains the cgroup's slots; a folio of an offline cgroup (the
 * kernel policy keeps it dying) is uncharged past the stock, so that no
 * slot pins it.
 */
static void test_rmdir_and_offline(void **state)
{
	struct memcg_engine *e = engine(1, MEMCG_POLICY_KERNEL);
	struct mem_cgroup *p, *a;
	struct folio *f, *g;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &a), 0);
	f = charge(e, a);
	g = charge(e, a);
	memcg_folio_put(e, f);
	assert_int_equal(stocked(a), BATCH - 1);
	assert_int_equal(usage(p), BATCH);

	assert_int_equal(memcg_rmdir(e, "P/A"), 0);
	assert_int_equal(stocked(a), 0);
	assert_int_equal(usage(a), 1);		/* g, still charged */
	assert_int_equal(usage(p), 1);
	memcg_folio_put(e, g);
	assert_int_equal(stocked(a), 0);
	assert_int_equal(usage(a), 0);
	assert_int_equal(usage(p), 0);
	memcg_put(a);
	assert_int_equal(atomic_load(&e->nr_memcgs), 2);	/* root, P */
	audit(e, p, NULL);
	memcg_put(p);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_checked),
		cmocka_unit_test(test_one_cpu_bound),
		cmocka_unit_test(test_two_cpus_bound),
		cmocka_unit_test(test_limit_drains),
		cmocka_unit_test(test_rmdir_and_offline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
