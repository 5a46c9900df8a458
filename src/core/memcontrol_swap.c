// SPDX-License-Identifier: MIT
/*
 * Swap accounting (the swap half of the 2014 uncharge rewrite): swap-out
 * moves the charge to the swap entry, whose record names the owner by
 * private id; swap-in charges the recorded owner if it is still online.
 *
 * v2: a separate swap counter, charged when the slot is assigned and
 * uncharged when it is freed. v1: memory and memsw are charged together;
 * swap-out uncharges memory and leaves memsw with the entry.
 *
 * A record holds a reference on the id, never on the cgroup (seed rule 5).
 */
#include <errno.h>

#include "core/memcontrol.h"
#include "mm/swapfile.h"

static struct swap_cgroup *records(struct memcg_engine *e)
{
	return &e->swap->records;
}

/**
 * mem_cgroup_try_charge_swap - charge the swap counter for a folio's slots
 * @e: engine
 * @folio: a charged folio entering the swap cache
 * @off: its first slot
 *
 * v2 only: charges the nearest online ancestor of the folio's cgroup (the
 * id it can still record), takes one id reference per slot and records
 * the id. Over memory.swap.max: MEMCG_SWAP_MAX and MEMCG_SWAP_FAIL.
 *
 * Return: 0 or -ENOMEM.
 */
int mem_cgroup_try_charge_swap(struct memcg_engine *e, struct folio *folio,
			       size_t off)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);
	long nr = folio_nr_pages(folio);
	struct page_counter *fail;

	if (e->v1 || !memcg)
		return 0;
	memcg = mem_cgroup_id_get_online(memcg);
	if (!mem_cgroup_is_root(memcg) &&
	    !page_counter_try_charge(&memcg->swap, nr, &fail)) {
		memcg_memory_event(memcg, MEMCG_SWAP_MAX);
		memcg_memory_event(memcg, MEMCG_SWAP_FAIL);
		mem_cgroup_id_put_many(memcg, 1);
		return -ENOMEM;
	}
	if (nr > 1)
		mem_cgroup_id_get_many(memcg, (int)nr - 1);
	mod_memcg_state(memcg, MEMCG_SWAP, nr);
	swap_cgroup_record(records(e), off, (size_t)nr, memcg->id);
	return 0;
}

/**
 * mem_cgroup_uncharge_swap - clear live slots' records and uncharge the
 * owner's swap (v2) or memsw (v1) counter (v1 swap-in drops the entry's
 * duplicate); a freed slot's record is cleared by swap_slot_put()
 * @e: engine
 * @off: first slot
 * @nr: slots
 */
void mem_cgroup_uncharge_swap(struct memcg_engine *e, size_t off, size_t nr)
{
	mem_cgroup_uncharge_swap_id(e, swap_cgroup_clear(records(e), off, nr),
				    nr);
}

/**
 * mem_cgroup_uncharge_swap_id - give back @nr slots' swap charge to the
 * owner whose records were cleared (swap_slot_put(), under the lock that
 * keeps the slots from being allocated again meanwhile)
 * @e: engine
 * @id: the records' owner, or 0 for none
 * @nr: slots
 *
 * The records' id references, which this drops, kept the id published.
 */
void mem_cgroup_uncharge_swap_id(struct memcg_engine *e, uint16_t id, size_t nr)
{
	struct mem_cgroup *memcg;

	if (!id)
		return;
	rcu_read_lock();
	/* the record's id reference keeps the id published */
	memcg = mem_cgroup_from_id(e, id);
	if (memcg) {
		if (!mem_cgroup_is_root(memcg))
			page_counter_uncharge(e->v1 ? &memcg->memsw : &memcg->swap,
					      (long)nr);
		mod_memcg_state(memcg, MEMCG_SWAP, -(long)nr);
		mem_cgroup_id_put_many(memcg, (int)nr);
	}
	rcu_read_unlock();
}

/**
 * memcg1_swapout - v1: move a folio's charge to its swap entry
 * @e: engine
 * @folio: a folio leaving memory for good (before its final put)
 * @off: its first slot
 *
 * Memory is uncharged now; memsw stays charged, owned by the record (of
 * the nearest online ancestor, which takes over the memsw charge).
 */
