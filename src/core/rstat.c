// SPDX-License-Identifier: MIT
/*
 * rstat: updated trees, flushes and the periodic flush. The layout and
 * the locking are at the top of rstat.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rstat.h"

/**
 * memcg_rstat_init - the engine's flush lock and updated-tree locks
 * @e: engine, before its root cgroup is allocated
 *
 * Return: 0 or -ENOMEM.
 */
int memcg_rstat_init(struct memcg_engine *e)
{
	unsigned slot, nr = e->nr_cpus;
	struct memcg_rstat *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return -ENOMEM;
	rs->tree = aligned_alloc(MEMCG_CACHELINE, nr * sizeof(*rs->tree));
	rs->lists = calloc(nr, sizeof(*rs->lists));
	if (!rs->tree || !rs->lists) {
		free(rs->tree);
		free(rs->lists);
		free(rs);
		return -ENOMEM;
	}
	pthread_mutex_init(&rs->lock, NULL);
	for (slot = 0; slot < nr; slot++)
		pthread_mutex_init(&rs->tree[slot].lock, NULL);
	e->rstat = rs;
	return 0;
}

/**
 * memcg_rstat_exit - free what memcg_rstat_init() set up
 * @e: engine, its cgroups freed
 */
void memcg_rstat_exit(struct memcg_engine *e)
{
	struct memcg_rstat *rs = e->rstat;
	unsigned slot;

	if (!rs)
		return;
	for (slot = 0; slot < e->nr_cpus; slot++)
		pthread_mutex_destroy(&rs->tree[slot].lock);
	pthread_mutex_destroy(&rs->lock);
	free(rs->tree);
	free(rs->lists);
	free(rs);
	e->rstat = NULL;
}

/**
 * memcg_rstat_setup - a new cgroup's update slots
 * @memcg: cgroup being allocated, zeroed with its vmstats and rstat_cpu
 *         (one allocation, memcg_tree.c)
 * @parent: its parent, or NULL for the root; it outlives @memcg
 */
void memcg_rstat_setup(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	unsigned slot, nr = memcg->engine->nr_cpus;

	atomic_init(&memcg->vmstats->sums, NULL);	/* a leaf */
	/* an empty updated_children list ends at the cgroup itself */
	for (slot = 0; slot < nr; slot++) {
		struct memcg_rstat_cpu *rc = &memcg->rstat_cpu[slot];

		rc->updated_children = memcg;
		rc->parent = parent ? &parent->rstat_cpu[slot] : NULL;
		rc->vmstats = memcg->vmstats;
	}
}

/**
 * memcg_rstat_alloc_sums - give @memcg flushed sums before its first
 * child: what a leaf's readers derived from its slots' prev[]
 * @memcg: cgroup getting a child; call with cgroup_mutex held
 *
 * Under rstat->lock no flush moves prev[] meanwhile, and the sums take
 * the value the leaf's readers saw (rstat.h): the next flush adds what
 * changed since, as it would have. The cgroup's own lockless updates do
 * not enter its sums (rstat.h), so one racing with this is not lost.
 *
 * Return: 0 or -ENOMEM.
 */
int memcg_rstat_alloc_sums(struct mem_cgroup *memcg)
{
	struct memcg_rstat *rs = memcg->engine->rstat;
	struct memcg_vmstats_sums *sums;
	long acc[MEMCG_NR_STAT] = { 0 };
	unsigned slot;
	int i;

	if (atomic_load_explicit(&memcg->vmstats->sums, memory_order_relaxed))
		return 0;	/* sums stay once a cgroup had a child */
	sums = calloc(1, sizeof(*sums));
	if (!sums)
		return -ENOMEM;
	pthread_mutex_lock(&rs->lock);
	for (slot = 0; slot < memcg->engine->nr_cpus; slot++)
		for (i = 0; i < MEMCG_NR_STAT; i++)
			acc[i] += atomic_load_explicit(
				&memcg->rstat_cpu[slot].prev[i],
				memory_order_relaxed);
	for (i = 0; i < MEMCG_NR_STAT; i++)
		atomic_init(&sums->state[i], acc[i]);
	/* release: lockless readers and updaters load it with acquire */
	atomic_store_explicit(&memcg->vmstats->sums, sums,
			      memory_order_release);
	pthread_mutex_unlock(&rs->lock);
	return 0;
}

