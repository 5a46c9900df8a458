// SPDX-License-Identifier: MIT
/*
 * The cgroup core's hierarchy limits on cgroup v2 (cgroup_base_files[] in
 * the kernel's kernel/cgroup/cgroup.c): cgroup.max.depth and
 * cgroup.max.descendants, in every cgroup and the root. mkdir below a
 * cgroup at either limit is -EAGAIN (cgroup_check_hierarchy_limits()).
 *
 * The values live in the cgroup's core state (cgroup.h), allocated at the
 * first write; without it both are "max". They are read and written under
 * the engine's cgroup_mutex, as the kernel's under its cgroup_mutex.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "core/cgroup.h"
#include "core/cgroupfs.h"
#include "lib/kstrtox.h"

enum hierarchy_limit {
	LIMIT_DEPTH,
	LIMIT_DESCENDANTS,
};

static int limit_of(const struct cgroup *cgrp, enum hierarchy_limit which)
{
	if (!cgrp)
		return INT_MAX;
	return which == LIMIT_DEPTH ? cgrp->max_depth : cgrp->max_descendants;
}

bool cgroup_check_hierarchy_limits(struct mem_cgroup *parent)
{
	struct mem_cgroup *m;
	int level = 0;

	for (m = parent; m; m = m->parent, level++) {
		struct cgroup *cgrp = memcg_cgroup(m);

		if (m->nr_descendants >= limit_of(cgrp, LIMIT_DESCENDANTS))
			return false;
		if (level >= limit_of(cgrp, LIMIT_DEPTH))
			return false;
	}
	return true;
}

static void limit_show(struct memcg_file *f, struct seqbuf *s,
		       enum hierarchy_limit which)
{
	struct memcg_engine *e = f->memcg->engine;
	int v;

	pthread_mutex_lock(&e->cgroup_mutex);
	v = limit_of(memcg_cgroup(f->memcg), which);
	pthread_mutex_unlock(&e->cgroup_mutex);
	if (v == INT_MAX)
		seq_printf(s, "max\n");
	else
		seq_printf(s, "%d\n", v);
}

/*
 * "max" (INT_MAX) or kstrtoint() on the stripped text; a negative value
 * is -ERANGE; a cgroup removed meanwhile -ENOENT (cgroup_kn_lock_live()).
 */
static int limit_write(struct memcg_file *f, char *buf,
		       enum hierarchy_limit which)
{
	struct memcg_engine *e = f->memcg->engine;
	struct cgroup *cgrp;
	int v, err = 0;

	if (!strcmp(buf, "max"))
		v = INT_MAX;
	else if ((err = kstrtoint(buf, 0, &v)))
		return err;
	if (v < 0)
		return -ERANGE;
	cgrp = memcg_cgroup_alloc(f->memcg);
	if (!cgrp)
		return -ENOMEM;
	pthread_mutex_lock(&e->cgroup_mutex);
	if (!atomic_load(&f->memcg->online))
		err = -ENOENT;
	else if (which == LIMIT_DEPTH)
		cgrp->max_depth = v;
	else
		cgrp->max_descendants = v;
	pthread_mutex_unlock(&e->cgroup_mutex);
	return err;
}

static void max_depth_show(struct memcg_file *f, struct seqbuf *s)
{
	limit_show(f, s, LIMIT_DEPTH);
}

static int max_depth_write(struct memcg_file *f, char *buf)
{
	return limit_write(f, buf, LIMIT_DEPTH);
}

static void max_descendants_show(struct memcg_file *f, struct seqbuf *s)
{
	limit_show(f, s, LIMIT_DESCENDANTS);
}

static int max_descendants_write(struct memcg_file *f, char *buf)
{
	return limit_write(f, buf, LIMIT_DESCENDANTS);
}

const struct cftype cgroup_core_files[] = {
	{ "cgroup.max.depth", 0, max_depth_show, max_depth_write },
	{ "cgroup.max.descendants", 0, max_descendants_show,
	  max_descendants_write },
	{ NULL, 0, NULL, NULL },
};
