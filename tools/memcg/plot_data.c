// SPDX-License-Identifier: MIT
/*
 * A plot's samples in bounded memory, decimated by doubling the stride
 * (plot_data.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plot_data.h"
#include "report.h"

static const char *const event_names[PE_NR] = {
	[PE_LOW] = "low", [PE_HIGH] = "high", [PE_MAX] = "max",
	[PE_OOM] = "oom", [PE_OOM_KILL] = "oom_kill",
};

const char *plot_event_name(enum plot_event ev)
{
	return event_names[ev];
}

/* Add the root as a series when a task lives there. */
static bool root_has_tasks(const struct scenario *s)
{
	for (size_t i = 0; i < s->nr_cmds; i++)
		if ((s->cmds[i].type == SCN_TASK ||
		     s->cmds[i].type == SCN_MOVE) &&
		    !strcmp(s->cmds[i].cgroup, "."))
			return true;
	return false;
}

int plot_data_init(struct plot_data *d, const struct scenario *s,
		   const char *label, uint32_t max_frames)
{
	uint64_t cap;

	memset(d, 0, sizeof(*d));
	d->s = s;
	d->label = label;
	d->v1 = s->machine.mode == SCN_MODE_V1;
	d->cur_cmd = -1;
	d->stride = 1;
	d->paths = calloc(s->nr_cgroups + 1, sizeof(*d->paths));
	d->n_sub = calloc(s->nr_cmds + 1, sizeof(*d->n_sub));
	if (!d->paths || !d->n_sub)
		goto fail;
	if (root_has_tasks(s) || !s->nr_cgroups)
		d->paths[d->nr_cg++] = ".";
	for (size_t i = 0; i < s->nr_cgroups; i++)
		d->paths[d->nr_cg++] = s->cgroups[i];
	cap = PLOT_MAX_CELLS / (uint64_t)d->nr_cg;
	if (cap > PLOT_MAX_FRAMES)
		cap = PLOT_MAX_FRAMES;
	if (cap < PLOT_MIN_FRAMES)
		cap = PLOT_MIN_FRAMES;
	d->max_frames = max_frames && max_frames < cap ? max_frames :
							 (uint32_t)cap;
	if (d->max_frames < 2)
		d->max_frames = 2;
	d->frames = calloc(d->max_frames, sizeof(*d->frames));
	d->cells = calloc((size_t)d->max_frames * d->nr_cg, sizeof(*d->cells));
	if (!d->frames || !d->cells)
		goto fail;
	return 0;
fail:
	plot_data_free(d);
	return -ENOMEM;
}

void plot_data_free(struct plot_data *d)
{
	free(d->paths);
	free(d->n_sub);
	free(d->frames);
	free(d->cells);
	memset(d, 0, sizeof(*d));
}

/* Keep the frames whose number is a multiple of twice the stride. */
static void decimate(struct plot_data *d)
{
	uint64_t keep = d->stride * 2;
	uint32_t n = 0;

	for (uint32_t f = 0; f < d->nr_frames; f++) {
		/* the first frame (the start) always stays */
		if (f && d->frames[f].nr % keep)
			continue;
		if (n != f) {
			d->frames[n] = d->frames[f];
			memcpy(plot_data_cell(d, n, 0), plot_data_cell(d, f, 0),
			       d->nr_cg * sizeof(*d->cells));
		}
		n++;
	}
	d->nr_frames = n;
	d->stride = keep;
}

/* A frame for point @nr, at the @cmd's sample it counted as. */
static struct plot_cell *append(struct plot_data *d, int cmd, uint64_t nr,
				uint64_t clock_ns)
{
	struct plot_frame *fr;
	struct plot_cell *cells;

	while (d->nr_frames >= d->max_frames) {
		uint32_t before = d->nr_frames;

		decimate(d);
		if (d->nr_frames == before)	/* nothing to drop: */
			d->nr_frames--;		/* it replaces the last */
	}
	fr = &d->frames[d->nr_frames];
	fr->cmd = cmd;
	fr->sub = cmd >= 0 ? d->n_sub[cmd] : 0;
	fr->nr = nr;
	fr->clock_ns = clock_ns;
	cells = plot_data_cell(d, d->nr_frames, 0);
	for (int c = 0; c < d->nr_cg; c++) {
		cells[c].state = PC_NONE;
		for (int i = 0; i < PS_NR; i++)
			cells[c].v[i] = PLOT_UNSET;
		for (int i = 0; i < PE_NR; i++)
			cells[c].ev[i] = PLOT_UNSET;
	}
	d->nr_frames++;
	return cells;
}

struct plot_cell *plot_data_point(struct plot_data *d, int cmd,
				  uint64_t clock_ns)
{
	uint64_t nr = d->nr_points++;

	if (cmd >= 0)
		d->n_sub[cmd]++;
	if (nr % d->stride)
		return NULL;
	return append(d, cmd, nr, clock_ns);
}

struct plot_cell *plot_data_last_point(struct plot_data *d, int cmd,
				       uint64_t clock_ns)
{
	if (!d->nr_points)
		return plot_data_point(d, cmd, clock_ns);
	if (d->nr_frames && d->frames[d->nr_frames - 1].nr == d->nr_points - 1)
		return NULL;
	return append(d, cmd, d->nr_points - 1, clock_ns);
}

int plot_data_cgroup(const struct plot_data *d, const char *path)
{
	for (int c = 0; c < d->nr_cg; c++)
		if (!strcmp(d->paths[c], path))
			return c;
	return -1;
}

void plot_parse_events(const char *content, int64_t ev[PE_NR])
{
	for (int i = 0; i < PE_NR; i++) {
		char buf[32];
		int64_t n;

		ev[i] = PLOT_UNSET;
		if (!report_pick_key(content, event_names[i], buf, sizeof(buf)) &&
		    !scn_parse_value(buf, &n))
			ev[i] = n;
	}
}
