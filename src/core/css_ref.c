// SPDX-License-Identifier: MIT
/*
 * A cgroup's reference count, after the kernel's percpu_ref.
 *
 * While the cgroup is alive, gets and puts touch only the current CPU's
 * counter, under that CPU's lock, with no atomic instruction. css_kill()
 * switches to one shared atomic: it raises atomic_mode, then takes every
 * CPU's lock once so that no holder is still adding to its CPU counter,
 * then folds the per-CPU sums into the atomic and drops the initial
 * reference. The atomic carries a bias until then, so it cannot reach zero
 * while per-CPU counters hold part of the count.
 */
#include <limits.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/memcontrol.h"

#define CSS_REF_BIAS (LONG_MAX / 2)

static void css_ref_zero(struct mem_cgroup *memcg)
{
	mem_cgroup_queue_release(memcg);
}

static void css_ref_sub_atomic(struct mem_cgroup *memcg, long nr)
{
	long old = atomic_fetch_sub_explicit(&memcg->ref.count, nr,
					     memory_order_acq_rel);

	if (old < nr) {
		/* as percpu_ref's "<= 0 after switching to atomic" warning */
		fprintf(stderr, "libmemcg: cgroup %s: reference count "
			"underflow: %ld put, %ld held\n", memcg->name, nr, old);
		abort();
	}
	if (old == nr)
		css_ref_zero(memcg);
}

/* one more reference on the shared count, unless it reached zero */
static bool css_ref_inc_not_zero(struct mem_cgroup *memcg)
{
	long count = atomic_load(&memcg->ref.count);

	while (count > 0)
		if (atomic_compare_exchange_weak(&memcg->ref.count, &count,
						 count + 1))
			return true;
	return false;
}

/**
 * css_ref_init - one reference, the one rmdir drops
 * @memcg: a new cgroup
 */
void css_ref_init(struct mem_cgroup *memcg)
{
	atomic_init(&memcg->ref.count, CSS_REF_BIAS + 1);
	atomic_init(&memcg->ref.atomic_mode, false);
}

/**
 * css_get_local - take @nr references, holding @cpu's lock
 * @memcg: cgroup the caller already holds a reference on
 * @cpu: a CPU whose lock the caller holds
 * @nr: references
 */
void css_get_local(struct mem_cgroup *memcg, unsigned cpu, long nr)
{
	if (atomic_load_explicit(&memcg->ref.atomic_mode, memory_order_relaxed))
		atomic_fetch_add_explicit(&memcg->ref.count, nr,
					  memory_order_relaxed);
	else
		local_add(&memcg->pcpu[cpu].ref, nr);
}

/**
 * css_put_local - drop @nr references, holding @cpu's lock
 * @memcg: cgroup
 * @cpu: a CPU whose lock the caller holds
 * @nr: references
 */
void css_put_local(struct mem_cgroup *memcg, unsigned cpu, long nr)
{
	if (atomic_load_explicit(&memcg->ref.atomic_mode, memory_order_relaxed))
		css_ref_sub_atomic(memcg, nr);
	else
		local_add(&memcg->pcpu[cpu].ref, -nr);
}

/**
 * css_get_many - take @nr references
 * @memcg: cgroup the caller already holds a reference on
 * @nr: references
 */
void css_get_many(struct mem_cgroup *memcg, long nr)
{
	struct memcg_engine *e = memcg->engine;
	unsigned cpu = memcg_this_cpu(e);

	if (memcg_cpu_trylock(e, cpu)) {
		css_get_local(memcg, cpu, nr);
		memcg_cpu_unlock(e, cpu);
		return;
	}
	atomic_fetch_add_explicit(&memcg->ref.count, nr, memory_order_relaxed);
}

void css_get(struct mem_cgroup *memcg)
{
	css_get_many(memcg, 1);
}

/**
 * css_put_many - drop @nr references; the last one queues the release
 * @memcg: cgroup
 * @nr: references
 */
void css_put_many(struct mem_cgroup *memcg, long nr)
{
	struct memcg_engine *e = memcg->engine;
	unsigned cpu = memcg_this_cpu(e);

	if (memcg_cpu_trylock(e, cpu)) {
		css_put_local(memcg, cpu, nr);
		memcg_cpu_unlock(e, cpu);
		return;
	}
	css_ref_sub_atomic(memcg, nr);
}

void css_put(struct mem_cgroup *memcg)
{
	css_put_many(memcg, 1);
}

/**
 * css_tryget_online - take a reference unless the cgroup was removed
 * @memcg: cgroup, kept from being freed by the caller (RCU or a ref)
 *
 * Return: true with a reference taken.
 */
bool css_tryget_online(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	unsigned cpu = memcg_this_cpu(e);
	bool ok = false;

	if (memcg_cpu_trylock(e, cpu)) {
		/* css_kill() sweeps this lock after raising atomic_mode */
		if (!atomic_load_explicit(&memcg->ref.atomic_mode,
					  memory_order_relaxed)) {
			local_add(&memcg->pcpu[cpu].ref, 1);
			ok = true;
		}
		memcg_cpu_unlock(e, cpu);
		return ok;
	}
	if (!atomic_load(&memcg->ref.atomic_mode)) {
		/*
		 * Not zero: css_kill() may fold and drop the last reference
		 * between the load above and this add; a plain add would bring
		 * the cgroup back from zero and queue its release twice.
		 */
		if (!css_ref_inc_not_zero(memcg))
			return false;
		/* still online: the kill's fold, if it comes, counts us */
		if (!atomic_load(&memcg->ref.atomic_mode))
			return true;
		css_put(memcg);
	}
	return false;
}

/**
 * css_tryget - take a reference unless the count reached zero (the
 * cgroup is on its way to release); offline cgroups too
 * @memcg: cgroup, kept from being freed by the caller (a lock or RCU)
 *
 * Return: true with a reference taken.
 */
bool css_tryget(struct mem_cgroup *memcg)
{
	if (css_tryget_online(memcg))
		return true;
	/* atomic mode: the shared count is exact (or biased, never 0) */
	return css_ref_inc_not_zero(memcg);
}

/**
 * css_kill - switch to the exact atomic count and drop the initial ref
 * @memcg: cgroup being taken offline; the caller holds a reference or
 *         cgroup_mutex, so the release this may queue runs later
 */
void css_kill(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	long sum = 0;
	unsigned cpu;

	atomic_store(&memcg->ref.atomic_mode, true);
	memcg_cpu_lock_all(e);
	for (cpu = 0; cpu < e->nr_cpus; cpu++) {
		sum += atomic_load_explicit(&memcg->pcpu[cpu].ref,
					    memory_order_relaxed);
		atomic_store_explicit(&memcg->pcpu[cpu].ref, 0,
				      memory_order_relaxed);
	}
	memcg_cpu_unlock_all(e);
	/* fold the per-CPU part, remove the bias and the initial reference */
	css_ref_sub_atomic(memcg, CSS_REF_BIAS + 1 - sum);
}

/**
 * css_ref_read - the reference count, exact when no other thread is
 * getting or putting references to @memcg
 * @memcg: cgroup
 */
long css_ref_read(struct mem_cgroup *memcg)
{
	long count = atomic_load(&memcg->ref.count);
	unsigned cpu;

	if (atomic_load(&memcg->ref.atomic_mode))
		return count;
	count -= CSS_REF_BIAS;
	for (cpu = 0; cpu < memcg->engine->nr_cpus; cpu++)
		count += atomic_load_explicit(&memcg->pcpu[cpu].ref,
					      memory_order_relaxed);
	return count;
}
