/* SPDX-License-Identifier: MIT */
/*
 * The swap device: a file of page-sized slots, the per-slot use counts
 * (swap_map) and the swap cache's slot -> folio table.
 *
 * A slot's count is the number of page-table references to it; the
 * SWAP_HAS_CACHE bit says a folio for it is in the swap cache. The slot is
 * free when both are gone.
 *
 * Slots are grouped in clusters of SWAPFILE_CLUSTER (the kernel's
 * mm/swapfile.c since 6.1): each CPU allocates from its own current
 * cluster and takes a new one from the free-cluster list when it is used
 * up (then from the clusters neither free nor full), so that two CPUs
 * swapping out do not share a lock or a cache line.
 *
 * Locking:
 * - a cluster's lock protects its slots' swap_map, cache and shadow
 *   entries and its count; I/O runs without it, on slots the caller owns.
 *   A run of slots is locked cluster by cluster in ascending order
 *   (swap_lock_range()).
 * - list_lock protects the cluster lists; it is taken inside a cluster's
 *   lock, never the other way round.
 * - swap_map entries are written under their cluster's lock with atomic
 *   stores, so that swap_slot_state() may read one without it.
 * - the free count is per CPU, folded into nr_free every SWAP_FREE_BATCH.
 * - lock protects the rest (the return caches' switch, fault injection).
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
#define SWAP_MAP_MAX 0x7f		/* the count bits */
/*
 * A count past SWAP_MAP_MAX - 1 continues in the cluster's continuation
 * table (the kernel's COUNT_CONTINUED and add_swap_count_continuation()):
 * the byte keeps SWAP_MAP_CONTINUED and the table the whole count, up to
 * SWAP_CONT_MAX references.
 */
#define SWAP_MAP_CONTINUED SWAP_MAP_MAX
#define SWAP_CONT_MAX UINT32_MAX
/*
 * A freed slot whose data could not be read back stays out of the free
 * map for good (the kernel's SWAP_MAP_BAD): its byte reads this, with no
 * continued count behind it.
 */
#define SWAP_MAP_BAD SWAP_MAP_MAX

#define SWAPFILE_CLUSTER 512
/* Orders with a per-CPU cluster; larger runs take whole free clusters. */
#define SWAP_NR_ORDERS 10

/* Slots a CPU keeps before returning them (the kernel's SWAP_BATCH). */
#define SWAP_SLOTS_CACHE_SIZE 64
/*
 * A CPU's free-count delta is folded into the device's past this, or past
 * 1/64 of the device's slots per CPU when that is less, so that the
 * folded count is never off by more than 1/64 of the device.
 */
#define SWAP_FREE_BATCH 64

/* One CPU's freed slots not yet returned (swap_slots.c's slots_ret). */
struct swap_slots_ret {
	pthread_mutex_t lock;
	unsigned n;
	uint32_t slot[SWAP_SLOTS_CACHE_SIZE];
} __attribute__((aligned(64)));

/* Which list a cluster is on. */
enum swap_cluster_list {
	CLUSTER_FREE,		/* no slot used */
	CLUSTER_NONFULL,	/* some used, or a CPU's fresh one */
	CLUSTER_FULL,		/* every slot used: on no list */
};

struct swap_cluster {
	pthread_mutex_t lock;
	uint32_t *cont;		/* per slot: a continued count, or 0;
				 * allocated at the first; under lock */
	uint16_t count;		/* slots in use; under lock */
	uint8_t list;		/* enum swap_cluster_list; under list_lock */
	uint32_t next, prev;	/* on its list; under list_lock */
} __attribute__((aligned(64)));

/* A CPU's allocation state, on cache lines of its own. */
struct swap_pcp {
	/* where this CPU allocates next, per order: slot + 1, or 0 */
	_Atomic uint32_t next[SWAP_NR_ORDERS];
	_Atomic long nr_free;	/* delta to swap_device.nr_free */
} __attribute__((aligned(64)));

