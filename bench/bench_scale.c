// SPDX-License-Identifier: MIT
/*
 * bench_scale: how the charge paths scale with threads, cgroups and CPUs
 * (issue 15, points 2 and 5), ratios taken within one run.
 *
 *   t  the scaling table: each path of bench_paths.h (stock, folio,
 *      public, object) and a data-less swap-out + swap-in round trip, in
 *      1 thread, 2 threads in separate cgroups (t0, t1) and 2 threads in
 *      one cgroup (t0). Many short trials, the three cases in rotation
 *      (the first rotation a warm-up, discarded), thread i pinned to the
 *      i-th CPU the process may use (a thread that moved would free its
 *      folios to another CPU's lists, and the threads' folios would come
 *      to share cache lines). Per trial: the mean per-thread CPU time per
 *      pair (time descheduled left out) and how many CPUs the threads
 *      used at once (their CPU time over the wall time from the first
 *      start to the last end). A trial's ratio is its two-thread time
 *      over the one-thread time of its rotation; a rotation counts only
 *      where the threads ran at once all along (>= 0.9 CPUs per thread,
 *      both trials): two threads contend only when both run. Printed:
 *      the medians over the rotations kept, the spread (min-max) of their
 *      ratios and how many were kept.
 *   c  one thread, each path on engines of nr_cpus 0 (the machine's), 64
 *      and 256, runs interleaved: no per-operation cost may grow with
 *      the CPU count.
 *   p  the cost of sharing a cache line between two CPUs, for the paper
 *      model in README.md: two threads pinned to the first two CPUs the
 *      process may use hand one line back and forth (ns per one-way transfer, half a round trip),
 *      and both atomically add to one line (ns per add per thread).
 *
 * Every section prints the CPU time the rest of the machine used
 * meanwhile. Section t: BENCH_TRIALS rotations (default 45) of
 * BENCH_TRIAL_MS per thread and trial (default 20), BENCH_PIN=0 leaves
 * the threads unpinned, BENCH_FORCE=1 keeps every rotation. Section c:
 * BENCH_RUN_MS per timed run (default 100); BENCH_CLOCK=cpu times the
 * thread's CPU time. Arguments pick sections ("t c p"; all by default).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_mt.h"
#include "bench_paths.h"
#include "bench_util.h"

#define RUNS 5
#define NR_THREADS 2
#define ENOUGH_OVERLAP 0.9	/* CPUs per thread */
#define MAX_TRIALS 1000
#define SWAP_BYTES (16L << 20)

static double run_ms = 100;	/* section c */
static double trial_ms = 20;	/* section t */
static int trials = 45;

static void check(int err, const char *what)
{
	if (err)
		bench_die(what, err);
}

static double thread_cpu_ns(void)
{
	return bench_clock_ns(true);
}

/* --- the swap path --- */

/* a->folio, charged to a->memcg, out and back in: charged again, slot free. */
__attribute__((noinline))
static void path_swap(struct bench_path_arg *a, long n)
{
	memcg_swp_entry_t entry;
	struct folio *f;

	for (long i = 0; i < n; i++) {
		check(memcg_swap_out(a->e, a->folio, &entry), "memcg_swap_out");
		check(memcg_swapin(a->e, entry, a->memcg, MEMCG_GFP_KERNEL, &f),
		      "memcg_swapin");
		check(memcg_swap_free(a->e, entry), "memcg_swap_free");
		check(memcg_folio_free_swap(a->e, f, entry),
		      "memcg_folio_free_swap");
		a->folio = f;
	}
}

enum path_folio {
	PATH_NO_FOLIO,
	PATH_UNCHARGED,		/* the folio path charges and uncharges it */
	PATH_CHARGED,		/* the swap path swaps it out and in */
};

static const struct path {
	const char *name;
	bench_path_fn fn;
	enum path_folio folio;
} paths[] = {
	{ "stock: try_charge + refill_stock", bench_path_stock, PATH_NO_FOLIO },
	{ "folio: charge + uncharge_folios", bench_path_folio, PATH_UNCHARGED },
	{ "public: alloc + charge + put", bench_path_public, PATH_NO_FOLIO },
	{ "object: obj_charge + uncharge 64 B", bench_path_object, PATH_NO_FOLIO },
	{ "swap: out + in, data-less 4 KiB", path_swap, PATH_CHARGED },
};
#define NR_PATHS (sizeof(paths) / sizeof(paths[0]))

