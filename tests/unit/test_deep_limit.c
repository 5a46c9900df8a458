// SPDX-License-Identifier: MIT
/*
 * The deepest tree the path API allows, on a 64 KiB stack. Paths are
 * limited as the kernel limits one path argument (PATH_MAX, 4,096 bytes
 * with the NUL): with one-letter names a chain stops at depth 2,048
 * ("a/a/.../a", 4,095 bytes), and one level more is -ENAMETOOLONG, for
 * mkdir, lookup and rmdir alike. At that depth: memory.stat at the root
 * and at the leaf, the leaf's path, a charge at the leaf that fails
 * against memory.max 0 at the top (the OOM killer kills the leaf's task;
 * PSI's count of the subtree's tasks, kept by attach and detach, is
 * checked by the auditor), then every
 * level removed with rmdir from the leaf up, the auditor clean at each
 * step that matters.
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

#define DEPTH 2048			/* the deepest: 2 * DEPTH - 1 < 4096 */

static char path[2 * DEPTH + 2];
static char buf[1 << 16];

/* "a/a/.../a" of @depth levels, in path[] */
static const char *chain(int depth)
{
	size_t n = (size_t)(2 * depth - 1);

	memset(path, 'a', n);
	for (size_t j = 1; j < n; j += 2)
		path[j] = '/';
	path[n] = '\0';
	return path;
}

static void *deep_limit_work(void *arg)
{
	struct memcg_engine *e = arg;
	struct mem_cgroup *m = NULL, *top, *cg;
	struct memcg_task *t;
	struct folio *f;
	int i;

	memcg_set_cpu(0);
	for (i = 1; i <= DEPTH; i++) {
		if (m)
			memcg_put(m);
		assert_int_equal(memcg_mkdir(e, chain(i), &m), 0);
	}
	assert_int_equal(strlen(path), 4095);
	assert_int_equal(memcg_lookup(e, "a", &top), 0);

	/* one level more is a path of 4,097 bytes */
	assert_int_equal(memcg_mkdir(e, chain(DEPTH + 1), NULL), -ENAMETOOLONG);
	assert_int_equal(memcg_lookup(e, path, &cg), -ENAMETOOLONG);
	assert_int_equal(memcg_rmdir(e, path), -ENAMETOOLONG);

	assert_int_equal(memcg_path(m, buf, sizeof(buf)), 2 * DEPTH - 1);
	assert_string_equal(buf, chain(DEPTH));
	assert_int_equal(memcg_path(m, buf, 4095), -ENAMETOOLONG);
	assert_true(memcg_read(memcg_root(e), "memory.stat", buf,
			       sizeof(buf)) > 0);
	assert_true(memcg_read(m, "memory.stat", buf, sizeof(buf)) > 0);
	assert_int_equal(test_file_key(m, "memory.stat", "anon"), 0);

	/* a charge at the leaf that the top's limit refuses */
	assert_int_equal(memcg_write(top, "memory.max", "0"), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, m, MEMCG_GFP_KERNEL), -ENOMEM);
	memcg_folio_put(e, f);
	assert_true(test_file_key(top, "memory.events", "max") > 0);
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { m, 1 },
			 { top, 1 } }, 2), 0);
	/* the OOM killer found the leaf's only task, which held nothing */
	assert_true(memcg_task_killed(t));
	assert_int_equal(test_file_key(top, "memory.events", "oom_kill"), 1);
	assert_int_equal(memcg_task_exit(t), -ESRCH);

	/* removed from the leaf up */
	memcg_put(m);
	for (i = DEPTH; i >= 1; i--)
		assert_int_equal(memcg_rmdir(e, chain(i)), 0);
	assert_false(memcg_is_online(top));
	memcg_put(top);
	assert_int_equal(memcg_lookup(e, "a", &cg), -ENOENT);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	return NULL;
}

static void test_deepest_chain_small_stack(void **state)
{
	struct memcg_engine *e = test_engine_new(16UL << 20);
	pthread_attr_t attr;
	pthread_t th;

	(void)state;
	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setstacksize(&attr, 64 << 10), 0);
	assert_int_equal(pthread_create(&th, &attr, deep_limit_work, e), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	pthread_attr_destroy(&attr);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deepest_chain_small_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
