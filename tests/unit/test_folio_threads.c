// SPDX-License-Identifier: MIT
/*
 * The frame arena (src/mm/folio.c) under threads: allocations and frees
 * with data checks, refcounts, the race for the last put, and threads that
 * allocate while the per-CPU lists drain. The single-threaded tests are
 * test_folio.c's, the per-CPU lists' own test_folio_pcp.c's.
 */
#include "folio_test.h"

struct worker {
	pthread_t tid;
	struct folio_arena *a;
	uint64_t seed;
	int id;
};

static void tag_folio(struct folio_arena *a, struct folio *f, uint64_t tag)
{
	for (long i = 0; i < folio_nr_pages(f); i++) {
		uint64_t *p = folio_address(a, &f[i]);

		p[0] = tag ^ folio_pfn(a, &f[i]);
	}
}

static bool check_tag(struct folio_arena *a, struct folio *f, uint64_t tag)
{
	uint64_t *p = folio_address(a, f);

	return p[0] == (tag ^ folio_pfn(a, f));
}

static void *worker_fn(void *arg)
{
	enum { CAP = 64, OPS = 100000 };
	struct worker *w = arg;
	struct folio *held[CAP];
	size_t nr = 0;
	uint64_t tag = 0x1234567800000000ull * (uint64_t)(w->id + 1);
	unsigned huge = folio_arena_huge_order(w->a);
	int bad = 0;

	for (int op = 0; op < OPS; op++) {
		uint64_t r = rnd_next(&w->seed);

		if (nr && (r % 2 == 0 || nr == CAP)) {
			size_t i = (r >> 8) % nr;
			struct folio *f = held[i];

			held[i] = held[--nr];
			bad |= !check_tag(w->a, f, tag);
			bad |= folio_order(f) == 0 && folio_ref_count(f) != 1;
			if (!folio_put_testzero(f))
				bad = 1;
			folio_free(w->a, f);
			continue;
		}
		struct folio *f = folio_alloc(w->a, FOLIO_ANON,
					      (r >> 4) % 16 == 0 ? huge : 0);
		if (!f)
			continue;
		tag_folio(w->a, f, tag);
		if (folio_order(f) && nr + (1u << huge) <= CAP &&
		    (r >> 12) % 2 == 0) {
			folio_split(w->a, f);
			for (long i = 1; i < (1L << huge); i++)
				held[nr++] = &f[i];
		}
		held[nr++] = f;
	}
	while (nr) {
		struct folio *f = held[--nr];

		bad |= !check_tag(w->a, f, tag);
		bad |= !folio_put_testzero(f);
		folio_free(w->a, f);
	}
	return bad ? (void *)1 : NULL;
}

static void test_concurrent(void **state)
{
	enum { NR_THREADS = 4, NR = 1024 };
	struct folio_arena *a = arena_new(NR, false, 3);
	struct worker w[NR_THREADS];
	uint64_t seed = test_seed("test_concurrent", 99);

	for (int i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .a = a, .seed = seed + i, .id = i };
		assert_int_equal(pthread_create(&w[i].tid, NULL, worker_fn, &w[i]), 0);
	}
	for (int i = 0; i < NR_THREADS; i++) {
		void *ret;

		assert_int_equal(pthread_join(w[i].tid, &ret), 0);
		assert_null(ret);
	}
	assert_int_equal(folio_arena_nr_free(a), NR);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

struct ref_worker {
	pthread_t tid;
	struct folio *f;
	enum folio_flag flag;
};

static void *ref_worker_fn(void *arg)
{
	struct ref_worker *w = arg;

	for (int i = 0; i < 100000; i++) {
		folio_get(w->f);
		folio_set_flag(w->f, w->flag);
		if (folio_put_testzero(w->f))
			return (void *)1;
		folio_clear_flag(w->f, w->flag);
	}
	return NULL;
}

/* Concurrent get/put and flag changes never disturb each other. */
static void test_concurrent_refcount(void **state)
{
	enum { NR_THREADS = 4 };
	struct folio_arena *a = arena_new(8, true, 1);
	struct folio *f = folio_alloc(a, FOLIO_ANON, 0);
	struct ref_worker w[NR_THREADS];

	for (int i = 0; i < NR_THREADS; i++) {
		w[i] = (struct ref_worker){ .f = f, .flag = user_flags[i] };
		assert_int_equal(pthread_create(&w[i].tid, NULL, ref_worker_fn, &w[i]), 0);
	}
	for (int i = 0; i < NR_THREADS; i++) {
		void *ret;

		assert_int_equal(pthread_join(w[i].tid, &ret), 0);
		assert_null(ret);
	}
	assert_int_equal(atomic_load(&f->refflags), 1);
	put_free(a, f);
	folio_arena_destroy(a);
}

/* Last put races: exactly one thread sees zero. */
struct last_put {
	struct folio *f;
	atomic_int zeroes;
};

static void *last_put_fn(void *arg)
{
	struct last_put *lp = arg;

	if (folio_put_testzero(lp->f))
		atomic_fetch_add(&lp->zeroes, 1);
	return NULL;
}

static void test_last_put_race(void **state)
{
	enum { NR_THREADS = 4, ROUNDS = 200 };
	struct folio_arena *a = arena_new(8, false, 1);

	for (int r = 0; r < ROUNDS; r++) {
		struct last_put lp = { .f = folio_alloc(a, FOLIO_ANON, 0) };
		pthread_t t[NR_THREADS];

		folio_ref_add(lp.f, NR_THREADS - 1);
		for (int i = 0; i < NR_THREADS; i++)
			assert_int_equal(pthread_create(&t[i], NULL, last_put_fn, &lp), 0);
		for (int i = 0; i < NR_THREADS; i++)
			pthread_join(t[i], NULL);
		assert_int_equal(atomic_load(&lp.zeroes), 1);
		folio_free(a, lp.f);
	}
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

struct drainer {
	pthread_t tid;
	struct folio_arena *a;
	atomic_bool stop;
	size_t sum;
};

/* Drains and counts (not exact while the workers run) as fast as it can. */
static void *drainer_fn(void *arg)
{
	struct drainer *d = arg;

	while (!atomic_load(&d->stop)) {
		folio_arena_drain_all(d->a);
		d->sum += folio_arena_nr_free(d->a);
	}
	return NULL;
}

/* Threads on the real CPUs allocate, split and free while lists drain. */
static void test_pcp_concurrent(void **state)
{
	enum { NR_THREADS = 4, NR = 1024 };
	struct folio_arena *a = arena_new(NR, false, 3);
	struct worker w[NR_THREADS];
	struct drainer d = { .a = a };
	uint64_t seed = test_seed("test_pcp_concurrent", 7);

	folio_arena_set_deterministic(a, false);
	assert_int_equal(pthread_create(&d.tid, NULL, drainer_fn, &d), 0);
	for (int i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .a = a, .seed = seed + i, .id = i };
		assert_int_equal(pthread_create(&w[i].tid, NULL, worker_fn, &w[i]), 0);
	}
	for (int i = 0; i < NR_THREADS; i++) {
		void *ret;

		assert_int_equal(pthread_join(w[i].tid, &ret), 0);
		assert_null(ret);
	}
	atomic_store(&d.stop, true);
	assert_int_equal(pthread_join(d.tid, NULL), 0);
	assert_int_equal(folio_arena_nr_free(a), NR);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_concurrent_refcount),
		cmocka_unit_test(test_last_put_race),
		cmocka_unit_test(test_pcp_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
