// SPDX-License-Identifier: MIT
/*
 * The cgroup tree view: one row per online cgroup, indented like tree(1),
 * with a usage bar (memory.current against memory.max, or against the
 * machine's memory when unlimited), the limits and protections, swap, and
 * the memory.events counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "memcg/sim.h"
#include "run.h"
#include "tree.h"

#define BAR_WIDTH 20
#define EV_WIDTH 17
#define UNSET RUN_UNSET		/* no such file (root, v1) */
#define NO_LIMIT RUN_NO_LIMIT	/* "max" */

struct node {
	const char *path;
	const char *name;
	int parent;
	int depth;
	int64_t current, max, high, low, min, swap;
	int64_t ev_high, ev_max, ev_oom, ev_kill;	/* UNSET in v1 */
	int64_t failcnt;				/* v1 only */
	char *tasks;			/* "t1 t2", malloc'd, or NULL */
};

struct tree {
	struct memcg_engine *e;
	const struct scenario *s;
	struct node *nodes;
	int nr;
	bool v1;
	int *first_child, *next_sibling;	/* -1: none; creation order */
};

static int64_t add_known(int64_t a, int64_t b)
{
	if (a == UNSET)
		return b;
	return b == UNSET ? a : a + b;
}

static void fill(struct tree *t, struct node *n)
{
	struct memcg_engine *e = t->e;
	const char *p = n->path;
	bool root = !strcmp(p, ".");

	n->current = n->max = n->high = n->low = n->min = n->swap = UNSET;
	n->ev_high = n->ev_max = n->ev_oom = n->ev_kill = n->failcnt = UNSET;
	if (t->v1) {
		n->current = run_read_value(e, p, "memory.usage_in_bytes",
					    NULL);
		n->max = run_read_value(e, p, "memory.limit_in_bytes", NULL);
		n->swap = run_read_value(e, p, "memory.memsw.usage_in_bytes",
					 NULL);
		if (n->swap != UNSET && n->current != UNSET)
			n->swap -= n->current;
		n->failcnt = run_read_value(e, p, "memory.failcnt", NULL);
		return;
	}
	if (root) {
		/* the root has no memory.current: add up its memory.stat */
		static const char *const keys[] = {
			"anon", "file", "kernel", "sock",
		};

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			n->current = add_known(n->current,
					       run_read_value(e, p, "memory.stat",
							keys[i]));
		return;
	}
	n->current = run_read_value(e, p, "memory.current", NULL);
	n->max = run_read_value(e, p, "memory.max", NULL);
	n->high = run_read_value(e, p, "memory.high", NULL);
	n->low = run_read_value(e, p, "memory.low", NULL);
	n->min = run_read_value(e, p, "memory.min", NULL);
	n->swap = run_read_value(e, p, "memory.swap.current", NULL);
	n->ev_high = run_read_value(e, p, "memory.events", "high");
	n->ev_max = run_read_value(e, p, "memory.events", "max");
	n->ev_oom = run_read_value(e, p, "memory.events", "oom");
	n->ev_kill = run_read_value(e, p, "memory.events", "oom_kill");
}

static int find_node(const struct tree *t, const char *path)
{
	for (int i = 0; i < t->nr; i++)
		if (!strcmp(t->nodes[i].path, path))
			return i;
	return -1;
}

/* The nearest listed ancestor of @path (the root if none). */
static int find_parent(const struct tree *t, const char *path)
{
	size_t len = strlen(path);

	while (len > 0) {
		while (len > 0 && path[len - 1] != '/')
			len--;
		if (len == 0)
			break;
		len--;		/* drop the '/' */
		for (int i = 1; i < t->nr; i++)
			if (strlen(t->nodes[i].path) == len &&
			    !strncmp(t->nodes[i].path, path, len))
				return i;
	}
	return 0;
}

