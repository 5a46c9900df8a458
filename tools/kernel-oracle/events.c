// SPDX-License-Identifier: MIT
/*
 * Events of a run and their spread over boots. See events.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"
#include "events.h"
#include "jsonl.h"
#include "report.h"

static void out_of_memory(void)
{
	fputs("memcg: out of memory\n", stderr);
	exit(3);
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		out_of_memory();
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
	if (n < 0)
		out_of_memory();
	return s;
}

static void *xgrow(void *v, size_t *cap, size_t nr, size_t size)
{
	if (nr < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	v = realloc(v, *cap * size);
	if (!v)
		out_of_memory();
	return v;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		out_of_memory();
	return p;
}

/** events_add - parse one JSON line into @E */
void events_add(struct events *E, const char *line)
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
		const char *key = jsonl_get_nonnull(&o, "key");
		const char *value = jsonl_get(&o, "value");

		ev.kind = EV_SHOW;
		ev.file = xstrdup(jsonl_get(&o, "file"));
		/* the content line: "KEY VALUE" when the key came apart */
		ev.value = key ? xasprintf("%s %s", key, value ? value : "") :
			   xstrdup(value);
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
	E->v = xgrow(E->v, &E->cap, E->nr, sizeof(*E->v));
	E->v[E->nr++] = ev;
out:
	jsonl_free(&o);
}

/** events_add_cb - events_add() as a qemu_line_fn */
void events_add_cb(const char *line, void *arg)
{
	events_add(arg, line);
}

/** events_free - free the events' contents */
void events_free(struct events *E)
{
	for (size_t i = 0; i < E->nr; i++) {
		free(E->v[i].file);
		free(E->v[i].value);
		free(E->v[i].actual);
		free(E->v[i].error);
		free(E->v[i].task);
	}
	free(E->v);
	memset(E, 0, sizeof(*E));
}

/* --- items --- */

