// SPDX-License-Identifier: MIT
/*
 * Scan balance (mm/vmscan.c): how many pages of each list reclaim scans in
 * a pass. Anon and file share the pressure by swappiness and by what
 * reclaiming each has cost lately (lru_note_cost); plenty of inactive page
 * cache means file only (cache trim mode); protection scales a cgroup's
 * share down by the part of its usage that memory.min/low protect.
 *
 * Subtree list sizes are summed by a walk, as the kernel reads its
 * hierarchical lruvec stats; rstat (issue 15) will make them a read.
 */
#include <string.h>

#include "core/memcg_walk.h"
#include "mm/host_lru.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"

/* Pages on @list of @memcg's own lists. */
static long scan_list_size(struct mem_cgroup *memcg, int list)
{
	if (list == SCAN_HOST_INACTIVE)
		return host_lru_pages(&memcg->lruvec, HOST_LRU_INACTIVE);
	if (list == SCAN_HOST_ACTIVE)
		return host_lru_pages(&memcg->lruvec, HOST_LRU_ACTIVE);
	/* read without the lock: a scan target, as the kernel's */
	return __atomic_load_n(&memcg->lruvec.nr_pages[list], __ATOMIC_RELAXED);
}

void subtree_sizes(struct mem_cgroup *root, long sizes[NR_SCAN_LISTS])
{
	struct mem_cgroup *memcg;
	int list;

	memset(sizes, 0, NR_SCAN_LISTS * sizeof(*sizes));
	rcu_read_lock();
	memcg_for_each_descendant_pre(memcg, root)
		for (list = 0; list < NR_SCAN_LISTS; list++)
			sizes[list] += scan_list_size(memcg, list);
	rcu_read_unlock();
}

/**
 * lruvec_page_state - pages on @lru of @memcg and its descendants
 * @memcg: cgroup
 * @lru: list
 */
long lruvec_page_state(struct mem_cgroup *memcg, enum lru_list lru)
{
	long sizes[NR_SCAN_LISTS];

	subtree_sizes(memcg, sizes);
	return sizes[lru];
}

/**
 * mem_cgroup_get_nr_swap_pages - swap slots @memcg may still fill: the
 * device's free slots, within memory.swap.max up the hierarchy (v2)
 * @memcg: cgroup
 */
long mem_cgroup_get_nr_swap_pages(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	/* approximate, as the kernel's get_nr_swap_pages() (swapfile.h) */
	long nr = e->swap ? (long)swap_nr_free_approx(e->swap) : 0;

	if (e->v1)
		return nr;
	/* none left: the walk up to the root cannot give more */
	for (; nr > 0 && memcg && !mem_cgroup_is_root(memcg);
	     memcg = memcg->parent) {
		long room = atomic_load(&memcg->swap.max) -
			    page_counter_read(&memcg->swap);

		if (room < nr)
			nr = room > 0 ? room : 0;
	}
	return nr;
}

int sc_swappiness(const struct scan_control *sc, struct mem_cgroup *memcg)
{
	if (sc->swappiness >= 0)
		return sc->swappiness;
	/* v2 has no per-cgroup swappiness: vm.swappiness (60) */
	return memcg->engine->v1 ? memcg->swappiness : 60;
}

/* Host units are dropped, not swapped: they balance as page cache does. */
static bool scan_list_is_file(int list)
{
	return list >= NR_LRU_LISTS || is_file_lru((enum lru_list)list);
}

