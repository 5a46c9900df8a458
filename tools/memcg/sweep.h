/* SPDX-License-Identifier: MIT */
/*
 * memcg sweep: one scenario run over a range of one or two parameters,
 * every point a fresh run (a forked worker), the chosen outputs of every
 * point in one table, JSON Lines and an SVG plot.
 *
 * Parameters (at most two; the first varies slowest):
 *   --set CG/FILE=VALUES   the value written to CG/FILE
 *   --seed VALUES          the run's seed (--seed of memcg run)
 * VALUES is "LO..HI:STEP" (sizes with K, M, G, T suffixes; a --seed range
 * may leave out ":STEP", 1) or a comma list "V1,V2,..." (any words, such
 * as "max"). A range's values print as sizes ("10M", "1536K", "0").
 *
 * Where a --set applies, in the scenario's text: every plain
 * "write CG/FILE ..." line gets the point's value instead of its own; if
 * there is none, "write CG/FILE VALUE" is added right after the first
 * "mkdir CG" line (after the machine line, or first, for the root ".").
 * A CG that no mkdir line creates is an error. "expect write" lines keep
 * their values.
 *
 * Outputs (--show CG/FILE or CG/FILE:KEY, comma separated): read after the
 * scenario's last command, as "show CG/FILE" lines appended to its text;
 * a point whose run stopped before them (a failed write), or whose read
 * failed, has "-" there. Line numbers in a point's messages are those of
 * the generated text: one more after an added write.
 *
 * Not thread-safe; the workers are processes.
 */
#ifndef MEMCG_TOOL_SWEEP_H
#define MEMCG_TOOL_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

#define SWEEP_MAX_PARAMS	2
#define SWEEP_MAX_SHOWS		16
#define SWEEP_MAX_POINTS	100000
#define SWEEP_VALUE_LEN		32	/* a value as printed, NUL included */

enum sweep_kind {
	SWEEP_SET,		/* --set CG/FILE=VALUES */
	SWEEP_SEED,		/* --seed VALUES */
};

/**
 * struct sweep_param - one swept parameter
 * @kind: --set or --seed
 * @name: the table's column: "A/memory.low" or "seed"
 * @spec: as given on the command line ("A/memory.low=0..60M:10M")
 * @cgroup: for --set, the cgroup ("." for the root)
 * @file: for --set, the control file
 * @values: the values, as written to the file or as the seed
 * @nr_values: how many
 */
struct sweep_param {
	enum sweep_kind kind;
	char *name;
	char *spec;
	char *cgroup;
	char *file;
	char **values;
	size_t nr_values;
};

/**
 * struct sweep_show - one output
 * @spec: "B/memory.events:low"
 * @cgroup: "B" ("." for the root)
 * @file: "memory.events"
 * @key: "low", or NULL for a one-value file
 */
struct sweep_show {
	char *spec;
	char *cgroup;
	char *file;
	char *key;
};

/**
 * struct sweep_point - the result of one point
 * @index: its index in the sweep (0 .. nr_points - 1)
 * @param: the parameters' values
 * @value: the outputs' values, "-" where there is none
 * @exit: the run's exit status (memcg run's, or memcg kernel's)
 */
struct sweep_point {
	size_t index;
	char param[SWEEP_MAX_PARAMS][SWEEP_VALUE_LEN];
	char value[SWEEP_MAX_SHOWS][SWEEP_VALUE_LEN];
	int exit;
};

/**
 * struct sweep - a sweep's definition and results
 * @filename: the scenario file as given; for a merge, the shards' name
 *            of it (@merged_name)
 * @merged_name: the scenario's name in the shards, or NULL
 * @text: its bytes
 * @len: their number
 * @s: it parsed
 * @params: the parameters
 * @nr_params: how many (1 or 2)
 * @shows: the outputs
 * @nr_shows: how many
 * @kernel: each point boots a kernel (memcg kernel), not the engine
 * @keep_going: --keep-going for each run
 * @nr_points: the product of the parameters' value counts
 * @points: results by index (NULL until run or merged)
 * @done: which @points are there
 */
struct sweep {
	const char *filename;
	char *merged_name;
	char *text;
	size_t len;
	struct scenario *s;
	struct sweep_param params[SWEEP_MAX_PARAMS];
	size_t nr_params;
	struct sweep_show shows[SWEEP_MAX_SHOWS];
	size_t nr_shows;
	bool kernel;
	bool keep_going;
	size_t nr_points;
	struct sweep_point *points;
	bool *done;
};

/* sweep_spec.c: the command line's specifications */

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
		       char *err, size_t errlen);

/**
 * sweep_add_set - add a "--set CG/FILE=VALUES" parameter
 * @sw: the sweep
 * @spec: the option's value
 * @err: receives one line naming the problem
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int sweep_add_set(struct sweep *sw, const char *spec, char *err,
		  size_t errlen);

/** sweep_add_seed - add a "--seed VALUES" parameter (as sweep_add_set()) */
int sweep_add_seed(struct sweep *sw, const char *spec, char *err,
		   size_t errlen);