/* A show's content line "key rest": the key (NULL: one word) and rest. */
static const char *show_rest(const char *value, char **key)
{
	const char *sp = strchr(value, ' ');

	*key = sp ? strndup(value, (size_t)(sp - value)) : NULL;
	if (sp && !*key)
		out_of_memory();
	return sp ? sp + 1 : value;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Whether @it is the item of event @e, the @nth of its kind and key. */
static bool is_item(const struct item *it, const struct event *e,
		    const char *key, int nth)
{
	if (it->line != e->line || it->kind != e->kind)
		return false;
	switch (e->kind) {
	case EV_SHOW:
		return !strcmp(it->file, e->file) && str_eq(it->key, key) &&
		       it->nth == nth;
	case EV_KILLED:
		return !strcmp(it->task, e->task);
	default:
		return it->nth == nth;
	}
}

/* How many events before @i in @E match @e's kind, line, file and @key. */
static int occurrence(const struct events *E, size_t i, const char *key)
{
	const struct event *e = &E->v[i];
	int nth = 0;

	for (size_t j = 0; j < i; j++) {
		const struct event *p = &E->v[j];
		char *pkey = NULL;

		if (p->line != e->line || p->kind != e->kind)
			continue;
		if (e->kind == EV_SHOW) {
			show_rest(p->value, &pkey);
			nth += !strcmp(p->file, e->file) && str_eq(pkey, key);
			free(pkey);
		} else {
			nth++;
		}
	}
	return nth;
}

static struct item *item_find(struct items *I, const struct event *e,
			      const char *key, int nth)
{
	struct item *it;

	for (size_t i = 0; i < I->nr; i++)
		if (is_item(&I->v[i], e, key, nth))
			return &I->v[i];
	I->v = xgrow(I->v, &I->cap, I->nr, sizeof(*I->v));
	it = &I->v[I->nr++];
	memset(it, 0, sizeof(*it));
	it->line = e->line;
	it->kind = e->kind;
	it->nth = nth;
	it->file = e->file ? xstrdup(e->file) : NULL;
	it->key = key ? xstrdup(key) : NULL;
	it->task = e->task ? xstrdup(e->task) : NULL;
	it->val = xcalloc(I->boots, sizeof(*it->val));
	it->ok = xcalloc(I->boots, sizeof(*it->ok));
	return it;
}

static void item_add(struct items *I, const struct events *E, size_t i,
		     unsigned boot)
{
	const struct event *e = &E->v[i];
	const char *val;
	char *key = NULL;
	struct item *it;

	val = e->kind == EV_SHOW ? show_rest(e->value, &key) :
	      e->kind == EV_EXPECT ? e->actual :
	      e->kind == EV_ERROR ? e->error : "killed";
	it = item_find(I, e, key, occurrence(E, i, key));
	free(key);
	if (it->val[boot])
		return;		/* a second kill of one task: one is enough */
	it->val[boot] = xstrdup(val);
	it->ok[boot] = e->ok;
	it->present++;
	it->held += e->kind == EV_EXPECT && e->ok;
}

/* Stable: by line, in order of first appearance within a line. */
static void items_sort(struct items *I)
{
	for (size_t i = 1; i < I->nr; i++) {
		struct item t = I->v[i];
		size_t j = i;

		for (; j > 0 && I->v[j - 1].line > t.line; j--)
			I->v[j] = I->v[j - 1];
		I->v[j] = t;
	}
}

/**
 * items_build - line up the events of @n boots
 * @I: receives the items
 * @boots: the events of each boot
 * @n: how many boots
 */
void items_build(struct items *I, const struct events *boots, unsigned n)
{
	memset(I, 0, sizeof(*I));
	I->boots = n;
	for (unsigned b = 0; b < n; b++)
		for (size_t i = 0; i < boots[b].nr; i++)
			item_add(I, &boots[b], i, b);
	items_sort(I);
}

/** items_free - free the items' contents */
void items_free(struct items *I)
{
	for (size_t i = 0; i < I->nr; i++) {
		struct item *it = &I->v[i];

		for (unsigned b = 0; b < I->boots; b++)
			free(it->val[b]);
		free(it->val);
		free(it->ok);
		free(it->file);
		free(it->key);
		free(it->task);
	}
	free(I->v);
	memset(I, 0, sizeof(*I));
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The present values as numbers, sorted; their count, or 0 if not all
 * are (nor is "max" unless @max_ok).
 */
static unsigned item_numbers(const struct item *it, unsigned boots,
			     bool max_ok, int64_t *v)
{
	unsigned k = 0;

	for (unsigned b = 0; b < boots; b++) {
		if (!it->val[b])
			continue;
		if ((!max_ok && !strcmp(it->val[b], "max")) ||
		    scn_parse_value(it->val[b], &v[k]))
			return 0;
		k++;
	}
	qsort(v, k, sizeof(*v), cmp_i64);
	return k;
}

/**
 * item_range - the smallest and largest value of a numeric item
 * @it: the item
 * @boots: how many boots
 * @min: receives the smallest
 * @max: receives the largest
 *
 * Return: true when every present value is a number (not "max").
 */
bool item_range(const struct item *it, unsigned boots, int64_t *min,
		int64_t *max)
{
	int64_t *v = xcalloc(boots, sizeof(*v));
	unsigned k = item_numbers(it, boots, true, v);

	if (k) {
		*min = v[0];
		*max = v[k - 1];
	}
	free(v);
	return k > 0;
}

/* Each distinct value with its count: "EBUSY (2 boots), ENOENT (1 boot)". */
static char *distinct_values(const struct item *it, unsigned boots)
{
	char *s = xstrdup(""), *t;

	for (unsigned b = 0; b < boots; b++) {
		unsigned n = 0;
		bool seen = false;

		if (!it->val[b])
			continue;
		for (unsigned p = 0; p < b && !seen; p++)
			seen = str_eq(it->val[p], it->val[b]);
		if (seen)
			continue;
		for (unsigned q = b; q < boots; q++)
			n += str_eq(it->val[q], it->val[b]);
		t = xasprintf("%s%s%s (%u boot%s)", s, *s ? ", " : "",
			      it->val[b], n, n == 1 ? "" : "s");
		free(s);
		s = t;
	}
	return s;
}

/* Whether every present value is the same. */
static bool all_same(const struct item *it, unsigned boots)
{
	const char *first = NULL;

	for (unsigned b = 0; b < boots; b++) {
		if (!it->val[b])
			continue;
		if (first && strcmp(first, it->val[b]))
			return false;
		first = it->val[b];
	}
	return true;
}

/**
 * item_common - the value an item has on every boot
 * @it: the item
 * @boots: how many boots
 *
 * Return: the value, or NULL when it is absent from a boot or differs.
 */
const char *item_common(const struct item *it, unsigned boots)
{
	if (it->present != boots || !boots || !all_same(it, boots))
		return NULL;
	return it->val[0];
}

/** item_value - the item's value over the boots (see events.h) */
char *item_value(const struct item *it, unsigned boots)
{
	int64_t *v = xcalloc(boots, sizeof(*v));
	unsigned k = boots > 1 ? item_numbers(it, boots, false, v) : 0;
	const char *first = NULL;
	char *s, *t;

	for (unsigned b = 0; b < boots && !first; b++)
		first = it->val[b];
	if (k)
		s = xasprintf("%lld / %lld / %lld", (long long)v[0],
			      (long long)v[(k - 1) / 2], (long long)v[k - 1]);
	else if (all_same(it, boots))
		s = xstrdup(first);
	else
		s = distinct_values(it, boots);
	free(v);
	if (it->present == boots)
		return s;
	t = xasprintf("%s (on %u of %u boots)", s, it->present, boots);
	free(s);
	return t;
}

/* --- `memcg kernel --repeat` output --- */

/** events_cmd_at - the scenario's command on @line, or NULL */
const struct scn_cmd *events_cmd_at(const struct scenario *s, int line)
{
	for (size_t i = 0; i < s->nr_cmds; i++)
		if (s->cmds[i].line == line)
			return &s->cmds[i];
	return NULL;
}

/** event_write_failed - whether @e is the error event of a "write" line */
bool event_write_failed(const struct event *e, const struct scenario *s)
{
	const struct scn_cmd *c;

	if (e->kind != EV_ERROR)
		return false;
	c = events_cmd_at(s, e->line);
	return c && c->type == SCN_WRITE;
}

/** events_write_failures - how many plain writes failed in @E */
unsigned events_write_failures(const struct events *E,
			       const struct scenario *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < E->nr; i++)
		n += event_write_failed(&E->v[i], s);
	return n;
}

/* One item's failed write: once if the same on every boot, else per boot. */
static void item_write_diag(const struct item *it, const struct scn_cmd *c,
			    const struct scenario *s, unsigned boots,
			    const char *who, FILE *f)
{
	const char *common = item_common(it, boots);
	char boot_who[256];

	if (common) {
		report_write_diag(f, who, s->filename, c, errname_parse(common));
		return;
	}
	for (unsigned b = 0; b < boots; b++) {
		if (!it->val[b])
			continue;
		snprintf(boot_who, sizeof(boot_who), "%s (boot %u of %u)", who,
			 b + 1, boots);
		report_write_diag(f, boot_who, s->filename, c,
				  errname_parse(it->val[b]));
	}
}

/**
 * items_write_failures - say each failed plain write on @f
 * @I: the kernel's items
 * @s: the scenario
 * @who: the program, for the messages
 * @f: where (stderr)
 *
 * Return: how many write lines failed (on one boot or more).
 */
unsigned items_write_failures(const struct items *I, const struct scenario *s,
			      const char *who, FILE *f)
{
	unsigned n = 0;

	for (size_t i = 0; i < I->nr; i++) {
		const struct item *it = &I->v[i];
		const struct scn_cmd *c = events_cmd_at(s, it->line);

		if (it->kind != EV_ERROR || !c || c->type != SCN_WRITE)
			continue;
		item_write_diag(it, c, s, I->boots, who, f);
		n++;
	}
	return n;
}

static void print_text(const struct item *it, const struct scn_cmd *c,
		       unsigned boots, FILE *out)
{
	char *raw = item_value(it, boots), prefix[512];
	/* the kernel's content and an expect write's value may be anything */
	char *v = scn_escape_dup(raw), *expr = c->expr ?
		  scn_escape_dup(c->expr) : NULL;

	free(raw);
	if (!v || (c->expr && !expr))
		out_of_memory();

	switch (it->kind) {
	case EV_SHOW:
		fprintf(out, "%s%s%s%s%s\n", it->file, it->key ? " " : "",
			it->key ? it->key : "", *v ? " " : "", v);
		break;
	case EV_EXPECT:
		if (it->held == boots) {
			fprintf(out, "ok %s (%s)\n", expr, v);
			break;
		}
		fprintf(out, "FAIL %s: held on %u of %u boots, got %s, want ",
			expr, it->held, boots, v);
		report_print_want(out, c);
		fprintf(out, " [line %d]\n", c->line);
		break;
	case EV_ERROR:
		report_cmd_prefix(c, prefix, sizeof(prefix));
		fprintf(out, "%s: %s\n", prefix, v);
		break;
	case EV_KILLED:
		if (it->present == boots)
			fprintf(out, "%s killed\n", it->task);
		else
			fprintf(out, "%s killed (on %u of %u boots)\n",
				it->task, it->present, boots);
		break;
	}
	free(expr);
	free(v);
}

static const char *const kind_names[] = {
	[EV_SHOW] = "show", [EV_EXPECT] = "expect", [EV_ERROR] = "error",
	[EV_KILLED] = "killed",
};

static void print_json(const struct item *it, const struct scn_cmd *c,
		       unsigned boots, FILE *out)
{
	char *v = item_value(it, boots), what[512];
	int64_t min, max;

	fprintf(out, "{\"line\":%d,\"kind\":\"%s\",", it->line,
		kind_names[it->kind]);
	if (it->kind == EV_SHOW) {
		fputs("\"file\":", out);
		jsonl_write_str(out, it->file);
		fputs(",\"key\":", out);
		jsonl_write_str(out, it->key);
	} else if (it->kind == EV_EXPECT) {
		fputs("\"expr\":", out);
		jsonl_write_str(out, c->expr);
		fprintf(out, ",\"ok\":%s,\"held\":%u",
			it->held == boots ? "true" : "false", it->held);
	} else if (it->kind == EV_ERROR) {
		report_cmd_prefix(c, what, sizeof(what));
		fputs("\"cmd\":", out);
		jsonl_write_str(out, what);
	} else {
		fputs("\"task\":", out);
		jsonl_write_str(out, it->task);
	}
	fprintf(out, ",\"boots\":%u,\"present\":%u,\"values\":[", boots,
		it->present);
	for (unsigned b = 0; b < boots; b++) {
		fputs(b ? "," : "", out);
		report_json_value(out, it->val[b]);
	}
	fputs("],\"summary\":", out);
	jsonl_write_str(out, v);
	if (item_range(it, boots, &min, &max))
		fprintf(out, ",\"min\":%lld,\"max\":%lld", (long long)min,
			(long long)max);
	fputs("}\n", out);
	free(v);
}

/**
 * items_print - print @I as `memcg kernel --repeat` does
 * @I: the items
 * @s: the scenario
 * @json: JSON Lines instead of text
 * @out: where
 *
 * Return: the number of expects that did not hold on every boot.
 */
unsigned items_print(const struct items *I, const struct scenario *s,
		     bool json, FILE *out)
{
	unsigned failed = 0;

	for (size_t i = 0; i < I->nr; i++) {
		const struct item *it = &I->v[i];
		const struct scn_cmd *c = events_cmd_at(s, it->line);

		if (!c)
			continue;	/* not the scenario's: cannot be */
		if (it->kind == EV_EXPECT && it->held < I->boots)
			failed++;
		if (json)
			print_json(it, c, I->boots, out);
		else
			print_text(it, c, I->boots, out);
	}
	return failed;
}
