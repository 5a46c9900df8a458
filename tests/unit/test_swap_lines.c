// SPDX-License-Identifier: MIT
/*
 * The cache lines a swap round trip writes, for two CPUs swapping in
 * separate cgroups (issue 15: two threads <= 1.3x one):
 *
 * - a swap-cache folio's entry (the kernel's folio->swap, in the folio
 *   there) shares its line with the entries of the frames whose
 *   descriptors share a line, and with no other frame's: folios on lines
 *   of their own (the arena's per-CPU unit) write no entry line in
 *   common. Packed 4 bytes a frame, 16 frames shared one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/swapfile.h"

#define NR_FOLIOS 64

/* The line of the folio_swap entry that holds @val; the test fails if none. */
static uintptr_t entry_line(struct swap_device *dev, uint32_t val)
{
	size_t i, n = dev->folio_swap_bytes / sizeof(*dev->folio_swap);

	for (i = 0; i < n; i++)
		if (__atomic_load_n(&dev->folio_swap[i], __ATOMIC_RELAXED) == val)
			return (uintptr_t)&dev->folio_swap[i] / MEMCG_CACHELINE;
	fail_msg("entry %u not in folio_swap", val);
	return 0;
}

static void test_folio_swap_lines(void **state)
{
	struct memcg_engine *e = test_engine_new(16 << 20);
	struct folio *folio[NR_FOLIOS];
	memcg_swp_entry_t entry[NR_FOLIOS];
	uintptr_t line[NR_FOLIOS];
	long nr_free;
	int i, j, shared = 0;

	(void)state;
	assert_int_equal(memcg_swapon(e, NULL, 4 << 20), 0);
	nr_free = memcg_swap_nr_free(e);
	for (i = 0; i < NR_FOLIOS; i++) {
		folio[i] = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		assert_non_null(folio[i]);
		assert_int_equal(memcg_charge(e, folio[i], memcg_root(e), 0), 0);
		assert_int_equal(memcg_swap_alloc(e, folio[i], &entry[i]), 0);
		assert_int_equal(folio_swap_entry(e, folio[i]).val, entry[i].val);
	}
	for (i = 0; i < NR_FOLIOS; i++)
		line[i] = entry_line(e->swap, entry[i].val);
	for (i = 0; i < NR_FOLIOS; i++)
		for (j = i + 1; j < NR_FOLIOS; j++) {
			bool same_desc = (uintptr_t)folio[i] / MEMCG_CACHELINE ==
					 (uintptr_t)folio[j] / MEMCG_CACHELINE;

			assert_int_equal(line[i] == line[j], same_desc);
			shared += same_desc;
		}
	/* the arena hands out neighbours: the check above was not vacuous */
	assert_true(shared > 0);
	for (i = 0; i < NR_FOLIOS; i++) {
		assert_int_equal(memcg_folio_free_swap(e, folio[i], entry[i]), 0);
		assert_int_equal(folio_swap_entry(e, folio[i]).val, 0);
		memcg_folio_put(e, folio[i]);
	}
	swap_slots_drain_all(e);
	assert_int_equal(memcg_swap_nr_free(e), nr_free);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folio_swap_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
