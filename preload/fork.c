// SPDX-License-Identifier: MIT
/*
 * fork(): the child gets its own engine. The parent's may be in any state
 * (other threads held its locks at the fork, their budgets are gone), so
 * the child leaves it untouched and starts again at its first charge:
 * a new engine, a new tag salt (blocks from before the fork are the
 * child's to free but were charged in the parent: they are not
 * uncharged), no slots and no mappings. liburcu's fork handlers keep its
 * registry and call_rcu worker usable in the child: the library's
 * (src/core/rcu_fork.c), registered before the shim's so that they run
 * first in the child. Registered twice, the second prepare would wait on
 * the locks the first took (urcu_bp_before_fork(), call_rcu_before_fork()).
 * exec() starts afresh anyway.
 */
#include <pthread.h>

#include "core/memcontrol.h"
#include "shim.h"
#include "tag.h"

static void fork_child(void)
{
	preload_salt_fork_child();
	preload_owners_fork_child();
	preload_maps_fork_child();
	preload_thread_fork_child();
	preload_init_fork_child();
}

__attribute__((constructor)) static void preload_fork_init(void)
{
	memcg_rcu_fork_init();
	pthread_atfork(NULL, NULL, fork_child);
}
