/* SPDX-License-Identifier: MIT */
/*
 * What the frame arena tests share (test_folio.c: allocation, splits,
 * refcounts, flags, the bug detectors; test_folio_threads.c: concurrent
 * use; test_folio_pcp.c: the per-CPU lists): an arena, a frees-all check,
 * a seedable generator.
 */
#ifndef MEMCG_TEST_FOLIO_H
#define MEMCG_TEST_FOLIO_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memcg/memcg.h"
#include "mm/folio.h"
#include "seed.h"

#define FRAME_SIZE 4096

static inline uint64_t rnd_next(uint64_t *s)
{
	/* xorshift64: deterministic, seedable. */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Deterministic: the tests that expect given frames must not follow the real CPU. */
static inline struct folio_arena *
arena_new(size_t nr, bool dataless, unsigned order)
{
	struct folio_arena *a = NULL;

	assert_int_equal(folio_arena_create(nr, dataless, order, &a), 0);
	assert_non_null(a);
	folio_arena_set_deterministic(a, true);
	return a;
}

/* Drop the only reference and free. */
static inline void put_free(struct folio_arena *a, struct folio *f)
{
	assert_true(folio_put_testzero(f));
	folio_free(a, f);
}

/* Every frame must be free and the arena must hand out all its blocks. */
static inline void assert_fully_coalesced(struct folio_arena *a)
{
	size_t total = folio_arena_nr_frames(a);
	unsigned order = folio_arena_huge_order(a);
	size_t nr_blocks = total >> order;
	struct folio **v = calloc(nr_blocks, sizeof(*v));

	assert_non_null(v);
	assert_int_equal(folio_arena_nr_free(a), total);
	for (size_t i = 0; i < nr_blocks; i++) {
		v[i] = folio_alloc(a, FOLIO_ANON, order);
		assert_non_null(v[i]);
	}
	assert_null(folio_alloc(a, FOLIO_ANON, order));
	assert_null(folio_alloc(a, FOLIO_ANON, 0));
	assert_int_equal(folio_arena_nr_free(a), 0);
	for (size_t i = 0; i < nr_blocks; i++)
		put_free(a, v[i]);
	assert_int_equal(folio_arena_nr_free(a), total);
	free(v);
}
static inline bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static const enum folio_flag user_flags[] = {
	PG_locked, PG_lru, PG_active, PG_referenced, PG_unevictable,
	PG_swapcache, PG_dirty, PG_writeback, PG_mlocked, PG_workingset,
};
#define NR_USER_FLAGS (sizeof(user_flags) / sizeof(user_flags[0]))

#endif /* MEMCG_TEST_FOLIO_H */
