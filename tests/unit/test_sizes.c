// SPDX-License-Identifier: MIT
/*
 * Sizes near 2^64 at every size entry point of the API: refused with
 * -EINVAL (or the errno the kernel gives for that file), never wrapped
 * into a small size that succeeds, and with nothing charged.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"
#include "memcg/pages.h"
#include "memcg/sim.h"

/* Near 2^64, and sizes whose page counts or frame counts overflow. */
static const size_t huge[] = {
	SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 4095, SIZE_MAX - 4096,
	SIZE_MAX >> 1, (size_t)1 << 63, ((size_t)UINT32_MAX + 1) * 4096,
};

#define NR_HUGE (sizeof(huge) / sizeof(huge[0]))

static void test_engine_and_swap_sizes(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	(void)state;
	for (size_t i = 0; i < NR_HUGE; i++) {
		test_config_init(&cfg, huge[i]);
		e = NULL;
		assert_int_equal(memcg_engine_create(&cfg, &e), -EINVAL);
		assert_null(e);
	}
	e = test_engine_new(16u << 20);
	for (size_t i = 0; i < NR_HUGE; i++)
		assert_int_equal(memcg_swapon(e, NULL, huge[i]), -EINVAL);
	assert_int_equal(memcg_swap_nr_free(e), -ENODEV);
	memcg_engine_destroy(e);
}

static void test_charge_sizes(void **state)
{
	struct memcg_engine *e = test_engine_new(16u << 20);
	struct obj_cgroup *objcg;
	struct mem_cgroup *m;
	char buf[64];

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	objcg = memcg_objcg_get(m);
	for (size_t i = 0; i < NR_HUGE; i++) {
		assert_int_equal(memcg_obj_charge(objcg, huge[i], 0), -EINVAL);
		assert_int_equal(memcg_obj_charge(objcg, huge[i],
						  MEMCG_GFP_NOFAIL), -EINVAL);
		assert_int_equal(memcg_charge_pages(m, huge[i], 0), -EINVAL);
		assert_int_equal(memcg_charge_pages(m, huge[i],
						    MEMCG_GFP_NOFAIL), -EINVAL);
	}
	assert_int_equal(test_file_key(m, "memory.stat", "slab"), 0);
	assert_int_equal(memcg_read(m, "memory.current", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "0\n");
	/* a write is at most a page, whatever length is claimed */
	assert_int_equal(memcg_write_len(m, "memory.max", "1", SIZE_MAX),
			 -E2BIG);
	assert_int_equal(memcg_write_len(m, "memory.max", "1", 4097), -E2BIG);
	assert_int_equal(memcg_read(m, "memory.max", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "max\n");
	memcg_objcg_put(objcg);

	/*
	 * Socket pages near 2^32, with this CPU's stock caching the cgroup:
	 * the uncharge must not wrap the stock's sum (found by fuzz_api).
	 */
	{
		struct memcg_sock *sk;

		assert_int_equal(memcg_sock_alloc(m, &sk), 0);
		assert_int_equal(memcg_sock_charge(sk, 1, 0), 0);
		assert_int_equal(memcg_sock_charge(sk, UINT32_MAX - 1,
						   MEMCG_GFP_NOFAIL), 0);
		memcg_sock_uncharge(sk, UINT32_MAX - 1);
		memcg_sock_uncharge(sk, 1);
		memcg_sock_free(sk);
		memcg_drain_all_stock(m);
		assert_int_equal(memcg_read(m, "memory.current", buf,
					    sizeof(buf)), 2);
		assert_string_equal(buf, "0\n");
	}
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { m, 1 } }, 1),
			 0);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* A task's sizes: those whose page count wraps are -EINVAL, untouched. */
static void test_task_sizes(void **state)
{
	static const size_t wrap[] = { SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 4094 };
	struct memcg_engine *e = test_engine_new(16u << 20);
	struct memcg_task *t;
	struct mem_cgroup *m;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, 4096), 0);
	for (size_t i = 0; i < sizeof(wrap) / sizeof(wrap[0]); i++) {
		assert_int_equal(memcg_task_anon(t, wrap[i]), -EINVAL);
		assert_int_equal(memcg_task_mlock(t, wrap[i]), -EINVAL);
		assert_int_equal(memcg_task_touch(t, wrap[i]), -EINVAL);
		assert_int_equal(memcg_task_unmap(t, wrap[i]), -EINVAL);
		assert_int_equal(memcg_task_read(t, "f", wrap[i]), -EINVAL);
		assert_int_equal(memcg_task_write(t, "f", wrap[i]), -EINVAL);
	}
	/* more than is mapped, without wrapping */
	assert_int_equal(memcg_task_unmap(t, SIZE_MAX - 4095), -EINVAL);
	assert_int_equal(memcg_task_touch(t, SIZE_MAX - 4095), -EINVAL);
	assert_true(memcg_task_alive(t));
	assert_int_equal(memcg_task_rss_pages(t), 1);
	assert_int_equal(test_file_key(m, "memory.stat", "anon"), 4096);
	assert_int_equal(test_file_key(m, "memory.stat", "file"), 0);
	assert_int_equal(memcg_task_exit(t), 0);
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { m, 1 } }, 1),
			 0);
	memcg_put(m);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_and_swap_sizes),
		cmocka_unit_test(test_charge_sizes),
		cmocka_unit_test(test_task_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
