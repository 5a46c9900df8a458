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
 * With --repeat N the kernel column is "min / median / max" over N boots:
 * a number agrees when it is within the tolerance of that range, an
 * expect's kernel verdict is "held on every boot", and a kill or error
 * must have happened on every boot.
 * --tap prints KTAP: the rows as "# " diagnostics, and a test point for
 * each expect (ok when the row is not marked '!'), each other row marked
 * '!' and each failed plain write, so that a "not ok" point is there
 * exactly when the exit status is 1.
 * A plain write that fails, on either side, is an error of the run
 * (tools/memcg/run.h): each side stops there unless --keep-going, says
 * "FILE:LINE: write ...: EINVAL (Invalid argument)" on stderr, and the
 * exit status is 1 even when both failed alike.
 * Exit status: 0 no row marked '!' and no write failed, 1 otherwise, 2
 * usage, malformed file or a
 * machine the engine refuses (`memcg run` says why), 3 the engine or the
 * kernel run failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "oracle.h"
#include "jsonl.h"
#include "oracle_int.h"
#include "oracle_plot.h"
#include "report.h"
#include "scenario.h"
#include "vm.h"

/* What a row is to --tap. */
enum point {
	POINT_NONE,		/* a diagnostic only (shows that agree or not) */
	POINT_CHECK,		/* a test point: ok unless marked '!' */
	POINT_FAILED,		/* a test point that fails: a failed write */
};

