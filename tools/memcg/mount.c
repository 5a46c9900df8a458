// SPDX-License-Identifier: MIT
/*
 * memcg mount DIR [SCENARIO]: the engine's tree at DIR through
 * libmemcg-fuse, with a scenario running on it (see mount.h).
 *
 * Threads: the file system is served by libmemcg-fuse's threads, which
 * call the engine's thread-safe public functions; this thread runs the
 * scenario (run.c, single-threaded as always) and is the only one that
 * takes SIGINT, SIGTERM, SIGHUP and SIGUSR1, through a signalfd, between
 * commands. A write through the mount while a command runs meets the
 * engine as a write from another thread would (the run's output is then
 * no longer the same byte for byte); with --pause, files read and
 * written between commands see the state the last command left.
 */
#include <errno.h>
#include <fuse_log.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "memcg/fuse.h"
#include "errname.h"
#include "help.h"
#include "mount.h"
#include "run.h"
#include "scenario.h"

struct mount_cli {
	const char *dir;
	const char *file;
	bool pause;
	struct run_opts run;
	unsigned given;			/* SCN_GIVEN_*: machine overrides */
	struct scn_machine m;
};

/* One line on stderr naming the problem; the usage exit status. */
__attribute__((format(printf, 1, 2)))
static int mount_usage(const char *fmt, ...)
{
	char msg[1024], esc[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "memcg mount: %s\n", scn_escape(msg, esc, sizeof(esc)));
	return MEMCG_EXIT_USAGE;
}

/* --- options --- */

static int set_machine(struct mount_cli *c, const char *o, const char *v)
{
	unsigned long n;
	char *end;

	if (!strcmp(o, "--memory")) {
		if (scn_parse_size(v, &c->m.memory_bytes) || !c->m.memory_bytes)
			return mount_usage("bad --memory '%s' (a non-zero size:"
					   " K, M, G, T)", v);
		c->given |= SCN_GIVEN_MEMORY;
	} else if (!strcmp(o, "--swap")) {
		if (scn_parse_size(v, &c->m.swap_bytes))
			return mount_usage("bad --swap '%s' (a size: K, M, G, "
					   "T)", v);
		c->given |= SCN_GIVEN_SWAP;
	} else if (!strcmp(o, "--cpus")) {
		n = strtoul(v, &end, 10);
		if (*end || !*v || *v == '-' || n < 1 || n > SCN_MAX_CPUS)
			return mount_usage("bad --cpus '%s' (1-%u)", v,
					   SCN_MAX_CPUS);
		c->m.cpus = (unsigned)n;
		c->given |= SCN_GIVEN_CPUS;
	} else if (!strcmp(o, "--mode")) {
		if (strcmp(v, "v1") && strcmp(v, "v2"))
			return mount_usage("bad --mode '%s' (v1 or v2)", v);
		c->m.mode = !strcmp(v, "v1") ? SCN_MODE_V1 : SCN_MODE_V2;
		c->given |= SCN_GIVEN_MODE;
	} else {
		if (strcmp(v, "reparent") && strcmp(v, "kernel"))
			return mount_usage("bad --policy '%s' (reparent or "
					   "kernel)", v);
		c->m.policy = !strcmp(v, "kernel") ? SCN_POLICY_KERNEL :
						     SCN_POLICY_REPARENT;
		c->given |= SCN_GIVEN_POLICY;
	}
	return 0;
}

static int set_valued(struct mount_cli *c, const char *o, const char *v)
{
	char *end;

	if (strcmp(o, "--seed"))
		return set_machine(c, o, v);
	errno = 0;
	c->run.seed = strtoull(v, &end, 0);
	if (errno || *end || !*v || *v == '-')
		return mount_usage("bad --seed '%s' (a number)", v);
	return 0;
}

static const char *const valued[] = {
	"--seed", "--memory", "--swap", "--cpus", "--mode", "--policy",
};

/* "--opt" or "--opt=VALUE" of a valued option: its name, else NULL. */
static const char *valued_opt(const char *a, const char **inline_value)
{
	for (size_t i = 0; i < sizeof(valued) / sizeof(*valued); i++) {
		size_t n = strlen(valued[i]);

		if (strncmp(a, valued[i], n))
			continue;
		if (a[n] == '\0' || a[n] == '=') {
			*inline_value = a[n] ? a + n + 1 : NULL;
			return valued[i];
		}
	}
	return NULL;
}

static int positional(struct mount_cli *c, const char *a)
{
	if (!c->dir)
		c->dir = a;
	else if (!c->file)
		c->file = a;
	else
		return mount_usage("one directory and one scenario file only, "
				   "not also '%s'", a);
	return 0;
}

