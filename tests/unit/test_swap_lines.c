// SPDX-License-Identifier: MIT
/*
 * The cache lines a swap round trip writes, for two CPUs swapping in
 * separate cgroups (issue 15: two threads <= 1.3x one), and what the swap
 * cache's per-frame entries cost (issue 15: <= 8 bytes a page outside
 * the frame):
 *
 * - a swap-cache folio's entry (folio_swap, the kernel's folio->swap, in
 *   the folio there) shares its line with the entries of its line group
 *   (FOLIO_LINE_GROUP, the arena's per-CPU unit) and no other frame's;
 * - two CPUs allocating in turn swap folios whose entries share no line;
 * - swapping the whole arena once makes 4 bytes of entries resident per
 *   frame (laid out by descriptor line, padded, it was 16).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

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

static uint32_t group_of(struct memcg_engine *e, struct folio *folio)
{
	return folio_pfn(e->arena, folio) / FOLIO_LINE_GROUP;
}

/* Free the slots and the folios of swap_alloc()ed @folio[0..@nr). */
static void free_swapped(struct memcg_engine *e, struct folio **folio,
			 memcg_swp_entry_t *entry, int nr)
{
	for (int i = 0; i < nr; i++) {
		assert_int_equal(memcg_folio_free_swap(e, folio[i], entry[i]), 0);
		assert_int_equal(folio_swap_entry(e, folio[i]).val, 0);
		memcg_folio_put(e, folio[i]);
	}
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
			bool same_group = group_of(e, folio[i]) == group_of(e, folio[j]);

			assert_int_equal(line[i] == line[j], same_group);
			shared += same_group;
		}
	/* the arena hands out neighbours: the check above was not vacuous */
	assert_true(shared > 0);
	free_swapped(e, folio, entry, NR_FOLIOS);
	swap_slots_drain_all(e);
	assert_int_equal(memcg_swap_nr_free(e), nr_free);
	memcg_engine_destroy(e);
}

/*
 * Two CPUs allocating and swapping in turn write no entry line in common;
 * in an arena small enough for lists to take less than a group if they
 * took descriptor lines (1024 frames: 8 a batch on 2 CPUs).
 */
static void test_two_cpus_no_shared_line(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct folio *folio[2][NR_FOLIOS];
	memcg_swp_entry_t entry[2][NR_FOLIOS];
	uintptr_t line[2][NR_FOLIOS];

	(void)state;
	test_config_init(&cfg, 4 << 20);
	cfg.nr_cpus = 2;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 4 << 20), 0);
	for (int i = 0; i < NR_FOLIOS; i++) {
		for (int cpu = 0; cpu < 2; cpu++) {
			struct folio *f;

			memcg_set_cpu(cpu);
			f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
			assert_non_null(f);
			assert_int_equal(memcg_charge(e, f, memcg_root(e), 0), 0);
			assert_int_equal(memcg_swap_alloc(e, f, &entry[cpu][i]), 0);
			folio[cpu][i] = f;
		}
	}
	for (int cpu = 0; cpu < 2; cpu++)
		for (int i = 0; i < NR_FOLIOS; i++)
			line[cpu][i] = entry_line(e->swap, entry[cpu][i].val);
	for (int i = 0; i < NR_FOLIOS; i++)
		for (int j = 0; j < NR_FOLIOS; j++) {
			assert_int_not_equal(group_of(e, folio[0][i]),
					     group_of(e, folio[1][j]));
			assert_true(line[0][i] != line[1][j]);
		}
	for (int cpu = 0; cpu < 2; cpu++) {
		memcg_set_cpu(cpu);
		free_swapped(e, folio[cpu], entry[cpu], NR_FOLIOS);
	}
	memcg_set_cpu(0);
	memcg_engine_destroy(e);
}

/* Bytes of @p's @bytes (page-aligned) resident in memory. */
static size_t resident_bytes(const void *p, size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t n = (bytes + page - 1) / page, resident = 0;
	unsigned char *vec = calloc(n, 1);

	assert_non_null(vec);
	assert_int_equal(mincore((void *)p, bytes, vec), 0);
	for (size_t i = 0; i < n; i++)
		resident += vec[i] & 1;
	free(vec);
	return resident * page;
}

/*
 * Every frame of the arena swapped out once: the entries' resident bytes
 * per frame, at most FOLIO_LINE_GROUP's 4 (the kernel's folio->swap is 8
 * bytes of the 64-byte struct page).
 */
static void test_folio_swap_bytes_per_frame(void **state)
{
	struct memcg_engine *e = test_engine_new(16 << 20);
	size_t nr = folio_arena_nr_frames(e->arena), n = 0, bytes;
	struct folio **v = calloc(nr, sizeof(*v));
	memcg_swp_entry_t *entry = calloc(nr, sizeof(*entry));

	(void)state;
	assert_non_null(v);
	assert_non_null(entry);
	assert_int_equal(memcg_swapon(e, NULL, 16 << 20), 0);
	assert_int_equal(resident_bytes(e->swap->folio_swap,
					e->swap->folio_swap_bytes), 0);
	while (n < nr && (v[n] = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0))) {
		assert_int_equal(memcg_charge(e, v[n], memcg_root(e), 0), 0);
		n++;
	}
	assert_int_equal(n, nr);	/* the whole arena */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(memcg_swap_out(e, v[i], &entry[i]), 0);
	bytes = resident_bytes(e->swap->folio_swap, e->swap->folio_swap_bytes);
	print_message("folio_swap: %zu bytes resident for %zu frames, %.2f a frame\n",
		      bytes, nr, (double)bytes / (double)nr);
	assert_true(bytes <= nr * sizeof(uint32_t));
	/* every entry was written: the measure above was not vacuous */
	assert_true(bytes >= nr * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(memcg_swap_free(e, entry[i]), 0);
	free(entry);
	free(v);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folio_swap_lines),
		cmocka_unit_test(test_two_cpus_no_shared_line),
		cmocka_unit_test(test_folio_swap_bytes_per_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
