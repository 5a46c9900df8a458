/* SPDX-License-Identifier: MIT */
/*
 * The output of a scenario run, shared by both backends (the engine and
 * the kernel oracle), and the evaluation of expects.
 *
 * Text output, one line per event:
 *
 *   A/memory.current 31457280           show: "PATH/FILE <content line>",
 *   A/memory.events low 0                 one output line per content line
 *   A/memory.events high 0                (root files print as bare FILE)
 *   ok A/memory.current ~ 30M 5% (31457280 = 30M)
 *   FAIL A/memory.events max > 0: got 0, want > 0 [line 12]
 *   FAIL A/memory.max == 1M: got ENOENT, want == 1M [line 13]
 *   ok write A/memory.max foo fails EINVAL (EINVAL)
 *   FAIL write A/memory.max 1M fails EINVAL: got success, want EINVAL [line 9]
 *   write A/memory.max: EINVAL [line 10]  a plain write failed: an error of
 *                                       the run (report_write_failed())
 *   mkdir X/Y: ENOENT                   another command failed (errno name)
 *   t1 anon: ESRCH                      a task action failed
 *   t1 killed                           the OOM killer killed t1
 *
 * "ok <expr> (<actual>)" or "FAIL <expr>: got <actual>, want <op> <value>
 * [+-<tol>%] [line N]". <expr> is the expect as written (blanks
 * squeezed); <actual> is the value read (the key's value for a keyed
 * expect), followed, when the expect's value is written with a size
 * suffix, by " = 30M" (exact) or " = 29.98M" for numbers of 1K and more.
 * For "expect write ... fails ERRNO", <actual> is the write's errno name,
 * or "success" when it did not fail.
 *
 * JSON output (--json): the same events, one JSON object per line (JSON
 * Lines), each with "line" (the scenario line) and "kind"; a value that
 * is an integer is a JSON number, anything else ("max", "EINVAL") a
 * string (docs/json-schema.md):
 *
 *   {"line":5,"kind":"show","file":"A/memory.current","key":null,
 *    "value":31457280}                           (one line in the output)
 *   {"line":5,"kind":"show","file":"A/memory.events","key":"low",
 *    "value":0}                    (a "KEY VALUE" line: the key apart)
 *   {"line":6,"kind":"expect","expr":"A/memory.current ~ 30M 5%",
 *    "ok":true,"actual":31457280}
 *   {"line":7,"kind":"error","cmd":"write A/memory.max","error":"EINVAL"}
 *                          (a failed plain write is the error event of a
 *                           "write" line: the same object)
 *   {"line":8,"kind":"killed","task":"t1"}
 *
 * KTAP output (--tap, report_init_tap()): the text lines above as
 * diagnostics ("# " before each), and after each expect's line its test
 * point, "ok N EXPR" or "not ok N EXPR"; a failed plain write is a test
 * point too ("not ok N write A/memory.max 10M"). The caller buffers them:
 * report_tap_finish() prints "KTAP version 1", the plan "1..N" and the
 * points, then "ok N EXPR # SKIP ..." for each expect a strict run did
 * not reach.
 *
 * Expect semantics: numbers compare numerically (K/M/G/T suffixes, "max"
 * is INT64_MAX); '~' is the kernel selftests' values_close():
 * |a - b| <= (a + b) * tol / 100, tol 5% unless given. A non-numeric
 * value compares as a string (== and != only). On a flat-keyed file
 * (memory.events, memory.stat, cgroup.stat) the KEY picks the value of
 * the line "KEY <value>".
 *
 * Depends on the C library and scenario.h only. A struct report is not
 * thread-safe.
 */
#ifndef MEMCG_TOOL_REPORT_H
#define MEMCG_TOOL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The state of a task, as "expect NAME killed|alive" sees it. */
enum scn_task_state {
	SCN_TASK_ALIVE,		/* "alive" */
	SCN_TASK_KILLED,	/* "killed": by the OOM killer */
	SCN_TASK_EXITED,	/* "exited": its exit command ran */
	SCN_TASK_NONE,		/* "none": its task command failed */
};

/**
 * struct report - an output stream and the expect tally
 * @out: where lines go
 * @json: JSON Lines instead of text
 * @nr_expects: expects evaluated
 * @nr_failed: expects that failed
 * @nr_write_failed: plain writes that failed (report_write_failed())
 * @tap: KTAP: text lines as diagnostics, a test point per expect
 * @nr_points: KTAP test points printed
 */
struct report {
	FILE *out;
	bool json;
	unsigned nr_expects;
	unsigned nr_failed;
	unsigned nr_write_failed;
	bool tap;
	unsigned nr_points;
};

/**
 * report_init - start a report
 * @r: report
 * @out: output stream
 * @json: JSON Lines output
 */
void report_init(struct report *r, FILE *out, bool json);

/**
 * report_init_tap - start a KTAP report (text lines as "# " diagnostics,
 * a test point per expect and per failed write)
 * @r: report
 * @out: where the lines go until report_tap_finish() (a memory stream:
 *       the plan comes first)
 */
void report_init_tap(struct report *r, FILE *out);

