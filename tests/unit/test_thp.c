// SPDX-License-Identifier: MIT
/*
 * Transparent huge pages for the simulator's anonymous faults: which
 * faults map a huge folio, the charge that may not block and its 4K
 * fallback, memory.high paid on the way back, reclaim swapping a huge
 * folio out whole or splitting it, partial unmaps, and the auditor after
 * each step. Every expectation is worked out in its comment.
 *
 * Page counts: a huge folio is 512 pages; a page table, charged as kernel
 * memory, takes a 64-page batch from the counter the first time (63 go to
 * the per-CPU stock), then comes from the stock. Freed swap slots wait in
 * the CPU's return cache, still charged, until 64 are there
 * (free_swap_slot()): swap.current keeps up to 256K of them.
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
#include "seed.h"

#define KB(x) ((long)(x) << 10)
#define MB(x) ((long)(x) << 20)
#define PAGE 4096L

static struct memcg_engine *engine_mode(enum memcg_kernel kernel,
					enum memcg_reclaim reclaim,
					enum memcg_mode mode)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 512UL << 20;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	cfg.dataless = true;
	cfg.kernel = kernel;
	cfg.reclaim = reclaim;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 256UL << 20), 0);
	assert_int_equal(memcg_sim_set_thp(e, MEMCG_THP_ALWAYS), 0);
	return e;
}

static struct memcg_engine *engine_of(enum memcg_kernel kernel,
				      enum memcg_reclaim reclaim)
{
	return engine_mode(kernel, reclaim, MEMCG_MODE_V2);
}

/* 6.1, classic reclaim (memory.stat without the thp_swpout keys). */
static struct memcg_engine *engine(void)
{
	return engine_of(MEMCG_KERNEL_6_1, MEMCG_RECLAIM_DEFAULT);
}

/* 6.12 with classic reclaim: memory.stat has thp_swpout(_fallback). */
static struct memcg_engine *engine_612(void)
{
	return engine_of(MEMCG_KERNEL_6_12, MEMCG_RECLAIM_CLASSIC);
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
	fail_msg("no %s in %s", k, file);
	return -1;
}

static long value(struct mem_cgroup *m, const char *file)
{
	char buf[64];

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	return atol(buf);
}

