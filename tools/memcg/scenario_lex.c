// SPDX-License-Identifier: MIT
/*
 * The scenario parser (scenario_parser.h): numbers, operators, escaping,
 * names and paths, and lines split into tokens.
 */
#include "scenario_parser.h"

static const char *const keywords[] = {
	"machine", "mkdir", "rmdir", "write", "show", "task", "move", "expect",
};

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
bool scn_parse_int(const char *s, long lo, long hi, long *out)
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
bool scn_parse_tol(const char *s, double *out)
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

bool scn_parse_op(const char *s, enum scn_op *op)
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
int scn_read_err(char *err, size_t errlen, const char *path,
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
bool scn_valid_name(const char *s)
{
	if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (!is_name_char(*s))
			return false;
	return true;
}

/* Keys of flat-keyed files: [A-Za-z0-9_]+. */
bool scn_valid_key(const char *s)
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

/* A copy of @n bytes of @s with room for scn_norm_cgroup()'s "." (3 bytes). */
char *scn_pathdup(const char *s, size_t n)
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
 * "." and "" become "." (@path comes from scn_pathdup(): room for it).
 * Components must be non-empty, not "." or "..", and of letters, digits
 * and "_-.+:@,=" (so that paths need no quoting in JSON, SVG or shells).
 */
bool scn_norm_cgroup(char *path)
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
int scn_split_path_file(const char *tok, char **cgroup, char **file)
{
	const char *slash = strrchr(tok, '/');
	char *cg, *f;

	if (slash) {
		cg = scn_pathdup(tok, slash - tok);
		f = strdup(slash + 1);
	} else {
		cg = scn_pathdup(".", 1);
		f = strdup(tok);
	}
	if (!cg || !f) {
		free(cg);
		free(f);
		return -ENOMEM;
	}
	if (!scn_norm_cgroup(cg) || !valid_ctl_file(f)) {
		free(cg);
		free(f);
		return -EINVAL;
	}
	*cgroup = cg;
	*file = f;
	return 0;
}

/* --- lines --- */

void scn_line_free(struct line *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->tok[i]);
	free(l->tok);
	l->tok = NULL;
	l->nr = l->cap = 0;
}

/* Split [b, e) at blanks, stopping at '#'. */
int scn_line_split(struct line *l, const char *b, const char *e)
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
		arr = scn_grow(l->tok, &l->cap, l->nr, sizeof(*l->tok));
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
char *scn_line_join_range(const struct line *l, size_t from, size_t to)
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
char *scn_line_join(const struct line *l, size_t from)
{
	return scn_line_join_range(l, from, l->nr);
}

bool scn_is_keyword(const char *s)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(s, keywords[i]))
			return true;
	return false;
}

