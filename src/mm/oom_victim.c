// SPDX-License-Identifier: MIT
/*
 * The OOM victim registry: tasks or tenants a client made killable, each
 * in a cgroup, with an oom_score_adj and a kill callback (hooks.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm/oom.h"

__thread struct memcg_victim *current_victim;

void memcg_victims_init(struct memcg_engine *e)
{
	pthread_mutex_init(&e->victims_lock, NULL);
	CDS_INIT_LIST_HEAD(&e->victims);
}

void memcg_victims_release(struct memcg_engine *e)
{
	struct memcg_victim *v, *tmp;
	long n = 0;

	cds_list_for_each_entry_safe(v, tmp, &e->victims, node) {
		memcg_victim_unregister(v);
		n++;
	}
	if (n)
		fprintf(stderr, "libmemcg: %ld OOM victims still registered "
			"at engine destroy\n", n);
}

void memcg_victim_get(struct memcg_victim *v)
{
	atomic_fetch_add(&v->refcnt, 1);
}

void memcg_victim_put(struct memcg_victim *v)
{
	if (atomic_fetch_sub(&v->refcnt, 1) != 1)
		return;
	css_put(v->memcg);
	free(v);
}

int memcg_victim_register(struct mem_cgroup *memcg,
			  const struct memcg_victim_ops *ops, void *priv,
			  struct memcg_victim **out)
{
	struct memcg_engine *e;
	struct memcg_victim *v;

	if (!memcg || !ops || !ops->badness_pages || !ops->kill || !out)
		return -EINVAL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	e = memcg->engine;
	v->e = e;
	v->ops = ops;
	v->priv = priv;
	css_get(memcg);
	v->memcg = memcg;
	atomic_init(&v->refcnt, 1);
	v->registered = true;
	pthread_mutex_lock(&e->victims_lock);
	cds_list_add_tail(&v->node, &e->victims);
	pthread_mutex_unlock(&e->victims_lock);
	*out = v;
	return 0;
}

void memcg_victim_unregister(struct memcg_victim *v)
{
	struct memcg_engine *e;

	if (!v)
		return;
	e = v->e;
	pthread_mutex_lock(&e->victims_lock);
	v->registered = false;
	cds_list_del(&v->node);
	pthread_mutex_unlock(&e->victims_lock);
	if (current_victim == v)
		current_victim = NULL;
	memcg_victim_put(v);
}

int memcg_victim_move(struct memcg_victim *v, struct mem_cgroup *to)
{
	struct mem_cgroup *from;

	if (!v || !to || to->engine != v->e)
		return -EINVAL;
	css_get(to);
	pthread_mutex_lock(&v->e->victims_lock);
	from = v->memcg;
	v->memcg = to;
	pthread_mutex_unlock(&v->e->victims_lock);
	css_put(from);
	return 0;
}

int memcg_victim_set_oom_score_adj(struct memcg_victim *v, int adj)
{
	if (!v || adj < -1000 || adj > 1000)
		return -EINVAL;
	pthread_mutex_lock(&v->e->victims_lock);
	v->oom_score_adj = adj;
	pthread_mutex_unlock(&v->e->victims_lock);
	return 0;
}

bool memcg_victim_killed(struct memcg_victim *v)
{
	return v && __atomic_load_n(&v->killed, __ATOMIC_RELAXED);
}

void memcg_victim_enter(struct memcg_victim *v)
{
	current_victim = v;
}

void memcg_victim_leave(void)
{
	current_victim = NULL;
}

struct mem_cgroup *current_victim_memcg(struct memcg_engine *e)
{
	struct memcg_victim *v = current_victim;
	struct mem_cgroup *memcg;

	if (!v || v->e != e)
		return NULL;
	pthread_mutex_lock(&e->victims_lock);
	memcg = v->memcg;
	css_get(memcg);
	pthread_mutex_unlock(&e->victims_lock);
	return memcg;
}

int memcg_set_oom_handler(struct memcg_engine *e, memcg_oom_handler_t fn,
			  void *priv)
{
	if (!e)
		return -EINVAL;
	pthread_mutex_lock(&e->oom_lock);
	e->oom_handler = fn;
	e->oom_handler_priv = priv;
	pthread_mutex_unlock(&e->oom_lock);
	return 0;
}
