/* SPDX-License-Identifier: MIT */
/*
 * Samples as text lines, one per frame: how the kernel oracle's player
 * sends its samples to the host, how `memcg compare` gets the engine's
 * from its `memcg run --plot FILE.samples`, and the .samples output.
 *
 *   @@SAMPLE CMD MS CG=CUR,SWAP,MIN,LOW,HIGH,MAX,LOW#,HIGH#,MAX#,OOM#,KILL#[,d] ...
 *
 * CMD is the command's index in the scenario (-1 before the first), MS
 * the time (engine: the virtual clock; kernel: since the player began),
 * CG the cgroup's index in plot_data_init()'s order (the same scenario
 * gives the same order on both sides), then its series (enum
 * plot_series) and memory.events counts (enum plot_event): a number, "-"
 * when not read, "max"; ",d" marks a dying cgroup. A cgroup that is not
 * there is left out.
 */
#ifndef MEMCG_TOOL_PLOT_LINES_H
#define MEMCG_TOOL_PLOT_LINES_H

#include <stdio.h>

#include "plot_data.h"

#define PLOT_LINE_TAG "@@SAMPLE "

/**
 * plot_lines_write - one frame as a sample line (with its newline)
 * @out: where
 * @cmd: the command index, -1 before the first
 * @ns: its time
 * @cells: the frame's cells, @nr of them
 * @nr: the cgroup count
 */
void plot_lines_write(FILE *out, int cmd, uint64_t ns,
		      const struct plot_cell *cells, int nr);

/**
 * plot_lines_parse - take one sample line into @d (a point of its
 * command, plot_data_point())
 * @d: data set of the scenario the line's sender ran
 * @line: a line, without its newline
 *
 * Return: 1 for a sample line, 0 for any other line, -EINVAL for a
 * malformed sample line (an index out of range, a bad number).
 */
int plot_lines_parse(struct plot_data *d, const char *line);

/**
 * plot_lines_read - every sample line of file @path into @d
 *
 * Return: 0, or a negative errno (the file; -EINVAL: a malformed line).
 */
int plot_lines_read(struct plot_data *d, const char *path);

#endif /* MEMCG_TOOL_PLOT_LINES_H */
