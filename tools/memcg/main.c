// SPDX-License-Identifier: MIT
/*
 * memcg: run memory-cgroup scenarios on libmemcg's engine, show the
 * cgroup tree, plot the timeline, and (with the kernel oracle) run the
 * same scenario on a real Linux kernel.
 *
 * Exit status (help.h, memcg(1)): 0 every expect held and every write
 * succeeded; 1 an expect or a write failed (a failed write stops the run
 * unless --keep-going); 2 bad usage, a malformed scenario, a machine the
 * engine cannot create, or output that could not be written; 3 the kernel
 * side failed (kernel, compare).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"
#include "help.h"
#include "plot.h"
#include "run.h"
#include "scenario.h"
#include "sweep.h"
#include "top.h"
#include "tree.h"

#ifdef MEMCG_HAVE_ORACLE
#include "oracle.h"
#endif
#ifdef MEMCG_HAVE_FUSE
#include "mount.h"
#endif

struct cli {
	const char *cmd;
	const char *file;
	const char *output;
	const char *plot;	/* run --plot OUT */
	struct run_opts run;
	bool show_tree;
	bool utf8;
	bool top;		/* --top: the live view (top.h) */
	/* machine overrides */
	unsigned given;
	struct scn_machine m;
};

/* One line on stderr, "memcg CMD: what", and the usage exit status. */
__attribute__((format(printf, 2, 3)))
static int usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[1024], esc[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* it quotes the command line: escape what a terminal would obey */
	fprintf(stderr, "memcg%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "",
		scn_escape(msg, esc, sizeof(esc)));
	return MEMCG_EXIT_USAGE;
}

/* Which commands take an option. */
#define FOR_RUN		(1u << 0)
#define FOR_TREE	(1u << 1)
#define FOR_PLOT	(1u << 2)
#define FOR_ENGINE	(FOR_RUN | FOR_TREE | FOR_PLOT)

enum opt_id {
	OPT_SEED, OPT_MEMORY, OPT_SWAP, OPT_CPUS, OPT_MODE, OPT_POLICY,
	OPT_OUTPUT, OPT_JSON, OPT_SHOW_TREE, OPT_UTF8, OPT_KEEP_GOING, OPT_TAP,
	OPT_TOP,
	OPT_PLOT,
};

static const struct opt {
	const char *name;
	const char *alias;	/* short spelling, or NULL */
	enum opt_id id;
	bool valued;
	unsigned cmds;		/* FOR_* */
} opts[] = {
	{ "--seed", NULL, OPT_SEED, true, FOR_ENGINE },
	{ "--memory", NULL, OPT_MEMORY, true, FOR_ENGINE },
	{ "--swap", NULL, OPT_SWAP, true, FOR_ENGINE },
	{ "--cpus", NULL, OPT_CPUS, true, FOR_ENGINE },
	{ "--mode", NULL, OPT_MODE, true, FOR_ENGINE },
	{ "--policy", NULL, OPT_POLICY, true, FOR_ENGINE },
	{ "--output", "-o", OPT_OUTPUT, true, FOR_PLOT },
	{ "--json", NULL, OPT_JSON, false, FOR_RUN | FOR_TREE },
	{ "--tap", NULL, OPT_TAP, false, FOR_RUN },
	{ "--show-tree", NULL, OPT_SHOW_TREE, false, FOR_RUN },
	{ "--utf8", NULL, OPT_UTF8, false, FOR_RUN | FOR_TREE },
	{ "--keep-going", NULL, OPT_KEEP_GOING, false, FOR_ENGINE },
	{ "--top", NULL, OPT_TOP, false, FOR_RUN },
	{ "--plot", NULL, OPT_PLOT, true, FOR_RUN },
};

static unsigned cmd_bit(const char *cmd)
{
	return !strcmp(cmd, "run") ? FOR_RUN : !strcmp(cmd, "tree") ?
	       FOR_TREE : FOR_PLOT;
}

/*
 * The option @a names ("--opt", "--opt=VALUE" or an alias), or NULL;
 * *@inline_value is VALUE of "--opt=VALUE", else NULL.
 */
static const struct opt *find_opt(const char *a, const char **inline_value)
{
	*inline_value = NULL;
	for (size_t k = 0; k < sizeof(opts) / sizeof(*opts); k++) {
		const struct opt *o = &opts[k];
		size_t n = strlen(o->name);

		if (o->alias && !strcmp(a, o->alias))
			return o;
		if (strncmp(a, o->name, n))
			continue;
		if (a[n] == '\0')
			return o;
		if (a[n] == '=' && o->valued) {
			*inline_value = a + n + 1;
			return o;
		}
	}
	return NULL;
}

