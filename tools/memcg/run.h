/* SPDX-License-Identifier: MIT */
/*
 * The engine backend of the memcg tool: runs a parsed scenario on a
 * libmemcg engine with the task model (memcg/sim.h), one command at a
 * time, printing through report.h.
 *
 * Deterministic: the engine is created with deterministic=true and every
 * command runs on a CPU chosen from the seed (task commands on their
 * task's CPU, cgroup commands on CPU 0), so the same scenario and seed
 * give the same output byte for byte. Single-threaded.
 *
 * Strict runs: a plain "write" that fails is an error of the run. It
 * prints its line on the output (report_write_failed()) and
 * "memcg: FILE:LINE: write ...: EINVAL (Invalid argument)" on stderr, the
 * run exits 1, and, unless @keep_going, nothing after it runs.
 */
#ifndef MEMCG_TOOL_RUN_H
#define MEMCG_TOOL_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "memcg/memcg.h"
#include "report.h"
#include "scenario.h"

struct run;

/**
 * struct run_opts - how to run
 * @seed: 0: task i runs on CPU i % cpus; otherwise each task's CPU is
 *        drawn from a PRNG seeded with @seed
 * @json: JSON Lines output (report.h)
 * @keep_going: run on after a failed write (--keep-going); by default the
 *              run stops at the first one
 * @tap: KTAP output (report_init_tap(); not with @json)
 */
struct run_opts {
	uint64_t seed;
	bool json;
	bool keep_going;
	bool tap;
};

/**
 * run_create - create the engine of a scenario's machine line
 * @s: the scenario (must outlive the run)
 * @o: options
 * @out: where the output goes; NULL for none
 * @rp: the run
 *
 * memory -> memory_bytes, cpus -> nr_cpus, mode, policy, kernel,
 * reclaim (not given: MEMCG_RECLAIM_DEFAULT, the kernel's); deterministic;
 * data-less frames only above 4G of memory; memcg_swapon() when swap > 0.
 *
 * Return: 0 or the engine's negative errno (creation or swapon).
 */
int run_create(const struct scenario *s, const struct run_opts *o, FILE *out,
	       struct run **rp);

/**
 * run_create_error - print why run_create() failed, one line on stderr
 * @s: the scenario
 * @err: run_create()'s negative errno
 *
 * "FILE:LINE: reclaim=mglru: the engine does not model MGLRU yet" and the
 * like for settings the engine refuses by design; the errno otherwise.
 */
void run_create_error(const struct scenario *s, int err);

/**
 * run_step - execute the next command and report what it printed, then
 * the tasks it got killed (in creation order, each once)
 * @r: run
 *
 * Return: true if a command ran, false when the scenario is over or the
 * run stopped at a failed write (run_stopped_at()).
 */
bool run_step(struct run *r);

/** run_all - execute every remaining command */
void run_all(struct run *r);

/** run_next_index - the index of the next command (== nr_cmds at the end) */
size_t run_next_index(const struct run *r);

/** run_scenario - the run's scenario */
const struct scenario *run_scenario(const struct run *r);

/** run_engine - the run's engine (for tree and plot) */
struct memcg_engine *run_engine(struct run *r);

/** run_report - the run's report (expect tally) */
const struct report *run_report(const struct run *r);

/**
 * run_exit_code - 0 if every expect held and every write succeeded so
 * far, 1 otherwise
 * @r: run
 */
int run_exit_code(const struct run *r);

/**
 * run_stopped_at - where a strict run stopped
 * @r: run
 *
 * Return: the line of the failed write the run stopped at, or 0.
 */
int run_stopped_at(const struct run *r);

/**
 * run_destroy - exit the live tasks and destroy the engine
 * @r: run or NULL
 */
void run_destroy(struct run *r);

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
		    const char *file);

/* run_read_value(): no such file or key; "max" (or v1's near-LONG_MAX). */
#define RUN_UNSET	INT64_MIN
#define RUN_NO_LIMIT	INT64_MAX

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
		       const char *file, const char *key);

#endif /* MEMCG_TOOL_RUN_H */
