// SPDX-License-Identifier: MIT
/*
 * The scenario parser: text -> struct scenario. See scenario.h for the
 * language and for what is checked here rather than at run time.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errname.h"
#include "scenario.h"
#include "strtab.h"

/* Parser state for one file. */
struct parser {
	struct scenario *s;
	const char *filename;
	int line;
	char *err;
	size_t errlen;
	size_t cap_cmds, cap_tasks, cap_cgroups;
	int *task_line;		/* line of each task's "task" command */
	struct strtab task_names, cgroup_names;	/* name -> index */
	bool seen_cmd;		/* a command other than machine was seen */
};

/* One line split into blank-separated tokens. */
struct line {
	char **tok;
	size_t nr, cap;
};

static const char *const keywords[] = {
	"machine", "mkdir", "rmdir", "write", "show", "task", "move", "expect",
};

static const char *const actions_help =
	"anon, unmap, read, write, truncate, mlock, touch, exit or "
	"oom_score_adj";

static const char *const commands_help =
	"machine, mkdir, rmdir, write, show, task, move, expect or "
	"'TASK ACTION'";

/* Format "FILE:LINE: msg" into the error buffer; returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	char msg[1024];

	if (!p->err || !p->errlen)
		return -EINVAL;
	n = snprintf(msg, sizeof(msg), "%s:%d: ", p->filename, p->line);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	/* the tokens and the file name are the user's: escape them */
	scn_escape(msg, p->err, p->errlen);
	return -EINVAL;
}

/* Tokens are echoed in messages: clip them so a huge one stays readable. */
#define TOK(t) 40, (t)

/* --- numbers --- */

/**
 * scn_parse_size - parse a size: digits and an optional K/M/G/T suffix
 * @s: NUL-terminated token
 * @out: bytes
 *
 * Return: 0, or -EINVAL (syntax) / -ERANGE (above UINT64_MAX).
 */
int scn_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	const char *c = s;

	if (*c < '0' || *c > '9')
		return -EINVAL;
	for (; *c >= '0' && *c <= '9'; c++) {
		unsigned d = *c - '0';

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	switch (*c) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	default:
		return -EINVAL;
	}
	if (shift) {
		if (c[1] != '\0')
			return -EINVAL;
		if (v > (UINT64_MAX >> shift))
			return -ERANGE;
		v <<= shift;
	}
	*out = v;
	return 0;
}

/**
 * scn_parse_value - parse an expect value: an optionally signed size
 * (K/M/G/T suffixes) or "max" (INT64_MAX)
 * @s: NUL-terminated token
 * @out: the value
 *
 * Return: 0, -EINVAL or -ERANGE.
 */
int scn_parse_value(const char *s, int64_t *out)
{
	bool neg = false;
	uint64_t v;
	int err;

	if (!strcmp(s, "max")) {
		*out = INT64_MAX;
		return 0;
	}
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	err = scn_parse_size(s, &v);
	if (err)
		return err;
	if (v > (uint64_t)INT64_MAX + (neg ? 1 : 0))
		return -ERANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/* A decimal integer in [lo, hi], optionally signed. */
static bool parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!*s || (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* "N%" or "N.M%" with N.M in [0, 1000]. */
static bool parse_tol(const char *s, double *out)
{
	size_t n = strlen(s);
	double v = 0, scale = 1;
	bool dot = false, digit = false;

	if (n < 2 || s[n - 1] != '%' || n > 16)
		return false;
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == '.' && !dot) {
			dot = true;
		} else if (s[i] >= '0' && s[i] <= '9') {
			digit = true;
			if (dot) {
				scale /= 10;
				v += (s[i] - '0') * scale;
			} else {
				v = v * 10 + (s[i] - '0');
			}
		} else {
			return false;
		}
	}
	if (!digit || v > 1000)
		return false;
	*out = v;
	return true;
}

/**
 * scn_op_str - the spelling of an expect operator
 * @op: operator
 *
 * Return: "==", "!=", "<", "<=", ">", ">=" or "~".
 */
const char *scn_op_str(enum scn_op op)
{
	static const char *const names[] = {
		[SCN_OP_EQ] = "==", [SCN_OP_NE] = "!=", [SCN_OP_LT] = "<",
		[SCN_OP_LE] = "<=", [SCN_OP_GT] = ">", [SCN_OP_GE] = ">=",
		[SCN_OP_CLOSE] = "~",
	};

	return (unsigned)op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}

static bool parse_op(const char *s, enum scn_op *op)
{
	for (int i = SCN_OP_EQ; i <= SCN_OP_CLOSE; i++) {
		if (!strcmp(s, scn_op_str(i))) {
			*op = i;
			return true;
		}
	}
	return false;
}

/**
 * scn_cmd_name - the keyword of a command type
 * @type: command type
 *
 * Return: "mkdir", "anon", "expect", ... ("?" for an unknown type).
 */
const char *scn_cmd_name(enum scn_cmd_type type)
{
	static const char *const names[] = {
		[SCN_MKDIR] = "mkdir", [SCN_RMDIR] = "rmdir",
		[SCN_WRITE] = "write", [SCN_SHOW] = "show",
		[SCN_TASK] = "task", [SCN_MOVE] = "move",
		[SCN_ANON] = "anon", [SCN_UNMAP] = "unmap",
		[SCN_READ] = "read", [SCN_MLOCK] = "mlock",
		[SCN_TOUCH] = "touch", [SCN_EXIT] = "exit",
		[SCN_OOM_SCORE_ADJ] = "oom_score_adj",
		[SCN_EXPECT] = "expect", [SCN_EXPECT_TASK] = "expect",
		[SCN_FWRITE] = "write", [SCN_EXPECT_WRITE] = "expect",
		[SCN_TRUNCATE] = "truncate",
	};

	return (unsigned)type < sizeof(names) / sizeof(names[0]) ?
	       names[type] : "?";
}

