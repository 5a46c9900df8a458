// SPDX-License-Identifier: MIT
/*
 * bench_swap: the cost of a swap-out + swap-in round trip of anonymous
 * memory, per 4 KiB page, against baselines measured in the same run.
 *
 * Columns: v2 (swap counter) and v1 (memory+swap counter) engines, the
 * cgroup at depth 1 and 5 below the root. Rows:
 *
 *   memcg folio pair   mem_cgroup_charge() + mem_cgroup_uncharge_folios()
 *                      on one folio (bench_charge's "memcg folio" row): the
 *                      baseline of the data-less rows, since a round trip
 *                      holds one memory uncharge and one memory charge
 *   data-less 4 KiB    cfg.dataless (no I/O): a charged folio goes out with
 *                      memcg_swap_out() and comes back with memcg_swapin()
 *                      + memcg_swap_free() (the pte maps it) +
 *                      memcg_folio_free_swap(): resident and charged again,
 *                      the slot free; the accounting cost alone
 *   data-less huge     a huge folio (the engine's huge_order) allocated,
 *                      charged, swapped out as a run, faulted back page by
 *                      page, the pages then freed with memcg_folios_put()
 *                      (as munmap would); per page
 *   I/O floor 4 KiB    pwrite + pread of 4 KiB on an unlinked temp file of
 *                      the swap device's size, at the offsets the device
 *                      uses (cycling through it): the baseline of the data
 *                      rows
 *   data 4 KiB         the data-less 4 KiB row on an engine with data: its
 *                      swap device is an unlinked temp file in $TMPDIR
 *   I/O floor huge     pwrite of 2 MiB + 512 preads of 4 KiB, per page
 *   data huge          the data-less huge row with data, per page
 *
 * Every call's result is checked; the data rows tag each page before it
 * goes out and check the tag when it comes back; after every timed run the
 * stocks are drained and memory.current + memory.swap.current (v2) or
 * memory.usage_in_bytes + memory.memsw.usage_in_bytes (v1) of every level,
 * the free swap slots and the folio's owner must be back where they
 * started, or the benchmark aborts: it cannot measure a failing path.
 *
 * Timing: CLOCK_MONOTONIC, a warm-up run, then 5 runs of each row
 * interleaved (a burst of load elsewhere hits every row); the median is
 * shown, with the share of the wall time this thread was on a CPU and the
 * CPU time the rest of the machine used meanwhile. On a busy machine,
 * BENCH_CLOCK=cpu times the thread's CPU time instead (the kernel's part
 * of pwrite/pread included, time spent descheduled left out).
 *
 *   cmake -S . -B build -DMEMCG_BUILD_BENCH=ON
 *   cmake --build build -j2 --target bench_swap
 *   build/bench/bench_swap                    # about 20 s on 2 vCPUs
 *   BENCH_ITERS=20000 build/bench/bench_swap  # shorter (default 300000)
 *   BENCH_WAIT_IDLE=1 build/bench/bench_swap  # wait for an idle machine
 *   BENCH_CLOCK=cpu build/bench/bench_swap    # thread CPU time, not wall
 *   build/bench/bench_swap loop ROW v1|v2 DEPTH  # one row (0..6), for perf
 *   build/bench/bench_swap mt                 # the two-thread section alone
 *
 * The two-thread section: data-less 4 KiB round trips (v2) by one thread,
 * then by two threads at once, each in its own cgroup (t0, t1, children of
 * the root) on one engine and one swap device, runs interleaved. Per
 * thread: ns of wall time per round trip, and the share of that time it
 * was on a CPU; the ratio two threads / one thread is 1.0 when nothing is
 * shared. CPU time per round trip is shown too (BENCH_CLOCK does not
 * apply): on a busy machine, wall time includes time descheduled. And
 * the threads' voluntary context switches per 1,000 round trips: a mutex
 * that two threads contend for puts one to sleep, whatever the load.
 *
 * BENCH_ITERS is the data-less round trips per run; the data rows do a
 * quarter as many pages, the folio pair twice as many.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/memcontrol.h"
#include "mm/folio.h"

#include "bench_mt.h"
#include "bench_util.h"

#define RUNS 5
#define MAX_DEPTH 5
#define PAGE 4096L
#define SWAP_BYTES (16L << 20)	/* the device, and the I/O floor's file */
#define ARENA_BYTES (64L << 20)

