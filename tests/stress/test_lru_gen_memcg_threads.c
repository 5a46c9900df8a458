// SPDX-License-Identifier: MIT
/*
 * The memcg LRU under threads (run under TSan): two walkers go through
 * shrink_many() with a shrink_one that answers rotations at random, while
 * a third creates and removes cgroups (online: a new tail; offline: OLD;
 * release: off the lists, maybe while a walker stands next to it). At the
 * end every listed cgroup is on exactly one list, of its generation, and
 * the per-generation counts match the lists.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/lru_gen.h"
#include "mm/lru_gen_memcg.h"
#include "mm/vmscan.h"

#define WALKS 20000
#define CHURNS 3000

static _Thread_local uint64_t rnd;
static atomic_bool churning;

static int random_shrink_one(struct mem_cgroup *memcg, struct scan_control *sc)
{
	static const int ops[] = { 0, MEMCG_LRU_TAIL, MEMCG_LRU_YOUNG };

	(void)memcg;
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	sc->nr_reclaimed++;
	return ops[rnd % 3];
}

static void *walker(void *arg)
{
	struct memcg_engine *e = arg;
	int i;

	rnd = (uint64_t)(uintptr_t)&i | 1;
	/* at least WALKS, and for as long as cgroups come and go */
	for (i = 0; i < WALKS || atomic_load(&churning); i++) {
		struct scan_control sc = { .target = e->root,
					   .nr_to_reclaim = 1 + i % 5 };

		shrink_many(e, &sc, random_shrink_one);
	}
	return NULL;
}

static void *churner(void *arg)
{
	struct memcg_engine *e = arg;
	char name[16];
	int i;

	for (i = 0; i < CHURNS; i++) {
		snprintf(name, sizeof(name), "C%d", i % 6);
		if (!memcg_mkdir(e, name, NULL) && i % 3)
			assert_int_equal(memcg_rmdir(e, name), 0);
		if (i % 6 == 5)
			for (int j = 0; j < 6; j++) {
				snprintf(name, sizeof(name), "C%d", j);
				memcg_rmdir(e, name);
			}
		mem_cgroup_release_pending(e);
	}
	atomic_store(&churning, false);
	return NULL;
}

static void check_lists(struct memcg_engine *e)
{
	struct lru_gen_memcg *ml = e->memcg_lru;
	long seen[MEMCG_NR_GENS] = { 0, 0, 0 };
	int gen, bin;

	for (gen = 0; gen < MEMCG_NR_GENS; gen++) {
		for (bin = 0; bin < MEMCG_NR_BINS; bin++) {
			struct memcg_lru_node *head = &ml->fifo[gen][bin], *pos;

			for (pos = head->next; pos != head; pos = pos->next) {
				struct lru_gen_folio *lrugen = (void *)((char *)pos -
					offsetof(struct lru_gen_folio, list));

				assert_ptr_equal(pos->next->prev, pos);
				assert_int_equal(lrugen->gen, gen);
				assert_false(lrugen->memcg->released);
				seen[gen]++;
			}
		}
	}
	for (gen = 0; gen < MEMCG_NR_GENS; gen++)
		assert_int_equal(seen[gen], (long)ml->nr_memcgs[gen]);
	/* the root and the cgroups not yet released, each once */
	assert_int_equal(seen[0] + seen[1] + seen[2], atomic_load(&e->nr_memcgs));
}

static void test_threads(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	pthread_t t[3];
	int i;

	(void)state;
	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.dataless = true;
	cfg.kernel = MEMCG_KERNEL_6_12;
	cfg.reclaim = MEMCG_RECLAIM_MGLRU;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	atomic_store(&churning, true);
	assert_int_equal(pthread_create(&t[0], NULL, walker, e), 0);
	assert_int_equal(pthread_create(&t[1], NULL, walker, e), 0);
	assert_int_equal(pthread_create(&t[2], NULL, churner, e), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	mem_cgroup_release_pending(e);
	check_lists(e);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
