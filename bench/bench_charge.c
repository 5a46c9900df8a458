// SPDX-License-Identifier: MIT
/*
 * bench_charge: the cost of charging and uncharging a page, against
 * baselines measured in the same run.
 *
 *   a  one thread, one page charged and uncharged (stock hits):
 *      - floor: a thread-local counter, incremented and decremented
 *      - naive: atomic add/sub on every level of the hierarchy, every page
 *      - batching tracker: a 64-page thread-local reservation refilled
 *        from a shared atomic hierarchy (DuckDB / ClickHouse MemoryTracker)
 *      - memcg stock: try_charge_memcg(memcg, 0, 1) + refill_stock(memcg, 1)
 *      - memcg counters: try_charge_memcg() + memcg_uncharge(): the
 *        uncharge goes to the hierarchical page counters
 *      - memcg folio: mem_cgroup_charge() + mem_cgroup_uncharge_folios()
 *        on one folio (reference, stats, memcg_data; the uncharge goes to
 *        the counters, as the kernel's does)
 *      - memcg public: memcg_folio_alloc + memcg_charge + memcg_folio_put
 *        (the arena allocator included)
 *   b  the same at depth 1, 3, 5 and 8 (cgroups below the root; the root
 *      counter is one more level, and the baselines get as many levels)
 *   c  1, 2 and 4 threads, in one shared cgroup and in separate cgroups
 *   d  metadata bytes per page and per cgroup, per-CPU parts included
 *   e  reading memory.stat with 10,000 cgroups, flat and nested
 *
 * Timing: CLOCK_MONOTONIC, one warm-up run, the median of 5 runs. Nothing
 * is pinned; the CPU is the real one (rseq). BENCH_ITERS sets iterations
 * per run (default 4000000); arguments pick sections ("a c e");
 * BENCH_WAIT_IDLE=1 waits for the rest of the machine to be idle before
 * each section. "loop OP DEPTH" and "mt OP NR_CPUS THREADS" run a single
 * case, for profilers and A/B comparisons. See README.md.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_baselines.h"
#include "bench_mt.h"
#include "bench_paths.h"
#include "bench_util.h"

#define RUNS 5
#define MAX_DEPTH 8
#define MAX_THREADS BENCH_MT_MAX

static long iters = 4000000;

static struct load_mark section_start;

static void begin_section(void)
{
	wait_idle();
	load_mark(&section_start);
}

static void end_section(void)
{
	struct load_mark end;

	load_mark(&end);
	printf("   other load on the machine during this section: %.2f CPUs\n\n",
	       other_cpus(&section_start, &end));
}

/* --- the operations: bench_paths.h's and the baselines --- */

struct op {
	const char *name;
	bench_path_fn fn;
};

static const struct op ops[] = {
	{ "floor: thread-local inc+dec", loop_floor },
	{ "naive hierarchical atomics", loop_naive },
	{ "batching tracker (64-page TLS)", loop_tracker },
	{ "memcg stock: try_charge+refill_stock", bench_path_stock },
	{ "memcg counters: try_charge+uncharge", bench_path_counters },
	{ "memcg folio: charge+uncharge_folios", bench_path_folio },
	{ "memcg public: alloc+charge+put", bench_path_public },
};
enum { OP_FLOOR, OP_NAIVE, OP_TRACKER, OP_STOCK, OP_COUNTERS, OP_FOLIO,
       OP_PUBLIC, NR_OPS };

/* The public path allocates and frees: fewer iterations. */
static long op_iters(int op)
{
	return op == OP_PUBLIC ? iters / 4 : iters;
}

/* ns per iteration of one run of @fn. */
static double time_once(bench_path_fn fn, struct bench_path_arg *a, long n)
{
	double t0 = now_ns();

	fn(a, n);
	return (now_ns() - t0) / (double)n;
}

/* Median ns per iteration of @fn over RUNS runs, after a warm-up. */
static double measure(bench_path_fn fn, struct bench_path_arg *a, long n)
{
	double v[RUNS];
	int r;

	fn(a, n / 4 + 1);
	for (r = 0; r < RUNS; r++)
		v[r] = time_once(fn, a, n);
	return median(v, RUNS);
}

