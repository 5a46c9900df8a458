// SPDX-License-Identifier: MIT
/*
 * fork() and liburcu: a child inherits the engine's RCU state but not the
 * call_rcu worker thread or the grace-period locks' owners, so a child that
 * destroys an engine would wait forever in rcu_barrier(). liburcu leaves
 * the fork handlers to the program; the library registers them once, on
 * the first engine created or when the preload shim loads
 * (preload/fork.c), and nothing else may register them again: a second
 * prepare handler would wait forever on the locks the first one took.
 */
#include <pthread.h>
#include <urcu-bp.h>
#include <urcu/call-rcu.h>

#include "core/memcontrol.h"

static void rcu_fork_prepare(void)
{
	call_rcu_before_fork();
	urcu_bp_before_fork();
}

static void rcu_fork_parent(void)
{
	urcu_bp_after_fork_parent();
	call_rcu_after_fork_parent();
}

static void rcu_fork_child(void)
{
	urcu_bp_after_fork_child();
	call_rcu_after_fork_child();
}

static void rcu_fork_register(void)
{
	/* ENOMEM here only loses fork safety, as before this file existed. */
	(void)pthread_atfork(rcu_fork_prepare, rcu_fork_parent, rcu_fork_child);
}

/**
 * memcg_rcu_fork_init - make engines usable in a child after fork()
 *
 * Registers liburcu's fork handlers once per process; idempotent.
 */
void memcg_rcu_fork_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, rcu_fork_register);
}
