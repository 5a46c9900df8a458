// SPDX-License-Identifier: MIT
/*
 * The swap device's cache lines, for two CPUs swapping in separate
 * cgroups (issue 15: two threads <= 1.3x one, also when a line's transfer
 * between the CPUs takes ~200 ns): each CPU allocates from a cluster of
 * its own, so no line may hold state of two clusters or two CPUs.
 *
 * - every per-slot array (swap_map, cache, shadow, sum, the records' ids
 *   and index positions) ends a cluster's slots on a line boundary: a
 *   calloc'd swap_map, 16 bytes off a line, shared the line across each
 *   cluster boundary;
 * - cluster descriptors, per-CPU allocation state and return caches sit
 *   on lines of their own;
 * - two CPUs allocating take different clusters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/swapfile.h"

#define DEV_BYTES (8UL << 20)	/* 2048 slots: 4 clusters */

static uintptr_t line_of(const void *p)
{
	return (uintptr_t)p / MEMCG_CACHELINE;
}

/* No line holds the last slot of one cluster and the first of the next. */
static void assert_cluster_bounds(const char *what, const void *array,
				  size_t size, size_t nr_slots)
{
	const char *a = array;
	size_t b;

	assert_non_null(array);
	for (b = SWAPFILE_CLUSTER; b < nr_slots; b += SWAPFILE_CLUSTER)
		if (line_of(a + (b - 1) * size) == line_of(a + b * size))
			fail_msg("%s: slots %zu and %zu (two clusters) share a "
				 "line", what, b - 1, b);
}

/* @n elements of @size from @array: no two share a line. */
static void assert_own_lines(const char *what, const void *array,
			     size_t size, size_t n)
{
	const char *a = array;
	size_t i;

	for (i = 1; i < n; i++)
		if (line_of(a + i * size - 1) == line_of(a + i * size))
			fail_msg("%s: %zu and %zu share a line", what, i - 1, i);
}

/* Two CPUs, with data (the checksums' array) and the record index. */
static struct memcg_engine *engine_new(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 16 << 20);
	cfg.nr_cpus = 2;
	cfg.dataless = false;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, DEV_BYTES), 0);
	return e;
}

static void test_per_slot_arrays(void **state)
{
	struct memcg_engine *e = engine_new();
	struct swap_device *dev;

	(void)state;
	dev = e->swap;
	assert_true(dev->nr_slots > 2 * SWAPFILE_CLUSTER);
	assert_non_null(dev->sum);
	assert_true(dev->records.indexed);
	assert_cluster_bounds("swap_map", dev->swap_map, 1, dev->nr_slots);
	assert_cluster_bounds("cache", dev->cache, sizeof(*dev->cache),
			      dev->nr_slots);
	assert_cluster_bounds("shadow", dev->shadow, sizeof(*dev->shadow),
			      dev->nr_slots);
	assert_cluster_bounds("sum", dev->sum, sizeof(*dev->sum),
				      dev->nr_slots);
	assert_cluster_bounds("records", (const void *)dev->records.ids,
			      sizeof(*dev->records.ids), dev->nr_slots);
	assert_cluster_bounds("record index", dev->records.pos,
				      sizeof(*dev->records.pos), dev->nr_slots);
	memcg_engine_destroy(e);
}

static void test_per_cluster_and_cpu(void **state)
{
	struct memcg_engine *e = engine_new();
	struct swap_device *dev;
	size_t off0, off1;

	(void)state;
	dev = e->swap;
	assert_int_equal(dev->nr_cpus, 2);
	assert_own_lines("clusters", dev->clusters, sizeof(*dev->clusters),
			 dev->nr_clusters);
	assert_own_lines("pcp", dev->pcp, sizeof(*dev->pcp), dev->nr_cpus);
	assert_own_lines("slots_ret", dev->slots_ret, sizeof(*dev->slots_ret),
			 dev->nr_cpus);
	/* the folded free count: apart from the fields read on every op */
	assert_true(line_of(&dev->nr_free) !=
		    line_of(&dev->slots_cache_active));
	assert_int_equal(swap_alloc_slots(dev, 1, 0, &off0), 0);
	assert_int_equal(swap_alloc_slots(dev, 1, 1, &off1), 0);
	assert_true(off0 / SWAPFILE_CLUSTER != off1 / SWAPFILE_CLUSTER);
	assert_true(swap_slot_put(dev, off0, true, 0));
	assert_true(swap_slot_put(dev, off1, true, 1));
	swap_slots_drain(dev, 0);
	swap_slots_drain(dev, 1);
	assert_int_equal(swap_nr_free(dev), dev->nr_slots);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_slot_arrays),
		cmocka_unit_test(test_per_cluster_and_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