static long iters = 300000;

static void die(const char *what, int err)
{
	fprintf(stderr, "bench_swap: %s: %s\n", what, strerror(err < 0 ? -err : err));
	abort();
}

static void check(int err, const char *what)
{
	if (err)
		die(what, err);
}

/* --- the I/O floor: a bare temp file --- */

struct io_floor {
	int fd;
	size_t nr_slots, cursor;
	unsigned char *src;	/* a huge folio's worth */
	unsigned char *dst;	/* one page */
	uint64_t seq;
};

static int temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[4096];
	int fd;

	snprintf(tmpl, sizeof(tmpl), "%s/bench-swap-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd < 0)
		die("mkostemp", errno);
	unlink(tmpl);
	if (ftruncate(fd, SWAP_BYTES))
		die("ftruncate", errno);
	return fd;
}

static void io_floor_open(struct io_floor *io, long huge_pages)
{
	io->fd = temp_file();
	io->nr_slots = SWAP_BYTES / PAGE;
	io->cursor = 0;
	io->src = aligned_alloc(PAGE, (size_t)(huge_pages * PAGE));
	io->dst = aligned_alloc(PAGE, PAGE);
	if (!io->src || !io->dst)
		die("aligned_alloc", ENOMEM);
	memset(io->src, 0x5a, (size_t)(huge_pages * PAGE));
}

static void io_floor_close(struct io_floor *io)
{
	close(io->fd);
	free(io->src);
	free(io->dst);
}

static void pwrite_all(int fd, const void *p, size_t len, off_t pos)
{
	if (pwrite(fd, p, len, pos) != (ssize_t)len)
		die("pwrite", errno ? errno : EIO);
}

static void pread_all(int fd, void *p, size_t len, off_t pos)
{
	if (pread(fd, p, len, pos) != (ssize_t)len)
		die("pread", errno ? errno : EIO);
}

/* A page's tag: its first 8 bytes. */
static void tag_set(void *page, uint64_t tag)
{
	memcpy(page, &tag, sizeof(tag));
}

static void tag_check(const void *page, uint64_t tag)
{
	uint64_t v;

	memcpy(&v, page, sizeof(v));
	if (v != tag) {
		fprintf(stderr, "bench_swap: page came back with tag %llu, "
			"not %llu\n", (unsigned long long)v,
			(unsigned long long)tag);
		abort();
	}
}

/* --- the rows --- */

struct op_arg {
	struct memcg_engine *e;
	struct mem_cgroup *memcg;	/* the leaf being measured */
	struct folio *folio;		/* charged to memcg; goes round trips */
	struct folio *pair;		/* uncharged; for the folio pair */
	struct folio **pages;		/* a huge folio's pages after swap-in */
	unsigned huge_order;
	long huge_pages;
	uint64_t seq;			/* tags of the data rows */
	struct io_floor *io;
};

/* Each loop does at least @n operations (pages) and returns how many. */
typedef long (*loop_fn)(struct op_arg *, long n);

__attribute__((noinline))
static long loop_pair(struct op_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		check(mem_cgroup_charge(a->pair, a->memcg, MEMCG_GFP_KERNEL),
		      "mem_cgroup_charge");
		mem_cgroup_uncharge_folios(a->e, &a->pair, 1);
	}
	return n;
}

/* Fault @entry in, map it (drop the entry), free its swap copy. */
static struct folio *swap_in_page(struct op_arg *a, memcg_swp_entry_t entry)
{
	struct folio *f;

