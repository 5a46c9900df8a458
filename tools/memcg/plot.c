// SPDX-License-Identifier: MIT
/*
 * The timeline plot of an engine run: sample it, draw it (plot.h).
 */
#include <errno.h>
#include <string.h>

#include "errname.h"
#include "plot.h"
#include "plot_engine.h"

int plot_open(struct plot_out *o, const char *cmd, const char *path)
{
	char why[1024], esc[4096];
	int err = plot_out_open(o, path, why, sizeof(why));

	if (err)
		fprintf(stderr, "memcg %s: %s\n", cmd,
			scn_escape(why, esc, sizeof(esc)));
	return err;
}

int plot_engine_data(struct run *r, struct plot_data *d)
{
	struct plot_sampler *ps;
	int err = plot_data_init(d, run_scenario(r), "engine", 0);

	if (err)
		return err;
	err = plot_sampler_attach(d, r, &ps);
	if (err) {
		plot_data_free(d);
		return err;
	}
	plot_sampler_run(ps);
	plot_sampler_free(ps);
	return 0;
}

int plot_run(struct run *r, struct plot_out *o)
{
	const struct plot_data *src[1];
	struct plot_data d;
	int err = plot_engine_data(r, &d);

	if (!err) {
		src[0] = &d;
		err = plot_out_write(o, src, 1);
		plot_data_free(&d);
	}
	if (err) {
		plot_out_abort(o);
		return err;
	}
	return plot_out_commit(o);
}

int plot_scenario(const struct scenario *s, const struct run_opts *o,
		  const char *path)
{
	struct plot_out out;
	struct run *r;
	int ret;

	ret = plot_open(&out, "plot", path);
	if (ret)
		return ret;
	ret = run_create(s, o, NULL, &r);
	if (ret) {
		plot_out_abort(&out);
		run_create_error(s, ret);
		return ret;
	}
	ret = plot_run(r, &out);
	if (ret) {
		char esc[4096];

		fprintf(stderr, "memcg plot: %s: %s\n",
			scn_escape(path, esc, sizeof(esc)), errname(ret));
	}
	else
		ret = run_exit_code(r);
	run_destroy(r);
	return ret;
}
