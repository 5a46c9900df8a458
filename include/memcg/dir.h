/* SPDX-License-Identifier: MIT */
/*
 * libmemcg: a cgroup's directory as ls(1) lists it on the kernel's
 * cgroupfs: the control files the engine serves there, with kernfs's
 * modes, and the online child cgroups. For programs that present the tree
 * as files (memcg/fuse.h).
 *
 * Modes are the kernel's cgroup_file_mode(): 0444 for a file that can
 * only be read, 0644 for one that can also be written, 0200 for a
 * write-only one (memory.reclaim); a cgroup is a directory of mode 0755.
 * Files the kernel's directory holds that the engine does not serve
 * (cgroup.procs, memory.numa_stat, ...) are not listed, though their
 * names are taken: mkdir of one is -EEXIST (memcg_mkdir()).
 */
#ifndef MEMCG_DIR_H
#define MEMCG_DIR_H

#include "memcg/memcg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The file type bits of a mode, as <sys/stat.h> has them on Linux. */
#define MEMCG_S_IFDIR	0040000u
#define MEMCG_S_IFREG	0100000u

/**
 * memcg_filldir_t - called once per directory entry by memcg_readdir()
 * @arg: the caller's argument
 * @name: the entry's name, valid during the call
 * @mode: MEMCG_S_IFREG or MEMCG_S_IFDIR, and the permission bits
 *
 * Return: 0 to go on, anything else to stop the listing and return it.
 */
typedef int (*memcg_filldir_t)(void *arg, const char *name, unsigned int mode);

/**
 * memcg_readdir - list a cgroup's directory
 * @memcg: cgroup
 * @fill: called for each control file (in the engine's table order), then
 *        for each online child (in creation order), with no engine lock
 *        held: it may call into the engine
 * @arg: passed to @fill
 *
 * The children are those online when the listing starts.
 *
 * Return: 0, what @fill returned to stop, -EINVAL (NULL), -ENODEV once
 * the cgroup is removed, or -ENOMEM.
 */
MEMCG_API int memcg_readdir(struct mem_cgroup *memcg, memcg_filldir_t fill,
			    void *arg);

/**
 * memcg_file_mode - the mode of one control file of @memcg
 * @memcg: cgroup
 * @name: file name
 *
 * Return: MEMCG_S_IFREG | 0444, 0644 or 0200 for a file memcg_open()
 * opens, -ENOENT for none (a name the engine does not serve, or one the
 * root lacks), -EINVAL for NULL.
 */
MEMCG_API int memcg_file_mode(struct mem_cgroup *memcg, const char *name);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_DIR_H */
