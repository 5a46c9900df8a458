// SPDX-License-Identifier: MIT
/*
 * Frame arena: a two-level buddy allocator.
 *
 * The arena is cut into blocks of 1 << huge_order frames. A wholly free
 * block sits on the huge free list (singly linked through the lru_next of
 * its first frame). An order-0 allocation takes a frame from the small free
 * list (doubly linked through lru_next/lru_prev) and, when that is empty,
 * breaks a free block into small frames. Every block counts its frames on
 * the small list; when the count reaches the whole block, its frames leave
 * the small list and the block goes back on the huge list.
 *
 * A block allocated as a huge folio counts 0 free small frames, so after
 * folio_split() its order-0 pieces are freed like any small frame.
 *
 * Every free frame has PG_free and a zero refcount; no allocated frame
 * has PG_free. A frame on the small list also has PG_buddy (PG_tail's bit,
 * which means nothing on a free frame, as the kernel keeps PageBuddy in a
 * field free pages do not use): set and cleared under the arena lock only.
 *
 * Per-CPU lists (pcp). Order-0 frames are allocated from and freed to the
 * current CPU's list, a ring of frame numbers used at its hot end (a
 * frame of another CPU's group whose mate is in use goes to its cold
 * end: pcp_give()). An empty list takes a batch from the buddy
 * (rmqueue_bulk), whole line groups where it can
 * (FOLIO_LINE_GROUP: 16 frames, 4 descriptor lines, one line of swap
 * entries): the small list's first frame and every group-mate of it that
 * is on the small list. A list at its high mark gives its coldest batch
 * back (free_pcppages_bulk). So a CPU gets groups to itself, and two CPUs
 * rarely charge or swap folios that share a line. Frames on a list
 * count as free; an allocation that finds nothing drains every list and
 * tries the buddy again before it fails.
 *
 * Both buddy lists are LIFO and start with the lowest block first, so the
 * same sequence of calls on the same CPU always yields the same frames
 * (folio_arena_set_deterministic() fixes the CPU).
 */
#include "mm/folio.h"
#include "lib/lazymap.h"
#include "lib/percpu.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FRAME_SHIFT 12
#define FRAME_SIZE ((size_t)1 << FRAME_SHIFT)
#define MAX_HUGE_ORDER 12

#define FOLIO_ORDER_SHIFT FOLIO_MEMCG_BITS
#define FOLIO_TYPE_SHIFT (FOLIO_MEMCG_BITS + 4)

/* On a free frame: on the buddy's small list (see above). */
#define PG_buddy PG_tail

/* The unit a per-CPU list takes: a line group (folio.h), of whole lines. */
#define PCP_LINE ((uint32_t)(MEMCG_CACHELINE / sizeof(struct folio)))
#define PCP_GROUP ((uint32_t)FOLIO_LINE_GROUP)
#define PCP_BATCH_MAX 32
#define PCP_MAX (PCP_BATCH_MAX * FOLIO_PCP_HIGH_BATCHES)
#define PCP_MAX_CPUS 4096

_Static_assert((PCP_GROUP & (PCP_GROUP - 1)) == 0, "a power of two");
_Static_assert(PCP_GROUP % PCP_LINE == 0, "a group is whole descriptor lines");
_Static_assert(PCP_BATCH_MAX % PCP_GROUP == 0, "batches of whole groups");
_Static_assert((PCP_MAX & (PCP_MAX - 1)) == 0, "a ring indexed by a mask");

/*
 * One CPU's cached free frames, behind a pcpu_lock of the arena's own.
 * By default in atomic mode, which works whatever CPU the thread is
 * really on, memcg_set_cpu() included. The engine switches an arena to
 * rseq mode when its own CPU locks are (folio_arena_set_rseq()): the
 * thread takes the list of the CPU it runs on with no atomic instruction,
 * and a remote drain pays a membarrier. Either way a failed trylock
 * simply goes to the buddy, and the lock is a line of this CPU's, where
 * the arena mutex it bypasses is one line for every CPU.
 */
