// SPDX-License-Identifier: MIT
/*
 * "memcg compare": run a scenario on the engine (`memcg run --json`, the
 * same binary) and on the kernel (the oracle, JSON too), line up their
 * events by the scenario line they came from, and print them side by side.
 *
 * A row is marked
 *   !  they disagree: an expect's verdict differs, or its '~' values are
 *      not within the expect's tolerance of each other; an error or a kill
 *      happened on one side only, or the errors differ;
 *   *  a shown value differs: numbers by more than --tolerance percent
 *      (default 5, as values_close()), strings at all. A show states no
 *      tolerance, so this informs and is not a disagreement: write an
 *      expect to make a value count;
 *   ?  a shown line exists on one side only (a key one of them lacks, as
 *      memory.stat keys of another kernel version).
 * Exit status: 0 no row marked '!', 1 some, 2 usage or malformed file, 3
 * the engine or the kernel run failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jsonl.h"
#include "oracle.h"
#include "oracle_int.h"
#include "report.h"
#include "scenario.h"

enum ev_kind { EV_SHOW, EV_EXPECT, EV_ERROR, EV_KILLED };

/* One output event of either side (report.h's JSON Lines). */
struct event {
	int line;
	enum ev_kind kind;
	char *file;		/* show */
	char *value;		/* show: the content line */
	bool ok;		/* expect */
	char *actual;		/* expect */
	char *error;		/* error */
	char *task;		/* killed */
	bool used;
};

struct events {
	struct event *v;
	size_t nr, cap;
	unsigned expects, failed;
	unsigned bad;		/* lines that were not events */
};

/* A row of the table. */
struct row {
	int line;
	char mark;		/* ' ', '!', '*' or '?' */
	char *what;
	char *eng;		/* NULL: nothing on that side */
	char *ker;
};

struct table {
	struct row *v;
	size_t nr, cap;
	unsigned differ, shown, one_side;
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d) {
		fputs("memcg compare: out of memory\n", stderr);
		exit(3);
	}
	return d;
}

__attribute__((format(printf, 1, 2)))
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fputs("memcg compare: out of memory\n", stderr);
		exit(3);
	}
	return s;
}

static void *grow(void *v, size_t *cap, size_t nr, size_t size)
{
	if (nr < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	v = realloc(v, *cap * size);
	if (!v) {
		fputs("memcg compare: out of memory\n", stderr);
		exit(3);
	}
	return v;
}

static void events_add(struct events *E, const char *line)
{
	struct jsonl_obj o;
	const char *kind, *ln;
	struct event ev = { 0 };

	if (jsonl_parse(line, &o)) {
		E->bad++;
		return;
	}
	kind = jsonl_get(&o, "kind");
	ln = jsonl_get(&o, "line");
	if (!kind || !ln) {
		E->bad++;
		goto out;
	}
	ev.line = atoi(ln);
	if (!strcmp(kind, "show")) {
		ev.kind = EV_SHOW;
		ev.file = xstrdup(jsonl_get(&o, "file"));
		ev.value = xstrdup(jsonl_get(&o, "value"));
	} else if (!strcmp(kind, "expect")) {
		const char *ok = jsonl_get(&o, "ok");

		ev.kind = EV_EXPECT;
		ev.ok = ok && !strcmp(ok, "true");
		ev.actual = xstrdup(jsonl_get(&o, "actual"));
		E->expects++;
		E->failed += !ev.ok;
	} else if (!strcmp(kind, "error")) {
		ev.kind = EV_ERROR;
		ev.error = xstrdup(jsonl_get(&o, "error"));
	} else if (!strcmp(kind, "killed")) {
		ev.kind = EV_KILLED;
		ev.task = xstrdup(jsonl_get(&o, "task"));
	} else {
		E->bad++;
		goto out;
	}
	E->v = grow(E->v, &E->cap, E->nr, sizeof(*E->v));
	E->v[E->nr++] = ev;
out:
	jsonl_free(&o);
}

static void events_add_cb(const char *line, void *arg)
{
	events_add(arg, line);
}

static void events_free(struct events *E)
{
	for (size_t i = 0; i < E->nr; i++) {
		free(E->v[i].file);
		free(E->v[i].value);
		free(E->v[i].actual);
		free(E->v[i].error);
		free(E->v[i].task);
	}
	free(E->v);
}

/* --- the engine: `memcg run FILE --json` by this very binary --- */

static int run_engine(const struct oracle_opts *o, const char *file,
		      struct events *E)
{
	const char *self = getenv("MEMCG_BIN");
	char *argv[ORACLE_MAX_FWD + 8];
	int argc = 0, pfd[2], status;
	char buf[8192], line[65536];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (!self || !*self)
		self = "/proc/self/exe";
	argv[argc++] = "memcg";
	argv[argc++] = "run";
	argv[argc++] = (char *)file;
	argv[argc++] = "--json";
	for (int i = 0; i < o->nr_fwd; i++)
		argv[argc++] = o->fwd[i];
	argv[argc] = NULL;

	if (pipe(pfd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execv(self, argv);
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || len == sizeof(line) - 1) {
				line[len] = '\0';
				if (len)
					events_add(E, line);
				len = 0;
			} else {
				line[len++] = buf[i];
			}
		}
	}
	if (len) {
		line[len] = '\0';
		events_add(E, line);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status))
		return -EINTR;
	return WEXITSTATUS(status);
}

