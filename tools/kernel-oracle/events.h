/* SPDX-License-Identifier: MIT */
/*
 * The events of one run, engine or kernel, read back from report.h's JSON
 * Lines (`memcg run --json`, the player's --json), and their spread over
 * several boots of the kernel (`--repeat N`).
 *
 * An item is one output line of the scenario seen across boots: a shown
 * value, an expect, an error or a kill, matched between boots by its
 * scenario line and, for shows, by file, key and occurrence. Its value on
 * each boot is kept; numbers print as "min / median / max" (the median
 * of an even count is the lower middle value: one that was measured).
 * Out of memory exits with status 3. Not thread-safe.
 */
#ifndef MEMCG_ORACLE_EVENTS_H
#define MEMCG_ORACLE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

enum ev_kind { EV_SHOW, EV_EXPECT, EV_ERROR, EV_KILLED };

/* One output event of either side (report.h's JSON Lines). */
struct event {
	int line;
	enum ev_kind kind;
	char *file;		/* show */
	char *value;		/* show: the content line */
	bool ok;		/* expect */
	char *actual;		/* expect */
	char *error;		/* error */
	char *task;		/* killed */
	bool used;
};

/* The events of one run, in output order. */
struct events {
	struct event *v;
	size_t nr, cap;
	unsigned expects, failed;
	unsigned bad;		/* lines that were not events */
};

/**
 * struct item - one output line of a scenario across boots
 * @line: scenario line
 * @kind: show, expect, error or killed
 * @file: show: the file
 * @key: show: the content line's first word when it has more, else NULL
 * @nth: show and error: which of the same on that line (0, 1, ...)
 * @task: killed: the task
 * @val: per boot: show the value (after the key), expect the actual,
 *       error the errno name, killed "killed"; NULL where absent
 * @ok: per boot: expect held
 * @present: boots that have it
 * @held: expect: boots it held on
 * @used: for the caller (compare: matched to a row)
 */
struct item {
	int line;
	enum ev_kind kind;
	char *file;
	char *key;
	int nth;
	char *task;
	char **val;
	bool *ok;
	unsigned present;
	unsigned held;
	bool used;
};

/* The items of a scenario over @boots boots, in output order. */
struct items {
	struct item *v;
	size_t nr, cap;
	unsigned boots;
};

/** events_add - parse one JSON line into @E (counted in @E->bad if not) */
void events_add(struct events *E, const char *line);

/** events_add_cb - events_add() as a qemu_line_fn (@arg: the events) */
void events_add_cb(const char *line, void *arg);

/** events_free - free the events' contents */
void events_free(struct events *E);

/** events_cmd_at - the scenario's command on @line, or NULL */
const struct scn_cmd *events_cmd_at(const struct scenario *s, int line);

/**
 * event_write_failed - whether @e is a failed plain write: the error
 * event of a "write" line of @s (an error of the run, run.h)
 */
bool event_write_failed(const struct event *e, const struct scenario *s);

/** events_write_failures - how many plain writes failed in @E */
unsigned events_write_failures(const struct events *E,
			       const struct scenario *s);

/**
 * items_write_failures - say each failed plain write of @I on @f:
 * "WHO: FILE:LINE: write ...: EINVAL (Invalid argument)", once when every
 * boot failed alike, else once per boot that failed ("WHO (boot 2 of 3)")
 * @I: the kernel's items
 * @s: the scenario
 * @who: the program ("memcg kernel")
 * @f: where (stderr)
 *
 * Return: how many write lines failed (on one boot or more).
 */
unsigned items_write_failures(const struct items *I, const struct scenario *s,
			      const char *who, FILE *f);

/**
 * items_build - line up the events of @n boots
 * @I: receives the items (items_free() them)
 * @boots: the events of each boot
 * @n: how many boots
 */
void items_build(struct items *I, const struct events *boots, unsigned n);

/** items_free - free the items' contents */
void items_free(struct items *I);

/**
 * item_value - the item's value over the boots, malloc'd: "5" on one
 * boot; "min / median / max" when every value is a number; the value
 * when all agree; else each distinct value with its count ("EBUSY (2
 * boots), ENOENT (1 boot)"). " (on K of N boots)" when absent from some.
 * @it: the item
 * @boots: how many boots
 */
char *item_value(const struct item *it, unsigned boots);

/**
 * item_range - the smallest and largest value of a numeric item
 * @it: the item
 * @boots: how many boots
 * @min: receives the smallest
 * @max: receives the largest
 *
 * "max" counts as INT64_MAX here (item_value() prints it as a word).
 *
 * Return: true when every present value is a number.
 */
bool item_range(const struct item *it, unsigned boots, int64_t *min,
		int64_t *max);

/**
 * item_common - the value an item has on every boot
 * @it: the item
 * @boots: how many boots
 *
 * Return: the value, or NULL when it is absent from a boot or differs.
 */
const char *item_common(const struct item *it, unsigned boots);

/**
 * items_print - print @I as `memcg kernel --repeat` does
 * @I: the items
 * @s: the scenario (for the expects' wording)
 * @json: JSON Lines (with every boot's values) instead of text
 * @out: where
 *
 * Return: the number of expects that did not hold on every boot.
 */
unsigned items_print(const struct items *I, const struct scenario *s,
		     bool json, FILE *out);

#endif /* MEMCG_ORACLE_EVENTS_H */
