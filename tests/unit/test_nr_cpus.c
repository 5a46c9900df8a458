// SPDX-License-Identifier: MIT
/*
 * Engines of many CPUs (issue 15, point 5): nr_cpus 64, 256 and the
 * limit, 4096, are taken and every CPU's stock, statistics and rstat
 * slot work; one past the limit is -EINVAL and leaves *out alone.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/rstat.h"
#include "core/stock.h"

#include "audit.h"
#include "fixture.h"

#define NR_CPUS_MAX 4096u

static struct memcg_engine *engine_new(unsigned nr_cpus)
{
	struct memcg_config cfg;
	struct memcg_engine *e = NULL;

	test_config_init(&cfg, 16 << 20);
	cfg.nr_cpus = nr_cpus;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_non_null(e);
	assert_int_equal(e->nr_cpus, nr_cpus);
	return e;
}

static long long read_current(struct mem_cgroup *m)
{
	char buf[64];

	assert_true(memcg_read(m, "memory.current", buf, sizeof(buf)) > 0);
	return strtoll(buf, NULL, 10);
}

/* memory.stat's @key after a flush of every CPU's deltas */
static long long flushed_stat(struct mem_cgroup *m, const char *key)
{
	css_rstat_flush(memcg_root(m->engine));
	return test_file_key(m, "memory.stat", key);
}

/*
 * One folio charged on each of @nr_cpus CPUs: each CPU's charge takes a
 * batch into that CPU's stock; after a drain, usage and the anon stat
 * are exactly the folios, and after the frees nothing is left.
 */
static void charge_on_every_cpu(unsigned nr_cpus)
{
	struct memcg_engine *e = engine_new(nr_cpus);
	struct folio **folios = calloc(nr_cpus, sizeof(*folios));
	const long long batch = MEMCG_CHARGE_BATCH * MEMCG_PAGE_SIZE;
	struct mem_cgroup *m;
	struct audit_hold hold;
	unsigned cpu;

	assert_non_null(folios);
	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	hold = (struct audit_hold){ .memcg = m, .nr = 1 };
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		memcg_set_cpu((int)cpu);
		folios[cpu] = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		assert_non_null(folios[cpu]);
		assert_int_equal(memcg_charge(e, folios[cpu], m, MEMCG_GFP_KERNEL), 0);
	}
	/* every CPU's stock holds the rest of its batch */
	assert_int_equal(flushed_stat(m, "anon"),
			 (long long)nr_cpus * MEMCG_PAGE_SIZE);
	assert_int_equal(read_current(m), (long long)nr_cpus * batch);
	assert_int_equal(memcg_audit(e, &hold, 1), 0);
	memcg_drain_all_stock(memcg_root(e));
	assert_int_equal(read_current(m),
			 (long long)nr_cpus * MEMCG_PAGE_SIZE);
	/* the last CPU's frees */
	memcg_set_cpu((int)nr_cpus - 1);
	memcg_folios_put(e, folios, nr_cpus);
	memcg_drain_all_stock(memcg_root(e));
	assert_int_equal(read_current(m), 0);
	assert_int_equal(flushed_stat(m, "anon"), 0);
	assert_int_equal(memcg_audit(e, &hold, 1), 0);
	memcg_put(m);
	memcg_engine_destroy(e);
	free(folios);
	memcg_set_cpu(0);
}

static void test_64_cpus(void **state)
{
	(void)state;
	charge_on_every_cpu(64);
}

static void test_256_cpus(void **state)
{
	(void)state;
	charge_on_every_cpu(256);
}

static void test_limit(void **state)
{
	struct memcg_engine *e;

	(void)state;
	e = engine_new(NR_CPUS_MAX);
	memcg_engine_destroy(e);
}

static void test_past_limit(void **state)
{
	struct memcg_engine *e = (struct memcg_engine *)&e;
	struct memcg_config cfg;

	(void)state;
	test_config_init(&cfg, 16 << 20);
	cfg.nr_cpus = NR_CPUS_MAX + 1;
	assert_int_equal(memcg_engine_create(&cfg, &e), -EINVAL);
	assert_ptr_equal(e, (struct memcg_engine *)&e);
	cfg.nr_cpus = ~0u;
	assert_int_equal(memcg_engine_create(&cfg, &e), -EINVAL);
	assert_ptr_equal(e, (struct memcg_engine *)&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_64_cpus),
		cmocka_unit_test(test_256_cpus),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_past_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
