// SPDX-License-Identifier: MIT
/* Refault detection: see workingset.h. */
#include <errno.h>

#include "mm/lru_gen.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"
#include "mm/workingset.h"

#define SHADOW_MARK (1ULL << 63)
#define SHADOW_ID_BITS 16
#define SHADOW_AGE_BITS 46
#define SHADOW_AGE_MASK ((1ULL << SHADOW_AGE_BITS) - 1)

static uint64_t pack_shadow(uint16_t id, uint64_t age, bool workingset)
{
	return SHADOW_MARK | (age & SHADOW_AGE_MASK) << (SHADOW_ID_BITS + 1) |
	       (uint64_t)workingset << SHADOW_ID_BITS | id;
}

static void unpack_shadow(uint64_t shadow, uint16_t *id, uint64_t *age,
			  bool *workingset)
{
	*id = (uint16_t)shadow;
	*workingset = shadow >> SHADOW_ID_BITS & 1;
	*age = shadow >> (SHADOW_ID_BITS + 1) & SHADOW_AGE_MASK;
}

/* The kernel's walk: @memcg's age and every ancestor's. */
static void age_walk(struct mem_cgroup *memcg, long nr)
{
	for (; memcg; memcg = memcg->parent)
		atomic_fetch_add(&memcg->lruvec.nonresident_age, nr);
}

/*
 * MEMCG_AGE_BATCH: a cgroup's own age is written at once (its line is
 * its own); what its ancestors are owed waits in the CPU's batch, one
 * chain (a parent and its ancestors) per CPU, under the CPU's lock.
 */
static bool age_batched(const struct memcg_engine *e)
{
	return e->cfg.nonresident_age == MEMCG_AGE_BATCH;
}

/* Pay what @b owes its chain; its CPU's lock held. */
static void age_batch_fold(struct memcg_age_batch *b)
{
	if (b->pending)
		age_walk(b->parent, b->pending);
	b->pending = 0;
}

/* Fold @b and let its chain go; its CPU's lock held. */
static void age_batch_drop(struct memcg_age_batch *b)
{
	age_batch_fold(b);
	b->parent = NULL;
}

/*
 * Owe @nr pages to @parent's chain in @cpu's batch, @cpu's lock held.
 * Returns false for an offline @parent, which the caller ages at once.
 * A batch holds no reference: offline clears online, then drains every
 * CPU's batch of its subtree under that CPU's lock (the stock's sweep),
 * so a chain is set only while its cgroups are online, and dropped
 * before any of them can be released. An online parent's ancestors are
 * online.
 */
static bool age_batch_add(struct memcg_engine *e, unsigned cpu,
			  struct mem_cgroup *parent, long nr)
{
	struct memcg_age_batch *b = &e->cpus[cpu].age;

	if (b->parent != parent) {
		if (!atomic_load(&parent->online))
			return false;
		age_batch_drop(b);
		b->parent = parent;
	}
	b->pending += nr;
	if (b->pending >= WORKINGSET_AGE_BATCH)
		age_batch_fold(b);
	return true;
}

/*
 * Before @memcg's age is read: fold @cpu's batch if its chain passes
 * @memcg (not when the chain is @memcg's parent's: a cgroup is not its
 * own ancestor). A run on one CPU then reads the kernel's ages.
 */
static void age_batch_settle(struct memcg_engine *e, unsigned cpu,
			     struct mem_cgroup *memcg)
{
	struct memcg_age_batch *b = &e->cpus[cpu].age;

	if (b->parent && b->parent != memcg->parent &&
	    mem_cgroup_is_descendant(b->parent, memcg))
		age_batch_fold(b);
}

/*
 * Age @memcg by @nr; with @read, return its age before, this CPU's batch
 * settled first (the age an eviction's shadow keeps).
 */
static uint64_t age_nonresident(struct mem_cgroup *memcg, long nr, bool read)
{
	struct memcg_engine *e = memcg->engine;
	uint64_t age = 0;
	unsigned cpu;

	if (!age_batched(e))
		goto walk;
	cpu = memcg_this_cpu(e);
	if (!memcg_cpu_trylock(e, cpu))
		goto walk;	/* the kernel's way; a later fold adds the rest */
	if (read) {
		age_batch_settle(e, cpu, memcg);
		age = (uint64_t)atomic_load(&memcg->lruvec.nonresident_age);
	}
	atomic_fetch_add(&memcg->lruvec.nonresident_age, nr);
	if (memcg->parent && !age_batch_add(e, cpu, memcg->parent, nr))
		age_walk(memcg->parent, nr);
	memcg_cpu_unlock_trylocked(e, cpu);
	return age;
walk:
	if (read)
		age = (uint64_t)atomic_load(&memcg->lruvec.nonresident_age);
	age_walk(memcg, nr);
	return age;
}

