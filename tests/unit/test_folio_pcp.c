// SPDX-License-Identifier: MIT
/*
 * The frame arena's per-CPU lists (src/mm/folio.c): refill and drain,
 * descriptor lines per CPU, allocations that drain, threads owning lines.
 * Draining while threads allocate is test_folio_threads.c's.
 */
#include "folio_test.h"

/* Does some descriptor line hold frames of both owners (1 and 2)? */
static bool line_shared(const unsigned char *owner, size_t nr)
{
	for (size_t line = 0; line < nr; line += 4) {
		unsigned seen = 0;

		for (size_t i = line; i < line + 4 && i < nr; i++)
			seen |= owner[i];
		if (seen == 3)
			return true;
	}
	return false;
}

/* A refill takes a batch of whole lines; a full list gives its coldest batch back. */
static void test_pcp_refill_drain(void **state)
{
	enum { NR = 1024 };
	struct folio_arena *a = arena_new(NR, true, 4);
	unsigned batch = folio_arena_pcp_batch(a);
	unsigned high = batch * FOLIO_PCP_HIGH_BATCHES, count;
	struct folio **v = calloc(high + 1, sizeof(*v));
	struct folio *f;

	assert_non_null(v);
	assert_true(folio_arena_nr_cpus(a) >= 2);
	assert_true(batch >= 4 && batch % 4 == 0);
	memcg_set_cpu(0);
	for (unsigned i = 0; i < batch; i++) {	/* block 0, lowest first */
		v[i] = folio_alloc(a, FOLIO_ANON, 0);
		assert_int_equal(folio_pfn(a, v[i]), i);
		assert_int_equal(folio_arena_pcp_count(a, 0), batch - 1 - i);
	}
	for (unsigned i = batch; i <= high; i++)
		assert_non_null(v[i] = folio_alloc(a, FOLIO_ANON, 0));
	count = folio_arena_pcp_count(a, 0);

	memcg_set_cpu(1);			/* the next lines */
	f = folio_alloc(a, FOLIO_ANON, 0);
	assert_int_equal(folio_pfn(a, f) % 4, 0);
	assert_true(folio_pfn(a, f) > high);
	assert_int_equal(folio_arena_pcp_count(a, 1), batch - 1);
	assert_int_equal(folio_arena_nr_free(a), NR - high - 2);

	/* CPU 0's frames freed on CPU 1: its list fills up to the high mark */
	for (unsigned i = 0, n = batch - 1; i <= high; i++) {
		put_free(a, v[i]);
		n = n == high ? high - batch + 1 : n + 1;
		assert_int_equal(folio_arena_pcp_count(a, 1), n);
		assert_int_equal(folio_arena_nr_free(a), NR - high - 1 + i);
	}
	assert_int_equal(folio_arena_pcp_count(a, 0), count);
	/* hot first: the last frame freed comes back first */
	assert_ptr_equal(folio_alloc(a, FOLIO_ANON, 0), v[high]);
	put_free(a, v[high]);
	put_free(a, f);

	assert_int_equal(folio_arena_nr_free(a), NR);
	folio_arena_drain_all(a);
	assert_int_equal(folio_arena_pcp_count(a, 0), 0);
	assert_int_equal(folio_arena_pcp_count(a, 1), 0);
	assert_int_equal(folio_arena_nr_free(a), NR);
	memcg_set_cpu(-1);
	assert_fully_coalesced(a);
	free(v);
	folio_arena_destroy(a);
}

/* Two CPUs allocating in turn never get frames of one descriptor line. */
static void test_pcp_lines_per_cpu(void **state)
{
	enum { NR = 1024, EACH = 300 };
	struct folio_arena *a = arena_new(NR, true, 4);
	struct folio *v[2][EACH];
	unsigned char owner[NR] = { 0 };

	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < EACH; i++) {
			for (int cpu = 0; cpu < 2; cpu++) {
				memcg_set_cpu(cpu);
				v[cpu][i] = folio_alloc(a, FOLIO_ANON, 0);
				assert_non_null(v[cpu][i]);
				owner[folio_pfn(a, v[cpu][i])] = (unsigned char)(1 + cpu);
			}
		}
		assert_false(line_shared(owner, NR));
		/* freed on the other CPU, then drained: lines come back whole */
		for (int cpu = 0; cpu < 2; cpu++) {
			memcg_set_cpu(1 - cpu);
			for (int i = 0; i < EACH; i++)
				put_free(a, v[cpu][i]);
		}
		memset(owner, 0, sizeof(owner));
		assert_int_equal(folio_arena_nr_free(a), NR);
		folio_arena_drain_all(a);
	}
	memcg_set_cpu(-1);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