/**
 * scn_cmd_is_task - whether a command is a task action ("NAME verb ...")
 * @type: command type
 *
 * Return: true for anon, unmap, read, write, truncate, mlock, touch,
 * exit, oom_score_adj.
 */
bool scn_cmd_is_task(enum scn_cmd_type type)
{
	return (type >= SCN_ANON && type <= SCN_OOM_SCORE_ADJ) ||
	       type == SCN_FWRITE || type == SCN_TRUNCATE;
}

/* --- escaping --- */

/*
 * The length of the printable UTF-8 character at @p: 1-4, or 0 for a
 * control byte (C0, DEL, or C1 as U+0080-U+009F) or bytes that are not
 * UTF-8 (overlong, surrogates, above U+10FFFF, cut short).
 */
static size_t utf8_printable(const unsigned char *p)
{
	unsigned cp;
	size_t n;

	if (p[0] < 0x80)
		return p[0] >= 0x20 && p[0] != 0x7f;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* the NUL too */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0)
		return 0;
	return n;
}

/**
 * scn_escape - @s as it may be echoed to a terminal
 * @s: string
 * @out: receives it, control bytes and bytes that are not UTF-8 as
 *       "\xHH", cut at a whole character to fit
 * @len: size of @out (at least 1)
 *
 * Return: @out.
 */
const char *scn_escape(const char *s, char *out, size_t len)
{
	const unsigned char *c = (const unsigned char *)s;
	size_t o = 0;

	if (!len)
		return out;
	while (*c) {
		size_t n = utf8_printable(c);

		if (n) {
			if (o + n >= len)
				break;
			memcpy(out + o, c, n);
			c += n;
			o += n;
		} else {
			if (o + 4 >= len)
				break;
			snprintf(out + o, 5, "\\x%02x", *c++);
			o += 4;
		}
	}
	out[o] = '\0';
	return out;
}

/** scn_escape_dup - scn_escape() into a malloc'd string, or NULL */
char *scn_escape_dup(const char *s)
{
	size_t len = strlen(s) * 4 + 1;
	char *out = malloc(len);

	return out ? (char *)scn_escape(s, out, len) : NULL;
}

/* "PATH: what" into @err, PATH escaped; returns @ret. */
static int read_err(char *err, size_t errlen, const char *path,
		    const char *what, int ret)
{
	char epath[512];

	if (err && errlen)
		snprintf(err, errlen, "%s: %s",
			 scn_escape(path, epath, sizeof(epath)), what);
	return ret;
}

/* --- names and paths --- */

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	       c == '+';
}

/* Task and data-file names: [A-Za-z0-9_.+-]+, not "." or "..". */
static bool valid_name(const char *s)
{
	if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (!is_name_char(*s))
			return false;
	return true;
}

/* Keys of flat-keyed files: [A-Za-z0-9_]+. */
static bool valid_key(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_name_char(*s) || *s == '.' || *s == '-' || *s == '+')
			return false;
	return true;
}

/* Control-file names: [a-z0-9_]+ with at least one inner '.' ("memory.max"). */
static bool valid_ctl_file(const char *s)
{
	bool dot = false;
	size_t n = strlen(s);

	if (!n || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (s[i + 1] == '.')
				return false;
			dot = true;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			     c == '_')) {
			return false;
		}
	}
	return dot;
}

