// SPDX-License-Identifier: MIT
/*
 * The plot as SVG (plot_svg.h): layout, axes, series, markers, legend.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_svg.h"

#define MB (1024.0 * 1024.0)

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define NR_COLOURS (sizeof(palette) / sizeof(palette[0]))

static const char *const series_names[PS_NR] = {
	[PS_CURRENT] = "current", [PS_SWAP] = "swap", [PS_MIN] = "min",
	[PS_LOW] = "low", [PS_HIGH] = "high", [PS_MAX] = "max",
};

/* The limits' dash patterns; current and swap are solid. */
static const char *const dashes[PS_NR] = {
	[PS_MIN] = "2,3", [PS_LOW] = "7,3", [PS_HIGH] = "5,3,1,3",
	[PS_MAX] = "11,5",
};

static const double widths[PS_NR] = {
	[PS_CURRENT] = 2.4, [PS_SWAP] = 1.3, [PS_MIN] = 1.4, [PS_LOW] = 1.4,
	[PS_HIGH] = 1.4, [PS_MAX] = 1.4,
};

const char *plot_colour(int i)
{
	return palette[i % NR_COLOURS];
}

void plot_xml_text(FILE *f, const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; s++, n++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '&')
			fputs("&amp;", f);
		else if (ch == '<')
			fputs("&lt;", f);
		else if (ch == '>')
			fputs("&gt;", f);
		else if (ch == '"')
			fputs("&quot;", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	if (*s)
		fputs("...", f);
}

