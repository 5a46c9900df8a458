/* SPDX-License-Identifier: MIT */
/*
 * Swap records: the private id of the cgroup that owns each swap slot,
 * 2 bytes per slot (the kernel's mm/swap_cgroup.c).
 *
 * Locking: none; each slot is an atomic. A slot is recorded and cleared
 * by whoever owns it (the swap-out or the slot's free).
 */
#ifndef MEMCG_CORE_SWAP_CGROUP_H
#define MEMCG_CORE_SWAP_CGROUP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct swap_cgroup {
	_Atomic uint16_t *ids;
	size_t nr_slots;
};

/**
 * swap_cgroup_init - records for @nr_slots slots, all empty
 * @sc: records
 * @nr_slots: slots of the swap device
 *
 * Return: 0 or -ENOMEM.
 */
int swap_cgroup_init(struct swap_cgroup *sc, size_t nr_slots);
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

static inline uint16_t lookup_swap_cgroup_id(struct swap_cgroup *sc, size_t off)
{
	return atomic_load_explicit(&sc->ids[off], memory_order_relaxed);
}

#endif /* MEMCG_CORE_SWAP_CGROUP_H */
