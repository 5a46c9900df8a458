// SPDX-License-Identifier: MIT
/*
 * Samples as text lines (plot_lines.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plot_lines.h"

static void put_value(FILE *out, int64_t v)
{
	if (v == PLOT_UNSET)
		fputs("-", out);
	else if (v == PLOT_NO_LIMIT)
		fputs("max", out);
	else
		fprintf(out, "%" PRId64, v);
}

void plot_lines_write(FILE *out, int cmd, uint64_t ns,
		      const struct plot_cell *cells, int nr)
{
	fprintf(out, PLOT_LINE_TAG "%d %.3f", cmd, ns / 1e6);
	for (int c = 0; c < nr; c++) {
		const struct plot_cell *x = &cells[c];

		if (x->state == PC_NONE)
			continue;
		fprintf(out, " %d=", c);
		for (int i = 0; i < PS_NR; i++) {
			put_value(out, x->v[i]);
			fputc(',', out);
		}
		for (int i = 0; i < PE_NR; i++) {
			if (i)
				fputc(',', out);
			put_value(out, x->ev[i]);
		}
		if (x->state == PC_DYING)
			fputs(",d", out);
	}
	fputc('\n', out);
}

/* A value at *@p, up to ',' or ' ' or the end; advances *@p past it. */
static int get_value(const char **p, int64_t *v)
{
	const char *s = *p;
	char *end;

	if (*s == '-' && (s[1] == ',' || s[1] == ' ' || !s[1])) {
		*v = PLOT_UNSET;
		end = (char *)s + 1;
	} else if (!strncmp(s, "max", 3)) {
		*v = PLOT_NO_LIMIT;
		end = (char *)s + 3;
	} else {
		errno = 0;
		*v = strtoll(s, &end, 10);
		if (end == s || errno)
			return -EINVAL;
	}
	if (*end && *end != ',' && *end != ' ')
		return -EINVAL;
	*p = end;
	return 0;
}

/* "CG=v,...,v[,d]" at *@p into @cells. */
static int get_cell(const struct plot_data *d, const char **p,
		    struct plot_cell *cells)
{
	const char *s = *p;
	struct plot_cell *x;
	char *end;
	long c;

	errno = 0;
	c = strtol(s, &end, 10);
	if (end == s || *end != '=' || c < 0 || c >= d->nr_cg)
		return -EINVAL;
	s = end + 1;
	x = cells ? &cells[c] : &(struct plot_cell){ 0 };
	x->state = PC_ONLINE;
	for (int i = 0; i < PS_NR + PE_NR; i++) {
		int64_t *v = i < PS_NR ? &x->v[i] : &x->ev[i - PS_NR];

		if ((i && *s++ != ',') || get_value(&s, v))
			return -EINVAL;
	}
	if (!strncmp(s, ",d", 2)) {
		x->state = PC_DYING;
		s += 2;
	}
	if (*s && *s != ' ')
		return -EINVAL;
	*p = s;
	return 0;
}

int plot_lines_parse(struct plot_data *d, const char *line)
{
	const char *s = line + strlen(PLOT_LINE_TAG);
	struct plot_cell *cells;
	double ms;
	char *end;
	long cmd;

	if (strncmp(line, PLOT_LINE_TAG, strlen(PLOT_LINE_TAG)))
		return 0;
	cmd = strtol(s, &end, 10);
	if (end == s || *end != ' ' || cmd < -1 || cmd >= (long)d->s->nr_cmds)
		return -EINVAL;
	s = end + 1;
	ms = strtod(s, &end);
	if (end == s || (*end && *end != ' ') || ms < 0)
		return -EINVAL;
	s = end;
	cells = plot_data_point(d, (int)cmd, (uint64_t)(ms * 1e6));
	while (*s == ' ') {
		s++;
		if (get_cell(d, &s, cells))
			return -EINVAL;
	}
	return *s ? -EINVAL : 1;
}

int plot_lines_read(struct plot_data *d, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;

	if (!f)
		return -errno;
	while (!err && (n = getline(&line, &cap, f)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (plot_lines_parse(d, line) < 0)
			err = -EINVAL;
	}
	free(line);
	fclose(f);
	return err;
}