/* --- the table --- */

static bool is_num(const char *s, int64_t *v)
{
	return s && *s && !scn_parse_value(s, v);
}

/*
 * For the text table: "52363264 (49.9M)" for a number of 1K and more,
 * also as the last word ("ok 52363264 (49.9M)"); "\"\"" for an empty
 * file; the text otherwise.
 */
static char *humanize(const char *s)
{
	static const char units[] = "KMGT";
	const char *last = strrchr(s, ' ');
	int64_t v;
	double d;
	int u = -1;

	if (!*s)
		return xstrdup("\"\"");
	last = last ? last + 1 : s;
	if (!is_num(last, &v) || !strcmp(last, "max") || v < 1024 ||
	    v >= (int64_t)1 << 50)
		return xstrdup(s);
	for (d = (double)v; d >= 1024 && u < 3; u++)
		d /= 1024;
	return xasprintf("%s (%.1f%c)", s, d, units[u]);
}

static void add_row(struct table *T, int line, char mark, char *what,
		    char *eng, char *ker)
{
	T->v = grow(T->v, &T->cap, T->nr, sizeof(*T->v));
	T->v[T->nr++] = (struct row) { line, mark, what, eng, ker };
	if (mark == '!')
		T->differ++;
	else if (mark == '*')
		T->shown++;
	else if (mark == '?')
		T->one_side++;
}

/* A show line "key value" -> key (NULL when it is a single token). */
static void split_show(const char *value, char **key, const char **rest)
{
	const char *sp = strchr(value, ' ');

	if (!sp) {
		*key = NULL;
		*rest = value;
		return;
	}
	*key = strndup(value, (size_t)(sp - value));
	*rest = sp + 1;
}