/**
 * report_tap_finish - print a KTAP report whole
 * @r: the report, its run over
 * @out: where (stdout)
 * @body: what went to @r->out
 * @len: its length
 * @s: the scenario
 * @stopped_at: the line of the failed write a strict run stopped at, or 0
 *
 * "KTAP version 1", "1..N", @body, then "ok N EXPR # SKIP the run stopped
 * at line L (a write failed)" for each expect after @stopped_at.
 */
void report_tap_finish(const struct report *r, FILE *out, const char *body,
		       size_t len, const struct scenario *s, int stopped_at);

/**
 * report_show - print a control file's content for a show command
 * @r: report
 * @c: the show command
 * @content: the file's content (a trailing newline is not a line)
 */
void report_show(struct report *r, const struct scn_cmd *c,
		 const char *content);

/**
 * report_error - print that a command failed: "write A/memory.max: EINVAL"
 * @r: report
 * @c: the command (any type; for show and expect it is the read failing)
 * @err: errno value, positive or negative
 */
void report_error(struct report *r, const struct scn_cmd *c, int err);

/**
 * report_write_failed - print and count a failed plain write
 * @r: report
 * @c: the SCN_WRITE command
 * @err: errno value, positive or negative
 *
 * Text: "write A/memory.max: EINVAL [line 6]"; JSON: the error event of
 * report_error(). The caller says it on stderr (report_write_diag()) and
 * stops the run unless told to keep going.
 */
void report_write_failed(struct report *r, const struct scn_cmd *c, int err);

/**
 * report_write_diag - the error message of a failed plain write:
 * "WHO: FILE:LINE: write A/memory.max 10M: EINVAL (Invalid argument)"
 * @f: where (stderr)
 * @who: the program ("memcg", "memcg kernel")
 * @filename: the scenario's file name
 * @c: the write command
 * @err: errno value, positive or negative
 */
void report_write_diag(FILE *f, const char *who, const char *filename,
		       const struct scn_cmd *c, int err);

/**
 * report_killed - print "NAME killed"
 * @r: report
 * @c: the command during which the task was killed
 * @task: the task's name
 */
void report_killed(struct report *r, const struct scn_cmd *c,
		   const char *task);

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
		   const char *content, int err);

/**
 * report_expect_task - evaluate and print "expect NAME killed|alive"
 * @r: report
 * @c: an SCN_EXPECT_TASK command
 * @state: the task's state
 *
 * Return: whether the expect holds.
 */
bool report_expect_task(struct report *r, const struct scn_cmd *c,
			enum scn_task_state state);

/**
 * report_expect_write - evaluate and print "expect write ... fails ERRNO"
 * @r: report
 * @c: an SCN_EXPECT_WRITE command
 * @err: the write's result: 0 or an errno value, positive or negative
 *
 * Return: whether the write failed with @c->want_errno.
 */
bool report_expect_write(struct report *r, const struct scn_cmd *c, int err);

/**
 * report_print_want - what an expect wants, as its FAIL line says it:
 * "< 1M", "~ 30M +-5%", "killed", "EINVAL"
 * @out: where
 * @c: an expect command
 */
void report_print_want(FILE *out, const struct scn_cmd *c);

/**
 * report_eval - evaluate a file expect without printing
 * @c: an SCN_EXPECT command
 * @content: the file's content, or NULL if reading failed
 * @err: the read's errno when @content is NULL
 * @actual: receives the value compared (or the error name, or
 *          "no key KEY"), without the human-readable suffix
 * @len: size of @actual
 *
 * Return: whether the expect holds.
 */
bool report_eval(const struct scn_cmd *c, const char *content, int err,
		 char *actual, size_t len);

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
		    size_t len);

/**
 * report_values_close - the kernel selftests' values_close()
 * @a: a value
 * @b: another
 * @tol: tolerance in percent of the sum
 *
 * Return: |a - b| <= (a + b) * tol / 100.
 */
bool report_values_close(int64_t a, int64_t b, double tol);

/** report_json_str - write @s as a JSON string, escaped; null for NULL */
void report_json_str(FILE *f, const char *s);

/**
 * report_is_int - whether @s is an integer as JSON writes one ("-12",
 * "0", not "012", "1.5", "max"), of at most 19 digits
 */
bool report_is_int(const char *s);

/**
 * report_json_value - write @s as a JSON number when report_is_int(),
 * else as a string (null for NULL)
 */
void report_json_value(FILE *f, const char *s);

/** report_task_state_str - "alive", "killed", "exited" or "none" */
const char *report_task_state_str(enum scn_task_state state);

/**
 * report_cmd_prefix - the prefix of a command's error line
 * @c: command
 * @buf: output ("write A/memory.max", "t1 anon", "mkdir A/B", ...)
 * @len: size of @buf
 */
void report_cmd_prefix(const struct scn_cmd *c, char *buf, size_t len);

/**
 * report_file_name - the display name of a command's control file:
 * "A/memory.max", or "memory.stat" for the root's
 * @c: a write, show or expect command
 * @buf: output
 * @len: size of @buf
 */
void report_file_name(const struct scn_cmd *c, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_TOOL_REPORT_H */
