// SPDX-License-Identifier: MIT
/*
 * The swap records and their per-id index (src/core/swap_cgroup.c),
 * against a plain model: random records, clears, moves and reparents,
 * and after each step every id's chain holds exactly its slots, every
 * slot's position points back at it, every chunk but the tail is full.
 * MEMCG_SEED replays a run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/swap_cgroup.h"
#include "seed.h"

#define NR_SLOTS 3000
#define NR_IDS 9		/* ids 1..8 */
#define STEPS 40000

static uint64_t rng;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static struct sc_chunk *chunk_of(struct swap_cgroup *sc, uint32_t c)
{
	return &sc->blocks[c / SC_BLOCK][c % SC_BLOCK];
}

/* Every id's chain against the model @owner (0: free). */
static void check_index(struct swap_cgroup *sc, const uint16_t *owner)
{
	static uint8_t seen[NR_SLOTS];
	size_t want[NR_IDS] = { 0 };
	uint16_t id;
	size_t i;

	for (i = 0; i < NR_SLOTS; i++) {
		assert_int_equal(lookup_swap_cgroup_id(sc, i), owner[i]);
		want[owner[i]]++;
	}
	memset(seen, 0, sizeof(seen));
	for (id = 1; id < NR_IDS; id++) {
		struct sc_owner *o = &sc->owners[id];
		size_t n = 0;
		uint32_t c, prev = UINT32_MAX;

		assert_int_equal(o->count, want[id]);
		assert_int_equal(swap_cgroup_count(sc, id), want[id]);
		for (c = o->head; c != UINT32_MAX; c = chunk_of(sc, c)->next) {
			struct sc_chunk *ch = chunk_of(sc, c);
			uint32_t k, len = c == o->tail ? o->tail_n : SC_CHUNK;

			assert_int_equal(ch->prev, prev);
			for (k = 0; k < len; k++) {
				uint32_t slot = ch->slot[k];

				assert_true(slot < NR_SLOTS);
				assert_int_equal(owner[slot], id);
				assert_int_equal(sc->pos[slot], c * SC_CHUNK + k);
				assert_int_equal(seen[slot]++, 0);
			}
			n += len;
			prev = c;
		}
		assert_int_equal(prev, o->tail);
		assert_int_equal(n, want[id]);
	}
}

static size_t count_of(const uint16_t *owner, uint16_t id)
{
	size_t i, n = 0;

	for (i = 0; i < NR_SLOTS; i++)
		n += owner[i] == id;
	return n;
}

static void add_nr(void *arg, size_t nr)
{
	*(size_t *)arg += nr;
}

static void run(bool indexed)
{
	static uint16_t owner[NR_SLOTS];
	struct swap_cgroup sc;
	int step;

	rng = test_seed(indexed ? "test_swap_cgroup (indexed)" :
			"test_swap_cgroup", 0x5eed5c);
	memset(owner, 0, sizeof(owner));
	assert_int_equal(swap_cgroup_init(&sc, NR_SLOTS, indexed), 0);
	for (step = 0; step < STEPS; step++) {
		size_t off = next_rand() % NR_SLOTS, nr = 1, i;
		uint16_t id = (uint16_t)(1 + next_rand() % (NR_IDS - 1));
		uint16_t to = (uint16_t)(1 + next_rand() % (NR_IDS - 1));
		unsigned op = (unsigned)(next_rand() % 100);

		if (op < 45) {			/* record a run of 1, 2 or 4 */
			nr = (size_t)1 << (next_rand() % 3);
			off = off / nr * nr;
			for (i = off; i < off + nr; i++)
				if (owner[i])
					break;
			if (i < off + nr)
				continue;
			swap_cgroup_record(&sc, off, nr, id);
			for (i = off; i < off + nr; i++)
				owner[i] = id;
		} else if (op < 85) {		/* clear one slot */
			assert_int_equal(swap_cgroup_clear(&sc, off, 1),
					 owner[off]);
			owner[off] = 0;
		} else if (op < 95) {		/* move one slot */
			bool want = owner[off] && owner[off] == id;

			assert_int_equal(swap_cgroup_move(&sc, off, id, to), want);
			if (want)
				owner[off] = to;
		} else if (indexed && id != to) {	/* reparent */
			size_t want = count_of(owner, id), got = 0;

			assert_int_equal(swap_cgroup_reparent(&sc, id, to,
							      add_nr, &got),
					 want);
			assert_int_equal(got, want);
			for (i = 0; i < NR_SLOTS; i++)
				if (owner[i] == id)
					owner[i] = to;
		}
		if (indexed && (step % 97 == 0 || op >= 95))
			check_index(&sc, owner);
	}
	for (size_t i = 0; i < NR_SLOTS; i++)
		assert_int_equal(lookup_swap_cgroup_id(&sc, i), owner[i]);
	if (indexed)
		check_index(&sc, owner);
	swap_cgroup_destroy(&sc);
}

