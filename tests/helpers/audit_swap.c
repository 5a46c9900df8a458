// SPDX-License-Identifier: MIT
/* The invariant auditor (audit.h): swap slots, their records and cache. */
#include "audit_internal.h"

static void audit_swap_slot(struct audit *a, struct swap_device *dev, size_t i,
			    bool returning)
{
	uint16_t id = lookup_swap_cgroup_id(&dev->records, i);
	uint8_t state = dev->swap_map[i];
	bool cached = swap_cache_pfn(dev, i) != FOLIO_NONE;
	struct mem_cgroup *m;

	if (!state && (id || cached))
		report(a, "free swap slot %zu has a record or a folio", i);
	if (returning && (state != SWAP_HAS_CACHE || cached))
		report(a, "swap slot %zu in a return cache: state %#x, cached "
		       "folio %d", i, state, cached);
	if (!returning && !!(state & SWAP_HAS_CACHE) != cached)
		report(a, "swap slot %zu: cache bit %d, cached folio %d", i,
		       !!(state & SWAP_HAS_CACHE), cached);
	if (cached && !folio_test_flag(pfn_folio(a->e->arena, swap_cache_pfn(dev, i)),
				       PG_swapcache))
		report(a, "swap slot %zu: cached folio without PG_swapcache", i);
	if (!id)
		return;
	m = a->e->ids[id];
	if (!m || a->cg[m->slot].memcg != m) {
		report(a, "swap slot %zu: record of id %u, no such cgroup", i, id);
		return;
	}
	a->cg[m->slot].records++;
}

void audit_swap(struct audit *a)
{
	struct swap_device *dev = a->e->swap;
	size_t i, nr_free = 0;

	uint8_t *returning;
	unsigned cpu, j;

	if (!dev)
		return;
	/* freed slots a CPU holds before returning them (swapfile.h) */
	returning = calloc(dev->nr_slots, 1);
	if (!returning) {
		report(a, "swap: out of memory for the audit");
		return;
	}
	for (cpu = 0; cpu < dev->nr_cpus; cpu++)
		for (j = 0; j < dev->slots_ret[cpu].n; j++)
			if (returning[dev->slots_ret[cpu].slot[j]]++)
				report(a, "swap slot %u returned twice",
				       dev->slots_ret[cpu].slot[j]);
	for (i = 0; i < dev->nr_slots; i++) {
		nr_free += !dev->swap_map[i];
		audit_swap_slot(a, dev, i, returning[i]);
	}
	free(returning);
	if (nr_free != swap_nr_free(dev))
		report(a, "swap: %zu free slots, device counts %zu", nr_free,
		       swap_nr_free(dev));
}