/**
 * memcg_rstat_free - free a cgroup's sums, if it had any
 * @memcg: cgroup off every updated tree (css_rstat_flush_released())
 */
void memcg_rstat_free(struct mem_cgroup *memcg)
{
	free(atomic_exchange(&memcg->vmstats->sums, NULL));
}

/**
 * memcg_vmstats_read - @memcg's flushed values of @items, with no flush
 * @memcg: cgroup
 * @items: the items to read
 * @nr: how many
 * @out: receives @nr values
 *
 * state[] + stat_shared[], or for a leaf its slots' prev[] summed +
 * stat_shared[] (rstat.h). A read racing with a flush may see some slots
 * before it and some after, as a read of state[] sees part of a flush.
 */
void memcg_vmstats_read(struct mem_cgroup *memcg,
			const enum memcg_stat_item *items, size_t nr,
			long *out)
{
	struct memcg_vmstats_sums *sums = atomic_load_explicit(
		&memcg->vmstats->sums, memory_order_acquire);
	atomic_long *shared = atomic_load_explicit(&memcg->stat_shared,
						   memory_order_acquire);
	unsigned slot, nr_cpus = memcg->engine->nr_cpus;
	size_t i;

	for (i = 0; i < nr; i++)
		out[i] = atomic_load_explicit(&shared[items[i]],
					      memory_order_relaxed);
	if (sums) {
		for (i = 0; i < nr; i++)
			out[i] += atomic_load_explicit(&sums->state[items[i]],
						       memory_order_relaxed);
		return;
	}
	for (slot = 0; slot < nr_cpus; slot++) {
		atomic_long *prev = memcg->rstat_cpu[slot].prev;

		for (i = 0; i < nr; i++)
			out[i] += atomic_load_explicit(&prev[items[i]],
						       memory_order_relaxed);
	}
}

/**
 * css_rstat_updated - link @memcg and its ancestors into @slot's updated
 * tree, as far up as they are not on it
 * @memcg: cgroup whose counters of @slot changed
 * @slot: a CPU
 *
 * Both links and unlinks go bottom-up under the tree's lock: when a cgroup
 * is on the tree, so are its ancestors. The root is marked busy by
 * pointing at itself.
 */
void css_rstat_updated(struct mem_cgroup *memcg, unsigned slot)
{
	struct memcg_rstat_tree *t = &memcg->engine->rstat->tree[slot];

	pthread_mutex_lock(&t->lock);
	for (;;) {
		struct memcg_rstat_cpu *rc = &memcg->rstat_cpu[slot], *prc;
		struct mem_cgroup *parent = memcg->parent;

		if (atomic_load_explicit(&rc->updated_next,
					 memory_order_relaxed))
			break;
		if (!parent) {
			atomic_store(&rc->updated_next, memcg);
			break;
		}
		prc = &parent->rstat_cpu[slot];
		atomic_store(&rc->updated_next, prc->updated_children);
		prc->updated_children = memcg;
		memcg = parent;
	}
	pthread_mutex_unlock(&t->lock);
}

/**
 * memcg_rstat_updated_shared - an update made without a CPU lock, to
 * @memcg's own shared counter (memcg_stat.c), goes straight into the sums
 * @memcg: cgroup
 * @idx: item
 * @val: the change
 *
 * The sums of every ancestor take @val at once, by atomic adds that the
 * flusher's adds (rstat_flush_one()) cannot lose: no slot, no updated
 * tree and no flush is needed for it. @memcg's own value reads its
 * stat_shared (rstat.h). Each ancestor has sums: they were allocated
 * before its first child (memcg_stat_alloc_parent()) and are kept.
 */
