/* SPDX-License-Identifier: MIT */
/*
 * libmemcg-preload.so: what the shim's files share (README.md in this
 * directory describes the behaviour).
 *
 * Every block the shim's malloc returns carries a tag in the last 8 bytes
 * of glibc's usable size (tag.h): the slot of the cgroup it was charged
 * to, 0 for none. A block is charged glibc's usable size, tag included,
 * and free uncharges exactly that. Charges come from a per-thread budget
 * of pre-charged bytes (budget.c), refilled and given back in pages;
 * frees of another cgroup's blocks, and threads that are exiting, go
 * through the cgroup's shared remainder (owners.c), always under a page.
 *
 * preload_tls.depth is non-zero while the thread runs the shim's own code
 * or the engine: allocations made then are not charged (the engine's own
 * memory), and frees of charged blocks (a reclaim callback freeing a
 * cache) uncharge through the shared remainder at once.
 */
#ifndef MEMCG_PRELOAD_SHIM_H
#define MEMCG_PRELOAD_SHIM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "memcg/preload.h"

#define PRELOAD_EXPORT __attribute__((visibility("default")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define PRELOAD_PAGE 4096L		/* the engine's page */
#define PRELOAD_TAG 8			/* bytes of tag at the end of a block */
#define PRELOAD_BATCH 64		/* pages: the most a budget holds */
#define PRELOAD_REFILL (PRELOAD_BATCH / 2)	/* pages left after a refill */
#define PRELOAD_HIGH (PRELOAD_BATCH * PRELOAD_PAGE)	/* budget bytes */
#define PRELOAD_LOW (PRELOAD_REFILL * PRELOAD_PAGE)
#define PRELOAD_MAX_REQ ((size_t)PTRDIFF_MAX - (16u << 20))

/* --- the calling thread (thread.c) --- */

enum preload_thread_state {
	PT_NEW,		/* not resolved yet: takes the default at its first charge */
	PT_ACCOUNTED,	/* charges @slot through the budget */
	PT_UNACCOUNTED,	/* charges nothing */
	PT_EXITING,	/* budget returned: charges @slot through the remainder */
};

struct preload_thread {
	long budget;		/* bytes charged to @slot, in no block yet */
	uint16_t slot;		/* the thread's cgroup (owners.c), 0: none */
	uint8_t depth;		/* > 0: in the shim or the engine */
	uint8_t state;		/* enum preload_thread_state */
	uint8_t resolving;	/* looking up malloc_usable_size (usable.c) */
	uint8_t armed;		/* the thread-exit destructor will run */
};

extern __thread struct preload_thread preload_tls
	__attribute__((tls_model("initial-exec")));

static inline void preload_enter(struct preload_thread *t)
{
	t->depth++;
}

static inline void preload_leave(struct preload_thread *t)
{
	t->depth--;
}

void preload_thread_start(struct preload_thread *t);
void preload_thread_keys_init(void);
void preload_thread_fork_child(void);

/* --- glibc's usable size, and the allocator for before it is known --- */

#define PRELOAD_BOOT_SIZE (256u << 10)

extern size_t (*preload_usable_fn)(void *);
extern char preload_boot_arena[PRELOAD_BOOT_SIZE];
bool preload_boot_needed_slow(void);
void *preload_boot_alloc(size_t size, size_t align);
size_t preload_boot_size(const void *p);
void *preload_boot_realloc(void *p, size_t size);

/**
 * preload_boot_needed - whether an allocation must come from the static
 * arena, because glibc's usable size is not known and cannot be looked up
 * now; looks it up when it can
 */
static inline bool preload_boot_needed(void)
{
	if (likely(__atomic_load_n(&preload_usable_fn, __ATOMIC_ACQUIRE) != NULL))
		return false;
	return preload_boot_needed_slow();
}

/* Whether @p came from preload_boot_alloc(). */
static inline bool preload_boot_owns(const void *p)
{
	return (uintptr_t)p - (uintptr_t)preload_boot_arena < PRELOAD_BOOT_SIZE;
}

extern bool preload_usable_from_header;

/*
 * glibc's malloc_usable_size() of a block it allocated (0 if unknown yet).
 * Where the check at start-up found them equal (usable.c), it is read off
 * the chunk's own size word, on the block's first cache line, without
 * glibc's look at the next chunk, a cache miss at the block's end.
 */
