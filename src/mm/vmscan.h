/* SPDX-License-Identifier: MIT */
/*
 * Memory cgroup reclaim, classic LRU (the kernel's mm/vmscan.c), in three
 * files: vmscan.c walks the cgroup tree at decreasing priorities and
 * drives each cgroup's lists (shrink_lruvec); vmscan_balance.c decides how
 * much of each list to scan (get_scan_count, cache trim mode, the anon and
 * file costs); vmscan_lists.c decides what becomes of each folio scanned
 * (shrink_active_list, shrink_inactive_list, folio_check_references).
 *
 * Where Linux 6.1 and 6.12 differ, the engine's profile (cfg.kernel)
 * chooses: only the cost of a reclaim pass differs here (lru_note_cost).
 */
#ifndef MEMCG_MM_VMSCAN_H
#define MEMCG_MM_VMSCAN_H

#include "core/memcontrol.h"

#define DEF_PRIORITY 12

/* The lists reclaim scans: the folio lists, then the host LRU's two. */
enum scan_list {
	SCAN_HOST_INACTIVE = NR_LRU_LISTS,
	SCAN_HOST_ACTIVE,
	NR_SCAN_LISTS
};

/* scan_control.may_deactivate: which active lists may be aged */
#define DEACTIVATE_ANON (1u << 0)
#define DEACTIVATE_FILE (1u << 1)

struct scan_control {
	struct mem_cgroup *target;
	long nr_to_reclaim;
	long nr_reclaimed;
	long anon_cost, file_cost;	/* the target's, at the pass's start */
	long host_bytes;		/* evicted host bytes not yet a page */
	int priority;
	int swappiness;			/* -1: the cgroup's */
	unsigned gfp;
	unsigned may_deactivate;	/* DEACTIVATE_* */
	bool may_swap;
	bool proactive;
	bool memcg_low_reclaim;		/* below-low cgroups are reclaimed too */
	bool memcg_low_skipped;		/* one was skipped for its low */
	bool force_deactivate;		/* age active lists whatever their size */
	bool skipped_deactivate;	/* an active list was left unaged */
	bool cache_trim_mode;		/* plenty of inactive file: file only */
	bool memcg_full_walk;		/* 6.12: no partial walk this time */
	bool kswapd;			/* the machine's reclaim (kswapd's) */
	long nr_unqueued_dirty;		/* MGLRU, per pass: dirty pages taken */
	long nr_file_taken;		/* and file pages taken */
};

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

/* What a scan of an inactive folio decides (folio_check_references). */
enum folio_references {
	FOLIOREF_RECLAIM,
	FOLIOREF_RECLAIM_CLEAN,
	FOLIOREF_KEEP,
	FOLIOREF_ACTIVATE,
};

/* vmscan_balance.c */

/**
 * subtree_sizes - pages on each list of @memcg and its descendants, in
 * one walk (the kernel's hierarchical lruvec stats)
 * @memcg: cgroup
 * @sizes: filled per enum scan_list
 */
void subtree_sizes(struct mem_cgroup *memcg, long sizes[NR_SCAN_LISTS]);

/**
 * inactive_is_low - whether @memcg's subtree has too few inactive pages of
 * one type: inactive * int_sqrt(10 * GiB of both lists) < active
 * @memcg: cgroup
 * @inactive: LRU_INACTIVE_ANON or LRU_INACTIVE_FILE
 */
bool inactive_is_low(struct mem_cgroup *memcg, enum lru_list inactive);

/**
 * refault_activations - pages activated by refault in @memcg's subtree
 * @memcg: cgroup
 * @out: anon, file
 */
void refault_activations(struct mem_cgroup *memcg, long out[2]);

/**
 * sc_swappiness - the pass's swappiness: memory.reclaim's argument, else
 * the cgroup's (v1) or vm.swappiness, 60 (v2)
 */
int sc_swappiness(const struct scan_control *sc, struct mem_cgroup *memcg);

/**
 * prepare_scan_count - per pass: the target's costs, which active lists
 * may be aged, and whether to trim page cache only
 * @sc: scan control, its priority set
 */
void prepare_scan_count(struct scan_control *sc);

/**
 * get_scan_count - pages to scan on each of @memcg's own lists this pass
 * @memcg: cgroup, its effective protection computed
 * @sc: scan control
 * @nr: filled per enum scan_list
 */
