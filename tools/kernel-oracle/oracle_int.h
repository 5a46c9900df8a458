/* SPDX-License-Identifier: MIT */
/*
 * Internal interface of the kernel oracle's host side, shared by oracle.c
 * ("memcg kernel") and compare.c ("memcg compare"). Not thread-safe.
 */
#ifndef MEMCG_ORACLE_INT_H
#define MEMCG_ORACLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "events.h"
#include "qemu.h"
#include "scenario.h"

#define ORACLE_MAX_FWD 16

struct oracle_plot;

/**
 * struct oracle_opts - the command line of "memcg kernel" and "compare"
 * @file: the scenario file ("-": stdin)
 * @json: JSON Lines output
 * @tap: compare: KTAP output (a test point per expect, disagreement and
 *       failed write)
 * @paths: print where the player, the scripts and the cache are, and
 *         exit (--paths: no scenario, no VM)
 * @console: copy the VM's console to stderr
 * @keep: keep the run directory
 * @keep_going: run on after a failed write (engine and player)
 * @timeout_s: the VM's time limit
 * @cmd_timeout_s: one task action's time limit
 * @thp: transparent_hugepage/enabled, or NULL for the kernel's default
 * @accel: "kvm", "tcg", or NULL to choose
 * @tolerance: compare: percent by which shown numbers may differ
 * @kernel: --kernel, when @kernel_given
 * @kernel_given: --kernel was given (else the machine line's kernel=)
 * @lru_gen: --lru-gen "y" or "0", or NULL (then the machine line's
 *           reclaim=, else the kernel's default)
 * @repeat: boots (--repeat; 1 without it)
 * @given: machine keys overridden (SCN_GIVEN_*)
 * @m: the overriding values
 * @plot: --plot OUT, or NULL
 * @plot_sink: while a plot is made, where oracle_kernel_run() sends the
 *             player's lines (oracle_plot.h), asking it for samples
 * @fwd: the engine's options, forwarded as given (--seed, --memory, ...)
 * @nr_fwd: how many strings in @fwd
 */
struct oracle_opts {
	const char *file;
	bool json;
	bool tap;
	bool paths;
	bool console;
	bool keep;
	bool keep_going;
	unsigned timeout_s;
	unsigned cmd_timeout_s;
	const char *thp;
	const char *accel;
	double tolerance;
	enum scn_kernel kernel;
	bool kernel_given;
	const char *lru_gen;
	unsigned repeat;
	unsigned given;
	struct scn_machine m;
	const char *plot;
	struct oracle_plot *plot_sink;
	char *fwd[ORACLE_MAX_FWD];
	int nr_fwd;
};

/**
 * oracle_parse_args - parse "kernel"/"compare" arguments (@argv[0] is the
 * command)
 *
 * Return: 0, or 2 after printing a usage error.
 */
int oracle_parse_args(int argc, char **argv, bool compare,
		      struct oracle_opts *o);

/**
 * oracle_load - read and parse the scenario, apply the overrides
 * @o: options
 * @text: receives the file's bytes (free it)
 * @len: receives their number
 * @s: receives the scenario (scenario_free() it)
 *
 * Return: 0, or 2 after printing the parser's message.
 */
int oracle_load(const struct oracle_opts *o, char **text, size_t *len,
		struct scenario **s);

/**
 * oracle_lru_gen - what to write to lru_gen/enabled: --lru-gen, else "y"
 * for reclaim=mglru and "0" for reclaim=classic, else NULL (the kernel's)
 * @o: options
 * @m: the machine line
 */
const char *oracle_lru_gen(const struct oracle_opts *o,
			   const struct scn_machine *m);

/**
 * struct oracle_boots - the kernel's events over @o->repeat fresh boots
 * @n: boots
 * @ev: the player's events of each boot
 * @vm: each boot's "@@ORACLE-VM" pairs (vm.h)
 * @kver: the kernel release
 */
struct oracle_boots {
	unsigned n;
	struct events *ev;
	char (*vm)[512];
	char kver[128];
};

/**
 * oracle_kernel_boots - run the scenario @o->repeat times, a fresh VM each
 * @o: options
 * @text: the scenario file's bytes
 * @len: how many
 * @s: the parsed scenario, overrides applied
 * @b: receives the events (oracle_boots_free() them, also on failure)
 *
 * Return: 0, or 3 when a boot failed (why is on stderr).
 */
int oracle_kernel_boots(const struct oracle_opts *o, const char *text,
			size_t len, const struct scenario *s,
			struct oracle_boots *b);

/** oracle_boots_free - free what oracle_kernel_boots() filled in */
void oracle_boots_free(struct oracle_boots *b);

/**
 * oracle_print_vms - the "# vm:" line of the first boot and of each boot
 * whose VM differed from it (text), or every boot's "vm" object (JSON)
 */
void oracle_print_vms(const struct oracle_boots *b, bool json, FILE *out);

/**
 * oracle_kernel_run - run a scenario in the VM
 * @o: options (@o->json selects the player's output format)
 * @text: the scenario file's bytes
 * @len: how many
 * @s: the parsed scenario, overrides applied
 * @fn: called for each line the player prints
 * @arg: for @fn
 * @res: how the boot went
 *
 * Prints why on stderr when it fails.
 *
 * Return: 0 when the player ran to its end (@res->rc is its status), 3
 * otherwise.
 */
int oracle_kernel_run(const struct oracle_opts *o, const char *text,
		      size_t len, const struct scenario *s, qemu_line_fn fn,
		      void *arg, struct qemu_result *res);

/**
 * oracle_print_paths - "--paths": where the player, prepare.sh and
 * init.sh, and the cache are, and whether they are there
 * @cmd: "kernel" or "compare", for messages
 *
 * Return: 0, or 3 when the player or a script is missing.
 */
int oracle_print_paths(const char *cmd);

/**
 * oracle_compare_print - line up the engine's events and the kernel's
 * boots and print the comparison (text, --json or --tap) on stdout
 * @o: options
 * @s: the scenario
 * @E: the engine's events
 * @b: the kernel's boots
 *
 * Return: 0 when no row is marked '!' and no write failed, else 1.
 */
int oracle_compare_print(const struct oracle_opts *o, const struct scenario *s,
			 struct events *E, const struct oracle_boots *b);

#endif /* MEMCG_ORACLE_INT_H */
