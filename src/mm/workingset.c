// SPDX-License-Identifier: MIT
/* Refault detection: see workingset.h. */
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

void workingset_age_nonresident(struct mem_cgroup *memcg, long nr)
{
	for (; memcg; memcg = memcg->parent)
		atomic_fetch_add(&memcg->lruvec.nonresident_age, nr);
}

uint64_t workingset_eviction(struct memcg_engine *e, struct folio *folio,
			     struct mem_cgroup *target)
{
	struct mem_cgroup *memcg = target ? target : folio_memcg(e, folio);
	uint64_t age;

	if (!memcg)
		memcg = e->root;
	age = (uint64_t)atomic_load(&memcg->lruvec.nonresident_age);
	workingset_age_nonresident(memcg, folio_nr_pages(folio));
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
	unpack_shadow(shadow, &id, &age, &workingset);
	rcu_read_lock();
	/* the evicting cgroup may be gone: then nothing is counted */
	eviction_memcg = mem_cgroup_from_id(e, id);
	if (!eviction_memcg)
		goto out;
	distance = ((uint64_t)atomic_load(&eviction_memcg->lruvec.nonresident_age) -
		    age) & SHADOW_AGE_MASK;
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
