// SPDX-License-Identifier: MIT
/*
 * The simulator as a client of the engine's hooks (memcg/hooks.h), like
 * any embedding program: its page tables and page cache answer reclaim's
 * unmap and remove requests, its tasks are OOM victims, and its virtual
 * clock is what memory.high throttling advances.
 *
 * The state is created with the first task and registered as the engine's
 * folio client; engine teardown releases it through that client.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/sim.h"

static bool sim_try_to_unmap(void *priv, struct folio *folio,
			     memcg_swp_entry_t entry)
{
	struct memcg_sim *sim = priv;

	return try_to_unmap_anon(sim->e, folio, entry);
}

static bool sim_remove_mapping(void *priv, struct folio *folio)
{
	struct memcg_sim *sim = priv;

	return filemap_remove_folio(sim->e, folio);
}

static int sim_referenced(void *priv, struct folio *folio)
{
	struct memcg_sim *sim = priv;

	return folio_referenced_anon(sim->e, folio);
}

static void sim_client_writeback(void *priv, struct mem_cgroup *memcg,
				 long nr_pages)
{
	struct memcg_sim *sim = priv;

	sim_writeback(sim->e, memcg, nr_pages);
}

static void sim_client_walk_mm(void *priv, struct mem_cgroup *memcg,
			       unsigned long seq, bool can_swap)
{
	struct memcg_sim *sim = priv;

	sim_walk_mm(sim->e, memcg, seq, can_swap);
}

static int sim_client_split(void *priv, struct folio *folio,
			    bool partial_only, struct folio **pages)
{
	struct memcg_sim *sim = priv;

	return sim_split_folio(sim->e, folio, partial_only, pages);
}

static void sim_release(void *priv)
{
	struct memcg_sim *sim = priv;
	struct memcg_engine *e = sim->e;

	sim_tasks_free(sim);
	filemap_destroy(e, sim);
	free(sim->mms);
	free(sim->rmap);
	pthread_mutex_destroy(&sim->lock);
	if (e->clock_priv == sim)
		memcg_set_clock(e, NULL, NULL);
	free(sim);
}

const struct memcg_folio_client_ops sim_folio_client = {
	.try_to_unmap = sim_try_to_unmap,
	.remove_mapping = sim_remove_mapping,
	.release = sim_release,
	.referenced = sim_referenced,
	.writeback = sim_client_writeback,
	.walk_mm = sim_client_walk_mm,
	.split = sim_client_split,
};

static uint64_t sim_clock_now(void *priv)
{
	struct memcg_sim *sim = priv;

	return atomic_load(&sim->clock_ns);
}

static void sim_clock_sleep(void *priv, uint64_t ns)
{
	struct memcg_sim *sim = priv;

	atomic_fetch_add(&sim->clock_ns, ns);
}

static const struct memcg_clock_ops sim_clock = {
	.now_ns = sim_clock_now,
	.sleep_ns = sim_clock_sleep,
};

struct memcg_sim *memcg_sim_get(struct memcg_engine *e)
{
	struct memcg_sim *sim = sim_of(e);
	size_t frames;

	if (sim)
		return sim;
	frames = folio_arena_nr_frames(e->arena);
	if (frames >= PTE_YOUNG)
		return NULL;	/* a page-table entry holds pfn + 1 below bit 30 */
	sim = calloc(1, sizeof(*sim));
	if (!sim || !(sim->rmap = calloc(frames, sizeof(*sim->rmap)))) {
		free(sim);
		return NULL;
	}
	sim->e = e;
	pthread_mutex_init(&sim->lock, NULL);
	sim->tasks_tail = &sim->tasks;
	if (memcg_set_folio_client(e, &sim_folio_client, sim)) {
		sim_release(sim);
		return NULL;
	}
	if (!e->clock)
		memcg_set_clock(e, &sim_clock, sim);	/* virtual time */
	return sim;
}

uint64_t memcg_clock_ns(struct memcg_engine *e)
{
	struct memcg_sim *sim = sim_of(e);

	return sim ? atomic_load(&sim->clock_ns) : 0;
}

int memcg_sim_attach(struct memcg_engine *e)
{
	if (!e)
		return -EINVAL;
	if (e->folio_client && e->folio_client != &sim_folio_client)
		return -EBUSY;
	return memcg_sim_get(e) ? 0 : -ENOMEM;
}

int memcg_sim_set_thp(struct memcg_engine *e, enum memcg_thp thp)
{
	int err;

	if (!e || (thp != MEMCG_THP_NEVER && thp != MEMCG_THP_ALWAYS))
		return -EINVAL;
	/* a huge folio is mapped by one PMD: one page table's entries */
	if (thp == MEMCG_THP_ALWAYS &&
	    (1u << e->cfg.huge_order) != PTES_PER_PMD)
		return -EOPNOTSUPP;
	err = memcg_sim_attach(e);
	if (err)
		return err;
	sim_of(e)->thp = thp == MEMCG_THP_ALWAYS;
	return 0;
}

int memcg_sim_set_progress(struct memcg_engine *e, memcg_sim_progress_fn fn,
			   void *priv)
{
	int err = memcg_sim_attach(e);

	if (err)
		return err;
	sim_of(e)->progress = fn;
	sim_of(e)->progress_priv = priv;
	return 0;
}

void sim_return_to_user(struct memcg_task *t, long nr_pages)
{
	struct memcg_sim *sim = sim_of(t->e);

	mem_cgroup_handle_over_high(t->e);
	if (sim->progress && nr_pages)
		sim->progress(sim->progress_priv, t, nr_pages);
}
