/* SPDX-License-Identifier: MIT */
/*
 * What the MGLRU tests share (test_lru_gen.c: placement, tiers, the PID
 * controller, the generations; test_lru_gen_evict.c: eviction, aging,
 * look-around, the workingset; test_lru_gen_walk.c: the simulator's
 * page-table walk and the reclaim= configuration): an engine with a fake
 * folio client, folios on the LRU, and checks of the generations.
 *
 * A fresh lruvec has min_seq 0 and max_seq MIN_NR_GENS + 1 = 3
 * (lru_gen_init_lruvec): generations 0..3, of which 3 and 2 count as
 * active (lru_gen_is_active). Without swap, get_swappiness() is 0 and
 * only page cache is scanned.
 */
#ifndef MEMCG_TEST_LRU_GEN_H
#define MEMCG_TEST_LRU_GEN_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "memcg/sim.h"
#include "mm/lru_gen.h"
#include "mm/vmscan.h"
#include "mm/workingset.h"
#include "sim/sim.h"

#define PAGE 4096L
#define MAX_TRACKED 1024

/*
 * The fake folio client: referenced() finds no young mapping but for
 * @central, one, whose neighbours @around it reports young (look-around);
 * remove_mapping() frees clean page cache and keeps its shadow; walk_mm()
 * records its calls and reports @walk_young as young mappings.
 */
static struct fake {
	struct memcg_engine *e;
	struct folio *central;
	struct folio *around[8];
	int nr_around;
	bool around_ret[8];
	int nr_walks;
	struct mem_cgroup *walk_memcg[8];
	unsigned long walk_seq[8];
	bool walk_can_swap[8];
	struct folio *walk_young[64];
	int nr_walk_young;
	bool walk_ret[8][64];
	struct folio *removed[MAX_TRACKED];
	uint64_t shadow[MAX_TRACKED];
	int nr_removed;
} fk;

static inline int fake_referenced(void *priv, struct folio *folio)
{
	struct fake *f = priv;
	int i;

	if (folio == f->central) {
		for (i = 0; i < f->nr_around; i++)
			f->around_ret[i] = memcg_folio_young(f->e,
							     f->around[i]);
		return 1;
	}
	return 0;
}

/* The page cache's and reclaim's references, as filemap_remove_folio(). */
static inline bool fake_remove_mapping(void *priv, struct folio *folio)
{
	struct fake *f = priv;

	if (f->nr_removed == MAX_TRACKED || !folio_ref_freeze(folio, 2))
		return false;
	f->removed[f->nr_removed] = folio;
	f->shadow[f->nr_removed++] = workingset_eviction(f->e, folio,
							 reclaim_target());
	folio_free_frozen(f->e, folio);
	return true;
}

static inline void fake_walk_mm(void *priv, struct mem_cgroup *memcg,
				unsigned long seq, bool can_swap)
{
	struct fake *f = priv;
	int i, n = f->nr_walks++;

	assert_true(n < 8);
	f->walk_memcg[n] = memcg;
	f->walk_seq[n] = seq;
	f->walk_can_swap[n] = can_swap;
	for (i = 0; i < f->nr_walk_young; i++)
		f->walk_ret[n][i] = memcg_folio_young(f->e, f->walk_young[i]);
}

static const struct memcg_folio_client_ops fake_client = {
	.remove_mapping = fake_remove_mapping,
	.referenced = fake_referenced,
	.walk_mm = fake_walk_mm,
};

/* A 6.12 MGLRU engine with the fake client. */
static inline struct memcg_engine *engine(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64UL << 20);
	cfg.kernel = MEMCG_KERNEL_6_12;
	cfg.reclaim = MEMCG_RECLAIM_MGLRU;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	memset(&fk, 0, sizeof(fk));
	fk.e = e;
	assert_int_equal(memcg_set_folio_client(e, &fake_client, &fk), 0);
	return e;
}

/*
 * A folio charged to @memcg itself, as the page cache and faults charge
 * (memcg_charge() of a program's folio goes through the objcg until the
 * folio joins the LRU; refaults are detected before that).
 */
