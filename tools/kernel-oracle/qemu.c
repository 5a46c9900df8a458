// SPDX-License-Identifier: MIT
/*
 * Run qemu-system-x86_64 for the kernel oracle. See qemu.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "initramfs.h"
#include "qemu.h"
#include "vmlinux.h"

/*
 * quiet: only errors on the console; panic=-1 and -no-reboot: a panic
 * ends qemu at once; zswap off: swap goes to zram as configured (it is
 * off by default in Debian's kernel, said here so a kernel that differs
 * does not change the results).
 */
#define KERNEL_CMDLINE "console=ttyS0 quiet panic=-1 zswap.enabled=0"

#define POLL_NS (20 * 1000 * 1000)
#define AFTER_END_S 10		/* poweroff grace after the end marker */
#define PROBE_TIMEOUT_S 10

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A file that qemu appends to, read as it grows, line by line. */
struct tail {
	const char *path;
	int fd;
	char buf[8192];
	size_t len;
};

static void tail_init(struct tail *t, const char *path)
{
	t->path = path;
	t->fd = -1;
	t->len = 0;
}

/* Feed complete lines (without "\r\n") to @line; return bytes read. */
static size_t tail_poll(struct tail *t, void (*line)(char *l, void *arg),
			void *arg, bool raw_to_stderr)
{
	size_t total = 0;

	if (t->fd < 0) {
		t->fd = open(t->path, O_RDONLY | O_CLOEXEC);
		if (t->fd < 0)
			return 0;
	}
	for (;;) {
		ssize_t n = read(t->fd, t->buf + t->len,
				 sizeof(t->buf) - 1 - t->len);
		char *start, *nl;

		if (n <= 0)
			break;
		total += (size_t)n;
		if (raw_to_stderr) {
			fwrite(t->buf + t->len, 1, (size_t)n, stderr);
			fflush(stderr);
		}
		t->len += (size_t)n;
		t->buf[t->len] = '\0';
		start = t->buf;
		while ((nl = memchr(start, '\n', t->len - (size_t)(start - t->buf)))) {
			*nl = '\0';
			if (nl > start && nl[-1] == '\r')
				nl[-1] = '\0';
			if (line)
				line(start, arg);
			start = nl + 1;
		}
		t->len -= (size_t)(start - t->buf);
		memmove(t->buf, start, t->len);
		if (t->len == sizeof(t->buf) - 1) {	/* an endless line */
			t->buf[t->len] = '\0';
			if (line)
				line(t->buf, arg);
			t->len = 0;
		}
	}
	return total;
}

