// SPDX-License-Identifier: MIT
/*
 * A reclaim pass uncharges what it frees in batches, as the kernel's
 * shrink_folio_list(): 6.1 puts freed folios on a list and calls
 * mem_cgroup_uncharge_list() once at the end; 6.12 adds them to a
 * folio_batch of PAGEVEC_SIZE (31) and calls mem_cgroup_uncharge_folios()
 * each time it fills, and at the end. Either updates the counters once
 * per run of folios of one cgroup (uncharge_batch), which the hidden
 * MEMCG_UNCHARGE_BATCHES stat counts.
 *
 * The folios are clean page cache, isolated as reclaim isolates them (the
 * cache's reference and reclaim's); the fake client's remove_mapping()
 * freezes both and frees the folio, as the simulator's page cache does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/vmscan.h"

static bool fake_remove_mapping(void *priv, struct folio *folio)
{
	struct memcg_engine *e = priv;

	if (!folio_ref_freeze(folio, 2))
		return false;
	folio_free_frozen(e, folio);
	return true;
}

static const struct memcg_folio_client_ops fake_client = {
	.remove_mapping = fake_remove_mapping,
};

static struct memcg_engine *engine(enum memcg_kernel kernel,
				   enum memcg_reclaim reclaim)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64UL << 20);
	cfg.kernel = kernel;
	cfg.reclaim = reclaim;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	assert_int_equal(memcg_set_folio_client(e, &fake_client, e), 0);
	return e;
}

static long batches(struct memcg_engine *e)
{
	return memcg_page_state(e->root, MEMCG_UNCHARGE_BATCHES);
}

/* A clean page-cache folio of @memcg, isolated: two references. */
static struct folio *isolated_file(struct memcg_engine *e,
				   struct mem_cgroup *memcg)
{
	struct folio *folio = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);

	assert_non_null(folio);
	assert_int_equal(mem_cgroup_charge(folio, memcg, MEMCG_GFP_KERNEL), 0);
	folio_get(folio);
	return folio;
}

/*
 * Shrink @n folios charged in runs: @pattern[i] says whose the i-th is
 * (0: A, 1: B). Return: uncharge batches the pass took.
 */
static long pass(struct memcg_engine *e, struct mem_cgroup **memcgs,
		 const char *pattern)
{
	struct folio *folios[64 + 512];
	struct reclaim_stat stat = { 0, 0 };
	unsigned n, i;
	long before, usage[2];

	for (n = 0; pattern[n]; n++)
		folios[n] = isolated_file(e, memcgs[pattern[n] - 'A']);
	for (i = 0; i < 2; i++)
		usage[i] = page_counter_read(&memcgs[i]->memory);
	before = batches(e);
	assert_int_equal(shrink_folio_list(e, folios, &n,
					   sizeof(folios) / sizeof(folios[0]),
					   &stat), (long)strlen(pattern));
	assert_int_equal(n, 0);
	for (i = 0; i < 2; i++)
		assert_true(page_counter_read(&memcgs[i]->memory) < usage[i] ||
			    !strchr(pattern, 'A' + (int)i));
	return batches(e) - before;
}

static char *runs(char *buf, int a, int b)
{
	int i;

	for (i = 0; i < a; i++)
		buf[i] = 'A';
	for (i = 0; i < b; i++)
		buf[a + i] = 'B';
	buf[a + b] = '\0';
	return buf;
}

static void check(enum memcg_kernel kernel, enum memcg_reclaim reclaim,
		  const long expect[5])
{
	struct memcg_engine *e = engine(kernel, reclaim);
	struct mem_cgroup *m[2];
	char buf[128];

	assert_int_equal(memcg_mkdir(e, "A", &m[0]), 0);
	assert_int_equal(memcg_mkdir(e, "B", &m[1]), 0);
	assert_int_equal(pass(e, m, runs(buf, 20, 0)), expect[0]);
	assert_int_equal(pass(e, m, runs(buf, 40, 0)), expect[1]);
	assert_int_equal(pass(e, m, runs(buf, 10, 10)), expect[2]);
	assert_int_equal(pass(e, m, "AABBAABB"), expect[3]);
	assert_int_equal(pass(e, m, runs(buf, 20, 20)), expect[4]);
	assert_int_equal(memcg_page_state(m[0], MEMCG_FILE), 0);
	assert_int_equal(memcg_page_state(m[1], MEMCG_FILE), 0);
	memcg_put(m[0]);
	memcg_put(m[1]);
	memcg_engine_destroy(e);
}

/*
 * 6.1: one list per pass: 20 A: 1; 40 A: 1; 10 A + 10 B: 2 runs;
 * AABBAABB: 4 runs; 20 A + 20 B: 2.
 */
static void test_uncharge_batches_61(void **state)
{
	static const long expect[5] = { 1, 1, 2, 4, 2 };

	(void)state;
	check(MEMCG_KERNEL_6_1, MEMCG_RECLAIM_CLASSIC, expect);
}

/*
 * 6.12: 31 at a time: 20 A: 1; 40 A: 31 + 9, 2; 10 A + 10 B: 2;
 * AABBAABB: 4; 20 A + 20 B: (20 A, 11 B) then 9 B: 3. The same for the
 * classic LRU and MGLRU (evict_folios() calls shrink_folio_list() too).
 */
static void test_uncharge_batches_612(void **state)
{
	static const long expect[5] = { 1, 2, 2, 4, 3 };

	(void)state;
	check(MEMCG_KERNEL_6_12, MEMCG_RECLAIM_CLASSIC, expect);
	check(MEMCG_KERNEL_6_12, MEMCG_RECLAIM_MGLRU, expect);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uncharge_batches_61),
		cmocka_unit_test(test_uncharge_batches_612),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