void get_scan_count(struct mem_cgroup *memcg, struct scan_control *sc,
		    long nr[NR_SCAN_LISTS]);

/**
 * lru_note_cost - charge reclaim work on one type to @memcg and its
 * ancestors; the costs decay when they exceed a quarter of the lists
 * @memcg: cgroup whose lists were scanned
 * @file: page cache (else anon)
 * @nr_io: pages written or read back
 * @nr_rotated: pages scanned but not reclaimed (counted by 6.12 only)
 */
void lru_note_cost(struct mem_cgroup *memcg, bool file, long nr_io,
		   long nr_rotated);

/* vmscan_lists.c */

/* What a batch held: pages written, dirty pages not under writeback. */
struct reclaim_stat {
	long nr_pageout;
	long nr_unqueued_dirty;
};

/* Room a batch keeps for the pages of a split huge folio (order 9). */
#define HPAGE_PMD_NR 512

/**
 * shrink_folio_list - activate, keep or reclaim each isolated folio
 * @e: engine
 * @folios: isolated folios, each with reclaim's reference
 * @n: how many
 * @cap: room in @folios: a large anon folio reclaim splits (to swap its
 *	pages, or free those nothing maps) adds its other pages at the end,
 *	each to be shrunk in turn, if there is room for them all
 * @stat: what the batch held (zeroed by the caller)
 *
 * Freed folios leave the array, uncharged together (folio_free_batch:
 * 6.12 flushes every 31, 6.1 at the end); the rest are compacted at its
 * start, still isolated, PG_active set on those to activate.
 *
 * Return: pages freed; *@n becomes the folios left.
 */
long shrink_folio_list(struct memcg_engine *e, struct folio **folios,
		       unsigned *n, unsigned cap, struct reclaim_stat *stat);

/**
 * folio_check_references - an isolated inactive folio's fate from its
 * young mappings and PG_referenced, which it clears
 * @e: engine
 * @folio: isolated folio
 */
enum folio_references folio_check_references(struct memcg_engine *e,
					     struct folio *folio);

/**
 * shrink_list - scan up to @nr_to_scan pages of one of @memcg's lists
 * @memcg: cgroup
 * @list: enum scan_list
 * @nr_to_scan: pages
 * @sc: scan control
 *
 * Return: pages reclaimed.
 */
long shrink_list(struct mem_cgroup *memcg, int list, long nr_to_scan,
		 struct scan_control *sc);

/**
 * shrink_active_list - age up to @nr_to_scan pages of an active list
 * @memcg: cgroup
 * @lru: LRU_ACTIVE_ANON or LRU_ACTIVE_FILE
 * @nr_to_scan: pages
 */
void shrink_active_list(struct mem_cgroup *memcg, enum lru_list lru,
			long nr_to_scan);

/* vmscan_lru_gen.c */

/**
 * lru_gen_shrink_lruvec - MGLRU reclaim from one cgroup's own lists:
 * evict from the oldest generations, aging when they run short, until
 * the scan target at this priority is met or the goal reached; a cgroup
 * that aged goes to the young generation of the memcg LRU
 * @memcg: cgroup, not below its effective min
 * @sc: scan control
 */
void lru_gen_shrink_lruvec(struct mem_cgroup *memcg, struct scan_control *sc);

/**
 * lru_gen_shrink_one - global reclaim from one cgroup of the memcg LRU
 * (shrink_one): skipped below min, once below low; then its lists and
 * shrinkers
 * @memcg: cgroup, referenced
 * @sc: scan control, its target the root
 *
 * Return: how to rotate it: MEMCG_LRU_YOUNG once aged, below min or too
 * small twice; MEMCG_LRU_TAIL once below low, offline or too small; 0 to
 * leave it where it is.
 */
int lru_gen_shrink_one(struct mem_cgroup *memcg, struct scan_control *sc);

/**
 * lru_gen_shrink_node - MGLRU reclaim with the root as target (global
 * reclaim, memory.reclaim on the root): the first priority from the
 * inactive pages, then the cgroups in the memcg LRU's order
 * @sc: scan control, its target the root
 */
void lru_gen_shrink_node(struct scan_control *sc);

#endif /* MEMCG_MM_VMSCAN_H */
