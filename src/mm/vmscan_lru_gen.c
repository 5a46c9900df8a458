// SPDX-License-Identifier: MIT
/*
 * Memory cgroup reclaim under the multi-generational LRU (mm/vmscan.c's
 * lru_gen part, Linux 6.12), for one cgroup's lists at a time; for a
 * cgroup below the root vmscan.c walks its subtree and skips protected
 * cgroups as for the classic LRU.
 *
 * Eviction takes from the oldest generation of the type the PID
 * controller picks, sorting out folios aging promoted and folios of
 * tiers that refault more than the first (sort_folio), and reclaims the
 * rest through shrink_folio_list(). Aging opens a new generation when
 * too few are left, after the folio client walked the cgroup's page
 * tables and reported each young mapping (memcg_folio_young()). The
 * eviction's rmap walk reports young neighbours of a young mapping
 * too (look-around).
 *
 * Global reclaim (the root as target) visits cgroups in the order of the
 * memcg LRU instead (lru_gen_shrink_node, lru_gen_memcg.c), each with
 * its own protection checks (lru_gen_shrink_one).
 */
#include "mm/host_lru.h"
#include "mm/lru_gen.h"
#include "mm/lru_gen_memcg.h"
#include "mm/shrinker.h"
#include "mm/vmscan.h"
#include "mm/writeback.h"

/*
 * The reclaim thread's walk (the kernel's lru_gen_mm_walk): whose young
 * mappings memcg_folio_young() takes, and whether it renumbers them in
 * place (a walk is allocated: aging, proactive reclaim) or activates them.
 */
struct lru_gen_walk {
	struct mem_cgroup *memcg;
	bool can_swap;
	bool batched;		/* set_mm_walk() gave a walk */
};

static __thread struct lru_gen_walk *current_walk;

static int get_swappiness(struct mem_cgroup *memcg, struct scan_control *sc)
{
	int swappiness;

	if (!sc->may_swap || !memcg->engine->swap ||
	    mem_cgroup_get_nr_swap_pages(memcg) < MIN_LRU_BATCH)
		return 0;
	swappiness = sc_swappiness(sc, memcg);
	return swappiness > MAX_SWAPPINESS ? MAX_SWAPPINESS : swappiness;
}

/* Sort out a folio that is not to be evicted now. Return: sorted. */
static bool sort_folio(struct memcg_engine *e, struct lruvec *lruvec,
		       struct folio *folio, int tier_idx)
{
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	int type = folio_lru_type(folio);
	int refs = folio_lru_refs(folio);
	int tier = lru_tier_from_refs(refs);

	if (folio_test_flag(folio, PG_unevictable))
		return false;	/* shrink_folio_list() culls it */
	/* promoted by aging or look-around: onto its generation's list */
	if (folio_lru_gen(folio) != lru_gen_from_seq(lrugen->min_seq[type])) {
		lru_gen_move(e, lruvec, folio, false);
		return true;
	}
	/* a tier that refaults more than the first: one more generation */
	if (tier > tier_idx || refs == 1 << LRU_REFS_WIDTH) {
		folio_inc_gen(e, lruvec, folio, false);
		lru_gen_move(e, lruvec, folio, true);
		lrugen->protected[type][tier - 1] += folio_nr_pages(folio);
		return true;
	}
	return false;
}

/* Off the list with a reference, accesses forgotten unless referenced. */
static bool isolate_folio(struct memcg_engine *e, struct lruvec *lruvec,
			  struct folio *folio)
{
	if (!folio_try_get(folio))
		return false;	/* being freed: its final put takes it off */
	if (!folio_test_flag(folio, PG_referenced))
		folio_clear_lru_refs(folio);
	folio_clear_flag(folio, PG_referenced);
	lru_gen_del_folio(e, lruvec, folio, true);
	return true;
}

struct isolated {
	struct folio *folios[MIN_LRU_BATCH + HPAGE_PMD_NR];	/* and a split's */
	unsigned n;
};

