// SPDX-License-Identifier: MIT
/*
 * rstat under threads (src/core/rstat.c): flushes race with updates, a
 * CPU's deltas are flushed while it charges, and cgroups are removed and
 * released while flushes run, so that a dying cgroup's last flush races
 * with the others.
 *
 * Two updater threads charge and free folios and count page faults in
 * eight cgroups below "a", tallying what they did; a flusher flushes the
 * root, "a" and single cgroups, and reads memory.stat; a remover makes
 * cgroups below "a", counts faults in them from its CPU and without the
 * CPU lock, and removes them. At the end one flush must give every counter's
 * exact total at "a" and the root, and the auditor must find each
 * cgroup's sums equal to its CPUs' counters, nothing left pending.
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

#define NR_LEAVES 8
#define NR_UPDATERS 2
#define ITERS 20000
#define NR_DYING 200

struct world {
	struct memcg_engine *e;
	struct mem_cgroup *a, *leaf[NR_LEAVES];
	atomic_bool stop;
	atomic_long faults;	/* page faults counted below a */
	atomic_long flushes;
	uint64_t seed;
};

struct updater {
	struct world *w;
	uint64_t rng;
	pthread_t tid;
};

/*
 * The updaters start once the flusher has flushed: on a loaded machine
 * they could otherwise all finish before it is first scheduled.
 */
static void wait_first_flush(struct world *w)
{
	while (atomic_load(&w->flushes) == 0)
		sched_yield();
}

static void *updater_fn(void *arg)
{
	struct updater *u = arg;
	struct world *w = u->w;
	struct folio *held[16] = { NULL };
	long faults = 0;
	int i, k;

	wait_first_flush(w);
	for (i = 0; i < ITERS; i++) {
		struct mem_cgroup *m = w->leaf[test_rnd(&u->rng) % NR_LEAVES];
		long n = 1 + (long)(test_rnd(&u->rng) % 3);

		mod_memcg_state(m, MEMCG_PGFAULT, n);
		faults += n;
		k = (int)(test_rnd(&u->rng) % 16);
		if (held[k]) {
			memcg_folio_put(w->e, held[k]);
			held[k] = NULL;
		} else {
			held[k] = memcg_folio_alloc(w->e, MEMCG_FOLIO_ANON, 0);
			assert_non_null(held[k]);
			assert_int_equal(memcg_charge(w->e, held[k], m, 0), 0);
		}
	}
	for (k = 0; k < 16; k++)
		if (held[k])
			memcg_folio_put(w->e, held[k]);
	atomic_fetch_add(&w->faults, faults);
	return NULL;
}

static void *flusher_fn(void *arg)
{
	struct world *w = arg;
	uint64_t rng = w->seed ^ 0x5bd1e995;
	char buf[8192];

	while (!atomic_load(&w->stop)) {
		switch (test_rnd(&rng) % 4) {
		case 0:
			css_rstat_flush(memcg_root(w->e));
			break;
		case 1:
			css_rstat_flush(w->a);
			break;
		case 2:
			css_rstat_flush(w->leaf[test_rnd(&rng) % NR_LEAVES]);
			break;
		default:
			assert_true(memcg_read(memcg_root(w->e), "memory.stat",
					       buf, sizeof(buf)) > 0);
		}
		atomic_fetch_add(&w->flushes, 1);
	}
	return NULL;
}

/* Cgroups that live briefly, updated on a CPU and without the lock. */
static void *remover_fn(void *arg)
{
	struct world *w = arg;
	long faults = 0;
	char path[32];
	int i;

	wait_first_flush(w);
	for (i = 0; i < NR_DYING; i++) {
		struct mem_cgroup *d;

		snprintf(path, sizeof(path), "a/d%d", i);
		assert_int_equal(memcg_mkdir(w->e, path, &d), 0);
		mod_memcg_state(d, MEMCG_PGFAULT, 5);
		mod_memcg_state_shared(d, MEMCG_PGFAULT, 2);
		faults += 7;
		assert_int_equal(memcg_rmdir(w->e, path), 0);
		memcg_put(d);
		mem_cgroup_release_pending(w->e);
	}
	atomic_fetch_add(&w->faults, faults);
	return NULL;
}

static void test_rstat_threads(void **state)
{
	struct audit_hold holds[NR_LEAVES + 1];
	struct updater u[NR_UPDATERS];
	struct memcg_config cfg;
	pthread_t flusher, remover;
	struct world w = { 0 };
	char path[32];
	int i;

	(void)state;
	w.seed = test_seed("test_rstat_threads", 0x7a11c0de);
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
	assert_int_equal(pthread_create(&remover, NULL, remover_fn, &w), 0);
	for (i = 0; i < NR_UPDATERS; i++)
		pthread_join(u[i].tid, NULL);
	pthread_join(remover, NULL);
	atomic_store(&w.stop, true);
	pthread_join(flusher, NULL);
	assert_true(atomic_load(&w.flushes) > 0);

	assert_int_equal(memcg_page_state(w.a, MEMCG_PGFAULT),
			 atomic_load(&w.faults));
	assert_int_equal(memcg_page_state(memcg_root(w.e), MEMCG_PGFAULT),
			 atomic_load(&w.faults));
	assert_int_equal(memcg_page_state(w.a, MEMCG_ANON), 0);
	assert_int_equal(memcg_page_state(w.a, MEMCG_PGPGIN),
			 memcg_page_state(w.a, MEMCG_PGPGOUT));
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
		cmocka_unit_test(test_rstat_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
