// SPDX-License-Identifier: MIT
/*
 * Multi-threaded stress: threads doing random operations on one engine and
 * one cgroup tree for a bounded time, with the invariant auditor at every
 * quiescent point (workers paused at a barrier mid-round, and joined at
 * the end of each round), and a teardown that must leave every counter at
 * zero, only the root cgroup and every frame free.
 *
 * Phases (one cmocka test each):
 *
 *   random     every public operation at random: charge, put, batch put,
 *              migrate, split, move_account, drain, control-file reads and
 *              writes, mkdir/rmdir of per-thread and shared cgroups,
 *              lookup/put of handles, CPU changes, swap-out, swap-in
 *              (charging owners that other threads remove), slot frees
 *              and entries shared between threads; on the machine's CPUs
 *              (nr_cpus = 0, real CPU from rseq) in v2, and on one CPU
 *              (nr_cpus = 1: every thread fights for one stock) in v1
 *   rmdir      one thread creates and removes "victim" (and "victim/kid")
 *              in a loop while the others charge it through handles they
 *              looked up, mostly from its stock, and keep charging it
 *              offline, dropping their handle before their folios, and
 *              swap its pages out and back in around its removal
 *   migrate    two threads: the migrator charges a folio, gives the other
 *              an extra reference, and migrates the folio while the other
 *              polls for it and drops that reference (single or batch put)
 *   drain      chargers on a small subtree against a thread that drains
 *              every stock, lowers and raises memory.max (which drains)
 *              and reads memory.stat, memory.current and cgroup.stat; on
 *              the machine's CPUs and on one CPU
 *
 * Every thread calls memcg_set_cpu(-1): the CPU is the real one (rseq).
 * On the machine's CPUs the engine uses rseq CPU locks and stock
 * sequences (checked where the machine has them); on one CPU, atomic ones.
 * Each phase runs two rounds of MEMCG_STRESS_MS milliseconds (default 800):
 * the whole test takes about 10 s, and about 11 s under ThreadSanitizer.
 *
 * What a worker does is stress_worker.c's; worker threads cannot use
 * cmocka's assertions (they longjmp to the test's stack): CHECK() prints
 * and aborts instead.
 */
#include "stress_threads.h"

static long round_ms(void)
{
	const char *env = getenv("MEMCG_STRESS_MS");
	long ms = env ? atol(env) : 800;

	return ms > 0 ? ms : 800;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}
/* --- the driver --- */

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct stress *s = w->s;

	memcg_set_cpu(-1);		/* the real CPU, from rseq */
	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		if (atomic_load_explicit(&s->pause, memory_order_relaxed)) {
			pthread_barrier_wait(&s->barrier);	/* paused */
			pthread_barrier_wait(&s->barrier);	/* resumed */
			continue;
		}
		s->step(w);
	}
	return NULL;
}

/* The auditor, with every reference the workers hold as handles. */
static void audit(struct stress *s)
{
	struct audit_hold holds[MAX_WORKERS * (MAX_HANDLES + MAX_OWN)];
	size_t n = 0;
	int i, j;

	for (i = 0; i < s->nr_workers; i++) {
		struct worker *w = &s->w[i];

		for (j = 0; j < w->nr_handles; j++)
			holds[n++] = (struct audit_hold){ w->handles[j], 1 };
		for (j = 0; j < w->nr_own; j++)
			holds[n++] = (struct audit_hold){ w->own[j].h, 1 };
	}
	assert_int_equal(memcg_audit(s->e, holds, n), 0);
}

/* One round: run, pause at a barrier and audit, run, join and audit. */
static void run_round(struct stress *s, long ms)
{
	int i;

	atomic_store(&s->stop, false);
	atomic_store(&s->pause, false);
	for (i = 0; i < s->nr_workers; i++)
		assert_int_equal(pthread_create(&s->w[i].tid, NULL, worker_main,
						&s->w[i]), 0);
	sleep_ms(ms / 2);
	atomic_store(&s->pause, true);
	pthread_barrier_wait(&s->barrier);	/* every worker is paused */
	audit(s);
	atomic_store(&s->pause, false);
	pthread_barrier_wait(&s->barrier);
	sleep_ms(ms - ms / 2);
	atomic_store(&s->stop, true);
	for (i = 0; i < s->nr_workers; i++)
		assert_int_equal(pthread_join(s->w[i].tid, NULL), 0);
	audit(s);
}

