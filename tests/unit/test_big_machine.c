// SPDX-License-Identifier: MIT
/*
 * The engine's memory grows with what is used, not with what is
 * declared: a 1 TiB machine with 1 TiB of swap running a 64M task stays
 * within tens of MiB of resident memory (the frame table is mapped
 * lazily and set up a block at a time; the swap tables are zeroed
 * allocations never written where unused, but for the per-cluster
 * headers, 64 bytes per 2 MiB). Read from the kernel's count, VmHWM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "memcg/sim.h"
#include "rss.h"

static void test_terabyte_machine(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *m;
	struct memcg_task *t;
	long before = vm_hwm_kb();

	(void)state;
	assert_true(before > 0);
	memcg_config_init(&cfg);
	cfg.memory_bytes = 1ULL << 40;
	cfg.dataless = true;
	cfg.deterministic = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 1ULL << 40), 0);
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_write(m, "memory.max", "32M"), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, 64UL << 20), 0);
	/*
	 * 268M frames of 16 bytes would be 4 GiB and 268M swap slots 3 GiB;
	 * 64M of use is 16,384 of each, and the cluster headers 32 MiB.
	 */
	assert_true(memcg_task_swap_pages(t) > 0);
	if (RSS_MEASURED)
		assert_true(vm_hwm_kb() - before < 96 << 10);
	memcg_task_exit(t);
	memcg_put(m);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terabyte_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
