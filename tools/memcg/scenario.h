/* SPDX-License-Identifier: MIT */
/*
 * The scenario language of the memcg tool (issue 7): a parser from text to
 * an array of commands, each with the line it came from.
 *
 *   machine memory=1G swap=512M cpus=2 mode=v2 policy=reparent  # optional
 *           kernel=6.1 reclaim=classic thp=never                # (issue 18)
 *           retries=skip                                        # (issue 16)
 *   mkdir A/B                 rmdir A/B
 *   write A/memory.max 50M    show A/memory.current
 *   task t1 A                 move t1 A/B
 *   t1 anon 100M              t1 unmap 20M          t1 touch 10M
 *   t1 read data 50M          t1 mlock 10M          t1 exit
 *   t1 oom_score_adj -1000
 *   expect A/memory.current ~ 30M 5%
 *   expect A/memory.events max > 0
 *   expect t1 killed          (or alive)
 *   expect write A/memory.max foo fails EINVAL
 *
 * One command per line; '#' starts a comment anywhere on a line; sizes are
 * decimal integers with an optional K, M, G or T suffix (powers of 1024,
 * either case), bytes otherwise. Cgroup paths are relative to the root,
 * "." is the root, names are made of letters, digits and "_-.+:@,=";
 * "PATH/FILE" names the control file FILE of PATH, and a bare "FILE" (no
 * '/') is a root file.
 *
 * "expect write PATH/FILE VALUE fails ERRNO" performs the write and holds
 * when it fails with that errno (a name errname_parse() knows: EINVAL,
 * ENOENT, EBUSY, ...); VALUE is every word between the file and "fails".
 * A plain "write" that fails is an error of the run (see run.h), not an
 * expect.
 *
 * What the parser checks (errors are "FILE:LINE: expected ..."):
 * - the command and its argument count; sizes, numbers, ops, tolerances;
 * - text: no NUL byte (binary data) and no control byte but tab, CR,
 *   VT and FF (which separate words);
 * - "machine" only as the first command; mode=v1 not with kernel=6.12
 *   (Debian's 6.12 is built without CONFIG_MEMCG_V1);
 * - tasks: a task is used only after its "task" line, and is created once;
 * - expect write: "fails" and a known errno name at the end, a value
 *   before them;
 * - cgroups: every path used by task, move, write, show, expect and rmdir
 *   is "." or was created by an earlier mkdir line. mkdir itself is not
 *   checked (a missing parent is a run-time ENOENT), nor are file names
 *   (a missing file is a run-time ENOENT).
 *
 * This header depends on the C library only: the kernel oracle links the
 * parser into a static player without libmemcg. Not thread-safe per
 * scenario; distinct scenarios are independent.
 */
#ifndef MEMCG_TOOL_SCENARIO_H
#define MEMCG_TOOL_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Machine defaults (the "defaults shown"). */
#define SCN_DEFAULT_MEMORY	(1ULL << 30)	/* 1G */
#define SCN_DEFAULT_SWAP	(512ULL << 20)	/* 512M */
#define SCN_DEFAULT_CPUS	2u
#define SCN_MAX_CPUS		1024u
#define SCN_DEFAULT_TOLERANCE	5.0		/* percent, for '~' */

enum scn_mode {
	SCN_MODE_V2,
	SCN_MODE_V1,
};

enum scn_policy {
	SCN_POLICY_REPARENT,
	SCN_POLICY_KERNEL,
};

/* The kernel whose behaviour to follow (kernel=6.1|6.12). */
enum scn_kernel {
	SCN_KERNEL_6_1,
	SCN_KERNEL_6_12,
};

/* Page reclaim (reclaim=classic|mglru); DEFAULT: the kernel's own. */
enum scn_reclaim {
	SCN_RECLAIM_DEFAULT,
	SCN_RECLAIM_CLASSIC,
	SCN_RECLAIM_MGLRU,
};

/* Transparent huge pages for anonymous faults (thp=never|always). */
enum scn_thp {
	SCN_THP_NEVER,
	SCN_THP_ALWAYS,
};

/* Retries of a failing charge that reclaim cannot help (retries=skip|kernel). */
enum scn_retries {
	SCN_RETRIES_SKIP,
	SCN_RETRIES_KERNEL,
};