static void test_records_plain(void **state)
{
	(void)state;
	run(false);
}

static void test_records_indexed(void **state)
{
	(void)state;
	run(true);
}

/* A reparent that finds the map mostly owned takes the sequential pass. */
static void test_reparent_large_share(void **state)
{
	struct swap_cgroup sc;
	size_t i, got = 0;

	(void)state;
	assert_int_equal(swap_cgroup_init(&sc, 1000, true), 0);
	for (i = 0; i < 1000; i += 2)
		swap_cgroup_record(&sc, i, 1, 3);
	swap_cgroup_record(&sc, 1, 1, 4);
	assert_int_equal(swap_cgroup_reparent(&sc, 3, 4, add_nr, &got), 500);
	assert_int_equal(got, 500);
	assert_int_equal(swap_cgroup_count(&sc, 3), 0);
	assert_int_equal(swap_cgroup_count(&sc, 4), 501);
	for (i = 0; i < 1000; i += 2)
		assert_int_equal(swap_cgroup_clear(&sc, i, 1), 4);
	assert_int_equal(swap_cgroup_clear(&sc, 1, 1), 4);
	assert_int_equal(swap_cgroup_count(&sc, 4), 0);
	swap_cgroup_destroy(&sc);
}

/* What publish_seen() looks at: no record may name @new before it runs. */
struct publish_check {
	struct swap_cgroup *sc;
	uint16_t old, new;
	size_t nr_slots, seen_old, seen_new;
};

static void publish_seen(void *arg, size_t nr)
{
	struct publish_check *pc = arg;
	size_t i;

	for (i = 0; i < pc->nr_slots; i++) {
		uint16_t id = lookup_swap_cgroup_id(pc->sc, i);

		pc->seen_old += id == pc->old;
		pc->seen_new += id == pc->new;
	}
	assert_int_equal(nr, pc->seen_old);
}

/*
 * The parent's references are taken (the callback) with the exact count,
 * before any of the moved records names it, on each rewrite path: the
 * chain's order, slot order, and the pass over the map.
 */
static void test_reparent_publishes_first(void **state)
{
	static const size_t counts[] = { 10, 2000, 3000 };
	size_t k, i;

	(void)state;
	for (k = 0; k < 3; k++) {
		struct swap_cgroup sc;
		struct publish_check pc = { &sc, 5, 6, 40000, 0, 0 };

		assert_int_equal(swap_cgroup_init(&sc, pc.nr_slots, true), 0);
		for (i = 0; i < counts[k]; i++)
			swap_cgroup_record(&sc, (i * 7919) % pc.nr_slots, 1, 5);
		swap_cgroup_record(&sc, 1, 1, 6);	/* not one of 5's */
		assert_int_equal(swap_cgroup_reparent(&sc, 5, 6, publish_seen,
						      &pc), counts[k]);
		assert_int_equal(pc.seen_old, counts[k]);
		assert_int_equal(pc.seen_new, 1);
		assert_int_equal(swap_cgroup_count(&sc, 6), counts[k] + 1);
		swap_cgroup_destroy(&sc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reparent_publishes_first),
		cmocka_unit_test(test_records_plain),
		cmocka_unit_test(test_records_indexed),
		cmocka_unit_test(test_reparent_large_share),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