static void add_task(struct memcg_task *task, void *arg)
{
	struct tree *t = arg;
	char path[4096];
	struct node *n;
	size_t old;
	char *nt;
	int i;

	if (!memcg_task_alive(task) ||
	    memcg_path(memcg_task_memcg(task), path, sizeof(path)) < 0)
		return;
	i = find_node(t, path);
	if (i < 0)
		return;
	n = &t->nodes[i];
	old = n->tasks ? strlen(n->tasks) : 0;
	nt = realloc(n->tasks, old + strlen(memcg_task_name(task)) + 2);
	if (!nt)
		return;
	if (old)
		nt[old++] = ' ';
	strcpy(nt + old, memcg_task_name(task));
	n->tasks = nt;
}

static int build(struct tree *t)
{
	t->nodes = calloc(t->s->nr_cgroups + 1, sizeof(*t->nodes));
	if (!t->nodes)
		return -ENOMEM;
	t->nodes[0] = (struct node) { .path = ".", .name = ".", .parent = -1 };
	t->nr = 1;
	for (size_t i = 0; i < t->s->nr_cgroups; i++) {
		const char *p = t->s->cgroups[i];
		struct mem_cgroup *cg;
		struct node *n;

		if (memcg_lookup(t->e, p, &cg))
			continue;	/* removed, or its mkdir failed */
		memcg_put(cg);
		n = &t->nodes[t->nr];
		n->path = p;
		n->parent = find_parent(t, p);
		n->depth = t->nodes[n->parent].depth + 1;
		/* the path below the parent row (all of it under the root) */
		n->name = n->parent > 0 ?
			  p + strlen(t->nodes[n->parent].path) + 1 : p;
		t->nr++;
	}
	for (int i = 0; i < t->nr; i++)
		fill(t, &t->nodes[i]);
	memcg_task_for_each(t->e, add_task, t);
	return 0;
}

/* "0", "512", "4.0K", "30.0M", "1.5G", "max", "-" (unknown). */
static const char *fmt_bytes(int64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	double d;
	int u = -1;

	if (v == UNSET)
		return "-";
	if (v == NO_LIMIT)
		return "max";
	if (v < 1024 && v > -1024) {
		snprintf(buf, len, "%" PRId64, v);
		return buf;
	}
	d = (double)v;
	while ((d >= 1024 || d <= -1024) && u < 4) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%c", d, units[u]);
	return buf;
}

static const char *fmt_count(int64_t v, char *buf, size_t len)
{
	if (v == UNSET)
		return "-";
	snprintf(buf, len, "%" PRId64, v);
	return buf;
}

/*
 * The usage bar: current against the tightest memory.max of the cgroup
 * and its ancestors (what it can really use), or against the machine.
 */
static void print_bar(const struct tree *t, const struct node *n, FILE *out,
		      bool utf8)
{
	double limit = (double)t->s->machine.memory_bytes, frac;
	int fill;

	for (const struct node *a = n; ; a = &t->nodes[a->parent]) {
		if (a->max != UNSET && a->max != NO_LIMIT && a->max > 0 &&
		    (double)a->max < limit)
			limit = (double)a->max;
		if (a->parent < 0)
			break;
	}
	frac = n->current == UNSET ? 0 : (double)n->current / limit;
	fill = (int)(frac * BAR_WIDTH + 0.5);
	if (fill > BAR_WIDTH)
		fill = BAR_WIDTH;
	if (fill == 0 && n->current > 0)
		fill = 1;
	fputc('[', out);
	for (int i = 0; i < BAR_WIDTH; i++)
		fputs(i < fill ? (utf8 ? "\u2588" : "#") :
			       (utf8 ? "\u00b7" : "."), out);
	fputc(frac > 1.0 ? '!' : ']', out);
}

static bool is_last_child(const struct tree *t, int i)
{
	return t->next_sibling[i] < 0;
}

