// SPDX-License-Identifier: MIT
/*
 * Sparse files (sim/filemap.c): a read at any offset of a file up to
 * 16 TiB costs the pages it caches, not the file's size; truncation drops
 * the cached folios (dirty ones unwritten) and the shadows past the new
 * end, walking only what is there; a range past 16 TiB is -EFBIG, one
 * that wraps -EINVAL, the truncation of a file never used -ENOENT.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "fixture.h"
#include "memcg/sim.h"
#include "rss.h"

#define MB(x) ((long long)(x) << 20)
#define TB(x) ((uint64_t)(x) << 40)

static long long file_of(struct mem_cgroup *m)
{
	return test_file_key(m, "memory.stat", "file");
}

/* The file's size is independent of the machine's: a 1 GiB one. */
static struct fixture *file_fixture(void)
{
	struct memcg_config cfg;

	test_config_init(&cfg, 1UL << 30);
	return fixture_new(&cfg, "A", NULL);
}

/* 64M at each end of a 4 TiB file, then cut in two steps. */
static void test_far_offsets(void **state)
{
	struct fixture *f = file_fixture();
	long before = vm_hwm_kb();
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_task_create(f->e, "t", f->a, &t), 0);
	assert_int_equal(memcg_task_read_at(t, "big", TB(4) - MB(64), MB(64)),
			 0);
	assert_int_equal(file_of(f->a), MB(64));
	assert_int_equal(memcg_task_read_at(t, "big", 0, MB(64)), 0);
	assert_int_equal(file_of(f->a), MB(128));
	/* cached: read again, nothing new */
	assert_int_equal(memcg_task_read(t, "big", MB(64)), 0);
	assert_int_equal(file_of(f->a), MB(128));
	/* the last page is kept whole by a size one byte into it */
	assert_int_equal(memcg_task_truncate(t, "big", TB(4) - MB(64) + 1), 0);
	assert_int_equal(file_of(f->a), MB(64) + 4096);
	assert_int_equal(memcg_task_truncate(t, "big", 0), 0);
	assert_int_equal(file_of(f->a), 0);
	/* 2^30 declared pages once took 12 bytes each: 12 GiB */
	if (RSS_MEASURED)
		assert_true(vm_hwm_kb() - before < 64 << 10);
	fixture_audit(f);
	memcg_task_exit(t);
	fixture_free(f);
}

static void test_ranges_refused(void **state)
{
	struct fixture *f = file_fixture();
	struct memcg_task *t;

	(void)state;
	assert_int_equal(memcg_task_create(f->e, "t", f->a, &t), 0);
	assert_int_equal(memcg_task_truncate(t, "never", 0), -ENOENT);
	assert_int_equal(memcg_task_read_at(t, "f", TB(16), 1), -EFBIG);
	assert_int_equal(memcg_task_read_at(t, "f", TB(16) - 4096, 4097),
			 -EFBIG);
	assert_int_equal(memcg_task_read_at(t, "f", UINT64_MAX - 10, 100),
			 -EINVAL);
	assert_int_equal(memcg_task_write_at(t, "f", UINT64_MAX - 4096, 4096),
			 -EINVAL);
	/* the last page of the largest file */
	assert_int_equal(memcg_task_write_at(t, "f", TB(16) - 4096, 4096), 0);
	assert_int_equal(memcg_page_state(f->a, MEMCG_FILE_DIRTY), 1);
	assert_int_equal(memcg_task_truncate(t, "f", TB(16) + 1), -EFBIG);
	assert_int_equal(memcg_task_read_at(t, "", 0, 4096), -EINVAL);
	assert_int_equal(memcg_task_truncate(t, NULL, 0), -EINVAL);
	assert_int_equal(memcg_task_truncate(NULL, "f", 0), -ESRCH);
	/* a dirty page cut off leaves the page cache unwritten */
	assert_int_equal(memcg_task_truncate(t, "f", 0), 0);
	assert_int_equal(memcg_page_state(f->a, MEMCG_FILE_DIRTY), 0);
	assert_int_equal(file_of(f->a), 0);
	assert_int_equal(test_file_key(f->a, "memory.stat",
				       "file_writeback"), 0);
	fixture_audit(f);
	memcg_task_exit(t);
	fixture_free(f);
}

/*
 * Under an 8M limit a 16M read leaves shadows of what reclaim evicted.
 * Read again, file "keep" refaults; file "cut", truncated first, has no
 * shadows left and does not.
 */
static void test_truncate_drops_shadows(void **state)
{
	struct memcg_config cfg;
	struct fixture *f;
	struct memcg_task *t;
	long long r0, r1;

	(void)state;
	test_config_init(&cfg, 256UL << 20);
	f = fixture_new(&cfg, "A", NULL);
	assert_int_equal(memcg_write(f->a, "memory.max", "8M"), 0);
	assert_int_equal(memcg_task_create(f->e, "t", f->a, &t), 0);
	assert_int_equal(memcg_task_read_at(t, "cut", TB(2), MB(16)), 0);
	assert_true(file_of(f->a) <= MB(8));
	r0 = test_file_key(f->a, "memory.stat", "workingset_refault_file");
	assert_int_equal(memcg_task_truncate(t, "cut", 0), 0);
	assert_int_equal(file_of(f->a), 0);
	assert_int_equal(memcg_task_read_at(t, "cut", TB(2), MB(16)), 0);
	assert_int_equal(test_file_key(f->a, "memory.stat",
				       "workingset_refault_file"), r0);
	/* the same without the cut: the shadows make refaults */
	assert_int_equal(memcg_task_truncate(t, "cut", 0), 0);
	assert_int_equal(memcg_task_read_at(t, "keep", TB(2), MB(16)), 0);
	assert_int_equal(memcg_task_read_at(t, "keep", TB(2), MB(16)), 0);
	r1 = test_file_key(f->a, "memory.stat", "workingset_refault_file");
	assert_true(r1 > r0);
	assert_int_equal(memcg_task_truncate(t, "keep", 0), 0);
	assert_int_equal(file_of(f->a), 0);
	fixture_audit(f);
	memcg_task_exit(t);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_far_offsets),
		cmocka_unit_test(test_ranges_refused),
		cmocka_unit_test(test_truncate_drops_shadows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
