/* SPDX-License-Identifier: MIT */
/*
 * The live view of a run: `memcg run --top`, a cgtop-like table of the
 * scenario's cgroups (cgroup, current, swap, high, max, the non-zero
 * memory.events counters) while it runs, and the progress line on stderr
 * of any long run.
 *
 * --top on a terminal: the table is redrawn in place (ANSI: cursor home,
 * clear screen) after a command when at least 100 ms of real time passed
 * since the last redraw, and once more at the end; the run's own lines
 * wait in memory and follow the last table. When stdout is not a
 * terminal: a table after every TOP_EVERY-th command and after the last
 * one, each headed "# top: command K of N (line L)", between the run's
 * lines.
 *
 * The progress line: when stderr is a terminal and the run has gone on
 * for more than 2 s of real time (MEMCG_PROGRESS_AFTER_MS overrides the
 * 2000 ms), "memcg: FILE: command K of N (line L), T s" on stderr,
 * rewritten in place at most every 100 ms and erased at the end. Not with
 * --top on a terminal, whose table says as much.
 */
#ifndef MEMCG_TOOL_TOP_H
#define MEMCG_TOOL_TOP_H

#include <stdbool.h>
#include <stdio.h>

#include "run.h"
#include "scenario.h"

#define TOP_EVERY		10	/* commands between tables, not a tty */
#define TOP_REDRAW_MS		100	/* between redraws on a terminal */
#define TOP_PROGRESS_AFTER_MS	2000	/* before the progress line shows */

/**
 * top_print_table - the table of the scenario's online cgroups
 * @e: the engine
 * @s: the scenario (its mkdir lines name the cgroups)
 * @out: where
 */
void top_print_table(struct memcg_engine *e, const struct scenario *s,
		     FILE *out);

/**
 * top_run_all - run every remaining command with the live view
 * @r: the run
 * @s: its scenario
 * @top: --top: draw the table on @out
 * @out: where the table goes (stdout); on a terminal the caller keeps
 *       the run's own lines aside until this returns
 *
 * Without @top, only the progress line. Same as run_all() otherwise.
 */
void top_run_all(struct run *r, const struct scenario *s, bool top,
		 FILE *out);

/**
 * top_wants_tty - whether --top redraws in place: @out is a terminal
 * @out: stdout
 */
bool top_wants_tty(FILE *out);

#endif /* MEMCG_TOOL_TOP_H */
