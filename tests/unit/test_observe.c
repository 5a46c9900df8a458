// SPDX-License-Identifier: MIT
/*
 * The observers' hooks the memcg tool's plots use: memcg_for_each_dying()
 * sees a removed cgroup while charges keep it (policy kernel) and not
 * once it is freed, nor under the reparent policy; the simulator's
 * progress hook (memcg_sim_set_progress()) is called once per page a
 * task faults in, swaps in or reads, with no engine lock held.
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

#include "memcg/memcg.h"
#include "memcg/sim.h"

static struct memcg_engine *engine(enum memcg_policy policy)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 256UL << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	cfg.policy = policy;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 64UL << 20), 0);
	return e;
}

struct seen {
	int n;
	char path[64];
	uint64_t memory, swap;
};

static void saw(const struct memcg_dying *d, void *arg)
{
	struct seen *s = arg;

	s->n++;
	snprintf(s->path, sizeof(s->path), "%s", d->path);
	s->memory = d->memory;
	s->swap = d->swap;
}

/* Charge @n pages to @cg; the folios stay with the caller. */
static void charge(struct memcg_engine *e, struct mem_cgroup *cg,
		   struct folio **f, int n)
{
	for (int i = 0; i < n; i++) {
		f[i] = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		assert_non_null(f[i]);
		assert_int_equal(memcg_charge(e, f[i], cg, MEMCG_GFP_KERNEL), 0);
	}
}

static void test_dying_kernel_policy(void **state)
{
	struct memcg_engine *e = engine(MEMCG_POLICY_KERNEL);
	struct seen s = { 0 };
	struct mem_cgroup *a;
	struct folio *f[10];

	(void)state;
	assert_int_equal(memcg_mkdir(e, "P", NULL), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &a), 0);
	charge(e, a, f, 10);
	memcg_put(a);
	assert_int_equal(memcg_for_each_dying(e, saw, &s), 0);
	assert_int_equal(s.n, 0);		/* online: not dying */
	assert_int_equal(memcg_rmdir(e, "P/A"), 0);
	assert_int_equal(memcg_for_each_dying(e, saw, &s), 1);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.path, "P/A");
	assert_int_equal(s.memory, 10 * 4096);
	assert_int_equal(s.swap, 0);
	for (int i = 0; i < 10; i++)
		memcg_folio_put(e, f[i]);	/* the last charges go */
	s.n = 0;
	assert_int_equal(memcg_for_each_dying(e, saw, &s), 0);
	assert_int_equal(s.n, 0);		/* freed */
	assert_int_equal(memcg_for_each_dying(e, NULL, NULL), -EINVAL);
	memcg_engine_destroy(e);
}

static void test_dying_reparent_policy(void **state)
{
	struct memcg_engine *e = engine(MEMCG_POLICY_REPARENT);
	struct seen s = { 0 };
	struct mem_cgroup *a;
	struct folio *f[10];

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	charge(e, a, f, 10);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	/* the program's folios moved to the root with A's objcg */
	assert_int_equal(memcg_for_each_dying(e, saw, &s), 0);
	for (int i = 0; i < 10; i++)
		memcg_folio_put(e, f[i]);
	memcg_engine_destroy(e);
}

struct progress {
	int calls;
	long pages;
	struct memcg_engine *e;
	struct memcg_task *t;
	long current_at_last;	/* memory.current read from the hook */
};

static void on_progress(void *priv, struct memcg_task *t, long nr_pages)
{
	struct progress *p = priv;
	char buf[64];

	assert_ptr_equal(t, p->t);
	p->calls++;
	p->pages += nr_pages;
	/* no lock held: a control file reads */
	assert_true(memcg_read(memcg_task_memcg(t), "memory.current", buf,
			       sizeof(buf)) > 0);
	p->current_at_last = atol(buf);
}

static void test_progress(void **state)
{
	struct memcg_engine *e = engine(MEMCG_POLICY_REPARENT);
	struct progress p = { .e = e };
	struct mem_cgroup *a;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.max", "8M"), 0);
	assert_int_equal(memcg_task_create(e, "t", a, &p.t), 0);
	assert_int_equal(memcg_sim_set_progress(e, on_progress, &p), 0);
	assert_int_equal(memcg_task_anon(p.t, 16UL << 20), 0);
	assert_int_equal(p.calls, 4096);	/* one per 4K page */
	assert_int_equal(p.pages, 4096);
	assert_true(p.current_at_last <= 8L << 20);	/* the limit held */
	assert_true(p.current_at_last > 7L << 20);
	/* touching swapped-out pages: one call per page swapped in */
	p.calls = 0;
	p.pages = 0;
	assert_int_equal(memcg_task_touch(p.t, 1UL << 20), 0);
	assert_int_equal(p.calls, 256);
	assert_int_equal(p.pages, 256);
	/* reads through the page cache */
	p.calls = 0;
	assert_int_equal(memcg_task_read(p.t, "f", 1UL << 20), 0);
	assert_int_equal(p.calls, 256);
	/* removed: no more calls */
	assert_int_equal(memcg_sim_set_progress(e, NULL, NULL), 0);
	p.calls = 0;
	assert_int_equal(memcg_task_anon(p.t, 1UL << 20), 0);
	assert_int_equal(p.calls, 0);
	memcg_task_exit(p.t);
	memcg_put(a);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dying_kernel_policy),
		cmocka_unit_test(test_dying_reparent_policy),
		cmocka_unit_test(test_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
