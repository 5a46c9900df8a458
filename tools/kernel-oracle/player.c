// SPDX-License-Identifier: MIT
/*
 * The kernel oracle's player: runs a scenario file on the real cgroup
 * filesystem of the kernel it runs on (inside the oracle's VM, as PID 1's
 * child) and prints the same lines as the engine (report.h).
 *
 *   player [--json] [--root DIR] [--cmd-timeout SECONDS] [--mode v1|v2]
 *          [--keep-going] [--samples] FILE
 *
 * --mode overrides the scenario's machine line (as "memcg kernel --mode").
 * --samples adds sample lines every 10 ms (player_sample.h), for plots.
 * --root is where the cgroup hierarchy is mounted (/sys/fs/cgroup):
 * cgroup2 with the memory controller enabled at the root, or for a
 * "mode=v1" scenario the v1 memory hierarchy. Data files are created in
 * the current directory, which must not be tmpfs (its pages are shmem,
 * not file cache).
 *
 * What each command does here:
 *   mkdir P/C      mkdir, then "+memory" into P's cgroup.subtree_control
 *                  when P lacks it (v2; P must have no tasks then, or the
 *                  write fails with EBUSY, which is reported)
 *   rmdir P        rmdir; a failure prints its errno (EBUSY), no retry
 *   write, show    write(2) and read(2) on the control file; a failed
 *                  write prints "write A/memory.max: EINVAL [line 6]" (the
 *                  error event with --json), and the player stops there
 *                  unless --keep-going (as `memcg run`, run.h)
 *   expect write   write(2), and the expect holds when it failed with
 *                  the errno named (report_expect_write())
 *   task t P       fork a task process, write its pid to P/cgroup.procs
 *   move t P       write its pid to P/cgroup.procs
 *   t anon|mlock|unmap|touch|read|exit   done by the task (player_task.h)
 *   t oom_score_adj N   written to /proc/PID/oom_score_adj
 *   expect         evaluated by report.c on the file's content
 * After every command the player checks which tasks the OOM killer killed
 * and prints "NAME killed" for each, in creation order.
 *
 * Exit status: 0 every expect held and every write succeeded, 1 an expect
 * or a write failed, 2 malformed scenario or bad usage. Single-threaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datafile.h"
#include "player_sample.h"
#include "player_task.h"
#include "report.h"
#include "scenario.h"

struct player {
	const struct scenario *s;
	struct report rep;
	const char *root;
	bool v1;
	bool keep_going;	/* run on after a failed write */
	int timeout_ms;
	struct ptask *tasks;		/* by task index */
};

/*
 * "ROOT/PATH[/FILE]" into @buf; "." is the root. A path longer than @buf
 * becomes "", which open(2) answers with ENOENT: never a truncated path
 * that could name another file.
 */
static void cg_path(const struct player *p, const char *cgroup,
		    const char *file, char *buf, size_t len)
{
	const char *sep = file ? "/" : "";
	int n;

	if (!cgroup || !strcmp(cgroup, "."))
		n = snprintf(buf, len, "%s%s%s", p->root, sep, file ? file : "");
	else
		n = snprintf(buf, len, "%s/%s%s%s", p->root, cgroup, sep,
			     file ? file : "");
	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0';
}

/* Write @value to @path in one write(2). Return 0 or a negative errno. */
static int write_path(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

/* The whole content of @path (malloc'd), or NULL with errno set. */
static char *read_path(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				errno = ENOMEM;
				goto fail_fd;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail_fd;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail_fd:
	{
		int e = errno;

		close(fd);
		errno = e;
	}
fail:
	{
		int e = errno;

		free(buf);
		errno = e;
	}
	return NULL;
}

/* Whether the space-separated list @list has the word @word. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	}
	return false;
}

static int do_mkdir(struct player *p, const struct scn_cmd *c)
{
	char path[4096], parent[4096], *content;
	const char *slash;
	int err = 0;

	cg_path(p, c->cgroup, NULL, path, sizeof(path));
	if (mkdir(path, 0755))
		return -errno;
	if (p->v1)
		return 0;
	/* The root's memory controller is on (init); below, on demand. */
	slash = strrchr(c->cgroup, '/');
	if (!slash)
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - c->cgroup),
		 c->cgroup);
	cg_path(p, parent, "cgroup.subtree_control", path, sizeof(path));
	content = read_path(path);
	if (!content)
		return -errno;
	if (!has_word(content, "memory"))
		err = write_path(path, "+memory");
	free(content);
	return err;
}

