/* SPDX-License-Identifier: MIT */
/*
 * The memcg LRU of the multi-generational LRU (Linux 6.12's per-node
 * lru_gen_memcg): the order in which global reclaim, and memory.reclaim
 * on the root, visit cgroups (shrink_many). Reclaim of a cgroup below the
 * root still walks its subtree (vmscan.c's mem_cgroup_iter).
 *
 * Cgroups are in two generations, old (seq) and young (seq + 1), each
 * sharded into MEMCG_NR_BINS bins drawn at random. A new cgroup joins the
 * tail of a bin of the old generation; reclaim starts at the head of a
 * random bin of the old generation and goes through its bins in turn.
 * After reclaiming from a cgroup it rotates it (lru_gen_rotate_memcg):
 *   MEMCG_LRU_HEAD   head of a bin of its generation (v1 soft limit only)
 *   MEMCG_LRU_TAIL   tail of a bin of its generation: below low, offline
 *                    or too small, first time
 *   MEMCG_LRU_OLD    head of a bin of the old generation: offlined
 *   MEMCG_LRU_YOUNG  tail of a bin of the young generation: aged, below
 *                    min, or too small a second time
 * When the old generation empties, seq moves on and the young one becomes
 * the old. MEMCG_NR_GENS is three so that a stale seq never reads young.
 *
 * The bins are drawn from a per-engine PRNG (splitmix64 from a fixed
 * seed), so a deterministic engine reclaims in the same order every run.
 *
 * Locking: lru_gen_memcg.lock protects the lists, seq, nr_memcgs, each
 * cgroup's gen and the PRNG; seg is read without it.
 */
#ifndef MEMCG_MM_LRU_GEN_MEMCG_H
#define MEMCG_MM_LRU_GEN_MEMCG_H

#include <pthread.h>
#include <stdint.h>

#include "mm/lru.h"

#define MEMCG_NR_GENS 3
#define MEMCG_NR_BINS 8

enum {
	MEMCG_LRU_NOP,
	MEMCG_LRU_HEAD,
	MEMCG_LRU_TAIL,
	MEMCG_LRU_OLD,
	MEMCG_LRU_YOUNG,
};

struct lru_gen_memcg {
	pthread_mutex_t lock;
	unsigned long seq;
	unsigned long nr_memcgs[MEMCG_NR_GENS];
	/* circular lists through lru_gen_folio.list; the heads are sentinels */
	struct memcg_lru_node fifo[MEMCG_NR_GENS][MEMCG_NR_BINS];
	uint64_t rand;
	const int *script;	/* tests: the next draws, then the PRNG's */
	int nr_script;
};

struct memcg_engine;
struct mem_cgroup;
struct scan_control;

static inline int get_memcg_gen(unsigned long seq)
{
	return (int)(seq % MEMCG_NR_GENS);
}

static inline int get_memcg_bin(int bin)
{
	return bin % MEMCG_NR_BINS;
}

/**
 * lru_gen_memcg_create - the engine's memcg LRU, under MGLRU only
 * @e: engine being created, before its root cgroup
 *
 * Return: 0 or -ENOMEM.
 */
int lru_gen_memcg_create(struct memcg_engine *e);

/* Free it (engine teardown, every cgroup released). */
void lru_gen_memcg_destroy(struct memcg_engine *e);

/**
 * lru_gen_online_memcg - a new cgroup joins the tail of a random bin of
 * the old generation; nothing without MGLRU
 * @memcg: cgroup being brought online (the root too)
 */
void lru_gen_online_memcg(struct mem_cgroup *memcg);

/**
 * lru_gen_offline_memcg - an offlined cgroup goes to the old generation
 * (MEMCG_LRU_OLD): reclaim takes what it left first
 * @memcg: cgroup being taken offline
 */
void lru_gen_offline_memcg(struct mem_cgroup *memcg);

/**
 * lru_gen_release_memcg - a released cgroup leaves the memcg LRU
 * @memcg: cgroup whose last reference went
 */
void lru_gen_release_memcg(struct mem_cgroup *memcg);

/**
 * lru_gen_rotate_memcg - move @memcg in the memcg LRU by @op
 * @memcg: cgroup on the memcg LRU
 * @op: MEMCG_LRU_HEAD, MEMCG_LRU_TAIL, MEMCG_LRU_OLD or MEMCG_LRU_YOUNG
 */
void lru_gen_rotate_memcg(struct mem_cgroup *memcg, int op);

/**
 * lru_gen_soft_reclaim - a cgroup over its v1 soft limit goes to the head
 * of its generation. Linux 6.12 calls it from v1's soft limit tree only,
 * and the engine's 6.12 profile has no v1: kept for a profile that would.
 * @memcg: cgroup on the memcg LRU
 */
void lru_gen_soft_reclaim(struct mem_cgroup *memcg);

/**
 * shrink_many - global reclaim under MGLRU: visit the cgroups of the old
 * generation, bin by bin from a random one, reclaiming from each
 * (shrink_one) and rotating it as the result says, until the goal is met
 * @e: engine with MGLRU
 * @sc: scan control, its target the root
 * @shrink_one: reclaim from one cgroup; returns the rotation (MEMCG_LRU_*)
 */
void shrink_many(struct memcg_engine *e, struct scan_control *sc,
		 int (*shrink_one)(struct mem_cgroup *memcg,
				   struct scan_control *sc));

/**
 * lru_gen_memcg_seg - the segment @memcg was last rotated to
 * @memcg: cgroup
 *
 * Return: MEMCG_LRU_HEAD, MEMCG_LRU_TAIL, or 0 (the default segment).
 */
int lru_gen_memcg_seg(struct mem_cgroup *memcg);

#endif /* MEMCG_MM_LRU_GEN_MEMCG_H */
