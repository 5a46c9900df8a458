/* SPDX-License-Identifier: MIT */
/*
 * The cgroup core's share of a cgroup: what the kernel keeps in struct
 * cgroup and in the memory controller's cgroup_file handles, for
 * notifications and pressure. It hangs off mem_cgroup->cgroup, allocated
 * on first use (an event, a stall, a pollfd or a trigger) with its
 * ancestors' first, and freed when the cgroup is released.
 *
 * - cgroup_file_notify() (cgroup_notify.c): memory.events,
 *   memory.events.local and memory.swap.events changed; open files that
 *   asked for a pollfd are signalled, at most once per 10 ms per file.
 * - the psi group (psi.c): memory.pressure and its triggers.
 * - the hierarchy limits (cgroupfs_core.c): cgroup.max.depth and
 *   cgroup.max.descendants, under the engine's cgroup_mutex.
 *
 * Locking: file_lock guards files[] and open_files, and is taken before
 * psi.lock (a trigger write holds both); nothing takes it under psi.lock.
 */
#ifndef MEMCG_CORE_CGROUP_H
#define MEMCG_CORE_CGROUP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <urcu/list.h>

#include "core/psi.h"

struct mem_cgroup;
struct memcg_file;

/* Files that notify; the first NR_CGROUP_NOTIFY_FILES on events. */
enum cgroup_file_id {
	CGROUP_FILE_EVENTS,		/* memory.events */
	CGROUP_FILE_EVENTS_LOCAL,	/* memory.events.local */
	CGROUP_FILE_SWAP_EVENTS,	/* memory.swap.events */
	NR_CGROUP_NOTIFY_FILES,
	CGROUP_FILE_PRESSURE = NR_CGROUP_NOTIFY_FILES,	/* triggers */
	NR_CGROUP_FILE_IDS,
};

/* At most one notification per file per 10 ms (CGROUP_FILE_NOTIFY_MIN_INTV). */
#define CGROUP_FILE_NOTIFY_MIN_INTV_NS 10000000ULL

/**
 * struct cgroup_file - a notifying file's state
 * @event: changes signalled so far, from 1 (kernfs_open_node's event)
 * @notified_at: when open files were last signalled
 * @notified: @notified_at is valid
 * @pending: a notification was held back (the kernel's notify_timer)
 */
struct cgroup_file {
	unsigned long event;
	uint64_t notified_at;
	bool notified;
	bool pending;
};

/**
 * struct cgroup_file_ctx - an open notifying file that was read or polled
 * @node: in cgroup->open_files
 * @of: the open file
 * @id: which file
 * @event: the file's event count at its last read (kernfs_open_file's
 *         event): 0 until read, so a fresh open polls ready, as kernfs
 * @efd: its eventfd once memcg_file_pollfd() asked, else -1; closed with
 *       the file. Readable exactly while @event differs from the file's.
 * @trigger: memory.pressure: the trigger written to it, or NULL
 */
struct cgroup_file_ctx {
	struct cds_list_head node;
	struct memcg_file *of;
	enum cgroup_file_id id;
	unsigned long event;
	int efd;
	struct psi_trigger *trigger;
};

struct cgroup {
	struct psi_group psi;	/* first: cache-line aligned (cgroup_new()) */
	struct mem_cgroup *memcg;
	pthread_mutex_t file_lock;
	struct cgroup_file files[NR_CGROUP_NOTIFY_FILES];
	struct cds_list_head open_files;	/* cgroup_file_ctx */
	atomic_int nr_open_files;		/* for lock-free "none" */
	pthread_mutex_t peaks_lock;
	struct cds_list_head memory_peaks;	/* memory.peak fds written */
	struct cds_list_head swap_peaks;
	int max_depth;		/* INT_MAX: "max" */
	int max_descendants;
};

/* cgroup.c */

/** memcg_cgroup - @memcg's cgroup core state, or NULL if never used */
struct cgroup *memcg_cgroup(struct mem_cgroup *memcg);

/**
 * memcg_cgroup_alloc - @memcg's cgroup core state, allocated if needed
 * @memcg: a cgroup the caller holds
 *
 * Return: the state, or NULL without memory.
 */
struct cgroup *memcg_cgroup_alloc(struct mem_cgroup *memcg);

/**
 * cgroup_psi - @memcg's psi group, or NULL if it never stalled
 * @memcg: cgroup
 */
struct psi_group *cgroup_psi(struct mem_cgroup *memcg);

/**
 * cgroup_free - free @memcg's state at release
 * @memcg: a released cgroup: no open file, no stall
 */
void cgroup_free(struct mem_cgroup *memcg);

/* cgroupfs_core.c */

/**
 * cgroup_check_hierarchy_limits - whether a child may be made in @parent
 * @parent: the new cgroup's parent; call with cgroup_mutex held
 *
 * Every ancestor from @parent up must have fewer live descendants than
 * its cgroup.max.descendants, and the new cgroup must sit no deeper
 * below it than its cgroup.max.depth.
 *
 * Return: true, or false for mkdir's -EAGAIN.
 */
bool cgroup_check_hierarchy_limits(struct mem_cgroup *parent);

/**
 * cgroup_drop_hierarchy_limits - an offline cgroup's limits no longer
 * count for mkdir
 * @memcg: cgroup being taken offline; call with cgroup_mutex held
 */
void cgroup_drop_hierarchy_limits(struct mem_cgroup *memcg);

/* cgroup_notify.c */

/**
 * cgroup_file_notify - a notifying file of @memcg changed
 * @memcg: cgroup; the root and v1 engines have no such file
 * @id: the file
 */
void cgroup_file_notify(struct mem_cgroup *memcg, enum cgroup_file_id id);

/**
 * cgroup_file_id_of - which notifying file @f is
 * @f: open file
 *
 * Return: its id, or -EINVAL for a file that never notifies.
 */
int cgroup_file_id_of(const struct memcg_file *f);

/**
 * cgroup_file_ctx_get - @f's notification context with its eventfd,
 * created if needed
 * @cgrp: @f's cgroup state; call with file_lock held
 * @f: open file
 * @id: cgroup_file_id_of(@f)
 * @out: the context
 *
 * Return: 0, -ENOMEM, or the errno of eventfd().
 */
int cgroup_file_ctx_get(struct cgroup *cgrp, struct memcg_file *f,
			enum cgroup_file_id id, struct cgroup_file_ctx **out);

/**
 * cgroup_file_ctx_find - @f's notification context, or NULL
 * @cgrp: @f's cgroup state; call with file_lock held
 * @f: open file
 */
struct cgroup_file_ctx *cgroup_file_ctx_find(struct cgroup *cgrp,
					     const struct memcg_file *f);

/**
 * cgroup_file_rearm - before a read of @f: the read sees every change so
 * far (kernfs_seq_show()), so its pollfd is drained
 * @f: open file
 */
void cgroup_file_rearm(struct memcg_file *f);

/**
 * cgroup_file_release - at close of @f: destroy its trigger, close its fd
 * @f: open file
 */
void cgroup_file_release(struct memcg_file *f);

#endif /* MEMCG_CORE_CGROUP_H */
