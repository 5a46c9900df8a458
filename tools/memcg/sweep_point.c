// SPDX-License-Identifier: MIT
/*
 * memcg sweep: one point, its scenario text (the --set values in place,
 * the outputs as show lines at the end), its run on the engine or a
 * kernel, and its outputs picked from the run's JSON Lines. See sweep.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"
#include "run.h"
#include "sweep.h"

#ifdef MEMCG_HAVE_ORACLE
#include "oracle.h"
#endif

/* "write CG/FILE VALUE" ("write FILE VALUE" for the root). */
static void put_write(FILE *f, const struct sweep_param *p, const char *v)
{
	if (strcmp(p->cgroup, "."))
		fprintf(f, "write %s/%s %s\n", p->cgroup, p->file, v);
	else
		fprintf(f, "write %s %s\n", p->file, v);
}

/* The lines of @s's plain writes to @p's file, or none. */
static bool is_write_of(const struct scn_cmd *c, const struct sweep_param *p)
{
	return c->type == SCN_WRITE && !strcmp(c->cgroup, p->cgroup) &&
	       !strcmp(c->file, p->file);
}

/*
 * The line after which @p's write goes when the scenario has none: the
 * first mkdir of its cgroup, or the machine line (0: before line 1) for
 * the root; -1 when the scenario writes the file itself.
 */
static int anchor_line(const struct scenario *s, const struct sweep_param *p)
{
	for (size_t i = 0; i < s->nr_cmds; i++)
		if (is_write_of(&s->cmds[i], p))
			return -1;
	if (!strcmp(p->cgroup, "."))
		return s->machine.line;
	for (size_t i = 0; i < s->nr_cmds; i++)
		if (s->cmds[i].type == SCN_MKDIR &&
		    !strcmp(s->cmds[i].cgroup, p->cgroup))
			return s->cmds[i].line;
	return -1;	/* sweep_check() refused it */
}

/* The --set parameter whose write line @line replaces, or NULL. */
static const struct sweep_param *replaced_by(const struct sweep *sw,
					     int line, size_t *which)
{
	for (size_t i = 0; i < sw->s->nr_cmds; i++) {
		const struct scn_cmd *c = &sw->s->cmds[i];

		if (c->line != line)
			continue;
		for (size_t k = 0; k < sw->nr_params; k++) {
			if (sw->params[k].kind == SWEEP_SET &&
			    is_write_of(c, &sw->params[k])) {
				*which = k;
				return &sw->params[k];
			}
		}
	}
	return NULL;
}

/* The added writes that go after line @line. */
static int put_added(const struct sweep *sw, const struct sweep_point *pt,
		     int line, const int *anchor, FILE *f)
{
	int n = 0;

	for (size_t k = 0; k < sw->nr_params; k++) {
		if (sw->params[k].kind == SWEEP_SET && anchor[k] == line) {
			put_write(f, &sw->params[k], pt->param[k]);
			n++;
		}
	}
	return n;
}