static struct stress *stress_create(enum memcg_mode mode, unsigned nr_cpus,
				    int nr_workers, void (*step)(struct worker *))
{
	struct stress *s = calloc(1, sizeof(*s));
	uint64_t seed = test_seed("test_stress_threads", 0x9e3779b97f4a7c15ULL);
	struct memcg_config cfg;
	int i;

	assert_non_null(s);
	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 64 << 20;	/* 16384 frames */
	cfg.dataless = true;
	cfg.nr_cpus = nr_cpus;
	cfg.huge_order = HUGE_ORDER;
	assert_int_equal(memcg_engine_create(&cfg, &s->e), 0);
	/* the machine's CPUs test the rseq locks where there are any */
	if (!nr_cpus && pcpu_rseq_available())
		assert_int_equal(memcg_engine_cpu_locks(s->e),
				 MEMCG_CPU_LOCKS_RSEQ);
	if (nr_cpus == 1)
		assert_int_equal(memcg_engine_cpu_locks(s->e),
				 MEMCG_CPU_LOCKS_ATOMIC);
	assert_int_equal(memcg_swapon(s->e, NULL, SWAP_BYTES), 0);
	pthread_mutex_init(&s->pool_lock, NULL);
	s->v1 = mode == MEMCG_MODE_V1;
	s->nr_workers = nr_workers;
	s->step = step;
	assert_int_equal(pthread_barrier_init(&s->barrier, NULL,
					      (unsigned)nr_workers + 1), 0);
	for (i = 0; i < MAX_WORKERS; i++)
		queue_init(&s->queues[i]);
	for (i = 0; i < nr_workers; i++) {
		struct worker *w = &s->w[i];

		w->s = s;
		w->e = s->e;
		w->id = i;
		w->rng = seed * (uint64_t)(i + 1) + 12345;
	}
	memcg_set_cpu(-1);
	return s;
}

/* Every online cgroup below the root, deepest first. */
struct cg_entry {
	char path[256];
	int depth;
};

static void collect(struct mem_cgroup *m, int depth, struct cg_entry *out,
		    size_t *n, size_t max)
{
	struct mem_cgroup *c;

	cds_list_for_each_entry(c, &m->children, sibling) {
		if (!atomic_load(&c->online))
			continue;
		assert_true(*n < max);
		assert_true(memcg_path(c, out[*n].path, sizeof(out[*n].path)) > 0);
		out[*n].depth = depth + 1;
		(*n)++;
		collect(c, depth + 1, out, n, max);
	}
}

static int by_depth_desc(const void *a, const void *b)
{
	return ((const struct cg_entry *)b)->depth -
	       ((const struct cg_entry *)a)->depth;
}

static void rmdir_all(struct memcg_engine *e)
{
	enum { MAX_CG = 512 };
	struct cg_entry *cg = calloc(MAX_CG, sizeof(*cg));
	size_t i, n = 0;

	assert_non_null(cg);
	pthread_mutex_lock(&e->cgroup_mutex);
	collect(memcg_root(e), 0, cg, &n, MAX_CG);
	pthread_mutex_unlock(&e->cgroup_mutex);
	qsort(cg, n, sizeof(*cg), by_depth_desc);
	for (i = 0; i < n; i++)
		assert_int_equal(memcg_rmdir(e, cg[i].path), 0);
	free(cg);
}

static const enum memcg_stat_item page_stats[] = {
	MEMCG_ANON, MEMCG_FILE, MEMCG_KERNEL, MEMCG_SHMEM, MEMCG_ANON_THP,
	MEMCG_FILE_THP, MEMCG_SHMEM_THP, MEMCG_SWAP,
};

/* Drop everything, remove every cgroup: nothing may be left. */
static void stress_teardown(struct stress *s)
{
	struct memcg_engine *e = s->e;
	struct mem_cgroup *root = memcg_root(e);
	struct folio *batch[32];
	size_t n;
	int i, j;

	for (i = 0; i < MAX_WORKERS; i++)
		while ((n = queue_pop(&s->queues[i], batch, 32)))
			memcg_folios_put(e, batch, n);
	while (s->nr_pool)
		assert_int_equal(memcg_swap_free(e, s->pool[--s->nr_pool]), 0);
	for (i = 0; i < s->nr_workers; i++)
		while (s->w[i].nr_entries)
			do_swap_free(&s->w[i]);
	for (i = 0; i < s->nr_workers; i++) {
		struct worker *w = &s->w[i];

		/* no entry is held any more: each leaves the swap cache */
		while (w->nr_swapped)
			assert_true(drop_swapped(w, w->nr_swapped - 1));
		while (w->nr_folios)
			do_batch_put(w);
		while (w->nr_handles)
			drop_handle(w);
		for (j = 0; j < NR_ST; j++)
			s->total[j] += w->stats[j];
	}
	audit(s);
	rmdir_all(e);
	for (i = 0; i < s->nr_workers; i++) {
		struct worker *w = &s->w[i];

		for (j = 0; j < w->nr_own; j++)
			memcg_put(w->own[j].h);
		w->nr_own = 0;
	}
	memcg_drain_all_stock(root);
	if (e->swap)
		swap_slots_drain_all(e);	/* slots freed, held per CPU */
	assert_int_equal(memcg_audit(e, NULL, 0), 0);

	assert_int_equal(page_counter_read(&root->memory), 0);
	assert_int_equal(page_counter_read(&root->swap), 0);
	for (j = 0; j < (int)(sizeof(page_stats) / sizeof(page_stats[0])); j++)
		assert_int_equal(memcg_page_state(root, page_stats[j]), 0);
	assert_int_equal(memcg_stock_pages(e, root, NULL), 0);
	assert_int_equal(css_ref_read(root), 2);	/* online + id */
	assert_int_equal(atomic_load(&e->nr_memcgs), 1);
	assert_int_equal(folio_arena_nr_free(e->arena),
			 folio_arena_nr_frames(e->arena));
	assert_int_equal(memcg_swap_nr_free(e), SWAP_BYTES / MEMCG_PAGE_SIZE);

	printf("   ");
	for (j = 0; j < NR_ST; j++)
		if (s->total[j])
			printf(" %s %ld", st_names[j], s->total[j]);
	printf("\n");
	memcg_engine_destroy(e);
	pthread_barrier_destroy(&s->barrier);
	for (i = 0; i < MAX_WORKERS; i++)
		pthread_mutex_destroy(&s->queues[i].lock);
	pthread_mutex_destroy(&s->pool_lock);
	free(s);
}