static bool same_key(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static char show_mark(const char *e, const char *k, double tol)
{
	int64_t a, b;

	if (!e || !k)
		return '?';
	if (is_num(e, &a) && is_num(k, &b))
		return report_values_close(a, b, tol) ? ' ' : '*';
	return strcmp(e, k) ? '*' : ' ';
}

static void rows_show(struct table *T, const struct scn_cmd *c,
		      struct events *E, struct events *K, double tol)
{
	for (size_t i = 0; i < E->nr; i++) {
		struct event *e = &E->v[i];
		const char *erest, *krest = NULL;
		char *ekey, *kkey = NULL;

		if (e->line != c->line || e->kind != EV_SHOW)
			continue;
		split_show(e->value, &ekey, &erest);
		for (size_t j = 0; j < K->nr; j++) {
			struct event *k = &K->v[j];

			if (k->used || k->line != c->line ||
			    k->kind != EV_SHOW || strcmp(k->file, e->file))
				continue;
			split_show(k->value, &kkey, &krest);
			if (same_key(ekey, kkey)) {
				k->used = true;
				break;
			}
			free(kkey);
			kkey = NULL;
			krest = NULL;
		}
		add_row(T, c->line, show_mark(erest, krest, tol),
			ekey ? xasprintf("%s %s", e->file, ekey) :
			       xstrdup(e->file),
			xstrdup(erest), krest ? xstrdup(krest) : NULL);
		free(ekey);
		free(kkey);
	}
	for (size_t j = 0; j < K->nr; j++) {
		struct event *k = &K->v[j];
		const char *krest;
		char *kkey;

		if (k->used || k->line != c->line || k->kind != EV_SHOW)
			continue;
		k->used = true;
		split_show(k->value, &kkey, &krest);
		add_row(T, c->line, '?',
			kkey ? xasprintf("%s %s", k->file, kkey) :
			       xstrdup(k->file),
			NULL, xstrdup(krest));
		free(kkey);
	}
}

/* The first unused event of @kind on @c's line (and of @task). */
static struct event *take(struct events *E, const struct scn_cmd *c,
			  enum ev_kind kind, const char *task)
{
	for (size_t i = 0; i < E->nr; i++) {
		struct event *e = &E->v[i];

		if (!e->used && e->line == c->line && e->kind == kind &&
		    (!task || !strcmp(e->task, task))) {
			e->used = true;
			return e;
		}
	}
	return NULL;
}

static char *fmt_expect(const struct event *e)
{
	if (!e)
		return NULL;
	return xasprintf("%s %s", e->ok ? "ok" : "FAIL", e->actual);
}

static void rows_expect(struct table *T, const struct scn_cmd *c,
			struct events *E, struct events *K)
{
	struct event *e = take(E, c, EV_EXPECT, NULL);
	struct event *k = take(K, c, EV_EXPECT, NULL);
	char mark = ' ';
	int64_t a, b;

	if (!e && !k)
		return;
	if (!e || !k || e->ok != k->ok)
		mark = '!';
	else if (c->type == SCN_EXPECT && c->op == SCN_OP_CLOSE &&
		 is_num(e->actual, &a) && is_num(k->actual, &b) &&
		 !report_values_close(a, b, c->tol))
		mark = '!';
	add_row(T, c->line, mark, xstrdup(c->text), fmt_expect(e),
		fmt_expect(k));
}

static void rows_error(struct table *T, const struct scn_cmd *c,
		       struct events *E, struct events *K)
{
	for (;;) {
		struct event *e = take(E, c, EV_ERROR, NULL);
		struct event *k = take(K, c, EV_ERROR, NULL);

		if (!e && !k)
			return;
		add_row(T, c->line,
			e && k && !strcmp(e->error, k->error) ? ' ' : '!',
			xstrdup(c->text), e ? xstrdup(e->error) : NULL,
			k ? xstrdup(k->error) : NULL);
	}
}

static void rows_killed(struct table *T, const struct scn_cmd *c,
			struct events *E, struct events *K)
{
	struct events *sides[2] = { E, K };

	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < sides[s]->nr; i++) {
			struct event *ev = &sides[s]->v[i];
			struct event *e, *k;

			if (ev->used || ev->line != c->line ||
			    ev->kind != EV_KILLED)
				continue;
			e = take(E, c, EV_KILLED, ev->task);
			k = take(K, c, EV_KILLED, ev->task);
			add_row(T, c->line, e && k ? ' ' : '!',
				xstrdup(c->text),
				e ? xasprintf("%s killed", e->task) : NULL,
				k ? xasprintf("%s killed", k->task) : NULL);
		}
	}
}

static void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void print_table(const struct table *T, bool json, const char *kver)
{
	char **eng, **ker;
	int ww = 4, vw = 6;

	if (json) {
		for (size_t i = 0; i < T->nr; i++) {
			const struct row *r = &T->v[i];

			printf("{\"line\":%d,\"what\":", r->line);
			json_str(stdout, r->what);
			fputs(",\"engine\":", stdout);
			json_str(stdout, r->eng);
			fputs(",\"kernel\":", stdout);
			json_str(stdout, r->ker);
			printf(",\"mark\":\"%s\"}\n", r->mark == '!' ? "differ" :
			       r->mark == '*' ? "shown-differ" :
			       r->mark == '?' ? "one-side" : "");
		}
		return;
	}
	eng = calloc(T->nr + 1, sizeof(*eng));
	ker = calloc(T->nr + 1, sizeof(*ker));
	if (!eng || !ker) {
		fputs("memcg compare: out of memory\n", stderr);
		exit(3);
	}
	for (size_t i = 0; i < T->nr; i++) {
		int w = (int)strlen(T->v[i].what), v;

		eng[i] = T->v[i].eng ? humanize(T->v[i].eng) : xstrdup("-");
		ker[i] = T->v[i].ker ? humanize(T->v[i].ker) : xstrdup("-");
		v = (int)strlen(eng[i]);
		ww = w > ww ? w : ww;
		vw = v > vw ? v : vw;
	}
	ww = ww > 48 ? 48 : ww;
	vw = vw > 28 ? 28 : vw;
	printf("  %5s  %-*s  %-*s  %s\n", "line", ww, "what", vw, "engine",
	       kver);
	for (size_t i = 0; i < T->nr; i++) {
		const struct row *r = &T->v[i];

		printf("%c %5d  %-*s  %-*s  %s\n", r->mark, r->line, ww,
		       r->what, vw, eng[i], ker[i]);
		free(eng[i]);
		free(ker[i]);
	}
	free(eng);
	free(ker);
}

