// SPDX-License-Identifier: MIT
/*
 * The host LRU: a program's units on a cgroup's lists, evicted oldest
 * first, activated when touched, refused evictions kept, protection
 * honoured between siblings, units reparented at rmdir, and bad input.
 * The auditor checks lists, byte counts and references after each step.
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
#include "mm/host_lru.h"

#define UNIT_SIZE 4096
#define NR_UNITS 256

/* A cached object: its unit, its charge, and whether evict may take it. */
struct item {
	struct memcg_lru_unit lru;
	struct obj_cgroup *objcg;
	bool live;
	bool refuse;
	int evicted_order;		/* 1 for the first evicted, ... */
};

static int evict_counter;

static int item_evict(struct memcg_lru_unit *u)
{
	struct item *it = (struct item *)u;

	if (it->refuse)
		return -EAGAIN;
	memcg_obj_uncharge(it->objcg, UNIT_SIZE, MEMCG_GFP_RECLAIMABLE);
	it->live = false;
	it->evicted_order = ++evict_counter;
	return 0;
}

static const struct memcg_lru_ops item_ops = { .evict = item_evict };

static struct memcg_engine *engine(void)
{
	struct memcg_engine *e = test_engine_new(64UL << 20);

	evict_counter = 0;
	return e;
}

static void fill(struct mem_cgroup *m, struct obj_cgroup *objcg,
		 struct item *items, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		items[i] = (struct item){ .objcg = objcg, .live = true };
		assert_int_equal(memcg_obj_charge(objcg, UNIT_SIZE,
						  MEMCG_GFP_RECLAIMABLE), 0);
		assert_int_equal(memcg_lru_add(m, &items[i].lru, UNIT_SIZE,
					       &item_ops), 0);
	}
}

/* Drop what is left, as the program would at exit. */
static void drain(struct item *items, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!items[i].live)
			continue;
		assert_int_equal(memcg_lru_del(&items[i].lru), 0);
		memcg_obj_uncharge(items[i].objcg, UNIT_SIZE,
				   MEMCG_GFP_RECLAIMABLE);
		items[i].live = false;
	}
}

static int live(const struct item *items, int n)
{
	int i, nr = 0;

	for (i = 0; i < n; i++)
		nr += items[i].live;
	return nr;
}

static void audit(struct memcg_engine *e, struct mem_cgroup *a,
		  struct mem_cgroup *b)
{
	struct audit_hold h[2] = { { a, 1 }, { b, b ? 1 : 0 } };

	assert_int_equal(memcg_audit(e, h, b ? 2 : 1), 0);
}

static void test_add_del_errors(void **state)
{
	struct memcg_engine *e = engine();
	struct item it = { 0 };
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_lru_add(NULL, &it.lru, 1, &item_ops), -EINVAL);
	assert_int_equal(memcg_lru_add(m, NULL, 1, &item_ops), -EINVAL);
	assert_int_equal(memcg_lru_add(m, &it.lru, 0, &item_ops), -EINVAL);
	assert_int_equal(memcg_lru_add(m, &it.lru, (size_t)-1, &item_ops),
			 -EINVAL);
	assert_int_equal(memcg_lru_add(m, &it.lru, 1, NULL), -EINVAL);
	assert_int_equal(memcg_lru_del(&it.lru), -ENOENT);
	assert_int_equal(memcg_lru_add(m, &it.lru, 100, &item_ops), 0);
	assert_int_equal(memcg_lru_add(m, &it.lru, 100, &item_ops), -EINVAL);
	assert_int_equal(m->lruvec.host[HOST_LRU_INACTIVE].nr_bytes, 100);
	audit(e, m, NULL);
	assert_int_equal(memcg_lru_del(&it.lru), 0);
	assert_int_equal(memcg_lru_del(&it.lru), -ENOENT);
	assert_int_equal(m->lruvec.host[HOST_LRU_INACTIVE].nr_bytes, 0);
	audit(e, m, NULL);
	memcg_lru_touch(NULL);
	assert_int_equal(memcg_lru_del(NULL), -EINVAL);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_int_equal(memcg_lru_add(m, &it.lru, 100, &item_ops), -ENOENT);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* memory.reclaim evicts the oldest units first; touched ones survive. */
static void test_reclaim_oldest_first(void **state)
{
	struct memcg_engine *e = engine();
	struct item *items = calloc(NR_UNITS, sizeof(*items));
	struct obj_cgroup *objcg;
	struct mem_cgroup *m;
	int i, evicted;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	objcg = memcg_objcg_get(m);
	fill(m, objcg, items, NR_UNITS);
	for (i = 0; i < 16; i++)
		memcg_lru_touch(&items[i].lru);	/* the oldest 16 are in use */
	assert_int_equal(memcg_write(m, "memory.reclaim", "256K"), 0);
	/*
	 * The 16 touched went active; at least 64 of the oldest others were
	 * evicted, in order (reclaim works in SWAP_CLUSTER_MAX steps, so it
	 * may take a little more, as the kernel's does).
	 */
	evicted = NR_UNITS - live(items, NR_UNITS);
	assert_true(evicted >= 64 && evicted <= 128);
	for (i = 0; i < 16; i++)
		assert_true(items[i].live);
	for (i = 16; i < 16 + evicted; i++) {
		assert_false(items[i].live);
		assert_int_equal(items[i].evicted_order, i - 15);
	}
	assert_true(items[16 + evicted].live);
	assert_int_equal(m->lruvec.host[HOST_LRU_ACTIVE].nr_bytes,
			 16 * UNIT_SIZE);
	audit(e, m, NULL);
	drain(items, NR_UNITS);
	audit(e, m, NULL);
	memcg_objcg_put(objcg);
	memcg_put(m);
	memcg_engine_destroy(e);
	free(items);
}

