// SPDX-License-Identifier: MIT
/* String-to-index table: see strtab.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strtab.h"

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The slot of @key, or the empty slot where it would go. */
static size_t slot(const struct strtab *t, const char *key)
{
	size_t i = (size_t)fnv1a(key) & (t->cap - 1);

	while (t->keys[i] && strcmp(t->keys[i], key))
		i = (i + 1) & (t->cap - 1);
	return i;
}

int strtab_get(const struct strtab *t, const char *key)
{
	size_t i;

	if (!t->cap)
		return -1;
	i = slot(t, key);
	return t->keys[i] ? t->vals[i] : -1;
}

static int strtab_grow(struct strtab *t)
{
	struct strtab n = { .cap = t->cap ? t->cap * 2 : 64 };

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		strtab_free(&n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->cap; i++) {
		if (t->keys[i]) {
			size_t j = slot(&n, t->keys[i]);

			n.keys[j] = t->keys[i];
			n.vals[j] = t->vals[i];
			n.nr++;
		}
	}
	strtab_free(t);
	*t = n;
	return 0;
}

int strtab_put(struct strtab *t, const char *key, int val)
{
	size_t i;

	if ((t->nr + 1) * 2 > t->cap && strtab_grow(t))
		return -ENOMEM;
	i = slot(t, key);
	if (!t->keys[i]) {
		t->keys[i] = key;
		t->nr++;
	}
	t->vals[i] = val;
	return 0;
}

void strtab_free(struct strtab *t)
{
	free(t->keys);
	free(t->vals);
	*t = (struct strtab){ 0 };
}