void workingset_age_nonresident(struct mem_cgroup *memcg, long nr)
{
	age_nonresident(memcg, nr, false);
}

/* @memcg's age, this CPU's batch settled first. */
static uint64_t age_read(struct memcg_engine *e, struct mem_cgroup *memcg)
{
	unsigned cpu;

	if (age_batched(e)) {
		cpu = memcg_this_cpu(e);
		if (memcg_cpu_trylock(e, cpu)) {
			age_batch_settle(e, cpu, memcg);
			memcg_cpu_unlock_trylocked(e, cpu);
		}
	}
	return (uint64_t)atomic_load(&memcg->lruvec.nonresident_age);
}

void workingset_age_drain_locked(struct memcg_engine *e, unsigned cpu,
				 struct mem_cgroup *root)
{
	struct memcg_age_batch *b = &e->cpus[cpu].age;

	if (b->parent && mem_cgroup_is_descendant(b->parent, root))
		age_batch_drop(b);
}

/*
 * MGLRU: the shadow holds the folio's own cgroup, the oldest generation
 * then (min_seq) and its accesses; the eviction counts in its tier.
 */
static uint64_t lru_gen_eviction(struct memcg_engine *e, struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);
	struct lru_gen_folio *lrugen;
	int type = folio_lru_type(folio), refs = folio_lru_refs(folio);
	uint64_t token;

	if (!memcg)
		memcg = e->root;
	lrugen = memcg->lruvec.lrugen;
	/* min_seq moves under the list lock (another reclaimer's eviction) */
	pthread_mutex_lock(&memcg->lruvec.lock);
	token = (uint64_t)lrugen->min_seq[type] << LRU_REFS_WIDTH |
		(uint64_t)(refs ? refs - 1 : 0);
	pthread_mutex_unlock(&memcg->lruvec.lock);
	atomic_fetch_add(&lrugen->evicted[type][lru_tier_from_refs(refs)],
			 folio_nr_pages(folio));
	return pack_shadow(memcg->id, token, refs != 0);
}

/*
 * MGLRU: a refault is recent if its generation is still the oldest. It
 * counts in its tier for the PID controller; a page that was accessed
 * often, or one faulted back in, returns with its accesses restored.
 * Anon comes back through a fault, page cache through read().
 */
static void lru_gen_refault(struct memcg_engine *e, struct folio *folio,
			    uint64_t shadow)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio), *eviction_memcg;
	int type = folio_lru_type(folio), refs, tier;
	long nr = folio_nr_pages(folio);
	uint64_t token, min_seq;
	bool workingset;
	uint16_t id;

	unpack_shadow(shadow, &id, &token, &workingset);
	rcu_read_lock();
	eviction_memcg = mem_cgroup_from_id(e, id);
	if (!eviction_memcg || eviction_memcg != (memcg ? memcg : e->root))
		goto out;
	mod_memcg_state(memcg, type ? MEMCG_WORKINGSET_REFAULT_FILE :
				      MEMCG_WORKINGSET_REFAULT_ANON, nr);
	pthread_mutex_lock(&eviction_memcg->lruvec.lock);
	min_seq = eviction_memcg->lruvec.lrugen->min_seq[type];
	pthread_mutex_unlock(&eviction_memcg->lruvec.lock);
	if (token >> LRU_REFS_WIDTH != (min_seq & (SHADOW_AGE_MASK >> LRU_REFS_WIDTH)))
		goto out;
	refs = (int)(token & ((1u << LRU_REFS_WIDTH) - 1)) + workingset;
	tier = lru_tier_from_refs(refs);
	atomic_fetch_add(&eviction_memcg->lruvec.lrugen->refaulted[type][tier], nr);
	mod_memcg_state(memcg, type ? MEMCG_WORKINGSET_ACTIVATE_FILE :
				      MEMCG_WORKINGSET_ACTIVATE_ANON, nr);
	if (type == LRU_GEN_ANON || refs >= (1 << LRU_REFS_WIDTH) - 1) {
		atomic_fetch_or_explicit(&folio->refflags,
					 LRU_REFS_MASK | 1u << PG_workingset,
					 memory_order_relaxed);
		mod_memcg_state(memcg, type ? MEMCG_WORKINGSET_RESTORE_FILE :
					      MEMCG_WORKINGSET_RESTORE_ANON, nr);
	}