static int do_rmdir(struct player *p, const struct scn_cmd *c)
{
	char path[4096];

	cg_path(p, c->cgroup, NULL, path, sizeof(path));
	return rmdir(path) ? -errno : 0;
}

static int do_write(struct player *p, const struct scn_cmd *c)
{
	char path[4096];

	cg_path(p, c->cgroup, c->file, path, sizeof(path));
	return write_path(path, c->value);
}

static char *read_cmd_file(struct player *p, const struct scn_cmd *c)
{
	char path[4096];

	cg_path(p, c->cgroup, c->file, path, sizeof(path));
	return read_path(path);
}

static void do_show(struct player *p, const struct scn_cmd *c)
{
	char *content = read_cmd_file(p, c);

	if (!content) {
		report_error(&p->rep, c, errno);
		return;
	}
	report_show(&p->rep, c, content);
	free(content);
}

static void do_expect(struct player *p, const struct scn_cmd *c)
{
	char *content = read_cmd_file(p, c);

	report_expect(&p->rep, c, content, content ? 0 : errno);
	free(content);
}

/* Write the task's pid to the cgroup.procs of @cgroup. */
static int join(struct player *p, struct ptask *t, const char *cgroup)
{
	char path[4096], pid[32];

	cg_path(p, cgroup, "cgroup.procs", path, sizeof(path));
	snprintf(pid, sizeof(pid), "%d", (int)t->pid);
	return write_path(path, pid);
}

static int do_task(struct player *p, const struct scn_cmd *c)
{
	struct ptask *t = &p->tasks[c->task_index];
	int err;

	err = ptask_start(t, p->tasks, p->s->nr_tasks);
	if (err)
		return err;
	err = join(p, t, c->cgroup);
	if (err)
		ptask_kill(t, true);
	return err;
}

static int do_move(struct player *p, const struct scn_cmd *c)
{
	struct ptask *t = &p->tasks[c->task_index];

	if (t->state != SCN_TASK_ALIVE)
		return -ESRCH;
	return join(p, t, c->cgroup);
}

static int do_oom_score_adj(struct ptask *t, int adj)
{
	char path[64], val[16];

	if (t->state != SCN_TASK_ALIVE)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)t->pid);
	snprintf(val, sizeof(val), "%d", adj);
	return write_path(path, val);
}

/* A task action: anon, unmap, read, mlock, touch, exit, oom_score_adj. */
static int do_action(struct player *p, const struct scn_cmd *c)
{
	struct ptask *t = &p->tasks[c->task_index];
	int err;

	if (t->state != SCN_TASK_ALIVE)
		return -ESRCH;
	switch (c->type) {
	case SCN_ANON:
		return ptask_call(t, PTASK_ANON, c->bytes, NULL, p->timeout_ms);
	case SCN_UNMAP:
		return ptask_call(t, PTASK_UNMAP, c->bytes, NULL, p->timeout_ms);
	case SCN_MLOCK:
		return ptask_call(t, PTASK_MLOCK, c->bytes, NULL, p->timeout_ms);
	case SCN_TOUCH:
		return ptask_call(t, PTASK_TOUCH, c->bytes, NULL, p->timeout_ms);
	case SCN_READ:
		err = datafile_ensure(c->file, c->bytes);
		if (err)
			return err;
		return ptask_call(t, PTASK_READ, c->bytes, c->file,
				  p->timeout_ms);
	case SCN_FWRITE:
		return ptask_call(t, PTASK_WRITE, c->bytes, c->file,
				  p->timeout_ms);
	case SCN_EXIT:
		return ptask_call(t, PTASK_EXIT, 0, NULL, p->timeout_ms);
	case SCN_OOM_SCORE_ADJ:
		return do_oom_score_adj(t, c->adj);
	default:
		return -EINVAL;
	}
}

/* Print "NAME killed" for each task newly killed, in creation order. */
static void report_kills(struct player *p, const struct scn_cmd *c)
{
	for (size_t i = 0; i < p->s->nr_tasks; i++) {
		struct ptask *t = &p->tasks[i];

		if (t->state == SCN_TASK_KILLED && !t->reported) {
			t->reported = true;
			report_killed(&p->rep, c, t->name);
		}
	}
}

