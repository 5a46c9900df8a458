// SPDX-License-Identifier: MIT
/*
 * memcg sweep: the table, and the JSON Lines of a shard and their merge.
 *
 *   {"kind":"sweep","version":1,"scenario":"x.scn" (no directory),"digest":"<FNV-1a 64
 *    of its text>","backend":"engine","params":["A/memory.low","seed"],
 *    "specs":["A/memory.low=0..60M:10M","seed=1..3"],"show":[
 *    "A/memory.current"],"points":21,"shard":[1,3]}
 *   {"kind":"point","index":0,"params":["0","1"],"values":[1234,null],
 *    "exit":0}
 *
 * Shards of one sweep have the same header but for "shard". A value that
 * is an integer is a JSON number, "-" (none) is null, anything else a
 * string. See sweep.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sweep.h"

#define SHARD_HEADER	"{\"kind\":\"sweep\",\"version\":1,"
#define COLUMN_MAX	(SWEEP_MAX_PARAMS + SWEEP_MAX_SHOWS + 1)

static const char *column_name(const struct sweep *sw, size_t c)
{
	if (c < sw->nr_params)
		return sw->params[c].name;
	c -= sw->nr_params;
	return c < sw->nr_shows ? sw->shows[c].spec : "exit";
}

static void cell(const struct sweep *sw, const struct sweep_point *pt,
		 size_t c, char *buf, size_t len)
{
	if (c < sw->nr_params)
		snprintf(buf, len, "%s", pt->param[c]);
	else if (c - sw->nr_params < sw->nr_shows)
		snprintf(buf, len, "%s", pt->value[c - sw->nr_params]);
	else
		snprintf(buf, len, "%d", pt->exit);
}

/* Left-aligned, two blanks apart; the last column ends the line. */
static void put_cell(FILE *out, size_t width, const char *text, bool last)
{
	if (last)
		fprintf(out, "%s\n", text);
	else
		fprintf(out, "%-*s  ", (int)width, text);
}

/** sweep_print_table - one row per point, a column per parameter and output */
void sweep_print_table(const struct sweep *sw, FILE *out)
{
	size_t cols = sw->nr_params + sw->nr_shows + 1, width[COLUMN_MAX];
	char buf[SWEEP_VALUE_LEN];

	for (size_t c = 0; c < cols; c++)
		width[c] = strlen(column_name(sw, c));
	for (size_t i = 0; i < sw->nr_points; i++) {
		for (size_t c = 0; c < cols; c++) {
			cell(sw, &sw->points[i], c, buf, sizeof(buf));
			if (strlen(buf) > width[c])
				width[c] = strlen(buf);
		}
	}
	for (size_t c = 0; c < cols; c++)
		put_cell(out, width[c], column_name(sw, c), c + 1 == cols);
	for (size_t i = 0; i < sw->nr_points; i++) {
		for (size_t c = 0; c < cols; c++) {
			cell(sw, &sw->points[i], c, buf, sizeof(buf));
			put_cell(out, width[c], buf, c + 1 == cols);
		}
	}
}

static uint64_t fnv1a(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

/* An integer value as a JSON number, "-" as null, the rest a string. */
static void json_value(FILE *f, const char *v)
{
	const char *d = v + (*v == '-');

	if (!strcmp(v, "-"))
		fputs("null", f);
	else if (*d && strspn(d, "0123456789") == strlen(d) &&
		 (d[0] != '0' || !d[1]))
		fputs(v, f);
	else
		report_json_str(f, v);
}

static void json_names(FILE *f, const char *name, size_t n,
		       const char *(*get)(const struct sweep *, size_t),
		       const struct sweep *sw)
{
	fprintf(f, ",\"%s\":[", name);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		report_json_str(f, get(sw, i));
	}
	fputc(']', f);
}

static const char *param_name(const struct sweep *sw, size_t i)
{
	return sw->params[i].name;
}

static const char *param_spec(const struct sweep *sw, size_t i)
{
	return sw->params[i].spec;
}

static const char *show_spec(const struct sweep *sw, size_t i)
{
	return sw->shows[i].spec;
}

