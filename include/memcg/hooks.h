/* SPDX-License-Identifier: MIT */
/*
 * libmemcg's hooks: how a client (an embedding program, or the bundled
 * simulator) tells the engine what reclaim and the OOM killer act on, and
 * which clock throttling and pressure run on. docs/DESIGN.md draws the
 * layers and says when each callback runs.
 *
 * Every callback runs on the thread that needs it (a charging thread in
 * reclaim or OOM, a memory.reclaim or memory.max writer), with no engine
 * lock held unless its comment says so. A callback may call any public
 * function except the registration it runs under (unregistering itself
 * waits for the call to end).
 */
#ifndef MEMCG_HOOKS_H
#define MEMCG_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memcg/memcg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- the clock --- */

/**
 * struct memcg_clock_ops - a clock for throttling, pressure and the
 * periodic statistics flush
 * @now_ns: monotonic time in nanoseconds; called on the charge path too
 *          (once per stock refill), so it must not take a lock the
 *          charging thread may hold
 * @sleep_ns: let @ns pass for the calling thread (a virtual clock advances)
 */
struct memcg_clock_ops {
	uint64_t (*now_ns)(void *priv);
	void (*sleep_ns)(void *priv, uint64_t ns);
};

/**
 * memcg_set_clock - choose the engine's clock
 * @e: engine, before other threads use it and before any stall is timed
 *     (memory.pressure keeps times taken on the clock it started with)
 * @ops: the clock, or NULL for real time (CLOCK_MONOTONIC and nanosleep,
 *       the default): memory.high throttling then really sleeps
 * @priv: passed to @ops
 *
 * Return: 0, or -EINVAL if @ops lacks a function.
 */
MEMCG_API int memcg_set_clock(struct memcg_engine *e,
			      const struct memcg_clock_ops *ops, void *priv);

/**
 * memcg_clock_now_ns - the engine's clock
 * @e: engine
 */
MEMCG_API uint64_t memcg_clock_now_ns(struct memcg_engine *e);

/* --- folios on the engine's LRU lists --- */

/**
 * struct memcg_folio_client_ops - what reclaim asks of the client that maps
 * and caches the folios it put on the engine's LRU (the simulator's tasks
 * and page cache are one such client)
 * @try_to_unmap: an isolated anon or shmem folio, now in the swap cache at
 *	@entry: replace every mapping of it with @entry (memcg_swap_dup()
 *	once per mapping) and drop the mappings' folio references. Return
 *	true if nothing maps it any more (also when nothing did).
 * @remove_mapping: an isolated clean file folio: take it out of the page
 *	cache if only the cache and reclaim hold it, and free it (the
 *	cache's reference goes with memcg_folio_put() or a frozen free).
 *	Return true if it left the cache.
 * @release: engine teardown, before anything else: drop every folio,
 *	swap entry and cgroup reference the client holds. May be NULL.
 * @referenced: the kernel's folio_referenced(): count the mappings of a
 *	folio accessed since the last call (the page table's young bit),
 *	clearing that bit; 0 when nothing maps it, -1 to have reclaim try
 *	again later. May be NULL: nothing is mapped, and only
 *	memcg_folio_mark_accessed() tells reclaim of use. With the
 *	multi-generational LRU, a young mapping's neighbours in the same
 *	page table (up to 32 pages either side, as lru_gen_look_around())
 *	may be reported too, each through memcg_folio_young().
 * @walk_mm: multi-generational LRU aging (lru_gen's page-table walk):
 *	look through the address spaces whose owner is in @memcg itself
 *	(not its descendants) and, for each young mapping of a folio, call
 *	memcg_folio_young() and clear the young bit if it returns true.
 *	@seq names the generation being closed, for a client that keeps
 *	per-walk state (the kernel's Bloom filters); skip anon mappings
 *	unless @can_swap. May be NULL: aging then only opens a generation,
 *	and young mappings are found by @referenced at eviction.
 * @writeback: write back dirty folios now or soon, each between
 *	memcg_folio_start_writeback() and memcg_folio_end_writeback():
 *	those of @memcg's subtree, at least @nr_pages of them (background
 *	writeback past the dirty threshold), or with @memcg NULL all of
 *	them (reclaim found a batch of only dirty page cache, the kernel's
 *	wakeup_flusher_threads()). May be NULL: nothing is ever dirty.
 * @split: an isolated large anon folio, not in the swap cache, that
 *	reclaim splits before swapping its pages out (split_folio_to_list()):
 *	turn a mapping of it as a whole into mappings of its pages, split
 *	it with memcg_split_folio() into @pages (head first), and leave each
 *	page one reference per mapping of it plus reclaim's one. With
 *	@partial_only, only if nothing maps it as a whole (-EAGAIN
 *	otherwise). Return 0, or a negative errno to keep it whole (-EBUSY:
 *	someone else holds it). May be NULL: reclaim swaps a large folio out
 *	whole or not at all.
 *
 * The reclaim callbacks run on the reclaiming thread with no engine
 * lock held; the folio is isolated (off the LRU, reclaim holds a reference).
 */