/* The kernel's int_sqrt: the floor of the square root. */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit;

	for (bit = 1UL << (sizeof(x) * 8 - 2); bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

static bool sizes_inactive_is_low(const long sizes[NR_SCAN_LISTS],
				  enum lru_list inactive_lru)
{
	long inactive = sizes[inactive_lru], active = sizes[inactive_lru + 1];
	unsigned long gb = (unsigned long)(inactive + active) >>
			   (30 - MEMCG_PAGE_SHIFT);
	unsigned long ratio = gb ? int_sqrt(10 * gb) : 1;

	return (unsigned long)inactive * ratio < (unsigned long)active;
}

bool inactive_is_low(struct mem_cgroup *memcg, enum lru_list inactive_lru)
{
	long sizes[NR_SCAN_LISTS];

	subtree_sizes(memcg, sizes);
	return sizes_inactive_is_low(sizes, inactive_lru);
}

void refault_activations(struct mem_cgroup *memcg, long out[2])
{
	static const enum memcg_stat_item items[2] = {
		MEMCG_WORKINGSET_ACTIVATE_ANON, MEMCG_WORKINGSET_ACTIVATE_FILE,
	};

	memcg_page_state_many(memcg, items, 2, out);
}

static bool sizes_empty(const long sizes[NR_SCAN_LISTS])
{
	int list;

	for (list = 0; list < NR_SCAN_LISTS; list++)
		if (sizes[list])
			return false;
	return true;
}

void prepare_scan_count(struct scan_control *sc)
{
	struct mem_cgroup *target = sc->target;
	long sizes[NR_SCAN_LISTS] = { 0 }, file;

	pthread_mutex_lock(&target->lruvec.lock);
	sc->anon_cost = target->lruvec.anon_cost;
	sc->file_cost = target->lruvec.file_cost;
	pthread_mutex_unlock(&target->lruvec.lock);

	/*
	 * A page on a list is charged: below the root, a target with no
	 * usage has none. A pass over empty lists leaves them empty: once a
	 * sum found none, the later passes of this reclaim keep it. Pages
	 * that others put on the lists meanwhile wait for the next reclaim,
	 * as they wait in the kernel for its lazily flushed stats.
	 */
	if (!mem_cgroup_is_root(target) && !page_counter_read(&target->memory))
		sc->lists_empty = true;
	if (!sc->lists_empty) {
		subtree_sizes(target, sizes);
		sc->lists_empty = sizes_empty(sizes);
	}
	if (sc->force_deactivate) {
		sc->may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
	} else if (sc->lists_empty) {
		sc->may_deactivate = 0;		/* no list to age */
	} else {
		/* refaults mean a new workingset: age the stale one out */
		if (!sc->refaults_read)
			refault_activations(target, sc->refaults);
		sc->refaults_read = true;
		sc->may_deactivate = 0;
		if (sc->refaults[0] != atomic_load(&target->lruvec.refaults[0]) ||
		    sizes_inactive_is_low(sizes, LRU_INACTIVE_ANON))
			sc->may_deactivate |= DEACTIVATE_ANON;
		if (sc->refaults[1] != atomic_load(&target->lruvec.refaults[1]) ||
		    sizes_inactive_is_low(sizes, LRU_INACTIVE_FILE))
			sc->may_deactivate |= DEACTIVATE_FILE;
	}
	/* plenty of inactive cache that is not thrashing: trim it first */
	file = sizes[LRU_INACTIVE_FILE] + sizes[SCAN_HOST_INACTIVE];
	sc->cache_trim_mode = (file >> sc->priority) &&
			      !(sc->may_deactivate & DEACTIVATE_FILE);
}

static enum scan_balance scan_balance(struct mem_cgroup *memcg,
				      struct scan_control *sc, int swappiness)
{
	if (!sc->may_swap || mem_cgroup_get_nr_swap_pages(memcg) <= 0)
		return SCAN_FILE;
	/* cgroup reclaim: swappiness 0 means no swap at all */
	if (!swappiness)
		return SCAN_FILE;
	if (swappiness == SWAPPINESS_ANON_ONLY)
		return SCAN_ANON;
	/* close to OOM: no balancing cleverness */
	if (!sc->priority)
		return SCAN_EQUAL;
	if (sc->cache_trim_mode)
		return SCAN_FILE;
	return SCAN_FRACT;
}

/*
 * Pressure on each type in inverse proportion to what reclaiming it has
 * cost, times swappiness; each gets at least a third before swappiness.
 */
static void scan_fractions(const struct scan_control *sc, int swappiness,
			   uint64_t fraction[2], uint64_t *denominator)
{
	uint64_t total = (uint64_t)sc->anon_cost + (uint64_t)sc->file_cost;
	uint64_t anon_cost = total + (uint64_t)sc->anon_cost;
	uint64_t file_cost = total + (uint64_t)sc->file_cost;

	total = anon_cost + file_cost;
	fraction[0] = (uint64_t)swappiness * (total + 1) / (anon_cost + 1);
	fraction[1] = (uint64_t)(200 - swappiness) * (total + 1) / (file_cost + 1);
	*denominator = fraction[0] + fraction[1];
}

/* A list's share before balancing: scaled by protection and priority. */
static long scan_target(struct mem_cgroup *memcg, struct scan_control *sc,
			long size)
{
	long min = 0, low = 0, scan = size;

	/* a targeted reclaim ignores the target's own protection */
	if (memcg != sc->target) {
		min = atomic_load(&memcg->memory_prot.emin);
		low = atomic_load(&memcg->memory_prot.elow);
	}
	if (min || low) {
		long usage = page_counter_read(&memcg->memory);
		long protection;

		if (!sc->memcg_low_reclaim && low > min) {
			protection = low;
			sc->memcg_low_skipped = true;
		} else {
			protection = min;
		}
		if (usage < protection)
			usage = protection;
		/* pressure in proportion to the excess over protection */
		scan = size - (long)((__int128)size * protection / (usage + 1));
		if (scan < SWAP_CLUSTER_MAX)
			scan = SWAP_CLUSTER_MAX;	/* keep reclaim moving */
	}
	scan >>= sc->priority;
	/* a removed cgroup's last pages go whatever the priority */
	if (!scan && !atomic_load(&memcg->online))
		scan = size < SWAP_CLUSTER_MAX ? size : SWAP_CLUSTER_MAX;
	return scan;
}

/*
 * No page on any of @memcg's own lists: nothing to scan whatever the
 * balance, whose swap room (mem_cgroup_get_nr_swap_pages(), a walk to the
 * root) is not worth finding for each level of a deep empty chain.
 * scan_target() still notes a skipped low, as for lists with pages.
 */
static bool scan_nothing(struct mem_cgroup *memcg, struct scan_control *sc,
			 long nr[NR_SCAN_LISTS])
{
	int list;

	for (list = 0; list < NR_SCAN_LISTS; list++)
		if (list != LRU_UNEVICTABLE && scan_list_size(memcg, list))
			return false;
	memset(nr, 0, NR_SCAN_LISTS * sizeof(*nr));
	scan_target(memcg, sc, 0);
	return true;
}

void get_scan_count(struct mem_cgroup *memcg, struct scan_control *sc,
		    long nr[NR_SCAN_LISTS])
{
	int swappiness;
	enum scan_balance balance;
	bool online = atomic_load(&memcg->online);
	uint64_t fraction[2] = { 1, 1 }, denominator = 2, scan;
	int list;

	if (scan_nothing(memcg, sc, nr))
		return;
	swappiness = sc_swappiness(sc, memcg);
	balance = scan_balance(memcg, sc, swappiness);
	if (balance == SCAN_FRACT)
		scan_fractions(sc, swappiness, fraction, &denominator);
	for (list = 0; list < NR_SCAN_LISTS; list++) {
		bool file = scan_list_is_file(list);

		nr[list] = 0;
		if (list == LRU_UNEVICTABLE)
			continue;
		scan = (uint64_t)scan_target(memcg, sc, scan_list_size(memcg, list));
		switch (balance) {
		case SCAN_EQUAL:
			break;
		case SCAN_FRACT:
			/* round up on a removed cgroup: its last page goes too */
			scan = scan * fraction[file];
			scan = online ? scan / denominator :
					(scan + denominator - 1) / denominator;
			break;
		case SCAN_FILE:
		case SCAN_ANON:
			if ((balance == SCAN_FILE) != file)
				scan = 0;
			break;
		}
		nr[list] = (long)scan;
	}
}

/* Both types' lists of @memcg's subtree, the bound of its costs. */
static long subtree_lru_size(struct mem_cgroup *memcg)
{
	long sizes[NR_SCAN_LISTS];

	subtree_sizes(memcg, sizes);
	return sizes[LRU_INACTIVE_ANON] + sizes[LRU_ACTIVE_ANON] +
	       sizes[LRU_INACTIVE_FILE] + sizes[LRU_ACTIVE_FILE];
}

void lru_note_cost(struct mem_cgroup *memcg, bool file, long nr_io,
		   long nr_rotated)
{
	long cost = nr_io;

	/* 6.12: a page read or written costs as much as 32 rotated */
	if (memcg->engine->cfg.kernel == MEMCG_KERNEL_6_12)
		cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated;
	for (; memcg; memcg = memcg->parent) {
		struct lruvec *lruvec = &memcg->lruvec;
		long lrusize = subtree_lru_size(memcg);

		pthread_mutex_lock(&lruvec->lock);
		if (file)
			lruvec->file_cost += cost;
		else
			lruvec->anon_cost += cost;
		/* a floating average: recent work weighs more */
		if (lruvec->file_cost + lruvec->anon_cost > lrusize / 4) {
			lruvec->file_cost /= 2;
			lruvec->anon_cost /= 2;
		}
		pthread_mutex_unlock(&lruvec->lock);
	}
}