static int parse_args(int argc, char **argv, struct mount_cli *c)
{
	int err = 0;

	for (int i = 1; i < argc && !err; i++) {
		const char *a = argv[i], *o, *v = NULL;

		if (!strcmp(a, "--pause")) {
			c->pause = true;
		} else if (!strcmp(a, "--keep-going")) {
			c->run.keep_going = true;
		} else if ((o = valued_opt(a, &v))) {
			if (!v && i + 1 >= argc)
				return mount_usage("option '%s' needs a value",
						   a);
			err = set_valued(c, o, v ? v : argv[++i]);
		} else if (a[0] == '-' && a[1] != '\0') {
			return mount_usage("unknown option '%s' (memcg mount "
					   "--help lists them)", a);
		} else {
			err = positional(c, a);
		}
	}
	if (!err && !c->dir)
		return mount_usage("which directory? (memcg mount --help)");
	return err;
}

static void apply_overrides(const struct mount_cli *c, struct scn_machine *m)
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

/* --- libfuse's messages: kept until mounted, to say why it failed --- */

static char fuse_msg[512];
static pthread_mutex_t fuse_msg_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool fuse_mounted;

/* libfuse logs from its caller's thread and from the mount's threads */
static void fuse_log_line(enum fuse_log_level level, const char *fmt,
			  va_list ap)
{
	size_t n;

	if (atomic_load(&fuse_mounted)) {
		fputs("memcg mount: fuse: ", stderr);
		vfprintf(stderr, fmt, ap);
		return;
	}
	pthread_mutex_lock(&fuse_msg_lock);
	vsnprintf(fuse_msg, sizeof(fuse_msg), fmt, ap);
	n = strlen(fuse_msg);
	while (n && fuse_msg[n - 1] == '\n')
		fuse_msg[--n] = '\0';
	pthread_mutex_unlock(&fuse_msg_lock);
}

static int mount_error(const char *dir, int err)
{
	switch (err) {
	case -ENOTDIR:
		return mount_usage("%s: not a directory", dir);
	case -EBUSY:
		return mount_usage("%s: already a mount point (busy)", dir);
	case -ENOTCONN:
		return mount_usage("%s: a dead FUSE mount (fusermount3 -u %s)",
				   dir, dir);
	case -ENODEV:
		return mount_usage("/dev/fuse is missing: this kernel or "
				   "container has no FUSE");
	case -EIO:
		return mount_usage("%s: cannot mount: %s", dir,
				   fuse_msg[0] ? fuse_msg : "libfuse failed");
	default:
		return mount_usage("%s: %s", dir, strerror(-err));
	}
}

/* --- waiting: between commands, and after the last --- */

enum wake {
	WAKE_GO,	/* run the next command */
	WAKE_STOP,	/* a stop signal */
	WAKE_GONE,	/* unmounted from outside */
};

struct mount_ctx {
	const struct mount_cli *c;
	const struct scenario *s;
	struct run *r;
	struct memcg_fuse *m;
	int sfd;		/* signalfd */
	bool stdin_open;	/* --pause reads Enter from it */
	unsigned enters;	/* Enters read ahead */
	int signo;		/* the stop signal */
};

/* Read what stdin has: count its newlines; at EOF stop watching it. */
static void read_stdin(struct mount_ctx *x)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n <= 0) {
		if (n == 0 || (errno != EINTR && errno != EAGAIN))
			x->stdin_open = false;
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		x->enters += buf[i] == '\n';
}

/* A signal arrived: WAKE_GO for SIGUSR1 when @pausing, -1 to go on. */
static int read_signal(struct mount_ctx *x, bool pausing)
{
	struct signalfd_siginfo si;

	if (read(x->sfd, &si, sizeof(si)) != sizeof(si))
		return -1;
	if (si.ssi_signo == SIGUSR1)
		return pausing ? WAKE_GO : -1;
	x->signo = (int)si.ssi_signo;
	return WAKE_STOP;
}

/*
 * Wait for a wake-up: SIGUSR1 or Enter when @pausing, a stop signal, the
 * unmount. @timeout 0: only what is already there, else WAKE_GO.
 */
static enum wake wait_wake(struct mount_ctx *x, bool pausing, int timeout)
{
	struct pollfd p[3] = {
		{ .fd = x->sfd, .events = POLLIN },
		{ .fd = memcg_fuse_fd(x->m), .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
	};
	int w;

