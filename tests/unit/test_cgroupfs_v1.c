// SPDX-License-Identifier: MIT
/*
 * The v1 control files whose values come from charges: limits against the
 * usage, memory.failcnt, memory.max_usage_in_bytes, memory.stat and
 * memory.swappiness. The table of inputs is test_cgroupfs.c's.
 *
 * Kernel references (behaviour only, no code taken): mm/memcontrol-v1.c
 * (mem_cgroup_legacy_files[], memsw_files[], mem_cgroup_resize_max(),
 * memcg1_stat_format()).
 */
#include "cgroupfs_test.h"

/*
 * v1: a limit below the usage is refused with -EBUSY once the stocks are
 * drained (mem_cgroup_resize_max(); the kernel would reclaim first, which
 * the engine does not do yet); the ordering check comes before it.
 */
static void test_v1_limit_busy(void **state)
{
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct folio *v[4];
	int i;

	for (i = 0; i < 4; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.usage_in_bytes"), 64 * PG);
	assert_int_equal(rd_num(a, "memory.memsw.usage_in_bytes"), 64 * PG);

	/* below the stocked usage but above the real one: drained, set */
	assert_int_equal(memcg_write(a, "memory.limit_in_bytes", "32K"), 0);
	assert_string_equal(rd(a, "memory.limit_in_bytes"), "32768\n");
	assert_int_equal(rd_num(a, "memory.usage_in_bytes"), 4 * PG);

	assert_int_equal(memcg_write(a, "memory.limit_in_bytes", "8K"), -EBUSY);
	assert_string_equal(rd(a, "memory.limit_in_bytes"), "32768\n");
	/* memsw below memory: -EINVAL, even though it is also below usage */
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "8K"),
			 -EINVAL);
	/* equal to the usage is fine */
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "32K"),
			 0);
	assert_int_equal(memcg_write(a, "memory.limit_in_bytes", "16K"), 0);
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "12K"),
			 -EINVAL);
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "16K"),
			 0);
	assert_string_equal(rd(a, "memory.memsw.limit_in_bytes"), "16384\n");

	put_all(e, v, 4);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* v1 failcnt: every failed counter charge counts; any write resets it */
static void test_v1_failcnt(void **state)
{
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct folio *v[4];
	unsigned long long n;
	int i;

	wr(a, "memory.limit_in_bytes", "16K");		/* 4 pages */
	/*
	 * Each charge first tries a 64-page batch, which fails (one failcnt),
	 * then succeeds with its own page, as in the kernel.
	 */
	for (i = 0; i < 4; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.failcnt"), 4);
	assert_int_equal(rd_num(a, "memory.memsw.failcnt"), 0);

	charge_fails(e, a, MEMCG_GFP_KERNEL);
	n = rd_num(a, "memory.failcnt");
	assert_true(n > 4);
	assert_int_equal(rd_num(a, "memory.memsw.failcnt"), 0);
	assert_int_equal(memcg_write(a, "memory.failcnt", "0"), 0);
	assert_string_equal(rd(a, "memory.failcnt"), "0\n");
	charge_fails(e, a, MEMCG_GFP_KERNEL);
	assert_true(rd_num(a, "memory.failcnt") > 0);
	assert_int_equal(memcg_write(a, "memory.failcnt", "anything"), 0);
	assert_string_equal(rd(a, "memory.failcnt"), "0\n");
	/* a zero-byte write is no write */
	charge_fails(e, a, MEMCG_GFP_KERNEL);
	n = rd_num(a, "memory.failcnt");
	assert_true(n > 0);
	assert_int_equal(memcg_write(a, "memory.failcnt", ""), 0);
	assert_int_equal(rd_num(a, "memory.failcnt"), n);
	wr(a, "memory.failcnt", "\n");

	/* memsw at the same limit fails first: its own failcnt */
	wr(a, "memory.memsw.limit_in_bytes", "16K");
	charge_fails(e, a, MEMCG_GFP_KERNEL);
	assert_true(rd_num(a, "memory.memsw.failcnt") > 0);
	assert_int_equal(rd_num(a, "memory.failcnt"), 0);
	wr(a, "memory.memsw.failcnt", "0");
	assert_string_equal(rd(a, "memory.memsw.failcnt"), "0\n");

	put_all(e, v, 4);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* v1 max_usage_in_bytes: the watermark; a write resets it to the usage */
static void test_v1_max_usage(void **state)
{
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct folio *v[4];
	int i;

	for (i = 0; i < 3; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 64 * PG);
	assert_int_equal(rd_num(a, "memory.memsw.max_usage_in_bytes"),
			 64 * PG);
	memcg_drain_all_stock(a);
	assert_int_equal(rd_num(a, "memory.usage_in_bytes"), 3 * PG);
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 64 * PG);

	wr(a, "memory.max_usage_in_bytes", "0");
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 3 * PG);
	assert_int_equal(rd_num(a, "memory.memsw.max_usage_in_bytes"),
			 64 * PG);
	wr(a, "memory.memsw.max_usage_in_bytes", "reset");
	assert_int_equal(rd_num(a, "memory.memsw.max_usage_in_bytes"), 3 * PG);

	v[3] = charge(e, a, MEMCG_FOLIO_FILE, 0);	/* 3 + 64 pages */
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 67 * PG);
	assert_int_equal(rd_num(a, "memory.memsw.max_usage_in_bytes"),
			 67 * PG);

	put_all(e, v, 4);
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 67 * PG);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static const char *const v1_stat_keys[] = {
	"cache", "rss", "rss_huge", "shmem", "swap", "swapcached", "pgpgin",
	"pgpgout", "hierarchical_memory_limit", "hierarchical_memsw_limit",
	"total_cache", "total_rss", "total_rss_huge", "total_shmem",
	"total_swap", "total_swapcached", "total_pgpgin", "total_pgpgout",
};

