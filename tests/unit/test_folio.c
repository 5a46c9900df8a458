// SPDX-License-Identifier: MIT
/*
 * Unit tests for the frame arena and folio descriptors (src/mm/folio.c):
 * allocation, splits and coalescing, data, refcounts, flags, memcg_data,
 * determinism, and the bug detectors. Concurrent use is
 * test_folio_threads.c's, the per-CPU lists test_folio_pcp.c's.
 */
#include "folio_test.h"

static void test_create_destroy(void **state)
{
	struct folio_arena *a = arena_new(1000, false, 9);

	assert_int_equal(folio_arena_nr_frames(a), 1024);	/* rounded up */
	assert_int_equal(folio_arena_nr_free(a), 1024);
	assert_int_equal(folio_arena_huge_order(a), 9);
	folio_arena_destroy(a);

	a = arena_new(1, true, 1);
	assert_int_equal(folio_arena_nr_frames(a), 2);
	assert_int_equal(folio_arena_huge_order(a), 1);
	folio_arena_destroy(a);

	a = arena_new(4096, false, 12);
	assert_int_equal(folio_arena_nr_frames(a), 4096);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);

	folio_arena_destroy(NULL);
}

static void test_bad_arguments(void **state)
{
	struct folio_arena *a = NULL;

	assert_int_equal(folio_arena_create(0, false, 9, &a), -EINVAL);
	assert_int_equal(folio_arena_create(512, false, 0, &a), -EINVAL);
	assert_int_equal(folio_arena_create(512, false, 13, &a), -EINVAL);
	assert_int_equal(folio_arena_create(512, true, 100, &a), -EINVAL);
	assert_int_equal(folio_arena_create(512, false, 9, NULL), -EINVAL);
	assert_null(a);

	a = arena_new(64, true, 3);
	assert_null(folio_alloc(a, FOLIO_ANON, 1));	/* neither 0 nor huge */
	assert_null(folio_alloc(a, FOLIO_ANON, 4));
	assert_null(folio_alloc(a, NR_FOLIO_TYPES, 0));
	assert_int_equal(folio_arena_nr_free(a), 64);
	folio_arena_destroy(a);
}

