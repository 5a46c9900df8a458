// SPDX-License-Identifier: MIT
/*
 * The memcg command's help pages and version. See help.h.
 */
#include <string.h>

#include "help.h"
#include "memcg_version.h"

static const char summary[] =
"usage: memcg run FILE [options]       run a scenario on the engine\n"
"       memcg tree FILE [options]      run it quietly, print the cgroup tree\n"
"       memcg plot FILE -o OUT.svg [options]\n"
"                                      run it, plot every cgroup's memory\n"
"       memcg kernel FILE [options]    run it on a real kernel under qemu\n"
"       memcg compare FILE [options]   both, side by side\n"
"       memcg sweep FILE --set A/memory.low=0..60M:10M --show OUTPUTS\n"
"                                      run it over a range of values\n"
"       memcg mount DIR [FILE] [options]\n"
"                                      the cgroup tree as files at DIR\n"
"       memcg help [COMMAND]           this, or one command's options\n"
"       memcg --version\n"
"\n"
"FILE (\"-\": stdin) is a scenario, one command a line (# comments):\n"
"  machine memory=1G swap=512M cpus=2 mode=v2 policy=reparent\n"
"          kernel=6.1|6.12 reclaim=classic|mglru retries=skip|kernel\n"
"  mkdir A/B | rmdir A/B | write A/memory.max 50M | show A/memory.current\n"
"  task t1 A | move t1 A/B\n"
"  t1 anon 100M | t1 unmap 20M | t1 read FILE 50M | t1 write FILE 50M\n"
"  t1 read FILE 4M at 1T | t1 truncate FILE 0\n"
"  t1 mlock 10M | t1 touch 10M | t1 exit | t1 oom_score_adj -1000\n"
"  expect A/memory.current ~ 30M 5%  (ops: == != < <= > >= ~)\n"
"  expect A/memory.events max > 0 | expect t1 killed | expect t1 alive\n"
"  expect write A/memory.max foo fails EINVAL   (any errno name)\n"
"\n"
"exit status: 0 every expect held and every write succeeded; 1 an expect\n"
"or a write failed; 2 bad usage, a malformed scenario or unwritable\n"
"output; 3 the kernel side failed (kernel, compare).\n"
"\n"
"'memcg help COMMAND' or 'memcg COMMAND --help' lists a command's\n"
"options; memcg(1) and memcg-scenario(5) say it all.\n";

/* The engine's options, shared by run, tree and plot. */
#define ENGINE_OPTIONS \
"  --seed N            CPU placement of the tasks: 0 (the default) round\n" \
"                      robin, else drawn from a PRNG seeded with N; the\n" \
"                      same file and seed give the same output\n" \
"  --keep-going        run on after a failed write (by default the run\n" \
"                      stops there) and report every failure; exit 1\n"

/* The machine line's overrides, shared by every command but help. */
#define MACHINE_OPTIONS \
"  --memory SIZE       the machine's memory (K, M, G, T suffixes)\n" \
"  --swap SIZE         its swap (0: none)\n" \
"  --cpus N            its CPUs\n" \
"  --mode v1|v2        the cgroup interface\n" \
"  --policy reparent|kernel\n" \
"                      what rmdir does with the pages (the engine's)\n"

#define HELP_OPTION \
"  -h, --help          this help\n"

#define ENGINE_EXIT \
"\n" \
"exit status:\n" \
"  0  every expect held and every write succeeded\n" \
"  1  an expect or a write failed\n" \
"  2  bad usage, a malformed scenario, a machine the engine does not\n" \
"     model, or output that could not be written\n"

#define KERNEL_EXIT \
"  3  the kernel side failed: the player is missing, the VM did not\n" \
"     boot or timed out, the player or the engine crashed\n"

/* The kernel oracle's own options, shared by kernel and compare. */
#define ORACLE_OPTIONS \
"  --kernel 6.1|6.12   the Debian kernel to boot (default: the machine\n" \
"                      line's kernel=, else 6.1)\n" \
"  --lru-gen y|0       write lru_gen/enabled before the scenario\n" \
"                      (default: y for reclaim=mglru, 0 for\n" \
"                      reclaim=classic, else the kernel's own)\n" \
"  --thp always|madvise|never\n" \
"                      transparent huge pages (default: the kernel's)\n" \
"  --repeat N          N fresh boots (1-100): numbers as min / median /\n" \
"                      max, an expect holds when it held on every boot\n" \
"  --timeout SECONDS   limit for the whole VM run (default 600)\n" \
"  --cmd-timeout SECONDS\n" \
"                      limit for one task action (default 120)\n" \
"  --accel kvm|tcg     default: KVM if it works here, else TCG\n" \
"  --console           copy the VM's console to stderr\n" \
"  --keep              keep the run directory (logs, initramfs)\n" \
"  --paths             print where the player, its scripts and the cache\n" \
"                      are, and run nothing\n" \
"  --keep-going        run on after a failed write, on both sides\n" \
"  --seed N            the engine's CPU placement (compare)\n" \
"  --plot OUT          draw the kernel's timeline, sampled every 10 ms in\n" \
"                      the VM (.svg or .html); compare: the engine's\n" \
"                      (solid) and the kernel's (lighter) on one plot\n"