/* A copy of @n bytes of @s with room for norm_cgroup()'s "." (3 bytes). */
static char *pathdup(const char *s, size_t n)
{
	char *p = malloc(n + 3);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/*
 * Normalize a cgroup path in place: strip "./" prefixes and trailing '/';
 * "." and "" become "." (@path comes from pathdup(): room for it).
 * Components must be non-empty, not "." or "..", and of letters, digits
 * and "_-.+:@,=" (so that paths need no quoting in JSON, SVG or shells).
 */
static bool norm_cgroup(char *path)
{
	char *p = path;
	size_t n;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		p[--n] = '\0';
	memmove(path, p, n + 1);
	if (!n || !strcmp(path, ".")) {
		strcpy(path, ".");
		return true;
	}
	for (char *c = path; *c; ) {
		char *end = strchr(c, '/');
		size_t len = end ? (size_t)(end - c) : strlen(c);

		if (!len || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		for (size_t i = 0; i < len; i++)
			if (!is_name_char(c[i]) && !strchr(":@,=", c[i]))
				return false;
		c += len + (end ? 1 : 0);
	}
	return true;
}

/*
 * Split "PATH/FILE" at the last '/' into a cgroup path and a control file
 * name; a bare "FILE" is the root's. Both results are malloc'd.
 */
static int split_path_file(const char *tok, char **cgroup, char **file)
{
	const char *slash = strrchr(tok, '/');
	char *cg, *f;

	if (slash) {
		cg = pathdup(tok, slash - tok);
		f = strdup(slash + 1);
	} else {
		cg = pathdup(".", 1);
		f = strdup(tok);
	}
	if (!cg || !f) {
		free(cg);
		free(f);
		return -ENOMEM;
	}
	if (!norm_cgroup(cg) || !valid_ctl_file(f)) {
		free(cg);
		free(f);
		return -EINVAL;
	}
	*cgroup = cg;
	*file = f;
	return 0;
}

/* --- tables --- */

static int find_task(struct parser *p, const char *name)
{
	return strtab_get(&p->task_names, name);
}

static bool known_cgroup(struct parser *p, const char *path)
{
	return !strcmp(path, ".") || strtab_get(&p->cgroup_names, path) >= 0;
}

/*
 * Make room for element @nr of an array of @cap elements of @size bytes.
 * Return: the (maybe moved) array, or NULL with @arr untouched.
 */
static void *grow(void *arr, size_t *cap, size_t nr, size_t size)
{
	void *n;
	size_t ncap;

	if (arr && nr < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return NULL;
	n = realloc(arr, ncap * size);
	if (!n)
		return NULL;
	*cap = ncap;
	return n;
}

static int add_cgroup(struct parser *p, const char *path)
{
	struct scenario *s = p->s;
	char **arr, *dup;

	if (known_cgroup(p, path))
		return 0;
	arr = grow(s->cgroups, &p->cap_cgroups, s->nr_cgroups,
		   sizeof(*s->cgroups));
	if (!arr)
		return -ENOMEM;
	s->cgroups = arr;
	dup = strdup(path);
	if (!dup)
		return -ENOMEM;
	if (strtab_put(&p->cgroup_names, dup, (int)s->nr_cgroups)) {
		free(dup);
		return -ENOMEM;
	}
	s->cgroups[s->nr_cgroups++] = dup;
	return 0;
}

static int add_task(struct parser *p, const char *name)
{
	struct scenario *s = p->s;
	size_t cap = p->cap_tasks;
	char **arr, *dup;

	arr = grow(s->tasks, &p->cap_tasks, s->nr_tasks, sizeof(*s->tasks));
	if (!arr)
		return -ENOMEM;
	s->tasks = arr;
	if (cap != p->cap_tasks) {
		int *n = realloc(p->task_line, p->cap_tasks * sizeof(int));

		if (!n)
			return -ENOMEM;
		p->task_line = n;
	}
	dup = strdup(name);
	if (!dup)
		return -ENOMEM;
	if (strtab_put(&p->task_names, dup, (int)s->nr_tasks)) {
		free(dup);
		return -ENOMEM;
	}
	p->task_line[s->nr_tasks] = p->line;
	s->tasks[s->nr_tasks++] = dup;
	return (int)s->nr_tasks - 1;
}

/* --- lines --- */

static void line_free(struct line *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->tok[i]);
	free(l->tok);
	l->tok = NULL;
	l->nr = l->cap = 0;
}

/* Split [b, e) at blanks, stopping at '#'. */
static int line_split(struct line *l, const char *b, const char *e)
{
	const char *c = b;

	for (;;) {
		const char *start;
		char **arr, *t;

		while (c < e && (*c == ' ' || *c == '\t' || *c == '\r' ||
				 *c == '\v' || *c == '\f'))
			c++;
		if (c == e || *c == '#')
			return 0;
		start = c;
		while (c < e && *c != ' ' && *c != '\t' && *c != '\r' &&
		       *c != '\v' && *c != '\f' && *c != '#')
			c++;
		arr = grow(l->tok, &l->cap, l->nr, sizeof(*l->tok));
		if (!arr)
			return -ENOMEM;
		l->tok = arr;
		t = strndup(start, c - start);
		if (!t)
			return -ENOMEM;
		l->tok[l->nr++] = t;
	}
}

/* Tokens [from, to) joined by single blanks. */
static char *line_join_range(const struct line *l, size_t from, size_t to)
{
	size_t n = 1;
	char *s, *c;

	for (size_t i = from; i < to; i++)
		n += strlen(l->tok[i]) + 1;
	s = malloc(n);
	if (!s)
		return NULL;
	c = s;
	*c = '\0';
	for (size_t i = from; i < to; i++) {
		size_t len = strlen(l->tok[i]);

		if (i > from)
			*c++ = ' ';
		memcpy(c, l->tok[i], len);
		c += len;
	}
	*c = '\0';
	return s;
}

/* Tokens [from, nr) joined by single blanks. */
static char *line_join(const struct line *l, size_t from)
{
	return line_join_range(l, from, l->nr);
}

static bool is_keyword(const char *s)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(s, keywords[i]))
			return true;
	return false;
}

/* --- commands --- */

/**
 * scn_kernel_str - the spelling of a kernel profile
 * @kernel: profile
 *
 * Return: "6.1" or "6.12".
 */
const char *scn_kernel_str(enum scn_kernel kernel)
{
	return kernel == SCN_KERNEL_6_12 ? "6.12" : "6.1";
}

/**
 * scn_reclaim_str - the spelling of a reclaim mode
 * @reclaim: mode
 *
 * Return: "default", "classic" or "mglru".
 */
const char *scn_reclaim_str(enum scn_reclaim reclaim)
{
	switch (reclaim) {
	case SCN_RECLAIM_CLASSIC:
		return "classic";
	case SCN_RECLAIM_MGLRU:
		return "mglru";
	default:
		return "default";
	}
}

/**
 * scn_thp_str - the spelling of a THP setting
 * @thp: setting
 *
 * Return: "never" or "always".
 */
