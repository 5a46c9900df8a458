/* SPDX-License-Identifier: MIT */
/*
 * The memcg command's help: the summary of every command, one page per
 * command (usage, options, exit status) and the version. The man page
 * memcg(1) (docs/man/memcg.1.scd) says the same at length; test_docs.sh
 * checks that every option listed here is in the man page and in the
 * bash completion.
 */
#ifndef MEMCG_TOOL_HELP_H
#define MEMCG_TOOL_HELP_H

#include <stdbool.h>
#include <stdio.h>

/* Exit status of every command (memcg(1), EXIT STATUS). */
enum {
	MEMCG_EXIT_OK = 0,	/* every expect held, every write succeeded */
	MEMCG_EXIT_FAILED = 1,	/* an expect or a control-file write failed */
	MEMCG_EXIT_USAGE = 2,	/* bad usage or scenario; output not written */
	MEMCG_EXIT_KERNEL = 3,	/* the kernel side (VM, player) failed */
};

/** help_summary - "usage: memcg run FILE ..." for every command */
void help_summary(FILE *out);

/**
 * help_command - the help page of one command
 * @cmd: "run", "tree", "plot", "kernel", "compare" or "help"
 * @out: where
 *
 * Return: true, or false when @cmd is no command.
 */
bool help_command(const char *cmd, FILE *out);

/** help_is_command - whether @cmd names a command */
bool help_is_command(const char *cmd);

/**
 * help_version - "memcg 0.1.0 (git v0.1.0-3-gabcdef1)", or "memcg 0.1.0"
 * when the build had no git checkout
 * @out: where
 */
void help_version(FILE *out);

#endif /* MEMCG_TOOL_HELP_H */
