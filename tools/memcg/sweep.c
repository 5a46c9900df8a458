// SPDX-License-Identifier: MIT
/*
 * memcg sweep: the command line, the points of a shard, and the output
 * (table, JSON Lines, plot). See sweep.h.
 *
 *   memcg sweep FILE (--set CG/FILE=VALUES | --seed VALUES)...
 *               --show CG/FILE[:KEY],... [-j N] [--plot OUT.svg]
 *               [--kernel] [--keep-going] [--shard I/N]
 *   memcg sweep --merge SHARD... [--plot OUT.svg]
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"
#include "sweep.h"

struct sweep_cli {
	const char *file;
	const char *plot;
	unsigned jobs;			/* 0: the default */
	unsigned shard, nr_shards;	/* 0 of 0: all the points */
	bool merge;
	char **merge_files;
	size_t nr_merge_files;
};

__attribute__((format(printf, 1, 2)))
static int usage(const char *fmt, ...)
{
	char msg[1024], esc[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "memcg sweep: %s\n", scn_escape(msg, esc, sizeof(esc)));
	return MEMCG_EXIT_USAGE;
}

static bool parse_unsigned(const char *v, unsigned long max, unsigned *out)
{
	unsigned long n;
	char *end;

	if (!*v || *v == '-' || *v == '+')
		return false;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < 1 || n > max)
		return false;
	*out = (unsigned)n;
	return true;
}

static int parse_shard(const char *v, struct sweep_cli *c)
{
	const char *slash = strchr(v, '/');
	char i[32];

	if (!slash || (size_t)(slash - v) >= sizeof(i))
		return usage("bad --shard '%s' (I/N: the I-th of N parts, 1 <= "
			     "I <= N)", v);
	snprintf(i, sizeof(i), "%.*s", (int)(slash - v), v);
	if (!parse_unsigned(i, SWEEP_MAX_POINTS, &c->shard) ||
	    !parse_unsigned(slash + 1, SWEEP_MAX_POINTS, &c->nr_shards))
		return usage("bad --shard '%s' (I/N: the I-th of N parts, 1 <= "
			     "I <= N)", v);
	if (c->shard > c->nr_shards)
		return usage("bad --shard '%s': part %u of %u does not exist",
			     v, c->shard, c->nr_shards);
	return 0;
}

/*
 * An option that takes a value: the value, from "--opt=V", "-jV" (a
 * short option) or the next argument; "" when it is missing.
 */
static const char *value_of(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (n == 2 && !strncmp(argv[*i], name, n) && argv[*i][n])
		return argv[*i] + n;
	if (strcmp(argv[*i], name))
		return NULL;
	if (*i + 1 >= argc)
		return "";
	return argv[++*i];
}

static int parse_opt(int argc, char **argv, int *i, struct sweep *sw,
		     struct sweep_cli *c, char *err, size_t errlen)
{
	const char *a = argv[*i], *v;

	if ((v = value_of(argc, argv, i, "--set")))
		return sweep_add_set(sw, v, err, errlen) ? -1 : 0;
	if ((v = value_of(argc, argv, i, "--seed")))
		return sweep_add_seed(sw, v, err, errlen) ? -1 : 0;
	if ((v = value_of(argc, argv, i, "--show")))
		return sweep_add_shows(sw, v, err, errlen) ? -1 : 0;
	if ((v = value_of(argc, argv, i, "--plot"))) {
		c->plot = v;
		return *v ? 0 : usage("--plot needs a file");
	}
	if ((v = value_of(argc, argv, i, "--shard")))
		return parse_shard(v, c);
	if ((v = value_of(argc, argv, i, "--jobs")) ||
	    (v = value_of(argc, argv, i, "-j")))
		return parse_unsigned(v, 1024, &c->jobs) ? 0 :
			usage("bad -j '%s' (1-1024 workers)", v);
	if (!strcmp(a, "--kernel"))
		sw->kernel = true;
	else if (!strcmp(a, "--keep-going"))
		sw->keep_going = true;
	else if (!strcmp(a, "--merge"))
		c->merge = true;
	else
		return usage("unknown option '%s' (memcg sweep --help lists "
			     "them)", a);
	return 0;
}

static int parse_args(int argc, char **argv, struct sweep *sw,
		      struct sweep_cli *c)
{
	char err[1024];

	c->merge_files = calloc((size_t)argc, sizeof(*c->merge_files));
	if (!c->merge_files)
		return usage("out of memory");
	for (int i = 1; i < argc; i++) {
		int ret;

		if (argv[i][0] != '-' || !argv[i][1]) {
			if (c->merge)
				c->merge_files[c->nr_merge_files++] = argv[i];
			else if (c->file)
				return usage("one scenario file only, not also "
					     "'%s'", argv[i]);
			else
				c->file = argv[i];
			continue;
		}
		err[0] = '\0';
		ret = parse_opt(argc, argv, &i, sw, c, err, sizeof(err));
		if (ret < 0)
			return usage("%s", err[0] ? err : "out of memory");
		if (ret)
			return ret;
	}
	return 0;
}

