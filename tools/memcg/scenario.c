// SPDX-License-Identifier: MIT
/*
 * The scenario parser: text -> struct scenario. See scenario.h for the
 * language and for what is checked here rather than at run time, and
 * scenario_parser.h for the files of the parser.
 */
#include "scenario_parser.h"

/* Format "FILE:LINE: msg" into the error buffer; returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
int scn_perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	char msg[1024];

	if (!p->err || !p->errlen)
		return -EINVAL;
	n = snprintf(msg, sizeof(msg), "%s:%d: ", p->filename, p->line);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	/* the tokens and the file name are the user's: escape them */
	scn_escape(msg, p->err, p->errlen);
	return -EINVAL;
}

/* --- tables --- */

int scn_find_task(struct parser *p, const char *name)
{
	return strtab_get(&p->task_names, name);
}

bool scn_known_cgroup(struct parser *p, const char *path)
{
	return !strcmp(path, ".") || strtab_get(&p->cgroup_names, path) >= 0;
}

/*
 * Make room for element @nr of an array of @cap elements of @size bytes.
 * Return: the (maybe moved) array, or NULL with @arr untouched.
 */
void *scn_grow(void *arr, size_t *cap, size_t nr, size_t size)
{
	void *n;
	size_t ncap;

	if (arr && nr < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return NULL;
	n = realloc(arr, ncap * size);
	if (!n)
		return NULL;
	*cap = ncap;
	return n;
}

int scn_add_cgroup(struct parser *p, const char *path)
{
	struct scenario *s = p->s;
	char **arr, *dup;

	if (scn_known_cgroup(p, path))
		return 0;
	arr = scn_grow(s->cgroups, &p->cap_cgroups, s->nr_cgroups,
		       sizeof(*s->cgroups));
	if (!arr)
		return -ENOMEM;
	s->cgroups = arr;
	dup = strdup(path);
	if (!dup)
		return -ENOMEM;
	if (strtab_put(&p->cgroup_names, dup, (int)s->nr_cgroups)) {
		free(dup);
		return -ENOMEM;
	}
	s->cgroups[s->nr_cgroups++] = dup;
	return 0;
}

int scn_add_task(struct parser *p, const char *name)
{
	struct scenario *s = p->s;
	size_t cap = p->cap_tasks;
	char **arr, *dup;

	arr = scn_grow(s->tasks, &p->cap_tasks, s->nr_tasks, sizeof(*s->tasks));
	if (!arr)
		return -ENOMEM;
	s->tasks = arr;
	if (cap != p->cap_tasks) {
		int *n = realloc(p->task_line, p->cap_tasks * sizeof(int));

		if (!n)
			return -ENOMEM;
		p->task_line = n;
	}
	dup = strdup(name);
	if (!dup)
		return -ENOMEM;
	if (strtab_put(&p->task_names, dup, (int)s->nr_tasks)) {
		free(dup);
		return -ENOMEM;
	}
	p->task_line[s->nr_tasks] = p->line;
	s->tasks[s->nr_tasks++] = dup;
	return (int)s->nr_tasks - 1;
}

static void cmd_free(struct scn_cmd *c)
{
	free(c->text);
	free(c->cgroup);
	free(c->file);
	free(c->task);
	free(c->value);
	free(c->key);
	free(c->want);
	free(c->expr);
}

/**
 * scenario_free - free a scenario
 * @s: from scenario_parse() or scenario_load(); NULL allowed
 */
void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_cmds; i++)
		cmd_free(&s->cmds[i]);
	for (size_t i = 0; i < s->nr_tasks; i++)
		free(s->tasks[i]);
	for (size_t i = 0; i < s->nr_cgroups; i++)
		free(s->cgroups[i]);
	free(s->cmds);
	free(s->tasks);
	free(s->cgroups);
	free(s->filename);
	free(s);
}