/* Scan the oldest generation of @type. Return: pages scanned, or 0. */
static long scan_folios(struct memcg_engine *e, struct mem_cgroup *memcg,
			struct scan_control *sc, int type, int tier,
			struct isolated *iso)
{
	struct lruvec *lruvec = &memcg->lruvec;
	struct lru_gen_folio *lrugen = lruvec->lrugen;
	struct flist *l, skipped_list = { FOLIO_NONE, FOLIO_NONE };
	long scanned = 0, sorted = 0, isolated = 0, skipped = 0;
	int remaining = MAX_LRU_BATCH;

	if (get_nr_gens(lrugen, type) == MIN_NR_GENS)
		return 0;
	l = &lrugen->folios[lru_gen_from_seq(lrugen->min_seq[type])][type];
	while (l->tail != FOLIO_NONE) {
		struct folio *folio = pfn_folio(e->arena, l->tail);
		long delta = folio_nr_pages(folio);

		scanned += delta;
		if (sort_folio(e, lruvec, folio, tier)) {
			sorted += delta;
		} else if (isolate_folio(e, lruvec, folio)) {
			iso->folios[iso->n++] = folio;
			isolated += delta;
		} else {
			flist_del(e->arena, l, folio);
			flist_add(e->arena, &skipped_list, folio);
			skipped += delta;
		}
		if (!--remaining || isolated >= MIN_LRU_BATCH ||
		    skipped >= MIN_LRU_BATCH)
			break;
	}
	flist_splice(e->arena, &skipped_list, l);
	mod_memcg_state(memcg, MEMCG_PGSCAN, isolated);
	mod_memcg_state(memcg, MEMCG_PGREFILL, sorted);
	if (type == LRU_GEN_FILE)
		sc->nr_file_taken += isolated;
	return isolated || !remaining ? scanned : 0;
}

/* The last tier of @type to evict: those refaulting no more than tier 0. */
static int get_tier_idx(const struct lru_gen_folio *lrugen, int type)
{
	struct ctrl_pos sp, pv;
	int tier;

	/* a gain of 1:2 leaves a margin for fluctuations */
	read_ctrl_pos(lrugen, type, 0, 1, &sp);
	for (tier = 1; tier < MAX_NR_TIERS; tier++) {
		read_ctrl_pos(lrugen, type, tier, 2, &pv);
		if (!positive_ctrl_err(&sp, &pv))
			break;
	}
	return tier - 1;
}

/* Anon or file: the one whose first tier refaults less, by swappiness. */
static int get_type_to_scan(const struct lru_gen_folio *lrugen,
			    int swappiness, int *tier_idx)
{
	int gain[ANON_AND_FILE] = { swappiness, MAX_SWAPPINESS - swappiness };
	struct ctrl_pos sp, pv;
	int type, tier;

	read_ctrl_pos(lrugen, LRU_GEN_ANON, 0, gain[LRU_GEN_ANON], &sp);
	read_ctrl_pos(lrugen, LRU_GEN_FILE, 0, gain[LRU_GEN_FILE], &pv);
	type = positive_ctrl_err(&sp, &pv);
	read_ctrl_pos(lrugen, !type, 0, gain[!type], &sp);
	for (tier = 1; tier < MAX_NR_TIERS; tier++) {
		read_ctrl_pos(lrugen, type, tier, gain[type], &pv);
		if (!positive_ctrl_err(&sp, &pv))
			break;
	}
	*tier_idx = tier - 1;
	return type;
}

static long isolate_folios(struct memcg_engine *e, struct mem_cgroup *memcg,
			   struct scan_control *sc, int swappiness,
			   struct isolated *iso)
{
	const struct lru_gen_folio *lrugen = memcg->lruvec.lrugen;
	int i, type, tier = -1;
	long scanned = 0;