/* Each node's children, in creation order (a child comes after its parent). */
static int link_children(struct tree *t)
{
	t->first_child = malloc((size_t)t->nr * sizeof(int));
	t->next_sibling = malloc((size_t)t->nr * sizeof(int));
	if (!t->first_child || !t->next_sibling)
		return -ENOMEM;
	for (int i = 0; i < t->nr; i++)
		t->first_child[i] = t->next_sibling[i] = -1;
	for (int i = t->nr - 1; i > 0; i--) {
		int p = t->nodes[i].parent;

		t->next_sibling[i] = t->first_child[p];
		t->first_child[p] = i;
	}
	return 0;
}

/* The tree-drawing prefix of node @i: one 4-column cell per level. */
static void print_prefix(const struct tree *t, int i, FILE *out, bool utf8)
{
	int chain[256], depth = 0;

	for (int a = i; a > 0 && depth < 256; a = t->nodes[a].parent)
		chain[depth++] = a;
	for (int d = depth - 1; d >= 0; d--) {
		bool last = is_last_child(t, chain[d]);

		if (d == 0)
			fputs(last ? (utf8 ? "\u2514\u2500\u2500 " : "`-- ") :
				     (utf8 ? "\u251c\u2500\u2500 " : "|-- "),
			      out);
		else
			fputs(last ? "    " : (utf8 ? "\u2502   " : "|   "),
			      out);
	}
}

static void print_row(const struct tree *t, int i, int width, FILE *out,
		      bool utf8)
{
	const struct node *n = &t->nodes[i];
	char b[6][32], ev[96];
	int used = n->depth * 4 + (int)strlen(n->name);

	print_prefix(t, i, out, utf8);
	fprintf(out, "%s%*s  ", n->name, width - used, "");
	print_bar(t, n, out, utf8);
	if (t->v1) {
		snprintf(ev, sizeof(ev), "failcnt %s",
			 fmt_count(n->failcnt, b[5], sizeof(b[5])));
	} else if (n->ev_max == UNSET) {
		snprintf(ev, sizeof(ev), "-");
	} else {
		char c[4][24];

		snprintf(ev, sizeof(ev), "%s/%s/%s/%s",
			 fmt_count(n->ev_high, c[0], sizeof(c[0])),
			 fmt_count(n->ev_max, c[1], sizeof(c[1])),
			 fmt_count(n->ev_oom, c[2], sizeof(c[2])),
			 fmt_count(n->ev_kill, c[3], sizeof(c[3])));
	}
	fprintf(out, " %7s %7s %7s %7s %7s %7s  ",
		fmt_bytes(n->current, b[0], sizeof(b[0])),
		fmt_bytes(n->max, b[1], sizeof(b[1])),
		fmt_bytes(n->high, b[2], sizeof(b[2])),
		fmt_bytes(n->low, b[3], sizeof(b[3])),
		fmt_bytes(n->min, b[4], sizeof(b[4])),
		fmt_bytes(n->swap, b[5], sizeof(b[5])));
	if (n->tasks)
		fprintf(out, "%-*s %s\n", EV_WIDTH, ev, n->tasks);
	else
		fprintf(out, "%s\n", ev);
}

/* Depth-first from the root, children in creation order; no recursion. */
static void print_subtree(const struct tree *t, int width, FILE *out,
			  bool utf8)
{
	int i = 0;

	for (;;) {
		print_row(t, i, width, out, utf8);
		if (t->first_child[i] >= 0) {
			i = t->first_child[i];
			continue;
		}
		while (i > 0 && t->next_sibling[i] < 0)
			i = t->nodes[i].parent;
		if (i <= 0)
			return;
		i = t->next_sibling[i];
	}
}

static void json_val(FILE *out, const char *key, int64_t v)
{
	if (v == UNSET)
		fprintf(out, ",\"%s\":null", key);
	else if (v == NO_LIMIT)
		fprintf(out, ",\"%s\":\"max\"", key);
	else
		fprintf(out, ",\"%s\":%" PRId64, key, v);
}

