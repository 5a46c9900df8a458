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
	if (!sc->next || !sc->prev || !sc->heads) {
		swap_cgroup_destroy(sc);
		return -ENOMEM;
	}
	memset(sc->heads, 0xff, NR_IDS * sizeof(*sc->heads));
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
	memset(sc, 0, sizeof(*sc));
}

/* Index operations; call with sc->lock held. */
static void index_add(struct swap_cgroup *sc, uint32_t slot, uint16_t id)
{
	sc->prev[slot] = NO_SLOT;
	sc->next[slot] = sc->heads[id];
	if (sc->heads[id] != NO_SLOT)
		sc->prev[sc->heads[id]] = slot;
	sc->heads[id] = slot;
}

static void index_del(struct swap_cgroup *sc, uint32_t slot, uint16_t id)
{
	if (sc->prev[slot] != NO_SLOT)
		sc->next[sc->prev[slot]] = sc->next[slot];
	else
		sc->heads[id] = sc->next[slot];
	if (sc->next[slot] != NO_SLOT)
		sc->prev[sc->next[slot]] = sc->prev[slot];
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

size_t swap_cgroup_reparent(struct swap_cgroup *sc, uint16_t old, uint16_t new)
{
	uint32_t slot, last = NO_SLOT;
	size_t moved = 0;

	pthread_mutex_lock(&sc->lock);
	for (slot = sc->heads[old]; slot != NO_SLOT; slot = sc->next[slot]) {
		atomic_store(&sc->ids[slot], new);
		last = slot;
		moved++;
	}
	if (last != NO_SLOT) {
		/* old's list goes in front of new's */
		sc->next[last] = sc->heads[new];
		if (sc->heads[new] != NO_SLOT)
			sc->prev[sc->heads[new]] = last;
		sc->heads[new] = sc->heads[old];
		sc->heads[old] = NO_SLOT;
	}
	pthread_mutex_unlock(&sc->lock);
	return moved;
}

size_t swap_cgroup_count_scan(struct swap_cgroup *sc, uint16_t id)
{
	size_t i, n = 0;

	for (i = 0; i < sc->nr_slots; i++)
		n += atomic_load_explicit(&sc->ids[i], memory_order_relaxed) == id;
	return n;
}
