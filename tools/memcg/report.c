// SPDX-License-Identifier: MIT
/*
 * Output lines of a scenario run and the evaluation of expects; the
 * formats are documented in report.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"
#include "report.h"

/**
 * report_init - start a report
 * @r: report
 * @out: output stream
 * @json: JSON Lines output
 */
void report_init(struct report *r, FILE *out, bool json)
{
	*r = (struct report) { .out = out, .json = json };
}

/**
 * report_init_tap - start a KTAP report
 * @r: report
 * @out: where the lines go until report_tap_finish()
 */
void report_init_tap(struct report *r, FILE *out)
{
	*r = (struct report) { .out = out, .tap = true };
}

/* A text line begins: with KTAP it is a diagnostic. */
static FILE *text(struct report *r)
{
	if (r->tap)
		fputs("# ", r->out);
	return r->out;
}

/*
 * A KTAP test point: "ok N DESC" or "not ok N DESC". DESC is escaped,
 * and a '#' would begin a directive: there is none in scenario text
 * (it begins a comment), but say so.
 */
static void tap_point(struct report *r, bool ok, const char *desc)
{
	char *d = scn_escape_dup(desc);

	for (char *c = d; c && *c; c++)
		if (*c == '#')
			*c = '?';
	fprintf(r->out, "%sok %u %s\n", ok ? "" : "not ", ++r->nr_points,
		d ? d : "?");
	free(d);
}

/**
 * report_tap_finish - print a KTAP report whole
 * @r: the report, its run over
 * @out: where
 * @body: what went to @r->out
 * @len: its length
 * @s: the scenario
 * @stopped_at: where a strict run stopped, or 0
 */
void report_tap_finish(const struct report *r, FILE *out, const char *body,
		       size_t len, const struct scenario *s, int stopped_at)
{
	unsigned skipped = 0, n = r->nr_points;

	for (size_t i = 0; stopped_at && i < s->nr_cmds; i++)
		skipped += s->cmds[i].line > stopped_at &&
			   s->cmds[i].expr != NULL;
	fprintf(out, "KTAP version 1\n1..%u\n", n + skipped);
	fwrite(body, 1, len, out);
	for (size_t i = 0; stopped_at && i < s->nr_cmds; i++) {
		const struct scn_cmd *c = &s->cmds[i];
		char *expr;

		if (c->line <= stopped_at || !c->expr)
			continue;
		expr = scn_escape_dup(c->expr);
		fprintf(out, "ok %u %s # SKIP the run stopped at line %d (a "
			"write failed)\n", ++n, expr ? expr : "?", stopped_at);
		free(expr);
	}
}

/**
 * report_json_str - write @s as a JSON string (null for NULL)
 * @f: stream
 * @s: string or NULL
 */
void report_json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*c < 0x20 || *c >= 0x7f)
				fprintf(f, "\\u%04x", *c);
			else
				fputc(*c, f);
		}
	}
	fputc('"', f);
}

/**
 * report_is_int - whether @s is an integer as JSON writes one: an
 * optional '-', then 0 or digits not starting with 0 (at most 19)
 * @s: string or NULL
 */
bool report_is_int(const char *s)
{
	size_t n;

	if (!s)
		return false;
	if (*s == '-')
		s++;
	n = strspn(s, "0123456789");
	return n && n <= 19 && !s[n] && (s[0] != '0' || n == 1);
}

/**
 * report_json_value - write @s as a JSON number when it is an integer
 * (report_is_int()), else as a string (null for NULL)
 * @f: stream
 * @s: string or NULL
 */
void report_json_value(FILE *f, const char *s)
{
	if (report_is_int(s))
		fputs(s, f);
	else
		report_json_str(f, s);
}

/**
 * report_file_name - the display name of a command's control file
 * @c: a write, show or expect command
 * @buf: output: "A/memory.max", or "memory.stat" for the root's
 * @len: size of @buf
 */
void report_file_name(const struct scn_cmd *c, char *buf, size_t len)
{
	if (!c->cgroup || !strcmp(c->cgroup, "."))
		snprintf(buf, len, "%s", c->file ? c->file : "");
	else
		snprintf(buf, len, "%s/%s", c->cgroup, c->file ? c->file : "");
}

/**
 * report_cmd_prefix - the prefix of a command's error line
 * @c: command
 * @buf: output ("write A/memory.max", "t1 anon", "mkdir A/B", ...)
 * @len: size of @buf
 */
