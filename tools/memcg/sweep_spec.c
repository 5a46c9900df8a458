// SPDX-License-Identifier: MIT
/*
 * memcg sweep: the parameters and outputs of the command line, checked
 * against the scenario. See sweep.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memcg/memcg.h"
#include "report.h"
#include "run.h"
#include "sweep.h"

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* @v as the scenario language writes a size: "10M", "1536K", "7". */
static void format_size(uint64_t v, char *buf, size_t len)
{
	static const char suffix[] = "TGMK";

	for (int i = 0; i < 4; i++) {
		uint64_t unit = 1ULL << (10 * (4 - i));

		if (v && v % unit == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", v / unit, suffix[i]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64, v);
}

static int parse_number(const char *s, bool seed, uint64_t *v)
{
	char *end;

	if (!seed)
		return scn_parse_size(s, v);
	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

static int add_value(struct sweep_param *p, const char *v)
{
	char **nv;

	if (p->nr_values >= SWEEP_MAX_POINTS)
		return -E2BIG;
	nv = realloc(p->values, (p->nr_values + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	p->values = nv;
	p->values[p->nr_values] = strdup(v);
	if (!p->values[p->nr_values])
		return -ENOMEM;
	p->nr_values++;
	return 0;
}

/* "V1,V2,...": words of printable bytes, no blank, none empty. */
static int parse_list(const char *spec, struct sweep_param *p, char *err,
		      size_t errlen)
{
	const char *v = spec;

	for (;;) {
		size_t n = strcspn(v, ",");
		char word[SWEEP_VALUE_LEN];
		int ret;

		if (!n)
			return fail(err, errlen, "empty value in '%s'", spec);
		if (n >= sizeof(word))
			return fail(err, errlen, "value longer than %d bytes "
				    "in '%s'", SWEEP_VALUE_LEN - 1, spec);
		memcpy(word, v, n);
		word[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)word[i] <= ' ' ||
			    (unsigned char)word[i] >= 0x7f || word[i] == '#')
				return fail(err, errlen, "value '%s' in '%s': "
					    "printable ASCII but '#' only", word,
					    spec);
		ret = add_value(p, word);
		if (ret == -E2BIG)
			return fail(err, errlen, "more than %d values in '%s'",
				    SWEEP_MAX_POINTS, spec);
		if (ret)
			return ret;
		if (!v[n])
			return 0;
		v += n + 1;
	}
}

/**
 * sweep_parse_values - parse VALUES of --set or --seed
 * @spec: "LO..HI:STEP" or "V1,V2,..."
 * @seed: a seed range (numbers; STEP may be left out) rather than sizes
 * @p: receives @values and @nr_values
 * @err: receives one line naming the problem
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL (empty, malformed, step 0, HI below LO, more than
 * SWEEP_MAX_POINTS values) or -ENOMEM.
 */
int sweep_parse_values(const char *spec, bool seed, struct sweep_param *p,
		       char *err, size_t errlen)
{
	const char *dots = strstr(spec, "..");
	char lo_s[64], hi_s[64], step_s[64] = "1";
	const char *colon;
	uint64_t lo, hi, step;

	if (!*spec)
		return fail(err, errlen, "no values (LO..HI:STEP or V1,V2,...)");
	if (!dots)
		return parse_list(spec, p, err, errlen);
	colon = strchr(dots, ':');
	if ((size_t)(dots - spec) >= sizeof(lo_s) || strlen(dots) >= 64)
		return fail(err, errlen, "malformed range '%s'", spec);
	snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dots - spec), spec);
	snprintf(hi_s, sizeof(hi_s), "%.*s",
		 (int)(colon ? colon - dots - 2 : (long)strlen(dots + 2)),
		 dots + 2);
	if (!lo_s[0] || !hi_s[0] || (colon && !colon[1]))
		return fail(err, errlen, "malformed range '%s' (LO..HI%s)", spec,
			    seed ? "[:STEP]" : ":STEP");
	if (colon)
		snprintf(step_s, sizeof(step_s), "%s", colon + 1);
	else if (!seed)
		return fail(err, errlen, "range '%s' needs a step (LO..HI:STEP, "
			    "as 0..60M:10M)", spec);
	if (parse_number(lo_s, seed, &lo) || parse_number(hi_s, seed, &hi) ||
	    parse_number(step_s, seed, &step))
		return fail(err, errlen, "malformed range '%s' (LO..HI%s, %s)",
			    spec, seed ? "[:STEP]" : ":STEP",
			    seed ? "numbers" : "sizes with K, M, G, T");
	if (!step)
		return fail(err, errlen, "step 0 in range '%s'", spec);
	if (hi < lo)
		return fail(err, errlen, "empty range '%s' (HI below LO)", spec);
	if ((hi - lo) / step >= SWEEP_MAX_POINTS)
		return fail(err, errlen, "range '%s' has more than %d values",
			    spec, SWEEP_MAX_POINTS);
	for (uint64_t v = lo;; v += step) {
		char buf[SWEEP_VALUE_LEN];
		int ret;

		if (seed)
			snprintf(buf, sizeof(buf), "%" PRIu64, v);
		else
			format_size(v, buf, sizeof(buf));
		ret = add_value(p, buf);
		if (ret)
			return ret;
		if (hi - v < step)
			break;
	}
	return 0;
}

static struct sweep_param *new_param(struct sweep *sw, const char *spec,
				     char *err, size_t errlen)
{
	struct sweep_param *p;

	if (sw->nr_params >= SWEEP_MAX_PARAMS) {
		fail(err, errlen, "at most %d parameters (--set, --seed), not "
		     "also '%s'", SWEEP_MAX_PARAMS, spec);
		return NULL;
	}
	p = &sw->params[sw->nr_params++];
	memset(p, 0, sizeof(*p));
	p->spec = strdup(spec);
	if (!p->spec) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return p;
}

/* "CG/FILE" into @cgroup ("." when there is no '/') and @file. */
static int split_path(const char *path, char **cgroup, char **file)
{
	const char *slash = strrchr(path, '/');

	*cgroup = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	*file = strdup(slash ? slash + 1 : path);
	return *cgroup && *file ? 0 : -ENOMEM;
}

/* A cgroup path or file name of the scenario language's characters. */
static bool good_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-.+:@,=/", *s))
			return false;
	return true;
}

/** sweep_add_set - add a "--set CG/FILE=VALUES" parameter */
int sweep_add_set(struct sweep *sw, const char *spec, char *err,
		  size_t errlen)
{
	const char *eq = strchr(spec, '=');
	struct sweep_param *p = new_param(sw, spec, err, errlen);
	char msg[512];
	int ret;

	if (!p)
		return -EINVAL;
	p->kind = SWEEP_SET;
	if (!eq || eq == spec)
		return fail(err, errlen, "--set '%s': CG/FILE=VALUES, as "
			    "A/memory.low=0..60M:10M", spec);
	p->name = strndup(spec, (size_t)(eq - spec));
	if (!p->name || split_path(p->name, &p->cgroup, &p->file))
		return -ENOMEM;
	if (!good_name(p->name) || !*p->cgroup || !*p->file)
		return fail(err, errlen, "--set '%s': bad control file path "
			    "'%s'", spec, p->name);
	for (size_t i = 0; i + 1 < sw->nr_params; i++)
		if (sw->params[i].name && !strcmp(sw->params[i].name, p->name))
			return fail(err, errlen, "--set %s given twice", p->name);
	ret = sweep_parse_values(eq + 1, false, p, msg, sizeof(msg));
	if (ret == -EINVAL)
		return fail(err, errlen, "--set %s: %s", p->name, msg);
	return ret;
}

/** sweep_add_seed - add a "--seed VALUES" parameter (as sweep_add_set()) */
int sweep_add_seed(struct sweep *sw, const char *spec, char *err,
		   size_t errlen)
{
	struct sweep_param *p = new_param(sw, spec, err, errlen);
	char msg[512];
	int ret;

	if (!p)
		return -EINVAL;
	p->kind = SWEEP_SEED;
	p->name = strdup("seed");
	if (!p->name)
		return -ENOMEM;
	for (size_t i = 0; i + 1 < sw->nr_params; i++)
		if (sw->params[i].kind == SWEEP_SEED)
			return fail(err, errlen, "--seed given twice");
	ret = sweep_parse_values(spec, true, p, msg, sizeof(msg));
	if (ret == -EINVAL)
		return fail(err, errlen, "--seed: %s", msg);
	for (size_t i = 0; !ret && i < p->nr_values; i++)
		if (parse_number(p->values[i], true, &(uint64_t){ 0 }))
			return fail(err, errlen, "--seed: '%s' is not a "
				    "number", p->values[i]);
	return ret;
}

/** sweep_add_shows - add the outputs of "--show CG/FILE[:KEY],..." */
int sweep_add_shows(struct sweep *sw, const char *list, char *err,
		    size_t errlen)
{
	const char *v = list;

	do {
		size_t n = strcspn(v, ",");
		struct sweep_show *sh;
		char *colon;

		if (sw->nr_shows >= SWEEP_MAX_SHOWS)
			return fail(err, errlen, "--show: at most %d outputs",
				    SWEEP_MAX_SHOWS);
		sh = &sw->shows[sw->nr_shows++];
		memset(sh, 0, sizeof(*sh));
		sh->spec = strndup(v, n);
		if (!sh->spec)
			return -ENOMEM;
		if (!n)
			return fail(err, errlen, "--show '%s': an empty output "
				    "(CG/FILE or CG/FILE:KEY, comma separated)",
				    list);
		colon = strchr(sh->spec, ':');
		if (colon) {
			sh->key = strdup(colon + 1);
			*colon = '\0';
		}
		if (split_path(sh->spec, &sh->cgroup, &sh->file) ||
		    (colon && !sh->key))
			return -ENOMEM;
		if (colon)
			*colon = ':';
		if (!good_name(sh->cgroup) || !good_name(sh->file) ||
		    (sh->key && !good_name(sh->key)))
			return fail(err, errlen, "--show '%s': bad output (CG/FILE"
				    " or CG/FILE:KEY)", sh->spec);
		v += n;
	} while (*v++);
	return 0;
}

/* The cgroup is the root or made by a mkdir line of the scenario. */
static bool made(const struct scenario *s, const char *cgroup)
{
	if (!strcmp(cgroup, "."))
		return true;
	for (size_t i = 0; i < s->nr_cgroups; i++)
		if (!strcmp(s->cgroups[i], cgroup))
			return true;
	return false;
}

/*
 * Whether the engine's cgroups (the root, or a child of it for any other
 * cgroup) have @file, in the scenario's mode: 0, -ENOENT, or the engine's
 * errno; @content receives the file's content when it reads.
 */
static int probe_file(struct memcg_engine *e, const char *cgroup,
		      const char *file, char *content, size_t len)
{
	struct mem_cgroup *cg;
	struct memcg_file *f;
	int ret;

	if (!strcmp(cgroup, "."))
		ret = memcg_lookup(e, ".", &cg);
	else
		ret = memcg_lookup(e, "sweep-probe", &cg);
	if (ret)
		return ret;
	ret = memcg_open(cg, file, &f);
	if (!ret) {
		memcg_file_close(f);
		if (content && memcg_read(cg, file, content, len) < 0)
			content[0] = '\0';
	}
	memcg_put(cg);
	return ret;
}

static int check_params(struct sweep *sw, struct memcg_engine *e, char *err,
			size_t errlen)
{
	for (size_t i = 0; i < sw->nr_params; i++) {
		const struct sweep_param *p = &sw->params[i];

		if (p->kind != SWEEP_SET)
			continue;
		if (!made(sw->s, p->cgroup))
			return fail(err, errlen, "--set %s: no mkdir line of %s "
				    "creates %s", p->name, sw->s->filename,
				    p->cgroup);
		if (probe_file(e, p->cgroup, p->file, NULL, 0) == -ENOENT)
			return fail(err, errlen, "--set %s: unknown file %s "
				    "(mode %s)", p->name, p->file,
				    sw->s->machine.mode == SCN_MODE_V1 ? "v1" :
				    "v2");
	}
	return 0;
}

static int check_shows(struct sweep *sw, struct memcg_engine *e, char *err,
		       size_t errlen)
{
	char content[8192], val[SWEEP_VALUE_LEN];

	for (size_t i = 0; i < sw->nr_shows; i++) {
		const struct sweep_show *sh = &sw->shows[i];

		if (!made(sw->s, sh->cgroup))
			return fail(err, errlen, "--show %s: no mkdir line of %s "
				    "creates %s", sh->spec, sw->s->filename,
				    sh->cgroup);
		content[0] = '\0';
		if (probe_file(e, sh->cgroup, sh->file, content,
			       sizeof(content)) == -ENOENT)
			return fail(err, errlen, "--show %s: unknown file %s "
				    "(mode %s)", sh->spec, sh->file,
				    sw->s->machine.mode == SCN_MODE_V1 ? "v1" :
				    "v2");
		if (sh->key && report_pick_key(content, sh->key, val,
					       sizeof(val)))
			return fail(err, errlen, "--show %s: %s has no key %s",
				    sh->spec, sh->file, sh->key);
	}
	return 0;
}

static int check_here(struct sweep *sw, char *err, size_t errlen)
{
	struct run_opts o = { 0 };
	struct run *r;
	int ret;

	ret = run_create(sw->s, &o, NULL, &r);
	if (ret) {
		run_create_error(sw->s, ret);
		return fail(err, errlen, "%s: cannot create its machine",
			    sw->s->filename);
	}
	ret = memcg_mkdir(run_engine(r), "sweep-probe", NULL);
	if (!ret)
		ret = check_params(sw, run_engine(r), err, errlen);
	else
		fail(err, errlen, "cannot probe the engine's files: %s",
		     strerror(-ret));
	if (!ret)
		ret = check_shows(sw, run_engine(r), err, errlen);
	run_destroy(r);
	return ret;
}

/** sweep_count - set @sw->nr_points; -EINVAL when above SWEEP_MAX_POINTS */
int sweep_count(struct sweep *sw, char *err, size_t errlen)
{
	size_t n = 1;

	for (size_t i = 0; i < sw->nr_params; i++) {
		n *= sw->params[i].nr_values;
		if (n > SWEEP_MAX_POINTS)
			return fail(err, errlen, "more than %d points",
				    SWEEP_MAX_POINTS);
	}
	sw->nr_points = n;
	return 0;
}

/** sweep_point_params - the parameter values of point @index */
void sweep_point_params(const struct sweep *sw, size_t index,
			struct sweep_point *pt)
{
	size_t rest = index;

	memset(pt, 0, sizeof(*pt));
	pt->index = index;
	/* the first parameter varies slowest */
	for (size_t i = sw->nr_params; i-- > 0;) {
		const struct sweep_param *p = &sw->params[i];

		snprintf(pt->param[i], sizeof(pt->param[i]), "%s",
			 p->values[rest % p->nr_values]);
		rest /= p->nr_values;
	}
}

static void free_param(struct sweep_param *p)
{
	for (size_t i = 0; i < p->nr_values; i++)
		free(p->values[i]);
	free(p->values);
	free(p->name);
	free(p->spec);
	free(p->cgroup);
	free(p->file);
}

/** sweep_free - free what the sweep holds (not @sw itself) */
void sweep_free(struct sweep *sw)
{
	for (size_t i = 0; i < sw->nr_params; i++)
		free_param(&sw->params[i]);
	for (size_t i = 0; i < sw->nr_shows; i++) {
		free(sw->shows[i].spec);
		free(sw->shows[i].cgroup);
		free(sw->shows[i].file);
		free(sw->shows[i].key);
	}
	scenario_free(sw->s);
	free(sw->text);
	free(sw->merged_name);
	free(sw->points);
	free(sw->done);
	memset(sw, 0, sizeof(*sw));
}

/**
 * sweep_check - check the parameters and outputs against the scenario
 *
 * In a child process: an engine leaves liburcu's call_rcu thread behind,
 * which the forked workers would wait for in vain (the parent of the
 * workers must never have had an engine).
 */
int sweep_check(struct sweep *sw, char *err, size_t errlen)
{
	int fds[2], status, ret = -EINVAL;
	char msg[1024] = "";
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		return fail(err, errlen, "checking: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return fail(err, errlen, "checking: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		ret = check_here(sw, msg, sizeof(msg));
		fflush(stderr);
		_exit(write(fds[1], msg, sizeof(msg)) == sizeof(msg) && !ret ?
		      0 : 1);
	}
	close(fds[1]);
	n = read(fds[0], msg, sizeof(msg));
	if (waitpid(pid, &status, 0) == pid && n == sizeof(msg) &&
	    WIFEXITED(status))
		ret = WEXITSTATUS(status) ? -EINVAL : 0;
	else
		snprintf(msg, sizeof(msg), "checking the scenario: the checker "
			 "died");
	close(fds[0]);
	msg[sizeof(msg) - 1] = '\0';
	if (ret)
		snprintf(err, errlen, "%s", msg[0] ? msg : "checking failed");
	return ret;
}