static inline size_t preload_usable(void *p)
{
	size_t (*fn)(void *);
	size_t size;

	if (likely(preload_usable_from_header)) {
		memcpy(&size, (char *)p - sizeof(size), sizeof(size));
		return (size & ~(size_t)7) - 8 - ((size & 2) << 2);
	}
	fn = __atomic_load_n(&preload_usable_fn, __ATOMIC_ACQUIRE);
	return likely(fn != NULL) ? fn(p) : 0;
}

/* --- charging (budget.c, owners.c) --- */

int preload_charge_slow(struct preload_thread *t, size_t bytes, bool nofail);
void preload_uncharge_slow(struct preload_thread *t, unsigned slot,
			   size_t bytes);
void preload_budget_drain(struct preload_thread *t);
void preload_budget_flush(struct preload_thread *t);
unsigned preload_charge_slot(struct preload_thread *t);

/**
 * preload_charge - charge @bytes to the calling thread's cgroup
 * @bytes: bytes
 *
 * Return: the slot charged (0: the thread is not accounted, nothing was
 * charged), or -ENOMEM.
 */
static inline int preload_charge(size_t bytes)
{
	struct preload_thread *t = &preload_tls;

	if (likely(t->state == PT_ACCOUNTED && !t->depth &&
		   t->budget >= (long)bytes)) {
		t->budget -= (long)bytes;
		return t->slot;
	}
	return preload_charge_slow(t, bytes, false);
}

/**
 * preload_uncharge - uncharge @bytes charged to @slot
 * @slot: the slot preload_charge() returned; 0 does nothing
 * @bytes: bytes
 */
static inline void preload_uncharge(unsigned slot, size_t bytes)
{
	struct preload_thread *t = &preload_tls;

	if (!slot)
		return;
	if (likely(slot == t->slot && t->state == PT_ACCOUNTED && !t->depth)) {
		t->budget += (long)bytes;
		if (unlikely(t->budget > PRELOAD_HIGH))
			preload_budget_drain(t);
		return;
	}
	preload_uncharge_slow(t, slot, bytes);
}

struct mem_cgroup *preload_owner_memcg(unsigned slot);
int preload_owner_slot(struct mem_cgroup *memcg);
int preload_pool_charge(unsigned slot, size_t bytes, bool nofail);
void preload_pay_over_high(unsigned slot);
void preload_pool_uncharge(unsigned slot, size_t bytes);
void preload_owners_fork_child(void);

/* --- start-up: the environment and the engine (init.c, env.c) --- */

struct preload_env {
	const char *cgroup;	/* MEMCG_CGROUP, NULL if unset */
	const char *max, *high;	/* MEMCG_MAX, MEMCG_HIGH */
	bool strict;		/* MEMCG_STRICT, default 1 */
	bool report;		/* MEMCG_REPORT */
	bool oom_abort;		/* MEMCG_OOM=abort */
};

extern struct preload_env preload_env;
extern unsigned preload_default_slot;
extern bool preload_off;

int preload_env_parse(struct preload_env *env, char *msg, size_t len);
bool preload_ready(void);
void preload_init(void);
struct memcg_engine *preload_engine_get(void);
void preload_init_fork_child(void);

/* --- anonymous mappings (maps.c) --- */

/* what an unmapping took from each cgroup, uncharged after the lock */
struct preload_unmapped {
	unsigned nr;
	struct {
		unsigned slot;
		size_t bytes;
	} e[8];
};

void preload_maps_lock(void);
void preload_maps_unlock(void);
bool preload_maps_empty(void);
int preload_maps_insert(uintptr_t start, uintptr_t end, unsigned slot);
void preload_maps_remove(uintptr_t start, uintptr_t end,
			 struct preload_unmapped *out);
unsigned preload_maps_owner(uintptr_t start, uintptr_t end);
void preload_maps_fork_child(void);
void preload_unmapped_add(struct preload_unmapped *u, unsigned slot,
			  size_t bytes);
void preload_unmapped_apply(struct preload_unmapped *u);

/* --- messages (report.c) --- */

void preload_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void preload_oom(size_t bytes);
void preload_report_open(void);
void preload_report(void);

#endif /* MEMCG_PRELOAD_SHIM_H */
