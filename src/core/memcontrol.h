/* SPDX-License-Identifier: MIT */
/*
 * The memory cgroup and the engine: internal definitions shared by
 * src/core and src/mm.
 *
 * Locking:
 * - engine->cgroup_mutex serialises tree changes (mkdir, rmdir, release)
 *   and whole-tree reads (hierarchical stats, cgroup.stat).
 * - Each CPU's area (stock, per-CPU refs and stats of every cgroup for
 *   that CPU) is behind that CPU's pcpu_lock (lib/percpu.h), taken by
 *   trylock on the charge path (a restartable sequence where the machine
 *   has rseq); a failed trylock uses the shared atomics instead.
 * - id -> cgroup lookups run under rcu_read_lock() (liburcu, bp flavour).
 */
#ifndef MEMCG_CORE_MEMCONTROL_H
#define MEMCG_CORE_MEMCONTROL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <urcu-bp.h>
#include <urcu/rculist.h>

#include "memcg/memcg.h"
#include "memcg/hooks.h"
#include "core/memcg_names.h"
#include "core/page_counter.h"
#include "lib/percpu.h"
#include "mm/folio.h"
#include "mm/lru.h"

#define MEMCG_CHARGE_BATCH 64
#define NR_MEMCG_STOCK 7
#define NR_OBJ_STOCK 5		/* objcgs per CPU, as the mm tree */
#define MEM_CGROUP_ID_MAX 65535

/*
 * memory.stat items kept per CPU; keep in step with memcg_stat.c. The
 * order is the per-CPU layout (struct memcg_pcpu): a charge and its
 * uncharge touch the first two cache lines only (the folio items, the v1
 * events and the objcg twins).
 */
enum memcg_stat_item {
	MEMCG_ANON,
	MEMCG_FILE,		/* includes shmem, as NR_FILE_PAGES does */
	MEMCG_KERNEL,
	MEMCG_SHMEM,
	MEMCG_ANON_THP,
	MEMCG_FILE_THP,
	MEMCG_SHMEM_THP,
	MEMCG_PGPGIN,		/* v1 events: charged folios */
	MEMCG_PGPGOUT,		/* uncharged folios */
	/*
	 * Hidden, not in memory.stat: the share of the six folio items above
	 * that folios charged through an objcg hold at this level
	 * (memcontrol_objcg.c), moved to the parent at offline.
	 */
	MEMCG_OBJCG_ANON,
	MEMCG_OBJCG_ANON_THP,
	MEMCG_OBJCG_SHMEM,
	MEMCG_OBJCG_SHMEM_THP,
	MEMCG_OBJCG_FILE,
	MEMCG_OBJCG_FILE_THP,
	MEMCG_FILE_DIRTY,	/* page cache written, not yet written back */
	MEMCG_FILE_WRITEBACK,	/* page cache being written back */
	MEMCG_SWAP,		/* swap slots owned by records */
	MEMCG_SWAPCACHE,	/* pages in the swap cache */
	MEMCG_PSWPIN,		/* pages read from swap */
	MEMCG_PSWPOUT,		/* pages written to swap */
	MEMCG_PGSCAN,		/* reclaim: pages scanned */
	MEMCG_PGSTEAL,		/* reclaim: pages reclaimed */
	MEMCG_PGFAULT,
	MEMCG_PGMAJFAULT,
	MEMCG_PGREFILL,		/* active pages scanned */
	MEMCG_PGACTIVATE,
	MEMCG_PGDEACTIVATE,
	MEMCG_WORKINGSET_REFAULT_ANON,	/* workingset.c: pages, not bytes */
	MEMCG_WORKINGSET_REFAULT_FILE,
	MEMCG_WORKINGSET_ACTIVATE_ANON,
	MEMCG_WORKINGSET_ACTIVATE_FILE,
	MEMCG_WORKINGSET_RESTORE_ANON,
	MEMCG_WORKINGSET_RESTORE_FILE,
	MEMCG_WORKINGSET_NODERECLAIM,	/* shadow nodes: none kept, always 0 */
	MEMCG_SOCK,		/* socket pages (kmem.c) */
	MEMCG_SLAB_RECLAIMABLE,	/* object bytes, reclaimable caches (obj_stock.c) */
	MEMCG_SLAB_UNRECLAIMABLE,/* object bytes, other caches */
	MEMCG_PAGETABLES,	/* page-table pages (the simulator's tasks) */
	MEMCG_UNCHARGE_BATCHES,	/* hidden: counter updates by uncharge_batch */
	MEMCG_THP_FAULT_ALLOC,	/* huge folios mapped at a fault */
	MEMCG_THP_SWPOUT,	/* huge folios swapped out whole */
	MEMCG_THP_SWPOUT_FALLBACK,	/* huge folios split to swap out */
	/* pages on each LRU list, enum lru_list's order (lru_size_add()) */
	MEMCG_LRU_BASE,
	MEMCG_NR_STAT = MEMCG_LRU_BASE + NR_LRU_LISTS
};