static int set_opt(struct cli *c, const struct opt *o, const char *a,
		   const char *v)
{
	char *end;

	switch (o->id) {
	case OPT_SEED:
		errno = 0;
		c->run.seed = strtoull(v, &end, 0);
		if (errno || *end || !*v || *v == '-')
			return usage_error(c->cmd, "bad --seed '%s' (a number)",
					   v);
		break;
	case OPT_MEMORY:
		if (scn_parse_size(v, &c->m.memory_bytes) || !c->m.memory_bytes)
			return usage_error(c->cmd, "bad --memory '%s' (a "
					   "non-zero size: K, M, G, T)", v);
		c->given |= SCN_GIVEN_MEMORY;
		break;
	case OPT_SWAP:
		if (scn_parse_size(v, &c->m.swap_bytes))
			return usage_error(c->cmd, "bad --swap '%s' (a size: K, "
					   "M, G, T)", v);
		c->given |= SCN_GIVEN_SWAP;
		break;
	case OPT_CPUS: {
		unsigned long n = strtoul(v, &end, 10);

		if (*end || !*v || *v == '-' || n < 1 || n > SCN_MAX_CPUS)
			return usage_error(c->cmd, "bad --cpus '%s' (1-%u)", v,
					   SCN_MAX_CPUS);
		c->m.cpus = (unsigned)n;
		c->given |= SCN_GIVEN_CPUS;
		break;
	}
	case OPT_MODE:
		if (strcmp(v, "v1") && strcmp(v, "v2"))
			return usage_error(c->cmd, "bad --mode '%s' (v1 or v2)",
					   v);
		c->m.mode = !strcmp(v, "v1") ? SCN_MODE_V1 : SCN_MODE_V2;
		c->given |= SCN_GIVEN_MODE;
		break;
	case OPT_POLICY:
		if (strcmp(v, "reparent") && strcmp(v, "kernel"))
			return usage_error(c->cmd, "bad --policy '%s' (reparent "
					   "or kernel)", v);
		c->m.policy = !strcmp(v, "kernel") ? SCN_POLICY_KERNEL :
						     SCN_POLICY_REPARENT;
		c->given |= SCN_GIVEN_POLICY;
		break;
	case OPT_OUTPUT:
		c->output = v;
		break;
	case OPT_JSON:
		c->run.json = true;
		break;
	case OPT_SHOW_TREE:
		c->show_tree = true;
		break;
	case OPT_UTF8:
		c->utf8 = true;
		break;
	case OPT_KEEP_GOING:
		c->run.keep_going = true;
		break;
	case OPT_TAP:
		c->run.tap = true;
		break;
	case OPT_TOP:
		c->top = true;
		break;
	case OPT_PLOT:
		c->plot = v;
		break;
	}
	(void)a;
	return 0;
}

static int parse_args(int argc, char **argv, struct cli *c)
{
	unsigned bit = cmd_bit(c->cmd);

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v;
		const struct opt *o = find_opt(a, &v);
		int err;

		if (!o) {
			if (a[0] == '-' && a[1] != '\0')
				return usage_error(c->cmd, "unknown option '%s' "
						   "(memcg %s --help lists them)",
						   a, c->cmd);
			if (c->file)
				return usage_error(c->cmd, "one scenario file "
						   "only, not also '%s'", a);
			c->file = a;
			continue;
		}
		if (!(o->cmds & bit))
			return usage_error(c->cmd, "option '%s' is not one of "
					   "%s's (memcg %s --help lists them)",
					   a, c->cmd, c->cmd);
		if (o->valued && !v) {
			if (i + 1 >= argc)
				return usage_error(c->cmd, "option '%s' needs a "
						   "value", a);
			v = argv[++i];
		}
		err = set_opt(c, o, a, v);
		if (err)
			return err;
	}
	if (!c->file)
		return usage_error(c->cmd, "which scenario file? (memcg %s "
				   "--help)", c->cmd);
	if (c->top && (c->run.json || c->run.tap))
		return usage_error(c->cmd, "--top draws a table: not with %s",
				   c->run.json ? "--json" : "--tap");
	if (c->run.tap && (c->run.json || c->show_tree))
		return usage_error(c->cmd, "--tap is the output: not with %s",
				   c->run.json ? "--json" : "--show-tree");
	return 0;
}

