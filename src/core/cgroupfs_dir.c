// SPDX-License-Identifier: MIT
/*
 * A cgroup's directory (memcg/dir.h): its control files with the modes
 * kernfs gives them, and its online children.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memcg/dir.h"
#include "core/cgroupfs.h"
#include "core/cgroupfs_psi.h"

/* cgroup_file_mode(): readable by all if it shows, writable by its owner. */
static unsigned int cftype_mode(struct mem_cgroup *memcg,
				const struct cftype *cft)
{
	unsigned int mode = MEMCG_S_IFREG;

	if (cft->show)
		mode |= 0444;
	if (cgroup_cftype_writable(memcg, cft))
		mode |= 0200;
	return mode;
}

int memcg_file_mode(struct mem_cgroup *memcg, const char *name)
{
	const struct cftype *cft;

	if (!memcg || !name)
		return -EINVAL;
	cft = cgroup_cftype_find(memcg, name);
	return cft ? (int)cftype_mode(memcg, cft) : -ENOENT;
}

/* The files of one table that @memcg's directory holds. */
static int fill_files(struct mem_cgroup *memcg, const struct cftype *table,
		      memcg_filldir_t fill, void *arg)
{
	const struct cftype *cft;
	int ret;

	for (cft = table; cft->name; cft++) {
		if (cgroup_cftype_find(memcg, cft->name) != cft)
			continue;	/* not in this cgroup (root flags) */
		ret = fill(arg, cft->name, cftype_mode(memcg, cft));
		if (ret)
			return ret;
	}
	return 0;
}

/* The names of @memcg's online children, malloc'd; *@nr of them. */
static int child_names(struct mem_cgroup *memcg, char ***out, size_t *nr)
{
	struct memcg_engine *e = memcg->engine;
	struct mem_cgroup *child;
	char **names = NULL;
	size_t n = 0, cap;
	int err = 0;

	pthread_mutex_lock(&e->cgroup_mutex);
	cap = memcg->child_names.nr;
	if (cap) {
		names = calloc(cap, sizeof(*names));
		if (!names)
			err = -ENOMEM;
	}
	/* the children list also holds dying children: skip them */
	cds_list_for_each_entry(child, &memcg->children, sibling) {
		if (err || n == cap)
			break;
		if (!atomic_load(&child->online))
			continue;
		names[n] = strdup(child->name);
		if (!names[n]) {
			err = -ENOMEM;
			break;
		}
		n++;
	}
	pthread_mutex_unlock(&e->cgroup_mutex);
	*out = names;
	*nr = n;
	return err;
}

int memcg_readdir(struct mem_cgroup *memcg, memcg_filldir_t fill, void *arg)
{
	char **names;
	size_t nr, i;
	int ret;

	if (!memcg || !fill)
		return -EINVAL;
	if (!atomic_load(&memcg->online))
		return -ENODEV;
	if (memcg->engine->v1) {
		ret = fill_files(memcg, memcg_v1_files, fill, arg);
	} else {
		ret = fill_files(memcg, memcg_v2_files, fill, arg);
		if (!ret)
			ret = fill_files(memcg, cgroup_core_files, fill, arg);
		if (!ret)
			ret = fill_files(memcg, cgroup_psi_files, fill, arg);
	}
	if (ret)
		return ret;
	ret = child_names(memcg, &names, &nr);
	for (i = 0; i < nr; i++) {
		if (!ret)
			ret = fill(arg, names[i], MEMCG_S_IFDIR | 0755);
		free(names[i]);
	}
	free(names);
	return ret;
}