enum memcg_memory_event {
	MEMCG_LOW,
	MEMCG_HIGH,
	MEMCG_MAX,
	MEMCG_OOM,
	MEMCG_OOM_KILL,
	MEMCG_OOM_GROUP_KILL,
	MEMCG_SWAP_HIGH,
	MEMCG_SWAP_MAX,
	MEMCG_SWAP_FAIL,
	MEMCG_NR_MEMORY_EVENTS
};

/* One cgroup's share of one CPU's area. */
struct memcg_pcpu {
	atomic_long ref;			/* css refs taken on this CPU */
	atomic_long stat[MEMCG_NR_STAT];
} __attribute__((aligned(MEMCG_CACHELINE)));

/* A cgroup's reference count, percpu_ref-like (css_ref.c). */
struct css_ref {
	atomic_long count;	/* exact after kill; biased before */
	atomic_bool atomic_mode;/* set by kill: per-CPU refs are folded in */
};

struct memcg_rstat_cpu;
struct memcg_vmstats;
struct memcg_rstat;

/*
 * v1-only state, allocated only on a v1 engine (memcg->v1 is NULL on v2):
 * memory.kmem.*, memory.kmem.tcp.*, the soft limit and move_charge.
 */
struct memcg_v1 {
	struct page_counter kmem;		/* memory.kmem.* (objcg.c) */
	struct page_counter tcpmem;		/* memory.kmem.tcp.* (kmem.c) */
	atomic_long soft_limit;		/* pages, only shown (no soft reclaim) */
	unsigned move_charge_at_immigrate;	/* 1 anon, 2 file */
	bool tcpmem_active;			/* tcp limit was written */
};

/*
 * Layout (x86-64, glibc; tests/unit/test_memcg_layout.c pins it), bytes;
 * the struct starts a cache line (memcg_tree.c), so the memory counter,
 * written by every charge, has line 1 to itself:
 *     0  ref, engine, pcpu, rstat_cpu, vmstats, stat_shared,
 *        stat_dead (read-mostly)                                64
 *    64  memory (page_counter 64 + min/low: page_counter_prot) 128
 *   192  lruvec (lock 40, lists, sizes, host lists, costs)     216
 *   408  swap / memsw (page_counter, no protection)             64
 *   472  memory_events, memory_events_local                    144
 *   616  nr_pages_charged, reclaim_iter(_gen), tree counts      32
 *   648  parent, children, sibling, name, child_names,
 *        name_node, nr_tasks_subtree                            80
 *   728  id, online, released, id_ref, slot, swappiness,
 *        name_hash, oom_group (3 bytes of holes)                24
 *   752  release_next, objcg, orig_objcg, objcg_list, cgroup,
 *        v1, rcu                                                72
 *   824  total: sizeof(struct mem_cgroup) <= 1024 is a _Static_assert.
 * Allocated with it (memcg_tree.c, struct memcg_block): vmstats (16:
 * the sums pointer and stats_updates, rstat.h) and the name; in one
 * cache-aligned block per cgroup, its per-CPU parts: memcg_pcpu (448) and
 * the rstat slot (448) per CPU. Apart, as it may outlive the cgroup: the
 * objcg (88) after its per-CPU part (64 per CPU). Only where needed:
 * stat_shared (the first update made without the CPU lock), stat_dead and
 * the flushed sums with their pending deltas (768, the first child,
 * memcg_stat_alloc_parent(); a leaf's flushed values are its rstat slots'
 * prev[], rstat.h), struct memcg_v1 (v1 engines), struct cgroup
 * (cgroup.h: notifying files, psi, memory.peak fds written). Heap per
 * leaf, v2, x86-64 glibc: 1,016 B + 960 B per CPU (test_memcg_layout.c).
 */