/* --- setup --- */

/* "p/b1/b2/.../bN" below @prefix; returns handles to every level. */
static void make_chain(struct memcg_engine *e, const char *prefix, int depth,
		       struct mem_cgroup **levels)
{
	char path[512];
	size_t len;
	int d, err;

	snprintf(path, sizeof(path), "%s", prefix);
	err = memcg_mkdir(e, path, &levels[1]);
	if (err)
		bench_die("memcg_mkdir", err);
	for (d = 2; d <= depth; d++) {
		len = strlen(path);
		snprintf(path + len, sizeof(path) - len, "/b%d", d);
		err = memcg_mkdir(e, path, &levels[d]);
		if (err)
			bench_die("memcg_mkdir", err);
	}
	levels[0] = memcg_root(e);
}

/* --- a and b: one thread --- */

static void section_ab(void)
{
	static const int depths[] = { 1, 3, 5, 8 };
	enum { ND = sizeof(depths) / sizeof(depths[0]) };
	struct memcg_engine *e = bench_engine_new(0, 64 << 20);
	struct mem_cgroup *levels[MAX_DEPTH + 1];
	static struct naive_node nodes[MAX_DEPTH + 1];
	double ns[NR_OPS][ND];
	struct bench_path_arg a = { .e = e };
	int i, d;

	memcg_set_cpu(-1);
	make_chain(e, "a1", MAX_DEPTH, levels);
	naive_chain(nodes, MAX_DEPTH);
	a.folio = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);

	printf("== a, b: one thread, one page charged and uncharged, ns per pair "
	       "(median of %d runs of %ld)\n", RUNS, iters);
	printf("   nr_cpus %u (the machine's), CPU from %s, CPU locks: %s\n",
	       e->nr_cpus, __rseq_size > 0 ? "rseq" : "sched_getcpu()",
	       memcg_engine_cpu_locks(e) == MEMCG_CPU_LOCKS_RSEQ ?
	       "rseq sequences" : "atomic exchange");
	for (d = 0; d < ND; d++) {
		double v[NR_OPS][RUNS];
		int r;

		a.memcg = levels[depths[d]];
		a.node = &nodes[depths[d]];
		/* runs interleaved: a burst of load elsewhere hits every op */
		for (i = 0; i < NR_OPS; i++)
			ops[i].fn(&a, op_iters(i) / 4 + 1);	/* warm-up */
		for (r = 0; r < RUNS; r++)
			for (i = 0; i < NR_OPS; i++)
				v[i][r] = time_once(ops[i].fn, &a, op_iters(i));
		for (i = 0; i < NR_OPS; i++)
			ns[i][d] = median(v[i], RUNS);
		tracker_flush();
		/* leave nothing in the stock for the next depth */
		memcg_drain_all_stock(memcg_root(e));
	}
	printf("%-40s", "depth (cgroups below the root)");
	for (d = 0; d < ND; d++)
		printf(" %8d", depths[d]);
	printf("\n");
	for (i = 0; i < NR_OPS; i++) {
		printf("%-40s", ops[i].name);
		for (d = 0; d < ND; d++)
			printf(" %8.2f", ns[i][d]);
		printf("\n");
	}
	printf("%-40s", "ratio memcg stock / floor");
	for (d = 0; d < ND; d++)
		printf(" %8.2f", ns[OP_STOCK][d] / ns[OP_FLOOR][d]);
	printf("   (target <= 3)\n");
	printf("%-40s", "ratio naive / memcg stock");
	for (d = 0; d < ND; d++)
		printf(" %8.2f", ns[OP_NAIVE][d] / ns[OP_STOCK][d]);
	printf("   (target >= 5 at depth 5)\n");
	printf("%-40s", "ratio memcg stock / batching tracker");
	for (d = 0; d < ND; d++)
		printf(" %8.2f", ns[OP_STOCK][d] / ns[OP_TRACKER][d]);
	printf("\n");
	printf("%-40s", "ratio memcg folio / floor");
	for (d = 0; d < ND; d++)
		printf(" %8.2f", ns[OP_FOLIO][d] / ns[OP_FLOOR][d]);
	printf("\n");

	/* the fast path's parts */
	a.memcg = levels[1];
	a.node = &nodes[1];
	printf("\n   parts of the fast path, ns each:\n");
	printf("%-40s %8.2f\n", "  memcg_this_cpu() (rseq cpu_id load)",
	       measure(loop_this_cpu, &a, iters));
	printf("%-40s %8.2f\n", "  sched_getcpu()", measure(loop_getcpu, &a, iters));
	printf("%-40s %8.2f\n", memcg_engine_cpu_locks(e) ==
	       MEMCG_CPU_LOCKS_RSEQ ? "  CPU lock+unlock (rseq, this CPU)" :
	       "  CPU lock+unlock (xchg+store)",
	       measure(loop_trylock, &a, iters));
	printf("%-40s %8.2f\n", "  atomic fetch_add+fetch_sub, one line",
	       measure(loop_atomic_pair, &a, iters));

	memcg_folio_put(e, a.folio);
	for (d = 1; d <= MAX_DEPTH; d++)
		memcg_put(levels[d]);
	memcg_engine_destroy(e);
}

