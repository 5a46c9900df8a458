// SPDX-License-Identifier: MIT
/*
 * The cluster allocator under a nearly full device (run under TSan):
 * a device of a few clusters and a short last one, kept about 95% full
 * (every other round: 60%, so that clusters empty out again) by
 * threads that swap out small and huge folios of their own cgroups, swap
 * in or free entries of anyone's (a shared pool), and remove their
 * cgroups every few hundred operations, so that records move to the
 * parent while others free them. Threads choose their CPU at random among
 * two (memcg_set_cpu), so that two of them share a CPU's current cluster
 * and return cache at times; a quarter of the swapped-in folios are
 * migrated while in the swap cache; the return caches switch off and on
 * as the device fills and empties. At the end every slot, charge, record
 * and id reference is back (the auditor), and the device is whole.
 * MEMCG_SEED replays the choices (not the interleaving).
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

#include "audit.h"
#include "seed.h"

#define NR_THREADS 3
#define NR_CPUS 2
#define MAX_SLOTS (8 * 512 + 100)
/* The device and the huge folios of a run of the test. */
static unsigned huge_order;	/* 4: within a cluster; 10: two clusters */
static int nr_slots;		/* clusters of 512, a short one last */
#define POOL (nr_slots * 95 / 100)
#define OPS 20000		/* per thread */
#define ROUND 300		/* operations between rmdirs */

struct pool {
	pthread_mutex_t lock;
	memcg_swp_entry_t entries[MAX_SLOTS];
	int nr;
};

struct worker {
	struct memcg_engine *e;
	struct pool *pool;
	pthread_t tid;
	int id;
	uint64_t rng;
	long outs, huge_outs, ins, frees, rmdirs, enospc, huge_enospc;
	long migrations;
};

static uint64_t next_rand(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng >> 16;	/* the low bits of xorshift are poor */
}

