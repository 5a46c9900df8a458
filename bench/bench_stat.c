// SPDX-License-Identifier: MIT
/*
 * bench_stat: statistics reads with rstat, against baselines measured in
 * the same run.
 *
 *   s  10,000 cgroups, flat (children of the root) and nested (10 x 10 x
 *      100), one folio charged to each leaf, on the machine's CPUs and on
 *      an engine of 64 CPUs:
 *      - root memory.stat when nothing changed since the last read;
 *      - root memory.stat after 100 leaves were updated (a folio charged
 *        to each), the flush included;
 *      - memory.current of a leaf;
 *      - baseline: what a read cost before rstat, every item of every
 *        descendant on every CPU summed, and the LRU sizes walked
 *        (memory.stat's own formatting left out).
 *   c  the single-CPU paths on engines of the machine's CPUs, 64 and 256
 *      CPUs (issue 15, item 5): a stat update, the stock-hit charge pair,
 *      the folio charge pair, the public alloc+charge+put, a memory.stat
 *      read of one cgroup; each as a ratio to the machine-CPUs engine.
 *
 * Timing: CLOCK_MONOTONIC (section c: the thread's CPU time with
 * BENCH_CLOCK=cpu), the median of 5 runs; nothing is pinned.
 * Arguments pick sections ("s", "c"; both by default). BENCH_ITERS sets
 * the iterations of section c (default 2000000).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/memcg_walk.h"
#include "core/rstat.h"
#include "bench_paths.h"
#include "bench_util.h"

#define RUNS 5
#define N_CGROUPS 10000
#define N_UPDATED 100

static long iters = 2000000;
static char buf[32768];

static double read_us(struct mem_cgroup *m, const char *file)
{
	double t0 = now_ns();
	int ret = memcg_read(m, file, buf, sizeof(buf));

	if (ret < 0)
		bench_die("memcg_read", ret);
	return (now_ns() - t0) / 1e3;
}

/*
 * The read before rstat (memcg_page_state_many() and subtree_sizes() of
 * main at 763958f): every item of every descendant on every CPU, the
 * shared and dead values, and each LRU size walked once per LRU line.
 */
static long sink;

static double old_walk_us(struct mem_cgroup *root)
{
	unsigned nr_cpus = root->engine->nr_cpus, cpu;
	long sum[MEMCG_NR_STAT] = { 0 };
	struct mem_cgroup *m;
	double t0 = now_ns();
	int i, lru;

	rcu_read_lock();
	memcg_for_each_descendant_pre(m, root) {
		for (i = 0; i < MEMCG_LRU_BASE; i++)
			sum[i] += atomic_load_explicit(&m->stat_shared[i],
						       memory_order_relaxed) +
				  atomic_load_explicit(&m->stat_dead[i],
						       memory_order_relaxed);
		for (cpu = 0; cpu < nr_cpus; cpu++)
			for (i = 0; i < MEMCG_LRU_BASE; i++)
				sum[i] += atomic_load_explicit(
					&m->pcpu[cpu].stat[i],
					memory_order_relaxed);
	}
	for (lru = 0; lru < NR_LRU_LISTS; lru++)
		memcg_for_each_descendant_pre(m, root)
			for (i = 0; i < NR_LRU_LISTS; i++)
				sum[MEMCG_LRU_BASE + i] += __atomic_load_n(
					&m->lruvec.nr_pages[i], __ATOMIC_RELAXED);
	rcu_read_unlock();
	for (i = 0; i < MEMCG_NR_STAT; i++)
		sink += sum[i];
	return (now_ns() - t0) / 1e3;
}

struct tree {
	struct memcg_engine *e;
	struct mem_cgroup *leaf[N_CGROUPS];
	struct folio *folio[N_CGROUPS];
	struct folio *extra[RUNS + 1][N_UPDATED];
};

