// SPDX-License-Identifier: MIT
/*
 * Memory cgroup reclaim, the driver (mm/vmscan.c): walk the target's
 * subtree at decreasing priorities, skip cgroups below their effective
 * min, and below their effective low until nothing else is left; scan
 * each cgroup's lists in the amounts get_scan_count() gives (or by
 * generations, vmscan_lru_gen.c), then call its shrinkers. See vmscan.h
 * for the other parts.
 */
#include <errno.h>
#include <string.h>

#include "core/memcg_walk.h"
#include "mm/host_lru.h"
#include "mm/lru_gen.h"
#include "mm/shrinker.h"
#include "mm/vmscan.h"
#include "mm/workingset.h"

/* Lists whose scan continues the loop: active anon is aged only on demand. */
static bool scan_left(const long nr[NR_SCAN_LISTS])
{
	return nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] ||
	       nr[LRU_INACTIVE_FILE] || nr[SCAN_HOST_INACTIVE] ||
	       nr[SCAN_HOST_ACTIVE];
}

static long nr_file(const long nr[NR_SCAN_LISTS])
{
	return nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE] +
	       nr[SCAN_HOST_INACTIVE] + nr[SCAN_HOST_ACTIVE];
}

/* Rescale one type's remaining scan to @percentage left of its target. */
static void scale_type(long nr[NR_SCAN_LISTS], const long targets[NR_SCAN_LISTS],
		       bool file, long percentage)
{
	int list;

	for (list = 0; list < NR_SCAN_LISTS; list++) {
		long scanned, left;

		if (list == LRU_UNEVICTABLE ||
		    (list >= NR_LRU_LISTS || is_file_lru((enum lru_list)list)) != file)
			continue;
		scanned = targets[list] - nr[list];
		left = targets[list] * (100 - percentage) / 100;
		nr[list] = left - (scanned < left ? scanned : left);
	}
}

/*
 * Once enough is reclaimed, stop the type with less left to scan and
 * scan the other in proportion to what the first got through, so the
 * balance get_scan_count() chose holds. Return: false to stop.
 */
static bool scan_adjust(long nr[NR_SCAN_LISTS], const long targets[NR_SCAN_LISTS])
{
	long file = nr_file(nr);
	long anon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
	long target, percentage;
	bool stop_file;
	int list;

	if (!file || !anon)
		return false;
	stop_file = file <= anon;
	if (stop_file) {
		target = nr_file(targets) + 1;
		percentage = file * 100 / target;
	} else {
		target = targets[LRU_INACTIVE_ANON] + targets[LRU_ACTIVE_ANON] + 1;
		percentage = anon * 100 / target;
	}
	for (list = 0; list < NR_SCAN_LISTS; list++)
		if (list != LRU_UNEVICTABLE &&
		    (list >= NR_LRU_LISTS || is_file_lru((enum lru_list)list)) == stop_file)
			nr[list] = 0;
	scale_type(nr, targets, !stop_file, percentage);
	return true;
}

static void shrink_lruvec(struct mem_cgroup *memcg, struct scan_control *sc)
{
	long nr[NR_SCAN_LISTS], targets[NR_SCAN_LISTS], nr_reclaimed = 0;
	bool adjusted = false;
	int list;

	get_scan_count(memcg, sc, nr);
	memcpy(targets, nr, sizeof(nr));
	while (scan_left(nr)) {
		for (list = 0; list < NR_SCAN_LISTS; list++) {
			long n = nr[list] < SWAP_CLUSTER_MAX ? nr[list] :
							       SWAP_CLUSTER_MAX;

			if (!n)
				continue;
			nr[list] -= n;
			nr_reclaimed += shrink_list(memcg, list, n, sc);
		}
		/* cgroup reclaim does not stop at the goal: it rebalances once */
		if (nr_reclaimed < sc->nr_to_reclaim || adjusted)
			continue;
		if (!scan_adjust(nr, targets))
			break;
		adjusted = true;
	}
	sc->nr_reclaimed += nr_reclaimed;
	/*
	 * Keep the anon lists balanced even when anon was not scanned; with
	 * no active anon page of its own there is nothing to move (and no
	 * subtree to sum).
	 */
	if (memcg->engine->swap &&
	    __atomic_load_n(&memcg->lruvec.nr_pages[LRU_ACTIVE_ANON], __ATOMIC_RELAXED) &&
	    inactive_is_low(memcg, LRU_INACTIVE_ANON))
		shrink_active_list(memcg, LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX);
}

