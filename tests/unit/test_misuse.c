// SPDX-License-Identifier: MIT
/*
 * Misuse is caught, not obeyed: NULL handles are no-ops, a folio of
 * another engine or an already freed one is refused with no side effect,
 * a size whose page count would wrap is -EINVAL, and a reference count
 * driven below zero aborts with a message naming the cgroup. The auditor
 * checks that nothing moved.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit.h"
#include "fixture.h"
#include "memcg/sim.h"

static void audit(struct memcg_engine *e, struct mem_cgroup *m)
{
	struct audit_hold h = { m, 1 };

	assert_int_equal(memcg_audit(e, &h, m ? 1 : 0), 0);
}

static void test_null_handles(void **state)
{
	struct memcg_engine *e = test_engine_new(16UL << 20);

	memcg_put(NULL);
	memcg_get(NULL);
	memcg_folio_put(e, NULL);
	assert_int_equal(memcg_charge(e, NULL, memcg_root(e), 0), -EINVAL);
	assert_null(memcg_folio_memcg(e, NULL));
	assert_int_equal(memcg_migrate(e, NULL, NULL), -EINVAL);
	assert_int_equal(memcg_split_folio(e, NULL, NULL), -EINVAL);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

/* A folio of engine B handed to engine A changes nothing in either. */
static void test_foreign_folio(void **state)
{
	struct memcg_engine *a = test_engine_new(16UL << 20);
	struct memcg_engine *b = test_engine_new(16UL << 20);
	struct mem_cgroup *ma, *mb;
	struct folio *fb, *fa;
	memcg_swp_entry_t entry;

	assert_int_equal(memcg_mkdir(a, "A", &ma), 0);
	assert_int_equal(memcg_mkdir(b, "B", &mb), 0);
	assert_int_equal(memcg_swapon(a, NULL, 1UL << 20), 0);
	fb = memcg_folio_alloc(b, MEMCG_FOLIO_ANON, 0);
	fa = memcg_folio_alloc(a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(memcg_charge(b, fb, mb, 0), 0);
	assert_int_equal(memcg_charge(a, fb, ma, 0), -EINVAL);
	assert_int_equal(memcg_charge(a, fa, mb, 0), -EINVAL);	/* B's cgroup */
	assert_int_equal(memcg_migrate(a, fb, fa), -EINVAL);
	assert_int_equal(memcg_move_account(a, fb, ma), -EINVAL);
	assert_int_equal(memcg_swap_out(a, fb, &entry), -EINVAL);
	assert_null(memcg_folio_memcg(a, fb));
	memcg_folio_put(a, fb);			/* reported, ignored */
	memcg_folio_get(a, fb);
	assert_ptr_equal(memcg_folio_memcg(b, fb), mb);
	audit(a, ma);
	audit(b, mb);
	memcg_folio_put(b, fb);
	memcg_folio_put(a, fa);
	audit(a, ma);
	audit(b, mb);
	memcg_put(ma);
	memcg_put(mb);
	memcg_engine_destroy(a);
	memcg_engine_destroy(b);
}

/* A second put of a freed folio is refused: nothing is uncharged twice. */
static void test_double_put(void **state)
{
	struct memcg_engine *e = test_engine_new(16UL << 20);
	struct mem_cgroup *m;
	struct folio *f, *g;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	f = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);
	g = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);
	assert_int_equal(memcg_charge(e, f, m, 0), 0);
	assert_int_equal(memcg_charge(e, g, m, 0), 0);
	memcg_folio_put(e, f);
	memcg_folio_put(e, f);			/* reported, ignored */
	assert_int_equal(memcg_charge(e, f, m, 0), -EINVAL);
	memcg_drain_all_stock(m);
	assert_int_equal(page_counter_read(&m->memory), 1);	/* g only */
	audit(e, m);
	memcg_folio_put(e, g);
	audit(e, m);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/*
 * The public shadow API: a refault counts in its cgroup; an anon folio,
 * a value that is no shadow and a folio already on the LRU are refused.
 * Classic LRU: eviction ages A by one page and A has no active cache,
 * so the refault distance 1 exceeds the working set (0): not activated.
 */