void report_cmd_prefix(const struct scn_cmd *c, char *buf, size_t len)
{
	char file[512];

	switch (c->type) {
	case SCN_MKDIR:
	case SCN_RMDIR:
		snprintf(buf, len, "%s %s", scn_cmd_name(c->type), c->cgroup);
		break;
	case SCN_WRITE:
	case SCN_SHOW:
	case SCN_EXPECT:
	case SCN_EXPECT_WRITE:
		report_file_name(c, file, sizeof(file));
		snprintf(buf, len, "%s %s", scn_cmd_name(c->type), file);
		break;
	case SCN_TASK:
	case SCN_MOVE:
		snprintf(buf, len, "%s %s %s", scn_cmd_name(c->type), c->task,
			 c->cgroup);
		break;
	case SCN_EXPECT_TASK:
	default:
		snprintf(buf, len, "%s %s", c->task ? c->task : "?",
			 scn_cmd_name(c->type));
		break;
	}
}

/**
 * report_show - print a control file's content for a show command
 * @r: report
 * @c: the show command
 * @content: the file's content (a trailing newline is not a line)
 */
void report_show(struct report *r, const struct scn_cmd *c,
		 const char *content)
{
	char file[512], esc[4096];
	const char *p = content;

	report_file_name(c, file, sizeof(file));
	do {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (r->json) {
			char *line = strndup(p, n);
			char *sp = line ? strchr(line, ' ') : NULL;

			/* "KEY VALUE": the key apart, the value typed */
			if (sp)
				*sp = '\0';
			fprintf(r->out, "{\"line\":%d,\"kind\":\"show\",\"file\":",
				c->line);
			report_json_str(r->out, file);
			fputs(",\"key\":", r->out);
			report_json_str(r->out, sp ? line : NULL);
			fputs(",\"value\":", r->out);
			report_json_value(r->out, sp ? sp + 1 : line ? line : "");
			fputs("}\n", r->out);
			free(line);
		} else if (n) {
			char *line = strndup(p, n);

			fprintf(text(r), "%s %s\n", file, line ?
				scn_escape(line, esc, sizeof(esc)) : "");
			free(line);
		} else {
			fprintf(text(r), "%s\n", file);
		}
		p = nl ? nl + 1 : p + n;
	} while (*p);
}

/**
 * report_error - print that a command failed: "write A/memory.max: EINVAL"
 * @r: report
 * @c: the command (any type; for show it is the read failing)
 * @err: errno value, positive or negative
 */
void report_error(struct report *r, const struct scn_cmd *c, int err)
{
	char prefix[600];

	report_cmd_prefix(c, prefix, sizeof(prefix));
	if (r->json) {
		fprintf(r->out, "{\"line\":%d,\"kind\":\"error\",\"cmd\":",
			c->line);
		report_json_str(r->out, prefix);
		fprintf(r->out, ",\"error\":\"%s\"}\n", errname(err));
	} else {
		fprintf(text(r), "%s: %s\n", prefix, errname(err));
	}
}

/**
 * report_write_failed - print and count a failed plain write
 * @r: report
 * @c: the SCN_WRITE command
 * @err: errno value, positive or negative
 *
 * Text: "write A/memory.max: EINVAL [line 6]"; JSON: report_error()'s
 * error event (it has the line).
 */
void report_write_failed(struct report *r, const struct scn_cmd *c, int err)
{
	char prefix[600];

	r->nr_write_failed++;
	if (r->json) {
		report_error(r, c, err);
		return;
	}
	report_cmd_prefix(c, prefix, sizeof(prefix));
	fprintf(text(r), "%s: %s [line %d]\n", prefix, errname(err), c->line);
	if (r->tap)
		tap_point(r, false, c->text ? c->text : prefix);
}

/**
 * report_write_diag - the error message of a failed plain write
 * @f: where (stderr)
 * @who: the program ("memcg", "memcg kernel")
 * @filename: the scenario's file name
 * @c: the write command
 * @err: errno value, positive or negative
 *
 * "WHO: FILE:LINE: write A/memory.max 10M: EINVAL (Invalid argument)":
 * the line as written, the errno's name and its message as a shell
 * prints it (strerror()).
 */
void report_write_diag(FILE *f, const char *who, const char *filename,
		       const struct scn_cmd *c, int err)
{
	char *text = scn_escape_dup(c->text ? c->text : "write");

	if (err < 0)
		err = -err;
	fprintf(f, "%s: %s:%d: %s: %s (%s)\n", who, filename, c->line,
		text ? text : "write", errname(err), strerror(err));
	free(text);
}

