// SPDX-License-Identifier: MIT
/*
 * memcg: run memory-cgroup scenarios on libmemcg's engine, show the
 * cgroup tree, plot the timeline, and (with the kernel oracle) run the
 * same scenario on a real Linux kernel.
 *
 * Exit status: 0 every expect held and every write succeeded; 1 an
 * expect or a write failed (a failed write stops the run unless
 * --keep-going); 2 a malformed scenario, bad usage, or a machine the
 * engine cannot create.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"
#include "plot.h"
#include "run.h"
#include "scenario.h"
#include "tree.h"

#ifdef MEMCG_HAVE_ORACLE
#include "oracle.h"
#endif

static const char usage_text[] =
"usage: memcg run FILE [options]       run a scenario on the engine\n"
"       memcg tree FILE [options]      run it quietly, print the cgroup tree\n"
"       memcg plot FILE -o OUT.svg [options]\n"
"                                      run it, plot every cgroup's memory\n"
"       memcg kernel FILE [options]    run it on a real kernel under qemu\n"
"       memcg compare FILE [options]   both, side by side\n"
"       memcg help\n"
"\n"
"options:\n"
"  --seed N            CPU placement of the tasks (0: round robin, the\n"
"                      default); same file and seed, same output\n"
"  --json              JSON Lines output, one object per line\n"
"  --keep-going        run on after a failed write (by default the run\n"
"                      stops there); report every failure, exit 1\n"
"  --show-tree         (run) print the cgroup tree after the run\n"
"  --utf8              box-drawing characters in the tree\n"
"  -o, --output FILE   (plot) the SVG to write (\"-\": stdout)\n"
"  --memory SIZE  --swap SIZE  --cpus N  --mode v1|v2\n"
"  --policy reparent|kernel\n"
"                      override the scenario's machine line\n"
"\n"
"FILE (\"-\": stdin) is a scenario, one command a line (# comments):\n"
"  machine memory=1G swap=512M cpus=2 mode=v2 policy=reparent\n"
"  mkdir A/B | rmdir A/B | write A/memory.max 50M | show A/memory.current\n"
"  task t1 A | move t1 A/B\n"
"  t1 anon 100M | t1 unmap 20M | t1 read FILE 50M | t1 mlock 10M\n"
"  t1 touch 10M | t1 exit | t1 oom_score_adj -1000\n"
"  expect A/memory.current ~ 30M 5%  (ops: == != < <= > >= ~)\n"
"  expect A/memory.events max > 0 | expect t1 killed | expect t1 alive\n"
"  expect write A/memory.max foo fails EINVAL   (any errno name)\n"
"\n"
"A write that fails is an error: \"FILE:LINE: write ...: EINVAL (Invalid\n"
"argument)\" on stderr, and the run stops there (--keep-going: runs on).\n"
"exit status: 0 every expect held and every write succeeded, 1 an\n"
"expect or a write failed, 2 malformed file or usage. See README.md,\n"
"\"The memcg command\".\n";

struct cli {
	const char *cmd;
	const char *file;
	const char *output;
	struct run_opts run;
	bool show_tree;
	bool utf8;
	/* machine overrides */
	unsigned given;
	struct scn_machine m;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("memcg: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(memcg help for usage)\n", stderr);
	return 2;
}

