// SPDX-License-Identifier: MIT
/*
 * The final put: a folio whose last reference goes is uncharged, then its
 * frames return to the arena (the kernel's folio_put and folios_put in
 * mm/swap.c). Folios a reclaim pass frees are gathered and uncharged
 * together (shrink_folio_list's free_folios). Also the public folio
 * entry points.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/memcontrol.h"

static void free_folios(struct memcg_engine *e, struct folio **folios,
			size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		folio_del_lru(e, folios[i]);
	mem_cgroup_uncharge_folios(e, folios, nr);
	for (i = 0; i < nr; i++)
		folio_free(e->arena, folios[i]);
}

/* The reclaim pass gathering this thread's frees, if any. */
static __thread struct folio_free_batch *current_free_batch;

static void free_batch_flush(struct folio_free_batch *b)
{
	free_folios(b->e, b->folios, b->nr);
	b->nr = 0;
}

void folio_free_batch_begin(struct folio_free_batch *b, struct memcg_engine *e,
			    struct folio **space, unsigned size)
{
	b->e = e;
	b->folios = space;
	b->nr = 0;
	b->size = size;
	b->saved = current_free_batch;
	current_free_batch = b;
}

void folio_free_batch_end(struct folio_free_batch *b)
{
	free_batch_flush(b);
	current_free_batch = b->saved;
}

/**
 * folio_free_frozen - free a folio whose references were frozen to 0;
 * during a reclaim pass of its engine, gathered into the pass's batch
 * @e: engine
 * @folio: off every list; uncharged here or at the batch's flush
 */
void folio_free_frozen(struct memcg_engine *e, struct folio *folio)
{
	struct folio_free_batch *b = current_free_batch;

	if (!b || b->e != e) {
		free_folios(e, &folio, 1);
		return;
	}
	b->folios[b->nr++] = folio;
	if (b->nr == b->size)
		free_batch_flush(b);
}

void memcg_folio_misuse(const char *fn, const struct folio *folio)
{
	fprintf(stderr, "libmemcg: %s: %p is no live folio of this engine "
		"(freed, a tail, or another engine's): ignored\n", fn,
		(const void *)folio);
}

void memcg_folio_put(struct memcg_engine *e, struct folio *folio)
{
	if (!folio)
		return;
	if (!folio_of_engine(e, folio)) {
		memcg_folio_misuse(__func__, folio);
		return;
	}
	if (folio_put_testzero(folio))
		free_folios(e, &folio, 1);
	mem_cgroup_release_pending(e);
}

/**
 * memcg_folios_put - drop a reference on each folio, freeing in one batch
 * @e: engine
 * @folios: folios; the array is reused as scratch space
 * @nr: how many
 *
 * The folios whose last reference went are uncharged in one gather, which
 * updates the counters once per run of folios of the same cgroup.
 */
void memcg_folios_put(struct memcg_engine *e, struct folio **folios, size_t nr)
{
	size_t i, dead = 0;

	for (i = 0; i < nr; i++) {
		if (!folio_of_engine(e, folios[i])) {
			memcg_folio_misuse(__func__, folios[i]);
			continue;
		}
		if (folio_put_testzero(folios[i]))
			folios[dead++] = folios[i];
	}
	free_folios(e, folios, dead);
	mem_cgroup_release_pending(e);
}

void memcg_folio_get(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_of_engine(e, folio)) {
		memcg_folio_misuse(__func__, folio);
		return;
	}
	folio_get(folio);
}

struct folio *memcg_folio_alloc(struct memcg_engine *e,
				enum memcg_folio_type type, unsigned order)
{
	if (!e || (unsigned)type >= NR_FOLIO_TYPES)
		return NULL;
	return folio_alloc(e->arena, (enum folio_type)type, order);
}

int memcg_charge(struct memcg_engine *e, struct folio *folio,
		 struct mem_cgroup *memcg, unsigned gfp)
{
	int ret;

	if (!folio_of_engine(e, folio) || !memcg || memcg->engine != e)
		return -EINVAL;
	/* a program's folio may live off the LRU: through the objcg */
	if (e->cfg.policy == MEMCG_POLICY_REPARENT && !mem_cgroup_is_root(memcg) &&
	    folio_type(folio) != FOLIO_KERNEL)
		ret = mem_cgroup_charge_objcg(folio, memcg, gfp);
	else
		ret = mem_cgroup_charge(folio, memcg, gfp);
	mem_cgroup_return_to_user(e, gfp);
	return ret;
}

int memcg_migrate(struct memcg_engine *e, struct folio *old, struct folio *new)
{
	bool lru;
	int ret;

	if (!folio_of_engine(e, old) || !folio_of_engine(e, new))
		return -EINVAL;
	lru = folio_test_flag(old, PG_lru);
	if (lru)
		folio_del_lru(e, old);
	/* a swap-cache folio's place in the cache moves too (swap_state.c) */
	ret = folio_test_flag(old, PG_swapcache) ?
	      swap_cache_migrate(e, old, new) : mem_cgroup_migrate(e, old, new);
	if (lru)
		folio_add_lru(e, ret ? old : new);
	return ret;
}

int memcg_replace_folio(struct memcg_engine *e, struct folio *old,
			struct folio *new)
{
	if (!folio_of_engine(e, old) || !folio_of_engine(e, new))
		return -EINVAL;
	folio_objcg_to_memcg(e, old);
	return mem_cgroup_replace_folio(e, old, new);
}

int memcg_split_folio(struct memcg_engine *e, struct folio *folio,
		      struct folio **out)
{
	uint32_t pfn;
	long i, nr;
	bool lru;
	int ret;

	if (!folio_of_engine(e, folio))
		return -EINVAL;
	nr = folio_nr_pages(folio);
	pfn = folio_pfn(e->arena, folio);
	folio_objcg_to_memcg(e, folio);	/* each page takes a cgroup ref */
	lru = folio_test_flag(folio, PG_lru);
	if (lru)
		folio_del_lru(e, folio);
	ret = mem_cgroup_split_folio(e, folio);
	for (i = 0; lru && i < (ret ? 1 : nr); i++)
		folio_add_lru(e, pfn_folio(e->arena, pfn + (uint32_t)i));
	if (ret || !out)
		return ret;
	for (i = 0; i < nr; i++)
		out[i] = pfn_folio(e->arena, pfn + (uint32_t)i);
	return 0;
}

int memcg_move_account(struct memcg_engine *e, struct folio *folio,
		       struct mem_cgroup *to)
{
	bool lru;
	int ret;

	if (!folio_of_engine(e, folio) || !to || to->engine != e)
		return -EINVAL;
	folio_objcg_to_memcg(e, folio);
	lru = folio_test_flag(folio, PG_lru);
	if (lru)
		folio_del_lru(e, folio);	/* it moves to @to's lists */
	ret = mem_cgroup_move_account(e, folio, to);
	if (lru)
		folio_add_lru(e, folio);
	mem_cgroup_release_pending(e);
	mem_cgroup_return_to_user(e, MEMCG_GFP_KERNEL);
	return ret;
}

struct mem_cgroup *memcg_folio_memcg(struct memcg_engine *e,
				     struct folio *folio)
{
	if (!folio_of_engine(e, folio))
		return NULL;
	if (folio_is_objcg_user(folio))
		return folio_objcg_memcg(e, folio);
	return folio_memcg(e, folio);
}

void *memcg_folio_data(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_of_engine(e, folio))
		return NULL;
	return folio_address(e->arena, folio);
}

long memcg_folio_nr_pages(struct folio *folio)
{
	return folio_nr_pages(folio);
}
