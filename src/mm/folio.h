/* SPDX-License-Identifier: MIT */
/*
 * Frame arena and folio descriptors.
 *
 * The arena owns nr_frames page frames (4 KiB of real memory each, or no
 * memory at all in data-less mode) and one 16-byte descriptor per frame.
 * A folio is a power-of-two run of frames described by the descriptor of
 * its first frame; the other descriptors of a large folio are tails.
 *
 * This file knows nothing of cgroups: memcg_data is an opaque 24-bit
 * value that memcontrol owns (the owner's css slot, 0 when uncharged).
 * Nor of reclaim: the multi-generational LRU keeps a folio's generation
 * in two bits of info and its access count (tier) in two bits of
 * refflags (lru.h, lru_gen.c).
 *
 * Order-0 frames pass through per-CPU lists (pcp) that take them from
 * the buddy a batch of whole line groups (FOLIO_LINE_GROUP) at a time,
 * so that folios charged on different CPUs rarely share a line. Frames on
 * those lists count as free.
 *
 * Locking: each CPU's list is behind its own pcp_lock, taken before the
 * arena lock, which guards the buddy's free lists. The refcount
 * and flags share one atomic word. memcg_data, order, type and the LRU
 * links are written only by whoever holds the folio exclusively (the
 * allocator, the final put, or the LRU lock owner).
 */
#ifndef MEMCG_FOLIO_H
#define MEMCG_FOLIO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum folio_type {
	FOLIO_ANON,
	FOLIO_FILE,
	FOLIO_SHMEM,
	FOLIO_KERNEL,
	NR_FOLIO_TYPES
};

_Static_assert(NR_FOLIO_TYPES <= 4, "two bits of folio->info");

/*
 * folio->refflags: a 17-bit refcount, the flags above it, and in the top
 * two bits the multi-generational LRU's access count (LRU_REFS).
 */
#define FOLIO_REF_BITS 17
#define FOLIO_REF_MASK ((1u << FOLIO_REF_BITS) - 1)
#define FOLIO_REF_MAX FOLIO_REF_MASK

enum folio_flag {
	PG_locked = FOLIO_REF_BITS,
	PG_lru,
	PG_active,
	PG_referenced,
	PG_unevictable,
	PG_swapcache,
	PG_dirty,
	PG_writeback,
	PG_mlocked,
	PG_workingset,
	PG_reclaim,	/* reclaim wants it back on the inactive tail once written */
	PG_tail,	/* a non-head frame of a large folio */
	PG_free,	/* free: in the buddy or on a per-CPU list */
	LRU_REFS_PGOFF,	/* two bits: accesses through the cache beyond two */
};

#define LRU_REFS_WIDTH 2
#define LRU_REFS_MASK (((1u << LRU_REFS_WIDTH) - 1) << LRU_REFS_PGOFF)

_Static_assert(LRU_REFS_PGOFF + LRU_REFS_WIDTH == 32, "refflags is full");

/*
 * folio->info: memcg_data:24 | order:4 | type:2 | lru_gen:2. The
 * generation is meaningful only while the folio is on an MGLRU list, and
 * is written only under that list's lock.
 */
#define FOLIO_MEMCG_BITS 24
#define FOLIO_MEMCG_MASK ((1u << FOLIO_MEMCG_BITS) - 1)

#define FOLIO_NONE UINT32_MAX	/* the null frame index */

struct folio {
	_Atomic uint32_t refflags;	/* refcount (low 17 bits) | flags */
	uint32_t info;			/* memcg_data:24 | order:4 | type:2 | gen:2 */
	uint32_t lru_next;		/* frame index or FOLIO_NONE */
	uint32_t lru_prev;
};

_Static_assert(sizeof(struct folio) == 16, "16 bytes of metadata per frame");

/*
 * The unit of cache-line ownership: 16 frames, whose descriptors fill 4
 * lines and whose 4-byte swap entries (swap_state.c's folio_swap, the
 * kernel's folio->swap) fill one. A per-CPU list takes whole groups, and
 * a frame of another CPU's group freed while a group-mate is in use goes
 * to its cold end, so that two CPUs rarely write a line of one group. A
 * huge folio is whole groups.
 */
#define FOLIO_LINE_GROUP 16

struct folio_arena;

/**
 * folio_arena_create - make an arena of page frames
 * @nr_frames: frames, rounded up to a multiple of 1 << @huge_order
 * @dataless: no memory behind the frames (folio_address() gives NULL)
 * @huge_order: order of a huge folio (9 for 2 MiB), at most 12
 * @out: the arena
 *
 * Return: 0, -EINVAL for bad arguments or -ENOMEM.
 */
int folio_arena_create(size_t nr_frames, bool dataless, unsigned huge_order,
		       struct folio_arena **out);

/**
 * folio_arena_destroy - free the arena; every folio must have been freed
 * @a: arena or NULL
 */
void folio_arena_destroy(struct folio_arena *a);

size_t folio_arena_nr_frames(const struct folio_arena *a);

/**
 * folio_arena_nr_free - free frames, those on per-CPU lists included
 * @a: arena
 *
 * Exact when no other thread allocates or frees meanwhile.
 */