static void apply_overrides(const struct cli *c, struct scn_machine *m)
{
	if (c->given & SCN_GIVEN_MEMORY)
		m->memory_bytes = c->m.memory_bytes;
	if (c->given & SCN_GIVEN_SWAP)
		m->swap_bytes = c->m.swap_bytes;
	if (c->given & SCN_GIVEN_CPUS)
		m->cpus = c->m.cpus;
	if (c->given & SCN_GIVEN_MODE)
		m->mode = c->m.mode;
	if (c->given & SCN_GIVEN_POLICY)
		m->policy = c->m.policy;
	m->given |= c->given;
}

/* On stderr: where a strict run stopped; the failures (not with --json). */
static void run_summary(const struct cli *c, const struct scenario *s,
			const struct run *r)
{
	const struct report *rep = run_report(r);

	if (run_stopped_at(r))
		fprintf(stderr, "memcg: %s: stopped at line %d, the first failed "
			"write (--keep-going runs on)\n", s->filename,
			run_stopped_at(r));
	if (c->run.json)
		return;
	if (rep->nr_write_failed && !run_stopped_at(r))
		fprintf(stderr, "memcg: %s: %u write%s failed\n", s->filename,
			rep->nr_write_failed,
			rep->nr_write_failed == 1 ? "" : "s");
	if (rep->nr_failed)
		fprintf(stderr, "memcg: %s: %u of %u expects failed\n",
			s->filename, rep->nr_failed, rep->nr_expects);
}

/* run and tree: run @s, print its lines (run) and/or the tree. */
static int cmd_run(const struct cli *c, const struct scenario *s, bool tree)
{
	char *tap = NULL;
	size_t tap_len = 0;
	FILE *out = tree ? NULL : stdout;
	/* KTAP's plan comes first, and --top redraws the terminal: the
	 * run's lines wait in memory */
	bool held = c->run.tap || (c->top && top_wants_tty(stdout));
	struct plot_out plot;
	struct run *r;
	int err, ret, plot_err;

	if (held) {
		out = open_memstream(&tap, &tap_len);
		if (!out) {
			fprintf(stderr, "memcg: %s\n", strerror(errno));
			return MEMCG_EXIT_USAGE;
		}
	}
	if (c->plot && plot_open(&plot, c->cmd, c->plot)) {
		if (held) {
			fclose(out);
			free(tap);
		}
		return MEMCG_EXIT_USAGE;
	}
	err = run_create(s, &c->run, out, &r);
	if (err) {
		if (held) {
			fclose(out);
			free(tap);
		}
		if (c->plot)
			plot_out_abort(&plot);
		run_create_error(s, err);
		return MEMCG_EXIT_USAGE;
	}
	if (c->plot) {
		plot_err = plot_run(r, &plot);
	} else {
		top_run_all(r, s, c->top, stdout);
		plot_err = 0;
	}
	if (c->run.tap) {
		fclose(out);
		report_tap_finish(run_report(r), stdout, tap, tap_len, s,
				  run_stopped_at(r));
		free(tap);
	} else if (held) {
		fclose(out);
		fwrite(tap, 1, tap_len, stdout);	/* after --top's table */
		free(tap);
	}
	if (tree || c->show_tree)
		tree_print(run_engine(r), s, stdout, c->utf8, c->run.json);
	ret = run_exit_code(r);
	run_summary(c, s, r);
	run_destroy(r);
	if (plot_err) {
		char esc[4096];

		fprintf(stderr, "memcg %s: %s: %s\n", c->cmd,
			scn_escape(c->plot, esc, sizeof(esc)), errname(plot_err));
		return MEMCG_EXIT_USAGE;
	}
	return ret;
}

static int cmd_plot(const struct cli *c, const struct scenario *s)
{
	char esc[4096];
	int ret;

	if (!c->output)
		return usage_error(c->cmd, "-o OUT.svg (or OUT.html) is "
				   "required");
	ret = plot_scenario(s, &c->run, c->output);
	if (ret < 0)
		return MEMCG_EXIT_USAGE;	/* plot_scenario() said why */
	if (strcmp(c->output, "-"))
		fprintf(stderr, "memcg plot: wrote %s\n",
			scn_escape(c->output, esc, sizeof(esc)));
	return ret;
}

