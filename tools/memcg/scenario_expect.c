// SPDX-License-Identifier: MIT
/* The scenario parser (scenario_parser.h): the expect command. */
#include "scenario_parser.h"

/* "expect write CGROUP/FILE VALUE fails ERRNO": the write must fail so. */
static int parse_expect_write(struct parser *p, const struct line *l,
			      struct scn_cmd *c)
{
	static const char usage[] =
		"'expect write CGROUP/FILE VALUE fails ERRNO' such as "
		"'expect write A/memory.max foo fails EINVAL'";
	size_t n = l->nr;
	const char *name;
	int err;

	c->type = SCN_EXPECT_WRITE;
	if (n >= 3 && !strcmp(l->tok[n - 1], "fails"))
		return scn_perr(p, "missing errno name after 'fails': expected %s",
				usage);
	if (n < 5 || strcmp(l->tok[n - 2], "fails"))
		return scn_perr(p, "malformed expect write: expected %s", usage);
	if (n < 6)
		return scn_perr(p, "missing value to write: expected %s", usage);
	err = scn_path_file_arg(p, l->tok[2], &c->cgroup, &c->file);
	if (err)
		return err;
	name = l->tok[n - 1];
	c->want_errno = errname_parse(name);
	if (!c->want_errno)
		return scn_perr(p, "unknown errno name '%.*s': expected a name such "
				"as EINVAL, ENOENT or EBUSY", TOK(name));
	c->want = strdup(name);
	c->value = scn_line_join_range(l, 3, n - 2);
	c->expr = scn_line_join(l, 1);
	return c->want && c->value && c->expr ? 0 : -ENOMEM;
}

int scn_parse_expect(struct parser *p, const struct line *l,
			    struct scn_cmd *c)
{
	static const char usage[] =
		"malformed expect: expected 'expect CGROUP/FILE [KEY] OP VALUE "
		"[TOL%]' (OP: == != < <= > >= ~), 'expect TASK killed|alive' "
		"or 'expect write CGROUP/FILE VALUE fails ERRNO'";
	size_t opi, n = l->nr;
	int err;

	if (n >= 2 && !strcmp(l->tok[1], "write"))
		return parse_expect_write(p, l, c);
	if (n == 3 && (!strcmp(l->tok[2], "killed") ||
		       !strcmp(l->tok[2], "alive"))) {
		c->type = SCN_EXPECT_TASK;
		c->task_index = scn_find_task(p, l->tok[1]);
		if (c->task_index < 0)
			return scn_perr(p, "unknown task '%.*s': expected a 'task "
					"%.*s CGROUP' line before", TOK(l->tok[1]),
					TOK(l->tok[1]));
		c->task = strdup(l->tok[1]);
		c->want_killed = !strcmp(l->tok[2], "killed");
		c->expr = scn_line_join(l, 1);
		return c->task && c->expr ? 0 : -ENOMEM;
	}
	c->type = SCN_EXPECT;
	if (n >= 4 && scn_parse_op(l->tok[2], &c->op))
		opi = 2;
	else if (n >= 5 && scn_parse_op(l->tok[3], &c->op))
		opi = 3;
	else
		return scn_perr(p, "%s", usage);
	if (n > opi + 3)
		return scn_perr(p, "%s", usage);
	err = scn_path_file_arg(p, l->tok[1], &c->cgroup, &c->file);
	if (err)
		return err;
	if (opi == 3) {
		if (!scn_valid_key(l->tok[2]))
			return scn_perr(p, "bad key '%.*s': expected a key of a "
					"flat-keyed file such as 'max' or 'anon'",
					TOK(l->tok[2]));
		c->key = strdup(l->tok[2]);
		if (!c->key)
			return -ENOMEM;
	}
	c->want = strdup(l->tok[opi + 1]);
	if (!c->want)
		return -ENOMEM;
	err = scn_parse_value(c->want, &c->want_num);
	c->want_is_num = !err;
	if (!c->want_is_num) {
		if (c->op != SCN_OP_EQ && c->op != SCN_OP_NE)
			return scn_perr(p, "bad value '%.*s': expected a number (K, "
					"M, G, T suffixes) or max after %s",
					TOK(c->want), scn_op_str(c->op));
		if (c->want[0] == '%' || !scn_valid_name(c->want))
			return scn_perr(p, "bad value '%.*s': expected a number or "
					"a word", TOK(c->want));
	}
	c->tol = SCN_DEFAULT_TOLERANCE;
	if (n == opi + 3) {
		if (c->op != SCN_OP_CLOSE)
			return scn_perr(p, "tolerance '%.*s' after %s: expected a "
					"tolerance only after ~", TOK(l->tok[n - 1]),
					scn_op_str(c->op));
		if (!scn_parse_tol(l->tok[n - 1], &c->tol))
			return scn_perr(p, "bad tolerance '%.*s': expected a "
					"percentage such as 5%%", TOK(l->tok[n - 1]));
		c->has_tol = true;
	}
	c->expr = scn_line_join(l, 1);
	return c->expr ? 0 : -ENOMEM;
}

