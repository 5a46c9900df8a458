// SPDX-License-Identifier: MIT
/*
 * Shrinkers: the scan count do_shrink_slab() derives from freeable,
 * priority and seeks (exact, worked by hand from the kernel's formula),
 * deferred work, memcg awareness, SHRINK_STOP/SHRINK_EMPTY, bad input,
 * and a charge over memory.max that reclaims through a shrinker.
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
#include "mm/shrinker.h"

/* A fake cache: counts calls and what it was asked to scan. */
struct cache {
	unsigned long freeable;		/* what count_objects answers */
	unsigned long frees;		/* scan_objects returns this per call */
	bool free_all;			/* return nr_to_scan */
	bool stop;			/* return SHRINK_STOP */
	long calls;
	unsigned long asked;		/* sum of nr_to_scan */
	struct mem_cgroup *last_memcg;
};

static unsigned long cache_count(void *priv, struct memcg_shrink_control *sc)
{
	struct cache *c = priv;

	c->last_memcg = sc->memcg;
	return c->freeable;
}

static unsigned long cache_scan(void *priv, struct memcg_shrink_control *sc)
{
	struct cache *c = priv;

	c->calls++;
	c->asked += sc->nr_to_scan;
	if (c->stop)
		return MEMCG_SHRINK_STOP;
	return c->free_all ? sc->nr_to_scan : c->frees;
}

static const struct memcg_shrinker_ops aware_ops = {
	.count_objects = cache_count,
	.scan_objects = cache_scan,
	.seeks = MEMCG_DEFAULT_SEEKS,
	.flags = MEMCG_SHRINKER_MEMCG_AWARE,
};

static struct memcg_engine *engine(void)
{
	return test_engine_new(64UL << 20);
}

/*
 * freeable 1000, priority 2, seeks 2, batch 128: delta = (1000 >> 2) * 4 /
 * 2 = 500; three batches of 128 (384), 116 deferred. Next pass: 116 >> 2
 * = 29 + 500 = 529: four batches (512), 116 + 500 - 512 = 104 deferred.
 */
static void test_scan_count_exact(void **state)
{
	struct memcg_engine *e = engine();
	struct cache c = { .freeable = 1000, .free_all = true };
	struct memcg_shrinker *s;
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, &s), 0);
	assert_int_equal(shrink_slab(m, 0, 2), 384);
	assert_int_equal(c.calls, 3);
	assert_int_equal(c.asked, 384);
	assert_ptr_equal(c.last_memcg, m);
	assert_int_equal(shrink_slab(m, 0, 2), 512);
	assert_int_equal(c.calls, 7);
	/* the deferred 104 is per cgroup: the root starts from nothing */
	c.calls = 0;
	c.asked = 0;
	assert_int_equal(shrink_slab(memcg_root(e), 0, 2), 384);
	assert_int_equal(c.calls, 3);
	memcg_shrinker_unregister(s);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/*
 * Priority 12 on 100000 objects: delta (100000 >> 12) * 4 / 2 = 48, under
 * a batch: nothing scanned, 48 deferred each pass, until the deferred
 * work reaches a batch: after 3 passes 144 >> 12 = 0 + 48 = 48, so the
 * deferred work alone never triggers at priority 12; at priority 0 it
 * does: 144 + 200000 capped to 2 * freeable = 200000, 1562 batches.
 */
static void test_scan_low_priority_defers(void **state)
{
	struct memcg_engine *e = engine();
	struct cache c = { .freeable = 100000, .free_all = true };
	struct memcg_shrinker *s;
	struct mem_cgroup *m;
	int i;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, &s), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(shrink_slab(m, 0, 12), 0);
	assert_int_equal(c.calls, 0);
	assert_int_equal(atomic_load(&s->deferred[0][m->id]), 144);
	assert_int_equal(shrink_slab(m, 0, 0), 1562 * 128);
	assert_int_equal(c.calls, 1562);
	/* 144 + 200000 - 199936 = 208 deferred, capped at 2 * freeable */
	assert_int_equal(atomic_load(&s->deferred[0][m->id]), 208);
	memcg_shrinker_unregister(s);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* seeks 0: half the cache per pass, whatever the priority. */