struct per_cpu_pages {
	struct pcpu_lock lock;
	atomic_uint count;		/* frames in pfns[]; read without the lock */
	uint32_t cold;			/* index of the coldest frame */
	uint32_t pfns[PCP_MAX];		/* a ring from cold to hot (pcp_at()) */
} __attribute__((aligned(MEMCG_CACHELINE)));

struct folio_arena {
	struct folio *folios;	/* one descriptor per frame, page-aligned */
	size_t folios_bytes;	/* mapped for them; untouched pages cost no RSS */
	size_t uninit;		/* first block never handed out: the rest is free */
	unsigned char *data;	/* nr_frames * FRAME_SIZE bytes, NULL if dataless */
	uint32_t *block_free;	/* per block: its frames on the small list */
	uint16_t *group_owner;	/* per group: CPU + 1 whose list last took it
				 * from the buddy, 0: none; relaxed atomics */
	size_t nr_frames;	/* a multiple of the block size */
	size_t nr_free;		/* free frames in the buddy (not on pcp lists) */
	unsigned huge_order;
	uint32_t small_head;	/* small free list: first frame or FOLIO_NONE */
	uint32_t huge_head;	/* huge free list: first block's frame or FOLIO_NONE */
	pthread_mutex_t lock;	/* the lists, block_free and nr_free */

	struct per_cpu_pages *pcp;	/* nr_cpus lists */
	unsigned nr_cpus;
	unsigned pcp_batch;	/* frames per refill and drain, whole groups */
	unsigned pcp_high;	/* a list at this count drains a batch */
	bool deterministic;	/* CPU from memcg_set_cpu() only */
	bool rseq;		/* lists locked by rseq: the real CPU */
};

static uint32_t block_frames(const struct folio_arena *a)
{
	return UINT32_C(1) << a->huge_order;
}

static uint32_t *block_count(struct folio_arena *a, uint32_t pfn)
{
	return &a->block_free[pfn >> a->huge_order];
}

static void small_push(struct folio_arena *a, uint32_t pfn)
{
	struct folio *f = &a->folios[pfn];

	atomic_store_explicit(&f->refflags, (1u << PG_free) | (1u << PG_buddy),
			      memory_order_relaxed);
	f->lru_prev = FOLIO_NONE;
	f->lru_next = a->small_head;
	if (a->small_head != FOLIO_NONE)
		a->folios[a->small_head].lru_prev = pfn;
	a->small_head = pfn;
}

static void small_unlink(struct folio_arena *a, uint32_t pfn)
{
	struct folio *f = &a->folios[pfn];

	if (f->lru_prev != FOLIO_NONE)
		a->folios[f->lru_prev].lru_next = f->lru_next;
	else
		a->small_head = f->lru_next;
	if (f->lru_next != FOLIO_NONE)
		a->folios[f->lru_next].lru_prev = f->lru_prev;
	f->lru_next = f->lru_prev = FOLIO_NONE;
	atomic_store_explicit(&f->refflags, 1u << PG_free, memory_order_relaxed);
}

/*
 * Under the lock. Other threads may be storing to the refflags of frames
 * that are not on the small list (allocated, or on a CPU's list), but
 * PG_buddy is only ever set or cleared on a free frame under the lock;
 * on an allocated one the bit is PG_tail (a group may span blocks, one
 * of them a huge folio's), and PG_free is clear.
 */
static bool on_small_list(const struct folio_arena *a, uint32_t pfn)
{
	const uint32_t buddy = (1u << PG_free) | (1u << PG_buddy);

	return (atomic_load_explicit(&a->folios[pfn].refflags,
				     memory_order_relaxed) & buddy) == buddy;
}

static void huge_push(struct folio_arena *a, uint32_t pfn)
{
	a->folios[pfn].lru_next = a->huge_head;
	a->folios[pfn].lru_prev = FOLIO_NONE;
	a->huge_head = pfn;
}

