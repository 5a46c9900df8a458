/* SPDX-License-Identifier: MIT */
/*
 * Swap records: the private id of the cgroup that owns each swap slot,
 * 2 bytes per slot (the kernel's mm/swap_cgroup.c).
 *
 * The records are an array of atomic ids, written with exchange and
 * compare-and-exchange and read with a plain load: no lock is shared
 * between slots or between cgroups.
 *
 * With an index (the reparent policy), each id also keeps its slots in a
 * chain of chunks of SC_CHUNK slot numbers, so that a removed cgroup's
 * records move to its parent in time proportional to their number, read
 * in sequence:
 *
 *   ids[slot]     2 B   the owner
 *   pos[slot]     4 B   where the slot sits in its owner's chunks
 *   chunks        4 B   per record (+ one partly filled chunk per id)
 *
 * Every chunk of a chain is full but the last (the tail), which may even
 * be empty: a chain that shrinks to a multiple of SC_CHUNK keeps its
 * empty tail, and one more empty chunk aside when it shrinks further, so
 * that a count going up and down across a chunk's end does not take and
 * give back a chunk each time (the pool's lock is the one lock cgroups
 * share here). Removing a slot moves the tail's last
 * entry into its place. Reparenting splices the chains and moves at most
 * one chunk's entries.
 *
 * Locking: without an index, none. With one, each id has its own lock,
 * taken by whoever records, clears or moves a slot of that id (a slot's
 * owner may change under a clearer that has not locked it yet: the clear
 * re-reads the owner under the lock). Two cgroups never share a lock; the
 * chunk pool's lock is taken once per SC_CHUNK records at most.
 */
#ifndef MEMCG_CORE_SWAP_CGROUP_H
#define MEMCG_CORE_SWAP_CGROUP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_NR_IDS 65536
#define SC_CHUNK 62		/* slots per chunk: a chunk is 256 bytes */
#define SC_BLOCK 1024		/* chunks per pool block: 256 KiB */

struct sc_chunk {
	uint32_t next, prev;
	uint32_t slot[SC_CHUNK];
};

/* One id's chain, on a cache line of its own. */
struct sc_owner {
	atomic_int lock;
	uint32_t head, tail;	/* chunk numbers, SC_NONE when empty */
	uint32_t tail_n;	/* entries in the tail chunk */
	uint32_t count;		/* records */
	uint32_t spare;		/* an empty chunk kept, or SC_NONE */
} __attribute__((aligned(64)));

struct swap_cgroup {
	_Atomic uint16_t *ids;
	size_t nr_slots;
	bool indexed;
	/* the index (indexed maps only) */
	uint32_t *pos;
	struct sc_owner *owners;	/* SC_NR_IDS */
	pthread_mutex_t pool_lock;	/* the chunk pool: */
	struct sc_chunk **blocks;	/* blocks of SC_BLOCK chunks */
	uint32_t nr_blocks, max_blocks;
	uint32_t free_chunks;		/* a list through sc_chunk.next */
};

/**
 * swap_cgroup_init - records for @nr_slots slots, all empty
 * @sc: records
 * @nr_slots: slots of the swap device
 * @indexed: keep a per-id index for swap_cgroup_reparent()
 *
 * Return: 0, -ENOMEM, or -EINVAL for no slots or a device too large to
 * index.
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
 * @publish: called with the number of records about to move, before any
 *           of them names @new (the caller takes @new's id references
 *           there: a moved record may be freed at once), or NULL
 * @arg: for @publish
 *
 * Time proportional to @old's records: it rewrites them in slot order
 * (bucketed from @old's chunks), or in the chunks' order when they are
 * few, or, when @old owns a large share of the slots, in one sequential
 * pass over the map, which is then cheaper. @old and @new are locked
 * throughout, so the count given to @publish is exact.
 *
 * Return: the number of records moved.
 */
size_t swap_cgroup_reparent(struct swap_cgroup *sc, uint16_t old, uint16_t new,
			    void (*publish)(void *arg, size_t nr), void *arg);

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