	check(memcg_swapin(a->e, entry, a->memcg, MEMCG_GFP_KERNEL, &f),
	      "memcg_swapin");
	check(memcg_swap_free(a->e, entry), "memcg_swap_free");
	check(memcg_folio_free_swap(a->e, f, entry), "memcg_folio_free_swap");
	return f;
}

/* a->folio out and back in: it ends charged, held once, the slot free. */
__attribute__((noinline))
static long loop_roundtrip(struct op_arg *a, long n)
{
	memcg_swp_entry_t entry;

	for (long i = 0; i < n; i++) {
		void *data = memcg_folio_data(a->e, a->folio);
		uint64_t tag = a->seq++;

		if (data)
			tag_set(data, tag);
		check(memcg_swap_out(a->e, a->folio, &entry), "memcg_swap_out");
		a->folio = swap_in_page(a, entry);
		data = memcg_folio_data(a->e, a->folio);
		if (data)
			tag_check(data, tag);
	}
	return n;
}

/* A charged huge folio out as a run, back page by page, then freed. */
__attribute__((noinline))
static long loop_huge(struct op_arg *a, long n)
{
	long hp = a->huge_pages, nr = (n + hp - 1) / hp;
	memcg_swp_entry_t run, entry;

	for (long i = 0; i < nr; i++) {
		struct folio *h = memcg_folio_alloc(a->e, MEMCG_FOLIO_ANON,
						    a->huge_order);
		unsigned char *data;
		uint64_t tag = a->seq;

		if (!h)
			die("memcg_folio_alloc (huge)", ENOMEM);
		check(memcg_charge(a->e, h, a->memcg, MEMCG_GFP_KERNEL),
		      "memcg_charge");
		data = memcg_folio_data(a->e, h);
		for (long p = 0; data && p < hp; p++)
			tag_set(data + p * PAGE, tag + (uint64_t)p);
		a->seq += (uint64_t)hp;
		check(memcg_swap_out(a->e, h, &run), "memcg_swap_out (huge)");
		for (long p = 0; p < hp; p++) {
			entry.val = run.val + (uint32_t)p;
			a->pages[p] = swap_in_page(a, entry);
			data = memcg_folio_data(a->e, a->pages[p]);
			if (data)
				tag_check(data, tag + (uint64_t)p);
		}
		memcg_folios_put(a->e, a->pages, (size_t)hp);
	}
	return nr * hp;
}

__attribute__((noinline))
static long loop_io_floor(struct op_arg *a, long n)
{
	struct io_floor *io = a->io;

	for (long i = 0; i < n; i++) {
		off_t pos = (off_t)io->cursor * PAGE;
		uint64_t tag = io->seq++;

		io->cursor = (io->cursor + 1) % io->nr_slots;
		tag_set(io->src, tag);
		pwrite_all(io->fd, io->src, PAGE, pos);
		pread_all(io->fd, io->dst, PAGE, pos);
		tag_check(io->dst, tag);
	}
	return n;
}

/* The swap device's pattern for a huge folio: an aligned run, then pages. */
__attribute__((noinline))
static long loop_io_floor_huge(struct op_arg *a, long n)
{
	struct io_floor *io = a->io;
	long hp = a->huge_pages, nr = (n + hp - 1) / hp;

	for (long i = 0; i < nr; i++) {
		size_t slot = io->cursor / (size_t)hp * (size_t)hp;
		uint64_t tag = io->seq;

		io->cursor = (slot + (size_t)hp) % io->nr_slots;
		for (long p = 0; p < hp; p++)
			tag_set(io->src + p * PAGE, tag + (uint64_t)p);
		io->seq += (uint64_t)hp;
		pwrite_all(io->fd, io->src, (size_t)(hp * PAGE), (off_t)slot * PAGE);
		for (long p = 0; p < hp; p++) {
			pread_all(io->fd, io->dst, PAGE,
				  (off_t)(slot + (size_t)p) * PAGE);
			tag_check(io->dst, tag + (uint64_t)p);
		}
	}
	return nr * hp;
}

