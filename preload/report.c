// SPDX-License-Identifier: MIT
/*
 * What the shim prints, always one write(2) per line and never through
 * stdio or the heap it accounts: bad input (init.c), MEMCG_OOM=abort's
 * line before abort(), and MEMCG_REPORT=1's report at exit: memory.current,
 * memory.peak, memory.events and memory.stat of MEMCG_CGROUP's cgroup,
 * each line prefixed with its file's name.
 *
 * The report goes to a close-on-exec copy of stderr taken at start-up:
 * programs may close stderr before exit (coreutils does, in an atexit
 * handler that runs before the shim's destructor). If that descriptor no
 * longer is the same file at exit, the report goes to stderr.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/memcontrol.h"
#include "shim.h"

static int report_fd = -1;
static struct stat report_st;

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void vsay(int fd, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	write_all(fd, buf, (size_t)n);
}

/** preload_say - one line on stderr (the newline is added) */
void preload_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(STDERR_FILENO, fmt, ap);
	va_end(ap);
}

/* One line of the report. */
static void report_say(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report_say(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fd, fmt, ap);
	va_end(ap);
}

/** preload_report_open - MEMCG_REPORT=1: keep a copy of stderr */
void preload_report_open(void)
{
	if (report_fd >= 0 || !preload_env.report)
		return;
	report_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 10);
	if (report_fd >= 0 && fstat(report_fd, &report_st)) {
		close(report_fd);
		report_fd = -1;
	}
}

/* The copy of stderr if it still is the same file, else stderr. */
static int report_target(void)
{
	struct stat st;

	if (report_fd >= 0 && !fstat(report_fd, &st) &&
	    st.st_dev == report_st.st_dev && st.st_ino == report_st.st_ino)
		return report_fd;
	return STDERR_FILENO;
}

/* The lowest memory.max of @memcg and its ancestors, in pages. */
static long effective_max(struct mem_cgroup *memcg)
{
	long max = PAGE_COUNTER_MAX;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		long m = atomic_load(&memcg->memory.max);

		if (m < max)
			max = m;
	}
	return max;
}

/**
 * preload_oom - a charge of @bytes failed: with MEMCG_OOM=abort, say so
 * in one line and abort(); otherwise return (the call fails with ENOMEM)
 * @bytes: the size the program asked for
 */
void preload_oom(size_t bytes)
{
	struct preload_thread *t = &preload_tls;
	struct mem_cgroup *memcg;
	char path[512] = "?", max[32] = "max";
	long pages;

	if (!preload_env.oom_abort)
		return;
	preload_enter(t);
	memcg = preload_owner_memcg(t->slot);
	if (memcg && memcg_path(memcg, path, sizeof(path)) < 0)
		strcpy(path, "?");
	pages = effective_max(memcg);
	if (pages < PAGE_COUNTER_MAX)
		snprintf(max, sizeof(max), "%ld bytes",
			 pages * (long)MEMCG_PAGE_SIZE);
	preload_say("memcg: %s: allocation of %zu bytes over memory.max (%s), "
		    "aborting", path, bytes, max);
	abort();
}

/* Each line of @file, prefixed with its name. */
static void report_file(int fd, struct mem_cgroup *memcg, const char *file)
{
	static char buf[16384];
	char *line, *next;
	int n = memcg_read(memcg, file, buf, sizeof(buf));

	if (n < 0) {
		report_say(fd, "%s: %s", file, strerror(-n));
		return;
	}
	for (line = buf; *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			next = line + strlen(line);
		else
			*next++ = '\0';
		report_say(fd, "%s %s", file, line);
	}
}

/**
 * preload_report - MEMCG_REPORT=1: the default cgroup's files on stderr,
 * the stocks drained first so that memory.current is exact but for other
 * threads' budgets (the calling thread's was flushed)
 */
void preload_report(void)
{
	struct preload_thread *t = &preload_tls;
	struct mem_cgroup *memcg;
	char path[512];
	int fd;

	if (!preload_env.report || preload_off || !preload_default_slot)
		return;
	fd = report_target();
	memcg = preload_owner_memcg(preload_default_slot);
	preload_enter(t);
	memcg_drain_all_stock(memcg);
	if (memcg_path(memcg, path, sizeof(path)) < 0)
		strcpy(path, "?");
	report_say(fd, "memcg-preload: pid %d, cgroup %s", (int)getpid(), path);
	report_file(fd, memcg, "memory.current");
	report_file(fd, memcg, "memory.peak");
	report_file(fd, memcg, "memory.events");
	report_file(fd, memcg, "memory.stat");
	preload_leave(t);
}