static const char run_help[] =
"usage: memcg run FILE [options]\n"
"\n"
"Run a scenario on libmemcg's engine, deterministically, and print one\n"
"line per show, expect (ok or FAIL), failed command and OOM kill. A\n"
"failed write prints \"FILE:LINE: write ...: EINVAL (Invalid argument)\"\n"
"on stderr and stops the run. FILE \"-\" is standard input.\n"
"\n"
"options:\n"
ENGINE_OPTIONS
"  --json              JSON Lines, one object per event, numbers typed\n"
"                      (docs/json-schema.md)\n"
"  --tap               KTAP, as the kernel's selftests: a test point per\n"
"                      expect and per failed write, the rest as \"# \"\n"
"                      diagnostics\n"
"  --show-tree         print the cgroup tree after the run\n"
"  --utf8              box-drawing characters in the tree\n"
"  --top               a live table of the cgroups (current, swap, high,\n"
"                      max, events): redrawn in place on a terminal, the\n"
"                      run's lines after it; else a table every 10\n"
"                      commands and at the end\n"
"  --plot OUT          also draw the run's timeline, as memcg plot -o OUT\n"
"                      (.svg, .html, or .samples: the samples as text)\n"
MACHINE_OPTIONS
HELP_OPTION
ENGINE_EXIT;

static const char tree_help[] =
"usage: memcg tree FILE [options]\n"
"\n"
"Run a scenario on the engine without printing its lines, then print the\n"
"cgroup tree: every cgroup's memory.current, swap, min, low, high, max,\n"
"events and tasks, and cgroup.stat. Failed writes and expects still say\n"
"so on stderr and in the exit status.\n"
"\n"
"options:\n"
ENGINE_OPTIONS
"  --json              one JSON object per cgroup\n"
"  --utf8              box-drawing characters\n"
MACHINE_OPTIONS
HELP_OPTION
ENGINE_EXIT;

static const char plot_help[] =
"usage: memcg plot FILE -o OUT.svg|OUT.html [options]\n"
"\n"
"Run a scenario on the engine, sampling every cgroup within each command\n"
"(every 1 MiB a task charges, or 10 ms of the virtual clock) and where\n"
"it ends, and draw every cgroup's memory.current and memory.swap.current\n"
"as lines, memory.min, low, high and max dashed, markers with counts\n"
"where memory.events low, high, max, oom and oom_kill grow, and a\n"
"removed cgroup still charged until it is freed. OUT.html is a\n"
"self-contained page that shows the values under the pointer.\n"
"\n"
"options:\n"
"  -o, --output FILE   .svg, .html (or .htm), or .samples (the samples as\n"
"                      text lines); \"-\": SVG on stdout; required\n"
ENGINE_OPTIONS
MACHINE_OPTIONS
HELP_OPTION
ENGINE_EXIT;

static const char kernel_help[] =
"usage: memcg kernel FILE [options]\n"
"\n"
"Run a scenario on a real Linux kernel (Debian's 6.1 or 6.12) under\n"
"qemu and print the kernel's lines in the engine's format, after a\n"
"\"# vm:\" line with the VM's configuration. qemu, the kernel and busybox\n"
"are installed on first use (root or sudo). See\n"
"tools/kernel-oracle/README.md.\n"
"\n"
"options:\n"
"  --json              JSON Lines, numbers typed (docs/json-schema.md)\n"
ORACLE_OPTIONS
MACHINE_OPTIONS
HELP_OPTION
ENGINE_EXIT
KERNEL_EXIT;

static const char compare_help[] =
"usage: memcg compare FILE [options]\n"
"\n"
"Run a scenario on the engine and on a real kernel under qemu and print\n"
"their values side by side, one row per shown value, expect, error and\n"
"kill. A row is marked '!' when they disagree (an expect's verdict, an\n"
"error, a kill), '*' when a shown number differs by more than the\n"
"tolerance, '?' when a line exists on one side only.\n"
"\n"
"options:\n"
"  --json              JSON Lines, one object per row, numbers typed\n"
"                      (docs/json-schema.md)\n"
"  --tap               KTAP: a test point per expect (ok when both sides\n"
"                      agree), per other disagreement and per failed\n"
"                      write; every row as a \"# \" diagnostic\n"
"  --tolerance PERCENT how far shown numbers may differ (default 5)\n"
ORACLE_OPTIONS
MACHINE_OPTIONS
HELP_OPTION
"\n"
"exit status:\n"
"  0  no row marked '!' and no write failed on either side\n"
"  1  a row is marked '!', or a write failed\n"
"  2  bad usage, a malformed scenario, or a machine the engine does not\n"
"     model\n"
KERNEL_EXIT;

