/* SPDX-License-Identifier: MIT */
/*
 * `memcg kernel --plot OUT` and `memcg compare --plot OUT`: the player's
 * samples (player_sample.h, sent as sample lines, plot_lines.h) drawn as
 * the kernel's timeline; compare overlays the engine's (`memcg run
 * --plot TMP.samples`), solid, and the kernel's, lighter, on the same
 * axes. With --repeat, the first boot's samples.
 */
#ifndef MEMCG_ORACLE_PLOT_H
#define MEMCG_ORACLE_PLOT_H

#include <stdbool.h>

#include "plot_out.h"
#include "scenario.h"

/**
 * struct oracle_plot - a plot being made
 * @out: the output (plot_out.h)
 * @kernel: the first boot's samples
 * @engine: compare: the engine's
 * @engine_tmp: compare: the engine's .samples file
 * @fn: the player's lines that are not samples go on to it
 * @arg: for @fn
 * @boots: boots done (samples of the first only)
 * @bad: malformed sample lines
 */
struct oracle_plot {
	struct plot_out out;
	struct plot_data kernel;
	struct plot_data engine;
	char engine_tmp[64];
	void (*fn)(const char *line, void *arg);
	void *arg;
	unsigned boots;
	unsigned bad;
};

/**
 * oracle_plot_open - check the output name, create its temporary file
 * and, for compare, the engine's samples file
 * @p: the plot
 * @cmd: "kernel" or "compare", for the message
 * @path: OUT.svg or OUT.html (not "-": stdout has the results)
 * @s: the scenario
 * @compare: with the engine's side
 *
 * Return: 0, or 2 after one line on stderr.
 */
int oracle_plot_open(struct oracle_plot *p, const char *cmd, const char *path,
		     const struct scenario *s, bool compare);

/**
 * oracle_plot_line - a qemu_line_fn: sample lines of the first boot into
 * @arg's kernel samples, any other line to its @fn
 */
void oracle_plot_line(const char *line, void *arg);

/**
 * oracle_plot_finish - read the engine's samples (compare), draw, and
 * rename the output into place; on error one line on stderr
 * @p: the plot (freed)
 * @cmd: "kernel" or "compare"
 *
 * Return: 0, or 2 when the plot could not be written.
 */
int oracle_plot_finish(struct oracle_plot *p, const char *cmd);

/** oracle_plot_abort - remove the temporary files and free @p */
void oracle_plot_abort(struct oracle_plot *p);

#endif /* MEMCG_ORACLE_PLOT_H */
