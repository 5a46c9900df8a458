// SPDX-License-Identifier: MIT
/*
 * bench_objcg: the cost of accounting kernel objects, one charge + free
 * pair at a time, against the page path, measured in the same run.
 *
 *   a  one thread, cgroup "A" (depth 1):
 *      - obj hit: memcg_obj_charge(64) + memcg_obj_uncharge(64); both
 *        served by this CPU's object stock (the common slab case)
 *      - obj hit, dead objcg: the same after rmdir of the objcg's cgroup:
 *        the objcg was reparented and its refcount is a shared atomic
 *      - obj miss, page via stock: 5000-byte objects: every charge misses
 *        the object stock and charges 2 pages through the page stock,
 *        every free gives 2 pages back to it
 *      - obj miss, slot thrash: 64-byte objects of NR_OBJ_STOCK + 1
 *        objcgs in turn: every charge evicts a slot (drain + refill)
 *      - page path: try_charge_memcg(1) + refill_stock(1), the page stock
 *        under obj_cgroup_charge_pages (no objcg, no stats)
 *      - page path, counters: try_charge_memcg(1) + memcg_uncharge(1)
 *      - kmem page: memcg_kmem_charge_page(order 0) +
 *        memcg_kmem_uncharge_page (the arena allocator included, with a
 *        frame held elsewhere so that its block is not merged each time)
 *   b  obj hit with 1, 2 and 4 threads, one shared objcg and separate ones
 *
 * For comparison, the kernel's own figures for kmem accounting overhead
 * on a charge+free pair of slab objects are 49-82 ns (the note).
 *
 * Timing: CLOCK_MONOTONIC, one warm-up run, the median of 5 runs. The CPU
 * is the real one (rseq). BENCH_ITERS sets pairs per run (default
 * 4000000); arguments pick sections ("a b").
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/objcg.h"
#include "core/stock.h"

#include "bench_mt.h"
#include "bench_paths.h"
#include "bench_util.h"

#define RUNS 5
#define MAX_THREADS 4

static long iters = 4000000;

struct bench_ctx {
	struct memcg_engine *e;
	struct mem_cgroup *memcg;
	struct obj_cgroup *objcg[NR_OBJ_STOCK + 1];
	struct folio *pin;	/* keeps the arena's first block broken */
};

typedef void (*pair_fn)(struct bench_ctx *c, long n);

static void obj_hit(struct bench_ctx *c, long n)
{
	struct obj_cgroup *objcg = c->objcg[0];

	for (long i = 0; i < n; i++) {
		if (memcg_obj_charge(objcg, 64, 0))
			bench_die("memcg_obj_charge", -12);
		memcg_obj_uncharge(objcg, 64, 0);
	}
}

static void obj_miss_pages(struct bench_ctx *c, long n)
{
	struct obj_cgroup *objcg = c->objcg[0];

	for (long i = 0; i < n; i++) {
		if (memcg_obj_charge(objcg, 5000, 0))
			bench_die("memcg_obj_charge", -12);
		memcg_obj_uncharge(objcg, 5000, 0);
	}
}

static void obj_miss_thrash(struct bench_ctx *c, long n)
{
	for (long i = 0; i < n; i++) {
		struct obj_cgroup *objcg = c->objcg[i % (NR_OBJ_STOCK + 1)];

		if (memcg_obj_charge(objcg, 64, 0))
			bench_die("memcg_obj_charge", -12);
		memcg_obj_uncharge(objcg, 64, 0);
	}
}

static void page_stock(struct bench_ctx *c, long n)
{
	for (long i = 0; i < n; i++) {
		if (try_charge_memcg(c->memcg, 0, 1))
			bench_die("try_charge_memcg", -12);
		refill_stock(c->memcg, 1);
	}
}

static void page_counters(struct bench_ctx *c, long n)
{
	for (long i = 0; i < n; i++) {
		if (try_charge_memcg(c->memcg, 0, 1))
			bench_die("try_charge_memcg", -12);
		memcg_uncharge(c->memcg, 1);
	}
}

static void kmem_page(struct bench_ctx *c, long n)
{
	struct folio *folio;
	int err;

	for (long i = 0; i < n; i++) {
		err = memcg_kmem_charge_page(c->e, c->objcg[0], 0, 0, &folio);
		if (err)
			bench_die("memcg_kmem_charge_page", err);
		memcg_kmem_uncharge_page(c->e, folio);
	}
}