/* memcg sweep (sweep.h) */
static const char sweep_help[] =
"usage: memcg sweep FILE (--set CG/FILE=VALUES | --seed VALUES)...\n"
"                   --show CG/FILE[:KEY],... [options]\n"
"       memcg sweep --merge SHARD... [--plot OUT.svg]\n"
"\n"
"Run a scenario once per value of one or two parameters, each run a\n"
"worker process of its own, and print a table: a row per point, a column\n"
"per parameter and per output, and the run's exit status. VALUES is\n"
"LO..HI:STEP (sizes; --seed may leave out :STEP) or V1,V2,... A --set\n"
"replaces the value of every \"write CG/FILE\" line of the scenario, or\n"
"adds the write after the line \"mkdir CG\". The outputs are read after\n"
"the scenario's last command (\"-\": none).\n"
"\n"
"options:\n"
"  --set CG/FILE=VALUES  sweep the value written to CG/FILE\n"
"  --seed VALUES       sweep the seed (CPU placement, as memcg run --seed)\n"
"  --show OUTPUTS      CG/FILE or CG/FILE:KEY, comma separated\n"
"  -j, --jobs N        workers at a time (default: the CPUs; 1 with\n"
"                      --kernel)\n"
"  --plot OUT.svg      plot the outputs against the first parameter\n"
"  --kernel            each point on a real kernel under qemu (memcg\n"
"                      kernel), not the engine\n"
"  --keep-going        each run goes on after a failed write\n"
"  --shard I/N         run the I-th of N disjoint parts of the points and\n"
"                      write JSON Lines instead of the table\n"
"  --merge             the arguments are shards' JSON Lines: print their\n"
"                      table (and plot)\n"
HELP_OPTION
"\n"
"exit status:\n"
"  0  every point's run exited 0\n"
"  1  a point's expect or write failed\n"
"  2  bad usage, a malformed scenario or range, an unknown file, shards\n"
"     of different sweeps or missing points\n"
"  3  a kernel point or a worker failed\n";
static const char mount_help[] =
"usage: memcg mount DIR [FILE] [options]\n"
"\n"
"Mount the engine's cgroup tree at DIR with FUSE, laid out as the\n"
"kernel's cgroupfs (v1 or v2): mkdir, rmdir, ls, cat, echo VALUE > FILE\n"
"and poll() on memory.events, with the kernel's errno for each failure.\n"
"With a scenario FILE the tree shows its state while it runs, and its\n"
"lines are printed as run prints them. The tree stays mounted after the\n"
"last command, until fusermount3 -u DIR, SIGINT (Ctrl-C), SIGTERM or\n"
"SIGHUP, which unmount and exit (during a command: when it is over).\n"
"\n"
"options:\n"
"  --pause             stop before each command until Enter on standard\n"
"                      input or SIGUSR1 (kill -USR1 PID)\n"
ENGINE_OPTIONS
MACHINE_OPTIONS
HELP_OPTION
"\n"
"exit status:\n"
"  0  unmounted, every expect held and every write succeeded so far\n"
"  1  an expect or a write failed\n"
"  2  bad usage, a malformed scenario, a machine the engine does not\n"
"     model, or DIR missing, not a directory or busy (nothing mounted)\n";

static const char help_help[] =
"usage: memcg help [COMMAND]\n"
"       memcg COMMAND --help\n"
"\n"
"Print the summary of every command, or the usage, options and exit\n"
"status of one: run, tree, plot, kernel, compare, sweep, mount, help.\n";

static const struct {
	const char *name;
	const char *text;
} pages[] = {
	{ "run", run_help },
	{ "tree", tree_help },
	{ "plot", plot_help },
	{ "kernel", kernel_help },
	{ "compare", compare_help },
	{ "sweep", sweep_help },
	{ "mount", mount_help },
	{ "help", help_help },
};

/** help_summary - "usage: memcg run FILE ..." for every command */
void help_summary(FILE *out)
{
	fputs(summary, out);
}

/** help_is_command - whether @cmd names a command */
bool help_is_command(const char *cmd)
{
	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++)
		if (!strcmp(cmd, pages[i].name))
			return true;
	return false;
}

/**
 * help_command - the help page of one command
 * @cmd: the command
 * @out: where
 *
 * Return: true, or false when @cmd is no command.
 */
bool help_command(const char *cmd, FILE *out)
{
	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
		if (!strcmp(cmd, pages[i].name)) {
			fputs(pages[i].text, out);
			return true;
		}
	}
	return false;
}

/** help_version - "memcg VERSION (git DESCRIBE)" */
void help_version(FILE *out)
{
	if (MEMCG_GIT_DESCRIBE[0])
		fprintf(out, "memcg %s (git %s)\n", MEMCG_VERSION,
			MEMCG_GIT_DESCRIBE);
	else
		fprintf(out, "memcg %s\n", MEMCG_VERSION);
}
