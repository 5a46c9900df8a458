// SPDX-License-Identifier: MIT
/*
 * The swap cache and the swap-out / swap-in paths over the swap device
 * (the kernel's mm/swap_state.c and the swap parts of mm/vmscan.c and
 * mm/memory.c), with the memcg accounting at the kernel's points:
 *
 *   memcg_swap_alloc        slot + v2 swap charge + record, into the cache
 *   memcg_swap_reclaim_folio write, v1 swapout, out of the cache, final put
 *   memcg_swapin            charge the record's owner (or the faulting
 *                           cgroup), read, into the cache; v1 drops the
 *                           entry's memsw duplicate
 *   memcg_swap_free         a page table drops the entry; the last
 *                           reference frees the slot and its charge
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

#include "core/memcontrol.h"
#include "lib/lazymap.h"
#include "mm/swapfile.h"
#include "mm/workingset.h"

/*
 * Whether a page table refers to @off (a hint, as the byte it reads);
 * the byte of a freed bad slot looks like a continued count.
 */
static bool slot_referenced(struct swap_device *dev, size_t off)
{
	uint8_t m = swap_slot_state(dev, off);

	if (!(m & SWAP_MAP_MAX))
		return false;
	return m != SWAP_MAP_BAD || swap_slot_count(dev, off);
}

static int entry_slot(struct memcg_engine *e, memcg_swp_entry_t entry,
		      size_t *off)
{
	if (!e->swap)
		return -ENODEV;
	if (!entry.val || entry.val > e->swap->nr_slots)
		return -EINVAL;
	*off = entry.val - 1;
	return 0;
}

/*
 * folio_swap holds the kernel's folio->swap, a field of the folio there:
 * 4 bytes a frame, packed, its pages allocated as they are touched. A
 * line holds the entries of one line group (FOLIO_LINE_GROUP), the unit
 * the arena's per-CPU lists take and keep to one CPU, so two CPUs
 * swapping folios of groups of their own write no entry line in common.
 * (Laid out by descriptor line instead, 4 frames to a padded line, it
 * took 16 bytes a frame.)
 */
_Static_assert(FOLIO_LINE_GROUP * sizeof(uint32_t) == MEMCG_CACHELINE,
	       "a group's entries fill one line");

static size_t folio_swap_bytes(size_t nr_frames)
{
	return nr_frames * sizeof(uint32_t);
}

/* @pfn's entry in folio_swap; atomic loads and stores. */
static uint32_t *folio_swap_of(struct swap_device *dev, uint32_t pfn)
{
	return &dev->folio_swap[pfn];
}

int memcg_swapon(struct memcg_engine *e, const char *path, size_t bytes)
{
	if (!e)
		return -EINVAL;
	struct swap_device *dev;
	int err;

	if (e->swap)
		return -EBUSY;
	err = swap_device_create(path, bytes, e->cfg.dataless,
				 e->cfg.policy == MEMCG_POLICY_REPARENT,
				 e->nr_cpus, e, &dev);
	if (err)
		return err;
	dev->folio_swap_bytes = folio_swap_bytes(folio_arena_nr_frames(e->arena));
	dev->folio_swap = lazymap_alloc(dev->folio_swap_bytes, false);
	if (!dev->folio_swap) {
		swap_device_destroy(dev);
		return -ENOMEM;
	}
	e->swap = dev;
	return 0;
}

/**
 * folio_swap_entry - the entry of a folio in the swap cache
 * @e: engine
 * @folio: a folio the caller holds
 *
 * Return: its entry, or a 0 entry if it is not in the swap cache.
 */
memcg_swp_entry_t folio_swap_entry(struct memcg_engine *e, struct folio *folio)
{
	memcg_swp_entry_t entry = { 0 };

	if (!e->swap || !folio_test_flag(folio, PG_swapcache))
		return entry;
	/* written under the slots' cluster lock; 0 once it left the cache */
	entry.val = __atomic_load_n(folio_swap_of(e->swap,
						  folio_pfn(e->arena, folio)),
				    __ATOMIC_RELAXED);
	return entry;
}