static int oracle(const char *cmd, int argc, char **argv)
{
#ifdef MEMCG_HAVE_ORACLE
	if (!strcmp(cmd, "kernel"))
		return oracle_kernel_main(argc - 1, argv + 1);
	return oracle_compare_main(argc - 1, argv + 1);
#else
	(void)argc;
	(void)argv;
	fprintf(stderr, "memcg %s: not built\n", cmd);
	return MEMCG_EXIT_USAGE;
#endif
}

/* memcg mount: mount.c, when libmemcg-fuse is built */
static int fuse_mount_cmd(int argc, char **argv)
{
#ifdef MEMCG_HAVE_FUSE
	return mount_main(argc - 1, argv + 1);
#else
	(void)argc;
	(void)argv;
	fprintf(stderr, "memcg mount: not built (libfuse3-dev, "
		"-DMEMCG_BUILD_FUSE=ON)\n");
	return MEMCG_EXIT_USAGE;
#endif
}

static bool is_help(const char *a)
{
	return !strcmp(a, "--help") || !strcmp(a, "-h");
}

/* "memcg help [CMD]", "memcg --help", "memcg CMD --help": -1 if none. */
static int help(int argc, char **argv)
{
	const char *cmd = argv[1];

	if (is_help(cmd) || !strcmp(cmd, "help")) {
		if (argc < 3) {
			help_summary(stdout);
			return MEMCG_EXIT_OK;
		}
		if (is_help(argv[2])) {		/* help's own page */
			help_command("help", stdout);
			return MEMCG_EXIT_OK;
		}
		if (argc > 3)
			return usage_error("help", "one command only, not also "
					   "'%s'", argv[3]);
		if (!help_command(argv[2], stdout))
			return usage_error("help", "no command '%s' (run, tree, "
					   "plot, kernel, compare, sweep, "
					   "mount, help)", argv[2]);
		return MEMCG_EXIT_OK;
	}
	if (!help_is_command(cmd))
		return -1;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (is_help(argv[i])) {
			help_command(cmd, stdout);
			return MEMCG_EXIT_OK;
		}
	}
	return -1;
}

/* Whatever went to stdout must have got there: else exit 2. */
static int flush_stdout(int ret)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return ret;
	fprintf(stderr, "memcg: writing the output: %s\n",
		strerror(errno ? errno : EIO));
	return ret > MEMCG_EXIT_USAGE ? ret : MEMCG_EXIT_USAGE;
}

static int dispatch(int argc, char **argv)
{
	struct cli c = { 0 };
	struct scenario *s;
	char err[1024];
	int ret;

	if (argc < 2) {
		help_summary(stderr);
		return MEMCG_EXIT_USAGE;
	}
	ret = help(argc, argv);
	if (ret >= 0)
		return ret;
	if (!strcmp(argv[1], "--version")) {
		if (argc > 2)
			return usage_error(NULL, "--version takes no arguments");
		help_version(stdout);
		return MEMCG_EXIT_OK;
	}
	c.cmd = argv[1];
	if (!strcmp(c.cmd, "kernel") || !strcmp(c.cmd, "compare"))
		return oracle(c.cmd, argc, argv);
	if (!strcmp(c.cmd, "sweep"))
		return sweep_main(argc - 1, argv + 1);
	if (!strcmp(c.cmd, "mount"))
		return fuse_mount_cmd(argc, argv);
	if (strcmp(c.cmd, "run") && strcmp(c.cmd, "tree") &&
	    strcmp(c.cmd, "plot")) {
		if (c.cmd[0] == '-')
			return usage_error(NULL, "unknown option '%s' (memcg "
					   "help)", c.cmd);
		return usage_error(NULL, "unknown command '%s' (memcg help "
				   "lists them)", c.cmd);
	}
	ret = parse_args(argc, argv, &c);
	if (ret)
		return ret;
	ret = scenario_load(c.file, &s, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "memcg: %s\n", err);
		return MEMCG_EXIT_USAGE;
	}
	apply_overrides(&c, &s->machine);
	if (!strcmp(c.cmd, "plot"))
		ret = cmd_plot(&c, s);
	else
		ret = cmd_run(&c, s, !strcmp(c.cmd, "tree"));
	scenario_free(s);
	return ret;
}

int main(int argc, char **argv)
{
	return flush_stdout(dispatch(argc, argv));
}
