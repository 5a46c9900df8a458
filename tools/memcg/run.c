// SPDX-License-Identifier: MIT
/*
 * Run a scenario on the engine: one engine per run, one memcg_task per
 * "task" line, each command mapped onto the public API (memcg/memcg.h,
 * memcg/sim.h). Output goes through report.c so that the kernel oracle
 * prints the same lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"
#include "memcg/sim.h"
#include "run.h"

/* Above this the frames are data-less (a large simulation). */
#define RUN_DATA_LIMIT (4ULL << 30)

struct run {
	const struct scenario *s;
	struct memcg_engine *e;
	struct report rep;
	FILE *null;			/* the sink of a quiet run */
	bool keep_going;		/* run on after a failed write */
	int stopped_at;			/* line of the write it stopped at */
	size_t next;
	struct memcg_task **tasks;	/* by task index; NULL until created */
	bool *killed;			/* "NAME killed" printed */
	int *cpu;			/* each task's CPU */
};

/* splitmix64: a small, good PRNG for the seed's CPU choice. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static enum memcg_kernel config_kernel(enum scn_kernel k)
{
	return k == SCN_KERNEL_6_12 ? MEMCG_KERNEL_6_12 : MEMCG_KERNEL_6_1;
}

static enum memcg_reclaim config_reclaim(enum scn_reclaim r)
{
	switch (r) {
	case SCN_RECLAIM_CLASSIC:
		return MEMCG_RECLAIM_CLASSIC;
	case SCN_RECLAIM_MGLRU:
		return MEMCG_RECLAIM_MGLRU;
	default:
		return MEMCG_RECLAIM_DEFAULT;
	}
}

/* The machine line as an engine configuration. */
static void machine_config(const struct scn_machine *m,
			   struct memcg_config *cfg)
{
	memcg_config_init(cfg);
	cfg->mode = m->mode == SCN_MODE_V1 ? MEMCG_MODE_V1 : MEMCG_MODE_V2;
	cfg->policy = m->policy == SCN_POLICY_KERNEL ? MEMCG_POLICY_KERNEL :
						       MEMCG_POLICY_REPARENT;
	cfg->memory_bytes = m->memory_bytes;
	cfg->dataless = m->memory_bytes > RUN_DATA_LIMIT;
	cfg->nr_cpus = m->cpus;
	cfg->deterministic = true;
	cfg->kernel = config_kernel(m->kernel);
	cfg->reclaim = config_reclaim(m->reclaim);
	cfg->charge_retries = m->retries == SCN_RETRIES_KERNEL ?
		MEMCG_RETRIES_KERNEL : MEMCG_RETRIES_SKIP_NOOP;
}

/**
 * run_create_error - print why run_create() failed, one line on stderr
 * @s: the scenario
 * @err: run_create()'s negative errno
 *
 * Settings the engine refuses by design name the machine line; anything
 * else prints the errno.
 */
void run_create_error(const struct scenario *s, int err)
{
	const struct scn_machine *m = &s->machine;
	struct memcg_config cfg;

	machine_config(m, &cfg);
	if (err == -EOPNOTSUPP && cfg.kernel == MEMCG_KERNEL_6_12 &&
	    cfg.mode == MEMCG_MODE_V1) {
		fprintf(stderr, "memcg: %s:%d: mode=v1 with kernel=6.12: "
			"Debian's 6.12 is built without CONFIG_MEMCG_V1\n",
			s->filename, m->line);
	} else if (err == -EOPNOTSUPP &&
		   memcg_config_reclaim(&cfg) == MEMCG_RECLAIM_MGLRU) {
		fprintf(stderr, "memcg: %s:%d: reclaim=mglru with kernel=6.1: "
			"the engine models 6.12's MGLRU only; add kernel=6.12\n",
			s->filename, m->line);
	} else if (m->line) {	/* sizes the engine cannot hold, mostly */
		fprintf(stderr, "memcg: %s:%d: cannot create the engine for "
			"this machine: %s\n", s->filename, m->line,
			errname(err));
	} else {
		fprintf(stderr, "memcg: %s: cannot create the engine for its "
			"machine: %s\n", s->filename, errname(err));
	}
}