static void swapcache_stat(struct memcg_engine *e, struct folio *folio, long sign)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);

	if (memcg)
		mod_memcg_state(memcg, MEMCG_SWAPCACHE, sign * folio_nr_pages(folio));
}

static void add_to_swap_cache(struct memcg_engine *e, struct folio *folio,
			      size_t off)
{
	struct swap_device *dev = e->swap;
	uint32_t pfn = folio_pfn(e->arena, folio);
	long i, nr = folio_nr_pages(folio);

	folio_get(folio);		/* the cache's reference */
	folio_set_flag(folio, PG_swapcache);
	swap_lock_range(dev, off, (size_t)nr);
	for (i = 0; i < nr; i++) {
		swap_cache_set_pfn(dev, off + i, pfn);
		swap_slot_set(dev, off + i, swap_slot_state(dev, off + i) |
			      SWAP_HAS_CACHE);
	}
	__atomic_store_n(folio_swap_of(dev, pfn), (uint32_t)off + 1,
			 __ATOMIC_RELAXED);
	swap_unlock_range(dev, off, (size_t)nr);
	swapcache_stat(e, folio, 1);
}

/*
 * Take @folio out of the cache at @off, under its slots' cluster locks,
 * so that of two callers (two holders of one swapped-in folio, or one of
 * them and the reclaim of the last swap_free) only one does. With
 * @unmapped, only if no page table refers to its slots.
 *
 * Return: 0, -EINVAL if it is not (or no longer) in the cache there, or
 * -EBUSY if @unmapped and a slot is still referenced.
 */
static int swap_cache_claim(struct memcg_engine *e, struct folio *folio,
			    size_t off, bool unmapped)
{
	struct swap_device *dev = e->swap;
	uint32_t pfn = folio_pfn(e->arena, folio);
	long i, nr = folio_nr_pages(folio);
	int err = 0;

	swap_lock_range(dev, off, (size_t)nr);
	for (i = 0; i < nr && !err; i++) {
		if (swap_cache_pfn(dev, off + i) != pfn)
			err = -EINVAL;
		else if (unmapped &&
			 (swap_slot_state(dev, off + i) & SWAP_MAP_MAX))
			err = -EBUSY;
	}
	for (i = 0; i < nr && !err; i++)
		swap_cache_set_pfn(dev, off + i, FOLIO_NONE);
	if (!err)
		__atomic_store_n(folio_swap_of(dev, pfn), 0, __ATOMIC_RELAXED);
	swap_unlock_range(dev, off, (size_t)nr);
	return err;
}

/* The rest of leaving the cache, after a claim. */
static void swap_cache_deleted(struct memcg_engine *e, struct folio *folio)
{
	swapcache_stat(e, folio, -1);
	folio_clear_flag(folio, PG_swapcache);
}

/* Out of the cache; the caller then drops the slots' cache bits. */
static void delete_from_swap_cache(struct memcg_engine *e, struct folio *folio,
				   size_t off)
{
	swap_cache_claim(e, folio, off, false);	/* refs frozen: ours */
	swap_cache_deleted(e, folio);
}

/* Drop a slot's cache bit or one count; a freed slot gives back its charge. */
static bool swap_entry_put(struct memcg_engine *e, size_t off, bool cache)
{
	return swap_slot_put(e->swap, off, cache, memcg_this_cpu(e));
}

void swap_slots_drain_all(struct memcg_engine *e)
{
	unsigned cpu;

	for (cpu = 0; cpu < e->swap->nr_cpus; cpu++)
		swap_slots_drain(e->swap, cpu);
}

static void put_swap_folio(struct memcg_engine *e, size_t off, size_t nr)
{
	size_t i;

	for (i = off; i < off + nr; i++)
		swap_entry_put(e, i, true);
}

