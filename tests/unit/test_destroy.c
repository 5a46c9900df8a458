// SPDX-License-Identifier: MIT
/*
 * Cgroup destruction: the reparent policy leaves no dying cgroup and loses
 * no charge; the kernel policy reproduces mainline's dying cgroups. The
 * auditor runs after every step.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <urcu-bp.h>

#include "audit.h"
#include "memcg/sim.h"

#define MB(x) ((long)(x) << 20)

static struct memcg_engine *engine(enum memcg_policy policy, size_t memory)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.memory_bytes = memory;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	cfg.dataless = true;
	cfg.policy = policy;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 512UL << 20), 0);
	return e;
}

static long rd(struct mem_cgroup *m, const char *file, const char *key)
{
	char buf[4096], *p = buf;
	size_t len = key ? strlen(key) : 0;

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	if (!key)
		return atol(buf);
	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ' ')
			return atol(p + len + 1);
	fail_msg("no %s in %s", key, file);
	return -1;
}

/* Audit, with the handles the test holds (up to three, NULL-padded). */
static void audit3(struct memcg_engine *e, struct mem_cgroup *a,
		   struct mem_cgroup *b, struct mem_cgroup *c)
{
	struct audit_hold h[3] = { { a, !!a }, { b, !!b }, { c, !!c } };

	assert_int_equal(memcg_audit(e, h, 3), 0);
}

static void audit(struct memcg_engine *e, struct mem_cgroup *held)
{
	audit3(e, held, NULL, NULL);
}

/*
 * docs/DESIGN.md's measurement: memory.max=50M, a 100M task with swap exits,
 * rmdir. Mainline keeps the cgroup dying on the swap it left: the last
 * slots the task freed wait in the CPU's return cache, still charged
 * (free_swap_slot()), until 64 more are freed there. The reparent policy
 * frees the cgroup and hands the charge to the parent.
 */
static long swap_and_exit(struct memcg_engine *e, const char *path,
			  struct mem_cgroup **out)
{
	struct memcg_task *t;
	long slots;

	assert_int_equal(memcg_mkdir(e, path, out), 0);
	assert_int_equal(memcg_write(*out, "memory.max", "50M"), 0);
	assert_int_equal(memcg_task_create(e, path, *out, &t), 0);
	assert_int_equal(memcg_task_anon(t, (size_t)MB(100)), 0);
	slots = memcg_task_swap_pages(t);
	assert_true(slots > 12000);	/* about half of 100M, less page tables */
	assert_int_equal(memcg_task_exit(t), 0);
	return slots;
}

static void zombie_after_swap(enum memcg_policy policy)
{
	struct memcg_engine *e = engine(policy, 1UL << 30);
	struct mem_cgroup *p, *a, *b;
	long mem, swap, slots;

	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	slots = swap_and_exit(e, "P/A", &a);
	memcg_drain_all_stock(p);
	audit3(e, p, a, NULL);
	mem = rd(p, "memory.current", NULL);
	swap = rd(p, "memory.swap.current", NULL);
	print_message("%s: after exit, A holds %ld KiB of memory and %ld KiB "
		      "of swap\n", policy == MEMCG_POLICY_KERNEL ? "kernel" :
		      "reparent", rd(a, "memory.current", NULL) >> 10,
		      rd(a, "memory.swap.current", NULL) >> 10);
	/* the slots freed 64 at a time: the last (slots % 64) wait there */
	assert_int_equal(swap, slots % 64 * 4096);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "P/A"), 0);
	audit(e, p);
	assert_int_equal(rd(p, "cgroup.stat", "nr_dying_descendants"),
			 policy == MEMCG_POLICY_KERNEL ? 1 : 0);
	assert_int_equal(rd(p, "memory.current", NULL), mem);
	assert_int_equal(rd(p, "memory.swap.current", NULL), swap);
	/* reclaim cannot free it: no folio is left */
	assert_int_equal(memcg_write(p, "memory.reclaim", "1G"), -EAGAIN);
	assert_int_equal(rd(p, "memory.swap.current", NULL), swap);
	/* a sibling's freed slots flush the cache: A's charge goes, A too */
	swap_and_exit(e, "P/B", &b);
	audit3(e, p, b, NULL);
	assert_int_equal(rd(p, "cgroup.stat", "nr_dying_descendants"), 0);
	assert_int_equal(rd(p, "memory.swap.current", NULL),
			 rd(b, "memory.swap.current", NULL));
	memcg_put(b);
	assert_int_equal(memcg_rmdir(e, "P/B"), 0);
	memcg_put(p);
	memcg_engine_destroy(e);
}

static void test_zombie_after_swap_kernel(void **state)
{
	zombie_after_swap(MEMCG_POLICY_KERNEL);
}

