// SPDX-License-Identifier: MIT
/*
 * Per-CPU locks (lib/percpu.h) in both modes, and how an engine picks one.
 *
 * The exclusion test runs twice as many threads as CPUs, so that holders
 * and sequences get preempted and migrated: each thread takes its CPU's
 * lock by trylock (a restartable sequence in rseq mode), or, one time in
 * eight, some CPU's lock the remote way (exchange, membarrier, wait). The
 * holder adds one to its CPU's plain counter with a read, a yield point
 * and a write, and checks that nobody else held the lock meanwhile. The
 * counters must sum to the successful acquisitions. A broken protocol
 * shows as a wrong sum, a holder clash, or a lock left set for good (a
 * thread stuck in pcpu_lock()).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/stock.h"

#define RUN_NS 400000000L

struct cpu_slot {
	struct pcpu_lock lock;
	long count;		/* plain: only under the lock */
	int holder;		/* plain: only under the lock */
} __attribute__((aligned(MEMCG_CACHELINE)));

struct excl {
	struct cpu_slot *cpus;
	unsigned nr_cpus;
	bool rseq;
	atomic_bool stop;
	atomic_long taken;
	atomic_long remote;
	atomic_int errors;
};

struct excl_thread {
	struct excl *x;
	int id;
	pthread_t tid;
};

static void hold(struct cpu_slot *c, int id, struct excl *x)
{
	long v = c->count;

	c->holder = id;
	if ((v & 63) == 0)
		sched_yield();	/* be preempted while holding, sometimes */
	if (c->holder != id)
		atomic_fetch_add(&x->errors, 1);
	c->count = v + 1;
}

static void *excl_main(void *p)
{
	struct excl_thread *t = p;
	struct excl *x = t->x;
	unsigned long r = (unsigned long)t->id * 2654435761u + 1;

	while (!atomic_load_explicit(&x->stop, memory_order_relaxed)) {
		unsigned cpu;

		r = r * 6364136223846793005ul + 1442695040888963407ul;
		if ((r >> 61) == 0) {
			cpu = (unsigned)(r >> 32) % x->nr_cpus;
			pcpu_lock(&x->cpus[cpu].lock, cpu, x->rseq);
			atomic_fetch_add(&x->remote, 1);
		} else {
			cpu = real_cpu(x->nr_cpus);
			if (!pcpu_trylock(&x->cpus[cpu].lock, cpu, x->rseq))
				continue;
		}
		hold(&x->cpus[cpu], t->id, x);
		pcpu_unlock(&x->cpus[cpu].lock);
		atomic_fetch_add_explicit(&x->taken, 1, memory_order_relaxed);
	}
	return NULL;
}

static void run_exclusion(bool rseq)
{
	unsigned nr_cpus = (unsigned)sysconf(_SC_NPROCESSORS_CONF);
	int nr_threads = 2 * (int)nr_cpus, i;
	struct excl x = { .nr_cpus = nr_cpus, .rseq = rseq };
	struct excl_thread *t = calloc((size_t)nr_threads, sizeof(*t));
	struct timespec ts = { 0, RUN_NS };
	long sum = 0;
	unsigned cpu;

	x.cpus = aligned_alloc(MEMCG_CACHELINE, nr_cpus * sizeof(*x.cpus));
	assert_non_null(x.cpus);
	assert_non_null(t);
	memset(x.cpus, 0, nr_cpus * sizeof(*x.cpus));
	for (i = 0; i < nr_threads; i++) {
		t[i].x = &x;
		t[i].id = i + 1;
		assert_int_equal(pthread_create(&t[i].tid, NULL, excl_main,
						&t[i]), 0);
	}
	nanosleep(&ts, NULL);
	atomic_store(&x.stop, true);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 20;
	for (i = 0; i < nr_threads; i++)
		if (pthread_timedjoin_np(t[i].tid, NULL, &ts))
			fail_msg("thread %d stuck: a lock word was lost", i);
	for (cpu = 0; cpu < nr_cpus; cpu++)
		sum += x.cpus[cpu].count;
	print_message("%s: %ld acquisitions, %ld remote\n",
		      rseq ? "rseq" : "atomic", atomic_load(&x.taken),
		      atomic_load(&x.remote));
	assert_int_equal(atomic_load(&x.errors), 0);
	assert_int_equal(sum, atomic_load(&x.taken));
	assert_true(atomic_load(&x.remote) > 0);
	assert_true(sum > atomic_load(&x.remote));
	free(x.cpus);
	free(t);
}

static void test_exclusion_atomic(void **state)
{
	(void)state;
	run_exclusion(false);
}

static void test_exclusion_rseq(void **state)
{
	(void)state;
	if (!pcpu_rseq_available())
		skip();
	run_exclusion(true);
}

/* A trylock for another CPU than the thread's fails under rseq. */
static void test_rseq_wrong_cpu(void **state)
{
	unsigned nr_cpus = (unsigned)sysconf(_SC_NPROCESSORS_CONF);
	struct pcpu_lock l = { 0 };
	unsigned cpu, other;
	int tries;

	(void)state;
	if (!pcpu_rseq_available() || nr_cpus < 2)
		skip();
	for (tries = 0; tries < 1000; tries++) {
		cpu = real_cpu(nr_cpus);
		other = (cpu + 1) % nr_cpus;
		assert_false(pcpu_trylock(&l, other, true));
		if (pcpu_trylock(&l, cpu, true))
			break;	/* else migrated in between: try again */
	}
	assert_true(tries < 1000);
	assert_int_equal(atomic_load(&l.local), 1);
	assert_int_equal(atomic_load(&l.remote), 0);
	/* held: a second local trylock fails, then unlock clears @local */
	assert_false(pcpu_trylock(&l, real_cpu(nr_cpus), true));
	pcpu_unlock(&l);
	assert_int_equal(atomic_load(&l.local), 0);
	/* held remotely: sequences give up, unlock clears @remote */
	pcpu_lock(&l, cpu, true);
	assert_int_equal(atomic_load(&l.remote), 1);
	assert_false(pcpu_trylock(&l, real_cpu(nr_cpus), true));
	pcpu_unlock(&l);
	assert_int_equal(atomic_load(&l.remote), 0);
}

