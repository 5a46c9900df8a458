/* SPDX-License-Identifier: MIT */
/*
 * The memory substrate's simulated processes: tasks, their address
 * spaces (one anonymous area each), files in the page cache, and the
 * reverse map from a frame to the page table or file that holds it.
 *
 * Locking: sim->lock protects the registries (tasks, files), every page
 * table and page-cache array, and the reverse map. It is taken for short
 * sections only and never held across a charge, reclaim or swap I/O.
 */
#ifndef MEMCG_SIM_SIM_H
#define MEMCG_SIM_SIM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/memcontrol.h"
#include "lib/strtab.h"
#include "memcg/sim.h"
#include "mm/oom.h"

/*
 * A page-table entry: 0 none; PTE_SWAP | entry.val swapped out; else
 * present, pfn + 1, with PTE_YOUNG set by every access (the accessed bit)
 * and cleared by reclaim's folio_referenced(). Frames stay below 2^30.
 */
#define PTE_SWAP (1u << 31)
#define PTE_YOUNG (1u << 30)

static inline bool pte_present(uint32_t pte)
{
	return pte && !(pte & PTE_SWAP);
}

/* The frame of a present entry. */
static inline uint32_t pte_pfn(uint32_t pte)
{
	return (pte & ~PTE_YOUNG) - 1;
}

/* A new present entry: the fault that made it was an access. */
static inline uint32_t mk_pte_young(uint32_t pfn)
{
	return (pfn + 1) | PTE_YOUNG;
}

/*
 * Page-table pages: an area's entries in runs of PTES_PER_PMD, each with
 * its PMD entry's accessed bit (set by any access through it) and the
 * aging walk's filter bits: whether the run was worth scanning at the
 * last walk (the kernel's Bloom filters, kept exact here, two of them by
 * walk parity) or since, by a look-around.
 *
 * A run mapped by a huge folio as a whole (PMD_HUGE, the kernel's
 * pmd_trans_huge()) keeps its entries, each naming its own frame of the
 * folio, so that entry-by-entry code reads frames right; but the mapping
 * is one: it holds one folio reference, and its accessed bit is
 * PMD_YOUNG (the entries' PTE_YOUNG stay clear). Its page-table page is
 * the one the fault deposited (pgtable.c), used again when the PMD is
 * split into page mappings, each holding a reference.
 */
#define PTES_PER_PMD 512
#define PMD_YOUNG (1u << 0)
#define PMD_LOOKAROUND (1u << 1)
#define PMD_FILTER(seq) (1u << (2 + ((seq) & 1)))
#define PMD_HUGE (1u << 4)

/* A reverse-map entry: who holds a frame's folio. */
#define RMAP_ANON (1ULL << 63)		/* mm id << 32 | page index */
#define RMAP_FILE (1ULL << 62)		/* file id << 32 | page index */

struct mm_struct {
	uint32_t id;
	uint32_t *pte;
	uint8_t *pmd;			/* per PTES_PER_PMD entries: PMD_* */
	struct folio **ptables;		/* and its page-table page (pgtable.c) */
	size_t nr_pte;			/* mapped length, in pages */
	size_t cap;
	long rss;			/* resident pages */
	long swapents;			/* swapped-out pages */
	/* MGLRU aging (lru_gen_walk.c) */
	atomic_bool lru_gen_ran;	/* ran since its last walk */
	atomic_bool lru_gen_new;	/* not walked in its cgroup yet */
	uint8_t filter_valid;		/* PMD_FILTER(seq) bits that were reset */
};

/* An access through entry @idx: its accessed bit and its PMD's. */
static inline void mm_mkyoung(struct mm_struct *mm, size_t idx)
{
	if (!(mm->pmd[idx / PTES_PER_PMD] & PMD_HUGE))
		mm->pte[idx] |= PTE_YOUNG;
	mm->pmd[idx / PTES_PER_PMD] |= PMD_YOUNG;
}

