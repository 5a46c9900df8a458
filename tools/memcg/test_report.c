// SPDX-License-Identifier: MIT
/*
 * Expect evaluation and the output formats (report.c): the report lines in
 * text and JSON, write diagnostics, escaping of what the user wrote. The
 * parser is test_scenario.c's.
 */
#include "scenario_test.h"

static void test_values_close(void **state)
{
	/* the selftests' values_close(a, b, err): |a-b| <= (a+b)/100*err */
	assert_true(report_values_close(100, 100, 0));
	assert_true(report_values_close(105, 100, 5));	/* 5 <= 10.25 */
	assert_true(report_values_close(110, 100, 5));	/* 10 <= 10.5 */
	assert_false(report_values_close(111, 100, 5));	/* 11 > 10.55 */
	assert_true(report_values_close(30 << 20, 31 << 20, 3));
	assert_false(report_values_close(0, 1, 5));
	assert_true(report_values_close(0, 0, 5));
	assert_true(report_values_close(INT64_MAX, INT64_MAX, 1));
}

/* One expect line against file content. */
static bool eval(const char *expect, const char *content, int err,
		 const char *want_actual)
{
	char text[512], actual[256];
	struct scenario *s;
	bool ok;

	snprintf(text, sizeof(text), "mkdir A\nexpect %s\n", expect);
	s = parse_ok(text);
	ok = report_eval(&s->cmds[1], content, err, actual, sizeof(actual));
	if (want_actual)
		assert_string_equal(actual, want_actual);
	scenario_free(s);
	return ok;
}

static void test_eval(void **state)
{
	static const char events[] =
		"low 0\nhigh 12\nmax 3\noom 1\noom_kill 1\n"
		"oom_group_kill 0\n";
	static const char stat[] = "anon 52428800\nfile 0\nfile_mapped 7\n";

	assert_true(eval("A/memory.current == 50M", "52428800\n", 0,
			 "52428800"));
	assert_false(eval("A/memory.current != 50M", "52428800\n", 0, NULL));
	assert_true(eval("A/memory.current ~ 30M 5%", "32000000\n", 0, NULL));
	assert_false(eval("A/memory.current ~ 30M 3%", "34000000\n", 0, NULL));
	assert_true(eval("A/memory.current ~ 30M", "32000000\n", 0, NULL));
	assert_true(eval("A/memory.current < 1M", "1048575\n", 0, NULL));
	assert_false(eval("A/memory.current < 1M", "1048576\n", 0, NULL));
	assert_true(eval("A/memory.current <= 1M", "1048576\n", 0, NULL));
	assert_true(eval("A/memory.current > 0", "1\n", 0, NULL));
	assert_false(eval("A/memory.current >= 2", "1\n", 0, NULL));
	assert_true(eval("A/memory.max == max", "max\n", 0, "max"));
	assert_true(eval("A/memory.max > 1G", "max\n", 0, NULL));
	assert_true(eval("A/memory.events high > 10", events, 0, "12"));
	assert_true(eval("A/memory.events max == 3", events, 0, "3"));
	assert_true(eval("A/memory.events oom_kill == 1", events, 0, "1"));
	assert_true(eval("A/memory.events oom == 1", events, 0, "1"));
	assert_false(eval("A/memory.events nope == 0", events, 0,
			  "no key nope"));
	assert_true(eval("A/memory.stat file == 0", stat, 0, "0"));
	assert_true(eval("A/memory.stat file_mapped == 7", stat, 0, "7"));
	assert_true(eval("A/memory.stat anon ~ 50M 1%", stat, 0, NULL));
	assert_false(eval("A/memory.max == 1M", NULL, -ENOENT, "ENOENT"));
	assert_true(eval("A/memory.oom.group == 1", "1\n", 0, NULL));
	assert_false(eval("A/memory.oom.group == yes", "1\n", 0, NULL));
	assert_true(eval("A/memory.oom.group != yes", "1\n", 0, NULL));
	/* a number wanted, a word read */
	assert_false(eval("A/memory.max == 1M", "max2\n", 0, "max2"));
	assert_true(eval("A/memory.max != 1M", "junk\n", 0, NULL));
}

