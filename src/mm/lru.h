/* SPDX-License-Identifier: MIT */
/*
 * Per-cgroup LRU lists (the kernel's lruvec): inactive/active anon,
 * inactive/active file, unevictable; or, with the multi-generational LRU
 * (cfg.reclaim MGLRU), up to four generations of anon and of file, and
 * the unevictable list. Lists link folios through their lru_next/lru_prev
 * frame indices; the head is the most recently added, reclaim takes from
 * the tail.
 *
 * Locking: lruvec->lock protects the lists, their sizes and PG_lru. A
 * folio on a list holds no reference: reclaim takes one with
 * folio_try_get() when it isolates, and the final put takes the folio off
 * its list before uncharging it.
 */
#ifndef MEMCG_MM_LRU_H
#define MEMCG_MM_LRU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "memcg/hooks.h"
#include "mm/folio.h"

/* Reclaim's batch: folios isolated at once, pages scanned per step. */
#define SWAP_CLUSTER_MAX 32

enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

/* A list of a program's units (host_lru.c), head most recently added. */
struct host_lru_list {
	struct memcg_lru_unit *head, *tail;
	long nr_bytes;
};

enum host_lru { HOST_LRU_INACTIVE, HOST_LRU_ACTIVE, NR_HOST_LRU };

/* A list of folios: frame indices, FOLIO_NONE when empty. */
struct flist {
	uint32_t head, tail;
};

/*
 * The multi-generational LRU (the kernel's lru_gen_folio). Generations
 * are numbered by sequence: file folios live in [min_seq[1], max_seq],
 * anon in [min_seq[0], max_seq], at most MAX_NR_GENS of them, and a
 * sequence's list is folios[seq % MAX_NR_GENS]. Reclaim evicts from the
 * oldest; aging opens a new youngest generation and promotes what was
 * accessed through page tables into it. The counters feed the PID
 * controller between tiers and types (lru_gen.c). Under the lruvec's
 * lock, except the atomics.
 */
#define MIN_NR_GENS 2
#define MAX_NR_GENS 4
#define MAX_NR_TIERS 4
#define MIN_LRU_BATCH 64
#define MAX_LRU_BATCH (MIN_LRU_BATCH * 64)

enum { LRU_GEN_ANON, LRU_GEN_FILE, ANON_AND_FILE };

/* A cgroup's place in the memcg LRU (lru_gen_memcg.h); NULL: on none. */
struct memcg_lru_node {
	struct memcg_lru_node *prev, *next;
};

struct mem_cgroup;