struct mem_cgroup {
	struct css_ref ref;
	struct memcg_engine *engine;
	struct memcg_pcpu *pcpu;		/* engine->nr_cpus entries */
	/* rstat (rstat.h): nr_cpus slots, and the flushed sums */
	struct memcg_rstat_cpu *rstat_cpu;
	struct memcg_vmstats *vmstats;
	/*
	 * Updates made off the per-CPU path (memcg_stat.c), and the
	 * own values released descendants left (memcg_stat_fold_dead()):
	 * memcg_stat_zero (all zeros, never written) until allocated, at the
	 * first such update and at the first child (memcg_stat.c).
	 */
	_Atomic(atomic_long *) stat_shared;
	_Atomic(atomic_long *) stat_dead;	/* set under cgroup_mutex */

	union {
		struct page_counter memory;
		struct page_counter_prot memory_prot;	/* with min/low */
	};
	struct lruvec lruvec;
	union {
		struct page_counter swap;	/* v2 */
		struct page_counter memsw;	/* v1 */
	};

	atomic_long memory_events[MEMCG_NR_MEMORY_EVENTS];
	atomic_long memory_events_local[MEMCG_NR_MEMORY_EVENTS];
	atomic_long nr_pages_charged;	/* by memcg_charge_pages() (memcontrol_pages.c) */
	/* where 6.12's partial reclaim walks of this subtree go on (vmscan.c) */
	_Atomic(struct mem_cgroup *) reclaim_iter;
	atomic_uint reclaim_iter_gen;

	/* next to parent: mkdir and rmdir update them in every ancestor */
	int nr_descendants;		/* under cgroup_mutex */
	int nr_dying_descendants;
	atomic_int nr_tasks;
	/* the tree; children and sibling are RCU lists */
	struct mem_cgroup *parent;
	struct cds_list_head children;
	struct cds_list_head sibling;
	char *name;
	struct memcg_names child_names;	/* online children (memcg_names.c) */
	struct memcg_name_node name_node;	/* in the parent's child_names */
	atomic_long nr_tasks_subtree;	/* nr_tasks of it and its descendants */

	uint16_t id;
	atomic_bool online;
	bool released;
	atomic_int id_ref;		/* online state + swap records */
	uint32_t slot;			/* folio->memcg_data value */
	int swappiness;
	uint32_t name_hash;		/* name's hash (memcg_names.c) */
	bool oom_group;

	struct mem_cgroup *release_next;	/* engine->release_list */

	/* kernel memory (objcg.c); objcg_list under objcg_lock */
	_Atomic(struct obj_cgroup *) objcg;	/* NULL once offline */
	struct obj_cgroup *orig_objcg;		/* a reference, put at release */
	struct cds_list_head objcg_list;	/* objcgs reparented to us */
	/* cgroup core: notifying open files, psi (cgroup.h); set once, lazily */
	_Atomic(struct cgroup *) cgroup;
	struct memcg_v1 *v1;			/* v1 engines only */
	struct rcu_head rcu;
};

/* stat_shared and stat_dead until written: MEMCG_NR_STAT zeros */
extern atomic_long memcg_stat_zero[];

/* One CPU's stock: up to NR_MEMCG_STOCK cached cgroups. */
struct memcg_stock_pcp {
	uint8_t nr_pages[NR_MEMCG_STOCK];
	uint8_t drain_idx;
	struct mem_cgroup *cached[NR_MEMCG_STOCK];	/* each holds a ref */
};

/* One CPU's object stock: pre-charged bytes of up to NR_OBJ_STOCK objcgs. */
struct obj_stock_pcp {
	uint16_t nr_bytes[NR_OBJ_STOCK];
	uint8_t drain_idx;
	struct obj_cgroup *cached[NR_OBJ_STOCK];	/* each holds a ref */
};

/*
 * One CPU's batch of ancestor ages (MEMCG_AGE_BATCH, workingset.c):
 * @pending pages owed to @parent's nonresident age and every ancestor's.
 */
struct memcg_age_batch {
	struct mem_cgroup *parent;	/* online (no ref held); NULL: none */
	long pending;
};

struct memcg_cpu_area {
	struct pcpu_lock lock;
	struct memcg_stock_pcp stock;
	struct obj_stock_pcp obj_stock;		/* obj_stock.c */
	/* workingset.c; padded: the area's size is a power of two (stock.h) */
	union {
		struct memcg_age_batch age;
		char age_pad[2 * MEMCG_CACHELINE];
	};
} __attribute__((aligned(MEMCG_CACHELINE)));

struct swap_device;
struct obj_cgroup;
struct objcg_table;
struct lru_gen_memcg;

