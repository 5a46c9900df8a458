// SPDX-License-Identifier: MIT
/*
 * The live view of a run (memcg run --top) and the progress line of a
 * long run. See top.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "top.h"

#define ANSI_HOME_CLEAR	"\033[H\033[2J"
#define ANSI_ERASE_LINE	"\r\033[K"

/* The memory.events counters the table shows when they are not 0. */
static const char *const events[] = { "low", "high", "max", "oom", "oom_kill" };

/* "0", "512", "4.0K", "30.0M", "1.5G", "max", "-" (no such file). */
static const char *fmt_bytes(int64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	double d = (double)v;
	int u = -1;

	if (v == RUN_UNSET)
		return "-";
	if (v == RUN_NO_LIMIT)
		return "max";
	if (v < 1024) {
		snprintf(buf, len, "%" PRId64, v);
		return buf;
	}
	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%c", d, units[u]);
	return buf;
}

/* "max:12 oom:1 oom_kill:1": the counters that are not 0, or "-". */
static void fmt_events(struct memcg_engine *e, const char *path, char *buf,
		       size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(events) / sizeof(*events) && n < len;
	     i++) {
		int64_t v = run_read_value(e, path, "memory.events", events[i]);

		if (v == RUN_UNSET || v == 0)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s:%" PRId64,
				      n ? " " : "", events[i], v);
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/** top_print_table - the table of the scenario's online cgroups */
void top_print_table(struct memcg_engine *e, const struct scenario *s,
		     FILE *out)
{
	bool v1 = s->machine.mode == SCN_MODE_V1;
	size_t w = strlen("cgroup");

	for (size_t i = 0; i < s->nr_cgroups; i++)
		if (strlen(s->cgroups[i]) > w)
			w = strlen(s->cgroups[i]);
	fprintf(out, "%-*s  %8s  %8s  %8s  %8s  %s\n", (int)w, "cgroup",
		"current", "swap", "high", "max", "events");
	for (size_t i = 0; i < s->nr_cgroups; i++) {
		const char *p = s->cgroups[i];
		char cur[24], swap[24], high[24], max[24], ev[128];
		int64_t c;

		c = run_read_value(e, p, v1 ? "memory.usage_in_bytes" :
				   "memory.current", NULL);
		if (c == RUN_UNSET)
			continue;	/* removed, or not made yet */
		fmt_events(e, p, ev, sizeof(ev));
		fprintf(out, "%-*s  %8s  %8s  %8s  %8s  %s\n", (int)w, p,
			fmt_bytes(c, cur, sizeof(cur)),
			fmt_bytes(run_read_value(e, p, "memory.swap.current",
						 NULL), swap, sizeof(swap)),
			fmt_bytes(run_read_value(e, p, "memory.high", NULL),
				  high, sizeof(high)),
			fmt_bytes(run_read_value(e, p, v1 ?
						 "memory.limit_in_bytes" :
						 "memory.max", NULL),
				  max, sizeof(max)), ev);
	}
}

/** top_wants_tty - whether --top redraws in place: @out is a terminal */
bool top_wants_tty(FILE *out)
{
	return isatty(fileno(out));
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static long progress_after_ms(void)
{
	const char *v = getenv("MEMCG_PROGRESS_AFTER_MS");
	char *end;
	long ms;

	if (!v || !*v)
		return TOP_PROGRESS_AFTER_MS;
	ms = strtol(v, &end, 10);
	return *end || ms < 0 ? TOP_PROGRESS_AFTER_MS : ms;
}

struct live {
	struct run *r;
	const struct scenario *s;
	FILE *out;
	size_t done;		/* commands run */
	long start;		/* ms */
};

/* "command K of N (line L)": where the run is. */
static void where(const struct live *l, FILE *f)
{
	int line = l->done ? l->s->cmds[l->done - 1].line : 0;

	fprintf(f, "command %zu of %zu (line %d)", l->done, l->s->nr_cmds,
		line);
}

static void draw(const struct live *l, bool tty)
{
	if (tty) {
		fprintf(l->out, ANSI_HOME_CLEAR "memcg top: %s: ",
			l->s->filename);
		where(l, l->out);
		fprintf(l->out, ", %.1f s\n\n", (now_ms() - l->start) / 1000.0);
	} else {
		fputs("# top: ", l->out);
		where(l, l->out);
		fputc('\n', l->out);
	}
	top_print_table(run_engine(l->r), l->s, l->out);
	fflush(l->out);
}

static void progress(const struct live *l)
{
	fprintf(stderr, ANSI_ERASE_LINE "memcg: %s: ", l->s->filename);
	where(l, stderr);
	fprintf(stderr, ", %.1f s", (now_ms() - l->start) / 1000.0);
	fflush(stderr);
}

/** top_run_all - run every remaining command with the live view */
void top_run_all(struct run *r, const struct scenario *s, bool top,
		 FILE *out)
{
	struct live l = { .r = r, .s = s, .out = out, .start = now_ms() };
	bool tty = top && top_wants_tty(out), shown = false;
	bool show_progress = !tty && isatty(STDERR_FILENO);
	long after = progress_after_ms(), drawn = l.start, told = 0;

	l.done = run_next_index(r);
	if (tty)
		draw(&l, true);
	while (run_step(r)) {
		long t = now_ms();

		l.done = run_next_index(r);
		if (tty && t - drawn >= TOP_REDRAW_MS) {
			draw(&l, true);
			drawn = t;
		} else if (top && !tty && l.done % TOP_EVERY == 0) {
			draw(&l, false);
		}
		if (show_progress && t - l.start >= after &&
		    (!shown || t - told >= TOP_REDRAW_MS)) {
			progress(&l);
			shown = true;
			told = t;
		}
	}
	if (tty || (top && (l.done % TOP_EVERY || !l.done)))
		draw(&l, tty);
	if (shown)
		fputs(ANSI_ERASE_LINE, stderr);
}