struct memcg_folio_client_ops {
	bool (*try_to_unmap)(void *priv, struct folio *folio,
			     memcg_swp_entry_t entry);
	bool (*remove_mapping)(void *priv, struct folio *folio);
	void (*release)(void *priv);
	int (*referenced)(void *priv, struct folio *folio);
	void (*writeback)(void *priv, struct mem_cgroup *memcg, long nr_pages);
	void (*walk_mm)(void *priv, struct mem_cgroup *memcg, unsigned long seq,
			bool can_swap);
	int (*split)(void *priv, struct folio *folio, bool partial_only,
		     struct folio **pages);
};

/**
 * memcg_folio_young - a young mapping of @folio was found by @walk_mm or
 * by @referenced's look-around: under the multi-generational LRU the
 * folio joins the youngest generation (or is activated, outside aging
 * and proactive reclaim)
 * @e: engine
 * @folio: a folio the client maps
 *
 * Return: true if the young bit was consumed (clear it); false when the
 * folio belongs to another cgroup than the walk's, is anon while anon
 * cannot be swapped (in a look-around: beside a page-cache folio), or no
 * walk is under way (classic LRU included).
 */
MEMCG_API bool memcg_folio_young(struct memcg_engine *e, struct folio *folio);

/**
 * memcg_workingset_eviction - the shadow a page-cache folio leaves as the
 * client's @remove_mapping frees it (the kernel's workingset_eviction())
 * @e: engine
 * @folio: a file folio being removed from the client's cache, still charged
 *
 * Keep the shadow where the page was; hand it to
 * memcg_workingset_refault() when the page is read again.
 *
 * Return: a nonzero shadow, or 0 after a misuse (not a file folio).
 */
MEMCG_API uint64_t memcg_workingset_eviction(struct memcg_engine *e,
					     struct folio *folio);

/**
 * memcg_workingset_refault - a page comes back where a shadow was: count
 * the refault, and activate the new folio (or restore its tier, under
 * MGLRU) when the page was evicted recently enough to be in the working set
 * @e: engine
 * @folio: the new file folio, charged, not yet on the LRU
 * @shadow: what memcg_workingset_eviction() returned
 *
 * Return: 0, or -EINVAL for a folio on the LRU or a value that is not a
 * shadow.
 */
MEMCG_API int memcg_workingset_refault(struct memcg_engine *e,
				       struct folio *folio, uint64_t shadow);

/**
 * memcg_folio_mark_dirty - a write to a page-cache folio: dirty until
 * written back (memory.stat file_dirty); reclaim will not drop it
 * @e: engine
 * @folio: a charged MEMCG_FOLIO_FILE folio the caller holds
 *
 * Return: 0, or -EINVAL for another type or engine.
 */
MEMCG_API int memcg_folio_mark_dirty(struct memcg_engine *e,
				     struct folio *folio);

/**
 * memcg_folio_start_writeback - a dirty folio's write begins
 * @e: engine
 * @folio: a folio the caller holds
 *
 * Return: 0, -EAGAIN if it is not dirty or already under writeback,
 * -EINVAL.
 */
MEMCG_API int memcg_folio_start_writeback(struct memcg_engine *e,
					  struct folio *folio);