static bool drawable(int64_t v)
{
	return v != PLOT_UNSET && v != PLOT_NO_LIMIT;
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

static void scale(struct plot_layout *l)
{
	double top = 0, mb, st;

	for (int s = 0; s < l->nr_src; s++) {
		const struct plot_data *d = l->src[s];

		for (uint32_t f = 0; f < d->nr_frames; f++)
			for (int c = 0; c < d->nr_cg; c++) {
				const struct plot_cell *x = plot_data_cell(d, f, c);

				for (int i = 0; i < PS_NR; i++)
					if (x->state != PC_NONE &&
					    drawable(x->v[i]) && x->v[i] > top)
						top = (double)x->v[i];
			}
	}
	if (top < MB)
		top = MB;
	mb = top * 1.1 / MB;
	st = tick_step(mb);
	l->ymax = ceil(mb / st) * st * MB;
}

int plot_layout_init(struct plot_layout *l, const struct plot_data *const *src,
		     int nr)
{
	const struct scenario *s = src[0]->s;
	double u = 0;

	memset(l, 0, sizeof(*l));
	l->nr_src = nr;
	for (int i = 0; i < nr; i++)
		l->src[i] = src[i];
	l->start = calloc(s->nr_cmds + 1, sizeof(*l->start));
	l->span = calloc(s->nr_cmds + 1, sizeof(*l->span));
	if (!l->start || !l->span) {
		plot_layout_free(l);
		return -ENOMEM;
	}
	for (size_t c = 0; c < s->nr_cmds; c++) {
		for (int i = 0; i < nr; i++)
			if (src[i]->n_sub[c] > l->span[c])
				l->span[c] = src[i]->n_sub[c];
		l->start[c] = u;
		u += l->span[c];
	}
	l->units = u > 0 ? u : 1;
	l->left = 80;
	l->top = 64;
	l->width = l->units * 7;
	if (l->width < 720)
		l->width = 720;
	if (l->width > 1400)
		l->width = 1400;
	l->height = 420;
	scale(l);
	return 0;
}

void plot_layout_free(struct plot_layout *l)
{
	free(l->start);
	free(l->span);
	l->start = NULL;
	l->span = NULL;
}

double plot_x(const struct plot_layout *l, int s, uint32_t f)
{
	const struct plot_data *d = l->src[s];
	const struct plot_frame *fr = &d->frames[f];
	double u = 0;

	if (fr->cmd >= 0) {
		uint32_t n = d->n_sub[fr->cmd];

		u = l->start[fr->cmd] + (n ? (double)fr->sub * l->span[fr->cmd] / n :
					     l->span[fr->cmd]);
	}
	return l->left + l->width * u / l->units;
}

double plot_y(const struct plot_layout *l, int64_t v)
{
	double f = (double)v / l->ymax;

	if (f > 1.05)
		f = 1.05;	/* clip, just above the area */
	return l->top + l->height * (1 - f);
}

/* The longest x label, in characters. */
static size_t longest_label(const struct plot_layout *l)
{
	const struct scenario *s = l->src[0]->s;
	size_t longest = 0;

	for (size_t c = 0; c < s->nr_cmds; c++) {
		size_t n = strlen(s->cmds[c].text) + 6;

		if (l->span[c] && n > longest)
			longest = n;
	}
	return longest > 34 ? 34 : longest;
}

void plot_svg_size(const struct plot_layout *l, double *w, double *h)
{
	*w = l->left + l->width + 290;
	*h = l->top + l->height + 40 + longest_label(l) * 5.8 + 24;
	if (*h < l->top + 560)
		*h = l->top + 560;	/* the legend's height */
}

static void attr_cgroup(FILE *f, const struct plot_data *d, int c)
{
	fputs(" data-cgroup=\"", f);
	plot_xml_text(f, d->paths[c], 4096);
	fprintf(f, "\" data-source=\"%s\"", d->label);
}

static bool in_state(const struct plot_cell *x, int i, enum plot_state st)
{
	return x->state == st && drawable(x->v[i]);
}

/*
 * memory.current or swap.current of cgroup @c as a line through its
 * samples, the online part, then the dying part (continued from the last
 * online point).
 */
static void draw_line(FILE *f, const struct plot_layout *l, int s, int c,
		      enum plot_series i, enum plot_state st)
{
	const struct plot_data *d = l->src[s];
	int points = 0;
	bool open = false;

	/* find out first whether there is anything to draw */
	for (uint32_t k = 0; k < d->nr_frames && !points; k++)
		points = in_state(plot_data_cell(d, k, c), i, st);
	if (!points)
		return;
	points = 0;
	fprintf(f, "<path class=\"series %s%s\"", series_names[i],
		st == PC_DYING ? " dying" : "");
	attr_cgroup(f, d, c);
	fprintf(f, " fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" "
		"stroke-linejoin=\"round\"", plot_colour(c),
		widths[i] * (s ? 0.8 : 1) * (st == PC_DYING ? 0.7 : 1));
	if (s || st == PC_DYING || i == PS_SWAP)
		fprintf(f, " stroke-opacity=\"%.2f\"",
			(s ? 0.5 : 1) * (st == PC_DYING ? 0.45 : 1) *
			(i == PS_SWAP ? 0.75 : 1));
	if (st == PC_DYING)
		fputs(" stroke-dasharray=\"1,2\"", f);
	fputs(" d=\"", f);
	for (uint32_t k = 0; k < d->nr_frames; k++) {
		const struct plot_cell *x = plot_data_cell(d, k, c);

		if (!in_state(x, i, st)) {
			open = false;
			continue;
		}
		if (!open && st == PC_DYING && k > 0 &&
		    in_state(plot_data_cell(d, k - 1, c), i, PC_ONLINE)) {
			fprintf(f, "M%.1f %.1f", plot_x(l, s, k - 1),
				plot_y(l, plot_data_cell(d, k - 1, c)->v[i]));
			open = true;
		}
		fprintf(f, "%c%.1f %.1f", open ? 'L' : 'M', plot_x(l, s, k),
			plot_y(l, x->v[i]));
		open = true;
		points++;
	}
	fprintf(f, "\" data-points=\"%d\"/>\n", points);
}

/* A limit (min, low, high, max) as steps: it holds until the next sample. */
static void draw_limit(FILE *f, const struct plot_layout *l, int c,
		       enum plot_series i)
{
	const struct plot_data *d = l->src[0];
	bool open = false, any = false;
	int points = 0;

	for (uint32_t k = 0; k < d->nr_frames && !any; k++) {
		const struct plot_cell *x = plot_data_cell(d, k, c);

		any = in_state(x, i, PC_ONLINE) &&
		      (x->v[i] > 0 || i == PS_MAX || i == PS_HIGH);
	}
	if (!any)
		return;
	fprintf(f, "<path class=\"series %s\"", series_names[i]);
	attr_cgroup(f, d, c);
	fprintf(f, " fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" "
		"stroke-dasharray=\"%s\" d=\"", plot_colour(c), widths[i],
		dashes[i]);
	for (uint32_t k = 0; k < d->nr_frames; k++) {
		const struct plot_cell *x = plot_data_cell(d, k, c);
		double px = plot_x(l, 0, k), py;

		if (!in_state(x, i, PC_ONLINE) ||
		    ((i == PS_MIN || i == PS_LOW) && x->v[i] == 0)) {
			open = false;
			continue;
		}
		py = plot_y(l, x->v[i]);
		if (open)
			fprintf(f, "H%.1fV%.1f", px, py);
		else
			fprintf(f, "M%.1f %.1f", px, py);
		open = true;
		points++;
	}
	fprintf(f, "\" data-points=\"%d\"/>\n", points);
}

/* The marker glyph of event @ev (PE_NR: removed) at (@x, @y). */
static void glyph(FILE *f, int ev, double x, double y, const char *col)
{
	switch (ev) {
	case PE_LOW:	/* diamond */
		fprintf(f, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"%s\" "
			"stroke=\"black\" stroke-width=\"0.8\"/>", x, y - 5, col);
		break;
	case PE_HIGH:	/* open circle */
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" "
			"fill=\"white\" stroke=\"%s\" stroke-width=\"2\"/>",
			x, y, col);
		break;
	case PE_MAX:	/* triangle */
		fprintf(f, "<path d=\"M%.1f %.1fl5.5 9.5h-11z\" fill=\"%s\" "
			"stroke=\"black\" stroke-width=\"0.8\"/>", x, y - 6.5,
			col);
		break;
	case PE_OOM:	/* square */
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" "
			"height=\"10\" fill=\"%s\" stroke=\"black\" "
			"stroke-width=\"1.2\"/>", x - 5, y - 5, col);
		break;
	case PE_OOM_KILL:	/* a black cross */
		fprintf(f, "<path d=\"M%.1f %.1fl10 10m0 -10l-10 10\" "
			"stroke=\"black\" stroke-width=\"2.5\"/>", x - 5, y - 5);
		break;
	default:	/* removed: a crossed circle */
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" "
			"fill=\"white\" stroke=\"%s\" stroke-width=\"2\"/>"
			"<path d=\"M%.1f %.1fl7 7m0 -7l-7 7\" stroke=\"%s\" "
			"stroke-width=\"1.8\"/>", x, y, col, x - 3.5, y - 3.5,
			col);
		break;
	}
}