struct op {
	const char *name;
	loop_fn fn;
	bool data;	/* on the engine with data */
	int iters_mul, iters_div;
};

static const struct op ops[] = {
	{ "memcg folio pair: charge+uncharge", loop_pair, false, 2, 1 },
	{ "data-less round trip, 4 KiB", loop_roundtrip, false, 1, 1 },
	{ "data-less huge, per page", loop_huge, false, 1, 1 },
	{ "I/O floor: pwrite+pread 4 KiB", loop_io_floor, true, 1, 4 },
	{ "data round trip, 4 KiB", loop_roundtrip, true, 1, 4 },
	{ "I/O floor huge: 2M write, 4K reads", loop_io_floor_huge, true, 1, 4 },
	{ "data huge, per page", loop_huge, true, 1, 4 },
};
enum { OP_PAIR, OP_RT0, OP_HUGE0, OP_IO, OP_RT, OP_IOHUGE, OP_HUGE, NR_OPS };

static long op_iters(int op)
{
	return iters * ops[op].iters_mul / ops[op].iters_div;
}

/* --- engines and the counters that must come back --- */

struct counters {
	long mem[MAX_DEPTH + 1], swp[MAX_DEPTH + 1];
	long nr_free;
};

struct bench_engine {
	struct memcg_engine *e;
	struct mem_cgroup *levels[MAX_DEPTH + 1];	/* [0]: the root */
	struct counters start;
};

static struct memcg_engine *engine_new(enum memcg_mode mode, bool dataless)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.dataless = dataless;
	cfg.memory_bytes = ARENA_BYTES;
	check(memcg_engine_create(&cfg, &e), "memcg_engine_create");
	check(memcg_swapon(e, NULL, SWAP_BYTES), "memcg_swapon");
	return e;
}

/* "s1/b2/.../b5" below the root. */
static void make_chain(struct bench_engine *be)
{
	char path[128] = "s1";
	size_t len;
	int d;

	check(memcg_mkdir(be->e, path, &be->levels[1]), "memcg_mkdir");
	for (d = 2; d <= MAX_DEPTH; d++) {
		len = strlen(path);
		snprintf(path + len, sizeof(path) - len, "/b%d", d);
		check(memcg_mkdir(be->e, path, &be->levels[d]), "memcg_mkdir");
	}
	be->levels[0] = memcg_root(be->e);
}

static void bench_engine_init(struct bench_engine *be, enum memcg_mode mode,
			      bool dataless)
{
	be->e = engine_new(mode, dataless);
	make_chain(be);
}

static void bench_engine_fini(struct bench_engine *be)
{
	for (int d = 1; d <= MAX_DEPTH; d++)
		memcg_put(be->levels[d]);
	memcg_engine_destroy(be->e);
}

static long read_bytes(struct mem_cgroup *memcg, const char *file)
{
	char buf[64];
	int ret = memcg_read(memcg, file, buf, sizeof(buf));

	if (ret < 0)
		die(file, ret);
	return atol(buf);
}

/*
 * Stocks and swap return caches drained: memory and swap (v2) or memsw
 * (v1) of every level.
 */
static void counters_read(struct bench_engine *be, struct counters *c)
{
	bool v1 = be->e->v1;

	memset(c, 0, sizeof(*c));
	memcg_drain_all_stock(be->levels[0]);
	/* freed slots a CPU holds, still charged (swapfile.h) */
	swap_slots_drain_all(be->e);
	for (int d = 1; d <= MAX_DEPTH; d++) {
		c->mem[d] = read_bytes(be->levels[d], v1 ? "memory.usage_in_bytes"
							: "memory.current");
		c->swp[d] = read_bytes(be->levels[d], v1 ?
				       "memory.memsw.usage_in_bytes" :
				       "memory.swap.current");
	}
	c->nr_free = memcg_swap_nr_free(be->e);
}