out:
	rcu_read_unlock();
}

uint64_t workingset_eviction(struct memcg_engine *e, struct folio *folio,
			     struct mem_cgroup *target)
{
	struct mem_cgroup *memcg = target ? target : folio_memcg(e, folio);
	uint64_t age;

	if (lru_gen_enabled(e))
		return lru_gen_eviction(e, folio);
	if (!memcg)
		memcg = e->root;
	age = age_nonresident(memcg, folio_nr_pages(folio), true);
	return pack_shadow(memcg->id, age,
			   folio_test_flag(folio, PG_workingset));
}

/*
 * What the evicting cgroup's subtree could have given the page: its
 * active cache, and anon too when it can swap.
 */
static long workingset_size(struct mem_cgroup *memcg, bool file)
{
	long sizes[NR_SCAN_LISTS], size;

	subtree_sizes(memcg, sizes);
	size = sizes[LRU_ACTIVE_FILE];
	if (!file)
		size += sizes[LRU_INACTIVE_FILE];
	if (mem_cgroup_get_nr_swap_pages(memcg) > 0) {
		size += sizes[LRU_ACTIVE_ANON];
		if (file)
			size += sizes[LRU_INACTIVE_ANON];
	}
	return size;
}

void workingset_refault(struct memcg_engine *e, struct folio *folio,
			uint64_t shadow)
{
	bool file = folio_type(folio) == FOLIO_FILE, workingset;
	struct mem_cgroup *eviction_memcg, *memcg = folio_memcg(e, folio);
	long nr = folio_nr_pages(folio);
	uint64_t age, distance;
	uint16_t id;

	if (!(shadow & SHADOW_MARK) || !memcg)
		return;
	if (lru_gen_enabled(e)) {
		lru_gen_refault(e, folio, shadow);
		return;
	}
	unpack_shadow(shadow, &id, &age, &workingset);
	rcu_read_lock();
	/* the evicting cgroup may be gone: then nothing is counted */
	eviction_memcg = mem_cgroup_from_id(e, id);
	if (!eviction_memcg)
		goto out;
	distance = (age_read(e, eviction_memcg) - age) & SHADOW_AGE_MASK;
	mod_memcg_state(memcg, file ? MEMCG_WORKINGSET_REFAULT_FILE :
				      MEMCG_WORKINGSET_REFAULT_ANON, nr);
	if (distance > (uint64_t)workingset_size(eviction_memcg, file))
		goto out;
	folio_set_flag(folio, PG_active);
	workingset_age_nonresident(memcg, nr);
	mod_memcg_state(memcg, file ? MEMCG_WORKINGSET_ACTIVATE_FILE :
				      MEMCG_WORKINGSET_ACTIVATE_ANON, nr);
	if (workingset) {
		/* it was in use before it went: reclaiming it cost I/O */
		folio_set_flag(folio, PG_workingset);
		lru_note_cost(memcg, file, nr, 0);
		mod_memcg_state(memcg, file ? MEMCG_WORKINGSET_RESTORE_FILE :
					      MEMCG_WORKINGSET_RESTORE_ANON, nr);
	}
out:
	rcu_read_unlock();
}

void workingset_activation(struct memcg_engine *e, struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);

	if (memcg)
		workingset_age_nonresident(memcg, folio_nr_pages(folio));
}

uint64_t memcg_workingset_eviction(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_of_engine(e, folio) || folio_type(folio) != FOLIO_FILE) {
		memcg_folio_misuse(__func__, folio);
		return 0;
	}
	folio_objcg_to_memcg(e, folio);	/* a program's folio names its cgroup */
	return workingset_eviction(e, folio, reclaim_target());
}

int memcg_workingset_refault(struct memcg_engine *e, struct folio *folio,
			     uint64_t shadow)
{
	if (!folio_of_engine(e, folio) || folio_type(folio) != FOLIO_FILE ||
	    folio_test_flag(folio, PG_lru)) {
		memcg_folio_misuse(__func__, folio);
		return -EINVAL;
	}
	if (!(shadow & SHADOW_MARK))
		return -EINVAL;
	folio_objcg_to_memcg(e, folio);	/* as memcg_folio_add_lru() will */
	workingset_refault(e, folio, shadow);
	return 0;
}
