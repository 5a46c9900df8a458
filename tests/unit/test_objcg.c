// SPDX-License-Identifier: MIT
/*
 * Kernel memory: obj_cgroups, byte-precise object charges and the object
 * stock, kernel pages and their split, sockets, the v1 kmem and tcp
 * counters, and the memory.stat keys; the auditor after every step.
 *
 * Kernel references (behaviour only): mm/memcontrol.c obj_cgroup_*,
 * refill_obj_stock, drain_obj_stock, memcg_reparent_objcgs,
 * __memcg_kmem_charge_page, split_page_memcg, mem_cgroup_sk_*;
 * mm/memcontrol-v1.c memcg1_charge_skmem and the kmem files;
 * tools/testing/selftests/cgroup/test_kmem.c (dead_cgroups).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "core/objcg.h"

#define NR_CPUS 2
#define PG ((long)MEMCG_PAGE_SIZE)
#define OBJ(size) ((long)(size) + (long)sizeof(void *))

static int setup_mode(void **state, enum memcg_mode mode)
{
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 64 << 20;
	cfg.nr_cpus = NR_CPUS;
	cfg.deterministic = true;
	*state = fixture_new(&cfg, "A", "A/B");
	return 0;
}

static int setup(void **state)
{
	return setup_mode(state, MEMCG_MODE_V2);
}

static int setup_v1(void **state)
{
	return setup_mode(state, MEMCG_MODE_V1);
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static long usage(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

static long stat(struct mem_cgroup *m, enum memcg_stat_item idx)
{
	return memcg_page_state(m, idx);
}

static long slab(struct mem_cgroup *m)
{
	return stat(m, MEMCG_SLAB_RECLAIMABLE) + stat(m, MEMCG_SLAB_UNRECLAIMABLE);
}

static long stock_bytes(struct fixture *f, struct obj_cgroup *objcg)
{
	return obj_stock_bytes(f->e, objcg, NULL);
}

static long long read_ll(struct mem_cgroup *m, const char *file)
{
	char buf[64];

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	return strtoll(buf, NULL, 10);
}

/* A small object: a page charged, the rest stocked; free keeps it. */
static void test_obj_charge_stock(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg = memcg_objcg_get(f->b);

	assert_non_null(objcg);
	assert_ptr_equal(memcg_objcg_memcg(objcg), f->b);
	fixture_audit(f);
	assert_int_equal(memcg_obj_charge(objcg, 100, MEMCG_GFP_KERNEL), 0);
	fixture_audit(f);
	assert_int_equal(stat(f->b, MEMCG_KERNEL), 1);
	assert_int_equal(stat(f->b, MEMCG_SLAB_UNRECLAIMABLE), OBJ(100));
	assert_int_equal(stock_bytes(f, objcg), PG - OBJ(100));
	/* the page came through the page path: a batch, 63 pages stocked */
	assert_int_equal(usage(f->b), MEMCG_CHARGE_BATCH);
	assert_int_equal(memcg_stock_pages(f->e, f->b, NULL),
			 MEMCG_CHARGE_BATCH - 1);

	/* a second object comes from the stock: no page */
	assert_int_equal(memcg_obj_charge(objcg, 200, MEMCG_GFP_RECLAIMABLE), 0);
	fixture_audit(f);
	assert_int_equal(stat(f->b, MEMCG_KERNEL), 1);
	assert_int_equal(stat(f->b, MEMCG_SLAB_RECLAIMABLE), OBJ(200));
	assert_int_equal(stock_bytes(f, objcg), PG - OBJ(100) - OBJ(200));

	memcg_obj_uncharge(objcg, 200, MEMCG_GFP_RECLAIMABLE);
	memcg_obj_uncharge(objcg, 100, MEMCG_GFP_KERNEL);
	fixture_audit(f);
	/* exactly a page back in the stock: not more than a page, kept */
	assert_int_equal(stock_bytes(f, objcg), PG);
	assert_int_equal(stat(f->b, MEMCG_KERNEL), 1);
	assert_int_equal(slab(f->b), 0);

	memcg_drain_all_stock(f->a);
	fixture_audit(f);
	assert_int_equal(stock_bytes(f, objcg), 0);
	assert_int_equal(stat(f->b, MEMCG_KERNEL), 0);
	assert_int_equal(usage(f->b), 0);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(atomic_load(&objcg->nr_charged_bytes), 0);
	memcg_objcg_put(objcg);
	fixture_audit(f);
}

