// SPDX-License-Identifier: MIT
/*
 * Notifications on control files: the kernel's cgroup_file_notify() and
 * kernfs_notify(), with an eventfd per open file in place of poll().
 *
 * As kernfs: each file has an event count that a change moves on; each
 * open file remembers the count its last read saw (0 before any read),
 * and polls ready while the two differ. So a fresh open is ready until it
 * is read, and a read re-arms it. Here the open file's eventfd, from
 * memcg_file_pollfd(), is readable exactly while they differ. The open
 * files read or polled are the cgroup's open_files (cgroup.h); a plain
 * memcg_read() of memory.events adds one for the time of the read.
 *
 * Rate limit: each file of each cgroup signals at most once per 10 ms of
 * engine clock (CGROUP_FILE_NOTIFY_MIN_INTV; the kernel's jiffy range
 * also holds back a change at exactly 10 ms, we do not). A change within
 * 10 ms of the last signal is held back as pending; the kernel arms a
 * timer for the end of the interval, we have none: a pending signal is
 * delivered, dated at the end of the interval, by the first of these
 * after that end: the next change of the same file, a read of it, or
 * memcg_file_pollfd() on it. Nothing is lost, but with no such call it
 * waits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "memcg/notify.h"
#include "core/cgroup.h"
#include "core/cgroupfs.h"
#include "core/clock.h"

static const char *const cgroup_file_names[NR_CGROUP_FILE_IDS] = {
	[CGROUP_FILE_EVENTS] = "memory.events",
	[CGROUP_FILE_EVENTS_LOCAL] = "memory.events.local",
	[CGROUP_FILE_SWAP_EVENTS] = "memory.swap.events",
	[CGROUP_FILE_PRESSURE] = "memory.pressure",
};

int cgroup_file_id_of(const struct memcg_file *f)
{
	int id;

	if (f->memcg->engine->v1)
		return -EINVAL;
	for (id = 0; id < NR_CGROUP_FILE_IDS; id++)
		if (!strcmp(f->cft->name, cgroup_file_names[id]))
			return id;
	return -EINVAL;
}

/*
 * kernfs_notify(): the file's event count moves on, and every open file
 * of it that has an eventfd wakes (its last read saw an older count).
 */
static void kernfs_notify(struct cgroup *cgrp, enum cgroup_file_id id)
{
	struct cgroup_file_ctx *ctx;

	cgrp->files[id].event++;
	cds_list_for_each_entry(ctx, &cgrp->open_files, node)
		if (ctx->id == id && ctx->efd >= 0)
			eventfd_write(ctx->efd, 1);
}

/* Deliver a held-back signal whose interval is over; file_lock held. */
static void cgroup_file_flush(struct cgroup *cgrp, enum cgroup_file_id id,
			      uint64_t now)
{
	struct cgroup_file *cfile = &cgrp->files[id];
	uint64_t next = cfile->notified_at + CGROUP_FILE_NOTIFY_MIN_INTV_NS;

	if (!cfile->pending || now < next)
		return;
	kernfs_notify(cgrp, id);
	cfile->notified_at = next;	/* when the kernel's timer fires */
	cfile->pending = false;
}

void cgroup_file_notify(struct mem_cgroup *memcg, enum cgroup_file_id id)
{
	struct cgroup_file *cfile;
	struct cgroup *cgrp;
	uint64_t now;

	/* no such file: v1, the root, or removed by rmdir (cfile->kn NULL) */
	if (memcg->engine->v1 || mem_cgroup_is_root(memcg) ||
	    !atomic_load(&memcg->online))
		return;
	cgrp = memcg_cgroup_alloc(memcg);
	if (!cgrp)
		return;
	/* the clock may be a client's callback: read it with no lock held */
	now = memcg_clock_now(memcg->engine);
	pthread_mutex_lock(&cgrp->file_lock);
	cfile = &cgrp->files[id];
	if (cfile->notified && now < cfile->notified_at)
		now = cfile->notified_at;	/* read before another's */
	cgroup_file_flush(cgrp, id, now);
	if (cfile->notified &&
	    now - cfile->notified_at < CGROUP_FILE_NOTIFY_MIN_INTV_NS) {
		cfile->pending = true;
	} else {
		kernfs_notify(cgrp, id);
		cfile->notified_at = now;
		cfile->notified = true;
	}
	pthread_mutex_unlock(&cgrp->file_lock);
}

struct cgroup_file_ctx *cgroup_file_ctx_find(struct cgroup *cgrp,
					     const struct memcg_file *f)
{
	struct cgroup_file_ctx *ctx;

	cds_list_for_each_entry(ctx, &cgrp->open_files, node)
		if (ctx->of == f)
			return ctx;
	return NULL;
}

