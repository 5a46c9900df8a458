// SPDX-License-Identifier: MIT
/*
 * Moving a removed cgroup's swap records to its parent: our per-id index
 * (time proportional to the cgroup's N records) against the 2014 patch's
 * swap_cgroup_migrate(), which scans all M slots of the swap map.
 *
 * Each cell: one map, filled once; the median of 5 moves each way
 * (OLD_ID's records to NEW_ID and back), index and scan interleaved.
 *
 * Run: build/bench/bench_reparent   (about 30 s; ~1 GiB of RAM)
 *      BENCH_WAIT_IDLE=1 build/bench/bench_reparent
 *      build/bench/bench_reparent MAP_SLOTS RECORDS    # one cell
 *      BENCH_CLOCK=cpu build/bench/bench_reparent      # thread CPU time,
 *                                                      # for a busy machine
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/swap_cgroup.h"

#include "bench_util.h"

#define OLD_ID 5
#define NEW_ID 6
#define OTHER_ID 7
#define RUNS 5

/* The 2014 patch's approach: every slot of the map, rewriting matches. */
static size_t migrate_scan(struct swap_cgroup *sc, uint16_t old, uint16_t new)
{
	size_t i, moved = 0;

	for (i = 0; i < sc->nr_slots; i++) {
		if (atomic_load_explicit(&sc->ids[i], memory_order_relaxed) != old)
			continue;
		atomic_store_explicit(&sc->ids[i], new, memory_order_relaxed);
		moved++;
	}
	return moved;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A map of @m slots, half used by other cgroups, @n owned by OLD_ID. */
static void fill(struct swap_cgroup *sc, size_t m, size_t n)
{
	size_t i, placed = 0;

	for (i = 0; i < m / 2; i++)
		swap_cgroup_record(sc, i * 2 + 1, 1, OTHER_ID);
	while (placed < n) {
		size_t slot = (next_rand() % (m / 2)) * 2;

		if (lookup_swap_cgroup_id(sc, slot))
			continue;
		swap_cgroup_record(sc, slot, 1, OLD_ID);
		placed++;
	}
}

static bool use_cpu_clock;	/* BENCH_CLOCK=cpu */

static double clock_ns(void)
{
	return bench_clock_ns(use_cpu_clock);
}

static size_t move(struct swap_cgroup *sc, uint16_t from, uint16_t to,
		   int scan)
{
	return scan ? migrate_scan(sc, from, to) :
		      swap_cgroup_reparent(sc, from, to, NULL, NULL);
}

/*
 * The median of RUNS moves each way, index and full scan interleaved on
 * one map: OLD_ID's records go to NEW_ID and come back.
 */
static void time_reparent(size_t m, size_t n, double *idx, double *scan)
{
	double t[2][2 * RUNS];
	struct swap_cgroup sc;
	int r, s, dir;

	if (swap_cgroup_init(&sc, m, true)) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	fill(&sc, m, n);
	for (r = 0; r < RUNS; r++) {
		for (s = 0; s < 2; s++) {
			for (dir = 0; dir < 2; dir++) {
				double t0 = clock_ns();
				size_t moved = move(&sc, dir ? NEW_ID : OLD_ID,
						    dir ? OLD_ID : NEW_ID, s);

				t[s][2 * r + dir] = clock_ns() - t0;
				if (moved != n) {
					fprintf(stderr, "moved %zu records, "
						"expected %zu\n", moved, n);
					exit(1);
				}
			}
		}
	}
	*idx = median(t[0], 2 * RUNS);
	*scan = median(t[1], 2 * RUNS);
	swap_cgroup_destroy(&sc);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

#define NR_OWNED 4
#define NR_SHARE 3

int main(int argc, char **argv)
{
	static const size_t maps[] = { 1 << 20, 16 << 20, 64 << 20 };
	/* records: these counts, and 1/1000, 1/100 and 1/16 of the map */
	static const size_t owned[] = { 1000, 10000, 100000, 1000000 };
	static const size_t share[] = { 1000, 100, 16 };
	size_t i, j;
	struct load_mark m0, m1;

	use_cpu_clock = bench_cpu_clock();
	if (argc == 3) {	/* one cell: MAP_SLOTS RECORDS */
		size_t m = strtoul(argv[1], NULL, 0), n = strtoul(argv[2], NULL, 0);
		double idx, scan;

		if (!m || !n || n > m / 2)
			return 2;
		time_reparent(m, n, &idx, &scan);
		printf("%zu slots, %zu records: index %.1f us, full scan %.1f us, "
		       "%.1fx, %.1f ns/record\n", m, n, idx / 1e3, scan / 1e3,
		       scan / idx, idx / (double)n);
		return 0;
	}
	wait_idle();
	load_mark(&m0);
	printf("%12s %10s %14s %14s %10s %12s   %s\n", "map slots", "records",
	       "index (us)", "full scan (us)", "speed-up", "ns/record",
	       "share");
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		size_t nr = NR_OWNED + NR_SHARE, n[NR_OWNED + NR_SHARE];

		for (j = 0; j < NR_OWNED; j++)
			n[j] = owned[j];
		for (j = 0; j < NR_SHARE; j++)
			n[NR_OWNED + j] = maps[i] / share[j];
		qsort(n, nr, sizeof(n[0]), cmp_size);
		for (j = 0; j < nr; j++) {
			double idx, scan;

			if (n[j] > maps[i] / 2 || (j && n[j] == n[j - 1]))
				continue;
			time_reparent(maps[i], n[j], &idx, &scan);
			printf("%12zu %10zu %14.1f %14.1f %9.1fx %12.1f   1/%zu\n",
			       maps[i], n[j], idx / 1e3, scan / 1e3,
			       scan / idx, idx / (double)n[j], maps[i] / n[j]);
		}
	}
	load_mark(&m1);
	printf("median of %d moves each way, %s; other load on the machine: "
	       "%.2f CPUs\n", RUNS, use_cpu_clock ?
	       "thread CPU time (BENCH_CLOCK=cpu)" : "wall time",
	       other_cpus(&m0, &m1));
	return 0;
}
