/* SPDX-License-Identifier: MIT */
/*
 * Drawing plot data (plot_data.h) as SVG, by hand (no dependency).
 *
 * x: the scenario's progress. Each command that changes memory spans as
 * many units as its most sampled source took samples in it (at least
 * one), so that a command charging 100M is wide and a mkdir narrow; its
 * end is a gridline labelled "LINE: command". y: MB.
 *
 * Per cgroup, one colour: memory.current (thick) and memory.swap.current
 * (thin) as lines through the samples; memory.min, low, high and max as
 * dashed steps (four dash patterns); memory.events low, high, max, oom
 * and oom_kill as markers where they grew, each with its count; a
 * removed cgroup still charged (dying) goes on, faded, until it is freed,
 * and a marker shows where it was removed. With two sources (compare)
 * the second (the kernel) is drawn lighter on the same axes; the limits
 * are the first source's.
 *
 * For DOM queries (tests, the HTML page's script), elements carry
 * classes and data attributes: the <svg> data-samples (the first
 * source's frames), series paths class "series S" (S: current, swap,
 * min, low, high, max; plus "dying"), data-cgroup, data-source and
 * data-points; markers class "marker ev-E" (E: low, high, max, oom,
 * oom_kill, removed) with data-count; legend entries class "legend".
 */
#ifndef MEMCG_TOOL_PLOT_SVG_H
#define MEMCG_TOOL_PLOT_SVG_H

#include <stdio.h>

#include "plot_data.h"

#define PLOT_MAX_SOURCES 2

/**
 * struct plot_layout - where things go
 * @src: the sources, the first one's cgroups and limits lead
 * @nr_src: 1 or 2
 * @start: per command, its first x unit (commands of no span: their
 *         predecessor's end)
 * @span: per command, its units
 * @units: the whole x range
 * @left, @top, @width, @height: the plot area, in pixels
 * @ymax: bytes at the top of the area
 */
struct plot_layout {
	const struct plot_data *src[PLOT_MAX_SOURCES];
	int nr_src;
	double *start;
	uint32_t *span;
	double units;
	double left, top, width, height;
	double ymax;
};

/**
 * plot_layout_init - lay out @nr sources on common axes
 * @l: layout
 * @src: sources, all of the same scenario
 * @nr: 1 or PLOT_MAX_SOURCES
 *
 * Return: 0 or -ENOMEM.
 */
int plot_layout_init(struct plot_layout *l, const struct plot_data *const *src,
		     int nr);

/** plot_layout_free - free what plot_layout_init() allocated */
void plot_layout_free(struct plot_layout *l);

/** plot_x - the pixel x of frame @f of source @s */
double plot_x(const struct plot_layout *l, int s, uint32_t f);

/** plot_y - the pixel y of @bytes */
double plot_y(const struct plot_layout *l, int64_t bytes);

/** plot_svg_size - the picture's width and height in pixels */
void plot_svg_size(const struct plot_layout *l, double *w, double *h);

/**
 * plot_svg_write - the picture
 * @f: output
 * @l: layout
 * @standalone: with the XML declaration (an .svg file), else inline
 *              (an HTML page)
 */
void plot_svg_write(FILE *f, const struct plot_layout *l, bool standalone);

/**
 * plot_xml_text - @s as XML text: markup characters as entities, control
 * bytes as "\xNN"; at most @max bytes, then "..."
 */
void plot_xml_text(FILE *f, const char *s, size_t max);

/** plot_colour - the colour of cgroup @i ("#1f77b4", ...) */
const char *plot_colour(int i);

#endif /* MEMCG_TOOL_PLOT_SVG_H */
