// SPDX-License-Identifier: MIT
/*
 * Swap counts past the byte: a slot's page-table references go on past
 * 126 in the cluster's continuation table (the kernel's continuation
 * pages, SWAP_CONT_MAX), and come back to the byte on the way down. At
 * 126, 127, 128 and many references, freed in any order across slots and
 * with the swap cache's bit dropped at any point, a slot is free exactly
 * when its last reference goes, with its charge (v2 swap, v1 memsw).
 *
 * MEMCG_SEED picks the order of the frees (tests/helpers/seed.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/swapfile.h"
#include "seed.h"

#define NR_SLOTS 8

static int setup(void **state, enum memcg_mode mode)
{
	struct memcg_config cfg;
	struct fixture *f;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 16 << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	f = fixture_new(&cfg, "A", "B");
	assert_int_equal(memcg_swapon(f->e, NULL, 1 << 20), 0);
	*state = f;
	return 0;
}

static int setup_v2(void **state)
{
	return setup(state, MEMCG_MODE_V2);
}

static int setup_v1(void **state)
{
	return setup(state, MEMCG_MODE_V1);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fixture_release(f);
	assert_int_equal(memcg_swap_nr_free(f->e), 256);
	fixture_free(f);
	return 0;
}

/* Swap charged to @m: the swap counter (v2), memsw beyond memory (v1). */
static long swp(struct mem_cgroup *m)
{
	if (m->engine->v1)
		return page_counter_read(&m->memsw) - page_counter_read(&m->memory);
	return page_counter_read(&m->swap);
}

/* A page of @m swapped out: one page-table reference on its entry. */
static memcg_swp_entry_t swapped_out(struct fixture *f)
{
	struct folio *folio = memcg_folio_alloc(f->e, MEMCG_FOLIO_ANON, 0);
	memcg_swp_entry_t entry;

	assert_non_null(folio);
	assert_int_equal(memcg_charge(f->e, folio, f->a, 0), 0);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	return entry;
}

static unsigned long count(struct fixture *f, memcg_swp_entry_t entry)
{
	return swap_slot_count(f->e->swap, entry.val - 1);
}

static uint8_t byte(struct fixture *f, memcg_swp_entry_t entry)
{
	return swap_slot_state(f->e->swap, entry.val - 1);
}

/* Up to @n references and back down: free exactly at the last. */
static void up_and_down(struct fixture *f, unsigned long n)
{
	long free_slots = memcg_swap_nr_free(f->e);
	memcg_swp_entry_t entry = swapped_out(f);
	unsigned long i;

	for (i = 1; i < n; i++)
		assert_int_equal(memcg_swap_dup(f->e, entry), 0);
	assert_int_equal(count(f, entry), n);
	/* 126 fits the byte; from 127 on it is continued */
	assert_int_equal(byte(f, entry),
			 n < SWAP_MAP_CONTINUED ? n : SWAP_MAP_CONTINUED);
	assert_int_equal(swp(f->a), 1);
	fixture_audit(f);
	for (i = n; i > 1; i--) {
		assert_int_equal(memcg_swap_free(f->e, entry), 0);
		assert_int_equal(count(f, entry), i - 1);
		assert_int_equal(byte(f, entry), i - 1 < SWAP_MAP_CONTINUED ?
				 i - 1 : SWAP_MAP_CONTINUED);
	}
	assert_int_equal(swp(f->a), 1);
	assert_int_equal(memcg_swap_nr_free(f->e), free_slots - 1);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(byte(f, entry), 0);
	assert_int_equal(swp(f->a), 0);
	assert_int_equal(memcg_swap_nr_free(f->e), free_slots);
	assert_int_equal(memcg_swap_free(f->e, entry), -EINVAL);
	assert_int_equal(memcg_swap_dup(f->e, entry), -EINVAL);
	fixture_audit(f);
}

static void test_126(void **state)
{
	up_and_down(*state, 126);
}

static void test_127(void **state)
{
	up_and_down(*state, 127);
}

static void test_128(void **state)
{
	up_and_down(*state, 128);
}

static void test_many(void **state)
{
	up_and_down(*state, 100000);
}