/* A partial walk's place in the round (mem_cgroup_reclaim_cookie). */
struct reclaim_cookie {
	unsigned generation;
};

/*
 * The next cgroup of a reclaim walk of @root after @pos. A cgroup below
 * the root with nothing charged has a subtree with nothing charged (the
 * counters are hierarchical): shrink_memcg() would pass each of them as
 * below its min, with no effect, so the walk skips them all at once and
 * a failing charge deep in an empty chain costs no walk of the chain.
 */
static struct mem_cgroup *reclaim_next(struct mem_cgroup *pos,
				       struct mem_cgroup *root)
{
	if (pos && pos != root && !page_counter_read(&pos->memory))
		return memcg_next_descendant_skip(pos, root);
	return memcg_next_descendant_pre(pos, root);
}

/*
 * The next cgroup to reclaim from: after @prev in a full walk; with
 * @reclaim, after wherever the last walk of @root by any reclaimer
 * stopped, ending at the end of the subtree or when another walker
 * completed the round (mem_cgroup_iter()). Under rcu_read_lock().
 */
static struct mem_cgroup *mem_cgroup_iter(struct mem_cgroup *root,
					  struct mem_cgroup *prev,
					  struct reclaim_cookie *reclaim)
{
	struct mem_cgroup *pos, *next;
	unsigned gen;

restart:
	if (!reclaim)
		return reclaim_next(prev, root);
	gen = atomic_load(&root->reclaim_iter_gen);
	if (!prev)
		reclaim->generation = gen;
	else if (reclaim->generation != gen)
		return NULL;
	pos = atomic_load(&root->reclaim_iter);
	next = reclaim_next(pos, root);
	/* a competing walker moved it: do not reclaim one cgroup twice */
	if (!atomic_compare_exchange_strong(&root->reclaim_iter, &pos, next))
		goto restart;
	if (!next) {
		atomic_fetch_add(&root->reclaim_iter_gen, 1);
		if (!prev)
			goto restart;	/* a new walk sees at least one cgroup */
	}
	return next;
}

/**
 * invalidate_reclaim_iterators - a released cgroup is no walk's place
 * @dead: cgroup being released, already off its parent's children
 */
void invalidate_reclaim_iterators(struct mem_cgroup *dead)
{
	struct mem_cgroup *p, *expected;

	for (p = dead->parent; p; p = p->parent) {
		expected = dead;
		/* a load first: a locked CAS per level is dear in a deep tree */
		if (atomic_load_explicit(&p->reclaim_iter, memory_order_relaxed) == dead)
			atomic_compare_exchange_strong(&p->reclaim_iter, &expected,
						       NULL);
	}
}

/* One cgroup of the walk: its protection, then its lists and shrinkers. */
static void shrink_memcg(struct mem_cgroup *memcg, struct scan_control *sc)
{
	struct memcg_engine *e = memcg->engine;
	long usage;

	page_counter_calculate_protection(&sc->target->memory_prot,
					  &memcg->memory_prot,
					  e->cfg.memory_recursiveprot);
	usage = page_counter_read(&memcg->memory);
	if (memcg != sc->target &&
	    atomic_load(&memcg->memory_prot.emin) >= usage)
		return;		/* below min: hard protection */
	if (memcg != sc->target &&
	    atomic_load(&memcg->memory_prot.elow) >= usage) {
		if (!sc->memcg_low_reclaim) {
			sc->memcg_low_skipped = true;
			return;
		}
		memcg_memory_event(memcg, MEMCG_LOW);
	}
	if (lru_gen_enabled(e))
		lru_gen_shrink_lruvec(memcg, sc);
	else
		shrink_lruvec(memcg, sc);
	/* not counted in nr_reclaimed: freed slab is not attributable */
	shrink_slab(memcg, sc->gfp, sc->priority);
}

