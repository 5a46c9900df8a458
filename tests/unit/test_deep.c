// SPDX-License-Identifier: MIT
/*
 * A deep tree on a small stack: a chain of 2,000 cgroups (paths stay
 * under the kernel's 4,096 bytes), walked by memory.stat at the root,
 * memcg_path() at the leaf, reclaim from the top with the pages at the
 * bottom, memory.events at the leaf, and teardown, all on a thread with
 * 64 KiB of stack. Any walk that recursed once per level would need
 * several times that.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"
#include "memcg/sim.h"

#define DEPTH 2000

static char path[2 * DEPTH + 1];

static void *deep_work(void *arg)
{
	struct memcg_engine *e = arg;
	struct mem_cgroup *m = NULL, *top = NULL;
	struct memcg_task *t;
	static char buf[65536];
	int i, ret;

	memcg_set_cpu(0);
	/* "a", "a/a", "a/a/a", ...: built one level at a time */
	for (i = 0; i < DEPTH; i++) {
		size_t n = (size_t)(2 * i + 1);

		memset(path, 'a', n);
		for (size_t j = 1; j < n; j += 2)
			path[j] = '/';
		path[n] = '\0';
		if (m)
			memcg_put(m);
		assert_int_equal(memcg_mkdir(e, path, &m), 0);
		if (!i) {
			top = m;
			memcg_get(top);
		}
	}
	ret = memcg_path(m, buf, sizeof(buf));
	assert_int_equal(ret, 2 * DEPTH - 1);
	assert_int_equal(strcmp(buf, path), 0);
	assert_int_equal(memcg_write(top, "memory.max", "8M"), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_read(t, "f", 16UL << 20), 0);	/* reclaims */
	assert_true(memcg_read(memcg_root(e), "memory.stat", buf, sizeof(buf)) > 0);
	assert_true(test_file_key(top, "memory.stat", "file") <= 8L << 20);
	assert_true(test_file_key(top, "memory.events", "max") > 0);
	assert_true(memcg_read(m, "memory.events", buf, sizeof(buf)) > 0);
	assert_int_equal(memcg_task_exit(t), 0);
	memcg_put(m);
	memcg_put(top);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	return NULL;
}

static void test_deep_chain_small_stack(void **state)
{
	struct memcg_engine *e = test_engine_new(64UL << 20);
	pthread_attr_t attr;
	pthread_t th;

	(void)state;
	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setstacksize(&attr, 64 << 10), 0);
	assert_int_equal(pthread_create(&th, &attr, deep_work, e), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	pthread_attr_destroy(&attr);
	memcg_engine_destroy(e);	/* offlines the chain, leaves first */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deep_chain_small_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