/* Frees beyond a page uncharge whole pages through the page stock. */
static void test_obj_free_uncharges_pages(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg = memcg_objcg_get(f->b);
	int i;

	for (i = 0; i < 10; i++)
		assert_int_equal(memcg_obj_charge(objcg, 3000, 0), 0);
	fixture_audit(f);
	/* 10 * 3008 bytes: whole pages, the remainder in the stock */
	assert_int_equal(stat(f->b, MEMCG_KERNEL) * PG,
			 10 * OBJ(3000) + stock_bytes(f, objcg));
	for (i = 0; i < 10; i++) {
		memcg_obj_uncharge(objcg, 3000, 0);
		fixture_audit(f);
		assert_true(stock_bytes(f, objcg) <= PG);
	}
	assert_int_equal(stat(f->b, MEMCG_KERNEL) * PG, stock_bytes(f, objcg));
	/* an object larger than a page: pages charged, remainder stocked */
	assert_int_equal(memcg_obj_charge(objcg, 8000, 0), 0);
	fixture_audit(f);
	memcg_obj_uncharge(objcg, 8000, 0);
	fixture_audit(f);
	memcg_drain_all_stock(memcg_root(f->e));
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(stat(f->a, MEMCG_KERNEL), 0);
	memcg_objcg_put(objcg);
	fixture_audit(f);
}

/* NR_OBJ_STOCK objcgs per CPU; the next one evicts round-robin. */
static void test_obj_stock_slots(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg[NR_OBJ_STOCK + 1];
	struct mem_cgroup *m[NR_OBJ_STOCK + 1];
	char name[16];
	long slots;
	int i;

	for (i = 0; i <= NR_OBJ_STOCK; i++) {
		snprintf(name, sizeof(name), "A/C%d", i);
		assert_int_equal(memcg_mkdir(f->e, name, &m[i]), 0);
		objcg[i] = memcg_objcg_get(m[i]);
	}
	for (i = 0; i < NR_OBJ_STOCK; i++)
		assert_int_equal(memcg_obj_charge(objcg[i], 64, 0), 0);
	for (i = 0; i < NR_OBJ_STOCK; i++) {
		obj_stock_bytes(f->e, objcg[i], &slots);
		assert_int_equal(slots, 1);
	}
	assert_int_equal(memcg_obj_charge(objcg[NR_OBJ_STOCK], 64, 0), 0);
	obj_stock_bytes(f->e, objcg[0], &slots);
	assert_int_equal(slots, 0);	/* evicted: bytes to the objcg */
	assert_int_equal(atomic_load(&objcg[0]->nr_charged_bytes), PG - OBJ(64));
	obj_stock_bytes(f->e, objcg[NR_OBJ_STOCK], &slots);
	assert_int_equal(slots, 1);
	/* the other CPU has its own stock */
	memcg_set_cpu(1);
	assert_int_equal(memcg_obj_charge(objcg[1], 64, 0), 0);
	obj_stock_bytes(f->e, objcg[1], &slots);
	assert_int_equal(slots, 2);
	memcg_obj_uncharge(objcg[1], 64, 0);	/* freed on another CPU */
	memcg_set_cpu(0);
	{
		struct audit_hold holds[2 + NR_OBJ_STOCK + 1];

		memcpy(holds, f->holds, sizeof(f->holds));
		for (i = 0; i <= NR_OBJ_STOCK; i++)
			holds[2 + i] = (struct audit_hold){ m[i], 1 };
		assert_int_equal(memcg_audit(f->e, holds, 2 + NR_OBJ_STOCK + 1), 0);
	}
	for (i = 0; i <= NR_OBJ_STOCK; i++) {
		memcg_obj_uncharge(objcg[i], 64, 0);
		memcg_objcg_put(objcg[i]);
		memcg_put(m[i]);
		snprintf(name, sizeof(name), "A/C%d", i);
		assert_int_equal(memcg_rmdir(f->e, name), 0);
	}
	memcg_drain_all_stock(memcg_root(f->e));
	fixture_audit(f);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(stat(f->a, MEMCG_KERNEL), 0);
}