static void frame_init_free(struct folio *f);

/*
 * Blocks are set up when first needed, not at creation, so that a large
 * machine costs memory in proportion to what it uses. Under the lock.
 * Return: false when every block has been set up.
 */
static bool huge_refill(struct folio_arena *a)
{
	size_t bs = block_frames(a);

	if (a->uninit >= a->nr_frames)
		return false;
	for (size_t i = 0; i < bs; i++)
		frame_init_free(&a->folios[a->uninit + i]);
	huge_push(a, (uint32_t)a->uninit);
	a->uninit += bs;
	return true;
}

static uint32_t huge_pop(struct folio_arena *a)
{
	uint32_t pfn = a->huge_head;

	a->huge_head = a->folios[pfn].lru_next;
	a->folios[pfn].lru_next = FOLIO_NONE;
	return pfn;
}

/* Move a free block onto the small list, lowest frame on top. */
static void block_break(struct folio_arena *a, uint32_t head)
{
	uint32_t n = block_frames(a);

	for (uint32_t i = n; i > 0; i--)
		small_push(a, head + i - 1);
	*block_count(a, head) = n;
}

/* Take a wholly free block's frames off the small list. */
static void block_merge(struct folio_arena *a, uint32_t head)
{
	uint32_t n = block_frames(a);

	for (uint32_t i = 0; i < n; i++)
		small_unlink(a, head + i);
	*block_count(a, head) = 0;
	huge_push(a, head);
}

/* Under the lock: take @pfn off the small list. */
static void take_frame(struct folio_arena *a, uint32_t pfn)
{
	small_unlink(a, pfn);
	(*block_count(a, pfn))--;
	a->nr_free--;
}

/* Under the lock: a free frame, or FOLIO_NONE. */
static uint32_t take_small(struct folio_arena *a)
{
	uint32_t pfn;

	if (a->small_head == FOLIO_NONE) {
		if (a->huge_head == FOLIO_NONE && !huge_refill(a))
			return FOLIO_NONE;
		block_break(a, huge_pop(a));
	}
	pfn = a->small_head;
	take_frame(a, pfn);
	return pfn;
}

/* Under the lock: the first frame of a free block, or FOLIO_NONE. */
static uint32_t take_huge(struct folio_arena *a)
{
	if (a->huge_head == FOLIO_NONE && !huge_refill(a))
		return FOLIO_NONE;
	a->nr_free -= block_frames(a);
	return huge_pop(a);
}

static void give_small(struct folio_arena *a, uint32_t pfn)
{
	uint32_t *count = block_count(a, pfn);

	small_push(a, pfn);
	a->nr_free++;
	if (++*count == block_frames(a))
		block_merge(a, pfn & ~(block_frames(a) - 1));
}

static void give_huge(struct folio_arena *a, uint32_t pfn)
{
	if (*block_count(a, pfn) != 0)
		folio_bug(&a->folios[pfn], "huge folio in a broken block");
	huge_push(a, pfn);
	a->nr_free += block_frames(a);
}

static unsigned pcp_count(const struct per_cpu_pages *pcp)
{
	return atomic_load_explicit(&pcp->count, memory_order_relaxed);
}

/* Under the list's lock: the @i-th frame from the cold end. */
static uint32_t *pcp_at(struct per_cpu_pages *pcp, unsigned i)
{
	return &pcp->pfns[(pcp->cold + i) & (PCP_MAX - 1)];
}

/* Under the list's lock; folio_arena_nr_free() reads it without. */
static void pcp_set_count(struct per_cpu_pages *pcp, unsigned n)
{
	atomic_store_explicit(&pcp->count, n, memory_order_relaxed);
}

/*
 * Under both locks, on an empty list: take a batch from the buddy, group
 * by group, in the order the buddy would have handed the frames out. A
 * free block is broken only to get a first group (or block, if smaller).
 */
