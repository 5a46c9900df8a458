/* SPDX-License-Identifier: MIT */
/*
 * Cgroup paths, relative to the hierarchy's root, resolved as the
 * kernel's path walk does below the mount point: empty components are
 * skipped ("A//B", "/A", "A/"), "." stays, ".." goes up, a control file
 * is not a directory (-ENOTDIR), a path of PATH_MAX bytes or more is
 * -ENAMETOOLONG (kernfs has no NAME_MAX of its own). Above the root
 * (".." of the root) is the directory the hierarchy is mounted on, which
 * holds no cgroup: a name there is -ENOENT, and mkdir there -EPERM, as
 * sysfs refuses it (memcg_tree.c).
 *
 * Every function here reads the tree: call with cgroup_mutex held.
 */
#ifndef MEMCG_CORE_MEMCG_PATH_H
#define MEMCG_CORE_MEMCG_PATH_H

#include <stddef.h>

struct memcg_engine;
struct mem_cgroup;

#define MEMCG_PATH_MAX 4096	/* PATH_MAX, with its NUL */

enum last_type {
	LAST_NORM,
	LAST_ROOT,	/* no component: the root itself */
	LAST_DOT,
	LAST_DOTDOT,
};

/**
 * struct nameidata - a path walked up to its last component
 * @dir: the last component's directory; NULL: above the root
 * @last: the last component, not NUL-terminated
 * @len: its length
 * @type: what it is
 */
struct nameidata {
	struct mem_cgroup *dir;
	const char *last;
	size_t len;
	enum last_type type;
};

/**
 * lookup_one - one component in a directory
 * @dir: the directory, NULL above the root
 * @name: the component
 * @len: its length
 * @out: the cgroup it names (NULL above the root, for "." and "..")
 *
 * Return: 0, -ENOTDIR for a control file, -ENOENT (also for any name in
 * a removed directory, as the kernel refuses lookups in a dead one).
 */
int lookup_one(struct mem_cgroup *dir, const char *name, size_t len,
	       struct mem_cgroup **out);

/**
 * path_parentat - walk every component of @path but the last
 * @e: engine
 * @start: the directory a relative path starts from; NULL: the root
 * @path: the path; one starting with '/' starts from the root
 * @nd: where the walk stopped
 *
 * Return: 0, -ENAMETOOLONG, or lookup_one()'s error on the way.
 */
int path_parentat(struct memcg_engine *e, struct mem_cgroup *start,
		  const char *path, struct nameidata *nd);

/**
 * path_lookup - the cgroup @path names
 * @e: engine
 * @start: as path_parentat()'s
 * @path: the path; "" is @start, "/" the root
 * @out: the cgroup, no reference taken
 *
 * Return: 0, -ENOENT, -ENOTDIR or -ENAMETOOLONG.
 */
int path_lookup(struct memcg_engine *e, struct mem_cgroup *start,
		const char *path, struct mem_cgroup **out);

#endif /* MEMCG_CORE_MEMCG_PATH_H */
