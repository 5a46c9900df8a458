// SPDX-License-Identifier: MIT
/*
 * A program's folios (memcg_charge() under the reparent policy) are
 * charged through their cgroup's objcg: they hold an objcg reference, not
 * a cgroup one; rmdir with such a folio alive leaves no dying cgroup and
 * the parent charged; the final put then uncharges the parent, in one
 * counter update per run. Folios that join an LRU list, the swap cache, a
 * split or a v1 move point at their cgroup again first. The kernel policy
 * keeps the kernel's pinning. The auditor checks every step, in v2 and v1.
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
#include "core/objcg.h"
#include "fixture.h"

/* Counter updates by uncharge_batch, summed over the tree. */
static long uncharge_batches(struct memcg_engine *e)
{
	return memcg_page_state(memcg_root(e), MEMCG_UNCHARGE_BATCHES);
}

static struct memcg_engine *engine(enum memcg_mode mode,
				   enum memcg_policy policy)
{
	return test_engine_mode(mode, policy, 64UL << 20);
}

static struct folio *charge(struct memcg_engine *e, struct mem_cgroup *m,
			    enum memcg_folio_type type, unsigned order)
{
	struct folio *f = memcg_folio_alloc(e, type, order);

	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, m, MEMCG_GFP_KERNEL), 0);
	return f;
}

static long usage(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

/* cgroup.stat's nr_dying_descendants (v1 has no cgroup.stat here) */
static long dying(struct mem_cgroup *m)
{
	char buf[128], *p;

	if (m->engine->v1)
		return m->nr_dying_descendants;
	assert_true(memcg_read(m, "cgroup.stat", buf, sizeof(buf)) > 0);
	p = strstr(buf, "nr_dying_descendants ");
	assert_non_null(p);
	return atol(p + strlen("nr_dying_descendants "));
}

static void audit(struct memcg_engine *e, struct mem_cgroup *a,
		  struct mem_cgroup *b)
{
	struct audit_hold h[2] = { { a, 1 }, { b, 1 } };

	assert_int_equal(memcg_audit(e, h, b ? 2 : 1), 0);
}

/* The folio points at the objcg and holds a reference on it, not on B. */
static void test_charge_through_objcg(void **state)
{
	struct memcg_engine *e = engine(MEMCG_MODE_V2, MEMCG_POLICY_REPARENT);
	struct mem_cgroup *a, *b;
	struct obj_cgroup *objcg;
	struct folio *f;
	long refs, orefs;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &b), 0);
	objcg = atomic_load(&b->objcg);
	refs = css_ref_read(b);
	orefs = obj_cgroup_ref_read(objcg);
	f = charge(e, b, MEMCG_FOLIO_ANON, 0);
	assert_true(folio_is_objcg_user(f));
	assert_ptr_equal(memcg_folio_memcg(e, f), b);
	assert_int_equal(obj_cgroup_ref_read(objcg), orefs + 1);
	assert_int_equal(css_ref_read(b), refs + 1);	/* the stock slot only */
	assert_int_equal(memcg_page_state(b, MEMCG_ANON), 1);
	audit(e, a, b);
	memcg_folio_put(e, f);
	assert_int_equal(obj_cgroup_ref_read(objcg), orefs);
	assert_int_equal(memcg_page_state(b, MEMCG_ANON), 0);
	audit(e, a, b);
	memcg_put(b);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * The case: rmdir with a live program folio. Nothing stays dying;
 * the parent holds the charge and the statistics; the final put uncharges
 * the parent.
 */
static void rmdir_live_folio(enum memcg_mode mode)
{
	struct memcg_engine *e = engine(mode, MEMCG_POLICY_REPARENT);
	struct folio *f[3];
	struct mem_cgroup *a, *b;
	const char *cur = mode == MEMCG_MODE_V1 ? "memory.usage_in_bytes" :
						 "memory.current";
	char buf[64];

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &b), 0);
	f[0] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	f[1] = charge(e, b, MEMCG_FOLIO_FILE, 9);
	f[2] = charge(e, b, MEMCG_FOLIO_SHMEM, 0);
	memcg_drain_all_stock(a);
	assert_int_equal(usage(b), 514);
	memcg_put(b);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(dying(a), 0);
	assert_int_equal(dying(memcg_root(e)), 0);
	assert_int_equal(usage(a), 514);
	assert_true(memcg_read(a, cur, buf, sizeof(buf)) > 0);
	assert_int_equal(atol(buf), 514 * 4096);
	assert_int_equal(memcg_page_state_local(a, MEMCG_ANON), 1);
	assert_int_equal(memcg_page_state_local(a, MEMCG_FILE), 513);
	assert_int_equal(memcg_page_state_local(a, MEMCG_FILE_THP), 512);
	assert_int_equal(memcg_page_state_local(a, MEMCG_SHMEM), 1);
	assert_ptr_equal(memcg_folio_memcg(e, f[0]), a);
	audit(e, a, NULL);
	memcg_folios_put(e, f, 3);
	memcg_drain_all_stock(a);
	assert_int_equal(usage(a), 0);
	assert_int_equal(memcg_page_state(a, MEMCG_FILE), 0);
	audit(e, a, NULL);
	memcg_put(a);
	memcg_engine_destroy(e);
}

