// SPDX-License-Identifier: MIT
/*
 * fork() with engines: a child of a process that has used engines can
 * create, use and destroy engines of its own, and destroy its copy of an
 * inherited one (rcu_fork.c). Without liburcu's fork handlers the child
 * hangs in rcu_barrier() at destroy; the child's alarm turns a hang into
 * a failure.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "memcg/memcg.h"

#define CHILD_SECONDS 60

static struct memcg_engine *engine(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	return e;
}

/* A cgroup that charges and frees a folio, then is removed: call_rcu work. */
static int churn(struct memcg_engine *e)
{
	struct mem_cgroup *m;
	struct folio *f;
	int err;

	err = memcg_mkdir(e, "A", &m);
	if (err)
		return err;
	f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	if (!f)
		err = -ENOMEM;
	else if (!(err = memcg_charge(e, f, m, 0)))
		memcg_folio_put(e, f);
	memcg_put(m);
	return err ? err : memcg_rmdir(e, "A");
}

/* Run @fn in a child; it must exit 0 before its alarm. */
static void in_child(void (*fn)(struct memcg_engine *), struct memcg_engine *e)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(CHILD_SECONDS);
		fn(e);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void child_new_engine(struct memcg_engine *unused)
{
	struct memcg_engine *e;
	struct memcg_config cfg;

	(void)unused;
	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.nr_cpus = 2;
	cfg.dataless = true;
	if (memcg_engine_create(&cfg, &e))
		_exit(2);
	if (churn(e))
		_exit(3);
	memcg_engine_destroy(e);
}

static void child_inherited_engine(struct memcg_engine *e)
{
	if (churn(e))
		_exit(3);
	memcg_engine_destroy(e);
}

static void test_fork_after_destroy(void **state)
{
	struct memcg_engine *e = engine();

	(void)state;
	assert_int_equal(churn(e), 0);
	memcg_engine_destroy(e);
	in_child(child_new_engine, NULL);
}

static void test_fork_with_live_engine(void **state)
{
	struct memcg_engine *e = engine();

	(void)state;
	assert_int_equal(churn(e), 0);
	in_child(child_new_engine, NULL);
	in_child(child_inherited_engine, e);
	/* The parent's engine is untouched by the child's destroy. */
	assert_int_equal(churn(e), 0);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_after_destroy),
		cmocka_unit_test(test_fork_with_live_engine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
