// SPDX-License-Identifier: MIT
/*
 * The cgroup core's share of a cgroup (cgroup.h): allocated on first use,
 * published once with a compare-and-swap, freed at release.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define CGROUP_ALIGN ((size_t)64)

static struct cgroup *cgroup_new(struct mem_cgroup *memcg,
				 struct cgroup *parent)
{
	/*
	 * A stall touches the start of the psi group of every ancestor:
	 * on a line boundary, that is two cache lines per level, not three.
	 */
	size_t size = (sizeof(struct cgroup) + CGROUP_ALIGN - 1) & ~(CGROUP_ALIGN - 1);
	struct cgroup *cgrp = aligned_alloc(CGROUP_ALIGN, size);
	int id;

	if (!cgrp)
		return NULL;
	memset(cgrp, 0, size);
	cgrp->memcg = memcg;
	cgrp->max_depth = INT_MAX;
	cgrp->max_descendants = INT_MAX;
	for (id = 0; id < NR_CGROUP_NOTIFY_FILES; id++)
		cgrp->files[id].event = 1;	/* an open file starts at 0 */
	pthread_mutex_init(&cgrp->file_lock, NULL);
	CDS_INIT_LIST_HEAD(&cgrp->open_files);
	pthread_mutex_init(&cgrp->peaks_lock, NULL);
	CDS_INIT_LIST_HEAD(&cgrp->memory_peaks);
	CDS_INIT_LIST_HEAD(&cgrp->swap_peaks);
	psi_group_init(&cgrp->psi, parent ? &parent->psi : NULL, memcg,
		       memcg_clock_now(memcg->engine));
	return cgrp;
}

static void cgroup_delete(struct cgroup *cgrp)
{
	psi_group_destroy(&cgrp->psi);
	pthread_mutex_destroy(&cgrp->file_lock);
	pthread_mutex_destroy(&cgrp->peaks_lock);
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
	struct mem_cgroup *m, **chain;
	struct cgroup *cgrp = memcg_cgroup(memcg);
	size_t n = 0, i;

	if (cgrp)
		return cgrp;
	/* the ancestors without one, then made from the highest down */
	for (m = memcg; m && !memcg_cgroup(m); m = m->parent)
		n++;
	chain = malloc(n * sizeof(*chain));
	if (!chain)
		return NULL;
	for (i = 0, m = memcg; i < n; i++, m = m->parent)
		chain[i] = m;
	for (i = n; i > 0; i--) {
		cgrp = cgroup_alloc_one(chain[i - 1]);
		if (!cgrp)
			break;
	}
	free(chain);
	return cgrp;
}

void cgroup_free(struct mem_cgroup *memcg)
{
	struct cgroup *cgrp = atomic_exchange(&memcg->cgroup, NULL);

	if (!cgrp)
		return;
	if (!cds_list_empty(&cgrp->open_files))
		fprintf(stderr, "libmemcg: released cgroup has open "
			"notifying files\n");
	if (!cds_list_empty(&cgrp->memory_peaks) ||
	    !cds_list_empty(&cgrp->swap_peaks))
		fprintf(stderr, "libmemcg: released cgroup has open peak "
			"files\n");
	cgroup_delete(cgrp);
}
