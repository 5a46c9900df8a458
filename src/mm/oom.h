/* SPDX-License-Identifier: MIT */
/*
 * OOM victims (oom_victim.c) and the OOM killer (oom_kill.c): what a
 * client registered as killable, and how a charge that cannot be met
 * picks among them.
 *
 * Locking: engine->victims_lock guards the victim list and each victim's
 * memcg, oom_score_adj and state; engine->oom_lock serialises OOM kills.
 * oom_lock is taken before victims_lock.
 */
#ifndef MEMCG_MM_OOM_H
#define MEMCG_MM_OOM_H

#include "core/memcontrol.h"

struct memcg_victim {
	struct cds_list_head node;	/* engine->victims */
	struct memcg_engine *e;
	const struct memcg_victim_ops *ops;
	void *priv;
	struct mem_cgroup *memcg;	/* holds a reference */
	atomic_int refcnt;		/* the registry's, and kills in flight */
	int oom_score_adj;
	bool registered;
	bool killed;			/* chosen by the OOM killer */
	bool oom_skip;			/* killed long ago: MMF_OOM_SKIP */
	uint64_t kill_ns;		/* when, on the engine clock */
};

/* The victim the calling thread runs as (memcg_victim_enter()), or NULL. */
extern __thread struct memcg_victim *current_victim;

/* A victim reference, for kills delivered after the locks are dropped. */
void memcg_victim_get(struct memcg_victim *v);
void memcg_victim_put(struct memcg_victim *v);

/**
 * task_is_dying - whether the calling thread's victim was OOM-killed
 */
static inline bool task_is_dying(void)
{
	struct memcg_victim *v = current_victim;

	return v && __atomic_load_n(&v->killed, __ATOMIC_RELAXED);
}

/**
 * current_victim_memcg - the calling thread's victim's cgroup, referenced
 * @e: engine
 *
 * Return: the cgroup with a reference taken, or NULL without a victim of @e.
 */
struct mem_cgroup *current_victim_memcg(struct memcg_engine *e);

/**
 * mem_cgroup_out_of_memory - kill a victim to free memory in @memcg
 * @e: engine
 * @memcg: the OOM domain, or NULL for the whole engine
 * @nr_pages: the charge that needs room
 *
 * Return: true if a victim was killed, one killed before is still
 * freeing its memory (the caller retries), or the domain has room.
 */
bool mem_cgroup_out_of_memory(struct memcg_engine *e, struct mem_cgroup *memcg,
			      long nr_pages);

/* engine setup; teardown unregisters (and reports) what is left */
void memcg_victims_init(struct memcg_engine *e);
void memcg_victims_release(struct memcg_engine *e);

#endif /* MEMCG_MM_OOM_H */