static void done(struct memcg_engine *e, struct mem_cgroup *m,
		 struct memcg_task *t)
{
	if (memcg_task_alive(t))
		assert_int_equal(memcg_task_exit(t), 0);
	audit(e, m);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* The setting: two values, and only with 2 MiB huge folios. */
static void test_setting(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct memcg_task *t;

	(void)state;
	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.dataless = true;
	cfg.nr_cpus = 1;
	cfg.huge_order = 4;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_sim_set_thp(e, MEMCG_THP_ALWAYS), -EOPNOTSUPP);
	assert_int_equal(memcg_sim_set_thp(e, (enum memcg_thp)7), -EINVAL);
	assert_int_equal(memcg_sim_set_thp(e, MEMCG_THP_NEVER), 0);
	assert_int_equal(memcg_sim_set_thp(NULL, MEMCG_THP_NEVER), -EINVAL);
	/* never: 4M of faults, 1024 of them, no huge folio */
	assert_int_equal(memcg_task_create(e, "t", memcg_root(e), &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(4)), 0);
	assert_int_equal(key(memcg_root(e), "memory.stat", "anon_thp"), 0);
	assert_int_equal(key(memcg_root(e), "memory.stat", "thp_fault_alloc"), 0);
	assert_int_equal(key(memcg_root(e), "memory.stat", "pgfault"), 1024);
	assert_int_equal(memcg_task_exit(t), 0);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

/*
 * 4M in a 64M cgroup: two aligned 2M ranges, two huge folios, one fault
 * each. Counter: 512 + 64 (the first page table's batch) + 512, the
 * second page table from the stock: 1088 pages.
 */
static void test_fault_4m(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.max", "64M"), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(4)), 0);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(4));
	assert_int_equal(key(m, "memory.stat", "anon_thp"), MB(4));
	assert_int_equal(key(m, "memory.stat", "thp_fault_alloc"), 2);
	assert_int_equal(key(m, "memory.stat", "pgfault"), 2);
	assert_int_equal(key(m, "memory.stat", "pagetables"), 2 * PAGE);
	assert_int_equal(key(m, "memory.stat", "inactive_anon"), MB(4));
	assert_int_equal(value(m, "memory.current"), 1088 * PAGE);
	assert_int_equal(key(m, "memory.events", "max"), 0);
	assert_int_equal(memcg_task_rss_pages(t), 1024);
	audit(e, m);
	/* unmapped whole: one reference each, both freed, tables too */
	assert_int_equal(memcg_task_unmap(t, MB(4)), 0);
	assert_int_equal(key(m, "memory.stat", "anon"), 0);
	assert_int_equal(key(m, "memory.stat", "anon_thp"), 0);
	assert_int_equal(key(m, "memory.stat", "pagetables"), 0);
	assert_int_equal(memcg_task_rss_pages(t), 0);
	audit(e, m);
	done(e, m, t);
}

/*
 * Only a fault that starts an aligned 2M range lying wholly inside what
 * the area will be: 1M alone gets none; 3M more (the area ends at 4M)
 * gets 4K pages up to 2M, then one huge folio; 1M more, none.
 */
static void test_fault_alignment(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(1)), 0);
	assert_int_equal(key(m, "memory.stat", "thp_fault_alloc"), 0);
	assert_int_equal(memcg_task_anon(t, MB(3)), 0);
	assert_int_equal(key(m, "memory.stat", "thp_fault_alloc"), 1);
	assert_int_equal(key(m, "memory.stat", "anon_thp"), MB(2));
	/* 256 + 256 4K faults, one huge */
	assert_int_equal(key(m, "memory.stat", "pgfault"), 513);
	assert_int_equal(memcg_task_anon(t, MB(1)), 0);
	assert_int_equal(key(m, "memory.stat", "thp_fault_alloc"), 1);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(5));
	assert_int_equal(key(m, "memory.stat", "pagetables"), 3 * PAGE);
	audit(e, m);
	done(e, m, t);
}

/*
 * A huge charge that does not fit below memory.max fails at once: no
 * reclaim, no max event; the range faults 4K pages, which do fit.
 * memory.max 4160K = 1040 pages. The first 2M: 512 + 64 = 576 (63 in
 * the stock). The second: 576 + 512 > 1040, so 4K: the page table and
 * 62 pages from the stock, seven batches (448 pages, 1024 charged), then
 * the last two pages charged one by one (a batch would pass max): 1026.
 */
static void test_fault_fallback(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.max", "4160K"), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(2)), 0);
	assert_int_equal(value(m, "memory.current"), 576 * PAGE);
	assert_int_equal(memcg_task_anon(t, MB(2)), 0);
	assert_int_equal(key(m, "memory.stat", "thp_fault_alloc"), 1);
	assert_int_equal(key(m, "memory.stat", "anon_thp"), MB(2));
	assert_int_equal(key(m, "memory.stat", "anon"), MB(4));
	assert_int_equal(key(m, "memory.stat", "pgfault"), 513);
	assert_int_equal(value(m, "memory.current"), 1026 * PAGE);
	assert_int_equal(key(m, "memory.events", "max"), 0);
	assert_int_equal(key(m, "memory.stat", "pgscan"), 0);
	assert_int_equal(value(m, "memory.swap.current"), 0);
	audit(e, m);
	done(e, m, t);
}

/*
 * memory.high 3M (768 pages): the first huge folio and its page table
 * (576) stay under it; the second takes the cgroup to 1088, paid on the
 * way back to the task: one high event, reclaim of 512 pages, which
 * swaps the older huge folio out whole (young at its first scan, old at
 * its second). Then 576 < 768: no penalty, no second round.
 */