/* Capture what a report prints. */
static char *capture(void (*fn)(struct report *, struct scenario *),
		     const char *text, bool json)
{
	struct scenario *s = parse_ok(text);
	struct report r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	report_init(&r, f, json);
	fn(&r, s);
	fclose(f);
	scenario_free(s);
	return buf;
}

static void emit_show(struct report *r, struct scenario *s)
{
	report_show(r, &s->cmds[1], "low 0\nhigh 1\n");
	report_show(r, &s->cmds[2], "31457280\n");
	report_show(r, &s->cmds[2], "");
}

static void emit_errors(struct report *r, struct scenario *s)
{
	for (size_t i = 0; i < s->nr_cmds; i++)
		report_error(r, &s->cmds[i], -EINVAL);
	report_killed(r, &s->cmds[3], "t1");
}

static void emit_expects(struct report *r, struct scenario *s)
{
	assert_true(report_expect(r, &s->cmds[2], "31457280\n", 0));
	assert_false(report_expect(r, &s->cmds[3], "low 0\nmax 0\n", 0));
	assert_false(report_expect(r, &s->cmds[2], NULL, -ENOENT));
	assert_true(report_expect_task(r, &s->cmds[4], SCN_TASK_KILLED));
	assert_false(report_expect_task(r, &s->cmds[5], SCN_TASK_EXITED));
	assert_false(report_expect(r, &s->cmds[6], "1\n", 0));
	assert_int_equal(r->nr_expects, 6);
	assert_int_equal(r->nr_failed, 4);
}

static void emit_writes(struct report *r, struct scenario *s)
{
	assert_true(report_expect_write(r, &s->cmds[1], -EINVAL));
	assert_false(report_expect_write(r, &s->cmds[1], 0));
	assert_false(report_expect_write(r, &s->cmds[1], ENOENT));
	report_write_failed(r, &s->cmds[2], -ENOENT);
	assert_int_equal(r->nr_expects, 3);
	assert_int_equal(r->nr_failed, 2);
	assert_int_equal(r->nr_write_failed, 1);
}

static const char writes_text[] =
	"mkdir A\n"
	"expect write A/memory.max foo fails EINVAL\n"
	"write A/memroy.max 10M\n";

static const char expects_text[] =
	"mkdir A\n"
	"task t1 A\n"
	"expect A/memory.current ~ 30M 5%\n"
	"expect A/memory.events max > 0\n"
	"expect t1 killed\n"
	"expect t1 alive\n"
	"expect A/memory.current ~ 2 1.5%\n";

static void test_output_text(void **state)
{
	char *out = capture(emit_show, "mkdir A\nshow A/memory.events\n"
			    "show memory.current\n", false);

	assert_string_equal(out,
		"A/memory.events low 0\n"
		"A/memory.events high 1\n"
		"memory.current 31457280\n"
		"memory.current\n");
	free(out);

	out = capture(emit_errors,
		      "mkdir A\nrmdir A\nwrite A/memory.max x\n"
		      "task t1 A\nmove t1 .\nt1 anon 1M\nt1 read f 1M\n"
		      "t1 exit\nshow A/memory.bogus\n", false);
	assert_string_equal(out,
		"mkdir A: EINVAL\n"
		"rmdir A: EINVAL\n"
		"write A/memory.max: EINVAL\n"
		"task t1 A: EINVAL\n"
		"move t1 .: EINVAL\n"
		"t1 anon: EINVAL\n"
		"t1 read: EINVAL\n"
		"t1 exit: EINVAL\n"
		"show A/memory.bogus: EINVAL\n"
		"t1 killed\n");
	free(out);

	out = capture(emit_expects, expects_text, false);
	assert_string_equal(out,
		"ok A/memory.current ~ 30M 5% (31457280 = 30M)\n"
		"FAIL A/memory.events max > 0: got 0, want > 0 [line 4]\n"
		"FAIL A/memory.current ~ 30M 5%: got ENOENT, want ~ 30M +-5% "
		"[line 3]\n"
		"ok t1 killed (killed)\n"
		"FAIL t1 alive: got exited, want alive [line 6]\n"
		"FAIL A/memory.current ~ 2 1.5%: got 1, want ~ 2 +-1.5% "
		"[line 7]\n");
	free(out);

	out = capture(emit_writes, writes_text, false);
	assert_string_equal(out,
		"ok write A/memory.max foo fails EINVAL (EINVAL)\n"
		"FAIL write A/memory.max foo fails EINVAL: got success, want "
		"EINVAL [line 2]\n"
		"FAIL write A/memory.max foo fails EINVAL: got ENOENT, want "
		"EINVAL [line 2]\n"
		"write A/memroy.max: ENOENT [line 3]\n");
	free(out);
}