/*
 * Walk the target's subtree, parents first. 6.1 walks all of it each
 * pass; 6.12 lets direct reclaim go on where the last walk stopped and
 * stop once the goal is met, a full walk only when that reclaimed nothing.
 */
static void shrink_node_memcgs(struct scan_control *sc)
{
	struct reclaim_cookie cookie, *partial = NULL;
	struct mem_cgroup *memcg;

	if (sc->target->engine->cfg.kernel == MEMCG_KERNEL_6_12 &&
	    !sc->memcg_full_walk)
		partial = &cookie;
	rcu_read_lock();
	memcg = mem_cgroup_iter(sc->target, NULL, partial);
	do {
		/*
		 * mem_cgroup_iter()'s css_tryget(): a cgroup on its way to
		 * release is skipped, and one being shrunk is not released
		 * until its reclaim stats are counted. RCU alone keeps it
		 * allocated, not live: a stat counted after its release
		 * (memcg_stat_fold_dead()) would be lost to its parent's
		 * exact values and would link a freed cgroup into rstat's
		 * updated tree.
		 */
		if (!css_tryget(memcg))
			continue;
		shrink_memcg(memcg, sc);
		css_put(memcg);
		if (partial && sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	} while ((memcg = mem_cgroup_iter(sc->target, memcg, partial)));
	rcu_read_unlock();
}

/*
 * One pass at this priority (shrink_node): under MGLRU, reclaim with the
 * root as target picks cgroups from the memcg LRU (root_reclaim()); any
 * other walks the target's subtree.
 */
static void shrink_node(struct scan_control *sc)
{
	if (lru_gen_enabled(sc->target->engine) && mem_cgroup_is_root(sc->target)) {
		lru_gen_shrink_node(sc);
		return;
	}
	prepare_scan_count(sc);
	shrink_node_memcgs(sc);
}

static __thread struct mem_cgroup *current_reclaim_target;

struct mem_cgroup *reclaim_target(void)
{
	return current_reclaim_target;
}

/*
 * Activations by refault so far: the next reclaim sees whether more came.
 * Read once per reclaim, by the first pass with pages to age (reclaim
 * itself refaults nothing, and the passes need not each walk the subtree
 * for the sums); a reclaim that found no page leaves the last snapshot,
 * as the kernel's lazily flushed stats would leave a stale one.
 */
static void snapshot_refaults(struct scan_control *sc)
{
	if (!sc->refaults_read)
		return;
	atomic_store(&sc->target->lruvec.refaults[0], sc->refaults[0]);
	atomic_store(&sc->target->lruvec.refaults[1], sc->refaults[1]);
}

static long do_try_to_free_pages(struct scan_control *sc)
{
retry:
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		sc->nr_unqueued_dirty = sc->nr_file_taken = 0;
		shrink_node(sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	snapshot_refaults(sc);
	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	if (sc->target->engine->cfg.kernel == MEMCG_KERNEL_6_12 &&
	    !sc->memcg_full_walk) {
		/* partial walks saw too few cgroups: do not OOM on that */
		sc->memcg_full_walk = true;
		goto retry;
	}
	if (sc->skipped_deactivate) {
		/* the lists' ratio said no aging: age them anyway */
		sc->force_deactivate = true;
		sc->skipped_deactivate = false;
		goto retry;
	}
	if (sc->memcg_low_skipped) {
		/* everything left is below low: reclaim it anyway */
		sc->force_deactivate = false;
		sc->memcg_low_reclaim = true;
		sc->memcg_low_skipped = false;
		goto retry;
	}
	return 0;
}

/**
 * mem_cgroup_reclaim_is_trivial - whether reclaim from @memcg has nothing
 * to scan and no shrinker to call
 * @memcg: the reclaim target
 *
 * True when nothing is charged in the subtree (so no folio is on any of
 * its lists, and the walk skips every descendant, reclaim_next()), no
 * host unit is on the target's own lists and no shrinker is registered:
 * a pass costs O(1), and under MGLRU only ages the target's empty lists.
 * The answer may be stale as soon as it is given: a charge may land in
 * the subtree right after.
 */
bool mem_cgroup_reclaim_is_trivial(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	bool no_shrinker;

	if (page_counter_read(&memcg->memory) ||
	    host_lru_pages(&memcg->lruvec, HOST_LRU_INACTIVE) ||
	    host_lru_pages(&memcg->lruvec, HOST_LRU_ACTIVE))
		return false;
	pthread_rwlock_rdlock(&e->shrinker_rwsem);
	no_shrinker = cds_list_empty(&e->shrinkers);
	pthread_rwlock_unlock(&e->shrinker_rwsem);
	return no_shrinker;
}

/**
 * mem_cgroup_reclaim_is_noop - whether reclaim from @memcg can change nothing
 * @memcg: the reclaim target
 *
 * True when a pass of try_to_free_mem_cgroup_pages() on @memcg would
 * neither reclaim nor change any state: a trivial reclaim
 * (mem_cgroup_reclaim_is_trivial()) under classic reclaim (MGLRU ages
 * even empty lists, opening generations).
 */
bool mem_cgroup_reclaim_is_noop(struct mem_cgroup *memcg)
{
	return !lru_gen_enabled(memcg->engine) &&
	       mem_cgroup_reclaim_is_trivial(memcg);
}

/**
 * try_to_free_mem_cgroup_pages - reclaim from @memcg's subtree
 * @memcg: the reclaim target; its own protection is ignored
 * @nr_pages: pages wanted (at least SWAP_CLUSTER_MAX are aimed for)
 * @gfp: MEMCG_GFP_* flags of the charge that needs the pages
 * @options: MEMCG_RECLAIM_MAY_SWAP, MEMCG_RECLAIM_PROACTIVE,
 *	MEMCG_RECLAIM_KSWAPD (the machine is full: the root as target, full
 *	walks, under MGLRU every pass aims at the whole goal)
 * @swappiness: 0..200, SWAPPINESS_ANON_ONLY, or -1 for the default
 *
 * Return: pages reclaimed.
 */
long try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg, long nr_pages,
				  unsigned gfp, unsigned options, int swappiness)
{
	struct scan_control sc = {
		.target = memcg,
		.nr_to_reclaim = nr_pages > SWAP_CLUSTER_MAX ? nr_pages :
							       SWAP_CLUSTER_MAX,
		.swappiness = swappiness,
		.may_swap = options & MEMCG_RECLAIM_MAY_SWAP,
		.gfp = gfp,
		.proactive = options & MEMCG_RECLAIM_PROACTIVE,
		/* kswapd walks every cgroup each pass */
		.memcg_full_walk = options & MEMCG_RECLAIM_KSWAPD,
		.kswapd = options & MEMCG_RECLAIM_KSWAPD,
	};

	long reclaimed;

	if (gfp & MEMCG_GFP_NOWAIT)
		return 0;	/* may not block */
	current_reclaim_target = memcg;	/* shadows name it (workingset.c) */
	reclaimed = do_try_to_free_pages(&sc);
	current_reclaim_target = NULL;
	return reclaimed;
}

int memcg_set_folio_client(struct memcg_engine *e,
			   const struct memcg_folio_client_ops *ops, void *priv)
{
	if (!e)
		return -EINVAL;
	if (ops && e->folio_client && e->folio_client != ops)
		return -EBUSY;
	e->folio_client = ops;
	e->folio_client_priv = ops ? priv : NULL;
	return 0;
}

void *memcg_folio_client_priv(struct memcg_engine *e,
			      const struct memcg_folio_client_ops *ops)
{
	return e && ops && e->folio_client == ops ? e->folio_client_priv : NULL;
}
