// SPDX-License-Identifier: MIT
/* Swap records: see swap_cgroup.h. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/swap_cgroup.h"
#include "lib/lazymap.h"

#define SC_NONE UINT32_MAX
/* How far ahead a rewrite prefetches, in records: for writing, into L2. */
#define SC_PREFETCH 16
#define SC_PREFETCH_FAR 96
/*
 * Above this share of the map (1/SC_SCAN_SHARE), one sequential pass over
 * every slot is cheaper than following the chain (bench_reparent).
 */
#define SC_SCAN_SHARE 16
/* From this many records on, rewrite them in slot order. */
#define SC_SORT_MIN 1024

/* A spinlock that yields now and then: a holder may be descheduled. */
static void owner_lock(struct sc_owner *o)
{
	int spins = 0;

	while (atomic_exchange_explicit(&o->lock, 1, memory_order_acquire)) {
		while (atomic_load_explicit(&o->lock, memory_order_relaxed))
			if (++spins % 128 == 0)
				sched_yield();
	}
}

static void owner_unlock(struct sc_owner *o)
{
	atomic_store_explicit(&o->lock, 0, memory_order_release);
}

/* Both owners, in id order. */
static void owners_lock(struct swap_cgroup *sc, uint16_t a, uint16_t b)
{
	owner_lock(&sc->owners[a < b ? a : b]);
	owner_lock(&sc->owners[a < b ? b : a]);
}

static void owners_unlock(struct swap_cgroup *sc, uint16_t a, uint16_t b)
{
	owner_unlock(&sc->owners[a]);
	owner_unlock(&sc->owners[b]);
}

/*
 * A per-slot array, zeroed, its pages allocated as they are touched. Big
 * ones ask for huge pages: reparenting and lookups hit it at random, and
 * the kernel's own array sits in its direct map, which huge pages map.
 */
static void *slot_array_alloc(size_t bytes)
{
	return lazymap_alloc(bytes, true);
}

static void slot_array_free(void *p, size_t bytes)
{
	lazymap_free(p, bytes);
}

int swap_cgroup_init(struct swap_cgroup *sc, size_t nr_slots, bool indexed)
{
	size_t max_chunks, i;

	memset(sc, 0, sizeof(*sc));
	if (!nr_slots)
		return -EINVAL;
	sc->ids = slot_array_alloc(nr_slots * sizeof(*sc->ids));
	if (!sc->ids)
		return -ENOMEM;
	sc->nr_slots = nr_slots;
	pthread_mutex_init(&sc->pool_lock, NULL);
	sc->free_chunks = SC_NONE;
	if (!indexed)
		return 0;
	/* full chunks, and per id a partly filled one and a spare */
	max_chunks = nr_slots / SC_CHUNK + 2 * SC_NR_IDS + 1;
	if (max_chunks > (SC_NONE - 1) / SC_CHUNK) {
		swap_cgroup_destroy(sc);
		return -EINVAL;
	}
	sc->max_blocks = (uint32_t)((max_chunks + SC_BLOCK - 1) / SC_BLOCK);
	sc->blocks = calloc(sc->max_blocks, sizeof(*sc->blocks));
	sc->pos = slot_array_alloc(nr_slots * sizeof(*sc->pos));
	sc->owners = aligned_alloc(64, SC_NR_IDS * sizeof(*sc->owners));
	if (!sc->blocks || !sc->pos || !sc->owners) {
		swap_cgroup_destroy(sc);
		return -ENOMEM;
	}
	for (i = 0; i < SC_NR_IDS; i++) {
		atomic_init(&sc->owners[i].lock, 0);
		sc->owners[i].head = sc->owners[i].tail = SC_NONE;
		sc->owners[i].spare = SC_NONE;
		sc->owners[i].tail_n = sc->owners[i].count = 0;
	}
	sc->indexed = true;
	return 0;
}

void swap_cgroup_destroy(struct swap_cgroup *sc)
{
	uint32_t i;

	pthread_mutex_destroy(&sc->pool_lock);
	for (i = 0; i < sc->nr_blocks; i++)
		free(sc->blocks[i]);
	free(sc->blocks);
	free(sc->owners);
	slot_array_free(sc->pos, sc->nr_slots * sizeof(*sc->pos));
	slot_array_free((void *)sc->ids, sc->nr_slots * sizeof(*sc->ids));
	memset(sc, 0, sizeof(*sc));
}

