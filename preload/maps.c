// SPDX-License-Identifier: MIT
/*
 * The anonymous mappings the shim charged: address ranges and the slot
 * of their cgroup, sorted, in an array from glibc's allocator (never the
 * shim's: no recursion). An unmapping, however it happens (munmap, a
 * MAP_FIXED mapping on top, mremap), takes its overlap out of the table,
 * splitting ranges, and reports what to uncharge from which cgroup.
 *
 * Locking: maps_lock, held across the system call that changes the
 * address space and the table update, so that a range the kernel hands
 * out again is never taken out of the table by the unmapping that freed
 * it. Uncharging happens after the lock is dropped.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "shim.h"

void *__libc_realloc(void *p, size_t size);

struct preload_map {
	uintptr_t start, end;
	unsigned slot;
};

static struct preload_map *maps;
static size_t nr_maps, cap_maps;
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;

void preload_maps_lock(void)
{
	pthread_mutex_lock(&maps_lock);
}

void preload_maps_unlock(void)
{
	pthread_mutex_unlock(&maps_lock);
}

/** preload_maps_empty - no charged mapping: unmappings need no lock */
bool preload_maps_empty(void)
{
	return !__atomic_load_n(&nr_maps, __ATOMIC_RELAXED);
}

/* The first range that ends after @addr. */
static size_t first_after(uintptr_t addr)
{
	size_t lo = 0, hi = nr_maps;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int insert_at(size_t i, uintptr_t start, uintptr_t end, unsigned slot)
{
	if (nr_maps == cap_maps) {
		size_t cap = cap_maps ? 2 * cap_maps : 64;
		struct preload_map *m = __libc_realloc(maps, cap * sizeof(*m));

		if (!m)
			return -ENOMEM;
		maps = m;
		cap_maps = cap;
	}
	memmove(&maps[i + 1], &maps[i], (nr_maps - i) * sizeof(*maps));
	maps[i] = (struct preload_map){ start, end, slot };
	__atomic_store_n(&nr_maps, nr_maps + 1, __ATOMIC_RELAXED);
	return 0;
}

static void delete_at(size_t i)
{
	memmove(&maps[i], &maps[i + 1], (nr_maps - i - 1) * sizeof(*maps));
	__atomic_store_n(&nr_maps, nr_maps - 1, __ATOMIC_RELAXED);
}

/**
 * preload_maps_insert - record a charged mapping; maps_lock held
 * @start: first byte
 * @end: past the last, page-aligned
 * @slot: its cgroup
 *
 * Return: 0 or -ENOMEM (then it stays uncharged: the caller's business).
 */
int preload_maps_insert(uintptr_t start, uintptr_t end, unsigned slot)
{
	return insert_at(first_after(start), start, end, slot);
}

/* Cut [start, end) out of range @i, which overlaps it; false if deleted. */
static bool cut(size_t i, uintptr_t start, uintptr_t end,
		struct preload_unmapped *out)
{
	struct preload_map *m = &maps[i];
	uintptr_t lo = m->start > start ? m->start : start;
	uintptr_t hi = m->end < end ? m->end : end;

	preload_unmapped_add(out, m->slot, hi - lo);
	if (m->start >= start && m->end <= end) {
		delete_at(i);
		return false;
	}
	if (m->start < start && m->end > end) {
		/* a hole in the middle: the right part becomes its own range */
		if (insert_at(i + 1, end, m->end, m->slot)) {
			preload_unmapped_add(out, m->slot, maps[i].end - end);
		}
		maps[i].end = start;
		return true;
	}
	if (m->start < start)
		m->end = start;
	else
		m->start = end;
	return true;
}

/**
 * preload_maps_remove - take [@start, @end) out of the table; maps_lock held
 * @start: first byte
 * @end: past the last
 * @out: receives what to uncharge
 */
void preload_maps_remove(uintptr_t start, uintptr_t end,
			 struct preload_unmapped *out)
{
	size_t i = first_after(start);

	while (i < nr_maps && maps[i].start < end)
		if (cut(i, start, end, out))
			i++;
}

/**
 * preload_maps_owner - the slot charged for all of [@start, @end), or 0 if
 * some of it is not charged or charged to another cgroup; maps_lock held
 */
unsigned preload_maps_owner(uintptr_t start, uintptr_t end)
{
	size_t i = first_after(start);
	uintptr_t at = start;
	unsigned slot;

	if (i == nr_maps || maps[i].start > start)
		return 0;
	slot = maps[i].slot;
	for (; i < nr_maps && at < end; i++) {
		if (maps[i].start != at && at != start)
			return 0;
		if (maps[i].slot != slot)
			return 0;
		at = maps[i].end;
	}
	return at >= end ? slot : 0;
}

/** preload_maps_fork_child - the parent's charges are not the child's */
void preload_maps_fork_child(void)
{
	maps = NULL;	/* the parent's copy, left behind */
	nr_maps = cap_maps = 0;
	maps_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
}

/**
 * preload_unmapped_add - note @bytes to uncharge from @slot
 * @u: the list
 * @slot: cgroup
 * @bytes: bytes
 *
 * A ninth cgroup in one unmapping is uncharged at once (under the lock:
 * an uncharge calls no client back).
 */
void preload_unmapped_add(struct preload_unmapped *u, unsigned slot,
			  size_t bytes)
{
	unsigned i;

	for (i = 0; i < u->nr; i++)
		if (u->e[i].slot == slot) {
			u->e[i].bytes += bytes;
			return;
		}
	if (u->nr == sizeof(u->e) / sizeof(u->e[0])) {
		preload_uncharge(slot, bytes);
		return;
	}
	u->e[u->nr].slot = slot;
	u->e[u->nr].bytes = bytes;
	u->nr++;
}

/** preload_unmapped_apply - uncharge what @u noted; maps_lock not held */
void preload_unmapped_apply(struct preload_unmapped *u)
{
	unsigned i;

	for (i = 0; i < u->nr; i++)
		if (u->e[i].bytes)
			preload_uncharge(u->e[i].slot, u->e[i].bytes);
	u->nr = 0;
}