/* @f's context, without an eventfd yet; file_lock held. */
static struct cgroup_file_ctx *ctx_alloc(struct cgroup *cgrp,
					 struct memcg_file *f,
					 enum cgroup_file_id id)
{
	struct cgroup_file_ctx *ctx = cgroup_file_ctx_find(cgrp, f);

	if (ctx)
		return ctx;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->of = f;
	ctx->id = id;
	ctx->efd = -1;
	cds_list_add_tail(&ctx->node, &cgrp->open_files);
	atomic_fetch_add(&cgrp->nr_open_files, 1);
	return ctx;
}

int cgroup_file_ctx_get(struct cgroup *cgrp, struct memcg_file *f,
			enum cgroup_file_id id, struct cgroup_file_ctx **out)
{
	struct cgroup_file_ctx *ctx = ctx_alloc(cgrp, f, id);

	if (!ctx)
		return -ENOMEM;
	if (ctx->efd < 0) {
		ctx->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (ctx->efd < 0)
			return -errno;
		/* not read since a change, or never read: ready at once */
		if (id < NR_CGROUP_NOTIFY_FILES &&
		    ctx->event != cgrp->files[id].event)
			eventfd_write(ctx->efd, 1);
	}
	*out = ctx;
	return 0;
}

int memcg_file_pollfd(struct memcg_file *f)
{
	struct cgroup_file_ctx *ctx;
	struct cgroup *cgrp;
	uint64_t now;
	int id, err;

	if (!f)
		return -EINVAL;
	id = cgroup_file_id_of(f);
	if (id < 0)
		return id;
	if (!atomic_load(&f->memcg->online))
		return -ENODEV;
	cgrp = memcg_cgroup_alloc(f->memcg);
	if (!cgrp)
		return -ENOMEM;
	now = memcg_clock_now(f->memcg->engine);
	pthread_mutex_lock(&cgrp->file_lock);
	if (id < NR_CGROUP_NOTIFY_FILES)
		cgroup_file_flush(cgrp, id, now);
	err = cgroup_file_ctx_get(cgrp, f, id, &ctx);
	pthread_mutex_unlock(&cgrp->file_lock);
	if (err)
		return err;
	if (id == CGROUP_FILE_PRESSURE)
		psi_group_sync(&cgrp->psi);	/* fire what is due by now */
	return ctx->efd;
}

/* A read of a notifying file: it has seen every change so far. */
static void notify_file_read(struct memcg_file *f, enum cgroup_file_id id)
{
	struct cgroup *cgrp = memcg_cgroup_alloc(f->memcg);
	uint64_t now = memcg_clock_now(f->memcg->engine);
	struct cgroup_file_ctx *ctx;
	eventfd_t v;

	if (!cgrp)
		return;		/* no memory: later polls may be early */
	pthread_mutex_lock(&cgrp->file_lock);
	cgroup_file_flush(cgrp, id, now);
	ctx = ctx_alloc(cgrp, f, id);
	if (ctx) {
		ctx->event = cgrp->files[id].event;
		if (ctx->efd >= 0)
			eventfd_read(ctx->efd, &v);
	}
	pthread_mutex_unlock(&cgrp->file_lock);
}

/* A read of memory.pressure drains the trigger's eventfd. */
static void pressure_file_read(struct memcg_file *f)
{
	struct cgroup *cgrp = memcg_cgroup(f->memcg);
	struct cgroup_file_ctx *ctx;
	eventfd_t v;

	if (!cgrp || !atomic_load(&cgrp->nr_open_files))
		return;
	pthread_mutex_lock(&cgrp->file_lock);
	ctx = cgroup_file_ctx_find(cgrp, f);
	if (ctx && ctx->efd >= 0)
		eventfd_read(ctx->efd, &v);	/* EAGAIN if not signalled */
	pthread_mutex_unlock(&cgrp->file_lock);
}

void cgroup_file_rearm(struct memcg_file *f)
{
	int id = cgroup_file_id_of(f);

	if (id == CGROUP_FILE_PRESSURE)
		pressure_file_read(f);
	else if (id >= 0)
		notify_file_read(f, id);
}

void cgroup_file_release(struct memcg_file *f)
{
	struct cgroup *cgrp = memcg_cgroup(f->memcg);
	struct cgroup_file_ctx *ctx;

	if (!cgrp || !atomic_load(&cgrp->nr_open_files))
		return;
	pthread_mutex_lock(&cgrp->file_lock);
	ctx = cgroup_file_ctx_find(cgrp, f);
	if (ctx) {
		cds_list_del(&ctx->node);
		atomic_fetch_sub(&cgrp->nr_open_files, 1);
	}
	pthread_mutex_unlock(&cgrp->file_lock);
	if (!ctx)
		return;
	psi_trigger_destroy(ctx->trigger);	/* before its eventfd goes */
	if (ctx->efd >= 0)
		close(ctx->efd);
	free(ctx);
}
