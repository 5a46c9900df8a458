// SPDX-License-Identifier: MIT
/*
 * fork(): the child gets its own engine. The parent's may be in any state
 * (other threads held its locks at the fork, their budgets are gone), so
 * the child leaves it untouched and starts again at its first charge:
 * a new engine, a new tag salt (blocks from before the fork are the
 * child's to free but were charged in the parent: they are not
 * uncharged), no slots and no mappings. liburcu-bp's own fork handlers
 * keep its registry usable in the child. exec() starts afresh anyway.
 */
#include <pthread.h>
#include <urcu-bp.h>
#include <urcu/call-rcu.h>

#include "shim.h"
#include "tag.h"

static void fork_prepare(void)
{
	call_rcu_before_fork();
	urcu_bp_before_fork();
}

static void fork_parent(void)
{
	urcu_bp_after_fork_parent();
	call_rcu_after_fork_parent();
}

static void fork_child(void)
{
	urcu_bp_after_fork_child();
	call_rcu_after_fork_child();
	preload_salt_fork_child();
	preload_owners_fork_child();
	preload_maps_fork_child();
	preload_thread_fork_child();
	preload_init_fork_child();
}

__attribute__((constructor)) static void preload_fork_init(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}
