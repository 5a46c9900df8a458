// SPDX-License-Identifier: MIT
/*
 * MEMCG_UNCHARGE_STOCK under threads: two threads charge and free folios
 * in four cgroups below "p", whose limit the stocked frees reach, so
 * that refills, drains past a batch, the limit's drain of every stock
 * and removals all race. A third thread makes cgroups below "p", frees a
 * folio into its stock and removes it (rmdir drains), and reads
 * memory.current. At the end every folio is gone: "p" holds only stocked
 * pages, at most a batch per CPU and cgroup; a drain leaves nothing, the
 * removed cgroups are released, and the auditor agrees at each step.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"
#include "seed.h"

#define NR_LEAVES 4
#define NR_CHARGERS 2
#define NR_HELD 64
#define ITERS 20000
#define NR_DYING 200

struct world {
	struct memcg_engine *e;
	struct mem_cgroup *p, *leaf[NR_LEAVES];
	uint64_t seed;
};

struct charger {
	struct world *w;
	uint64_t rng;
	long failed;
	pthread_t tid;
};

static void *charger_fn(void *arg)
{
	struct charger *c = arg;
	struct world *w = c->w;
	struct folio *held[NR_HELD] = { NULL };
	int i, k;

	for (i = 0; i < ITERS; i++) {
		struct mem_cgroup *m = w->leaf[test_rnd(&c->rng) % NR_LEAVES];

		k = (int)(test_rnd(&c->rng) % NR_HELD);
		if (held[k]) {
			memcg_folio_put(w->e, held[k]);
			held[k] = NULL;
			continue;
		}
		held[k] = memcg_folio_alloc(w->e, MEMCG_FOLIO_ANON, 0);
		assert_non_null(held[k]);
		/* over the limit with nothing to reclaim: may fail */
		if (memcg_charge(w->e, held[k], m, MEMCG_GFP_NORETRY)) {
			memcg_folio_put(w->e, held[k]);
			held[k] = NULL;
			c->failed++;
		}
	}
	for (k = 0; k < NR_HELD; k++)
		if (held[k])
			memcg_folio_put(w->e, held[k]);
	return NULL;
}

static void *remover_fn(void *arg)
{
	struct world *w = arg;
	char path[32], buf[64];
	int i;

	for (i = 0; i < NR_DYING; i++) {
		struct mem_cgroup *d;
		struct folio *f;

		snprintf(path, sizeof(path), "p/d%d", i);
		assert_int_equal(memcg_mkdir(w->e, path, &d), 0);
		f = memcg_folio_alloc(w->e, MEMCG_FOLIO_FILE, 0);
		assert_non_null(f);
		if (!memcg_charge(w->e, f, d, MEMCG_GFP_NORETRY))
			assert_true(memcg_read(d, "memory.current", buf,
					       sizeof(buf)) > 0);
		memcg_folio_put(w->e, f);
		assert_int_equal(memcg_rmdir(w->e, path), 0);
		memcg_put(d);
		mem_cgroup_release_pending(w->e);
		assert_true(memcg_read(w->p, "memory.current", buf,
				       sizeof(buf)) > 0);
	}
	return NULL;
}

static long usage(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

static void test_uncharge_stock_threads(void **state)
{
	struct audit_hold holds[NR_LEAVES + 1];
	struct charger c[NR_CHARGERS];
	struct memcg_config cfg;
	struct world w = { 0 };
	long stocked = 0;
	pthread_t remover;
	char path[32];
	int i;

	(void)state;
	w.seed = test_seed("test_uncharge_stock_threads", 0x5f0c4ed);
	memcg_config_init(&cfg);
	cfg.memory_bytes = 64 << 20;
	cfg.dataless = true;
	cfg.uncharge = MEMCG_UNCHARGE_STOCK;
	assert_int_equal(memcg_engine_create(&cfg, &w.e), 0);
	assert_int_equal(memcg_mkdir(w.e, "p", &w.p), 0);
	/* 256 pages: less than the stocks can hold (4 x 64 per CPU) */
	assert_int_equal(memcg_write(w.p, "memory.max", "1M"), 0);
	for (i = 0; i < NR_LEAVES; i++) {
		snprintf(path, sizeof(path), "p/c%d", i);
		assert_int_equal(memcg_mkdir(w.e, path, &w.leaf[i]), 0);
	}
	for (i = 0; i < NR_CHARGERS; i++) {
		c[i] = (struct charger){ .w = &w, .rng = w.seed + (uint64_t)i };
		assert_int_equal(pthread_create(&c[i].tid, NULL, charger_fn,
						&c[i]), 0);
	}
	assert_int_equal(pthread_create(&remover, NULL, remover_fn, &w), 0);
	for (i = 0; i < NR_CHARGERS; i++)
		pthread_join(c[i].tid, NULL);
	pthread_join(remover, NULL);
	mem_cgroup_release_pending(w.e);
	print_message("max events %lld, failed charges %ld\n",
		      test_file_key(w.p, "memory.events", "max"),
		      c[0].failed + c[1].failed);

	holds[0] = (struct audit_hold){ w.p, 1 };
	for (i = 0; i < NR_LEAVES; i++) {
		holds[i + 1] = (struct audit_hold){ w.leaf[i], 1 };
		stocked += memcg_stock_pages(w.e, w.leaf[i], NULL);
		assert_true(usage(w.leaf[i]) <=
			    (long)MEMCG_CHARGE_BATCH * w.e->nr_cpus);
	}
	/* no folio left: only stocked pages */
	assert_int_equal(usage(w.p), stocked);
	assert_int_equal(memcg_audit(w.e, holds, NR_LEAVES + 1), 0);
	memcg_drain_all_stock(w.p);
	assert_int_equal(usage(w.p), 0);
	assert_int_equal(atomic_load(&w.e->nr_memcgs), 2 + NR_LEAVES);
	assert_int_equal(memcg_audit(w.e, holds, NR_LEAVES + 1), 0);
	for (i = 0; i < NR_LEAVES; i++)
		memcg_put(w.leaf[i]);
	memcg_put(w.p);
	memcg_engine_destroy(w.e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uncharge_stock_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
