// SPDX-License-Identifier: MIT
/*
 * Trees deeper than one path reaches, built with the relative API
 * (memcg_mkdirat(), memcg_rmdirat(), memcg_lookupat()) as a program builds
 * them in the kernel with mkdirat(2) from a directory fd.
 *
 * The chain is MEMCG_DEEP_DEPTH levels deep (default 5,000, past the
 * 2,048 that one 4,096-byte path allows; ASan builds run it the same).
 * MEMCG_DEEP_DEPTH=max builds until the cgroup ids run out (65,535 with
 * the root's) and checks the kernel's -ENOSPC one level past: the deepest
 * tree there is (test_deep_chain_at took 21 minutes on a busy 2-CPU
 * machine: mkdir and rmdir walk the ancestors, as the kernel's do, and
 * 65,534 cgroups miss every cache). Everything runs on a thread with
 * 64 KiB of stack.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"
#include "destroy_capture.h"

#define DEFAULT_DEPTH 5000
#define ID_LIMIT_DEPTH 65534	/* MEM_CGROUP_ID_MAX ids, one the root's */

static char buf[1 << 16];

/* MEMCG_DEEP_DEPTH, or DEFAULT_DEPTH; 0 for "max" */
static long deep_depth(void)
{
	const char *env = getenv("MEMCG_DEEP_DEPTH");

	if (!env || !*env)
		return DEFAULT_DEPTH;
	if (!strcmp(env, "max"))
		return 0;
	return atol(env) > 0 ? atol(env) : DEFAULT_DEPTH;
}

/* A chain of "a" below the root, @depth levels or up to -ENOSPC (0). */
static struct mem_cgroup *build_chain(struct memcg_engine *e, long *depth,
				      struct mem_cgroup **top)
{
	struct mem_cgroup *m = memcg_root(e), *next;
	long i;
	int err = 0;

	memcg_get(m);
	for (i = 0; !*depth || i < *depth; i++) {
		err = memcg_mkdirat(m, "a", &next);
		if (err)
			break;
		if (!i) {
			memcg_get(next);
			*top = next;
		}
		memcg_put(m);
		m = next;
	}
	if (*depth) {
		assert_int_equal(err, 0);
		return m;
	}
	/* the ids are gone: the kernel's answer, and nothing made */
	assert_int_equal(err, -ENOSPC);
	assert_int_equal(i, ID_LIMIT_DEPTH);
	assert_int_equal(memcg_lookupat(m, "a", &next), -ENOENT);
	*depth = i;
	return m;
}

/* rmdir from the leaf up, each level by the handle ".." gives */
static void remove_chain(struct memcg_engine *e, struct mem_cgroup *leaf,
			 long depth)
{
	struct mem_cgroup *m = leaf, *parent;
	long i;

	/* a level with a child stays */
	assert_int_equal(memcg_rmdirat(memcg_root(e), "a"), -EBUSY);
	for (i = depth; i >= 1; i--) {
		assert_int_equal(memcg_lookupat(m, "..", &parent), 0);
		assert_int_equal(memcg_rmdirat(parent, "a"), 0);
		assert_false(memcg_is_online(m));
		memcg_put(m);
		m = parent;
	}
	assert_ptr_equal(m, memcg_root(e));
	memcg_put(m);
}

