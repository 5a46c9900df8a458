// SPDX-License-Identifier: MIT
/*
 * A cgroup's directory (memcg/dir.h, src/core/cgroupfs_dir.c): the files
 * memcg_readdir() lists in the root and in a child under v1 and v2, with
 * the kernel's cgroup_file_mode() modes (0444 read-only, 0644 writable,
 * 0200 write-only), the online children only, a listing stopped by its
 * callback, and memcg_file_mode()'s answers for served, unserved and
 * root-less files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memcg/memcg.h"
#include "memcg/dir.h"

static struct memcg_engine *engine_new(enum memcg_mode mode,
				       enum memcg_policy policy)
{
	struct memcg_engine *e = NULL;
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.policy = policy;
	cfg.memory_bytes = 16UL << 20;
	cfg.dataless = true;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	return e;
}

/* The listing as "name:mode name:mode ...", modes in octal. */
struct listing {
	char buf[4096];
	size_t len;
	int stop_after;		/* > 0: return 7 after that many entries */
	int nr;
};

static int add(void *arg, const char *name, unsigned int mode)
{
	struct listing *l = arg;

	l->len += (size_t)snprintf(l->buf + l->len, sizeof(l->buf) - l->len,
				   "%s%s:%o", l->len ? " " : "", name, mode);
	assert_true(l->len < sizeof(l->buf));
	if (++l->nr == l->stop_after)
		return 7;
	return 0;
}

static const char *list(struct mem_cgroup *memcg, struct listing *l)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(memcg_readdir(memcg, add, l), 0);
	return l->buf;
}

static void test_v2_root_and_child(void **state)
{
	struct memcg_engine *e = engine_new(MEMCG_MODE_V2,
					    MEMCG_POLICY_REPARENT);
	struct mem_cgroup *a, *b;
	struct listing l;

	assert_string_equal(list(memcg_root(e), &l),
			    "cgroup.stat:100444 memory.reclaim:100200 "
			    "memory.stat:100444 cgroup.max.depth:100644 "
			    "cgroup.max.descendants:100644 "
			    "memory.pressure:100644");
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &b), 0);
	assert_int_equal(memcg_mkdir(e, "A/C", NULL), 0);
	assert_string_equal(list(a, &l),
			    "cgroup.stat:100444 memory.current:100444 "
			    "memory.min:100644 memory.low:100644 "
			    "memory.high:100644 memory.max:100644 "
			    "memory.peak:100444 memory.reclaim:100200 "
			    "memory.events:100444 memory.events.local:100444 "
			    "memory.stat:100444 memory.oom.group:100644 "
			    "memory.swap.current:100444 memory.swap.high:100644 "
			    "memory.swap.max:100644 "
			    "memory.swap.events:100444 cgroup.max.depth:100644 "
			    "cgroup.max.descendants:100644 memory.pressure:100644 "
			    "B:40755 C:40755");
	/* a removed child is gone from the listing; its own is -ENODEV */
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	list(a, &l);
	assert_non_null(strstr(l.buf, "memory.pressure:100644 C:40755"));
	assert_null(strstr(l.buf, "B:"));
	assert_int_equal(memcg_readdir(b, add, &l), -ENODEV);
	memcg_put(b);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/* Under the kernel policy a dying child stays in the tree, not listed. */
static void test_dying_child_not_listed(void **state)
{
	struct memcg_engine *e = engine_new(MEMCG_MODE_V2,
					    MEMCG_POLICY_KERNEL);
	struct mem_cgroup *a, *b;
	struct listing l;
	char buf[256];

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &b), 0);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);	/* b still held */
	assert_true(memcg_read(a, "cgroup.stat", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "nr_descendants 0\nnr_dying_descendants 1\n");
	list(a, &l);
	assert_null(strstr(l.buf, ":40755"));
	memcg_put(b);
	memcg_put(a);
	memcg_engine_destroy(e);
}

static void test_v1(void **state)
{
	struct memcg_engine *e = engine_new(MEMCG_MODE_V1,
					    MEMCG_POLICY_REPARENT);
	struct mem_cgroup *a;
	struct listing l;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	list(a, &l);
	assert_non_null(strstr(l.buf, "memory.usage_in_bytes:100444 "
				      "memory.limit_in_bytes:100644 "));
	assert_non_null(strstr(l.buf, "memory.swappiness:100644"));
	assert_null(strstr(l.buf, "memory.events"));
	assert_null(strstr(l.buf, "memory.pressure:"));	/* psi: v2 only */
	assert_null(strstr(l.buf, "cgroup.max.depth"));
	/* v1's root has the same files */
	assert_non_null(strstr(list(memcg_root(e), &l),
			       "memory.limit_in_bytes:100644"));
	memcg_put(a);
	memcg_engine_destroy(e);
}

static void test_stop(void **state)
{
	struct memcg_engine *e = engine_new(MEMCG_MODE_V2,
					    MEMCG_POLICY_REPARENT);
	struct listing l = { .stop_after = 2 };

	assert_int_equal(memcg_readdir(memcg_root(e), add, &l), 7);
	assert_string_equal(l.buf, "cgroup.stat:100444 memory.reclaim:100200");
	/* stopped at a child */
	assert_int_equal(memcg_mkdir(e, "A", NULL), 0);
	assert_int_equal(memcg_mkdir(e, "B", NULL), 0);
	memset(&l, 0, sizeof(l));
	l.stop_after = 7;
	assert_int_equal(memcg_readdir(memcg_root(e), add, &l), 7);
	assert_string_equal(l.buf, "cgroup.stat:100444 memory.reclaim:100200 "
			    "memory.stat:100444 cgroup.max.depth:100644 "
			    "cgroup.max.descendants:100644 "
			    "memory.pressure:100644 A:40755");
	assert_int_equal(memcg_readdir(NULL, add, &l), -EINVAL);
	assert_int_equal(memcg_readdir(memcg_root(e), NULL, &l), -EINVAL);
	memcg_engine_destroy(e);
}

static void test_file_mode(void **state)
{
	struct memcg_engine *e = engine_new(MEMCG_MODE_V2,
					    MEMCG_POLICY_REPARENT);
	struct mem_cgroup *root = memcg_root(e), *a;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_file_mode(a, "memory.max"), 0100644);
	assert_int_equal(memcg_file_mode(a, "memory.current"), 0100444);
	assert_int_equal(memcg_file_mode(a, "memory.reclaim"), 0100200);
	assert_int_equal(memcg_file_mode(root, "memory.reclaim"), 0100200);
	/* 6.1, the default profile, has no memory.peak write handler */
	assert_int_equal(memcg_file_mode(a, "memory.peak"), 0100444);
	/* not in the root; not served; no such file; a child */
	assert_int_equal(memcg_file_mode(root, "memory.max"), -ENOENT);
	assert_int_equal(memcg_file_mode(a, "cgroup.procs"), -ENOENT);
	assert_int_equal(memcg_file_mode(a, "memory.foo"), -ENOENT);
	assert_int_equal(memcg_file_mode(root, "A"), -ENOENT);
	assert_int_equal(memcg_file_mode(NULL, "memory.max"), -EINVAL);
	assert_int_equal(memcg_file_mode(a, NULL), -EINVAL);
	memcg_put(a);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_root_and_child),
		cmocka_unit_test(test_dying_child_not_listed),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_file_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
