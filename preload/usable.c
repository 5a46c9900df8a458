// SPDX-License-Identifier: MIT
/*
 * glibc's malloc_usable_size(), which the shim's own malloc_usable_size()
 * hides, found with dlsym(RTLD_NEXT) at the first allocation; and the
 * allocator for the few allocations that cannot wait for it: those dlsym
 * makes itself, and any made before libc set up environ (the dynamic
 * loader's). Those come from a static arena, zeroed, never reused: free()
 * ignores them.
 *
 * For a block in use, glibc's usable size is its chunk's size less the
 * size word (and less the previous-size word too for an mmapped chunk);
 * glibc reads the next chunk's header besides, to tell a block in use. The
 * shim reads the size word alone (shim.h), once a probe of small, large,
 * aligned and mmapped blocks found it equal to glibc's answer; otherwise
 * (another layout, a debugging malloc) it calls glibc's function.
 *
 * The process's tag salt (tag.h) is drawn just before the first lookup
 * succeeds, so that it is fixed before the first tag is written.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"
#include "tag.h"

extern char **environ;

size_t (*preload_usable_fn)(void *);
bool preload_usable_from_header;
uint64_t preload_salt;

void *__libc_malloc(size_t size);
void *__libc_memalign(size_t align, size_t size);
void __libc_free(void *p);

#define BOOT_HDR 16u

char preload_boot_arena[PRELOAD_BOOT_SIZE] __attribute__((aligned(4096)));
static size_t boot_used;

static uint64_t new_salt(void)
{
	struct timespec ts;
	uint64_t x;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
	    ((uint64_t)getpid() << 16) ^ (uint64_t)(uintptr_t)&ts;
	x *= 0x9e3779b97f4a7c15ULL;
	return (x ^ (x >> 31)) | 1;
}

/** preload_salt_init - draw the salt once, whichever thread gets here first */
void preload_salt_init(void)
{
	uint64_t expected = 0;

	__atomic_compare_exchange_n(&preload_salt, &expected, new_salt(), false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/** preload_salt_fork_child - a new salt: the parent's tags are not ours */
void preload_salt_fork_child(void)
{
	preload_salt = new_salt();
}

/* Whether the size word gives glibc's usable size for @p (then frees it). */
static bool header_agrees(size_t (*fn)(void *), void *p)
{
	size_t size;
	bool ok;

	if (!p)
		return false;
	memcpy(&size, (char *)p - sizeof(size), sizeof(size));
	ok = (size & ~(size_t)7) - 8 - ((size & 2) << 2) == fn(p);
	__libc_free(p);
	return ok;
}

static bool probe_header(size_t (*fn)(void *))
{
	static const size_t sizes[] = { 1, 24, 25, 200, 1000, 5000, 70000,
					1u << 20, 40u << 20 };
	size_t i;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* the sanitizer's allocator answers __libc_malloc: another layout */
	return false;
#endif
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!header_agrees(fn, __libc_malloc(sizes[i])) ||
		    !header_agrees(fn, __libc_memalign(4096, sizes[i])))
			return false;
	return true;
}

static void resolve(struct preload_thread *t)
{
	void *fn;

	t->resolving = 1;
	fn = dlsym(RTLD_NEXT, "malloc_usable_size");
	t->resolving = 0;
	if (!fn) {
		preload_say("memcg-preload: no malloc_usable_size after the "
			    "shim: is this glibc?");
		abort();
	}
	preload_salt_init();
	preload_usable_from_header = probe_header((size_t (*)(void *))fn);
	__atomic_store_n(&preload_usable_fn, (size_t (*)(void *))fn,
			 __ATOMIC_RELEASE);
}

/** preload_boot_needed_slow - preload_boot_needed() before the lookup */
bool preload_boot_needed_slow(void)
{
	struct preload_thread *t = &preload_tls;

	if (__atomic_load_n(&preload_usable_fn, __ATOMIC_ACQUIRE))
		return false;
	if (t->resolving || !environ)
		return true;
	resolve(t);
	return false;
}

/**
 * preload_boot_alloc - zeroed memory from the static arena
 * @size: bytes
 * @align: alignment, a power of two (0: 16)
 *
 * Return: the memory, or NULL with errno ENOMEM when the arena is full.
 */
void *preload_boot_alloc(size_t size, size_t align)
{
	size_t old = __atomic_load_n(&boot_used, __ATOMIC_RELAXED), off, end;
	char *p;

	if (align < BOOT_HDR)
		align = BOOT_HDR;
	do {
		off = (old + BOOT_HDR + align - 1) & ~(align - 1);
		if (size > PRELOAD_BOOT_SIZE || off > PRELOAD_BOOT_SIZE - size) {
			errno = ENOMEM;
			return NULL;
		}
		end = off + size;
	} while (!__atomic_compare_exchange_n(&boot_used, &old, end, true,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	p = preload_boot_arena + off;
	memcpy(p - sizeof(size), &size, sizeof(size));
	return p;
}

/** preload_boot_size - the size @p was allocated with */
size_t preload_boot_size(const void *p)
{
	size_t size;

	memcpy(&size, (const char *)p - sizeof(size), sizeof(size));
	return size;
}

/**
 * preload_boot_realloc - realloc() of a block of the static arena: a new
 * block from malloc(), the old one left where it is
 * @p: the block
 * @size: new size
 */
void *preload_boot_realloc(void *p, size_t size)
{
	size_t old = preload_boot_size(p);
	void *q = malloc(size);

	if (q)
		memcpy(q, p, old < size ? old : size);
	return q;
}