static bool folio_in_cache_at(struct memcg_engine *e, struct folio *folio,
			      size_t off)
{
	uint32_t pfn = folio_pfn(e->arena, folio);
	bool ok;

	swap_lock_range(e->swap, off, 1);
	ok = swap_cache_pfn(e->swap, off) == pfn;
	swap_unlock_range(e->swap, off, 1);
	return ok && folio_test_flag(folio, PG_swapcache);
}

int memcg_swap_alloc(struct memcg_engine *e, struct folio *folio,
		     memcg_swp_entry_t *entry)
{
	struct mem_cgroup *memcg;
	size_t off, nr;
	int err;

	if (!folio_of_engine(e, folio) || !entry)
		return -EINVAL;
	entry->val = 0;
	if (!e->swap)
		return -ENODEV;
	if (folio_type(folio) != FOLIO_ANON && folio_type(folio) != FOLIO_SHMEM)
		return -EINVAL;
	if (folio_test_flag(folio, PG_swapcache))
		return -EEXIST;
	folio_objcg_to_memcg(e, folio);	/* the swap cache is per cgroup */
	nr = (size_t)folio_nr_pages(folio);
	memcg = folio_memcg(e, folio);
	if (swap_slots_cache_check(e->swap))
		swap_slots_drain_all(e);	/* running low: return them */
	err = swap_alloc_slots(e->swap, nr, memcg_this_cpu(e), &off);
	if (err) {
		if (memcg)
			memcg_memory_event(memcg, MEMCG_SWAP_FAIL);
		return err;
	}
	err = mem_cgroup_try_charge_swap(e, folio, off);
	if (err) {
		put_swap_folio(e, off, nr);
		return err;
	}
	add_to_swap_cache(e, folio, off);
	entry->val = (uint32_t)off + 1;
	return 0;
}

/**
 * swap_writepage - write a swap-cache folio to its slots (pageout)
 * @e: engine
 * @folio: in the swap cache at @entry
 * @entry: its entry
 *
 * Return: 0 or the write's error (the folio stays in the cache, charged).
 */
int swap_writepage(struct memcg_engine *e, struct folio *folio,
		   memcg_swp_entry_t entry)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);
	long nr = folio_nr_pages(folio);
	int err;

	err = swap_write(e->swap, entry.val - 1, folio_address(e->arena, folio),
			 (size_t)nr);
	if (!err && memcg)
		mod_memcg_state(memcg, MEMCG_PSWPOUT, nr);
	return err;
}

/* Leave the evicted page's shadow in its slots (workingset.c). */
static void swap_set_shadow(struct memcg_engine *e, struct folio *folio,
			    size_t off)
{
	uint64_t shadow = workingset_eviction(e, folio, reclaim_target());
	long i;

	swap_lock_range(e->swap, off, (size_t)folio_nr_pages(folio));
	for (i = 0; i < folio_nr_pages(folio); i++)
		e->swap->shadow[off + (size_t)i] = shadow;
	swap_unlock_range(e->swap, off, (size_t)folio_nr_pages(folio));
}

/* The shadow a swapped-in page left, taken. */
static uint64_t swap_take_shadow(struct memcg_engine *e, size_t off)
{
	uint64_t shadow;

	swap_lock_range(e->swap, off, 1);
	shadow = e->swap->shadow[off];
	e->swap->shadow[off] = 0;
	swap_unlock_range(e->swap, off, 1);
	return shadow;
}

/**
 * swap_remove_mapping - free a written, unmapped swap-cache folio
 * (__remove_mapping): v1 moves the charge to the entry, the slots lose
 * their cache bit, and the final put uncharges (v2)
 * @e: engine
 * @folio: in the swap cache at @entry, written, unmapped
 * @entry: its entry
 * @refs: the references expected (the cache's and the caller's); all are
 *        dropped on success
 *
 * Return: 0, or -EBUSY if someone else holds the folio.
 */
