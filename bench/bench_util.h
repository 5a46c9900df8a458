/* SPDX-License-Identifier: MIT */
/* Timing helpers shared by the benchmarks. */
#ifndef MEMCG_BENCH_UTIL_H
#define MEMCG_BENCH_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "memcg/memcg.h"

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* BENCH_CLOCK=cpu: time the thread's CPU time, time descheduled left out. */
static inline bool bench_cpu_clock(void)
{
	const char *clk = getenv("BENCH_CLOCK");

	return clk && !strcmp(clk, "cpu");
}

/* now_ns(), or the thread's CPU time when @cpu. */
static inline double bench_clock_ns(bool cpu)
{
	struct timespec ts;

	if (!cpu)
		return now_ns();
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of @n runs; sorts @v. */
static inline double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/*
 * Other load on the machine: CPU time used by everything but this process
 * (from /proc/stat and getrusage), in CPUs. Benchmarks on a shared machine
 * are only as good as this figure is small.
 */
struct load_mark {
	double wall, busy, self;	/* seconds */
};

static inline void load_mark(struct load_mark *m)
{
	unsigned long long v[8] = { 0 };
	struct rusage ru;
	FILE *f = fopen("/proc/stat", "r");

	if (f) {
		if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
			memset(v, 0, sizeof(v));
		fclose(f);
	}
	getrusage(RUSAGE_SELF, &ru);
	m->wall = now_ns() / 1e9;
	/* user nice system [idle iowait] irq softirq steal */
	m->busy = (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) /
		  (double)sysconf(_SC_CLK_TCK);
	m->self = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		  (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static inline double other_cpus(const struct load_mark *a, const struct load_mark *b)
{
	double other = (b->busy - a->busy) - (b->self - a->self);

	return b->wall > a->wall && other > 0 ? other / (b->wall - a->wall) : 0;
}

/* BENCH_WAIT_IDLE=1: wait (up to 2 min) for the rest of the machine to idle. */
static inline void wait_idle(void)
{
	struct load_mark a, b;
	int i;

	if (!getenv("BENCH_WAIT_IDLE"))
		return;
	for (i = 0; i < 240; i++) {
		load_mark(&a);
		usleep(500000);
		load_mark(&b);
		if (other_cpus(&a, &b) < 0.05)
			return;
	}
	fprintf(stderr, "bench: the machine stays busy; going on\n");
}

/*
 * Config from the environment: BENCH_CPU_LOCKS=atomic (the atomic-exchange
 * CPU locks), BENCH_UNCHARGE=stock (memcg_config.uncharge).
 */
static inline void bench_config_env(struct memcg_config *cfg)
{
	const char *env = getenv("BENCH_CPU_LOCKS");

	if (env && !strcmp(env, "atomic"))
		cfg->cpu_locks = MEMCG_CPU_LOCKS_ATOMIC;
	env = getenv("BENCH_UNCHARGE");
	if (env && !strcmp(env, "stock"))
		cfg->uncharge = MEMCG_UNCHARGE_STOCK;
	env = getenv("BENCH_AGE");
	if (env && !strcmp(env, "kernel"))
		cfg->nonresident_age = MEMCG_AGE_KERNEL;
}

/*
 * The four 10,000-cgroup trees of bench_charge (section e) and bench_stat
 * (section s): flat (children of the root) and nested (10 x 10 x 100), on
 * the machine's CPUs and on an engine of 64.
 */
struct bench_tree_case {
	bool nested;
	unsigned cpus;		/* nr_cpus, 0: the machine's */
	const char *name;
};

#define BENCH_NR_TREE_CASES 4

static const struct bench_tree_case bench_tree_cases[BENCH_NR_TREE_CASES]
__attribute__((unused)) = {
	{ false, 0, "flat, machine CPUs" },
	{ true, 0, "nested 10x10x100, machine CPUs" },
	{ false, 64, "flat, nr_cpus 64" },
	{ true, 64, "nested 10x10x100, nr_cpus 64" },
};

/* Print "PROGRAM: @what: strerror(@err)" (either sign) and exit(1). */
static inline __attribute__((noreturn)) void bench_die(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(err < 0 ? -err : err));
	exit(1);
}

/*
 * A data-less engine of @bytes on @nr_cpus CPUs (0: the machine's), with
 * the environment's config (bench_config_env()); exits on failure.
 */
static inline struct memcg_engine *bench_engine_new(unsigned nr_cpus, size_t bytes)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	int err;

	memcg_config_init(&cfg);
	cfg.memory_bytes = bytes;
	cfg.dataless = true;
	cfg.nr_cpus = nr_cpus;
	bench_config_env(&cfg);
	err = memcg_engine_create(&cfg, &e);
	if (err)
		bench_die("memcg_engine_create", err);
	return e;
}

#endif /* MEMCG_BENCH_UTIL_H */
