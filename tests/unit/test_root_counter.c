// SPDX-License-Identifier: MIT
/*
 * The root's page counters (mem_cgroup_root_counted()): v1 counts every
 * descendant's charge at the root, whose max_usage_in_bytes and failcnt
 * read it; v2 shows no counter of the root, so its children's counters
 * stop below it and the root's stay at zero, through charges, uncharges,
 * reparenting to the root and protection. The auditor checks each step.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"

static struct memcg_engine *engine(enum memcg_mode mode,
				   enum memcg_policy policy)
{
	return test_engine_mode(mode, policy, 64UL << 20);
}

static long usage(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

static void audit(struct memcg_engine *e, struct mem_cgroup *a,
		  struct mem_cgroup *b)
{
	struct audit_hold h[2] = { { a, 1 }, { b, 1 } };

	assert_int_equal(memcg_audit(e, h, b ? 2 : 1), 0);
}

static struct folio *charge(struct memcg_engine *e, struct mem_cgroup *m)
{
	struct folio *f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);

	assert_non_null(f);
	assert_int_equal(mem_cgroup_charge(f, m, MEMCG_GFP_KERNEL), 0);
	return f;
}

/* A and A/B charge; the root counts them in v1 only. */
static void check_chain(enum memcg_mode mode)
{
	struct memcg_engine *e = engine(mode, MEMCG_POLICY_KERNEL);
	struct mem_cgroup *root = memcg_root(e), *a, *b;
	bool v1 = mode == MEMCG_MODE_V1;
	struct folio *f[3];
	int i;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &b), 0);
	assert_ptr_equal(a->memory.parent, v1 ? &root->memory : NULL);
	assert_ptr_equal(a->swap.parent, v1 ? &root->swap : NULL);
	assert_ptr_equal(b->memory.parent, &a->memory);
	assert_int_equal(mem_cgroup_root_counted(e), v1);

	/* three folios: one batch of 64 charged, 61 of it in the stock */
	for (i = 0; i < 3; i++)
		f[i] = charge(e, b);
	assert_int_equal(usage(b), MEMCG_CHARGE_BATCH);
	assert_int_equal(usage(a), MEMCG_CHARGE_BATCH);
	assert_int_equal(usage(root), v1 ? MEMCG_CHARGE_BATCH : 0);
	assert_int_equal(atomic_load(&root->memory.watermark),
			 v1 ? MEMCG_CHARGE_BATCH : 0);
	audit(e, a, b);

	memcg_folio_put(e, f[0]);
	assert_int_equal(usage(b), MEMCG_CHARGE_BATCH - 1);
	assert_int_equal(usage(root), v1 ? MEMCG_CHARGE_BATCH - 1 : 0);
	memcg_folio_put(e, f[1]);
	memcg_folio_put(e, f[2]);
	memcg_drain_all_stock(b);
	assert_int_equal(usage(b), 0);
	assert_int_equal(usage(a), 0);
	assert_int_equal(usage(root), 0);
	audit(e, a, b);
	memcg_put(b);
	memcg_put(a);
	memcg_engine_destroy(e);
}

static void test_v2_root_counts_nothing(void **state)
{
	(void)state;
	check_chain(MEMCG_MODE_V2);
}

static void test_v1_root_counts_descendants(void **state)
{
	(void)state;
	check_chain(MEMCG_MODE_V1);
}

/*
 * rmdir of a top-level cgroup: the reparent policy moves its charges to
 * the root, which v1 takes off the root's counter (the root's own charges
 * do not count) and v2 never had there; the kernel policy leaves them on
 * the dying cgroup. Either way the final put leaves every counter at
 * zero, with no underflow.
 */
static void check_reparent_to_root(enum memcg_mode mode,
				   enum memcg_policy policy)
{
	struct memcg_engine *e = engine(mode, policy);
	struct mem_cgroup *root = memcg_root(e), *a;
	struct folio *f;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, a, MEMCG_GFP_KERNEL), 0);
	assert_int_equal(usage(root), mode == MEMCG_MODE_V1 ?
			 MEMCG_CHARGE_BATCH : 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	memcg_put(a);
	/* the kernel policy leaves the folio's charge on the dying A */
	assert_int_equal(usage(root), mode == MEMCG_MODE_V1 &&
			 policy == MEMCG_POLICY_KERNEL ? 1 : 0);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_folio_put(e, f);
	assert_int_equal(usage(root), 0);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

static void test_reparent_to_root(void **state)
{
	(void)state;
	check_reparent_to_root(MEMCG_MODE_V2, MEMCG_POLICY_REPARENT);
	check_reparent_to_root(MEMCG_MODE_V2, MEMCG_POLICY_KERNEL);
	check_reparent_to_root(MEMCG_MODE_V1, MEMCG_POLICY_REPARENT);
	check_reparent_to_root(MEMCG_MODE_V1, MEMCG_POLICY_KERNEL);
}

/* v2: a top-level counter has no parent; the root's reclaim gives it its
 * own settings as effective protection, as to any child of the target. */
static void test_v2_top_level_protection(void **state)
{
	struct memcg_engine *e = engine(MEMCG_MODE_V2, MEMCG_POLICY_KERNEL);
	struct mem_cgroup *root = memcg_root(e), *a;
	struct folio *f;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.min", "4K"), 0);
	assert_int_equal(memcg_write(a, "memory.low", "8K"), 0);
	f = charge(e, a);
	page_counter_calculate_protection(&root->memory_prot, &a->memory_prot,
					  true);
	assert_int_equal(atomic_load(&a->memory_prot.emin), 1);
	assert_int_equal(atomic_load(&a->memory_prot.elow), 2);
	/* nothing went to the root's sums of protected usage */
	assert_int_equal(atomic_load(&root->memory_prot.children_min_usage), 0);
	assert_int_equal(atomic_load(&root->memory_prot.children_low_usage), 0);
	memcg_folio_put(e, f);
	audit(e, a, NULL);
	memcg_put(a);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_root_counts_nothing),
		cmocka_unit_test(test_v1_root_counts_descendants),
		cmocka_unit_test(test_reparent_to_root),
		cmocka_unit_test(test_v2_top_level_protection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