int swap_remove_mapping(struct memcg_engine *e, struct folio *folio,
			memcg_swp_entry_t entry, unsigned refs)
{
	size_t off = entry.val - 1;

	if (!folio_ref_freeze(folio, refs))
		return -EBUSY;
	folio_clear_flag(folio, PG_writeback);
	swap_set_shadow(e, folio, off);
	delete_from_swap_cache(e, folio, off);
	memcg1_swapout(e, folio, off);
	put_swap_folio(e, off, (size_t)folio_nr_pages(folio));
	folio_free_frozen(e, folio);
	return 0;
}

static int swap_pageout_remove(struct memcg_engine *e, struct folio *folio,
			       memcg_swp_entry_t entry, unsigned refs)
{
	int err = swap_writepage(e, folio, entry);

	return err ? err : swap_remove_mapping(e, folio, entry, refs);
}

int memcg_swap_reclaim_folio(struct memcg_engine *e, struct folio *folio,
			     memcg_swp_entry_t entry)
{
	size_t off;
	int err;

	if (!folio_of_engine(e, folio))
		return -EINVAL;
	err = entry_slot(e, entry, &off);

	if (err)
		return err;
	if (!folio_in_cache_at(e, folio, off))
		return -EINVAL;
	err = swap_pageout_remove(e, folio, entry, 1);
	mem_cgroup_release_pending(e);
	return err;
}

/*
 * Out of the cache, the slots' cache bits and charge dropped, the cache's
 * reference put (the caller holds one). With @unmapped, only if no page
 * table refers to the slots. Return: as swap_cache_claim().
 */
static int swap_cancel(struct memcg_engine *e, struct folio *folio, size_t off,
		       bool unmapped)
{
	int err = swap_cache_claim(e, folio, off, unmapped);

	if (err)
		return err;
	swap_cache_deleted(e, folio);
	put_swap_folio(e, off, (size_t)folio_nr_pages(folio));
	folio_put_testzero(folio);
	return 0;
}

int memcg_swap_out(struct memcg_engine *e, struct folio *folio,
		   memcg_swp_entry_t *entry)
{
	size_t off, i, nr;
	int err;

	if (!folio_of_engine(e, folio) || !entry)
		return -EINVAL;
	entry->val = 0;
	if (folio_ref_count(folio) != 1)
		return -EBUSY;
	err = memcg_swap_alloc(e, folio, entry);
	if (err)
		return err;
	off = entry->val - 1;
	nr = (size_t)folio_nr_pages(folio);
	/* the caller's reference on the folio becomes one on each slot */
	for (i = 0; i < nr; i++)
		swap_slot_dup(e->swap, off + i);
	folio_put_testzero(folio);
	err = swap_pageout_remove(e, folio, *entry, 1);
	if (!err) {
		mem_cgroup_release_pending(e);
		return 0;
	}
	folio_get(folio);
	for (i = 0; i < nr; i++)
		swap_entry_put(e, off + i, false);	/* cached: frees nothing */
	swap_cancel(e, folio, off, false);	/* ours alone: cannot fail */
	entry->val = 0;
	mem_cgroup_release_pending(e);
	return err;
}

/**
 * swap_cache_migrate - migrate a swap-cache folio: its charge and its
 * place in the swap cache go to @new (folio_migrate_mapping())
 * @e: engine
 * @old: a folio in the swap cache, held by the caller
 * @new: an uncharged folio of the same shape, held by the caller
 *
 * The kernel freezes @old's references at the count it expects; here the
 * count is checked under the slots' cluster lock, which every lookup of
 * the cache takes before it can take a reference: after the check, the
 * cache hands out @new only.
 *
 * Return: 0; -EBUSY if @old is under writeback, left the cache, or is
 * held by anyone but the caller and the cache; -EINVAL as
 * mem_cgroup_migrate(). Nothing changes on an error.
 */
int swap_cache_migrate(struct memcg_engine *e, struct folio *old,
		       struct folio *new)
{
	memcg_swp_entry_t entry = folio_swap_entry(e, old);
	struct swap_device *dev = e->swap;
	uint32_t opfn = folio_pfn(e->arena, old), npfn = folio_pfn(e->arena, new);
	size_t off, nr = (size_t)folio_nr_pages(old), i;
	int err;

