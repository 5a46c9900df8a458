// SPDX-License-Identifier: MIT
/*
 * Truncation racing the page cache (run under TSan and ASan): a writer
 * thread writes and reads ranges at both ends of a 4 TiB file under a
 * tight memory.max (reclaim evicts, leaving shadows, and wakes the
 * flusher, which writes dirty pages back), a second thread cuts the file
 * to random sizes (sim/filemap.c: the folios leave the page cache in
 * batches, a folio under writeback waited for), and a third reclaims
 * through memory.reclaim. Afterwards the file cut to 0 leaves nothing:
 * no file, dirty or writeback page, every counter exact (the auditor),
 * and a teardown that reports nothing left over.
 *
 * MEMCG_SEED picks the seed (tests/helpers/seed.h).
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
#include <unistd.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"
#include "memcg/sim.h"
#include "seed.h"

#define ROUNDS 400
#define KB 1024ULL
#define TB(x) ((uint64_t)(x) << 40)
#define SPAN_PAGES 4096		/* offsets within 16M of either end */

struct worker {
	struct memcg_engine *e;
	struct mem_cgroup *a;
	pthread_t tid;
	int id;
	unsigned seed;
	atomic_int *running;
	long ops, cuts;
};

/* An offset within 16M of the start or of the end of the 4 TiB file. */
static uint64_t pick_offset(unsigned *seed)
{
	uint64_t page = (uint64_t)(rand_r(seed) % SPAN_PAGES) * 4 * KB;

	return rand_r(seed) % 2 ? page : TB(4) - 16 * 1024 * KB + page;
}

static void *writer_main(void *arg)
{
	struct worker *w = arg;
	struct memcg_task *t;
	int i, ret;

	memcg_set_cpu((unsigned)w->id);
	assert_int_equal(memcg_task_create(w->e, "writer", w->a, &t), 0);
	for (i = 0; i < ROUNDS; i++) {
		ret = memcg_task_write_at(t, "f", pick_offset(&w->seed),
					  64 * KB);
		assert_int_equal(ret, 0);
		ret = memcg_task_read_at(t, "f", pick_offset(&w->seed),
					 64 * KB);
		assert_int_equal(ret, 0);
		w->ops += 2;
	}
	memcg_task_exit(t);
	atomic_fetch_sub(w->running, 1);
	return NULL;
}

static void *cutter_main(void *arg)
{
	static const uint64_t sizes[] = { 0, 4096, 8 * 1024 * KB, TB(4) };
	struct worker *w = arg;
	struct memcg_task *t;
	int ret;

	memcg_set_cpu((unsigned)w->id);
	assert_int_equal(memcg_task_create(w->e, "cutter", w->a, &t), 0);
	while (atomic_load(w->running)) {
		ret = memcg_task_truncate(t, "f",
					  sizes[rand_r(&w->seed) % 4]);
		assert_true(ret == 0 || ret == -ENOENT);	/* not yet made */
		w->cuts += !ret;
	}
	assert_int_equal(memcg_task_truncate(t, "f", 0), 0);
	memcg_task_exit(t);
	return NULL;
}

static void *reclaimer_main(void *arg)
{
	struct worker *w = arg;
	int ret;

	memcg_set_cpu((unsigned)w->id);
	while (atomic_load(w->running)) {
		ret = memcg_write(w->a, "memory.reclaim", "256K");
		assert_true(ret == 0 || ret == -EAGAIN);
		w->ops++;
	}
	return NULL;
}

static void test_truncate_race(void **state)
{
	void *(*mains[])(void *) = { writer_main, cutter_main, reclaimer_main };
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *a;
	struct worker w[3];
	struct audit_hold h;
	atomic_int running = 1;
	uint64_t seed = test_seed("test_file_truncate_race", 0x7c1);
	int i;

	(void)state;
	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.nr_cpus = 3;
	cfg.deterministic = true;
	cfg.dataless = false;		/* written back to a file, cut too */
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_sim_attach(e), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.max", "2M"), 0);
	for (i = 0; i < 3; i++) {
		w[i] = (struct worker){ .e = e, .a = a, .id = i,
					.running = &running,
					.seed = (unsigned)(seed + (uint64_t)i) };
		assert_int_equal(pthread_create(&w[i].tid, NULL, mains[i],
						&w[i]), 0);
	}
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_join(w[i].tid, NULL), 0);
	assert_int_equal(w[0].ops, 2 * ROUNDS);
	assert_true(w[1].cuts > 0);
	/* the cutter's last cut was to 0 */
	assert_int_equal(test_file_key(a, "memory.stat", "file"), 0);
	assert_int_equal(test_file_key(a, "memory.stat", "file_dirty"), 0);
	assert_int_equal(test_file_key(a, "memory.stat", "file_writeback"), 0);
	h = (struct audit_hold){ a, 1 };
	assert_int_equal(memcg_audit(e, &h, 1), 0);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncate_race),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
