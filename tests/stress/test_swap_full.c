// SPDX-License-Identifier: MIT
/*
 * A swap device kept nearly full, so that a freed slot is handed out
 * again at once, while threads swap out, swap in, free entries and remove
 * their cgroups (run under TSan). The entries go to a pool that every
 * thread frees from, so records are freed while their owner's rmdir moves
 * them to the shared parent P. Freed slots must give back their charge to
 * the owner they had before anyone can record a new one, and moved
 * records must never put a reference the parent's id has not got yet:
 * every record, counter and id reference stays exact (the auditor), and
 * no slot is "recorded twice".
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
#include <time.h>
#include <cmocka.h>

#include "audit.h"
#include "seed.h"

#define NR_THREADS 3
#define NR_SLOTS 48		/* a little more than the threads keep */
#define KEEP 14			/* pool entries per thread */
#define RUN_MS 800

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The entries all threads swap out and free, whatever their owner. */
struct pool {
	pthread_mutex_t lock;
	memcg_swp_entry_t entries[NR_THREADS * KEEP];
	int nr;
};

struct worker {
	struct memcg_engine *e;
	struct pool *pool;
	pthread_t tid;
	int id;
	unsigned seed;
	long outs, ins, frees, rmdirs;
};

static bool pool_push(struct pool *p, memcg_swp_entry_t entry)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	ok = p->nr < NR_THREADS * KEEP;
	if (ok)
		p->entries[p->nr++] = entry;
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static bool pool_pop(struct pool *p, unsigned *seed, memcg_swp_entry_t *entry)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	ok = p->nr > 0;
	if (ok) {
		int i = (int)(rand_r(seed) % (unsigned)p->nr);

		*entry = p->entries[i];
		p->entries[i] = p->entries[--p->nr];
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

/* A folio of this worker's current cgroup, swapped out. */
static void swap_one_out(struct worker *w, struct mem_cgroup *m)
{
	struct folio *f = memcg_folio_alloc(w->e, MEMCG_FOLIO_ANON, 0);
	memcg_swp_entry_t entry;

	if (!f)
		return;
	if (memcg_charge(w->e, f, m, MEMCG_GFP_KERNEL) ||
	    memcg_swap_out(w->e, f, &entry)) {
		memcg_folio_put(w->e, f);	/* device full: fine */
		return;
	}
	if (!pool_push(w->pool, entry))
		assert_int_equal(memcg_swap_free(w->e, entry), 0);
	w->outs++;
}

static void drop_one(struct worker *w, struct mem_cgroup *m)
{
	memcg_swp_entry_t entry;
	struct folio *f;

	if (!pool_pop(w->pool, &w->seed, &entry))
		return;
	if (rand_r(&w->seed) % 2 &&
	    !memcg_swapin(w->e, entry, m, MEMCG_GFP_KERNEL, &f)) {
		/* fault it in, drop the entry, then the page */
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
	uint64_t end = now_ms() + RUN_MS;
	char path[32];

	snprintf(path, sizeof(path), "P/w%d", w->id);
	while (now_ms() < end) {
		struct mem_cgroup *m;
		int round;

		assert_int_equal(memcg_mkdir(w->e, path, &m), 0);
		for (round = 0; round < 200; round++) {
			if (rand_r(&w->seed) % 2)
				swap_one_out(w, m);
			else
				drop_one(w, m);
		}
		/* its records move to P while other threads free them */
		memcg_put(m);
		assert_int_equal(memcg_rmdir(w->e, path), 0);
		w->rmdirs++;
	}
	return NULL;
}

static void test_full_device(void **state)
{
	struct pool pool = { .nr = 0 };
	struct worker w[NR_THREADS];
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *p;
	memcg_swp_entry_t entry;
	unsigned seed = (unsigned)test_seed("test_swap_full", 7);
	int i;

	pthread_mutex_init(&pool.lock, NULL);
	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, NR_SLOTS * 4096UL), 0);
	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	for (i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .e = e, .pool = &pool, .id = i,
					.seed = seed + (unsigned)i };
		assert_int_equal(pthread_create(&w[i].tid, NULL, run, &w[i]), 0);
	}
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(w[i].tid, NULL);
		print_message("thread %d: %ld out, %ld in, %ld freed, %ld rmdir\n",
			      i, w[i].outs, w[i].ins, w[i].frees, w[i].rmdirs);
	}
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { p, 1 } }, 1), 0);
	while (pool_pop(&pool, &seed, &entry))
		assert_int_equal(memcg_swap_free(e, entry), 0);
	assert_int_equal(memcg_swap_nr_free(e), NR_SLOTS);
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { p, 1 } }, 1), 0);
	memcg_put(p);
	pthread_mutex_destroy(&pool.lock);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
