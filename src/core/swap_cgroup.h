/* SPDX-License-Identifier: MIT */
/*
 * Swap records: the private id of the cgroup that owns each swap slot,
 * 2 bytes per slot (the kernel's mm/swap_cgroup.c).
 *
 * With an index (the reparent policy), each id also keeps the list of its
 * slots, so that a removed cgroup's records move to its parent in time
 * proportional to their number: 8 more bytes per slot, 768 KiB per device.
 *
 * Locking: each slot is an atomic, recorded and cleared by whoever owns it
 * (the swap-out or the slot's free). The index is behind sc->lock, which
 * also orders a clear against a reparent of the same slot.
 */
#ifndef MEMCG_CORE_SWAP_CGROUP_H
#define MEMCG_CORE_SWAP_CGROUP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct swap_cgroup {
	_Atomic uint16_t *ids;
	size_t nr_slots;
	/* the index: per-id doubly linked lists of slots, UINT32_MAX ends */
	bool indexed;
	pthread_mutex_t lock;
	uint32_t *next, *prev;
	uint32_t *heads, *tails;	/* 65536 entries each */
	uint32_t *counts;		/* records per id */
};

/**
 * swap_cgroup_init - records for @nr_slots slots, all empty
 * @sc: records
 * @nr_slots: slots of the swap device
 * @indexed: keep a per-id index for swap_cgroup_reparent()
 *
 * Return: 0 or -ENOMEM.
 */
int swap_cgroup_init(struct swap_cgroup *sc, size_t nr_slots, bool indexed);
void swap_cgroup_destroy(struct swap_cgroup *sc);

/**
 * swap_cgroup_record - record @id as the owner of @nr slots from @off
 * @sc: records
 * @off: first slot
 * @nr: slots
 * @id: private id, not 0
 *
 * Every slot must be empty; a recorded slot is a caller bug (aborts).
 */
void swap_cgroup_record(struct swap_cgroup *sc, size_t off, size_t nr,
			uint16_t id);

/**
 * swap_cgroup_clear - clear @nr slots from @off
 * @sc: records
 * @off: first slot
 * @nr: slots, all recorded with the same id (or all empty)
 *
 * Return: the id they held, 0 if they were empty.
 */
uint16_t swap_cgroup_clear(struct swap_cgroup *sc, size_t off, size_t nr);

/**
 * swap_cgroup_move - re-own one slot if it is still recorded as @old
 * @sc: records
 * @off: slot
 * @old: expected owner
 * @new: new owner
 *
 * Return: true if the record moved.
 */
bool swap_cgroup_move(struct swap_cgroup *sc, size_t off, uint16_t old,
		      uint16_t new);

/**
 * swap_cgroup_reparent - move every record of @old to @new
 * @sc: indexed records
 * @old: a removed cgroup's id
 * @new: its parent's id
 *
 * Time proportional to @old's records: it follows @old's list, or, when
 * @old owns more than 1/128 of the slots, rewrites them in one sequential
 * pass, which is then cheaper than chasing the list.
 *
 * Return: the number of records moved.
 */
size_t swap_cgroup_reparent(struct swap_cgroup *sc, uint16_t old, uint16_t new);

/**
 * swap_cgroup_count - the records @id owns now (an indexed map only)
 * @sc: records
 * @id: owner
 */
size_t swap_cgroup_count(struct swap_cgroup *sc, uint16_t id);

static inline uint16_t lookup_swap_cgroup_id(struct swap_cgroup *sc, size_t off)
{
	return atomic_load_explicit(&sc->ids[off], memory_order_relaxed);
}

#endif /* MEMCG_CORE_SWAP_CGROUP_H */
