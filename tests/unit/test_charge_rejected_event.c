// SPDX-License-Identifier: MIT
/*
 * A charge over memory.max that may not block (a THP fault's
 * GFP_TRANSHUGE_LIGHT, MEMCG_GFP_NOWAIT here) fails at once, with no
 * reclaim. Linux 6.12's try_charge_memcg() still raises MEMCG_MAX for it
 * on its way out ("forced or rejected requests"); 6.1's returned -ENOMEM
 * before that and raised it only for a forced charge. So on
 * tests/kernel/thp_max.scn 6.12 counts 16 more max events than 6.1, one
 * per huge fault that fell back to 4K pages.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

static long max_events(enum memcg_kernel kernel, unsigned gfp)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *a;
	struct folio *folio;
	long events;
	int ret;

	test_config_init(&cfg, 64UL << 20);
	cfg.kernel = kernel;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.max", "0"), 0);
	folio = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(folio);
	ret = mem_cgroup_charge(folio, a, gfp);
	assert_int_equal(ret, gfp & MEMCG_GFP_NOFAIL ? 0 : -ENOMEM);
	events = test_file_key(a, "memory.events", "max");
	memcg_folio_put(e, folio);
	memcg_put(a);
	memcg_engine_destroy(e);
	return events;
}

static void test_rejected(void **state)
{
	(void)state;
	assert_int_equal(max_events(MEMCG_KERNEL_6_1, MEMCG_GFP_NOWAIT), 0);
	assert_int_equal(max_events(MEMCG_KERNEL_6_12, MEMCG_GFP_NOWAIT), 1);
}

/* A forced charge counts one on both (never two). */
static void test_forced(void **state)
{
	unsigned gfp = MEMCG_GFP_NOWAIT | MEMCG_GFP_NOFAIL;

	(void)state;
	assert_int_equal(max_events(MEMCG_KERNEL_6_1, gfp), 1);
	assert_int_equal(max_events(MEMCG_KERNEL_6_12, gfp), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_forced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