/* ns per pair: warm-up, then the median of RUNS runs. */
static double measure(struct bench_ctx *c, pair_fn fn, long n)
{
	double t[RUNS];
	int r;

	fn(c, n / 10 + 1);
	for (r = 0; r < RUNS; r++) {
		double t0 = now_ns();

		fn(c, n);
		t[r] = (now_ns() - t0) / (double)n;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

static void ctx_init(struct bench_ctx *c, const char *name)
{
	char path[64];
	int err, i;

	c->e = bench_engine_new(0, 64 << 20);
	/*
	 * One frame held for the whole run: otherwise every order-0 free
	 * merges the arena block back and the next allocation breaks it again
	 * (512 list operations), which is the arena's cost, not accounting.
	 */
	c->pin = memcg_folio_alloc(c->e, MEMCG_FOLIO_ANON, 0);
	err = memcg_mkdir(c->e, name, &c->memcg);
	if (err)
		bench_die("memcg_mkdir", err);
	c->objcg[0] = memcg_objcg_get(c->memcg);
	for (i = 1; i <= NR_OBJ_STOCK; i++) {
		struct mem_cgroup *m;

		snprintf(path, sizeof(path), "%s/t%d", name, i);
		err = memcg_mkdir(c->e, path, &m);
		if (err)
			bench_die("memcg_mkdir", err);
		c->objcg[i] = memcg_objcg_get(m);
		memcg_put(m);
	}
}

static void ctx_done(struct bench_ctx *c)
{
	int i;

	for (i = 0; i <= NR_OBJ_STOCK; i++)
		memcg_objcg_put(c->objcg[i]);
	memcg_put(c->memcg);
	memcg_folio_put(c->e, c->pin);
	memcg_engine_destroy(c->e);	/* removes the cgroups */
}

static void section_a(void)
{
	static const struct { const char *name; pair_fn fn; } rows[] = {
		{ "obj hit (64 B, object stock)", obj_hit },
		{ "obj miss, 2 pages via page stock (5000 B)", obj_miss_pages },
		{ "obj miss, slot thrash (6 objcgs, 64 B)", obj_miss_thrash },
		{ "page path: try_charge + refill_stock", page_stock },
		{ "page path: try_charge + counters", page_counters },
		{ "kmem page: charge_page + uncharge_page", kmem_page },
	};
	struct bench_ctx c;
	struct mem_cgroup *m;
	size_t i;
	int err;

	printf("a  one thread, cgroup A (depth 1), ns per charge+free pair\n");
	ctx_init(&c, "A");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		printf("   %-46s %7.1f\n", rows[i].name,
		       measure(&c, rows[i].fn, iters));

	/* the objcg of a removed cgroup: reparented, atomic refcount */
	err = memcg_mkdir(c.e, "A/dead", &m);
	if (err)
		bench_die("memcg_mkdir", err);
	memcg_objcg_put(c.objcg[0]);
	c.objcg[0] = memcg_objcg_get(m);
	memcg_put(m);
	err = memcg_rmdir(c.e, "A/dead");
	if (err)
		bench_die("memcg_rmdir", err);
	printf("   %-46s %7.1f\n", "obj hit, objcg of a removed cgroup",
	       measure(&c, obj_hit, iters));
	printf("   the kernel: 49-82 ns of accounting per slab alloc+free pair\n\n");
	ctx_done(&c);
}

/* Wall ns per pair per thread, @nr threads at once (bench_mt.h). */
static double run_threads(struct bench_ctx *c, int nr, bool separate)
{
	struct bench_path_arg args[MAX_THREADS];
	int i;

	for (i = 0; i < nr; i++)
		args[i] = (struct bench_path_arg){ .e = c->e, .memcg = c->memcg,
			.objcg = separate ? c->objcg[i + 1] : c->objcg[0] };
	return bench_mt_run(bench_path_object, args, nr, iters / 2, NULL,
			    NULL).wall_ns;
}

static void section_b(void)
{
	struct bench_ctx c;
	int nr;

	printf("b  obj hit, threads on their real CPUs, ns per pair per thread\n");
	ctx_init(&c, "A");
	for (nr = 1; nr <= MAX_THREADS; nr *= 2) {
		double shared[RUNS], separate[RUNS];
		int r;

		for (r = 0; r < RUNS; r++) {
			shared[r] = run_threads(&c, nr, false);
			separate[r] = run_threads(&c, nr, true);
		}
		qsort(shared, RUNS, sizeof(double), cmp_double);
		qsort(separate, RUNS, sizeof(double), cmp_double);
		printf("   %d thread%s: one objcg %7.1f   separate objcgs %7.1f\n",
		       nr, nr > 1 ? "s" : " ", shared[RUNS / 2],
		       separate[RUNS / 2]);
	}
	printf("\n");
	ctx_done(&c);
}

int main(int argc, char **argv)
{
	const char *env = getenv("BENCH_ITERS");
	bool all = argc < 2;
	int i;

	if (env)
		iters = atol(env) > 0 ? atol(env) : iters;
	printf("bench_objcg: %ld pairs per run, median of %d runs, %ld CPUs\n\n",
	       iters, RUNS, sysconf(_SC_NPROCESSORS_ONLN));
	for (i = all ? 0 : 1; i < (all ? 1 : argc); i++) {
		const char *s = all ? "ab" : argv[i];

		if (strchr(s, 'a'))
			section_a();
		if (strchr(s, 'b'))
			section_b();
	}
	return 0;
}