struct memcg_engine {
	struct memcg_config cfg;
	bool v1;
	bool rseq_locks;		/* CPU locks by rseq (lib/percpu.h) */
	unsigned nr_cpus;
	struct folio_arena *arena;
	uintptr_t folio_base;		/* the arena's descriptors, for */
	uintptr_t folio_bytes;		/* folio_of_engine() */
	struct swap_device *swap;	/* NULL until memcg_swapon() */
	struct objcg_table *objcgs;	/* objcg.c */
	const struct memcg_clock_ops *clock;	/* NULL: real time (clock.c) */
	void *clock_priv;
	const struct memcg_folio_client_ops *folio_client;	/* hooks.h */
	void *folio_client_priv;

	/* the OOM killer (oom_kill.c): victims under victims_lock */
	pthread_mutex_t oom_lock;
	pthread_mutex_t victims_lock;
	struct cds_list_head victims;
	memcg_oom_handler_t oom_handler;
	void *oom_handler_priv;

	/* shrinkers (shrinker.c) */
	pthread_rwlock_t shrinker_rwsem;
	struct cds_list_head shrinkers;
	struct mem_cgroup *root;
	struct memcg_cpu_area *cpus;

	pthread_mutex_t cgroup_mutex;
	/* cgroup.max.depth/descendants not "max" on online cgroups; under
	 * cgroup_mutex (cgroupfs_core.c): none, and mkdir walks no ancestor */
	int nr_hierarchy_limits;
	pthread_mutex_t drain_mutex;	/* trylocked, as percpu_charge_mutex */

	/* css slots: folio->memcg_data -> cgroup, freed at release */
	struct mem_cgroup **slots;
	uint32_t nr_slots;
	uint32_t slot_free_head;	/* free slots chain through slots[] */
	uint32_t slot_next_unused;

	/* private ids, published under RCU; the bitmap under id_lock */
	pthread_mutex_t id_lock;
	struct mem_cgroup **ids;	/* MEM_CGROUP_ID_MAX + 1 entries */
	uint64_t *id_bitmap;

	_Atomic(struct mem_cgroup *) release_list;

	/* rstat (rstat.h); reads flush only past the threshold if set */
	struct memcg_rstat *rstat;
	bool stats_kernel_flush;

	atomic_long nr_memcgs;		/* allocated and not yet released */

	struct lru_gen_memcg *memcg_lru;	/* MGLRU only (lru_gen_memcg.c) */
};

/* Locking contract for the helpers below: none, unless stated. */

static inline struct mem_cgroup *parent_mem_cgroup(struct mem_cgroup *memcg)
{
	return memcg->parent;
}

static inline bool mem_cgroup_is_root(const struct mem_cgroup *memcg)
{
	return memcg->parent == NULL;
}

static inline bool do_memsw_account(const struct mem_cgroup *memcg)
{
	return memcg->engine->v1;
}

/*
 * Whether the root's memory and swap counters count its descendants'
 * charges: v1 only. v2 shows none of them at the root (its files are
 * CFTYPE_NOT_ON_ROOT) and nothing else reads them, so its children's
 * counters stop below it (memcg_tree.c) and two cgroups charging side
 * by side share no counter line. The root's own charges never count.
 */
static inline bool mem_cgroup_root_counted(const struct memcg_engine *e)
{
	return e->v1;
}

static inline struct memcg_engine *memcg_engine(struct mem_cgroup *memcg)
{
	return memcg->engine;
}

/* The current CPU: the real one under rseq locks, else as this_cpu(). */
static inline unsigned memcg_this_cpu(const struct memcg_engine *e)
{
	if (e->rseq_locks)
		return real_cpu(e->nr_cpus);
	return this_cpu(e->nr_cpus, e->cfg.deterministic);
}

/* @cpu's area lock, from a thread on @cpu; may fail (lib/percpu.h) */
static inline bool memcg_cpu_trylock(struct memcg_engine *e, unsigned cpu)
{
	return pcpu_trylock(&e->cpus[cpu].lock, cpu, e->rseq_locks);
}

/* @cpu's area lock from anywhere: costs a membarrier in rseq mode */
static inline void memcg_cpu_lock(struct memcg_engine *e, unsigned cpu)
{
	pcpu_lock(&e->cpus[cpu].lock, cpu, e->rseq_locks);
}

static inline void memcg_cpu_unlock(struct memcg_engine *e, unsigned cpu)
{
	pcpu_unlock(&e->cpus[cpu].lock);
}

/* Every CPU's area lock, for a sweep: one fence in rseq mode. */
static inline void memcg_cpu_lock_all(struct memcg_engine *e)
{
	pcpu_lock_many(&e->cpus[0].lock, sizeof(e->cpus[0]), e->nr_cpus,
		       e->rseq_locks);
}

