// SPDX-License-Identifier: MIT
/*
 * The timeline plot: sample, then draw an SVG by hand (no dependency).
 *
 * Layout: a title, the plot area with MB gridlines, x labels rotated
 * (line number and command), and on the right a legend of cgroups
 * (colours), of line styles (current, swap, max, high) and of event
 * markers.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memcg/memcg.h"
#include "plot.h"

enum series { S_CURRENT, S_SWAP, S_MAX, S_HIGH, NR_SERIES };
enum event { E_HIGH, E_MAX, E_OOM, E_KILL, NR_EVENTS };

struct sample {
	int64_t v[NR_SERIES];		/* RUN_UNSET: no value */
	int64_t ev[NR_EVENTS];
};

struct plot {
	const struct scenario *s;
	const char **paths;		/* the series' cgroups */
	int nr_cg;
	int nr_steps;			/* samples per cgroup */
	int *cmd;			/* per step: the command index, -1 */
	struct sample *smp;		/* [cg * nr_steps + step] */
	bool v1;
	/* geometry */
	double left, top, width, height;
	double ymax;			/* bytes at the top of the area */
};

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define NR_COLOURS (sizeof(palette) / sizeof(palette[0]))

static const char *colour(int i)
{
	return palette[i % NR_COLOURS];
}

static struct sample *smp(struct plot *p, int cg, int step)
{
	return &p->smp[(size_t)cg * p->nr_steps + step];
}

/* show and expect lines change nothing: they get no x position. */
static bool changes_state(const struct scn_cmd *c)
{
	return c->type != SCN_SHOW && c->type != SCN_EXPECT &&
	       c->type != SCN_EXPECT_TASK;
}

/* Add the root as a series when a task lives there. */
static bool root_has_tasks(const struct scenario *s)
{
	for (size_t i = 0; i < s->nr_cmds; i++)
		if ((s->cmds[i].type == SCN_TASK ||
		     s->cmds[i].type == SCN_MOVE) &&
		    !strcmp(s->cmds[i].cgroup, "."))
			return true;
	return false;
}

static void sample(struct plot *p, struct memcg_engine *e, int step)
{
	static const char *const ev_keys[NR_EVENTS] = {
		"high", "max", "oom", "oom_kill",
	};

	for (int c = 0; c < p->nr_cg; c++) {
		struct sample *x = smp(p, c, step);
		const char *path = p->paths[c];

		for (int i = 0; i < NR_SERIES; i++)
			x->v[i] = RUN_UNSET;
		for (int i = 0; i < NR_EVENTS; i++)
			x->ev[i] = RUN_UNSET;
		if (!strcmp(path, ".")) {
			static const char *const keys[] = {
				"anon", "file", "kernel", "sock",
			};
			int64_t sum = 0;

			for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
				int64_t v = run_read_value(e, ".", "memory.stat",
							   keys[k]);

				if (v != RUN_UNSET)
					sum += v;
			}
			x->v[S_CURRENT] = sum;
			continue;
		}
		if (p->v1) {
			x->v[S_CURRENT] = run_read_value(e, path,
				"memory.usage_in_bytes", NULL);
			x->v[S_MAX] = run_read_value(e, path,
				"memory.limit_in_bytes", NULL);
			x->v[S_SWAP] = run_read_value(e, path,
				"memory.memsw.usage_in_bytes", NULL);
			if (x->v[S_SWAP] != RUN_UNSET &&
			    x->v[S_CURRENT] != RUN_UNSET)
				x->v[S_SWAP] -= x->v[S_CURRENT];
			x->ev[E_MAX] = run_read_value(e, path, "memory.failcnt",
						      NULL);
			continue;
		}
		x->v[S_CURRENT] = run_read_value(e, path, "memory.current",
						 NULL);
		x->v[S_SWAP] = run_read_value(e, path, "memory.swap.current",
					      NULL);
		x->v[S_MAX] = run_read_value(e, path, "memory.max", NULL);
		x->v[S_HIGH] = run_read_value(e, path, "memory.high", NULL);
		for (int i = 0; i < NR_EVENTS; i++)
			x->ev[i] = run_read_value(e, path, "memory.events",
						  ev_keys[i]);
	}
}

/* --- drawing --- */

static void xml_text(FILE *f, const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; s++, n++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
	if (*s)
		fputs("...", f);
}