static int engine_with(enum memcg_cpu_locks locks, unsigned nr_cpus,
		       bool deterministic, struct memcg_engine **e)
{
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 8 << 20;
	cfg.dataless = true;
	cfg.cpu_locks = locks;
	cfg.nr_cpus = nr_cpus;
	cfg.deterministic = deterministic;
	*e = NULL;
	return memcg_engine_create(&cfg, e);
}

static void test_engine_choice(void **state)
{
	unsigned machine = (unsigned)sysconf(_SC_NPROCESSORS_CONF);
	bool rseq = pcpu_rseq_available();
	struct memcg_engine *e;

	(void)state;
	assert_int_equal(engine_with(MEMCG_CPU_LOCKS_AUTO, 0, false, &e), 0);
	assert_int_equal(memcg_engine_cpu_locks(e), rseq ?
			 MEMCG_CPU_LOCKS_RSEQ : MEMCG_CPU_LOCKS_ATOMIC);
	memcg_engine_destroy(e);
	/* a deterministic engine's CPUs are not the machine's */
	assert_int_equal(engine_with(MEMCG_CPU_LOCKS_AUTO, 2, true, &e), 0);
	assert_int_equal(memcg_engine_cpu_locks(e), MEMCG_CPU_LOCKS_ATOMIC);
	memcg_engine_destroy(e);
	assert_int_equal(engine_with(MEMCG_CPU_LOCKS_ATOMIC, 0, false, &e), 0);
	assert_int_equal(memcg_engine_cpu_locks(e), MEMCG_CPU_LOCKS_ATOMIC);
	memcg_engine_destroy(e);
	assert_int_equal(engine_with(MEMCG_CPU_LOCKS_RSEQ, 0, true, &e),
			 -EINVAL);
	assert_int_equal(engine_with((enum memcg_cpu_locks)7, 0, false, &e),
			 -EINVAL);
	if (machine > 1) {
		assert_int_equal(engine_with(MEMCG_CPU_LOCKS_RSEQ, 1, false,
					     &e), -EINVAL);
		/* fewer areas than CPUs: AUTO keeps the atomic locks */
		assert_int_equal(engine_with(MEMCG_CPU_LOCKS_AUTO, 1, false,
					     &e), 0);
		assert_int_equal(memcg_engine_cpu_locks(e),
				 MEMCG_CPU_LOCKS_ATOMIC);
		memcg_engine_destroy(e);
	}
	/* more areas than CPUs: the extra ones are never anyone's */
	assert_int_equal(engine_with(MEMCG_CPU_LOCKS_AUTO, machine + 3, false,
				     &e), 0);
	assert_int_equal(memcg_engine_cpu_locks(e), rseq ?
			 MEMCG_CPU_LOCKS_RSEQ : MEMCG_CPU_LOCKS_ATOMIC);
	memcg_engine_destroy(e);
	if (rseq) {
		assert_int_equal(engine_with(MEMCG_CPU_LOCKS_RSEQ, 0, false,
					     &e), 0);
		assert_int_equal(memcg_engine_cpu_locks(e),
				 MEMCG_CPU_LOCKS_RSEQ);
		memcg_engine_destroy(e);
	}
}

/*
 * The stock under rseq: a charge leaves a batch's surplus in this CPU's
 * slot, charges and uncharges through it move no counter, a refill past
 * the batch drains the slot, and a drain from anywhere empties it.
 */
static void test_rseq_stock(void **state)
{
	struct memcg_engine *e;
	struct mem_cgroup *m;
	long before;
	int i;

	(void)state;
	if (!pcpu_rseq_available())
		skip();
	assert_int_equal(engine_with(MEMCG_CPU_LOCKS_RSEQ, 0, false, &e), 0);
	assert_int_equal(memcg_mkdir(e, "a", &m), 0);
	assert_int_equal(try_charge_memcg(m, MEMCG_GFP_KERNEL, 1), 0);
	assert_int_equal(page_counter_read(&m->memory), MEMCG_CHARGE_BATCH);
	assert_int_equal(memcg_stock_pages(e, m, NULL), MEMCG_CHARGE_BATCH - 1);
	before = page_counter_read(&m->memory);
	for (i = 0; i < 100000; i++) {
		/* a migration between the two can move pages between slots */
		assert_int_equal(try_charge_memcg(m, MEMCG_GFP_KERNEL, 1), 0);
		refill_stock(m, 1);
	}
	assert_int_equal(page_counter_read(&m->memory) -
			 memcg_stock_pages(e, m, NULL), 1);
	assert_true(page_counter_read(&m->memory) <= before +
		    (long)e->nr_cpus * MEMCG_CHARGE_BATCH);
	refill_stock(m, 1);
	memcg_drain_all_stock(m);
	assert_int_equal(memcg_stock_pages(e, m, NULL), 0);
	assert_int_equal(page_counter_read(&m->memory), 0);
	memcg_put(m);
	assert_int_equal(memcg_rmdir(e, "a"), 0);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exclusion_atomic),
		cmocka_unit_test(test_exclusion_rseq),
		cmocka_unit_test(test_rseq_wrong_cpu),
		cmocka_unit_test(test_engine_choice),
		cmocka_unit_test(test_rseq_stock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