/* A cluster list: first and last cluster, SWAP_NO_CLUSTER when empty. */
struct swap_cluster_list_head {
	uint32_t head, tail, nr;
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
	/* per-slot arrays, page-aligned: a cluster's slots own their lines */
	uint8_t *swap_map;
	uint32_t *cache;		/* pfn + 1 of the cached folio, 0: none */
	uint64_t *shadow;		/* an evicted page's shadow, or 0 */
	uint32_t *sum;			/* per slot: its page's checksum as
					 * written (odd), SWAP_SUM_BAD, or 0
					 * if never written; NULL if dataless;
					 * atomic loads and stores */
	_Atomic long nr_bad;		/* slots marked bad */
	uint32_t *folio_swap;		/* per frame: a cached folio's entry
					 * (the kernel's folio->swap), or 0;
					 * atomic loads and stores; packed,
					 * a line per line group (swap_state.c) */
	size_t folio_swap_bytes;
	struct swap_cgroup records;
	size_t nr_clusters;
	struct swap_cluster *clusters;
	pthread_mutex_t list_lock;
	struct swap_cluster_list_head free_clusters, nonfull_clusters;
	unsigned nr_cpus;
	long free_batch;		/* SWAP_FREE_BATCH or less */
	struct swap_pcp *pcp;			/* per CPU */
	struct swap_slots_ret *slots_ret;	/* per CPU */
	_Atomic bool slots_cache_active;	/* written under lock */
	pthread_mutex_t lock;
	_Atomic bool fault_armed;	/* a fault is set: take lock */
	enum swap_fault fault;
	long fault_after;		/* writes to let through first */
	/*
	 * Less the CPUs' deltas; written once per SWAP_FREE_BATCH frees or
	 * allocations of a CPU, on a line of its own so that the fields
	 * above, read on every operation, stay shared clean.
	 */
	_Atomic long nr_free __attribute__((aligned(64)));
};

/**
 * swap_device_create - open a swap device
 * @path: swap file, created or truncated; NULL for an unlinked temporary
 *        file in $TMPDIR (or /tmp)
 * @bytes: size, rounded down to slots
 * @dataless: keep the accounting, skip the I/O
 * @indexed: index the records by cgroup (the reparent policy)
 * @nr_cpus: CPUs, one current cluster and return cache each
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
 * @cpu: the calling thread's CPU, whose current cluster is tried first
 * @off: the first slot
 *
 * Return: 0 or -ENOSPC.
 */