static void table_free(struct table *T)
{
	for (size_t i = 0; i < T->nr; i++) {
		free(T->v[i].what);
		free(T->v[i].eng);
		free(T->v[i].ker);
	}
	free(T->v);
}

/* A file for the engine to read when the scenario came from stdin. */
static int stdin_copy(const char *text, size_t len, char *path, size_t plen)
{
	int fd;

	snprintf(path, plen, "/tmp/memcg-compare-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -EIO;
	}
	close(fd);
	return 0;
}

/**
 * oracle_compare_main - "memcg compare"
 * @argc: arguments, @argv[0] being "compare"
 * @argv: FILE and options
 *
 * Return: the exit status.
 */
int oracle_compare_main(int argc, char **argv)
{
	struct events E = { 0 }, K = { 0 };
	struct table T = { 0 };
	struct oracle_opts o, ko;
	struct qemu_result res;
	struct scenario *s;
	char tmp[64] = "", kver[200];
	const char *file;
	char *text;
	size_t len;
	int ret;

	ret = oracle_parse_args(argc, argv, true, &o);
	if (ret)
		return ret;
	ret = oracle_load(&o, &text, &len, &s);
	if (ret)
		return ret;
	file = o.file;
	if (!strcmp(file, "-")) {
		if (stdin_copy(text, len, tmp, sizeof(tmp))) {
			fprintf(stderr, "memcg compare: cannot copy stdin\n");
			ret = 3;
			goto out;
		}
		file = tmp;
	}

	ret = run_engine(&o, file, &E);
	if (ret < 0 || ret > 1) {
		fprintf(stderr, "memcg compare: the engine failed (%s)\n",
			ret < 0 ? "killed or not run" : "exit status 2");
		ret = 3;
		goto out;
	}
	ko = o;
	ko.json = true;
	ret = oracle_kernel_run(&ko, text, len, s, events_add_cb, &K, &res);
	if (ret)
		goto out;
	if (E.bad || K.bad)
		fprintf(stderr, "memcg compare: %u engine and %u kernel lines "
			"were not events\n", E.bad, K.bad);

	for (size_t i = 0; i < s->nr_cmds; i++) {
		const struct scn_cmd *c = &s->cmds[i];

		rows_show(&T, c, &E, &K, o.tolerance);
		rows_expect(&T, c, &E, &K);
		rows_error(&T, c, &E, &K);
		rows_killed(&T, c, &E, &K);
	}
	snprintf(kver, sizeof(kver), "Linux %s", res.kver);
	print_table(&T, o.json, kver);
	if (!o.json) {
		printf("engine: %u of %u expects held; kernel: %u of %u\n",
		       E.expects - E.failed, E.expects,
		       K.expects - K.failed, K.expects);
		printf("%zu rows: %u disagree (!), %u shown values differ (*), "
		       "%u on one side only (?)\n", T.nr, T.differ, T.shown,
		       T.one_side);
	}
	ret = T.differ ? 1 : 0;
out:
	if (tmp[0])
		unlink(tmp);
	table_free(&T);
	events_free(&E);
	events_free(&K);
	scenario_free(s);
	free(text);
	return ret;
}

/** memcg_compare_main - oracle_compare_main() */
int memcg_compare_main(int argc, char **argv)
{
	return oracle_compare_main(argc, argv);
}
