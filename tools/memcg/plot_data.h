/* SPDX-License-Identifier: MIT */
/*
 * A plot's samples: frames (one per sampling point) of cells (one per
 * cgroup), in bounded memory. Filled by the engine's sampler
 * (plot_engine.c) or from the kernel player's sample lines
 * (plot_kernel.c); drawn by plot_svg.c and plot_html.c.
 *
 * Where a frame lies: in command @cmd (-1: before the first), its @sub-th
 * sample of n_sub[cmd], the last of which is taken when the command ends.
 * The x axis gives each command a span of 1 + its sample count, so that
 * a command that charged 100M spans a hundred samples and a mkdir one.
 *
 * Bounded: at most max_frames frames, max_frames * nr_cg at most
 * PLOT_MAX_CELLS (and at least PLOT_MIN_FRAMES frames). Every sampling
 * point has a number; when the frames are full, those whose number is not
 * a multiple of twice the stride are dropped and the stride doubles: the
 * frames kept stay evenly spread, and memory.events counts, which only
 * grow, lose no event, only where it happened.
 *
 * No libmemcg here: the kernel oracle's host side fills these too.
 */
#ifndef MEMCG_TOOL_PLOT_DATA_H
#define MEMCG_TOOL_PLOT_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario.h"

#define PLOT_MAX_CELLS		(1u << 17)	/* 11 MiB of cells */
#define PLOT_MAX_FRAMES		2048u
#define PLOT_MIN_FRAMES		8u

/* A value not read (no such file or key, a cgroup that does not exist). */
#define PLOT_UNSET		INT64_MIN
/* "max" (or v1's near-LONG_MAX unlimited). */
#define PLOT_NO_LIMIT		INT64_MAX

/* The lines of a cgroup. */
enum plot_series {
	PS_CURRENT,	/* memory.current (v1: memory.usage_in_bytes) */
	PS_SWAP,	/* memory.swap.current (v1: memsw less usage) */
	PS_MIN,
	PS_LOW,
	PS_HIGH,
	PS_MAX,		/* v1: memory.limit_in_bytes */
	PS_NR,
};

/* memory.events keys drawn as markers (v1: failcnt as "max"). */
enum plot_event {
	PE_LOW,
	PE_HIGH,
	PE_MAX,
	PE_OOM,
	PE_OOM_KILL,
	PE_NR,
};

/* What a cell's cgroup was at its frame. */
enum plot_state {
	PC_NONE,	/* not there (not yet created, or freed) */
	PC_ONLINE,
	PC_DYING,	/* removed, still charged (engine only) */
};

struct plot_cell {
	int64_t v[PS_NR];
	int64_t ev[PE_NR];
	uint8_t state;
};

struct plot_frame {
	int cmd;		/* -1: before the first command */
	uint32_t sub;		/* 1..n_sub[cmd]; 0 for cmd -1 */
	uint64_t nr;		/* the sampling point's number */
	uint64_t clock_ns;	/* engine: virtual clock; kernel: run time */
};

/**
 * struct plot_data - one source's samples (engine or kernel)
 * @s: the scenario (not owned)
 * @label: "engine" or "kernel", for legends
 * @paths: the cgroups, in legend order (not owned: the scenario's)
 * @nr_cg: how many
 * @v1: cgroup v1 files
 * @frames: @nr_frames of @max_frames
 * @cells: [frame * nr_cg + cg]
 * @n_sub: per command, the samples taken in it so far (its end included)
 * @cur_cmd: the command being sampled (plot_data_point())
 * @stride: take every stride-th sampling point
 * @nr_points: sampling points so far
 */
struct plot_data {
	const struct scenario *s;
	const char *label;
	const char **paths;
	int nr_cg;
	bool v1;
	struct plot_frame *frames;
	struct plot_cell *cells;
	uint32_t nr_frames, max_frames;
	uint32_t *n_sub;
	int cur_cmd;
	uint64_t stride;
	uint64_t nr_points;
};

/**
 * plot_data_init - an empty data set for the cgroups of @s
 * @d: data set
 * @s: scenario: the root ("."), when a task lives there or nothing is
 *     created, then every cgroup its mkdir lines name
 * @label: "engine" or "kernel"
 * @max_frames: 0 for the default (PLOT_MAX_FRAMES, bounded by cells)
 *
 * Return: 0 or -ENOMEM.
 */
int plot_data_init(struct plot_data *d, const struct scenario *s,
		   const char *label, uint32_t max_frames);

/** plot_data_free - free what plot_data_init() allocated */
void plot_data_free(struct plot_data *d);

/**
 * plot_data_point - a sampling point in command @cmd
 * @d: data set
 * @cmd: command index, -1 before the first
 * @clock_ns: its time
 *
 * Counts the point in @cmd's samples, and makes room by decimation when
 * the frames are full.
 *
 * Return: the frame's cells to fill (each starts PC_NONE, every value
 * PLOT_UNSET), or NULL when the stride skips this point.
 */
struct plot_cell *plot_data_point(struct plot_data *d, int cmd,
				  uint64_t clock_ns);

/**
 * plot_data_last_point - the last point counted, taken now if the stride
 * skipped it (the run's end must be drawn)
 * @d: data set
 * @cmd: the command it counted in
 * @clock_ns: its time
 *
 * Return: the cells to fill, or NULL when the point has its frame.
 */
struct plot_cell *plot_data_last_point(struct plot_data *d, int cmd,
				       uint64_t clock_ns);

/** plot_data_cell - the cell of cgroup @cg in frame @f */
static inline struct plot_cell *plot_data_cell(const struct plot_data *d,
					       uint32_t f, int cg)
{
	return &d->cells[(uint64_t)f * d->nr_cg + cg];
}

/**
 * plot_data_cgroup - the index of cgroup @path, or -1
 */
int plot_data_cgroup(const struct plot_data *d, const char *path);

/**
 * plot_parse_events - the drawn keys of a memory.events content
 * @content: "low 0\nhigh 3\n..."
 * @ev: receives each key's count, PLOT_UNSET for a missing key
 */
void plot_parse_events(const char *content, int64_t ev[PE_NR]);

/** plot_event_name - "low", "high", "max", "oom", "oom_kill" */
const char *plot_event_name(enum plot_event ev);

#endif /* MEMCG_TOOL_PLOT_DATA_H */