size_t folio_arena_nr_free(struct folio_arena *a);

unsigned folio_arena_huge_order(const struct folio_arena *a);

/**
 * folio_arena_set_deterministic - where the arena gets the current CPU
 * @a: arena, before other threads use it
 * @deterministic: true: only from memcg_set_cpu() (CPU 0 when unset), so
 *	that the same calls yield the same frames on any CPU; false (the
 *	default): from memcg_set_cpu(), else the real CPU
 *
 * Drains the per-CPU lists.
 */
void folio_arena_set_deterministic(struct folio_arena *a, bool deterministic);

/**
 * folio_arena_set_rseq - how the per-CPU lists are locked
 * @a: arena, before other threads use it
 * @rseq: true (only where pcpu_rseq_available()): the list of the CPU the
 *	thread runs on, by a restartable sequence, no atomic instruction;
 *	memcg_set_cpu() is ignored, as by an engine with rseq CPU locks.
 *	false (the default): an atomic exchange, the CPU as this_cpu() says
 *
 * Drains the per-CPU lists. A deterministic arena stays atomic.
 */
void folio_arena_set_rseq(struct folio_arena *a, bool rseq);

/**
 * folio_arena_drain_all - return every CPU's cached frames to the buddy
 * @a: arena
 *
 * Threads allocating or freeing meanwhile may cache frames again at once.
 */
void folio_arena_drain_all(struct folio_arena *a);

/* A per-CPU list holds at most this many batches. */
#define FOLIO_PCP_HIGH_BATCHES 4

/**
 * folio_arena_nr_cpus - how many per-CPU lists the arena has
 * @a: arena
 *
 * The machine's configured CPUs, at least 2; CPU numbers wrap to it.
 */
unsigned folio_arena_nr_cpus(const struct folio_arena *a);

/**
 * folio_arena_pcp_batch - frames a list takes or gives back at once
 * @a: arena
 *
 * Whole line groups: 16 or 32 frames, by the arena's size per CPU.
 */
unsigned folio_arena_pcp_batch(const struct folio_arena *a);

/**
 * folio_arena_pcp_count - frames on a CPU's list
 * @a: arena
 * @cpu: below folio_arena_nr_cpus()
 *
 * Return: the count, read without the list's lock.
 */
unsigned folio_arena_pcp_count(struct folio_arena *a, unsigned cpu);

/**
 * folio_alloc - allocate a folio of order 0 or the arena's huge order
 * @a: arena
 * @type: what the folio will hold
 * @order: 0 or folio_arena_huge_order(@a)
 *
 * The folio comes with refcount 1, no flags, memcg_data 0 and its data
 * zeroed.
 *
 * Return: the folio, or NULL when no run of frames is free, per-CPU
 * lists drained (or @order is neither 0 nor the huge order).
 */
struct folio *folio_alloc(struct folio_arena *a, enum folio_type type,
			  unsigned order);

/**
 * folio_free - return a folio's frames to the arena
 * @a: arena
 * @folio: a folio with refcount 0, off every list, memcg_data 0
 */
void folio_free(struct folio_arena *a, struct folio *folio);

/**
 * folio_split - split a large folio into order-0 folios
 * @a: arena
 * @folio: the head, held exclusively by the caller
 *
 * Every new folio inherits the head's refcount, flags, type and memcg_data;
 * taking the extra references on the owner is the caller's job. The head
 * becomes the first order-0 folio.
 */
void folio_split(struct folio_arena *a, struct folio *folio);

/* Frame index of a folio, and back. */
struct folio *folio_arena_folios(const struct folio_arena *a);
uint32_t folio_pfn(const struct folio_arena *a, const struct folio *folio);
struct folio *pfn_folio(const struct folio_arena *a, uint32_t pfn);

/**
 * folio_address - the folio's data
 * @a: arena
 * @folio: folio
 *
 * Return: the first byte of its frames, or NULL in data-less mode.
 */
void *folio_address(const struct folio_arena *a, const struct folio *folio);

/*
 * folio->info's fields are read without a lock (the order and type by any
 * holder) while the owner and the generation are rewritten under the
 * lists' lock: every access outside allocation and split is a relaxed
 * atomic one (plain moves on x86).
 */
static inline uint32_t folio_info(const struct folio *folio)
{
	return __atomic_load_n(&folio->info, __ATOMIC_RELAXED);
}

static inline unsigned folio_order(const struct folio *folio)
{
	return (folio_info(folio) >> FOLIO_MEMCG_BITS) & 0xf;
}

static inline long folio_nr_pages(const struct folio *folio)
{
	return 1L << folio_order(folio);
}

static inline enum folio_type folio_type(const struct folio *folio)
{
	return (enum folio_type)((folio_info(folio) >> (FOLIO_MEMCG_BITS + 4)) &
				 0x3);
}

#define FOLIO_GEN_SHIFT (FOLIO_MEMCG_BITS + 6)

/* The MGLRU generation of a folio on an MGLRU list; lruvec lock held. */
static inline int folio_lru_gen(const struct folio *folio)
{
	return (int)(folio_info(folio) >> FOLIO_GEN_SHIFT);
}

