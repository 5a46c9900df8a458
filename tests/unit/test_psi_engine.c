// SPDX-License-Identifier: MIT
/*
 * Pressure from the engine's own stalls: a task throttled by memory.high
 * (on the simulator's virtual clock) shows in memory.pressure with the
 * time it slept, in its cgroup and its ancestors; a trigger written to an
 * open memory.pressure fires; a cgroup nobody stalled in shows none.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "memcg/notify.h"
#include "memcg/sim.h"

static long total(struct mem_cgroup *m, const char *which)
{
	char buf[256], *p;

	assert_true(memcg_read(m, "memory.pressure", buf, sizeof(buf)) > 0);
	p = strstr(buf, which);
	assert_non_null(p);
	p = strstr(p, "total=");
	assert_non_null(p);
	return atol(p + 6);
}

static void test_throttle_is_pressure(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *p, *a, *b;
	struct memcg_file *f;
	struct memcg_task *t;
	struct pollfd pfd;
	char buf[256];
	long us;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 256UL << 20;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_sim_attach(e), 0);	/* the virtual clock */
	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/A", &a), 0);
	assert_int_equal(memcg_mkdir(e, "P/B", &b), 0);
	assert_int_equal(memcg_write(a, "memory.high", "8M"), 0);
	assert_int_equal(memcg_open(a, "memory.pressure", &f), 0);
	assert_int_equal(memcg_file_write(f, "some 150000 1000000"), 0);
	assert_true(memcg_file_read(f, buf, sizeof(buf)) > 0);
	pfd = (struct pollfd){ .fd = memcg_file_pollfd(f), .events = POLLIN };
	assert_true(pfd.fd >= 0);
	assert_int_equal(poll(&pfd, 1, 0), 0);

	/* mlocked: nothing to reclaim, so every batch over high sleeps */
	assert_int_equal(memcg_task_create(e, "t", a, &t), 0);
	assert_int_equal(memcg_task_mlock(t, 16 << 20), 0);
	us = (long)(memcg_clock_ns(e) / 1000);
	assert_true(us > 1000000);		/* over a second throttled */
	assert_int_equal(total(a, "some"), us);
	assert_int_equal(total(a, "full"), us);	/* its only task stalled */
	assert_int_equal(total(p, "some"), us);	/* and so did its parent */
	assert_int_equal(total(b, "some"), 0);
	assert_int_equal(poll(&pfd, 1, 0), 1);	/* the trigger fired */

	memcg_file_close(f);
	assert_int_equal(memcg_task_exit(t), 0);
	memcg_put(a);
	memcg_put(b);
	memcg_put(p);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_throttle_is_pressure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
