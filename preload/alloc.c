// SPDX-License-Identifier: MIT
/*
 * The malloc family, in front of glibc's allocator (__libc_malloc and its
 * siblings, never looked up: no dlsym recursion). Each block is asked of
 * glibc 8 bytes larger, for its tag (tag.h); glibc's usable size is then
 * charged, tag included, and free() uncharges exactly that.
 *
 * A charge that fails frees the block and fails the call with ENOMEM, or
 * with MEMCG_OOM=abort prints one line and aborts (report.c).
 */
#include <errno.h>
#include <string.h>

#include "shim.h"
#include "tag.h"

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t nmemb, size_t size);
void *__libc_realloc(void *p, size_t size);
void *__libc_memalign(size_t align, size_t size);
void *__libc_valloc(size_t size);
void *__libc_pvalloc(size_t size);
void __libc_free(void *p);

/* The most realloc() may add to the usable size it is asked for: a chunk
 * rounded up, a remainder too small to split, or an mmapped chunk's page. */
#define REALLOC_SLACK (PRELOAD_PAGE + 64)

static void *enomem(void)
{
	errno = ENOMEM;
	return NULL;
}

static __attribute__((noinline, cold)) void *charge_failed(void *p, size_t size)
{
	__libc_free(p);
	preload_oom(size);
	return enomem();
}

/* Charge a block glibc just returned for a request of @size bytes. */
static inline void *block_new(void *p, size_t size)
{
	size_t usable;
	int slot;

	if (unlikely(!p))
		return NULL;
	usable = preload_usable(p);
	if (unlikely(usable < PRELOAD_TAG))
		return p;	/* cannot happen with glibc: no room for a tag */
	slot = preload_charge(usable);
	if (unlikely(slot < 0))
		return charge_failed(p, size);
	tag_write(p, usable, (unsigned)slot);
	return p;
}

PRELOAD_EXPORT void *malloc(size_t size)
{
	if (unlikely(preload_boot_needed()))
		return preload_boot_alloc(size, 0);
	if (unlikely(size > PRELOAD_MAX_REQ))
		return enomem();
	return block_new(__libc_malloc(size + PRELOAD_TAG), size);
}

PRELOAD_EXPORT void free(void *p)
{
	size_t usable;
	int slot;

	if (!p || unlikely(preload_boot_owns(p)))
		return;
	usable = preload_usable(p);
	slot = tag_read(p, usable);
	if (likely(slot >= 0)) {
		tag_clear(p, usable);
		preload_uncharge((unsigned)slot, usable);
	}
	__libc_free(p);
}

PRELOAD_EXPORT void *calloc(size_t nmemb, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(nmemb, size, &total) ||
	    total > PRELOAD_MAX_REQ)
		return enomem();
	if (unlikely(preload_boot_needed()))
		return preload_boot_alloc(total, 0);
	return block_new(__libc_calloc(1, total + PRELOAD_TAG), total);
}

/*
 * Settle a realloc: @charged bytes were charged to @slot for a block glibc
 * made @usable bytes long; give back the rest, or charge what is missing
 * (the block exists already: forced past the limit).
 */
static void realloc_settle(unsigned slot, size_t charged, size_t usable)
{
	if (charged > usable)
		preload_uncharge(slot, charged - usable);
	else if (usable > charged)
		preload_charge_slow(&preload_tls, usable - charged, true);
}

/*
 * realloc: the new block is charged to the calling thread's cgroup, the
 * old one uncharged from its own. Before glibc moves anything, the most
 * the new block can take is charged (only the growth when both are the
 * same cgroup's), so that a failed charge leaves the old block as it was.
 */
PRELOAD_EXPORT void *realloc(void *p, size_t size)
{
	size_t old_usable, usable, want, reserve, carried = 0;
	int old_slot;
	unsigned slot;
	void *q;

	if (!p)
		return malloc(size);
	if (unlikely(preload_boot_owns(p)))
		return preload_boot_realloc(p, size);
	if (!size) {
		free(p);
		return NULL;
	}
	if (size > PRELOAD_MAX_REQ)
		return enomem();
	if (unlikely(preload_boot_needed()))
		return __libc_realloc(p, size);	/* glibc's block, untagged */
	old_usable = preload_usable(p);
	old_slot = tag_read(p, old_usable);
	slot = preload_charge_slot(&preload_tls);
	want = size + PRELOAD_TAG + REALLOC_SLACK;
	reserve = slot ? want : 0;
	if (slot && (int)slot == old_slot) {
		carried = old_usable;
		reserve = want > old_usable ? want - old_usable : 0;
	}
	if (reserve && preload_charge(reserve) < 0) {
		preload_oom(size);
		return enomem();
	}
	if (old_slot >= 0)
		tag_clear(p, old_usable);
	q = __libc_realloc(p, size + PRELOAD_TAG);
	if (!q) {
		if (old_slot >= 0)
			tag_write(p, old_usable, (unsigned)old_slot);
		preload_uncharge(slot, reserve);
		return NULL;
	}
	usable = preload_usable(q);
	if (slot)
		realloc_settle(slot, reserve + carried, usable);
	if (old_slot > 0 && !carried)
		preload_uncharge((unsigned)old_slot, old_usable);
	tag_write(q, usable, slot);
	return q;
}

PRELOAD_EXPORT void *reallocarray(void *p, size_t nmemb, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(nmemb, size, &total))
		return enomem();
	return realloc(p, total);
}

static void *aligned_new(size_t align, size_t size)
{
	if (unlikely(preload_boot_needed()))
		return preload_boot_alloc(size, align);
	if (size > PRELOAD_MAX_REQ)
		return enomem();
	if (align <= 16)
		return block_new(__libc_malloc(size + PRELOAD_TAG), size);
	return block_new(__libc_memalign(align, size + PRELOAD_TAG), size);
}

PRELOAD_EXPORT void *memalign(size_t align, size_t size)
{
	if (align > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	/* glibc's memalign rounds an alignment up to a power of two */
	if (align & (align - 1))
		align = (size_t)1 << (64 - __builtin_clzl(align));
	return aligned_new(align, size);
}

PRELOAD_EXPORT void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

PRELOAD_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
	int saved = errno;
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return EINVAL;
	p = aligned_new(align, size);
	errno = saved;
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

PRELOAD_EXPORT void *valloc(size_t size)
{
	if (unlikely(preload_boot_needed()))
		return preload_boot_alloc(size, PRELOAD_PAGE);
	if (size > PRELOAD_MAX_REQ)
		return enomem();
	return block_new(__libc_valloc(size + PRELOAD_TAG), size);
}

PRELOAD_EXPORT void *pvalloc(size_t size)
{
	if (unlikely(preload_boot_needed()))
		return preload_boot_alloc(size, PRELOAD_PAGE);
	if (size > PRELOAD_MAX_REQ)
		return enomem();
	return block_new(__libc_pvalloc(size + PRELOAD_TAG), size);
}

PRELOAD_EXPORT size_t malloc_usable_size(void *p)
{
	size_t usable;

	if (!p)
		return 0;
	if (preload_boot_owns(p))
		return preload_boot_size(p);
	usable = preload_usable(p);
	return tag_read(p, usable) >= 0 ? usable - PRELOAD_TAG : usable;
}