/**
 * report_killed - print "NAME killed"
 * @r: report
 * @c: the command during which the task was killed
 * @task: the task's name
 */
void report_killed(struct report *r, const struct scn_cmd *c,
		   const char *task)
{
	if (r->json) {
		fprintf(r->out, "{\"line\":%d,\"kind\":\"killed\",\"task\":",
			c->line);
		report_json_str(r->out, task);
		fputs("}\n", r->out);
	} else {
		fprintf(text(r), "%s killed\n", task);
	}
}

/**
 * report_values_close - the kernel selftests' values_close()
 * @a: a value
 * @b: another
 * @tol: tolerance in percent of the sum
 *
 * Return: |a - b| <= (a + b) * tol / 100.
 */
bool report_values_close(int64_t a, int64_t b, double tol)
{
	long double diff = (long double)a - (long double)b;

	if (diff < 0)
		diff = -diff;
	return diff * 100 <= ((long double)a + (long double)b) * tol;
}

/* Copy @s without leading and trailing blanks and newlines. */
static void trim_copy(const char *s, size_t n, char *out, size_t len)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	if (len) {
		if (n >= len)
			n = len - 1;
		memcpy(out, s, n);
		out[n] = '\0';
	}
}

/**
 * report_pick_key - the value of KEY in a flat-keyed file
 * @content: lines of "key value"
 * @key: the key
 * @out: receives the value (the rest of the line, trimmed)
 * @len: size of @out
 *
 * Return: 0, or -ENOENT if no line has that key.
 */
int report_pick_key(const char *content, const char *key, char *out,
		    size_t len)
{
	size_t klen = strlen(key);

	for (const char *p = content; *p; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n > klen && !strncmp(p, key, klen) &&
		    (p[klen] == ' ' || p[klen] == '\t')) {
			trim_copy(p + klen, n - klen, out, len);
			return 0;
		}
		p += n + (nl ? 1 : 0);
	}
	return -ENOENT;
}

static bool compare(enum scn_op op, int64_t a, int64_t b, double tol)
{
	switch (op) {
	case SCN_OP_EQ:
		return a == b;
	case SCN_OP_NE:
		return a != b;
	case SCN_OP_LT:
		return a < b;
	case SCN_OP_LE:
		return a <= b;
	case SCN_OP_GT:
		return a > b;
	case SCN_OP_GE:
		return a >= b;
	case SCN_OP_CLOSE:
		return report_values_close(a, b, tol);
	}
	return false;
}

/**
 * report_eval - evaluate a file expect without printing
 * @c: an SCN_EXPECT command
 * @content: the file's content, or NULL if reading failed
 * @err: the read's errno when @content is NULL
 * @actual: receives the value compared (or the error name, or
 *          "no key KEY")
 * @len: size of @actual
 *
 * Return: whether the expect holds.
 */
bool report_eval(const struct scn_cmd *c, const char *content, int err,
		 char *actual, size_t len)
{
	int64_t v;

	if (!content) {
		snprintf(actual, len, "%s", errname(err ? err : EIO));
		return false;
	}
	if (c->key) {
		if (report_pick_key(content, c->key, actual, len)) {
			snprintf(actual, len, "no key %s", c->key);
			return false;
		}
	} else {
		trim_copy(content, strlen(content), actual, len);
	}
	if (!c->want_is_num) {
		bool eq = !strcmp(actual, c->want);

		return c->op == SCN_OP_NE ? !eq : eq;
	}
	if (scn_parse_value(actual, &v))
		return c->op == SCN_OP_NE;	/* not a number: differs */
	return compare(c->op, v, c->want_num, c->tol);
}

/*
 * " = 30M" (exact) or " = 29.98M" for numbers of 1K and more (below 1P),
 * else "".
 */
static void human(const char *actual, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int64_t v;
	int u = 0;

	buf[0] = '\0';
	if (scn_parse_value(actual, &v) || strcmp(actual, "max") == 0 ||
	    v < 1024 || v >= (int64_t)1 << 50)
		return;
	while (u < 3 && v >= (int64_t)1 << (10 * (u + 2)))
		u++;
	if (v % ((int64_t)1 << (10 * (u + 1))) == 0)
		snprintf(buf, len, " = %lld%c",
			 (long long)(v >> (10 * (u + 1))), units[u]);
	else
		snprintf(buf, len, " = %.2f%c",
			 (double)v / (double)((int64_t)1 << (10 * (u + 1))),
			 units[u]);
}