const char *scn_thp_str(enum scn_thp thp)
{
	return thp == SCN_THP_ALWAYS ? "always" : "never";
}

static int machine_thp(struct parser *p, struct scn_machine *m, const char *v)
{
	if (!strcmp(v, "never"))
		m->thp = SCN_THP_NEVER;
	else if (!strcmp(v, "always"))
		m->thp = SCN_THP_ALWAYS;
	else
		return perr(p, "bad thp '%.*s': expected thp=always or "
			    "thp=never", TOK(v));
	m->given |= SCN_GIVEN_THP;
	return 0;
}

static int machine_retries(struct parser *p, struct scn_machine *m,
			   const char *v)
{
	if (!strcmp(v, "skip"))
		m->retries = SCN_RETRIES_SKIP;
	else if (!strcmp(v, "kernel"))
		m->retries = SCN_RETRIES_KERNEL;
	else
		return perr(p, "bad retries '%.*s': expected retries=skip or "
			    "retries=kernel", TOK(v));
	m->given |= SCN_GIVEN_RETRIES;
	return 0;
}

static int machine_kernel(struct parser *p, struct scn_machine *m,
			  const char *v)
{
	if (!strcmp(v, "6.1"))
		m->kernel = SCN_KERNEL_6_1;
	else if (!strcmp(v, "6.12"))
		m->kernel = SCN_KERNEL_6_12;
	else
		return perr(p, "bad kernel '%.*s': expected kernel=6.1 or "
			    "kernel=6.12", TOK(v));
	m->given |= SCN_GIVEN_KERNEL;
	return 0;
}

static int machine_reclaim(struct parser *p, struct scn_machine *m,
			   const char *v)
{
	if (!strcmp(v, "classic"))
		m->reclaim = SCN_RECLAIM_CLASSIC;
	else if (!strcmp(v, "mglru"))
		m->reclaim = SCN_RECLAIM_MGLRU;
	else
		return perr(p, "bad reclaim '%.*s': expected reclaim=classic "
			    "or reclaim=mglru", TOK(v));
	m->given |= SCN_GIVEN_RECLAIM;
	return 0;
}

/* Settings that are fine one by one but not together. */
static int machine_check(struct parser *p, const struct scn_machine *m)
{
	if (m->kernel == SCN_KERNEL_6_12 && m->mode == SCN_MODE_V1)
		return perr(p, "mode=v1 with kernel=6.12: Debian's 6.12 is "
			    "built without CONFIG_MEMCG_V1 (no cgroup v1); "
			    "expected mode=v2 or kernel=6.1");
	return 0;
}

static int parse_machine(struct parser *p, const struct line *l)
{
	struct scn_machine *m = &p->s->machine;

	if (p->seen_cmd || m->line)
		return perr(p, "'machine' only as the first command: expected "
			    "it before every other line");
	m->line = p->line;
	for (size_t i = 1; i < l->nr; i++) {
		const char *t = l->tok[i];
		const char *v = strchr(t, '=');
		size_t klen = v ? (size_t)(v - t) : 0;
		long n;

		if (!v)
			return perr(p, "bad machine setting '%.*s': expected "
				    "KEY=VALUE", TOK(t));
		v++;
		if (klen == 6 && !strncmp(t, "memory", 6)) {
			if (scn_parse_size(v, &m->memory_bytes) ||
			    !m->memory_bytes)
				return perr(p, "bad size '%.*s': expected memory="
					    "a non-zero size (K, M, G, T)",
					    TOK(v));
			m->given |= SCN_GIVEN_MEMORY;
		} else if (klen == 4 && !strncmp(t, "swap", 4)) {
			if (scn_parse_size(v, &m->swap_bytes))
				return perr(p, "bad size '%.*s': expected swap="
					    "a size (K, M, G, T)", TOK(v));
			m->given |= SCN_GIVEN_SWAP;
		} else if (klen == 4 && !strncmp(t, "cpus", 4)) {
			if (!parse_int(v, 1, SCN_MAX_CPUS, &n))
				return perr(p, "bad cpus '%.*s': expected a number "
					    "from 1 to %u", TOK(v), SCN_MAX_CPUS);
			m->cpus = (unsigned)n;
			m->given |= SCN_GIVEN_CPUS;
		} else if (klen == 4 && !strncmp(t, "mode", 4)) {
			if (!strcmp(v, "v2"))
				m->mode = SCN_MODE_V2;
			else if (!strcmp(v, "v1"))
				m->mode = SCN_MODE_V1;
			else
				return perr(p, "bad mode '%.*s': expected mode=v1 "
					    "or mode=v2", TOK(v));
			m->given |= SCN_GIVEN_MODE;
		} else if (klen == 6 && !strncmp(t, "policy", 6)) {
			if (!strcmp(v, "reparent"))
				m->policy = SCN_POLICY_REPARENT;
			else if (!strcmp(v, "kernel"))
				m->policy = SCN_POLICY_KERNEL;
			else
				return perr(p, "bad policy '%.*s': expected "
					    "policy=reparent or policy=kernel",
					    TOK(v));
			m->given |= SCN_GIVEN_POLICY;
		} else if (klen == 6 && !strncmp(t, "kernel", 6)) {
			if (machine_kernel(p, m, v))
				return -EINVAL;
		} else if (klen == 7 && !strncmp(t, "reclaim", 7)) {
			if (machine_reclaim(p, m, v))
				return -EINVAL;
		} else if (klen == 3 && !strncmp(t, "thp", 3)) {
			if (machine_thp(p, m, v))
				return -EINVAL;
		} else if (klen == 7 && !strncmp(t, "retries", 7)) {
			if (machine_retries(p, m, v))
				return -EINVAL;
		} else {
			return perr(p, "unknown machine setting '%.*s': expected "
				    "memory=, swap=, cpus=, mode=, policy=, "
				    "kernel=, reclaim=, thp= or retries=",
				    TOK(t));
		}
	}
	return machine_check(p, m);
}