/* An objcg outlives its removed cgroup; later frees uncharge the parent. */
static void test_objcg_outlives_cgroup(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg = memcg_objcg_get(f->b), *again;
	struct folio *page;
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(memcg_obj_charge(objcg, 1000, 0), 0);
	assert_int_equal(memcg_kmem_charge_page(f->e, objcg, 0, 0, &page), 0);
	assert_ptr_equal(memcg_kmem_folio_objcg(f->e, page), objcg);
	assert_null(memcg_folio_memcg(f->e, page));
	fixture_audit(f);
	/* 5 * 1008 bytes in two pages (the 5th missed the stock), a page */
	assert_int_equal(stat(f->b, MEMCG_KERNEL), 3);
	memcg_drain_all_stock(f->a);
	assert_int_equal(usage(f->b), 3);
	assert_int_equal(atomic_load(&objcg->nr_charged_bytes),
			 2 * PG - 5 * OBJ(1000));

	/* rmdir: the objcg now charges A; nothing pins B but our handle */
	assert_int_equal(memcg_rmdir(f->e, "A/B"), 0);
	assert_ptr_equal(memcg_objcg_memcg(objcg), f->a);
	fixture_audit(f);
	f->holds[1] = (struct audit_hold){ NULL, 0 };
	memcg_put(f->b);
	f->b = NULL;
	fixture_audit(f);
	assert_int_equal(f->a->nr_dying_descendants, 0);
	assert_int_equal(atomic_load(&f->e->nr_memcgs), 2);
	/* B's pages stayed charged in A, where the objects now live */
	assert_int_equal(usage(f->a), 3);
	assert_int_equal(stat(f->a, MEMCG_KERNEL), 3);
	assert_int_equal(slab(f->a), 5 * OBJ(1000));

	/* a handle on the removed cgroup's objcg is A's objcg now */
	again = memcg_objcg_get(f->a);
	assert_ptr_not_equal(again, objcg);
	memcg_objcg_put(again);

	for (i = 0; i < 5; i++) {
		memcg_obj_uncharge(objcg, 1000, 0);
		fixture_audit(f);
	}
	assert_int_equal(memcg_kmem_uncharge_page(f->e, page), 0);
	fixture_audit(f);
	assert_int_equal(slab(f->a), 0);
	memcg_objcg_put(objcg);		/* the stock still caches it */
	fixture_audit(f);
	memcg_drain_all_stock(memcg_root(f->e));	/* its last reference */
	fixture_audit(f);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(stat(f->a, MEMCG_KERNEL), 0);
	assert_int_equal(stat(memcg_root(f->e), MEMCG_KERNEL), 0);
}

/* Kernel pages: any order the arena has; a split gives each page a ref. */
static void test_kmem_page_split(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg = memcg_objcg_get(f->b);
	unsigned order = folio_arena_huge_order(f->e->arena);
	long nr = 1L << order, refs;
	struct folio **pages = calloc((size_t)nr, sizeof(*pages));
	struct folio *huge, *small;
	long i;

	assert_int_equal(memcg_kmem_charge_page(f->e, objcg, 0, 3, &huge),
			 -EINVAL);
	assert_int_equal(memcg_kmem_charge_page(f->e, objcg, 0, 0, &small), 0);
	assert_int_equal(memcg_kmem_charge_page(f->e, objcg, 0, order, &huge), 0);
	fixture_audit(f);
	assert_int_equal(stat(f->b, MEMCG_KERNEL), nr + 1);
	assert_int_equal(test_file_key(f->b, "memory.stat", "kernel"), (nr + 1) * PG);
	refs = obj_cgroup_ref_read(objcg);

	/* others' references block the free */
	memcg_folio_get(f->e, small);
	assert_int_equal(memcg_kmem_uncharge_page(f->e, small), -EBUSY);
	assert_true(folio_put_testzero(small) == false);

	assert_int_equal(memcg_kmem_split_page(f->e, huge, pages), 0);
	assert_int_equal(obj_cgroup_ref_read(objcg), refs + nr - 1);
	assert_int_equal(stat(f->b, MEMCG_KERNEL), nr + 1);
	fixture_audit(f);
	for (i = 0; i < nr; i++)
		assert_ptr_equal(memcg_kmem_folio_objcg(f->e, pages[i]), objcg);
	assert_int_equal(memcg_kmem_split_page(f->e, pages[0], NULL), -EINVAL);

	/* free them after the cgroup is gone: the parent is uncharged */
	assert_int_equal(memcg_rmdir(f->e, "A/B"), 0);
	for (i = 0; i < nr; i += 2)
		assert_int_equal(memcg_kmem_uncharge_page(f->e, pages[i]), 0);
	fixture_audit(f);
	for (i = 1; i < nr; i += 2)
		assert_int_equal(memcg_kmem_uncharge_page(f->e, pages[i]), 0);
	assert_int_equal(memcg_kmem_uncharge_page(f->e, small), 0);
	fixture_audit(f);
	memcg_objcg_put(objcg);
	memcg_drain_all_stock(memcg_root(f->e));
	fixture_audit(f);
	assert_int_equal(stat(f->a, MEMCG_KERNEL), 0);
	assert_int_equal(usage(f->a), 0);
	free(pages);
}

