// SPDX-License-Identifier: MIT
/*
 * Moving a removed cgroup's swap records to its parent: our per-id index
 * (time proportional to the cgroup's N records) against the 2014 patch's
 * swap_cgroup_migrate(), which scans all M slots of the swap map.
 *
 * Run: build/bench/bench_reparent   (takes about a minute; ~1 GiB of RAM)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/swap_cgroup.h"

#include "bench_util.h"

#define OLD_ID 5
#define NEW_ID 6
#define OTHER_ID 7

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

static double time_reparent(size_t m, size_t n, int scan)
{
	struct swap_cgroup sc;
	double t0, t;
	size_t moved;

	if (swap_cgroup_init(&sc, m, !scan)) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	fill(&sc, m, n);
	t0 = now_ns();
	moved = scan ? migrate_scan(&sc, OLD_ID, NEW_ID) :
		       swap_cgroup_reparent(&sc, OLD_ID, NEW_ID);
	t = now_ns() - t0;
	if (moved != n) {
		fprintf(stderr, "moved %zu records, expected %zu\n", moved, n);
		exit(1);
	}
	swap_cgroup_destroy(&sc);
	return t;
}

int main(void)
{
	static const size_t maps[] = { 1 << 20, 16 << 20, 64 << 20 };
	static const size_t owned[] = { 1000, 10000, 100000, 1000000 };
	size_t i, j;

	printf("%12s %10s %14s %14s %10s\n", "map slots", "records",
	       "index (us)", "full scan (us)", "speed-up");
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		for (j = 0; j < sizeof(owned) / sizeof(owned[0]); j++) {
			double idx, scan;

			if (owned[j] > maps[i] / 2)
				continue;
			idx = time_reparent(maps[i], owned[j], 0);
			scan = time_reparent(maps[i], owned[j], 1);
			printf("%12zu %10zu %14.1f %14.1f %9.1fx\n", maps[i],
			       owned[j], idx / 1e3, scan / 1e3, scan / idx);
		}
	}
	return 0;
}