/* --- engines and per-thread arguments --- */

static struct memcg_engine *engine_new(unsigned nr_cpus)
{
	struct memcg_engine *e = bench_engine_new(nr_cpus, 64 << 20);

	check(memcg_swapon(e, NULL, SWAP_BYTES), "memcg_swapon");
	return e;
}

/* An engine, its cgroups t0 and t1 (children of the root), their objcgs. */
struct scale_engine {
	struct memcg_engine *e;
	struct mem_cgroup *cg[NR_THREADS];
	struct obj_cgroup *objcg[NR_THREADS];
	long swap_free;			/* free slots at the start */
	struct bench_spares spares;	/* bench_folio_own_line()'s */
};

static void scale_engine_init(struct scale_engine *se, unsigned nr_cpus)
{
	char name[8];
	int i;

	se->e = engine_new(nr_cpus);
	se->spares.nr = 0;
	se->swap_free = memcg_swap_nr_free(se->e);
	memcg_set_cpu(-1);
	for (i = 0; i < NR_THREADS; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		check(memcg_mkdir(se->e, name, &se->cg[i]), "memcg_mkdir");
		se->objcg[i] = memcg_objcg_get(se->cg[i]);
	}
}

/* Every slot must be back: a path that leaks one is not measured right. */
static void scale_engine_fini(struct scale_engine *se)
{
	bench_spares_put(se->e, &se->spares);
	memcg_drain_all_stock(memcg_root(se->e));
	swap_slots_drain_all(se->e);	/* freed slots a CPU still holds */
	if (memcg_swap_nr_free(se->e) != se->swap_free)
		bench_die("swap slots did not come back", EINVAL);
	for (int i = 0; i < NR_THREADS; i++) {
		memcg_objcg_put(se->objcg[i]);
		memcg_put(se->cg[i]);
	}
	memcg_engine_destroy(se->e);
}

/* Thread @i's argument for @p, in cgroup t0 or t@i (@separate). */
static void arg_begin(struct bench_path_arg *a, struct scale_engine *se,
		      const struct path *p, int i, bool separate)
{
	int c = separate ? i : 0;

	*a = (struct bench_path_arg){ .e = se->e, .memcg = se->cg[c],
				      .objcg = se->objcg[c] };
	if (p->folio == PATH_NO_FOLIO)
		return;
	a->folio = bench_folio_own_line(se->e, &se->spares);
	if (p->folio == PATH_CHARGED)
		check(memcg_charge(se->e, a->folio, a->memcg, MEMCG_GFP_KERNEL),
		      "memcg_charge");
}

static void arg_end(struct bench_path_arg *a)
{
	if (a->folio)
		memcg_folio_put(a->e, a->folio);
	a->folio = NULL;
}

/* --- t: threads --- */

#define LINE_TRIPS 20000L	/* a line's one-way transfer, around each rotation */
#define LINE_FAR 2.0		/* far: a transfer over twice the fastest seen */

static double pp_run(bool add, const int cpu[2], bool *pinned, long trips);

enum { CASE_ONE, CASE_SEPARATE, CASE_SAME, NR_CASES };

static const struct { int threads; bool separate; const char *name; } cases[] = {
	[CASE_ONE] = { 1, false, "1 thread" },
	[CASE_SEPARATE] = { 2, true, "2 threads, separate cgroups" },
	[CASE_SAME] = { 2, false, "2 threads, one cgroup" },
};

/* Per case, over the rotations kept. */
struct case_result {
	double ns;		/* median CPU ns per pair per thread */
	double ratio, min, max;	/* median per-rotation ratio to 1 thread */
	double par;		/* median CPUs used at once, all rotations */
	int kept;
};

struct path_result {
	struct case_result c[NR_CASES];		/* near rotations */
	struct case_result far[NR_CASES];	/* far ones */
	double line, line_min, line_max; /* one-way transfer, ns, rotations' */
	double other;		/* other load, CPUs */
};