/* A row of the table. */
struct row {
	int line;
	char mark;		/* ' ', '!', '*' or '?' */
	char *what;
	char *eng;		/* NULL: nothing on that side */
	char *ker;
	const struct item *k;	/* the kernel's item (every boot's value) */
	enum point point;	/* expects, disagreements, failed writes */
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

/* scn_escape() of @s, malloc'd; @s itself freed by xescape_free(). */
static char *xescape(const char *s)
{
	char *e = scn_escape_dup(s ? s : "");

	if (!e) {
		fputs("memcg compare: out of memory\n", stderr);
		exit(3);
	}
	return e;
}

static char *xescape_free(char *s)
{
	char *e = xescape(s);

	free(s);
	return e;
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
		    char *eng, char *ker, const struct item *k)
{
	T->v = grow(T->v, &T->cap, T->nr, sizeof(*T->v));
	T->v[T->nr++] = (struct row) { line, mark, what, eng, ker, k,
				       mark == '!' ? POINT_CHECK : POINT_NONE };
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

/* Whether @a is within @tol percent of the kernel's range [@min, @max]. */
static bool in_range(int64_t a, int64_t min, int64_t max, double tol)
{
	return (a >= min && a <= max) || report_values_close(a, min, tol) ||
	       report_values_close(a, max, tol);
}

static char show_mark(const char *e, const struct item *k, unsigned boots,
		      double tol)
{
	const char *common;
	int64_t a, min, max;

	if (!e || !k)
		return '?';
	if (is_num(e, &a) && item_range(k, boots, &min, &max))
		return in_range(a, min, max, tol) ? ' ' : '*';
	common = item_common(k, boots);
	return common && !strcmp(e, common) ? ' ' : '*';
}

/*
 * The first unmatched kernel item of @kind on @line (and of @file and
 * @key, or of @task, when given); marked matched.
 */
static struct item *item_next(struct items *K, int line, enum ev_kind kind,
			      const char *file, const char *key,
			      const char *task)
{
	for (size_t i = 0; i < K->nr; i++) {
		struct item *it = &K->v[i];

		if (it->used || it->line != line || it->kind != kind)
			continue;
		if (file && (strcmp(it->file, file) || !same_key(it->key, key)))
			continue;
		if (task && strcmp(it->task, task))
			continue;
		it->used = true;
		return it;
	}
	return NULL;
}

static char *show_what(const char *file, const char *key)
{
	return key ? xasprintf("%s %s", file, key) : xstrdup(file);
}

static void rows_show(struct table *T, const struct scn_cmd *c,
		      struct events *E, struct items *K, double tol)
{
	for (size_t i = 0; i < E->nr; i++) {
		struct event *e = &E->v[i];
		const char *erest;
		struct item *k;
		char *ekey;

		if (e->line != c->line || e->kind != EV_SHOW)
			continue;
		split_show(e->value, &ekey, &erest);
		k = item_next(K, c->line, EV_SHOW, e->file, ekey, NULL);
		add_row(T, c->line, show_mark(erest, k, K->boots, tol),
			show_what(e->file, ekey), xstrdup(erest),
			k ? item_value(k, K->boots) : NULL, k);
		free(ekey);
	}
	for (struct item *k; (k = item_next(K, c->line, EV_SHOW, NULL, NULL,
					     NULL));)
		add_row(T, c->line, '?', show_what(k->file, k->key), NULL,
			item_value(k, K->boots), k);
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

/* "ok VALUE", "FAIL VALUE", or "FAIL (held on 2 of 3) VALUE". */
static char *fmt_item_expect(const struct item *k, unsigned boots)
{
	char *v, *s;

	if (!k)
		return NULL;
	v = item_value(k, boots);
	if (k->held == boots)
		s = xasprintf("ok %s", v);
	else if (boots == 1)
		s = xasprintf("FAIL %s", v);
	else
		s = xasprintf("FAIL (held on %u of %u) %s", k->held, boots, v);
	free(v);
	return s;
}

static void rows_expect(struct table *T, const struct scn_cmd *c,
			struct events *E, struct items *K)
{
	struct event *e = take(E, c, EV_EXPECT, NULL);
	struct item *k = item_next(K, c->line, EV_EXPECT, NULL, NULL, NULL);
	char mark = ' ';
	int64_t a, min, max;

	if (!e && !k)
		return;
	if (!e || !k || e->ok != (k->held == K->boots))
		mark = '!';
	else if (c->type == SCN_EXPECT && c->op == SCN_OP_CLOSE &&
		 is_num(e->actual, &a) && item_range(k, K->boots, &min, &max) &&
		 !in_range(a, min, max, c->tol))
		mark = '!';
	add_row(T, c->line, mark, xstrdup(c->text), fmt_expect(e),
		fmt_item_expect(k, K->boots), k);
	T->v[T->nr - 1].point = POINT_CHECK;	/* one per expect */
}

static void rows_error(struct table *T, const struct scn_cmd *c,
		       struct events *E, struct items *K)
{
	for (;;) {
		struct event *e = take(E, c, EV_ERROR, NULL);
		struct item *k = item_next(K, c->line, EV_ERROR, NULL, NULL,
					   NULL);
		const char *common = k ? item_common(k, K->boots) : NULL;

		if (!e && !k)
			return;
		add_row(T, c->line,
			e && common && !strcmp(e->error, common) ? ' ' : '!',
			xstrdup(c->text), e ? xstrdup(e->error) : NULL,
			k ? item_value(k, K->boots) : NULL, k);
		if (c->type == SCN_WRITE)	/* an error of the run */
			T->v[T->nr - 1].point = POINT_FAILED;
	}
}

static char *fmt_killed(const struct item *k, unsigned boots)
{
	if (!k)
		return NULL;
	if (k->present == boots)
		return xasprintf("%s killed", k->task);
	return xasprintf("%s killed (on %u of %u boots)", k->task, k->present,
			 boots);
}

static void rows_killed(struct table *T, const struct scn_cmd *c,
			struct events *E, struct items *K)
{
	struct event *e;
	struct item *k;

	while ((e = take(E, c, EV_KILLED, NULL))) {
		k = item_next(K, c->line, EV_KILLED, NULL, NULL, e->task);
		add_row(T, c->line, k && k->present == K->boots ? ' ' : '!',
			xstrdup(c->text), xasprintf("%s killed", e->task),
			fmt_killed(k, K->boots), k);
	}
	while ((k = item_next(K, c->line, EV_KILLED, NULL, NULL, NULL)))
		add_row(T, c->line, '!', xstrdup(c->text), NULL,
			fmt_killed(k, K->boots), k);
}

/* JSON, with --repeat: ,"kernel_boots":[each boot's value or null] */
static void print_boots(const struct item *k, unsigned boots)
{
	if (boots < 2)
		return;
	fputs(",\"kernel_boots\":[", stdout);
	for (unsigned b = 0; b < boots; b++) {
		fputs(b ? "," : "", stdout);
		report_json_value(stdout, k ? k->val[b] : NULL);
	}
	fputc(']', stdout);
}

/* @boots > 1: the kernel column has "min / median / max" (not humanized) */
static void print_table(const struct table *T, bool json, const char *kver,
			unsigned boots)
{
	bool ranges = boots > 1;
	char **eng, **ker, **what;
	int ww = 4, vw = 6;

	if (json) {
		for (size_t i = 0; i < T->nr; i++) {
			const struct row *r = &T->v[i];

			printf("{\"line\":%d,\"what\":", r->line);
			jsonl_write_str(stdout, r->what);
			fputs(",\"engine\":", stdout);
			report_json_value(stdout, r->eng);
			fputs(",\"kernel\":", stdout);
			report_json_value(stdout, r->ker);
			print_boots(r->k, boots);
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
	what = calloc(T->nr + 1, sizeof(*what));
	if (!what) {
		fputs("memcg compare: out of memory\n", stderr);
		exit(3);
	}
	for (size_t i = 0; i < T->nr; i++) {
		int w, v;

		/* a write's value and a file's content may be anything */
		what[i] = xescape(T->v[i].what);
		eng[i] = xescape_free(T->v[i].eng ? humanize(T->v[i].eng) :
				      xstrdup("-"));
		ker[i] = xescape_free(!T->v[i].ker ? xstrdup("-") :
				      ranges ? xstrdup(T->v[i].ker) :
				      humanize(T->v[i].ker));
		w = (int)strlen(what[i]);
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
		       what[i], vw, eng[i], ker[i]);
		free(what[i]);
		free(eng[i]);
		free(ker[i]);
	}
	free(what);
	free(eng);
	free(ker);
}

/* A KTAP description: escaped, no '#' (it would begin a directive). */
static char *tap_desc(const char *s)
{
	char *d = xescape(s);

	for (char *c = d; *c; c++)
		if (*c == '#')
			*c = '?';
	return d;
}

/*
 * --tap: "KTAP version 1", the plan, the VM as diagnostics, then each
 * row as a diagnostic followed, for expects, disagreements and failed
 * writes, by its test point.
 */
static void print_tap(const struct table *T, const struct oracle_boots *b,
		      const char *kver)
{
	unsigned n = 0, k = 0;

	for (size_t i = 0; i < T->nr; i++)
		n += T->v[i].point != POINT_NONE;
	printf("KTAP version 1\n1..%u\n", n);
	oracle_print_vms(b, false, stdout);	/* "# vm: ..." */
	printf("# engine and %s\n", kver);
	for (size_t i = 0; i < T->nr; i++) {
		const struct row *r = &T->v[i];
		char *what = tap_desc(r->what);
		char *eng = xescape(r->eng ? r->eng : "-");
		char *ker = xescape(r->ker ? r->ker : "-");

		printf("# %c line %d: %s: engine %s, kernel %s\n", r->mark,
		       r->line, what, eng, ker);
		if (r->point != POINT_NONE)
			printf("%sok %u line %d: %s\n",
			       r->point == POINT_FAILED || r->mark == '!' ?
			       "not " : "", ++k, r->line, what);
		free(what);
		free(eng);
		free(ker);
	}
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

/* The engine's side: 0, or the exit status after saying why not. */
static int compare_engine(const struct oracle_opts *o, const char *file,
			  const struct scenario *s, struct events *E)
{
	int ret = run_engine(o, file, E);

	if (ret == 0 || ret == 1)
		return 0;
	if (ret == 2) {		/* `memcg run` said why, on one line */
		fprintf(stderr, "memcg compare: %s: the engine cannot run it "
			"(`memcg kernel` runs it on the kernel alone)\n",
			s->filename);
		return 2;
	}
	fprintf(stderr, "memcg compare: the engine failed (%s)\n",
		ret < 0 ? "killed or not run" : "exit status > 2");
	return 3;
}

/* The kernel column's title. */
static void kernel_title(const struct oracle_boots *b, char *buf, size_t len)
{
	if (b->n == 1)
		snprintf(buf, len, "Linux %s", b->kver);
	else
		snprintf(buf, len, "Linux %s, %u boots: min / median / max",
			 b->kver, b->n);
}

/* Plain writes that failed on each side. */
struct writes {
	unsigned engine, kernel;
};

/* @pre: "" for text, "# " for KTAP diagnostics. */
static void print_summary(const struct table *T, const struct events *E,
			  const struct items *K, const struct writes *w,
			  const char *pre)
{
	unsigned expects = 0, held = 0;

	for (size_t i = 0; i < K->nr; i++) {
		if (K->v[i].kind != EV_EXPECT)
			continue;
		expects++;
		held += K->v[i].held == K->boots;
	}
	printf("%sengine: %u of %u expects held; kernel: %u of %u%s\n", pre,
	       E->expects - E->failed, E->expects, held, expects,
	       K->boots > 1 ? " (on every boot)" : "");
	printf("%s%zu rows: %u disagree (!), %u shown values differ (*), "
	       "%u on one side only (?)\n", pre, T->nr, T->differ, T->shown,
	       T->one_side);
	if (w->engine || w->kernel)
		printf("%sfailed writes: engine %u, kernel %u\n", pre,
		       w->engine, w->kernel);
}

static unsigned kernel_bad_lines(const struct oracle_boots *b)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < b->n; i++)
		bad += b->ev[i].bad;
	return bad;
}

/**
 * oracle_compare_print - line up the engine's events and the kernel's
 * items, print the table
 * @o: options
 * @s: the scenario
 * @E: the engine's events
 * @b: the kernel's boots
 *
 * Return: 0, or 1 when a row is marked '!' or a write failed.
 */
int oracle_compare_print(const struct oracle_opts *o, const struct scenario *s,
			 struct events *E, const struct oracle_boots *b)
{
	struct table T = { 0 };
	struct writes w;
	struct items K;
	char kver[300];
	int ret;

	items_build(&K, b->ev, b->n);
	/* the engine (`memcg run`) said its own on stderr */
	w.engine = events_write_failures(E, s);
	w.kernel = items_write_failures(&K, s, "memcg compare (kernel)",
					stderr);
	for (size_t i = 0; i < s->nr_cmds; i++) {
		const struct scn_cmd *c = &s->cmds[i];

		rows_show(&T, c, E, &K, o->tolerance);
		rows_expect(&T, c, E, &K);
		rows_error(&T, c, E, &K);
		rows_killed(&T, c, E, &K);
	}
	kernel_title(b, kver, sizeof(kver));
	if (o->tap) {
		print_tap(&T, b, kver);
		print_summary(&T, E, &K, &w, "# ");
	} else {
		oracle_print_vms(b, o->json, stdout);
		print_table(&T, o->json, kver, b->n);
		if (!o->json)
			print_summary(&T, E, &K, &w, "");
	}
	ret = T.differ || w.engine || w.kernel ? 1 : 0;
	table_free(&T);
	items_free(&K);
	return ret;
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
	struct events E = { 0 };
	struct oracle_boots b = { 0 };
	struct oracle_plot plot;
	struct oracle_opts o;
	struct scenario *s;
	char tmp[64] = "";
	const char *file;
	char *text;
	size_t len;
	int ret;

	ret = oracle_parse_args(argc, argv, true, &o);
	if (ret)
		return ret;
	if (o.paths)
		return oracle_print_paths(argv[0]);
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

	if (o.plot) {
		ret = oracle_plot_open(&plot, argv[0], o.plot, s, true);
		if (ret)
			goto out;
		o.plot_sink = &plot;
		if (o.nr_fwd + 2 > ORACLE_MAX_FWD) {
			fprintf(stderr, "memcg compare: too many options\n");
			ret = 2;
			goto out;
		}
		/* the engine's samples, as text lines (plot_lines.h) */
		o.fwd[o.nr_fwd++] = "--plot";
		o.fwd[o.nr_fwd++] = plot.engine_tmp;
	}
	ret = compare_engine(&o, file, s, &E);
	if (ret)
		goto out;
	ret = oracle_kernel_boots(&o, text, len, s, &b);
	if (ret)
		goto out;
	if (E.bad || kernel_bad_lines(&b))
		fprintf(stderr, "memcg compare: %u engine and %u kernel lines "
			"were not events\n", E.bad, kernel_bad_lines(&b));
	ret = oracle_compare_print(&o, s, &E, &b);
	if (o.plot_sink) {
		int err = oracle_plot_finish(&plot, argv[0]);

		o.plot_sink = NULL;
		ret = err ? err : ret;
	}
out:
	if (o.plot_sink)
		oracle_plot_abort(&plot);
	if (tmp[0])
		unlink(tmp);
	oracle_boots_free(&b);
	events_free(&E);
	scenario_free(s);
	free(text);
	return ret;
}

/** memcg_compare_main - oracle_compare_main() */
int memcg_compare_main(int argc, char **argv)
{
	return oracle_compare_main(argc, argv);
}
