/* SPDX-License-Identifier: MIT */
/*
 * A string-to-index table: open addressing, FNV-1a, doubling at half
 * full. Keys are borrowed: the caller keeps them alive and unchanged
 * while they are in the table. Used by the scenario parser (names of
 * tasks and cgroups) and the simulator (tasks by name); not thread-safe.
 */
#ifndef MEMCG_LIB_STRTAB_H
#define MEMCG_LIB_STRTAB_H

#include <stddef.h>

struct strtab {
	const char **keys;
	int *vals;
	size_t cap;		/* a power of two, or 0 */
	size_t nr;
};

/**
 * strtab_get - the value stored for @key
 * @t: table
 * @key: string
 *
 * Return: the value, or -1 if @key is absent.
 */
int strtab_get(const struct strtab *t, const char *key);

/**
 * strtab_put - store @val for @key, replacing any value it had
 * @t: table
 * @key: string the caller keeps alive
 * @val: value, >= 0
 *
 * Return: 0 or -ENOMEM.
 */
int strtab_put(struct strtab *t, const char *key, int val);

/** strtab_free - free the table (not the keys); it is empty after */
void strtab_free(struct strtab *t);

#endif /* MEMCG_LIB_STRTAB_H */