/* A path's rotations: per case and rotation, and per rotation. */
struct rotations {
	double ns[NR_CASES][MAX_TRIALS];	/* mean CPU ns per pair */
	double par[NR_CASES][MAX_TRIALS];	/* CPUs used at once */
	double line[MAX_TRIALS];	/* the slower transfer around it, ns */
	bool far[MAX_TRIALS];
};

/* The fastest one-way transfer seen in this process, ns. */
static double line_floor = 1e9;

/* Pairs in a run of @ms on one thread, from a short timed run. */
static long pairs_per_run(const struct path *p, struct scale_engine *se,
			  double ms)
{
	struct bench_path_arg a;
	double c0, one;

	arg_begin(&a, se, p, 0, false);
	p->fn(&a, 10000);
	c0 = thread_cpu_ns();
	p->fn(&a, 100000);
	one = (thread_cpu_ns() - c0) / 100000;
	arg_end(&a);
	return (long)(ms * 1e6 / one) + 1;
}

/* BENCH_FORCE=1: keep the rotations the threads' overlap does not support. */
static bool bench_force(void)
{
	const char *env = getenv("BENCH_FORCE");

	return env && strcmp(env, "0");
}

/* The first two CPUs this process may run on, or -1. */
static void first_cpus(int cpu[2])
{
	cpu_set_t set;
	int i, n = 0;

	cpu[0] = cpu[1] = -1;
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &set))
			cpu[n++] = i;
}

/* Where section t pins its threads: NULL (not pinned), or 2 CPUs. */
static const int *t_cpus(void)
{
	static int cpu[2];
	const char *env = getenv("BENCH_PIN");

	first_cpus(cpu);
	if ((env && !strcmp(env, "0")) || cpu[1] < 0)
		return NULL;
	return cpu;
}

/* Rotation @k counts for case @c: both its trials overlapped enough. */
static bool rotation_kept(int c, const struct rotations *rot, int k)
{
	return bench_force() ||
	       (rot->par[c][k] >= ENOUGH_OVERLAP * cases[c].threads &&
		rot->par[CASE_ONE][k] >= ENOUGH_OVERLAP);
}

/* @c's figures from the @nr rotations of @rot that are @far or not. */
static void case_stats(struct case_result *res, int c,
		       const struct rotations *rot, int nr, bool far)
{
	static double v[MAX_TRIALS], ratio[MAX_TRIALS];
	int k, kept = 0;

	*res = (struct case_result){ 0 };
	for (k = 0; k < nr; k++)
		v[k] = rot->par[c][k];
	res->par = median(v, nr);
	for (k = 0; k < nr; k++) {
		if (rot->far[k] != far || !rotation_kept(c, rot, k))
			continue;
		v[kept] = rot->ns[c][k];
		ratio[kept++] = rot->ns[c][k] / rot->ns[CASE_ONE][k];
	}
	res->kept = kept;
	if (!kept)
		return;
	res->ns = median(v, kept);
	res->ratio = median(ratio, kept);	/* sorts: [0] the minimum */
	res->min = ratio[0];
	res->max = ratio[kept - 1];
}

/*
 * What a shared line costs now, ns per one-way transfer: the hypervisor
 * moves the vCPUs, and a line between two that share no cache costs
 * several times as much (26 against 200 ns on the 2-vCPU KVM guest).
 */
static double line_now(const int *cpus)
{
	bool pinned = true;
	double ns;

	if (!cpus)
		return 0;
	ns = pp_run(false, cpus, &pinned, LINE_TRIPS);
	if (ns < line_floor)
		line_floor = ns;
	return ns;
}

/* Rotation @k (0: the warm-up, not kept) into @rot. */
static void rotation(const struct path *p, struct bench_path_arg args[][NR_THREADS],
		     long n, const int *cpus, int k, struct rotations *rot)
{
	double before = line_now(cpus), after;
	int c;

	for (c = 0; c < NR_CASES; c++) {
		struct bench_mt_result r = bench_mt_run(p->fn, args[c],
				cases[c].threads, n, cpus, NULL);

		if (k) {
			rot->ns[c][k - 1] = r.ns;
			rot->par[c][k - 1] = r.par;
		}
	}
	after = line_now(cpus);
	if (k)
		rot->line[k - 1] = before > after ? before : after;
}

