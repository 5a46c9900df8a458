// SPDX-License-Identifier: MIT
/*
 * bench_preload: malloc/free with and without libmemcg-preload.so.
 *
 * The same binary runs its workload twice per round, as a child process:
 * once with glibc's allocator alone, once with the shim preloaded
 * (MEMCG_CGROUP=bench, no limit), alternating, for 1 and 2 threads. Each
 * thread keeps 1024 slots; an operation frees a random slot's block and
 * allocates a new one of a size between 16 B and 64 KiB, log-uniform
 * (each power of two equally likely), and writes its first byte. The
 * figure is nanoseconds per operation (one malloc and one free) per
 * thread, the median of the rounds, and the ratio shim / glibc. A second
 * mix, 16 B to 1 KiB, stays in glibc's per-thread cache, glibc's fastest
 * path: the shim's cost shows most there.
 *
 *   build/bench/bench_preload                 # 5 rounds of 2,000,000 ops
 *   BENCH_ITERS=1000000 BENCH_ROUNDS=3 build/bench/bench_preload
 *   BENCH_PRELOAD_SHIM=path/libmemcg-preload.so build/bench/bench_preload
 *
 * The shim is found next to the build's bench/ directory
 * (../preload/libmemcg-preload.so) unless BENCH_PRELOAD_SHIM says.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"

#define NR_SLOTS 1024
#define MAX_THREADS 2
#define MAX_ROUNDS 15

struct worker {
	long iters;
	unsigned max_shift;	/* sizes up to 16 << max_shift */
	unsigned long seed;
	pthread_barrier_t *start;
	double ns;
} __attribute__((aligned(64)));

static unsigned long xorshift(unsigned long *s)
{
	unsigned long x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* 16 B .. 16 << @shift: a power of two below, then up to twice it */
static size_t pick_size(unsigned long *seed, unsigned shift)
{
	unsigned long r = xorshift(seed);
	size_t base = (size_t)16 << (r % shift);

	return base + (size_t)((r >> 8) % (base + 1));
}

static void run_ops(void **slot, long iters, unsigned long *seed,
		    unsigned shift)
{
	long i;

	for (i = 0; i < iters; i++) {
		unsigned long r = xorshift(seed);
		void **s = &slot[r % NR_SLOTS];
		char *p;

		free(*s);
		p = malloc(pick_size(seed, shift));
		if (!p)
			abort();
		p[0] = (char)i;
		*s = p;
	}
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	void **slot = calloc(NR_SLOTS, sizeof(*slot));
	double t0;
	int i;

	if (!slot)
		abort();
	run_ops(slot, w->iters / 10, &w->seed, w->max_shift);	/* warm-up */
	pthread_barrier_wait(w->start);
	t0 = now_ns();
	run_ops(slot, w->iters, &w->seed, w->max_shift);
	w->ns = (now_ns() - t0) / (double)w->iters;
	for (i = 0; i < NR_SLOTS; i++)
		free(slot[i]);
	free(slot);
	return NULL;
}

/* The child's side: run @threads workers, print the mean ns per op. */
static int child(int threads, long iters, unsigned shift)
{
	struct worker w[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	pthread_barrier_t start;
	double sum = 0;
	int i;

	pthread_barrier_init(&start, NULL, (unsigned)threads);
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ iters, shift,
					88172645463325252UL + (unsigned long)i,
					&start, 0 };
		pthread_create(&th[i], NULL, worker, &w[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		sum += w[i].ns;
	}
	printf("%.3f\n", sum / threads);
	return 0;
}

/* Run this binary as a child; its ns per op, or -1. */
static double run_child(const char *self, const char *shim, int threads,
			long iters, unsigned shift)
{
	char cmd[PATH_MAX * 2 + 256];
	double ns = -1;
	FILE *f;

	if (shim)
		snprintf(cmd, sizeof(cmd), "env -u MEMCG_MAX -u MEMCG_HIGH "
			 "BENCH_PRELOAD_CHILD=%d BENCH_ITERS=%ld BENCH_SHIFT=%u "
			 "LD_PRELOAD='%s' MEMCG_CGROUP=bench '%s'", threads, iters,
			 shift, shim, self);
	else
		snprintf(cmd, sizeof(cmd), "env -u LD_PRELOAD BENCH_PRELOAD_CHILD=%d "
			 "BENCH_ITERS=%ld BENCH_SHIFT=%u '%s'", threads, iters,
			 shift, self);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lf", &ns) != 1)
		ns = -1;
	if (pclose(f))
		ns = -1;
	return ns;
}

static int find_shim(const char *self, char *out, size_t len)
{
	const char *env = getenv("BENCH_PRELOAD_SHIM");
	const char *slash = strrchr(self, '/');
	int n;

	if (env)
		n = snprintf(out, len, "%s", env);
	else
		n = snprintf(out, len, "%.*s/../preload/libmemcg-preload.so",
			     slash ? (int)(slash - self) : 1, slash ? self : ".");
	if (n < 0 || (size_t)n >= len || access(out, R_OK)) {
		fprintf(stderr, "bench_preload: no shim at %s (BENCH_PRELOAD_SHIM)\n",
			out);
		return -1;
	}
	return 0;
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v ? strtol(v, NULL, 10) : def;
}

/* One table row: @threads threads, sizes up to 16 << @shift. */
static int row(const char *self, const char *shim, const char *mix,
	       int threads, long iters, long rounds, unsigned shift)
{
	double g[MAX_ROUNDS], s[MAX_ROUNDS], gm, sm;
	long r;

	for (r = 0; r < rounds; r++) {
		g[r] = run_child(self, NULL, threads, iters, shift);
		s[r] = run_child(self, shim, threads, iters, shift);
		if (g[r] < 0 || s[r] < 0) {
			fprintf(stderr, "bench_preload: a child failed\n");
			return -1;
		}
	}
	gm = median(g, (int)rounds);
	sm = median(s, (int)rounds);
	printf("%-12s %-8d %12.1f %12.1f %7.2f\n", mix, threads, gm, sm, sm / gm);
	fflush(stdout);
	return 0;
}

int main(void)
{
	char self[PATH_MAX], shim[PATH_MAX];
	long iters = env_long("BENCH_ITERS", 2000000);
	long rounds = env_long("BENCH_ROUNDS", 5);
	ssize_t n;
	int threads;

	if (getenv("BENCH_PRELOAD_CHILD"))
		return child((int)env_long("BENCH_PRELOAD_CHILD", 1), iters,
			     (unsigned)env_long("BENCH_SHIFT", 12));
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = '\0';
	if (find_shim(self, shim, sizeof(shim)))
		return 1;
	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = 5;
	wait_idle();
	printf("malloc+free pairs, 1024 slots per thread, %ld ops, median of "
	       "%ld rounds; ns per op per thread\n", iters, rounds);
	printf("%-12s %-8s %12s %12s %7s\n", "sizes", "threads", "glibc",
	       "shim", "ratio");
	for (threads = 1; threads <= MAX_THREADS; threads++)
		if (row(self, shim, "16B-64KiB", threads, iters, rounds, 12))
			return 1;
	for (threads = 1; threads <= MAX_THREADS; threads++)
		if (row(self, shim, "16B-1KiB", threads, iters, rounds, 6))
			return 1;
	return 0;
}
