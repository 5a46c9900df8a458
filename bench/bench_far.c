// SPDX-License-Identifier: MIT
/*
 * bench_far: the swap round trip of two threads in separate cgroups when
 * the hypervisor places the two vCPUs far apart, under each
 * nonresident-age policy (MEMCG_AGE_KERNEL, MEMCG_AGE_BATCH).
 *
 * Per rotation, each policy in turn: one thread on CPU 0, one on CPU 1,
 * two threads in cgroups t0 and t1 of one engine ("separate"), and the
 * control, two threads on two engines (nothing shared but the machine).
 * A cache line's one-way transfer is timed before and after the
 * rotation; a rotation whose two transfers are both >= 100 ns is far,
 * both < 100 ns near, else left out. Ratios: the two threads' CPU time
 * per round trip over the one-thread times of the same rotation.
 *
 *   build/bench/bench_far                     # 40 rotations
 *   BENCH_ROTATIONS=200 build/bench/bench_far # more, to catch far stretches
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "memcg/memcg.h"

#include "bench_util.h"

#define TRIPS 40000L		/* timed round trips per thread */
#define WARM 2000L
#define LINE_TRIPS 20000L
#define FAR_NS 100.0
#define MAX_ROT 1000

struct far_engine {
	struct memcg_engine *e;
	struct mem_cgroup *cg[2];
};

struct far_thread {
	struct far_engine *x;
	int cg, cpu;
	pthread_barrier_t *b;
	double ns;
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		bench_die("pthread_setaffinity_np", -1);
}

static void far_engine_init(struct far_engine *x, enum memcg_nonresident_age age)
{
	struct memcg_config cfg;
	int err;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64 << 20;
	cfg.dataless = true;
	cfg.nr_cpus = 2;
	cfg.nonresident_age = age;
	if ((err = memcg_engine_create(&cfg, &x->e)) ||
	    (err = memcg_swapon(x->e, NULL, 16L << 20)) ||
	    (err = memcg_mkdir(x->e, "t0", &x->cg[0])) ||
	    (err = memcg_mkdir(x->e, "t1", &x->cg[1])))
		bench_die("engine", err);
}

/* @n round trips of @f in @cg; the folio swapped in goes on. */
static struct folio *round_trips(struct memcg_engine *e, struct mem_cgroup *cg,
				 struct folio *f, long n)
{
	memcg_swp_entry_t entry;
	struct folio *g;
	int err;

	for (long i = 0; i < n; i++) {
		if ((err = memcg_swap_out(e, f, &entry)) ||
		    (err = memcg_swapin(e, entry, cg, MEMCG_GFP_KERNEL, &g)) ||
		    (err = memcg_swap_free(e, entry)) ||
		    (err = memcg_folio_free_swap(e, g, entry)))
			bench_die("swap round trip", err);
		f = g;
	}
	return f;
}

static void *far_thread_main(void *p)
{
	struct far_thread *t = p;
	struct memcg_engine *e = t->x->e;
	struct mem_cgroup *cg = t->x->cg[t->cg];
	struct folio *f;
	double c0;
	int err;

	pin(t->cpu);
	f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	if (!f)
		bench_die("memcg_folio_alloc", -12);
	if ((err = memcg_charge(e, f, cg, MEMCG_GFP_KERNEL)))
		bench_die("memcg_charge", err);
	f = round_trips(e, cg, f, WARM);
	pthread_barrier_wait(t->b);
	c0 = bench_clock_ns(true);
	f = round_trips(e, cg, f, TRIPS);
	t->ns = (bench_clock_ns(true) - c0) / TRIPS;
	memcg_folio_put(e, f);
	return NULL;
}

/* Threads on (@x[i], cgroup @cg[i], CPU @cpu[i]) at once; their mean ns. */
static double run(int n, struct far_engine **x, const int *cg, const int *cpu)
{
	struct far_thread t[2];
	pthread_t tid[2];
	pthread_barrier_t b;
	double sum = 0;

	pthread_barrier_init(&b, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		t[i] = (struct far_thread){ x[i], cg[i], cpu[i], &b, 0 };
		pthread_create(&tid[i], NULL, far_thread_main, &t[i]);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		sum += t[i].ns;
	}
	pthread_barrier_destroy(&b);
	return sum / n;
}

