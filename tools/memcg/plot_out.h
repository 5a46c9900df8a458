/* SPDX-License-Identifier: MIT */
/*
 * Where a plot goes: the format from the file name's extension (.svg,
 * .html/.htm for a self-contained page with hover values, .samples for
 * the samples as text lines (plot_lines.h); "-" is SVG on standard
 * output), written to a temporary file beside it and renamed
 * into place when complete, so that a failed run leaves nothing
 * half-written.
 */
#ifndef MEMCG_TOOL_PLOT_OUT_H
#define MEMCG_TOOL_PLOT_OUT_H

#include <stdio.h>

#include "plot_svg.h"

enum plot_format {
	PLOT_SVG,
	PLOT_HTML,
	PLOT_SAMPLES,	/* .samples: the first source's frames (plot_lines.h) */
};

/**
 * struct plot_out - an output being written
 * @path: where it goes ("-": standard output)
 * @tmp: the temporary file's name (malloc'd), or NULL for stdout
 * @f: the stream
 * @format: from @path's extension
 */
struct plot_out {
	const char *path;
	char *tmp;
	FILE *f;
	enum plot_format format;
};

/**
 * plot_out_open - check @path's extension and create its temporary file
 * @o: output
 * @path: OUT.svg, OUT.html, OUT.htm, OUT.samples or "-"
 * @why: receives one line saying what is wrong
 * @len: size of @why
 *
 * Return: 0, -EINVAL for an unknown extension, or the negative errno of
 * the temporary file's creation (an unwritable directory).
 */
int plot_out_open(struct plot_out *o, const char *path, char *why, size_t len);

/**
 * plot_out_write - draw @nr sources into @o in its format
 *
 * Return: 0 or -ENOMEM.
 */
int plot_out_write(struct plot_out *o, const struct plot_data *const *src,
		   int nr);

/**
 * plot_out_commit - flush, close and rename into place
 *
 * Return: 0, or the negative errno of the flush or rename (the temporary
 * file is removed).
 */
int plot_out_commit(struct plot_out *o);

/** plot_out_abort - close and remove the temporary file */
void plot_out_abort(struct plot_out *o);

/* plot_html.c: the page of a laid-out plot */
void plot_html_write(FILE *f, const struct plot_layout *l);

#endif /* MEMCG_TOOL_PLOT_OUT_H */