/* Whether run @b is mapped by a huge folio as a whole. */
static inline bool pmd_trans_huge(const struct mm_struct *mm, size_t b)
{
	return mm->pmd[b] & PMD_HUGE;
}

/*
 * Whether @folio, a head, is large, read from its next frame's atomic
 * flags (huge folios are aligned runs): its own order shares a word with
 * the MGLRU generation, which list moves write under the list's lock.
 * Stable under sim->lock, which splits hold.
 */
static inline bool sim_folio_large(struct memcg_engine *e, struct folio *folio)
{
	uint32_t pfn = folio_pfn(e->arena, folio) + 1;

	return pfn < folio_arena_nr_frames(e->arena) &&
	       folio_test_flag(pfn_folio(e->arena, pfn), PG_tail);
}

/* The folio holding frame @pfn: its head, also for a tail frame. */
static inline struct folio *frame_folio(struct memcg_engine *e, uint32_t pfn)
{
	struct folio *folio = pfn_folio(e->arena, pfn);

	if (folio_test_flag(folio, PG_tail))
		folio = pfn_folio(e->arena,
				  pfn & ~((1u << e->cfg.huge_order) - 1));
	return folio;
}

struct memcg_file_pages {
	char *name;
	uint32_t id;
	uint32_t *pages;		/* pfn + 1 per page index, 0 if absent */
	uint64_t *shadow;		/* an evicted page's shadow, or 0 */
	int fd;				/* backing file once written back, or -1 */
	size_t nr_pages;
};

struct memcg_task {
	struct memcg_engine *e;
	char *name;
	struct mem_cgroup *memcg;	/* holds a reference */
	struct mm_struct *mm;		/* NULL once exited or killed */
	struct memcg_victim *victim;	/* registered while it has an mm */
	int oom_score_adj;
	bool killed;			/* by the OOM killer */
	bool oom_victim;		/* killed, memory not yet reaped */
	bool sigbus;			/* killed by SIGBUS: a page it
					 * faulted could not be read back
					 * from swap */
	struct memcg_task *next;	/* creation order */
};

struct memcg_sim {
	struct memcg_engine *e;
	pthread_mutex_t lock;
	struct memcg_task *tasks, **tasks_tail;
	struct strtab task_names;	/* name -> index in named */
	struct memcg_task **named;	/* the newest task of each name */
	size_t nr_named, cap_named;
	struct mm_struct **mms;		/* by id; NULL when free */
	uint32_t nr_mms;
	struct memcg_file_pages **files;
	uint32_t nr_files;
	uint64_t *rmap;			/* per frame */
	atomic_ullong clock_ns;		/* the virtual clock */
	bool thp;			/* huge folios at anon faults */
	memcg_sim_progress_fn progress;	/* memcg_sim_set_progress() */
	void *progress_priv;
};

/* The task the calling thread is running, or NULL (library callers). */
extern __thread struct memcg_task *current_task;

/* client.c: the simulator registered as the engine's folio client */
extern const struct memcg_folio_client_ops sim_folio_client;

/* The engine's simulator state, or NULL before the first task. */
static inline struct memcg_sim *sim_of(struct memcg_engine *e)
{
	return (struct memcg_sim *)memcg_folio_client_priv(e, &sim_folio_client);
}

/**
 * memcg_sim_get - the engine's simulator state, created and registered
 * (folio client, and the virtual clock unless a clock is set) on first use
 * @e: engine
 *
 * Return: the state, or NULL on allocation failure or when another folio
 * client is registered.
 */
struct memcg_sim *memcg_sim_get(struct memcg_engine *e);

/*
 * rmap.c. A large folio's entry is its head's, naming the index its first
 * page maps at (or would: page i of it only ever maps at that index + i).
 */
void rmap_set(struct memcg_sim *sim, struct memcg_engine *e,
	      struct folio *folio, uint64_t who);
uint64_t rmap_get(struct memcg_sim *sim, struct memcg_engine *e,
		  struct folio *folio);