/** sweep_point_text - the scenario text of one point (see sweep.h) */
char *sweep_point_text(const struct sweep *sw, const struct sweep_point *pt,
		       int *first_show)
{
	int anchor[SWEEP_MAX_PARAMS], lines = 0;
	const char *p = sw->text, *end = sw->text + sw->len;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (size_t k = 0; k < sw->nr_params; k++)
		anchor[k] = sw->params[k].kind == SWEEP_SET ?
			    anchor_line(sw->s, &sw->params[k]) : -1;
	lines += put_added(sw, pt, 0, anchor, f);
	for (int line = 1; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const struct sweep_param *rp;
		size_t k;

		rp = replaced_by(sw, line, &k);
		if (rp)
			put_write(f, rp, pt->param[k]);
		else
			fprintf(f, "%.*s\n", (int)n, p);
		lines += 1 + put_added(sw, pt, line, anchor, f);
		p += n + 1;
	}
	*first_show = lines + 1;
	for (size_t i = 0; i < sw->nr_shows; i++) {
		const struct sweep_show *sh = &sw->shows[i];

		if (strcmp(sh->cgroup, "."))
			fprintf(f, "show %s/%s\n", sh->cgroup, sh->file);
		else
			fprintf(f, "show %s\n", sh->file);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The text of a JSON member "NAME": a string (unescaped) or a bare token. */
static bool json_member(const char *line, const char *name, char *out,
			size_t len)
{
	char pat[64];
	const char *v;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":", name);
	v = strstr(line, pat);
	if (!v)
		return false;
	v += strlen(pat);
	if (*v == '"') {
		for (v++; *v && *v != '"' && n + 1 < len; v++) {
			if (*v == '\\' && v[1])
				v++;
			out[n++] = *v;
		}
	} else {
		for (; *v && *v != ',' && *v != '}' && n + 1 < len; v++)
			out[n++] = *v;
	}
	out[n] = '\0';
	return true;
}

/** sweep_parse_output - pick the outputs from a run's JSON Lines */
void sweep_parse_output(const struct sweep *sw, FILE *f, int first_show,
			struct sweep_point *pt)
{
	char *line = NULL, num[32], key[128], val[SWEEP_VALUE_LEN];
	bool got[SWEEP_MAX_SHOWS] = { false };
	size_t cap = 0;

	for (size_t i = 0; i < sw->nr_shows; i++)
		snprintf(pt->value[i], sizeof(pt->value[i]), "-");
	while (getline(&line, &cap, f) > 0) {
		long k;

		if (!strstr(line, "\"kind\":\"show\"") ||
		    !json_member(line, "line", num, sizeof(num)))
			continue;
		k = strtol(num, NULL, 10) - first_show;
		if (k < 0 || (size_t)k >= sw->nr_shows || got[k] ||
		    !json_member(line, "value", val, sizeof(val)))
			continue;
		if (sw->shows[k].key &&
		    (!json_member(line, "key", key, sizeof(key)) ||
		     strcmp(key, sw->shows[k].key)))
			continue;
		got[k] = true;
		snprintf(pt->value[k], sizeof(pt->value[k]), "%s", val);
	}
	free(line);
}

static uint64_t point_seed(const struct sweep *sw, const struct sweep_point *pt)
{
	for (size_t k = 0; k < sw->nr_params; k++)
		if (sw->params[k].kind == SWEEP_SEED)
			return strtoull(pt->param[k], NULL, 10);
	return 0;
}

static void run_engine_point(const struct sweep *sw, const char *text,
			     int first_show, struct sweep_point *pt)
{
	struct run_opts o = { .json = true, .keep_going = sw->keep_going };
	struct scenario *s;
	char err[1024], *out = NULL;
	size_t len = 0;
	struct run *r;
	FILE *f;
	int ret;

	pt->exit = MEMCG_EXIT_USAGE;
	o.seed = point_seed(sw, pt);
	if (scenario_parse(text, strlen(text), sw->s->filename, &s, err,
			   sizeof(err))) {
		fprintf(stderr, "memcg sweep: %s\n", err);
		return;
	}
	f = open_memstream(&out, &len);
	ret = f ? run_create(s, &o, f, &r) : -ENOMEM;
	if (ret) {
		run_create_error(s, ret);
	} else {
		run_all(r);
		pt->exit = run_exit_code(r);
		run_destroy(r);
	}
	if (f)
		fclose(f);
	f = out ? fmemopen(out, len, "r") : NULL;
	if (f) {
		sweep_parse_output(sw, f, first_show, pt);
		fclose(f);
	}
	free(out);
	scenario_free(s);
}

#ifdef MEMCG_HAVE_ORACLE
/* The point through memcg kernel: its stdout to a file, then parsed. */
static void run_kernel_point(const struct sweep *sw, const char *text,
			     int first_show, struct sweep_point *pt)
{
	char path[] = "/tmp/memcg-sweep-XXXXXX.scn";
	char *argv[] = { "kernel", path, "--json", "--keep-going", NULL };
	int fd = mkstemps(path, 4), saved = -1;
	FILE *out = tmpfile();
	size_t len = strlen(text);

	pt->exit = MEMCG_EXIT_KERNEL;
	if (fd < 0 || !out || write(fd, text, len) != (ssize_t)len)
		goto out;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (saved < 0 || dup2(fileno(out), STDOUT_FILENO) < 0)
		goto out;
	pt->exit = oracle_kernel_main(sw->keep_going ? 4 : 3, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	rewind(out);
	sweep_parse_output(sw, out, first_show, pt);
out:
	if (saved >= 0)
		close(saved);
	if (out)
		fclose(out);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
}
#endif

/** sweep_point_run - run one point, in the calling process */
void sweep_point_run(const struct sweep *sw, struct sweep_point *pt)
{
	int first_show;
	char *text = sweep_point_text(sw, pt, &first_show);

	if (!text) {
		pt->exit = MEMCG_EXIT_USAGE;
		return;
	}
	if (sw->kernel) {
#ifdef MEMCG_HAVE_ORACLE
		run_kernel_point(sw, text, first_show, pt);
#else
		pt->exit = MEMCG_EXIT_USAGE;
#endif
	} else {
		run_engine_point(sw, text, first_show, pt);
	}
	free(text);
}