static inline void memcg_cpu_unlock_all(struct memcg_engine *e)
{
	unsigned cpu;

	for (cpu = 0; cpu < e->nr_cpus; cpu++)
		pcpu_unlock(&e->cpus[cpu].lock);
}

/* memcg_cpu_unlock() knowing that memcg_cpu_trylock() took it */
static inline void memcg_cpu_unlock_trylocked(struct memcg_engine *e,
					      unsigned cpu)
{
	pcpu_unlock_trylocked(&e->cpus[cpu].lock, e->rseq_locks);
}

/*
 * This CPU's area lock, waiting if needed; returns the CPU locked. A busy
 * lock's holder is most often preempted on this CPU: yield to it. Only a
 * thread that keeps failing (no rseq registration of its own) pays for
 * the remote way.
 */
static inline unsigned memcg_cpu_lock_this(struct memcg_engine *e)
{
	unsigned cpu;
	int tries;

	for (tries = 0; tries < 64; tries++) {
		cpu = memcg_this_cpu(e);
		if (memcg_cpu_trylock(e, cpu))
			return cpu;
		if (tries)
			sched_yield();
	}
	memcg_cpu_lock(e, cpu);
	return cpu;
}

/**
 * mem_cgroup_is_descendant - whether @memcg is @root or below it
 * @memcg: cgroup
 * @root: cgroup
 */
static inline bool mem_cgroup_is_descendant(struct mem_cgroup *memcg,
					    struct mem_cgroup *root)
{
	for (; memcg; memcg = memcg->parent)
		if (memcg == root)
			return true;
	return false;
}

/*
 * A kernel folio charged through an objcg has memcg_data MEMCG_DATA_KMEM |
 * its objcg's slot (objcg.h); it holds no css reference, and folio_memcg()
 * gives NULL for it. Such folios are freed with memcg_kmem_uncharge_page().
 */
#define MEMCG_DATA_KMEM (1u << (FOLIO_MEMCG_BITS - 1))

/**
 * folio_memcg - the cgroup @folio is charged to, or NULL
 * @e: engine
 * @folio: a folio the caller holds (its reference pins the cgroup)
 */
static inline struct mem_cgroup *folio_memcg(const struct memcg_engine *e,
					     const struct folio *folio)
{
	uint32_t slot = folio_memcg_data(folio);

	return slot && !(slot & MEMCG_DATA_KMEM) ? e->slots[slot] : NULL;
}

/**
 * folio_of_engine - the check of every public folio entry point: a live
 * folio head of @e's arena (not another engine's, not freed, not a tail)
 * @e: engine, may be NULL
 * @folio: any pointer
 */
static inline bool folio_of_engine(const struct memcg_engine *e,
				   const struct folio *folio)
{
	uintptr_t off;
	uint32_t flags;

	if (!e)
		return false;
	/* unsigned: below the array wraps above it; another engine's too */
	off = (uintptr_t)folio - e->folio_base;
	if (off >= e->folio_bytes || off % sizeof(*folio))
		return false;
	/*
	 * Not PG_free: a frame of a block the arena never handed out is all
	 * zero, so a wild pointer there passes (as in the kernel, nothing
	 * checks it); reclaim's frozen folios (refcount 0) must pass.
	 */
	flags = atomic_load_explicit(&folio->refflags, memory_order_relaxed);
	return !(flags & ((1u << PG_tail) | (1u << PG_free)));
}

/* release.c: report a misused void entry point (the call does nothing) */
void memcg_folio_misuse(const char *fn, const struct folio *folio);

/* rcu_fork.c */
void memcg_rcu_fork_init(void);

/* css_ref.c: references; every pointer to a cgroup holds one. */
void css_ref_init(struct mem_cgroup *memcg);
void css_get(struct mem_cgroup *memcg);
void css_get_many(struct mem_cgroup *memcg, long nr);
void css_put(struct mem_cgroup *memcg);
void css_put_many(struct mem_cgroup *memcg, long nr);
/* caller holds @cpu's lock */
void css_get_local(struct mem_cgroup *memcg, unsigned cpu, long nr);
void css_put_local(struct mem_cgroup *memcg, unsigned cpu, long nr);
bool css_tryget_online(struct mem_cgroup *memcg);
bool css_tryget(struct mem_cgroup *memcg);
void css_kill(struct mem_cgroup *memcg);
long css_ref_read(struct mem_cgroup *memcg);