/* The command a frame belongs to, as "line N". */
static int frame_line(const struct plot_data *d, uint32_t k)
{
	int cmd = d->frames[k].cmd;

	return cmd >= 0 ? d->s->cmds[cmd].line : 0;
}

static void marker_open(FILE *f, const struct plot_data *d, int c,
			const char *cls, long long count, bool lighter)
{
	fprintf(f, "<g class=\"marker ev-%s\"%s", cls,
		lighter ? " opacity=\"0.5\"" : "");
	attr_cgroup(f, d, c);
	fprintf(f, " data-count=\"%lld\"><title>", count);
	plot_xml_text(f, d->paths[c], 200);
}

/* A run of growth of one event, drawn as one marker where it began. */
struct ev_cluster {
	uint32_t k;		/* its first frame */
	long long n;		/* events in it */
	int64_t total;		/* the count at its last frame */
	int line;		/* its last frame's command line */
};

#define MARKER_GAP 24.0		/* pixels: closer growth joins the marker */

static void flush_cluster(FILE *f, const struct plot_layout *l, int s, int c,
			  int ev, const struct ev_cluster *cl, int *stack)
{
	const struct plot_data *d = l->src[s];
	int64_t cur = plot_data_cell(d, cl->k, c)->v[PS_CURRENT];
	int64_t before = plot_data_cell(d, cl->k - 1, c)->v[PS_CURRENT];
	double x = plot_x(l, s, cl->k), y;

	/* it happened between the two samples: at the higher one */
	if (!drawable(cur) || (drawable(before) && before > cur))
		cur = before;
	y = plot_y(l, drawable(cur) ? cur : 0) - 13.0 * stack[cl->k]++;

	marker_open(f, d, c, plot_event_name(ev), cl->n, s > 0);
	fprintf(f, " (%s): %s%s%s +%lld, %lld in all (to line %d)</title>",
		d->label, d->v1 ? "memory.failcnt" : "memory.events",
		d->v1 ? "" : " ", d->v1 ? "" : plot_event_name(ev), cl->n,
		(long long)cl->total, cl->line);
	glyph(f, ev, x, y, plot_colour(c));
	if (cl->n > 1)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\">"
			"%lld</text>", x + 6, y - 5, cl->n);
	fputs("</g>\n", f);
}

