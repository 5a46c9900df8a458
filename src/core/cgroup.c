// SPDX-License-Identifier: MIT
/*
 * The cgroup core's share of a cgroup (cgroup.h): allocated on first use,
 * published once with a compare-and-swap, freed at release.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/cgroup.h"
#include "core/clock.h"
#include "core/memcontrol.h"

struct cgroup *memcg_cgroup(struct mem_cgroup *memcg)
{
	return atomic_load_explicit(&memcg->cgroup, memory_order_acquire);
}

struct psi_group *cgroup_psi(struct mem_cgroup *memcg)
{
	struct cgroup *cgrp = memcg_cgroup(memcg);

	return cgrp ? &cgrp->psi : NULL;
}

static struct cgroup *cgroup_new(struct mem_cgroup *memcg,
				 struct cgroup *parent)
{
	struct cgroup *cgrp = calloc(1, sizeof(*cgrp));
	int id;

	if (!cgrp)
		return NULL;
	cgrp->memcg = memcg;
	cgrp->max_depth = INT_MAX;
	cgrp->max_descendants = INT_MAX;
	for (id = 0; id < NR_CGROUP_NOTIFY_FILES; id++)
		cgrp->files[id].event = 1;	/* an open file starts at 0 */
	pthread_mutex_init(&cgrp->file_lock, NULL);
	CDS_INIT_LIST_HEAD(&cgrp->open_files);
	psi_group_init(&cgrp->psi, parent ? &parent->psi : NULL, memcg,
		       memcg_clock_now(memcg->engine));
	return cgrp;
}

static void cgroup_delete(struct cgroup *cgrp)
{
	psi_group_destroy(&cgrp->psi);
	pthread_mutex_destroy(&cgrp->file_lock);
	free(cgrp);
}

/* @memcg's cgroup, its parent's already made; NULL on allocation failure. */
static struct cgroup *cgroup_alloc_one(struct mem_cgroup *memcg)
{
	struct cgroup *cgrp = memcg_cgroup(memcg), *old = NULL;

	if (cgrp)
		return cgrp;
	cgrp = cgroup_new(memcg, memcg->parent ? memcg_cgroup(memcg->parent) : NULL);
	if (!cgrp)
		return NULL;
	if (atomic_compare_exchange_strong_explicit(&memcg->cgroup, &old, cgrp,
						    memory_order_acq_rel,
						    memory_order_acquire))
		return cgrp;
	cgroup_delete(cgrp);	/* another thread published first */
	return old;
}

struct cgroup *memcg_cgroup_alloc(struct mem_cgroup *memcg)
{
	struct mem_cgroup *m, *top;
	struct cgroup *cgrp;

	/*
	 * From the highest ancestor without one down: no recursion. Each
	 * round walks up again, quadratic in the depth once per chain.
	 */
	for (;;) {
		if ((cgrp = memcg_cgroup(memcg)))
			return cgrp;
		for (top = memcg, m = memcg->parent; m && !memcg_cgroup(m);
		     m = m->parent)
			top = m;
		if (!cgroup_alloc_one(top))
			return NULL;
	}
}

void cgroup_free(struct mem_cgroup *memcg)
{
	struct cgroup *cgrp = atomic_exchange(&memcg->cgroup, NULL);

	if (!cgrp)
		return;
	if (!cds_list_empty(&cgrp->open_files))
		fprintf(stderr, "libmemcg: released cgroup has open "
			"notifying files\n");
	cgroup_delete(cgrp);
}
