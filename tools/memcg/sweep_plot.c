// SPDX-License-Identifier: MIT
/*
 * memcg sweep --plot: the outputs against the first parameter as SVG.
 * One line per output, or per output and value of the second parameter;
 * x is the first parameter (its numbers, or its words evenly spaced), y
 * the value (bytes scaled to K, M or G on the axis). A point with no
 * number ("-", "max") leaves a gap. See sweep.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sweep.h"

#define W		960
#define H		520
#define LEFT		90.0
#define RIGHT		660.0
#define TOP		50.0
#define BOTTOM		450.0
#define TICKS		5

static const char *const colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

struct axis {
	double lo, hi;		/* the range drawn */
	double step;		/* between ticks */
	double unit;		/* of the labels: 1, 1K, 1M, 1G */
	const char *suffix;
};

/* 1, 2 or 5 times a power of ten, at least @span / TICKS. */
static double nice_step(double span)
{
	double raw = span / TICKS, p = pow(10, floor(log10(raw)));

	return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p :
								    10 * p;
}

static void axis_fit(struct axis *a, double lo, double hi, bool bytes)
{
	static const char *const sfx[] = { "", "K", "M", "G", "T" };
	int u = 0;

	if (hi <= lo)
		hi = lo + 1;
	a->unit = 1;
	while (bytes && u < 4 && hi / a->unit >= 1024 * 10) {
		a->unit *= 1024;
		u++;
	}
	a->suffix = sfx[u];
	a->step = nice_step((hi - lo) / a->unit) * a->unit;
	a->lo = floor(lo / a->step) * a->step;
	a->hi = ceil(hi / a->step) * a->step;
	if (a->hi <= a->lo)
		a->hi = a->lo + a->step;
}

static double scale(const struct axis *a, double v, double from, double to)
{
	return from + (v - a->lo) / (a->hi - a->lo) * (to - from);
}

/* The first parameter's value @v as a number; false for a word. */
static bool x_number(const struct sweep *sw, const char *v, double *x)
{
	uint64_t n;
	char *end;

	if (sw->params[0].kind == SWEEP_SEED) {
		n = strtoull(v, &end, 10);
		if (*end || !*v)
			return false;
	} else if (scn_parse_size(v, &n)) {
		return false;
	}
	*x = (double)n;
	return true;
}

static bool y_number(const char *v, double *y)
{
	int64_t n;

	if (scn_parse_value(v, &n) || n == INT64_MAX)
		return false;
	*y = (double)n;
	return true;
}

/*
 * How many points share a value of the first parameter: the values of
 * the second (the first varies slowest, sweep_point_params()).
 */
static size_t inner_count(const struct sweep *sw)
{
	size_t n = 1;

	if (sw->nr_params < 2)
		return 1;
	while (n < sw->nr_points &&
	       !strcmp(sw->points[n].param[0], sw->points[0].param[0]))
		n++;
	return n;
}

static void escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void draw_axes(FILE *f, const struct sweep *sw, const struct axis *xa,
		      const struct axis *ya, bool numeric_x, size_t nx,
		      size_t inner)
{
	fprintf(f, "<g class=\"axes\" stroke=\"#444\">"
		"<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\"/>"
		"<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\"/></g>\n",
		LEFT, BOTTOM, RIGHT, BOTTOM, LEFT, TOP, LEFT, BOTTOM);
	for (double v = ya->lo; v <= ya->hi + ya->step / 2; v += ya->step) {
		double y = scale(ya, v, BOTTOM, TOP);

		fprintf(f, "<line class=\"grid\" x1=\"%g\" y1=\"%.1f\" x2=\"%g\" "
			"y2=\"%.1f\" stroke=\"#ddd\"/><text class=\"ytick\" "
			"x=\"%g\" y=\"%.1f\" text-anchor=\"end\">%g%s</text>\n",
			LEFT, y, RIGHT, y, LEFT - 6, y + 4, v / ya->unit,
			ya->suffix);
	}
	for (size_t i = 0; !numeric_x && i < nx; i++) {
		fprintf(f, "<text class=\"xtick\" x=\"%.1f\" y=\"%g\" "
			"text-anchor=\"middle\">",
			scale(xa, (double)i, LEFT, RIGHT), BOTTOM + 18);
		escaped(f, sw->points[i * inner].param[0]);
		fputs("</text>\n", f);
	}
	for (double v = xa->lo; numeric_x && v <= xa->hi + xa->step / 2;
	     v += xa->step)
		fprintf(f, "<text class=\"xtick\" x=\"%.1f\" y=\"%g\" "
			"text-anchor=\"middle\">%g%s</text>\n",
			scale(xa, v, LEFT, RIGHT), BOTTOM + 18, v / xa->unit,
			xa->suffix);
	fprintf(f, "<text class=\"xlabel\" x=\"%g\" y=\"%g\" "
		"text-anchor=\"middle\">", (LEFT + RIGHT) / 2, BOTTOM + 44);
	escaped(f, sw->params[0].name);
	fputs("</text>\n", f);
}

