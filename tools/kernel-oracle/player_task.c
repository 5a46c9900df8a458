// SPDX-License-Identifier: MIT
/*
 * Task processes of the kernel oracle's player: fork, the request/reply
 * protocol over two pipes, the actions themselves (run in the child), and
 * telling an OOM kill from an exit. See player_task.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "player_task.h"

#define PAGE 4096UL

/* A request: fits in PIPE_BUF, so one write() sends it whole. */
struct preq {
	int op;
	uint64_t bytes;
	char file[256];
};

struct prep {
	int err;
};

/* --- the child --- */

/* Its anonymous memory: mappings in the order they were made. */
struct region {
	char *addr;
	size_t len;
};

static struct region *regions;
static size_t nr_regions, cap_regions;

/*
 * The mappings lie end to end from a 2 MiB boundary up, as one area (the
 * kernel merges them), inside a PROT_NONE reservation: the engine's task
 * area, so that huge pages and page tables fall on the same 2 MiB ranges
 * on both sides. Left to mmap, 6.1 puts each mapping at a random offset
 * within 2 MiB (and 6.12 aligns only sizes that are multiples of 2 MiB),
 * which changes how many huge pages a fault gets from boot to boot.
 */
#define AREA_ALIGN (2UL << 20)
#define AREA_RESERVE (64UL << 30)

static char *area;	/* the reservation's first 2 MiB boundary */

static uint64_t round_page(uint64_t b)
{
	return (b + PAGE - 1) & ~(PAGE - 1);
}

static uint64_t mapped_bytes(void)
{
	uint64_t n = 0;

	for (size_t i = 0; i < nr_regions; i++)
		n += regions[i].len;
	return n;
}