/** sweep_write_jsonl - a shard: a header line, then one line per point */
void sweep_write_jsonl(const struct sweep *sw, unsigned shard,
		       unsigned nr_shards, FILE *out)
{
	const char *base = strrchr(sw->filename, '/');

	/* its name without directories: shards run from different places */
	fputs(SHARD_HEADER "\"scenario\":", out);
	report_json_str(out, base ? base + 1 : sw->filename);
	fprintf(out, ",\"digest\":\"%016" PRIx64 "\",\"backend\":\"%s\"",
		fnv1a(sw->text, sw->len), sw->kernel ? "kernel" : "engine");
	json_names(out, "params", sw->nr_params, param_name, sw);
	json_names(out, "specs", sw->nr_params, param_spec, sw);
	json_names(out, "show", sw->nr_shows, show_spec, sw);
	fprintf(out, ",\"points\":%zu,\"shard\":[%u,%u]}\n", sw->nr_points,
		shard, nr_shards);
	for (size_t i = 0; i < sw->nr_points; i++) {
		const struct sweep_point *pt = &sw->points[i];

		if (!sw->done[i])
			continue;
		fprintf(out, "{\"kind\":\"point\",\"index\":%zu,\"params\":[",
			i);
		for (size_t k = 0; k < sw->nr_params; k++) {
			if (k)
				fputc(',', out);
			report_json_str(out, pt->param[k]);
		}
		fputs("],\"values\":[", out);
		for (size_t k = 0; k < sw->nr_shows; k++) {
			if (k)
				fputc(',', out);
			json_value(out, pt->value[k]);
		}
		fprintf(out, "],\"exit\":%d}\n", pt->exit);
	}
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * The elements of the JSON array "NAME":[...] of @line, strings
 * unescaped, null as "-", numbers as they are; the count, or -1 when
 * malformed. Each element is cut to @len - 1 bytes.
 */
static int json_array(const char *line, const char *name, char *out,
		      size_t len, size_t max)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":[", name);
	p = strstr(line, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	while (*p != ']') {
		char *o = out + n * len;
		size_t k = 0;

		if (n >= max)
			return -1;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (k + 1 < len)
					o[k++] = *p;
			}
			if (*p++ != '"')
				return -1;
		} else if (!strncmp(p, "null", 4)) {
			o[k++] = '-';
			p += 4;
		} else {
			for (; *p && *p != ',' && *p != ']'; p++)
				if (k + 1 < len)
					o[k++] = *p;
		}
		o[k] = '\0';
		n++;
		if (*p == ',')
			p++;
		else if (*p != ']')
			return -1;
	}
	return (int)n;
}

/* The string member "NAME" of @line, unescaped (malloc'd), or NULL. */
static char *json_string(const char *line, const char *name)
{
	char pat[64], *out;
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":\"", name);
	p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	out = malloc(strlen(p) + 1);
	if (!out)
		return NULL;
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		out[n++] = *p;
	}
	out[n] = '\0';
	return out;
}

/* The definition from the first header: names, specs, outputs, count. */
static int merge_define(struct sweep *sw, const char *line, const char *file,
			char *err, size_t errlen)
{
	char names[SWEEP_MAX_PARAMS][256], specs[SWEEP_MAX_PARAMS][256];
	char shows[SWEEP_MAX_SHOWS][256];
	int np = json_array(line, "params", names[0], 256, SWEEP_MAX_PARAMS);
	int ns = json_array(line, "specs", specs[0], 256, SWEEP_MAX_PARAMS);
	int nshow = json_array(line, "show", shows[0], 256, SWEEP_MAX_SHOWS);
	const char *pts = strstr(line, "\"points\":");
	char *end;

	if (np < 1 || ns != np || nshow < 0 || !pts)
		return fail(err, errlen, "%s: a malformed sweep header", file);
	sw->nr_points = strtoul(pts + 9, &end, 10);
	if (!sw->nr_points || sw->nr_points > SWEEP_MAX_POINTS)
		return fail(err, errlen, "%s: a malformed sweep header", file);
	sw->kernel = strstr(line, "\"backend\":\"kernel\"") != NULL;
	sw->merged_name = json_string(line, "scenario");
	if (!sw->merged_name)
		return fail(err, errlen, "%s: a malformed sweep header", file);
	sw->filename = sw->merged_name;
	sw->nr_params = (size_t)np;
	for (int i = 0; i < np; i++) {
		sw->params[i].name = strdup(names[i]);
		sw->params[i].spec = strdup(specs[i]);
		sw->params[i].kind = strcmp(names[i], "seed") ? SWEEP_SET :
								SWEEP_SEED;
	}
	sw->nr_shows = (size_t)nshow;
	for (int i = 0; i < nshow; i++)
		sw->shows[i].spec = strdup(shows[i]);
	sw->points = calloc(sw->nr_points, sizeof(*sw->points));
	sw->done = calloc(sw->nr_points, sizeof(*sw->done));
	return sw->points && sw->done ? 0 : -ENOMEM;
}