static void test_rmdir_live_folio_v2(void **state)
{
	rmdir_live_folio(MEMCG_MODE_V2);
}

static void test_rmdir_live_folio_v1(void **state)
{
	rmdir_live_folio(MEMCG_MODE_V1);
}

/* Up two levels: the grandparent's rmdir moves it once more, to the root. */
static void test_rmdir_twice(void **state)
{
	struct memcg_engine *e = engine(MEMCG_MODE_V2, MEMCG_POLICY_REPARENT);
	struct mem_cgroup *a, *b;
	struct folio *f;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &b), 0);
	f = charge(e, b, MEMCG_FOLIO_ANON, 0);
	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_int_equal(dying(memcg_root(e)), 0);
	assert_ptr_equal(memcg_folio_memcg(e, f), memcg_root(e));
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_folio_put(e, f);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

/* Folios of one objcg freed together: one counter update for the run. */
static void test_batched_uncharge(void **state)
{
	struct memcg_engine *e = engine(MEMCG_MODE_V2, MEMCG_POLICY_REPARENT);
	struct mem_cgroup *a, *b;
	struct folio *f[8];
	long before;
	int i;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "B", &b), 0);
	for (i = 0; i < 8; i++)
		f[i] = charge(e, i < 5 ? a : b, MEMCG_FOLIO_ANON, 0);
	before = uncharge_batches(e);
	memcg_folios_put(e, f, 8);
	assert_int_equal(uncharge_batches(e), before + 2);
	audit(e, a, b);
	memcg_put(a);
	memcg_put(b);
	memcg_engine_destroy(e);
}

/*
 * LRU, swap cache, split and v1 move work on cgroup-charged folios: the
 * folio points at its cgroup again first, with the charge where it was.
 */
static void test_back_to_cgroup(void **state)
{
	struct memcg_engine *e = engine(MEMCG_MODE_V2, MEMCG_POLICY_REPARENT);
	struct mem_cgroup *a, *b;
	struct folio *f, *g, *pieces[512];
	memcg_swp_entry_t entry;
	long refs;

	assert_int_equal(memcg_swapon(e, NULL, 16UL << 20), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "B", &b), 0);
	refs = css_ref_read(a);
	f = charge(e, a, MEMCG_FOLIO_ANON, 0);
	memcg_folio_add_lru(e, f);
	assert_false(folio_is_objcg_user(f));
	assert_ptr_equal(memcg_folio_memcg(e, f), a);
	assert_int_equal(css_ref_read(a), refs + 2);	/* folio + stock slot */
	audit(e, a, b);
	memcg_folio_put(e, f);

	g = charge(e, a, MEMCG_FOLIO_ANON, 9);
	assert_int_equal(memcg_split_folio(e, g, pieces), 0);
	assert_false(folio_is_objcg_user(pieces[511]));
	audit(e, a, b);
	memcg_folios_put(e, pieces, 512);

	f = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(memcg_move_account(e, f, b), 0);
	assert_ptr_equal(memcg_folio_memcg(e, f), b);
	audit(e, a, b);
	memcg_folio_put(e, f);

	f = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(memcg_swap_out(e, f, &entry), 0);
	assert_int_equal(memcg_page_state(a, MEMCG_SWAP), 1);
	audit(e, a, b);
	assert_int_equal(memcg_swap_free(e, entry), 0);
	audit(e, a, b);
	memcg_put(a);
	memcg_put(b);
	memcg_engine_destroy(e);
}

/* Migration moves the objcg pointer and its reference. */
static void test_migrate(void **state)
{
	struct memcg_engine *e = engine(MEMCG_MODE_V2, MEMCG_POLICY_REPARENT);
	struct mem_cgroup *a;
	struct folio *f, *g;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	f = charge(e, a, MEMCG_FOLIO_FILE, 0);
	g = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);
	assert_int_equal(memcg_migrate(e, f, g), 0);
	assert_true(folio_is_objcg_user(g));
	assert_ptr_equal(memcg_folio_memcg(e, g), a);
	assert_null(memcg_folio_memcg(e, f));
	audit(e, a, NULL);
	memcg_folio_put(e, f);
	memcg_folio_put(e, g);
	audit(e, a, NULL);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/* The kernel policy keeps the kernel's behaviour: the folio pins B. */
static void test_kernel_policy_pins(void **state)
{
	struct memcg_engine *e = engine(MEMCG_MODE_V2, MEMCG_POLICY_KERNEL);
	struct mem_cgroup *a, *b;
	struct folio *f;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &b), 0);
	f = charge(e, b, MEMCG_FOLIO_ANON, 0);
	assert_false(folio_is_objcg_user(f));
	memcg_put(b);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(dying(a), 1);
	memcg_folio_put(e, f);
	memcg_drain_all_stock(a);
	assert_int_equal(dying(a), 0);
	audit(e, a, NULL);
	memcg_put(a);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_charge_through_objcg),
		cmocka_unit_test(test_rmdir_live_folio_v2),
		cmocka_unit_test(test_rmdir_live_folio_v1),
		cmocka_unit_test(test_rmdir_twice),
		cmocka_unit_test(test_batched_uncharge),
		cmocka_unit_test(test_back_to_cgroup),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_kernel_policy_pins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