/**
 * memcg_folio_end_writeback - the write is done: the folio is clean, and
 * goes to the inactive tail if reclaim was waiting for it
 * @e: engine
 * @folio: a folio under writeback the caller holds
 *
 * Return: 0, or -EINVAL if it is not under writeback.
 */
MEMCG_API int memcg_folio_end_writeback(struct memcg_engine *e,
					struct folio *folio);

/**
 * memcg_set_folio_client - register the client of the engine's folio LRU
 * @e: engine, before other threads use it
 * @ops: callbacks, or NULL to unregister
 * @priv: passed to @ops
 *
 * Without a client, reclaim treats anon folios as unmapped and keeps file
 * folios (nothing caches them).
 *
 * Return: 0, -EBUSY if another client is registered, -EINVAL.
 */
MEMCG_API int memcg_set_folio_client(struct memcg_engine *e,
				     const struct memcg_folio_client_ops *ops,
				     void *priv);

/**
 * memcg_folio_client_priv - the @priv of the registered folio client
 * @e: engine
 * @ops: the ops the caller registered with
 *
 * Return: its @priv, or NULL if @ops is not the registered client.
 */
MEMCG_API void *memcg_folio_client_priv(struct memcg_engine *e,
					const struct memcg_folio_client_ops *ops);

/**
 * memcg_folio_add_lru - put a charged folio on its cgroup's LRU lists,
 * where reclaim finds it
 * @e: engine
 * @folio: a folio the caller holds, not on a list
 */
MEMCG_API void memcg_folio_add_lru(struct memcg_engine *e, struct folio *folio);

/**
 * memcg_folio_mark_accessed - an access to @folio (mark_page_accessed):
 * referenced, or activated on a second access while inactive
 * @e: engine
 * @folio: a folio the caller holds
 */
MEMCG_API void memcg_folio_mark_accessed(struct memcg_engine *e,
					 struct folio *folio);

/* --- OOM victims --- */

struct memcg_victim;

/**
 * struct memcg_victim_ops - a task or tenant the OOM killer may kill
 * @badness_pages: what killing it would free, in pages: resident, swapped
 *	and page-table pages, as oom_badness() sums them. Runs with the
 *	victim registry's lock held: it must not register, unregister or
 *	move victims.
 * @kill: the OOM killer chose it (or its memory.oom.group): free its
 *	memory now or soon, then memcg_victim_unregister(). Called once, with
 *	no engine lock held, possibly from another thread's charge; it may
 *	unregister from inside the call. A victim still registered 1 s (the
 *	engine clock) after its kill is skipped, as the kernel's OOM reaper
 *	gives up; until then, OOMs in its domain wait for it.
 */
struct memcg_victim_ops {
	long (*badness_pages)(void *priv);
	void (*kill)(void *priv);
};

/**
 * memcg_victim_register - make @priv killable by the OOM killer, in @memcg
 * @memcg: its cgroup; the victim holds a reference on it
 * @ops: callbacks
 * @priv: passed to @ops
 * @out: the victim handle
 *
 * Registering does not count a task in the cgroup (see
 * memcg_attach_task()); a victim is only what OOM may kill.
 *
 * Return: 0, -EINVAL (NULL ops or callbacks), -ENOMEM.
 */
MEMCG_API int memcg_victim_register(struct mem_cgroup *memcg,
				    const struct memcg_victim_ops *ops,
				    void *priv, struct memcg_victim **out);

/**
 * memcg_victim_unregister - the victim's memory is gone (or it never will
 * be killed): forget it
 * @v: victim or NULL; the handle is invalid afterwards
 */
MEMCG_API void memcg_victim_unregister(struct memcg_victim *v);

/**
 * memcg_victim_move - the victim now belongs to @to
 * @v: victim
 * @to: cgroup of the same engine
 *
 * Return: 0 or -EINVAL.
 */
MEMCG_API int memcg_victim_move(struct memcg_victim *v, struct mem_cgroup *to);

/**
 * memcg_victim_set_oom_score_adj - the kernel's oom_score_adj
 * @v: victim
 * @adj: -1000 (never killed) to 1000
 *
 * Return: 0 or -EINVAL.
 */
