// SPDX-License-Identifier: MIT
/*
 * "memcg kernel": the command line, the VM's settings from the scenario's
 * machine line, and the run. See oracle.h for the options.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"
#include "host.h"
#include "initramfs.h"
#include "oracle.h"
#include "oracle_int.h"
#include "oracle_plot.h"
#include "qemu.h"
#include "report.h"
#include "scenario.h"
#include "vm.h"

#define MiB ((uint64_t)1 << 20)
#define KERNEL_HEADROOM (256 * MiB)	/* the VM's memory above the machine's */
#define MAX_VM_RAM ((uint64_t)8 << 30)
#define MIN_SCRATCH (128 * MiB)
#define SCRATCH_SLACK (64 * MiB)
#define BOOT_ATTEMPTS 3		/* boots that may die before the player begins */

/*
 * One line on stderr, "memcg CMD: what", escaped (it quotes the command
 * line); the usage exit status.
 */
static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	char msg[1024], esc[4096];

	snprintf(msg, sizeof(msg), fmt, arg);
	fprintf(stderr, "memcg %s: %s\n", cmd, scn_escape(msg, esc,
							  sizeof(esc)));
	return 2;
}

static bool parse_uint(const char *v, unsigned max, unsigned *out)
{
	char *end;
	unsigned long n;

	if (!v || !*v || *v == '-')
		return false;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < 1 || n > max)
		return false;
	*out = (unsigned)n;
	return true;
}

/* --kernel, --lru-gen and --repeat: 0, or 2 after a usage error. */
static int parse_vm_opt(const char *cmd, const char *a, const char *v,
			struct oracle_opts *o)
{
	if (!strncmp(a, "--kernel", 8)) {
		if (strcmp(v, "6.1") && strcmp(v, "6.12"))
			return usage_error(cmd, "bad --kernel '%s' (6.1 or 6.12)",
					   v);
		o->kernel = !strcmp(v, "6.12") ? SCN_KERNEL_6_12 :
						 SCN_KERNEL_6_1;
		o->kernel_given = true;
	} else if (!strncmp(a, "--lru-gen", 9)) {
		if (strcmp(v, "y") && strcmp(v, "0"))
			return usage_error(cmd, "bad --lru-gen '%s' (y or 0)", v);
		o->lru_gen = v;
	} else if (!parse_uint(v, 100, &o->repeat)) {
		return usage_error(cmd, "bad --repeat '%s' (1-100 boots)", v);
	}
	return 0;
}

/**
 * oracle_parse_args - parse "kernel"/"compare" arguments
 * @argc: count
 * @argv: @argv[0] is the command
 * @compare: accept compare's options
 * @o: receives the options
 *
 * Return: 0, or 2 after printing a usage error.
 */
int oracle_parse_args(int argc, char **argv, bool compare,
		      struct oracle_opts *o)
{
	static const char *const valued[] = {
		"--seed", "--memory", "--swap", "--cpus", "--mode", "--policy",
		"--timeout", "--cmd-timeout", "--thp", "--accel", "--tolerance",
		"--kernel", "--lru-gen", "--repeat", "--plot",
	};
	const char *cmd = argv[0];

	memset(o, 0, sizeof(*o));
	o->timeout_s = 600;
	o->cmd_timeout_s = 120;
	o->tolerance = SCN_DEFAULT_TOLERANCE;
	o->repeat = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int which = -1;