static void counters_verify(struct bench_engine *be, struct op_arg *a,
			    const char *what)
{
	struct counters now;

	counters_read(be, &now);
	if (memcmp(&now, &be->start, sizeof(now)) ||
	    memcg_folio_memcg(be->e, a->folio) != a->memcg) {
		fprintf(stderr, "bench_swap: %s: counters did not come back:\n",
			what);
		for (int d = 1; d <= MAX_DEPTH; d++)
			fprintf(stderr, "  level %d: memory %ld -> %ld, %s %ld -> %ld\n",
				d, be->start.mem[d], now.mem[d],
				be->e->v1 ? "memsw" : "swap", be->start.swp[d],
				now.swp[d]);
		fprintf(stderr, "  free slots %ld -> %ld\n", be->start.nr_free,
			now.nr_free);
		abort();
	}
}

/* Set up the measurement of one column: the held folios, the snapshot. */
static void arg_begin(struct op_arg *a, struct bench_engine *be, int depth,
		      struct io_floor *io)
{
	a->e = be->e;
	a->memcg = be->levels[depth];
	a->io = io;
	a->huge_order = folio_arena_huge_order(be->e->arena);
	a->huge_pages = 1L << a->huge_order;
	a->pages = calloc((size_t)a->huge_pages, sizeof(*a->pages));
	a->folio = memcg_folio_alloc(be->e, MEMCG_FOLIO_ANON, 0);
	a->pair = memcg_folio_alloc(be->e, MEMCG_FOLIO_ANON, 0);
	if (!a->pages || !a->folio || !a->pair)
		die("setup", ENOMEM);
	check(memcg_charge(be->e, a->folio, a->memcg, MEMCG_GFP_KERNEL),
	      "memcg_charge");
	counters_read(be, &be->start);
	if (be->start.swp[depth] != (be->e->v1 ? be->start.mem[depth] : 0))
		die("swap in use before the measurement", EINVAL);
}

static void arg_end(struct op_arg *a)
{
	memcg_folio_put(a->e, a->folio);
	memcg_folio_put(a->e, a->pair);
	free(a->pages);
}

static double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* BENCH_CLOCK=cpu: the thread's CPU time, descheduled time left out. */
static bool use_cpu_clock;
static double total_wall, total_cpu;	/* how much of the time we ran */

/* ns per operation of one run; the counters are checked afterwards. */
static double time_once(int op, struct op_arg *a, struct bench_engine *be,
			long n)
{
	double t0 = now_ns(), c0 = thread_cpu_ns(), wall, cpu;
	long done = ops[op].fn(a, n);

	cpu = thread_cpu_ns() - c0;
	wall = now_ns() - t0;
	total_wall += wall;
	total_cpu += cpu;
	counters_verify(be, a, ops[op].name);
	return (use_cpu_clock ? cpu : wall) / (double)done;
}

/* --- the table --- */

struct column {
	enum memcg_mode mode;
	int depth;
};

static const struct column columns[] = {
	{ MEMCG_MODE_V2, 1 }, { MEMCG_MODE_V2, 5 },
	{ MEMCG_MODE_V1, 1 }, { MEMCG_MODE_V1, 5 },
};
enum { NC = sizeof(columns) / sizeof(columns[0]) };

/* Every row of one column, runs interleaved; medians into ns[op]. */
static void measure_column(struct bench_engine *be, int depth,
			   struct io_floor *io, double *ns)
{
	struct op_arg args[2] = { 0 };	/* [0] data-less, [1] with data */
	double v[NR_OPS][RUNS];
	int i, r;

	for (i = 0; i < 2; i++)
		arg_begin(&args[i], &be[i], depth, io);
	for (i = 0; i < NR_OPS; i++)		/* warm-up */
		time_once(i, &args[ops[i].data], &be[ops[i].data],
			  op_iters(i) / 4 + 1);
	for (r = 0; r < RUNS; r++)
		for (i = 0; i < NR_OPS; i++)
			v[i][r] = time_once(i, &args[ops[i].data],
					    &be[ops[i].data], op_iters(i));
	for (i = 0; i < NR_OPS; i++)
		ns[i] = median(v[i], RUNS);
	for (i = 0; i < 2; i++)
		arg_end(&args[i]);
}