/* v2 sockets: memory counter and the sock stat, back to 0. */
static void test_sock_v2(void **state)
{
	struct fixture *f = *state;
	struct memcg_sock *sk, *rootsk;
	struct audit_hold holds[2];

	assert_int_equal(memcg_sock_alloc(f->b, &sk), 0);
	assert_ptr_equal(memcg_sock_memcg(sk), f->b);
	holds[0] = f->holds[0];
	holds[1] = (struct audit_hold){ f->b, 2 };	/* handle and socket */
	assert_int_equal(memcg_audit(f->e, holds, 2), 0);
	assert_int_equal(memcg_sock_charge(sk, 10, 0), 0);
	assert_int_equal(memcg_audit(f->e, holds, 2), 0);
	assert_int_equal(test_file_key(f->b, "memory.stat", "sock"), 10 * PG);
	assert_int_equal(test_file_key(f->a, "memory.stat", "sock"), 10 * PG);
	memcg_drain_all_stock(f->a);
	assert_int_equal(usage(f->b), 10);

	/* at the limit: -ENOMEM, or forced with NOFAIL */
	assert_int_equal(memcg_write(f->b, "memory.max", "40K"), 0);
	assert_int_equal(memcg_sock_charge(sk, 4, MEMCG_GFP_NOWAIT), -ENOMEM);
	assert_int_equal(memcg_sock_charge(sk, 4, MEMCG_GFP_NOFAIL), 0);
	assert_int_equal(usage(f->b), 14);
	memcg_sock_uncharge(sk, 14);
	assert_int_equal(memcg_audit(f->e, holds, 2), 0);
	assert_int_equal(test_file_key(f->b, "memory.stat", "sock"), 0);
	memcg_drain_all_stock(f->a);
	assert_int_equal(usage(f->b), 0);
	memcg_sock_free(sk);
	fixture_audit(f);

	/* the root's sockets are not accounted */
	assert_int_equal(memcg_sock_alloc(memcg_root(f->e), &rootsk), 0);
	assert_null(memcg_sock_memcg(rootsk));
	assert_int_equal(memcg_sock_charge(rootsk, 5, 0), 0);
	assert_int_equal(stat(memcg_root(f->e), MEMCG_SOCK), 0);
	memcg_sock_uncharge(rootsk, 5);
	memcg_sock_free(rootsk);
	fixture_audit(f);
}

/* v1 sockets: the tcpmem counter, only after the tcp limit was written. */
static void test_sock_v1_tcpmem(void **state)
{
	struct fixture *f = *state;
	struct memcg_sock *early, *sk;
	struct audit_hold holds[2];

	assert_int_equal(memcg_sock_alloc(f->b, &early), 0);
	assert_null(memcg_sock_memcg(early));	/* tcp accounting is off */
	assert_int_equal(memcg_sock_charge(early, 3, 0), 0);
	assert_int_equal(read_ll(f->b, "memory.kmem.tcp.usage_in_bytes"), 0);

	assert_int_equal(memcg_write(f->b, "memory.kmem.tcp.limit_in_bytes",
				     "16K"), 0);
	assert_int_equal(memcg_sock_alloc(f->b, &sk), 0);
	assert_ptr_equal(memcg_sock_memcg(sk), f->b);
	holds[0] = f->holds[0];
	holds[1] = (struct audit_hold){ f->b, 2 };
	assert_int_equal(memcg_sock_charge(sk, 3, 0), 0);
	assert_int_equal(memcg_audit(f->e, holds, 2), 0);
	assert_int_equal(read_ll(f->b, "memory.kmem.tcp.usage_in_bytes"), 3 * PG);
	assert_int_equal(read_ll(f->a, "memory.kmem.tcp.usage_in_bytes"), 3 * PG);
	assert_int_equal(read_ll(f->b, "memory.usage_in_bytes"), 0);
	assert_int_equal(memcg_sock_charge(sk, 2, 0), -ENOMEM);
	assert_int_equal(read_ll(f->b, "memory.kmem.tcp.failcnt"), 1);
	assert_int_equal(memcg_sock_charge(sk, 2, MEMCG_GFP_NOFAIL), 0);
	assert_int_equal(read_ll(f->b, "memory.kmem.tcp.max_usage_in_bytes"),
			 5 * PG);
	/* a limit below usage is refused */
	assert_int_equal(memcg_write(f->b, "memory.kmem.tcp.limit_in_bytes",
				     "8K"), -EBUSY);
	assert_int_equal(memcg_audit(f->e, holds, 2), 0);
	memcg_sock_uncharge(sk, 5);
	assert_int_equal(read_ll(f->b, "memory.kmem.tcp.usage_in_bytes"), 0);
	memcg_sock_free(sk);
	memcg_sock_uncharge(early, 3);
	memcg_sock_free(early);
	fixture_audit(f);
}