static void emit_diag(struct report *r, struct scenario *s)
{
	report_write_diag(r->out, "memcg", "t.scn", &s->cmds[2], -ENOENT);
	report_write_diag(r->out, "memcg kernel", "t.scn", &s->cmds[2], EBUSY);
	assert_int_equal(r->nr_write_failed, 0);
}

static void test_write_diag(void **state)
{
	char *out = capture(emit_diag, writes_text, false);

	assert_string_equal(out,
		"memcg: t.scn:3: write A/memroy.max 10M: ENOENT (No such file "
		"or directory)\n"
		"memcg kernel: t.scn:3: write A/memroy.max 10M: EBUSY (Device "
		"or resource busy)\n");
	free(out);
}

static void test_output_json(void **state)
{
	char *out = capture(emit_show, "mkdir A\nshow A/memory.events\n"
			    "show memory.current\n", true);

	assert_string_equal(out,
		"{\"line\":2,\"kind\":\"show\",\"file\":\"A/memory.events\","
		"\"key\":\"low\",\"value\":0}\n"
		"{\"line\":2,\"kind\":\"show\",\"file\":\"A/memory.events\","
		"\"key\":\"high\",\"value\":1}\n"
		"{\"line\":3,\"kind\":\"show\",\"file\":\"memory.current\","
		"\"key\":null,\"value\":31457280}\n"
		"{\"line\":3,\"kind\":\"show\",\"file\":\"memory.current\","
		"\"key\":null,\"value\":\"\"}\n");
	free(out);

	out = capture(emit_errors, "mkdir A\nwrite A/memory.max \"q\\\n"
		      "task t1 A\nt1 exit\n", true);
	assert_string_equal(out,
		"{\"line\":1,\"kind\":\"error\",\"cmd\":\"mkdir A\","
		"\"error\":\"EINVAL\"}\n"
		"{\"line\":2,\"kind\":\"error\",\"cmd\":\"write A/memory.max\","
		"\"error\":\"EINVAL\"}\n"
		"{\"line\":3,\"kind\":\"error\",\"cmd\":\"task t1 A\","
		"\"error\":\"EINVAL\"}\n"
		"{\"line\":4,\"kind\":\"error\",\"cmd\":\"t1 exit\","
		"\"error\":\"EINVAL\"}\n"
		"{\"line\":4,\"kind\":\"killed\",\"task\":\"t1\"}\n");
	free(out);

	out = capture(emit_expects, expects_text, true);
	assert_non_null(strstr(out,
		"{\"line\":3,\"kind\":\"expect\",\"expr\":"
		"\"A/memory.current ~ 30M 5%\",\"ok\":true,"
		"\"actual\":31457280}\n"));
	assert_non_null(strstr(out,
		"{\"line\":6,\"kind\":\"expect\",\"expr\":\"t1 alive\","
		"\"ok\":false,\"actual\":\"exited\"}\n"));
	free(out);

	out = capture(emit_writes, writes_text, true);
	assert_string_equal(out,
		"{\"line\":2,\"kind\":\"expect\",\"expr\":\"write A/memory.max "
		"foo fails EINVAL\",\"ok\":true,\"actual\":\"EINVAL\"}\n"
		"{\"line\":2,\"kind\":\"expect\",\"expr\":\"write A/memory.max "
		"foo fails EINVAL\",\"ok\":false,\"actual\":\"success\"}\n"
		"{\"line\":2,\"kind\":\"expect\",\"expr\":\"write A/memory.max "
		"foo fails EINVAL\",\"ok\":false,\"actual\":\"ENOENT\"}\n"
		"{\"line\":3,\"kind\":\"error\",\"cmd\":\"write A/memroy.max\","
		"\"error\":\"ENOENT\"}\n");
	free(out);
}