/**
 * run_create - create the engine of a scenario's machine line
 * @s: the scenario (must outlive the run)
 * @o: options
 * @out: where the output goes; NULL for none
 * @rp: the run
 *
 * Return: 0 or the engine's negative errno (creation or swapon).
 */
int run_create(const struct scenario *s, const struct run_opts *o, FILE *out,
	       struct run **rp)
{
	const struct scn_machine *m = &s->machine;
	struct memcg_config cfg;
	uint64_t x = o->seed;
	struct run *r;
	int err = -ENOMEM;

	*rp = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->s = s;
	r->tasks = calloc(s->nr_tasks + 1, sizeof(*r->tasks));
	r->killed = calloc(s->nr_tasks + 1, sizeof(*r->killed));
	r->cpu = calloc(s->nr_tasks + 1, sizeof(*r->cpu));
	if (!r->tasks || !r->killed || !r->cpu)
		goto fail;
	if (!out) {
		r->null = fopen("/dev/null", "w");
		if (!r->null)
			goto fail;
		out = r->null;
	}
	if (o->tap)
		report_init_tap(&r->rep, out);
	else
		report_init(&r->rep, out, o->json);
	r->keep_going = o->keep_going;
	for (size_t i = 0; i < s->nr_tasks; i++)
		r->cpu[i] = o->seed ? (int)(splitmix64(&x) % m->cpus) :
				      (int)(i % m->cpus);

	machine_config(m, &cfg);
	memcg_set_cpu(0);
	err = memcg_engine_create(&cfg, &r->e);
	if (!err)
		err = memcg_sim_attach(r->e);	/* the virtual clock from the start */
	if (!err)
		err = memcg_sim_set_thp(r->e, m->thp == SCN_THP_ALWAYS ?
					MEMCG_THP_ALWAYS : MEMCG_THP_NEVER);
	if (err)
		goto fail;
	if (m->swap_bytes) {
		err = memcg_swapon(r->e, NULL, m->swap_bytes);
		if (err)
			goto fail;
	}
	*rp = r;
	return 0;
fail:
	run_destroy(r);
	return err;
}

/**
 * run_read_file - read a control file of a cgroup path
 * @e: engine
 * @path: cgroup path ("." for the root)
 * @file: file name
 *
 * Return: the content (malloc'd, free it), or NULL with errno set to the
 * positive error (ENOENT for an offline cgroup or a missing file).
 */
char *run_read_file(struct memcg_engine *e, const char *path,
		    const char *file)
{
	struct mem_cgroup *cg;
	size_t len = 4096;
	char *buf = NULL;
	int ret;

	ret = memcg_lookup(e, path, &cg);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	for (;;) {
		char *nb = realloc(buf, len);

		if (!nb) {
			ret = -ENOMEM;
			break;
		}
		buf = nb;
		ret = memcg_read(cg, file, buf, len);
		if (ret != -EFBIG || len >= (64u << 20))
			break;
		len *= 2;
	}
	memcg_put(cg);
	if (ret < 0) {
		free(buf);
		errno = -ret;
		return NULL;
	}
	return buf;
}

/**
 * run_read_value - a number from a control file, or from one key of a
 * flat-keyed file
 * @e: engine
 * @path: cgroup path
 * @file: file name
 * @key: key, or NULL for the whole (first line of the) file
 *
 * Return: the value; RUN_NO_LIMIT for "max" and for values of 2^62 and
 * more (v1 prints its unlimited as a number); RUN_UNSET when the cgroup,
 * file or key is missing or the value is not a number.
 */
