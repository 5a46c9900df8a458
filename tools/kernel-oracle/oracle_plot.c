// SPDX-License-Identifier: MIT
/*
 * The kernel's timeline, and the engine's over it (oracle_plot.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"
#include "oracle_plot.h"
#include "plot_lines.h"

int oracle_plot_open(struct oracle_plot *p, const char *cmd, const char *path,
		     const struct scenario *s, bool compare)
{
	char why[1024], esc[4096];
	int fd, err;

	memset(p, 0, sizeof(*p));
	if (!strcmp(path, "-")) {
		fprintf(stderr, "memcg %s: --plot -: standard output has the "
			"results; name a file (.svg or .html)\n", cmd);
		return 2;
	}
	err = plot_out_open(&p->out, path, why, sizeof(why));
	if (!err && p->out.format == PLOT_SAMPLES) {
		plot_out_abort(&p->out);
		err = -EINVAL;
	}
	if (err == -EINVAL)	/* pictures only here */
		snprintf(why, sizeof(why), "%s: unknown output format (.svg, "
			 ".html or .htm)", path);
	if (err) {
		fprintf(stderr, "memcg %s: %s\n", cmd,
			scn_escape(why, esc, sizeof(esc)));
		return 2;
	}
	if (plot_data_init(&p->kernel, s, "kernel", 0) ||
	    (compare && plot_data_init(&p->engine, s, "engine", 0))) {
		fprintf(stderr, "memcg %s: out of memory\n", cmd);
		goto fail;
	}
	if (compare) {
		snprintf(p->engine_tmp, sizeof(p->engine_tmp),
			 "/tmp/memcg-plot-XXXXXX.samples");
		fd = mkstemps(p->engine_tmp, 8);
		if (fd < 0) {
			fprintf(stderr, "memcg %s: %s: %s\n", cmd,
				p->engine_tmp, strerror(errno));
			p->engine_tmp[0] = '\0';
			goto fail;
		}
		close(fd);
	}
	return 0;
fail:
	oracle_plot_abort(p);
	return 2;
}

void oracle_plot_line(const char *line, void *arg)
{
	struct oracle_plot *p = arg;
	int r;

	if (strncmp(line, PLOT_LINE_TAG, strlen(PLOT_LINE_TAG))) {
		p->fn(line, p->arg);
		return;
	}
	if (p->boots)
		return;		/* --repeat: the first boot's */
	r = plot_lines_parse(&p->kernel, line);
	if (r < 0)
		p->bad++;
}

int oracle_plot_finish(struct oracle_plot *p, const char *cmd)
{
	const struct plot_data *src[2];
	char esc[4096];
	int nr = 0, err;

	if (p->engine_tmp[0]) {
		err = plot_lines_read(&p->engine, p->engine_tmp);
		if (err) {
			fprintf(stderr, "memcg %s: the engine's samples: %s\n",
				cmd, errname(err));
			oracle_plot_abort(p);
			return 2;
		}
		src[nr++] = &p->engine;
	}
	src[nr++] = &p->kernel;
	if (p->bad)
		fprintf(stderr, "memcg %s: %u malformed sample lines from the "
			"player\n", cmd, p->bad);
	scn_escape(p->out.path, esc, sizeof(esc));
	err = plot_out_write(&p->out, src, nr);
	if (err) {
		fprintf(stderr, "memcg %s: %s: %s\n", cmd, esc, errname(err));
		oracle_plot_abort(p);
		return 2;
	}
	err = plot_out_commit(&p->out);
	if (err)
		fprintf(stderr, "memcg %s: %s: %s\n", cmd, esc, errname(err));
	else
		fprintf(stderr, "memcg %s: wrote %s\n", cmd, esc);
	oracle_plot_abort(p);	/* the rest */
	return err ? 2 : 0;
}

void oracle_plot_abort(struct oracle_plot *p)
{
	plot_out_abort(&p->out);
	if (p->engine_tmp[0])
		unlink(p->engine_tmp);
	p->engine_tmp[0] = '\0';
	plot_data_free(&p->kernel);
	plot_data_free(&p->engine);
}
