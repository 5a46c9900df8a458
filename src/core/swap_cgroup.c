// SPDX-License-Identifier: MIT
/* Swap records: see swap_cgroup.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/swap_cgroup.h"

int swap_cgroup_init(struct swap_cgroup *sc, size_t nr_slots)
{
	sc->ids = calloc(nr_slots ? nr_slots : 1, sizeof(*sc->ids));
	if (!sc->ids)
		return -ENOMEM;
	sc->nr_slots = nr_slots;
	return 0;
}

void swap_cgroup_destroy(struct swap_cgroup *sc)
{
	free(sc->ids);
	sc->ids = NULL;
	sc->nr_slots = 0;
}

void swap_cgroup_record(struct swap_cgroup *sc, size_t off, size_t nr,
			uint16_t id)
{
	size_t i;

	for (i = off; i < off + nr; i++) {
		uint16_t old = atomic_exchange(&sc->ids[i], id);

		if (old) {
			fprintf(stderr, "libmemcg: swap slot %zu recorded "
				"twice (%u, then %u)\n", i, old, id);
			abort();
		}
	}
}

uint16_t swap_cgroup_clear(struct swap_cgroup *sc, size_t off, size_t nr)
{
	uint16_t first = 0;
	size_t i;

	for (i = off; i < off + nr; i++) {
		uint16_t old = atomic_exchange(&sc->ids[i], 0);

		if (i == off) {
			first = old;
		} else if (old != first) {
			fprintf(stderr, "libmemcg: swap slots %zu..%zu have "
				"different owners (%u, %u)\n", off, i, first, old);
			abort();
		}
	}
	return first;
}