/* Which keys the machine line set explicitly (struct scn_machine.given). */
#define SCN_GIVEN_MEMORY	(1u << 0)
#define SCN_GIVEN_SWAP		(1u << 1)
#define SCN_GIVEN_CPUS		(1u << 2)
#define SCN_GIVEN_MODE		(1u << 3)
#define SCN_GIVEN_POLICY	(1u << 4)
#define SCN_GIVEN_KERNEL	(1u << 5)
#define SCN_GIVEN_RECLAIM	(1u << 6)
#define SCN_GIVEN_THP		(1u << 7)
#define SCN_GIVEN_RETRIES	(1u << 8)

struct scn_machine {
	uint64_t memory_bytes;
	uint64_t swap_bytes;
	unsigned cpus;
	enum scn_mode mode;
	enum scn_policy policy;
	enum scn_kernel kernel;		/* default 6.1 */
	enum scn_reclaim reclaim;	/* default: the kernel's */
	enum scn_thp thp;		/* default never */
	enum scn_retries retries;	/* default skip */
	unsigned given;		/* SCN_GIVEN_* */
	int line;		/* line of the machine command, 0 if none */
};

enum scn_cmd_type {
	SCN_MKDIR,		/* cgroup */
	SCN_RMDIR,		/* cgroup */
	SCN_WRITE,		/* cgroup, file, value */
	SCN_SHOW,		/* cgroup, file */
	SCN_TASK,		/* task, cgroup */
	SCN_MOVE,		/* task, cgroup */
	SCN_ANON,		/* task, bytes */
	SCN_UNMAP,		/* task, bytes */
	SCN_READ,		/* task, file (a data file name), bytes */
	SCN_MLOCK,		/* task, bytes */
	SCN_TOUCH,		/* task, bytes */
	SCN_EXIT,		/* task */
	SCN_OOM_SCORE_ADJ,	/* task, adj */
	SCN_EXPECT,		/* cgroup, file, key (or NULL), op, want, tol */
	SCN_EXPECT_TASK,	/* task, want_killed */
	SCN_FWRITE,		/* task, file, bytes: "TASK write FILE SIZE" */
	SCN_EXPECT_WRITE,	/* cgroup, file, value, want, want_errno */
	SCN_TRUNCATE,		/* task, file, bytes: "TASK truncate FILE SIZE" */
};

enum scn_op {
	SCN_OP_EQ,		/* == */
	SCN_OP_NE,		/* != */
	SCN_OP_LT,		/* <  */
	SCN_OP_LE,		/* <= */
	SCN_OP_GT,		/* >  */
	SCN_OP_GE,		/* >= */
	SCN_OP_CLOSE,		/* ~  values_close(): |a-b| <= (a+b)*tol/100 */
};

/**
 * struct scn_cmd - one command
 * @type: what it is
 * @line: 1-based line number in the file
 * @text: the line without comment and surrounding blanks, blanks squeezed
 * @cgroup: the cgroup path ("." for the root), or NULL
 * @file: the control file (write, show, expect) or data file (read), or NULL
 * @task: the task name, or NULL
 * @task_index: the task's index in struct scenario.tasks, or -1
 * @value: for write, the value as written (the rest of the line); for
 *         expect write, the words between the file and "fails"
 * @bytes: for anon, unmap, read, write, mlock, touch; truncate's size
 * @offset: for read and write, where they start ("at OFFSET"), else 0
 * @has_offset: whether "at OFFSET" was written
 * @adj: for oom_score_adj
 * @key: for expect on a flat-keyed file (memory.events max), or NULL
 * @op: for expect
 * @want: for expect, the value as written ("30M", "max", "0"); for
 *        expect write, the errno name ("EINVAL")
 * @want_num: @want as a number when @want_is_num ("max": INT64_MAX)
 * @want_is_num: whether @want parsed as a number
 * @tol: for expect ~, the tolerance in percent (default 5)
 * @has_tol: whether a tolerance was written
 * @want_killed: for expect NAME killed|alive
 * @want_errno: for expect write, the errno the write must fail with
 *              (positive)
 * @expr: for expects, the expression after "expect" ("A/memory.max == 1M",
 *        "write A/memory.max foo fails EINVAL")
 */
struct scn_cmd {
	enum scn_cmd_type type;
	int line;
	char *text;
	char *cgroup;
	char *file;
	char *task;
	int task_index;
	char *value;
	uint64_t bytes;
	uint64_t offset;
	bool has_offset;
	int adj;
	char *key;
	enum scn_op op;
	char *want;
	int64_t want_num;
	bool want_is_num;
	double tol;
	bool has_tol;
	bool want_killed;
	int want_errno;
	char *expr;
};