static void print_json(const struct tree *t, FILE *out)
{
	for (int i = 0; i < t->nr; i++) {
		const struct node *n = &t->nodes[i];

		/* paths come from the parser: nothing to escape */
		fprintf(out, "{\"kind\":\"cgroup\",\"path\":\"%s\"", n->path);
		json_val(out, "current", n->current);
		json_val(out, "max", n->max);
		json_val(out, "high", n->high);
		json_val(out, "low", n->low);
		json_val(out, "min", n->min);
		json_val(out, "swap", n->swap);
		json_val(out, "events_high", n->ev_high);
		json_val(out, "events_max", n->ev_max);
		json_val(out, "events_oom", n->ev_oom);
		json_val(out, "events_oom_kill", n->ev_kill);
		json_val(out, "failcnt", n->failcnt);
		fprintf(out, ",\"tasks\":\"%s\"}\n", n->tasks ? n->tasks : "");
	}
}

/**
 * tree_print - print the cgroup tree of @e
 * @e: engine (not modified; reads control files only)
 * @s: the scenario whose mkdir lines give the paths, and the machine
 * @out: output stream
 * @utf8: box-drawing characters instead of ASCII
 * @json: one JSON object per cgroup ({"kind":"cgroup",...}) instead
 *
 * The bar is memory.current against the tightest memory.max of the
 * cgroup and its ancestors, or against the machine's memory. Cgroups
 * removed by rmdir (or never created) are left out; a footer gives the
 * root's cgroup.stat (descendants, dying descendants) and the virtual
 * clock (time tasks spent throttled).
 */
void tree_print(struct memcg_engine *e, const struct scenario *s, FILE *out,
		bool utf8, bool json)
{
	struct tree t = {
		.e = e, .s = s, .v1 = s->machine.mode == SCN_MODE_V1,
	};
	const struct scn_machine *m = &s->machine;
	char b[3][32];
	int width = 6;
	uint64_t ns;

	if (build(&t) || link_children(&t)) {
		fprintf(stderr, "memcg tree: out of memory\n");
		goto out;
	}
	if (json) {
		print_json(&t, out);
		goto out;
	}
	for (int i = 0; i < t.nr; i++) {
		int w = t.nodes[i].depth * 4 + (int)strlen(t.nodes[i].name);

		if (w > width)
			width = w;
	}
	fprintf(out, "\ncgroup tree (%s, memory %s, swap %s, %u cpus, policy "
		"%s):\n", t.v1 ? "v1" : "v2",
		fmt_bytes((int64_t)m->memory_bytes, b[0], sizeof(b[0])),
		fmt_bytes((int64_t)m->swap_bytes, b[1], sizeof(b[1])), m->cpus,
		m->policy == SCN_POLICY_KERNEL ? "kernel" : "reparent");
	fprintf(out, "%-*s  %-*s %7s %7s %7s %7s %7s %7s  %-*s %s\n", width,
		"cgroup", BAR_WIDTH + 2, "usage (of limit)", "current", "max",
		"high", "low", "min", "swap", EV_WIDTH,
		t.v1 ? "events" : "high/max/oom/kill", "tasks");
	print_subtree(&t, width, out, utf8);
	ns = memcg_clock_ns(e);
	fprintf(out, "cgroup.stat: nr_descendants %s, nr_dying_descendants %s;"
		" throttled (virtual clock) %.3f %s\n",
		fmt_count(run_read_value(e, ".", "cgroup.stat",
					 "nr_descendants"), b[0], sizeof(b[0])),
		fmt_count(run_read_value(e, ".", "cgroup.stat",
					 "nr_dying_descendants"),
			  b[1], sizeof(b[1])),
		ns >= 1000000000ULL ? ns / 1e9 : ns / 1e6,
		ns >= 1000000000ULL ? "s" : "ms");
out:
	for (int i = 0; i < t.nr; i++)
		free(t.nodes[i].tasks);
	free(t.nodes);
	free(t.first_child);
	free(t.next_sibling);
}
