// SPDX-License-Identifier: MIT
/*
 * memory.high on the real clock: a public charge over high returns after
 * the kernel's penalty (mem_cgroup_handle_over_high), measured with
 * CLOCK_MONOTONIC; a charge that may not block does not sleep; a thread
 * running as a victim pays only at memcg_handle_over_high().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "audit.h"

#define PAGES(mb) ((long)(mb) << 8)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct setup {
	struct memcg_engine *e;
	struct mem_cgroup *m;
	struct folio **folios;
	long nr;
};

/* 110M charged to A, then memory.high=100M: about 670 ms a batch */
static void setup(struct setup *s)
{
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 256UL << 20;
	cfg.nr_cpus = 1;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &s->e), 0);
	assert_int_equal(memcg_mkdir(s->e, "A", &s->m), 0);
	s->folios = calloc(PAGES(120), sizeof(*s->folios));
	for (s->nr = 0; s->nr < PAGES(110); s->nr++) {
		s->folios[s->nr] = memcg_folio_alloc(s->e, MEMCG_FOLIO_ANON, 0);
		assert_int_equal(memcg_charge(s->e, s->folios[s->nr], s->m,
					      MEMCG_GFP_KERNEL), 0);
	}
	memcg_drain_all_stock(s->m);
	assert_int_equal(memcg_write(s->m, "memory.high", "100M"), 0);
}

static void teardown(struct setup *s)
{
	while (s->nr)
		memcg_folio_put(s->e, s->folios[--s->nr]);
	free(s->folios);
	memcg_put(s->m);
	memcg_engine_destroy(s->e);
}

static int charge(struct setup *s, unsigned gfp)
{
	struct folio *f = memcg_folio_alloc(s->e, MEMCG_FOLIO_ANON, 0);
	int err = memcg_charge(s->e, f, s->m, gfp);

	assert_int_equal(err, 0);
	s->folios[s->nr++] = f;
	return err;
}

/* The charge sleeps the formula's delay, within 10%. */
static void test_penalty_slept(void **state)
{
	struct setup s;
	uint64_t want, t0, took;

	setup(&s);
	/* the charge takes a batch of 64 pages, all over high */
	page_counter_charge(&s.m->memory, 64);
	want = calculate_high_delay_ms(s.m, 64);
	page_counter_uncharge(&s.m->memory, 64);
	assert_true(want > 600 && want < 2000);	/* 110.25M over 100M */
	t0 = now_ms();
	charge(&s, MEMCG_GFP_KERNEL);
	took = now_ms() - t0;
	print_message("penalty: formula %lu ms, slept %lu ms\n",
		      (unsigned long)want, (unsigned long)took);
	assert_true(took >= want);
	assert_true(took <= want + want / 10);
	teardown(&s);
}

/* MEMCG_GFP_NOWAIT: no sleep now; the next blocking call pays. */
static void test_nowait_defers(void **state)
{
	struct setup s;
	uint64_t t0;

	setup(&s);
	t0 = now_ms();
	charge(&s, MEMCG_GFP_NOWAIT);
	assert_true(now_ms() - t0 < 100);
	t0 = now_ms();
	memcg_handle_over_high(s.e);
	assert_true(now_ms() - t0 >= 600);
	teardown(&s);
}

static long no_pages(void *priv) { return 0; }
static void no_kill(void *priv) { }
static const struct memcg_victim_ops quiet = { no_pages, no_kill };

/* A victim's thread pays at its own return point, not in the charge. */
static void test_victim_pays_at_return(void **state)
{
	struct memcg_victim *v;
	struct setup s;
	uint64_t t0;

	setup(&s);
	assert_int_equal(memcg_victim_register(s.m, &quiet, NULL, &v), 0);
	memcg_victim_enter(v);
	t0 = now_ms();
	charge(&s, MEMCG_GFP_KERNEL);
	assert_true(now_ms() - t0 < 100);
	memcg_handle_over_high(s.e);
	assert_true(now_ms() - t0 >= 600);
	memcg_victim_leave();
	memcg_victim_unregister(v);
	teardown(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_penalty_slept),
		cmocka_unit_test(test_nowait_defers),
		cmocka_unit_test(test_victim_pays_at_return),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
