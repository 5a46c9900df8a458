// SPDX-License-Identifier: MIT
/*
 * Tasks by name (memcg_task_find()): a hash of names (src/lib/strtab.h),
 * not a scan of every task. 100,000 tasks are created, each found at
 * once by name; a name reused after its task exited finds the newest;
 * a live name cannot be reused. The index holds one slot per name and
 * stays at most half full (cap <= 4 * names), which a scan never needs:
 * that it is the lookup is checked by its contents, not by a clock.
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
#include "fixture.h"
#include "memcg/sim.h"
#include "sim/sim.h"

#define NR_TASKS 100000

static void count_task(struct memcg_task *t, void *arg)
{
	(void)t;
	(*(long *)arg)++;
}

static void test_hundred_thousand_tasks(void **state)
{
	struct memcg_engine *e = test_engine_new(64u << 20);
	struct mem_cgroup *root = memcg_root(e);
	struct memcg_task **tasks, *t;
	struct memcg_sim *sim;
	char name[32];
	long nr = 0;
	int i;

	(void)state;
	tasks = calloc(NR_TASKS, sizeof(*tasks));
	assert_non_null(tasks);
	for (i = 0; i < NR_TASKS; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		assert_int_equal(memcg_task_create(e, name, root, &tasks[i]), 0);
		assert_ptr_equal(memcg_task_find(e, name), tasks[i]);
	}
	for (i = 0; i < NR_TASKS; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		assert_ptr_equal(memcg_task_find(e, name), tasks[i]);
		assert_string_equal(memcg_task_name(tasks[i]), name);
	}
	assert_null(memcg_task_find(e, "t100000"));
	assert_null(memcg_task_find(e, "t"));
	assert_null(memcg_task_find(e, ""));
	assert_null(memcg_task_find(e, NULL));

	/* a live name is taken; an exited one is free, and finds the newest */
	assert_int_equal(memcg_task_create(e, "t7", root, &t), -EEXIST);
	for (i = 0; i < NR_TASKS; i += 2)
		assert_int_equal(memcg_task_exit(tasks[i]), 0);
	for (i = 0; i < NR_TASKS; i += 2) {
		snprintf(name, sizeof(name), "t%d", i);
		assert_ptr_equal(memcg_task_find(e, name), tasks[i]);
		assert_false(memcg_task_alive(tasks[i]));
		assert_int_equal(memcg_task_create(e, name, root, &t), 0);
		assert_ptr_equal(memcg_task_find(e, name), t);
		assert_ptr_not_equal(t, tasks[i]);
	}
	assert_int_equal(memcg_task_create(e, "t0", root, &t), -EEXIST);

	/* one slot per name, the table at most half full */
	sim = sim_of(e);
	assert_int_equal(sim->nr_named, NR_TASKS);
	assert_int_equal(sim->task_names.nr, NR_TASKS);
	assert_true(sim->task_names.cap >= 2 * NR_TASKS);
	assert_true(sim->task_names.cap <= 4 * NR_TASKS);
	memcg_task_for_each(e, count_task, &nr);
	assert_int_equal(nr, NR_TASKS + NR_TASKS / 2);

	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	free(tasks);
	memcg_engine_destroy(e);
}

/* Tasks of two engines: each finds its own. */
static void test_engines_apart(void **state)
{
	struct memcg_engine *a = test_engine_new(16u << 20);
	struct memcg_engine *b = test_engine_new(16u << 20);
	struct memcg_task *ta, *tb;

	(void)state;
	assert_null(memcg_task_find(a, "x"));	/* before the simulator */
	assert_int_equal(memcg_task_create(a, "x", memcg_root(a), &ta), 0);
	assert_null(memcg_task_find(b, "x"));
	assert_int_equal(memcg_task_create(b, "x", memcg_root(b), &tb), 0);
	assert_ptr_equal(memcg_task_find(a, "x"), ta);
	assert_ptr_equal(memcg_task_find(b, "x"), tb);
	memcg_engine_destroy(a);
	memcg_engine_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hundred_thousand_tasks),
		cmocka_unit_test(test_engines_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