MEMCG_API int memcg_victim_set_oom_score_adj(struct memcg_victim *v, int adj);

/** memcg_victim_killed - whether the OOM killer chose @v */
MEMCG_API bool memcg_victim_killed(struct memcg_victim *v);

/**
 * memcg_victim_enter - the calling thread runs as @v (the kernel's
 * current task) until memcg_victim_leave()
 * @v: victim
 *
 * A charge that gets its own victim killed then fails at once, as a dying
 * task's does; memory.high throttling is paid by memcg_handle_over_high()
 * at the client's own return points instead of at each API call.
 */
MEMCG_API void memcg_victim_enter(struct memcg_victim *v);
/** memcg_victim_leave - the thread no longer runs as a victim */
MEMCG_API void memcg_victim_leave(void);

/**
 * memcg_handle_over_high - pay for this thread's charges over memory.high:
 * reclaim, then sleep the kernel's penalty on the engine clock (at most
 * 2 s); the return-to-user step of mem_cgroup_handle_over_high()
 * @e: engine
 *
 * Public charge functions call it on return, except in a thread that
 * entered a victim; such a client calls it at its own return points.
 */
MEMCG_API void memcg_handle_over_high(struct memcg_engine *e);

enum memcg_oom_action {
	MEMCG_OOM_DEFAULT,	/* select and kill a victim, as the kernel */
	MEMCG_OOM_RETRY,	/* the handler freed memory: retry the charge */
	MEMCG_OOM_FAIL,		/* kill nothing: the charge fails (-ENOMEM) */
};

/**
 * memcg_oom_handler_t - decides an OOM instead of the kernel's selection
 * @priv: the handler's data
 * @domain: the cgroup over its limit, or NULL for the whole engine
 * @nr_pages: the charge that needs room
 *
 * Runs with the engine's OOM lock held (one OOM at a time), after the
 * kernel's reclaim retries failed. It may free memory, kill its own
 * tenants and call memcg_victim_*(); it must not charge.
 */
typedef enum memcg_oom_action (*memcg_oom_handler_t)(void *priv,
						     struct mem_cgroup *domain,
						     long nr_pages);

/**
 * memcg_set_oom_handler - install (or with NULL remove) an OOM handler
 * @e: engine
 * @fn: handler
 * @priv: passed to @fn
 *
 * Return: 0 or -EINVAL.
 */
MEMCG_API int memcg_set_oom_handler(struct memcg_engine *e,
				    memcg_oom_handler_t fn, void *priv);

/* --- shrinkers: caches the program can shrink on request --- */

/* scan_objects: stop this shrinker for this reclaim pass */
#define MEMCG_SHRINK_STOP (~0UL)
/* count_objects: nothing to free in this cgroup */
#define MEMCG_SHRINK_EMPTY (~0UL - 1)
/* a cache whose objects cost this much to recreate (the kernel's) */
#define MEMCG_DEFAULT_SEEKS 2
/* ops->flags: count and scan per cgroup (SHRINKER_MEMCG_AWARE) */
#define MEMCG_SHRINKER_MEMCG_AWARE (1u << 0)

/**
 * struct memcg_shrink_control - one request to a shrinker
 * @memcg: the cgroup whose objects to count or scan (the root: all of a
 *	shrinker that is not memcg-aware)
 * @gfp: the reclaiming charge's MEMCG_GFP_* flags
 * @nr_to_scan: scan_objects: objects to look at
 * @nr_scanned: scan_objects may lower it to what it looked at
 */
struct memcg_shrink_control {
	struct mem_cgroup *memcg;
	unsigned gfp;
	unsigned long nr_to_scan;
	unsigned long nr_scanned;
};