/* A cgroup path argument that must be "." or created by an earlier mkdir. */
static int cgroup_arg(struct parser *p, const char *tok, const char *what,
		      char **out)
{
	char *cg = pathdup(tok, strlen(tok));

	if (!cg)
		return -ENOMEM;
	if (!norm_cgroup(cg)) {
		free(cg);
		return perr(p, "bad cgroup path '%.*s': expected %s as A/B "
			    "(or . for the root)", TOK(tok), what);
	}
	if (!known_cgroup(p, cg)) {
		perr(p, "unknown cgroup '%.*s': expected an earlier 'mkdir "
		     "%.*s' line (or . for the root)", TOK(cg), TOK(cg));
		free(cg);
		return -EINVAL;
	}
	*out = cg;
	return 0;
}

/* "PATH/FILE" whose cgroup must be known. */
static int path_file_arg(struct parser *p, const char *tok, char **cgroup,
			 char **file)
{
	int err = split_path_file(tok, cgroup, file);

	if (err == -ENOMEM)
		return err;
	if (err)
		return perr(p, "bad control file '%.*s': expected CGROUP/FILE "
			    "such as A/memory.max (or FILE for the root)",
			    TOK(tok));
	if (!known_cgroup(p, *cgroup)) {
		perr(p, "unknown cgroup '%.*s': expected an earlier 'mkdir "
		     "%.*s' line (or . for the root)", TOK(*cgroup),
		     TOK(*cgroup));
		free(*cgroup);
		free(*file);
		*cgroup = *file = NULL;
		return -EINVAL;
	}
	return 0;
}

static int size_arg(struct parser *p, const char *tok, uint64_t *out)
{
	int err = scn_parse_size(tok, out);

	if (err == -ERANGE)
		return perr(p, "bad size '%.*s': expected a size below 16E",
			    TOK(tok));
	if (err)
		return perr(p, "bad size '%.*s': expected a number with an "
			    "optional K, M, G or T suffix", TOK(tok));
	return 0;
}

static int nargs(struct parser *p, const struct line *l, size_t n,
		 const char *usage)
{
	if (l->nr != n)
		return perr(p, "wrong number of arguments: expected '%s'",
			    usage);
	return 0;
}

/* "expect write CGROUP/FILE VALUE fails ERRNO": the write must fail so. */
static int parse_expect_write(struct parser *p, const struct line *l,
			      struct scn_cmd *c)
{
	static const char usage[] =
		"'expect write CGROUP/FILE VALUE fails ERRNO' such as "
		"'expect write A/memory.max foo fails EINVAL'";
	size_t n = l->nr;
	const char *name;
	int err;

	c->type = SCN_EXPECT_WRITE;
	if (n >= 3 && !strcmp(l->tok[n - 1], "fails"))
		return perr(p, "missing errno name after 'fails': expected %s",
			    usage);
	if (n < 5 || strcmp(l->tok[n - 2], "fails"))
		return perr(p, "malformed expect write: expected %s", usage);
	if (n < 6)
		return perr(p, "missing value to write: expected %s", usage);
	err = path_file_arg(p, l->tok[2], &c->cgroup, &c->file);
	if (err)
		return err;
	name = l->tok[n - 1];
	c->want_errno = errname_parse(name);
	if (!c->want_errno)
		return perr(p, "unknown errno name '%.*s': expected a name such "
			    "as EINVAL, ENOENT or EBUSY", TOK(name));
	c->want = strdup(name);
	c->value = line_join_range(l, 3, n - 2);
	c->expr = line_join(l, 1);
	return c->want && c->value && c->expr ? 0 : -ENOMEM;
}

static int parse_expect(struct parser *p, const struct line *l,
			struct scn_cmd *c)
{
	static const char usage[] =
		"malformed expect: expected 'expect CGROUP/FILE [KEY] OP VALUE "
		"[TOL%]' (OP: == != < <= > >= ~), 'expect TASK killed|alive' "
		"or 'expect write CGROUP/FILE VALUE fails ERRNO'";
	size_t opi, n = l->nr;
	int err;