/*
 * Where memory.events grew: a marker with the count, growth closer than
 * MARKER_GAP pixels joined into one; markers of one frame stacked up.
 */
static void draw_events(FILE *f, const struct plot_layout *l, int s, int c,
			int *stack)
{
	const struct plot_data *d = l->src[s];

	memset(stack, 0, d->nr_frames * sizeof(*stack));
	for (int ev = 0; ev < PE_NR; ev++) {
		struct ev_cluster cl = { .n = 0 };

		for (uint32_t k = 1; k < d->nr_frames; k++) {
			const struct plot_cell *a = plot_data_cell(d, k - 1, c);
			const struct plot_cell *b = plot_data_cell(d, k, c);

			if (b->ev[ev] == PLOT_UNSET || a->ev[ev] == PLOT_UNSET ||
			    b->ev[ev] <= a->ev[ev])
				continue;
			if (cl.n && plot_x(l, s, k) - plot_x(l, s, cl.k) >=
				    MARKER_GAP) {
				flush_cluster(f, l, s, c, ev, &cl, stack);
				cl.n = 0;
			}
			if (!cl.n)
				cl.k = k;
			cl.n += (long long)(b->ev[ev] - a->ev[ev]);
			cl.total = b->ev[ev];
			cl.line = frame_line(d, k);
		}
		if (cl.n)
			flush_cluster(f, l, s, c, ev, &cl, stack);
	}
}

/* Where a cgroup stopped being online: removed (dying or freed). */
static void draw_removals(FILE *f, const struct plot_layout *l, int s, int c)
{
	const struct plot_data *d = l->src[s];

	for (uint32_t k = 1; k < d->nr_frames; k++) {
		const struct plot_cell *a = plot_data_cell(d, k - 1, c);
		const struct plot_cell *b = plot_data_cell(d, k, c);
		int64_t v = b->state == PC_DYING ? b->v[PS_CURRENT] :
						   a->v[PS_CURRENT];

		if (a->state != PC_ONLINE || b->state == PC_ONLINE)
			continue;
		marker_open(f, d, c, "removed", 1, s > 0);
		fprintf(f, " (%s): removed (line %d), %s</title>", d->label,
			frame_line(d, k),
			b->state == PC_DYING ? "dying until freed" : "freed");
		glyph(f, PE_NR, plot_x(l, s, k), plot_y(l, drawable(v) ? v : 0),
		      plot_colour(c));
		fputs("</g>\n", f);
	}
}

static void draw_axes(FILE *f, const struct plot_layout *l)
{
	const struct scenario *sc = l->src[0]->s;
	double mb = l->ymax / MB, st = tick_step(mb), last = -1e9;

	for (double t = 0; t <= mb + st / 2; t += st) {
		double y = plot_y(l, (int64_t)(t * MB));

		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n", l->left,
			l->left + l->width, y, y);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
			"font-size=\"12\">%g</text>\n", l->left - 8, y + 4, t);
	}
	fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
		"text-anchor=\"middle\" font-size=\"13\">MB</text>\n",
		l->left - 55, l->top + l->height / 2);
	/* x: a gridline where each command ends, labels thinned */
	for (size_t c = 0; c < sc->nr_cmds; c++) {
		double x;

		if (!l->span[c])
			continue;
		x = l->left + l->width * (l->start[c] + l->span[c]) / l->units;
		fprintf(f, "<line class=\"cmd-end\" x1=\"%.1f\" x2=\"%.1f\" "
			"y1=\"%.1f\" y2=\"%.1f\" stroke=\"#f0f0f0\"/>\n", x, x,
			l->top, l->top + l->height);
		if (x - last < 16)
			continue;
		last = x;
		fprintf(f, "<text class=\"cmd-label\" transform=\"translate("
			"%.1f %.1f) rotate(-55)\" text-anchor=\"end\" "
			"font-size=\"11\">%d: ", x + 3, l->top + l->height + 12,
			sc->cmds[c].line);
		plot_xml_text(f, sc->cmds[c].text, 28);
		fputs("</text>\n", f);
	}
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		"height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>\n", l->left,
		l->top, l->width, l->height);
}

