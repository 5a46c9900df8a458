/* SPDX-License-Identifier: MIT */
/*
 * The kernel oracle's tasks (inside the VM): each scenario task is a
 * forked process that joins its cgroup and executes the actions the
 * player sends it over a pipe: anon, mlock, unmap, touch, read, exit.
 *
 * The player forks a task from the root cgroup; the task resets its
 * oom_score_adj to 0 (the player runs at -1000 so the OOM killer never
 * picks it) and then waits for requests. The player moves it into its
 * cgroup with a write to cgroup.procs, so what the task faults in from
 * then on is charged there.
 *
 * A task killed by the OOM killer closes its pipe when it dies: the
 * player sees end-of-file, reaps it and finds SIGKILL. ptask_poll_alive()
 * pings every live task after each command, so a task killed as a side
 * effect of another command (a lower memory.max, another task's fault,
 * memory.oom.group) is noticed at that command, deterministically: the
 * kill is sent before the command that caused it returns, and a task
 * with SIGKILL pending never answers a ping.
 *
 * Single-threaded: the player calls these from its one thread.
 */
#ifndef MEMCG_ORACLE_PLAYER_TASK_H
#define MEMCG_ORACLE_PLAYER_TASK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "report.h"

/* Actions a task executes. */
enum ptask_op {
	PTASK_PING,		/* answer 0 */
	PTASK_ANON,		/* mmap and touch @bytes of anonymous memory */
	PTASK_MLOCK,		/* mmap and mlock @bytes (faults them in) */
	PTASK_UNMAP,		/* munmap the last @bytes of its anon memory */
	PTASK_TOUCH,		/* read the first @bytes of its anon memory */
	PTASK_READ,		/* read the first @bytes of file @file */
	PTASK_WRITE,		/* write the first @bytes of file @file */
	PTASK_EXIT,		/* _exit(0) */
};

/**
 * struct ptask - a task process as the player sees it
 * @name: task name (the scenario's)
 * @pid: process id; 0 before start and after it is reaped
 * @req_fd: write end of the request pipe
 * @rep_fd: read end of the reply pipe
 * @state: alive, killed (SIGKILL: the OOM killer), exited, none
 * @reported: "NAME killed" was printed
 */
struct ptask {
	const char *name;
	pid_t pid;
	int req_fd;
	int rep_fd;
	enum scn_task_state state;
	bool reported;
};

/**
 * ptask_start - fork a task process (in the player's cgroup)
 * @t: task; @t->name set
 * @all: every task of the scenario (their pipe ends are closed in the
 *       child)
 * @nr: how many
 *
 * Return: 0 or a negative errno (the task's state is then "none").
 */
int ptask_start(struct ptask *t, struct ptask *all, size_t nr);

/**
 * ptask_call - have a live task execute an action and wait for it
 * @t: task
 * @op: action
 * @bytes: size for anon, mlock, unmap, touch, read
 * @file: data file for read (a plain name in the scratch directory)
 * @timeout_ms: how long to wait for the answer; on timeout the task is
 *              killed (SIGKILL) and reaped, and its state becomes
 *              "exited": an action can spin in the kernel for ever (a
 *              memcg OOM with no victim retries the fault)
 *
 * Return: the action's result (0 or a negative errno); -ESRCH if the task
 * is not alive or died during the action (its state then tells how);
 * -ETIMEDOUT on timeout.
 */
int ptask_call(struct ptask *t, enum ptask_op op, uint64_t bytes,
	       const char *file, int timeout_ms);

/**
 * ptask_poll_alive - ping every live task; reap the ones that died
 * @all: tasks
 * @nr: how many
 * @timeout_ms: per ping
 */
void ptask_poll_alive(struct ptask *all, size_t nr, int timeout_ms);

/**
 * ptask_kill - SIGKILL and reap a live task; its state becomes "exited"
 * (or "none" if @none)
 * @t: task
 * @none: the task never joined its cgroup
 */
void ptask_kill(struct ptask *t, bool none);

#endif /* MEMCG_ORACLE_PLAYER_TASK_H */