/* Refused units go back to the list; reclaim takes the others. */
static void test_evict_refuses(void **state)
{
	struct memcg_engine *e = engine();
	struct item *items = calloc(NR_UNITS, sizeof(*items));
	struct obj_cgroup *objcg;
	struct mem_cgroup *m;
	int i;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	objcg = memcg_objcg_get(m);
	fill(m, objcg, items, NR_UNITS);
	for (i = 0; i < NR_UNITS; i += 2)
		items[i].refuse = true;
	assert_int_equal(memcg_write(m, "memory.reclaim", "256K"), 0);
	for (i = 0; i < NR_UNITS; i += 2)
		assert_true(items[i].live);
	assert_true(live(items, NR_UNITS) <= NR_UNITS - 64);
	audit(e, m, NULL);
	/* nothing evictable: memory.reclaim says so */
	for (i = 1; i < NR_UNITS; i += 2)
		if (items[i].live) {
			assert_int_equal(memcg_lru_del(&items[i].lru), 0);
			memcg_obj_uncharge(objcg, UNIT_SIZE,
					   MEMCG_GFP_RECLAIMABLE);
			items[i].live = false;
		}
	assert_int_equal(memcg_write(m, "memory.reclaim", "64K"), -EAGAIN);
	audit(e, m, NULL);
	for (i = 0; i < NR_UNITS; i++)
		items[i].refuse = false;
	drain(items, NR_UNITS);
	memcg_objcg_put(objcg);
	memcg_put(m);
	memcg_engine_destroy(e);
	free(items);
}

/*
 * Under a parent's memory.max, a sibling below its memory.low keeps its
 * units while the other's are evicted.
 */
static void test_low_protects_units(void **state)
{
	struct memcg_engine *e = engine();
	struct item *ia = calloc(NR_UNITS, sizeof(*ia));
	struct item *ib = calloc(NR_UNITS, sizeof(*ib));
	struct obj_cgroup *oa, *ob;
	struct mem_cgroup *p, *a, *b;
	char buf[256];

	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "P/B", &b), 0);
	assert_int_equal(memcg_write(a, "memory.low", "2M"), 0);
	oa = memcg_objcg_get(a);
	ob = memcg_objcg_get(b);
	fill(a, oa, ia, NR_UNITS);		/* 1M each: A is under its low */
	fill(b, ob, ib, NR_UNITS);
	assert_int_equal(memcg_write(p, "memory.reclaim", "512K"), 0);
	assert_int_equal(live(ia, NR_UNITS), NR_UNITS);
	assert_true(live(ib, NR_UNITS) <= NR_UNITS - 128);
	assert_true(memcg_read(a, "memory.events", buf, sizeof(buf)) > 0);
	assert_memory_equal(buf, "low 0\n", 6);
	drain(ia, NR_UNITS);
	drain(ib, NR_UNITS);
	memcg_objcg_put(oa);
	memcg_objcg_put(ob);
	memcg_put(a);
	memcg_put(b);
	memcg_put(p);
	memcg_engine_destroy(e);
	free(ia);
	free(ib);
}

/* rmdir moves the units to the parent: nothing stays dying for them. */
static void test_rmdir_reparents_units(void **state)
{
	struct memcg_engine *e = engine();
	struct item *items = calloc(NR_UNITS, sizeof(*items));
	struct obj_cgroup *objcg;
	struct mem_cgroup *p, *c;
	char buf[128];

	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/C", &c), 0);
	objcg = memcg_objcg_get(c);
	fill(c, objcg, items, NR_UNITS);
	memcg_objcg_put(objcg);		/* the objects keep it */
	memcg_put(c);
	assert_int_equal(memcg_rmdir(e, "P/C"), 0);
	assert_true(memcg_read(p, "cgroup.stat", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "nr_dying_descendants 0"));
	assert_int_equal(p->lruvec.host[HOST_LRU_INACTIVE].nr_bytes,
			 NR_UNITS * UNIT_SIZE);
	audit(e, p, NULL);
	/* the parent's reclaim now finds them */
	assert_int_equal(memcg_write(p, "memory.reclaim", "256K"), 0);
	assert_true(live(items, NR_UNITS) <= NR_UNITS - 64);
	audit(e, p, NULL);
	drain(items, NR_UNITS);
	audit(e, p, NULL);
	memcg_put(p);
	memcg_engine_destroy(e);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_del_errors),
		cmocka_unit_test(test_reclaim_oldest_first),
		cmocka_unit_test(test_evict_refuses),
		cmocka_unit_test(test_low_protects_units),
		cmocka_unit_test(test_rmdir_reparents_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