		if (!strcmp(a, "--json")) {
			o->json = true;
			continue;
		}
		if (!strcmp(a, "--tap")) {
			if (!compare)
				return usage_error(cmd, "%s: for compare only",
						   a);
			o->tap = true;
			continue;
		}
		if (!strcmp(a, "--paths")) {
			o->paths = true;
			continue;
		}
		if (!strcmp(a, "--console")) {
			o->console = true;
			continue;
		}
		if (!strcmp(a, "--keep")) {
			o->keep = true;
			continue;
		}
		if (!strcmp(a, "--keep-going")) {
			if (o->nr_fwd + 1 > ORACLE_MAX_FWD)
				return usage_error(cmd, "too many options%s", "");
			o->keep_going = true;
			o->fwd[o->nr_fwd++] = "--keep-going";
			continue;
		}
		for (size_t k = 0; k < sizeof(valued) / sizeof(*valued); k++) {
			size_t n = strlen(valued[k]);

			if (strncmp(a, valued[k], n))
				continue;
			if (a[n] == '=') {
				v = a + n + 1;
			} else if (a[n] == '\0') {
				if (i + 1 >= argc)
					return usage_error(cmd, "option '%s' "
							   "needs a value", a);
				v = argv[++i];
			} else {
				continue;
			}
			which = (int)k;
			break;
		}
		if (which < 0) {
			if (a[0] == '-' && a[1] != '\0') {
				char esc[1024];

				fprintf(stderr, "memcg %s: unknown option '%s' "
					"(memcg %s --help lists them)\n", cmd,
					scn_escape(a, esc, sizeof(esc)), cmd);
				return 2;
			}
			if (o->file)
				return usage_error(cmd, "one scenario file only, "
						   "not also '%s'", a);
			o->file = a;
			continue;
		}
		if (which <= 5) {	/* the engine's: forward them */
			if (o->nr_fwd + 2 > ORACLE_MAX_FWD)
				return usage_error(cmd, "too many options%s", "");
			o->fwd[o->nr_fwd++] = (char *)valued[which];
			o->fwd[o->nr_fwd++] = (char *)v;
		}
		switch (which) {
		case 0:		/* --seed: the engine's CPU placement */
		case 5:		/* --policy: the engine's; the kernel's is its own */
			break;
		case 1:
			if (scn_parse_size(v, &o->m.memory_bytes) ||
			    !o->m.memory_bytes)
				return usage_error(cmd, "bad --memory '%s'", v);
			o->given |= SCN_GIVEN_MEMORY;
			break;
		case 2:
			if (scn_parse_size(v, &o->m.swap_bytes))
				return usage_error(cmd, "bad --swap '%s'", v);
			o->given |= SCN_GIVEN_SWAP;
			break;
		case 3:
			if (!parse_uint(v, 64, &o->m.cpus))
				return usage_error(cmd, "bad --cpus '%s' (1-64 "
						   "in the VM)", v);
			o->given |= SCN_GIVEN_CPUS;
			break;
		case 4:
			if (strcmp(v, "v1") && strcmp(v, "v2"))
				return usage_error(cmd, "bad --mode '%s' (v1 or "
						   "v2)", v);
			o->m.mode = !strcmp(v, "v1") ? SCN_MODE_V1 : SCN_MODE_V2;
			o->given |= SCN_GIVEN_MODE;
			break;
		case 6:
			if (!parse_uint(v, 86400, &o->timeout_s))
				return usage_error(cmd, "bad --timeout '%s'", v);
			break;
		case 7:
			if (!parse_uint(v, 86400, &o->cmd_timeout_s))
				return usage_error(cmd, "bad --cmd-timeout '%s'",
						   v);
			break;
		case 8:
			if (strcmp(v, "always") && strcmp(v, "madvise") &&
			    strcmp(v, "never"))
				return usage_error(cmd, "bad --thp '%s' (always, "
						   "madvise or never)", v);
			o->thp = v;
			break;
		case 9:
			if (strcmp(v, "kvm") && strcmp(v, "tcg"))
				return usage_error(cmd, "bad --accel '%s' (kvm or "
						   "tcg)", v);
			o->accel = v;
			break;
		case 10: {
			char *end;

			if (!compare)
				return usage_error(cmd, "%s: for compare only",
						   a);
			o->tolerance = strtod(v, &end);
			if (*end || !*v || o->tolerance < 0)
				return usage_error(cmd, "bad --tolerance '%s'",
						   v);
			break;
		}
		case 14:
			o->plot = v;
			break;
		default:
			if (parse_vm_opt(cmd, a, v, o))
				return 2;
			break;
		}
	}
	if (o->paths) {
		if (o->file)
			return usage_error(cmd, "--paths runs no scenario, not "
					   "'%s'", o->file);
		return 0;
	}
	if (!o->file)
		return usage_error(cmd, "which scenario file? (memcg %s "
				   "--help)", cmd);
	if (o->tap && o->json)
		return usage_error(cmd, "--tap is the output: not with %s",
				   "--json");
	return 0;
}