static int add_region(char *addr, size_t len)
{
	if (nr_regions == cap_regions) {
		size_t cap = cap_regions ? 2 * cap_regions : 16;
		struct region *r = realloc(regions, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		regions = r;
		cap_regions = cap;
	}
	regions[nr_regions++] = (struct region) { addr, len };
	return 0;
}

/* Where the next @len bytes of the area go, or NULL: anywhere. */
static char *area_next(size_t len)
{
	uint64_t used = mapped_bytes();
	char *p;

	if (!area) {
		p = mmap(NULL, AREA_RESERVE + AREA_ALIGN, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		area = (char *)(((uintptr_t)p + AREA_ALIGN - 1) &
				~(uintptr_t)(AREA_ALIGN - 1));
	}
	if (used + len > AREA_RESERVE ||
	    (nr_regions && regions[nr_regions - 1].addr +
			   regions[nr_regions - 1].len != area + used))
		return NULL;
	return area + used;
}

/* mmap @bytes; touch every page (anon) or mlock them (mlock). */
static int do_map(uint64_t bytes, bool lock)
{
	size_t len = round_page(bytes);
	char *p, *at;
	int err;

	if (!len)
		return 0;
	at = area_next(len);
	p = mmap(at, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0), -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	err = add_region(p, len);
	if (err) {
		munmap(p, len);
		return err;
	}
	if (lock)
		return mlock(p, len) ? -errno : 0;
	for (size_t off = 0; off < len; off += PAGE)
		((volatile char *)p)[off] = 1;
	return 0;
}

/* munmap the last @bytes of the anonymous memory, newest mapping first. */
static int do_unmap(uint64_t bytes)
{
	uint64_t left = round_page(bytes);

	if (left > mapped_bytes())
		return -EINVAL;
	while (left) {
		struct region *r = &regions[nr_regions - 1];
		size_t n = left < r->len ? left : r->len;

		if (munmap(r->addr + r->len - n, n))
			return -errno;
		/* the area's end is reserved again, for its next mapping */
		if (area && r->addr >= area && r->addr < area + AREA_RESERVE)
			mmap(r->addr + r->len - n, n, PROT_NONE, MAP_PRIVATE |
			     MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			     -1, 0);
		r->len -= n;
		left -= n;
		if (!r->len)
			nr_regions--;
	}
	return 0;
}

/* Read the first @bytes of the anonymous memory, page by page. */
static int do_touch(uint64_t bytes)
{
	uint64_t left = round_page(bytes);

	if (left > mapped_bytes())
		return -EINVAL;
	for (size_t i = 0; i < nr_regions && left; i++) {
		size_t n = left < regions[i].len ? left : regions[i].len;

		for (size_t off = 0; off < n; off += PAGE)
			(void)((volatile char *)regions[i].addr)[off];
		left -= n;
	}
	return 0;
}

/*
 * Read the first @bytes of @file through the page cache, a page at a time
 * into a buffer on the stack (as the kernel selftests' alloc_pagecache
 * does), so the task's own anonymous memory stays a page or two.
 * POSIX_FADV_RANDOM turns readahead off, so exactly the pages asked for
 * are read (the engine reads exactly those).
 */
static int do_read(const char *file, uint64_t bytes)
{
	uint64_t left = round_page(bytes);
	int fd = open(file, O_RDONLY);
	char buf[PAGE];
	int err = 0;

	if (fd < 0)
		return -errno;
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	while (left) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;		/* the player made it long enough */
		left -= (uint64_t)n;
	}
	close(fd);
	return err;
}

/*
 * Buffered writes of the first @bytes, a page at a time, no fsync: the
 * pages stay dirty in the page cache until the kernel writes them back.
 * The data varies from page to page, as real data does.
 */
static int do_write(const char *file, uint64_t bytes)
{
	uint64_t left = round_page(bytes), page = 0;
	int fd = open(file, O_WRONLY | O_CREAT, 0644);
	uint64_t buf[PAGE / sizeof(uint64_t)];
	int err = 0;

	if (fd < 0)
		return -errno;
	while (left) {
		ssize_t n;

		for (size_t i = 0; i < sizeof(buf) / sizeof(buf[0]); i++)
			buf[i] = (page * 512 + i) * 0x9e3779b97f4a7c15ULL;
		n = write(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		left -= (uint64_t)n;
		page++;
	}
	close(fd);
	return err;
}

static bool read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static __attribute__((noreturn)) void child_main(int req_fd, int rep_fd)
{
	struct preq q;
	struct prep r;
	int fd;

	/* The player runs at -1000; a task is an ordinary OOM candidate. */
	fd = open("/proc/self/oom_score_adj", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "0", 1) < 0)
			_exit(3);
		close(fd);
	}
	while (read_full(req_fd, &q, sizeof(q))) {
		q.file[sizeof(q.file) - 1] = '\0';
		switch (q.op) {
		case PTASK_PING:
			r.err = 0;
			break;
		case PTASK_ANON:
			r.err = do_map(q.bytes, false);
			break;
		case PTASK_MLOCK:
			r.err = do_map(q.bytes, true);
			break;
		case PTASK_UNMAP:
			r.err = do_unmap(q.bytes);
			break;
		case PTASK_TOUCH:
			r.err = do_touch(q.bytes);
			break;
		case PTASK_READ:
			r.err = do_read(q.file, q.bytes);
			break;
		case PTASK_WRITE:
			r.err = do_write(q.file, q.bytes);
			break;
		case PTASK_EXIT:
			_exit(0);
		default:
			r.err = -EINVAL;
		}
		if (write(rep_fd, &r, sizeof(r)) != sizeof(r))
			_exit(2);
	}
	_exit(0);
}

/* --- the player's side --- */

/**
 * ptask_start - fork a task process (in the player's cgroup)
 * @t: task; @t->name set
 * @all: every task of the scenario (their pipe ends are closed in the
 *       child)
 * @nr: how many
 *
 * Return: 0 or a negative errno (the task's state is then "none").
 */
