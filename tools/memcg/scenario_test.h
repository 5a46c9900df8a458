/* SPDX-License-Identifier: MIT */
/*
 * What the scenario tests share (test_scenario.c: the parser;
 * test_report.c: expect evaluation and the output formats): a parse that
 * must succeed, and one that must fail with a given message.
 */
#ifndef MEMCG_TEST_SCENARIO_H
#define MEMCG_TEST_SCENARIO_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"
#include "report.h"
#include "scenario.h"
#include "strtab.h"

static inline struct scenario *parse_ok(const char *text)
{
	struct scenario *s = NULL;
	char err[512];
	int ret = scenario_parse(text, strlen(text), "t.scn", &s, err,
				 sizeof(err));

	if (ret)
		fail_msg("parse failed: %s", err);
	return s;
}

/* Parse must fail with "t.scn:LINE: ..." containing @what. */
static inline void parse_bad(const char *text, int line, const char *what)
{
	struct scenario *s = (struct scenario *)1;
	char err[512], prefix[32];
	int ret = scenario_parse(text, strlen(text), "t.scn", &s, err,
				 sizeof(err));

	assert_int_equal(ret, -EINVAL);
	assert_null(s);
	snprintf(prefix, sizeof(prefix), "t.scn:%d: ", line);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, what))
		fail_msg("for %s: want '%s...%s', got '%s'", text, prefix, what,
			 err);
}

#endif /* MEMCG_TEST_SCENARIO_H */