/* The x of every value of the first parameter; false if one is a word. */
static bool x_values(const struct sweep *sw, size_t inner, size_t nx,
		     double *xs)
{
	for (size_t i = 0; i < nx; i++)
		if (!x_number(sw, sw->points[i * inner].param[0], &xs[i]))
			return false;
	return true;
}

static void draw_series(FILE *f, const struct sweep *sw, size_t show,
			size_t j, size_t inner, size_t nx, const double *xs,
			const struct axis *xa, const struct axis *ya,
			size_t color, double ly)
{
	const char *c = colors[color % (sizeof(colors) / sizeof(*colors))];
	bool pen = false;

	fprintf(f, "<g class=\"series\" data-show=\"");
	escaped(f, sw->shows[show].spec);
	fputs("\"", f);
	if (sw->nr_params > 1) {
		fputs(" data-param=\"", f);
		escaped(f, sw->points[j].param[1]);
		fputs("\"", f);
	}
	fprintf(f, "><path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
		"d=\"", c);
	for (size_t i = 0; i < nx; i++) {
		double y;

		if (!y_number(sw->points[i * inner + j].value[show], &y)) {
			pen = false;
			continue;
		}
		fprintf(f, "%c%.1f,%.1f ", pen ? 'L' : 'M',
			scale(xa, xs[i], LEFT, RIGHT),
			scale(ya, y, BOTTOM, TOP));
		pen = true;
	}
	fputs("\"/>\n", f);
	for (size_t i = 0; i < nx; i++) {
		double y;

		if (y_number(sw->points[i * inner + j].value[show], &y))
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
				"fill=\"%s\"><title>%s</title></circle>\n",
				scale(xa, xs[i], LEFT, RIGHT),
				scale(ya, y, BOTTOM, TOP), c,
				sw->points[i * inner + j].value[show]);
	}
	fprintf(f, "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" "
		"stroke=\"%s\" stroke-width=\"2\"/><text class=\"legend\" "
		"x=\"%g\" y=\"%.1f\">", RIGHT + 20, ly, RIGHT + 44, ly, c,
		RIGHT + 50, ly + 4);
	escaped(f, sw->shows[show].spec);
	if (sw->nr_params > 1) {
		fprintf(f, " %s=", sw->params[1].name);
		escaped(f, sw->points[j].param[1]);
	}
	fputs("</text></g>\n", f);
}

/* The y range of every numeric value. */
static void y_range(const struct sweep *sw, double *lo, double *hi)
{
	*lo = 0;
	*hi = 1;
	for (size_t i = 0; i < sw->nr_points; i++) {
		for (size_t k = 0; k < sw->nr_shows; k++) {
			double y;

			if (!y_number(sw->points[i].value[k], &y))
				continue;
			if (y < *lo)
				*lo = y;
			if (y > *hi)
				*hi = y;
		}
	}
}

/** sweep_plot_svg - plot the outputs against the first parameter */
int sweep_plot_svg(const struct sweep *sw, FILE *f)
{
	size_t inner = inner_count(sw), nx, color = 0;
	struct axis xa, ya;
	bool numeric_x;
	double *xs, lo, hi, ly = TOP;

	if (!sw->nr_points || sw->nr_points % inner)
		return -EINVAL;
	nx = sw->nr_points / inner;
	xs = calloc(nx, sizeof(*xs));
	if (!xs)
		return -ENOMEM;
	numeric_x = x_values(sw, inner, nx, xs);
	if (!numeric_x)
		for (size_t i = 0; i < nx; i++)
			xs[i] = (double)i;
	axis_fit(&xa, xs[0], xs[nx - 1], numeric_x &&
		 sw->params[0].kind == SWEEP_SET);
	if (!numeric_x) {
		xa.lo = -0.5;
		xa.hi = (double)nx - 0.5;
	}
	y_range(sw, &lo, &hi);
	axis_fit(&ya, lo, hi, true);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
		"font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
		"fill=\"white\"/>\n<text class=\"title\" x=\"%g\" y=\"24\" "
		"font-size=\"15\">memcg sweep", W, H, W, H, LEFT);
	if (sw->filename) {
		const char *base = strrchr(sw->filename, '/');

		fputs(" ", f);
		escaped(f, base ? base + 1 : sw->filename);
	}
	fprintf(f, "%s</text>\n", sw->kernel ? " (kernel)" : "");
	draw_axes(f, sw, &xa, &ya, numeric_x, nx, inner);
	for (size_t k = 0; k < sw->nr_shows; k++) {
		for (size_t j = 0; j < inner; j++, ly += 18)
			draw_series(f, sw, k, j, inner, nx, xs, &xa, &ya,
				    color++, ly);
	}
	fputs("</svg>\n", f);
	free(xs);
	return ferror(f) ? -EIO : 0;
}