static void rmqueue_bulk(struct folio_arena *a, struct per_cpu_pages *pcp)
{
	uint16_t self = (uint16_t)(pcp - a->pcp + 1);
	unsigned n = 0;

	while (n < a->pcp_batch) {
		uint32_t pfn, group;

		if (a->small_head == FOLIO_NONE) {
			if (n >= PCP_GROUP || n >= block_frames(a) ||
			    (a->huge_head == FOLIO_NONE && !huge_refill(a)))
				break;
			block_break(a, huge_pop(a));
		}
		pfn = a->small_head;
		take_frame(a, pfn);
		pcp->pfns[n++] = pfn;	/* from cold = 0, set below */
		group = pfn & ~(PCP_GROUP - 1);
		if (a->group_owner[group / PCP_GROUP] != self)
			__atomic_store_n(&a->group_owner[group / PCP_GROUP],
					 self, __ATOMIC_RELAXED);
		for (uint32_t p = group; p < group + PCP_GROUP && p < a->nr_frames; p++) {
			if (on_small_list(a, p)) {
				take_frame(a, p);
				pcp->pfns[n++] = p;
			}
		}
	}
	/* The first frame taken goes on top. */
	for (unsigned i = 0; i < n / 2; i++) {
		uint32_t t = pcp->pfns[i];

		pcp->pfns[i] = pcp->pfns[n - 1 - i];
		pcp->pfns[n - 1 - i] = t;
	}
	pcp->cold = 0;
	pcp_set_count(pcp, n);
}

/* Under both locks: give the @nr coldest frames back to the buddy. */
static void free_pcppages_bulk(struct folio_arena *a,
			       struct per_cpu_pages *pcp, unsigned nr)
{
	unsigned n = pcp_count(pcp);

	if (nr > n)
		nr = n;
	for (unsigned i = 0; i < nr; i++)
		give_small(a, *pcp_at(pcp, i));
	pcp->cold = (pcp->cold + nr) & (PCP_MAX - 1);
	pcp_set_count(pcp, n - nr);
}

/*
 * The current CPU's list, locked, or NULL when another thread holds it.
 * The thread may migrate after reading its CPU: it then uses another
 * CPU's list, which costs sharing, not correctness.
 */
static struct per_cpu_pages *pcp_trylock_this(struct folio_arena *a)
{
	struct per_cpu_pages *pcp;
	unsigned cpu;

	if (a->rseq) {
		/* fails off the list's CPU: a CPU id wrapped to nr_cpus */
		cpu = real_cpu(a->nr_cpus);
		pcp = &a->pcp[cpu];
		return pcpu_rseq_trylock(&pcp->lock, cpu) ? pcp : NULL;
	}
	pcp = &a->pcp[this_cpu(a->nr_cpus, a->deterministic)];
	return pcpu_atomic_trylock(&pcp->lock) ? pcp : NULL;
}

/* After pcp_trylock_this(). */
static void pcp_unlock(struct folio_arena *a, struct per_cpu_pages *pcp)
{
	pcpu_unlock_trylocked(&pcp->lock, a->rseq);
}

/* Under the list's lock: a frame from it, refilled if empty, or FOLIO_NONE. */
static uint32_t pcp_take(struct folio_arena *a, struct per_cpu_pages *pcp)
{
	unsigned n = pcp_count(pcp);

	if (!n) {
		pthread_mutex_lock(&a->lock);
		rmqueue_bulk(a, pcp);
		pthread_mutex_unlock(&a->lock);
		n = pcp_count(pcp);
		if (!n)
			return FOLIO_NONE;
	}
	pcp_set_count(pcp, n - 1);
	return *pcp_at(pcp, n - 1);
}

/*
 * Whether a frame of @pfn's line group is allocated (neither free nor on
 * a list); @pfn itself is free already. Its holder may run on another
 * CPU: the loads are racy, tolerated as they only steer where a freed
 * frame goes. A line at a time, stopping at the first with one in use.
 * Where blocks are smaller than a group, frames of a block not yet set
 * up read as in use.
 */
