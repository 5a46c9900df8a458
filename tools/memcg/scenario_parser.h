/* SPDX-License-Identifier: MIT */
/*
 * The scenario parser's own (scenario.h is its interface): the parser's
 * state and what its files share. scenario.c: errors, the tables of tasks
 * and cgroups, lines to commands, reading files; scenario_lex.c: numbers,
 * escaping, names and paths, splitting lines; scenario_machine.c: the
 * machine line; scenario_cmd.c: the commands; scenario_expect.c: expect.
 */
#ifndef MEMCG_SCENARIO_PARSER_H
#define MEMCG_SCENARIO_PARSER_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errname.h"
#include "scenario.h"
#include "strtab.h"

/* Parser state for one file. */
struct parser {
	struct scenario *s;
	const char *filename;
	int line;
	char *err;
	size_t errlen;
	size_t cap_cmds, cap_tasks, cap_cgroups;
	int *task_line;		/* line of each task's "task" command */
	struct strtab task_names, cgroup_names;	/* name -> index */
	bool seen_cmd;		/* a command other than machine was seen */
};

/* One line split into blank-separated tokens. */
struct line {
	char **tok;
	size_t nr, cap;
};

/* Tokens are echoed in messages: clip them so a huge one stays readable. */
#define TOK(t) 40, (t)

/* scenario.c */
__attribute__((format(printf, 2, 3)))
int scn_perr(struct parser *p, const char *fmt, ...);
int scn_find_task(struct parser *p, const char *name);
bool scn_known_cgroup(struct parser *p, const char *path);
void *scn_grow(void *arr, size_t *cap, size_t nr, size_t size);
int scn_add_cgroup(struct parser *p, const char *path);
int scn_add_task(struct parser *p, const char *name);

/* scenario_lex.c */
bool scn_parse_int(const char *s, long lo, long hi, long *out);
bool scn_parse_tol(const char *s, double *out);
bool scn_parse_op(const char *s, enum scn_op *op);
int scn_read_err(char *err, size_t errlen, const char *path,
		 const char *what, int ret);
bool scn_valid_name(const char *s);
bool scn_valid_key(const char *s);
char *scn_pathdup(const char *s, size_t n);
bool scn_norm_cgroup(char *path);
int scn_split_path_file(const char *tok, char **cgroup, char **file);
void scn_line_free(struct line *l);
int scn_line_split(struct line *l, const char *b, const char *e);
char *scn_line_join_range(const struct line *l, size_t from, size_t to);
char *scn_line_join(const struct line *l, size_t from);
bool scn_is_keyword(const char *s);

/* scenario_machine.c: the "machine KEY=VALUE..." line */
int scn_parse_machine(struct parser *p, const struct line *l);

/* scenario_cmd.c: one command line into @c */
int scn_path_file_arg(struct parser *p, const char *tok, char **cgroup,
		      char **file);
int scn_parse_command(struct parser *p, const struct line *l,
		      struct scn_cmd *c);

/* scenario_expect.c: "expect ..." into @c */
int scn_parse_expect(struct parser *p, const struct line *l,
		     struct scn_cmd *c);

#endif /* MEMCG_SCENARIO_PARSER_H */
