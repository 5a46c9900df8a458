// SPDX-License-Identifier: MIT
/*
 * The per-CPU lists and descriptor lines (src/mm/folio.c, pcp_give()): a
 * frame freed while a line-mate is in use goes to the cold end of the
 * list, so that two CPUs do not each recycle a frame of one descriptor
 * line; a frame whose line is idle comes back first. And the arena's
 * rseq mode (folio_arena_set_rseq()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "lib/percpu.h"
#include "memcg/memcg.h"
#include "mm/folio.h"

#define LINE (MEMCG_CACHELINE / sizeof(struct folio))

/* Deterministic: the CPU is memcg_set_cpu()'s. */
static struct folio_arena *arena_new(size_t nr)
{
	struct folio_arena *a = NULL;

	assert_int_equal(folio_arena_create(nr, true, 4, &a), 0);
	folio_arena_set_deterministic(a, true);
	return a;
}

static void put_free(struct folio_arena *a, struct folio *f)
{
	assert_true(folio_put_testzero(f));
	folio_free(a, f);
}

static uint32_t line_of(struct folio_arena *a, struct folio *f)
{
	return folio_pfn(a, f) / LINE;
}

/*
 * CPU 0 holds a frame of a line whose other frame was freed on CPU 1 (a
 * thread that migrated): CPU 1's next allocation is another line's frame,
 * and so are the ones after it while CPU 0 keeps its frame.
 */
static void test_mate_in_use_goes_cold(void **state)
{
	struct folio_arena *a = arena_new(1024);
	struct folio *held, *moved, *f;

	(void)state;
	memcg_set_cpu(1);
	put_free(a, folio_alloc(a, FOLIO_ANON, 0));	/* CPU 1's own lines */
	assert_true(folio_arena_pcp_count(a, 1) > 1);

	memcg_set_cpu(0);
	held = folio_alloc(a, FOLIO_ANON, 0);
	moved = folio_alloc(a, FOLIO_ANON, 0);
	assert_int_equal(line_of(a, held), line_of(a, moved));

	memcg_set_cpu(1);
	put_free(a, moved);
	for (int i = 0; i < 8; i++) {
		f = folio_alloc(a, FOLIO_ANON, 0);
		assert_non_null(f);
		assert_ptr_not_equal(f, moved);
		assert_int_not_equal(line_of(a, f), line_of(a, held));
		put_free(a, f);
	}

	memcg_set_cpu(0);
	put_free(a, held);
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_nr_free(a), folio_arena_nr_frames(a));
	folio_arena_destroy(a);
}

/* A frame whose line-mates are all free is hot: it comes back first. */
static void test_idle_line_stays_hot(void **state)
{
	struct folio_arena *a = arena_new(1024);
	struct folio *f;

	(void)state;
	memcg_set_cpu(0);
	f = folio_alloc(a, FOLIO_ANON, 0);
	put_free(a, f);
	for (int i = 0; i < 4; i++) {
		struct folio *g = folio_alloc(a, FOLIO_ANON, 0);

		assert_ptr_equal(g, f);
		put_free(a, g);
	}
	memcg_set_cpu(-1);
	folio_arena_destroy(a);
}

/* The cold end takes the frame, the coldest moves up: none is lost. */
static void test_cold_end_keeps_count(void **state)
{
	enum { NR = 12 };
	struct folio_arena *a = arena_new(1024);
	struct folio *v[NR];
	unsigned before;

	(void)state;
	memcg_set_cpu(0);
	for (int i = 0; i < NR; i++)
		v[i] = folio_alloc(a, FOLIO_ANON, 0);
	before = folio_arena_pcp_count(a, 0);
	/* the first frames of each line are freed with their mates held */
	for (int i = 0; i < NR; i++)
		put_free(a, v[i]);
	assert_int_equal(folio_arena_pcp_count(a, 0), before + NR);
	assert_int_equal(folio_arena_nr_free(a), folio_arena_nr_frames(a));
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_pcp_count(a, 0), 0);
	folio_arena_destroy(a);
}

/*
 * rseq mode (where the machine has it): the real CPU's list, whatever
 * memcg_set_cpu() says; a deterministic arena stays in atomic mode.
 */
static void test_rseq_mode(void **state)
{
	struct folio_arena *a = NULL;
	struct folio *f;
	unsigned total = 0;

	(void)state;
	if (!pcpu_rseq_available())
		skip();
	assert_int_equal(folio_arena_create(1024, true, 4, &a), 0);
	folio_arena_set_rseq(a, true);
	memcg_set_cpu(folio_arena_nr_cpus(a) + 7);	/* ignored */
	f = folio_alloc(a, FOLIO_ANON, 0);
	assert_non_null(f);
	put_free(a, f);
	for (unsigned cpu = 0; cpu < folio_arena_nr_cpus(a); cpu++)
		total += folio_arena_pcp_count(a, cpu);
	assert_true(total > 0);
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);	/* remote locks: the membarrier way */
	for (unsigned cpu = 0; cpu < folio_arena_nr_cpus(a); cpu++)
		assert_int_equal(folio_arena_pcp_count(a, cpu), 0);
	assert_int_equal(folio_arena_nr_free(a), folio_arena_nr_frames(a));

	/* deterministic: memcg_set_cpu() decides again */
	folio_arena_set_deterministic(a, true);
	memcg_set_cpu(1);
	put_free(a, folio_alloc(a, FOLIO_ANON, 0));
	assert_true(folio_arena_pcp_count(a, 1) > 0);
	memcg_set_cpu(-1);
	folio_arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mate_in_use_goes_cold),
		cmocka_unit_test(test_idle_line_stays_hot),
		cmocka_unit_test(test_cold_end_keeps_count),
		cmocka_unit_test(test_rseq_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