/* --- c: threads --- */

/* The spare folios of bench_folio_own_line(), given back with the engine. */
static struct bench_spares spares;

/*
 * Median over RUNS of the mean per-thread CPU ns per pair (time spent
 * descheduled left out, so oversubscription and other load on the machine
 * do not count), of the aggregate pairs per second (wall clock) and of the
 * CPUs the threads used at once. Not pinned: 4 threads share 2 CPUs.
 */
static void measure_mt(bench_path_fn fn, struct bench_path_arg *args, int nr,
		       long n, double *ns_op, double *mops, double *par)
{
	double v_ns[RUNS], v_mops[RUNS], v_par[RUNS];
	int r;

	for (r = 0; r < RUNS; r++) {
		struct bench_mt_result res = bench_mt_run(fn, args, nr, n, NULL,
							  tracker_flush);

		v_ns[r] = res.ns;
		v_mops[r] = res.mops;
		v_par[r] = res.par;
	}
	*ns_op = median(v_ns, RUNS);
	*mops = median(v_mops, RUNS);
	*par = median(v_par, RUNS);
}

static void section_c(void)
{
	static const int nr_threads[] = { 1, 2, 4 };
	/* public: each thread allocates its folios (per-CPU frame lists) */
	static const int mt_ops[] = { OP_FLOOR, OP_NAIVE, OP_TRACKER, OP_STOCK,
				      OP_FOLIO, OP_PUBLIC };
	static const struct { bool separate; unsigned nr_cpus; const char *name; }
	modes[] = {
		{ false, 0, "one shared cgroup" },
		{ true, 0, "separate cgroups" },
		{ true, 1, "separate cgroups, nr_cpus 1 (one stock)" },
	};
	enum { NT = 3, NO = sizeof(mt_ops) / sizeof(mt_ops[0]), NM = 3 };
	static struct naive_node root_node, shared_node, sep_nodes[MAX_THREADS];
	double ns[NM][NO][NT], mops[NM][NO][NT], par[NM][NO][NT];
	double run_ns = (double)iters * 25;	/* 100 ms by default */
	unsigned machine_cpus = 0;
	int m, o, k, i, err;

	naive_chain(&root_node, 0);
	shared_node = (struct naive_node){ .max = PAGE_COUNTER_MAX,
					   .parent = &root_node };
	for (i = 0; i < MAX_THREADS; i++)
		sep_nodes[i] = (struct naive_node){ .max = PAGE_COUNTER_MAX,
						    .parent = &root_node };
	for (m = 0; m < NM; m++) {
		struct memcg_engine *e = bench_engine_new(modes[m].nr_cpus, 64 << 20);
		struct mem_cgroup *cg[MAX_THREADS];
		struct bench_path_arg args[MAX_THREADS];

		if (!modes[m].nr_cpus)
			machine_cpus = e->nr_cpus;
		memcg_set_cpu(-1);
		for (i = 0; i < MAX_THREADS; i++) {
			char name[32];

			if (!modes[m].separate && i) {
				memcg_get(cg[0]);
				cg[i] = cg[0];
			} else {
				snprintf(name, sizeof(name), "t%d", i);
				err = memcg_mkdir(e, name, &cg[i]);
				if (err)
					bench_die("memcg_mkdir", err);
			}
			args[i] = (struct bench_path_arg){
				.e = e,
				.memcg = cg[i],
				.node = modes[m].separate ? &sep_nodes[i] : &shared_node,
				.folio = bench_folio_own_line(e, &spares),
			};
		}
		for (o = 0; o < NO; o++) {
			/* runs of ~100 ms: threads must have time to spread */
			double one = measure(ops[mt_ops[o]].fn, &args[0], 100000);
			long n = (long)(run_ns / one);

			tracker_flush();
			for (k = 0; k < NT; k++)
				measure_mt(ops[mt_ops[o]].fn, args, nr_threads[k],
					   n, &ns[m][o][k], &mops[m][o][k],
					   &par[m][o][k]);
		}
		for (i = 0; i < MAX_THREADS; i++) {
			memcg_folio_put(e, args[i].folio);
			memcg_put(cg[i]);
		}
		bench_spares_put(e, &spares);
		memcg_engine_destroy(e);
	}

	printf("== c: threads (depth 1; runs of %.0f ms per thread; %u CPUs, "
	       "4 threads = 2x oversubscribed)\n", run_ns / 1e6, machine_cpus);
	printf("   ns/op: mean per-thread CPU time per pair (descheduled time "
	       "left out); Mops/s: all pairs / wall time;\n"
	       "   CPUs: the threads' CPU time / wall time, how many really "
	       "ran at once (contention needs > 1)\n");
	for (m = 0; m < NM; m++) {
		printf("%-40s", modes[m].name);
		for (k = 0; k < NT; k++)
			printf(" | %d thr: ns/op Mops/s CPUs", nr_threads[k]);
		printf("\n");
		for (o = 0; o < NO; o++) {
			printf("%-40s", ops[mt_ops[o]].name);
			for (k = 0; k < NT; k++)
				printf(" | %11.2f %6.1f %4.2f", ns[m][o][k],
				       mops[m][o][k], par[m][o][k]);
			printf("\n");
		}
	}
	printf("%-40s %6.2f   (target ~1.0: no loss from a second thread "
	       "in another cgroup)\n",
	       "memcg stock, separate: 2 thr / 1 thr ns", ns[1][3][1] / ns[1][3][0]);
	printf("%-40s %6.2f\n", "memcg folio, separate: 2 thr / 1 thr ns",
	       ns[1][4][1] / ns[1][4][0]);
	printf("%-40s %6.2f\n", "memcg stock, shared: 2 thr / 1 thr ns",
	       ns[0][3][1] / ns[0][3][0]);
	printf("%-40s %6.2f\n", "memcg folio, shared: 2 thr / 1 thr ns",
	       ns[0][4][1] / ns[0][4][0]);
	printf("%-40s %6.2f\n", "memcg public, separate: 2 thr / 1 thr ns",
	       ns[1][5][1] / ns[1][5][0]);
}