static void print_row(const char *name, const double *x)
{
	printf("%-40s", name);
	for (int c = 0; c < NC; c++)
		printf(" %9.1f", x[c]);
	printf("\n");
}

static void print_ratio(const char *name, double ns[][NR_OPS], int a, int b)
{
	double x[NC];

	for (int c = 0; c < NC; c++)
		x[c] = ns[c][a] / ns[c][b];
	printf("%-40s", name);
	for (int c = 0; c < NC; c++)
		printf(" %9.2f", x[c]);
	printf("\n");
}

static void print_diff(const char *name, double ns[][NR_OPS], int a, int b)
{
	double x[NC];

	for (int c = 0; c < NC; c++)
		x[c] = ns[c][a] - ns[c][b];
	print_row(name, x);
}

static void print_table(double ns[][NR_OPS])
{
	double x[NC];
	int c, i;

	printf("%-40s", "mode, depth (cgroups below the root)");
	for (c = 0; c < NC; c++)
		printf("  %s d%d  ", columns[c].mode == MEMCG_MODE_V1 ? "v1" : "v2",
		       columns[c].depth);
	printf("\n");
	for (i = 0; i < NR_OPS; i++) {
		for (c = 0; c < NC; c++)
			x[c] = ns[c][i];
		print_row(ops[i].name, x);
	}
	print_ratio("ratio data-less 4K / folio pair", ns, OP_RT0, OP_PAIR);
	print_ratio("ratio data-less huge / folio pair", ns, OP_HUGE0, OP_PAIR);
	print_ratio("ratio data 4K / I/O floor", ns, OP_RT, OP_IO);
	print_ratio("ratio data huge / I/O floor huge", ns, OP_HUGE, OP_IOHUGE);
	print_diff("data 4K - I/O floor (ns)", ns, OP_RT, OP_IO);
	print_diff("data huge - I/O floor huge (ns)", ns, OP_HUGE, OP_IOHUGE);
}

