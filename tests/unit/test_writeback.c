// SPDX-License-Identifier: MIT
/*
 * Dirty and writeback page cache: a written page is dirty until written
 * back; background writeback keeps a cgroup's dirty pages near a tenth of
 * what it could cache; reclaim never drops a dirty page, it activates it
 * with PG_reclaim and wakes the flusher when a batch held only dirty
 * pages, and the written page comes back to the inactive tail.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "memcg/sim.h"
#include "mm/writeback.h"

#define MB(x) ((long)(x) << 20)
#define PAGES(x) (MB(x) >> 12)

static long dirty(struct mem_cgroup *m)
{
	return memcg_page_state(m, MEMCG_FILE_DIRTY);
}

/* Unlimited: 4M written stays dirty (the machine's domain is 256M). */
static void test_write_leaves_pages_dirty(void **state)
{
	struct memcg_engine *e = test_engine_new(256UL << 20);
	struct mem_cgroup *a;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_task_create(e, "t", a, &t), 0);
	assert_int_equal(memcg_task_write(t, "out", MB(4)), 0);
	assert_int_equal(dirty(a), PAGES(4));
	assert_int_equal(test_file_key(a, "memory.stat", "file"), MB(4));
	/* a second write of the same pages dirties nothing new */
	assert_int_equal(memcg_task_write(t, "out", MB(4)), 0);
	assert_int_equal(dirty(a), PAGES(4));
	assert_int_equal(memcg_task_exit(t), 0);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * Under memory.max 30M, 20M written: the cgroup could cache its 20M and
 * its 10M of headroom, less as it fills; background writeback starts past
 * 15% of that and writes down to 10%. Then 40M more: reclaim finds the oldest pages
 * already clean and drops them; it never has to activate a dirty one.
 */
static void test_background_writeback_under_limit(void **state)
{
	struct memcg_engine *e = test_engine_new(256UL << 20);
	struct mem_cgroup *a;
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.max", "30M"), 0);
	assert_int_equal(memcg_task_create(e, "t", a, &t), 0);
	assert_int_equal(memcg_task_write(t, "out", MB(20)), 0);
	print_message("after 20M: dirty %ld pages\n", dirty(a));
	assert_true(dirty(a) > 0 && dirty(a) <= PAGES(30) * 15 / 100);
	assert_int_equal(memcg_task_write(t, "out2", MB(40)), 0);
	print_message("after 40M more: dirty %ld pages, current %ld\n",
		      dirty(a), page_counter_read(&a->memory) * 4096);
	assert_true(dirty(a) <= PAGES(30) * 15 / 100);
	assert_true(page_counter_read(&a->memory) * 4096 <= MB(30));
	assert_int_equal(test_file_key(a, "memory.stat", "pgactivate"), 0);
	assert_int_equal(test_file_key(a, "memory.stat", "pgscan"),
			 test_file_key(a, "memory.stat", "pgsteal"));
	assert_int_equal(memcg_task_exit(t), 0);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/* A folio client that never writes back: reclaim must wait for it. */
static int flushes;

static void lazy_writeback(void *priv, struct mem_cgroup *memcg, long nr)
{
	(void)priv;
	(void)memcg;
	(void)nr;
	flushes++;
}

static const struct memcg_folio_client_ops lazy_client = {
	.writeback = lazy_writeback,
};

/*
 * Only dirty pages on the list and a flusher that does nothing: reclaim
 * activates them with PG_reclaim, wakes the flusher and frees nothing.
 * Written back by hand, they return to the inactive list, clean.
 */
static void test_reclaim_waits_for_writeback(void **state)
{
	struct memcg_engine *e = test_engine_new(64UL << 20);
	struct folio *f[64];
	struct mem_cgroup *a;
	int i;

	(void)state;
	assert_int_equal(memcg_set_folio_client(e, &lazy_client, NULL), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	for (i = 0; i < 64; i++) {
		f[i] = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);
		assert_non_null(f[i]);
		assert_int_equal(memcg_charge(e, f[i], a, MEMCG_GFP_KERNEL), 0);
		memcg_folio_add_lru(e, f[i]);
		assert_int_equal(memcg_folio_mark_dirty(e, f[i]), 0);
	}
	assert_int_equal(dirty(a), 64);
	assert_int_equal(memcg_write(a, "memory.reclaim", "256K"), -EAGAIN);
	assert_true(flushes > 0);
	assert_true(test_file_key(a, "memory.stat", "active_file") > 0);
	assert_int_equal(dirty(a), 64);
	for (i = 0; i < 64; i++) {
		assert_true(folio_test_flag(f[i], PG_reclaim));
		assert_int_equal(memcg_folio_start_writeback(e, f[i]), 0);
		assert_int_equal(memcg_folio_start_writeback(e, f[i]), -EAGAIN);
		assert_int_equal(memcg_folio_end_writeback(e, f[i]), 0);
		assert_false(folio_test_flag(f[i], PG_reclaim));
	}
	assert_int_equal(dirty(a), 0);
	assert_int_equal(memcg_page_state(a, MEMCG_FILE_WRITEBACK), 0);
	/* misuse is refused and changes nothing */
	assert_int_equal(memcg_folio_end_writeback(e, f[0]), -EINVAL);
	assert_int_equal(memcg_folio_start_writeback(e, f[0]), -EAGAIN);
	assert_int_equal(memcg_folio_mark_dirty(e, NULL), -EINVAL);
	assert_int_equal(dirty(a), 0);
	/* rotated: inactive again, at the tail */
	assert_int_equal(test_file_key(a, "memory.stat", "active_file"), 0);
	assert_int_equal(test_file_key(a, "memory.stat", "inactive_file"), 64 * 4096);
	for (i = 0; i < 64; i++)
		memcg_folio_put(e, f[i]);
	memcg_put(a);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_leaves_pages_dirty),
		cmocka_unit_test(test_background_writeback_under_limit),
		cmocka_unit_test(test_reclaim_waits_for_writeback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
