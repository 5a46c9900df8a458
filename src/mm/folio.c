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
 * Every free frame has refflags == PG_free; no allocated frame has PG_free.
 * Both lists are LIFO and start with the lowest block first, so the same
 * sequence of calls always yields the same frames.
 */
#include "mm/folio.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define FRAME_SHIFT 12
#define FRAME_SIZE ((size_t)1 << FRAME_SHIFT)
#define MAX_HUGE_ORDER 12

#if defined(__SANITIZE_THREAD__)
#define FOLIO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FOLIO_TSAN 1
#endif
#endif

#define FOLIO_ORDER_SHIFT FOLIO_MEMCG_BITS
#define FOLIO_TYPE_SHIFT (FOLIO_MEMCG_BITS + 4)

struct folio_arena {
	struct folio *folios;	/* one descriptor per frame */
	unsigned char *data;	/* nr_frames * FRAME_SIZE bytes, NULL if dataless */
	uint32_t *block_free;	/* per block: its frames on the small list */
	size_t nr_frames;	/* a multiple of the block size */
	size_t nr_free;		/* free frames, on either list */
	unsigned huge_order;
	uint32_t small_head;	/* small free list: first frame or FOLIO_NONE */
	uint32_t huge_head;	/* huge free list: first block's frame or FOLIO_NONE */
	pthread_mutex_t lock;	/* the lists, block_free and nr_free */
};

__attribute__((noreturn, cold, format(printf, 2, 3)))
static void folio_bug(const struct folio *folio, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "libmemcg: folio bug: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (folio %p refflags %#x info %#x)\n", (void *)folio,
		(unsigned)atomic_load_explicit(&folio->refflags,
					       memory_order_relaxed),
		(unsigned)folio->info);
	abort();
}

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
}

static void huge_push(struct folio_arena *a, uint32_t pfn)
{
	a->folios[pfn].lru_next = a->huge_head;
	a->folios[pfn].lru_prev = FOLIO_NONE;
	a->huge_head = pfn;
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

/* Under the lock: a free frame, or FOLIO_NONE. */
static uint32_t take_small(struct folio_arena *a)
{
	uint32_t pfn;

	if (a->small_head == FOLIO_NONE) {
		if (a->huge_head == FOLIO_NONE)
			return FOLIO_NONE;
		block_break(a, huge_pop(a));
	}
	pfn = a->small_head;
	small_unlink(a, pfn);
	(*block_count(a, pfn))--;
	a->nr_free--;
	return pfn;
}

/* Under the lock: the first frame of a free block, or FOLIO_NONE. */
static uint32_t take_huge(struct folio_arena *a)
{
	if (a->huge_head == FOLIO_NONE)
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

	a->folios = calloc(a->nr_frames, sizeof(*a->folios));
	a->block_free = calloc(nr_blocks, sizeof(*a->block_free));
	if (!a->folios || !a->block_free)
		return -ENOMEM;
	if (dataless)
		return 0;
	if (a->nr_frames > SIZE_MAX / FRAME_SIZE)
		return -ENOMEM;
	a->data = mmap(NULL, a->nr_frames * FRAME_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a->data == MAP_FAILED) {
		a->data = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void arena_free_memory(struct folio_arena *a)
{
	if (a->data)
		munmap(a->data, a->nr_frames * FRAME_SIZE);
	free(a->block_free);
	free(a->folios);
	free(a);
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
	err = arena_alloc_memory(a, dataless);
	if (!err)
		err = -pthread_mutex_init(&a->lock, NULL);
	if (err) {
		arena_free_memory(a);
		return err;
	}

	for (size_t i = 0; i < a->nr_frames; i++)
		frame_init_free(&a->folios[i]);
	a->small_head = a->huge_head = FOLIO_NONE;
	/* Pushed highest first, so the lowest block is handed out first. */
	for (size_t pfn = a->nr_frames; pfn > 0;) {
		pfn -= bs;
		huge_push(a, (uint32_t)pfn);
	}
	a->nr_free = a->nr_frames;
	*out = a;
	return 0;
}

void folio_arena_destroy(struct folio_arena *a)
{
	if (!a)
		return;
	if (a->nr_free != a->nr_frames)
		fprintf(stderr, "libmemcg: arena destroyed with %zu frames in use\n",
			a->nr_frames - a->nr_free);
	pthread_mutex_destroy(&a->lock);
	arena_free_memory(a);
}

size_t folio_arena_nr_frames(const struct folio_arena *a)
{
	return a->nr_frames;
}

size_t folio_arena_nr_free(struct folio_arena *a)
{
	size_t n;

	pthread_mutex_lock(&a->lock);
	n = a->nr_free;
	pthread_mutex_unlock(&a->lock);
	return n;
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
	pthread_mutex_lock(&a->lock);
	pfn = order ? take_huge(a) : take_small(a);
	pthread_mutex_unlock(&a->lock);
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

	pthread_mutex_lock(&a->lock);
	if (n == 1)
		give_small(a, pfn);
	else
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

void folio_get(struct folio *folio)
{
	folio_ref_add(folio, 1);
}

void folio_ref_add(struct folio *folio, unsigned nr)
{
	uint32_t old;

	if (nr > FOLIO_REF_MAX)
		folio_bug(folio, "adding %u references", nr);
	old = atomic_fetch_add_explicit(&folio->refflags, nr,
					memory_order_relaxed) & FOLIO_REF_MASK;
	if (old == 0)
		folio_bug(folio, "reference taken on a free folio");
	if (old + nr > FOLIO_REF_MAX)
		folio_bug(folio, "refcount overflow");
}

bool folio_put_testzero(struct folio *folio)
{
	uint32_t old;

	old = atomic_fetch_sub_explicit(&folio->refflags, 1,
					memory_order_release) & FOLIO_REF_MASK;
	if (old == 0)
		folio_bug(folio, "put of a zero refcount");
	if (old != 1)
		return false;
#ifdef FOLIO_TSAN
	/* TSan does not model fences; an acquire load orders the same. */
	(void)atomic_load_explicit(&folio->refflags, memory_order_acquire);
#else
	atomic_thread_fence(memory_order_acquire);
#endif
	return true;
}
