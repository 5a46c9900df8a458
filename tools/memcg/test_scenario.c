// SPDX-License-Identifier: MIT
/*
 * The scenario parser (scenario*.c): every command form, every
 * malformed-file case with its FILE:LINE message, errno names, loading
 * files, the string table. Expect evaluation and the output formats are
 * test_report.c's.
 */
#include "scenario_test.h"

static void test_sizes(void **state)
{
	uint64_t v;
	int64_t s;

	assert_int_equal(scn_parse_size("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(scn_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(scn_parse_size("4K", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(scn_parse_size("50M", &v), 0);
	assert_int_equal(v, 50ULL << 20);
	assert_int_equal(scn_parse_size("2g", &v), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(scn_parse_size("1T", &v), 0);
	assert_int_equal(v, 1ULL << 40);
	assert_int_equal(scn_parse_size("", &v), -EINVAL);
	assert_int_equal(scn_parse_size("M", &v), -EINVAL);
	assert_int_equal(scn_parse_size("10Q", &v), -EINVAL);
	assert_int_equal(scn_parse_size("10MB", &v), -EINVAL);
	assert_int_equal(scn_parse_size("-1", &v), -EINVAL);
	assert_int_equal(scn_parse_size("1.5G", &v), -EINVAL);
	assert_int_equal(scn_parse_size("18446744073709551615", &v), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(scn_parse_size("18446744073709551616", &v), -ERANGE);
	assert_int_equal(scn_parse_size("16777216T", &v), -ERANGE);

	assert_int_equal(scn_parse_value("max", &s), 0);
	assert_int_equal(s, INT64_MAX);
	assert_int_equal(scn_parse_value("-5", &s), 0);
	assert_int_equal(s, -5);
	assert_int_equal(scn_parse_value("+1K", &s), 0);
	assert_int_equal(s, 1024);
	assert_int_equal(scn_parse_value("-9223372036854775808", &s), 0);
	assert_int_equal(s, INT64_MIN);
	assert_int_equal(scn_parse_value("9223372036854775808", &s), -ERANGE);
	assert_int_equal(scn_parse_value("maxi", &s), -EINVAL);
}

static void test_machine(void **state)
{
	struct scenario *s = parse_ok("mkdir A\n");

	assert_int_equal(s->machine.memory_bytes, 1ULL << 30);
	assert_int_equal(s->machine.swap_bytes, 512ULL << 20);
	assert_int_equal(s->machine.cpus, 2);
	assert_int_equal(s->machine.mode, SCN_MODE_V2);
	assert_int_equal(s->machine.policy, SCN_POLICY_REPARENT);
	assert_int_equal(s->machine.retries, SCN_RETRIES_SKIP);
	assert_int_equal(s->machine.given, 0);
	assert_int_equal(s->machine.line, 0);
	scenario_free(s);

	s = parse_ok("# header\n\nmachine memory=256M swap=0 cpus=4 mode=v1 "
		     "policy=kernel retries=kernel  # comment\nmkdir A\n");
	assert_int_equal(s->machine.memory_bytes, 256ULL << 20);
	assert_int_equal(s->machine.swap_bytes, 0);
	assert_int_equal(s->machine.cpus, 4);
	assert_int_equal(s->machine.mode, SCN_MODE_V1);
	assert_int_equal(s->machine.policy, SCN_POLICY_KERNEL);
	assert_int_equal(s->machine.retries, SCN_RETRIES_KERNEL);
	assert_int_equal(s->machine.given, SCN_GIVEN_MEMORY | SCN_GIVEN_SWAP |
			 SCN_GIVEN_CPUS | SCN_GIVEN_MODE | SCN_GIVEN_POLICY |
			 SCN_GIVEN_RETRIES);
	assert_int_equal(s->machine.line, 3);
	assert_int_equal(s->nr_cmds, 1);
	assert_int_equal(s->cmds[0].line, 4);
	scenario_free(s);

	s = parse_ok("machine\n");
	assert_int_equal(s->machine.given, 0);
	assert_int_equal(s->nr_cmds, 0);
	scenario_free(s);

	s = parse_ok("machine swap=1G\n");
	assert_int_equal(s->machine.given, SCN_GIVEN_SWAP);
	assert_int_equal(s->machine.swap_bytes, 1ULL << 30);
	assert_int_equal(s->machine.memory_bytes, 1ULL << 30);
	scenario_free(s);
}

static void test_machine_kernel(void **state)
{
	struct scenario *s = parse_ok("mkdir A\n");

	(void)state;
	assert_int_equal(s->machine.kernel, SCN_KERNEL_6_1);
	assert_int_equal(s->machine.reclaim, SCN_RECLAIM_DEFAULT);
	scenario_free(s);

	s = parse_ok("machine kernel=6.12 reclaim=mglru\n");
	assert_int_equal(s->machine.kernel, SCN_KERNEL_6_12);
	assert_int_equal(s->machine.reclaim, SCN_RECLAIM_MGLRU);
	assert_int_equal(s->machine.given, SCN_GIVEN_KERNEL |
			 SCN_GIVEN_RECLAIM);
	scenario_free(s);

	s = parse_ok("machine reclaim=classic kernel=6.1 mode=v1\n");
	assert_int_equal(s->machine.kernel, SCN_KERNEL_6_1);
	assert_int_equal(s->machine.reclaim, SCN_RECLAIM_CLASSIC);
	assert_int_equal(s->machine.mode, SCN_MODE_V1);
	scenario_free(s);

	s = parse_ok("machine kernel=6.12 mode=v2\n");
	assert_int_equal(s->machine.given, SCN_GIVEN_KERNEL | SCN_GIVEN_MODE);
	assert_int_equal(s->machine.thp, SCN_THP_NEVER);
	scenario_free(s);

	s = parse_ok("machine swap=0 thp=always\n");
	assert_int_equal(s->machine.thp, SCN_THP_ALWAYS);
	assert_int_equal(s->machine.given, SCN_GIVEN_SWAP | SCN_GIVEN_THP);
	scenario_free(s);

	s = parse_ok("machine thp=never\n");
	assert_int_equal(s->machine.thp, SCN_THP_NEVER);
	assert_int_equal(s->machine.given, SCN_GIVEN_THP);
	scenario_free(s);
	assert_string_equal(scn_thp_str(SCN_THP_NEVER), "never");
	assert_string_equal(scn_thp_str(SCN_THP_ALWAYS), "always");

	assert_string_equal(scn_kernel_str(SCN_KERNEL_6_1), "6.1");
	assert_string_equal(scn_kernel_str(SCN_KERNEL_6_12), "6.12");
	assert_string_equal(scn_reclaim_str(SCN_RECLAIM_DEFAULT), "default");
	assert_string_equal(scn_reclaim_str(SCN_RECLAIM_CLASSIC), "classic");
	assert_string_equal(scn_reclaim_str(SCN_RECLAIM_MGLRU), "mglru");
}

static void test_cgroup_commands(void **state)
{
	struct scenario *s = parse_ok(
		"mkdir A\n"
		"mkdir ./A/B/\n"
		"write A/memory.max 50M\n"
		"write A/B/memory.reclaim 10M   swappiness=0 # c\n"
		"show A/B/memory.current\n"
		"show cgroup.stat\n"
		"show ./memory.stat\n"
		"rmdir A/B\n"
		"mkdir A/B\n"
		"write memory.reclaim 1M\n");
	struct scn_cmd *c = s->cmds;

	assert_int_equal(s->nr_cmds, 10);
	assert_int_equal(s->nr_cgroups, 2);
	assert_string_equal(s->cgroups[0], "A");
	assert_string_equal(s->cgroups[1], "A/B");

	assert_int_equal(c[0].type, SCN_MKDIR);
	assert_string_equal(c[0].cgroup, "A");
	assert_int_equal(c[0].line, 1);
	assert_int_equal(c[1].type, SCN_MKDIR);
	assert_string_equal(c[1].cgroup, "A/B");
	assert_int_equal(c[2].type, SCN_WRITE);
	assert_string_equal(c[2].cgroup, "A");
	assert_string_equal(c[2].file, "memory.max");
	assert_string_equal(c[2].value, "50M");
	assert_string_equal(c[3].value, "10M swappiness=0");
	assert_string_equal(c[3].text,
			    "write A/B/memory.reclaim 10M swappiness=0");
	assert_int_equal(c[4].type, SCN_SHOW);
	assert_string_equal(c[4].cgroup, "A/B");
	assert_string_equal(c[4].file, "memory.current");
	assert_string_equal(c[5].cgroup, ".");
	assert_string_equal(c[5].file, "cgroup.stat");
	assert_string_equal(c[6].cgroup, ".");
	assert_string_equal(c[6].file, "memory.stat");
	assert_int_equal(c[7].type, SCN_RMDIR);
	assert_string_equal(c[7].cgroup, "A/B");
	assert_int_equal(c[7].line, 8);
	assert_string_equal(c[9].cgroup, ".");
	assert_int_equal(c[9].task_index, -1);
	scenario_free(s);
}

static void test_task_commands(void **state)
{
	struct scenario *s = parse_ok(
		"mkdir A\n"
		"mkdir B\n"
		"task t1 A\n"
		"task t2 .\n"
		"move t1 B\n"
		"t1 anon 100M\n"
		"t1 unmap 20M\n"
		"t1 read data 50M\n"
		"t1 mlock 10M\n"
		"t1 touch 4K\n"
		"t2 oom_score_adj -1000\n"
		"t1 exit\n"
		"t2 oom_score_adj 1000\n"
		"t2 write out 8K\n");
	struct scn_cmd *c = s->cmds;

	assert_int_equal(s->nr_tasks, 2);
	assert_string_equal(s->tasks[0], "t1");
	assert_string_equal(s->tasks[1], "t2");
	assert_int_equal(c[2].type, SCN_TASK);
	assert_string_equal(c[2].task, "t1");
	assert_string_equal(c[2].cgroup, "A");
	assert_int_equal(c[2].task_index, 0);
	assert_int_equal(c[3].task_index, 1);
	assert_string_equal(c[3].cgroup, ".");
	assert_int_equal(c[4].type, SCN_MOVE);
	assert_string_equal(c[4].cgroup, "B");
	assert_int_equal(c[4].task_index, 0);
	assert_int_equal(c[5].type, SCN_ANON);
	assert_int_equal(c[5].bytes, 100ULL << 20);
	assert_int_equal(c[5].task_index, 0);
	assert_int_equal(c[6].type, SCN_UNMAP);
	assert_int_equal(c[6].bytes, 20ULL << 20);
	assert_int_equal(c[7].type, SCN_READ);
	assert_string_equal(c[7].file, "data");
	assert_int_equal(c[7].bytes, 50ULL << 20);
	assert_int_equal(c[8].type, SCN_MLOCK);
	assert_int_equal(c[9].type, SCN_TOUCH);
	assert_int_equal(c[9].bytes, 4096);
	assert_int_equal(c[10].type, SCN_OOM_SCORE_ADJ);
	assert_int_equal(c[10].adj, -1000);
	assert_int_equal(c[10].task_index, 1);
	assert_int_equal(c[11].type, SCN_EXIT);
	assert_int_equal(c[12].adj, 1000);
	assert_int_equal(c[13].type, SCN_FWRITE);
	assert_string_equal(c[13].file, "out");
	assert_int_equal(c[13].bytes, 8192);
	assert_int_equal(c[13].task_index, 1);
	for (size_t i = 5; i < 14; i++)
		assert_true(scn_cmd_is_task(c[i].type));
	assert_false(scn_cmd_is_task(c[4].type));
	scenario_free(s);
}

/* A file range: "at OFFSET" after read and write; truncate FILE SIZE. */
static void test_file_ranges(void **state)
{
	struct scenario *s = parse_ok(
		"task t .\n"
		"t read big 64M at 4194240M\n"
		"t write big 4K at 1T\n"
		"t truncate big 0\n"
		"t read big 8K\n");
	struct scn_cmd *c = s->cmds;

	(void)state;
	assert_int_equal(c[1].type, SCN_READ);
	assert_int_equal(c[1].bytes, 64ULL << 20);
	assert_true(c[1].offset == 4194240ULL << 20);
	assert_true(c[1].has_offset);
	assert_int_equal(c[2].type, SCN_FWRITE);
	assert_true(c[2].offset == 1ULL << 40);
	assert_int_equal(c[3].type, SCN_TRUNCATE);
	assert_string_equal(c[3].file, "big");
	assert_int_equal(c[3].bytes, 0);
	assert_false(c[3].has_offset);
	assert_true(scn_cmd_is_task(c[3].type));
	assert_string_equal(scn_cmd_name(c[3].type), "truncate");
	assert_int_equal(c[4].offset, 0);
	assert_false(c[4].has_offset);
	scenario_free(s);
	parse_bad("task t .\nt read big 4K from 8K\n", 2,
		  "'from' after the size: expected 'TASK read FILE SIZE "
		  "[at OFFSET]'");
	parse_bad("task t .\nt read big 4K at\n", 2,
		  "expected 'TASK read FILE SIZE [at OFFSET]'");
	parse_bad("task t .\nt write big 4K at lots\n", 2, "bad size 'lots'");
	parse_bad("task t .\nt truncate big 4K at 8K\n", 2,
		  "expected 'TASK truncate FILE SIZE'");
	parse_bad("task t .\nt truncate big\n", 2,
		  "expected 'TASK truncate FILE SIZE'");
	parse_bad("task t .\nt read big 2T at 16777215T\n", 2,
		  "'2T at 16777215T' ends past 16E");
}

static void test_expect_commands(void **state)
{
	struct scenario *s = parse_ok(
		"mkdir A\n"
		"task t1 A\n"
		"expect A/memory.current ~ 30M 5%\n"
		"expect A/memory.events max > 0\n"
		"expect cgroup.stat nr_dying_descendants == 0\n"
		"expect t1 killed\n"
		"expect t1 alive\n"
		"expect A/memory.max == max\n"
		"expect A/memory.current ~ 30M\n"
		"expect A/memory.stat anon ~ 1G 2.5%\n"
		"expect A/memory.oom.group != yes\n"
		"expect A/memory.current <= 1M\n"
		"expect A/memory.current < 1M\n"
		"expect A/memory.current >= -1\n");
	struct scn_cmd *c = s->cmds;

	assert_int_equal(c[2].type, SCN_EXPECT);
	assert_string_equal(c[2].cgroup, "A");
	assert_string_equal(c[2].file, "memory.current");
	assert_null(c[2].key);
	assert_int_equal(c[2].op, SCN_OP_CLOSE);
	assert_string_equal(c[2].want, "30M");
	assert_true(c[2].want_is_num);
	assert_int_equal(c[2].want_num, 30 << 20);
	assert_true(c[2].has_tol);
	assert_true(c[2].tol == 5.0);
	assert_string_equal(c[2].expr, "A/memory.current ~ 30M 5%");

	assert_string_equal(c[3].key, "max");
	assert_int_equal(c[3].op, SCN_OP_GT);
	assert_int_equal(c[3].want_num, 0);
	assert_false(c[3].has_tol);

	assert_string_equal(c[4].cgroup, ".");
	assert_string_equal(c[4].file, "cgroup.stat");
	assert_string_equal(c[4].key, "nr_dying_descendants");
	assert_int_equal(c[4].op, SCN_OP_EQ);

	assert_int_equal(c[5].type, SCN_EXPECT_TASK);
	assert_true(c[5].want_killed);
	assert_int_equal(c[5].task_index, 0);
	assert_string_equal(c[5].expr, "t1 killed");
	assert_false(c[6].want_killed);

	assert_int_equal(c[7].want_num, INT64_MAX);
	assert_false(c[8].has_tol);
	assert_true(c[8].tol == SCN_DEFAULT_TOLERANCE);
	assert_true(c[9].tol == 2.5);
	assert_false(c[10].want_is_num);
	assert_int_equal(c[10].op, SCN_OP_NE);
	assert_int_equal(c[11].op, SCN_OP_LE);
	assert_int_equal(c[12].op, SCN_OP_LT);
	assert_int_equal(c[13].op, SCN_OP_GE);
	assert_int_equal(c[13].want_num, -1);
	scenario_free(s);
}

static void test_expect_write(void **state)
{
	struct scenario *s = parse_ok(
		"mkdir A\n"
		"expect write A/memory.max foo fails EINVAL\n"
		"expect  write  A/memory.high   1 2\tfails EBUSY  # comment\n"
		"expect write memory.min 1M fails ENOENT\n"
		"expect write A/memory.max fails fails EINVAL\n"
		"expect write A/memory.max x fails E4095\n");
	struct scn_cmd *c = s->cmds;

	assert_int_equal(s->nr_cmds, 6);
	assert_int_equal(c[1].type, SCN_EXPECT_WRITE);
	assert_int_equal(c[1].line, 2);
	assert_string_equal(c[1].cgroup, "A");
	assert_string_equal(c[1].file, "memory.max");
	assert_string_equal(c[1].value, "foo");
	assert_string_equal(c[1].want, "EINVAL");
	assert_int_equal(c[1].want_errno, EINVAL);
	assert_string_equal(c[1].expr, "write A/memory.max foo fails EINVAL");
	assert_string_equal(scn_cmd_name(c[1].type), "expect");
	assert_false(scn_cmd_is_task(c[1].type));
	assert_int_equal(c[1].task_index, -1);

	/* the value is every word between the file and "fails" */
	assert_string_equal(c[2].value, "1 2");
	assert_int_equal(c[2].want_errno, EBUSY);
	assert_string_equal(c[2].expr, "write A/memory.high 1 2 fails EBUSY");

	assert_string_equal(c[3].cgroup, ".");
	assert_string_equal(c[3].file, "memory.min");
	assert_int_equal(c[3].want_errno, ENOENT);

	assert_string_equal(c[4].value, "fails");
	assert_int_equal(c[5].want_errno, 4095);
	scenario_free(s);
}

static void test_expect_write_malformed(void **state)
{
	parse_bad("mkdir A\nexpect write A/memory.max foo fails EFOO\n", 2,
		  "unknown errno name 'EFOO': expected a name such as EINVAL");
	parse_bad("mkdir A\nexpect write A/memory.max foo fails einval\n", 2,
		  "unknown errno name 'einval'");
	parse_bad("mkdir A\nexpect write A/memory.max foo fails E22\n", 2,
		  "unknown errno name 'E22'");
	parse_bad("mkdir A\nexpect write A/memory.max foo fails\n", 2,
		  "missing errno name after 'fails': expected 'expect write "
		  "CGROUP/FILE VALUE fails ERRNO'");
	parse_bad("mkdir A\nexpect write A/memory.max foo EINVAL\n", 2,
		  "malformed expect write: expected 'expect write CGROUP/FILE "
		  "VALUE fails ERRNO'");
	parse_bad("mkdir A\nexpect write A/memory.max foo bar EINVAL\n", 2,
		  "malformed expect write");
	parse_bad("mkdir A\nexpect write A/memory.max fails EINVAL\n", 2,
		  "missing value to write: expected");
	parse_bad("mkdir A\nexpect write A/memory.max\n", 2,
		  "malformed expect write");
	parse_bad("expect write\n", 1, "malformed expect write");
	parse_bad("expect write B/memory.max 1 fails EINVAL\n", 1,
		  "unknown cgroup 'B'");
	parse_bad("mkdir A\nexpect write A/Memory 1 fails EINVAL\n", 2,
		  "bad control file 'A/Memory'");
	/* the other expect forms still name this one */
	parse_bad("mkdir A\nexpect A/memory.max\n", 2,
		  "or 'expect write CGROUP/FILE VALUE fails ERRNO'");
}

static void test_comments_and_blanks(void **state)
{
	struct scenario *s = parse_ok(
		"# only a comment\n"
		"   \t  \n"
		"mkdir A#no blank before the comment\r\n"
		"\tshow   A/memory.max\t# tabs\n"
		"show A/memory.max");	/* no final newline */

	assert_int_equal(s->nr_cmds, 3);
	assert_int_equal(s->cmds[0].line, 3);
	assert_string_equal(s->cmds[0].cgroup, "A");
	assert_int_equal(s->cmds[1].line, 4);
	assert_string_equal(s->cmds[1].text, "show A/memory.max");
	assert_int_equal(s->cmds[2].line, 5);
	scenario_free(s);

	s = parse_ok("");
	assert_int_equal(s->nr_cmds, 0);
	scenario_free(s);
}

static void test_malformed(void **state)
{
	/* unknown command */
	parse_bad("mkdir A\nfrobnicate A\n", 2, "unknown command 'frobnicate'");
	parse_bad("mkdir A\nmkdir\n", 2, "expected 'mkdir CGROUP'");
	parse_bad("mkdir A B\n", 1, "expected 'mkdir CGROUP'");
	parse_bad("mkdir .\n", 1, "bad cgroup path");
	parse_bad("mkdir A/../B\n", 1, "bad cgroup path");
	parse_bad("mkdir A//B\n", 1, "bad cgroup path");
	parse_bad("mkdir A\"B\n", 1, "bad cgroup path");
	parse_bad("mkdir A\\B\n", 1, "bad cgroup path");
	parse_bad("mkdir A<B>\n", 1, "bad cgroup path");
	/* machine */
	parse_bad("mkdir A\nmachine memory=1G\n", 2, "'machine' only as the first");
	parse_bad("machine\nmachine\n", 2, "'machine' only as the first");
	parse_bad("machine memory=lots\n", 1, "bad size 'lots'");
	parse_bad("machine memory=0\n", 1, "bad size '0'");
	parse_bad("machine swap=1X\n", 1, "bad size '1X'");
	parse_bad("machine cpus=0\n", 1, "bad cpus");
	parse_bad("machine cpus=2x\n", 1, "bad cpus");
	parse_bad("machine mode=v3\n", 1, "bad mode 'v3'");
	parse_bad("machine policy=zombie\n", 1, "bad policy");
	parse_bad("machine colour=blue\n", 1, "unknown machine setting");
	parse_bad("machine memory\n", 1, "expected KEY=VALUE");
	parse_bad("machine kernel=6.2\n", 1,
		  "bad kernel '6.2': expected kernel=6.1 or kernel=6.12");
	parse_bad("machine kernel=\n", 1, "bad kernel ''");
	parse_bad("machine kernel=6.1.0\n", 1, "bad kernel '6.1.0'");
	parse_bad("machine reclaim=lru\n", 1,
		  "bad reclaim 'lru': expected reclaim=classic or "
		  "reclaim=mglru");
	parse_bad("machine reclaim=MGLRU\n", 1, "bad reclaim 'MGLRU'");
	parse_bad("machine mode=v1 kernel=6.12\n", 1,
		  "mode=v1 with kernel=6.12: Debian's 6.12 is built without "
		  "CONFIG_MEMCG_V1");
	parse_bad("# v1\nmachine kernel=6.12 swap=0 mode=v1\n", 2,
		  "without CONFIG_MEMCG_V1");
	parse_bad("machine kernel=6.12 colour=blue\n", 1,
		  "expected memory=, swap=, cpus=, mode=, policy=, kernel=, "
		  "reclaim=, thp= or retries=");
	parse_bad("machine retries=none\n", 1,
		  "bad retries 'none': expected retries=skip or retries=kernel");
	parse_bad("# r\nmachine retries=\n", 2, "bad retries ''");
	parse_bad("machine memory=512M thp=madvise\n", 1,
		  "bad thp 'madvise': expected thp=always or thp=never");
	parse_bad("# huge\nmachine thp=\n", 2, "bad thp ''");
	parse_bad("machine thp=ALWAYS\n", 1, "bad thp 'ALWAYS'");
	/* bad sizes */
	parse_bad("task t .\nt anon 10Q\n", 2, "bad size '10Q'");
	parse_bad("task t .\nt anon -1M\n", 2, "bad size '-1M'");
	parse_bad("task t .\nt unmap\n", 2, "expected 'TASK unmap SIZE'");
	parse_bad("task t .\nt read f 1.5M\n", 2, "bad size '1.5M'");
	parse_bad("task t .\nt read 1M\n", 2, "expected 'TASK read FILE SIZE [at OFFSET]'");
	parse_bad("task t .\nt read a/b 1M\n", 2, "bad file name");
	parse_bad("task t .\nt write 1M\n", 2, "expected 'TASK write FILE SIZE [at OFFSET]'");
	parse_bad("task t .\nt write ../x 1M\n", 2, "bad file name");
	parse_bad("task t .\nt write out 1Q\n", 2, "bad size '1Q'");
	parse_bad("task t .\nt mlock 99999999999999999999\n", 2, "bad size");
	parse_bad("task t .\nt touch 1M 2M\n", 2, "expected 'TASK touch SIZE'");
	parse_bad("task t .\nt exit now\n", 2, "expected 'TASK exit'");
	parse_bad("task t .\nt oom_score_adj 1001\n", 2, "bad oom_score_adj");
	parse_bad("task t .\nt oom_score_adj x\n", 2, "bad oom_score_adj");
	parse_bad("task t .\nt fly 1M\n", 2, "unknown action 'fly'");
	/* unknown tasks */
	parse_bad("mkdir A\nt1 anon 10M\ntask t1 A\n", 2, "unknown task 't1'");
	parse_bad("move t1 .\n", 1, "unknown task 't1'");
	parse_bad("expect t1 killed\n", 1, "unknown task 't1'");
	parse_bad("task t1 .\ntask t1 .\n", 2, "task 't1' exists (line 1)");
	parse_bad("task mkdir .\n", 1, "bad task name 'mkdir'");
	parse_bad("task a/b .\n", 1, "bad task name");
	/* unknown cgroups */
	parse_bad("task t1 A\n", 1, "unknown cgroup 'A'");
	parse_bad("mkdir A\ntask t .\nmove t B\n", 3, "unknown cgroup 'B'");
	parse_bad("write A/memory.max 1M\nmkdir A\n", 1, "unknown cgroup 'A'");
	parse_bad("show A/B/memory.max\n", 1, "unknown cgroup 'A/B'");
	parse_bad("expect A/memory.max == 1M\n", 1, "unknown cgroup 'A'");
	parse_bad("rmdir A\n", 1, "unknown cgroup 'A'");
	/* bad control files */
	parse_bad("mkdir A\nwrite A/ 1M\n", 2, "bad control file");
	parse_bad("mkdir A\nwrite A/max 1M\n", 2, "bad control file");
	parse_bad("mkdir A\nwrite A/memory.max\n", 2,
		  "expected 'write CGROUP/FILE VALUE'");
	parse_bad("show\n", 1, "expected 'show CGROUP/FILE'");
	parse_bad("show memory..max\n", 1, "bad control file");
	/* found by the fuzzer: an empty cgroup part ("" is the root) */
	{
		struct scenario *s = parse_ok("show /memory.max\n"
					      "show .//memory.max\n");

		assert_string_equal(s->cmds[0].cgroup, ".");
		assert_string_equal(s->cmds[1].cgroup, ".");
		scenario_free(s);
	}
	/* malformed expects */
	parse_bad("mkdir A\nexpect A/memory.max\n", 2, "malformed expect");
	parse_bad("mkdir A\nexpect A/memory.max = 1\n", 2, "malformed expect");
	parse_bad("mkdir A\nexpect A/memory.max == \n", 2, "malformed expect");
	parse_bad("mkdir A\nexpect A/memory.max 1 == 2 3 4\n", 2,
		  "malformed expect");
	parse_bad("mkdir A\nexpect A/memory.max ~ 1M 5% 6%\n", 2,
		  "malformed expect");
	parse_bad("mkdir A\nexpect A/memory.max < lots\n", 2, "bad value 'lots'");
	parse_bad("mkdir A\nexpect A/memory.max ~ 1M 5\n", 2, "bad tolerance");
	parse_bad("mkdir A\nexpect A/memory.max ~ 1M x%\n", 2, "bad tolerance");
	parse_bad("mkdir A\nexpect A/memory.max == 1M 5%\n", 2,
		  "a tolerance only after ~");
	parse_bad("mkdir A\nexpect A/memory.events m-x > 0\n", 2, "bad key");
	parse_bad("expect\n", 1, "malformed expect");
	/* binary junk */
	{
		static const char nul[] = "mkdir A\nmk\0dir B\n";
		struct scenario *s;
		char err[256];

		assert_int_equal(scenario_parse(nul, sizeof(nul) - 1, "t.scn",
						&s, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "t.scn:2: binary data (a NUL byte): "
				    "expected a text file");
	}
	/* control bytes: refused, and escaped where they are echoed */
	parse_bad("mkdir A\n\x1b[2Jmkdir B\n", 2, "control byte \\x1b: "
		  "expected text");
	parse_bad("# a bell \a in a comment\n", 1, "control byte \\x07");
	parse_bad("mkdir A\x7f\n", 1, "control byte \\x7f");
	{
		struct scenario *s;
		char err[256];

		assert_int_equal(scenario_parse("bogus\n", 6, "a\x1b[31m.scn",
						&s, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "a\\x1b[31m.scn:1: unknown command "
				    "'bogus': expected machine, mkdir, rmdir, "
				    "write, show, task, move, expect or 'TASK "
				    "ACTION'");
		/* tabs, CR, VT and FF separate words */
		s = parse_ok("mkdir\tA\r\nshow\vA/memory.max\f\n");
		assert_string_equal(s->cmds[1].file, "memory.max");
		scenario_free(s);
		/* a word that is not UTF-8 echoes escaped */
		assert_int_equal(scenario_parse("\xff\xc2\x9b\n", 4, "t.scn",
						&s, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "t.scn:1: unknown command "
				    "'\\xff\\xc2\\x9b': expected machine, "
				    "mkdir, rmdir, write, show, task, move, "
				    "expect or 'TASK ACTION'");
	}
	/* every message names the file */
	parse_bad("\n\n\nbogus\n", 4, "expected machine, mkdir");
}

static void test_errname(void **state)
{
	assert_string_equal(errname(-ENOENT), "ENOENT");
	assert_string_equal(errname(EINVAL), "EINVAL");
	assert_string_equal(errname(-EBUSY), "EBUSY");
	assert_string_equal(errname(-ESRCH), "ESRCH");
	assert_string_equal(errname(-ENOMEM), "ENOMEM");
	assert_string_equal(errname(4095), "E4095");

	assert_int_equal(errname_parse("EINVAL"), EINVAL);
	assert_int_equal(errname_parse("ENOENT"), ENOENT);
	assert_int_equal(errname_parse("EBUSY"), EBUSY);
	assert_int_equal(errname_parse("E2BIG"), E2BIG);
	assert_int_equal(errname_parse("E4095"), 4095);
	assert_int_equal(errname_parse("E22"), 0);	/* it is EINVAL */
	assert_int_equal(errname_parse("E0"), 0);
	assert_int_equal(errname_parse("E4096"), 0);
	assert_int_equal(errname_parse("E01"), 0);
	assert_int_equal(errname_parse("EFOO"), 0);
	assert_int_equal(errname_parse("einval"), 0);
	assert_int_equal(errname_parse(""), 0);
	assert_int_equal(errname_parse(NULL), 0);
	/* every name errname() prints reads back */
	for (int e = 1; e < 200; e++)
		assert_int_equal(errname_parse(errname(e)), e);
}

static void test_load(void **state)
{
	char path[] = "/tmp/test_scenario_XXXXXX";
	struct scenario *s;
	char err[512];
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("machine cpus=1\nmkdir A\nbogus\n", f);
	fclose(f);
	assert_int_equal(scenario_load(path, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":3: unknown command 'bogus'"));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	unlink(path);
	assert_int_equal(scenario_load(path, &s, err, sizeof(err)), -ENOENT);
	assert_null(s);
	assert_non_null(strstr(err, "No such file"));
	/* a directory, and more than 16M, are not scenarios */
	assert_int_equal(scenario_load("/tmp", &s, err, sizeof(err)), -EISDIR);
	assert_string_equal(err, "/tmp: a directory, not a scenario file");
	assert_int_equal(scenario_load("/dev/zero", &s, err, sizeof(err)),
			 -EFBIG);
	assert_string_equal(err, "/dev/zero: more than 16M, not a scenario "
			    "file");
}

/* The parser's name table: lookups, replacement, growth past 10,000. */
static void test_strtab(void **state)
{
	static char keys[10000][16];
	struct strtab t = { 0 };
	int i;

	(void)state;
	assert_int_equal(strtab_get(&t, "a"), -1);
	for (i = 0; i < 10000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "c%d", i);
		assert_int_equal(strtab_put(&t, keys[i], i), 0);
	}
	assert_int_equal(t.nr, 10000);
	assert_true(t.cap >= 20000);
	for (i = 0; i < 10000; i++)
		assert_int_equal(strtab_get(&t, keys[i]), i);
	assert_int_equal(strtab_get(&t, "c10000"), -1);
	assert_int_equal(strtab_put(&t, keys[7], 70), 0);
	assert_int_equal(strtab_get(&t, "c7"), 70);
	assert_int_equal(t.nr, 10000);
	strtab_free(&t);
	assert_int_equal(strtab_get(&t, "c7"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_machine),
		cmocka_unit_test(test_machine_kernel),
		cmocka_unit_test(test_cgroup_commands),
		cmocka_unit_test(test_task_commands),
		cmocka_unit_test(test_file_ranges),
		cmocka_unit_test(test_expect_commands),
		cmocka_unit_test(test_expect_write),
		cmocka_unit_test(test_expect_write_malformed),
		cmocka_unit_test(test_comments_and_blanks),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_errname),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_strtab),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
