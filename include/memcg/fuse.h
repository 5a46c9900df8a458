/* SPDX-License-Identifier: MIT */
/*
 * libmemcg-fuse: an engine's cgroup tree as a file system, through FUSE
 * (libfuse3), laid out as the kernel's cgroupfs: a directory per online
 * cgroup holding its control files (memcg/dir.h), so that mkdir, rmdir,
 * ls, cat, echo VALUE > FILE and poll() work on it as on
 * /sys/fs/cgroup, with the kernel's errno for every failure. The engine's
 * mode decides the layout: v2 files, or v1's memory controller files.
 *
 * A separate library (-lmemcg-fuse, with libfuse3): libmemcg itself does
 * not depend on FUSE.
 *
 * As kernfs does for cgroup files:
 * - one write(2) is one control-file write (memcg_file_write_len()) of
 *   the whole buffer, whatever its offset; more than 4096 bytes is E2BIG;
 *   opening with O_TRUNC truncates nothing;
 * - a read at offset 0 takes a fresh copy of the file, a read further on
 *   continues that copy (seq_file); files have size 0;
 * - each open(2) is one memcg_open(), so per-fd state (memory.peak's
 *   reset, a memory.pressure trigger) lives until close(2);
 * - poll() reports POLLIN | POLLOUT always and POLLPRI | POLLERR when
 *   the file changed since this fd last read it: memory.events,
 *   memory.events.local and memory.swap.events as the engine signals them
 *   (memcg/notify.h), any other file before its first read, a removed
 *   cgroup's file always; memory.pressure reports POLLPRI once per event
 *   of the trigger written to the fd, and POLLERR | POLLPRI without one;
 * - an fd kept across the rmdir of its cgroup reads ENODEV; fstat() of
 *   it is ESTALE (libfuse's paths are gone; kernfs answers), and so is
 *   listing a removed directory through an fd kept open (fdopendir()
 *   stats it);
 * - creating a file is EACCES, unlink, rename, link, symlink and mknod
 *   EPERM; chmod and chown are not modeled (ENOSYS); times are the
 *   mount's.
 *
 * The file system is served by its own threads (signals blocked), while
 * the caller goes on using the engine: every call they make is one of the
 * engine's thread-safe public calls.
 */
#ifndef MEMCG_FUSE_H
#define MEMCG_FUSE_H

#include "memcg/memcg.h"

#ifdef __cplusplus
extern "C" {
#endif

struct memcg_fuse;

/**
 * memcg_fuse_mount - mount @e's cgroup tree at @dir and serve it
 * @e: engine; it must outlive the mount (memcg_fuse_unmount() first)
 * @dir: an existing directory that is not already a mount point
 * @out: the mount
 *
 * Checks @dir, mounts (type fuse.memcg, with the kernel checking
 * permissions from the modes) and starts the threads that serve it. On
 * failure nothing is left mounted.
 *
 * Return: 0; for @dir: -ENOENT (no such directory), -ENOTDIR, -EBUSY
 * (already a mount point), -ENOTCONN (a dead FUSE mount), or its
 * stat()'s errno; -ENODEV when /dev/fuse is missing, or opening it
 * failed with that errno; -EIO when libfuse could not mount (it said
 * why on stderr); -EINVAL for NULL; -ENOMEM; or pthread_create()'s error.
 */
MEMCG_API int memcg_fuse_mount(struct memcg_engine *e, const char *dir,
			       struct memcg_fuse **out);

/**
 * memcg_fuse_fd - a descriptor readable once the file system has gone
 * @m: the mount
 *
 * It becomes readable (POLLIN) when the kernel ended the session: an
 * unmount from outside (fusermount3 -u DIR, umount DIR). Owned by @m.
 *
 * Return: the descriptor.
 */
MEMCG_API int memcg_fuse_fd(struct memcg_fuse *m);

/**
 * memcg_fuse_unmount - stop serving, unmount, free
 * @m: the mount, or NULL
 *
 * Stops the threads (a request being served is finished first), closes
 * the files still open through the mount, and unmounts lazily if still
 * mounted: processes with a file open in it get ENOTCONN afterwards.
 */
MEMCG_API void memcg_fuse_unmount(struct memcg_fuse *m);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_FUSE_H */