/* Each step owns a cell of the x axis; its point is the cell's middle. */
static double xpos(const struct plot *p, int step)
{
	return p->left + p->width * (step + 0.5) / p->nr_steps;
}

static double ypos(const struct plot *p, int64_t v)
{
	double f = (double)v / p->ymax;

	if (f > 1.05)
		f = 1.05;	/* clip, just above the area */
	return p->top + p->height * (1 - f);
}

static bool drawable(int64_t v)
{
	return v != RUN_UNSET && v != RUN_NO_LIMIT;
}

/* A "nice" tick step (1, 2, 5 x 10^k MB) for about 6 ticks. */
static double tick_step(double ymax_mb)
{
	double raw = ymax_mb / 6, mag = pow(10, floor(log10(raw))), n = raw / mag;

	if (n <= 1)
		return mag;
	if (n <= 2)
		return 2 * mag;
	if (n <= 5)
		return 5 * mag;
	return 10 * mag;
}

static void scale(struct plot *p)
{
	double top = 0;

	for (int c = 0; c < p->nr_cg; c++) {
		for (int k = 0; k < p->nr_steps; k++) {
			struct sample *x = smp(p, c, k);

			for (int i = 0; i < NR_SERIES; i++)
				if (drawable(x->v[i]) && x->v[i] > top)
					top = (double)x->v[i];
		}
	}
	if (top < (1 << 20))
		top = 1 << 20;
	top *= 1.1;
	/* round up to a whole tick */
	{
		double mb = top / (1 << 20), st = tick_step(mb);

		p->ymax = ceil(mb / st) * st * (1 << 20);
	}
}

/* One series of one cgroup as a step line: the value holds until the
 * next command; a missing value breaks the line. */
static void draw_series(FILE *f, struct plot *p, int c, enum series s)
{
	static const char *const dash[NR_SERIES] = {
		[S_CURRENT] = "", [S_SWAP] = "2,3", [S_MAX] = "10,5",
		[S_HIGH] = "4,3",
	};
	static const double width[NR_SERIES] = {
		[S_CURRENT] = 2.5, [S_SWAP] = 1.8, [S_MAX] = 1.5,
		[S_HIGH] = 1.5,
	};
	bool open = false;

	fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"",
		colour(c), width[s]);
	if (*dash[s])
		fprintf(f, " stroke-dasharray=\"%s\"", dash[s]);
	fputs(" d=\"", f);
	for (int k = 0; k < p->nr_steps; k++) {
		int64_t v = smp(p, c, k)->v[s];
		double x = xpos(p, k), y;

		if (!drawable(v)) {
			open = false;
			continue;
		}
		y = ypos(p, v);
		fprintf(f, open ? "V%.1f" : "M%.1f %.1f", open ? y : x, y);
		fprintf(f, "H%.1f", k + 1 < p->nr_steps ? xpos(p, k + 1) :
					p->left + p->width);
		open = true;
	}
	fputs("\"/>\n", f);
}

static void marker(FILE *f, enum event ev, double x, double y,
		   const char *col)
{
	switch (ev) {
	case E_HIGH:	/* open circle */
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" "
			"fill=\"white\" stroke=\"%s\" stroke-width=\"2\"",
			x, y, col);
		break;
	case E_MAX:	/* triangle */
		fprintf(f, "<path d=\"M%.1f %.1fl5.5 9.5h-11z\" fill=\"%s\" "
			"stroke=\"black\" stroke-width=\"0.8\"", x, y - 6.5, col);
		break;
	case E_OOM:	/* square */
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" "
			"height=\"10\" fill=\"%s\" stroke=\"black\" "
			"stroke-width=\"1.2\"", x - 5, y - 5, col);
		break;
	default:	/* oom_kill: a black cross */
		fprintf(f, "<path d=\"M%.1f %.1fl10 10m0 -10l-10 10\" "
			"stroke=\"black\" stroke-width=\"2.5\"", x - 5, y - 5);
		break;
	}
	fputs("/>", f);
}