static bool group_mate_in_use(const struct folio_arena *a, uint32_t pfn)
{
	uint32_t p = pfn & ~(PCP_GROUP - 1), end = p + PCP_GROUP;

	if (end > a->nr_frames)
		end = (uint32_t)a->nr_frames;
	while (p < end) {
		uint32_t all = 1u << PG_free;

		for (uint32_t stop = p + PCP_LINE; p < stop && p < end; p++)
			all &= atomic_load_explicit(&a->folios[p].refflags,
						    memory_order_relaxed);
		if (!all)
			return true;
	}
	return false;
}

/*
 * Under the list's lock: whether to cache @pfn at the cold end. A frame
 * of a group this CPU's list took from the buddy is hot whatever its
 * mates do: they are this CPU's users' (often idle holders) or a
 * migrated thread's, whose own frees of them go cold. Only another
 * CPU's frame is looked at (the look then costs no common path).
 */
static bool pcp_goes_cold(const struct folio_arena *a,
			  const struct per_cpu_pages *pcp, uint32_t pfn)
{
	uint16_t self = (uint16_t)(pcp - a->pcp + 1);

	if (__atomic_load_n(&a->group_owner[pfn / PCP_GROUP],
			    __ATOMIC_RELAXED) == self)
		return false;
	return group_mate_in_use(a, pfn);
}

/*
 * Under the list's lock: cache @pfn, first draining a batch if full. Hot
 * on top, unless pcp_goes_cold(): then at the cold end, an empty list
 * first taking a batch (a frame alone on a list is on top). Two threads
 * each recycling the top of its CPU's list would otherwise write one
 * line (a descriptor line, or the group's swap entries) on every
 * allocation and free once a migration has put group-mates on both
 * lists (a descriptor is a quarter of a line and a swap entry a
 * sixteenth, where the kernel's struct page, swap entry included, is a
 * whole one).
 */
static void pcp_give(struct folio_arena *a, struct per_cpu_pages *pcp,
		     uint32_t pfn)
{
	unsigned n = pcp_count(pcp);
	bool cold;

	if (n >= a->pcp_high) {
		pthread_mutex_lock(&a->lock);
		free_pcppages_bulk(a, pcp, a->pcp_batch);
		pthread_mutex_unlock(&a->lock);
		n = pcp_count(pcp);
	}
	cold = pcp_goes_cold(a, pcp, pfn);
	if (cold && !n) {
		pthread_mutex_lock(&a->lock);
		rmqueue_bulk(a, pcp);
		pthread_mutex_unlock(&a->lock);
		n = pcp_count(pcp);
	}
	if (cold && n) {
		pcp->cold = (pcp->cold - 1) & (PCP_MAX - 1);
		pcp->pfns[pcp->cold] = pfn;
	} else {
		*pcp_at(pcp, n) = pfn;
	}
	pcp_set_count(pcp, n + 1);
}

static uint32_t buddy_take(struct folio_arena *a, unsigned order)
{
	uint32_t pfn;

	pthread_mutex_lock(&a->lock);
	pfn = order ? take_huge(a) : take_small(a);
	pthread_mutex_unlock(&a->lock);
	return pfn;
}

static uint32_t alloc_small(struct folio_arena *a)
{
	struct per_cpu_pages *pcp = pcp_trylock_this(a);
	uint32_t pfn;

	if (pcp) {
		pfn = pcp_take(a, pcp);
		pcp_unlock(a, pcp);
	} else {
		pfn = buddy_take(a, 0);	/* the list is busy: skip it */
	}
	return pfn;
}

static void free_small(struct folio_arena *a, uint32_t pfn)
{
	struct per_cpu_pages *pcp = pcp_trylock_this(a);

	if (pcp) {
		pcp_give(a, pcp, pfn);
		pcp_unlock(a, pcp);
		return;
	}
	pthread_mutex_lock(&a->lock);
	give_small(a, pfn);
	pthread_mutex_unlock(&a->lock);
}