static int parse_line(struct parser *p, const char *b, const char *e)
{
	struct scenario *s = p->s;
	struct line l = { 0 };
	struct scn_cmd *c, *cmds;
	int err;

	if (memchr(b, '\0', e - b)) {
		err = scn_perr(p, "binary data (a NUL byte): expected a text file");
		goto out;
	}
	for (const char *c = b; c < e; c++) {
		unsigned char u = (unsigned char)*c;

		if ((u < 0x20 && !strchr("\t\r\v\f", u)) || u == 0x7f) {
			err = scn_perr(p, "control byte \\x%02x: expected text", u);
			goto out;
		}
	}
	err = scn_line_split(&l, b, e);
	if (err || !l.nr)
		goto out;
	if (!strcmp(l.tok[0], "machine")) {
		err = scn_parse_machine(p, &l);
		goto out;
	}
	cmds = scn_grow(s->cmds, &p->cap_cmds, s->nr_cmds, sizeof(*s->cmds));
	if (!cmds) {
		err = -ENOMEM;
		goto out;
	}
	s->cmds = cmds;
	c = &s->cmds[s->nr_cmds++];
	memset(c, 0, sizeof(*c));
	c->line = p->line;
	c->task_index = -1;
	c->text = scn_line_join(&l, 0);
	err = c->text ? scn_parse_command(p, &l, c) : -ENOMEM;
	p->seen_cmd = true;
out:
	scn_line_free(&l);
	return err;
}

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
		   struct scenario **out, char *err, size_t errlen)
{
	struct parser p = {
		.filename = filename ? filename : "<scenario>",
		.err = err,
		.errlen = errlen,
	};
	const char *c = text, *end = text + len;
	int ret = 0;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	p.s = calloc(1, sizeof(*p.s));
	if (!p.s)
		return -ENOMEM;
	p.s->filename = scn_escape_dup(p.filename);
	if (!p.s->filename) {
		ret = -ENOMEM;
		goto fail;
	}
	p.s->machine = (struct scn_machine) {
		.memory_bytes = SCN_DEFAULT_MEMORY,
		.swap_bytes = SCN_DEFAULT_SWAP,
		.cpus = SCN_DEFAULT_CPUS,
		.mode = SCN_MODE_V2,
		.policy = SCN_POLICY_REPARENT,
		.kernel = SCN_KERNEL_6_1,
		.reclaim = SCN_RECLAIM_DEFAULT,
		.thp = SCN_THP_NEVER,
	};
	while (c < end) {
		const char *nl = memchr(c, '\n', end - c);
		const char *e = nl ? nl : end;

		if (p.line == INT_MAX) {
			ret = scn_perr(&p, "too many lines: expected fewer");
			goto fail;
		}
		p.line++;
		ret = parse_line(&p, c, e);
		if (ret)
			goto fail;
		c = nl ? nl + 1 : end;
	}
	free(p.task_line);
	strtab_free(&p.task_names);
	strtab_free(&p.cgroup_names);
	*out = p.s;
	return 0;
fail:
	if (ret == -ENOMEM)
		scn_read_err(err, errlen, p.filename, "out of memory", ret);
	free(p.task_line);
	strtab_free(&p.task_names);
	strtab_free(&p.cgroup_names);
	scenario_free(p.s);
	return ret;
}

/**
 * scenario_read - read a scenario file whole
 * @path: file path, or "-" for standard input
 * @text: receives the bytes (malloc'd; free it)
 * @len: receives their number
 * @err: receives one line on any error
 * @errlen: size of @err
 *
 * A directory, and anything larger than SCN_MAX_FILE_BYTES (/dev/zero),
 * is refused before it is read whole.
 *
 * Return: 0, or a negative errno.
 */
int scenario_read(const char *path, char **text, size_t *len, char *err,
		  size_t errlen)
{
	bool std = !strcmp(path, "-");
	FILE *f = std ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	int ret = 0;

	*text = NULL;
	*len = 0;
	if (!f)
		return scn_read_err(err, errlen, path, strerror(errno), -errno);
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		ret = scn_read_err(err, errlen, path, "a directory, not a scenario "
				   "file", -EISDIR);
		goto out;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (!nb) {
				ret = scn_read_err(err, errlen, path,
						   "out of memory", -ENOMEM);
				goto out;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0 || n > SCN_MAX_FILE_BYTES)
			break;
	}
	if (ferror(f)) {
		ret = scn_read_err(err, errlen, path, errno ? strerror(errno) :
				   "read error", errno ? -errno : -EIO);
		goto out;
	}
	if (n > SCN_MAX_FILE_BYTES) {
		ret = scn_read_err(err, errlen, path, "more than 16M, not a scenario "
				   "file", -EFBIG);
		goto out;
	}
	*text = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	if (!std)
		fclose(f);
	return ret;
}

/**
 * scenario_load - read and parse a scenario file
 * @path: file path, or "-" for standard input
 * @out: the scenario
 * @err: receives the message on any error
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL (malformed), -ENOMEM, or the negative errno of
 * opening or reading the file (scenario_read()).
 */
int scenario_load(const char *path, struct scenario **out, char *err,
		  size_t errlen)
{
	bool std = !strcmp(path, "-");
	char *buf;
	size_t len;
	int ret;

	*out = NULL;
	ret = scenario_read(path, &buf, &len, err, errlen);
	if (ret)
		return ret;
	ret = scenario_parse(buf, len, std ? "<stdin>" : path, out, err,
			     errlen);
	if (ret == -ENOMEM)
		scn_read_err(err, errlen, path, "out of memory", ret);
	free(buf);
	return ret;
}