static void draw_events(FILE *f, struct plot *p, int c)
{
	static const char *const names[NR_EVENTS] = {
		"high", "max", "oom", "oom_kill",
	};

	for (int k = 1; k < p->nr_steps; k++) {
		struct sample *a = smp(p, c, k - 1), *b = smp(p, c, k);
		int64_t cur = b->v[S_CURRENT];
		double y = ypos(p, drawable(cur) ? cur : 0);

		for (int ev = 0; ev < NR_EVENTS; ev++) {
			if (b->ev[ev] == RUN_UNSET || a->ev[ev] == RUN_UNSET ||
			    b->ev[ev] <= a->ev[ev])
				continue;
			/* several events at one command: stack them upwards */
			fputs("<g><title>", f);
			xml_text(f, p->paths[c], 200);
			fprintf(f, ": %s%s +%lld (line %d)</title>",
				p->v1 ? "failcnt" : "memory.events ",
				p->v1 ? "" : names[ev],
				(long long)(b->ev[ev] - a->ev[ev]),
				p->s->cmds[p->cmd[k]].line);
			marker(f, ev, xpos(p, k), y, colour(c));
			fputs("</g>\n", f);
			y -= 13;
		}
	}
}

static void draw_axes(FILE *f, struct plot *p)
{
	double mb = p->ymax / (1 << 20), st = tick_step(mb);
	int every = 1;

	/* y: MB gridlines */
	for (double t = 0; t <= mb + st / 2; t += st) {
		double y = ypos(p, (int64_t)(t * (1 << 20)));

		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\""
			" stroke=\"#e4e4e4\"/>\n", p->left, p->left + p->width,
			y, y);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
			"font-size=\"12\">%g</text>\n", p->left - 8, y + 4, t);
	}
	fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
		"text-anchor=\"middle\" font-size=\"13\">MB</text>\n",
		p->left - 55, p->top + p->height / 2);
	/* x: one label per command, thinned when crowded */
	while ((p->nr_steps / every) * 14.0 > p->width)
		every++;
	for (int k = 0; k < p->nr_steps; k++) {
		double x = xpos(p, k);

		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"%s\"/>\n", x, x, p->top,
			p->top + p->height, k % every ? "none" : "#f0f0f0");
		if (k % every)
			continue;
		fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-55)"
			"\" text-anchor=\"end\" font-size=\"11\">", x + 3,
			p->top + p->height + 12);
		if (p->cmd[k] < 0) {
			fputs("start", f);
		} else {
			fprintf(f, "%d: ", p->s->cmds[p->cmd[k]].line);
			xml_text(f, p->s->cmds[p->cmd[k]].text, 26);
		}
		fputs("</text>\n", f);
	}
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
		" fill=\"none\" stroke=\"#444\"/>\n", p->left, p->top,
		p->width, p->height);
}

static void draw_legend(FILE *f, struct plot *p, double x)
{
	static const char *const styles[][2] = {
		{ "", "memory.current" }, { "2,3", "memory.swap.current" },
		{ "10,5", "memory.max" }, { "4,3", "memory.high" },
	};
	static const char *const evn[NR_EVENTS] = {
		"event: high", "event: max", "event: oom", "event: oom_kill",
	};
	double y = p->top + 8;

	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
		"font-weight=\"bold\">cgroups</text>\n", x, y);
	y += 20;
	for (int c = 0; c < p->nr_cg; c++, y += 18) {
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" "
			"height=\"10\" fill=\"%s\"/>\n", x, y - 9, colour(c));
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">",
			x + 20, y);
		xml_text(f, !strcmp(p->paths[c], ".") ? ". (root total)" :
			 p->paths[c], 28);
		fputs("</text>\n", f);
	}
	y += 12;
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
		"font-weight=\"bold\">lines</text>\n", x, y);
	y += 20;
	for (int i = 0; i < (p->v1 ? 3 : 4); i++, y += 18) {
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#333\" stroke-width=\"2\"%s%s%s/>\n",
			x, x + 30, y - 4, y - 4, *styles[i][0] ?
			" stroke-dasharray=\"" : "", styles[i][0],
			*styles[i][0] ? "\"" : "");
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%s"
			"</text>\n", x + 36, y,
			p->v1 && i == S_MAX ? "memory.limit_in_bytes" :
			p->v1 && i == S_SWAP ? "memsw - usage" :
			p->v1 && i == S_CURRENT ? "memory.usage_in_bytes" :
			styles[i][1]);
	}
	y += 12;
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
		"font-weight=\"bold\">markers</text>\n", x, y);
	y += 20;
	for (int ev = 0; ev < NR_EVENTS; ev++) {
		if (p->v1 && ev != E_MAX)
			continue;
		marker(f, ev, x + 8, y - 4, "#999");
		fputc('\n', f);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%s"
			"</text>\n", x + 22, y, p->v1 ? "failcnt" : evn[ev]);
		y += 18;
	}
}