static void frame_init_free(struct folio *f)
{
	atomic_store_explicit(&f->refflags, 1u << PG_free,
			      memory_order_relaxed);
	f->info = 0;
	f->lru_next = f->lru_prev = FOLIO_NONE;
}

static int arena_alloc_memory(struct folio_arena *a, bool dataless)
{
	size_t nr_blocks = a->nr_frames >> a->huge_order;
	size_t bytes = a->nr_frames * sizeof(*a->folios);
	/* read on every free: on lines of its own, not a heap neighbour's */
	size_t owner_bytes = (a->nr_frames / PCP_GROUP * sizeof(*a->group_owner) +
			      MEMCG_CACHELINE) & ~(size_t)(MEMCG_CACHELINE - 1);

	/* page-aligned, hence line-aligned; touched only as blocks are used */
	a->folios_bytes = bytes;
	a->folios = lazymap_alloc(bytes, false);
	a->block_free = calloc(nr_blocks, sizeof(*a->block_free));
	a->group_owner = aligned_alloc(MEMCG_CACHELINE, owner_bytes);
	a->pcp = aligned_alloc(MEMCG_CACHELINE, a->nr_cpus * sizeof(*a->pcp));
	if (!a->folios || !a->block_free || !a->group_owner || !a->pcp)
		return -ENOMEM;
	memset(a->group_owner, 0, owner_bytes);
	memset(a->pcp, 0, a->nr_cpus * sizeof(*a->pcp));
	if (dataless)
		return 0;
	if (a->nr_frames > SIZE_MAX / FRAME_SIZE)
		return -ENOMEM;
	a->data = lazymap_alloc(a->nr_frames * FRAME_SIZE, false);
	return a->data ? 0 : -ENOMEM;
}

static void arena_free_memory(struct folio_arena *a)
{
	lazymap_free(a->data, a->nr_frames * FRAME_SIZE);
	free(a->pcp);
	free(a->group_owner);
	free(a->block_free);
	lazymap_free(a->folios, a->folios_bytes);
	free(a);
}

/*
 * A list per configured CPU, at least two so that memcg_set_cpu(0) and
 * (1) get lists of their own anywhere. The batch is a group at least and
 * 32 frames at most, so that the lists hold at most ~1/16 of an arena of
 * 1024 frames per CPU or more (below, 64 frames a CPU).
 */
static void pcp_init_params(struct folio_arena *a)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	size_t batch;

	if (cpus < 2)
		cpus = 2;
	a->nr_cpus = cpus > PCP_MAX_CPUS ? PCP_MAX_CPUS : (unsigned)cpus;
	batch = a->nr_frames / a->nr_cpus / (16 * FOLIO_PCP_HIGH_BATCHES);
	batch &= ~(size_t)(PCP_GROUP - 1);
	if (batch < PCP_GROUP)
		batch = PCP_GROUP;
	if (batch > PCP_BATCH_MAX)
		batch = PCP_BATCH_MAX;
	a->pcp_batch = (unsigned)batch;
	a->pcp_high = a->pcp_batch * FOLIO_PCP_HIGH_BATCHES;
}

int folio_arena_create(size_t nr_frames, bool dataless, unsigned huge_order,
		       struct folio_arena **out)
{
	struct folio_arena *a;
	size_t bs;
	int err;

	if (!out || nr_frames == 0 || huge_order == 0 ||
	    huge_order > MAX_HUGE_ORDER)
		return -EINVAL;
	bs = (size_t)1 << huge_order;
	/* Frame indices must stay below FOLIO_NONE. */
	if (nr_frames > ((size_t)UINT32_MAX & ~(bs - 1)))
		return -EINVAL;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->nr_frames = (nr_frames + bs - 1) & ~(bs - 1);
	a->huge_order = huge_order;
	pcp_init_params(a);
	err = arena_alloc_memory(a, dataless);
	if (!err)
		err = -pthread_mutex_init(&a->lock, NULL);
	if (err) {
		arena_free_memory(a);
		return err;
	}