	/* the obvious choice first; swappiness 1 means file, 200 anon */
	if (!swappiness)
		type = LRU_GEN_FILE;
	else if (lrugen->min_seq[LRU_GEN_ANON] < lrugen->min_seq[LRU_GEN_FILE])
		type = LRU_GEN_ANON;
	else if (swappiness == 1)
		type = LRU_GEN_FILE;
	else if (swappiness == MAX_SWAPPINESS)
		type = LRU_GEN_ANON;
	else
		type = get_type_to_scan(lrugen, swappiness, &tier);
	for (i = !swappiness; i < ANON_AND_FILE; i++) {
		if (tier < 0)
			tier = get_tier_idx(lrugen, type);
		scanned = scan_folios(e, memcg, sc, type, tier, iso);
		if (scanned)
			break;
		type = !type;
		tier = -1;
	}
	return scanned;
}

/*
 * What shrink_folio_list() kept goes back: activated, referenced, mapped
 * or dirty folios to the youngest generation, never the oldest; clean
 * ones that may have missed folio_rotate_reclaimable() are retried once
 * (left at the front of @iso). Return: folios to retry.
 */
static unsigned sort_kept(struct isolated *iso, bool skip_retry)
{
	unsigned i, retry = 0;

	for (i = 0; i < iso->n; i++) {
		struct folio *folio = iso->folios[i];
		bool dirty = folio_test_flag(folio, PG_dirty) ||
			     folio_test_flag(folio, PG_writeback);

		if (folio_test_flag(folio, PG_unevictable))
			continue;
		if (folio_test_flag(folio, PG_reclaim) && dirty) {
			if (folio_test_flag(folio, PG_workingset))
				folio_set_flag(folio, PG_referenced);
			continue;
		}
		/* anon counts as mapped or dirty: nothing in the engine rotates it */
		if (skip_retry || dirty || folio_test_flag(folio, PG_active) ||
		    folio_test_flag(folio, PG_referenced) ||
		    folio_lru_type(folio) == LRU_GEN_ANON) {
			folio_clear_lru_refs(folio);
			folio_set_flag(folio, PG_active);
			continue;
		}
		iso->folios[i] = iso->folios[retry];
		iso->folios[retry++] = folio;
	}
	return retry;
}

static long evict_folios(struct mem_cgroup *memcg, struct scan_control *sc,
			 int swappiness)
{
	struct memcg_engine *e = memcg->engine;
	struct lruvec *lruvec = &memcg->lruvec;
	struct isolated iso = { .n = 0 };
	struct reclaim_stat stat = { 0, 0 };
	bool skip_retry = false;
	long scanned, reclaimed;
	unsigned i, retry;

	pthread_mutex_lock(&lruvec->lock);
	scanned = isolate_folios(e, memcg, sc, swappiness, &iso);
	scanned += try_to_inc_min_seq(lruvec, swappiness);
	if (get_nr_gens(lruvec->lrugen, !swappiness) == MIN_NR_GENS)
		scanned = 0;
	pthread_mutex_unlock(&lruvec->lock);
	/* a batch is of one type; look-around takes anon beside anon only */
	if (iso.n && current_walk)
		current_walk->can_swap = folio_lru_type(iso.folios[0]) ==
					 LRU_GEN_ANON;
	while (iso.n) {
		reclaimed = shrink_folio_list(e, iso.folios, &iso.n,
					      sizeof(iso.folios) /
					      sizeof(iso.folios[0]), &stat);
		sc->nr_reclaimed += reclaimed;
		mod_memcg_state(memcg, MEMCG_PGSTEAL, reclaimed);
		retry = sort_kept(&iso, skip_retry);
		for (i = retry; i < iso.n; i++)
			folio_putback_lru(e, iso.folios[i]);
		iso.n = retry;
		skip_retry = true;
	}
	sc->nr_unqueued_dirty += stat.nr_unqueued_dirty;
	return scanned;
}

/*
 * Whether aging should run: it must when eviction has only the two
 * youngest generations; it had better when the youngest holds more than
 * half, or the oldest less than a quarter (of MIN_NR_GENS + 1 ideal).
 */