void memcg_rstat_updated_shared(struct mem_cgroup *memcg,
				enum memcg_stat_item idx, long val)
{
	while ((memcg = memcg->parent)) {
		struct memcg_vmstats_sums *sums = atomic_load_explicit(
			&memcg->vmstats->sums, memory_order_acquire);

		atomic_fetch_add_explicit(&sums->state[idx], val,
					  memory_order_relaxed);
	}
}

/* Unlink @root from its parent's updated_children in @slot; tree lock held. */
static void rstat_unlink(struct mem_cgroup *root, unsigned slot)
{
	struct mem_cgroup *parent = root->parent, *prev = NULL, *pos;
	struct memcg_rstat_cpu *prc = &parent->rstat_cpu[slot];
	struct mem_cgroup *next = atomic_load_explicit(
		&root->rstat_cpu[slot].updated_next, memory_order_relaxed);

	for (pos = prc->updated_children; pos != root && pos != parent;
	     pos = atomic_load_explicit(&pos->rstat_cpu[slot].updated_next,
					memory_order_relaxed))
		prev = pos;
	if (pos != root)
		return;		/* not linked: cannot happen, both go bottom-up */
	if (prev)
		atomic_store_explicit(&prev->rstat_cpu[slot].updated_next, next,
				      memory_order_relaxed);
	else
		prc->updated_children = next;
}

/*
 * Take @root's updated subtree off @slot's tree; tree lock held. Return it
 * as a list through flush_next, children before their parents: the
 * subtree in breadth-first order (a queue that grows at its tail as it is
 * walked), reversed.
 */
static struct mem_cgroup *rstat_pop_updated(struct mem_cgroup *root,
					    unsigned slot)
{
	struct mem_cgroup *cur, *tail = root, *prev = NULL, *next;

	if (!atomic_load_explicit(&root->rstat_cpu[slot].updated_next,
				  memory_order_relaxed))
		return NULL;
	if (root->parent)
		rstat_unlink(root, slot);
	atomic_store(&root->rstat_cpu[slot].updated_next, NULL);
	root->rstat_cpu[slot].flush_next = NULL;
	for (cur = root; cur; cur = cur->rstat_cpu[slot].flush_next) {
		struct memcg_rstat_cpu *rc = &cur->rstat_cpu[slot];
		struct mem_cgroup *child = rc->updated_children;

		rc->updated_children = cur;
		while (child != cur) {
			struct memcg_rstat_cpu *crc = &child->rstat_cpu[slot];

			next = atomic_load_explicit(&crc->updated_next,
						    memory_order_relaxed);
			atomic_store(&crc->updated_next, NULL);
			crc->flush_next = NULL;
			tail->rstat_cpu[slot].flush_next = child;
			tail = child;
			child = next;
		}
	}
	for (cur = root; cur; cur = next) {
		next = cur->rstat_cpu[slot].flush_next;
		cur->rstat_cpu[slot].flush_next = prev;
		prev = cur;
	}
	return prev;
}

/*
 * After the trees are taken, before the counters are read: an updater
 * that saw its cgroup still on the tree did so under its CPU's area lock,
 * so taking every area lock once waits for it to finish, and an updater
 * after that sees the cgroup off the tree and links it again.
 */
static void rstat_barrier(struct memcg_engine *e)
{
	memcg_cpu_lock_all(e);
	memcg_cpu_unlock_all(e);
}

/*
 * A leaf's part of rstat_flush_one(): its changes on @rc's slot go to
 * @ppending, its parent's pending deltas (NULL: the root); its own value
 * is its prev[] (rstat.h).
 */
static void rstat_flush_leaf(struct memcg_rstat_cpu *rc, atomic_long *src,
			     long *ppending)
{
	int i;

	for (i = 0; i < MEMCG_NR_STAT; i++) {
		long v = atomic_load_explicit(&src[i], memory_order_relaxed);
		long p = atomic_load_explicit(&rc->prev[i],
					      memory_order_relaxed);

		if (v == p)
			continue;
		atomic_store_explicit(&rc->prev[i], v, memory_order_relaxed);
		if (ppending)
			ppending[i] += v - p;
	}
}