/* --- d: metadata --- */

static double heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (double)(mi.uordblks + mi.hblkhd);
}

/* Heap growth per page of an engine's arena (data-less: metadata only). */
static double measured_bytes_per_page(void)
{
	const size_t small = 256UL << 20, big = 1UL << 30;
	struct memcg_engine *e1, *e2;
	double h0, h1, h2;

	h0 = heap_bytes();
	e1 = bench_engine_new(0, small);
	h1 = heap_bytes();
	e2 = bench_engine_new(0, big);
	h2 = heap_bytes();
	memcg_engine_destroy(e2);
	memcg_engine_destroy(e1);
	/* the difference of two engines leaves the fixed tables out */
	(void)h0;
	return ((h2 - h1) - (h1 - h0)) / (double)((big - small) / 4096);
}

/* Heap growth per cgroup, over @n cgroups on @nr_cpus CPUs. */
static double measured_bytes_per_cgroup(unsigned nr_cpus, int n)
{
	struct memcg_engine *e = bench_engine_new(nr_cpus, 16 << 20);
	char name[32];
	double h0 = heap_bytes(), h1;
	int i, err;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		err = memcg_mkdir(e, name, NULL);
		if (err)
			bench_die("memcg_mkdir", err);
	}
	h1 = heap_bytes();
	memcg_engine_destroy(e);
	return (h1 - h0) / n;
}