static void test_zombie_after_swap_reparent(void **state)
{
	zombie_after_swap(MEMCG_POLICY_REPARENT);
}

/* Page cache left behind: reparented with the cgroup, charged to P. */
static void page_cache_left(enum memcg_policy policy)
{
	struct memcg_engine *e = engine(policy, 256UL << 20);
	struct mem_cgroup *p, *a;
	struct memcg_task *t;

	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &a), 0);
	assert_int_equal(memcg_task_create(e, "t1", a, &t), 0);
	assert_int_equal(memcg_task_read(t, "data", (size_t)MB(8)), 0);
	assert_int_equal(memcg_task_exit(t), 0);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "P/A"), 0);
	audit(e, p);
	assert_int_equal(rd(p, "cgroup.stat", "nr_dying_descendants"),
			 policy == MEMCG_POLICY_KERNEL ? 1 : 0);
	assert_int_equal(rd(p, "memory.stat", "file"), MB(8));
	/* a later reader in P finds the pages cached, charged to P */
	assert_int_equal(memcg_task_create(e, "t2", p, &t), 0);
	assert_int_equal(memcg_task_read(t, "data", (size_t)MB(8)), 0);
	assert_int_equal(rd(p, "memory.stat", "file"), MB(8));
	assert_int_equal(memcg_task_exit(t), 0);
	audit(e, p);
	memcg_put(p);
	memcg_engine_destroy(e);
}

static void test_page_cache_left_kernel(void **state)
{
	page_cache_left(MEMCG_POLICY_KERNEL);
}

static void test_page_cache_left_reparent(void **state)
{
	page_cache_left(MEMCG_POLICY_REPARENT);
}

/*
 * Create, use and remove 10,000 cgroups that each leave page cache and
 * swap behind. Reparent: no dying cgroup, flat memory use of the engine.
 */
static long churn(enum memcg_policy policy, int n, long *heap_growth)
{
	struct memcg_engine *e = engine(policy, 512UL << 20);
	struct mem_cgroup *p, *c;
	struct memcg_task *t;
	size_t heap_early = 0;
	char name[32], file[32];
	long dying;
	int i;

	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_write(p, "memory.max", "64M"), 0);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "P/c%d", i);
		snprintf(file, sizeof(file), "f%d", i % 64);
		assert_int_equal(memcg_mkdir(e, name, &c), 0);
		assert_int_equal(memcg_write(c, "memory.max", "64K"), 0);
		assert_int_equal(memcg_task_create(e, name, c, &t), 0);
		assert_int_equal(memcg_task_read(t, file, 16 << 10), 0);
		assert_int_equal(memcg_task_anon(t, 128 << 10), 0);	/* swaps */
		assert_int_equal(memcg_task_exit(t), 0);
		memcg_put(c);
		assert_int_equal(memcg_rmdir(e, name), 0);
		if (i == n / 10) {
			rcu_barrier();	/* removed cgroups are freed by RCU */
			heap_early = mallinfo2().uordblks;
		}
	}
	audit(e, p);
	dying = rd(p, "cgroup.stat", "nr_dying_descendants");
	/* on a busy machine, RCU can lag thousands of cgroups behind */
	rcu_barrier();
	*heap_growth = (long)mallinfo2().uordblks - (long)heap_early;
	memcg_put(p);
	memcg_engine_destroy(e);
	return dying;
}

static void test_churn_10000(void **state)
{
	long growth_reparent, growth_kernel, dying;

	dying = churn(MEMCG_POLICY_REPARENT, 10000, &growth_reparent);
	assert_int_equal(dying, 0);
	/*
	 * tasks stay as handles (a name and flags each), and in the index
	 * of names (src/sim/task.c: at most 4 slots of 12 bytes and 2
	 * pointers per name, when both tables just doubled): allow for those
	 */
	assert_true(growth_reparent < 9000 * (256 + 64));
	dying = churn(MEMCG_POLICY_KERNEL, 10000, &growth_kernel);
	print_message("10,000 cgroups: reparent 0 dying, heap %+ld KiB; "
		      "kernel %ld dying, heap %+ld KiB\n", growth_reparent / 1024,
		      dying, growth_kernel / 1024);
	assert_true(dying > 0);
}

/*
 * The 2014 thread's race: swap-in of a removed cgroup's records against
 * its removal. Each page must be charged to exactly one cgroup, and every
 * counter must add up afterwards.
 */
struct race {
	struct memcg_engine *e;
	struct mem_cgroup *fallback;
	memcg_swp_entry_t entries[512];
	struct folio *folios[512];
	int n;
};

