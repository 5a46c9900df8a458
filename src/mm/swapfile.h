/* SPDX-License-Identifier: MIT */
/*
 * The swap device: a file of page-sized slots, the per-slot use counts
 * (swap_map) and the swap cache's slot -> folio table.
 *
 * A slot's count is the number of page-table references to it; the
 * SWAP_HAS_CACHE bit says a folio for it is in the swap cache. The slot is
 * free when both are gone.
 *
 * Locking: dev->lock protects swap_map, the cache table and the
 * allocator. I/O runs without it, on slots the caller owns.
 */
#ifndef MEMCG_MM_SWAPFILE_H
#define MEMCG_MM_SWAPFILE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/swap_cgroup.h"

#define SWAP_HAS_CACHE 0x80
#define SWAP_MAP_MAX 0x7f

/* Slots a CPU keeps before returning them (the kernel's SWAP_BATCH). */
#define SWAP_SLOTS_CACHE_SIZE 64

/* One CPU's freed slots not yet returned (swap_slots.c's slots_ret). */
struct swap_slots_ret {
	pthread_mutex_t lock;
	unsigned n;
	uint32_t slot[SWAP_SLOTS_CACHE_SIZE];
};

/* Fault injection on the next writes (tests). */
enum swap_fault {
	SWAP_FAULT_NONE,
	SWAP_FAULT_EIO,
	SWAP_FAULT_ENOSPC,
	SWAP_FAULT_SHORT,	/* the write stops half-way, then ENOSPC */
};

struct memcg_engine;

struct swap_device {
	struct memcg_engine *engine;	/* whose charges the records hold */
	int fd;
	bool dataless;
	size_t nr_slots;
	size_t nr_free;
	size_t cursor;			/* where the next search starts */
	uint8_t *swap_map;
	uint32_t *cache;		/* pfn of the cached folio, FOLIO_NONE */
	uint64_t *shadow;		/* an evicted page's shadow, or 0 */
	uint32_t *folio_swap;		/* per frame: a cached folio's entry
					 * (the kernel's folio->swap), or 0 */
	struct swap_cgroup records;
	pthread_mutex_t lock;
	unsigned nr_cpus;
	struct swap_slots_ret *slots_ret;	/* per CPU */
	_Atomic bool slots_cache_active;	/* written under lock */
	enum swap_fault fault;
	long fault_after;		/* writes to let through first */
	long nr_writes, nr_reads;
};

/**
 * swap_device_create - open a swap device
 * @path: swap file, created or truncated; NULL for an unlinked temporary
 *        file in $TMPDIR (or /tmp)
 * @bytes: size, rounded down to slots
 * @dataless: keep the accounting, skip the I/O
 * @indexed: index the records by cgroup (the reparent policy)
 * @nr_cpus: CPUs, one return cache each
 * @engine: the engine whose swap charges a freed slot gives back
 * @out: the device
 *
 * Return: 0, -EINVAL for a size under one page, or the open/ftruncate errno.
 */
int swap_device_create(const char *path, size_t bytes, bool dataless,
		       bool indexed, unsigned nr_cpus, struct memcg_engine *engine,
		       struct swap_device **out);
void swap_device_destroy(struct swap_device *dev);

/**
 * swap_alloc_slots - allocate @nr contiguous, @nr-aligned slots for a
 * folio entering the swap cache (count 0, SWAP_HAS_CACHE set)
 * @dev: device
 * @nr: slots, a power of two
 * @off: the first slot
 *
 * Return: 0 or -ENOSPC.
 */
int swap_alloc_slots(struct swap_device *dev, size_t nr, size_t *off);

/**
 * swap_slot_put - drop the cache bit or one count
 * @dev: device
 * @off: slot
 * @cache: drop SWAP_HAS_CACHE instead of a count
 * @cpu: the calling thread's CPU, whose return cache takes a freed slot
 *
 * A slot whose count and cache bit are gone is free. While the slots
 * cache is active it goes to @cpu's return cache first, still recorded
 * and charged, as the kernel's free_swap_slot(); a full return cache is
 * flushed before. A slot that returns to the free map loses its record
 * and its owner's swap charge first, under the lock that allocation
 * takes, as the kernel's swap_entry_range_free() uncharges before
 * swap_range_free(): a concurrent allocation can never find the slot free
 * with the old owner still recorded or charged.
 *
 * Return: true when the slot became free (to the map or a return cache).
 */
bool swap_slot_put(struct swap_device *dev, size_t off, bool cache,
		   unsigned cpu);

/**
 * swap_slots_drain - return one CPU's cached free slots to the free map
 * @dev: device
 * @cpu: CPU
 *
 * Each slot gives back its record and charge as in swap_slot_put().
 */
void swap_slots_drain(struct swap_device *dev, unsigned cpu);

/**
 * swap_slots_cache_check - the kernel's check_cache_active() at a slot
 * allocation: activate the return caches when the device has plenty of
 * free slots, deactivate them when it runs low
 * @dev: device
 *
 * Return: true when the caches were just deactivated: the caller drains
 * every CPU's with swap_slots_drain().
 */
bool swap_slots_cache_check(struct swap_device *dev);

/**
 * swap_slot_dup - take one more page-table reference
 * @dev: device
 * @off: a slot in use
 *
 * Return: 0, -EINVAL for a free slot, -ENOMEM at SWAP_MAP_MAX.
 */
int swap_slot_dup(struct swap_device *dev, size_t off);

/* The slot's count and cache bit, as one byte; under no lock: a hint. */
uint8_t swap_slot_state(struct swap_device *dev, size_t off);

/**
 * swap_write - write @nr pages of @data to the slots from @off
 * @dev: device
 * @off: first slot
 * @data: page data, or NULL for data-less frames
 * @nr: pages
 *
 * Return: 0, -EIO, -ENOSPC (a short write counts as that), or another
 * pwrite errno.
 */
int swap_write(struct swap_device *dev, size_t off, const void *data, size_t nr);

/** swap_read - read @nr pages from the slots at @off; 0 or an errno */
int swap_read(struct swap_device *dev, size_t off, void *data, size_t nr);

#endif /* MEMCG_MM_SWAPFILE_H */
