// SPDX-License-Identifier: MIT
/*
 * OOM for embedders: registered victims chosen by oom_badness(), the
 * kill callback freeing memory so the charge succeeds, memory.oom.group,
 * oom_score_adj -1000, the OOM handler's three answers, a victim that
 * never exits (skipped after the reaper's 1 s on the engine clock), and
 * bad input. Events are checked against the kernel's counting.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"

#define MAX_PAGES 256			/* memory.max of the tenants' parent: 1M */

/* A tenant: folios charged to its cgroup, killable. */
struct tenant {
	struct memcg_engine *e;
	struct mem_cgroup *memcg;
	struct memcg_victim *victim;
	struct folio *folios[MAX_PAGES];
	int nr;
	int kills;
	bool exits_on_kill;		/* free and unregister in the callback */
};

static long tenant_badness(void *priv)
{
	struct tenant *t = priv;

	return t->nr;
}

static void tenant_free(struct tenant *t)
{
	while (t->nr)
		memcg_folio_put(t->e, t->folios[--t->nr]);
}

static void tenant_kill(void *priv)
{
	struct tenant *t = priv;

	t->kills++;
	if (!t->exits_on_kill)
		return;
	tenant_free(t);
	memcg_victim_unregister(t->victim);
	t->victim = NULL;
}

static const struct memcg_victim_ops tenant_ops = {
	.badness_pages = tenant_badness,
	.kill = tenant_kill,
};

/* A virtual clock, so that waits on dying victims cost nothing. */
static uint64_t test_now;
static uint64_t clock_now(void *priv) { return test_now; }
static void clock_sleep(void *priv, uint64_t ns) { test_now += ns; }
static const struct memcg_clock_ops test_clock = { clock_now, clock_sleep };

static struct memcg_engine *engine(void)
{
	struct memcg_engine *e = test_engine_new(64UL << 20);

	test_now = 0;
	assert_int_equal(memcg_set_clock(e, &test_clock, NULL), 0);
	return e;
}

static int charge_one(struct memcg_engine *e, struct mem_cgroup *m,
		      struct folio **out)
{
	struct folio *f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	int err;

	assert_non_null(f);
	err = memcg_charge(e, f, m, MEMCG_GFP_KERNEL);
	if (err) {
		memcg_folio_put(e, f);
		return err;
	}
	*out = f;
	return 0;
}

static void tenant_init(struct tenant *t, struct memcg_engine *e,
			const char *path, int pages, bool exits)
{
	*t = (struct tenant){ .e = e, .exits_on_kill = exits };
	assert_int_equal(memcg_mkdir(e, path, &t->memcg), 0);
	assert_int_equal(memcg_victim_register(t->memcg, &tenant_ops, t,
					       &t->victim), 0);
	while (t->nr < pages)
		assert_int_equal(charge_one(e, t->memcg, &t->folios[t->nr++]), 0);
}

static void tenant_fini(struct tenant *t)
{
	tenant_free(t);
	memcg_victim_unregister(t->victim);
	memcg_put(t->memcg);
}

/* The bigger tenant dies; its memory lets the charge through. */
static void test_kills_biggest(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *filler[MAX_PAGES];
	struct tenant small, big;
	struct mem_cgroup *p;
	int nr = 0;

	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_write(p, "memory.max", "1M"), 0);
	tenant_init(&small, e, "P/small", 64, true);
	tenant_init(&big, e, "P/big", 128, true);
	memcg_drain_all_stock(p);
	/* fill the rest with pages nobody can kill, then one more: OOM */
	while (big.kills == 0 && nr < MAX_PAGES)
		assert_int_equal(charge_one(e, p, &filler[nr++]), 0);
	assert_int_equal(nr, 65);	/* 64 fit; the 65th killed big */
	assert_int_equal(big.kills, 1);
	assert_int_equal(small.kills, 0);
	assert_true(memcg_victim_killed(big.victim) == false);	/* gone */
	assert_int_equal(test_file_key(p, "memory.events", "oom"), 1);
	assert_int_equal(test_file_key(p, "memory.events", "oom_kill"), 1);
	assert_int_equal(test_file_key(big.memcg, "memory.events", "oom_kill"), 1);
	assert_int_equal(test_file_key(small.memcg, "memory.events", "oom_kill"), 0);
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { p, 1 },
		{ small.memcg, 1 }, { big.memcg, 1 } }, 3), 0);
	while (nr)
		memcg_folio_put(e, filler[--nr]);
	tenant_fini(&small);
	tenant_fini(&big);
	memcg_put(p);
	memcg_engine_destroy(e);
}

