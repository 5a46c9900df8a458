/* SPDX-License-Identifier: MIT */
/*
 * A reader of the flat JSON objects that `memcg run --json` and the
 * kernel oracle's player print (report.h): one object per line, values
 * strings, integers, booleans or null, no nesting (arrays are not read). Thread-safe (no state).
 */
#ifndef MEMCG_ORACLE_JSONL_H
#define MEMCG_ORACLE_JSONL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JSONL_MAX_FIELDS 16

/**
 * struct jsonl_obj - one parsed object
 * @key: field names
 * @val: field values as text: a string unescaped, a number or
 *       true/false/null as written
 * @quoted: whether each value was a string (to tell "null" from null)
 * @nr: how many fields
 */
struct jsonl_obj {
	char *key[JSONL_MAX_FIELDS];
	char *val[JSONL_MAX_FIELDS];
	bool quoted[JSONL_MAX_FIELDS];
	size_t nr;
};

/**
 * jsonl_parse - parse one line
 * @line: the text
 * @o: receives the fields (jsonl_free() them)
 *
 * Return: 0, or -EINVAL if the line is not such an object, -ENOMEM.
 */
int jsonl_parse(const char *line, struct jsonl_obj *o);

/** jsonl_get - the value of field @key, or NULL */
const char *jsonl_get(const struct jsonl_obj *o, const char *key);

/** jsonl_get_nonnull - jsonl_get(), but NULL for a JSON null too */
const char *jsonl_get_nonnull(const struct jsonl_obj *o, const char *key);

/** jsonl_free - free the fields */
void jsonl_free(struct jsonl_obj *o);

/**
 * jsonl_write_str - write @s as a JSON string, escaped; null for NULL
 * @f: stream
 * @s: string or NULL
 */
void jsonl_write_str(FILE *f, const char *s);

#endif /* MEMCG_ORACLE_JSONL_H */
