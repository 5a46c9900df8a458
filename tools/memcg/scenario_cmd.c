// SPDX-License-Identifier: MIT
/*
 * The scenario parser (scenario_parser.h): the commands, their arguments
 * and task actions; expect is scenario_expect.c's.
 */
#include "scenario_parser.h"

static const char *const actions_help =
	"anon, unmap, read, write, truncate, mlock, touch, exit or "
	"oom_score_adj";

static const char *const commands_help =
	"machine, mkdir, rmdir, write, show, task, move, expect or "
	"'TASK ACTION'";

/* A cgroup path argument that must be "." or created by an earlier mkdir. */
static int cgroup_arg(struct parser *p, const char *tok, const char *what,
		      char **out)
{
	char *cg = scn_pathdup(tok, strlen(tok));

	if (!cg)
		return -ENOMEM;
	if (!scn_norm_cgroup(cg)) {
		free(cg);
		return scn_perr(p, "bad cgroup path '%.*s': expected %s as A/B "
				"(or . for the root)", TOK(tok), what);
	}
	if (!scn_known_cgroup(p, cg)) {
		scn_perr(p, "unknown cgroup '%.*s': expected an earlier 'mkdir "
			 "%.*s' line (or . for the root)", TOK(cg), TOK(cg));
		free(cg);
		return -EINVAL;
	}
	*out = cg;
	return 0;
}

/* "PATH/FILE" whose cgroup must be known. */
int scn_path_file_arg(struct parser *p, const char *tok, char **cgroup,
			     char **file)
{
	int err = scn_split_path_file(tok, cgroup, file);

	if (err == -ENOMEM)
		return err;
	if (err)
		return scn_perr(p, "bad control file '%.*s': expected CGROUP/FILE "
				"such as A/memory.max (or FILE for the root)",
				TOK(tok));
	if (!scn_known_cgroup(p, *cgroup)) {
		scn_perr(p, "unknown cgroup '%.*s': expected an earlier 'mkdir "
			 "%.*s' line (or . for the root)", TOK(*cgroup),
			 TOK(*cgroup));
		free(*cgroup);
		free(*file);
		*cgroup = *file = NULL;
		return -EINVAL;
	}
	return 0;
}

static int size_arg(struct parser *p, const char *tok, uint64_t *out)
{
	int err = scn_parse_size(tok, out);

	if (err == -ERANGE)
		return scn_perr(p, "bad size '%.*s': expected a size below 16E",
				TOK(tok));
	if (err)
		return scn_perr(p, "bad size '%.*s': expected a number with an "
				"optional K, M, G or T suffix", TOK(tok));
	return 0;
}

static int nargs(struct parser *p, const struct line *l, size_t n,
		 const char *usage)
{
	if (l->nr != n)
		return scn_perr(p, "wrong number of arguments: expected '%s'",
				usage);
	return 0;
}

/* "TASK read|write FILE SIZE [at OFFSET]" or "TASK truncate FILE SIZE". */
static int parse_file_action(struct parser *p, const struct line *l,
			     struct scn_cmd *c)
{
	const char *usage = c->type == SCN_READ ?
			    "TASK read FILE SIZE [at OFFSET]" :
			    c->type == SCN_FWRITE ?
			    "TASK write FILE SIZE [at OFFSET]" :
			    "TASK truncate FILE SIZE";
	int err;

	if (l->nr == 6 && c->type != SCN_TRUNCATE) {
		if (strcmp(l->tok[4], "at"))
			return scn_perr(p, "'%.*s' after the size: expected '%s'",
					TOK(l->tok[4]), usage);
		err = size_arg(p, l->tok[5], &c->offset);
		if (err)
			return err;
		c->has_offset = true;
	} else {
		err = nargs(p, l, 4, usage);
		if (err)
			return err;
	}
	if (!scn_valid_name(l->tok[2]))
		return scn_perr(p, "bad file name '%.*s': expected a name of "
				"letters, digits, '_', '-', '.'", TOK(l->tok[2]));
	c->file = strdup(l->tok[2]);
	if (!c->file)
		return -ENOMEM;
	err = size_arg(p, l->tok[3], &c->bytes);
	if (err)
		return err;
	if (c->offset > UINT64_MAX - c->bytes)
		return scn_perr(p, "'%.*s at %.*s' ends past 16E: expected a range "
				"below it", TOK(l->tok[3]), TOK(l->tok[5]));
	return 0;
}

