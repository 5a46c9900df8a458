// SPDX-License-Identifier: MIT
/*
 * Paths below the hierarchy's root, resolved as the kernel's path walk
 * resolves them below the mount point (memcg_path.h).
 */
#include <errno.h>
#include <string.h>

#include "core/cgroupfs.h"
#include "core/memcg_path.h"
#include "core/memcontrol.h"

static enum last_type component_type(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return LAST_DOT;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return LAST_DOTDOT;
	return LAST_NORM;
}

int lookup_one(struct mem_cgroup *dir, const char *name, size_t len,
	       struct mem_cgroup **out)
{
	switch (component_type(name, len)) {
	case LAST_DOT:
		*out = dir;
		return 0;
	case LAST_DOTDOT:
		*out = dir ? dir->parent : NULL;
		return 0;
	default:
		break;
	}
	/* a removed directory is empty, its files gone (kernfs) */
	if (!dir || !atomic_load(&dir->online))
		return -ENOENT;
	*out = memcg_names_find(dir, name, len);
	if (*out)
		return 0;
	return cgroup_file_exists(dir, name, len) ? -ENOTDIR : -ENOENT;
}

int path_parentat(struct memcg_engine *e, struct mem_cgroup *start,
		  const char *path, struct nameidata *nd)
{
	/* an absolute path ignores the directory, as in openat(2) */
	struct mem_cgroup *dir = start && path[0] != '/' ? start : e->root;
	const char *p = path + strspn(path, "/");
	int err;

	if (strlen(path) >= MEMCG_PATH_MAX)
		return -ENAMETOOLONG;
	nd->type = LAST_ROOT;
	nd->last = p;
	nd->len = 0;
	while (*p) {
		size_t len = strcspn(p, "/");
		const char *next = p + len + strspn(p + len, "/");

		if (!*next) {
			nd->last = p;
			nd->len = len;
			nd->type = component_type(p, len);
			break;
		}
		err = lookup_one(dir, p, len, &dir);
		if (err)
			return err;
		p = next;
	}
	nd->dir = dir;
	return 0;
}

int path_lookup(struct memcg_engine *e, struct mem_cgroup *start,
		const char *path, struct mem_cgroup **out)
{
	struct nameidata nd;
	int err = path_parentat(e, start, path, &nd);

	if (err)
		return err;
	if (nd.type == LAST_ROOT) {
		*out = nd.dir;
		return 0;
	}
	err = lookup_one(nd.dir, nd.last, nd.len, out);
	if (!err && !*out)
		err = -ENOENT;		/* above the root */
	return err;
}

/**
 * mem_cgroup_walk_path - find an online cgroup by path
 * @e: engine; call with cgroup_mutex held
 * @path: "A/B"; "", "." or "/" is the root; see path_parentat()
 *
 * Return: the cgroup, or NULL.
 */
struct mem_cgroup *mem_cgroup_walk_path(struct memcg_engine *e, const char *path)
{
	struct mem_cgroup *memcg;

	return path_lookup(e, NULL, path, &memcg) ? NULL : memcg;
}