static struct sc_chunk *chunk(struct swap_cgroup *sc, uint32_t c)
{
	return &sc->blocks[c / SC_BLOCK][c % SC_BLOCK];
}

/* A chunk from the pool; the pool is sized so that it never runs out. */
static uint32_t chunk_alloc(struct swap_cgroup *sc)
{
	uint32_t c, i, base;

	pthread_mutex_lock(&sc->pool_lock);
	if (sc->free_chunks == SC_NONE) {
		struct sc_chunk *block = NULL;

		if (sc->nr_blocks < sc->max_blocks)
			block = aligned_alloc(64, SC_BLOCK * sizeof(*block));
		if (!block) {
			fprintf(stderr, "libmemcg: swap record index: out of "
				"memory\n");
			abort();
		}
		base = sc->nr_blocks * SC_BLOCK;
		sc->blocks[sc->nr_blocks++] = block;
		for (i = SC_BLOCK; i-- > 0;) {
			block[i].next = sc->free_chunks;
			sc->free_chunks = base + i;
		}
	}
	c = sc->free_chunks;
	sc->free_chunks = chunk(sc, c)->next;
	pthread_mutex_unlock(&sc->pool_lock);
	return c;
}

static void chunk_free(struct swap_cgroup *sc, uint32_t c)
{
	pthread_mutex_lock(&sc->pool_lock);
	chunk(sc, c)->next = sc->free_chunks;
	sc->free_chunks = c;
	pthread_mutex_unlock(&sc->pool_lock);
}

/* Index operations; call with @o's lock held. */
static void index_add(struct swap_cgroup *sc, struct sc_owner *o, uint32_t slot)
{
	struct sc_chunk *t;

	if (o->tail == SC_NONE || o->tail_n == SC_CHUNK) {
		uint32_t c = o->spare;

		if (c != SC_NONE)
			o->spare = SC_NONE;
		else
			c = chunk_alloc(sc);

		chunk(sc, c)->next = SC_NONE;
		chunk(sc, c)->prev = o->tail;
		if (o->tail == SC_NONE)
			o->head = c;
		else
			chunk(sc, o->tail)->next = c;
		o->tail = c;
		o->tail_n = 0;
	}
	t = chunk(sc, o->tail);
	t->slot[o->tail_n] = slot;
	sc->pos[slot] = o->tail * SC_CHUNK + o->tail_n;
	o->tail_n++;
	o->count++;
}

static void index_del(struct swap_cgroup *sc, struct sc_owner *o, uint32_t slot)
{
	uint32_t p = sc->pos[slot], last;

	if (!o->tail_n) {
		/* the empty tail goes; the one before it is full */
		uint32_t empty = o->tail;

		o->tail = chunk(sc, empty)->prev;
		chunk(sc, o->tail)->next = SC_NONE;
		o->tail_n = SC_CHUNK;
		/* kept: a count going up and down across a chunk's end */
		if (o->spare == SC_NONE)
			o->spare = empty;
		else
			chunk_free(sc, empty);
	}
	last = chunk(sc, o->tail)->slot[--o->tail_n];
	chunk(sc, p / SC_CHUNK)->slot[p % SC_CHUNK] = last;
	sc->pos[last] = p;
	o->count--;
}

static void record_one(struct swap_cgroup *sc, size_t i, uint16_t id)
{
	uint16_t old = atomic_exchange_explicit(&sc->ids[i], id,
						memory_order_relaxed);

	if (old) {
		fprintf(stderr, "libmemcg: swap slot %zu recorded twice (%u, "
			"then %u)\n", i, old, id);
		abort();
	}
}

void swap_cgroup_record(struct swap_cgroup *sc, size_t off, size_t nr,
			uint16_t id)
{
	struct sc_owner *o;
	size_t i;

	if (!sc->indexed) {
		for (i = off; i < off + nr; i++)
			record_one(sc, i, id);
		return;
	}
	o = &sc->owners[id];
	owner_lock(o);
	for (i = off; i < off + nr; i++) {
		record_one(sc, i, id);
		index_add(sc, o, (uint32_t)i);
	}
	owner_unlock(o);
}

