// SPDX-License-Identifier: MIT
/*
 * Page charges without folios (memcg_charge_pages, memcg_uncharge_pages):
 * counters, the stock, references, the anon stat, limits through the
 * whole charge path, removal while charged, the root, and threads; the
 * auditor after every step.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "memcg/pages.h"
#include "seed.h"

#define NR_CPUS 2
#define PG ((long)MEMCG_PAGE_SIZE)

static int setup(void **state)
{
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 4 << 20;	/* page charges need no frames */
	cfg.dataless = true;
	cfg.nr_cpus = NR_CPUS;
	cfg.deterministic = true;
	*state = fixture_new(&cfg, "A", "A/B");
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static long usage(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

/* Counters, stock, anon and references; back to 0 after a drain. */
static void test_charge_uncharge(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(memcg_charge_pages(f->b, 10, MEMCG_GFP_KERNEL), 0);
	fixture_audit(f);
	/* a batch was charged, 10 pages used, the rest stocked */
	assert_int_equal(usage(f->b), MEMCG_CHARGE_BATCH);
	assert_int_equal(test_file_key(f->b, "memory.stat", "anon"), 10 * PG);
	assert_int_equal(test_file_key(f->a, "memory.stat", "anon"), 10 * PG);
	assert_int_equal(f->b->nr_pages_charged, 10);
	assert_int_equal(memcg_charge_pages(f->b, 30, MEMCG_GFP_KERNEL), 0);
	assert_int_equal(usage(f->b), MEMCG_CHARGE_BATCH);	/* a stock hit */
	fixture_audit(f);
	memcg_uncharge_pages(f->b, 25);
	fixture_audit(f);
	assert_int_equal(test_file_key(f->b, "memory.stat", "anon"), 15 * PG);
	memcg_drain_all_stock(f->a);
	assert_int_equal(usage(f->b), 15);
	assert_int_equal(usage(f->a), 15);
	memcg_uncharge_pages(f->b, 15);
	memcg_drain_all_stock(f->a);
	fixture_audit(f);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(test_file_key(f->a, "memory.stat", "anon"), 0);
	/* nothing to do, and bad arguments */
	assert_int_equal(memcg_charge_pages(f->b, 0, MEMCG_GFP_KERNEL), 0);
	assert_int_equal(memcg_charge_pages(NULL, 1, MEMCG_GFP_KERNEL), -EINVAL);
	assert_int_equal(memcg_charge_pages(f->b, MEMCG_CHARGE_PAGES_MAX + 1,
					    MEMCG_GFP_KERNEL), -EINVAL);
	memcg_uncharge_pages(NULL, 1);
	memcg_uncharge_pages(f->b, 0);
	fixture_audit(f);
}

/* Charges larger than a batch go to the counters exactly. */
static void test_large(void **state)
{
	struct fixture *f = *state;
	unsigned long nr = 300000;	/* 1.1 GiB: far more than the arena */

	assert_int_equal(memcg_charge_pages(f->b, nr, MEMCG_GFP_KERNEL), 0);
	assert_int_equal(usage(f->a), (long)nr);
	fixture_audit(f);
	memcg_uncharge_pages(f->b, nr);
	assert_int_equal(usage(f->a), 0);
	fixture_audit(f);
}

/* Over memory.max: reclaim finds nothing, -ENOMEM; NOWAIT; NOFAIL. */
static void test_limit(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(memcg_write(f->a, "memory.max", "1M"), 0);
	assert_int_equal(memcg_charge_pages(f->b, 250, MEMCG_GFP_KERNEL), 0);
	assert_int_equal(memcg_charge_pages(f->b, 100, MEMCG_GFP_KERNEL),
			 -ENOMEM);
	assert_true(test_file_key(f->a, "memory.events", "max") > 0);
	assert_int_equal(test_file_key(f->a, "memory.events", "oom"), 0);	/* a costly charge */
	/* a small charge gets as far as the OOM killer: nothing to kill */
	assert_int_equal(memcg_charge_pages(f->b, 8, MEMCG_GFP_KERNEL), -ENOMEM);
	assert_true(test_file_key(f->a, "memory.events", "oom") > 0);
	assert_int_equal(memcg_charge_pages(f->b, 6, MEMCG_GFP_NOWAIT), 0);
	assert_int_equal(usage(f->a), 256);
	assert_int_equal(memcg_charge_pages(f->b, 1, MEMCG_GFP_NOWAIT), -ENOMEM);
	assert_int_equal(memcg_charge_pages(f->b, 4, MEMCG_GFP_NOFAIL), 0);
	assert_int_equal(usage(f->a), 260);
	fixture_audit(f);
	memcg_uncharge_pages(f->b, 260);
	memcg_drain_all_stock(f->a);
	assert_int_equal(usage(f->a), 0);
	fixture_audit(f);
}

/* A removed cgroup stays dying while pages are charged to it. */
static void test_rmdir_while_charged(void **state)
{
	struct fixture *f = *state;
	struct mem_cgroup *c;

	assert_int_equal(memcg_mkdir(f->e, "A/C", &c), 0);
	assert_int_equal(memcg_charge_pages(c, 70, MEMCG_GFP_KERNEL), 0);
	memcg_put(c);
	assert_int_equal(memcg_rmdir(f->e, "A/C"), 0);
	fixture_audit(f);
	assert_int_equal(f->a->nr_dying_descendants, 1);
	assert_int_equal(usage(f->a), 70);
	assert_int_equal(test_file_key(f->a, "memory.stat", "anon"), 70 * PG);
	/* uncharged in two parts; the last releases it */
	memcg_uncharge_pages(c, 30);
	fixture_audit(f);
	assert_int_equal(f->a->nr_dying_descendants, 1);
	memcg_uncharge_pages(c, 40);
	fixture_audit(f);
	assert_int_equal(f->a->nr_dying_descendants, 0);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(test_file_key(f->a, "memory.stat", "anon"), 0);
}

/* The root's own charges skip its counter, as folios do. */
static void test_root(void **state)
{
	struct fixture *f = *state;
	struct mem_cgroup *root = memcg_root(f->e);
	long before = usage(root);

	assert_int_equal(memcg_charge_pages(root, 100, MEMCG_GFP_KERNEL), 0);
	assert_int_equal(usage(root), before);
	assert_int_equal(test_file_key(root, "memory.stat", "anon"), 100 * PG);
	fixture_audit(f);
	memcg_uncharge_pages(root, 100);
	assert_int_equal(test_file_key(root, "memory.stat", "anon"), 0);
	fixture_audit(f);
}

#define NR_THREADS 4
#define NR_OPS 20000

struct worker {
	struct mem_cgroup *memcg;
	unsigned seed;
};

/* Random charges and uncharges, everything uncharged at the end. */
static void *worker(void *arg)
{
	struct worker *w = arg;
	unsigned long held = 0;
	int i;

	memcg_set_cpu((int)(w->seed % NR_CPUS));
	for (i = 0; i < NR_OPS; i++) {
		unsigned long nr = 1 + rand_r(&w->seed) % 80;

		if (held >= nr && rand_r(&w->seed) % 2) {
			memcg_uncharge_pages(w->memcg, nr);
			held -= nr;
		} else if (!memcg_charge_pages(w->memcg, nr, MEMCG_GFP_KERNEL)) {
			held += nr;
		}
	}
	memcg_uncharge_pages(w->memcg, held);
	return NULL;
}

static void test_threads(void **state)
{
	struct fixture *f = *state;
	struct worker w[NR_THREADS];
	pthread_t th[NR_THREADS];
	unsigned seed = (unsigned)test_seed("test_pages threads", 1);
	int i;

	assert_int_equal(memcg_write(f->a, "memory.max", "2M"), 0);
	for (i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ i % 2 ? f->a : f->b, seed + (unsigned)i };
		assert_int_equal(pthread_create(&th[i], NULL, worker, &w[i]), 0);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	fixture_audit(f);
	memcg_drain_all_stock(f->a);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(f->a->nr_pages_charged + f->b->nr_pages_charged, 0);
	fixture_audit(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_charge_uncharge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rmdir_while_charged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