int swap_alloc_slots(struct swap_device *dev, size_t nr, unsigned cpu,
		     size_t *off);

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
 * and its owner's swap charge first, under its cluster's lock, which
 * allocation takes too, as the kernel's swap_entry_range_free()
 * uncharges before swap_range_free(): a concurrent allocation can never
 * find the slot free with the old owner still recorded or charged.
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
 * swap_slots_cache_disable - deactivate the return caches and drain
 * them, for good (swapoff's disable_swap_slots_cache_lock()): a slot
 * freed afterwards goes straight back to the free map
 * @dev: device
 *
 * A put that saw the caches active finds them inactive under its return
 * cache's lock (slot_return()) and frees the slot itself.
 */
void swap_slots_cache_disable(struct swap_device *dev);

/**
 * swap_slot_dup - take one more page-table reference
 * @dev: device
 * @off: a slot in use
 *
 * Past SWAP_MAP_MAX - 1 references the count continues in the cluster's
 * continuation table, allocated at the first such count (the kernel's
 * swap_duplicate(), then add_swap_count_continuation() and again).
 *
 * Return: 0, -EINVAL for a free slot, -ENOMEM when the table cannot be
 * allocated or at SWAP_CONT_MAX references.
 */
int swap_slot_dup(struct swap_device *dev, size_t off);

/**
 * swap_slot_count - the page-table references to a slot, continuation
 * included
 * @dev: device
 * @off: slot
 */
unsigned long swap_slot_count(struct swap_device *dev, size_t off);

/**
 * swap_next_used - the first slot at or after @off in a cluster that has
 * slots in use, so that a walk of the device skips the unused clusters
 * (its cost follows the clusters, 1/512 of the slots, not every slot)
 * @dev: device
 * @off: slot
 *
 * Return: that cluster's first slot (or @off within it), or nr_slots.
 */
size_t swap_next_used(struct swap_device *dev, size_t off);

/* Whether @off is a freed bad slot; call with its cluster locked. */
bool swap_slot_bad_free_locked(struct swap_device *dev, size_t off);

/* The slot's count and cache bit, as one byte; under no lock: a hint. */
static inline uint8_t swap_slot_state(struct swap_device *dev, size_t off)
{
	return __atomic_load_n(&dev->swap_map[off], __ATOMIC_RELAXED);
}

/* Set a slot's state; call with its cluster locked. */
static inline void swap_slot_set(struct swap_device *dev, size_t off,
				 uint8_t v)
{
	__atomic_store_n(&dev->swap_map[off], v, __ATOMIC_RELAXED);
}

/**
 * swap_lock_range - lock the clusters of @nr slots from @off, in order
 * @dev: device
 * @off: first slot
 * @nr: slots
 */
void swap_lock_range(struct swap_device *dev, size_t off, size_t nr);
void swap_unlock_range(struct swap_device *dev, size_t off, size_t nr);

/**
 * swap_nr_free - the free slots (return caches' not counted), summed
 * over the CPUs' deltas: exact when nothing runs concurrently
 * @dev: device
 */
size_t swap_nr_free(struct swap_device *dev);

/**
 * swap_nr_free_approx - the free slots without the CPUs' deltas, off by
 * at most nr_cpus * free_batch (the kernel's get_nr_swap_pages(), which
 * the per-CPU slot caches make approximate too): one load of a line
 * written once per free_batch operations of a CPU, where the exact sum
 * reads every CPU's line, each written on every operation
 * @dev: device
 */
static inline size_t swap_nr_free_approx(struct swap_device *dev)
{
	long n = atomic_load_explicit(&dev->nr_free, memory_order_relaxed);

	return n > 0 ? (size_t)n : 0;
}

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

/*
 * A slot whose page could not be read back as written: its checksum's
 * place holds this (even: a checksum is odd) until the slot is freed.
 */
#define SWAP_SUM_BAD 2u

/**
 * swap_read - read @nr pages from the slots at @off
 * @dev: device
 * @off: first slot
 * @data: where to
 * @nr: pages
 *
 * The file is not ours alone: another process may truncate it (a read
 * past its end), grow it back (zeros), or write into it. The kernel
 * forbids both to an active swap file (ETXTBSY); here each page read is
 * checked against the checksum its write left, which catches all three
 * (a page that reads back as written is good, whatever happened to the
 * file). A slot already marked bad fails at once.
 *
 * Return: 0; -EIO for a short read, a page not as written, or a bad
 * slot (the caller marks it: swap_slot_mark_bad()); or a pread errno.
 */
int swap_read(struct swap_device *dev, size_t off, void *data, size_t nr);

/**
 * swap_slot_mark_bad - a slot whose data is lost: every later swap-in of
 * it fails, and once its last reference and its record go, it never
 * returns to the free map (the kernel's SWAP_MAP_BAD)
 * @dev: device
 * @off: a slot swap_read() failed with -EIO
 *
 * Counted once per slot in nr_bad (memcg_swap_nr_bad()).
 */
void swap_slot_mark_bad(struct swap_device *dev, size_t off);

/*
 * The swap cache's folio at @off, or FOLIO_NONE. Stored as pfn + 1 so
 * that a zeroed table, never touched, is empty (no RSS for a large
 * device); FOLIO_NONE + 1 wraps to 0.
 */
static inline uint32_t swap_cache_pfn(const struct swap_device *dev, size_t off)
{
	return dev->cache[off] - 1;
}

static inline void swap_cache_set_pfn(struct swap_device *dev, size_t off,
				  uint32_t pfn)
{
	dev->cache[off] = pfn + 1;
}

#endif /* MEMCG_MM_SWAPFILE_H */