/* memory.events totals of event @ev over source @s's cgroups. */
static long long event_total(const struct plot_data *d, int ev)
{
	long long n = 0;

	if (!d->nr_frames)
		return 0;
	for (int c = 0; c < d->nr_cg; c++) {
		int64_t last = PLOT_UNSET;

		/* the last count read: a removed cgroup's last online one */
		for (uint32_t k = 0; k < d->nr_frames; k++) {
			int64_t v = plot_data_cell(d, k, c)->ev[ev];

			if (v != PLOT_UNSET)
				last = v;
		}
		if (last != PLOT_UNSET)
			n += last;
	}
	return n;
}

static double legend_head(FILE *f, double x, double y, const char *what)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
		"font-weight=\"bold\">%s</text>\n", x, y, what);
	return y + 20;
}

static double legend_cgroups(FILE *f, const struct plot_layout *l, double x,
			     double y)
{
	const struct plot_data *d = l->src[0];

	y = legend_head(f, x, y, "cgroups");
	for (int c = 0; c < d->nr_cg && c < 24; c++, y += 18) {
		fprintf(f, "<g class=\"legend legend-cgroup\"");
		attr_cgroup(f, d, c);
		fprintf(f, "><rect x=\"%.1f\" y=\"%.1f\" width=\"14\" "
			"height=\"10\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\""
			" font-size=\"12\">", x, y - 9, plot_colour(c), x + 20, y);
		plot_xml_text(f, !strcmp(d->paths[c], ".") ? ". (root total)" :
			      d->paths[c], 28);
		fputs("</text></g>\n", f);
	}
	if (d->nr_cg > 24) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">"
			"and %d more</text>\n", x, y, d->nr_cg - 24);
		y += 18;
	}
	return y + 10;
}

static double legend_lines(FILE *f, const struct plot_layout *l, double x,
			   double y)
{
	static const char *const v2_names[PS_NR] = {
		"memory.current", "memory.swap.current", "memory.min",
		"memory.low", "memory.high", "memory.max",
	};
	static const char *const v1_names[PS_NR] = {
		"memory.usage_in_bytes", "memsw - usage", NULL, NULL, NULL,
		"memory.limit_in_bytes",
	};
	bool v1 = l->src[0]->v1;

	y = legend_head(f, x, y, "lines");
	for (int i = 0; i < PS_NR; i++) {
		const char *name = v1 ? v1_names[i] : v2_names[i];

		if (!name)
			continue;
		fprintf(f, "<g class=\"legend legend-line\" data-series=\"%s\">"
			"<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#333\" stroke-width=\"%.1f\"%s%s%s/>"
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%s</text>"
			"</g>\n", series_names[i], x, x + 30, y - 4, y - 4,
			widths[i], dashes[i] ? " stroke-dasharray=\"" : "",
			dashes[i] ? dashes[i] : "", dashes[i] ? "\"" : "",
			x + 36, y, name);
		y += 18;
	}
	fprintf(f, "<g class=\"legend legend-line\" data-series=\"dying\">"
		"<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#333\" stroke-opacity=\"0.45\" stroke-width=\"1.7\" "
		"stroke-dasharray=\"1,2\"/><text x=\"%.1f\" y=\"%.1f\" "
		"font-size=\"12\">removed, still charged</text></g>\n", x,
		x + 30, y - 4, y - 4, x + 36, y);
	y += 18;
	if (l->nr_src > 1) {
		for (int s = 0; s < l->nr_src; s++, y += 18)
			fprintf(f, "<g class=\"legend legend-source\" "
				"data-source=\"%s\"><line x1=\"%.1f\" x2=\"%.1f\""
				" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#1f77b4\" "
				"stroke-width=\"2.4\"%s/><text x=\"%.1f\" "
				"y=\"%.1f\" font-size=\"12\">%s (%s)</text></g>\n",
				l->src[s]->label, x, x + 30, y - 4, y - 4,
				s ? " stroke-opacity=\"0.5\"" : "", x + 36, y,
				l->src[s]->label, s ? "lighter" : "solid");
	}
	return y + 10;
}