static void *swapin_all(void *arg)
{
	struct race *r = arg;
	int i;

	memcg_set_cpu(1);
	for (i = 0; i < r->n; i++) {
		assert_int_equal(memcg_swapin(r->e, r->entries[i], r->fallback, 0,
					      &r->folios[i]), 0);
		assert_int_equal(memcg_swap_free(r->e, r->entries[i]), 0);
	}
	return NULL;
}

static void test_swapin_races_rmdir(void **state)
{
	struct race r = { .n = 512 };
	struct mem_cgroup *p, *c, *owner;
	pthread_t thread;
	int i, round, at_c, at_p, at_f;

	for (round = 0; round < 20; round++) {
		r.e = engine(MEMCG_POLICY_REPARENT, 64UL << 20);
		assert_int_equal(memcg_mkdir(r.e, "P", &p), 0);
		assert_int_equal(memcg_mkdir(r.e, "P/C", &c), 0);
		assert_int_equal(memcg_mkdir(r.e, "F", &r.fallback), 0);
		for (i = 0; i < r.n; i++) {
			struct folio *folio = memcg_folio_alloc(r.e, MEMCG_FOLIO_ANON, 0);

			assert_int_equal(memcg_charge(r.e, folio, c, 0), 0);
			assert_int_equal(memcg_swap_out(r.e, folio, &r.entries[i]), 0);
		}
		memcg_set_cpu(0);
		assert_int_equal(pthread_create(&thread, NULL, swapin_all, &r), 0);
		assert_int_equal(memcg_rmdir(r.e, "P/C"), 0);
		assert_int_equal(pthread_join(thread, NULL), 0);
		audit3(r.e, p, c, r.fallback);
		at_c = at_p = at_f = 0;
		for (i = 0; i < r.n; i++) {
			owner = memcg_folio_memcg(r.e, r.folios[i]);
			at_c += owner == c;
			at_p += owner == p;
			at_f += owner == r.fallback;
		}
		assert_int_equal(at_c + at_p + at_f, r.n);
		for (i = 0; i < r.n; i++) {
			assert_int_equal(memcg_folio_free_swap(r.e, r.folios[i],
							       r.entries[i]), 0);
			memcg_folio_put(r.e, r.folios[i]);
		}
		memcg_put(c);
		memcg_put(p);
		memcg_put(r.fallback);
		memcg_drain_all_stock(memcg_root(r.e));
		audit(r.e, NULL);
		assert_int_equal(atomic_load(&r.e->nr_memcgs), 3);	/* ., P, F */
		memcg_engine_destroy(r.e);
	}
}

/* v1 charge moving: a task's pages and swap follow it to its new cgroup. */
static void test_v1_move_charge_at_immigrate(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *a, *b;
	struct memcg_task *t;

	memcg_config_init(&cfg);
	cfg.mode = MEMCG_MODE_V1;
	cfg.memory_bytes = 256UL << 20;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 64UL << 20), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "B", &b), 0);
	assert_int_equal(memcg_write(b, "memory.move_charge_at_immigrate", "4"),
			 -EINVAL);
	assert_int_equal(memcg_write(b, "memory.move_charge_at_immigrate", "1"), 0);
	assert_int_equal(memcg_write(a, "memory.limit_in_bytes", "4M"), 0);
	assert_int_equal(memcg_task_create(e, "t", a, &t), 0);
	assert_int_equal(memcg_task_anon(t, (size_t)MB(8)), 0);
	assert_true(memcg_task_swap_pages(t) > 0);
	audit3(e, a, b, NULL);
	assert_int_equal(memcg_task_move(t, b), 0);
	memcg_drain_all_stock(memcg_root(e));
	audit3(e, a, b, NULL);
	/*
	 * Pages and swap move (mem_cgroup_move_charge()); kernel memory does
	 * not: A keeps the 4 page tables of the 8M area (2048 entries).
	 */
	assert_int_equal(rd(a, "memory.usage_in_bytes", NULL), 4 * 4096);
	assert_int_equal(rd(a, "memory.memsw.usage_in_bytes", NULL), 4 * 4096);
	assert_int_equal(rd(b, "memory.memsw.usage_in_bytes", NULL), MB(8));
	/* its resident pages, and those still in the swap cache */
	assert_true(rd(b, "memory.usage_in_bytes", NULL) >=
		    memcg_task_rss_pages(t) * 4096);
	memcg_task_exit(t);
	audit3(e, a, b, NULL);
	memcg_put(a);
	memcg_put(b);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zombie_after_swap_kernel),
		cmocka_unit_test(test_zombie_after_swap_reparent),
		cmocka_unit_test(test_page_cache_left_kernel),
		cmocka_unit_test(test_page_cache_left_reparent),
		cmocka_unit_test(test_churn_10000),
		cmocka_unit_test(test_swapin_races_rmdir),
		cmocka_unit_test(test_v1_move_charge_at_immigrate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