static bool pool_push(struct pool *p, memcg_swp_entry_t entry)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	ok = p->nr < POOL;
	if (ok)
		p->entries[p->nr++] = entry;
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static bool pool_pop(struct pool *p, uint64_t r, memcg_swp_entry_t *entry)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	ok = p->nr > 0;
	if (ok) {
		int i = (int)(r % (uint64_t)p->nr);

		*entry = p->entries[i];
		p->entries[i] = p->entries[--p->nr];
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static int pool_count(struct pool *p)
{
	int n;

	pthread_mutex_lock(&p->lock);
	n = p->nr;
	pthread_mutex_unlock(&p->lock);
	return n;
}

/* A folio of @m swapped out, each of its pages' entries into the pool. */
static void swap_one_out(struct worker *w, struct mem_cgroup *m)
{
	unsigned order = next_rand(w) % 10 ? 0 : huge_order;
	struct folio *f = memcg_folio_alloc(w->e, MEMCG_FOLIO_ANON, order);
	memcg_swp_entry_t run, entry;
	uint32_t p;
	int err;

	if (!f)
		return;
	assert_int_equal(memcg_charge(w->e, f, m, MEMCG_GFP_KERNEL), 0);
	err = memcg_swap_out(w->e, f, &run);
	if (err) {
		assert_int_equal(err, -ENOSPC);
		memcg_folio_put(w->e, f);
		w->enospc++;
		w->huge_enospc += order != 0;
		return;
	}
	for (p = 0; p < (1U << order); p++) {
		entry.val = run.val + p;
		if (!pool_push(w->pool, entry))
			assert_int_equal(memcg_swap_free(w->e, entry), 0);
	}
	w->outs++;
	w->huge_outs += order != 0;
}

/* Migrate a swapped-in folio, still in the swap cache, to a new one. */
static void migrate(struct worker *w, struct folio **f)
{
	struct folio *new = memcg_folio_alloc(w->e, MEMCG_FOLIO_ANON, 0);
	int err;

	if (!new)
		return;
	err = memcg_migrate(w->e, *f, new);
	if (err) {
		assert_int_equal(err, -EBUSY);	/* held by another too */
		memcg_folio_put(w->e, new);
		return;
	}
	memcg_folio_put(w->e, *f);
	*f = new;
	w->migrations++;
}

static void drop_one(struct worker *w, struct mem_cgroup *m)
{
	memcg_swp_entry_t entry;
	struct folio *f;

	if (!pool_pop(w->pool, next_rand(w), &entry))
		return;
	if (next_rand(w) % 2 &&
	    !memcg_swapin(w->e, entry, m, MEMCG_GFP_KERNEL, &f)) {
		if (next_rand(w) % 4 == 0)
			migrate(w, &f);
		assert_int_equal(memcg_swap_free(w->e, entry), 0);
		memcg_folio_free_swap(w->e, f, entry);
		memcg_folio_put(w->e, f);
		w->ins++;
		return;
	}
	assert_int_equal(memcg_swap_free(w->e, entry), 0);
	w->frees++;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	struct mem_cgroup *m = NULL;
	char path[32];
	long op;

	snprintf(path, sizeof(path), "P/w%d", w->id);
	for (op = 0; op < OPS; op++) {
		if (op % ROUND == 0) {
			if (m) {
				/* its records move to P while others free them */
				memcg_put(m);
				assert_int_equal(memcg_rmdir(w->e, path), 0);
				w->rmdirs++;
			}
			assert_int_equal(memcg_mkdir(w->e, path, &m), 0);
		}
		if (next_rand(w) % 8 == 0)
			memcg_set_cpu((int)(next_rand(w) % NR_CPUS));
		/*
		 * mostly out while below the mark, else mostly drop; the mark
		 * is nearly full every other round, 60% in between (clusters
		 * then empty out and huge folios find room)
		 */
		if (pool_count(w->pool) < ((op / ROUND) % 2 ? POOL * 6 / 10 :
					   POOL - 16) ?
		    next_rand(w) % 4 != 0 : next_rand(w) % 4 == 0)
			swap_one_out(w, m);
		else
			drop_one(w, m);
	}
	memcg_put(m);
	assert_int_equal(memcg_rmdir(w->e, path), 0);
	return NULL;
}

static void run_clusters(void)
{
	struct pool pool = { .nr = 0 };
	struct worker w[NR_THREADS];
	uint64_t seed = test_seed("test_swap_clusters", 0xc1057e5);
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *p;
	memcg_swp_entry_t entry;
	int i;

	pthread_mutex_init(&pool.lock, NULL);
	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.dataless = true;
	cfg.nr_cpus = NR_CPUS;
	cfg.huge_order = huge_order;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, (size_t)nr_slots * 4096), 0);
	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	for (i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .e = e, .pool = &pool, .id = i,
					.rng = seed + (uint64_t)i * 0x9e3779b9 };
		assert_int_equal(pthread_create(&w[i].tid, NULL, run, &w[i]), 0);
	}
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(w[i].tid, NULL);
		print_message("thread %d: %ld out (%ld huge), %ld in (%ld "
			      "migrated in the swap cache), %ld freed, %ld rmdir, "
			      "%ld ENOSPC (%ld huge)\n", i, w[i].outs,
			      w[i].huge_outs, w[i].ins, w[i].migrations,
			      w[i].frees, w[i].rmdirs, w[i].enospc,
			      w[i].huge_enospc);
	}
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { p, 1 } }, 1), 0);
	while (pool_pop(&pool, 0, &entry))
		assert_int_equal(memcg_swap_free(e, entry), 0);
	swap_slots_drain_all(e);
	assert_int_equal(memcg_swap_nr_free(e), nr_slots);
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { p, 1 } }, 1), 0);
	memcg_put(p);
	pthread_mutex_destroy(&pool.lock);
	memcg_engine_destroy(e);
}

/* Huge folios of 16 pages: runs within a cluster, 4 clusters. */
static void test_clusters_nearly_full(void **state)
{
	(void)state;
	huge_order = 4;
	nr_slots = 3 * 512 + 100;
	run_clusters();
}

/* Huge folios of 1,024 pages: runs of two whole clusters, 9 clusters. */
static void test_clusters_runs_of_clusters(void **state)
{
	(void)state;
	huge_order = 10;
	nr_slots = 8 * 512 + 100;
	run_clusters();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clusters_nearly_full),
		cmocka_unit_test(test_clusters_runs_of_clusters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