static void tree_build(struct tree *t, bool nested, unsigned nr_cpus)
{
	char path[64];
	int i, j, k, n = 0, err;

	t->e = bench_engine_new(nr_cpus, 64 << 20);
	for (i = 0; !nested && i < N_CGROUPS; i++) {
		snprintf(path, sizeof(path), "c%d", i);
		if ((err = memcg_mkdir(t->e, path, &t->leaf[n++])))
			bench_die("memcg_mkdir", err);
	}
	for (i = 0; nested && i < 10; i++) {
		snprintf(path, sizeof(path), "n%d", i);
		if ((err = memcg_mkdir(t->e, path, NULL)))
			bench_die("memcg_mkdir", err);
		for (j = 0; j < 10; j++) {
			snprintf(path, sizeof(path), "n%d/m%d", i, j);
			if ((err = memcg_mkdir(t->e, path, NULL)))
				bench_die("memcg_mkdir", err);
			for (k = 0; k < 100; k++) {
				snprintf(path, sizeof(path), "n%d/m%d/l%d", i, j, k);
				if ((err = memcg_mkdir(t->e, path, &t->leaf[n++])))
					bench_die("memcg_mkdir", err);
			}
		}
	}
	for (i = 0; i < N_CGROUPS; i++) {
		t->folio[i] = memcg_folio_alloc(t->e, MEMCG_FOLIO_ANON, 0);
		if (!t->folio[i] || memcg_charge(t->e, t->folio[i], t->leaf[i], 0))
			bench_die("memcg_charge", -ENOMEM);
	}
}

static void tree_free(struct tree *t)
{
	int i, r;

	memcg_folios_put(t->e, t->folio, N_CGROUPS);
	for (r = 0; r <= RUNS; r++)
		memcg_folios_put(t->e, t->extra[r], N_UPDATED);
	for (i = 0; i < N_CGROUPS; i++)
		memcg_put(t->leaf[i]);
	memcg_engine_destroy(t->e);
}

/* A folio charged to each of 100 leaves spread over the tree. */
static void update_leaves(struct tree *t, int round)
{
	int i;

	for (i = 0; i < N_UPDATED; i++) {
		struct mem_cgroup *m = t->leaf[(i * 97 + round * 13) % N_CGROUPS];
		struct folio *f = memcg_folio_alloc(t->e, MEMCG_FOLIO_ANON, 0);

		if (!f || memcg_charge(t->e, f, m, 0))
			bench_die("memcg_charge", -ENOMEM);
		t->extra[round][i] = f;
	}
}

static void section_s(void)
{
	const struct bench_tree_case *cases = bench_tree_cases;
	unsigned c;

	printf("== s: root memory.stat with 10,000 cgroups, us (median of %d)\n",
	       RUNS);
	printf("%-32s %10s %12s %10s %12s %10s %12s\n", "tree", "unchanged",
	       "100 updated", "old walk", "old/unch.", "old/100", "current ns");
	for (c = 0; c < BENCH_NR_TREE_CASES; c++) {
		struct tree *t = calloc(1, sizeof(*t));
		double still[RUNS], upd[RUNS], old[RUNS], cur[RUNS];
		int r, i;

		if (!t)
			bench_die("calloc", -ENOMEM);
		tree_build(t, cases[c].nested, cases[c].cpus);
		memcg_set_cpu(-1);
		read_us(memcg_root(t->e), "memory.stat");	/* the first flush */
		update_leaves(t, RUNS);
		read_us(memcg_root(t->e), "memory.stat");
		for (r = 0; r < RUNS; r++) {
			still[r] = read_us(memcg_root(t->e), "memory.stat");
			update_leaves(t, r);
			upd[r] = read_us(memcg_root(t->e), "memory.stat");
			old[r] = old_walk_us(memcg_root(t->e));
			{
				double t0 = now_ns();

				for (i = 0; i < 100000; i++)
					memcg_read(t->leaf[i % N_CGROUPS],
						   "memory.current", buf, 64);
				cur[r] = (now_ns() - t0) / 100000;
			}
		}
		printf("%-32s %10.1f %12.1f %10.1f %11.0fx %9.1fx %12.1f\n",
		       cases[c].name, median(still, RUNS), median(upd, RUNS),
		       median(old, RUNS), median(old, RUNS) / median(still, RUNS),
		       median(old, RUNS) / median(upd, RUNS), median(cur, RUNS));
		tree_free(t);
		free(t);
	}
	printf("   memory.current: memcg_read() of a leaf, ns per read\n\n");
}