/* lru_gen_walk.c: the page-table side of MGLRU aging */
void sim_walk_mm(struct memcg_engine *e, struct mem_cgroup *memcg,
		 unsigned long seq, bool can_swap);
void sim_look_around(struct memcg_engine *e, struct mm_struct *mm, size_t idx);

/* pgtable.c: page-table pages, charged as the kernel's */
int pgtable_alloc(struct memcg_task *t);
void pgtable_free_unused(struct memcg_engine *e, struct mm_struct *mm);

/* mm.c: address spaces */
size_t nr_pmds(size_t nr_pte);
int pte_reserve(struct mm_struct *mm, size_t nr);
struct mm_struct *mm_alloc(struct memcg_sim *sim);
void mm_free(struct memcg_engine *e, struct memcg_sim *sim, struct mm_struct *mm);
int mm_fault_anon(struct memcg_task *t, size_t nr_pages, bool mlock);
int mm_touch(struct memcg_task *t, size_t nr_pages);
int mm_unmap(struct memcg_task *t, size_t nr_pages);
void split_huge_pmd(struct memcg_engine *e, struct mm_struct *mm, size_t b);

/**
 * sim_split_folio - split an isolated large anon folio for reclaim: its
 * huge mapping into page mappings, then the folio itself
 * @e: engine
 * @folio: isolated, reclaim's reference held, not in the swap cache
 * @partial_only: only if no huge mapping maps it whole
 * @pages: receives its pages, head first
 *
 * Return: 0 with each page holding one reference per mapping and one for
 * reclaim; -EAGAIN if @partial_only and a huge mapping maps it; -EBUSY
 * if anyone else holds a reference.
 */
int sim_split_folio(struct memcg_engine *e, struct folio *folio,
		    bool partial_only, struct folio **pages);

/**
 * try_to_unmap_anon - replace the page-table entry of an isolated anon
 * folio in the swap cache with its swap entry
 * @e: engine
 * @folio: isolated, in the swap cache at @entry
 * @entry: its swap entry
 *
 * Return: true if the folio is no longer mapped.
 */
bool try_to_unmap_anon(struct memcg_engine *e, struct folio *folio,
		       memcg_swp_entry_t entry);

/**
 * folio_referenced_anon - clear the accessed bit of an anon folio's
 * page-table entry (folio_referenced)
 * @e: engine
 * @folio: isolated
 *
 * Return: 1 if the entry was young, else 0.
 */
int folio_referenced_anon(struct memcg_engine *e, struct folio *folio);

/* filemap.c: the page cache */
int filemap_read(struct memcg_task *t, const char *name, size_t nr_pages);
int filemap_write(struct memcg_task *t, const char *name, size_t nr_pages);

/* flusher.c: the folio client's writeback */
void sim_writeback(struct memcg_engine *e, struct mem_cgroup *memcg,
		   long nr_pages);
int filemap_read_back(struct memcg_engine *e, struct memcg_file_pages *f,
		      size_t idx, struct folio *folio);

/**
 * filemap_remove_folio - drop a clean, isolated file folio from the page
 * cache if nobody else holds it
 * @e: engine
 * @folio: isolated (the caller's reference) and in the page cache
 *
 * Return: true if it left the page cache and was freed.
 */
bool filemap_remove_folio(struct memcg_engine *e, struct folio *folio);
void filemap_destroy(struct memcg_engine *e, struct memcg_sim *sim);

/**
 * sim_return_to_user - where a task's step returns to user space: pay the
 * memory.high penalty, then report the step's progress
 * @t: the task
 * @nr_pages: the pages the step faulted in, swapped in, read or wrote
 */
void sim_return_to_user(struct memcg_task *t, long nr_pages);

/* task.c */
void task_free_memory(struct memcg_task *t);
/** sim_tasks_free - free every task (exiting the live ones) and the index */
void sim_tasks_free(struct memcg_sim *sim);

#endif /* MEMCG_SIM_SIM_H */
