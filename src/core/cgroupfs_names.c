// SPDX-License-Identifier: MIT
/*
 * The files a cgroup directory holds on the kernel that the engine does
 * not serve: the cgroup core's (kernel/cgroup/cgroup.c cgroup_base_files[],
 * cgroup_psi_files[], cgroup1_base_files[]), the memory controller's that
 * are not modeled (numa_stat, zswap, v1's oom_control, ...), and in the v2
 * root those of the other controllers Debian's kernels bind there. Only
 * their names matter: mkdir of one is -EEXIST, a path through one
 * -ENOTDIR, as on the kernel.
 *
 * The lists are the directories of Debian's 6.1 and 6.12 kernels as the
 * errno probe lists them (tests/kernel/probe/errno_probe.c, "# files"
 * lines): the root and a child, with the memory controller enabled at the
 * root and nothing else.
 */
#include <string.h>

#include "core/cgroupfs.h"

#define IN_V2		(1u << 0)
#define IN_V1		(1u << 1)
#define ON_ROOT		(1u << 2)	/* in the root's directory */
#define ON_CHILD	(1u << 3)	/* in the other cgroups' */
#define K61		(1u << 4)
#define K612		(1u << 5)

#define KALL		(K61 | K612)
#define EVERYWHERE	(ON_ROOT | ON_CHILD)

struct cgroup_name {
	const char *name;
	unsigned int flags;
};

static const struct cgroup_name cgroup_names[] = {
	/* cgroup v2 core, and pressure files other than memory.pressure */
	{ "cgroup.controllers", IN_V2 | EVERYWHERE | KALL },
	{ "cgroup.events", IN_V2 | ON_CHILD | KALL },
	{ "cgroup.freeze", IN_V2 | ON_CHILD | KALL },
	{ "cgroup.kill", IN_V2 | ON_CHILD | KALL },
	{ "cgroup.pressure", IN_V2 | EVERYWHERE | KALL },
	{ "cgroup.procs", IN_V2 | IN_V1 | EVERYWHERE | KALL },
	{ "cgroup.subtree_control", IN_V2 | EVERYWHERE | KALL },
	{ "cgroup.threads", IN_V2 | EVERYWHERE | KALL },
	{ "cgroup.type", IN_V2 | ON_CHILD | KALL },
	{ "cpu.pressure", IN_V2 | EVERYWHERE | KALL },
	{ "cpu.stat", IN_V2 | EVERYWHERE | KALL },
	{ "cpu.stat.local", IN_V2 | EVERYWHERE | K612 },
	{ "io.pressure", IN_V2 | EVERYWHERE | KALL },
	/* memory files not modeled */
	{ "memory.numa_stat", IN_V2 | IN_V1 | EVERYWHERE | KALL },
	{ "memory.zswap.current", IN_V2 | ON_CHILD | KALL },
	{ "memory.zswap.max", IN_V2 | ON_CHILD | KALL },
	{ "memory.zswap.writeback", IN_V2 | EVERYWHERE | K612 },
	/* other controllers, bound to the v2 root */
	{ "cpuset.cpus.effective", IN_V2 | ON_ROOT | KALL },
	{ "cpuset.cpus.isolated", IN_V2 | ON_ROOT | K612 },
	{ "cpuset.mems.effective", IN_V2 | ON_ROOT | KALL },
	{ "io.cost.model", IN_V2 | ON_ROOT | KALL },
	{ "io.cost.qos", IN_V2 | ON_ROOT | KALL },
	{ "io.stat", IN_V2 | ON_ROOT | KALL },
	{ "misc.capacity", IN_V2 | ON_ROOT | KALL },
	{ "misc.current", IN_V2 | ON_ROOT | K612 },
	{ "misc.peak", IN_V2 | ON_ROOT | K612 },
	/* cgroup v1 core (6.1 only: 6.12 has no v1 here) */
	{ "cgroup.clone_children", IN_V1 | EVERYWHERE | K61 },
	{ "cgroup.sane_behavior", IN_V1 | ON_ROOT | K61 },
	{ "notify_on_release", IN_V1 | EVERYWHERE | K61 },
	{ "release_agent", IN_V1 | ON_ROOT | K61 },
	{ "tasks", IN_V1 | EVERYWHERE | K61 },
	/* v1 memory files not modeled */
	{ "memory.kmem.slabinfo", IN_V1 | EVERYWHERE | K61 },
};

bool cgroup_file_unserved(struct mem_cgroup *memcg, const char *name)
{
	struct memcg_engine *e = memcg->engine;
	unsigned int want = (e->v1 ? IN_V1 : IN_V2) |
			    (mem_cgroup_is_root(memcg) ? ON_ROOT : ON_CHILD) |
			    (e->cfg.kernel == MEMCG_KERNEL_6_12 ? K612 : K61);
	const struct cgroup_name *n;

	for (n = cgroup_names;
	     n < cgroup_names + sizeof(cgroup_names) / sizeof(cgroup_names[0]);
	     n++) {
		if ((n->flags & want) == want && !strcmp(n->name, name))
			return true;
	}
	return false;
}