/* @p's rotations into @rot, and the other load meanwhile into @res. */
static void measure_path(const struct path *p, const int *cpus,
			 struct rotations *rot, struct path_result *res)
{
	struct bench_path_arg args[NR_CASES][NR_THREADS];
	struct scale_engine se;
	struct load_mark m0, m1;
	long n;
	int c, i, k;

	scale_engine_init(&se, 0);
	n = pairs_per_run(p, &se, trial_ms);
	for (c = 0; c < NR_CASES; c++)
		for (i = 0; i < NR_THREADS; i++)
			arg_begin(&args[c][i], &se, p, i, cases[c].separate);
	wait_idle();
	load_mark(&m0);
	/* in rotation: a burst of load elsewhere hits every case */
	for (k = 0; k <= trials; k++)
		rotation(p, args, n, cpus, k, rot);
	load_mark(&m1);
	for (c = 0; c < NR_CASES; c++)
		for (i = 0; i < NR_THREADS; i++)
			arg_end(&args[c][i]);
	res->other = other_cpus(&m0, &m1);
	scale_engine_fini(&se);
}

/* @res from @rot, once every path ran: line_floor is the run's. */
static void path_stats(struct rotations *rot, const int *cpus,
		       struct path_result *res)
{
	int c, k;

	for (k = 0; k < trials; k++)
		rot->far[k] = cpus && rot->line[k] > LINE_FAR * line_floor;
	for (c = 0; c < NR_CASES; c++) {
		case_stats(&res->c[c], c, rot, trials, false);
		case_stats(&res->far[c], c, rot, trials, true);
	}
	res->line = median(rot->line, trials);	/* sorts */
	res->line_min = rot->line[0];
	res->line_max = rot->line[trials - 1];
}

/* "ns | 1.23x | 1.10-1.40 | 40/45", or why there is no ratio. */
static void print_case(const struct case_result *r, const struct case_result *far)
{
	if (!r->kept && far->kept) {
		printf(" - | - (all far) | - | 0/%d |", trials);
		return;
	}
	if (!r->kept) {
		printf(" - | - (%.2f CPUs) | - | 0/%d |", r->par, trials);
		return;
	}
	printf(" %.2f | %.2fx%s | %.2f-%.2f | %d/%d |", r->ns, r->ratio,
	       bench_force() ? " (forced)" : "", r->min, r->max, r->kept, trials);
}

/* The far rotations: "N: separate / same" ratios (medians), or "0". */
static void print_far(const struct path_result *r)
{
	const struct case_result *sep = &r->far[CASE_SEPARATE];
	const struct case_result *same = &r->far[CASE_SAME];

	if (!sep->kept && !same->kept) {
		printf(" 0 |");
		return;
	}
	printf(" %d: %.2fx / %.2fx |", sep->kept > same->kept ? sep->kept :
	       same->kept, sep->ratio, same->ratio);
}

static void section_t(void)
{
	static struct rotations rot[NR_PATHS];
	struct path_result res[NR_PATHS];
	const int *cpus = t_cpus();
	size_t p;

	printf("== t: threads, cgroups at depth 1, %d rotations of the 3 cases, "
	       "%.0f ms per thread and trial, threads %s\n", trials, trial_ms,
	       cpus ? "pinned to CPUs" : "NOT pinned");
	for (p = 0; p < NR_PATHS; p++)
		measure_path(&paths[p], cpus, &rot[p], &res[p]);
	for (p = 0; p < NR_PATHS; p++)
		path_stats(&rot[p], cpus, &res[p]);
	printf("| path, CPU ns per pair per thread | 1 thread | 2 separate "
	       "| ratio | min-max | kept | 2 same | ratio | min-max | kept "
	       "| far: separate / same | line ns | other load |\n");
	printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (p = 0; p < NR_PATHS; p++) {
		const struct path_result *r = &res[p];

		printf("| %s |", paths[p].name);
		if (r->c[CASE_ONE].kept)
			printf(" %.2f |", r->c[CASE_ONE].ns);
		else
			printf(" - |");
		print_case(&r->c[CASE_SEPARATE], &r->far[CASE_SEPARATE]);
		print_case(&r->c[CASE_SAME], &r->far[CASE_SAME]);
		print_far(r);
		printf(" %.0f (%.0f-%.0f) | %.2f |\n", r->line, r->line_min,
		       r->line_max, r->other);
	}
	printf("   medians over the near rotations kept; ratio: the median of "
	       "the rotations' ratios to their one thread, min-max their "
	       "spread;\n"
	       "   kept: rotations where the threads ran at once all along (>= "
	       "%.1f CPUs per thread; BENCH_FORCE=1 keeps all); where none was, "
	       "the median CPUs used at once;\n"
	       "   line ns: a cache line's one-way transfer between the two "
	       "CPUs (section p), the slower of before and after each "
	       "rotation, median (min-max);\n"
	       "   far: rotations whose transfer took over %.0fx the fastest "
	       "seen (%.0f ns; the hypervisor placed the vCPUs apart), kept "
	       "apart: how many, their median ratios;\n"
	       "   other load: CPUs the rest of the machine used\n\n",
	       ENOUGH_OVERLAP, LINE_FAR, line_floor);
}