/* A plain write failed: reported with its line; stop unless told not to. */
static bool write_failed(struct player *p, const struct scn_cmd *c, int err)
{
	report_write_failed(&p->rep, c, err);
	fflush(p->rep.out);
	report_write_diag(stderr, "player", p->s->filename, c, err);
	return !p->keep_going;
}

/* Run one command; return true when the player must stop after it. */
static bool step(struct player *p, const struct scn_cmd *c)
{
	struct ptask *t = c->task_index >= 0 ? &p->tasks[c->task_index] : NULL;
	bool was_alive = t && t->state == SCN_TASK_ALIVE;
	bool stop = false;
	int err = 0;

	switch (c->type) {
	case SCN_MKDIR:
		err = do_mkdir(p, c);
		break;
	case SCN_RMDIR:
		err = do_rmdir(p, c);
		break;
	case SCN_WRITE:
		err = do_write(p, c);
		if (err)
			stop = write_failed(p, c, err);
		err = 0;
		break;
	case SCN_EXPECT_WRITE:
		report_expect_write(&p->rep, c, do_write(p, c));
		break;
	case SCN_SHOW:
		do_show(p, c);
		break;
	case SCN_EXPECT:
		do_expect(p, c);
		break;
	case SCN_EXPECT_TASK:
		report_expect_task(&p->rep, c, t->state);
		break;
	case SCN_TASK:
		err = do_task(p, c);
		break;
	case SCN_MOVE:
		err = do_move(p, c);
		break;
	default:
		err = do_action(p, c);
		/* killed by this very command: "NAME killed" says it all */
		if (err && was_alive && t->state == SCN_TASK_KILLED)
			err = 0;
		break;
	}
	if (err)
		report_error(&p->rep, c, err);
	ptask_poll_alive(p->tasks, p->s->nr_tasks, p->timeout_ms);
	report_kills(p, c);
	fflush(p->rep.out);
	return stop;
}

static int usage(void)
{
	fprintf(stderr, "usage: player [--json] [--root DIR] "
		"[--cmd-timeout SECONDS] [--mode v1|v2] [--keep-going] "
		"[--samples] FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct player p = { .root = "/sys/fs/cgroup", .timeout_ms = 120000 };
	struct psample *ps = NULL;
	bool samples = false;
	struct scenario *s;
	const char *file = NULL;
	const char *mode = NULL;
	bool json = false;
	char err[1024];
	int fd, ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--keep-going"))
			p.keep_going = true;
		else if (!strcmp(argv[i], "--samples"))
			samples = true;
		else if (!strcmp(argv[i], "--root") && i + 1 < argc)
			p.root = argv[++i];
		else if (!strcmp(argv[i], "--mode") && i + 1 < argc)
			mode = argv[++i];
		else if (!strcmp(argv[i], "--cmd-timeout") && i + 1 < argc)
			p.timeout_ms = atoi(argv[++i]) * 1000;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage();
		else if (file)
			return usage();
		else
			file = argv[i];
	}
	if (!file || p.timeout_ms <= 0)
		return usage();
	ret = scenario_load(file, &s, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	p.s = s;
	p.v1 = mode ? !strcmp(mode, "v1") : s->machine.mode == SCN_MODE_V1;
	p.tasks = calloc(s->nr_tasks + 1, sizeof(*p.tasks));
	if (!p.tasks) {
		scenario_free(s);
		return 2;
	}
	for (size_t i = 0; i < s->nr_tasks; i++) {
		p.tasks[i].name = s->tasks[i];
		p.tasks[i].state = SCN_TASK_NONE;
	}

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Never the OOM killer's victim; tasks reset it to 0. */
	fd = open("/proc/self/oom_score_adj", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "-1000", 5) < 0)
			perror("player: oom_score_adj");
		close(fd);
	}
	report_init(&p.rep, stdout, json);

	if (samples && psample_start(&ps, s, p.root, p.v1))
		fprintf(stderr, "player: cannot sample: the plot will be "
			"missing\n");
	for (size_t i = 0; i < s->nr_cmds; i++) {
		bool stop;

		psample_command(ps, (int)i);
		stop = step(&p, &s->cmds[i]);
		psample_end(ps, (int)i, stdout);
		if (stop)
			break;
	}
	psample_stop(ps);

	for (size_t i = 0; i < s->nr_tasks; i++)
		ptask_kill(&p.tasks[i], false);
	ret = p.rep.nr_failed || p.rep.nr_write_failed ? 1 : 0;
	free(p.tasks);
	scenario_free(s);
	return ret;
}