static int merge_point(struct sweep *sw, const char *line, const char *file,
		       char *err, size_t errlen)
{
	const char *idx = strstr(line, "\"index\":"), *ex = strstr(line,
								  "\"exit\":");
	struct sweep_point pt = { 0 };
	char *end;
	size_t i;

	if (!idx || !ex)
		return fail(err, errlen, "%s: a malformed point line", file);
	i = strtoul(idx + 8, &end, 10);
	if (i >= sw->nr_points)
		return fail(err, errlen, "%s: point %zu of a sweep of %zu", file,
			    i, sw->nr_points);
	if (sw->done[i])
		return fail(err, errlen, "%s: point %zu given twice", file, i);
	if (json_array(line, "params", pt.param[0], SWEEP_VALUE_LEN,
		       SWEEP_MAX_PARAMS) != (int)sw->nr_params ||
	    json_array(line, "values", pt.value[0], SWEEP_VALUE_LEN,
		       SWEEP_MAX_SHOWS) != (int)sw->nr_shows)
		return fail(err, errlen, "%s: a malformed point line", file);
	pt.index = i;
	pt.exit = (int)strtol(ex + 7, NULL, 10);
	sw->points[i] = pt;
	sw->done[i] = true;
	return 0;
}

/* The header without its "shard": what shards of one sweep share. */
static size_t header_key(const char *line)
{
	const char *s = strstr(line, ",\"shard\":");

	return s ? (size_t)(s - line) : strlen(line);
}

static int merge_file(struct sweep *sw, const char *file, char **first,
		      const char *first_file, char *err, size_t errlen)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	if (!f)
		return fail(err, errlen, "%s: %s", file, strerror(errno));
	if (getline(&line, &cap, f) <= 0 ||
	    strncmp(line, SHARD_HEADER, strlen(SHARD_HEADER))) {
		ret = fail(err, errlen, "%s: not a memcg sweep shard (memcg "
			   "sweep --shard writes them)", file);
		goto out;
	}
	if (!*first) {
		*first = strndup(line, header_key(line));
		ret = *first ? merge_define(sw, line, file, err, errlen) :
			       -ENOMEM;
	} else if (header_key(line) != strlen(*first) ||
		   strncmp(line, *first, strlen(*first))) {
		ret = fail(err, errlen, "%s: not the same sweep as %s (its "
			   "scenario, parameters, outputs or backend differ)",
			   file, first_file);
	}
	while (!ret && getline(&line, &cap, f) > 0)
		ret = merge_point(sw, line, file, err, errlen);
out:
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

/** sweep_merge - read shards' JSON Lines into one sweep */
int sweep_merge(struct sweep *sw, char *const *files, size_t nr_files,
		char *err, size_t errlen)
{
	char *first = NULL;
	int ret = 0;

	for (size_t i = 0; !ret && i < nr_files; i++)
		ret = merge_file(sw, files[i], &first, files[0], err, errlen);
	free(first);
	for (size_t i = 0; !ret && i < sw->nr_points; i++)
		if (!sw->done[i])
			ret = fail(err, errlen, "point %zu of %zu is in none of "
				   "the files: merge every shard", i,
				   sw->nr_points);
	return ret;
}
