// SPDX-License-Identifier: MIT
/* Dirty and writeback page cache: see writeback.h. */
#include <errno.h>
#include <limits.h>

#include "mm/writeback.h"

static void folio_stat(struct memcg_engine *e, struct folio *folio,
		       enum memcg_stat_item idx, long sign)
{
	struct mem_cgroup *memcg = folio_memcg(e, folio);

	if (memcg)
		mod_memcg_state(memcg, idx, sign * folio_nr_pages(folio));
}

void folio_mark_dirty(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_test_set_flag(folio, PG_dirty))
		folio_stat(e, folio, MEMCG_FILE_DIRTY, 1);
}

/*
 * Writeback set before dirty is cleared, so that the folio is never seen
 * clean while it goes; both bits by test-and-set/clear, so that a
 * truncation cancelling the dirty state meanwhile counts it once, as the
 * kernel's folio lock orders folio_clear_dirty_for_io() and
 * folio_cancel_dirty().
 */
bool folio_start_writeback(struct memcg_engine *e, struct folio *folio)
{
	if (folio_test_set_flag(folio, PG_writeback))
		return false;
	if (!folio_test_clear_flag(folio, PG_dirty)) {
		folio_clear_flag(folio, PG_writeback);
		return false;
	}
	folio_stat(e, folio, MEMCG_FILE_WRITEBACK, 1);
	folio_stat(e, folio, MEMCG_FILE_DIRTY, -1);
	return true;
}

void folio_end_writeback(struct memcg_engine *e, struct folio *folio)
{
	folio_clear_flag(folio, PG_writeback);
	folio_stat(e, folio, MEMCG_FILE_WRITEBACK, -1);
	if (folio_test_flag(folio, PG_reclaim)) {
		folio_clear_flag(folio, PG_reclaim);
		folio_rotate_reclaimable(e, folio);
	}
}

void folio_cancel_dirty(struct memcg_engine *e, struct folio *folio)
{
	if (folio_test_clear_flag(folio, PG_dirty))
		folio_stat(e, folio, MEMCG_FILE_DIRTY, -1);
}

static void client_writeback(struct memcg_engine *e, struct mem_cgroup *memcg,
			     long nr_pages)
{
	const struct memcg_folio_client_ops *ops = e->folio_client;

	if (ops && ops->writeback)
		ops->writeback(e->folio_client_priv, memcg, nr_pages);
}

void wakeup_flusher_threads(struct memcg_engine *e)
{
	client_writeback(e, NULL, 0);	/* WB_REASON_VMSCAN: all of it */
}

#define DIRTY_RATIO 20			/* vm.dirty_ratio */
#define DIRTY_BACKGROUND_RATIO 10	/* vm.dirty_background_ratio */

/* Room below memory.max and memory.high up the tree (mem_cgroup_wb_stats). */
static long memcg_headroom(struct mem_cgroup *memcg)
{
	long headroom = LONG_MAX;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		long ceiling = atomic_load(&memcg->memory.max);
		long high = atomic_load(&memcg->memory.high);
		long used = page_counter_read(&memcg->memory);

		if (high < ceiling)
			ceiling = high;
		if (ceiling - used < headroom)
			headroom = ceiling > used ? ceiling - used : 0;
	}
	return headroom;
}

static long dirty_pages(struct mem_cgroup *memcg)
{
	return memcg_page_state(memcg, MEMCG_FILE_DIRTY) +
	       memcg_page_state(memcg, MEMCG_FILE_WRITEBACK);
}

/*
 * What a domain could cache (global_dirtyable_memory, mdtc_calc_avail):
 * the machine's file pages and free memory; a cgroup's file pages plus
 * its headroom, as far as the rest of the machine has clean or free
 * memory to give it.
 */
static long dirty_avail(struct memcg_engine *e, struct mem_cgroup *memcg)
{
	long global = memcg_page_state(e->root, MEMCG_FILE) +
		      (long)folio_arena_nr_free(e->arena);
	long file, clean, global_clean, other_clean, headroom;

	if (mem_cgroup_is_root(memcg))
		return global;
	file = memcg_page_state(memcg, MEMCG_FILE);
	clean = file - dirty_pages(memcg);
	global_clean = global - dirty_pages(e->root);
	other_clean = global_clean > clean ? global_clean - clean : 0;
	headroom = memcg_headroom(memcg);
	return file + (headroom < other_clean ? headroom : other_clean);
}

/*
 * Past the freerun ceiling, halfway between the background and the hard
 * threshold, background writeback starts and goes on while the domain is
 * over the background threshold (wb_over_bg_thresh).
 */
static long over_background(struct memcg_engine *e, struct mem_cgroup *memcg)
{
	long avail = dirty_avail(e, memcg), dirty = dirty_pages(memcg);
	long bg_thresh = avail * DIRTY_BACKGROUND_RATIO / 100;
	long thresh = avail * DIRTY_RATIO / 100;

	if (dirty <= (bg_thresh + thresh) / 2)
		return 0;
	return dirty - bg_thresh;
}

void balance_dirty_pages_ratelimited(struct memcg_engine *e,
				     struct mem_cgroup *memcg)
{
	long nr = over_background(e, e->root);

	if (nr > 0)
		client_writeback(e, NULL, nr);	/* the machine's domain */
	if (!mem_cgroup_is_root(memcg) && (nr = over_background(e, memcg)) > 0)
		client_writeback(e, memcg, nr);	/* the cgroup's own */
}

int memcg_folio_mark_dirty(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_of_engine(e, folio) || folio_type(folio) != FOLIO_FILE) {
		memcg_folio_misuse(__func__, folio);
		return -EINVAL;
	}
	folio_mark_dirty(e, folio);
	return 0;
}

int memcg_folio_start_writeback(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_of_engine(e, folio) || folio_type(folio) != FOLIO_FILE) {
		memcg_folio_misuse(__func__, folio);
		return -EINVAL;
	}
	return folio_start_writeback(e, folio) ? 0 : -EAGAIN;
}

int memcg_folio_end_writeback(struct memcg_engine *e, struct folio *folio)
{
	if (!folio_of_engine(e, folio) ||
	    !folio_test_flag(folio, PG_writeback)) {
		memcg_folio_misuse(__func__, folio);
		return -EINVAL;
	}
	folio_end_writeback(e, folio);
	return 0;
}