/* v1: memory.kmem.* follow kernel pages and objects, root included. */
static void test_v1_kmem_counter(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg = memcg_objcg_get(f->b);
	struct mem_cgroup *root = memcg_root(f->e);
	struct folio *page;

	assert_int_equal(memcg_kmem_charge_page(f->e, objcg, 0, 0, &page), 0);
	assert_int_equal(memcg_obj_charge(objcg, 500, 0), 0);
	fixture_audit(f);
	assert_int_equal(read_ll(f->b, "memory.kmem.usage_in_bytes"), 2 * PG);
	assert_int_equal(read_ll(f->a, "memory.kmem.usage_in_bytes"), 2 * PG);
	assert_int_equal(read_ll(root, "memory.kmem.usage_in_bytes"), 2 * PG);
	assert_int_equal(read_ll(f->b, "memory.kmem.max_usage_in_bytes"), 2 * PG);
	/* deprecated: a write has no effect */
	assert_int_equal(memcg_write(f->b, "memory.kmem.limit_in_bytes", "4K"), 0);
	assert_int_equal(memcg_obj_charge(objcg, 5000, 0), 0);
	fixture_audit(f);
	memcg_obj_uncharge(objcg, 5000, 0);
	memcg_obj_uncharge(objcg, 500, 0);
	assert_int_equal(memcg_kmem_uncharge_page(f->e, page), 0);
	memcg_drain_all_stock(root);
	fixture_audit(f);
	assert_int_equal(read_ll(f->b, "memory.kmem.usage_in_bytes"), 0);
	assert_int_equal(read_ll(root, "memory.kmem.usage_in_bytes"), 0);
	assert_int_equal(memcg_write(f->b, "memory.kmem.max_usage_in_bytes", "0"), 0);
	assert_int_equal(read_ll(f->b, "memory.kmem.max_usage_in_bytes"), 0);
	memcg_objcg_put(objcg);
	fixture_audit(f);
}

/* v1: a removed cgroup's kmem moves to its parent's level exactly. */
static void test_v1_kmem_reparent(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg = memcg_objcg_get(f->b);
	int i;

	for (i = 0; i < 20; i++)
		assert_int_equal(memcg_obj_charge(objcg, 700, 0), 0);
	fixture_audit(f);
	f->holds[1] = (struct audit_hold){ NULL, 0 };
	memcg_put(f->b);
	f->b = NULL;
	assert_int_equal(memcg_rmdir(f->e, "A/B"), 0);
	fixture_audit(f);
	assert_int_equal(f->a->nr_dying_descendants, 0);
	for (i = 0; i < 20; i++)
		memcg_obj_uncharge(objcg, 700, 0);
	memcg_objcg_put(objcg);
	memcg_drain_all_stock(memcg_root(f->e));
	fixture_audit(f);
	assert_int_equal(page_counter_read(&f->a->v1->kmem), 0);
	assert_int_equal(page_counter_read(&f->a->memsw), 0);
	assert_int_equal(usage(f->a), 0);
}