/* memcg_id.c: private ids, 1..MEM_CGROUP_ID_MAX */
int mem_cgroup_id_alloc(struct memcg_engine *e, struct mem_cgroup *memcg);
void mem_cgroup_id_publish(struct mem_cgroup *memcg);
void mem_cgroup_id_release(struct mem_cgroup *memcg);
void mem_cgroup_id_get_many(struct mem_cgroup *memcg, int n);
void mem_cgroup_id_put_many(struct mem_cgroup *memcg, int n);
struct mem_cgroup *mem_cgroup_id_get_online(struct mem_cgroup *memcg);
/* call with rcu_read_lock() held */
struct mem_cgroup *mem_cgroup_from_id(struct memcg_engine *e, unsigned short id);

/* memcg_tree.c: lifecycle */
void mem_cgroup_release_pending(struct memcg_engine *e);
void mem_cgroup_queue_release(struct mem_cgroup *memcg);
struct mem_cgroup *mem_cgroup_alloc_root(struct memcg_engine *e);
void mem_cgroup_destroy_tree(struct memcg_engine *e);
/* memcg_path.c; call with cgroup_mutex held */
struct mem_cgroup *mem_cgroup_walk_path(struct memcg_engine *e, const char *path);

/* memcg_reparent.c: destruction without zombies */
void mem_cgroup_reparent(struct mem_cgroup *memcg);
void mem_cgroup_reparent_folio(struct memcg_engine *e, struct folio *folio);

/* memcg_stat.c: statistics and events */
void mod_memcg_state(struct mem_cgroup *memcg, enum memcg_stat_item idx, long val);
void mod_memcg_state_shared(struct mem_cgroup *memcg, enum memcg_stat_item idx,
			    long val);
void mod_memcg_state_local(struct mem_cgroup *memcg, unsigned cpu,
			   enum memcg_stat_item idx, long val);
#define FOLIO_MAX_STAT_ITEMS 3
/**
 * folio_stat_items - the memory.stat items a folio's pages count in
 * @folio: folio
 * @items: receives up to FOLIO_MAX_STAT_ITEMS items
 *
 * anon or file or kernel; shmem counts in shmem and file (NR_FILE_PAGES
 * includes it); a huge folio also in its *_thp item.
 *
 * Return: how many items; each counts folio_nr_pages(@folio) pages.
 */
static inline int folio_stat_items(const struct folio *folio,
				   enum memcg_stat_item *items)
{
	bool thp = folio_order(folio) > 0;
	int n = 0;

	switch (folio_type(folio)) {
	case FOLIO_ANON:
		items[n++] = MEMCG_ANON;
		if (thp)
			items[n++] = MEMCG_ANON_THP;
		break;
	case FOLIO_SHMEM:
		items[n++] = MEMCG_SHMEM;
		items[n++] = MEMCG_FILE;
		if (thp)
			items[n++] = MEMCG_SHMEM_THP;
		break;
	case FOLIO_FILE:
		items[n++] = MEMCG_FILE;
		if (thp)
			items[n++] = MEMCG_FILE_THP;
		break;
	default:
		items[n++] = MEMCG_KERNEL;
		break;
	}
	return n;
}
/**
 * folio_state_items - the memory.stat items a folio counts in by its
 * state, not its type: swapcached, file_dirty, file_writeback
 * @folio: folio
 * @items: receives up to 3 items
 *
 * Return: how many; each counts folio_nr_pages(@folio) pages.
 */
static inline int folio_state_items(const struct folio *folio,
				    enum memcg_stat_item *items)
{
	int n = 0;

	if (folio_test_flag(folio, PG_swapcache))
		items[n++] = MEMCG_SWAPCACHE;
	if (folio_type(folio) == FOLIO_FILE) {
		if (folio_test_flag(folio, PG_dirty))
			items[n++] = MEMCG_FILE_DIRTY;
		if (folio_test_flag(folio, PG_writeback))
			items[n++] = MEMCG_FILE_WRITEBACK;
	}
	return n;
}
void memcg_stat_folio(struct mem_cgroup *memcg, int cpu, const struct folio *folio,
		      long sign);
void memcg_stat_folio_charge(struct mem_cgroup *memcg, unsigned cpu,
			     const struct folio *folio);
long memcg_page_state_local(struct mem_cgroup *memcg, enum memcg_stat_item idx);
long memcg_page_state(struct mem_cgroup *memcg, enum memcg_stat_item idx);
void memcg_page_state_many(struct mem_cgroup *memcg,
			   const enum memcg_stat_item *items, size_t nr,
			   long *out);