/* --- c: one thread against nr_cpus --- */

#define NR_CPU_CASES 3

static void section_c(void)
{
	static const unsigned cpus[NR_CPU_CASES] = { 0, 64, 256 };
	struct scale_engine se[NR_CPU_CASES];
	struct bench_path_arg a[NR_CPU_CASES];
	bool cpu_clock = bench_cpu_clock();
	double ns[NR_PATHS][NR_CPU_CASES];
	struct load_mark m0, m1;
	unsigned c;
	size_t p;

	for (c = 0; c < NR_CPU_CASES; c++)
		scale_engine_init(&se[c], cpus[c]);
	wait_idle();
	load_mark(&m0);
	for (p = 0; p < NR_PATHS; p++) {
		long n = pairs_per_run(&paths[p], &se[0], run_ms);

		for (c = 0; c < NR_CPU_CASES; c++)
			arg_begin(&a[c], &se[c], &paths[p], 0, false);
		bench_time_interleaved(paths[p].fn, a, NR_CPU_CASES, n, RUNS,
				       cpu_clock, ns[p]);
		for (c = 0; c < NR_CPU_CASES; c++)
			arg_end(&a[c]);
	}
	load_mark(&m1);
	printf("== c: one thread, cgroup at depth 1, ns per pair against the "
	       "engine's nr_cpus (median of %d, runs interleaved; %s)\n", RUNS,
	       cpu_clock ? "thread CPU time" : "wall time");
	printf("| path | nr_cpus %u (machine) | 64 | 256 | 64 / machine "
	       "| 256 / machine |\n", se[0].e->nr_cpus);
	printf("|---|--:|--:|--:|--:|--:|\n");
	for (p = 0; p < NR_PATHS; p++)
		printf("| %s | %.2f | %.2f | %.2f | %.2fx | %.2fx |\n",
		       paths[p].name, ns[p][0], ns[p][1], ns[p][2],
		       ns[p][1] / ns[p][0], ns[p][2] / ns[p][0]);
	printf("   CPU locks: %s; other load on the machine: %.2f CPUs\n\n",
	       memcg_engine_cpu_locks(se[0].e) == MEMCG_CPU_LOCKS_RSEQ ?
	       "rseq" : "atomic exchange", other_cpus(&m0, &m1));
	for (c = 0; c < NR_CPU_CASES; c++)
		scale_engine_fini(&se[c]);
}

/* --- p: one cache line between two CPUs --- */

#define PP_RUNS 7
#define PP_TRIPS 200000L

static struct {
	_Alignas(64) atomic_long word;
	char pad[64 - sizeof(atomic_long)];
} pp_line;

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

struct pp_thread {
	pthread_t tid;
	int cpu;
	long parity;		/* ping-pong: writes when word % 2 == parity */
	long trips;
	bool add;		/* both add instead */
	pthread_barrier_t *barrier;
	bool pinned;
	double ns;		/* wall ns of the run */
};

static void *pp_main(void *p)
{
	struct pp_thread *t = p;
	cpu_set_t set;
	double t0;
	long i, v;

	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	t->pinned = t->cpu >= 0 &&
		    !pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	pthread_barrier_wait(t->barrier);
	t0 = now_ns();
	for (i = 0; i < t->trips; i++) {
		if (t->add) {
			atomic_fetch_add_explicit(&pp_line.word, 1,
						  memory_order_relaxed);
			continue;
		}
		while (((v = atomic_load_explicit(&pp_line.word,
						  memory_order_acquire)) & 1) !=
		       t->parity)
			cpu_relax();
		atomic_store_explicit(&pp_line.word, v + 1, memory_order_release);
	}
	t->ns = now_ns() - t0;
	return NULL;
}

