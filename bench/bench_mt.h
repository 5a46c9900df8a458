/* SPDX-License-Identifier: MIT */
/*
 * Threads running one path of bench_paths.h at once, the timing shared by
 * bench_charge (section c, "mt"), bench_scale (section t) and bench_objcg
 * (section b). Each thread runs a warm-up of n / 8 pairs (it fills the
 * stocks), waits at a barrier with the others, then times n pairs: the
 * wall clock at its start and end, and its own CPU time (time descheduled
 * left out).
 *
 * A run gives the mean per-thread CPU (and wall) ns per pair, the pairs of all
 * threads per second of the wall span (first start to last end), and how
 * many CPUs the threads really used at once: their CPU time over that
 * span. Two threads contend only while both run; near 2.0 they did all
 * along, at 1.0 they took turns.
 *
 * Also here: folios whose descriptor starts a cache line, so that
 * threads' folios do not share one (bench_swap's "mt" takes them too).
 */
#ifndef MEMCG_BENCH_MT_H
#define MEMCG_BENCH_MT_H

#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#include "bench_paths.h"
#include "bench_util.h"

#define BENCH_MT_MAX 4

struct bench_mt_result {
	double ns;		/* mean per-thread CPU ns per pair */
	double wall_ns;		/* mean per-thread wall ns per pair */
	double mops;		/* all pairs / wall span, millions per second */
	double par;		/* the threads' CPU time / wall span: CPUs */
};

struct bench_mt_thread {
	pthread_t tid;
	struct bench_path_arg *a;
	bench_path_fn fn;
	void (*done)(void);	/* in the thread after its timed loop, or NULL */
	long n;
	int cpu;		/* pinned to this CPU, or -1 */
	pthread_barrier_t *barrier;
	double t0, t1;		/* wall, ns */
	double cpu_ns;		/* the thread's CPU time in the timed loop */
};

static inline void *bench_mt_main(void *p)
{
	struct bench_mt_thread *t = p;
	double c0;

	if (t->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(t->cpu, &set);
		if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
			bench_die("pthread_setaffinity_np", EINVAL);
	}
	memcg_set_cpu(-1);
	t->fn(t->a, t->n / 8 + 1);	/* warm-up, and fill the stocks */
	pthread_barrier_wait(t->barrier);
	t->t0 = now_ns();
	c0 = bench_clock_ns(true);
	t->fn(t->a, t->n);
	t->cpu_ns = bench_clock_ns(true) - c0;
	t->t1 = now_ns();
	if (t->done)
		t->done();
	return NULL;
}

/*
 * bench_mt_run - one run of @nr threads, thread i running @fn on @args[i]
 * for @n pairs, pinned to @cpus[i] (@cpus NULL: not pinned); @done, if
 * not NULL, runs in each thread after its timed loop.
 */
static inline struct bench_mt_result
bench_mt_run(bench_path_fn fn, struct bench_path_arg *args, int nr, long n,
	     const int *cpus, void (*done)(void))
{
	struct bench_mt_thread t[BENCH_MT_MAX];
	pthread_barrier_t barrier;
	double first = 0, last = 0, sum = 0, wall = 0, cpu = 0;
	struct bench_mt_result res;
	int i;

	pthread_barrier_init(&barrier, NULL, (unsigned)nr);
	for (i = 0; i < nr; i++) {
		t[i] = (struct bench_mt_thread){ .a = &args[i], .fn = fn,
			.done = done, .n = n, .cpu = cpus ? cpus[i] : -1,
			.barrier = &barrier };
		if (pthread_create(&t[i].tid, NULL, bench_mt_main, &t[i]))
			bench_die("pthread_create", EAGAIN);
	}
	for (i = 0; i < nr; i++) {
		pthread_join(t[i].tid, NULL);
		if (!i || t[i].t0 < first)
			first = t[i].t0;
		if (!i || t[i].t1 > last)
			last = t[i].t1;
		sum += t[i].cpu_ns / (double)n;
		wall += (t[i].t1 - t[i].t0) / (double)n;
		cpu += t[i].cpu_ns;
	}
	pthread_barrier_destroy(&barrier);
	res.ns = sum / nr;
	res.wall_ns = wall / nr;
	res.mops = (double)n * nr / (last - first) * 1e3;
	res.par = cpu / (last - first);
	return res;
}

/*
 * Folios whose 16-byte descriptor starts a cache line: folios of different
 * threads must not share one (4 descriptors fit in a line, and charging
 * writes memcg_data). BENCH_ADJACENT_FOLIOS=1 takes the next folio
 * instead, to measure that false sharing. The folios skipped are held in
 * @s until bench_spares_put().
 */
struct bench_spares {
	struct folio *f[64];
	int nr;
};

static inline struct folio *bench_folio_own_line(struct memcg_engine *e,
						 struct bench_spares *s)
{
	struct folio *f;

	for (;;) {
		f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		if (!f)
			bench_die("memcg_folio_alloc", ENOMEM);
		if (getenv("BENCH_ADJACENT_FOLIOS") ||
		    !((uintptr_t)f & (MEMCG_CACHELINE - 1)) || s->nr == 64)
			return f;
		s->f[s->nr++] = f;
	}
}

static inline void bench_spares_put(struct memcg_engine *e, struct bench_spares *s)
{
	while (s->nr)
		memcg_folio_put(e, s->f[--s->nr]);
}

#endif /* MEMCG_BENCH_MT_H */
