// SPDX-License-Identifier: MIT
/*
 * A freed swap slot gives back its charge before anyone can take it again
 * (the kernel uncharges in swap_entry_range_free() before
 * swap_range_free() returns the slot to the allocator).
 *
 * Cgroup A may swap exactly as many pages as the device has slots
 * (memory.swap.max = the device), and the device is kept full of A's
 * entries: one thread frees an entry whenever the device is full, the
 * other swaps out a new page of A, retrying while the device answers
 * -ENOSPC. Every slot the second thread gets was freed by the first, so
 * if the slot is free the charge it carried must be gone: a swap-out that
 * fails on memory.swap.max (-ENOMEM, a swap_max event) means the slot
 * went back to the free map while still charged.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "audit.h"

#define NR_SLOTS 8
#define ROUNDS 5000

/* A's entries, oldest first. */
struct ring {
	pthread_mutex_t lock;
	memcg_swp_entry_t entry[NR_SLOTS];
	unsigned head, nr;
	bool done;
};

struct ctx {
	struct memcg_engine *e;
	struct mem_cgroup *a;
	struct ring ring;
	long nr_enomem;
};

static void ring_push(struct ring *r, memcg_swp_entry_t entry)
{
	pthread_mutex_lock(&r->lock);
	assert_true(r->nr < NR_SLOTS);
	r->entry[(r->head + r->nr++) % NR_SLOTS] = entry;
	pthread_mutex_unlock(&r->lock);
}

/* The oldest entry once the device is full, or false when done. */
static bool ring_pop_full(struct ring *r, memcg_swp_entry_t *entry)
{
	for (;;) {
		pthread_mutex_lock(&r->lock);
		if (r->done) {
			pthread_mutex_unlock(&r->lock);
			return false;
		}
		if (r->nr == NR_SLOTS) {
			*entry = r->entry[r->head];
			r->head = (r->head + 1) % NR_SLOTS;
			r->nr--;
			pthread_mutex_unlock(&r->lock);
			return true;
		}
		pthread_mutex_unlock(&r->lock);
		sched_yield();
	}
}

/* A page of A swapped out: 0, or the error other than -ENOSPC. */
static int swap_out_one(struct ctx *c, memcg_swp_entry_t *entry)
{
	for (;;) {
		struct folio *f = memcg_folio_alloc(c->e, MEMCG_FOLIO_ANON, 0);
		int err;

		assert_non_null(f);
		assert_int_equal(memcg_charge(c->e, f, c->a, MEMCG_GFP_KERNEL), 0);
		err = memcg_swap_out(c->e, f, entry);
		if (err)
			memcg_folio_put(c->e, f);
		if (err != -ENOSPC)
			return err;
	}
}

static void *freer(void *arg)
{
	struct ctx *c = arg;
	memcg_swp_entry_t entry;

	while (ring_pop_full(&c->ring, &entry))
		assert_int_equal(memcg_swap_free(c->e, entry), 0);
	return NULL;
}

static void test_freed_slot_uncharged_first(void **state)
{
	struct ctx c = { .nr_enomem = 0 };
	memcg_swp_entry_t entry;
	struct memcg_config cfg;
	pthread_t tid;
	char buf[32];
	long i;

	(void)state;
	pthread_mutex_init(&c.ring.lock, NULL);
	memcg_config_init(&cfg);
	cfg.memory_bytes = 16UL << 20;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &c.e), 0);
	assert_int_equal(memcg_swapon(c.e, NULL, NR_SLOTS * 4096UL), 0);
	assert_int_equal(memcg_mkdir(c.e, "A", &c.a), 0);
	snprintf(buf, sizeof(buf), "%lu", NR_SLOTS * 4096UL);
	assert_int_equal(memcg_write(c.a, "memory.swap.max", buf), 0);
	for (i = 0; i < NR_SLOTS; i++) {
		assert_int_equal(swap_out_one(&c, &entry), 0);
		ring_push(&c.ring, entry);
	}
	assert_int_equal(pthread_create(&tid, NULL, freer, &c), 0);
	for (i = 0; i < ROUNDS; i++) {
		int err = swap_out_one(&c, &entry);

		if (err == -ENOMEM) {
			c.nr_enomem++;
			continue;	/* the freer waits for a full device */
		}
		assert_int_equal(err, 0);
		ring_push(&c.ring, entry);
	}
	pthread_mutex_lock(&c.ring.lock);
	c.ring.done = true;
	pthread_mutex_unlock(&c.ring.lock);
	pthread_join(tid, NULL);
	print_message("%d swap-outs into just-freed slots, %ld refused on "
		      "memory.swap.max\n", ROUNDS, c.nr_enomem);
	assert_int_equal(c.nr_enomem, 0);
	assert_int_equal(memcg_audit(c.e, (struct audit_hold[]){ { c.a, 1 } }, 1), 0);
	while (c.ring.nr) {
		assert_int_equal(memcg_swap_free(c.e, c.ring.entry[c.ring.head]), 0);
		c.ring.head = (c.ring.head + 1) % NR_SLOTS;
		c.ring.nr--;
	}
	assert_int_equal(memcg_swap_nr_free(c.e), NR_SLOTS);
	memcg_put(c.a);
	pthread_mutex_destroy(&c.ring.lock);
	memcg_engine_destroy(c.e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_freed_slot_uncharged_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
