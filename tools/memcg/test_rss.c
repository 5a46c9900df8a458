// SPDX-License-Identifier: MIT
/*
 * The CLI's memory follows what a scenario uses, not what it declares:
 * `memcg run` of a 1 TiB machine with 1 TiB of swap, idle, with 1 GiB
 * touched, and reading 1 GiB of a 4 TiB file sparse (then cutting it),
 * each peaks under 256 MiB of resident memory, read from wait4()'s
 * ru_maxrss. Every scenario's expects are exact and must hold (exit 0).
 * Under a sanitizer the shadow memory makes RSS no measure of the
 * engine: there only the exit status is checked.
 *
 * Usage: test_rss MEMCG TESTDATA_DIR
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "rss.h"

#define RSS_LIMIT_KB (256L << 10)

static const char *memcg_bin;
static const char *testdata;

/* Run `memcg run DIR/NAME` quietly; its exit status and peak RSS (KiB). */
static void run_scenario(const char *name, int *status, long *maxrss_kb)
{
	char path[4096];
	struct rusage ru;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", testdata, name);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(memcg_bin, memcg_bin, "run", path, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(wait4(pid, status, 0, &ru), pid);
	*maxrss_kb = ru.ru_maxrss;
}

static void check(const char *name)
{
	long kb;
	int status;

	run_scenario(name, &status, &kb);
	print_message("%s: peak RSS %ld KiB\n", name, kb);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	if (RSS_MEASURED)
		assert_true(kb < RSS_LIMIT_KB);
}

static void test_idle(void **state)
{
	(void)state;
	check("tb_idle.scn");
}

static void test_touch_1g(void **state)
{
	(void)state;
	check("tb_touch.scn");
}

static void test_sparse_4t_file(void **state)
{
	(void)state;
	check("sparse_4t.scn");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_touch_1g),
		cmocka_unit_test(test_sparse_4t_file),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: test_rss MEMCG TESTDATA_DIR\n");
		return 2;
	}
	memcg_bin = argv[1];
	testdata = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