/* What --merge takes and what it does not. */
static int check_merge_args(const struct sweep *sw, const struct sweep_cli *c)
{
	if (c->file && c->nr_merge_files)
		return usage("--merge takes shard files only, not also a "
			     "scenario");
	if (c->file)
		c->merge_files[0] = (char *)c->file;
	if (!c->file && !c->nr_merge_files)
		return usage("--merge: which shard files?");
	if (sw->nr_params || sw->nr_shows || sw->kernel || c->shard ||
	    c->jobs || sw->keep_going)
		return usage("--merge takes --plot only: the shards say the "
			     "rest");
	return 0;
}

static int check_run_args(const struct sweep *sw, const struct sweep_cli *c)
{
	if (!c->file)
		return usage("which scenario file? (memcg sweep --help)");
	if (!sw->nr_params)
		return usage("nothing to sweep: give --set CG/FILE=VALUES or "
			     "--seed VALUES");
	if (!sw->nr_shows)
		return usage("nothing to show: give --show CG/FILE[:KEY],...");
	if (c->shard && c->plot)
		return usage("--shard writes JSON Lines: plot after --merge");
	return 0;
}

static int write_plot(const struct sweep *sw, const char *path)
{
	char tmp[4096];
	FILE *f;
	int ret;

	if (!strcmp(path, "-"))
		return sweep_plot_svg(sw, stdout) ?
			usage("--plot: the first parameter gives no axis") : 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return usage("--plot %s: %s", path, strerror(errno));
	ret = sweep_plot_svg(sw, f);
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return usage("--plot %s: %s", path, strerror(-ret));
	}
	fprintf(stderr, "memcg sweep: wrote %s\n", path);
	return 0;
}

/* The worst exit status of the points: 3 over 2 over 1 over 0. */
static int points_status(const struct sweep *sw)
{
	int worst = 0;

	for (size_t i = 0; i < sw->nr_points; i++)
		if (sw->done[i] && sw->points[i].exit > worst)
			worst = sw->points[i].exit;
	return worst > MEMCG_EXIT_KERNEL ? MEMCG_EXIT_KERNEL : worst;
}

static int load(struct sweep *sw, const char *file)
{
	char err[1024];

	sw->filename = file;
	if (scenario_read(file, &sw->text, &sw->len, err, sizeof(err)))
		return usage("%s", err);
	if (scenario_parse(sw->text, sw->len, file, &sw->s, err, sizeof(err)))
		return usage("%s", err);
	if (sweep_check(sw, err, sizeof(err)) || sweep_count(sw, err,
							     sizeof(err)))
		return usage("%s", err);
	sw->points = calloc(sw->nr_points, sizeof(*sw->points));
	sw->done = calloc(sw->nr_points, sizeof(*sw->done));
	return sw->points && sw->done ? 0 : usage("out of memory");
}

/* The points of this shard (all of them without --shard), and run them. */
static int run_shard(struct sweep *sw, const struct sweep_cli *c)
{
	size_t *indices = calloc(sw->nr_points, sizeof(*indices)), n = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned jobs = c->jobs ? c->jobs : sw->kernel ? 1 :
			cpus > 0 ? (unsigned)cpus : 1;
	int ret;

	if (!indices)
		return usage("out of memory");
	for (size_t i = 0; i < sw->nr_points; i++)
		if (!c->nr_shards || i % c->nr_shards == c->shard - 1)
			indices[n++] = i;
	ret = sweep_run_points(sw, indices, n, jobs, isatty(STDERR_FILENO));
	free(indices);
	if (ret)
		return usage("starting a worker: %s", strerror(-ret));
	return 0;
}

/**
 * sweep_main - "memcg sweep"
 * @argc: arguments, @argv[0] being "sweep"
 * @argv: FILE and options, or --merge FILES
 *
 * Return: the exit status (sweep.h).
 */
int sweep_main(int argc, char **argv)
{
	struct sweep sw = { 0 };
	struct sweep_cli c = { 0 };
	char err[1024];
	int ret;

	ret = parse_args(argc, argv, &sw, &c);
	if (!ret && c.merge) {
		ret = check_merge_args(&sw, &c);
		if (!ret && sweep_merge(&sw, c.merge_files, c.nr_merge_files ?
					c.nr_merge_files : 1, err, sizeof(err)))
			ret = usage("--merge: %s", err);
	} else if (!ret) {
		ret = check_run_args(&sw, &c);
		if (!ret)
			ret = load(&sw, c.file);
		if (!ret)
			ret = run_shard(&sw, &c);
	}
	if (ret)
		goto out;
	if (c.shard)
		sweep_write_jsonl(&sw, c.shard, c.nr_shards, stdout);
	else
		sweep_print_table(&sw, stdout);
	if (c.plot)
		ret = write_plot(&sw, c.plot);
	if (!ret)
		ret = points_status(&sw);
out:
	free(c.merge_files);
	sweep_free(&sw);
	return ret;
}
