// SPDX-License-Identifier: MIT
/*
 * memcg sweep: the workers. Each point runs in a forked process of its
 * own (a fresh engine, nothing shared), which sends its struct
 * sweep_point back through a pipe in one write; at most @jobs run at a
 * time. See sweep.h.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "help.h"
#include "sweep.h"

struct worker {
	pid_t pid;
	int fd;			/* the read end of its pipe */
	size_t index;		/* its point */
};

/* The child: run the point, send it, exit without the parent's atexit. */
static __attribute__((noreturn)) void worker_main(struct sweep *sw,
						  size_t index, int fd)
{
	struct sweep_point pt;
	ssize_t n;

	sweep_point_params(sw, index, &pt);
	sweep_point_run(sw, &pt);
	fflush(stdout);
	fflush(stderr);
	/* smaller than PIPE_BUF: one write, whole or not at all */
	n = write(fd, &pt, sizeof(pt));
	_exit(n == (ssize_t)sizeof(pt) ? 0 : 1);
}

static int start(struct sweep *sw, size_t index, struct worker *w)
{
	int fds[2];

	_Static_assert(sizeof(struct sweep_point) <= PIPE_BUF,
		       "a point fits one atomic pipe write");
	if (pipe(fds))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	w->pid = fork();
	if (w->pid < 0) {
		int err = -errno;

		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (w->pid == 0) {
		close(fds[0]);
		worker_main(sw, index, fds[1]);
	}
	close(fds[1]);
	w->fd = fds[0];
	w->index = index;
	return 0;
}

/* Collect the worker that exited: its point, or exit status 3. */
static void finish(struct sweep *sw, struct worker *w, int status)
{
	struct sweep_point *pt = &sw->points[w->index];
	ssize_t n = read(w->fd, pt, sizeof(*pt));

	close(w->fd);
	if (n != (ssize_t)sizeof(*pt) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || pt->index != w->index) {
		sweep_point_params(sw, w->index, pt);
		for (size_t i = 0; i < sw->nr_shows; i++)
			snprintf(pt->value[i], sizeof(pt->value[i]), "-");
		pt->exit = MEMCG_EXIT_KERNEL;
		if (WIFSIGNALED(status))
			fprintf(stderr, "memcg sweep: point %zu: the worker died "
				"of signal %d\n", w->index, WTERMSIG(status));
	}
	sw->done[w->index] = true;
	w->pid = 0;
}

/* Wait for any child: 1 when it was a worker, 0 if not, -ECHILD if none. */
static int reap(struct sweep *sw, struct worker *ws, unsigned jobs)
{
	int status;
	pid_t pid;

	do
		pid = waitpid(-1, &status, 0);
	while (pid < 0 && errno == EINTR);
	if (pid < 0)
		return -errno;
	for (unsigned i = 0; i < jobs; i++) {
		if (ws[i].pid == pid) {
			finish(sw, &ws[i], status);
			return 1;
		}
	}
	return 0;	/* not a worker: none is expected */
}

/** sweep_run_points - run points in forked workers, @jobs at a time */
int sweep_run_points(struct sweep *sw, const size_t *indices, size_t n,
		     unsigned jobs, bool progress)
{
	struct worker *ws = calloc(jobs, sizeof(*ws));
	size_t next = 0, finished = 0, running = 0;
	int err = 0, ret;

	if (!ws)
		return -ENOMEM;
	while (finished < n) {
		for (unsigned i = 0; i < jobs && next < n && !err; i++) {
			if (ws[i].pid)
				continue;
			err = start(sw, indices[next], &ws[i]);
			if (!err) {
				next++;
				running++;
			}
		}
		if (!running)
			break;
		ret = reap(sw, ws, jobs);
		if (ret < 0)
			break;
		if (!ret)
			continue;
		running--;
		finished++;
		if (progress)
			fprintf(stderr, "\rmemcg sweep: %zu/%zu points", finished,
				n);
	}
	if (progress)
		fputc('\n', stderr);
	/* after an error: let the running workers finish */
	while (running && (ret = reap(sw, ws, jobs)) >= 0)
		running -= (size_t)ret;
	free(ws);
	return err;
}