/* memory.oom.group on the parent: every tenant under it is killed. */
static void test_oom_group(void **state)
{
	struct memcg_engine *e = engine();
	struct tenant a, b;
	struct mem_cgroup *p;
	struct folio *f = NULL;

	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_write(p, "memory.max", "1M"), 0);
	assert_int_equal(memcg_write(p, "memory.oom.group", "1"), 0);
	tenant_init(&a, e, "P/a", 100, true);
	tenant_init(&b, e, "P/b", 120, true);
	memcg_drain_all_stock(p);
	while (a.nr < MAX_PAGES && charge_one(e, a.memcg, &f) == 0 && a.kills == 0)
		a.folios[a.nr++] = f;
	if (a.kills)
		memcg_folio_put(e, f);	/* charged after the kill */
	assert_int_equal(a.kills, 1);
	assert_int_equal(b.kills, 1);
	assert_int_equal(test_file_key(p, "memory.events", "oom_group_kill"), 1);
	/* the chosen one counts twice, as the kernel's group kill does */
	assert_int_equal(test_file_key(p, "memory.events", "oom_kill"), 3);
	tenant_fini(&a);
	tenant_fini(&b);
	memcg_put(p);
	memcg_engine_destroy(e);
}

/* oom_score_adj -1000 is never killed: the charge fails instead. */
static void test_unkillable(void **state)
{
	struct memcg_engine *e = engine();
	struct tenant t;
	struct folio *f = NULL;

	tenant_init(&t, e, "T", 0, true);
	assert_int_equal(memcg_victim_set_oom_score_adj(t.victim, -1000), 0);
	assert_int_equal(memcg_write(t.memcg, "memory.max", "256K"), 0);
	while (t.nr < 64)
		assert_int_equal(charge_one(e, t.memcg, &t.folios[t.nr++]), 0);
	assert_int_equal(charge_one(e, t.memcg, &f), -ENOMEM);
	assert_int_equal(t.kills, 0);
	assert_int_equal(test_file_key(t.memcg, "memory.events", "oom"), 1);
	assert_int_equal(test_file_key(t.memcg, "memory.events", "oom_kill"), 0);
	tenant_fini(&t);
	memcg_engine_destroy(e);
}

/* The handler decides: fail, retry after freeing, or the default. */
struct handler_state {
	enum memcg_oom_action answer;
	struct tenant *free_first;
	int calls;
};

static enum memcg_oom_action handler(void *priv, struct mem_cgroup *domain,
				     long nr_pages)
{
	struct handler_state *h = priv;

	h->calls++;
	if (h->free_first && h->free_first->nr)
		memcg_folio_put(h->free_first->e,
				h->free_first->folios[--h->free_first->nr]);
	return h->answer;
}