static void test_high(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.high", "3M"), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(4)), 0);
	assert_int_equal(key(m, "memory.events", "high"), 1);
	assert_int_equal(key(m, "memory.events", "max"), 0);
	assert_int_equal(key(m, "memory.stat", "thp_fault_alloc"), 2);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(2));
	assert_int_equal(key(m, "memory.stat", "anon_thp"), MB(2));
	assert_int_equal(key(m, "memory.stat", "pgsteal"), 512);
	assert_int_equal(value(m, "memory.swap.current"), MB(2));
	assert_int_equal(value(m, "memory.current"), 576 * PAGE);
	assert_int_equal(memcg_task_rss_pages(t), 512);
	assert_int_equal(memcg_task_swap_pages(t), 512);
	audit(e, m);
	done(e, m, t);
}

/*
 * Reclaim of everything: each huge folio is scanned twice (young from
 * its fault, then old), 2048 pages, and swapped out whole: two runs of
 * 512 slots. The faults that bring it back map 4K pages.
 */
static void test_swapout_whole(void **state)
{
	struct memcg_engine *e = engine_612();
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(4)), 0);
	assert_int_equal(memcg_write(m, "memory.reclaim", "4M swappiness=200"), 0);
	assert_int_equal(key(m, "memory.stat", "thp_swpout"), 2);
	assert_int_equal(key(m, "memory.stat", "thp_swpout_fallback"), 0);
	assert_int_equal(key(m, "memory.stat", "anon"), 0);
	assert_int_equal(key(m, "memory.stat", "anon_thp"), 0);
	assert_int_equal(key(m, "memory.stat", "pgsteal"), 1024);
	assert_int_equal(key(m, "memory.stat", "pgscan"), 2048);
	assert_int_equal(value(m, "memory.swap.current"), MB(4));
	assert_int_equal(key(m, "memory.swap.events", "fail"), 0);
	assert_int_equal(key(m, "memory.stat", "pagetables"), 2 * PAGE);
	assert_int_equal(memcg_task_rss_pages(t), 0);
	assert_int_equal(memcg_task_swap_pages(t), 1024);
	audit(e, m);
	assert_int_equal(memcg_task_touch(t, MB(4)), 0);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(4));
	assert_int_equal(key(m, "memory.stat", "anon_thp"), 0);
	assert_int_equal(key(m, "memory.stat", "pgmajfault"), 1024);
	assert_int_equal(key(m, "memory.stat", "thp_fault_alloc"), 2);
	/* 1024 slots freed: the last 64 still in the return cache */
	assert_int_equal(value(m, "memory.swap.current"), KB(256));
	assert_int_equal(memcg_task_rss_pages(t), 1024);
	audit(e, m);
	done(e, m, t);
}

/*
 * swap.max 1M (256 pages) refuses the whole folio's 512: one swap max
 * (and fail) event, then the folio is split (thp_swpout_fallback) and
 * its pages try one by one in the same pass: 256 go to swap, the other
 * 256 hit swap.max (256 more events each) and are activated. 256 pages
 * reclaimed meet memory.reclaim's 1M; the younger folio stays whole.
 */
