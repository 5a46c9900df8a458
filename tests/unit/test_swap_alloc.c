// SPDX-License-Identifier: MIT
/*
 * Swap slot allocation by cluster (src/mm/swapfile.c): each CPU fills its
 * own cluster, takes free clusters before partly used ones, then any slot
 * left; runs are aligned; runs longer than a cluster take whole clusters;
 * every slot comes back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "audit.h"
#include "mm/swapfile.h"

#define CL SWAPFILE_CLUSTER

struct fix {
	struct memcg_engine *e;
	struct mem_cgroup *a;
};

static void fix_init(struct fix *f, unsigned huge_order, size_t nr_slots)
{
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.dataless = true;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;	/* the CPU is memcg_set_cpu()'s */
	cfg.huge_order = huge_order;
	assert_int_equal(memcg_engine_create(&cfg, &f->e), 0);
	assert_int_equal(memcg_swapon(f->e, NULL, nr_slots * 4096UL), 0);
	assert_int_equal(memcg_mkdir(f->e, "A", &f->a), 0);
}

static void fix_fini(struct fix *f)
{
	swap_slots_drain_all(f->e);
	assert_int_equal(memcg_audit(f->e, (struct audit_hold[]){ { f->a, 1 } },
				     1), 0);
	memcg_put(f->a);
	memcg_engine_destroy(f->e);
}

/* A folio of @order swapped out: its entry's slot, or -1 with @err. */
static long out(struct fix *f, unsigned order, int *err)
{
	struct folio *folio = memcg_folio_alloc(f->e, MEMCG_FOLIO_ANON, order);
	memcg_swp_entry_t entry;

	assert_non_null(folio);
	assert_int_equal(memcg_charge(f->e, folio, f->a, MEMCG_GFP_KERNEL), 0);
	*err = memcg_swap_out(f->e, folio, &entry);
	if (*err) {
		memcg_folio_put(f->e, folio);
		return -1;
	}
	return (long)entry.val - 1;
}

static void put_slots(struct fix *f, long slot, long nr)
{
	for (long i = 0; i < nr; i++) {
		memcg_swp_entry_t entry = { .val = (uint32_t)(slot + i + 1) };

		assert_int_equal(memcg_swap_free(f->e, entry), 0);
	}
}

/* Two CPUs take a cluster each and fill it in order. */
static void test_cluster_per_cpu(void **state)
{
	struct fix f;
	long s0, s1, s;
	int err, i;

	(void)state;
	fix_init(&f, 4, 4 * CL);
	memcg_set_cpu(0);
	s0 = out(&f, 0, &err);
	memcg_set_cpu(1);
	s1 = out(&f, 0, &err);
	assert_int_not_equal(s0 / CL, s1 / CL);
	for (i = 1; i < 10; i++) {
		memcg_set_cpu(0);
		assert_int_equal(out(&f, 0, &err), s0 + i);
		memcg_set_cpu(1);
		assert_int_equal(out(&f, 0, &err), s1 + i);
	}
	/* a huge run from CPU 0 is aligned, in a cluster of its own order */
	memcg_set_cpu(0);
	s = out(&f, 4, &err);
	assert_int_equal(err, 0);
	assert_int_equal(s % 16, 0);
	put_slots(&f, s, 16);
	put_slots(&f, s0, 10);
	put_slots(&f, s1, 10);
	memcg_set_cpu(-1);
	fix_fini(&f);
}

/* The device fills to the last slot, then -ENOSPC; freed slots are found. */
static void test_fill_and_reuse(void **state)
{
	size_t nr = 2 * CL + 37;	/* a short last cluster */
	static long slot[2 * CL + 37];
	struct fix f;
	size_t i;
	int err;

	(void)state;
	fix_init(&f, 4, nr);
	for (i = 0; i < nr; i++) {
		memcg_set_cpu((int)(i % 2));
		slot[i] = out(&f, 0, &err);
		assert_int_equal(err, 0);
	}
	assert_int_equal(memcg_swap_nr_free(f.e), 0);
	assert_int_equal(out(&f, 0, &err), -1);
	assert_int_equal(err, -ENOSPC);
	/* free one in the short cluster: CPU 1 finds it */
	put_slots(&f, (long)(nr - 1), 1);
	memcg_set_cpu(1);
	assert_int_equal(out(&f, 0, &err), (long)(nr - 1));
	for (i = 0; i < nr; i++)
		put_slots(&f, slot[i], 1);
	assert_int_equal(memcg_swap_nr_free(f.e), (long)nr);
	memcg_set_cpu(-1);
	fix_fini(&f);
}

/* A run longer than a cluster (order 10) takes two whole clusters. */
static void test_run_of_clusters(void **state)
{
	struct fix f;
	long s, t;
	int err;

	(void)state;
	fix_init(&f, 10, 5 * CL);
	memcg_set_cpu(0);
	t = out(&f, 0, &err);		/* cluster 0 is CPU 0's now */
	s = out(&f, 10, &err);
	assert_int_equal(err, 0);
	assert_int_equal(s % (2 * CL), 0);
	assert_true(s / CL != t / CL);
	assert_int_equal(memcg_swap_nr_free(f.e), 5 * CL - 1 - 2 * CL);
	/* no two free clusters in a row, aligned, are left */
	assert_int_equal(out(&f, 10, &err), -1);
	assert_int_equal(err, -ENOSPC);
	put_slots(&f, s, 2 * CL);
	put_slots(&f, t, 1);
	swap_slots_drain_all(f.e);	/* the return caches are on */
	assert_int_equal(memcg_swap_nr_free(f.e), 5 * CL);
	memcg_set_cpu(-1);
	fix_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cluster_per_cpu),
		cmocka_unit_test(test_fill_and_reuse),
		cmocka_unit_test(test_run_of_clusters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
