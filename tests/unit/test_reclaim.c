// SPDX-License-Identifier: MIT
/*
 * Reclaim and throttling details: the memory.high penalty table, anon vs
 * file by swappiness and swap.max, unevictable pages, LRU aging, and the
 * auditor (LRU lists included) after each step.
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
#include "memcg/sim.h"

#define MB(x) ((long)(x) << 20)
#define PAGES(x) (MB(x) / 4096)

static struct memcg_engine *engine_kernel(enum memcg_kernel kernel)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.kernel = kernel;
	cfg.reclaim = MEMCG_RECLAIM_CLASSIC;
	cfg.memory_bytes = 512UL << 20;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 256UL << 20), 0);
	return e;
}

static struct memcg_engine *engine(void)
{
	return engine_kernel(MEMCG_KERNEL_6_1);
}

static void audit(struct memcg_engine *e, struct mem_cgroup *held)
{
	struct audit_hold h = { held, 1 };

	assert_int_equal(memcg_audit(e, &h, 1), 0);
}

static long key(struct mem_cgroup *m, const char *file, const char *k)
{
	char buf[8192], *p = buf;
	size_t len = strlen(k);

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, k, len) && p[len] == ' ')
			return atol(p + len + 1);
	fail_msg("no %s", k);
	return -1;
}

/* The penalty table in the kernel's comment: high=100M, 64 pages. */
static void test_high_delay_table(void **state)
{
	static const struct { long usage_mb; uint64_t ms; } table[] = {
		{ 100, 0 }, { 101, 6 }, { 105, 159 }, { 110, 639 },
		{ 118, 2000 }, { 200, 2000 },
	};
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	size_t i;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.high", "100M"), 0);
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		page_counter_charge(&m->memory, PAGES(table[i].usage_mb));
		assert_int_equal(calculate_high_delay_ms(m, 64), table[i].ms);
		page_counter_uncharge(&m->memory, PAGES(table[i].usage_mb));
	}
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* Without swap room (swap.max 0), only file pages are reclaimed. */
static void test_swap_max_zero_scans_file_only(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.swap.max", "0"), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(20)), 0);
	assert_int_equal(memcg_task_read(t, "f", MB(20)), 0);
	audit(e, m);
	assert_int_equal(memcg_write(m, "memory.reclaim", "30M"), -EAGAIN);
	audit(e, m);
	assert_int_equal(memcg_task_swap_pages(t), 0);
	assert_int_equal(key(m, "memory.stat", "file"), 0);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(20));
	memcg_task_exit(t);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/*
 * memory.reclaim's swappiness= argument: 6.12's (6.1 takes the size alone,
 * and neither takes "max"). swappiness=0 reclaims file pages only;
 * swappiness=200 weighs anon pages only, once the inactive cache is
 * trimmed.
 */
static void test_reclaim_swappiness(void **state)
{
	struct memcg_engine *e = engine_kernel(MEMCG_KERNEL_6_12);
	struct mem_cgroup *m;
	struct memcg_task *t;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(20)), 0);
	assert_int_equal(memcg_task_read(t, "f", MB(20)), 0);
	assert_int_equal(memcg_write(m, "memory.reclaim", "10M swappiness=max"),
			 -EINVAL);
	assert_int_equal(memcg_write(m, "memory.reclaim", "10M swappiness=0"), 0);
	audit(e, m);
	assert_true(key(m, "memory.stat", "file") <= MB(10));
	assert_int_equal(memcg_task_swap_pages(t), 0);
	assert_true(key(m, "memory.stat", "pgsteal") >= PAGES(10));
	assert_int_equal(memcg_write(m, "memory.reclaim", "20M swappiness=200"),
			 0);
	audit(e, m);
	assert_true(memcg_task_swap_pages(t) > 0);
	/* touching swapped memory brings it back, charged to A */
	assert_int_equal(memcg_task_touch(t, MB(20)), 0);
	assert_int_equal(memcg_task_swap_pages(t), 0);
	assert_true(key(m, "memory.stat", "pswpin") > 0);
	audit(e, m);
	memcg_task_exit(t);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* 6.1's memory.reclaim takes no argument. */
static void test_reclaim_no_args_6_1(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.reclaim", "1M swappiness=0"),
			 -EINVAL);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* mlocked pages sit on the unevictable list and are never reclaimed. */
static void test_mlock_unevictable(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_mlock(t, MB(10)), 0);
	assert_int_equal(key(m, "memory.stat", "unevictable"), MB(10));
	assert_int_equal(memcg_write(m, "memory.reclaim", "5M"), -EAGAIN);
	assert_int_equal(memcg_task_swap_pages(t), 0);
	/* and a limit below them kills rather than swaps */
	assert_int_equal(memcg_write(m, "memory.max", "5M"), 0);
	assert_true(memcg_task_killed(t));
	assert_int_equal(key(m, "memory.events", "oom_kill"), 1);
	audit(e, m);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* New pages start inactive and referenced; a second read activates. */
static void test_lru_aging(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_read(t, "f", MB(4)), 0);
	assert_int_equal(key(m, "memory.stat", "inactive_file"), MB(4));
	assert_int_equal(memcg_task_read(t, "f", MB(2)), 0);	/* activated */
	assert_int_equal(key(m, "memory.stat", "active_file"), MB(2));
	assert_int_equal(key(m, "memory.stat", "inactive_file"), MB(2));
	audit(e, m);
	/* reclaim takes cold inactive pages first; aging then deactivates
	 * some active ones as the inactive list runs low */
	assert_int_equal(memcg_write(m, "memory.reclaim", "1M"), 0);
	assert_true(key(m, "memory.stat", "file") <= MB(3));
	assert_true(key(m, "memory.stat", "active_file") > MB(1));
	audit(e, m);
	memcg_task_exit(t);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* The machine itself full: global reclaim, then the global OOM killer. */
static void test_global_oom(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct memcg_task *big, *small;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 16UL << 20;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	cfg.dataless = true;
	cfg.huge_order = 4;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_task_create(e, "small", memcg_root(e), &small), 0);
	assert_int_equal(memcg_task_anon(small, MB(2)), 0);
	assert_int_equal(memcg_task_create(e, "big", memcg_root(e), &big), 0);
	assert_int_not_equal(memcg_task_anon(big, MB(32)), 0);
	assert_true(memcg_task_killed(big));
	assert_true(memcg_task_alive(small));
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_task_exit(small);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_high_delay_table),
		cmocka_unit_test(test_swap_max_zero_scans_file_only),
		cmocka_unit_test(test_reclaim_swappiness),
		cmocka_unit_test(test_reclaim_no_args_6_1),
		cmocka_unit_test(test_mlock_unevictable),
		cmocka_unit_test(test_lru_aging),
		cmocka_unit_test(test_global_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