int64_t run_read_value(struct memcg_engine *e, const char *path,
		       const char *file, const char *key)
{
	char *content = run_read_file(e, path, file);
	char buf[64];
	const char *v = buf;
	int64_t n;

	if (!content)
		return RUN_UNSET;
	if (key) {
		if (report_pick_key(content, key, buf, sizeof(buf)))
			v = NULL;
	} else {
		snprintf(buf, sizeof(buf), "%s", content);
		buf[strcspn(buf, "\n")] = '\0';
	}
	free(content);
	if (!v || scn_parse_value(v, &n))
		return RUN_UNSET;
	return n >= ((int64_t)1 << 62) ? RUN_NO_LIMIT : n;
}

static int do_write(struct run *r, const struct scn_cmd *c)
{
	struct mem_cgroup *cg;
	int err = memcg_lookup(r->e, c->cgroup, &cg);

	if (err)
		return err;
	err = memcg_write(cg, c->file, c->value);
	memcg_put(cg);
	return err;
}

/* A plain write failed: an error of the run, which stops unless told. */
static void write_failed(struct run *r, const struct scn_cmd *c, int err)
{
	report_write_failed(&r->rep, c, err);
	fflush(r->rep.out);
	report_write_diag(stderr, "memcg", r->s->filename, c, err);
	if (!r->keep_going)
		r->stopped_at = c->line;
}

static void do_show(struct run *r, const struct scn_cmd *c)
{
	char *content = run_read_file(r->e, c->cgroup, c->file);

	if (!content) {
		report_error(&r->rep, c, errno);
		return;
	}
	report_show(&r->rep, c, content);
	free(content);
}

static void do_expect(struct run *r, const struct scn_cmd *c)
{
	char *content = run_read_file(r->e, c->cgroup, c->file);

	report_expect(&r->rep, c, content, content ? 0 : errno);
	free(content);
}

static enum scn_task_state task_state(struct memcg_task *t)
{
	if (!t)
		return SCN_TASK_NONE;
	if (memcg_task_killed(t))
		return SCN_TASK_KILLED;
	return memcg_task_alive(t) ? SCN_TASK_ALIVE : SCN_TASK_EXITED;
}

static int do_task(struct run *r, const struct scn_cmd *c)
{
	struct mem_cgroup *cg;
	int err = memcg_lookup(r->e, c->cgroup, &cg);

	if (err)
		return err;
	if (c->type == SCN_TASK) {
		err = memcg_task_create(r->e, c->task, cg,
					&r->tasks[c->task_index]);
		if (err)
			r->tasks[c->task_index] = NULL;
	} else if (!r->tasks[c->task_index]) {
		err = -ESRCH;
	} else {
		err = memcg_task_move(r->tasks[c->task_index], cg);
	}
	memcg_put(cg);
	return err;
}

/*
 * A task action: anon, unmap, read, write, truncate, mlock, touch, exit,
 * oom_score_adj.
 */
static int do_action(struct memcg_task *t, const struct scn_cmd *c)
{
	if (!t)
		return -ESRCH;
	switch (c->type) {
	case SCN_ANON:
		return memcg_task_anon(t, c->bytes);
	case SCN_UNMAP:
		return memcg_task_unmap(t, c->bytes);
	case SCN_READ:
		return memcg_task_read_at(t, c->file, c->offset, c->bytes);
	case SCN_FWRITE:
		return memcg_task_write_at(t, c->file, c->offset, c->bytes);
	case SCN_TRUNCATE:
		return memcg_task_truncate(t, c->file, c->bytes);
	case SCN_MLOCK:
		return memcg_task_mlock(t, c->bytes);
	case SCN_TOUCH:
		return memcg_task_touch(t, c->bytes);
	case SCN_EXIT:
		return memcg_task_exit(t);
	case SCN_OOM_SCORE_ADJ:
		return memcg_task_set_oom_score_adj(t, c->adj);
	default:
		return -EINVAL;
	}
}

/* Print "NAME killed" for each task newly killed, in creation order. */
static void report_kills(struct run *r, const struct scn_cmd *c)
{
	for (size_t i = 0; i < r->s->nr_tasks; i++) {
		if (r->tasks[i] && !r->killed[i] &&
		    memcg_task_killed(r->tasks[i])) {
			r->killed[i] = true;
			report_killed(&r->rep, c, r->s->tasks[i]);
		}
	}
}