	if (!entry.val || folio_test_flag(old, PG_writeback))
		return -EBUSY;
	off = entry.val - 1;
	swap_lock_range(dev, off, nr);
	if (swap_cache_pfn(dev, off) != opfn || folio_ref_count(old) != 2)
		err = -EBUSY;	/* the caller's and the cache's, no others */
	else
		err = mem_cgroup_migrate(e, old, new);
	if (!err) {
		for (i = off; i < off + nr; i++)
			swap_cache_set_pfn(dev, i, npfn);
		__atomic_store_n(folio_swap_of(dev, npfn), entry.val,
				 __ATOMIC_RELAXED);
		__atomic_store_n(folio_swap_of(dev, opfn), 0, __ATOMIC_RELAXED);
		folio_get(new);			/* the cache's */
		folio_set_flag(new, PG_swapcache);
		folio_clear_flag(old, PG_swapcache);
	}
	swap_unlock_range(dev, off, nr);
	if (!err)
		folio_put_testzero(old);	/* the cache's; the caller's stays */
	return err;
}

/* The cached folio for @off with a reference taken, or NULL; waits out a
 * folio being freed. */
static struct folio *swap_cache_get(struct memcg_engine *e, size_t off);

/**
 * swap_cache_find - the folio in the swap cache for slot @off, referenced
 * @e: engine
 * @off: slot
 *
 * Return: the folio with a reference taken, or NULL.
 */
struct folio *swap_cache_find(struct memcg_engine *e, size_t off)
{
	return e->swap ? swap_cache_get(e, off) : NULL;
}

/*
 * free_swap_and_cache: the last page table let go of @off, whose folio is
 * still in the swap cache. Free them both unless the folio is under
 * writeback or held by anyone but the cache.
 */
static void try_to_reclaim_swap(struct memcg_engine *e, size_t off)
{
	struct folio *folio = swap_cache_get(e, off);
	memcg_swp_entry_t entry;
	size_t head;
	long i;

	if (!folio)
		return;
	/* its run starts at its entry; 0 if it left the cache meanwhile */
	entry = folio_swap_entry(e, folio);
	if (!entry.val)
		goto out;
	head = entry.val - 1;
	for (i = 0; i < folio_nr_pages(folio); i++)
		if (swap_slot_state(e->swap, head + (size_t)i) != SWAP_HAS_CACHE)
			goto out;
	/*
	 * Only the cache and we hold it: out of the cache (unless a page
	 * table took the slot again meanwhile), then off its list; our put
	 * frees it. A reclaim isolating it in between finds it out of the
	 * cache and puts it back; tolerated, as the kernel's trylock-based
	 * version is.
	 */
	if (!folio_test_flag(folio, PG_writeback) &&
	    folio_ref_count(folio) == 2 && !swap_cancel(e, folio, head, true))
		folio_del_lru(e, folio);
out:
	memcg_folio_put(e, folio);
}

int memcg_swap_dup(struct memcg_engine *e, memcg_swp_entry_t entry)
{
	size_t off;
	int err = entry_slot(e, entry, &off);

	return err ? err : swap_slot_dup(e->swap, off);
}

int memcg_swap_free(struct memcg_engine *e, memcg_swp_entry_t entry)
{
	size_t off;
	int err = entry_slot(e, entry, &off);

	if (err)
		return err;
	if (!slot_referenced(e->swap, off))
		return -EINVAL;
	if (swap_entry_put(e, off, false))
		;	/* freed, or in a return cache with its charge */
	else if (swap_slot_state(e->swap, off) == SWAP_HAS_CACHE)
		try_to_reclaim_swap(e, off);
	mem_cgroup_release_pending(e);
	return 0;
}

/*
 * The cached folio for @off with a reference taken, or NULL. A folio
 * being freed (refs frozen by swap_pageout_remove) is waited out: its
 * data is on the device by then.
 */