static void test_workingset_api(void **state)
{
	struct memcg_engine *e = test_engine_new(16UL << 20);
	struct mem_cgroup *m;
	struct folio *f, *g, *anon;
	uint64_t shadow;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	f = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);
	g = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);
	anon = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(memcg_charge(e, f, m, 0), 0);
	assert_int_equal(memcg_charge(e, g, m, 0), 0);
	assert_int_equal(memcg_charge(e, anon, m, 0), 0);
	assert_int_equal(memcg_workingset_eviction(e, anon), 0);
	shadow = memcg_workingset_eviction(e, f);
	assert_int_not_equal(shadow, 0);
	assert_int_equal(memcg_workingset_refault(e, g, 12345), -EINVAL);
	assert_int_equal(memcg_page_state(m, MEMCG_WORKINGSET_REFAULT_FILE), 0);
	assert_int_equal(memcg_workingset_refault(e, g, shadow), 0);
	assert_int_equal(memcg_page_state(m, MEMCG_WORKINGSET_REFAULT_FILE), 1);
	assert_int_equal(memcg_page_state(m, MEMCG_WORKINGSET_ACTIVATE_FILE), 0);
	memcg_folio_add_lru(e, g);
	assert_int_equal(memcg_workingset_refault(e, g, shadow), -EINVAL);
	assert_int_equal(memcg_page_state(m, MEMCG_WORKINGSET_REFAULT_FILE), 1);
	memcg_folio_put(e, f);
	memcg_folio_put(e, g);
	memcg_folio_put(e, anon);
	audit(e, m);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/* A size whose page count would wrap is refused, not rounded to 0. */
static void test_size_wraps(void **state)
{
	struct memcg_engine *e = test_engine_new(16UL << 20);
	struct memcg_task *t;
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, "A", &m), 0);
	assert_int_equal(memcg_task_create(e, "t", m, &t), 0);
	assert_int_equal(memcg_task_anon(t, SIZE_MAX), -EINVAL);
	assert_int_equal(memcg_task_anon(t, SIZE_MAX - 4094), -EINVAL);
	assert_int_equal(memcg_task_read(t, "f", SIZE_MAX), -EINVAL);
	assert_int_equal(memcg_task_touch(t, SIZE_MAX), -EINVAL);
	assert_int_equal(memcg_task_unmap(t, SIZE_MAX), -EINVAL);
	assert_int_equal(memcg_task_rss_pages(t), 0);
	assert_int_equal(page_counter_read(&m->memory), 0);
	assert_true(memcg_task_alive(t));
	assert_int_equal(memcg_task_exit(t), 0);
	audit(e, m);
	memcg_put(m);
	memcg_engine_destroy(e);
}

/*
 * Dropping more references than are held aborts, naming the cgroup (in a
 * child process: the abort is the point).
 */
static void test_underflow_aborts(void **state)
{
	int fds[2], status;
	char buf[256] = "";
	pid_t pid;
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct memcg_engine *e = test_engine_new(16UL << 20);
		struct mem_cgroup *m;

		dup2(fds[1], 2);
		if (memcg_mkdir(e, "victim", &m) || memcg_rmdir(e, "victim"))
			_exit(3);
		css_put_many(m, 5);		/* one is held */
		_exit(4);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_true(n > 0);
	assert_non_null(strstr(buf, "cgroup victim: reference count underflow"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_handles),
		cmocka_unit_test(test_foreign_folio),
		cmocka_unit_test(test_double_put),
		cmocka_unit_test(test_workingset_api),
		cmocka_unit_test(test_size_wraps),
		cmocka_unit_test(test_underflow_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
