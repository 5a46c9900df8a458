/* SPDX-License-Identifier: MIT */
/* Timing helpers shared by the benchmarks. */
#ifndef MEMCG_BENCH_UTIL_H
#define MEMCG_BENCH_UTIL_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memcg/memcg.h"

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
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

/* BENCH_CPU_LOCKS=atomic: compare with the atomic-exchange CPU locks. */
static inline void bench_cpu_locks(struct memcg_config *cfg)
{
	const char *env = getenv("BENCH_CPU_LOCKS");

	if (env && !strcmp(env, "atomic"))
		cfg->cpu_locks = MEMCG_CPU_LOCKS_ATOMIC;
}

#endif /* MEMCG_BENCH_UTIL_H */