/* One line of --paths: "NAME PATH", and whether it is there. */
static bool print_path(const char *name, const char *path, int mode,
		       const char *cmd)
{
	char esc[4200];

	scn_escape(path, esc, sizeof(esc));
	printf("%-8s %s\n", name, esc);
	if (access(path, mode) == 0)
		return true;
	fprintf(stderr, "memcg %s: %s %s is missing (%s)\n", cmd, name, esc,
		strerror(errno));
	return false;
}

/**
 * oracle_print_paths - where the oracle's files are (--paths)
 * @cmd: the command, for messages
 *
 * Return: 0, or 3 when the player or a script is missing.
 */
int oracle_print_paths(const char *cmd)
{
	struct oracle_host h = { 0 };
	enum host_from from = host_paths(&h);
	char prepare[1100], init[1100];
	bool ok;

	snprintf(prepare, sizeof(prepare), "%s/prepare.sh", h.srcdir);
	snprintf(init, sizeof(init), "%s/init.sh", h.srcdir);
	ok = print_path("player", h.player, X_OK, cmd);
	ok &= print_path("prepare", prepare, X_OK, cmd);
	ok &= print_path("init", init, R_OK, cmd);
	printf("%-8s %s\n", "cache", h.cache);
	printf("%-8s %s\n", "from", from == HOST_FROM_INSTALL ?
	       "the installation" : "the build tree");
	return ok ? 0 : 3;
}

/**
 * oracle_load - read and parse the scenario, apply the overrides
 * @o: options
 * @text: receives the file's bytes
 * @len: receives their number
 * @s: receives the scenario
 *
 * Return: 0, or 2 after printing the parser's message.
 */
int oracle_load(const struct oracle_opts *o, char **text, size_t *len,
		struct scenario **s)
{
	bool in = !strcmp(o->file, "-");
	char err[1024];
	struct scn_machine *m;

	if (scenario_read(o->file, text, len, err, sizeof(err))) {
		fprintf(stderr, "memcg: %s\n", err);
		return 2;
	}
	if (scenario_parse(*text, *len, in ? "<stdin>" : o->file, s, err,
			   sizeof(err))) {
		fprintf(stderr, "memcg: %s\n", err);
		free(*text);
		return 2;
	}
	m = &(*s)->machine;
	if (o->given & SCN_GIVEN_MEMORY)
		m->memory_bytes = o->m.memory_bytes;
	if (o->given & SCN_GIVEN_SWAP)
		m->swap_bytes = o->m.swap_bytes;
	if (o->given & SCN_GIVEN_CPUS)
		m->cpus = o->m.cpus;
	if (o->given & SCN_GIVEN_MODE)
		m->mode = o->m.mode;
	m->given |= o->given;
	if (o->kernel_given) {
		m->kernel = o->kernel;
		m->given |= SCN_GIVEN_KERNEL;
	}
	if (m->kernel == SCN_KERNEL_6_12 && m->mode == SCN_MODE_V1) {
		fprintf(stderr, "memcg: %s: mode=v1 with kernel 6.12: Debian's "
			"6.12 is built without CONFIG_MEMCG_V1 (no cgroup v1)\n",
			(*s)->filename);
		scenario_free(*s);
		free(*text);
		return 2;
	}
	return 0;
}

/**
 * oracle_lru_gen - what to write to lru_gen/enabled
 * @o: options
 * @m: the machine line
 *
 * Return: "y", "0" or NULL (leave the kernel's default).
 */
const char *oracle_lru_gen(const struct oracle_opts *o,
			   const struct scn_machine *m)
{
	if (o->lru_gen)
		return o->lru_gen;
	if (m->reclaim == SCN_RECLAIM_MGLRU)
		return "y";
	if (m->reclaim == SCN_RECLAIM_CLASSIC)
		return "0";
	return NULL;
}

