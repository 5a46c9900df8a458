/* SPDX-License-Identifier: MIT */
/*
 * The charge paths the benchmarks time, each a loop of @n charge +
 * uncharge pairs of one 4 KiB page (or one small object), kept in one
 * place so that every table times the same code:
 *
 *   stock   try_charge_memcg(1) + refill_stock(1): the per-CPU stock hit
 *           both ways, counters only
 *   counters try_charge_memcg(1) + memcg_uncharge(1): the charge hits the
 *           stock, the uncharge goes to the hierarchical page counters
 *   folio   mem_cgroup_charge() + mem_cgroup_uncharge_folios() on one
 *           folio: stock, reference, statistics and memcg_data; the
 *           uncharge goes to the page counters, as the kernel's does
 *   public  memcg_folio_alloc() + memcg_charge() + memcg_folio_put(): the
 *           folio allocator included, the path of an embedding program
 *   object  memcg_obj_charge(64) + memcg_obj_uncharge(64): the objcg's
 *           byte stock on this CPU, the slab case
 *
 * Each loop aborts when a charge fails: a benchmark cannot time a
 * failing path. The loops are out of line (noinline), so that a profile
 * shows them by name; a file that does not time one does not warn
 * (unused).
 */
#ifndef MEMCG_BENCH_PATHS_H
#define MEMCG_BENCH_PATHS_H

#include <stdbool.h>
#include <stdlib.h>

#include "core/objcg.h"
#include "core/stock.h"

#include "bench_util.h"

struct bench_path_arg {
	struct memcg_engine *e;
	struct mem_cgroup *memcg;
	struct folio *folio;		/* folio: allocated, uncharged */
	struct obj_cgroup *objcg;	/* object: memcg's objcg */
	struct naive_node *node;	/* bench_baselines.h's baselines */
};

typedef void (*bench_path_fn)(struct bench_path_arg *a, long n);

/* Size of the objects of the object path: a kmalloc-64 object. */
#define BENCH_OBJ_SIZE 64

static __attribute__((noinline, unused))
void bench_path_stock(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		if (try_charge_memcg(a->memcg, MEMCG_GFP_KERNEL, 1))
			abort();
		refill_stock(a->memcg, 1);
	}
}

static __attribute__((noinline, unused))
void bench_path_counters(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		if (try_charge_memcg(a->memcg, MEMCG_GFP_KERNEL, 1))
			abort();
		memcg_uncharge(a->memcg, 1);
	}
}

static __attribute__((noinline, unused))
void bench_path_folio(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		if (mem_cgroup_charge(a->folio, a->memcg, MEMCG_GFP_KERNEL))
			abort();
		/* the folio keeps its reference: only the charge goes */
		mem_cgroup_uncharge_folios(a->e, &a->folio, 1);
	}
}

static __attribute__((noinline, unused))
void bench_path_public(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		struct folio *f = memcg_folio_alloc(a->e, MEMCG_FOLIO_ANON, 0);

		if (!f || memcg_charge(a->e, f, a->memcg, MEMCG_GFP_KERNEL))
			abort();
		memcg_folio_put(a->e, f);
	}
}

static __attribute__((noinline, unused))
void bench_path_object(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		if (memcg_obj_charge(a->objcg, BENCH_OBJ_SIZE, 0))
			abort();
		memcg_obj_uncharge(a->objcg, BENCH_OBJ_SIZE, 0);
	}
}

#define BENCH_MAX_CASES 8
#define BENCH_MAX_RUNS 16

/*
 * bench_time_interleaved - ns per pair of @fn on each of @a[0..@nr - 1]
 * into @ns: one warm-up of @n / 4 + 1 pairs each, then @runs runs of @n,
 * the cases' runs interleaved (a burst of load elsewhere hits every case),
 * the median of each; the thread's CPU time when @cpu_clock, else wall.
 */
static inline void bench_time_interleaved(bench_path_fn fn,
					  struct bench_path_arg *a, int nr,
					  long n, int runs, bool cpu_clock,
					  double *ns)
{
	double v[BENCH_MAX_CASES][BENCH_MAX_RUNS];
	int c, r;

	if (nr > BENCH_MAX_CASES || runs > BENCH_MAX_RUNS)
		abort();
	for (c = 0; c < nr; c++)
		fn(&a[c], n / 4 + 1);
	for (r = 0; r < runs; r++)
		for (c = 0; c < nr; c++) {
			double t0 = bench_clock_ns(cpu_clock);

			fn(&a[c], n);
			v[c][r] = (bench_clock_ns(cpu_clock) - t0) / (double)n;
		}
	for (c = 0; c < nr; c++)
		ns[c] = median(v[c], runs);
}

#endif /* MEMCG_BENCH_PATHS_H */
