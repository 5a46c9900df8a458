/* SPDX-License-Identifier: MIT */
/*
 * The invariant auditor's own (audit.h is what the tests call): what it
 * collects per cgroup and per objcg, and the checks each of its files
 * does. audit.c: the walk, folios, stocks, counters, references, rstat,
 * stats; audit_kmem.c: objcgs, object stocks, kernel folios;
 * audit_lru.c: the LRU lists; audit_swap.c: swap slots; audit_sim.c: the
 * simulator's page tables.
 */
#ifndef MEMCG_TEST_AUDIT_INTERNAL_H
#define MEMCG_TEST_AUDIT_INTERNAL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/memcg_walk.h"
#include "core/objcg.h"
#include "core/rstat.h"
#include "mm/host_lru.h"
#include "mm/lru_gen.h"
#include "mm/swapfile.h"
#include "sim/sim.h"

struct audit_cg {
	struct mem_cgroup *memcg;
	long folio_pages;	/* charged to this cgroup itself */
	long folios;
	long stock_pages;
	long stock_slots;
	long stat[MEMCG_NR_STAT];
	long holds;
	long children;		/* in the children list, live or dying */
	long live_desc, dying_desc;
	long subtree_pages;	/* folio + stock pages of the subtree */
	long records;		/* swap slots recorded with its id */
	long subtree_records;
	long swapcache;		/* pages of its folios in the swap cache */
	long lru_pages;		/* pages of its folios with PG_lru */
	long kmem;		/* pages charged here through objcgs, and
				 * what released children left here */
	long sock;		/* socket pages */
	long subtree_kmem, subtree_sock;
	long subtree_tasks;	/* nr_tasks of the subtree */
	long pages;		/* charged by memcg_charge_pages() */
};

/* One objcg: the pointers that hold its references, and its bytes. */
struct audit_objcg {
	struct obj_cgroup *objcg;
	long alive, orig;	/* memcg->objcg, memcg->orig_objcg */
	long listed;		/* on a memcg's objcg_list */
	long stock_slots, stock_bytes;
	long folios, folio_pages;	/* kernel folios charged through it */
};

struct audit {
	struct memcg_engine *e;
	struct audit_cg *cg;	/* indexed by slot */
	struct audit_objcg *objcg;	/* indexed by objcg slot */
	uint32_t nr_objcg;
	int errors;
};

#define report(a, ...) do { fprintf(stderr, "audit: " __VA_ARGS__); \
	fputc('\n', stderr); (a)->errors++; } while (0)

/* audit.c */
/* Add @folio's pages to @cg's memory.stat items, as the auditor derives them. */
void audit_folio_stats(struct audit_cg *cg, const struct folio *folio);

/* audit_sim.c: every task's page tables, and the anon folios they map. */
void audit_sim(struct audit *a);

/* audit_kmem.c */
/* A folio at @pfn charged through the objcg in table slot @slot. */
void audit_kmem_folio(struct audit *a, struct folio *folio, size_t pfn,
		      uint32_t slot);
void audit_objcg_collect(struct audit *a);
void audit_objcg_memcg(struct audit *a, struct mem_cgroup *m);
void audit_obj_stocks(struct audit *a);
void audit_objcgs(struct audit *a, long *kmem_pages, long *obj_bytes);
void audit_kmem_stats(struct audit *a, long kmem_pages, long obj_bytes);

/* audit_swap.c: every swap device's slots, records and cache. */
void audit_swap(struct audit *a);

/* audit_lru.c */
void audit_lru(struct audit *a, struct audit_cg *cg);
void audit_host_lru(struct audit *a, struct audit_cg *cg);

#endif /* MEMCG_TEST_AUDIT_INTERNAL_H */
