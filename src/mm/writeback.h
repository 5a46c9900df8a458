/* SPDX-License-Identifier: MIT */
/*
 * Dirty and writeback page cache (the kernel's mm/page-writeback.c, the
 * part that accounts): a written folio is dirty until the flusher writes
 * it back. memory.stat counts both states (file_dirty, file_writeback).
 * Reclaim does not write page cache itself: it marks a dirty folio
 * PG_reclaim, activates it, and wakes the flusher when a batch held only
 * dirty folios; once written, the folio goes to the inactive tail.
 */
#ifndef MEMCG_MM_WRITEBACK_H
#define MEMCG_MM_WRITEBACK_H

#include "core/memcontrol.h"

/**
 * folio_mark_dirty - a write to a page-cache folio
 * @e: engine
 * @folio: a charged file folio the caller holds
 */
void folio_mark_dirty(struct memcg_engine *e, struct folio *folio);

/**
 * folio_start_writeback - dirty becomes writeback (clear_page_dirty_for_io)
 * @e: engine
 * @folio: a dirty folio the caller holds
 *
 * Return: false if it was not dirty (nothing to write).
 */
bool folio_start_writeback(struct memcg_engine *e, struct folio *folio);

/**
 * folio_end_writeback - the write is done: clean, and rotated to the
 * inactive tail if reclaim asked for it
 * @e: engine
 * @folio: a folio under writeback the caller holds
 */
void folio_end_writeback(struct memcg_engine *e, struct folio *folio);

/**
 * folio_cancel_dirty - forget a dirty folio's state before it is freed
 * (truncation, teardown)
 * @e: engine
 * @folio: folio
 */
void folio_cancel_dirty(struct memcg_engine *e, struct folio *folio);

/**
 * wakeup_flusher_threads - reclaim found only dirty folios: have the
 * folio client write back what is dirty
 * @e: engine
 */
void wakeup_flusher_threads(struct memcg_engine *e);

/**
 * balance_dirty_pages_ratelimited - after a write: background writeback
 * when the machine's or @memcg's dirty pages pass 15% of what it could
 * cache, down to 10% (dirty_background_ratio; dirty_ratio is 20)
 * @e: engine
 * @memcg: the writer's cgroup
 */
void balance_dirty_pages_ratelimited(struct memcg_engine *e,
				     struct mem_cgroup *memcg);

#endif /* MEMCG_MM_WRITEBACK_H */