/* Clear @nr slots all owned by @id; call with @id's lock if indexed. */
static void clear_owned(struct swap_cgroup *sc, size_t off, size_t nr,
			uint16_t id)
{
	size_t i;

	for (i = off; i < off + nr; i++) {
		uint16_t old = atomic_exchange_explicit(&sc->ids[i], 0,
							memory_order_relaxed);

		if (old != id) {
			fprintf(stderr, "libmemcg: swap slots %zu..%zu have "
				"different owners (%u, %u)\n", off, i, id, old);
			abort();
		}
		if (sc->indexed && old)
			index_del(sc, &sc->owners[old], (uint32_t)i);
	}
}

uint16_t swap_cgroup_clear(struct swap_cgroup *sc, size_t off, size_t nr)
{
	uint16_t id;

	for (;;) {
		id = lookup_swap_cgroup_id(sc, off);
		if (!id || !sc->indexed)
			break;
		owner_lock(&sc->owners[id]);
		/* a reparent or a move may have re-owned it meanwhile */
		if (lookup_swap_cgroup_id(sc, off) == id) {
			clear_owned(sc, off, nr, id);
			owner_unlock(&sc->owners[id]);
			return id;
		}
		owner_unlock(&sc->owners[id]);
	}
	/* no index: the caller owns the slots, nobody re-owns them */
	clear_owned(sc, off, nr, id);
	return id;
}

bool swap_cgroup_move(struct swap_cgroup *sc, size_t off, uint16_t old,
		      uint16_t new)
{
	uint16_t expected = old;
	bool moved;

	if (!sc->indexed)
		return atomic_compare_exchange_strong(&sc->ids[off], &expected,
						      new);
	if (old == new)
		return lookup_swap_cgroup_id(sc, off) == old;
	owners_lock(sc, old, new);
	moved = lookup_swap_cgroup_id(sc, off) == old;
	if (moved) {
		atomic_store_explicit(&sc->ids[off], new, memory_order_relaxed);
		index_del(sc, &sc->owners[old], (uint32_t)off);
		index_add(sc, &sc->owners[new], (uint32_t)off);
	}
	owners_unlock(sc, old, new);
	return moved;
}

size_t swap_cgroup_count(struct swap_cgroup *sc, uint16_t id)
{
	size_t n;

	if (!sc->indexed)
		return 0;
	owner_lock(&sc->owners[id]);
	n = sc->owners[id].count;
	owner_unlock(&sc->owners[id]);
	return n;
}

/*
 * Store @new in @n slots: their lines are brought towards the core
 * SC_PREFETCH_FAR ahead (into L2, where more misses can be in flight) and
 * for writing SC_PREFETCH ahead.
 */
static void rewrite_slots(struct swap_cgroup *sc, const uint32_t *slot,
			  uint32_t n, uint16_t new)
{
	uint32_t i;

	for (i = 0; i < n && i < SC_PREFETCH_FAR; i++)
		__builtin_prefetch(&sc->ids[slot[i]], 0, 2);
	for (i = 0; i < n; i++) {
		if (i + SC_PREFETCH_FAR < n)
			__builtin_prefetch(&sc->ids[slot[i + SC_PREFETCH_FAR]], 0, 2);
		if (i + SC_PREFETCH < n)
			__builtin_prefetch(&sc->ids[slot[i + SC_PREFETCH]], 1, 3);
		atomic_store_explicit(&sc->ids[slot[i]], new,
				      memory_order_relaxed);
	}
}

#define chain_for_each(sc, o, c, n)					\
	for (c = (o)->head; c != SC_NONE &&				\
	     ((n = c == (o)->tail ? (o)->tail_n : SC_CHUNK), 1);	\
	     c = chunk(sc, c)->next)

/* Rewrite @o's records to @new in the order of its chain. */
static void rewrite_chain(struct swap_cgroup *sc, struct sc_owner *o,
			  uint16_t new)
{
	uint32_t c, n;

	chain_for_each(sc, o, c, n) {
		if (chunk(sc, c)->next != SC_NONE)
			__builtin_prefetch(chunk(sc, chunk(sc, c)->next));
		rewrite_slots(sc, chunk(sc, c)->slot, n, new);
	}
}