static void test_seeks_zero(void **state)
{
	static const struct memcg_shrinker_ops ops = {
		.count_objects = cache_count, .scan_objects = cache_scan,
		.seeks = 0, .batch = 100, .flags = MEMCG_SHRINKER_MEMCG_AWARE,
	};
	struct memcg_engine *e = engine();
	struct cache c = { .freeable = 1000, .free_all = true };
	struct memcg_shrinker *s;
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_shrinker_register(e, &ops, &c, &s), 0);
	assert_int_equal(shrink_slab(m, 0, 12), 500);
	assert_int_equal(c.calls, 5);
	memcg_shrinker_unregister(s);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* A cache smaller than a batch is scanned whole once the scan covers it. */
static void test_small_cache_whole(void **state)
{
	struct memcg_engine *e = engine();
	struct cache c = { .freeable = 50, .free_all = true };
	struct memcg_shrinker *s;
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, &s), 0);
	/* priority 0: delta 100, capped at 2 * 50: one call for all 100 */
	assert_int_equal(shrink_slab(m, 0, 0), 100);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.asked, 100);
	memcg_shrinker_unregister(s);
	memcg_put(m);
	memcg_engine_destroy(e);
}

static void test_stop_and_empty(void **state)
{
	struct memcg_engine *e = engine();
	struct cache c = { .freeable = 1000, .stop = true };
	struct memcg_shrinker *s;
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, &s), 0);
	assert_int_equal(shrink_slab(m, 0, 0), 0);
	assert_int_equal(c.calls, 1);		/* stopped after one */
	c.freeable = MEMCG_SHRINK_EMPTY;
	assert_int_equal(shrink_slab(m, 0, 0), 0);
	assert_int_equal(c.calls, 1);		/* empty: never scanned */
	memcg_shrinker_unregister(s);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* Unaware shrinkers run for the root only; nothing for offline cgroups. */
static void test_memcg_awareness(void **state)
{
	static const struct memcg_shrinker_ops global_ops = {
		.count_objects = cache_count, .scan_objects = cache_scan,
		.seeks = MEMCG_DEFAULT_SEEKS,
	};
	struct memcg_engine *e = engine();
	struct cache aware = { .freeable = 1000, .free_all = true };
	struct cache global = { .freeable = 1000, .free_all = true };
	struct memcg_shrinker *s1, *s2;
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &aware, &s1), 0);
	assert_int_equal(memcg_shrinker_register(e, &global_ops, &global, &s2), 0);
	shrink_slab(m, 0, 0);
	assert_true(aware.calls > 0);
	assert_int_equal(global.calls, 0);
	shrink_slab(memcg_root(e), 0, 0);
	assert_true(global.calls > 0);
	assert_ptr_equal(global.last_memcg, memcg_root(e));
	aware.calls = 0;
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_int_equal(shrink_slab(m, 0, 0), 0);	/* offline */
	assert_int_equal(aware.calls, 0);
	memcg_shrinker_unregister(s1);
	memcg_shrinker_unregister(s2);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* A cgroup's deferred work goes to its parent when it goes offline. */
static void test_deferred_reparented(void **state)
{
	struct memcg_engine *e = engine();
	struct cache c = { .freeable = 100000 };
	struct memcg_shrinker *s;
	struct mem_cgroup *a, *b;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &b), 0);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, &s), 0);
	shrink_slab(b, 0, 12);
	assert_int_equal(atomic_load(&s->deferred[0][b->id]), 48);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(atomic_load(&s->deferred[0][a->id]), 48);
	memcg_shrinker_unregister(s);
	memcg_put(b);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/* A scan that claims more than it was asked is clamped to the request. */
static void test_overclaim_clamped(void **state)
{
	struct memcg_engine *e = engine();
	struct cache c = { .freeable = 1000, .frees = 1000000 };
	struct memcg_shrinker *s;
	struct mem_cgroup *m;
	unsigned long freed;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, &s), 0);

	freed = shrink_slab(m, 0, 2);
	assert_int_equal(freed, 384);		/* three batches, not 3000000 */
	assert_int_equal(c.asked, 384);
	memcg_shrinker_unregister(s);
	memcg_put(m);
	memcg_engine_destroy(e);
}

