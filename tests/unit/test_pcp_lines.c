// SPDX-License-Identifier: MIT
/*
 * The per-CPU lists and line groups (src/mm/folio.c, FOLIO_LINE_GROUP:
 * 16 frames, 4 descriptor lines and one line of swap entries): lists
 * take whole groups, and a frame of another CPU's group freed while a
 * group-mate is in use goes to the cold end of the list, so that two
 * CPUs do not each recycle a frame of one group; a frame of the CPU's
 * own group, or of an idle one, comes back first. And the arena's rseq
 * mode (folio_arena_set_rseq()).
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
#define GROUP FOLIO_LINE_GROUP

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

static uint32_t group_of(struct folio_arena *a, struct folio *f)
{
	return folio_pfn(a, f) / GROUP;
}

/*
 * CPU 0 holds a frame of a group whose frame of another descriptor line
 * was freed on CPU 1 (a thread that migrated): CPU 1's next allocation
 * is another group's frame, and so are the ones after it while CPU 0
 * keeps its frame.
 */
static void test_mate_in_use_goes_cold(void **state)
{
	struct folio_arena *a = arena_new(1024);
	struct folio *v[LINE + 1], *held, *moved, *f;

	(void)state;
	memcg_set_cpu(1);
	put_free(a, folio_alloc(a, FOLIO_ANON, 0));	/* CPU 1's own groups */
	assert_true(folio_arena_pcp_count(a, 1) > 1);

	memcg_set_cpu(0);
	for (unsigned i = 0; i <= LINE; i++)
		v[i] = folio_alloc(a, FOLIO_ANON, 0);
	held = v[0];
	moved = v[LINE];
	assert_int_equal(group_of(a, held), group_of(a, moved));
	assert_int_not_equal(line_of(a, held), line_of(a, moved));
	for (unsigned i = 1; i < LINE; i++)
		put_free(a, v[i]);

	memcg_set_cpu(1);
	put_free(a, moved);	/* its line-mates are free: only the group tells */
	for (int i = 0; i < 8; i++) {
		f = folio_alloc(a, FOLIO_ANON, 0);
		assert_non_null(f);
		assert_ptr_not_equal(f, moved);
		assert_int_not_equal(group_of(a, f), group_of(a, held));
		put_free(a, f);
	}

	memcg_set_cpu(0);
	put_free(a, held);
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_nr_free(a), folio_arena_nr_frames(a));
	folio_arena_destroy(a);
}

/* A frame whose group-mates are all free is hot: it comes back first. */
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
	/* the first frames of the group are freed with their mates held */
	for (int i = 0; i < NR; i++)
		put_free(a, v[i]);
	assert_int_equal(folio_arena_pcp_count(a, 0), before + NR);
	assert_int_equal(folio_arena_nr_free(a), folio_arena_nr_frames(a));
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_pcp_count(a, 0), 0);
	folio_arena_destroy(a);
}

/* Does some line group hold frames of both owners (1 and 2)? */
static bool group_shared(const unsigned char *owner, size_t nr)
{
	for (size_t g = 0; g < nr; g += GROUP) {
		unsigned seen = 0;

		for (size_t i = g; i < g + GROUP && i < nr; i++)
			seen |= owner[i];
		if (seen == 3)
			return true;
	}
	return false;
}

/* Lists take whole groups: two CPUs allocating in turn share none. */
static void test_groups_per_cpu(void **state)
{
	enum { NR = 1024, EACH = 200 };
	struct folio_arena *a = arena_new(NR);
	static struct folio *v[2][EACH];
	unsigned char owner[NR] = { 0 };

	(void)state;
	assert_int_equal(folio_arena_pcp_batch(a) % GROUP, 0);
	for (int i = 0; i < EACH; i++) {
		for (int cpu = 0; cpu < 2; cpu++) {
			memcg_set_cpu(cpu);
			v[cpu][i] = folio_alloc(a, FOLIO_ANON, 0);
			assert_non_null(v[cpu][i]);
			owner[folio_pfn(a, v[cpu][i])] = (unsigned char)(1 + cpu);
		}
	}
	assert_false(group_shared(owner, NR));
	for (int cpu = 0; cpu < 2; cpu++) {
		memcg_set_cpu(cpu);
		for (int i = 0; i < EACH; i++)
			put_free(a, v[cpu][i]);
	}
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_nr_free(a), NR);
	folio_arena_destroy(a);
}

/*
 * A thread on CPU 0 frees a descriptor line of its group on CPU 1 (it
 * migrated) and keeps a frame of it; then each CPU recycles one frame
 * at a time, as bench_scale's threads do: no frame CPU 1 gets shares a
 * group with a frame CPU 0 holds.
 */