static inline void folio_set_lru_gen(struct folio *folio, int gen)
{
	__atomic_store_n(&folio->info, (folio_info(folio) &
					~(3u << FOLIO_GEN_SHIFT)) |
			 (uint32_t)gen << FOLIO_GEN_SHIFT, __ATOMIC_RELAXED);
}

/* folio_lruvec_lock() reads it unlocked, then checks again under it. */
static inline uint32_t folio_memcg_data(const struct folio *folio)
{
	return folio_info(folio) & FOLIO_MEMCG_MASK;
}

static inline void folio_set_memcg_data(struct folio *folio, uint32_t data)
{
	__atomic_store_n(&folio->info, (folio_info(folio) & ~FOLIO_MEMCG_MASK) |
			 (data & FOLIO_MEMCG_MASK), __ATOMIC_RELAXED);
}

static inline unsigned folio_ref_count(const struct folio *folio)
{
	return atomic_load_explicit(&folio->refflags, memory_order_relaxed) &
	       FOLIO_REF_MASK;
}

/**
 * folio_bug - report a misused folio on stderr and abort
 * @folio: the folio
 * @fmt: what was wrong, printf-style
 */
__attribute__((noreturn, cold, format(printf, 2, 3)))
void folio_bug(const struct folio *folio, const char *fmt, ...);

/**
 * folio_get - take a reference; the caller already holds one
 * @folio: folio
 */
void folio_get(struct folio *folio);

/**
 * folio_ref_add - take @nr references; the caller already holds one
 * @folio: folio
 * @nr: references
 */
void folio_ref_add(struct folio *folio, unsigned nr);

/**
 * folio_ref_sub - drop @nr references, none of them the last
 * @folio: folio
 * @nr: references
 */
void folio_ref_sub(struct folio *folio, unsigned nr);

/**
 * folio_put_testzero - drop a reference
 * @folio: folio
 *
 * Return: true if it was the last one; the caller then frees the folio.
 */
bool folio_put_testzero(struct folio *folio);

/**
 * folio_try_get - take a reference unless the refcount is 0 (being freed)
 * @folio: a folio found through a list, not through a reference
 *
 * Return: true with a reference taken.
 */
static inline bool folio_try_get(struct folio *folio)
{
	uint32_t old = atomic_load_explicit(&folio->refflags, memory_order_relaxed);

	do {
		if (!(old & FOLIO_REF_MASK) || (old & FOLIO_REF_MASK) == FOLIO_REF_MAX)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(&folio->refflags, &old,
			old + 1, memory_order_acquire, memory_order_relaxed));
	return true;
}

/**
 * folio_ref_freeze - drop @count references at once if they are all
 * @folio: folio
 * @count: the references the caller expects to be the only ones
 *
 * On success the refcount is 0: folio_try_get() fails, and the caller
 * frees the folio.
 *
 * Return: true if the refcount was exactly @count.
 */
static inline bool folio_ref_freeze(struct folio *folio, unsigned count)
{
	uint32_t old = atomic_load_explicit(&folio->refflags, memory_order_relaxed);

	do {
		if ((old & FOLIO_REF_MASK) != count)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(&folio->refflags, &old,
			old - count, memory_order_acq_rel, memory_order_relaxed));
	return true;
}

/**
 * folio_ref_unfreeze - give back the references folio_ref_freeze() took,
 * when the caller finds it may not free the folio after all
 * @folio: folio, frozen by the caller
 * @count: the count it had
 */
static inline void folio_ref_unfreeze(struct folio *folio, unsigned count)
{
	atomic_fetch_add_explicit(&folio->refflags, count, memory_order_release);
}

static inline bool folio_test_flag(const struct folio *folio, enum folio_flag f)
{
	return atomic_load_explicit(&folio->refflags, memory_order_relaxed) &
	       (1u << f);
}

static inline void folio_set_flag(struct folio *folio, enum folio_flag f)
{
	atomic_fetch_or_explicit(&folio->refflags, 1u << f, memory_order_relaxed);
}

static inline void folio_clear_flag(struct folio *folio, enum folio_flag f)
{
	atomic_fetch_and_explicit(&folio->refflags, ~(1u << f),
				  memory_order_relaxed);
}

/* Test-and-set; returns the old value (used as a bit lock for PG_locked). */
static inline bool folio_test_set_flag(struct folio *folio, enum folio_flag f)
{
	return atomic_fetch_or_explicit(&folio->refflags, 1u << f,
					memory_order_acquire) & (1u << f);
}

/* Test-and-clear; returns the old value: one of racing clearers sees it. */
static inline bool folio_test_clear_flag(struct folio *folio, enum folio_flag f)
{
	return atomic_fetch_and_explicit(&folio->refflags, ~(1u << f),
					 memory_order_acq_rel) & (1u << f);
}

/* Drop PG_locked, the bit lock folio_test_set_flag() took. */
static inline void folio_unlock(struct folio *folio)
{
	atomic_fetch_and_explicit(&folio->refflags, ~(1u << PG_locked),
				  memory_order_release);
}

#endif /* MEMCG_FOLIO_H */
