// SPDX-License-Identifier: MIT
/*
 * The reverse map: for each frame holding a folio of a task or a file,
 * who maps or caches it (sim.h: RMAP_ANON, RMAP_FILE). Substrate
 * metadata, like the kernel's page->mapping and index: 8 bytes per frame,
 * allocated with the first task.
 *
 * Call with sim->lock held.
 */
#include "sim/sim.h"

void rmap_set(struct memcg_sim *sim, struct memcg_engine *e,
	      struct folio *folio, uint64_t who)
{
	sim->rmap[folio_pfn(e->arena, folio)] = who;
}

uint64_t rmap_get(struct memcg_sim *sim, struct memcg_engine *e,
		  struct folio *folio)
{
	return sim->rmap[folio_pfn(e->arena, folio)];
}
