// SPDX-License-Identifier: MIT
/*
 * A failing charge deep in a tree: a chain of DEPTH cgroups built with
 * memcg_mkdirat(), memory.max 0 at the top, one anon page charged at the
 * leaf. Reclaim finds nothing at any level and the OOM killer no task, so
 * the charge fails with -ENOMEM after every retry: the whole failing path.
 * Its cost should grow linearly with the depth (the charge walks the
 * ancestors' counters, the stall their PSI groups).
 *
 * Each depth, in one engine per retry policy (memcg_config.charge_retries):
 * the median of RUNS failing charges with the default, which skips the
 * retries' charge walks that must fail again, counts the 16 retries that
 * reclaim cannot help without running them (under 6.12's MGLRU runs their
 * reclaim, outside a stall): 1 walk of the chain and 1 stall per charge;
 * and with MEMCG_RETRIES_KERNEL, which runs everything (19 walks and 18
 * stalls); then the ratios against the shallowest depth, in
 * the same process. Also the time to build and remove the chain (mkdir,
 * like the kernel's, walks the ancestors: a chain costs O(depth^2) in
 * pointer steps), in the first engine.
 *
 * Run: build/bench/bench_deep               # depths 100, 2048, 10000
 *      BENCH_DEEP_RUNS=200 build/bench/bench_deep 10000  # for a profile
 *      BENCH_CLOCK=cpu build/bench/bench_deep   # thread CPU time, for a
 *                                               # busy machine
 *      build/bench/bench_deep 100 65534     # depths of your own
 *      BENCH_DEEP_KERNEL=6.12 build/bench/bench_deep  # 6.12's profile
 *                                               # (MGLRU), default 6.1
 */
#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

static bool use_cpu_clock;	/* BENCH_CLOCK=cpu */

static double clock_ns(void)
{
	return bench_clock_ns(use_cpu_clock);
}

#define RUNS 9
#define MAX_RUNS 1000
#define MAX_DEPTHS 8

struct result {
	long depth;
	double charge_ns, kernel_ns, build_ns, remove_ns;
};

/* A chain of @depth cgroups "a": h[0] is the root, h[depth] the leaf. */
static struct mem_cgroup **build_chain(struct memcg_engine *e, long depth)
{
	struct mem_cgroup **h = malloc((size_t)(depth + 1) * sizeof(*h));
	long i;

	if (!h)
		exit(1);
	h[0] = memcg_root(e);
	for (i = 0; i < depth; i++) {
		if (memcg_mkdirat(h[i], "a", &h[i + 1])) {
			fprintf(stderr, "bench_deep: mkdir at depth %ld failed\n", i + 1);
			exit(1);
		}
	}
	return h;
}

/* rmdir from the leaf up, each level by its parent's handle */
static void remove_chain(struct mem_cgroup **h, long depth)
{
	long i;

	for (i = depth; i >= 1; i--) {
		memcg_put(h[i]);
		if (memcg_rmdirat(h[i - 1], "a")) {
			fprintf(stderr, "bench_deep: rmdir at depth %ld failed\n", i);
			exit(1);
		}
	}
	free(h);
}

/* Median failing charge at the depth of @r under @retries; fills build/remove. */
static double run_depth(struct result *r, enum memcg_charge_retries retries)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup **h, *top, *leaf;
	double t[MAX_RUNS], t0;
	int i, runs = RUNS;

	if (getenv("BENCH_DEEP_RUNS"))
		runs = atoi(getenv("BENCH_DEEP_RUNS"));
	if (runs < 1 || runs > MAX_RUNS)
		runs = RUNS;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	cfg.dataless = true;
	cfg.charge_retries = retries;
	if (getenv("BENCH_DEEP_KERNEL") &&
	    !strcmp(getenv("BENCH_DEEP_KERNEL"), "6.12"))
		cfg.kernel = MEMCG_KERNEL_6_12;
	if (memcg_engine_create(&cfg, &e)) {
		fprintf(stderr, "bench_deep: engine\n");
		exit(1);
	}
	memcg_set_cpu(0);
	t0 = clock_ns();
	h = build_chain(e, r->depth);
	top = h[1];
	leaf = h[r->depth];
	r->build_ns = clock_ns() - t0;
	if (memcg_write(top, "memory.max", "0")) {
		fprintf(stderr, "bench_deep: memory.max\n");
		exit(1);
	}
	for (i = 0; i < runs; i++) {
		struct folio *f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		int err;

		t0 = clock_ns();
		err = memcg_charge(e, f, leaf, MEMCG_GFP_KERNEL);
		t[i] = clock_ns() - t0;
		memcg_folio_put(e, f);
		if (err != -ENOMEM) {
			fprintf(stderr, "bench_deep: charge gave %d\n", err);
			exit(1);
		}
	}
	t0 = clock_ns();
	remove_chain(h, r->depth);
	r->remove_ns = clock_ns() - t0;
	memcg_engine_destroy(e);
	return median(t, runs);
}

int main(int argc, char **argv)
{
	struct result r[MAX_DEPTHS] = {
		{ .depth = 100 }, { .depth = 2048 }, { .depth = 10000 },
	};
	struct load_mark a, b;
	int n = 3, i;

	if (argc > 1) {
		for (n = 0; n + 1 < argc && n < MAX_DEPTHS; n++)
			r[n].depth = atol(argv[n + 1]);
	}
	use_cpu_clock = bench_cpu_clock();
	wait_idle();
	load_mark(&a);
	printf("%8s %14s %8s %14s %8s %12s %12s\n", "depth", "failing charge",
	       "ratio", "kernel retries", "ratio", "build", "remove");
	for (i = 0; i < n; i++) {
		struct result k = r[i];

		r[i].kernel_ns = run_depth(&k, MEMCG_RETRIES_KERNEL);
		r[i].charge_ns = run_depth(&r[i], MEMCG_RETRIES_SKIP_NOOP);
		printf("%8ld %11.3f ms %7.1fx %11.3f ms %7.1fx %9.1f ms %9.1f ms\n",
		       r[i].depth, r[i].charge_ns / 1e6,
		       r[i].charge_ns / r[0].charge_ns, r[i].kernel_ns / 1e6,
		       r[i].kernel_ns / r[0].kernel_ns,
		       r[i].build_ns / 1e6, r[i].remove_ns / 1e6);
	}
	load_mark(&b);
	printf("(depth ratio of the last to the first: %.1fx; other load: %.2f CPUs)\n",
	       (double)r[n - 1].depth / (double)r[0].depth, other_cpus(&a, &b));
	return 0;
}