static void test_migrated_groups_stay_apart(void **state)
{
	struct folio_arena *a = arena_new(1024);
	struct folio *v[2 * LINE], *f0, *f1;

	(void)state;
	memcg_set_cpu(1);
	put_free(a, folio_alloc(a, FOLIO_ANON, 0));	/* CPU 1's own groups */
	memcg_set_cpu(0);
	for (unsigned i = 0; i < 2 * LINE; i++)
		v[i] = folio_alloc(a, FOLIO_ANON, 0);
	assert_int_equal(group_of(a, v[0]), group_of(a, v[2 * LINE - 1]));
	memcg_set_cpu(1);
	for (unsigned i = LINE; i < 2 * LINE; i++)
		put_free(a, v[i]);
	memcg_set_cpu(0);
	for (unsigned i = 1; i < LINE; i++)
		put_free(a, v[i]);

	for (int round = 0; round < 64; round++) {
		memcg_set_cpu(0);
		f0 = folio_alloc(a, FOLIO_ANON, 0);
		memcg_set_cpu(1);
		f1 = folio_alloc(a, FOLIO_ANON, 0);
		assert_non_null(f0);
		assert_non_null(f1);
		assert_int_not_equal(group_of(a, f1), group_of(a, v[0]));
		assert_int_not_equal(group_of(a, f1), group_of(a, f0));
		put_free(a, f1);
		memcg_set_cpu(0);
		put_free(a, f0);
	}
	put_free(a, v[0]);
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_nr_free(a), folio_arena_nr_frames(a));
	folio_arena_destroy(a);
}

/*
 * Frames of a CPU's own group stay hot whatever their mates do: with
 * idle folios of its group held (here or by a thread that migrated),
 * recycling one frame on CPU 0 gives that frame back every time instead
 * of turning the whole list over (walking frames another CPU may walk
 * too: what bench_scale's swap path did under a rule by mates alone).
 */
static void test_own_group_stays_hot(void **state)
{
	struct folio_arena *a = arena_new(1024);
	struct folio *held[3], *f, *g;

	(void)state;
	memcg_set_cpu(0);
	for (int i = 0; i < 3; i++)
		held[i] = folio_alloc(a, FOLIO_ANON, 0);
	f = folio_alloc(a, FOLIO_ANON, 0);
	assert_int_equal(group_of(a, f), group_of(a, held[0]));
	put_free(a, f);
	for (int i = 0; i < 8; i++) {
		g = folio_alloc(a, FOLIO_ANON, 0);
		assert_ptr_equal(g, f);
		put_free(a, g);
	}
	for (int i = 0; i < 3; i++)
		put_free(a, held[i]);
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_nr_free(a), folio_arena_nr_frames(a));
	folio_arena_destroy(a);
}

/*
 * A frame of CPU 0's group freed on CPU 1's empty list while its mate is
 * in use: CPU 1 takes a batch of its own first, so its next frames are of
 * other groups (alone on the list, the frame would have come back at
 * once: bench_scale's swap threads shared a group that way).
 */
static void test_empty_list_takes_batch(void **state)
{
	struct folio_arena *a = arena_new(1024);
	struct folio *held, *moved, *f[4];

	(void)state;
	memcg_set_cpu(0);
	held = folio_alloc(a, FOLIO_ANON, 0);
	moved = folio_alloc(a, FOLIO_ANON, 0);
	assert_int_equal(group_of(a, held), group_of(a, moved));
	memcg_set_cpu(1);
	assert_int_equal(folio_arena_pcp_count(a, 1), 0);
	put_free(a, moved);
	assert_true(folio_arena_pcp_count(a, 1) > 1);
	for (int i = 0; i < 4; i++) {
		f[i] = folio_alloc(a, FOLIO_ANON, 0);
		assert_non_null(f[i]);
		assert_int_not_equal(group_of(a, f[i]), group_of(a, held));
	}
	for (int i = 0; i < 4; i++)
		put_free(a, f[i]);
	memcg_set_cpu(0);
	put_free(a, held);
	memcg_set_cpu(-1);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_nr_free(a), folio_arena_nr_frames(a));
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
		cmocka_unit_test(test_groups_per_cpu),
		cmocka_unit_test(test_migrated_groups_stay_apart),
		cmocka_unit_test(test_own_group_stays_hot),
		cmocka_unit_test(test_empty_list_takes_batch),
		cmocka_unit_test(test_rseq_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