/**
 * struct scenario - a parsed scenario file
 * @filename: as given to the parser, control bytes escaped (for messages)
 * @machine: the machine line, or the defaults
 * @cmds: the commands in file order (the machine line is not one of them)
 * @nr_cmds: how many
 * @tasks: task names in creation order (index = scn_cmd.task_index)
 * @nr_tasks: how many
 * @cgroups: cgroup paths created by mkdir lines, in order of first mkdir,
 *           each once (parents before children when the file creates
 *           them so)
 * @nr_cgroups: how many
 */
struct scenario {
	char *filename;
	struct scn_machine machine;
	struct scn_cmd *cmds;
	size_t nr_cmds;
	char **tasks;
	size_t nr_tasks;
	char **cgroups;
	size_t nr_cgroups;
};

/**
 * scenario_parse - parse a scenario from memory
 * @text: the file's bytes (need not be NUL-terminated; a NUL byte is an
 *        error)
 * @len: number of bytes
 * @filename: name used in error messages and kept in the scenario
 * @out: the scenario, to be freed with scenario_free()
 * @err: receives "FILE:LINE: expected ..." on a syntax error (may be NULL)
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL for a malformed scenario (@err says where and what),
 * or -ENOMEM.
 */
int scenario_parse(const char *text, size_t len, const char *filename,
		   struct scenario **out, char *err, size_t errlen);

/**
 * scenario_load - read and parse a scenario file
 * @path: file path, or "-" for standard input
 * @out: the scenario
 * @err: receives the message on any error ("FILE: No such file...")
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL (malformed), -ENOMEM, or the negative errno of
 * opening or reading the file.
 */
int scenario_load(const char *path, struct scenario **out, char *err,
		  size_t errlen);

/* The largest scenario file scenario_read() takes. */
#define SCN_MAX_FILE_BYTES	(16u << 20)

/**
 * scenario_read - read a scenario file whole
 * @path: file path, or "-" for standard input
 * @text: receives the bytes (malloc'd; free it)
 * @len: receives their number
 * @err: receives one line on any error: "PATH: No such file or
 *       directory", "PATH: a directory, not a scenario file", "PATH: more
 *       than 16M, not a scenario file" (PATH with control bytes escaped)
 * @errlen: size of @err
 *
 * Return: 0, or a negative errno (-ENOENT, -EISDIR, -EFBIG, -EIO, ...).
 */
int scenario_read(const char *path, char **text, size_t *len, char *err,
		  size_t errlen);

/** scenario_free - free a scenario from scenario_parse() (NULL allowed) */
void scenario_free(struct scenario *s);

/**
 * scn_parse_size - parse a size: digits and an optional K/M/G/T suffix
 * @s: NUL-terminated token
 * @out: bytes
 *
 * Return: 0, or -EINVAL (syntax) / -ERANGE (above UINT64_MAX).
 */
int scn_parse_size(const char *s, uint64_t *out);

/**
 * scn_parse_value - parse an expect value: an optionally signed size
 * (K/M/G/T suffixes) or "max" (INT64_MAX)
 * @s: NUL-terminated token
 * @out: the value
 *
 * Return: 0, -EINVAL or -ERANGE.
 */
int scn_parse_value(const char *s, int64_t *out);

/** scn_op_str - "==", "!=", "<", "<=", ">", ">=" or "~" */
const char *scn_op_str(enum scn_op op);

/** scn_cmd_name - the command's keyword: "mkdir", "anon", "expect", ... */
const char *scn_cmd_name(enum scn_cmd_type type);

/** scn_kernel_str - "6.1" or "6.12" */
const char *scn_kernel_str(enum scn_kernel kernel);

/** scn_reclaim_str - "default", "classic" or "mglru" */
const char *scn_reclaim_str(enum scn_reclaim reclaim);

/** scn_thp_str - "never" or "always" */
const char *scn_thp_str(enum scn_thp thp);

/** scn_cmd_is_task - whether the command is "NAME verb ..." (not task/move) */
bool scn_cmd_is_task(enum scn_cmd_type type);

/**
 * scn_escape - @s as it may be echoed to a terminal: control bytes
 * (C0, DEL, C1) and bytes that are not UTF-8 as "\xHH", the rest as is
 * @s: string
 * @out: receives the escaped string, cut at a whole character to fit
 * @len: size of @out (at least 1)
 *
 * Return: @out.
 */
const char *scn_escape(const char *s, char *out, size_t len);

/** scn_escape_dup - scn_escape() into a malloc'd string, or NULL */
char *scn_escape_dup(const char *s);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_TOOL_SCENARIO_H */