/* A parent's part of rstat_flush_one(): into @sums, then to @ppending. */
static void rstat_flush_sums(struct memcg_rstat_cpu *rc, atomic_long *src,
			     struct memcg_vmstats_sums *sums, long *ppending)
{
	int i;

	for (i = 0; i < MEMCG_NR_STAT; i++) {
		long delta = sums->state_pending[i];
		long v = atomic_load_explicit(&src[i], memory_order_relaxed);
		long p = atomic_load_explicit(&rc->prev[i],
					      memory_order_relaxed);

		if (delta)
			sums->state_pending[i] = 0;
		if (v != p) {
			delta += v - p;
			atomic_store_explicit(&rc->prev[i], v,
					      memory_order_relaxed);
		}
		if (!delta)
			continue;
		/* an add: lockless updates add to it too */
		atomic_fetch_add_explicit(&sums->state[i], delta,
					  memory_order_relaxed);
		if (ppending)
			ppending[i] += delta;
	}
}

/*
 * mem_cgroup_css_rstat_flush(): add @memcg's changes on @slot since the
 * last flush, and what its children handed up, to its sums, and hand them
 * to its parent. Children's pending deltas are taken by the first slot
 * that visits @memcg; a later slot visits it after its children there.
 * The sums' pointers are stable here: set under rstat->lock.
 */
static void rstat_flush_one(struct mem_cgroup *memcg, unsigned slot)
{
	struct memcg_rstat_cpu *rc = &memcg->rstat_cpu[slot];
	struct memcg_vmstats *vs = memcg->vmstats;
	struct mem_cgroup *parent = memcg->parent;
	atomic_long *src = memcg->pcpu[slot].stat;
	struct memcg_vmstats_sums *sums = atomic_load_explicit(
		&vs->sums, memory_order_relaxed);
	struct memcg_vmstats_sums *psums = parent ? atomic_load_explicit(
		&parent->vmstats->sums, memory_order_relaxed) : NULL;
	long *ppending = psums ? psums->state_pending : NULL;

	if (sums)
		rstat_flush_sums(rc, src, sums, ppending);
	else
		rstat_flush_leaf(rc, src, ppending);
	/* racing with the CPU's own count: a lost count only delays a flush */
	atomic_store_explicit(&rc->stats_updates, 0, memory_order_relaxed);
	if (atomic_load_explicit(&vs->stats_updates, memory_order_relaxed))
		atomic_store_explicit(&vs->stats_updates, 0,
				      memory_order_relaxed);
}

/* cgroup_rstat_flush_locked(); call with rstat->lock held. */
static void rstat_flush_locked(struct mem_cgroup *root, bool barrier)
{
	struct memcg_engine *e = root->engine;
	struct memcg_rstat *rs = e->rstat;
	unsigned slot, nr = e->nr_cpus;
	struct mem_cgroup *pos;
	unsigned long visited = 0;
	bool any = false;

	for (slot = 0; slot < nr; slot++) {
		rs->lists[slot] = NULL;
		/* unlocked peek: an update racing with the read is not lost */
		if (!atomic_load_explicit(&root->rstat_cpu[slot].updated_next,
					  memory_order_relaxed))
			continue;
		pthread_mutex_lock(&rs->tree[slot].lock);
		rs->lists[slot] = rstat_pop_updated(root, slot);
		pthread_mutex_unlock(&rs->tree[slot].lock);
		any |= rs->lists[slot] != NULL;
	}
	if (!any)
		return;
	if (barrier)
		rstat_barrier(e);
	for (slot = 0; slot < nr; slot++)
		for (pos = rs->lists[slot]; pos;
		     pos = pos->rstat_cpu[slot].flush_next) {
			rstat_flush_one(pos, slot);
			visited++;
		}
	atomic_fetch_add_explicit(&rs->nr_flushes, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&rs->nr_visited, visited, memory_order_relaxed);
}