/*
 * Rewrite @o's records to @new in the order of their slots, bucketed by
 * their top bits (one counting-sort pass, about one bucket for every 4
 * records): the chain's order is the order they were recorded in,
 * scattered over a big map, where each store would cost a cache and TLB
 * miss; in slot order the misses stream.
 *
 * Return: false if the buffers could not be had (nothing rewritten).
 */
static bool rewrite_sorted(struct swap_cgroup *sc, struct sc_owner *o,
			   uint16_t new)
{
	size_t nr_buckets = 256;
	unsigned shift = 0;
	uint32_t *cnt, *out, c, n, i, sum = 0;
	size_t b;

	while (nr_buckets < SC_NR_IDS && nr_buckets * 4 < o->count)
		nr_buckets *= 2;
	while (((sc->nr_slots - 1) >> shift) >= nr_buckets)
		shift++;
	cnt = calloc(nr_buckets, sizeof(*cnt));
	out = malloc((size_t)o->count * sizeof(*out));
	if (!cnt || !out) {
		free(cnt);
		free(out);
		return false;
	}
	chain_for_each(sc, o, c, n)
		for (i = 0; i < n; i++)
			cnt[chunk(sc, c)->slot[i] >> shift]++;
	for (b = 0; b < nr_buckets; b++) {
		uint32_t k = cnt[b];

		cnt[b] = sum;
		sum += k;
	}
	chain_for_each(sc, o, c, n)
		for (i = 0; i < n; i++)
			out[cnt[chunk(sc, c)->slot[i] >> shift]++] =
				chunk(sc, c)->slot[i];
	rewrite_slots(sc, out, o->count, new);
	free(cnt);
	free(out);
	return true;
}

/*
 * Rewrite @old to @new in one sequential pass over the map. Other
 * owners' slots may change meanwhile; none can become @old (its lock is
 * held), so only @old's are written.
 */
static void rewrite_map(struct swap_cgroup *sc, uint16_t old, uint16_t new)
{
	size_t i;

	for (i = 0; i < sc->nr_slots; i++)
		if (atomic_load_explicit(&sc->ids[i], memory_order_relaxed) == old)
			atomic_store_explicit(&sc->ids[i], new,
					      memory_order_relaxed);
}

/* Give @o's chain to @to: @o's full chunks go in front, its tail's
 * entries are added one by one, and @o is left empty. */
static void splice(struct swap_cgroup *sc, struct sc_owner *o,
		   struct sc_owner *to)
{
	uint32_t tail = o->tail, n = o->tail_n, last_full, i;

	last_full = chunk(sc, tail)->prev;
	if (last_full != SC_NONE) {
		if (to->head == SC_NONE) {
			to->tail = last_full;
			to->tail_n = SC_CHUNK;
		} else {
			chunk(sc, to->head)->prev = last_full;
		}
		chunk(sc, last_full)->next = to->head;
		chunk(sc, o->head)->prev = SC_NONE;
		to->head = o->head;
		to->count += o->count - n;
	}
	for (i = 0; i < n; i++)
		index_add(sc, to, chunk(sc, tail)->slot[i]);
	chunk_free(sc, tail);
	if (o->spare != SC_NONE)
		chunk_free(sc, o->spare);
	o->spare = SC_NONE;
	o->head = o->tail = SC_NONE;
	o->tail_n = o->count = 0;
}

size_t swap_cgroup_reparent(struct swap_cgroup *sc, uint16_t old, uint16_t new,
			    void (*publish)(void *arg, size_t nr), void *arg)
{
	struct sc_owner *o = &sc->owners[old], *to = &sc->owners[new];
	size_t moved;

	if (old == new)
		return 0;
	owners_lock(sc, old, new);
	moved = o->count;
	if (!moved) {
		owners_unlock(sc, old, new);
		return 0;
	}
	if (publish)
		publish(arg, moved);
	if ((uint64_t)moved * SC_SCAN_SHARE >= sc->nr_slots)
		rewrite_map(sc, old, new);
	else if (moved < SC_SORT_MIN || !rewrite_sorted(sc, o, new))
		rewrite_chain(sc, o, new);
	splice(sc, o, to);
	owners_unlock(sc, old, new);
	return moved;
}