static int run_all(void)
{
	struct bench_engine be[2][2];	/* [v1][with data] */
	double ns[NC][NR_OPS];
	struct load_mark m0, m1;
	struct io_floor io;
	int c, mode, d;

	for (mode = 0; mode < 2; mode++)
		for (d = 0; d < 2; d++)
			bench_engine_init(&be[mode][d], mode ? MEMCG_MODE_V1 :
					  MEMCG_MODE_V2, !d);
	io_floor_open(&io, 1L << folio_arena_huge_order(be[0][0].e->arena));
	wait_idle();
	load_mark(&m0);
	for (c = 0; c < NC; c++)
		measure_column(be[columns[c].mode == MEMCG_MODE_V1],
			       columns[c].depth, &io, ns[c]);
	load_mark(&m1);
	printf("== swap-out + swap-in round trip, ns per 4 KiB page (median of "
	       "%d runs of %ld data-less pages)\n", RUNS, iters);
	printf("   huge folios of %ld pages; swap device and I/O floor: %ld MiB "
	       "temp files in %s\n", 1L << folio_arena_huge_order(be[0][0].e->arena),
	       SWAP_BYTES >> 20, getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	print_table(ns);
	printf("   counters checked after every run: back where they started\n");
	printf("   %s; this thread ran %.0f%% of the wall time; other load on "
	       "the machine: %.2f CPUs\n", use_cpu_clock ?
	       "thread CPU time (BENCH_CLOCK=cpu)" : "wall time",
	       100 * total_cpu / total_wall, other_cpus(&m0, &m1));
	io_floor_close(&io);
	for (mode = 0; mode < 2; mode++)
		for (d = 0; d < 2; d++)
			bench_engine_fini(&be[mode][d]);
	return 0;
}

/* --- two threads in separate cgroups --- */

#define MT_THREADS 2

struct mt_thread {
	struct op_arg a;
	pthread_t tid;
	pthread_barrier_t *start;
	long n;
	double wall, cpu;	/* ns of the last run */
	long waits;		/* voluntary context switches in it */
};

/* The calling thread's voluntary context switches (a lock waited for). */
static long thread_waits(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nvcsw;
}

static void *mt_run(void *arg)
{
	struct mt_thread *t = arg;
	double t0, c0;
	long w0;

	pthread_barrier_wait(t->start);
	w0 = thread_waits();
	t0 = now_ns();
	c0 = thread_cpu_ns();
	loop_roundtrip(&t->a, t->n);
	t->cpu = thread_cpu_ns() - c0;
	t->wall = now_ns() - t0;
	t->waits = thread_waits() - w0;
	return NULL;
}

/*
 * One run of @nr threads at once; each one's ns per round trip, and the
 * threads' voluntary context switches per 1,000 round trips in @waits.
 */
static void mt_once(struct mt_thread *t, int nr, long n, double *wall,
		    double *cpu, double *waits)
{
	pthread_barrier_t start;
	int i;

	pthread_barrier_init(&start, NULL, (unsigned)nr);
	for (i = 0; i < nr; i++) {
		t[i].start = &start;
		t[i].n = n;
		if (pthread_create(&t[i].tid, NULL, mt_run, &t[i]))
			die("pthread_create", EAGAIN);
	}
	*waits = 0;
	for (i = 0; i < nr; i++) {
		pthread_join(t[i].tid, NULL);
		wall[i] = t[i].wall / (double)n;
		cpu[i] = t[i].cpu / (double)n;
		*waits += (double)t[i].waits * 1000 / (double)(n * nr);
	}
	pthread_barrier_destroy(&start);
}

/*
 * The threads' folios on cache lines of their own (bench_mt.h), or every
 * reference and flag change bounces the line; a round trip frees its
 * folio and the swap-in takes the same frame back from the CPU's free
 * list. The folios skipped are held until the end.
 */
static struct bench_spares mt_spares;

static int run_mt(void)
{
	struct mt_thread t[MT_THREADS] = { 0 };
	struct mem_cgroup *cg[MT_THREADS];
	double w1[RUNS], c1[RUNS], w2[RUNS][MT_THREADS], c2[RUNS][MT_THREADS];
	double one_w, one_c, two_w = 0, two_c = 0, col[RUNS];
	double v1[RUNS], v2[RUNS];
	struct load_mark m0, m1;
	struct memcg_engine *e = engine_new(MEMCG_MODE_V2, true);
	long nr_free = memcg_swap_nr_free(e), n = iters;
	int i, r;

	for (i = 0; i < MT_THREADS; i++) {
		char name[8];

		snprintf(name, sizeof(name), "t%d", i);
		check(memcg_mkdir(e, name, &cg[i]), "memcg_mkdir");
		t[i].a.e = e;
		t[i].a.memcg = cg[i];
		t[i].a.folio = bench_folio_own_line(e, &mt_spares);
		check(memcg_charge(e, t[i].a.folio, cg[i], MEMCG_GFP_KERNEL),
		      "memcg_charge");
	}
	wait_idle();
	load_mark(&m0);
	mt_once(t, 1, n / 4 + 1, w1, c1, v1);		/* warm-up */
	mt_once(t, MT_THREADS, n / 4 + 1, w2[0], c2[0], v2);
	for (r = 0; r < RUNS; r++) {
		mt_once(t, 1, n, &w1[r], &c1[r], &v1[r]);
		mt_once(t, MT_THREADS, n, w2[r], c2[r], &v2[r]);
	}
	load_mark(&m1);
	one_w = median(w1, RUNS);
	one_c = median(c1, RUNS);
	for (i = 0; i < MT_THREADS; i++) {
		for (r = 0; r < RUNS; r++)
			col[r] = w2[r][i];
		two_w += median(col, RUNS) / MT_THREADS;
		for (r = 0; r < RUNS; r++)
			col[r] = c2[r][i];
		two_c += median(col, RUNS) / MT_THREADS;
	}
	printf("== data-less round trip (v2, 4 KiB), one thread vs %d threads in "
	       "separate cgroups, ns per round trip per thread (median of %d "
	       "runs of %ld)\n", MT_THREADS, RUNS, n);
	printf("%-28s %10s %10s %14s\n", "", "wall", "cpu",
	       "waits/1000");
	printf("%-28s %10.1f %10.1f %14.1f\n", "1 thread", one_w, one_c,
	       median(v1, RUNS));
	printf("%-28s %10.1f %10.1f %14.1f\n", "2 threads, separate cgroups",
	       two_w, two_c, median(v2, RUNS));
	printf("%-28s %10.2f %10.2f\n", "ratio 2 threads / 1 thread",
	       two_w / one_w, two_c / one_c);
	printf("   waits/1000: voluntary context switches (a lock waited "
	       "for) per 1,000 round trips per thread\n");
	printf("   other load on the machine: %.2f CPUs\n", other_cpus(&m0, &m1));
	for (i = 0; i < MT_THREADS; i++) {
		memcg_folio_put(e, t[i].a.folio);
		memcg_put(cg[i]);
	}
	bench_spares_put(e, &mt_spares);
	memcg_drain_all_stock(memcg_root(e));
	swap_slots_drain_all(e);	/* freed slots a CPU still holds */
	if (memcg_swap_nr_free(e) != nr_free)
		die("swap slots did not come back", EINVAL);
	memcg_engine_destroy(e);
	return 0;
}

/* "loop ROW v1|v2 DEPTH": one row, BENCH_ITERS scaled as in the table. */
static int profile_loop(int op, const char *mode, int depth)
{
	struct bench_engine be[2];
	struct op_arg args[2] = { 0 };
	struct io_floor io;
	enum memcg_mode m = !strcmp(mode, "v1") ? MEMCG_MODE_V1 : MEMCG_MODE_V2;
	double ns;
	int i;

	if (op < 0 || op >= NR_OPS || depth < 1 || depth > MAX_DEPTH)
		return 2;
	for (i = 0; i < 2; i++)
		bench_engine_init(&be[i], m, !i);
	io_floor_open(&io, 1L << folio_arena_huge_order(be[0].e->arena));
	for (i = 0; i < 2; i++)
		arg_begin(&args[i], &be[i], depth, &io);
	i = ops[op].data;
	time_once(op, &args[i], &be[i], op_iters(op) / 4 + 1);
	ns = time_once(op, &args[i], &be[i], op_iters(op));
	printf("%s, %s, depth %d: %.1f ns per page\n", ops[op].name,
	       m == MEMCG_MODE_V1 ? "v1" : "v2", depth, ns);
	for (i = 0; i < 2; i++) {
		arg_end(&args[i]);
		bench_engine_fini(&be[i]);
	}
	io_floor_close(&io);
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("BENCH_ITERS");

	if (env && atol(env) > 0)
		iters = atol(env);
	env = getenv("BENCH_CLOCK");
	use_cpu_clock = env && !strcmp(env, "cpu");
	setvbuf(stdout, NULL, _IOLBF, 0);
	memcg_set_cpu(-1);
	if (argc == 5 && !strcmp(argv[1], "loop"))
		return profile_loop(atoi(argv[2]), argv[3], atoi(argv[4]));
	if (argc == 2 && !strcmp(argv[1], "mt"))
		return run_mt();
	if (argc != 1) {
		fprintf(stderr, "usage: %s [loop ROW v1|v2 DEPTH | mt]\n",
			argv[0]);
		return 2;
	}
	return run_all() || run_mt();
}