static void tail_close(struct tail *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

struct collect {
	struct qemu_result *res;
	qemu_line_fn fn;
	void *arg;
	double ended_at;
};

static void on_output_line(char *l, void *arg)
{
	struct collect *c = arg;
	struct qemu_result *r = c->res;

	if (!strncmp(l, "@@ORACLE-BEGIN", 14)) {
		r->began = true;
		snprintf(r->kver, sizeof(r->kver), "%s",
			 l[14] == ' ' ? l + 15 : "");
	} else if (!strncmp(l, "@@ORACLE-VM ", 12)) {
		snprintf(r->vm, sizeof(r->vm), "%s", l + 12);
	} else if (!strncmp(l, "@@ORACLE-END", 12)) {
		r->ended = true;
		r->rc = atoi(l + 12);
		c->ended_at = now();
	} else if (!strncmp(l, "@@ORACLE-ERROR", 14)) {
		snprintf(r->error, sizeof(r->error), "%s",
			 l[14] == ' ' ? l + 15 : l);
	} else if (!strcmp(l, "@@ORACLE-PROBE")) {
		r->probe = true;
	} else if (r->began && !r->ended && c->fn) {
		c->fn(l, c->arg);
	}
}

/**
 * qemu_run - boot the VM and collect the player's lines
 * @h: host
 * @initrd: the run's initramfs
 * @rundir: directory for console.log, output.log and qemu.log
 * @o: options
 * @fn: called for each output line between the markers
 * @arg: for @fn
 * @res: the result
 *
 * Return: 0 if qemu ran, or -1 if it could not be started.
 */
int qemu_run(const struct oracle_host *h, const char *initrd,
	     const char *rundir, const struct qemu_opts *o, qemu_line_fn fn,
	     void *arg, struct qemu_result *res)
{
	char console[1200], output[1200], log[1200], ser0[1300], ser1[1300];
	char mem[32], cpus[16], accel[64], kernel[1300];
	struct collect col = { .res = res, .fn = fn, .arg = arg };
	struct tail out_tail, con_tail;
	double start = now();
	int status = 0;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	snprintf(console, sizeof(console), "%s/console.log", rundir);
	snprintf(output, sizeof(output), "%s/output.log", rundir);
	snprintf(log, sizeof(log), "%s/qemu.log", rundir);
	unlink(console);
	unlink(output);
	snprintf(ser0, sizeof(ser0), "file:%s", console);
	snprintf(ser1, sizeof(ser1), "file:%s", output);
	snprintf(mem, sizeof(mem), "%" PRIu64 "M", o->ram_bytes >> 20);
	snprintf(cpus, sizeof(cpus), "%u", o->cpus);
	snprintf(accel, sizeof(accel), "%s", o->accel);
	vmlinux_image(h, kernel, sizeof(kernel));

	char *const argv[] = {
		(char *)h->qemu, "-accel", accel, "-m", mem, "-smp", cpus,
		"-nodefaults", "-no-user-config", "-display", "none",
		"-no-reboot", "-serial", ser0, "-serial", ser1,
		"-kernel", kernel, "-initrd", (char *)initrd,
		"-append", KERNEL_CMDLINE, NULL,
	};

	pid = fork();
	if (pid < 0) {
		snprintf(res->error, sizeof(res->error), "fork: %s",
			 strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int lf = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (in >= 0)
			dup2(in, 0);
		if (lf >= 0) {
			dup2(lf, 1);
			dup2(lf, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}

	tail_init(&out_tail, output);
	tail_init(&con_tail, console);
	for (;;) {
		struct timespec ts = { 0, POLL_NS };
		pid_t w = waitpid(pid, &status, WNOHANG);

		tail_poll(&out_tail, on_output_line, &col, false);
		if (o->console)
			tail_poll(&con_tail, NULL, NULL, true);
		if (w == pid)
			break;
		if (now() - start > o->timeout_s ||
		    (res->ended && now() - col.ended_at > AFTER_END_S)) {
			res->timed_out = !res->ended;
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		nanosleep(&ts, NULL);
	}
	tail_poll(&out_tail, on_output_line, &col, false);
	if (o->console)
		tail_poll(&con_tail, NULL, NULL, true);
	tail_close(&out_tail);
	tail_close(&con_tail);
	res->seconds = now() - start;
	if (!res->ended && !res->error[0]) {
		if (res->timed_out)
			snprintf(res->error, sizeof(res->error),
				 "timed out after %u s", o->timeout_s);
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			snprintf(res->error, sizeof(res->error),
				 "cannot run %s", h->qemu);
		else if (!res->probe)
			snprintf(res->error, sizeof(res->error),
				 "the VM stopped before the player finished "
				 "(qemu status %d; see %s)", status, log);
	}
	return 0;
}

/**
 * qemu_print_console_tail - print the last lines of qemu's own messages
 * and of the VM's console
 * @rundir: run directory
 * @lines: how many of each
 */
void qemu_print_console_tail(const char *rundir, int lines)
{
	static const char *const logs[] = { "qemu.log", "console.log" };
	char path[1200], cmd[1400];
	struct stat st;
	bool shown = false;

	for (size_t i = 0; i < sizeof(logs) / sizeof(*logs); i++) {
		snprintf(path, sizeof(path), "%s/%s", rundir, logs[i]);
		if (stat(path, &st) || st.st_size == 0)
			continue;
		shown = true;
		fprintf(stderr, "--- %s (last %d lines) ---\n", logs[i], lines);
		fflush(stderr);
		snprintf(cmd, sizeof(cmd), "tail -n %d '%s' | tr -d '\\r' >&2",
			 lines, path);
		if (system(cmd) != 0)
			fprintf(stderr, "(cannot show %s)\n", path);
	}
	if (shown)
		fprintf(stderr, "---\n");
}

/**
 * qemu_accel - "kvm" if KVM works here, else "tcg"
 * @h: host
 * @base: the base initramfs (for the probe boot)
 * @rundir: a scratch directory for the probe
 *
 * Return: a static string.
 */
const char *qemu_accel(const struct oracle_host *h, const char *base,
		       const char *rundir)
{
	const char *env = getenv("MEMCG_ORACLE_ACCEL");
	struct qemu_opts o = {
		.accel = "kvm", .ram_bytes = 256ULL << 20, .cpus = 1,
		.timeout_s = PROBE_TIMEOUT_S,
	};
	struct qemu_result res;
	char cache[1200], initrd[1200], got[16] = "";
	const char *accel;
	FILE *f;

	if (env && !strcmp(env, "kvm"))
		return "kvm";
	if (env && !strcmp(env, "tcg"))
		return "tcg";
	if (access("/dev/kvm", R_OK | W_OK))
		return "tcg";
	snprintf(cache, sizeof(cache), "%s/accel-%s", h->cache, h->kver);
	f = fopen(cache, "r");
	if (f) {
		if (fgets(got, sizeof(got), f))
			got[strcspn(got, "\n")] = '\0';
		fclose(f);
		if (!strcmp(got, "kvm"))
			return "kvm";
		if (!strcmp(got, "tcg"))
			return "tcg";
	}

	snprintf(initrd, sizeof(initrd), "%s/probe.cpio", rundir);
	if (initramfs_run(base, initrd, "", 0, "PROBE=1\n"))
		return "tcg";
	fprintf(stderr, "kernel-oracle: checking whether KVM works here "
		"(once)...\n");
	accel = qemu_run(h, initrd, rundir, &o, NULL, NULL, &res) == 0 &&
		res.probe ? "kvm" : "tcg";
	unlink(initrd);
	fprintf(stderr, "kernel-oracle: using %s%s\n", accel,
		strcmp(accel, "kvm") ? " (KVM does not run a guest here)" : "");
	f = fopen(cache, "w");
	if (f) {
		fprintf(f, "%s\n", accel);
		fclose(f);
	}
	return accel;
}