/* Object charges over the limit fail; the stocks are drained first. */
static void test_obj_charge_over_limit(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg = memcg_objcg_get(f->b);
	long before = atomic_load(&f->b->memory_events[MEMCG_MAX]);
	int n = 0;

	assert_int_equal(memcg_write(f->b, "memory.max", "8K"), 0);
	while (!memcg_obj_charge(objcg, 3000, MEMCG_GFP_KERNEL))
		n++;
	assert_int_equal(n, 2);		/* two pages hold two objects */
	assert_true(atomic_load(&f->b->memory_events[MEMCG_MAX]) > before);
	fixture_audit(f);
	assert_int_equal(memcg_obj_charge(objcg, 10, MEMCG_GFP_NOFAIL), 0);
	fixture_audit(f);
	memcg_obj_uncharge(objcg, 10, 0);
	while (n--)
		memcg_obj_uncharge(objcg, 3000, 0);
	memcg_drain_all_stock(memcg_root(f->e));
	fixture_audit(f);
	assert_int_equal(usage(f->b), 0);
	memcg_objcg_put(objcg);
}

/* memory.stat: kernel, sock, slab_* and slab, hierarchical, in order. */
static void test_memory_stat_keys(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg = memcg_objcg_get(f->b);
	struct memcg_sock *sk;
	struct folio *page;
	static char buf[8192];
	const char *k, *s, *sl, *su, *sb;

	assert_int_equal(memcg_obj_charge(objcg, 40, MEMCG_GFP_RECLAIMABLE), 0);
	assert_int_equal(memcg_obj_charge(objcg, 56, 0), 0);
	assert_int_equal(memcg_kmem_charge_page(f->e, objcg, 0, 0, &page), 0);
	assert_int_equal(memcg_sock_alloc(f->b, &sk), 0);
	assert_int_equal(memcg_sock_charge(sk, 2, 0), 0);
	assert_true(memcg_read(f->a, "memory.stat", buf, sizeof(buf)) > 0);
	k = strstr(buf, "\nkernel ");
	s = strstr(buf, "\nsock ");
	sl = strstr(buf, "\nslab_reclaimable ");
	su = strstr(buf, "\nslab_unreclaimable ");
	sb = strstr(buf, "\nslab ");
	assert_true(k && s && sl && su && sb);
	assert_true(k < s && s < sl && sl < su && su < sb);
	assert_int_equal(test_file_key(f->a, "memory.stat", "kernel"), 2 * PG);
	assert_int_equal(test_file_key(f->a, "memory.stat", "sock"), 2 * PG);
	assert_int_equal(test_file_key(f->a, "memory.stat", "slab_reclaimable"), OBJ(40));
	assert_int_equal(test_file_key(f->a, "memory.stat", "slab_unreclaimable"), OBJ(56));
	assert_int_equal(test_file_key(f->a, "memory.stat", "slab"), OBJ(40) + OBJ(56));
	assert_int_equal(test_file_key(memcg_root(f->e), "memory.stat", "slab"), OBJ(40) + OBJ(56));
	memcg_sock_uncharge(sk, 2);
	memcg_sock_free(sk);
	assert_int_equal(memcg_kmem_uncharge_page(f->e, page), 0);
	memcg_obj_uncharge(objcg, 56, 0);
	memcg_obj_uncharge(objcg, 40, MEMCG_GFP_RECLAIMABLE);
	assert_int_equal(test_file_key(f->a, "memory.stat", "slab"), 0);
	assert_int_equal(test_file_key(f->a, "memory.stat", "sock"), 0);
	memcg_objcg_put(objcg);
	fixture_audit(f);
}

/*
 * test_kmem.c dead_cgroups: 30 cgroups that used only kernel memory are
 * removed; nr_dying_descendants reaches 0, here at once, though some of
 * their objects and pages are still alive.
 */
