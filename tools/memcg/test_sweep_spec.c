// SPDX-License-Identifier: MIT
/*
 * memcg sweep's specifications (sweep_spec.c) and point text
 * (sweep_point.c): the values a range or list gives, each bad range's
 * message, the order of the points, and where a --set's write goes in
 * the scenario.
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

#include "sweep.h"

/* The values of @spec, joined by blanks. */
static void values_are(const char *spec, bool seed, const char *want)
{
	struct sweep_param p = { 0 };
	char err[256] = "", got[1024] = "";
	int ret = sweep_parse_values(spec, seed, &p, err, sizeof(err));

	if (ret)
		fail_msg("%s: %s", spec, err);
	for (size_t i = 0; i < p.nr_values; i++) {
		strcat(got, i ? " " : "");
		strcat(got, p.values[i]);
		free(p.values[i]);
	}
	free(p.values);
	assert_string_equal(got, want);
}

static void values_bad(const char *spec, bool seed, const char *want)
{
	struct sweep_param p = { 0 };
	char err[256] = "";

	assert_int_equal(sweep_parse_values(spec, seed, &p, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, want);
	for (size_t i = 0; i < p.nr_values; i++)
		free(p.values[i]);
	free(p.values);
}

static void test_ranges(void **state)
{
	(void)state;
	values_are("0..60M:10M", false, "0 10M 20M 30M 40M 50M 60M");
	values_are("1536K..3M:512K", false, "1536K 2M 2560K 3M");
	values_are("0..25M:10M", false, "0 10M 20M");	/* HI not reached */
	values_are("1G..1G:1M", false, "1G");
	values_are("100..102:1", false, "100 101 102");
	values_are("1..20:7", true, "1 8 15");
	values_are("3..5", true, "3 4 5");
	values_are("max,50M,0", false, "max 50M 0");
	values_are("7", true, "7");
}

static void test_bad_ranges(void **state)
{
	(void)state;
	values_bad("", false, "no values (LO..HI:STEP or V1,V2,...)");
	values_bad("0..", false, "malformed range '0..' (LO..HI:STEP)");
	values_bad("..5", true, "malformed range '..5' (LO..HI[:STEP])");
	values_bad("0..10M:", false, "malformed range '0..10M:' (LO..HI:STEP)");
	values_bad("0..10M", false, "range '0..10M' needs a step (LO..HI:STEP, "
		   "as 0..60M:10M)");
	values_bad("0..10Q:1M", false, "malformed range '0..10Q:1M' "
		   "(LO..HI:STEP, sizes with K, M, G, T)");
	values_bad("0..60M:0", false, "step 0 in range '0..60M:0'");
	values_bad("60M..0:10M", false, "empty range '60M..0:10M' (HI below LO)");
	values_bad("1..1000000", true, "range '1..1000000' has more than "
		   "100000 values");
	values_bad("1,,2", false, "empty value in '1,,2'");
	values_bad("1,a#b", false, "value 'a#b' in '1,a#b': printable ASCII "
		   "but '#' only");
}

/* Point i of a 3 x 2 sweep: the first parameter varies slowest. */
static void test_point_order(void **state)
{
	struct sweep sw = { 0 };
	struct sweep_point pt;
	char err[256];

	(void)state;
	assert_int_equal(sweep_add_set(&sw, "A/memory.low=0,1M,2M", err,
				       sizeof(err)), 0);
	assert_int_equal(sweep_add_seed(&sw, "5..6", err, sizeof(err)), 0);
	assert_int_equal(sweep_count(&sw, err, sizeof(err)), 0);
	assert_int_equal(sw.nr_points, 6);
	sweep_point_params(&sw, 0, &pt);
	assert_string_equal(pt.param[0], "0");
	assert_string_equal(pt.param[1], "5");
	sweep_point_params(&sw, 3, &pt);
	assert_string_equal(pt.param[0], "1M");
	assert_string_equal(pt.param[1], "6");
	sweep_point_params(&sw, 4, &pt);
	assert_string_equal(pt.param[0], "2M");
	assert_string_equal(pt.param[1], "5");
	assert_int_equal(sweep_add_set(&sw, "B/memory.max=1", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "at most 2 parameters (--set, --seed), not also "
			    "'B/memory.max=1'");
	sweep_free(&sw);
}

static const char scn[] =
	"machine memory=1G\n"
	"mkdir A   # comment\n"
	"mkdir B\n"
	"write B/memory.max 10M\n"
	"write B/memory.max 20M\n"
	"expect write B/memory.max x fails EINVAL";	/* no last newline */

/* The text of one point: the writes replaced or added, shows at the end. */
static void test_point_text(void **state)
{
	struct sweep sw = { 0 };
	struct sweep_point pt;
	char err[512], *text;
	int first;

	(void)state;
	sw.text = strdup(scn);
	sw.len = strlen(scn);
	assert_int_equal(scenario_parse(sw.text, sw.len, "t.scn", &sw.s, err,
					sizeof(err)), 0);
	assert_int_equal(sweep_add_set(&sw, "A/memory.low=5M", err,
				       sizeof(err)), 0);
	assert_int_equal(sweep_add_set(&sw, "B/memory.max=7M", err,
				       sizeof(err)), 0);
	assert_int_equal(sweep_add_shows(&sw, "A/memory.current,"
					 "B/memory.events:max", err,
					 sizeof(err)), 0);
	assert_int_equal(sweep_count(&sw, err, sizeof(err)), 0);
	sweep_point_params(&sw, 0, &pt);
	text = sweep_point_text(&sw, &pt, &first);
	assert_non_null(text);
	assert_string_equal(text,
		"machine memory=1G\n"
		"mkdir A   # comment\n"
		"write A/memory.low 5M\n"
		"mkdir B\n"
		"write B/memory.max 7M\n"
		"write B/memory.max 7M\n"
		"expect write B/memory.max x fails EINVAL\n"
		"show A/memory.current\n"
		"show B/memory.events\n");
	assert_int_equal(first, 8);
	free(text);
	sweep_free(&sw);
}

/* The outputs from a run's JSON Lines: by line, and by key. */
static void test_parse_output(void **state)
{
	static const char out[] =
		"{\"line\":2,\"kind\":\"show\",\"file\":\"A/memory.current\","
		"\"key\":null,\"value\":1}\n"
		"{\"line\":8,\"kind\":\"show\",\"file\":\"A/memory.current\","
		"\"key\":null,\"value\":4096}\n"
		"{\"line\":9,\"kind\":\"show\",\"file\":\"B/memory.events\","
		"\"key\":\"low\",\"value\":0}\n"
		"{\"line\":9,\"kind\":\"show\",\"file\":\"B/memory.events\","
		"\"key\":\"max\",\"value\":12}\n";
	struct sweep sw = { 0 };
	struct sweep_point pt = { 0 };
	char err[256];
	FILE *f = fmemopen((void *)out, sizeof(out) - 1, "r");

	(void)state;
	assert_int_equal(sweep_add_shows(&sw, "A/memory.current,"
					 "B/memory.events:max,C/memory.max",
					 err, sizeof(err)), 0);
	sweep_parse_output(&sw, f, 8, &pt);
	fclose(f);
	assert_string_equal(pt.value[0], "4096");
	assert_string_equal(pt.value[1], "12");
	assert_string_equal(pt.value[2], "-");	/* the run never got there */
	sweep_free(&sw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_point_order),
		cmocka_unit_test(test_point_text),
		cmocka_unit_test(test_parse_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