/* The task lets its swapped-in folio go; NULL. */
static struct folio *let_go(struct fixture *f, struct folio *folio,
			    memcg_swp_entry_t entry, unsigned long refs)
{
	/* unreferenced, it would stay in the cache: free its slot first */
	if (!refs)
		assert_int_equal(memcg_folio_free_swap(f->e, folio, entry), 0);
	memcg_folio_put(f->e, folio);
	return NULL;
}

/*
 * Slots of one cluster at counts on both sides of the byte's limit, one
 * of them also in the swap cache (a task faulted it in and holds the
 * folio): their references dropped in a random order, a reference taken
 * again now and then, the folio let go at a random point. Each slot is
 * free when, and only when, its last reference and its cache bit are gone.
 */
static void test_any_order(void **state)
{
	static const unsigned long start[NR_SLOTS] = {
		1, 126, 127, 128, 129, 200, 1000, 254 };
	struct fixture *f = *state;
	uint64_t seed = test_seed("test_swap_count", 0xc0a7);
	memcg_swp_entry_t entry[NR_SLOTS];
	unsigned long left[NR_SLOTS], total = 0;
	long free_slots = memcg_swap_nr_free(f->e);
	struct folio *cached;
	long live = NR_SLOTS;
	unsigned drop_at, step = 0;
	unsigned s = (unsigned)seed;
	int i;

	for (i = 0; i < NR_SLOTS; i++) {
		unsigned long n;

		entry[i] = swapped_out(f);
		for (n = 1; n < start[i]; n++)
			assert_int_equal(memcg_swap_dup(f->e, entry[i]), 0);
		left[i] = start[i];
		total += start[i];
	}
	assert_int_equal(memcg_swapin(f->e, entry[5], f->a, 0, &cached), 0);
	drop_at = (unsigned)rand_r(&s) % (unsigned)total;
	fixture_audit(f);
	while (live) {
		i = rand_r(&s) % NR_SLOTS;
		if (!left[i])
			continue;
		if (rand_r(&s) % 8 == 0) {	/* a fork takes one more */
			assert_int_equal(memcg_swap_dup(f->e, entry[i]), 0);
			left[i]++;
		} else {
			assert_int_equal(memcg_swap_free(f->e, entry[i]), 0);
			live -= !--left[i];
		}
		if (cached && step++ == drop_at)
			cached = let_go(f, cached, entry[5], left[5]);
		assert_int_equal(count(f, entry[i]), left[i]);
		/* v1: the swap-in moved slot 5's memsw charge to the folio */
		assert_int_equal(swp(f->a), f->e->v1 ? live - !!left[5] :
				 live + (cached && !left[5]));
		assert_int_equal(memcg_swap_nr_free(f->e),
				 free_slots - live - (cached && !left[5]));
	}
	if (cached)
		let_go(f, cached, entry[5], 0);
	assert_int_equal(swp(f->a), 0);
	assert_int_equal(memcg_swap_nr_free(f->e), free_slots);
	fixture_audit(f);
}

/* At SWAP_CONT_MAX references one more is -ENOMEM, nothing changed. */
static void test_cont_max(void **state)
{
	struct fixture *f = *state;
	memcg_swp_entry_t entry = swapped_out(f);
	size_t off = entry.val - 1;
	uint32_t *cont;
	unsigned long i;

	for (i = 1; i < SWAP_MAP_CONTINUED; i++)
		assert_int_equal(memcg_swap_dup(f->e, entry), 0);
	cont = &f->e->swap->clusters[off / SWAPFILE_CLUSTER].cont[off %
							 SWAPFILE_CLUSTER];
	assert_int_equal(*cont, SWAP_MAP_CONTINUED);
	*cont = SWAP_CONT_MAX - 1;	/* 2^32 - 2 dups, taken as done */
	assert_int_equal(memcg_swap_dup(f->e, entry), 0);
	assert_int_equal(count(f, entry), SWAP_CONT_MAX);
	assert_int_equal(memcg_swap_dup(f->e, entry), -ENOMEM);
	assert_int_equal(count(f, entry), SWAP_CONT_MAX);
	*cont = SWAP_MAP_CONTINUED + 1;	/* and as dropped again */
	for (i = SWAP_MAP_CONTINUED + 1; i > 0; i--)
		assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(byte(f, entry), 0);
	assert_int_equal(swp(f->a), 0);
	fixture_audit(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_126, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_127, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_128, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_any_order, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_cont_max, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_128, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_any_order, setup_v1, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
