/* SPDX-License-Identifier: MIT */
/*
 * Sampling a run on the engine for a plot (plot_data.h): a point before
 * the first command, one where each command that can change memory ends
 * (every one but show and expect), and points within a command, through
 * the simulator's progress hook (memcg_sim_set_progress()): after every
 * PLOT_SAMPLE_BYTES a task faulted in, swapped in, read or wrote, or
 * every PLOT_SAMPLE_NS of the virtual clock (memory.high penalties),
 * whichever comes first.
 *
 * Each point reads, per cgroup, memory.current, memory.swap.current,
 * min, low, high, max and memory.events (v1: usage, memsw, limit and
 * failcnt; the root: the sum of memory.stat's anon, file, kernel and
 * sock); a removed cgroup still charged is read through
 * memcg_for_each_dying() and drawn as dying until it is freed (a path
 * created again shows its new cgroup).
 */
#ifndef MEMCG_TOOL_PLOT_ENGINE_H
#define MEMCG_TOOL_PLOT_ENGINE_H

#include "plot_data.h"
#include "run.h"

#define PLOT_SAMPLE_BYTES	(1ULL << 20)
#define PLOT_SAMPLE_NS		10000000ULL	/* 10 ms */

struct plot_sampler;

/**
 * plot_sampler_attach - sample @r into @d from now on
 * @d: an empty data set for @r's scenario
 * @r: a run that has not started
 * @out: the sampler
 *
 * Takes the first point and registers the progress hook.
 *
 * Return: 0, -ENOMEM, or memcg_sim_set_progress()'s error.
 */
int plot_sampler_attach(struct plot_data *d, struct run *r,
			struct plot_sampler **out);

/**
 * plot_sampler_run - run_all() with a point where each command ends
 * @ps: sampler
 *
 * Then the run's last point, and the hook is removed.
 */
void plot_sampler_run(struct plot_sampler *ps);

/** plot_sampler_free - remove the hook (if still there) and free @ps */
void plot_sampler_free(struct plot_sampler *ps);

#endif /* MEMCG_TOOL_PLOT_ENGINE_H */
