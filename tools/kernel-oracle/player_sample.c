// SPDX-License-Identifier: MIT
/*
 * The player's sampling thread (player_sample.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plot_data.h"
#include "plot_lines.h"
#include "player_sample.h"
#include "report.h"

#define IDLE (-2)		/* between commands: no sample */

struct psample {
	struct plot_data d;	/* the cgroups' order (plot_data_init()) */
	const char *root;
	struct plot_cell *cells;	/* the thread's */
	struct plot_cell *end_cells;	/* the player's */
	struct timespec t0;
	atomic_int cmd;
	atomic_bool stop;
	pthread_t thread;
	pthread_mutex_t busy;	/* held while a sample is taken */
	pthread_mutex_t lock;	/* buf */
	char *buf;
	size_t len, cap;
};

/* The content of ROOT/PATH/FILE into @buf; false if it cannot be read. */
static bool read_file(const struct psample *ps, const char *path,
		      const char *file, char *buf, size_t len)
{
	char name[4096];
	ssize_t n;
	int fd;

	if (!strcmp(path, "."))
		snprintf(name, sizeof(name), "%s/%s", ps->root, file);
	else
		snprintf(name, sizeof(name), "%s/%s/%s", ps->root, path, file);
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

static int64_t read_num(const struct psample *ps, const char *path,
			const char *file)
{
	char buf[64];
	int64_t n;

	if (!read_file(ps, path, file, buf, sizeof(buf)))
		return PLOT_UNSET;
	buf[strcspn(buf, "\n")] = '\0';
	if (scn_parse_value(buf, &n))
		return PLOT_UNSET;
	return n >= ((int64_t)1 << 62) ? PLOT_NO_LIMIT : n;
}

/* The root has no memory.current: what its memory.stat charges. */
static void read_root(const struct psample *ps, struct plot_cell *x)
{
	static const char *const keys[] = { "anon", "file", "kernel", "sock" };
	char buf[8192], val[32];
	int64_t sum = 0, n;

	if (!read_file(ps, ".", "memory.stat", buf, sizeof(buf)))
		return;
	x->state = PC_ONLINE;
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++)
		if (!report_pick_key(buf, keys[k], val, sizeof(val)) &&
		    !scn_parse_value(val, &n))
			sum += n;
	x->v[PS_CURRENT] = sum;
}

static void read_cgroup(const struct psample *ps, const char *path,
			struct plot_cell *x)
{
	static const char *const files[PS_NR] = {
		"memory.current", "memory.swap.current", "memory.min",
		"memory.low", "memory.high", "memory.max",
	};
	char buf[512];

	if (ps->d.v1) {
		x->v[PS_CURRENT] = read_num(ps, path, "memory.usage_in_bytes");
		x->v[PS_MAX] = read_num(ps, path, "memory.limit_in_bytes");
		x->v[PS_SWAP] = read_num(ps, path, "memory.memsw.usage_in_bytes");
		if (x->v[PS_SWAP] != PLOT_UNSET &&
		    x->v[PS_CURRENT] != PLOT_UNSET)
			x->v[PS_SWAP] -= x->v[PS_CURRENT];
		x->ev[PE_MAX] = read_num(ps, path, "memory.failcnt");
	} else {
		for (int i = 0; i < PS_NR; i++)
			x->v[i] = read_num(ps, path, files[i]);
		if (read_file(ps, path, "memory.events", buf, sizeof(buf)))
			plot_parse_events(buf, x->ev);
	}
	x->state = x->v[PS_CURRENT] != PLOT_UNSET ? PC_ONLINE : PC_NONE;
}

static uint64_t since_start(const struct psample *ps)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)(t.tv_sec - ps->t0.tv_sec) * 1000000000ULL +
	       (uint64_t)(t.tv_nsec - ps->t0.tv_nsec);
}