/**
 * sweep_add_shows - add the outputs of "--show CG/FILE[:KEY],..."
 * @sw: the sweep
 * @list: the option's value
 * @err: receives one line naming the problem
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int sweep_add_shows(struct sweep *sw, const char *list, char *err,
		    size_t errlen);

/**
 * sweep_check - check the parameters and outputs against the scenario:
 * each cgroup created by a mkdir line, each file one the engine's
 * cgroups have, each KEY a key of its file
 * @sw: the sweep, its scenario loaded
 * @err: receives one line naming the problem
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int sweep_check(struct sweep *sw, char *err, size_t errlen);

/** sweep_count - set @sw->nr_points; -EINVAL when above SWEEP_MAX_POINTS */
int sweep_count(struct sweep *sw, char *err, size_t errlen);

/**
 * sweep_point_params - the parameter values of point @index
 * @sw: the sweep
 * @index: the point
 * @pt: receives @index and @param
 */
void sweep_point_params(const struct sweep *sw, size_t index,
			struct sweep_point *pt);

/** sweep_free - free what the sweep holds (not @sw itself) */
void sweep_free(struct sweep *sw);

/* sweep_point.c: one point */

/**
 * sweep_point_text - the scenario text of one point (see above)
 * @sw: the sweep
 * @pt: the point, its parameters set
 * @first_show: receives the line of the first appended show
 *
 * Return: the text (malloc'd), or NULL.
 */
char *sweep_point_text(const struct sweep *sw, const struct sweep_point *pt,
		       int *first_show);

/**
 * sweep_point_run - run one point, in the calling process
 * @sw: the sweep
 * @pt: the point, its parameters set; receives @value and @exit
 *
 * On the engine (run.h) or, with @sw->kernel, through memcg kernel's own
 * code (oracle.h); the run's messages go to stderr.
 */
void sweep_point_run(const struct sweep *sw, struct sweep_point *pt);

/**
 * sweep_parse_output - pick the outputs from a run's JSON Lines
 * @sw: the sweep
 * @f: the run's output (report.h's JSON Lines)
 * @first_show: the line of the first appended show
 * @pt: receives @value ("-" where no line gave one)
 */
void sweep_parse_output(const struct sweep *sw, FILE *f, int first_show,
			struct sweep_point *pt);

/* sweep_jobs.c: the workers */

/**
 * sweep_run_points - run points in forked workers, @jobs at a time
 * @sw: the sweep
 * @indices: which points
 * @n: how many
 * @jobs: workers at a time (1 or more)
 * @progress: print "sweep: K/N points" on stderr as they finish
 *
 * Fills @sw->points and @sw->done for each. A worker that dies gives its
 * point exit status 3 and no values.
 *
 * Return: 0, or a negative errno (fork, pipe).
 */
int sweep_run_points(struct sweep *sw, const size_t *indices, size_t n,
		     unsigned jobs, bool progress);

/* sweep_out.c: the table and JSON Lines */

/**
 * sweep_print_table - one row per point in index order, a column per
 * parameter and output, then the run's exit status
 * @sw: the sweep, every point done
 * @out: where
 */
void sweep_print_table(const struct sweep *sw, FILE *out);

/**
 * sweep_write_jsonl - a shard: a "sweep" header line, then one "point"
 * line per done point
 * @sw: the sweep
 * @shard: this shard (1-based)
 * @nr_shards: of how many
 * @out: where
 */
void sweep_write_jsonl(const struct sweep *sw, unsigned shard,
		       unsigned nr_shards, FILE *out);

/**
 * sweep_merge - read shards' JSON Lines into one sweep
 * @sw: an empty sweep; receives the definition and every point
 * @files: the shard files
 * @nr_files: how many
 * @err: receives one line naming the problem (a file that is not a
 *       shard, sweeps that differ, a point twice or missing)
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL, -ENOMEM or the errno of opening a file.
 */
int sweep_merge(struct sweep *sw, char *const *files, size_t nr_files,
		char *err, size_t errlen);

/* sweep_plot.c */

/**
 * sweep_plot_svg - plot the outputs against the first parameter: one
 * line per output (and per value of the second parameter)
 * @sw: the sweep, every point done
 * @out: where the SVG goes
 *
 * Non-numeric values ("max", "-") leave a gap.
 *
 * Return: 0, or -EINVAL when the first parameter's values are not
 * numbers.
 */
int sweep_plot_svg(const struct sweep *sw, FILE *out);

/* sweep.c */

/**
 * sweep_main - "memcg sweep"
 * @argc: arguments, @argv[0] being "sweep"
 * @argv: FILE and options, or --merge FILES
 *
 * Return: the exit status: 0 every point ran with exit status 0, 1 some
 * point's run failed (an expect or a write), 2 bad usage or input, 3 a
 * kernel point or a worker failed.
 */
int sweep_main(int argc, char **argv);

#endif /* MEMCG_TOOL_SWEEP_H */