static void draw(FILE *f, struct plot *p)
{
	const struct scn_machine *m = &p->s->machine;
	double longest = 0, total_w, total_h;

	for (int k = 1; k < p->nr_steps; k++) {
		size_t n = strlen(p->s->cmds[p->cmd[k]].text) + 4;

		if (n > longest)
			longest = n;
	}
	if (longest > 30)
		longest = 30;
	p->left = 80;
	p->top = 60;
	p->width = p->nr_steps * 24.0;
	if (p->width < 560)
		p->width = 560;
	if (p->width > 2400)
		p->width = 2400;
	p->height = 400;
	total_w = p->left + p->width + 250;
	total_h = p->top + p->height + 30 + longest * 5.6 + 20;
	scale(p);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		"font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
		total_w, total_h, total_w, total_h);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%.1f\" y=\"28\" font-size=\"17\" "
		"font-weight=\"bold\">memcg: ", p->left);
	xml_text(f, p->s->filename, 60);
	fprintf(f, "</text>\n<text x=\"%.1f\" y=\"46\" font-size=\"12\" "
		"fill=\"#555\">%s, memory %lluM, swap %lluM, %u cpus, policy %s"
		"; x: commands (line: command), y: MB</text>\n", p->left,
		p->v1 ? "cgroup v1" : "cgroup v2",
		(unsigned long long)(m->memory_bytes >> 20),
		(unsigned long long)(m->swap_bytes >> 20), m->cpus,
		m->policy == SCN_POLICY_KERNEL ? "kernel" : "reparent");
	draw_axes(f, p);
	for (int c = 0; c < p->nr_cg; c++) {
		draw_series(f, p, c, S_MAX);
		draw_series(f, p, c, S_HIGH);
		draw_series(f, p, c, S_SWAP);
	}
	for (int c = 0; c < p->nr_cg; c++)
		draw_series(f, p, c, S_CURRENT);
	for (int c = 0; c < p->nr_cg; c++)
		draw_events(f, p, c);
	draw_legend(f, p, p->left + p->width + 25);
	fputs("</svg>\n", f);
}

/**
 * plot_scenario - run @s and write its timeline to @path
 * @s: scenario
 * @o: run options (the run's own output is discarded)
 * @path: the SVG file to write, or "-" for standard output
 *
 * Return: 0 if every expect held, 1 if one failed, or a negative errno
 * (engine creation, writing @path).
 */
int plot_scenario(const struct scenario *s, const struct run_opts *o,
		  const char *path)
{
	struct plot p = { .s = s, .v1 = s->machine.mode == SCN_MODE_V1 };
	struct run *r;
	FILE *f;
	int ret, k = 0;

	p.paths = calloc(s->nr_cgroups + 1, sizeof(*p.paths));
	p.cmd = malloc((s->nr_cmds + 1) * sizeof(*p.cmd));
	if (!p.paths || !p.cmd) {
		ret = -ENOMEM;
		goto out;
	}
	/* one step per command that can change memory, and the start */
	p.cmd[p.nr_steps++] = -1;
	for (size_t i = 0; i < s->nr_cmds; i++)
		if (changes_state(&s->cmds[i]))
			p.cmd[p.nr_steps++] = (int)i;
	if (root_has_tasks(s) || !s->nr_cgroups)
		p.paths[p.nr_cg++] = ".";
	for (size_t i = 0; i < s->nr_cgroups; i++)
		p.paths[p.nr_cg++] = s->cgroups[i];
	p.smp = calloc((size_t)p.nr_cg * p.nr_steps, sizeof(*p.smp));
	if (!p.smp) {
		ret = -ENOMEM;
		goto out;
	}
	ret = run_create(s, o, NULL, &r);
	if (ret)
		goto out;
	sample(&p, run_engine(r), k++);
	while (run_step(r))
		if (changes_state(&s->cmds[run_next_index(r) - 1]))
			sample(&p, run_engine(r), k++);
	ret = run_exit_code(r);
	run_destroy(r);

	f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f) {
		ret = -errno;
		goto out;
	}
	draw(f, &p);
	if (f != stdout ? fclose(f) : fflush(f))
		ret = -EIO;
out:
	free(p.smp);
	free(p.cmd);
	free(p.paths);
	return ret;
}
