// SPDX-License-Identifier: MIT
/*
 * The OOM killer, for a cgroup (memory.max) or the whole machine: picks
 * the task with the largest footprint adjusted by oom_score_adj, kills it
 * and, with memory.oom.group, every task of the highest group-enabled
 * ancestor up to the OOM domain (mm/oom_kill.c).
 *
 * Killing marks the tasks first and reaps their memory after the group
 * scan, as the kernel's asynchronous exit does: a victim that is also in
 * its group is counted twice in oom_kill, as in the kernel. A victim that
 * is the task being run (current_task) is reaped when its operation
 * returns.
 */
#include <limits.h>

#include "mm/swapfile.h"
#include "sim/sim.h"

static bool in_domain(struct memcg_task *t, struct mem_cgroup *domain)
{
	return t->mm && (!domain || mem_cgroup_is_descendant(t->memcg, domain));
}

static long total_pages(struct memcg_engine *e, struct mem_cgroup *domain)
{
	long total = (long)folio_arena_nr_frames(e->arena);

	if (e->swap)
		total += (long)e->swap->nr_slots;
	if (domain && !mem_cgroup_is_root(domain)) {
		long max = atomic_load(&domain->memory.max);

		if (max < total)
			total = max;
	}
	return total ? total : 1;
}

/* oom_badness: resident + swapped + page-table pages, then the adjustment. */
static long oom_badness(struct memcg_task *t, long totalpages)
{
	long points;

	if (t->oom_score_adj == -1000 || t->oom_victim)
		return LONG_MIN;
	points = t->mm->rss + t->mm->swapents +
		 (long)(t->mm->nr_pte * sizeof(uint32_t) / MEMCG_PAGE_SIZE);
	points += (long)t->oom_score_adj * (totalpages / 1000);
	return points > 0 ? points : 1;
}

static struct memcg_task *select_bad_process(struct memcg_engine *e,
					     struct mem_cgroup *domain)
{
	long best = LONG_MIN, totalpages = total_pages(e, domain);
	struct memcg_task *t, *chosen = NULL;

	for (t = e->sim->tasks; t; t = t->next) {
		long points;

		if (!in_domain(t, domain))
			continue;
		points = oom_badness(t, totalpages);
		if (points == LONG_MIN || points <= best)
			continue;
		best = points;
		chosen = t;
	}
	return chosen;
}

/* The highest ancestor with memory.oom.group set, up to the domain. */
static struct mem_cgroup *mem_cgroup_get_oom_group(struct mem_cgroup *memcg,
						   struct mem_cgroup *domain)
{
	struct mem_cgroup *oom_group = NULL;

	if (!domain)
		domain = memcg->engine->root;
	if (!mem_cgroup_is_descendant(memcg, domain))
		return NULL;
	for (; memcg; memcg = memcg->parent) {
		if (memcg->oom_group)
			oom_group = memcg;
		if (memcg == domain)
			break;
	}
	return oom_group;
}

static void __oom_kill_process(struct memcg_task *t)
{
	if (!t->mm)
		return;
	t->killed = true;
	t->oom_victim = true;
	memcg_memory_event(t->memcg, MEMCG_OOM_KILL);
}

/**
 * oom_reap_victims - free the memory of every killed task but the caller
 * @e: engine
 */
void oom_reap_victims(struct memcg_engine *e)
{
	struct memcg_task *t;

	for (t = e->sim->tasks; t; t = t->next)
		if (t->oom_victim && t != current_task)
			task_free_memory(t);
}

static void oom_kill_process(struct memcg_engine *e, struct memcg_task *victim,
			     struct mem_cgroup *domain)
{
	struct mem_cgroup *oom_group = mem_cgroup_get_oom_group(victim->memcg,
								domain);
	struct memcg_task *t;

	__oom_kill_process(victim);
	if (!oom_group)
		return;
	memcg_memory_event(oom_group, MEMCG_OOM_GROUP_KILL);
	for (t = e->sim->tasks; t; t = t->next)
		if (t->mm && t->oom_score_adj != -1000 &&
		    mem_cgroup_is_descendant(t->memcg, oom_group))
			__oom_kill_process(t);
}

/**
 * mem_cgroup_out_of_memory - kill a task to free memory in @memcg
 * @e: engine
 * @memcg: the OOM domain, or NULL for the whole machine
 * @nr_pages: the charge that needs room
 *
 * Return: true if a task was killed (or the domain has room again).
 */
bool mem_cgroup_out_of_memory(struct memcg_engine *e, struct mem_cgroup *memcg,
			      long nr_pages)
{
	struct memcg_task *victim;
	bool killed = false;

	if (!e->sim)
		return false;
	pthread_mutex_lock(&e->oom_lock);
	if (memcg && mem_cgroup_margin(memcg) >= nr_pages) {
		pthread_mutex_unlock(&e->oom_lock);
		return true;
	}
	victim = select_bad_process(e, memcg);
	if (victim) {
		oom_kill_process(e, victim, memcg);
		killed = true;
	}
	pthread_mutex_unlock(&e->oom_lock);
	oom_reap_victims(e);
	return killed;
}