	for (;;) {
		if (pausing && x->enters) {
			x->enters--;
			return WAKE_GO;
		}
		p[2].fd = pausing && x->stdin_open ? STDIN_FILENO : -1;
		if (poll(p, 3, timeout) < 0) {
			if (errno == EINTR)
				continue;
			return WAKE_STOP;
		}
		if (p[0].revents && (w = read_signal(x, pausing)) >= 0)
			return (enum wake)w;
		if (p[1].revents)
			return WAKE_GONE;
		if (p[2].revents)
			read_stdin(x);
		else if (!timeout)
			return WAKE_GO;
	}
}

static void prompt(const struct mount_ctx *x, const struct scn_cmd *c)
{
	char esc[1024];

	fprintf(stderr, "memcg mount: paused before %s:%d: %s (Enter or "
		"SIGUSR1 runs it)\n", x->s->filename, c->line,
		scn_escape(c->text ? c->text : "", esc, sizeof(esc)));
}

/* The scenario, command by command; then the wait for the unmount. */
static enum wake drive(struct mount_ctx *x)
{
	const struct scenario *s = x->s;
	enum wake w;

	while (run_next_index(x->r) < s->nr_cmds && !run_stopped_at(x->r)) {
		if (x->c->pause)
			prompt(x, &s->cmds[run_next_index(x->r)]);
		w = wait_wake(x, x->c->pause, x->c->pause ? -1 : 0);
		if (w != WAKE_GO)
			return w;
		run_step(x->r);
	}
	if (run_stopped_at(x->r))
		fprintf(stderr, "memcg mount: %s: stopped at line %d, the "
			"first failed write (--keep-going runs on)\n",
			s->filename, run_stopped_at(x->r));
	if (x->c->file)
		fprintf(stderr, "memcg mount: %s: over; %s stays mounted until "
			"fusermount3 -u or Ctrl-C\n", s->filename, x->c->dir);
	return wait_wake(x, false, -1);
}

static void summary(const struct mount_ctx *x, enum wake w)
{
	const struct report *rep = run_report(x->r);
	size_t next = run_next_index(x->r);

	if (w == WAKE_STOP)
		fprintf(stderr, "memcg mount: %s: unmounting %s\n",
			strsignal(x->signo), x->c->dir);
	else
		fprintf(stderr, "memcg mount: %s was unmounted\n", x->c->dir);
	if (next < x->s->nr_cmds && !run_stopped_at(x->r))
		fprintf(stderr, "memcg mount: %s: stopped before line %d\n",
			x->s->filename, x->s->cmds[next].line);
	if (rep->nr_write_failed && !run_stopped_at(x->r))
		fprintf(stderr, "memcg mount: %s: %u write%s failed\n",
			x->s->filename, rep->nr_write_failed,
			rep->nr_write_failed == 1 ? "" : "s");
	if (rep->nr_failed)
		fprintf(stderr, "memcg mount: %s: %u of %u expects failed\n",
			x->s->filename, rep->nr_failed, rep->nr_expects);
}

/* The signals this thread takes through a signalfd, blocked everywhere. */
static int block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

static int load(const struct mount_cli *c, struct scenario **s)
{
	char err[1024];
	int ret;

	if (c->file)
		ret = scenario_load(c->file, s, err, sizeof(err));
	else
		ret = scenario_parse("", 0, "(no scenario)", s, err,
				     sizeof(err));
	if (ret) {
		fprintf(stderr, "memcg: %s\n", err);
		return MEMCG_EXIT_USAGE;
	}
	apply_overrides(c, &(*s)->machine);
	return 0;
}

/* Mount the run's engine, run the scenario, wait, unmount. */
static int serve(struct mount_ctx *x)
{
	int err;
	enum wake w;

	fuse_set_log_func(fuse_log_line);
	err = memcg_fuse_mount(run_engine(x->r), x->c->dir, &x->m);
	if (err)
		return mount_error(x->c->dir, err);
	atomic_store(&fuse_mounted, true);
	fprintf(stderr, "memcg mount: the cgroup tree is at %s (%s); "
		"fusermount3 -u or Ctrl-C unmounts it\n", x->c->dir,
		x->s->machine.mode == SCN_MODE_V1 ? "v1" : "v2");
	w = drive(x);
	memcg_fuse_unmount(x->m);
	summary(x, w);
	return run_exit_code(x->r);
}

int mount_main(int argc, char **argv)
{
	struct mount_cli c = { 0 };
	struct mount_ctx x = { .c = &c, .stdin_open = true };
	struct scenario *s = NULL;
	int ret;

	ret = parse_args(argc, argv, &c);
	if (ret)
		return ret;
	ret = load(&c, &s);
	if (ret)
		return ret;
	x.s = s;
	x.sfd = block_signals();
	if (x.sfd < 0) {
		ret = mount_usage("signalfd: %s", strerror(errno));
		goto out;
	}
	if (c.file && !strcmp(c.file, "-"))
		x.stdin_open = false;	/* the scenario came from it */
	ret = run_create(s, &c.run, stdout, &x.r);
	if (ret) {
		run_create_error(s, ret);
		ret = MEMCG_EXIT_USAGE;
		goto out;
	}
	ret = serve(&x);
	run_destroy(x.r);
out:
	if (x.sfd >= 0)
		close(x.sfd);
	scenario_free(s);
	return ret;
}