	if (n >= 2 && !strcmp(l->tok[1], "write"))
		return parse_expect_write(p, l, c);
	if (n == 3 && (!strcmp(l->tok[2], "killed") ||
		       !strcmp(l->tok[2], "alive"))) {
		c->type = SCN_EXPECT_TASK;
		c->task_index = find_task(p, l->tok[1]);
		if (c->task_index < 0)
			return perr(p, "unknown task '%.*s': expected a 'task "
				    "%.*s CGROUP' line before", TOK(l->tok[1]),
				    TOK(l->tok[1]));
		c->task = strdup(l->tok[1]);
		c->want_killed = !strcmp(l->tok[2], "killed");
		c->expr = line_join(l, 1);
		return c->task && c->expr ? 0 : -ENOMEM;
	}
	c->type = SCN_EXPECT;
	if (n >= 4 && parse_op(l->tok[2], &c->op))
		opi = 2;
	else if (n >= 5 && parse_op(l->tok[3], &c->op))
		opi = 3;
	else
		return perr(p, "%s", usage);
	if (n > opi + 3)
		return perr(p, "%s", usage);
	err = path_file_arg(p, l->tok[1], &c->cgroup, &c->file);
	if (err)
		return err;
	if (opi == 3) {
		if (!valid_key(l->tok[2]))
			return perr(p, "bad key '%.*s': expected a key of a "
				    "flat-keyed file such as 'max' or 'anon'",
				    TOK(l->tok[2]));
		c->key = strdup(l->tok[2]);
		if (!c->key)
			return -ENOMEM;
	}
	c->want = strdup(l->tok[opi + 1]);
	if (!c->want)
		return -ENOMEM;
	err = scn_parse_value(c->want, &c->want_num);
	c->want_is_num = !err;
	if (!c->want_is_num) {
		if (c->op != SCN_OP_EQ && c->op != SCN_OP_NE)
			return perr(p, "bad value '%.*s': expected a number (K, "
				    "M, G, T suffixes) or max after %s",
				    TOK(c->want), scn_op_str(c->op));
		if (c->want[0] == '%' || !valid_name(c->want))
			return perr(p, "bad value '%.*s': expected a number or "
				    "a word", TOK(c->want));
	}
	c->tol = SCN_DEFAULT_TOLERANCE;
	if (n == opi + 3) {
		if (c->op != SCN_OP_CLOSE)
			return perr(p, "tolerance '%.*s' after %s: expected a "
				    "tolerance only after ~", TOK(l->tok[n - 1]),
				    scn_op_str(c->op));
		if (!parse_tol(l->tok[n - 1], &c->tol))
			return perr(p, "bad tolerance '%.*s': expected a "
				    "percentage such as 5%%", TOK(l->tok[n - 1]));
		c->has_tol = true;
	}
	c->expr = line_join(l, 1);
	return c->expr ? 0 : -ENOMEM;
}

/* "TASK read|write FILE SIZE [at OFFSET]" or "TASK truncate FILE SIZE". */
static int parse_file_action(struct parser *p, const struct line *l,
			     struct scn_cmd *c)
{
	const char *usage = c->type == SCN_READ ?
			    "TASK read FILE SIZE [at OFFSET]" :
			    c->type == SCN_FWRITE ?
			    "TASK write FILE SIZE [at OFFSET]" :
			    "TASK truncate FILE SIZE";
	int err;

	if (l->nr == 6 && c->type != SCN_TRUNCATE) {
		if (strcmp(l->tok[4], "at"))
			return perr(p, "'%.*s' after the size: expected '%s'",
				    TOK(l->tok[4]), usage);
		err = size_arg(p, l->tok[5], &c->offset);
		if (err)
			return err;
		c->has_offset = true;
	} else {
		err = nargs(p, l, 4, usage);
		if (err)
			return err;
	}
	if (!valid_name(l->tok[2]))
		return perr(p, "bad file name '%.*s': expected a name of "
			    "letters, digits, '_', '-', '.'", TOK(l->tok[2]));
	c->file = strdup(l->tok[2]);
	if (!c->file)
		return -ENOMEM;
	err = size_arg(p, l->tok[3], &c->bytes);
	if (err)
		return err;
	if (c->offset > UINT64_MAX - c->bytes)
		return perr(p, "'%.*s at %.*s' ends past 16E: expected a range "
			    "below it", TOK(l->tok[3]), TOK(l->tok[5]));
	return 0;
}

/* "NAME verb ...": a task action. */
static int parse_action(struct parser *p, const struct line *l,
			struct scn_cmd *c)
{
	const char *name = l->tok[0];
	const char *verb = l->nr > 1 ? l->tok[1] : "";
	static const struct {
		const char *verb;
		enum scn_cmd_type type;
	} verbs[] = {
		{ "anon", SCN_ANON }, { "unmap", SCN_UNMAP },
		{ "read", SCN_READ }, { "write", SCN_FWRITE },
		{ "truncate", SCN_TRUNCATE }, { "mlock", SCN_MLOCK },
		{ "touch", SCN_TOUCH }, { "exit", SCN_EXIT },
		{ "oom_score_adj", SCN_OOM_SCORE_ADJ },
	};
	bool found = false;
	long adj;
	int err;

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (!strcmp(verb, verbs[i].verb)) {
			c->type = verbs[i].type;
			found = true;
			break;
		}
	}
	c->task_index = find_task(p, name);
	if (c->task_index < 0) {
		if (found)
			return perr(p, "unknown task '%.*s': expected a 'task "
				    "%.*s CGROUP' line before", TOK(name),
				    TOK(name));
		return perr(p, "unknown command '%.*s': expected %s",
			    TOK(name), commands_help);
	}
	if (!found)
		return perr(p, "unknown action '%.*s' of task '%.*s': expected "
			    "%s", TOK(verb), TOK(name), actions_help);
	c->task = strdup(name);
	if (!c->task)
		return -ENOMEM;
	switch (c->type) {
	case SCN_ANON:
	case SCN_UNMAP:
	case SCN_MLOCK:
	case SCN_TOUCH:
		err = nargs(p, l, 3, c->type == SCN_ANON ? "TASK anon SIZE" :
			    c->type == SCN_UNMAP ? "TASK unmap SIZE" :
			    c->type == SCN_MLOCK ? "TASK mlock SIZE" :
			    "TASK touch SIZE");
		return err ? err : size_arg(p, l->tok[2], &c->bytes);
	case SCN_READ:
	case SCN_FWRITE:
	case SCN_TRUNCATE:
		return parse_file_action(p, l, c);
	case SCN_EXIT:
		return nargs(p, l, 2, "TASK exit");
	case SCN_OOM_SCORE_ADJ:
		err = nargs(p, l, 3, "TASK oom_score_adj N");
		if (err)
			return err;
		if (!parse_int(l->tok[2], -1000, 1000, &adj))
			return perr(p, "bad oom_score_adj '%.*s': expected a "
				    "number from -1000 to 1000", TOK(l->tok[2]));
		c->adj = (int)adj;
		return 0;
	default:
		return -EINVAL;
	}
}