static void *deep_at_work(void *arg)
{
	struct memcg_engine *e = arg;
	struct mem_cgroup *top = NULL, *leaf, *cg, *cg2;
	long depth = deep_depth();
	struct folio *f, *g;
	char *full;

	memcg_set_cpu(0);
	leaf = build_chain(e, &depth, &top);
	assert_true(depth > 2048);

	/* no one path reaches the leaf, its handle does */
	assert_int_equal(memcg_path(leaf, buf, 4096), -ENAMETOOLONG);
	full = malloc((size_t)(2 * depth));
	assert_non_null(full);
	assert_int_equal(memcg_path(leaf, full, (size_t)(2 * depth)),
			 2 * depth - 1);
	assert_int_equal(full[0], 'a');
	assert_int_equal(full[2 * depth - 2], 'a');
	assert_int_equal(memcg_lookup(e, full, &cg), -ENAMETOOLONG);
	free(full);
	assert_int_equal(memcg_lookupat(leaf, "../..", &cg), 0);
	assert_int_equal(memcg_lookupat(cg, "a/a", &cg2), 0);
	assert_ptr_equal(cg2, leaf);
	memcg_put(cg2);
	memcg_put(cg);

	/* a page at the leaf, in memory.stat at both ends */
	f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, leaf, MEMCG_GFP_KERNEL), 0);
	assert_true(memcg_read(memcg_root(e), "memory.stat", buf,
			       sizeof(buf)) > 0);
	assert_int_equal(test_file_key(memcg_root(e), "memory.stat", "anon"),
			 4096);
	assert_int_equal(test_file_key(leaf, "memory.stat", "anon"), 4096);

	/* one more fails at the top's limit: reclaim finds nothing */
	assert_int_equal(memcg_write(top, "memory.max", "4096"), 0);
	g = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(g);
	assert_int_equal(memcg_charge(e, g, leaf, MEMCG_GFP_KERNEL), -ENOMEM);
	memcg_folio_put(e, g);
	assert_true(test_file_key(top, "memory.events", "max") > 0);
	assert_int_equal(test_file_key(leaf, "memory.events", "max"), 0);
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { leaf, 1 },
			 { top, 1 } }, 2), 0);
	memcg_folio_put(e, f);

	memcg_put(top);
	remove_chain(e, leaf, depth);
	assert_int_equal(memcg_lookupat(memcg_root(e), "a", &cg), -ENOENT);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	return NULL;
}

static void run_small_stack(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t th;

	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setstacksize(&attr, 64 << 10), 0);
	assert_int_equal(pthread_create(&th, &attr, fn, arg), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	pthread_attr_destroy(&attr);
}

static void test_deep_chain_at(void **state)
{
	struct memcg_engine *e = test_engine_new(16UL << 20);

	(void)state;
	run_small_stack(deep_at_work, e);
	memcg_engine_destroy(e);
}

static void *destroy_work(void *arg)
{
	struct memcg_engine *e = arg;
	struct mem_cgroup *top = NULL, *leaf;
	long depth = deep_depth() ? deep_depth() : ID_LIMIT_DEPTH;

	memcg_set_cpu(0);
	leaf = build_chain(e, &depth, &top);
	assert_true(memcg_read(leaf, "memory.stat", buf, sizeof(buf)) > 0);
	memcg_put(leaf);
	memcg_put(top);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	/* the whole chain goes with the engine, on this small stack */
	assert_int_equal(destroy_capture(e, buf, sizeof(buf)), 0);
	return NULL;
}

static void test_deep_chain_destroyed(void **state)
{
	(void)state;
	run_small_stack(destroy_work, test_engine_new(16UL << 20));
}

static char dying_path[4096];
static uint64_t dying_memory;

static void saw_dying(const struct memcg_dying *d, void *arg)
{
	(void)arg;
	snprintf(dying_path, sizeof(dying_path), "%s", d->path);
	dying_memory = d->memory;
}

/* A dying cgroup deeper than a path is listed by its path's tail. */
static void test_deep_dying_listed(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *top = NULL, *leaf, *parent;
	long depth = 2100;		/* a path of 4,199 bytes */
	struct folio *f;
	size_t n;

	(void)state;
	test_config_init(&cfg, 16UL << 20);
	cfg.policy = MEMCG_POLICY_KERNEL;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	leaf = build_chain(e, &depth, &top);
	memcg_put(top);
	f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, leaf, MEMCG_GFP_KERNEL), 0);
	assert_int_equal(memcg_lookupat(leaf, "..", &parent), 0);
	memcg_put(leaf);
	assert_int_equal(memcg_rmdirat(parent, "a"), 0);
	assert_int_equal(memcg_for_each_dying(e, saw_dying, NULL), 1);
	assert_int_equal(dying_memory, 4096);
	n = strlen(dying_path);
	assert_true(n >= 4000 && n < 4096);
	assert_memory_equal(dying_path, ".../a/a/a", 9);
	assert_string_equal(dying_path + n - 4, "/a/a");
	memcg_folio_put(e, f);
	memcg_put(parent);
	memcg_engine_destroy(e);
}