struct lru_gen_folio {
	unsigned long max_seq;
	unsigned long min_seq[ANON_AND_FILE];
	struct flist folios[MAX_NR_GENS][ANON_AND_FILE];
	long nr_pages[MAX_NR_GENS][ANON_AND_FILE];
	unsigned long avg_refaulted[ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long avg_total[ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long protected[ANON_AND_FILE][MAX_NR_TIERS - 1];
	atomic_long evicted[ANON_AND_FILE][MAX_NR_TIERS];
	atomic_long refaulted[ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long mm_seq;		/* aging walks done (mm_state->seq) */
	/* the memcg LRU (lru_gen_memcg.c), under its lock but seg */
	struct memcg_lru_node list;
	struct mem_cgroup *memcg;	/* the owner, set at online */
	int gen;			/* memcg generation */
	atomic_int seg;			/* MEMCG_LRU_HEAD, _TAIL or 0 */
};

struct lruvec {
	pthread_mutex_t lock;
	struct flist lists[NR_LRU_LISTS];
	/* pages per list; with MGLRU the two youngest generations count as active */
	long nr_pages[NR_LRU_LISTS];
	struct lru_gen_folio *lrugen;	/* MGLRU only */
	struct host_lru_list host[NR_HOST_LRU];	/* under lock too */
	long anon_cost, file_cost;	/* reclaim work (vmscan_balance.c) */
	atomic_long nonresident_age;	/* evictions + activations (workingset.c) */
	atomic_long refaults[2];	/* activations at the last reclaim's end */
};

struct memcg_engine;

static inline bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}

static inline bool is_active_lru(enum lru_list lru)
{
	return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE;
}

/**
 * lruvec_init - empty lists
 * @lruvec: lists
 * @lru_gen: with the multi-generational LRU
 *
 * Return: 0 or -ENOMEM.
 */
int lruvec_init(struct lruvec *lruvec, bool lru_gen);
void lruvec_destroy(struct lruvec *lruvec);

/* Linking, lock held; flist_del() needs @l only at either end of it. */
void flist_add(struct folio_arena *a, struct flist *l, struct folio *folio);
void flist_add_tail(struct folio_arena *a, struct flist *l, struct folio *folio);
void flist_del(struct folio_arena *a, struct flist *l, struct folio *folio);
/* Move all of @from before @to's head: both keep their order. */
void flist_splice(struct folio_arena *a, struct flist *from, struct flist *to);

/* memcg_stat.c: the list's memory.stat item follows its size */
void memcg_lru_size_stat(struct lruvec *lruvec, enum lru_list lru, long nr);

/* List sizes are read without the lock as scan targets. */
static inline void lru_size_add(struct lruvec *lruvec, enum lru_list lru, long nr)
{
	__atomic_store_n(&lruvec->nr_pages[lru], lruvec->nr_pages[lru] + nr,
			 __ATOMIC_RELAXED);
	memcg_lru_size_stat(lruvec, lru, nr);
}

/**
 * folio_lru_list - the list a folio belongs on, from its type and flags
 * @folio: folio
 */
enum lru_list folio_lru_list(const struct folio *folio);

/**
 * folio_add_lru - put a charged folio on its cgroup's lists
 * @e: engine
 * @folio: a folio the caller holds, not on a list
 */
void folio_add_lru(struct memcg_engine *e, struct folio *folio);

/**
 * folio_add_lru_fault - as folio_add_lru(), for a folio a page fault
 * brought in: with MGLRU it joins the youngest generation
 * @e: engine
 * @folio: a folio the caller holds, not on a list
 */
void folio_add_lru_fault(struct memcg_engine *e, struct folio *folio);

/**
 * folio_del_lru - take a folio off its list, if it is on one
 * @e: engine
 * @folio: folio; its cgroup must not change meanwhile
 */
void folio_del_lru(struct memcg_engine *e, struct folio *folio);

/**
 * lruvec_isolate - take folios from the tail of @lru until @nr_to_scan
 * pages are scanned
 * @e: engine
 * @lruvec: lists
 * @lru: which list
 * @nr_to_scan: pages to look at
 * @out: isolated folios (up to SWAP_CLUSTER_MAX), each with a reference
 *	taken and PG_lru clear
 * @nr_scanned: folios looked at (pages)
 *
 * Folios whose refcount is already 0 (being freed) are left alone.
 *
 * Return: the number of folios in @out.
 */
unsigned lruvec_isolate(struct memcg_engine *e, struct lruvec *lruvec,
			enum lru_list lru, unsigned nr_to_scan,
			struct folio **out, long *nr_scanned);

/**
 * folio_putback_lru - return an isolated folio to its list and drop the
 * isolation reference
 * @e: engine
 * @folio: an isolated folio
 */
void folio_putback_lru(struct memcg_engine *e, struct folio *folio);

/**
 * folio_putback_lru_tail - as folio_putback_lru(), at the tail of its list:
 * the next folio reclaim looks at (folio_rotate_reclaimable)
 * @e: engine
 * @folio: an isolated folio
 */
void folio_putback_lru_tail(struct memcg_engine *e, struct folio *folio);

/**
 * folio_rotate_reclaimable - a folio reclaim asked to be written back is
 * clean now: to the tail of its inactive list, the next one reclaim takes
 * @e: engine
 * @folio: a folio the caller holds
 */
void folio_rotate_reclaimable(struct memcg_engine *e, struct folio *folio);

/**
 * folio_mark_accessed - an access: referenced, or activated when it was
 * already referenced and on an inactive list
 * @e: engine
 * @folio: a folio the caller holds
 */
void folio_mark_accessed(struct memcg_engine *e, struct folio *folio);

/**
 * lruvec_reparent - move every folio of @from to @to's lists and charge
 * them to @to_slot, calling @acct(folio, @arg) on each first
 */
void lruvec_reparent(struct memcg_engine *e, struct lruvec *from,
		     struct lruvec *to, uint32_t to_slot,
		     void (*acct)(struct folio *folio, void *arg), void *arg);

#endif /* MEMCG_MM_LRU_H */