static _Alignas(64) atomic_long line;

static void *line_main(void *p)
{
	long me = (long)p;

	pin((int)me);
	for (long i = 0; i < LINE_TRIPS; i++) {
		while (atomic_load(&line) % 2 != me)
			;
		atomic_fetch_add(&line, 1);
	}
	return NULL;
}

/* A cache line's one-way transfer between CPUs 0 and 1, ns. */
static double line_ns(void)
{
	pthread_t tid[2];
	double t0 = now_ns();

	atomic_store(&line, 0);
	for (long i = 0; i < 2; i++)
		pthread_create(&tid[i], NULL, line_main, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	return (now_ns() - t0) / (2 * LINE_TRIPS);
}

struct far_ratios {
	double sep[2][MAX_ROT], ctl[2][MAX_ROT];
	int n;
};

/* One rotation of both policies: each one's separate and control ratio. */
static void rotation(struct far_engine x[2][2], double sep[2], double ctl[2])
{
	for (int p = 0; p < 2; p++) {
		struct far_engine *a[2] = { &x[p][0], &x[p][1] };
		struct far_engine *same[2] = { &x[p][0], &x[p][0] };
		int cpu[2] = { 0, 1 }, cg01[2] = { 0, 1 }, cg00[2] = { 0, 0 };
		double one = (run(1, &a[0], &cg00[0], &cpu[0]) +
			      run(1, &a[1], &cg00[0], &cpu[1])) / 2;

		sep[p] = run(2, same, cg01, cpu) / one;
		ctl[p] = run(2, a, cg00, cpu) / one;
	}
}

static void report(const char *what, struct far_ratios *r)
{
	static const char *const names[2] = { "kernel", "batch" };

	if (!r->n) {
		printf("%-5s no rotation\n", what);
		return;
	}
	for (int p = 0; p < 2; p++)
		printf("%-5s %-6s separate %.2fx, two engines %.2fx (%d rotations)\n",
		       what, names[p], median(r->sep[p], r->n),
		       median(r->ctl[p], r->n), r->n);
}

int main(void)
{
	static struct far_ratios near, far;
	struct far_engine x[2][2];
	const char *env = getenv("BENCH_ROTATIONS");
	int rot = env ? atoi(env) : 40;

	if (rot < 1 || rot > MAX_ROT)
		bench_die("BENCH_ROTATIONS: 1 to 1000", -22);
	for (int i = 0; i < 2; i++) {
		far_engine_init(&x[0][i], MEMCG_AGE_KERNEL);
		far_engine_init(&x[1][i], MEMCG_AGE_BATCH);
	}
	printf("rotation  line ns  kernel sep/ctl  batch sep/ctl\n");
	for (int r = 0; r < rot; r++) {
		double sep[2], ctl[2], l0 = line_ns(), l1;
		struct far_ratios *to;

		rotation(x, sep, ctl);
		l1 = line_ns();
		printf("%8d  %3.0f/%3.0f  %.2fx/%.2fx    %.2fx/%.2fx\n", r, l0, l1,
		       sep[0], ctl[0], sep[1], ctl[1]);
		if ((l0 >= FAR_NS) != (l1 >= FAR_NS))
			continue;
		to = l0 >= FAR_NS ? &far : &near;
		for (int p = 0; p < 2; p++) {
			to->sep[p][to->n] = sep[p];
			to->ctl[p][to->n] = ctl[p];
		}
		to->n++;
	}
	report("near", &near);
	report("far", &far);
	for (int i = 0; i < 4; i++) {
		struct far_engine *f = &x[i / 2][i % 2];

		memcg_put(f->cg[0]);
		memcg_put(f->cg[1]);
		memcg_engine_destroy(f->e);
	}
	return 0;
}
