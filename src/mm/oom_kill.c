// SPDX-License-Identifier: MIT
/*
 * The OOM killer, for a cgroup (memory.max) or the whole engine: picks
 * the registered victim with the largest footprint adjusted by
 * oom_score_adj, kills it and, with memory.oom.group, every victim of the
 * highest group-enabled ancestor up to the OOM domain (mm/oom_kill.c).
 *
 * Victims are marked under the registry lock and their kill callbacks run
 * after every lock is dropped, as the kernel's asynchronous exit frees
 * memory after the group scan: a victim that is also in its group is
 * counted twice in oom_kill, as in the kernel. While a victim killed in
 * the domain has not unregistered, later OOMs there wait for it instead
 * of killing more; after OOM_REAP_TIMEOUT it is skipped (MMF_OOM_SKIP).
 */
#include <limits.h>

#include "core/clock.h"
#include "mm/oom.h"
#include "mm/swapfile.h"

#define HZ 250
#define OOM_REAP_TIMEOUT_NS 1000000000ULL	/* 10 tries of HZ/10 */
#define OOM_WAIT_NS (1000000000ULL / HZ)	/* one jiffy */

/* Victims to kill once the locks are dropped. */
struct oom_kills {
	struct memcg_victim **v;
	size_t nr, cap;
};

struct oom_control {
	struct memcg_engine *e;
	struct mem_cgroup *domain;	/* NULL: the whole engine */
	long totalpages;
	struct memcg_victim *chosen;
	long chosen_points;
	bool abort;			/* a victim is still dying */
};

static bool in_domain(struct memcg_victim *v, struct mem_cgroup *domain)
{
	return !domain || mem_cgroup_is_descendant(v->memcg, domain);
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
static long oom_badness(struct memcg_victim *v, long totalpages)
{
	long points;

	if (v->oom_score_adj == -1000)
		return LONG_MIN;
	points = v->ops->badness_pages(v->priv);
	points += (long)v->oom_score_adj * (totalpages / 1000);
	return points > 0 ? points : 1;
}

/* oom_evaluate_task: a dying victim aborts the selection. */
static void oom_evaluate_victim(struct oom_control *oc, struct memcg_victim *v,
				uint64_t now)
{
	long points;

	if (v->killed) {
		if (!v->oom_skip && now - v->kill_ns >= OOM_REAP_TIMEOUT_NS)
			v->oom_skip = true;	/* the reaper gave up */
		if (!v->oom_skip)
			oc->abort = true;
		return;
	}
	points = oom_badness(v, oc->totalpages);
	if (points == LONG_MIN || points <= oc->chosen_points)
		return;
	oc->chosen_points = points;
	oc->chosen = v;
}

/* Call with victims_lock held. */
static void select_bad_process(struct oom_control *oc)
{
	uint64_t now = memcg_clock_now(oc->e);
	struct memcg_victim *v;

	oc->chosen = NULL;
	oc->chosen_points = LONG_MIN;
	cds_list_for_each_entry(v, &oc->e->victims, node) {
		if (!in_domain(v, oc->domain))
			continue;
		oom_evaluate_victim(oc, v, now);
		if (oc->abort)
			return;
	}
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

/* Mark @v killed and queue its kill; call with victims_lock held. */
static void __oom_kill_process(struct memcg_victim *v, uint64_t now,
			       struct oom_kills *kills)
{
	memcg_memory_event(v->memcg, MEMCG_OOM_KILL);
	if (v->killed)
		return;
	v->killed = true;
	v->kill_ns = now;
	if (kills->nr == kills->cap) {
		size_t cap = kills->cap ? 2 * kills->cap : 8;
		struct memcg_victim **n = realloc(kills->v, cap * sizeof(*n));

		if (!n)
			return;	/* marked: its owner sees memcg_victim_killed() */
		kills->v = n;
		kills->cap = cap;
	}
	memcg_victim_get(v);
	kills->v[kills->nr++] = v;
}

static void oom_kill_process(struct oom_control *oc, struct oom_kills *kills)
{
	struct memcg_victim *victim = oc->chosen, *v;
	struct mem_cgroup *oom_group;
	uint64_t now = memcg_clock_now(oc->e);

	oom_group = mem_cgroup_get_oom_group(victim->memcg, oc->domain);
	__oom_kill_process(victim, now, kills);
	if (!oom_group)
		return;
	memcg_memory_event(oom_group, MEMCG_OOM_GROUP_KILL);
	cds_list_for_each_entry(v, &oc->e->victims, node)
		if (v->oom_score_adj != -1000 &&
		    mem_cgroup_is_descendant(v->memcg, oom_group))
			__oom_kill_process(v, now, kills);
}

/* Deliver the kills, with no lock held: callbacks may unregister. */
static void oom_deliver_kills(struct oom_kills *kills)
{
	size_t i;

	for (i = 0; i < kills->nr; i++) {
		kills->v[i]->ops->kill(kills->v[i]->priv);
		memcg_victim_put(kills->v[i]);
	}
	free(kills->v);
}

/* The client's handler, if any: Return: -1 default, 0 fail, 1 retry. */
static int oom_call_handler(struct memcg_engine *e, struct mem_cgroup *memcg,
			    long nr_pages)
{
	if (!e->oom_handler)
		return -1;
	switch (e->oom_handler(e->oom_handler_priv, memcg, nr_pages)) {
	case MEMCG_OOM_RETRY:
		return 1;
	case MEMCG_OOM_FAIL:
		return 0;
	default:
		return -1;
	}
}

bool mem_cgroup_out_of_memory(struct memcg_engine *e, struct mem_cgroup *memcg,
			      long nr_pages)
{
	struct oom_control oc = { .e = e, .domain = memcg };
	struct oom_kills kills = { 0 };
	int handled;

	pthread_mutex_lock(&e->oom_lock);
	if (memcg && mem_cgroup_margin(memcg) >= nr_pages) {
		pthread_mutex_unlock(&e->oom_lock);
		return true;
	}
	handled = oom_call_handler(e, memcg, nr_pages);
	if (handled >= 0) {
		pthread_mutex_unlock(&e->oom_lock);
		return handled;
	}
	oc.totalpages = total_pages(e, memcg);
	pthread_mutex_lock(&e->victims_lock);
	select_bad_process(&oc);
	if (oc.chosen && !oc.abort)
		oom_kill_process(&oc, &kills);
	pthread_mutex_unlock(&e->victims_lock);
	pthread_mutex_unlock(&e->oom_lock);
	oom_deliver_kills(&kills);
	if (oc.abort)
		memcg_clock_sleep(e, OOM_WAIT_NS);	/* let the victim exit */
	return oc.abort || oc.chosen;
}