/* --- c: single-CPU paths against the number of CPUs --- */

__attribute__((noinline))
static void loop_stat(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++)
		mod_memcg_state(a->memcg, MEMCG_PGFAULT, 1);
}

__attribute__((noinline))
static void loop_current(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++)
		memcg_read(a->memcg, "memory.current", buf, 64);
}

__attribute__((noinline))
static void loop_stat_read(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		mod_memcg_state(a->memcg, MEMCG_PGFAULT, 1);
		memcg_read(a->memcg, "memory.stat", buf, sizeof(buf));
	}
}

static const struct { const char *name; bench_path_fn fn; long div; } ops[] = {
	{ "stat update (mod_memcg_state)", loop_stat, 1 },
	{ "stock-hit charge pair", bench_path_stock, 1 },
	{ "folio charge pair", bench_path_folio, 1 },
	{ "public alloc+charge+put", bench_path_public, 1 },
	{ "memory.current read", loop_current, 4 },
	{ "update + memory.stat read", loop_stat_read, 400 },
};
#define NR_OPS (sizeof(ops) / sizeof(ops[0]))
#define NR_CPU_CASES 3

static void section_c(void)
{
	static const unsigned cpus[NR_CPU_CASES] = { 0, 64, 256 };
	bool cpu_clock = bench_cpu_clock();
	double ns[NR_OPS][NR_CPU_CASES];
	struct memcg_engine *e[NR_CPU_CASES];
	struct bench_path_arg a[NR_CPU_CASES];
	unsigned c, o;
	int err;

	printf("== c: one thread, depth 3, ns per operation against nr_cpus "
	       "(median of %d, runs interleaved)\n", RUNS);
	memcg_set_cpu(-1);
	for (c = 0; c < NR_CPU_CASES; c++) {
		struct mem_cgroup *m = NULL;

		e[c] = bench_engine_new(cpus[c], 64 << 20);
		if ((err = memcg_mkdir(e[c], "a", NULL)) ||
		    (err = memcg_mkdir(e[c], "a/b", NULL)) ||
		    (err = memcg_mkdir(e[c], "a/b/c", &m)))
			bench_die("memcg_mkdir", err);
		a[c] = (struct bench_path_arg){ .e = e[c], .memcg = m,
			.folio = memcg_folio_alloc(e[c], MEMCG_FOLIO_ANON, 0) };
	}
	for (o = 0; o < NR_OPS; o++)
		bench_time_interleaved(ops[o].fn, a, NR_CPU_CASES,
				       iters / ops[o].div, RUNS, cpu_clock, ns[o]);
	printf("%-32s %12s %10s %10s %8s %8s\n", "operation", "machine ns",
	       "64 ns", "256 ns", "64/m", "256/m");
	for (o = 0; o < NR_OPS; o++)
		printf("%-32s %12.2f %10.2f %10.2f %7.2fx %7.2fx\n", ops[o].name,
		       ns[o][0], ns[o][1], ns[o][2], ns[o][1] / ns[o][0],
		       ns[o][2] / ns[o][0]);
	printf("   machine: %u CPUs; CPU locks %s; %s\n\n", e[0]->nr_cpus,
	       e[0]->rseq_locks ? "rseq" : "atomic",
	       cpu_clock ? "thread CPU time (BENCH_CLOCK=cpu)" : "wall time");
	for (c = 0; c < NR_CPU_CASES; c++) {
		memcg_folio_put(e[c], a[c].folio);
		memcg_put(a[c].memcg);
		memcg_engine_destroy(e[c]);
	}
}

int main(int argc, char **argv)
{
	const char *env = getenv("BENCH_ITERS");
	bool s = argc < 2, c = argc < 2;
	int i;

	if (env && atol(env) > 0)
		iters = atol(env);
	for (i = 1; i < argc; i++) {
		s |= strchr(argv[i], 's') != NULL;
		c |= strchr(argv[i], 'c') != NULL;
	}
	if (s)
		section_s();
	if (c)
		section_c();
	return sink == 42 ? 1 : 0;
}