static inline struct folio *
new_folio(struct memcg_engine *e, struct mem_cgroup *memcg,
	  enum memcg_folio_type type)
{
	struct folio *folio = memcg_folio_alloc(e, type, 0);

	assert_non_null(folio);
	assert_int_equal(mem_cgroup_charge(folio, memcg, MEMCG_GFP_KERNEL), 0);
	return folio;
}

/* @nr charged folios on @memcg's LRU, active if asked, accessed @refs times. */
static inline void
fill(struct memcg_engine *e, struct mem_cgroup *memcg,
     enum memcg_folio_type type, int nr, bool active, int refs,
     struct folio **out)
{
	int i, j;

	for (i = 0; i < nr; i++) {
		struct folio *folio = new_folio(e, memcg, type);

		if (active)
			folio_set_flag(folio, PG_active);
		memcg_folio_add_lru(e, folio);
		for (j = 0; j < refs; j++)
			memcg_folio_mark_accessed(e, folio);
		out[i] = folio;
	}
}

/* Whether remove_mapping() freed @folio; if so, forget it (no put). */
static inline bool reaped(struct folio **slot)
{
	int i;

	for (i = 0; i < fk.nr_removed; i++) {
		if (fk.removed[i] == *slot) {
			*slot = NULL;
			return true;
		}
	}
	return false;
}

/* How many of @folios remove_mapping() freed; those are forgotten. */
static inline int reap(struct folio **folios, int nr)
{
	int i, n = 0;

	for (i = 0; i < nr; i++)
		n += folios[i] && reaped(&folios[i]);
	return n;
}

static inline void
put_all(struct memcg_engine *e, struct folio **folios, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (folios[i])
			memcg_folio_put(e, folios[i]);
}

static inline long long stat(struct mem_cgroup *memcg, const char *key)
{
	return test_file_key(memcg, "memory.stat", key);
}

static inline void reclaim(struct mem_cgroup *memcg, long pages)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ldK", pages * 4);
	assert_int_equal(memcg_write(memcg, "memory.reclaim", buf), 0);
}

static inline struct lru_gen_folio *lrugen_of(struct mem_cgroup *memcg)
{
	return memcg->lruvec.lrugen;
}

static inline long
gen_pages(struct mem_cgroup *memcg, unsigned long seq, int type)
{
	return lrugen_of(memcg)->nr_pages[lru_gen_from_seq(seq)][type];
}

static inline void audit(struct memcg_engine *e, struct mem_cgroup *a,
			 struct mem_cgroup *b)
{
	const struct audit_hold holds[2] = { { a, a ? 1 : 0 },
					     { b, b ? 1 : 0 } };

	assert_int_equal(memcg_audit(e, holds, 2), 0);
}

static inline void min_seq_is(struct mem_cgroup *memcg, unsigned long anon,
			      unsigned long file, unsigned long max)
{
	struct lru_gen_folio *lrugen = lrugen_of(memcg);

	assert_int_equal(lrugen->min_seq[LRU_GEN_ANON], anon);
	assert_int_equal(lrugen->min_seq[LRU_GEN_FILE], file);
	assert_int_equal(lrugen->max_seq, max);
}

/* The active/inactive sizes memory.stat shows, in pages. */
static inline void lru_sizes_are(struct mem_cgroup *memcg, long inactive_anon,
				 long active_anon, long inactive_file,
				 long active_file)
{
	assert_int_equal(stat(memcg, "inactive_anon"), inactive_anon * PAGE);
	assert_int_equal(stat(memcg, "active_anon"), active_anon * PAGE);
	assert_int_equal(stat(memcg, "inactive_file"), inactive_file * PAGE);
	assert_int_equal(stat(memcg, "active_file"), active_file * PAGE);
}

static inline void ctrl_pos_is(struct mem_cgroup *m, int type, int tier,
			       unsigned long refaulted, unsigned long total)
{
	struct ctrl_pos pos;

	read_ctrl_pos(lrugen_of(m), type, tier, 1, &pos);
	assert_int_equal(pos.refaulted, refaulted);
	assert_int_equal(pos.total, total);
}

#endif /* MEMCG_TEST_LRU_GEN_H */