/**
 * struct memcg_shrinker_ops - a cache reclaim can shrink (struct shrinker)
 * @count_objects: freeable objects of @sc->memcg, or MEMCG_SHRINK_EMPTY
 * @scan_objects: free up to @sc->nr_to_scan objects of @sc->memcg (and
 *	uncharge their memory); return how many were freed, or
 *	MEMCG_SHRINK_STOP. A return above nr_to_scan is clamped to it.
 * @seeks: cost to recreate an object; 0: free to recreate (half the cache
 *	goes per pass); MEMCG_DEFAULT_SEEKS for most caches
 * @batch: objects per scan_objects call; 0: 128 (SHRINK_BATCH)
 * @flags: MEMCG_SHRINKER_MEMCG_AWARE, or 0 for a cache only global
 *	reclaim (of the root) shrinks
 *
 * Reclaim calls a shrinker once per cgroup it visits, after that
 * cgroup's LRU lists, asking to scan (freeable >> priority) * 4 / seeks
 * objects plus work deferred from earlier passes, as do_shrink_slab().
 * Callbacks run with the engine's shrinker lock held for reading: they
 * must not register or unregister shrinkers.
 */
struct memcg_shrinker_ops {
	unsigned long (*count_objects)(void *priv,
				       struct memcg_shrink_control *sc);
	unsigned long (*scan_objects)(void *priv,
				      struct memcg_shrink_control *sc);
	int seeks;
	long batch;
	unsigned flags;
};

struct memcg_shrinker;

/**
 * memcg_shrinker_register - add a shrinker to the engine's reclaim
 * @e: engine
 * @ops: callbacks and parameters, kept by reference
 * @priv: passed to @ops
 * @out: the shrinker handle
 *
 * Return: 0, -EINVAL (NULL or missing callbacks, negative seeks or batch),
 * -EEXIST (the same @ops and @priv are registered), -ENOMEM.
 */
MEMCG_API int memcg_shrinker_register(struct memcg_engine *e,
				      const struct memcg_shrinker_ops *ops,
				      void *priv, struct memcg_shrinker **out);

/**
 * memcg_shrinker_unregister - remove a shrinker; returns once no reclaim
 * is calling it
 * @s: shrinker or NULL
 */
MEMCG_API void memcg_shrinker_unregister(struct memcg_shrinker *s);

/* --- the host LRU: a program's own reclaimable units --- */

struct memcg_lru_unit;

/**
 * struct memcg_lru_ops - how reclaim evicts a program's unit
 * @evict: reclaim chose @u and took it off its list (isolated it): free
 *	the object and uncharge its memory, and return 0 (the engine does
 *	not touch @u again; the program may memcg_lru_add() it anew); or
 *	return a negative errno to refuse, and @u
 *	goes back to its list. Runs on the reclaiming thread with no engine
 *	lock held; while it runs, memcg_lru_del(@u) answers -EBUSY, so a
 *	program freeing the same object elsewhere must leave it to evict.
 */
struct memcg_lru_ops {
	int (*evict)(struct memcg_lru_unit *u);
};

/**
 * struct memcg_lru_unit - a reclaimable unit, embedded in the program's
 * object; its fields belong to the engine
 */
struct memcg_lru_unit {
	struct memcg_lru_unit *lru_next, *lru_prev;
	struct mem_cgroup *memcg;
	const struct memcg_lru_ops *ops;
	size_t bytes;
	unsigned flags;
};

/**
 * memcg_lru_add - put a unit on @memcg's LRU, inactive, where reclaim
 * finds it as it finds page cache (same lists logic, same protection)
 * @memcg: cgroup; the unit holds a reference while listed
 * @u: unit, not on a list
 * @bytes: the memory evicting it frees, > 0
 * @ops: its evict callback, kept by reference
 *
 * Return: 0, -EINVAL (NULL, zero size, already listed), -ENOENT (offline
 * cgroup).
 */
MEMCG_API int memcg_lru_add(struct mem_cgroup *memcg, struct memcg_lru_unit *u,
			    size_t bytes, const struct memcg_lru_ops *ops);

/**
 * memcg_lru_touch - the unit was used: it gets another round on the
 * active list when reclaim next sees it (the accessed bit)
 * @u: a listed unit; a store, no lock
 */
MEMCG_API void memcg_lru_touch(struct memcg_lru_unit *u);

/**
 * memcg_lru_del - take a unit off its LRU (the program frees it itself)
 * @u: unit
 *
 * Return: 0, -ENOENT if it is not listed (never added, or deleted), or
 * -EBUSY while reclaim is evicting it (its evict callback runs).
 */
MEMCG_API int memcg_lru_del(struct memcg_lru_unit *u);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_HOOKS_H */