static void section_d(void)
{
	unsigned cpus = (unsigned)sysconf(_SC_NPROCESSORS_CONF);
	size_t cg = sizeof(struct mem_cgroup);
	size_t pcpu = sizeof(struct memcg_pcpu);

	printf("== d: metadata\n");
	printf("%-40s %8zu B\n", "struct folio, per 4 KiB frame",
	       sizeof(struct folio));
	printf("%-40s %8.3f B\n", "arena block counter, per frame (order 9)",
	       4.0 / 512);
	printf("%-40s %8.3f B  (target <= 16)\n", "total per 4 KiB page",
	       (double)sizeof(struct folio) + 4.0 / 512);
	printf("%-40s %8.3f B  (heap growth, 256 MiB -> 1 GiB arena;\n"
	       "%-40s %10s the task model's per-frame rmap included)\n",
	       "measured per 4 KiB page, whole engine",
	       measured_bytes_per_page(), "", "");
	printf("%-40s %8zu B\n", "struct mem_cgroup", cg);
	printf("%-40s %8zu B\n", "struct memcg_pcpu, per CPU", pcpu);
	printf("%-40s %8zu B\n", "slot + id table entries, per cgroup",
	       2 * sizeof(void *));
	printf("%-40s %8zu B  (+ name, objects it points to, malloc)\n",
	       "per cgroup, 1 CPU", cg + pcpu + 2 * sizeof(void *));
	printf("%-40s %8zu B\n", "per cgroup, this machine's CPUs",
	       cg + cpus * pcpu + 2 * sizeof(void *));
	printf("%-40s %8zu B\n", "per cgroup, 64 CPUs",
	       cg + 64 * pcpu + 2 * sizeof(void *));
	printf("%-40s %8.0f B  (heap growth over 1000 mkdirs)\n",
	       "measured per cgroup, 1 CPU", measured_bytes_per_cgroup(1, 1000));
	printf("%-40s %8.0f B\n", "measured per cgroup, this machine's CPUs",
	       measured_bytes_per_cgroup(0, 1000));
	printf("%-40s %8.0f B\n", "measured per cgroup, 64 CPUs",
	       measured_bytes_per_cgroup(64, 1000));
	printf("%-40s %8zu B\n", "struct memcg_cpu_area (stock), per CPU",
	       sizeof(struct memcg_cpu_area));
	printf("%-40s %8zu KiB (preallocated: slots %u, ids %u)\n",
	       "engine tables, fixed",
	       ((size_t)(1u << 20) * sizeof(void *) +
		(MEM_CGROUP_ID_MAX + 1) * sizeof(void *) +
		(MEM_CGROUP_ID_MAX / 64 + 1) * 8) >> 10,
	       1u << 20, MEM_CGROUP_ID_MAX + 1);
	printf("\n");
}

/* --- e: memory.stat with 10,000 cgroups --- */

static double read_ms(struct mem_cgroup *m, const char *file)
{
	static char buf[16384];
	double v[RUNS];
	int r, ret;

	for (r = 0; r < RUNS; r++) {
		double t0 = now_ns();

		ret = memcg_read(m, file, buf, sizeof(buf));
		v[r] = (now_ns() - t0) / 1e6;
		if (ret < 0)
			bench_die("memcg_read", ret);
	}
	return median(v, RUNS);
}

struct tree_result {
	int nr;
	double mkdir_ms, bytes_per_cg, root_stat_ms, leaf_stat_ms, cgroup_stat_ms;
};

/*
 * Flat: 10,000 children of the root. Nested: 10 x 10 x 100 (10,000
 * leaves at depth 3, 110 inner cgroups). One folio charged to each leaf.
 */