/* One sample line of command @cmd into the buffer. */
static void take(struct psample *ps, struct plot_cell *cells, int cmd)
{
	char *line = NULL;
	size_t n = 0;
	FILE *f;

	for (int c = 0; c < ps->d.nr_cg; c++) {
		struct plot_cell *x = &cells[c];

		memset(x, 0, sizeof(*x));
		for (int i = 0; i < PS_NR; i++)
			x->v[i] = PLOT_UNSET;
		for (int i = 0; i < PE_NR; i++)
			x->ev[i] = PLOT_UNSET;
		if (!strcmp(ps->d.paths[c], ".") && !ps->d.v1)
			read_root(ps, x);
		else
			read_cgroup(ps, ps->d.paths[c], x);
	}
	f = open_memstream(&line, &n);
	if (!f)
		return;
	plot_lines_write(f, cmd, since_start(ps), cells, ps->d.nr_cg);
	if (fclose(f))
		return;
	pthread_mutex_lock(&ps->lock);
	if (ps->len + n <= PSAMPLE_MAX_BUF) {
		if (ps->len + n > ps->cap) {
			size_t cap = (ps->len + n) * 2;
			char *nb = realloc(ps->buf, cap);

			if (nb) {
				ps->buf = nb;
				ps->cap = cap;
			}
		}
		if (ps->len + n <= ps->cap) {
			memcpy(ps->buf + ps->len, line, n);
			ps->len += n;
		}
	}
	pthread_mutex_unlock(&ps->lock);
	free(line);
}

static void *sampler(void *arg)
{
	struct psample *ps = arg;
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load(&ps->stop)) {
		int cmd;

		next.tv_nsec += PSAMPLE_PERIOD_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		/*
		 * Under busy: psample_end() waits for a sample being taken
		 * before it takes the command's last, so that no sample read
		 * before the command ended follows it.
		 */
		pthread_mutex_lock(&ps->busy);
		cmd = atomic_load(&ps->cmd);
		if (cmd != IDLE && !atomic_load(&ps->stop))
			take(ps, ps->cells, cmd);
		pthread_mutex_unlock(&ps->busy);
	}
	return NULL;
}

int psample_start(struct psample **out, const struct scenario *s,
		  const char *root, bool v1)
{
	struct psample *ps = calloc(1, sizeof(*ps));
	int err = -ENOMEM;

	*out = NULL;
	if (!ps)
		return -ENOMEM;
	if (plot_data_init(&ps->d, s, "kernel", PLOT_MIN_FRAMES))
		goto fail_free;
	ps->d.v1 = v1;
	ps->root = root;
	ps->cells = calloc(ps->d.nr_cg, sizeof(*ps->cells));
	ps->end_cells = calloc(ps->d.nr_cg, sizeof(*ps->end_cells));
	if (!ps->cells || !ps->end_cells)
		goto fail;
	pthread_mutex_init(&ps->lock, NULL);
	pthread_mutex_init(&ps->busy, NULL);
	clock_gettime(CLOCK_MONOTONIC, &ps->t0);
	atomic_init(&ps->cmd, IDLE);
	take(ps, ps->end_cells, -1);
	err = -pthread_create(&ps->thread, NULL, sampler, ps);
	if (err)
		goto fail_lock;
	*out = ps;
	return 0;
fail_lock:
	pthread_mutex_destroy(&ps->lock);
	pthread_mutex_destroy(&ps->busy);
fail:
	free(ps->cells);
	free(ps->end_cells);
	free(ps->buf);
	plot_data_free(&ps->d);
fail_free:
	free(ps);
	return err;
}

/* show and expect lines change nothing: no sample in them (as the engine). */
static bool changes_state(const struct scn_cmd *c)
{
	return c->type != SCN_SHOW && c->type != SCN_EXPECT &&
	       c->type != SCN_EXPECT_TASK;
}

void psample_command(struct psample *ps, int cmd)
{
	if (ps)
		atomic_store(&ps->cmd, changes_state(&ps->d.s->cmds[cmd]) ?
				       cmd : IDLE);
}

void psample_end(struct psample *ps, int cmd, FILE *out)
{
	if (!ps)
		return;
	atomic_store(&ps->cmd, IDLE);
	pthread_mutex_lock(&ps->busy);		/* the thread's sample first */
	if (changes_state(&ps->d.s->cmds[cmd]))
		take(ps, ps->end_cells, cmd);
	pthread_mutex_lock(&ps->lock);
	fwrite(ps->buf, 1, ps->len, out);
	ps->len = 0;
	pthread_mutex_unlock(&ps->lock);
	pthread_mutex_unlock(&ps->busy);
	fflush(out);
}

void psample_stop(struct psample *ps)
{
	if (!ps)
		return;
	atomic_store(&ps->stop, true);
	pthread_join(ps->thread, NULL);
	pthread_mutex_destroy(&ps->lock);
	pthread_mutex_destroy(&ps->busy);
	free(ps->cells);
	free(ps->end_cells);
	free(ps->buf);
	plot_data_free(&ps->d);
	free(ps);
}
