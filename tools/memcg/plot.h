/* SPDX-License-Identifier: MIT */
/*
 * `memcg plot FILE -o OUT.svg`: run a scenario on the engine, sampling
 * every cgroup after each command, and draw the timeline as SVG.
 */
#ifndef MEMCG_TOOL_PLOT_H
#define MEMCG_TOOL_PLOT_H

#include "run.h"
#include "scenario.h"

/**
 * plot_scenario - run @s and write its timeline to @path
 * @s: scenario
 * @o: run options (the run's own output is discarded)
 * @path: the SVG file to write, or "-" for standard output
 *
 * x: the commands that can change memory (every one but show and
 * expect), in order, after a "start" sample, each labelled with its line
 * number and text; y: MB. Per cgroup, one colour: memory.current
 * (solid), memory.swap.current (dotted), memory.max (long dashes) and
 * memory.high (short dashes), as steps; markers where memory.events
 * high, max, oom and oom_kill grow.
 *
 * Return: 0 if every expect held, 1 if one failed, or a negative errno
 * (engine creation, writing @path).
 */
int plot_scenario(const struct scenario *s, const struct run_opts *o,
		  const char *path);

#endif /* MEMCG_TOOL_PLOT_H */