static void tree_bench(bool nested, unsigned nr_cpus, struct tree_result *res)
{
	enum { N = 10000 };
	struct memcg_engine *e = bench_engine_new(nr_cpus, 64 << 20);
	struct mem_cgroup **leaf = calloc(N, sizeof(*leaf));
	struct folio **folios = calloc(N, sizeof(*folios));
	double t0, heap0;
	char path[64];
	int i, j, k, n = 0, err;

	memcg_set_cpu(-1);
	heap0 = heap_bytes();
	t0 = now_ns();
	if (!nested) {
		for (i = 0; i < N; i++) {
			snprintf(path, sizeof(path), "c%d", i);
			err = memcg_mkdir(e, path, &leaf[n++]);
			if (err)
				bench_die("memcg_mkdir", err);
		}
	} else {
		for (i = 0; i < 10; i++) {
			snprintf(path, sizeof(path), "n%d", i);
			if ((err = memcg_mkdir(e, path, NULL)))
				bench_die("memcg_mkdir", err);
			for (j = 0; j < 10; j++) {
				snprintf(path, sizeof(path), "n%d/m%d", i, j);
				if ((err = memcg_mkdir(e, path, NULL)))
					bench_die("memcg_mkdir", err);
				for (k = 0; k < 100; k++) {
					snprintf(path, sizeof(path), "n%d/m%d/l%d",
						 i, j, k);
					err = memcg_mkdir(e, path, &leaf[n++]);
					if (err)
						bench_die("memcg_mkdir", err);
				}
			}
		}
	}
	res->mkdir_ms = (now_ns() - t0) / 1e6;
	res->nr = nested ? N + 110 : N;
	/* the handles array is not part of it; 8 bytes each */
	res->bytes_per_cg = (heap_bytes() - heap0) / res->nr;
	for (i = 0; i < N; i++) {
		folios[i] = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		if (!folios[i] || memcg_charge(e, folios[i], leaf[i], 0))
			bench_die("memcg_charge", -ENOMEM);
	}
	read_ms(memcg_root(e), "memory.stat");	/* warm-up */
	res->root_stat_ms = read_ms(memcg_root(e), "memory.stat");
	res->leaf_stat_ms = read_ms(leaf[N / 2], "memory.stat");
	res->cgroup_stat_ms = read_ms(memcg_root(e), "cgroup.stat");
	memcg_folios_put(e, folios, N);
	for (i = 0; i < N; i++)
		memcg_put(leaf[i]);
	memcg_engine_destroy(e);
	free(leaf);
	free(folios);
}

static void section_e(void)
{
	const struct bench_tree_case *cases = bench_tree_cases;
	unsigned i;

	printf("== e: 10,000 cgroups, one folio charged to each leaf (median "
	       "of %d reads)\n", RUNS);
	printf("%-36s %8s %10s %12s %12s %12s\n", "tree", "cgroups",
	       "mkdir ms", "B/cgroup*", "root stat ms", "leaf stat ms");
	for (i = 0; i < BENCH_NR_TREE_CASES; i++) {
		struct tree_result r;

		tree_bench(cases[i].nested, cases[i].cpus, &r);
		printf("%-36s %8d %10.1f %12.0f %12.3f %12.4f   cgroup.stat %.4f ms\n",
		       cases[i].name, r.nr, r.mkdir_ms, r.bytes_per_cg,
		       r.root_stat_ms, r.leaf_stat_ms, r.cgroup_stat_ms);
	}
	printf("   * heap growth per cgroup (mallinfo2), malloc overhead "
	       "included\n");
}

/*
 * "loop OP DEPTH": run one operation BENCH_ITERS times and nothing else,
 * for perf record or callgrind (OP: 0 floor .. 6 public, as in table a).
 */
static int profile_loop(int op, int depth)
{
	struct memcg_engine *e = bench_engine_new(0, 64 << 20);
	struct mem_cgroup *levels[MAX_DEPTH + 1];
	static struct naive_node nodes[MAX_DEPTH + 1];
	struct bench_path_arg a = { .e = e };
	int d;

	if (op < 0 || op >= NR_OPS || depth < 1 || depth > MAX_DEPTH)
		return 2;
	memcg_set_cpu(-1);
	make_chain(e, "a1", MAX_DEPTH, levels);
	naive_chain(nodes, MAX_DEPTH);
	a.folio = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	a.memcg = levels[depth];
	a.node = &nodes[depth];
	{
		struct timespec c0, c1;
		double wall;

		ops[op].fn(&a, iters / 4 + 1);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		wall = time_once(ops[op].fn, &a, iters);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
		/* CPU time leaves out the time the thread was not running */
		printf("%s, depth %d: wall %.2f ns, cpu %.2f ns\n", ops[op].name,
		       depth, wall, ((double)(c1.tv_sec - c0.tv_sec) * 1e9 +
				     (double)(c1.tv_nsec - c0.tv_nsec)) / iters);
	}
	tracker_flush();
	memcg_folio_put(e, a.folio);
	for (d = 1; d <= MAX_DEPTH; d++)
		memcg_put(levels[d]);
	memcg_engine_destroy(e);
	return 0;
}