static bool should_run_aging(const struct lru_gen_folio *lrugen,
			     bool can_swap, long *nr_to_scan)
{
	unsigned long max_seq = lrugen->max_seq, seq;
	long young = 0, old = 0, total = 0;
	int type;

	*nr_to_scan = 0;
	if (lrugen->min_seq[!can_swap] + MIN_NR_GENS > max_seq)
		return true;
	for (type = !can_swap; type < ANON_AND_FILE; type++) {
		for (seq = lrugen->min_seq[type]; seq <= max_seq; seq++) {
			long size = lrugen->nr_pages[lru_gen_from_seq(seq)][type];

			size = size > 0 ? size : 0;
			total += size;
			if (seq == max_seq)
				young += size;
			else if (seq + MIN_NR_GENS == max_seq)
				old += size;
		}
	}
	*nr_to_scan = total;
	if (lrugen->min_seq[!can_swap] + MIN_NR_GENS < max_seq)
		return false;
	return young * MIN_NR_GENS > total || old * (MIN_NR_GENS + 2) < total;
}

/* The folio client's page-table walk of @memcg's address spaces. */
static void client_walk_mm(struct memcg_engine *e, struct mem_cgroup *memcg,
			   unsigned long seq, bool can_swap)
{
	const struct memcg_folio_client_ops *ops = e->folio_client;
	struct lru_gen_walk walk = { memcg, can_swap, true }, *saved = current_walk;

	if (!ops || !ops->walk_mm)
		return;
	current_walk = &walk;
	ops->walk_mm(e->folio_client_priv, memcg, seq, can_swap);
	current_walk = saved;
}

/* Aging: promote what page tables show young, then open a generation. */
static bool try_to_inc_max_seq(struct mem_cgroup *memcg, unsigned long seq,
			       bool can_swap)
{
	struct lruvec *lruvec = &memcg->lruvec;
	struct lru_gen_folio *lrugen = lruvec->lrugen;

	pthread_mutex_lock(&lruvec->lock);
	if (seq <= lrugen->mm_seq) {
		/* another reclaimer walked for this generation */
		pthread_mutex_unlock(&lruvec->lock);
		return false;
	}
	lrugen->mm_seq = seq;
	pthread_mutex_unlock(&lruvec->lock);
	client_walk_mm(memcg->engine, memcg, seq, can_swap);
	return inc_max_seq(memcg->engine, lruvec, seq, can_swap);
}

/* Pages to scan at this priority; -1 to stop after aging (get_nr_to_scan). */
static long get_nr_to_scan(struct mem_cgroup *memcg, struct scan_control *sc,
			   bool can_swap)
{
	const struct lru_gen_folio *lrugen = memcg->lruvec.lrugen;
	unsigned long max_seq;
	long nr_to_scan;
	bool need_aging;

	/* the kernel reads these racily; a fault adding folios writes them */
	pthread_mutex_lock(&memcg->lruvec.lock);
	max_seq = lrugen->max_seq;
	need_aging = should_run_aging(lrugen, can_swap, &nr_to_scan);
	pthread_mutex_unlock(&memcg->lruvec.lock);

	/* scrape everything of a removed cgroup */
	if (nr_to_scan && !atomic_load(&memcg->online))
		return nr_to_scan;
	if (!need_aging || sc->priority == DEF_PRIORITY)
		return nr_to_scan >> sc->priority;
	/* low on cold folios: age, and leave this cgroup for now */
	return try_to_inc_max_seq(memcg, max_seq, can_swap) ? -1 : 0;
}

/* Host units age with page cache: their lists by the priority's share. */
static void shrink_host_lists(struct mem_cgroup *memcg, struct scan_control *sc)
{
	struct lruvec *lruvec = &memcg->lruvec;
	long inactive = host_lru_pages(lruvec, HOST_LRU_INACTIVE) >> sc->priority;
	long active = host_lru_pages(lruvec, HOST_LRU_ACTIVE) >> sc->priority;

	if (active)
		shrink_list(memcg, SCAN_HOST_ACTIVE, active, sc);
	if (inactive)
		sc->nr_reclaimed += shrink_list(memcg, SCAN_HOST_INACTIVE,
						inactive, sc);
}

/*
 * Evict from one cgroup until the scan target at this priority or the
 * goal is met (try_to_shrink_lruvec). Return: whether it stopped to age
 * (or is below min): the memcg LRU then rotates it young.
 */