/* Frames on lists count as free and do not make an allocation fail. */
static void test_pcp_alloc_drains(void **state)
{
	enum { NR = 64, HUGE = 4 };
	struct folio_arena *a = arena_new(NR, false, HUGE);
	struct folio *v[NR];

	for (int cpu = 0; cpu < 2; cpu++) {
		memcg_set_cpu(cpu);
		put_free(a, folio_alloc(a, FOLIO_ANON, 0));
		assert_true(folio_arena_pcp_count(a, cpu) > 0);
		assert_int_equal(folio_arena_nr_free(a), NR);
	}
	/* every block whole again for huge folios */
	for (int i = 0; i < NR >> HUGE; i++)
		assert_non_null(v[i] = folio_alloc(a, FOLIO_ANON, HUGE));
	assert_int_equal(folio_arena_nr_free(a), 0);
	assert_null(folio_alloc(a, FOLIO_ANON, 0));
	for (int i = 0; i < NR >> HUGE; i++)
		put_free(a, v[i]);

	/* CPU 1 gets every frame, CPU 0's cached ones last */
	memcg_set_cpu(0);
	put_free(a, folio_alloc(a, FOLIO_ANON, 0));
	assert_true(folio_arena_pcp_count(a, 0) > 0);
	memcg_set_cpu(1);
	for (int i = 0; i < NR; i++) {
		assert_non_null(v[i] = folio_alloc(a, FOLIO_ANON, 0));
		assert_true(all_zero(folio_address(a, v[i]), FRAME_SIZE));
	}
	assert_null(folio_alloc(a, FOLIO_ANON, 0));
	assert_int_equal(folio_arena_pcp_count(a, 0), 0);
	assert_int_equal(folio_arena_nr_free(a), 0);
	for (int i = 0; i < NR; i++)
		put_free(a, v[i]);
	assert_int_equal(folio_arena_nr_free(a), NR);

	/* a huge folio split and freed piece by piece on two CPUs */
	v[0] = folio_alloc(a, FOLIO_ANON, HUGE);
	assert_non_null(v[0]);
	folio_split(a, v[0]);
	for (int i = 0; i < 1 << HUGE; i++) {
		memcg_set_cpu(i & 1);
		put_free(a, &v[0][i]);
	}
	memcg_set_cpu(-1);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

struct pcp_worker {
	pthread_t tid;
	struct folio_arena *a;
	int cpu;
	struct folio *v[256];
};

static void *pcp_owner_fn(void *arg)
{
	struct pcp_worker *w = arg;

	memcg_set_cpu(w->cpu);
	for (int i = 0; i < 256; i++)
		w->v[i] = folio_alloc(w->a, FOLIO_ANON, 0);
	return NULL;
}

/* Threads on two CPUs allocating at once: no line shared. */
static void test_pcp_threads_own_lines(void **state)
{
	enum { NR = 4096 };
	struct folio_arena *a = arena_new(NR, true, 9);
	static struct pcp_worker w[2];
	unsigned char owner[NR] = { 0 };

	folio_arena_set_deterministic(a, false);
	for (int i = 0; i < 2; i++) {
		w[i] = (struct pcp_worker){ .a = a, .cpu = i };
		assert_int_equal(pthread_create(&w[i].tid, NULL, pcp_owner_fn, &w[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(w[i].tid, NULL), 0);
	for (int i = 0; i < 2; i++) {
		for (int j = 0; j < 256; j++) {
			assert_non_null(w[i].v[j]);
			owner[folio_pfn(a, w[i].v[j])] = (unsigned char)(1 + i);
		}
	}
	assert_false(line_shared(owner, NR));
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 256; j++)
			put_free(a, w[i].v[j]);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcp_refill_drain),
		cmocka_unit_test(test_pcp_lines_per_cpu),
		cmocka_unit_test(test_pcp_alloc_drains),
		cmocka_unit_test(test_pcp_threads_own_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