/* "--opt VALUE" or "--opt=VALUE"; advances *i past VALUE. */
static const char *opt_value(int argc, char **argv, int *i, const char *name,
			     bool *matched)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	*matched = false;
	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=') {
		*matched = true;
		return a + n + 1;
	}
	if (a[n] != '\0')
		return NULL;
	*matched = true;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_args(int argc, char **argv, struct cli *c)
{
	static const char *const valued[] = {
		"--seed", "--memory", "--swap", "--cpus", "--mode", "--policy",
		"--output", "-o",
	};

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int which = -1;
		bool m;

		if (!strcmp(a, "--json")) {
			c->run.json = true;
			continue;
		}
		if (!strcmp(a, "--show-tree")) {
			c->show_tree = true;
			continue;
		}
		if (!strcmp(a, "--utf8")) {
			c->utf8 = true;
			continue;
		}
		if (!strcmp(a, "--keep-going")) {
			c->run.keep_going = true;
			continue;
		}
		for (size_t k = 0; k < sizeof(valued) / sizeof(*valued); k++) {
			v = opt_value(argc, argv, &i, valued[k], &m);
			if (m) {
				which = (int)k;
				break;
			}
		}
		if (which < 0) {
			if (a[0] == '-' && a[1] != '\0')
				return usage_error("unknown option '%s'", a);
			if (c->file)
				return usage_error("one scenario file only, "
						   "not also '%s'", a);
			c->file = a;
			continue;
		}
		if (!v)
			return usage_error("option '%s' needs a value", a);
		switch (which) {
		case 0: {
			char *end;

			errno = 0;
			c->run.seed = strtoull(v, &end, 0);
			if (errno || *end || !*v || *v == '-')
				return usage_error("bad seed '%s'", v);
			break;
		}
		case 1:
			if (scn_parse_size(v, &c->m.memory_bytes) ||
			    !c->m.memory_bytes)
				return usage_error("bad --memory '%s'", v);
			c->given |= SCN_GIVEN_MEMORY;
			break;
		case 2:
			if (scn_parse_size(v, &c->m.swap_bytes))
				return usage_error("bad --swap '%s'", v);
			c->given |= SCN_GIVEN_SWAP;
			break;
		case 3: {
			char *end;
			unsigned long n = strtoul(v, &end, 10);

			if (*end || !*v || n < 1 || n > SCN_MAX_CPUS)
				return usage_error("bad --cpus '%s'", v);
			c->m.cpus = (unsigned)n;
			c->given |= SCN_GIVEN_CPUS;
			break;
		}
		case 4:
			if (strcmp(v, "v1") && strcmp(v, "v2"))
				return usage_error("bad --mode '%s' (v1 or v2)",
						   v);
			c->m.mode = !strcmp(v, "v1") ? SCN_MODE_V1 : SCN_MODE_V2;
			c->given |= SCN_GIVEN_MODE;
			break;
		case 5:
			if (strcmp(v, "reparent") && strcmp(v, "kernel"))
				return usage_error("bad --policy '%s' (reparent "
						   "or kernel)", v);
			c->m.policy = !strcmp(v, "kernel") ?
				      SCN_POLICY_KERNEL : SCN_POLICY_REPARENT;
			c->given |= SCN_GIVEN_POLICY;
			break;
		default:
			c->output = v;
			break;
		}
	}
	if (!c->file)
		return usage_error("%s: which scenario file?", c->cmd);
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
	struct run *r;
	int err, ret;

	err = run_create(s, &c->run, tree ? NULL : stdout, &r);
	if (err) {
		run_create_error(s, err);
		return 2;
	}
	run_all(r);
	if (tree || c->show_tree)
		tree_print(run_engine(r), s, stdout, c->utf8, c->run.json);
	ret = run_exit_code(r);
	run_summary(c, s, r);
	run_destroy(r);
	fflush(stdout);
	return ret;
}

static int cmd_plot(const struct cli *c, const struct scenario *s)
{
	int ret;

	if (!c->output)
		return usage_error("%s", "plot: -o OUT.svg is required");
	ret = plot_scenario(s, &c->run, c->output);
	if (ret < 0) {
		fprintf(stderr, "memcg plot: %s: %s\n", c->output,
			errname(ret));
		return 2;
	}
	if (strcmp(c->output, "-"))
		fprintf(stderr, "memcg plot: wrote %s\n", c->output);
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
	return 2;
#endif
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct scenario *s;
	char err[1024];
	int ret;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	c.cmd = argv[1];
	if (!strcmp(c.cmd, "kernel") || !strcmp(c.cmd, "compare"))
		return oracle(c.cmd, argc, argv);
	if (strcmp(c.cmd, "run") && strcmp(c.cmd, "tree") &&
	    strcmp(c.cmd, "plot"))
		return usage_error("unknown command '%s'", c.cmd);
	ret = parse_args(argc, argv, &c);
	if (ret)
		return ret;
	ret = scenario_load(c.file, &s, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "memcg: %s\n", err);
		return 2;
	}
	apply_overrides(&c, &s->machine);
	if (!strcmp(c.cmd, "plot"))
		ret = cmd_plot(&c, s);
	else
		ret = cmd_run(&c, s, !strcmp(c.cmd, "tree"));
	scenario_free(s);
	return ret;
}