void memcg_memory_event(struct mem_cgroup *memcg, enum memcg_memory_event ev);
long mem_cgroup_nr_tasks(struct mem_cgroup *memcg, long stop_above);
void memcg_stat_fold_dead(struct mem_cgroup *memcg);
int memcg_stat_alloc_parent(struct mem_cgroup *parent);
void memcg_stat_free(struct mem_cgroup *memcg);

/* objcg.c, obj_stock.c: kernel memory; the hooks run under cgroup_mutex */
int memcg_alloc_kmem(struct mem_cgroup *memcg);
void memcg_offline_kmem(struct mem_cgroup *memcg);
void memcg_free_kmem(struct mem_cgroup *memcg);
void drain_obj_stock_all(struct memcg_engine *e, struct mem_cgroup *root,
			 void (*also)(struct memcg_engine *e, unsigned cpu,
				      struct mem_cgroup *root));

/* stock.c: per-CPU charge caches */
void drain_all_stock(struct mem_cgroup *root);
void drain_all_stock_sync(struct mem_cgroup *root);
long memcg_stock_pages(struct memcg_engine *e, struct mem_cgroup *memcg,
		       long *slots);

/* memcontrol.c: the charge lifecycle */
int try_charge_memcg(struct mem_cgroup *memcg, unsigned gfp, unsigned nr);
void memcg_uncharge(struct mem_cgroup *memcg, long nr);
int mem_cgroup_charge(struct folio *folio, struct mem_cgroup *memcg, unsigned gfp);
void mem_cgroup_uncharge_folios(struct memcg_engine *e, struct folio **folios,
				size_t nr);
int mem_cgroup_migrate(struct memcg_engine *e, struct folio *old, struct folio *new);
int mem_cgroup_replace_folio(struct memcg_engine *e, struct folio *old,
			     struct folio *new);
int mem_cgroup_split_folio(struct memcg_engine *e, struct folio *folio);
int mem_cgroup_move_account(struct memcg_engine *e, struct folio *folio,
			    struct mem_cgroup *to);
long mem_cgroup_margin(struct mem_cgroup *memcg);

/* memcontrol_objcg.c: user folios charged through an objcg */
static inline bool folio_is_objcg_user(const struct folio *folio)
{
	return (folio_memcg_data(folio) & MEMCG_DATA_KMEM) &&
	       folio_type(folio) != FOLIO_KERNEL;
}
int mem_cgroup_charge_objcg(struct folio *folio, struct mem_cgroup *memcg,
			    unsigned gfp);
/**
 * objcg_twin - the hidden twin of a folio's memory.stat item
 * @item: MEMCG_ANON, _ANON_THP, _SHMEM, _SHMEM_THP, _FILE or _FILE_THP
 */
static inline enum memcg_stat_item objcg_twin(enum memcg_stat_item item)
{
	switch (item) {
	case MEMCG_ANON:
		return MEMCG_OBJCG_ANON;
	case MEMCG_ANON_THP:
		return MEMCG_OBJCG_ANON_THP;
	case MEMCG_SHMEM:
		return MEMCG_OBJCG_SHMEM;
	case MEMCG_SHMEM_THP:
		return MEMCG_OBJCG_SHMEM_THP;
	case MEMCG_FILE:
		return MEMCG_OBJCG_FILE;
	default:
		return MEMCG_OBJCG_FILE_THP;
	}
}
void folio_objcg_to_memcg(struct memcg_engine *e, struct folio *folio);
struct mem_cgroup *folio_objcg_memcg(struct memcg_engine *e,
				     struct folio *folio);
void objcg_folios_acct(struct mem_cgroup *memcg, long *pages, long *stat);

/* memcontrol_swap.c: swap accounting; @off is a swap slot */
int mem_cgroup_try_charge_swap(struct memcg_engine *e, struct folio *folio,
			       size_t off);
void mem_cgroup_uncharge_swap(struct memcg_engine *e, size_t off, size_t nr);
void mem_cgroup_uncharge_swap_id(struct memcg_engine *e, uint16_t id, size_t nr);
void memcg1_swapout(struct memcg_engine *e, struct folio *folio, size_t off);
int mem_cgroup_swapin_charge_folio(struct memcg_engine *e, struct folio *folio,
				   struct mem_cgroup *fallback, unsigned gfp,
				   size_t off);
void mem_cgroup_swapin_uncharge_swap(struct memcg_engine *e, size_t off,
				     size_t nr);
int mem_cgroup_move_swap_account(struct memcg_engine *e, size_t off,
				 struct mem_cgroup *from, struct mem_cgroup *to);