/* The scratch disk: every data file at its largest, and some slack. */
static uint64_t scratch_bytes(const struct scenario *s)
{
	uint64_t total = SCRATCH_SLACK;

	for (size_t i = 0; i < s->nr_cmds; i++) {
		const struct scn_cmd *c = &s->cmds[i];
		bool first = true;

		if (c->type != SCN_READ && c->type != SCN_FWRITE)
			continue;
		for (size_t j = 0; j < s->nr_cmds && first; j++)
			if (j != i && (s->cmds[j].type == SCN_READ ||
				       s->cmds[j].type == SCN_FWRITE) &&
			    !strcmp(s->cmds[j].file, c->file) &&
			    (s->cmds[j].bytes > c->bytes ||
			     (s->cmds[j].bytes == c->bytes && j < i)))
				first = false;
		if (first)	/* the largest read of this file */
			total += (c->bytes + MiB - 1) & ~(MiB - 1);
	}
	return total < MIN_SCRATCH ? MIN_SCRATCH : total;
}

/* rm -r of a run directory (flat: files only). */
static void remove_rundir(const char *dir)
{
	static const char *const files[] = {
		"console.log", "output.log", "qemu.log", "initrd.cpio",
		"probe.cpio",
	};
	char path[1400];

	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/**
 * oracle_kernel_run - run a scenario in the VM
 * @o: options
 * @text: the scenario file's bytes
 * @len: how many
 * @s: the parsed scenario, overrides applied
 * @fn: called for each line the player prints
 * @arg: for @fn
 * @res: how the boot went
 *
 * Return: 0 when the player ran to its end, 3 otherwise.
 */
/*
 * Boot until the player begins: under TCG a kernel now and then dies
 * while it boots (an int3 oops as it patches its own text), which says
 * nothing of the scenario. Return: 0, or -1 when qemu could not run.
 */
static int boot(const struct oracle_host *h, const char *initrd,
		const char *rundir, const struct qemu_opts *q, qemu_line_fn fn,
		void *arg, struct qemu_result *res)
{
	for (unsigned attempt = 1;; attempt++) {
		if (qemu_run(h, initrd, rundir, q, fn, arg, res)) {
			fprintf(stderr, "kernel-oracle: %s\n", res->error);
			return -1;
		}
		if (res->began || res->timed_out || attempt == BOOT_ATTEMPTS)
			return 0;
		fprintf(stderr, "kernel-oracle: the kernel stopped before the "
			"scenario began (%s); booting again, %u of %u\n",
			res->error, attempt + 1, BOOT_ATTEMPTS);
		memset(res, 0, sizeof(*res));
	}
}

int oracle_kernel_run(const struct oracle_opts *o, const char *text,
		      size_t len, const struct scenario *s, qemu_line_fn fn,
		      void *arg, struct qemu_result *res)
{
	const struct scn_machine *m = &s->machine;
	struct oracle_host h;
	struct qemu_opts q = { 0 };
	char err[1024], base[1200], rundir[1200], initrd[1300], env[1024];
	const char *lru_gen;
	int ret = 3, failed;

	memset(res, 0, sizeof(*res));
	if (host_prepare(&h, scn_kernel_str(m->kernel), err, sizeof(err)) ||
	    initramfs_base(&h, base, sizeof(base), err, sizeof(err))) {
		fprintf(stderr, "kernel-oracle: %s\n", err);
		return 3;
	}
	snprintf(rundir, sizeof(rundir), "%s/run-XXXXXX", h.cache);
	if (!mkdtemp(rundir)) {
		fprintf(stderr, "kernel-oracle: mkdtemp %s: %s\n", rundir,
			strerror(errno));
		return 3;
	}

	q.accel = o->accel ? o->accel : qemu_accel(&h, base, rundir);
	q.ram_bytes = m->memory_bytes + KERNEL_HEADROOM;
	if (q.ram_bytes > MAX_VM_RAM) {
		fprintf(stderr, "kernel-oracle: the VM gets %" PRIu64 "M, not "
			"%" PRIu64 "M: the scenario's limits, not the machine "
			"size, are what the kernel is compared on\n",
			MAX_VM_RAM >> 20, q.ram_bytes >> 20);
		q.ram_bytes = MAX_VM_RAM;
	}
	q.ram_bytes = (q.ram_bytes + MiB - 1) & ~(MiB - 1);
	q.cpus = m->cpus > 64 ? 64 : m->cpus;
	q.timeout_s = o->timeout_s;
	q.console = o->console;

	lru_gen = oracle_lru_gen(o, m);
	snprintf(env, sizeof(env),
		 "MODE=%s\nSWAP_BYTES=%" PRIu64 "\nSCRATCH_BYTES=%" PRIu64 "\n"
		 "THP=%s\nLRU_GEN=%s\nRAM_MB=%" PRIu64 "\nHZ=%u\n"
		 "PLAYER_ARGS=\"--cmd-timeout %u --mode %s%s%s%s\"\n",
		 m->mode == SCN_MODE_V1 ? "v1" : "v2",
		 m->swap_bytes & ~(uint64_t)4095, scratch_bytes(s),
		 o->thp ? o->thp : scn_thp_str(m->thp), lru_gen ? lru_gen : "",
		 q.ram_bytes >> 20, h.hz, o->cmd_timeout_s,
		 m->mode == SCN_MODE_V1 ? "v1" : "v2",
		 o->json ? " --json" : "", o->keep_going ? " --keep-going" : "",
		 o->plot_sink ? " --samples" : "");
	snprintf(initrd, sizeof(initrd), "%s/initrd.cpio", rundir);
	if (initramfs_run(base, initrd, text, len, env)) {
		fprintf(stderr, "kernel-oracle: cannot write %s\n", initrd);
		goto out;
	}
	if (o->plot_sink) {	/* samples to the plot, the rest to @fn */
		o->plot_sink->fn = fn;
		o->plot_sink->arg = arg;
		fn = oracle_plot_line;
		arg = o->plot_sink;
	}
	failed = boot(&h, initrd, rundir, &q, fn, arg, res);
	if (o->plot_sink)
		o->plot_sink->boots++;
	if (failed)
		goto out;
	if (res->ended && res->rc <= 1) {
		ret = 0;
	} else {
		if (res->ended && res->rc == 2)
			snprintf(res->error, sizeof(res->error), "the player "
				 "rejected the scenario (exit 2)");
		else if (res->ended && !res->error[0])
			snprintf(res->error, sizeof(res->error), "the player "
				 "failed (exit %d)", res->rc);
		fprintf(stderr, "kernel-oracle: %s\n", res->error);
		if (!o->console)
			qemu_print_console_tail(rundir, 40);
	}
	fprintf(stderr, "kernel-oracle: Linux %s, %s, %" PRIu64 "M, %u CPU%s: "
		"%.1f s\n", res->kver[0] ? res->kver : h.kver, q.accel,
		q.ram_bytes >> 20, q.cpus, q.cpus == 1 ? "" : "s",
		res->seconds);
out:
	if (o->keep) {
		fprintf(stderr, "kernel-oracle: run directory %s\n", rundir);
	} else if (ret) {
		unlink(initrd);		/* 5M each; the logs are what tell */
		fprintf(stderr, "kernel-oracle: logs in %s\n", rundir);
	} else {
		remove_rundir(rundir);
	}
	return ret;
}

struct kernel_print {
	bool json;
	unsigned expects, failed;
	const struct scenario *s;
	unsigned write_failed;	/* plain writes that failed */
	int first_write_line;	/* the first one's line */
	const struct qemu_result *res;
	bool vm_done;
};

/* The "# vm:" line once, before the first result. */
static void print_vm_once(struct kernel_print *p)
{
	if (p->vm_done)
		return;
	p->vm_done = true;
	vm_print(p->res->vm, 1, p->json, stdout);
}

/* Text: "write A/memory.max: EINVAL [line 6]"; the line and the errno. */
static int text_write_failed(const char *line, int *err)
{
	const char *sep = strstr(line, ": "), *at = strstr(line, " [line ");
	char name[64];
	size_t n;

	if (strncmp(line, "write ", 6) || !sep || !at || at < sep)
		return 0;
	n = (size_t)(at - sep - 2);
	if (n >= sizeof(name))
		return 0;
	memcpy(name, sep + 2, n);
	name[n] = '\0';
	*err = errname_parse(name);
	return atoi(at + 7);
}

/* JSON: the error event of a "write" line; the line and the errno. */
static int json_write_failed(const struct scenario *s, const char *line,
			     int *err)
{
	struct events E = { 0 };
	int ln = 0;

	events_add(&E, line);
	if (E.nr == 1 && event_write_failed(&E.v[0], s)) {
		ln = E.v[0].line;
		*err = errname_parse(E.v[0].error);
	}
	events_free(&E);
	return ln;
}

/* A failed plain write in the player's output: say it with its line. */
static void check_write_failed(struct kernel_print *p, const char *line)
{
	const struct scn_cmd *c;
	int err = 0;
	int ln = p->json ? json_write_failed(p->s, line, &err) :
			   text_write_failed(line, &err);

	c = ln ? events_cmd_at(p->s, ln) : NULL;
	if (!c || c->type != SCN_WRITE)
		return;
	report_write_diag(stderr, "memcg kernel", p->s->filename, c, err);
	if (!p->write_failed++)
		p->first_write_line = ln;
}

static void print_line(const char *line, void *arg)
{
	struct kernel_print *p = arg;

	print_vm_once(p);
	if (p->json) {
		if (strstr(line, "\"kind\":\"expect\"")) {
			p->expects++;
			if (strstr(line, "\"ok\":false"))
				p->failed++;
		}
	} else if (!strncmp(line, "ok ", 3)) {
		p->expects++;
	} else if (!strncmp(line, "FAIL ", 5)) {
		p->expects++;
		p->failed++;
	}
	printf("%s\n", line);
	fflush(stdout);
	check_write_failed(p, line);
}

/**
 * oracle_boots_free - free what oracle_kernel_boots() filled in
 * @b: the boots
 */
void oracle_boots_free(struct oracle_boots *b)
{
	for (unsigned i = 0; b->ev && i < b->n; i++)
		events_free(&b->ev[i]);
	free(b->ev);
	free(b->vm);
	b->ev = NULL;
	b->vm = NULL;
}

/**
 * oracle_kernel_boots - run the scenario @o->repeat times, a fresh VM each
 * @o: options (the player prints JSON whatever @o->json says)
 * @text: the scenario file's bytes
 * @len: how many
 * @s: the parsed scenario, overrides applied
 * @b: receives the events
 *
 * Return: 0, or 3 when a boot failed.
 */
int oracle_kernel_boots(const struct oracle_opts *o, const char *text,
			size_t len, const struct scenario *s,
			struct oracle_boots *b)
{
	struct oracle_opts ko = *o;
	struct qemu_result res;

	memset(b, 0, sizeof(*b));
	b->n = o->repeat ? o->repeat : 1;
	b->ev = calloc(b->n, sizeof(*b->ev));
	b->vm = calloc(b->n, sizeof(*b->vm));
	if (!b->ev || !b->vm) {
		fputs("kernel-oracle: out of memory\n", stderr);
		return 3;
	}
	ko.json = true;
	for (unsigned i = 0; i < b->n; i++) {
		if (b->n > 1)
			fprintf(stderr, "kernel-oracle: boot %u of %u\n", i + 1,
				b->n);
		if (oracle_kernel_run(&ko, text, len, s, events_add_cb,
				      &b->ev[i], &res))
			return 3;
		snprintf(b->vm[i], sizeof(b->vm[i]), "%s", res.vm);
		snprintf(b->kver, sizeof(b->kver), "%s", res.kver);
	}
	return 0;
}

/**
 * oracle_print_vms - print the boots' VM configurations
 * @b: the boots
 * @json: JSON Lines
 * @out: where
 */
void oracle_print_vms(const struct oracle_boots *b, bool json, FILE *out)
{
	for (unsigned i = 0; i < b->n; i++)
		if (json || !i || strcmp(b->vm[i], b->vm[0]))
			vm_print(b->vm[i], i + 1, json, out);
}

/* "memcg kernel --repeat N": the spread of every value over N boots. */
static int kernel_repeat(const struct oracle_opts *o, const char *text,
			 size_t len, const struct scenario *s)
{
	struct oracle_boots b;
	struct items I;
	unsigned failed, writes, expects = 0;
	int ret;

	ret = oracle_kernel_boots(o, text, len, s, &b);
	if (ret) {
		oracle_boots_free(&b);
		return ret;
	}
	oracle_print_vms(&b, o->json, stdout);
	if (!o->json)
		printf("# %u boots: numbers are min / median / max\n", b.n);
	items_build(&I, b.ev, b.n);
	failed = items_print(&I, s, o->json, stdout);
	fflush(stdout);
	writes = items_write_failures(&I, s, "memcg kernel", stderr);
	for (size_t i = 0; i < I.nr; i++)
		expects += I.v[i].kind == EV_EXPECT;
	if (failed && !o->json)
		fprintf(stderr, "memcg kernel: %s: %u of %u expects did not "
			"hold on every boot\n", s->filename, failed, expects);
	items_free(&I);
	oracle_boots_free(&b);
	return failed || writes ? 1 : 0;
}

/* On stderr: where the player stopped; the failures (not with --json). */
static void kernel_summary(const struct oracle_opts *o,
			   const struct kernel_print *p)
{
	const char *f = p->s->filename;

	if (p->write_failed && !o->keep_going)
		fprintf(stderr, "memcg kernel: %s: stopped at line %d, the "
			"first failed write (--keep-going runs on)\n", f,
			p->first_write_line);
	if (o->json)
		return;
	if (p->write_failed && o->keep_going)
		fprintf(stderr, "memcg kernel: %s: %u write%s failed\n", f,
			p->write_failed, p->write_failed == 1 ? "" : "s");
	if (p->failed)
		fprintf(stderr, "memcg kernel: %s: %u of %u expects failed\n",
			f, p->failed, p->expects);
}

/**
 * oracle_kernel_main - "memcg kernel"
 * @argc: arguments, @argv[0] being "kernel"
 * @argv: FILE and options
 *
 * Return: the exit status.
 */
int oracle_kernel_main(int argc, char **argv)
{
	struct kernel_print p = { 0 };
	struct oracle_plot plot;
	struct oracle_opts o;
	struct qemu_result res;
	struct scenario *s;
	char *text;
	size_t len;
	int ret;

	ret = oracle_parse_args(argc, argv, false, &o);
	if (ret)
		return ret;
	if (o.paths)
		return oracle_print_paths(argv[0]);
	ret = oracle_load(&o, &text, &len, &s);
	if (ret)
		return ret;
	if (o.plot) {
		ret = oracle_plot_open(&plot, argv[0], o.plot, s, false);
		if (ret)
			goto out;
		o.plot_sink = &plot;
	}
	if (o.repeat > 1) {
		ret = kernel_repeat(&o, text, len, s);
		goto out_plot;
	}
	p.json = o.json;
	p.s = s;
	p.res = &res;
	ret = oracle_kernel_run(&o, text, len, s, print_line, &p, &res);
	if (!ret) {
		print_vm_once(&p);
		ret = res.rc ? res.rc : p.write_failed ? 1 : 0;
		kernel_summary(&o, &p);
	}
out_plot:
	if (o.plot_sink && ret <= 1) {
		int err = oracle_plot_finish(&plot, argv[0]);

		ret = err ? err : ret;
	} else if (o.plot_sink) {
		oracle_plot_abort(&plot);	/* the kernel side failed */
	}
out:
	scenario_free(s);
	free(text);
	return ret;
}

/** memcg_kernel_main - oracle_kernel_main() */
int memcg_kernel_main(int argc, char **argv)
{
	return oracle_kernel_main(argc, argv);
}
