// SPDX-License-Identifier: MIT
/*
 * rstat's lazily allocated sums under threads (src/core/rstat.c): a leaf
 * has no sums and reads its slots' prev[]; its first child gives it sums
 * materialised from prev[] (memcg_rstat_alloc_sums()), while other
 * threads update it on their CPUs and without the CPU lock, and a flusher
 * flushes and reads it.
 *
 * Two updaters count page faults in NR_LEAVES leaves below "a", through
 * the CPU's lock and lockless (mod_memcg_state_shared()), tallying per
 * leaf; a parenter gives each leaf in turn a child, counts faults in it,
 * and removes it (the sums stay); a flusher flushes the root, a leaf or
 * "a", and reads a leaf's hierarchical count, which may never go down.
 * At the end every leaf's count, "a"'s and the root's must be exact, and
 * the auditor must find every flushed value equal to the counters.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/rstat.h"

#include "audit.h"
#include "seed.h"

#define NR_LEAVES 32
#define NR_UPDATERS 2
#define MIN_ITERS 20000

struct world {
	struct memcg_engine *e;
	struct mem_cgroup *a, *leaf[NR_LEAVES];
	atomic_long faults[NR_LEAVES];	/* counted in each leaf's subtree */
	atomic_bool parented;		/* the parenter is done */
	atomic_bool stop;
	atomic_long flushes;
	uint64_t seed;
};

struct updater {
	struct world *w;
	uint64_t rng;
	pthread_t tid;
};

/* As test_rstat_threads: start once the flusher has run. */
static void wait_first_flush(struct world *w)
{
	while (atomic_load(&w->flushes) == 0)
		sched_yield();
}

/* Until the parenter is done: its mkdirs race with these updates. */
static void *updater_fn(void *arg)
{
	struct updater *u = arg;
	struct world *w = u->w;
	long i;

	wait_first_flush(w);
	for (i = 0; i < MIN_ITERS || !atomic_load(&w->parented); i++) {
		int j = (int)(test_rnd(&u->rng) % NR_LEAVES);
		long n = 1 + (long)(test_rnd(&u->rng) % 3);

		if (i % 4)
			mod_memcg_state(w->leaf[j], MEMCG_PGFAULT, n);
		else
			mod_memcg_state_shared(w->leaf[j], MEMCG_PGFAULT, n);
		atomic_fetch_add(&w->faults[j], n);
	}
	return NULL;
}

/* Each leaf's first child, updated both ways, then removed. */
static void *parenter_fn(void *arg)
{
	struct world *w = arg;
	char path[32];
	int j, k;

	wait_first_flush(w);
	for (j = 0; j < NR_LEAVES; j++) {
		struct mem_cgroup *g;

		for (k = 0; k < 50; k++)
			sched_yield();	/* let the updaters hit the leaf */
		snprintf(path, sizeof(path), "a/c%d/g", j);
		assert_null(atomic_load(&w->leaf[j]->vmstats->sums));
		assert_int_equal(memcg_mkdir(w->e, path, &g), 0);
		assert_non_null(atomic_load(&w->leaf[j]->vmstats->sums));
		mod_memcg_state(g, MEMCG_PGFAULT, 5);
		mod_memcg_state_shared(g, MEMCG_PGFAULT, 2);
		atomic_fetch_add(&w->faults[j], 7);
		assert_int_equal(memcg_rmdir(w->e, path), 0);
		memcg_put(g);
		mem_cgroup_release_pending(w->e);
	}
	atomic_store(&w->parented, true);
	return NULL;
}

static void *flusher_fn(void *arg)
{
	struct world *w = arg;
	uint64_t rng = w->seed ^ 0x5bd1e995;
	long last[NR_LEAVES] = { 0 };
	int j;

	while (!atomic_load(&w->stop)) {
		j = (int)(test_rnd(&rng) % NR_LEAVES);
		switch (test_rnd(&rng) % 4) {
		case 0:
			css_rstat_flush(memcg_root(w->e));
			break;
		case 1:
			css_rstat_flush(w->leaf[j]);
			break;
		case 2:
			css_rstat_flush(w->a);
			break;
		default: {
			/* this thread's own reads: a count never goes down */
			long v = memcg_page_state(w->leaf[j], MEMCG_PGFAULT);

			assert_true(v >= last[j]);
			last[j] = v;
		}
		}
		atomic_fetch_add(&w->flushes, 1);
	}
	return NULL;
}

static void test_rstat_sums_threads(void **state)
{
	struct audit_hold holds[NR_LEAVES + 1];
	struct updater u[NR_UPDATERS];
	struct memcg_config cfg;
	pthread_t flusher, parenter;
	struct world w = { 0 };
	long total = 0;
	char path[32];
	int i;

	(void)state;
	w.seed = test_seed("test_rstat_sums_threads", 0x5ca1ab1e);
	memcg_config_init(&cfg);
	cfg.memory_bytes = 64 << 20;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &w.e), 0);
	assert_int_equal(memcg_mkdir(w.e, "a", &w.a), 0);
	for (i = 0; i < NR_LEAVES; i++) {
		snprintf(path, sizeof(path), "a/c%d", i);
		assert_int_equal(memcg_mkdir(w.e, path, &w.leaf[i]), 0);
	}
	for (i = 0; i < NR_UPDATERS; i++) {
		u[i] = (struct updater){ .w = &w, .rng = w.seed + (uint64_t)i };
		assert_int_equal(pthread_create(&u[i].tid, NULL, updater_fn,
						&u[i]), 0);
	}
	assert_int_equal(pthread_create(&flusher, NULL, flusher_fn, &w), 0);
	assert_int_equal(pthread_create(&parenter, NULL, parenter_fn, &w), 0);
	pthread_join(parenter, NULL);
	for (i = 0; i < NR_UPDATERS; i++)
		pthread_join(u[i].tid, NULL);
	atomic_store(&w.stop, true);
	pthread_join(flusher, NULL);

	for (i = 0; i < NR_LEAVES; i++) {
		assert_int_equal(memcg_page_state(w.leaf[i], MEMCG_PGFAULT),
				 atomic_load(&w.faults[i]));
		total += atomic_load(&w.faults[i]);
	}
	assert_int_equal(memcg_page_state(w.a, MEMCG_PGFAULT), total);
	assert_int_equal(memcg_page_state(memcg_root(w.e), MEMCG_PGFAULT),
			 total);
	holds[0] = (struct audit_hold){ w.a, 1 };
	for (i = 0; i < NR_LEAVES; i++)
		holds[i + 1] = (struct audit_hold){ w.leaf[i], 1 };
	assert_int_equal(memcg_audit(w.e, holds, NR_LEAVES + 1), 0);
	for (i = 0; i < NR_LEAVES; i++)
		memcg_put(w.leaf[i]);
	memcg_put(w.a);
	memcg_engine_destroy(w.e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rstat_sums_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