/* vmscan.c */
#define MEMCG_RECLAIM_MAY_SWAP	(1u << 0)
#define MEMCG_RECLAIM_PROACTIVE	(1u << 1)
#define MEMCG_RECLAIM_KSWAPD	(1u << 2)	/* the machine's: full walks */
#define SWAPPINESS_ANON_ONLY	201
long try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg, long nr_pages,
				  unsigned gfp, unsigned options, int swappiness);
bool mem_cgroup_reclaim_is_trivial(struct mem_cgroup *memcg);
bool mem_cgroup_reclaim_is_noop(struct mem_cgroup *memcg);
long mem_cgroup_get_nr_swap_pages(struct mem_cgroup *memcg);
long lruvec_page_state(struct mem_cgroup *memcg, enum lru_list lru);
void invalidate_reclaim_iterators(struct mem_cgroup *dead);

/* memcontrol_high.c: memory.high */
void mem_cgroup_note_over_high(struct mem_cgroup *memcg, unsigned batch);
void mem_cgroup_handle_over_high(struct memcg_engine *e);

/*
 * Pages charged over a high boundary by this thread, to be paid for on its
 * way back to the caller (the kernel's current->memcg_nr_pages_over_high),
 * with the cgroup charged, referenced.
 */
struct over_high {
	struct memcg_engine *e;
	struct mem_cgroup *memcg;
	long nr_pages;
};
extern __thread struct over_high current_over_high
	__attribute__((tls_model("initial-exec")));
void mem_cgroup_return_to_user_slow(struct memcg_engine *e, unsigned gfp);

/**
 * mem_cgroup_return_to_user - the end of a public charge call: pay for
 * charges over memory.high, unless the thread runs as a victim (whose
 * client pays at its own return points) or may not block
 * @e: engine
 * @gfp: the call's MEMCG_GFP_* flags
 */
static inline void mem_cgroup_return_to_user(struct memcg_engine *e,
					     unsigned gfp)
{
	if (__builtin_expect(current_over_high.memcg != NULL, 0))
		mem_cgroup_return_to_user_slow(e, gfp);
}
long reclaim_high(struct mem_cgroup *memcg, long nr_pages, unsigned gfp);
uint64_t calculate_high_delay_ms(struct mem_cgroup *memcg, long nr_pages);

/* swap_state.c */
int swap_writepage(struct memcg_engine *e, struct folio *folio,
		   memcg_swp_entry_t entry);
int swap_remove_mapping(struct memcg_engine *e, struct folio *folio,
			memcg_swp_entry_t entry, unsigned refs);
void swap_cache_drop_all(struct memcg_engine *e);
/**
 * swap_slots_drain_all - every CPU's freed swap slots back to the free
 * map, their charges given back (as swapoff drains them)
 * @e: engine with swap
 */
void swap_slots_drain_all(struct memcg_engine *e);
struct folio *swap_cache_find(struct memcg_engine *e, size_t off);
/**
 * swapin_folio - memcg_swapin(), telling whether the folio was read now
 * @new_folio: set when it was allocated and read by this call (on no LRU
 *             list yet: the caller adds it); clear for one found in the
 *             swap cache, which reclaim may hold isolated
 */
int swapin_folio(struct memcg_engine *e, memcg_swp_entry_t entry,
		 struct mem_cgroup *memcg, unsigned gfp, struct folio **out,
		 bool *new_folio);
memcg_swp_entry_t folio_swap_entry(struct memcg_engine *e, struct folio *folio);
int swap_cache_migrate(struct memcg_engine *e, struct folio *old,
		       struct folio *new);

/* release.c */
void folio_free_frozen(struct memcg_engine *e, struct folio *folio);

/*
 * Folios a reclaim pass frees (shrink_folio_list's free_folios): uncharged
 * in one gather and freed when @size are in, and at the end.
 */
struct folio_free_batch {
	struct memcg_engine *e;
	struct folio **folios;
	unsigned nr, size;
	struct folio_free_batch *saved;	/* an outer pass's */
};

/**
 * folio_free_batch_begin - from now on this thread's folio_free_frozen()
 * of @e's folios go into @b
 * @b: batch
 * @e: engine
 * @space: room for @size folios
 * @size: folios gathered before a flush (the kernel's batch size)
 */
void folio_free_batch_begin(struct folio_free_batch *b, struct memcg_engine *e,
			    struct folio **space, unsigned size);

/* Uncharge and free what @b gathered; the thread's previous batch again. */
void folio_free_batch_end(struct folio_free_batch *b);

/* cgroupfs.c */
void memcg_peaks_release(struct mem_cgroup *memcg);

#endif /* MEMCG_CORE_MEMCONTROL_H */
