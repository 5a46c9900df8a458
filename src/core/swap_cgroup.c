// SPDX-License-Identifier: MIT
/* Swap records: see swap_cgroup.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/swap_cgroup.h"

#define NO_SLOT UINT32_MAX
#define NR_IDS 65536

int swap_cgroup_init(struct swap_cgroup *sc, size_t nr_slots, bool indexed)
{
	memset(sc, 0, sizeof(*sc));
	sc->ids = calloc(nr_slots ? nr_slots : 1, sizeof(*sc->ids));
	if (!sc->ids)
		return -ENOMEM;
	sc->nr_slots = nr_slots;
	pthread_mutex_init(&sc->lock, NULL);
	if (!indexed)
		return 0;
	sc->next = malloc(nr_slots * sizeof(*sc->next));
	sc->prev = malloc(nr_slots * sizeof(*sc->prev));
	sc->heads = malloc(NR_IDS * sizeof(*sc->heads));
	sc->tails = malloc(NR_IDS * sizeof(*sc->tails));
	sc->counts = calloc(NR_IDS, sizeof(*sc->counts));
	if (!sc->next || !sc->prev || !sc->heads || !sc->tails || !sc->counts) {
		swap_cgroup_destroy(sc);
		return -ENOMEM;
	}
	memset(sc->heads, 0xff, NR_IDS * sizeof(*sc->heads));
	memset(sc->tails, 0xff, NR_IDS * sizeof(*sc->tails));
	sc->indexed = true;
	return 0;
}

void swap_cgroup_destroy(struct swap_cgroup *sc)
{
	pthread_mutex_destroy(&sc->lock);
	free(sc->ids);
	free(sc->next);
	free(sc->prev);
	free(sc->heads);
	free(sc->tails);
	free(sc->counts);
	memset(sc, 0, sizeof(*sc));
}

/* Index operations; call with sc->lock held. */
static void index_add(struct swap_cgroup *sc, uint32_t slot, uint16_t id)
{
	sc->prev[slot] = NO_SLOT;
	sc->next[slot] = sc->heads[id];
	if (sc->heads[id] != NO_SLOT)
		sc->prev[sc->heads[id]] = slot;
	else
		sc->tails[id] = slot;
	sc->heads[id] = slot;
	sc->counts[id]++;
}

static void index_del(struct swap_cgroup *sc, uint32_t slot, uint16_t id)
{
	if (sc->prev[slot] != NO_SLOT)
		sc->next[sc->prev[slot]] = sc->next[slot];
	else
		sc->heads[id] = sc->next[slot];
	if (sc->next[slot] != NO_SLOT)
		sc->prev[sc->next[slot]] = sc->prev[slot];
	else
		sc->tails[id] = sc->prev[slot];
	sc->counts[id]--;
}

void swap_cgroup_record(struct swap_cgroup *sc, size_t off, size_t nr,
			uint16_t id)
{
	size_t i;

	if (sc->indexed)
		pthread_mutex_lock(&sc->lock);
	for (i = off; i < off + nr; i++) {
		uint16_t old = atomic_exchange(&sc->ids[i], id);

		if (old) {
			fprintf(stderr, "libmemcg: swap slot %zu recorded "
				"twice (%u, then %u)\n", i, old, id);
			abort();
		}
		if (sc->indexed)
			index_add(sc, (uint32_t)i, id);
	}
	if (sc->indexed)
		pthread_mutex_unlock(&sc->lock);
}

uint16_t swap_cgroup_clear(struct swap_cgroup *sc, size_t off, size_t nr)
{
	uint16_t first = 0;
	size_t i;

	if (sc->indexed)
		pthread_mutex_lock(&sc->lock);
	for (i = off; i < off + nr; i++) {
		uint16_t old = atomic_exchange(&sc->ids[i], 0);

		if (i == off) {
			first = old;
		} else if (old != first) {
			fprintf(stderr, "libmemcg: swap slots %zu..%zu have "
				"different owners (%u, %u)\n", off, i, first, old);
			abort();
		}
		if (sc->indexed && old)
			index_del(sc, (uint32_t)i, old);
	}
	if (sc->indexed)
		pthread_mutex_unlock(&sc->lock);
	return first;
}

bool swap_cgroup_move(struct swap_cgroup *sc, size_t off, uint16_t old,
		      uint16_t new)
{
	uint16_t expected = old;
	bool moved;

	pthread_mutex_lock(&sc->lock);
	moved = atomic_compare_exchange_strong(&sc->ids[off], &expected, new);
	if (moved && sc->indexed) {
		index_del(sc, (uint32_t)off, old);
		index_add(sc, (uint32_t)off, new);
	}
	pthread_mutex_unlock(&sc->lock);
	return moved;
}

/* Rewrite @old to @new along @old's list. */
static void rewrite_list(struct swap_cgroup *sc, uint16_t old, uint16_t new)
{
	uint32_t slot;

	for (slot = sc->heads[old]; slot != NO_SLOT; slot = sc->next[slot])
		atomic_store_explicit(&sc->ids[slot], new, memory_order_relaxed);
}

/* Rewrite @old to @new in one sequential pass over the map. */
static void rewrite_map(struct swap_cgroup *sc, uint16_t old, uint16_t new)
{
	size_t i;

	for (i = 0; i < sc->nr_slots; i++)
		if (atomic_load_explicit(&sc->ids[i], memory_order_relaxed) == old)
			atomic_store_explicit(&sc->ids[i], new,
					      memory_order_relaxed);
}

size_t swap_cgroup_count(struct swap_cgroup *sc, uint16_t id)
{
	size_t n;

	pthread_mutex_lock(&sc->lock);
	n = sc->counts[id];
	pthread_mutex_unlock(&sc->lock);
	return n;
}

size_t swap_cgroup_reparent(struct swap_cgroup *sc, uint16_t old, uint16_t new)
{
	size_t moved;

	pthread_mutex_lock(&sc->lock);
	moved = sc->counts[old];
	if (!moved) {
		pthread_mutex_unlock(&sc->lock);
		return 0;
	}
	/*
	 * A list walk costs a cache and TLB miss or two per record (~300 ns
	 * in a big map), a sequential pass ~2 ns per slot: take the cheaper.
	 */
	if ((uint64_t)moved * 128 >= sc->nr_slots)
		rewrite_map(sc, old, new);
	else
		rewrite_list(sc, old, new);
	/* old's list goes in front of new's */
	sc->next[sc->tails[old]] = sc->heads[new];
	if (sc->heads[new] != NO_SLOT)
		sc->prev[sc->heads[new]] = sc->tails[old];
	else
		sc->tails[new] = sc->tails[old];
	sc->heads[new] = sc->heads[old];
	sc->heads[old] = sc->tails[old] = NO_SLOT;
	sc->counts[new] += (uint32_t)moved;
	sc->counts[old] = 0;
	pthread_mutex_unlock(&sc->lock);
	return moved;
}