void memcg1_swapout(struct memcg_engine *e, struct folio *folio, size_t off)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio), *swap_memcg;
	long nr = folio_nr_pages(folio);

	if (!e->v1 || !memcg)
		return;
	swap_memcg = mem_cgroup_id_get_online(memcg);
	if (nr > 1)
		mem_cgroup_id_get_many(swap_memcg, (int)nr - 1);
	swap_cgroup_record(records(e), off, (size_t)nr, swap_memcg->id);
	folio_set_memcg_data(folio, 0);
	if (!mem_cgroup_is_root(memcg))
		page_counter_uncharge(&memcg->memory, nr);
	if (swap_memcg != memcg) {
		if (!mem_cgroup_is_root(swap_memcg))
			page_counter_charge(&swap_memcg->memsw, nr);
		page_counter_uncharge(&memcg->memsw, nr);
	}
	memcg_stat_folio(memcg, -1, folio, -1);
	mod_memcg_state(memcg, MEMCG_PGPGOUT, 1);
	mod_memcg_state(swap_memcg, MEMCG_SWAP, nr);
	css_put(memcg);		/* the folio's reference */
}

/**
 * mem_cgroup_swapin_charge_folio - charge a folio read back from swap
 * @e: engine
 * @folio: the new, uncharged folio
 * @fallback: the faulting task's cgroup (NULL: the root)
 * @gfp: MEMCG_GFP_* flags
 * @off: the slot being read
 *
 * Charges the cgroup named by the slot's record if it is still online,
 * otherwise @fallback.
 *
 * Return: 0 or -ENOMEM.
 */
int mem_cgroup_swapin_charge_folio(struct memcg_engine *e, struct folio *folio,
				   struct mem_cgroup *fallback, unsigned gfp,
				   size_t off)
{
	uint16_t id = lookup_swap_cgroup_id(records(e), off);
	struct mem_cgroup *memcg;
	int ret;

	rcu_read_lock();
	memcg = id ? mem_cgroup_from_id(e, id) : NULL;
	if (!memcg || !css_tryget_online(memcg)) {
		memcg = fallback ? fallback : e->root;
		css_get(memcg);
	}
	rcu_read_unlock();
	ret = mem_cgroup_charge(folio, memcg, gfp);
	css_put(memcg);
	return ret;
}

/**
 * mem_cgroup_swapin_uncharge_swap - v1: the swapped-in folio now carries
 * memory+swap, so drop the entry's duplicate charge and record
 * @e: engine
 * @off: first slot
 * @nr: slots
 *
 * v2 keeps the swap charge until the slot is freed.
 */
void mem_cgroup_swapin_uncharge_swap(struct memcg_engine *e, size_t off,
				     size_t nr)
{
	if (e->v1)
		mem_cgroup_uncharge_swap(e, off, nr);
}

/**
 * mem_cgroup_move_swap_account - v1 charge moving: a swap entry of a task
 * that moved follows it (mem_cgroup_move_swap_account, then the memsw
 * bookkeeping of __mem_cgroup_clear_mc)
 * @e: engine
 * @off: the slot
 * @from: the owner the record must name
 * @to: the new owner
 *
 * Return: 0, -ENOMEM if @to's memsw limit has no room, -EINVAL if the
 * record names another cgroup.
 */
int mem_cgroup_move_swap_account(struct memcg_engine *e, size_t off,
				 struct mem_cgroup *from, struct mem_cgroup *to)
{
	struct page_counter *fail;

	if (!mem_cgroup_is_root(to) &&
	    !page_counter_try_charge(&to->memsw, 1, &fail))
		return -ENOMEM;
	/* the new owner's id reference first: the record may go at once */
	mem_cgroup_id_get_many(to, 1);
	if (!swap_cgroup_move(records(e), off, from->id, to->id)) {
		mem_cgroup_id_put_many(to, 1);
		if (!mem_cgroup_is_root(to))
			page_counter_uncharge(&to->memsw, 1);
		return -EINVAL;
	}
	if (!mem_cgroup_is_root(from))
		page_counter_uncharge(&from->memsw, 1);
	mod_memcg_state(from, MEMCG_SWAP, -1);
	mod_memcg_state(to, MEMCG_SWAP, 1);
	mem_cgroup_id_put_many(from, 1);
	return 0;
}