/**
 * run_step - execute the next command and report what it printed, then
 * the tasks it got killed (in creation order, each once)
 * @r: run
 *
 * A task action that fails because the OOM killer killed its task during
 * that very command prints only "NAME killed"; on a task killed or exited
 * before, it prints "NAME verb: ESRCH". A failed plain write is an error
 * of the run (run.h): it stops the run unless keep_going.
 *
 * Return: true if a command ran, false when the scenario is over or the
 * run stopped at a failed write.
 */
bool run_step(struct run *r)
{
	const struct scn_cmd *c;
	struct memcg_task *t = NULL;
	bool was_killed = false;
	int err = 0;

	if (r->next >= r->s->nr_cmds || r->stopped_at)
		return false;
	c = &r->s->cmds[r->next++];
	if (c->task_index >= 0) {
		t = r->tasks[c->task_index];
		was_killed = r->killed[c->task_index];
		memcg_set_cpu(r->cpu[c->task_index]);
	} else {
		memcg_set_cpu(0);
	}
	switch (c->type) {
	case SCN_MKDIR:
		err = memcg_mkdir(r->e, c->cgroup, NULL);
		break;
	case SCN_RMDIR:
		err = memcg_rmdir(r->e, c->cgroup);
		break;
	case SCN_WRITE:
		err = do_write(r, c);
		if (err)
			write_failed(r, c, err);
		err = 0;
		break;
	case SCN_EXPECT_WRITE:
		report_expect_write(&r->rep, c, do_write(r, c));
		break;
	case SCN_SHOW:
		do_show(r, c);
		break;
	case SCN_EXPECT:
		do_expect(r, c);
		break;
	case SCN_EXPECT_TASK:
		report_expect_task(&r->rep, c, task_state(t));
		break;
	case SCN_TASK:
	case SCN_MOVE:
		err = do_task(r, c);
		break;
	default:
		err = do_action(t, c);
		/* killed by this very command: "NAME killed" says it all */
		if (err && t && !was_killed && memcg_task_killed(t))
			err = 0;
		break;
	}
	if (err)
		report_error(&r->rep, c, err);
	report_kills(r, c);
	fflush(r->rep.out);
	return true;
}

/** run_all - execute every remaining command */
void run_all(struct run *r)
{
	while (run_step(r))
		;
}

/** run_next_index - the index of the next command (== nr_cmds at the end) */
size_t run_next_index(const struct run *r)
{
	return r->next;
}

/** run_scenario - the run's scenario */
const struct scenario *run_scenario(const struct run *r)
{
	return r->s;
}

/** run_engine - the run's engine (for tree and plot) */
struct memcg_engine *run_engine(struct run *r)
{
	return r->e;
}

/** run_report - the run's report (expect tally) */
const struct report *run_report(const struct run *r)
{
	return &r->rep;
}

/**
 * run_exit_code - 0 if every expect held and every write succeeded so
 * far, 1 otherwise
 * @r: run
 */
int run_exit_code(const struct run *r)
{
	return r->rep.nr_failed || r->rep.nr_write_failed ? 1 : 0;
}

/**
 * run_stopped_at - where a strict run stopped
 * @r: run
 *
 * Return: the line of the failed write the run stopped at, or 0.
 */
int run_stopped_at(const struct run *r)
{
	return r->stopped_at;
}

/**
 * run_destroy - exit the live tasks and destroy the engine
 * @r: run or NULL
 */
void run_destroy(struct run *r)
{
	if (!r)
		return;
	if (r->e) {
		for (size_t i = 0; i < r->s->nr_tasks; i++)
			if (r->tasks[i] && memcg_task_alive(r->tasks[i]))
				memcg_task_exit(r->tasks[i]);
		memcg_engine_destroy(r->e);
	}
	if (r->null)
		fclose(r->null);
	free(r->tasks);
	free(r->killed);
	free(r->cpu);
	free(r);
}