static struct folio *swap_cache_get(struct memcg_engine *e, size_t off)
{
	struct folio *folio;

	for (;;) {
		folio = NULL;
		swap_lock_range(e->swap, off, 1);
		if (swap_cache_pfn(e->swap, off) != FOLIO_NONE) {
			folio = pfn_folio(e->arena, swap_cache_pfn(e->swap, off));
			if (!folio_try_get(folio))
				folio = (struct folio *)-1;
		}
		swap_unlock_range(e->swap, off, 1);
		if (folio != (struct folio *)-1)
			return folio;
		sched_yield();
	}
}

/* What swap_cache_add_new() found at the slot. */
enum swapin_publish {
	SWAPIN_ADDED,		/* ours is in the cache now */
	SWAPIN_CACHED,		/* another folio is: use that one */
	SWAPIN_BUSY,		/* the cache bit is held: try again */
	SWAPIN_FREED,		/* no page table refers to the slot any more */
};

/*
 * Publish a freshly read folio at @off, as the kernel's swapcache_prepare()
 * claims the slot: only if no folio is cached there, the slot is still
 * referenced, and its cache bit is clear. A cache bit set with no folio
 * cached is a folio on its way out: swap_remove_mapping() took it out of
 * the cache and has not yet dropped the bit (put_swap_folio()). Publishing
 * then would let that put drop the bit of our folio: the slot would be
 * freed under it, or its own put would find the bit gone ("put with state
 * 0"). The kernel's swap-in waits such a slot out (-EEXIST); so do we.
 */
static enum swapin_publish swap_cache_add_new(struct memcg_engine *e,
					      struct folio *folio, size_t off)
{
	struct swap_device *dev = e->swap;
	enum swapin_publish ret = SWAPIN_ADDED;
	uint8_t m;

	swap_lock_range(dev, off, 1);
	m = swap_slot_state(dev, off);
	if (swap_cache_pfn(dev, off) != FOLIO_NONE)
		ret = SWAPIN_CACHED;
	else if (m & SWAP_HAS_CACHE)
		ret = SWAPIN_BUSY;
	else if (!(m & SWAP_MAP_MAX) || swap_slot_bad_free_locked(dev, off))
		ret = SWAPIN_FREED;
	if (ret == SWAPIN_ADDED) {
		swap_cache_set_pfn(dev, off, folio_pfn(e->arena, folio));
		__atomic_store_n(folio_swap_of(dev, swap_cache_pfn(dev, off)),
				 (uint32_t)off + 1, __ATOMIC_RELAXED);
		swap_slot_set(dev, off, m | SWAP_HAS_CACHE);
	}
	swap_unlock_range(dev, off, 1);
	if (ret == SWAPIN_ADDED) {
		folio_get(folio);
		folio_set_flag(folio, PG_swapcache);
		swapcache_stat(e, folio, 1);
	}
	return ret;
}

int swapin_folio(struct memcg_engine *e, memcg_swp_entry_t entry,
		 struct mem_cgroup *memcg, unsigned gfp, struct folio **out,
		 bool *new_folio)
{
	enum swapin_publish publish = SWAPIN_ADDED;
	struct folio *folio;
	size_t off;
	int err = entry_slot(e, entry, &off);

	if (err || !out)
		return err ? err : -EINVAL;
	if (!slot_referenced(e->swap, off))
		return -EINVAL;		/* no page table refers to it */
	*new_folio = false;
	for (;;) {
		folio = swap_cache_get(e, off);
		if (folio)
			break;
		folio = folio_alloc(e->arena, FOLIO_ANON, 0);
		if (!folio)
			return -ENOMEM;
		err = mem_cgroup_swapin_charge_folio(e, folio, memcg, gfp, off);
		if (!err)
			err = swap_read(e->swap, off, folio_address(e->arena, folio), 1);
		if (err == -EIO)	/* its data is lost: never again */
			swap_slot_mark_bad(e->swap, off);
		if (!err)
			publish = swap_cache_add_new(e, folio, off);
		if (!err && publish == SWAPIN_ADDED) {
			uint64_t shadow = swap_take_shadow(e, off);

			mod_memcg_state(folio_memcg(e, folio), MEMCG_PSWPIN, 1);
			mem_cgroup_swapin_uncharge_swap(e, off, 1);
			if (shadow)
				workingset_refault(e, folio, shadow);
			*new_folio = true;
			break;
		}
		memcg_folio_put(e, folio);
		if (err)
			return err;
		if (publish == SWAPIN_FREED)
			return -EINVAL;
		if (publish == SWAPIN_BUSY)
			sched_yield();	/* until its put_swap_folio() */
	}
	*out = folio;
	mem_cgroup_release_pending(e);
	mem_cgroup_return_to_user(e, gfp);
	return 0;
}