static int parse_command(struct parser *p, const struct line *l,
			 struct scn_cmd *c)
{
	const char *k = l->tok[0];
	int err;

	if (!strcmp(k, "mkdir") || !strcmp(k, "rmdir")) {
		bool mk = k[0] == 'm';

		c->type = mk ? SCN_MKDIR : SCN_RMDIR;
		err = nargs(p, l, 2, mk ? "mkdir CGROUP" : "rmdir CGROUP");
		if (err)
			return err;
		if (!mk)
			return cgroup_arg(p, l->tok[1], "the cgroup to remove",
					  &c->cgroup);
		c->cgroup = pathdup(l->tok[1], strlen(l->tok[1]));
		if (!c->cgroup)
			return -ENOMEM;
		if (!norm_cgroup(c->cgroup) || !strcmp(c->cgroup, "."))
			return perr(p, "bad cgroup path '%.*s': expected a new "
				    "cgroup as A or A/B", TOK(l->tok[1]));
		return add_cgroup(p, c->cgroup);
	}
	if (!strcmp(k, "write")) {
		c->type = SCN_WRITE;
		if (l->nr < 3)
			return perr(p, "wrong number of arguments: expected "
				    "'write CGROUP/FILE VALUE'");
		err = path_file_arg(p, l->tok[1], &c->cgroup, &c->file);
		if (err)
			return err;
		c->value = line_join(l, 2);
		return c->value ? 0 : -ENOMEM;
	}
	if (!strcmp(k, "show")) {
		c->type = SCN_SHOW;
		err = nargs(p, l, 2, "show CGROUP/FILE");
		return err ? err : path_file_arg(p, l->tok[1], &c->cgroup,
						 &c->file);
	}
	if (!strcmp(k, "task") || !strcmp(k, "move")) {
		bool create = k[0] == 't';
		const char *name;

		c->type = create ? SCN_TASK : SCN_MOVE;
		err = nargs(p, l, 3, create ? "task NAME CGROUP" :
			    "move NAME CGROUP");
		if (err)
			return err;
		name = l->tok[1];
		c->task_index = find_task(p, name);
		if (create) {
			if (!valid_name(name) || is_keyword(name))
				return perr(p, "bad task name '%.*s': expected "
					    "letters, digits, '_', '-', '.', not "
					    "a command keyword", TOK(name));
			if (c->task_index >= 0)
				return perr(p, "task '%.*s' exists (line %d): "
					    "expected a new name", TOK(name),
					    p->task_line[c->task_index]);
		} else if (c->task_index < 0) {
			return perr(p, "unknown task '%.*s': expected a 'task "
				    "%.*s CGROUP' line before", TOK(name),
				    TOK(name));
		}
		c->task = strdup(name);
		if (!c->task)
			return -ENOMEM;
		err = cgroup_arg(p, l->tok[2], create ?
				 "the task's cgroup" : "the destination",
				 &c->cgroup);
		if (err || !create)
			return err;
		c->task_index = add_task(p, name);
		return c->task_index < 0 ? c->task_index : 0;
	}
	if (!strcmp(k, "expect"))
		return parse_expect(p, l, c);
	return parse_action(p, l, c);
}

static void cmd_free(struct scn_cmd *c)
{
	free(c->text);
	free(c->cgroup);
	free(c->file);
	free(c->task);
	free(c->value);
	free(c->key);
	free(c->want);
	free(c->expr);
}

/**
 * scenario_free - free a scenario
 * @s: from scenario_parse() or scenario_load(); NULL allowed
 */
void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_cmds; i++)
		cmd_free(&s->cmds[i]);
	for (size_t i = 0; i < s->nr_tasks; i++)
		free(s->tasks[i]);
	for (size_t i = 0; i < s->nr_cgroups; i++)
		free(s->cgroups[i]);
	free(s->cmds);
	free(s->tasks);
	free(s->cgroups);
	free(s->filename);
	free(s);
}

