// SPDX-License-Identifier: MIT
/*
 * A plot's output file: format by extension, temporary file, rename
 * (plot_out.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot_lines.h"
#include "plot_out.h"

static int format_of(const char *path, enum plot_format *fmt)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (!strcmp(path, "-")) {
		*fmt = PLOT_SVG;
		return 0;
	}
	if (!dot || (slash && dot < slash))
		return -EINVAL;
	if (!strcasecmp(dot, ".svg"))
		*fmt = PLOT_SVG;
	else if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
		*fmt = PLOT_HTML;
	else if (!strcasecmp(dot, ".samples"))
		*fmt = PLOT_SAMPLES;
	else
		return -EINVAL;
	return 0;
}

int plot_out_open(struct plot_out *o, const char *path, char *why, size_t len)
{
	int fd, err;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (format_of(path, &o->format)) {
		snprintf(why, len, "%s: unknown output format (.svg, .html, "
			 ".htm or .samples)", path);
		return -EINVAL;
	}
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	if (asprintf(&o->tmp, "%s.XXXXXX", path) < 0) {
		o->tmp = NULL;
		snprintf(why, len, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		err = -errno;
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		snprintf(why, len, "%s: cannot write: %s", path, strerror(-err));
		free(o->tmp);
		o->tmp = NULL;
		return err;
	}
	fchmod(fd, 0644);	/* as a plain fopen() would under umask 022 */
	return 0;
}

int plot_out_write(struct plot_out *o, const struct plot_data *const *src,
		   int nr)
{
	struct plot_layout l;
	int err;

	if (o->format == PLOT_SAMPLES) {
		const struct plot_data *d = src[0];

		for (uint32_t k = 0; k < d->nr_frames; k++)
			plot_lines_write(o->f, d->frames[k].cmd,
					 d->frames[k].clock_ns,
					 plot_data_cell(d, k, 0), d->nr_cg);
		return 0;
	}
	err = plot_layout_init(&l, src, nr);
	if (err)
		return err;
	if (o->format == PLOT_HTML)
		plot_html_write(o->f, &l);
	else
		plot_svg_write(o->f, &l, true);
	plot_layout_free(&l);
	return 0;
}

int plot_out_commit(struct plot_out *o)
{
	int err = 0;

	if (!o->tmp)
		return fflush(o->f) || ferror(o->f) ? -EIO : 0;
	if (fflush(o->f) || ferror(o->f) || fsync(fileno(o->f)))
		err = errno ? -errno : -EIO;
	if (fclose(o->f) && !err)
		err = -errno;
	o->f = NULL;
	if (!err && rename(o->tmp, o->path))
		err = -errno;
	if (err)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return err;
}

void plot_out_abort(struct plot_out *o)
{
	if (o->tmp) {
		if (o->f)
			fclose(o->f);
		unlink(o->tmp);
		free(o->tmp);
	}
	o->tmp = NULL;
	o->f = NULL;
}