	/* every block free, set up when first taken (huge_refill()) */
	a->small_head = a->huge_head = FOLIO_NONE;
	a->uninit = 0;
	a->nr_free = a->nr_frames;
	*out = a;
	return 0;
}

void folio_arena_destroy(struct folio_arena *a)
{
	size_t nr_free;

	if (!a)
		return;
	nr_free = folio_arena_nr_free(a);
	if (nr_free != a->nr_frames)
		fprintf(stderr, "libmemcg: arena destroyed with %zu frames in use\n",
			a->nr_frames - nr_free);
	pthread_mutex_destroy(&a->lock);
	arena_free_memory(a);
}

size_t folio_arena_nr_frames(const struct folio_arena *a)
{
	return a->nr_frames;
}

/* The descriptor array, for a caller's bounds check (folio_of_engine()). */
struct folio *folio_arena_folios(const struct folio_arena *a)
{
	return a->folios;
}

size_t folio_arena_nr_free(struct folio_arena *a)
{
	size_t n;

	/*
	 * Frames move between the buddy and a list under the arena lock,
	 * which is held here: none of those is missed or counted twice. The
	 * lists are read one by one without their locks, though: a frame
	 * allocated from one and freed to another meanwhile may be missed
	 * or counted twice. Tolerated: only a quiescent arena has an exact
	 * count, with or without lists.
	 */
	pthread_mutex_lock(&a->lock);
	n = a->nr_free;
	for (unsigned cpu = 0; cpu < a->nr_cpus; cpu++)
		n += pcp_count(&a->pcp[cpu]);
	pthread_mutex_unlock(&a->lock);
	return n;
}

void folio_arena_drain_all(struct folio_arena *a)
{
	for (unsigned cpu = 0; cpu < a->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &a->pcp[cpu];

		/* a list filled after this look keeps its frames: tolerated */
		if (!pcp_count(pcp))
			continue;
		pcpu_lock(&pcp->lock, cpu, a->rseq);
		pthread_mutex_lock(&a->lock);
		free_pcppages_bulk(a, pcp, pcp_count(pcp));
		pthread_mutex_unlock(&a->lock);
		pcpu_unlock(&pcp->lock);
	}
}

void folio_arena_set_deterministic(struct folio_arena *a, bool deterministic)
{
	folio_arena_drain_all(a);
	a->deterministic = deterministic;
	if (deterministic)
		a->rseq = false;
}

void folio_arena_set_rseq(struct folio_arena *a, bool rseq)
{
	folio_arena_drain_all(a);
	a->rseq = rseq && !a->deterministic;
}

unsigned folio_arena_nr_cpus(const struct folio_arena *a)
{
	return a->nr_cpus;
}

unsigned folio_arena_pcp_batch(const struct folio_arena *a)
{
	return a->pcp_batch;
}

unsigned folio_arena_pcp_count(struct folio_arena *a, unsigned cpu)
{
	return cpu < a->nr_cpus ? pcp_count(&a->pcp[cpu]) : 0;
}

unsigned folio_arena_huge_order(const struct folio_arena *a)
{
	return a->huge_order;
}

/* The caller owns the frames now: no lock needed. */
static void folio_init(struct folio_arena *a, uint32_t pfn,
		       enum folio_type type, unsigned order)
{
	struct folio *folio = &a->folios[pfn];
	uint32_t n = UINT32_C(1) << order;

