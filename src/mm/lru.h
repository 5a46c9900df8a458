/* SPDX-License-Identifier: MIT */
/*
 * Per-cgroup LRU lists (the kernel's lruvec): inactive/active anon,
 * inactive/active file, unevictable. Lists link folios through their
 * lru_next/lru_prev frame indices; the head is the most recently added.
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

struct lruvec {
	pthread_mutex_t lock;
	uint32_t head[NR_LRU_LISTS];	/* frame indices, FOLIO_NONE if empty */
	uint32_t tail[NR_LRU_LISTS];
	long nr_pages[NR_LRU_LISTS];
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

void lruvec_init(struct lruvec *lruvec);
void lruvec_destroy(struct lruvec *lruvec);

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