static int parse_line(struct parser *p, const char *b, const char *e)
{
	struct scenario *s = p->s;
	struct line l = { 0 };
	struct scn_cmd *c, *cmds;
	int err;

	if (memchr(b, '\0', e - b)) {
		err = perr(p, "binary data (a NUL byte): expected a text file");
		goto out;
	}
	for (const char *c = b; c < e; c++) {
		unsigned char u = (unsigned char)*c;

		if ((u < 0x20 && !strchr("\t\r\v\f", u)) || u == 0x7f) {
			err = perr(p, "control byte \\x%02x: expected text", u);
			goto out;
		}
	}
	err = line_split(&l, b, e);
	if (err || !l.nr)
		goto out;
	if (!strcmp(l.tok[0], "machine")) {
		err = parse_machine(p, &l);
		goto out;
	}
	cmds = grow(s->cmds, &p->cap_cmds, s->nr_cmds, sizeof(*s->cmds));
	if (!cmds) {
		err = -ENOMEM;
		goto out;
	}
	s->cmds = cmds;
	c = &s->cmds[s->nr_cmds++];
	memset(c, 0, sizeof(*c));
	c->line = p->line;
	c->task_index = -1;
	c->text = line_join(&l, 0);
	err = c->text ? parse_command(p, &l, c) : -ENOMEM;
	p->seen_cmd = true;
out:
	line_free(&l);
	return err;
}

/**
 * scenario_parse - parse a scenario from memory
 * @text: the file's bytes (need not be NUL-terminated; a NUL byte is an
 *        error)
 * @len: number of bytes
 * @filename: name used in error messages and kept in the scenario
 * @out: the scenario, to be freed with scenario_free()
 * @err: receives "FILE:LINE: expected ..." on a syntax error (may be NULL)
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL for a malformed scenario (@err says where and what),
 * or -ENOMEM.
 */
int scenario_parse(const char *text, size_t len, const char *filename,
		   struct scenario **out, char *err, size_t errlen)
{
	struct parser p = {
		.filename = filename ? filename : "<scenario>",
		.err = err,
		.errlen = errlen,
	};
	const char *c = text, *end = text + len;
	int ret = 0;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	p.s = calloc(1, sizeof(*p.s));
	if (!p.s)
		return -ENOMEM;
	p.s->filename = scn_escape_dup(p.filename);
	if (!p.s->filename) {
		ret = -ENOMEM;
		goto fail;
	}
	p.s->machine = (struct scn_machine) {
		.memory_bytes = SCN_DEFAULT_MEMORY,
		.swap_bytes = SCN_DEFAULT_SWAP,
		.cpus = SCN_DEFAULT_CPUS,
		.mode = SCN_MODE_V2,
		.policy = SCN_POLICY_REPARENT,
		.kernel = SCN_KERNEL_6_1,
		.reclaim = SCN_RECLAIM_DEFAULT,
		.thp = SCN_THP_NEVER,
	};
	while (c < end) {
		const char *nl = memchr(c, '\n', end - c);
		const char *e = nl ? nl : end;

		if (p.line == INT_MAX) {
			ret = perr(&p, "too many lines: expected fewer");
			goto fail;
		}
		p.line++;
		ret = parse_line(&p, c, e);
		if (ret)
			goto fail;
		c = nl ? nl + 1 : end;
	}
	free(p.task_line);
	strtab_free(&p.task_names);
	strtab_free(&p.cgroup_names);
	*out = p.s;
	return 0;
fail:
	if (ret == -ENOMEM)
		read_err(err, errlen, p.filename, "out of memory", ret);
	free(p.task_line);
	strtab_free(&p.task_names);
	strtab_free(&p.cgroup_names);
	scenario_free(p.s);
	return ret;
}

/**
 * scenario_read - read a scenario file whole
 * @path: file path, or "-" for standard input
 * @text: receives the bytes (malloc'd; free it)
 * @len: receives their number
 * @err: receives one line on any error
 * @errlen: size of @err
 *
 * A directory, and anything larger than SCN_MAX_FILE_BYTES (/dev/zero),
 * is refused before it is read whole.
 *
 * Return: 0, or a negative errno.
 */
int scenario_read(const char *path, char **text, size_t *len, char *err,
		  size_t errlen)
{
	bool std = !strcmp(path, "-");
	FILE *f = std ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	int ret = 0;

	*text = NULL;
	*len = 0;
	if (!f)
		return read_err(err, errlen, path, strerror(errno), -errno);
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		ret = read_err(err, errlen, path, "a directory, not a scenario "
			       "file", -EISDIR);
		goto out;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (!nb) {
				ret = read_err(err, errlen, path,
					       "out of memory", -ENOMEM);
				goto out;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0 || n > SCN_MAX_FILE_BYTES)
			break;
	}
	if (ferror(f)) {
		ret = read_err(err, errlen, path, errno ? strerror(errno) :
			       "read error", errno ? -errno : -EIO);
		goto out;
	}
	if (n > SCN_MAX_FILE_BYTES) {
		ret = read_err(err, errlen, path, "more than 16M, not a scenario "
			       "file", -EFBIG);
		goto out;
	}
	*text = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	if (!std)
		fclose(f);
	return ret;
}

/**
 * scenario_load - read and parse a scenario file
 * @path: file path, or "-" for standard input
 * @out: the scenario
 * @err: receives the message on any error
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL (malformed), -ENOMEM, or the negative errno of
 * opening or reading the file (scenario_read()).
 */
int scenario_load(const char *path, struct scenario **out, char *err,
		  size_t errlen)
{
	bool std = !strcmp(path, "-");
	char *buf;
	size_t len;
	int ret;

	*out = NULL;
	ret = scenario_read(path, &buf, &len, err, errlen);
	if (ret)
		return ret;
	ret = scenario_parse(buf, len, std ? "<stdin>" : path, out, err,
			     errlen);
	if (ret == -ENOMEM)
		read_err(err, errlen, path, "out of memory", ret);
	free(buf);
	return ret;
}