static void test_swapout_split(void **state)
{
	struct memcg_engine *e = engine_612();
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.swap.max", "1M"), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(4)), 0);
	assert_int_equal(memcg_write(m, "memory.reclaim", "1M swappiness=200"), 0);
	assert_int_equal(key(m, "memory.stat", "thp_swpout"), 0);
	assert_int_equal(key(m, "memory.stat", "thp_swpout_fallback"), 1);
	assert_int_equal(key(m, "memory.swap.events", "max"), 257);
	assert_int_equal(key(m, "memory.swap.events", "fail"), 257);
	assert_int_equal(value(m, "memory.swap.current"), MB(1));
	assert_int_equal(key(m, "memory.stat", "anon"), MB(3));
	assert_int_equal(key(m, "memory.stat", "anon_thp"), MB(2));
	assert_int_equal(key(m, "memory.stat", "pgsteal"), 256);
	assert_int_equal(key(m, "memory.stat", "pgactivate"), 256);
	assert_int_equal(key(m, "memory.stat", "active_anon"), MB(1));
	assert_int_equal(memcg_task_rss_pages(t), 768);
	assert_int_equal(memcg_task_swap_pages(t), 256);
	audit(e, m);
	/* the split pages come back as they went: one by one */
	assert_int_equal(memcg_task_touch(t, MB(2)), 0);
	assert_int_equal(value(m, "memory.swap.current"), KB(256));
	assert_int_equal(memcg_task_rss_pages(t), 1024);
	audit(e, m);
	done(e, m, t);
}

/*
 * Half a huge mapping unmapped: the PMD is split, the folio stays whole
 * and charged (the kernel's deferred split), its 256 mapped pages each
 * hold a reference. Reclaim splits it before anything else (it is not
 * mapped whole): the mapped half goes to swap, the other half is written
 * and freed with it (its slots free at once: 64 wait in the return
 * cache). The counter drops by the whole 2M.
 */
static void test_unmap_half(void **state)
{
	struct memcg_engine *e = engine_612();
	struct mem_cgroup *m;
	struct memcg_task *t;
	long current;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(2)), 0);
	current = value(m, "memory.current");
	assert_int_equal(memcg_task_unmap(t, MB(1)), 0);
	assert_int_equal(value(m, "memory.current"), current);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(2));
	assert_int_equal(key(m, "memory.stat", "pagetables"), PAGE);
	assert_int_equal(memcg_task_rss_pages(t), 256);
	audit(e, m);
	assert_int_equal(memcg_write(m, "memory.reclaim", "2M swappiness=200"), 0);
	assert_int_equal(value(m, "memory.current"), current - MB(2));
	assert_int_equal(key(m, "memory.stat", "anon"), 0);
	assert_int_equal(key(m, "memory.stat", "anon_thp"), 0);
	assert_int_equal(key(m, "memory.stat", "pgsteal"), 512);
	assert_int_equal(key(m, "memory.stat", "thp_swpout"), 0);
	assert_int_equal(key(m, "memory.stat", "thp_swpout_fallback"), 0);
	assert_int_equal(value(m, "memory.swap.current"), MB(1) + KB(256));
	assert_int_equal(memcg_task_rss_pages(t), 0);
	assert_int_equal(memcg_task_swap_pages(t), 256);
	audit(e, m);
	/* the rest of the area: its swap entries go too */
	assert_int_equal(memcg_task_unmap(t, MB(1)), 0);
	assert_int_equal(value(m, "memory.swap.current"), KB(256));
	assert_int_equal(memcg_task_swap_pages(t), 0);
	assert_int_equal(key(m, "memory.stat", "pagetables"), 0);
	audit(e, m);
	done(e, m, t);
}

/* Unmapped in two steps: the split PMD's references all go. */
static void test_unmap_in_parts(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(4)), 0);
	assert_int_equal(memcg_task_unmap(t, KB(12)), 0);
	assert_int_equal(memcg_task_rss_pages(t), 1021);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(4));
	audit(e, m);
	/* the second folio's 509 pages and 3 of the first: split too */
	assert_int_equal(memcg_task_unmap(t, MB(2)), 0);
	assert_int_equal(memcg_task_rss_pages(t), 509);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(2));
	audit(e, m);
	/* again, over the mapped pages: the area grows 4K by 4K there */
	assert_int_equal(memcg_task_anon(t, KB(12)), 0);
	assert_int_equal(key(m, "memory.stat", "thp_fault_alloc"), 2);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(2) + KB(12));
	assert_int_equal(memcg_task_unmap(t, MB(2)), 0);
	assert_int_equal(key(m, "memory.stat", "anon"), 0);
	assert_int_equal(key(m, "memory.stat", "pagetables"), 0);
	audit(e, m);
	done(e, m, t);
}