struct v1_stat {
	unsigned long long cache, rss, rss_huge, shmem, swap;	/* pages */
	unsigned long long pgpgin, pgpgout;			/* folios */
};

static void assert_v1_stat(struct mem_cgroup *m, struct v1_stat local,
			   struct v1_stat total, unsigned long long mem_limit,
			   unsigned long long memsw_limit)
{
	const char *s = rd(m, "memory.stat");

	assert_keys(s, v1_stat_keys, sizeof(v1_stat_keys) / sizeof(v1_stat_keys[0]));
	assert_int_equal(key_value(s, "cache"), local.cache * PG);
	assert_int_equal(key_value(s, "rss"), local.rss * PG);
	assert_int_equal(key_value(s, "rss_huge"), local.rss_huge * PG);
	assert_int_equal(key_value(s, "shmem"), local.shmem * PG);
	assert_int_equal(key_value(s, "swap"), local.swap * PG);
	assert_int_equal(key_value(s, "pgpgin"), local.pgpgin);
	assert_int_equal(key_value(s, "pgpgout"), local.pgpgout);
	assert_int_equal((unsigned long long)key_value(s,
			 "hierarchical_memory_limit"), mem_limit);
	assert_int_equal((unsigned long long)key_value(s,
			 "hierarchical_memsw_limit"), memsw_limit);
	assert_int_equal(key_value(s, "total_cache"), total.cache * PG);
	assert_int_equal(key_value(s, "total_rss"), total.rss * PG);
	assert_int_equal(key_value(s, "total_rss_huge"), total.rss_huge * PG);
	assert_int_equal(key_value(s, "total_shmem"), total.shmem * PG);
	assert_int_equal(key_value(s, "total_swap"), total.swap * PG);
	assert_int_equal(key_value(s, "total_pgpgin"), total.pgpgin);
	assert_int_equal(key_value(s, "total_pgpgout"), total.pgpgout);
}

/* memcg1_stat_format(): local values, the hierarchical limits, totals */
static void test_v1_stat(void **state)
{
	const unsigned long long unl = 9223372036854771712ULL;
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *root = memcg_root(e);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct mem_cgroup *b = mkdir_h(e, "A/B");
	struct v1_stat zero = { 0 };
	/* cache is NR_FILE_PAGES: shmem included; rss includes THPs */
	struct v1_stat wb = {
		.cache = 2, .rss = 2 + 512, .rss_huge = 512, .shmem = 1,
		.pgpgin = 5,
	};
	struct v1_stat wb2 = {
		.cache = 2, .rss = 1 + 512, .rss_huge = 512, .shmem = 1,
		.pgpgin = 5, .pgpgout = 1,
	};
	struct folio *v[5];

	assert_v1_stat(b, zero, zero, unl, unl);
	wr(b, "memory.limit_in_bytes", "4M");
	wr(b, "memory.memsw.limit_in_bytes", "8M");
	wr(a, "memory.limit_in_bytes", "16M");
	wr(a, "memory.memsw.limit_in_bytes", "32M");
	assert_v1_stat(b, zero, zero, 4 << 20, 8 << 20);
	assert_v1_stat(a, zero, zero, 16 << 20, 32 << 20);

	v[0] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	v[1] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	v[2] = charge(e, b, MEMCG_FOLIO_FILE, 0);
	v[3] = charge(e, b, MEMCG_FOLIO_SHMEM, 0);
	v[4] = charge(e, b, MEMCG_FOLIO_ANON, 9);
	assert_v1_stat(b, wb, wb, 4 << 20, 8 << 20);
	assert_v1_stat(a, zero, wb, 16 << 20, 32 << 20);

	/* pgpgout counts uncharged folios */
	memcg_folio_put(e, v[0]);
	assert_v1_stat(b, wb2, wb2, 4 << 20, 8 << 20);
	assert_v1_stat(a, zero, wb2, 16 << 20, 32 << 20);

	/* the root's usage comes from the stats: file + anon pages */
	assert_int_equal(rd_num(root, "memory.usage_in_bytes"),
			 (2 + 1 + 512) * PG);
	assert_int_equal(rd_num(root, "memory.memsw.usage_in_bytes"),
			 (2 + 1 + 512) * PG);

	put_all(e, v + 1, 4);
	assert_int_equal(key_value(rd(b, "memory.stat"), "rss"), 0);
	assert_int_equal(key_value(rd(b, "memory.stat"), "pgpgout"), 5);
	assert_int_equal(key_value(rd(a, "memory.stat"), "total_pgpgout"), 5);
	assert_int_equal(rd_num(root, "memory.usage_in_bytes"), 0);

	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* v1 swappiness: a new cgroup starts with its parent's value */
static void test_v1_swappiness_inherit(void **state)
{
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *root = memcg_root(e);
	struct mem_cgroup *a, *b;

	wr(root, "memory.swappiness", "30");
	a = mkdir_h(e, "A");
	assert_string_equal(rd(a, "memory.swappiness"), "30\n");
	wr(a, "memory.swappiness", "0");
	b = mkdir_h(e, "A/B");
	assert_string_equal(rd(b, "memory.swappiness"), "0\n");
	assert_string_equal(rd(root, "memory.swappiness"), "30\n");
	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_v1_limit_busy),
	cmocka_unit_test(test_v1_failcnt),
	cmocka_unit_test(test_v1_max_usage),
	cmocka_unit_test(test_v1_stat),
	cmocka_unit_test(test_v1_swappiness_inherit),
};

int main(void)
{
	return cmocka_run_group_tests_name("cgroupfs_v1", tests, NULL, NULL);
}