static void test_oom_handler(void **state)
{
	struct memcg_engine *e = engine();
	struct handler_state h = { .answer = MEMCG_OOM_FAIL };
	struct tenant t;
	struct folio *f = NULL;

	tenant_init(&t, e, "T", 64, true);
	assert_int_equal(memcg_write(t.memcg, "memory.max", "256K"), 0);
	assert_int_equal(memcg_set_oom_handler(e, handler, &h), 0);
	assert_int_equal(charge_one(e, t.memcg, &f), -ENOMEM);
	assert_int_equal(h.calls, 1);
	assert_int_equal(t.kills, 0);
	h.answer = MEMCG_OOM_RETRY;		/* it frees a page, then retry */
	h.free_first = &t;
	assert_int_equal(charge_one(e, t.memcg, &f), 0);
	t.folios[t.nr++] = f;
	assert_int_equal(t.kills, 0);
	h.answer = MEMCG_OOM_DEFAULT;		/* the kernel's choice */
	h.free_first = NULL;
	assert_int_equal(charge_one(e, t.memcg, &f), 0);
	assert_int_equal(t.kills, 1);
	memcg_folio_put(e, f);
	assert_int_equal(memcg_set_oom_handler(e, NULL, NULL), 0);
	tenant_fini(&t);
	memcg_engine_destroy(e);
}

/*
 * A victim that never exits: the OOM that killed it keeps its charge
 * waiting (one jiffy per try on the engine clock) until the reaper's
 * second is up, then kills the next victim; once none is left the
 * charge fails.
 */
static void test_stuck_victim_skipped(void **state)
{
	struct memcg_engine *e = engine();
	struct folio *filler[MAX_PAGES];
	struct tenant stuck, other;
	struct mem_cgroup *p;
	int nr = 0;

	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_write(p, "memory.max", "1M"), 0);
	tenant_init(&stuck, e, "P/stuck", 160, false);
	tenant_init(&other, e, "P/other", 90, true);
	memcg_drain_all_stock(p);
	while (nr < MAX_PAGES && charge_one(e, p, &filler[nr]) == 0)
		nr++;
	/* 6 fit; the 7th killed stuck, waited, killed other; 90 more fit */
	assert_int_equal(nr, 96);
	assert_int_equal(stuck.kills, 1);
	assert_int_equal(other.kills, 1);
	assert_true(memcg_victim_killed(stuck.victim));
	assert_true(test_now >= 1000000000ULL);
	assert_true(test_now < 1100000000ULL);
	assert_int_equal(test_file_key(p, "memory.events", "oom_kill"), 2);
	while (nr)
		memcg_folio_put(e, filler[--nr]);
	tenant_fini(&stuck);
	tenant_fini(&other);
	memcg_put(p);
	memcg_engine_destroy(e);
}

static void test_bad_input(void **state)
{
	static const struct memcg_victim_ops no_kill = {
		.badness_pages = tenant_badness,
	};
	struct memcg_engine *e = engine();
	struct memcg_victim *v;
	struct mem_cgroup *m;
	struct tenant t = { 0 };

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_victim_register(NULL, &tenant_ops, &t, &v), -EINVAL);
	assert_int_equal(memcg_victim_register(m, NULL, &t, &v), -EINVAL);
	assert_int_equal(memcg_victim_register(m, &no_kill, &t, &v), -EINVAL);
	assert_int_equal(memcg_victim_register(m, &tenant_ops, &t, NULL), -EINVAL);
	assert_int_equal(memcg_victim_register(m, &tenant_ops, &t, &v), 0);
	assert_int_equal(memcg_victim_set_oom_score_adj(v, 1001), -EINVAL);
	assert_int_equal(memcg_victim_set_oom_score_adj(v, -1001), -EINVAL);
	assert_int_equal(memcg_victim_set_oom_score_adj(NULL, 0), -EINVAL);
	assert_int_equal(memcg_victim_move(v, NULL), -EINVAL);
	assert_int_equal(memcg_victim_move(v, memcg_root(e)), 0);
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { m, 1 } }, 1), 0);
	memcg_victim_unregister(v);
	memcg_victim_unregister(NULL);
	assert_int_equal(memcg_set_oom_handler(NULL, handler, NULL), -EINVAL);
	memcg_put(m);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kills_biggest),
		cmocka_unit_test(test_oom_group),
		cmocka_unit_test(test_unkillable),
		cmocka_unit_test(test_oom_handler),
		cmocka_unit_test(test_stuck_victim_skipped),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