/* mlock: huge folios too, unevictable; reclaim finds nothing. */
static void test_mlock(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_mlock(t, MB(4)), 0);
	assert_int_equal(key(m, "memory.stat", "unevictable"), MB(4));
	assert_int_equal(key(m, "memory.stat", "anon_thp"), MB(4));
	assert_int_equal(memcg_write(m, "memory.reclaim", "1M"), -EAGAIN);
	assert_int_equal(value(m, "memory.swap.current"), 0);
	audit(e, m);
	done(e, m, t);
}

/*
 * Under MGLRU: aging's page-table walk sees a huge mapping's accessed
 * bit; everything reclaimed goes out whole, and comes back 4K.
 */
static void test_mglru(void **state)
{
	struct memcg_engine *e = engine_of(MEMCG_KERNEL_6_12,
					   MEMCG_RECLAIM_MGLRU);
	struct mem_cgroup *m;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(4)), 0);
	assert_int_equal(key(m, "memory.stat", "anon_thp"), MB(4));
	audit(e, m);
	assert_int_equal(memcg_write(m, "memory.reclaim", "4M"), 0);
	assert_int_equal(key(m, "memory.stat", "thp_swpout"), 2);
	assert_int_equal(key(m, "memory.stat", "anon"), 0);
	assert_int_equal(key(m, "memory.stat", "pgsteal"), 1024);
	assert_int_equal(value(m, "memory.swap.current"), MB(4));
	audit(e, m);
	assert_int_equal(memcg_task_touch(t, MB(4)), 0);
	assert_int_equal(key(m, "memory.stat", "anon"), MB(4));
	assert_int_equal(key(m, "memory.stat", "anon_thp"), 0);
	audit(e, m);
	done(e, m, t);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * Random faults, unmaps, touches, reclaim and limits on three tasks in
 * two cgroups, with THP on: whole and split huge mappings, partial
 * unmaps, swap-outs whole and split, swap-ins of their pages; the auditor
 * after every step. No expectation but the invariants.
 */
static void random_ops(enum memcg_kernel kernel, enum memcg_reclaim reclaim,
		       enum memcg_mode mode, uint64_t fallback_seed)
{
	struct memcg_engine *e = engine_mode(kernel, reclaim, mode);
	bool v1 = mode == MEMCG_MODE_V1;
	uint64_t x = test_seed(__func__, fallback_seed);
	struct mem_cgroup *m[2];
	struct memcg_task *t[3];
	char buf[64];
	int i, step;