static void test_json_value(void **state)
{
	static const char *const ints[] = {
		"0", "7", "-1", "31457280", "9223372036854771712",
		"-9223372036854775808",
	};
	static const char *const strs[] = {
		"", "-", "max", "012", "-0x1", "1.5", "1e3", "+1", " 1", "1 ",
		"EINVAL", "12345678901234567890", "low 0",
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++)
		assert_true(report_is_int(ints[i]));
	for (size_t i = 0; i < sizeof(strs) / sizeof(*strs); i++)
		assert_false(report_is_int(strs[i]));
	assert_false(report_is_int(NULL));
	f = open_memstream(&buf, &len);
	report_json_value(f, "42");
	fputc(',', f);
	report_json_value(f, "max");
	fputc(',', f);
	report_json_value(f, NULL);
	fputc(',', f);
	report_json_str(f, "a\"b\\c\n\x1b");
	fclose(f);
	assert_string_equal(buf, "42,\"max\",null,\"a\\\"b\\\\c\\n\\u001b\"");
	free(buf);
}

static void test_escape(void **state)
{
	char out[64];
	char *d;

	assert_string_equal(scn_escape("plain text", out, sizeof(out)),
			    "plain text");
	assert_string_equal(scn_escape("\x1b[31mred\x1b[0m", out, sizeof(out)),
			    "\\x1b[31mred\\x1b[0m");
	assert_string_equal(scn_escape("a\tb\nc\x7f", out, sizeof(out)),
			    "a\\x09b\\x0ac\\x7f");
	/* UTF-8 stays; C1 controls, stray bytes and overlongs do not */
	assert_string_equal(scn_escape("caf\xc3\xa9 \xe2\x82\xac", out,
				       sizeof(out)), "caf\xc3\xa9 \xe2\x82\xac");
	assert_string_equal(scn_escape("\xc2\x9b" "2J", out, sizeof(out)),
			    "\\xc2\\x9b2J");
	assert_string_equal(scn_escape("\xff\xc0\xaf\xe2\x82", out,
				       sizeof(out)),
			    "\\xff\\xc0\\xaf\\xe2\\x82");
	assert_string_equal(scn_escape("\xed\xa0\x80", out, sizeof(out)),
			    "\\xed\\xa0\\x80");
	/* cut at a whole character */
	assert_string_equal(scn_escape("abc\x1b", out, 6), "abc");
	assert_string_equal(scn_escape("ab\xc3\xa9", out, 4), "ab");
	assert_string_equal(scn_escape("x", out, 1), "");
	d = scn_escape_dup("\x1b");
	assert_string_equal(d, "\\x1b");
	free(d);
}

static void emit_raw(struct report *r, struct scenario *s)
{
	report_expect_write(r, &s->cmds[1], -EINVAL);
	report_write_diag(r->out, "memcg", "t.scn", &s->cmds[2], -EINVAL);
	report_show(r, &s->cmds[3], "\x1b]0;title\x07\n");
	report_expect(r, &s->cmds[4], "\x1b[2J\n", 0);
}

/* What a file says and a write's value are echoed escaped (text only). */
static void test_output_escaped(void **state)
{
	static const char text[] =
		"mkdir A\n"
		"expect write A/memory.max \xc2\x9b" "2J fails EINVAL\n"
		"write A/memory.max \xff\n"
		"show A/memory.max\n"
		"expect A/memory.max == max\n";
	char *out = capture(emit_raw, text, false);

	assert_string_equal(out,
		"ok write A/memory.max \\xc2\\x9b2J fails EINVAL (EINVAL)\n"
		"memcg: t.scn:3: write A/memory.max \\xff: EINVAL (Invalid "
		"argument)\n"
		"A/memory.max \\x1b]0;title\\x07\n"
		"FAIL A/memory.max == max: got \\x1b[2J, want == max [line 5]\n");
	free(out);
	/* JSON escapes them its own way */
	out = capture(emit_raw, text, true);
	assert_non_null(strstr(out, "\"value\":\"\\u001b]0;title\\u0007\""));
	assert_non_null(strstr(out, "\"actual\":\"\\u001b[2J\""));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_close),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_output_text),
		cmocka_unit_test(test_output_json),
		cmocka_unit_test(test_write_diag),
		cmocka_unit_test(test_json_value),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_output_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