static double legend_markers(FILE *f, const struct plot_layout *l, double x,
			     double y)
{
	y = legend_head(f, x, y, "markers (count)");
	for (int ev = 0; ev <= PE_NR; ev++) {
		if (l->src[0]->v1 && ev != PE_MAX && ev != PE_NR)
			continue;
		fprintf(f, "<g class=\"legend legend-marker\" data-event=\"%s\">",
			ev < PE_NR ? plot_event_name(ev) : "removed");
		glyph(f, ev, x + 8, y - 4, "#999");
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">",
			x + 22, y);
		if (ev == PE_NR) {
			fputs("removed (rmdir)</text></g>\n", f);
		} else {
			fprintf(f, "%s", l->src[0]->v1 ? "failcnt" :
				plot_event_name(ev));
			for (int s = 0; s < l->nr_src; s++)
				fprintf(f, "%s%s%s%lld", s ? ", " : ": ",
					l->nr_src > 1 ? l->src[s]->label : "",
					l->nr_src > 1 ? " " : "",
					event_total(l->src[s], ev));
			fputs("</text></g>\n", f);
		}
		y += 18;
	}
	return y;
}

static void draw_title(FILE *f, const struct plot_layout *l)
{
	const struct plot_data *d = l->src[0];
	const struct scn_machine *m = &d->s->machine;

	fprintf(f, "<text x=\"%.1f\" y=\"28\" font-size=\"17\" "
		"font-weight=\"bold\">memcg: ", l->left);
	plot_xml_text(f, d->s->filename, 60);
	for (int s = 0; s < l->nr_src; s++)
		fprintf(f, "%s%s", s ? " vs " : " (", l->src[s]->label);
	fprintf(f, ")</text>\n<text x=\"%.1f\" y=\"47\" font-size=\"12\" "
		"fill=\"#555\">%s, memory %lluM, swap %lluM, %u cpus; x: the "
		"scenario's commands, each as wide as its samples (one per "
		"1 MiB charged or 10 ms); y: MB</text>\n", l->left,
		d->v1 ? "cgroup v1" : "cgroup v2",
		(unsigned long long)(m->memory_bytes >> 20),
		(unsigned long long)(m->swap_bytes >> 20), m->cpus);
}

void plot_svg_write(FILE *f, const struct plot_layout *l, bool standalone)
{
	const struct plot_data *d0 = l->src[0];
	double w, h, lx = l->left + l->width + 25, y;
	uint32_t most = 1;
	int *stack;

	for (int s = 0; s < l->nr_src; s++)
		if (l->src[s]->nr_frames > most)
			most = l->src[s]->nr_frames;
	stack = calloc(most, sizeof(*stack));	/* markers per frame */

	plot_svg_size(l, &w, &h);
	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"plot\" "
		"width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		"data-samples=\"%u\" data-sources=\"%d\" font-family=\"DejaVu "
		"Sans, Helvetica, Arial, sans-serif\">\n", w, h, w, h,
		d0->nr_frames, l->nr_src);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", f);
	draw_title(f, l);
	draw_axes(f, l);
	for (int c = 0; c < d0->nr_cg; c++)
		for (int i = PS_MIN; i < PS_NR; i++)
			draw_limit(f, l, c, i);
	for (int s = l->nr_src - 1; s >= 0; s--)
		for (int c = 0; c < l->src[s]->nr_cg; c++) {
			draw_line(f, l, s, c, PS_SWAP, PC_ONLINE);
			draw_line(f, l, s, c, PS_SWAP, PC_DYING);
			draw_line(f, l, s, c, PS_CURRENT, PC_ONLINE);
			draw_line(f, l, s, c, PS_CURRENT, PC_DYING);
		}
	for (int s = 0; s < l->nr_src; s++)
		for (int c = 0; c < l->src[s]->nr_cg; c++) {
			if (stack)
				draw_events(f, l, s, c, stack);
			draw_removals(f, l, s, c);
		}
	free(stack);
	y = legend_cgroups(f, l, lx, l->top + 8);
	y = legend_lines(f, l, lx, y);
	legend_markers(f, l, lx, y);
	fputs("</svg>\n", f);
}