/* "NAME verb ...": a task action. */
static int parse_action(struct parser *p, const struct line *l,
			struct scn_cmd *c)
{
	const char *name = l->tok[0];
	const char *verb = l->nr > 1 ? l->tok[1] : "";
	static const struct {
		const char *verb;
		enum scn_cmd_type type;
	} verbs[] = {
		{ "anon", SCN_ANON }, { "unmap", SCN_UNMAP },
		{ "read", SCN_READ }, { "write", SCN_FWRITE },
		{ "truncate", SCN_TRUNCATE }, { "mlock", SCN_MLOCK },
		{ "touch", SCN_TOUCH }, { "exit", SCN_EXIT },
		{ "oom_score_adj", SCN_OOM_SCORE_ADJ },
	};
	bool found = false;
	long adj;
	int err;

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (!strcmp(verb, verbs[i].verb)) {
			c->type = verbs[i].type;
			found = true;
			break;
		}
	}
	c->task_index = scn_find_task(p, name);
	if (c->task_index < 0) {
		if (found)
			return scn_perr(p, "unknown task '%.*s': expected a 'task "
					"%.*s CGROUP' line before", TOK(name),
					TOK(name));
		return scn_perr(p, "unknown command '%.*s': expected %s",
				TOK(name), commands_help);
	}
	if (!found)
		return scn_perr(p, "unknown action '%.*s' of task '%.*s': expected "
				"%s", TOK(verb), TOK(name), actions_help);
	c->task = strdup(name);
	if (!c->task)
		return -ENOMEM;
	switch (c->type) {
	case SCN_ANON:
	case SCN_UNMAP:
	case SCN_MLOCK:
	case SCN_TOUCH:
		err = nargs(p, l, 3, c->type == SCN_ANON ? "TASK anon SIZE" :
			    c->type == SCN_UNMAP ? "TASK unmap SIZE" :
			    c->type == SCN_MLOCK ? "TASK mlock SIZE" :
			    "TASK touch SIZE");
		return err ? err : size_arg(p, l->tok[2], &c->bytes);
	case SCN_READ:
	case SCN_FWRITE:
	case SCN_TRUNCATE:
		return parse_file_action(p, l, c);
	case SCN_EXIT:
		return nargs(p, l, 2, "TASK exit");
	case SCN_OOM_SCORE_ADJ:
		err = nargs(p, l, 3, "TASK oom_score_adj N");
		if (err)
			return err;
		if (!scn_parse_int(l->tok[2], -1000, 1000, &adj))
			return scn_perr(p, "bad oom_score_adj '%.*s': expected a "
					"number from -1000 to 1000", TOK(l->tok[2]));
		c->adj = (int)adj;
		return 0;
	default:
		return -EINVAL;
	}
}

int scn_parse_command(struct parser *p, const struct line *l,
			     struct scn_cmd *c)
{
	const char *k = l->tok[0];
	int err;

	if (!strcmp(k, "mkdir") || !strcmp(k, "rmdir")) {
		bool mk = k[0] == 'm';

		c->type = mk ? SCN_MKDIR : SCN_RMDIR;
		err = nargs(p, l, 2, mk ? "mkdir CGROUP" : "rmdir CGROUP");
		if (err)
			return err;
		if (!mk)
			return cgroup_arg(p, l->tok[1], "the cgroup to remove",
					  &c->cgroup);
		c->cgroup = scn_pathdup(l->tok[1], strlen(l->tok[1]));
		if (!c->cgroup)
			return -ENOMEM;
		if (!scn_norm_cgroup(c->cgroup) || !strcmp(c->cgroup, "."))
			return scn_perr(p, "bad cgroup path '%.*s': expected a new "
					"cgroup as A or A/B", TOK(l->tok[1]));
		return scn_add_cgroup(p, c->cgroup);
	}
	if (!strcmp(k, "write")) {
		c->type = SCN_WRITE;
		if (l->nr < 3)
			return scn_perr(p, "wrong number of arguments: expected "
					"'write CGROUP/FILE VALUE'");
		err = scn_path_file_arg(p, l->tok[1], &c->cgroup, &c->file);
		if (err)
			return err;
		c->value = scn_line_join(l, 2);
		return c->value ? 0 : -ENOMEM;
	}
	if (!strcmp(k, "show")) {
		c->type = SCN_SHOW;
		err = nargs(p, l, 2, "show CGROUP/FILE");
		return err ? err : scn_path_file_arg(p, l->tok[1], &c->cgroup,
						     &c->file);
	}
	if (!strcmp(k, "task") || !strcmp(k, "move")) {
		bool create = k[0] == 't';
		const char *name;

		c->type = create ? SCN_TASK : SCN_MOVE;
		err = nargs(p, l, 3, create ? "task NAME CGROUP" :
			    "move NAME CGROUP");
		if (err)
			return err;
		name = l->tok[1];
		c->task_index = scn_find_task(p, name);
		if (create) {
			if (!scn_valid_name(name) || scn_is_keyword(name))
				return scn_perr(p, "bad task name '%.*s': expected "
						"letters, digits, '_', '-', '.', not "
						"a command keyword", TOK(name));
			if (c->task_index >= 0)
				return scn_perr(p, "task '%.*s' exists (line %d): "
						"expected a new name", TOK(name),
						p->task_line[c->task_index]);
		} else if (c->task_index < 0) {
			return scn_perr(p, "unknown task '%.*s': expected a 'task "
					"%.*s CGROUP' line before", TOK(name),
					TOK(name));
		}
		c->task = strdup(name);
		if (!c->task)
			return -ENOMEM;
		err = cgroup_arg(p, l->tok[2], create ?
				 "the task's cgroup" : "the destination",
				 &c->cgroup);
		if (err || !create)
			return err;
		c->task_index = scn_add_task(p, name);
		return c->task_index < 0 ? c->task_index : 0;
	}
	if (!strcmp(k, "expect"))
		return scn_parse_expect(p, l, c);
	return parse_action(p, l, c);
}

