/* SPDX-License-Identifier: MIT */
/*
 * The tag at the end of every block the shim allocates: the last 8 bytes
 * of glibc's usable size hold the slot of the cgroup charged (16 bits)
 * and 48 bits of check, a hash of the block's address and size and of
 * the process's salt. A block the shim did not allocate, or one from
 * before a fork (the child draws a new salt), fails the check and is
 * never uncharged. free() clears the tag, so that it cannot be found
 * again in memory glibc hands out later.
 *
 * Being at the end, the tag shares the cache line glibc reads to check
 * the next chunk; malloc_usable_size() reports 8 bytes less than glibc.
 */
#ifndef MEMCG_PRELOAD_TAG_H
#define MEMCG_PRELOAD_TAG_H

#include <string.h>

#include "shim.h"

#define PRELOAD_SLOT_MASK 0xffffULL

extern uint64_t preload_salt;

void preload_salt_init(void);
void preload_salt_fork_child(void);

static inline uint64_t tag_check(const void *p, size_t usable)
{
	uint64_t x = (uint64_t)(uintptr_t)p ^ preload_salt;

	x += (uint64_t)usable * 0xff51afd7ed558ccdULL;
	x *= 0x9e3779b97f4a7c15ULL;
	x ^= x >> 29;
	return x & ~PRELOAD_SLOT_MASK;
}

/* Write @slot's tag into a block of glibc usable size @usable. */
static inline void tag_write(void *p, size_t usable, unsigned slot)
{
	uint64_t v = tag_check(p, usable) | slot;

	memcpy((char *)p + usable - PRELOAD_TAG, &v, sizeof(v));
}

/* The block's slot, or -1 if it carries no tag of this process. */
static inline int tag_read(const void *p, size_t usable)
{
	uint64_t v;

	if (unlikely(usable < PRELOAD_TAG))
		return -1;
	memcpy(&v, (const char *)p + usable - PRELOAD_TAG, sizeof(v));
	if (unlikely((v & ~PRELOAD_SLOT_MASK) != tag_check(p, usable)))
		return -1;
	return (int)(v & PRELOAD_SLOT_MASK);
}

static inline void tag_clear(void *p, size_t usable)
{
	uint64_t zero = 0;

	memcpy((char *)p + usable - PRELOAD_TAG, &zero, sizeof(zero));
}

#endif /* MEMCG_PRELOAD_TAG_H */