/*
 * "mt OP NR_CPUS THREADS": OP in THREADS threads, each in its own cgroup
 * (BENCH_SAME=1: all in one; BENCH_PARENT=1: below one parent, "p"), on
 * an engine of NR_CPUS CPUs (0: the machine's), for A/B comparisons.
 */
static int profile_mt(int op, unsigned nr_cpus, int nr)
{
	bool same = getenv("BENCH_SAME") != NULL;
	bool parent = getenv("BENCH_PARENT") != NULL;
	struct mem_cgroup *p = NULL;
	struct memcg_engine *e;
	static struct naive_node root_node, nodes[MAX_THREADS];
	struct mem_cgroup *cg[MAX_THREADS];
	struct bench_path_arg args[MAX_THREADS];
	struct load_mark m0, m1;
	double ns, mops, par;
	int i, err;

	if (op < 0 || op >= NR_OPS || nr < 1 || nr > MAX_THREADS)
		return 2;
	e = bench_engine_new(nr_cpus, 64 << 20);
	naive_chain(&root_node, 0);
	if (parent && (err = memcg_mkdir(e, "p", &p)))
		bench_die("memcg_mkdir", err);
	for (i = 0; i < nr; i++) {
		char name[32];

		if (same && i) {
			memcg_get(cg[0]);
			cg[i] = cg[0];
		} else {
			snprintf(name, sizeof(name), "%st%d", p ? "p/" : "", i);
			err = memcg_mkdir(e, name, &cg[i]);
			if (err)
				bench_die("memcg_mkdir", err);
		}
		nodes[i] = (struct naive_node){ .max = PAGE_COUNTER_MAX,
						.parent = &root_node };
		args[i] = (struct bench_path_arg){ .e = e, .memcg = cg[i], .node = &nodes[i],
			.folio = bench_folio_own_line(e, &spares) };
	}
	load_mark(&m0);
	measure_mt(ops[op].fn, args, nr, iters, &ns, &mops, &par);
	load_mark(&m1);
	printf("%s, nr_cpus %u, %d threads%s%s: cpu %.2f ns, %.1f Mops/s, on "
	       "%.2f CPUs (other load %.2f CPUs)\n", ops[op].name, e->nr_cpus,
	       nr, same ? " in one cgroup" : "", p ? " under one parent" : "",
	       ns, mops, par, other_cpus(&m0, &m1));
	for (i = 0; i < nr; i++) {
		memcg_folio_put(e, args[i].folio);
		memcg_put(cg[i]);
	}
	bench_spares_put(e, &spares);
	memcg_put(p);
	memcg_engine_destroy(e);
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("BENCH_ITERS");
	const char *want = "abcde";
	char sel[8] = "";
	int i;

	if (env && atol(env) > 0)
		iters = atol(env);
	if (argc == 4 && !strcmp(argv[1], "loop"))
		return profile_loop(atoi(argv[2]), atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "mt"))
		return profile_mt(atoi(argv[2]), (unsigned)atoi(argv[3]),
				  atoi(argv[4]));
	for (i = 1; i < argc && strlen(sel) + strlen(argv[i]) < sizeof(sel); i++)
		strcat(sel, argv[i]);
	if (sel[0])
		want = sel;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strchr(want, 'a') || strchr(want, 'b')) {
		begin_section();
		section_ab();
		end_section();
	}
	if (strchr(want, 'c')) {
		begin_section();
		section_c();
		end_section();
	}
	if (strchr(want, 'd'))
		section_d();
	if (strchr(want, 'e')) {
		begin_section();
		section_e();
		end_section();
	}
	return 0;
}