	for (uint32_t i = 1; i < n; i++) {
		atomic_store_explicit(&folio[i].refflags, 1u << PG_tail,
				      memory_order_relaxed);
		folio[i].info = 0;
		folio[i].lru_next = folio[i].lru_prev = FOLIO_NONE;
	}
	folio->info = ((uint32_t)order << FOLIO_ORDER_SHIFT) |
		      ((uint32_t)type << FOLIO_TYPE_SHIFT);
	folio->lru_next = folio->lru_prev = FOLIO_NONE;
	atomic_store_explicit(&folio->refflags, 1, memory_order_relaxed);
	if (a->data)
		memset(a->data + (size_t)pfn * FRAME_SIZE, 0, n * FRAME_SIZE);
}

struct folio *folio_alloc(struct folio_arena *a, enum folio_type type,
			  unsigned order)
{
	uint32_t pfn;

	if ((order != 0 && order != a->huge_order) ||
	    (unsigned)type >= NR_FOLIO_TYPES)
		return NULL;
	pfn = order ? buddy_take(a, order) : alloc_small(a);
	if (pfn == FOLIO_NONE) {
		/* the free frames may sit on lists, keeping blocks broken */
		folio_arena_drain_all(a);
		pfn = buddy_take(a, order);
	}
	if (pfn == FOLIO_NONE)
		return NULL;
	folio_init(a, pfn, type, order);
	return &a->folios[pfn];
}

/* Abort unless @folio is an allocated head that may be freed or split. */
static void check_head(const struct folio_arena *a, const struct folio *folio)
{
	unsigned order;

	if (folio < a->folios || folio >= a->folios + a->nr_frames)
		folio_bug(folio, "not in this arena");
	if (folio_test_flag(folio, PG_free))
		folio_bug(folio, "already free");
	if (folio_test_flag(folio, PG_tail))
		folio_bug(folio, "tail frame used as a folio");
	order = folio_order(folio);
	if (order != 0 && (order != a->huge_order ||
			   (folio_pfn(a, folio) & (block_frames(a) - 1))))
		folio_bug(folio, "bad order %u", order);
}

void folio_free(struct folio_arena *a, struct folio *folio)
{
	uint32_t pfn, n;

	check_head(a, folio);
	pfn = folio_pfn(a, folio);
	if (folio_ref_count(folio))
		folio_bug(folio, "freeing with refcount %u",
			  folio_ref_count(folio));
	if (folio_memcg_data(folio))
		folio_bug(folio, "freeing a charged folio");
	if (folio_test_flag(folio, PG_lru))
		folio_bug(folio, "freeing a folio on the LRU");

	n = UINT32_C(1) << folio_order(folio);
	for (uint32_t i = 0; i < n; i++)
		frame_init_free(&folio[i]);

	if (n == 1) {
		free_small(a, pfn);
		return;
	}
	pthread_mutex_lock(&a->lock);
	give_huge(a, pfn);
	pthread_mutex_unlock(&a->lock);
}

void folio_split(struct folio_arena *a, struct folio *folio)
{
	uint32_t n, word, info;

	check_head(a, folio);
	n = UINT32_C(1) << folio_order(folio);
	word = atomic_load_explicit(&folio->refflags, memory_order_relaxed) &
	       ~(1u << PG_tail);
	info = folio->info & ~(0xfu << FOLIO_ORDER_SHIFT);
	for (uint32_t i = 1; i < n; i++) {
		folio[i].info = info;
		folio[i].lru_next = folio[i].lru_prev = FOLIO_NONE;
		atomic_store_explicit(&folio[i].refflags, word,
				      memory_order_relaxed);
	}
	folio->info = info;
}

uint32_t folio_pfn(const struct folio_arena *a, const struct folio *folio)
{
	return (uint32_t)(folio - a->folios);
}

struct folio *pfn_folio(const struct folio_arena *a, uint32_t pfn)
{
	return pfn < a->nr_frames ? &a->folios[pfn] : NULL;
}

void *folio_address(const struct folio_arena *a, const struct folio *folio)
{
	if (!a->data)
		return NULL;
	return a->data + (size_t)folio_pfn(a, folio) * FRAME_SIZE;
}
