/* SPDX-License-Identifier: MIT */
/*
 * Seeds of the randomized tests: fixed by default, so that a run is
 * reproducible, and MEMCG_SEED picks another (scripts/soak.sh runs the
 * randomized tests with fresh ones).
 */
#ifndef MEMCG_TEST_SEED_H
#define MEMCG_TEST_SEED_H

#include <stdint.h>

/**
 * test_seed - the seed of a randomized test, printed on stderr with the
 * line that replays it
 * @test: the test's name
 * @fallback: the seed without MEMCG_SEED (or with an unparsable one)
 *
 * Return: MEMCG_SEED (decimal or 0x hex) if set, else @fallback; never 0,
 * which xorshift generators cannot leave.
 */
uint64_t test_seed(const char *test, uint64_t fallback);

/* xorshift64: the next number of the sequence in @s (never 0). */
static inline uint64_t test_rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif /* MEMCG_TEST_SEED_H */