/* --- the tests --- */

struct random_params {
	enum memcg_mode mode;
	unsigned nr_cpus;
	int nr_workers;
};

static void test_random(void **state)
{
	const struct random_params *p = *state;
	struct stress *s = stress_create(p->mode, p->nr_cpus, p->nr_workers,
					 step_random);
	long ms = round_ms();
	int k;

	for (k = 0; k < NR_SHARED; k++) {
		char path[16];

		snprintf(path, sizeof(path), "s%d", k);
		assert_int_equal(memcg_mkdir(s->e, path, NULL), 0);
	}
	run_round(s, ms);
	run_round(s, ms);
	stress_teardown(s);
}

static void test_rmdir_while_charging(void **state)
{
	struct stress *s = stress_create(MEMCG_MODE_V2, 0, 4, step_rmdir);
	long ms = round_ms();

	s->w[0].special = true;
	run_round(s, ms);
	run_round(s, ms);
	stress_teardown(s);
}

static void test_migrate_against_put(void **state)
{
	struct stress *s = stress_create(MEMCG_MODE_V2, 0, 2, step_migrate);
	long ms = round_ms();
	int i;

	/* one pair per CPU of a small machine: they run at the same time */
	for (i = 0; i < 2; i += 2) {
		struct worker *m = &s->w[i], *p = &s->w[i + 1];
		struct own_cg *c = &m->own[0];

		snprintf(c->path, sizeof(c->path), "m%d", i);
		assert_int_equal(memcg_mkdir(s->e, c->path, &c->h), 0);
		c->online = true;
		c->depth = 1;
		m->nr_own = 1;
		m->q = p->q = &s->queues[i];
		p->special = true;
	}
	run_round(s, ms);
	run_round(s, ms);
	stress_teardown(s);
}

static void test_drain_against_charge(void **state)
{
	const unsigned *nr_cpus = *state;
	struct stress *s = stress_create(MEMCG_MODE_V2, *nr_cpus, 4, step_drain);
	long ms = round_ms();
	int i;

	assert_int_equal(memcg_mkdir(s->e, "dp", NULL), 0);
	assert_int_equal(memcg_mkdir(s->e, "dp/shared", NULL), 0);
	s->w[0].special = true;
	for (i = 1; i < 4; i++) {
		struct worker *w = &s->w[i];
		struct own_cg *c = &w->own[0];

		snprintf(c->path, sizeof(c->path), "dp/c%d", i);
		assert_int_equal(memcg_mkdir(s->e, c->path, &c->h), 0);
		c->online = true;
		c->depth = 2;
		w->nr_own = 1;
		assert_int_equal(memcg_lookup(s->e, "dp/shared",
					      &w->handles[0]), 0);
		w->nr_handles = 1;
	}
	run_round(s, ms);
	run_round(s, ms);
	stress_teardown(s);
}

int main(void)
{
	static const struct random_params machine_v2 = { MEMCG_MODE_V2, 0, 6 };
	static const struct random_params one_cpu_v1 = { MEMCG_MODE_V1, 1, 4 };
	static const unsigned machine = 0, one_cpu = 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_random, (void *)&machine_v2),
		cmocka_unit_test_prestate(test_random, (void *)&one_cpu_v1),
		cmocka_unit_test(test_rmdir_while_charging),
		cmocka_unit_test(test_migrate_against_put),
		cmocka_unit_test_prestate(test_drain_against_charge,
					  (void *)&machine),
		cmocka_unit_test_prestate(test_drain_against_charge,
					  (void *)&one_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