static void print_expect(struct report *r, const struct scn_cmd *c, bool ok,
			 const char *raw_actual)
{
	size_t wl = c->want ? strlen(c->want) : 0;
	char hum[32] = "", actual[1024];
	char *expr;

	r->nr_expects++;
	if (!ok)
		r->nr_failed++;
	if (r->json) {
		fprintf(r->out, "{\"line\":%d,\"kind\":\"expect\",\"expr\":",
			c->line);
		report_json_str(r->out, c->expr);
		fprintf(r->out, ",\"ok\":%s,\"actual\":", ok ? "true" : "false");
		report_json_value(r->out, raw_actual);
		fputs("}\n", r->out);
		return;
	}
	/* sizes for an expect written with a size ("30M"), not for counts */
	if (c->type == SCN_EXPECT && wl && strchr("KMGTkmgt", c->want[wl - 1]))
		human(raw_actual, hum, sizeof(hum));
	/* what the file said, and an expect write's value, may be anything */
	scn_escape(raw_actual, actual, sizeof(actual));
	expr = scn_escape_dup(c->expr);
	if (ok) {
		fprintf(text(r), "ok %s (%s%s)\n", expr ? expr : "?", actual,
			hum);
	} else {
		fprintf(text(r), "FAIL %s: got %s%s, want ", expr ? expr : "?",
			actual, hum);
		report_print_want(r->out, c);
		fprintf(r->out, " [line %d]\n", c->line);
	}
	free(expr);
	if (r->tap)
		tap_point(r, ok, c->expr);
}

/**
 * report_print_want - what an expect wants, as its FAIL line says it
 * @out: where
 * @c: an expect command
 *
 * "< 1M", "~ 30M +-5%", "killed" or "alive", or the errno name of an
 * expect write.
 */
void report_print_want(FILE *out, const struct scn_cmd *c)
{
	if (c->type == SCN_EXPECT_TASK)
		fputs(c->want_killed ? "killed" : "alive", out);
	else if (c->type == SCN_EXPECT_WRITE)
		fputs(c->want ? c->want : "?", out);
	else if (c->op == SCN_OP_CLOSE)
		fprintf(out, "~ %s +-%g%%", c->want, c->tol);
	else
		fprintf(out, "%s %s", scn_op_str(c->op), c->want);
}

/**
 * report_expect - evaluate and print a file expect
 * @r: report
 * @c: an SCN_EXPECT command
 * @content: the file's content, or NULL if reading it failed
 * @err: the read's errno when @content is NULL
 *
 * Return: whether the expect holds.
 */
bool report_expect(struct report *r, const struct scn_cmd *c,
		   const char *content, int err)
{
	char actual[256];
	bool ok = report_eval(c, content, err, actual, sizeof(actual));

	print_expect(r, c, ok, actual);
	return ok;
}

/**
 * report_task_state_str - the name of a task state
 * @state: state
 *
 * Return: "alive", "killed", "exited" or "none".
 */
const char *report_task_state_str(enum scn_task_state state)
{
	switch (state) {
	case SCN_TASK_ALIVE:
		return "alive";
	case SCN_TASK_KILLED:
		return "killed";
	case SCN_TASK_EXITED:
		return "exited";
	case SCN_TASK_NONE:
		break;
	}
	return "none";
}

/**
 * report_expect_task - evaluate and print "expect NAME killed|alive"
 * @r: report
 * @c: an SCN_EXPECT_TASK command
 * @state: the task's state
 *
 * Return: whether the expect holds.
 */
bool report_expect_task(struct report *r, const struct scn_cmd *c,
			enum scn_task_state state)
{
	bool ok = c->want_killed ? state == SCN_TASK_KILLED :
				   state == SCN_TASK_ALIVE;

	print_expect(r, c, ok, report_task_state_str(state));
	return ok;
}

/**
 * report_expect_write - evaluate and print "expect write ... fails ERRNO"
 * @r: report
 * @c: an SCN_EXPECT_WRITE command
 * @err: the write's result: 0 or an errno value, positive or negative
 *
 * The actual value is the errno's name, or "success".
 *
 * Return: whether the write failed with @c->want_errno.
 */
bool report_expect_write(struct report *r, const struct scn_cmd *c, int err)
{
	bool ok;

	if (err < 0)
		err = -err;
	ok = err && err == c->want_errno;
	print_expect(r, c, ok, err ? errname(err) : "success");
	return ok;
}
