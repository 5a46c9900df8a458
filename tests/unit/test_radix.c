// SPDX-License-Identifier: MIT
/*
 * The sparse table (src/lib/radix.c): values at indices far apart cost
 * nodes only on their paths, a walk finds exactly the stored entries in
 * order, and erasing every entry frees every node.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "lib/radix.h"

static void test_empty(void **state)
{
	struct radix_tree t;
	uint64_t idx = 0;

	(void)state;
	radix_init(&t);
	assert_int_equal(radix_lookup(&t, 0), 0);
	assert_int_equal(radix_lookup(&t, RADIX_MAX_INDEX), 0);
	assert_int_equal(radix_next(&t, &idx), 0);
	assert_int_equal(radix_store(&t, 5, 0), 0);	/* erase of nothing */
	assert_int_equal(t.nr_nodes, 0);
	radix_destroy(&t);
}

static void test_far_apart(void **state)
{
	/* page 0 and the last page of a 4 TiB file: 2^30 pages apart */
	const uint64_t last = (1ULL << 30) - 1;
	struct radix_tree t;
	uint64_t idx;

	(void)state;
	radix_init(&t);
	assert_int_equal(radix_store(&t, 0, 11), 0);
	assert_int_equal(t.height, 1);
	assert_int_equal(t.nr_nodes, 1);
	assert_int_equal(radix_store(&t, last, 22), 0);
	/* 30 bits: 5 levels; the root, and 4 nodes down to each leaf */
	assert_int_equal(t.height, 5);
	assert_int_equal(t.nr_nodes, 9);
	assert_int_equal(t.nr_entries, 2);
	assert_int_equal(radix_lookup(&t, 0), 11);
	assert_int_equal(radix_lookup(&t, last), 22);
	assert_int_equal(radix_lookup(&t, last - 1), 0);
	assert_int_equal(radix_lookup(&t, last + 1), 0);
	assert_int_equal(radix_lookup(&t, 1ULL << 40), 0);
	idx = 1;
	assert_int_equal(radix_next(&t, &idx), 22);
	assert_int_equal(idx, last);
	idx = last + 1;
	assert_int_equal(radix_next(&t, &idx), 0);
	/* replacing a value allocates nothing */
	assert_int_equal(radix_store(&t, last, 33), 0);
	assert_int_equal(t.nr_nodes, 9);
	assert_int_equal(radix_store(&t, last, 0), 0);
	assert_int_equal(t.nr_nodes, 5);	/* the path to 0 stays */
	assert_int_equal(radix_store(&t, 0, 0), 0);
	assert_int_equal(t.nr_nodes, 0);
	assert_int_equal(t.height, 0);
	assert_ptr_equal(t.root, NULL);
	radix_destroy(&t);
}

static void test_limits(void **state)
{
	struct radix_tree t;
	uint64_t idx = 0;

	(void)state;
	radix_init(&t);
	assert_int_equal(radix_store(&t, RADIX_MAX_INDEX + 1, 1), -EINVAL);
	assert_int_equal(radix_store(&t, UINT64_MAX, 1), -EINVAL);
	assert_int_equal(radix_store(&t, RADIX_MAX_INDEX, 7), 0);
	assert_int_equal(t.height, RADIX_MAX_HEIGHT);
	assert_int_equal(radix_lookup(&t, RADIX_MAX_INDEX), 7);
	assert_int_equal(radix_lookup(&t, UINT64_MAX), 0);
	assert_int_equal(radix_next(&t, &idx), 7);
	assert_true(idx == RADIX_MAX_INDEX);
	assert_int_equal(t.nr_nodes, RADIX_MAX_HEIGHT);
	radix_destroy(&t);
	assert_int_equal(t.nr_nodes, 0);
}

/*
 * Entries at a fixed pseudo-random spread (an LCG with a fixed start:
 * the same every run), checked against a plain array of the same stores.
 */
#define NR 4096
static void test_walk_matches(void **state)
{
	static uint64_t keys[NR];
	struct radix_tree t;
	uint64_t x = 12345, idx, v, prev = 0;
	size_t i, seen = 0;

	(void)state;
	radix_init(&t);
	for (i = 0; i < NR; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		keys[i] = (x >> 20) & ((1ULL << 32) - 1);
		assert_int_equal(radix_store(&t, keys[i], i + 1), 0);
	}
	for (i = 0; i < NR; i++)
		assert_int_equal(radix_lookup(&t, keys[i]), i + 1);
	/* every entry once, in increasing index order */
	for (idx = 0, v = 0; (v = radix_next(&t, &idx)); idx++, seen++) {
		assert_int_equal(keys[v - 1], idx);
		assert_true(seen == 0 || idx > prev);
		prev = idx;
	}
	assert_int_equal(seen, t.nr_entries);
	assert_int_equal(t.nr_entries, NR);
	/* erase every other one, then the rest: every node is freed */
	for (i = 0; i < NR; i += 2)
		assert_int_equal(radix_store(&t, keys[i], 0), 0);
	assert_int_equal(t.nr_entries, NR / 2);
	for (i = 0; i < NR; i += 2)
		assert_int_equal(radix_lookup(&t, keys[i]), 0);
	for (i = 1; i < NR; i += 2)
		assert_int_equal(radix_lookup(&t, keys[i]), i + 1);
	for (i = 1; i < NR; i += 2)
		assert_int_equal(radix_store(&t, keys[i], 0), 0);
	assert_int_equal(t.nr_nodes, 0);
	assert_int_equal(t.nr_entries, 0);
	radix_destroy(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_far_apart),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_walk_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