static void test_bad_registration(void **state)
{
	static const struct memcg_shrinker_ops no_scan = {
		.count_objects = cache_count,
	};
	static const struct memcg_shrinker_ops bad_seeks = {
		.count_objects = cache_count, .scan_objects = cache_scan,
		.seeks = -1,
	};
	static const struct memcg_shrinker_ops bad_flags = {
		.count_objects = cache_count, .scan_objects = cache_scan,
		.flags = 0x80,
	};
	struct memcg_engine *e = engine();
	struct memcg_shrinker *s, *dup;
	struct cache c = { 0 };

	assert_int_equal(memcg_shrinker_register(NULL, &aware_ops, &c, &s), -EINVAL);
	assert_int_equal(memcg_shrinker_register(e, NULL, &c, &s), -EINVAL);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, NULL), -EINVAL);
	assert_int_equal(memcg_shrinker_register(e, &no_scan, &c, &s), -EINVAL);
	assert_int_equal(memcg_shrinker_register(e, &bad_seeks, &c, &s), -EINVAL);
	assert_int_equal(memcg_shrinker_register(e, &bad_flags, &c, &s), -EINVAL);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, &s), 0);
	assert_int_equal(memcg_shrinker_register(e, &aware_ops, &c, &dup), -EEXIST);
	memcg_shrinker_unregister(s);
	memcg_shrinker_unregister(NULL);
	memcg_engine_destroy(e);
}

/* --- a real cache: objects charged through an objcg --- */

struct obj_cache {
	struct obj_cgroup *objcg;
	long nr;			/* live objects of OBJ_SIZE bytes */
	long freed;
};

#define OBJ_SIZE 4000

static unsigned long obj_count(void *priv, struct memcg_shrink_control *sc)
{
	struct obj_cache *oc = priv;

	return oc->nr ? (unsigned long)oc->nr : MEMCG_SHRINK_EMPTY;
}

static unsigned long obj_scan(void *priv, struct memcg_shrink_control *sc)
{
	struct obj_cache *oc = priv;
	unsigned long n = 0;

	while (n < sc->nr_to_scan && oc->nr) {
		memcg_obj_uncharge(oc->objcg, OBJ_SIZE, MEMCG_GFP_RECLAIMABLE);
		oc->nr--;
		oc->freed++;
		n++;
	}
	return n;
}

static const struct memcg_shrinker_ops obj_ops = {
	.count_objects = obj_count,
	.scan_objects = obj_scan,
	.seeks = MEMCG_DEFAULT_SEEKS,
	.flags = MEMCG_SHRINKER_MEMCG_AWARE,
};

/*
 * A cache fills memory.max; the next charges reclaim through the shrinker
 * instead of failing, and the counters stay exact (the auditor).
 */
static void test_charge_reclaims_through_shrinker(void **state)
{
	struct memcg_engine *e = engine();
	struct memcg_shrinker *s;
	struct obj_cache oc = { 0 };
	struct audit_hold h;
	struct mem_cgroup *m;
	int i;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.max", "4M"), 0);
	oc.objcg = memcg_objcg_get(m);
	assert_int_equal(memcg_shrinker_register(e, &obj_ops, &oc, &s), 0);
	for (i = 0; i < 4000; i++) {
		assert_int_equal(memcg_obj_charge(oc.objcg, OBJ_SIZE,
						  MEMCG_GFP_RECLAIMABLE), 0);
		oc.nr++;
	}
	assert_true(oc.freed > 0);		/* 16M through a 4M limit */
	assert_true(oc.nr * OBJ_SIZE <= (4 << 20));
	h = (struct audit_hold){ m, 1 };
	assert_int_equal(memcg_audit(e, &h, 1), 0);
	while (oc.nr) {
		memcg_obj_uncharge(oc.objcg, OBJ_SIZE, MEMCG_GFP_RECLAIMABLE);
		oc.nr--;
	}
	memcg_shrinker_unregister(s);
	memcg_objcg_put(oc.objcg);
	memcg_put(m);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_count_exact),
		cmocka_unit_test(test_scan_low_priority_defers),
		cmocka_unit_test(test_seeks_zero),
		cmocka_unit_test(test_small_cache_whole),
		cmocka_unit_test(test_stop_and_empty),
		cmocka_unit_test(test_memcg_awareness),
		cmocka_unit_test(test_deferred_reparented),
		cmocka_unit_test(test_overclaim_clamped),
		cmocka_unit_test(test_bad_registration),
		cmocka_unit_test(test_charge_reclaims_through_shrinker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
