/* SPDX-License-Identifier: MIT */
/*
 * libmemcg-fuse internals: the mount (mount.c), the namespace operations
 * (ops.c), the open control files (file.c) and the poll watcher
 * (poll.c), all behind libfuse's high-level, path-based interface.
 *
 * Locking: m->files_lock guards the list of open files, their ids and
 * their poll handles; each open file's lock guards its read copy and
 * state, as kernfs's per-open mutex does, and is taken before
 * files_lock. No engine lock is held across either: the engine is called
 * only through its public, thread-safe functions.
 */
#ifndef MEMCG_FUSE_FS_H
#define MEMCG_FUSE_FS_H

#define FUSE_USE_VERSION 312
#include <fuse.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "memcg/fuse.h"

/* Threads reading requests from the kernel. */
#define MFUSE_WORKERS 4

/**
 * struct mfuse_file - a control file opened through the mount
 * @f: the engine's open file (its per-fd state)
 * @mode: its mode (memcg_file_mode()), for fstat() after an rmdir
 * @id: key of the poll watcher's events (never 0, never reused)
 * @lock: serializes reads and polls on this open file
 * @copy: what the last read at offset 0 gave (seq_file's buffer)
 * @copy_len: its length; @copy_cap: its size; @copy_valid: a read made it
 * @read_once: read at least once (kernfs's of->event: before the first
 *             read every file polls as changed)
 * @pressure: memory.pressure, whose poll reports its trigger's events
 * @armed: a trigger was written to it through this open file
 * @ph: the kernel's poll handle waiting for a change (files_lock)
 * @efd: the eventfd registered with the watcher, or -1 (files_lock)
 * @prev, @next: m->files (files_lock)
 */
struct mfuse_file {
	struct memcg_file *f;
	unsigned int mode;
	uint64_t id;
	pthread_mutex_t lock;
	char *copy;
	size_t copy_len;
	size_t copy_cap;
	bool copy_valid;
	bool read_once;
	bool pressure;
	bool armed;
	struct fuse_pollhandle *ph;
	int efd;
	struct mfuse_file *prev, *next;
};

struct memcg_fuse {
	struct memcg_engine *e;
	struct fuse *fuse;
	struct fuse_session *se;
	char *dir;
	bool mounted;
	uid_t uid;
	gid_t gid;
	struct timespec mounted_at;
	/* the workers */
	pthread_t workers[MFUSE_WORKERS];
	int nr_workers;
	atomic_int live_workers;
	int done_efd;		/* memcg_fuse_fd() */
	/* the open files */
	pthread_mutex_t files_lock;
	struct mfuse_file *files;
	uint64_t next_id;
	/* the poll watcher */
	int epfd;
	int stop_efd;
	pthread_t watcher;
	bool watcher_started;
};

/* The mount an operation runs for. */
static inline struct memcg_fuse *mfuse_self(void)
{
	return fuse_get_context()->private_data;
}

/* ops.c */
extern const struct fuse_operations mfuse_ops;

/**
 * mfuse_resolve_file - the cgroup and control file a path names
 * @m: the mount
 * @path: "/A/B/memory.max"
 * @memcg: the cgroup, referenced (memcg_put() it)
 * @name: the file's name, inside @path
 *
 * Return: the file's mode, or -ENOENT (no such cgroup or file, a cgroup,
 * or a file the engine does not serve), -ENOTDIR, -ENAMETOOLONG, -ENOMEM.
 */
int mfuse_resolve_file(struct memcg_fuse *m, const char *path,
		       struct mem_cgroup **memcg, const char **name);

/* file.c: the open-file operations of mfuse_ops */
int mfuse_open(const char *path, struct fuse_file_info *fi);
int mfuse_read(const char *path, char *buf, size_t size, off_t off,
	       struct fuse_file_info *fi);
int mfuse_write(const char *path, const char *buf, size_t size, off_t off,
		struct fuse_file_info *fi);
int mfuse_release(const char *path, struct fuse_file_info *fi);
int mfuse_poll(const char *path, struct fuse_file_info *fi,
	       struct fuse_pollhandle *ph, unsigned *reventsp);

/**
 * mfuse_file_free - close an open file and free it
 * @m: the mount
 * @mf: a file no operation is using any more, off the list
 */
void mfuse_file_free(struct memcg_fuse *m, struct mfuse_file *mf);

/* poll.c: the watcher thread */
int mfuse_poll_start(struct memcg_fuse *m);
void mfuse_poll_stop(struct memcg_fuse *m);

/**
 * mfuse_poll_arm - notify @ph when @efd becomes readable (once)
 * @m: the mount
 * @mf: the open file; files_lock held
 * @efd: its eventfd (memcg_file_pollfd())
 * @ph: the kernel's poll handle, now owned by @mf
 *
 * Return: 0 or epoll_ctl()'s negative errno (@ph destroyed then).
 */
int mfuse_poll_arm(struct memcg_fuse *m, struct mfuse_file *mf, int efd,
		   struct fuse_pollhandle *ph);

/**
 * mfuse_poll_disarm - forget @mf's poll handle and its registration
 * @m: the mount
 * @mf: the open file; files_lock held
 */
void mfuse_poll_disarm(struct memcg_fuse *m, struct mfuse_file *mf);

#endif /* MEMCG_FUSE_FS_H */
