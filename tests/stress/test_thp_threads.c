// SPDX-License-Identifier: MIT
/*
 * Huge folios under concurrent reclaim (run under TSan): tasks on their
 * own threads fault huge and 4K ranges and unmap from the end (splitting
 * huge mappings), while a reclaimer thread keeps writing memory.reclaim
 * and memory.high, so that reclaim splits, swaps out and refuses to split
 * folios that a task is unmapping or faulting at the same time. Each task
 * has a cgroup of its own: an OOM kill there takes the task that charged,
 * on its own thread (a task is driven by one thread at a time,
 * memcg/sim.h; a memory.max write that OOM-kills would reap it from the
 * reclaimer's). Afterwards every page table, reference, counter and list
 * is exact (the auditor).
 *
 * No swap-in here: a task faulting a page back in while another thread's
 * reclaim removes the same slot from the swap cache can publish its new
 * folio between swap_remove_mapping()'s delete_from_swap_cache() and its
 * put_swap_folio(), which then drops the new folio's cache bit ("swap
 * slot N put with state 0"); 4K pages alone do it too (swap_state.c).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "audit.h"
#include "memcg/sim.h"
#include "seed.h"

#define NR_TASKS 2
#define RUN_MS 800
#define PAGE 4096UL

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct worker {
	struct memcg_engine *e;
	struct mem_cgroup *m;		/* the task's */
	struct mem_cgroup **cgs;	/* the reclaimer's: every task's */
	pthread_t tid;
	int id;
	unsigned seed;
	atomic_bool *stop;
	long ops;
};

static void *task_main(void *arg)
{
	struct worker *w = arg;
	struct memcg_task *t;
	char name[16];

	memcg_set_cpu((unsigned)w->id);
	snprintf(name, sizeof(name), "t%d", w->id);
	assert_int_equal(memcg_task_create(w->e, name, w->m, &t), 0);
	while (!atomic_load(w->stop)) {
		size_t pages = (size_t)(rand_r(&w->seed) % 1500) + 1;
		long mapped = memcg_task_rss_pages(t) + memcg_task_swap_pages(t);

		if (rand_r(&w->seed) % 3 && mapped < 8192)
			memcg_task_anon(t, pages * PAGE);
		else if (mapped)
			memcg_task_unmap(t, (pages % (size_t)mapped + 1) * PAGE);
		if (!memcg_task_alive(t))	/* OOM-killed: start again */
			assert_int_equal(memcg_task_create(w->e, name, w->m,
							   &t), 0);
		w->ops++;
	}
	memcg_task_exit(t);
	return NULL;
}

static void *reclaim_main(void *arg)
{
	struct worker *w = arg;
	uint64_t end = now_ms() + RUN_MS;
	char buf[32];

	memcg_set_cpu((unsigned)w->id);
	while (now_ms() < end) {
		unsigned r = (unsigned)rand_r(&w->seed);

		struct mem_cgroup *m = w->cgs[r / 8 % NR_TASKS];

		if (r % 5 == 0) {	/* never memory.max: it may OOM-kill */
			snprintf(buf, sizeof(buf), "%uK", 8192 + r % 16384);
			assert_int_equal(memcg_write(m, "memory.high", buf), 0);
		} else {
			snprintf(buf, sizeof(buf), "%uK", 4 + r % 4096);
			memcg_write(m, "memory.reclaim", buf);
		}
		w->ops++;
	}
	atomic_store(w->stop, true);
	return NULL;
}

static long stat(struct mem_cgroup *m, const char *key)
{
	char buf[8192], *p;

	assert_true(memcg_read(m, "memory.stat", buf, sizeof(buf)) > 0);
	p = strstr(buf, key);
	assert_non_null(p);
	return atol(p + strlen(key) + 1);
}

static void run(enum memcg_reclaim reclaim, enum memcg_kernel kernel)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *m[NR_TASKS];
	struct worker w[NR_TASKS + 1];
	struct audit_hold h[NR_TASKS];
	atomic_bool stop = false;
	uint64_t seed = test_seed("test_thp_threads", 0x7407);
	char path[16];
	int i;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 256UL << 20;
	cfg.nr_cpus = NR_TASKS + 1;
	cfg.deterministic = true;
	cfg.dataless = true;
	cfg.kernel = kernel;
	cfg.reclaim = reclaim;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 128UL << 20), 0);
	assert_int_equal(memcg_sim_set_thp(e, MEMCG_THP_ALWAYS), 0);
	for (i = 0; i < NR_TASKS; i++) {
		snprintf(path, sizeof(path), "c%d", i);
		assert_int_equal(memcg_mkdir(e, path, &m[i]), 0);
		assert_int_equal(memcg_write(m[i], "memory.max", "16M"), 0);
		h[i] = (struct audit_hold){ m[i], 1 };
	}
	for (i = 0; i <= NR_TASKS; i++) {
		w[i] = (struct worker){ .e = e, .m = m[i % NR_TASKS], .cgs = m,
					.id = i, .stop = &stop,
					.seed = (unsigned)(seed + (uint64_t)i) };
		assert_int_equal(pthread_create(&w[i].tid, NULL, i < NR_TASKS ?
						task_main : reclaim_main,
						&w[i]), 0);
	}
	for (i = 0; i <= NR_TASKS; i++)
		assert_int_equal(pthread_join(w[i].tid, NULL), 0);
	fprintf(stderr, "test_thp_threads: %ld and %ld task steps, %ld "
		"reclaimer steps, %ld and %ld huge faults\n", w[0].ops,
		w[1].ops, w[NR_TASKS].ops, stat(m[0], "thp_fault_alloc"),
		stat(m[1], "thp_fault_alloc"));
	assert_int_equal(memcg_audit(e, h, NR_TASKS), 0);
	for (i = 0; i < NR_TASKS; i++)
		memcg_put(m[i]);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

static void test_classic(void **state)
{
	(void)state;
	run(MEMCG_RECLAIM_CLASSIC, MEMCG_KERNEL_6_1);
}

static void test_mglru(void **state)
{
	(void)state;
	run(MEMCG_RECLAIM_MGLRU, MEMCG_KERNEL_6_12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic),
		cmocka_unit_test(test_mglru),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
