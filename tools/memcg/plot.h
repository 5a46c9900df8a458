/* SPDX-License-Identifier: MIT */
/*
 * `memcg plot FILE -o OUT` and `memcg run FILE --plot OUT`: run a
 * scenario on the engine, sampling every cgroup within each command
 * (plot_engine.h), and draw the timeline as SVG or a self-contained HTML
 * page (plot_out.h, plot_svg.h).
 *
 * Files by concern: plot_data.c the samples in bounded memory,
 * plot_engine.c the engine's sampler, plot_kernel.c the kernel player's
 * samples, plot_svg.c the picture, plot_html.c the page, plot_out.c the
 * output file.
 */
#ifndef MEMCG_TOOL_PLOT_H
#define MEMCG_TOOL_PLOT_H

#include <stdio.h>

#include "plot_data.h"
#include "plot_out.h"
#include "run.h"
#include "scenario.h"

/**
 * plot_open - check an output file name and create its temporary file,
 * before any run; on error print one line "memcg CMD: WHY" on stderr
 * @o: output
 * @cmd: the command, for the message
 * @path: OUT.svg, OUT.html or "-"
 *
 * Return: 0 or a negative errno (the caller exits 2).
 */
int plot_open(struct plot_out *o, const char *cmd, const char *path);

/**
 * plot_run - run @r to the end, sampling it, and draw it into @o
 * @r: a run that has not started
 * @o: an output from plot_open(), committed (or removed on error)
 *
 * Return: 0 or a negative errno (memory, writing @o).
 */
int plot_run(struct run *r, struct plot_out *o);

/**
 * plot_engine_data - run @r to the end and keep its samples in @d
 * @r: a run that has not started
 * @d: receives the samples (plot_data_free() it)
 *
 * Return: 0 or a negative errno.
 */
int plot_engine_data(struct run *r, struct plot_data *d);

/**
 * plot_scenario - run @s quietly and write its timeline to @path
 * @s: scenario
 * @o: run options (the run's own output is discarded)
 * @path: OUT.svg, OUT.html, or "-" for SVG on standard output
 *
 * Return: 0 if every expect held, 1 if one failed, or a negative errno
 * (a bad output name, engine creation, writing @path).
 */
int plot_scenario(const struct scenario *s, const struct run_opts *o,
		  const char *path);

#endif /* MEMCG_TOOL_PLOT_H */