/* One run: ns per one-way transfer (ping-pong) or per add per thread. */
static double pp_run(bool add, const int cpu[2], bool *pinned, long trips)
{
	struct pp_thread t[2];
	pthread_barrier_t barrier;
	double ns = 0;
	int i;

	atomic_store(&pp_line.word, 0);
	pthread_barrier_init(&barrier, NULL, 2);
	for (i = 0; i < 2; i++) {
		t[i] = (struct pp_thread){ .cpu = cpu[i], .parity = i,
					   .trips = trips, .add = add,
					   .barrier = &barrier };
		if (pthread_create(&t[i].tid, NULL, pp_main, &t[i]))
			bench_die("pthread_create", EAGAIN);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i].tid, NULL);
		ns = ns > t[i].ns ? ns : t[i].ns;
		*pinned = *pinned && t[i].pinned;
	}
	pthread_barrier_destroy(&barrier);
	/* a round trip is two transfers: each thread writes once per trip */
	return ns / (double)trips / (add ? 1 : 2);
}

static void section_p(void)
{
	double pp[PP_RUNS], add[PP_RUNS], pp_med, add_med, one;
	struct load_mark m0, m1;
	bool pinned = true;
	int cpu[2], r;

	first_cpus(cpu);
	if (cpu[1] < 0) {
		printf("== p: needs 2 CPUs; skipped\n\n");
		return;
	}
	wait_idle();
	load_mark(&m0);
	for (r = 0; r < PP_RUNS; r++) {
		pp[r] = pp_run(false, cpu, &pinned, PP_TRIPS);
		add[r] = pp_run(true, cpu, &pinned, PP_TRIPS);
	}
	{
		double t0 = now_ns();

		for (long i = 0; i < PP_TRIPS; i++)
			atomic_fetch_add_explicit(&pp_line.word, 1,
						  memory_order_relaxed);
		one = (now_ns() - t0) / PP_TRIPS;
	}
	load_mark(&m1);
	pp_med = median(pp, PP_RUNS);	/* sorts: pp[0] is the minimum */
	add_med = median(add, PP_RUNS);
	printf("== p: one cache line, threads on CPUs %d and %d%s (median of %d "
	       "runs of %ld)\n", cpu[0], cpu[1], pinned ? "" : " (NOT pinned)",
	       PP_RUNS, PP_TRIPS);
	printf("%-48s %8.1f ns  (min %.1f)\n",
	       "ping-pong, one-way transfer (half a round trip)", pp_med, pp[0]);
	printf("%-48s %8.1f ns  (min %.1f)\n",
	       "both atomic_fetch_add on it, per add per thread", add_med,
	       add[0]);
	printf("%-48s %8.1f ns\n", "one thread atomic_fetch_add, line not shared",
	       one);
	printf("   other load on the machine: %.2f CPUs\n\n", other_cpus(&m0, &m1));
}

int main(int argc, char **argv)
{
	const char *env = getenv("BENCH_RUN_MS");
	const char *want = argc < 2 ? "tcp" : NULL;
	bool t = false, c = false, p = false;
	int i;

	if (env && atof(env) > 0)
		run_ms = atof(env);
	env = getenv("BENCH_TRIAL_MS");
	if (env && atof(env) > 0)
		trial_ms = atof(env);
	env = getenv("BENCH_TRIALS");
	if (env && atoi(env) > 0)
		trials = atoi(env) < MAX_TRIALS ? atoi(env) : MAX_TRIALS;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = want ? 0 : 1; i < (want ? 1 : argc); i++) {
		const char *s = want ? want : argv[i];

		if (strspn(s, "tcp") != strlen(s)) {
			fprintf(stderr, "usage: %s [t] [c] [p]\n", argv[0]);
			return 2;
		}
		t |= strchr(s, 't') != NULL;
		c |= strchr(s, 'c') != NULL;
		p |= strchr(s, 'p') != NULL;
	}
	if (t)
		section_t();
	if (c)
		section_c();
	if (p)
		section_p();
	return 0;
}