static void test_dead_cgroups(void **state)
{
	struct fixture *f = *state;
	struct obj_cgroup *objcg[30];
	struct folio *pages[30];
	char name[16], buf[128];
	int i, j;

	for (i = 0; i < 30; i++) {
		struct mem_cgroup *c;

		snprintf(name, sizeof(name), "A/dead%d", i);
		assert_int_equal(memcg_mkdir(f->e, name, &c), 0);
		objcg[i] = memcg_objcg_get(c);
		memcg_set_cpu(i % NR_CPUS);
		/* a dcache of objects, most freed, some kept; a page */
		for (j = 0; j < 50; j++)
			assert_int_equal(memcg_obj_charge(objcg[i], 192,
							  MEMCG_GFP_RECLAIMABLE), 0);
		for (j = 0; j < 45; j++)
			memcg_obj_uncharge(objcg[i], 192, MEMCG_GFP_RECLAIMABLE);
		assert_int_equal(memcg_kmem_charge_page(f->e, objcg[i], 0, 0,
							&pages[i]), 0);
		memcg_set_cpu(0);
		memcg_put(c);
		assert_int_equal(memcg_rmdir(f->e, name), 0);
	}
	assert_true(memcg_read(f->a, "cgroup.stat", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "nr_dying_descendants 0\n"));
	assert_int_equal(f->a->nr_dying_descendants, 0);
	fixture_audit(f);
	assert_int_equal(slab(f->a), 30 * 5 * OBJ(192));
	for (i = 0; i < 30; i++) {
		memcg_set_cpu(1 - i % NR_CPUS);
		for (j = 0; j < 5; j++)
			memcg_obj_uncharge(objcg[i], 192, MEMCG_GFP_RECLAIMABLE);
		assert_int_equal(memcg_kmem_uncharge_page(f->e, pages[i]), 0);
		memcg_objcg_put(objcg[i]);
	}
	memcg_set_cpu(0);
	fixture_audit(f);
	memcg_drain_all_stock(memcg_root(f->e));
	fixture_audit(f);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(stat(f->a, MEMCG_KERNEL), 0);
	assert_int_equal(slab(f->a), 0);
	assert_int_equal(f->e->objcgs->nr_objcgs, 3);	/* root, A, B */
}

/* --- a million random charge/free pairs --- */

struct live_obj {
	struct obj_cgroup *objcg;
	unsigned size;
	unsigned gfp;
};

#define NR_CG 6
#define MAX_LIVE 512

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * 1,000,000 charges of 1..8000 bytes and as many frees, in six cgroups
 * (nested and flat) on four CPUs, with a cgroup removed and recreated
 * every 20,000 operations while its objects live on. At the end every
 * counter and stat is zero.
 */
static void test_obj_random_million(void **state)
{
	static const char *const paths[NR_CG] = {
		"A/B/C", "A/B/D", "A/E", "F", "F/G", "H",
	};
	struct fixture *f = *state;
	struct live_obj *live = calloc(MAX_LIVE, sizeof(*live));
	struct obj_cgroup *objcg[NR_CG];
	struct mem_cgroup *root = memcg_root(f->e), *m;
	long charges = 0, frees = 0, nr_live = 0, op = 0;
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	int i;

	for (i = 0; i < NR_CG; i++) {
		assert_int_equal(memcg_mkdir(f->e, paths[i], &m), 0);
		objcg[i] = memcg_objcg_get(m);
		memcg_put(m);
	}
	while (charges < 1000000 || nr_live) {
		uint64_t r = rng_next(&rng);

		memcg_set_cpu((int)(r >> 60) % 4);
		if (charges < 1000000 && (nr_live == 0 ||
		    (nr_live < MAX_LIVE && (r & 1)))) {
			struct live_obj *o = &live[nr_live];

			o->objcg = objcg[(r >> 8) % NR_CG];
			o->size = 1 + (unsigned)((r >> 16) % 8000);
			o->gfp = (r >> 40) & 1 ? MEMCG_GFP_RECLAIMABLE : 0;
			assert_int_equal(memcg_obj_charge(o->objcg, o->size,
							  o->gfp), 0);
			nr_live++;
			charges++;
		} else {
			/* the object's own reference keeps its objcg */
			struct live_obj *o = &live[(r >> 8) % (uint64_t)nr_live];

			memcg_obj_uncharge(o->objcg, o->size, o->gfp);
			*o = live[--nr_live];
			frees++;
		}
		if (++op % 20000 == 0) {
			/* remove a leaf cgroup, objects alive, and recreate */
			int k = (int)((r >> 24) % NR_CG);

			if (k == 3)	/* F has a child: take G instead */
				k = 4;
			memcg_set_cpu(0);
			assert_int_equal(memcg_rmdir(f->e, paths[k]), 0);
			memcg_objcg_put(objcg[k]);
			assert_int_equal(memcg_mkdir(f->e, paths[k], &m), 0);
			objcg[k] = memcg_objcg_get(m);
			memcg_put(m);
		}
		if (op % 250000 == 0) {
			memcg_set_cpu(0);
			fixture_audit(f);
		}
	}
	memcg_set_cpu(0);
	assert_int_equal(frees, charges);
	fixture_audit(f);
	for (i = 0; i < NR_CG; i++)
		memcg_objcg_put(objcg[i]);
	memcg_drain_all_stock(root);
	fixture_audit(f);
	/* every counter and stat at zero, the root's counter included */
	assert_int_equal(usage(root), 0);
	assert_int_equal(stat(root, MEMCG_KERNEL), 0);
	assert_int_equal(slab(root), 0);
	assert_int_equal(usage(f->a), 0);
	for (i = 0; i < NR_CG; i++) {
		assert_int_equal(memcg_lookup(f->e, paths[i], &m), 0);
		assert_int_equal(usage(m), 0);
		assert_int_equal(stat(m, MEMCG_KERNEL), 0);
		assert_int_equal(slab(m), 0);
		memcg_put(m);
	}
	for (i = NR_CG - 1; i >= 0; i--)
		assert_int_equal(memcg_rmdir(f->e, paths[i]), 0);
	assert_int_equal(memcg_rmdir(f->e, "F"), -ENOENT);
	fixture_audit(f);
	assert_int_equal(f->e->objcgs->nr_objcgs, 3);
	free(live);
}

