// SPDX-License-Identifier: MIT
/*
 * The engine's side of a plot: points where commands end and, through
 * the simulator's progress hook, within them (plot_engine.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memcg/sim.h"
#include "plot_engine.h"

struct plot_sampler {
	struct plot_data *d;
	struct run *r;
	struct memcg_engine *e;
	char *buf;			/* a control file's content */
	uint64_t bytes;			/* progress since the last point */
	uint64_t last_ns;		/* the clock at the last point */
	struct plot_cell *cells;	/* the point being filled */
};

#define BUF_LEN 8192

/* A number from file @name of @cg, PLOT_NO_LIMIT for "max". */
static int64_t read_num(struct plot_sampler *ps, struct mem_cgroup *cg,
			const char *name)
{
	int64_t n;

	if (memcg_read(cg, name, ps->buf, BUF_LEN) < 0)
		return PLOT_UNSET;
	ps->buf[strcspn(ps->buf, "\n")] = '\0';
	if (scn_parse_value(ps->buf, &n))
		return PLOT_UNSET;
	return n >= ((int64_t)1 << 62) ? PLOT_NO_LIMIT : n;
}

/* memory.stat's key @key of @cg. */
static int64_t read_stat(struct plot_sampler *ps, struct mem_cgroup *cg,
			 const char *key)
{
	char val[32];
	int64_t n;

	if (memcg_read(cg, "memory.stat", ps->buf, BUF_LEN) < 0 ||
	    report_pick_key(ps->buf, key, val, sizeof(val)) ||
	    scn_parse_value(val, &n))
		return PLOT_UNSET;
	return n;
}

/* The root has no memory.current: what its memory.stat charges. */
static void read_root(struct plot_sampler *ps, struct mem_cgroup *cg,
		      struct plot_cell *x)
{
	static const char *const keys[] = { "anon", "file", "kernel", "sock" };
	int64_t sum = 0;

	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		int64_t v = read_stat(ps, cg, keys[k]);

		if (v != PLOT_UNSET)
			sum += v;
	}
	x->v[PS_CURRENT] = sum;
}

static void read_v1(struct plot_sampler *ps, struct mem_cgroup *cg,
		    struct plot_cell *x)
{
	x->v[PS_CURRENT] = read_num(ps, cg, "memory.usage_in_bytes");
	x->v[PS_MAX] = read_num(ps, cg, "memory.limit_in_bytes");
	x->v[PS_SWAP] = read_num(ps, cg, "memory.memsw.usage_in_bytes");
	if (x->v[PS_SWAP] != PLOT_UNSET && x->v[PS_CURRENT] != PLOT_UNSET)
		x->v[PS_SWAP] -= x->v[PS_CURRENT];
	x->ev[PE_MAX] = read_num(ps, cg, "memory.failcnt");
}

static void read_v2(struct plot_sampler *ps, struct mem_cgroup *cg,
		    struct plot_cell *x)
{
	static const char *const files[PS_NR] = {
		[PS_CURRENT] = "memory.current",
		[PS_SWAP] = "memory.swap.current",
		[PS_MIN] = "memory.min", [PS_LOW] = "memory.low",
		[PS_HIGH] = "memory.high", [PS_MAX] = "memory.max",
	};

	for (int i = 0; i < PS_NR; i++)
		x->v[i] = read_num(ps, cg, files[i]);
	if (memcg_read(cg, "memory.events", ps->buf, BUF_LEN) >= 0)
		plot_parse_events(ps->buf, x->ev);
}

/* memcg_for_each_dying(): a removed cgroup not online again. */
static void read_dying(const struct memcg_dying *dy, void *arg)
{
	struct plot_sampler *ps = arg;
	int c = plot_data_cgroup(ps->d, dy->path);
	struct plot_cell *x;

	if (c < 0)
		return;
	x = &ps->cells[c];
	if (x->state != PC_NONE)
		return;
	x->state = PC_DYING;
	x->v[PS_CURRENT] = (int64_t)dy->memory;
	x->v[PS_SWAP] = (int64_t)dy->swap;
}

/* A point in command @cmd: every cgroup's values, if the stride takes it. */
static void take_point(struct plot_sampler *ps, int cmd, bool last)
{
	struct plot_data *d = ps->d;
	uint64_t now = memcg_clock_ns(ps->e);

	ps->bytes = 0;
	ps->last_ns = now;
	ps->cells = last ? plot_data_last_point(d, cmd, now) :
			   plot_data_point(d, cmd, now);
	if (!ps->cells)
		return;
	for (int c = 0; c < d->nr_cg; c++) {
		struct plot_cell *x = &ps->cells[c];
		struct mem_cgroup *cg;

		if (memcg_lookup(ps->e, d->paths[c], &cg))
			continue;
		x->state = PC_ONLINE;
		if (!strcmp(d->paths[c], "."))
			read_root(ps, cg, x);
		else if (d->v1)
			read_v1(ps, cg, x);
		else
			read_v2(ps, cg, x);
		memcg_put(cg);
	}
	memcg_for_each_dying(ps->e, read_dying, ps);
}

/* memcg_sim_set_progress(): a point per PLOT_SAMPLE_BYTES or _NS. */
static void progress(void *priv, struct memcg_task *t, long nr_pages)
{
	struct plot_sampler *ps = priv;
	uint64_t now = memcg_clock_ns(ps->e);

	(void)t;
	ps->bytes += (uint64_t)nr_pages * 4096;
	if (ps->bytes >= PLOT_SAMPLE_BYTES ||
	    now - ps->last_ns >= PLOT_SAMPLE_NS)
		take_point(ps, (int)run_next_index(ps->r) - 1, false);
}

int plot_sampler_attach(struct plot_data *d, struct run *r,
			struct plot_sampler **out)
{
	struct plot_sampler *ps = calloc(1, sizeof(*ps));
	int err = -ENOMEM;

	*out = NULL;
	if (!ps || !(ps->buf = malloc(BUF_LEN)))
		goto fail;
	ps->d = d;
	ps->r = r;
	ps->e = run_engine(r);
	err = memcg_sim_set_progress(ps->e, progress, ps);
	if (err)
		goto fail;
	take_point(ps, -1, false);
	*out = ps;
	return 0;
fail:
	if (ps)
		free(ps->buf);
	free(ps);
	return err;
}

/* show and expect lines change nothing: no point where they end. */
static bool changes_state(const struct scn_cmd *c)
{
	return c->type != SCN_SHOW && c->type != SCN_EXPECT &&
	       c->type != SCN_EXPECT_TASK;
}

void plot_sampler_run(struct plot_sampler *ps)
{
	const struct scenario *s = ps->d->s;
	int last = -1;

	while (run_step(ps->r)) {
		int cmd = (int)run_next_index(ps->r) - 1;

		if (changes_state(&s->cmds[cmd])) {
			take_point(ps, cmd, false);
			last = cmd;
		}
	}
	/* the end of the run, whatever the stride */
	take_point(ps, last, true);
	memcg_sim_set_progress(ps->e, NULL, NULL);
}

void plot_sampler_free(struct plot_sampler *ps)
{
	if (!ps)
		return;
	free(ps->buf);
	free(ps);
}