/* do_flush_stats(): a flush of the root also restarts the periodic clock */
static void do_flush_stats(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;

	pthread_mutex_lock(&e->rstat->lock);
	if (mem_cgroup_is_root(memcg))
		atomic_store_explicit(&e->rstat->last_flush_ns,
				      memcg_clock_now(e), memory_order_relaxed);
	rstat_flush_locked(memcg, true);
	pthread_mutex_unlock(&e->rstat->lock);
}

/**
 * css_rstat_flush - bring @memcg's sums up to date: flush every cgroup of
 * its subtree that changed since the last flush
 * @memcg: cgroup; call with no CPU area lock held
 *
 * Once it returns, memcg->vmstats->state[] holds every update that
 * completed before the call.
 */
void css_rstat_flush(struct mem_cgroup *memcg)
{
	do_flush_stats(memcg);
}

/**
 * css_rstat_flush_released - the last flush of a released cgroup: its
 * pending deltas go to its parent (the kernel flushes in
 * css_release_work_fn()), and it leaves every updated tree
 * @memcg: cgroup whose last reference went; call with cgroup_mutex held
 *
 * No barrier: every update of @memcg happened before its last css_put().
 */
void css_rstat_flush_released(struct mem_cgroup *memcg)
{
	struct memcg_rstat *rs = memcg->engine->rstat;

	pthread_mutex_lock(&rs->lock);
	rstat_flush_locked(memcg, false);
	pthread_mutex_unlock(&rs->lock);
}

/**
 * mem_cgroup_flush_stats - the kernel's flush before a read: only once
 * the subtree's pending updates pass memcg_rstat_threshold()
 * @memcg: cgroup
 */
void mem_cgroup_flush_stats(struct mem_cgroup *memcg)
{
	if (memcg_vmstats_needs_flush(memcg))
		do_flush_stats(memcg);
}

/**
 * mem_cgroup_flush_stats_ratelimited - mem_cgroup_flush_stats() only when
 * the periodic flush is a whole period late
 * @memcg: cgroup
 */
void mem_cgroup_flush_stats_ratelimited(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	uint64_t last = atomic_load_explicit(&e->rstat->last_flush_ns,
					     memory_order_relaxed);

	if (memcg_clock_now(e) > last + 2 * MEMCG_FLUSH_TIME_NS)
		mem_cgroup_flush_stats(memcg);
}

/**
 * memcg_stats_flush_for_read - the flush before a hierarchical read
 * @memcg: the subtree read
 *
 * By default a read flushes whatever changed, so that it is exact: the
 * cost is the changed cgroups', as small as the kernel's error bound
 * allows us to be. With e->stats_kernel_flush the read flushes only past
 * the kernel's threshold (mem_cgroup_flush_stats()) and may be stale by
 * up to that many updates, as on the kernel.
 */
void memcg_stats_flush_for_read(struct mem_cgroup *memcg)
{
	if (memcg->engine->stats_kernel_flush)
		mem_cgroup_flush_stats(memcg);
	else
		css_rstat_flush(memcg);
}

/**
 * memcg_rstat_periodic - the kernel's flush_memcg_stats_dwork(): flush the
 * root once per MEMCG_FLUSH_TIME_NS of the engine's clock
 * @e: engine; call with no lock held (the charge path's slow part does)
 *
 * The engine has no worker thread: the charge path calls this on its way
 * to the counters, so a busy engine flushes every period, on the virtual
 * clock in a simulation (deterministically) and on real time otherwise.
 * A flush already running makes this one unnecessary.
 */
void memcg_rstat_periodic(struct memcg_engine *e)
{
	struct memcg_rstat *rs = e->rstat;
	uint64_t now = memcg_clock_now(e);

	if (now - atomic_load_explicit(&rs->last_flush_ns,
				       memory_order_relaxed) < MEMCG_FLUSH_TIME_NS)
		return;
	if (pthread_mutex_trylock(&rs->lock))
		return;
	atomic_store_explicit(&rs->last_flush_ns, now, memory_order_relaxed);
	rstat_flush_locked(e->root, true);
	pthread_mutex_unlock(&rs->lock);
}