static bool try_to_shrink_lruvec(struct mem_cgroup *memcg,
				 struct scan_control *sc)
{
	struct lru_gen_walk walk = { memcg, true, sc->proactive };
	struct lru_gen_walk *saved = current_walk;
	int swappiness = get_swappiness(memcg, sc);
	long nr_to_scan, scanned = 0, delta;

	current_walk = &walk;
	for (;;) {
		nr_to_scan = get_nr_to_scan(memcg, sc, swappiness);
		if (nr_to_scan <= 0)
			break;
		delta = evict_folios(memcg, sc, swappiness);
		if (!delta)
			break;
		scanned += delta;
		/* memcg reclaim stops at its goal too (should_abort_scan) */
		if (scanned >= nr_to_scan || sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	current_walk = saved;
	/* only dirty page cache in the oldest generation: wake the flusher */
	if (sc->nr_unqueued_dirty && sc->nr_unqueued_dirty == sc->nr_file_taken)
		wakeup_flusher_threads(memcg->engine);
	if (sc->nr_reclaimed < sc->nr_to_reclaim)
		shrink_host_lists(memcg, sc);
	return nr_to_scan < 0;
}

void lru_gen_shrink_lruvec(struct mem_cgroup *memcg, struct scan_control *sc)
{
	if (try_to_shrink_lruvec(memcg, sc))
		lru_gen_rotate_memcg(memcg, MEMCG_LRU_YOUNG);
}

/* Whether @memcg has enough to be worth a visit at this priority. */
static bool lruvec_is_sizable(struct mem_cgroup *memcg, struct scan_control *sc)
{
	const struct lru_gen_folio *lrugen = memcg->lruvec.lrugen;
	bool can_swap = get_swappiness(memcg, sc);
	unsigned long seq;
	long total = 0, size;
	int type;

	pthread_mutex_lock(&memcg->lruvec.lock);
	for (type = !can_swap; type < ANON_AND_FILE; type++) {
		for (seq = lrugen->min_seq[type]; seq <= lrugen->max_seq; seq++) {
			size = lrugen->nr_pages[lru_gen_from_seq(seq)][type];
			total += size > 0 ? size : 0;
		}
	}
	pthread_mutex_unlock(&memcg->lruvec.lock);
	return atomic_load(&memcg->online) ? total >> sc->priority : total;
}

#define PROT_CHUNK 128

/*
 * Effective protection from the root down to @memcg, parents first,
 * without recursion: PROT_CHUNK levels at a time from the top, each chunk
 * found by a walk up from @memcg (O(depth^2 / PROT_CHUNK) steps in all).
 */
static void calculate_protection_path(struct mem_cgroup *root,
				      struct mem_cgroup *memcg)
{
	struct mem_cgroup *chunk[PROT_CHUNK], *m;
	long depth = 0, done, below, i, n;

	for (m = memcg; m != root; m = m->parent)
		depth++;
	for (done = 0; done < depth; done += n) {
		n = depth - done < PROT_CHUNK ? depth - done : PROT_CHUNK;
		below = depth - done - n;	/* levels under the chunk */
		for (m = memcg, i = 0; i < below; i++)
			m = m->parent;
		for (i = n - 1; i >= 0; i--, m = m->parent)
			chunk[i] = m;
		for (i = 0; i < n; i++)
			page_counter_calculate_protection(&root->memory_prot,
				&chunk[i]->memory_prot,
				memcg->engine->cfg.memory_recursiveprot);
	}
}

int lru_gen_shrink_one(struct mem_cgroup *memcg, struct scan_control *sc)
{
	struct mem_cgroup *root = sc->target;
	long usage = page_counter_read(&memcg->memory);
	bool success;

	calculate_protection_path(root, memcg);
	if (memcg != root && atomic_load(&memcg->memory_prot.emin) >= usage)
		return MEMCG_LRU_YOUNG;
	if (memcg != root && atomic_load(&memcg->memory_prot.elow) >= usage) {
		if (lru_gen_memcg_seg(memcg) != MEMCG_LRU_TAIL)
			return MEMCG_LRU_TAIL;
		memcg_memory_event(memcg, MEMCG_LOW);
	}
	success = try_to_shrink_lruvec(memcg, sc);
	/* not counted in nr_reclaimed: freed slab is not attributable */
	shrink_slab(memcg, sc->gfp, sc->priority);
	if (success && atomic_load(&memcg->online))
		return MEMCG_LRU_YOUNG;
	if (!success && lruvec_is_sizable(memcg, sc))
		return 0;
	/* one more try if offline or too small */
	return lru_gen_memcg_seg(memcg) != MEMCG_LRU_TAIL ? MEMCG_LRU_TAIL :
							    MEMCG_LRU_YOUNG;
}

/* Bits to hold @x: the kernel's fls_long(). */
static int fls_long(unsigned long x)
{
	return x ? (int)(sizeof(x) * 8) - __builtin_clzl(x) : 0;
}

/*
 * The first priority of a large enough global reclaim, from the node's
 * inactive pages: (inactive >> priority) is about the goal.
 */
static void set_initial_priority(struct scan_control *sc)
{
	long sizes[NR_SCAN_LISTS], reclaimable;
	int priority;

	if (sc->priority != DEF_PRIORITY || sc->nr_to_reclaim < MIN_LRU_BATCH)
		return;
	subtree_sizes(sc->target, sizes);
	reclaimable = sizes[LRU_INACTIVE_FILE];
	if (mem_cgroup_get_nr_swap_pages(sc->target) > 0)
		reclaimable += sizes[LRU_INACTIVE_ANON];
	priority = fls_long((unsigned long)reclaimable) - 1 -
		   fls_long((unsigned long)sc->nr_to_reclaim - 1);
	sc->priority = priority < DEF_PRIORITY / 2 ? DEF_PRIORITY / 2 :
		       priority > DEF_PRIORITY ? DEF_PRIORITY : priority;
}

void lru_gen_shrink_node(struct scan_control *sc)
{
	long reclaimed = sc->nr_reclaimed;

	set_initial_priority(sc);
	/* kswapd aims at its whole goal in every pass */
	if (sc->kswapd)
		sc->nr_reclaimed = 0;
	shrink_many(sc->target->engine, sc, lru_gen_shrink_one);
	if (sc->kswapd)
		sc->nr_reclaimed += reclaimed;
}

bool memcg_folio_young(struct memcg_engine *e, struct folio *folio)
{
	struct lru_gen_walk *walk = current_walk;
	struct mem_cgroup *memcg;
	struct lruvec *lruvec;

	if (!folio_of_engine(e, folio)) {
		memcg_folio_misuse(__func__, folio);
		return false;
	}
	if (!walk || walk->memcg->engine != e)
		return false;
	memcg = folio_memcg(e, folio);
	if ((memcg ? memcg : e->root) != walk->memcg ||
	    (folio_lru_type(folio) == LRU_GEN_ANON && !walk->can_swap))
		return false;
	lruvec = &walk->memcg->lruvec;
	pthread_mutex_lock(&lruvec->lock);
	/*
	 * The cgroup may have been removed since the check and the folio
	 * moved to its parent's generations (lruvec_reparent(), under this
	 * lock too): not ours to renumber any more, as get_pfn_folio()
	 * skips a folio of another cgroup. Stable now if on the lists; a
	 * folio off them only gets PG_referenced, whoever has it.
	 */
	memcg = folio_memcg(e, folio);
	if ((memcg ? memcg : e->root) != walk->memcg) {
		pthread_mutex_unlock(&lruvec->lock);
		return false;
	}
	if (folio_test_flag(folio, PG_unevictable))
		;	/* not on a generation: nothing to promote */
	else if (walk->batched || !folio_test_flag(folio, PG_lru))
		lru_gen_promote(e, lruvec, folio);
	else if (folio_lru_gen(folio) != lru_gen_from_seq(lruvec->lrugen->max_seq)) {
		folio_clear_lru_refs(folio);
		lru_gen_activate(e, lruvec, folio);
	}
	pthread_mutex_unlock(&lruvec->lock);
	return true;
}
