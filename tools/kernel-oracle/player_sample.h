/* SPDX-License-Identifier: MIT */
/*
 * The player's samples for `memcg kernel --plot` and `memcg compare
 * --plot` (player --samples): a thread reads memory.current,
 * memory.swap.current, min, low, high, max and memory.events of every
 * cgroup of the scenario every PSAMPLE_PERIOD_NS of the run (v1: usage,
 * memsw, limit and failcnt; the root: memory.stat's anon + file + kernel
 * + sock), and the player takes one more where each command that can
 * change memory ends. They go out as sample lines (plot_lines.h) after
 * that command's own lines: only the player's thread writes stdout.
 *
 * A removed cgroup is gone from the kernel's files: its dying life is
 * not sampled (the engine's plot shows it). Samples past PSAMPLE_MAX_BUF
 * bytes within one command are dropped.
 */
#ifndef MEMCG_ORACLE_PLAYER_SAMPLE_H
#define MEMCG_ORACLE_PLAYER_SAMPLE_H

#include <stdbool.h>
#include <stdio.h>

#include "scenario.h"

#define PSAMPLE_PERIOD_NS	10000000L	/* 10 ms */
#define PSAMPLE_MAX_BUF		(32u << 20)

struct psample;

/**
 * psample_start - take the first sample and start the sampling thread
 * @out: the sampler
 * @s: the scenario (its cgroups)
 * @root: the cgroup hierarchy's mount point
 * @v1: cgroup v1 files
 *
 * Return: 0, -ENOMEM, or pthread_create()'s error, negated.
 */
int psample_start(struct psample **out, const struct scenario *s,
		  const char *root, bool v1);

/**
 * psample_command - command @cmd (an index of the scenario) starts;
 * sampled if it can change memory (not show or expect)
 */
void psample_command(struct psample *ps, int cmd);

/**
 * psample_end - command @cmd ended: its last sample (if it can change
 * memory), then every sample line taken since the last call, on @out
 */
void psample_end(struct psample *ps, int cmd, FILE *out);

/** psample_stop - stop the thread and free @ps (NULL: nothing) */
void psample_stop(struct psample *ps);

#endif /* MEMCG_ORACLE_PLAYER_SAMPLE_H */