/* --- many threads --- */

#define NR_THREADS 4
#define THREAD_OPS 100000

struct thread_arg {
	struct fixture *f;
	struct obj_cgroup *shared;
	int id;
};

static void *obj_thread(void *p)
{
	struct thread_arg *t = p;
	struct obj_cgroup *own = memcg_objcg_get(t->f->a);
	struct live_obj live[64];
	uint64_t rng = 0x1234567ULL * (uint64_t)(t->id + 1);
	int nr_live = 0, i;

	memcg_set_cpu(t->id % NR_CPUS);
	for (i = 0; i < THREAD_OPS || nr_live; i++) {
		uint64_t r = rng_next(&rng);

		if (i < THREAD_OPS && nr_live < 64 && (r & 1)) {
			struct live_obj *o = &live[nr_live];

			o->objcg = (r >> 4) & 1 ? own : t->shared;
			o->size = 1 + (unsigned)((r >> 16) % 8000);
			o->gfp = 0;
			if (memcg_obj_charge(o->objcg, o->size, 0))
				abort();
			nr_live++;
		} else if (nr_live) {
			struct live_obj *o = &live[(r >> 8) % (uint64_t)nr_live];

			memcg_obj_uncharge(o->objcg, o->size, o->gfp);
			*o = live[--nr_live];
		}
		if ((r >> 32) % 1000 == 0)
			memcg_set_cpu((int)((r >> 40) % NR_CPUS));
	}
	memcg_objcg_put(own);
	return NULL;
}

/* Concurrent charges and frees on shared and private objcgs, with rmdir. */
static void test_obj_threads(void **state)
{
	struct fixture *f = *state;
	struct thread_arg args[NR_THREADS];
	pthread_t th[NR_THREADS];
	struct obj_cgroup *shared = memcg_objcg_get(f->b);
	struct mem_cgroup *c;
	int i, round = 0;

	for (i = 0; i < NR_THREADS; i++) {
		args[i] = (struct thread_arg){ f, shared, i };
		assert_int_equal(pthread_create(&th[i], NULL, obj_thread,
						&args[i]), 0);
	}
	/* meanwhile, cgroups come and go under A/B */
	for (round = 0; round < 200; round++) {
		struct obj_cgroup *oc;
		int j;

		assert_int_equal(memcg_mkdir(f->e, "A/B/tmp", &c), 0);
		oc = memcg_objcg_get(c);
		for (j = 0; j < 20; j++)
			assert_int_equal(memcg_obj_charge(oc, 100 + j, 0), 0);
		assert_int_equal(memcg_rmdir(f->e, "A/B/tmp"), 0);
		for (j = 0; j < 20; j++)
			memcg_obj_uncharge(oc, 100 + j, 0);
		memcg_objcg_put(oc);
		memcg_put(c);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	memcg_objcg_put(shared);
	fixture_audit(f);
	memcg_drain_all_stock(memcg_root(f->e));
	fixture_audit(f);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(stat(f->a, MEMCG_KERNEL), 0);
	assert_int_equal(slab(f->a), 0);
	assert_int_equal(f->b->nr_dying_descendants, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_obj_charge_stock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_obj_free_uncharges_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_obj_stock_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_objcg_outlives_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kmem_page_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sock_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sock_v1_tcpmem, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_v1_kmem_counter, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_v1_kmem_reparent, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_obj_charge_over_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_stat_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_cgroups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_obj_random_million, setup, teardown),
		cmocka_unit_test_setup_teardown(test_obj_threads, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