int ptask_start(struct ptask *t, struct ptask *all, size_t nr)
{
	int req[2], rep[2];
	pid_t pid;

	t->state = SCN_TASK_NONE;
	if (pipe2(req, O_CLOEXEC))
		return -errno;
	if (pipe2(rep, O_CLOEXEC)) {
		int err = -errno;

		close(req[0]);
		close(req[1]);
		return err;
	}
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(req[0]);
		close(req[1]);
		close(rep[0]);
		close(rep[1]);
		return err;
	}
	if (pid == 0) {
		/* Other tasks must see EOF when their task dies, not us. */
		for (size_t i = 0; i < nr; i++) {
			if (all[i].pid > 0) {
				close(all[i].req_fd);
				close(all[i].rep_fd);
			}
		}
		close(req[1]);
		close(rep[0]);
		signal(SIGPIPE, SIG_DFL);
		child_main(req[0], rep[1]);
	}
	close(req[0]);
	close(rep[1]);
	t->pid = pid;
	t->req_fd = req[1];
	t->rep_fd = rep[0];
	t->state = SCN_TASK_ALIVE;
	t->reported = false;
	return 0;
}

/* The task's pipe closed: reap it and record how it ended. */
static void reap(struct ptask *t)
{
	int status;

	close(t->req_fd);
	close(t->rep_fd);
	while (waitpid(t->pid, &status, 0) < 0 && errno == EINTR)
		;
	t->pid = 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		t->state = SCN_TASK_KILLED;
	else
		t->state = SCN_TASK_EXITED;
}

/**
 * ptask_kill - SIGKILL and reap a live task
 * @t: task
 * @none: the task never joined its cgroup: its state becomes "none",
 *        otherwise "exited"
 */
void ptask_kill(struct ptask *t, bool none)
{
	if (t->state != SCN_TASK_ALIVE)
		return;
	kill(t->pid, SIGKILL);
	reap(t);
	t->state = none ? SCN_TASK_NONE : SCN_TASK_EXITED;
}

/* Wait up to @timeout_ms for the reply; 1 got it, 0 EOF, -1 timeout. */
static int wait_reply(struct ptask *t, struct prep *r, int timeout_ms)
{
	struct pollfd pfd = { .fd = t->rep_fd, .events = POLLIN };
	int n;

	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		return -1;
	return read_full(t->rep_fd, r, sizeof(*r)) ? 1 : 0;
}

/**
 * ptask_call - have a live task execute an action and wait for it
 * @t: task
 * @op: action
 * @bytes: size for anon, mlock, unmap, touch, read
 * @file: data file for read
 * @timeout_ms: how long to wait for the answer (then the task is killed)
 *
 * Return: the action's result; -ESRCH if the task is not alive or died
 * during the action; -ETIMEDOUT on timeout.
 */
int ptask_call(struct ptask *t, enum ptask_op op, uint64_t bytes,
	       const char *file, int timeout_ms)
{
	struct preq q = { .op = op, .bytes = bytes };
	struct prep r;
	int got;

	if (t->state != SCN_TASK_ALIVE)
		return -ESRCH;
	if (file)
		snprintf(q.file, sizeof(q.file), "%s", file);
	if (write(t->req_fd, &q, sizeof(q)) != sizeof(q)) {
		reap(t);		/* EPIPE: it is gone */
		return -ESRCH;
	}
	got = wait_reply(t, &r, timeout_ms);
	if (got < 0) {
		ptask_kill(t, false);
		return -ETIMEDOUT;
	}
	if (got == 0) {
		reap(t);
		if (op == PTASK_EXIT && t->state == SCN_TASK_EXITED)
			return 0;
		return -ESRCH;
	}
	return r.err;
}

/**
 * ptask_poll_alive - ping every live task; reap the ones that died
 * @all: tasks
 * @nr: how many
 * @timeout_ms: per ping (a task that does not answer is killed)
 */
void ptask_poll_alive(struct ptask *all, size_t nr, int timeout_ms)
{
	struct preq q = { .op = PTASK_PING };

	for (size_t i = 0; i < nr; i++) {
		struct ptask *t = &all[i];
		struct prep r;

		if (t->state != SCN_TASK_ALIVE)
			continue;
		if (write(t->req_fd, &q, sizeof(q)) != sizeof(q)) {
			reap(t);
			continue;
		}
		switch (wait_reply(t, &r, timeout_ms)) {
		case 0:
			reap(t);
			break;
		case -1:
			/* A late answer would be taken for the next one's. */
			ptask_kill(t, false);
			break;
		}
	}
}