int memcg_swapin(struct memcg_engine *e, memcg_swp_entry_t entry,
		 struct mem_cgroup *memcg, unsigned gfp, struct folio **out)
{
	bool new_folio;

	return swapin_folio(e, entry, memcg, gfp, out, &new_folio);
}

int memcg_folio_free_swap(struct memcg_engine *e, struct folio *folio,
			  memcg_swp_entry_t entry)
{
	size_t off;
	int err;

	if (!folio_of_engine(e, folio))
		return -EINVAL;
	err = entry_slot(e, entry, &off);

	if (err)
		return err;
	if (folio_ref_count(folio) < 2)
		return -EINVAL;		/* the caller must hold a reference */
	/*
	 * The claim checks that it is in the cache at @off (-EINVAL if not)
	 * and unmapped; another holder doing the same loses to us or wins.
	 */
	err = swap_cancel(e, folio, off, true);
	mem_cgroup_release_pending(e);
	return err;
}

/**
 * swap_cache_drop_all - free every swap-cache folio nothing maps (engine
 * teardown): writeback is over by then
 * @e: engine
 */
void swap_cache_drop_all(struct memcg_engine *e)
{
	size_t off;

	if (!e->swap)
		return;
	/*
	 * Off first, as swapoff does: with the return caches still active,
	 * the slots the loop below frees would go back into them after the
	 * drain and stay there, recorded and charged, holding their
	 * cgroups' ids past the engine's teardown.
	 */
	swap_slots_cache_disable(e->swap);
	/* a slot in the swap cache is in use: its cluster counts it */
	for (off = swap_next_used(e->swap, 0); off < e->swap->nr_slots;
	     off = swap_next_used(e->swap, off + 1)) {
		struct folio *folio;

		if (swap_slot_state(e->swap, off) != SWAP_HAS_CACHE)
			continue;
		folio = swap_cache_get(e, off);
		if (!folio)
			continue;
		folio_clear_flag(folio, PG_writeback);
		memcg_folio_put(e, folio);
		try_to_reclaim_swap(e, off);
	}
}

long memcg_swap_nr_free(struct memcg_engine *e)
{
	if (!e || !e->swap)
		return -ENODEV;
	return (long)swap_nr_free(e->swap);
}

long memcg_swap_nr_bad(struct memcg_engine *e)
{
	if (!e || !e->swap)
		return -ENODEV;
	return atomic_load(&e->swap->nr_bad);
}

int memcg_swap_inject_fault(struct memcg_engine *e, int err, long after)
{
	enum swap_fault f;

	if (!e || !e->swap)
		return -ENODEV;
	switch (err) {
	case 0: f = SWAP_FAULT_NONE; break;
	case -EIO: f = SWAP_FAULT_EIO; break;
	case -ENOSPC: f = SWAP_FAULT_ENOSPC; break;
	case -EPIPE: f = SWAP_FAULT_SHORT; break;
	default: return -EINVAL;
	}
	pthread_mutex_lock(&e->swap->lock);
	e->swap->fault = f;
	e->swap->fault_after = after;
	atomic_store(&e->swap->fault_armed, f != SWAP_FAULT_NONE);
	pthread_mutex_unlock(&e->swap->lock);
	return 0;
}