static void test_exhaustion(void **state)
{
	enum { NR = 256 };
	struct folio_arena *a = arena_new(NR, false, 4);
	struct folio *v[NR];
	bool seen[NR] = { false };

	for (int i = 0; i < NR; i++) {
		v[i] = folio_alloc(a, FOLIO_ANON, 0);
		assert_non_null(v[i]);
		uint32_t pfn = folio_pfn(a, v[i]);
		assert_true(pfn < NR);
		assert_false(seen[pfn]);
		seen[pfn] = true;
		assert_int_equal(folio_arena_nr_free(a), NR - i - 1);
	}
	assert_null(folio_alloc(a, FOLIO_ANON, 0));
	assert_null(folio_alloc(a, FOLIO_ANON, 4));
	for (int i = 0; i < NR; i++)
		put_free(a, v[i]);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

static void test_alloc_state(void **state)
{
	struct folio_arena *a = arena_new(64, false, 3);
	struct folio *f = folio_alloc(a, FOLIO_FILE, 0);
	struct folio *h = folio_alloc(a, FOLIO_SHMEM, 3);

	assert_non_null(f);
	assert_int_equal(folio_ref_count(f), 1);
	assert_int_equal(atomic_load(&f->refflags), 1);	/* no flags */
	assert_int_equal(folio_order(f), 0);
	assert_int_equal(folio_nr_pages(f), 1);
	assert_int_equal(folio_type(f), FOLIO_FILE);
	assert_int_equal(folio_memcg_data(f), 0);
	assert_int_equal(f->lru_next, FOLIO_NONE);
	assert_int_equal(f->lru_prev, FOLIO_NONE);

	assert_non_null(h);
	assert_int_equal(folio_pfn(a, h) % 8, 0);
	assert_int_equal(atomic_load(&h->refflags), 1);
	assert_int_equal(folio_order(h), 3);
	assert_int_equal(folio_nr_pages(h), 8);
	assert_int_equal(folio_type(h), FOLIO_SHMEM);
	assert_int_equal(folio_memcg_data(h), 0);
	for (int i = 1; i < 8; i++) {
		assert_true(folio_test_flag(&h[i], PG_tail));
		assert_false(folio_test_flag(&h[i], PG_free));
		assert_int_equal(folio_ref_count(&h[i]), 0);
	}
	assert_int_equal(folio_arena_nr_free(a), 64 - 1 - 8);

	put_free(a, f);
	assert_true(folio_test_flag(f, PG_free));
	put_free(a, h);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

static void test_pfn_roundtrip(void **state)
{
	struct folio_arena *a = arena_new(32, false, 2);
	char *base = NULL;

	for (uint32_t pfn = 0; pfn < 32; pfn++) {
		struct folio *f = pfn_folio(a, pfn);

		assert_non_null(f);
		assert_int_equal(folio_pfn(a, f), pfn);
		if (!base)
			base = folio_address(a, f);
		assert_ptr_equal(folio_address(a, f),
				 base + (size_t)pfn * FRAME_SIZE);
	}
	assert_null(pfn_folio(a, 32));
	assert_null(pfn_folio(a, FOLIO_NONE));
	folio_arena_destroy(a);
}

/* Huge alloc, split, free every piece: the block must coalesce again. */
static void test_huge_split_coalesce(void **state)
{
	enum { N = 512 };
	struct folio_arena *a = arena_new(N, false, 9);
	struct folio *h = folio_alloc(a, FOLIO_FILE, 9);
	uint32_t order_of[N];
	uint64_t seed = test_seed("test_huge_split_coalesce", 42);
	char *base;

	assert_non_null(h);
	assert_int_equal(folio_arena_nr_free(a), 0);
	assert_null(folio_alloc(a, FOLIO_FILE, 9));
	assert_null(folio_alloc(a, FOLIO_FILE, 0));
	base = folio_address(a, h);
	assert_non_null(base);

	folio_ref_add(h, 2);
	folio_set_flag(h, PG_dirty);
	folio_set_flag(h, PG_referenced);
	folio_set_memcg_data(h, 77);
	folio_split(a, h);

	for (uint32_t i = 0; i < N; i++) {
		struct folio *f = &h[i];

		assert_int_equal(folio_order(f), 0);
		assert_int_equal(folio_ref_count(f), 3);
		assert_true(folio_test_flag(f, PG_dirty));
		assert_true(folio_test_flag(f, PG_referenced));
		assert_false(folio_test_flag(f, PG_tail));
		assert_false(folio_test_flag(f, PG_lru));
		assert_int_equal(folio_type(f), FOLIO_FILE);
		assert_int_equal(folio_memcg_data(f), 77);
		assert_int_equal(f->lru_next, FOLIO_NONE);
		assert_ptr_equal(folio_address(a, f), base + (size_t)i * FRAME_SIZE);
		order_of[i] = i;
	}
	/* Free the pieces in a shuffled order. */
	for (uint32_t i = N - 1; i > 0; i--) {
		uint32_t j = rnd_next(&seed) % (i + 1), t = order_of[i];

		order_of[i] = order_of[j];
		order_of[j] = t;
	}
	for (uint32_t i = 0; i < N; i++) {
		struct folio *f = &h[order_of[i]];

		folio_set_memcg_data(f, 0);
		assert_false(folio_put_testzero(f));
		assert_false(folio_put_testzero(f));
		put_free(a, f);
		assert_int_equal(folio_arena_nr_free(a), i + 1);
		if (i + 1 < N)	/* the block is not whole yet */
			assert_null(folio_alloc(a, FOLIO_ANON, 9));
	}
	h = folio_alloc(a, FOLIO_ANON, 9);
	assert_non_null(h);
	put_free(a, h);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

/* A huge alloc succeeds again once the small frames of a block are freed. */
static void test_small_frees_coalesce(void **state)
{
	struct folio_arena *a = arena_new(16, true, 3);
	struct folio *s[3], *h0, *h1;

	s[0] = folio_alloc(a, FOLIO_ANON, 0);	/* breaks block 0 */
	assert_int_equal(folio_pfn(a, s[0]), 0);
	s[1] = folio_alloc(a, FOLIO_ANON, 0);	/* from the small list */
	assert_int_equal(folio_pfn(a, s[1]), 1);
	h1 = folio_alloc(a, FOLIO_ANON, 3);
	assert_int_equal(folio_pfn(a, h1), 8);
	assert_null(folio_alloc(a, FOLIO_ANON, 3));
	put_free(a, s[0]);
	assert_null(folio_alloc(a, FOLIO_ANON, 3));	/* s[1] still in use */
	s[2] = folio_alloc(a, FOLIO_ANON, 0);		/* LIFO: frame 0 again */
	assert_int_equal(folio_pfn(a, s[2]), 0);
	put_free(a, s[2]);
	put_free(a, s[1]);
	h0 = folio_alloc(a, FOLIO_ANON, 3);
	assert_non_null(h0);
	assert_int_equal(folio_pfn(a, h0), 0);
	assert_null(folio_alloc(a, FOLIO_ANON, 0));
	put_free(a, h0);
	put_free(a, h1);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

static void test_data_zeroed(void **state)
{
	struct folio_arena *a = arena_new(64, false, 4);
	struct folio *f = folio_alloc(a, FOLIO_ANON, 0);
	uint32_t pfn = folio_pfn(a, f);
	unsigned char *p = folio_address(a, f);

	assert_non_null(p);
	assert_true(all_zero(p, FRAME_SIZE));
	memset(p, 0xa5, FRAME_SIZE);
	put_free(a, f);
	f = folio_alloc(a, FOLIO_ANON, 0);
	assert_int_equal(folio_pfn(a, f), pfn);		/* LIFO reuse */
	assert_true(all_zero(folio_address(a, f), FRAME_SIZE));
	put_free(a, f);

	f = folio_alloc(a, FOLIO_ANON, 4);
	pfn = folio_pfn(a, f);
	p = folio_address(a, f);
	assert_true(all_zero(p, 16 * FRAME_SIZE));
	memset(p, 0x5a, 16 * FRAME_SIZE);
	put_free(a, f);
	f = folio_alloc(a, FOLIO_ANON, 4);
	assert_int_equal(folio_pfn(a, f), pfn);
	assert_true(all_zero(folio_address(a, f), 16 * FRAME_SIZE));

	/* Split pieces freed and reused as order 0 come back zeroed too. */
	memset(folio_address(a, f), 0x11, 16 * FRAME_SIZE);
	folio_split(a, f);
	for (int i = 0; i < 16; i++)
		put_free(a, &f[i]);
	for (int i = 0; i < 16; i++) {
		struct folio *g = folio_alloc(a, FOLIO_ANON, 0);

		assert_true(all_zero(folio_address(a, g), FRAME_SIZE));
		put_free(a, g);
	}
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

static void test_dataless(void **state)
{
	struct folio_arena *a = arena_new(1024, true, 9);
	struct folio *f = folio_alloc(a, FOLIO_ANON, 0);
	struct folio *h = folio_alloc(a, FOLIO_ANON, 9);

	assert_non_null(f);
	assert_non_null(h);
	assert_null(folio_address(a, f));
	assert_null(folio_address(a, h));
	folio_split(a, h);
	for (int i = 0; i < 512; i++) {
		assert_null(folio_address(a, &h[i]));
		put_free(a, &h[i]);
	}
	put_free(a, f);
	assert_fully_coalesced(a);
	folio_arena_destroy(a);
}

static void test_refcount(void **state)
{
	struct folio_arena *a = arena_new(8, true, 1);
	struct folio *f = folio_alloc(a, FOLIO_ANON, 0);

	folio_get(f);
	assert_int_equal(folio_ref_count(f), 2);
	folio_ref_add(f, 5);
	assert_int_equal(folio_ref_count(f), 7);
	folio_ref_add(f, 0);
	assert_int_equal(folio_ref_count(f), 7);
	for (int i = 0; i < 6; i++)
		assert_false(folio_put_testzero(f));
	assert_int_equal(folio_ref_count(f), 1);
	assert_true(folio_put_testzero(f));
	assert_int_equal(folio_ref_count(f), 0);
	folio_free(a, f);

	/* Up to FOLIO_REF_MAX exactly is fine. */
	f = folio_alloc(a, FOLIO_ANON, 0);
	folio_ref_add(f, FOLIO_REF_MAX - 1);
	assert_int_equal(folio_ref_count(f), FOLIO_REF_MAX);
	assert_int_equal(atomic_load(&f->refflags) & ~FOLIO_REF_MASK, 0);
	folio_ref_add(f, 0);
	for (unsigned i = 0; i < FOLIO_REF_MAX - 1; i++)
		assert_false(folio_put_testzero(f));
	put_free(a, f);
	folio_arena_destroy(a);
}

static void test_flags_and_refcount(void **state)
{
	struct folio_arena *a = arena_new(8, true, 1);
	struct folio *f = folio_alloc(a, FOLIO_ANON, 0);

	folio_ref_add(f, 9);
	for (size_t i = 0; i < NR_USER_FLAGS; i++) {
		assert_false(folio_test_flag(f, user_flags[i]));
		folio_set_flag(f, user_flags[i]);
		assert_true(folio_test_flag(f, user_flags[i]));
		assert_int_equal(folio_ref_count(f), 10);
	}
	/* Refcount changes leave every flag alone, even at the limit. */
	folio_ref_add(f, FOLIO_REF_MAX - 10);
	assert_int_equal(folio_ref_count(f), FOLIO_REF_MAX);
	for (size_t i = 0; i < NR_USER_FLAGS; i++)
		assert_true(folio_test_flag(f, user_flags[i]));
	for (unsigned i = 0; i < FOLIO_REF_MAX - 1; i++)
		assert_false(folio_put_testzero(f));
	assert_int_equal(folio_ref_count(f), 1);
	for (size_t i = 0; i < NR_USER_FLAGS; i++)
		assert_true(folio_test_flag(f, user_flags[i]));
	assert_false(folio_test_flag(f, PG_tail));
	assert_false(folio_test_flag(f, PG_free));

	/* test-and-set reports the old value. */
	folio_clear_flag(f, PG_locked);
	assert_false(folio_test_set_flag(f, PG_locked));
	assert_true(folio_test_set_flag(f, PG_locked));

	for (size_t i = 0; i < NR_USER_FLAGS; i++) {
		folio_clear_flag(f, user_flags[i]);
		assert_false(folio_test_flag(f, user_flags[i]));
		assert_int_equal(folio_ref_count(f), 1);
	}
	assert_int_equal(atomic_load(&f->refflags), 1);
	assert_true(folio_put_testzero(f));
	folio_free(a, f);
	folio_arena_destroy(a);
}

static void test_memcg_data(void **state)
{
	struct folio_arena *a = arena_new(16, true, 3);
	struct folio *h = folio_alloc(a, FOLIO_SHMEM, 3);
	struct folio *f = folio_alloc(a, FOLIO_KERNEL, 0);

	folio_set_memcg_data(h, 0xabcdef);
	assert_int_equal(folio_memcg_data(h), 0xabcdef);
	assert_int_equal(folio_order(h), 3);
	assert_int_equal(folio_type(h), FOLIO_SHMEM);
	folio_set_memcg_data(h, 0x7ffffff);	/* only 24 bits are kept */
	assert_int_equal(folio_memcg_data(h), FOLIO_MEMCG_MASK);
	assert_int_equal(folio_order(h), 3);
	assert_int_equal(folio_type(h), FOLIO_SHMEM);
	folio_set_memcg_data(h, 0);
	assert_int_equal(folio_memcg_data(h), 0);
	assert_int_equal(folio_order(h), 3);
	assert_int_equal(folio_type(h), FOLIO_SHMEM);

	folio_set_memcg_data(f, 1);
	assert_int_equal(folio_memcg_data(f), 1);
	assert_int_equal(folio_order(f), 0);
	assert_int_equal(folio_type(f), FOLIO_KERNEL);
	assert_int_equal(folio_ref_count(f), 1);
	folio_set_memcg_data(f, 0);

	put_free(a, h);
	put_free(a, f);
	folio_arena_destroy(a);
}

/* Run one pseudo-random step; returns the pfn handed out or FOLIO_NONE. */
static uint32_t mixed_step(struct folio_arena *a, struct folio **held,
			   size_t *nr_held, size_t cap, uint64_t *seed)
{
	uint64_t r = rnd_next(seed);
	unsigned huge = folio_arena_huge_order(a);
	struct folio *f;

	if (*nr_held && (r % 3 == 0 || *nr_held == cap)) {
		size_t i = (r >> 8) % *nr_held;

		f = held[i];
		held[i] = held[--*nr_held];
		put_free(a, f);
		return FOLIO_NONE;
	}
	f = folio_alloc(a, FOLIO_ANON, (r >> 4) % 5 == 0 ? huge : 0);
	if (!f)
		return FOLIO_NONE;
	if (folio_order(f) && (r >> 12) % 4 == 0 && *nr_held + 64 <= cap) {
		folio_split(a, f);
		for (long i = 1; i < (1L << huge); i++)
			held[(*nr_held)++] = &f[i];
	}
	held[(*nr_held)++] = f;
	return folio_pfn(a, f);
}

static void test_determinism(void **state)
{
	enum { CAP = 256, STEPS = 20000 };
	struct folio_arena *a = arena_new(512, true, 3);
	struct folio_arena *b = arena_new(512, true, 3);
	struct folio *ha[CAP], *hb[CAP];
	size_t na = 0, nb = 0;
	uint64_t sa = 7, sb = 7;

	for (int i = 0; i < STEPS; i++) {
		uint32_t pa = mixed_step(a, ha, &na, CAP, &sa);
		uint32_t pb = mixed_step(b, hb, &nb, CAP, &sb);

		assert_int_equal(pa, pb);
		assert_int_equal(na, nb);
	}
	for (size_t i = 0; i < na; i++) {
		assert_int_equal(folio_pfn(a, ha[i]), folio_pfn(b, hb[i]));
		put_free(a, ha[i]);
		put_free(b, hb[i]);
	}
	assert_fully_coalesced(a);
	assert_fully_coalesced(b);
	folio_arena_destroy(a);
	folio_arena_destroy(b);
}

/* Is some block of @nr frames wholly unused? */
static bool block_free(const bool *used, size_t nr, unsigned order)
{
	for (size_t b = 0; b < nr; b += (size_t)1 << order) {
		size_t j = 0;

		while (j < ((size_t)1 << order) && !used[b + j])
			j++;
		if (j == ((size_t)1 << order))
			return true;
	}
	return false;
}

/* Random mixed-order alloc/free/split with full accounting. */
static void test_random_mixed(void **state)
{
	enum { NR = 4096, HUGE = 4, CAP = NR, STEPS = 100000 };
	struct folio_arena *a = arena_new(NR, true, HUGE);
	struct folio **held = calloc(CAP, sizeof(*held));
	bool *used = calloc(NR, sizeof(*used));
	size_t nr_held = 0, in_use = 0;
	uint64_t seed = test_seed("test_random_mixed", 12345);

	assert_non_null(held);
	assert_non_null(used);
	for (int step = 0; step < STEPS; step++) {
		uint64_t r = rnd_next(&seed);
		struct folio *f;

		if (nr_held && (r % 2 == 0 || nr_held == CAP)) {
			size_t i = (r >> 8) % nr_held;
			uint32_t pfn;
			long n;

			f = held[i];
			held[i] = held[--nr_held];
			pfn = folio_pfn(a, f);
			n = folio_nr_pages(f);
			for (long j = 0; j < n; j++)
				used[pfn + j] = false;
			in_use -= n;
			put_free(a, f);
		} else {
			unsigned order = (r >> 4) % 8 == 0 ? HUGE : 0;

			f = folio_alloc(a, FOLIO_ANON, order);
			if (!f) {
				/* Only when nothing fits. */
				if (order)
					assert_false(block_free(used, NR, HUGE));
				else
					assert_int_equal(in_use, NR);
				continue;
			}
			uint32_t pfn = folio_pfn(a, f);
			long n = folio_nr_pages(f);

			for (long j = 0; j < n; j++) {
				assert_false(used[pfn + j]);
				used[pfn + j] = true;
			}
			in_use += n;
			if (order && (r >> 12) % 2 == 0 &&
			    nr_held + n <= CAP) {
				folio_split(a, f);
				for (long j = 1; j < n; j++)
					held[nr_held++] = &f[j];
			}
			held[nr_held++] = f;
		}
		assert_int_equal(folio_arena_nr_free(a), NR - in_use);
		if (step % 997 == 0) {
			size_t nr_marked = 0;

			for (uint32_t p = 0; p < NR; p++) {
				struct folio *fp = pfn_folio(a, p);
				/* free, or in a block never handed out: all zero */
				bool is_free = folio_test_flag(fp, PG_free) ||
					!atomic_load(&fp->refflags);

				nr_marked += is_free;
				if (used[p])
					assert_false(is_free);
			}
			assert_int_equal(nr_marked, NR - in_use);
		}
	}
	while (nr_held)
		put_free(a, held[--nr_held]);
	assert_fully_coalesced(a);
	free(held);
	free(used);
	folio_arena_destroy(a);
}

/* Bug detectors: the child must die of SIGABRT. */
enum bug { BUG_DOUBLE_FREE, BUG_FREE_REFCOUNT, BUG_FREE_CHARGED,
	   BUG_FREE_LRU, BUG_FREE_TAIL, BUG_PUT_ZERO, BUG_OVERFLOW,
	   BUG_GET_FREE, NR_BUGS };

static void trigger(enum bug bug)
{
	struct folio_arena *a = arena_new(8, true, 2);
	struct folio *f = folio_alloc(a, FOLIO_ANON, 0);
	struct folio *h = folio_alloc(a, FOLIO_ANON, 2);

	switch (bug) {
	case BUG_DOUBLE_FREE:
		put_free(a, f);
		folio_free(a, f);
		break;
	case BUG_FREE_REFCOUNT:
		folio_free(a, f);
		break;
	case BUG_FREE_CHARGED:
		folio_set_memcg_data(f, 3);
		put_free(a, f);
		break;
	case BUG_FREE_LRU:
		folio_set_flag(f, PG_lru);
		put_free(a, f);
		break;
	case BUG_FREE_TAIL:
		folio_free(a, &h[1]);
		break;
	case BUG_PUT_ZERO:
		assert_true(folio_put_testzero(f));
		folio_put_testzero(f);
		break;
	case BUG_OVERFLOW:
		folio_ref_add(f, FOLIO_REF_MAX - 1);
		folio_get(f);
		break;
	case BUG_GET_FREE:
		put_free(a, f);
		folio_get(f);
		break;
	case NR_BUGS:
		break;
	}
}

static void test_bug_detectors(void **state)
{
	for (int bug = 0; bug < NR_BUGS; bug++) {
		int status;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0)
				dup2(fd, STDERR_FILENO);
			trigger(bug);
			_exit(0);	/* not detected */
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGABRT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_destroy),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_alloc_state),
		cmocka_unit_test(test_pfn_roundtrip),
		cmocka_unit_test(test_huge_split_coalesce),
		cmocka_unit_test(test_small_frees_coalesce),
		cmocka_unit_test(test_data_zeroed),
		cmocka_unit_test(test_dataless),
		cmocka_unit_test(test_refcount),
		cmocka_unit_test(test_flags_and_refcount),
		cmocka_unit_test(test_memcg_data),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_random_mixed),
		cmocka_unit_test(test_bug_detectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