	assert_int_equal(memcg_mkdir(e, "A", &m[0]), 0);
	assert_int_equal(memcg_mkdir(e, "B", &m[1]), 0);
	for (i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "t%d", i);
		assert_int_equal(memcg_task_create(e, buf, m[i % 2], &t[i]), 0);
	}
	for (step = 0; step < 1000; step++) {
		int k = (int)(xorshift(&x) % 3);
		struct memcg_task *task = t[k];
		struct mem_cgroup *cg = m[xorshift(&x) % 2];
		long pages = (long)(xorshift(&x) % 1600) + 1;
		long mapped = memcg_task_rss_pages(task) +
			      memcg_task_swap_pages(task);

		switch (xorshift(&x) % 8) {
		case 0:
		case 1:
		case 2:
			memcg_task_anon(task, (size_t)pages * PAGE);
			break;
		case 3:
			if (mapped)
				memcg_task_unmap(task, (size_t)(pages % mapped +
								1) * PAGE);
			break;
		case 4:
			if (mapped)
				memcg_task_touch(task, (size_t)(pages % mapped +
								1) * PAGE);
			break;
		case 5:
			snprintf(buf, sizeof(buf), "%ldK", pages * 4);
			if (!v1)
				memcg_write(cg, "memory.reclaim", buf);
			break;
		case 6:
			snprintf(buf, sizeof(buf), "%ldK", 4096 + pages * 8);
			if (v1) {	/* memsw first: it may not go below memory */
				memcg_write(cg, "memory.memsw.limit_in_bytes",
					    "max");
				memcg_write(cg, "memory.limit_in_bytes", buf);
				snprintf(buf, sizeof(buf), "%ldK",
					 4096 + pages * 12);
				memcg_write(cg, "memory.memsw.limit_in_bytes",
					    buf);
				break;
			}
			assert_int_equal(memcg_write(cg, "memory.max", buf), 0);
			snprintf(buf, sizeof(buf), "%ldK", pages * 4);
			assert_int_equal(memcg_write(cg, "memory.swap.max", buf),
					 0);
			break;
		default:
			if (!memcg_task_alive(task)) {
				snprintf(buf, sizeof(buf), "t%d", k);
				assert_int_equal(memcg_task_create(e, buf,
						 m[k % 2], &t[k]), 0);
			} else if (xorshift(&x) % 4 == 0) {
				memcg_task_exit(task);
			}
			break;
		}
		{
			struct audit_hold h[2] = { { m[0], 1 }, { m[1], 1 } };

			assert_int_equal(memcg_audit(e, h, 2), 0);
		}
	}
	if (getenv("THP_RANDOM_STATS") && !v1)
		for (i = 0; i < 2; i++)
			fprintf(stderr, "%s: thp_fault_alloc %ld pgsteal %ld "
				"swap max %ld\n", i ? "B" : "A",
				key(m[i], "memory.stat", "thp_fault_alloc"),
				key(m[i], "memory.stat", "pgsteal"),
				key(m[i], "memory.swap.events", "max"));
	if (getenv("THP_RANDOM_STATS") && kernel == MEMCG_KERNEL_6_12)
		for (i = 0; i < 2; i++)
			fprintf(stderr, "%s: thp_swpout %ld fallback %ld\n",
				i ? "B" : "A",
				key(m[i], "memory.stat", "thp_swpout"),
				key(m[i], "memory.stat", "thp_swpout_fallback"));
	for (i = 0; i < 3; i++)
		if (memcg_task_alive(t[i]))
			memcg_task_exit(t[i]);
	memcg_put(m[0]);
	memcg_put(m[1]);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

static void test_random_classic(void **state)
{
	(void)state;
	random_ops(MEMCG_KERNEL_6_1, MEMCG_RECLAIM_DEFAULT, MEMCG_MODE_V2,
		   0x7a11);
}

static void test_random_mglru(void **state)
{
	(void)state;
	random_ops(MEMCG_KERNEL_6_12, MEMCG_RECLAIM_MGLRU, MEMCG_MODE_V2,
		   0x5eed);
}

/* v1: memsw counts swap with memory; a huge folio's swap-out moves 512 */
static void test_random_v1(void **state)
{
	(void)state;
	random_ops(MEMCG_KERNEL_6_1, MEMCG_RECLAIM_DEFAULT, MEMCG_MODE_V1,
		   0x0e1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setting),
		cmocka_unit_test(test_fault_4m),
		cmocka_unit_test(test_fault_alignment),
		cmocka_unit_test(test_fault_fallback),
		cmocka_unit_test(test_high),
		cmocka_unit_test(test_swapout_whole),
		cmocka_unit_test(test_swapout_split),
		cmocka_unit_test(test_unmap_half),
		cmocka_unit_test(test_unmap_in_parts),
		cmocka_unit_test(test_mlock),
		cmocka_unit_test(test_mglru),
		cmocka_unit_test(test_random_classic),
		cmocka_unit_test(test_random_mglru),
		cmocka_unit_test(test_random_v1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
