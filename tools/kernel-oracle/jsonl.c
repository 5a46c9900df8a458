// SPDX-License-Identifier: MIT
/*
 * Flat JSON object reader. See jsonl.h.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

static void put_utf8(char **out, unsigned cp)
{
	char *o = *out;

	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	*out = o;
}

/* A string at @p (at its '"'); *@end after it. NULL if malformed. */
static char *parse_string(const char *p, const char **end)
{
	char *out, *o;

	if (*p != '"')
		return NULL;
	p++;
	out = malloc(strlen(p) * 3 + 1);	/* \uXXXX -> at most 3 bytes */
	if (!out)
		return NULL;
	for (o = out; *p && *p != '"'; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case '"': case '\\': case '/':
			*o++ = *p;
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'u': {
			char hex[5] = { 0 };
			char *e;

			memcpy(hex, p + 1, 4);
			if (strlen(hex) != 4)
				goto bad;
			put_utf8(&o, (unsigned)strtoul(hex, &e, 16));
			if (*e)
				goto bad;
			p += 4;
			break;
		}
		default:
			goto bad;
		}
	}
	if (*p != '"')
		goto bad;
	*o = '\0';
	*end = p + 1;
	return out;
bad:
	free(out);
	return NULL;
}

/* A bare value (number, true, false, null) up to ',' or '}'. */
static char *parse_bare(const char *p, const char **end)
{
	size_t n = strcspn(p, ",} \t\r\n");
	char *v;

	if (!n)
		return NULL;
	v = strndup(p, n);
	*end = p + n;
	return v;
}

/**
 * jsonl_parse - parse one line
 * @line: the text
 * @o: receives the fields
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int jsonl_parse(const char *line, struct jsonl_obj *o)
{
	const char *p = skip_ws(line);

	memset(o, 0, sizeof(*o));
	if (*p++ != '{')
		return -EINVAL;
	p = skip_ws(p);
	if (*p == '}')
		return 0;
	for (;;) {
		char *k, *v;

		if (o->nr == JSONL_MAX_FIELDS)
			goto bad;
		k = parse_string(skip_ws(p), &p);
		if (!k)
			goto bad;
		p = skip_ws(p);
		if (*p++ != ':') {
			free(k);
			goto bad;
		}
		p = skip_ws(p);
		o->quoted[o->nr] = *p == '"';
		v = *p == '"' ? parse_string(p, &p) : parse_bare(p, &p);
		if (!v) {
			free(k);
			goto bad;
		}
		o->key[o->nr] = k;
		o->val[o->nr++] = v;
		p = skip_ws(p);
		if (*p == '}')
			return 0;
		if (*p++ != ',')
			goto bad;
	}
bad:
	jsonl_free(o);
	return -EINVAL;
}

/** jsonl_get - the value of field @key, or NULL */
const char *jsonl_get(const struct jsonl_obj *o, const char *key)
{
	for (size_t i = 0; i < o->nr; i++)
		if (!strcmp(o->key[i], key))
			return o->val[i];
	return NULL;
}

/** jsonl_get_nonnull - jsonl_get(), but NULL for a JSON null too */
const char *jsonl_get_nonnull(const struct jsonl_obj *o, const char *key)
{
	for (size_t i = 0; i < o->nr; i++)
		if (!strcmp(o->key[i], key))
			return !o->quoted[i] && !strcmp(o->val[i], "null") ?
			       NULL : o->val[i];
	return NULL;
}

/** jsonl_free - free the fields */
void jsonl_free(struct jsonl_obj *o)
{
	for (size_t i = 0; i < o->nr; i++) {
		free(o->key[i]);
		free(o->val[i]);
	}
	o->nr = 0;
}

void jsonl_write_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