/* The relative forms' own answers, as the kernel's *at(2) calls. */
static void test_at_errno(void **state)
{
	struct memcg_engine *e = test_engine_new(16UL << 20);
	struct mem_cgroup *a, *b, *c, *cg;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_mkdirat(a, "B", &b), 0);
	assert_int_equal(memcg_lookup(e, "A/B", &cg), 0);
	assert_ptr_equal(cg, b);
	memcg_put(cg);
	/* relative to the handle; an absolute path from the root */
	assert_int_equal(memcg_lookupat(a, "B/..", &cg), 0);
	assert_ptr_equal(cg, a);
	memcg_put(cg);
	assert_int_equal(memcg_lookupat(b, "", &cg), 0);
	assert_ptr_equal(cg, b);
	memcg_put(cg);
	assert_int_equal(memcg_lookupat(b, "/A", &cg), 0);
	assert_ptr_equal(cg, a);
	memcg_put(cg);
	assert_int_equal(memcg_mkdirat(b, "/A/C", &c), 0);
	assert_int_equal(memcg_lookup(e, "A/C", &cg), 0);
	assert_ptr_equal(cg, c);
	memcg_put(cg);
	assert_int_equal(memcg_lookupat(memcg_root(e), "..", &cg), -ENOENT);
	assert_int_equal(memcg_mkdirat(memcg_root(e), "../X", NULL), -EPERM);

	/* the path forms of memcg_mkdir() */
	assert_int_equal(memcg_mkdirat(a, "B", NULL), -EEXIST);
	assert_int_equal(memcg_mkdirat(a, ".", NULL), -EEXIST);
	assert_int_equal(memcg_mkdirat(a, "memory.max", NULL), -EEXIST);
	assert_int_equal(memcg_mkdirat(a, "memory.max/X", NULL), -ENOTDIR);
	assert_int_equal(memcg_mkdirat(a, "X/Y", NULL), -ENOENT);
	assert_int_equal(memcg_rmdirat(a, "."), -EINVAL);
	assert_int_equal(memcg_rmdirat(a, ".."), -ENOTEMPTY);
	assert_int_equal(memcg_rmdirat(a, ""), -EBUSY);
	assert_int_equal(memcg_rmdirat(a, "memory.max"), -ENOTDIR);
	memset(buf, 'x', 4096);
	buf[4096] = 0;
	assert_int_equal(memcg_mkdirat(a, buf, NULL), -ENAMETOOLONG);
	assert_int_equal(memcg_lookupat(a, buf, &cg), -ENAMETOOLONG);
	assert_int_equal(memcg_rmdirat(a, buf), -ENAMETOOLONG);

	/* a removed directory: empty, no entry made in it */
	assert_int_equal(memcg_rmdirat(a, "B"), 0);
	assert_false(memcg_is_online(b));
	assert_int_equal(memcg_mkdirat(b, "X", NULL), -ENOENT);
	assert_int_equal(memcg_mkdirat(b, "memory.max", NULL), -ENOENT);
	assert_int_equal(memcg_mkdirat(b, ".", NULL), -EEXIST);
	assert_int_equal(memcg_lookupat(b, "X", &cg), -ENOENT);
	assert_int_equal(memcg_lookupat(b, "", &cg), -ENOENT);
	assert_null(cg);
	assert_int_equal(memcg_rmdirat(b, "X"), -ENOENT);
	assert_int_equal(memcg_rmdirat(b, "."), -EINVAL);
	/* its parent is still reached */
	assert_int_equal(memcg_lookupat(b, "..", &cg), 0);
	assert_ptr_equal(cg, a);
	memcg_put(cg);

	/* NULL */
	assert_int_equal(memcg_mkdirat(NULL, "X", NULL), -EINVAL);
	assert_int_equal(memcg_mkdirat(a, NULL, NULL), -EINVAL);
	assert_int_equal(memcg_rmdirat(NULL, "X"), -EINVAL);
	assert_int_equal(memcg_rmdirat(a, NULL), -EINVAL);
	assert_int_equal(memcg_lookupat(NULL, "X", &cg), -EINVAL);
	assert_int_equal(memcg_lookupat(a, NULL, &cg), -EINVAL);
	assert_int_equal(memcg_lookupat(a, "X", NULL), -EINVAL);

	memcg_put(b);
	memcg_put(c);
	assert_int_equal(memcg_rmdirat(a, "C"), 0);
	assert_int_equal(memcg_audit(e, (struct audit_hold[]){ { a, 1 } }, 1), 0);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_at_errno),
		cmocka_unit_test(test_deep_chain_at),
		cmocka_unit_test(test_deep_chain_destroyed),
		cmocka_unit_test(test_deep_dying_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
