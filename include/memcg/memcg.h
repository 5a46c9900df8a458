/* SPDX-License-Identifier: MIT */
/*
 * libmemcg: the Linux memory cgroup controller in userspace.
 *
 * An engine owns a frame arena, a cgroup tree rooted at "." and per-CPU
 * charge caches. Folios are allocated from the arena, charged to a cgroup,
 * and uncharged when their last reference is dropped.
 *
 * Every function is safe to call from many threads at once unless its
 * comment says otherwise. Errors are negative errno values.
 */
#ifndef MEMCG_MEMCG_H
#define MEMCG_MEMCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MEMCG_API __attribute__((visibility("default")))

struct memcg_engine;
struct mem_cgroup;
struct memcg_file;
struct folio;
struct obj_cgroup;
struct memcg_sock;

enum memcg_mode {
	MEMCG_MODE_V2,		/* cgroup v2 files, separate swap counter */
	MEMCG_MODE_V1,		/* v1 files, memory+swap (memsw) counter */
};

enum memcg_policy {
	MEMCG_POLICY_REPARENT,	/* destroyed cgroups leave nothing behind */
	MEMCG_POLICY_KERNEL,	/* reproduce the kernel's dying cgroups */
};

enum memcg_cpu_locks {
	MEMCG_CPU_LOCKS_AUTO,	/* rseq where the machine and the config allow */
	MEMCG_CPU_LOCKS_ATOMIC,	/* one atomic exchange per per-CPU section */
	MEMCG_CPU_LOCKS_RSEQ,	/* restartable sequences, no atomic */
};

/*
 * Where the charge of a freed folio goes. The stock policy departs from
 * the kernel on purpose, so that cgroups charging side by side below one
 * parent do not write the parent's counter for every page: the pages go
 * to this CPU's charge stock, which drains to the counters once it holds
 * more than a batch (64 pages), as a refill does. memory.current then
 * lags frees by at most 64 pages per CPU and cgroup, the bound the stock
 * already puts on charges; rmdir, memcg_drain_all_stock() and a charge
 * that meets the limit drain it.
 */
enum memcg_uncharge {
	MEMCG_UNCHARGE_KERNEL,	/* to the page counters, as the kernel */
	MEMCG_UNCHARGE_STOCK,	/* to this CPU's stock, drained past a batch */
};

/* The kernel whose behaviour the engine follows where kernels differ. */
enum memcg_kernel {
	MEMCG_KERNEL_6_1,	/* Debian 12's linux-image-amd64 */
	MEMCG_KERNEL_6_12,	/* Debian 12's 6.12 backport: no cgroup v1 */
};

/* Page reclaim: the active/inactive LRU or the multi-generational LRU. */
enum memcg_reclaim {
	MEMCG_RECLAIM_DEFAULT,	/* the kernel's: classic on 6.1, MGLRU on 6.12 */
	MEMCG_RECLAIM_CLASSIC,
	MEMCG_RECLAIM_MGLRU,
};

/*
 * A failing charge's retries: the charge walks that must fail again and
 * the reclaims that can change nothing (docs/FIDELITY.md, "Charge retries
 * that cannot change anything").
 */
enum memcg_charge_retries {
	MEMCG_RETRIES_SKIP_NOOP,	/* count them, do not run them */
	MEMCG_RETRIES_KERNEL,		/* run every one, as the kernel */
};

/*
 * How an eviction or activation ages the ancestors' lruvecs (the refault
 * distance's clock, workingset.c; docs/FIDELITY.md, "The ancestors'
 * nonresident age"). The kernel adds to the cgroup's age and every
 * ancestor's at once, so cgroups evicting side by side all write the
 * root's. The batch policy ages the cgroup itself at once and its
 * ancestors through a per-CPU batch of up to 64 pages, folded when the
 * CPU's chain changes, when the batch fills, before this CPU reads an age
 * the batch owes, and when a cgroup of the chain goes offline. An
 * ancestor's age read at eviction or refault then lags the kernel's by at
 * most 63 pages per other CPU.
 */
enum memcg_nonresident_age {
	MEMCG_AGE_BATCH,	/* ancestors through a per-CPU batch */
	MEMCG_AGE_KERNEL,	/* every ancestor at once, as the kernel */
};

struct memcg_config {
	enum memcg_mode mode;
	enum memcg_policy policy;
	size_t memory_bytes;	/* frame arena size (rounded to huge pages) */
	bool dataless;		/* frames without memory behind them */
	unsigned nr_cpus;	/* per-CPU stocks; 0: the machine's CPUs */
	unsigned huge_order;	/* 0: 9 (2 MiB) */
	bool memory_recursiveprot;	/* cgroup2 mount options */
	bool memory_localevents;
	bool deterministic;	/* CPU only from memcg_set_cpu(), default 0 */
	enum memcg_cpu_locks cpu_locks;
	enum memcg_kernel kernel;	/* default 6.1 */
	enum memcg_reclaim reclaim;
	enum memcg_uncharge uncharge;	/* default MEMCG_UNCHARGE_KERNEL */
	enum memcg_charge_retries charge_retries;
	enum memcg_nonresident_age nonresident_age;	/* default BATCH */
};

enum memcg_folio_type {
	MEMCG_FOLIO_ANON,
	MEMCG_FOLIO_FILE,
	MEMCG_FOLIO_SHMEM,
	MEMCG_FOLIO_KERNEL,
};

/* Allocation context of a charge, after the kernel's gfp flags. */
#define MEMCG_GFP_KERNEL	0u
#define MEMCG_GFP_NOWAIT	(1u << 0)	/* may not block: no reclaim */
#define MEMCG_GFP_NORETRY	(1u << 1)
#define MEMCG_GFP_RETRY_MAYFAIL	(1u << 2)
#define MEMCG_GFP_NOFAIL	(1u << 3)	/* force the charge past max */
#define MEMCG_GFP_RECLAIMABLE	(1u << 4)	/* objects: slab_reclaimable */

/**
 * memcg_config_init - fill @cfg with the defaults: v2, reparent, 1 GiB
 * @cfg: configuration
 */
MEMCG_API void memcg_config_init(struct memcg_config *cfg);

/**
 * memcg_config_reclaim - the reclaim @cfg asks for, its default resolved
 * @cfg: configuration
 *
 * Return: MEMCG_RECLAIM_CLASSIC or MEMCG_RECLAIM_MGLRU.
 */
static inline enum memcg_reclaim
memcg_config_reclaim(const struct memcg_config *cfg)
{
	if (cfg->reclaim != MEMCG_RECLAIM_DEFAULT)
		return cfg->reclaim;
	/* Debian builds 6.12 with CONFIG_LRU_GEN_ENABLED=y, 6.1 without */
	return cfg->kernel == MEMCG_KERNEL_6_12 ? MEMCG_RECLAIM_MGLRU :
						  MEMCG_RECLAIM_CLASSIC;
}

/**
 * memcg_engine_create - create an engine with its root cgroup
 * @cfg: configuration, or NULL for the defaults
 * @out: the engine
 *
 * Return: 0, -EINVAL for a bad configuration, -EOPNOTSUPP for rseq locks
 * the machine cannot give, for v1 under 6.12 or for MGLRU (not built yet),
 * or -ENOMEM.
 */
MEMCG_API int memcg_engine_create(const struct memcg_config *cfg,
				  struct memcg_engine **out);

/**
 * memcg_engine_destroy - tear down an engine
 * @e: engine or NULL
 *
 * Removes every remaining cgroup. Folios still allocated and handles still
 * held are the caller's leaks; they are reported on stderr.
 */
MEMCG_API void memcg_engine_destroy(struct memcg_engine *e);

/**
 * memcg_engine_cpu_locks - how @e guards its per-CPU areas
 * @e: engine
 *
 * AUTO resolves to RSEQ when glibc registered rseq, the kernel has
 * membarrier RSEQ, the engine is not deterministic and has at least the
 * machine's CPUs; otherwise to ATOMIC.
 *
 * Return: MEMCG_CPU_LOCKS_RSEQ or MEMCG_CPU_LOCKS_ATOMIC.
 */
MEMCG_API enum memcg_cpu_locks
memcg_engine_cpu_locks(const struct memcg_engine *e);

/**
 * memcg_set_cpu - choose the CPU the calling thread runs on
 * @cpu: CPU number, wrapped to the engine's CPUs; -1 to follow the real CPU
 *
 * In deterministic mode this is the only source of the current CPU. An
 * engine with rseq CPU locks ignores it: it follows the real CPU.
 */
MEMCG_API void memcg_set_cpu(int cpu);

/* --- the cgroup tree --- */

/**
 * memcg_root - the root cgroup
 * @e: engine
 *
 * Return: the root, valid while the engine lives; no reference is taken.
 */
MEMCG_API struct mem_cgroup *memcg_root(struct memcg_engine *e);

/**
 * memcg_mkdir - create a cgroup
 * @e: engine
 * @path: "A/B", relative to the root; the parent must exist
 * @out: if not NULL, a referenced handle to the new cgroup
 *
 * Paths resolve as the kernel's do below the hierarchy's mount point:
 * "A/./B", "A//B", "A/B/" and "/A/B" are A/B, "A/../B" is B; a control
 * file in the way is not a directory; "..", above the root, leaves the
 * hierarchy (mkdir there is -EPERM, as sysfs refuses it).
 *
 * Return: 0, -EEXIST (a cgroup or a control file of that name, or a last
 * component ".", ".." or none), -ENOENT (no parent), -ENOTDIR (a control
 * file in the path), -EINVAL (a newline in the name), -ENAMETOOLONG
 * (4096 bytes or more), -EPERM, -EBUSY (v2: the parent holds tasks, so
 * its children cannot have the memory controller), -ENOSPC (no cgroup id
 * left) or -ENOMEM.
 */
MEMCG_API int memcg_mkdir(struct memcg_engine *e, const char *path,
			  struct mem_cgroup **out);

/**
 * memcg_rmdir - remove a cgroup (take it offline)
 * @e: engine
 * @path: cgroup path, resolved as memcg_mkdir() does
 *
 * Return: 0, -ENOENT, -ENOTDIR (a control file), -EBUSY (children or
 * tasks, or the root itself: "" or "/"), -EINVAL (a last component "."),
 * -ENOTEMPTY (a last component ".."), -ENAMETOOLONG.
 */
MEMCG_API int memcg_rmdir(struct memcg_engine *e, const char *path);

/**
 * memcg_lookup - find an online cgroup by path
 * @e: engine
 * @path: cgroup path, resolved as memcg_mkdir() does; "" or "." is the root
 * @out: a referenced handle; drop it with memcg_put()
 *
 * Return: 0, -ENOENT, -ENOTDIR (a control file in the path) or
 * -ENAMETOOLONG, as opening a file below @path would fail.
 */
MEMCG_API int memcg_lookup(struct memcg_engine *e, const char *path,
			   struct mem_cgroup **out);

/**
 * memcg_mkdirat - create a cgroup relative to another, as mkdirat(2)
 * @dir: the directory @path starts from (a referenced handle)
 * @path: "B" or "B/C", resolved as memcg_mkdir() resolves its path but
 *        from @dir; a path starting with '/' starts from the root
 * @out: if not NULL, a referenced handle to the new cgroup
 *
 * A path in one call is limited to PATH_MAX as in the kernel; a tree of
 * any depth is built one level at a time from the handle of the last.
 *
 * Return: memcg_mkdir()'s errors; -ENOENT if @dir was removed (after a
 * last component ".", ".." or none: -EEXIST); -EINVAL for a NULL
 * argument.
 */
MEMCG_API int memcg_mkdirat(struct mem_cgroup *dir, const char *path,
			    struct mem_cgroup **out);

/**
 * memcg_rmdirat - remove a cgroup relative to another, as unlinkat(2)
 * with AT_REMOVEDIR
 * @dir: the directory @path starts from
 * @path: resolved as memcg_mkdirat() does
 *
 * Return: memcg_rmdir()'s errors (-ENOENT for a name in a removed @dir);
 * -EINVAL for a NULL argument.
 */
MEMCG_API int memcg_rmdirat(struct mem_cgroup *dir, const char *path);

/**
 * memcg_lookupat - find an online cgroup relative to another, as openat(2)
 * @dir: the directory @path starts from
 * @path: resolved as memcg_mkdirat() does; "" or "." is @dir itself
 * @out: a referenced handle; drop it with memcg_put()
 *
 * Return: memcg_lookup()'s errors; -ENOENT if the cgroup found, or a
 * directory on the way, was removed; -EINVAL for a NULL argument.
 */
MEMCG_API int memcg_lookupat(struct mem_cgroup *dir, const char *path,
			     struct mem_cgroup **out);

/** memcg_get - take a reference on a cgroup the caller holds one on */
MEMCG_API void memcg_get(struct mem_cgroup *memcg);
/**
 * memcg_put - drop a reference; NULL is a no-op. Dropping more than are
 * held aborts with a message naming the cgroup, once it is caught (at
 * once after rmdir, at rmdir for puts made before).
 */
MEMCG_API void memcg_put(struct mem_cgroup *memcg);
/** memcg_tryget_online - take a reference if the cgroup is still online */
MEMCG_API bool memcg_tryget_online(struct mem_cgroup *memcg);
/** memcg_is_online - whether rmdir has not yet taken the cgroup offline */
MEMCG_API bool memcg_is_online(struct mem_cgroup *memcg);

/**
 * memcg_path - the cgroup's path from the root ("." for the root)
 * @memcg: cgroup
 * @buf: output
 * @len: size of @buf
 *
 * Return: the length written, or -ENAMETOOLONG.
 */
MEMCG_API int memcg_path(struct mem_cgroup *memcg, char *buf, size_t len);

/**
 * struct memcg_dying - a removed cgroup that still exists (memcg_for_each_dying())
 * @path: its path when it was removed; one of PATH_MAX bytes or more is
 *        cut to its last components after ".../"
 * @memory: bytes still charged to it (its memory.current when online)
 * @swap: swap bytes still charged to it (v2: memory.swap.current; v1:
 *        memory+swap less memory)
 */
struct memcg_dying {
	const char *path;
	uint64_t memory;
	uint64_t swap;
};

/**
 * memcg_for_each_dying - call @fn for every dying cgroup: removed by
 * rmdir, not yet freed because charges or references remain (the
 * kernel's nr_dying_descendants), parents before their children
 * @e: engine
 * @fn: called with the cgroup tree lock held: it must not call into the
 *      engine; @d is valid during the call only
 * @arg: passed to @fn
 *
 * For observers (the memcg tool's plots): the kernel shows a dying
 * cgroup only as a count, and memcg_read() answers -ENOENT for it.
 *
 * Return: how many dying cgroups @fn was called for.
 */
MEMCG_API int memcg_for_each_dying(struct memcg_engine *e,
				   void (*fn)(const struct memcg_dying *d,
					      void *arg),
				   void *arg);

/**
 * memcg_attach_task - count one more task in @memcg (cgroup.procs)
 * @memcg: an online cgroup
 *
 * Return: 0, -ENOENT if the cgroup is offline, -EBUSY on v2 below the root
 * when it has children (the no-internal-process rule).
 */
MEMCG_API int memcg_attach_task(struct mem_cgroup *memcg);
/** memcg_detach_task - one task left @memcg */
MEMCG_API void memcg_detach_task(struct mem_cgroup *memcg);

/* --- control files --- */

/**
 * memcg_read - read a control file, as cat would
 * @memcg: cgroup
 * @name: "memory.current", "memory.stat", ...
 * @buf: output, NUL-terminated
 * @len: size of @buf
 *
 * Return: the length written, -ENOENT for a file this cgroup does not
 * have, -EINVAL for a write-only file, or -EFBIG if @buf is too small.
 */
MEMCG_API int memcg_read(struct mem_cgroup *memcg, const char *name,
			 char *buf, size_t len);

/**
 * memcg_write - write a control file, as echo would (opens a fresh fd)
 * @memcg: cgroup
 * @name: file name
 * @buf: the value, a newline allowed
 *
 * The same as memcg_write_len() of strlen(@buf) bytes.
 *
 * Return: 0 or the kernel's errno for the write (-EINVAL, -EBUSY, ...).
 */
MEMCG_API int memcg_write(struct mem_cgroup *memcg, const char *name,
			  const char *buf);

/**
 * memcg_write_len - write @len bytes to a control file in one write(2)
 * @memcg: cgroup
 * @name: file name
 * @buf: the bytes, NULs allowed
 * @len: how many
 *
 * As the kernel: more than a page (4096 bytes) is -E2BIG, no bytes at all
 * succeed on any file without a handler seeing them, and the handler
 * sees the bytes up to the first NUL, stripped of blanks (the kernel's
 * isspace(), which counts byte 0xa0) where the kernel's handler strips.
 * docs/ERRNO.md lists the errno of each kind of bad input.
 *
 * Return: 0 or the kernel's errno for the write.
 */
MEMCG_API int memcg_write_len(struct mem_cgroup *memcg, const char *name,
			      const void *buf, size_t len);

/**
 * memcg_open - open a control file, for files with per-fd state
 * @memcg: cgroup; the file holds a reference on it until closed
 * @name: file name
 * @out: the open file
 *
 * Return: 0 or -ENOENT.
 */
MEMCG_API int memcg_open(struct mem_cgroup *memcg, const char *name,
			 struct memcg_file **out);
MEMCG_API int memcg_file_read(struct memcg_file *f, char *buf, size_t len);
MEMCG_API int memcg_file_write(struct memcg_file *f, const char *buf);
/** memcg_file_write_len - memcg_write_len() on an open file */
MEMCG_API int memcg_file_write_len(struct memcg_file *f, const void *buf,
				   size_t len);
MEMCG_API void memcg_file_close(struct memcg_file *f);

/* --- folios and their charges --- */

/**
 * memcg_folio_alloc - allocate a folio from the engine's arena
 * @e: engine
 * @type: anon, file, shmem or kernel
 * @order: 0, or the engine's huge order
 *
 * Return: an uncharged folio with one reference, or NULL when the arena
 * has no free run of frames of that order.
 */
MEMCG_API struct folio *memcg_folio_alloc(struct memcg_engine *e,
					  enum memcg_folio_type type,
					  unsigned order);

/**
 * memcg_charge - charge a newly allocated folio to @memcg
 * @e: engine
 * @folio: an uncharged folio
 * @memcg: the cgroup to charge (the root is allowed)
 * @gfp: MEMCG_GFP_* flags
 *
 * Return: 0, -ENOMEM when over the limit, -EINVAL if already charged.
 */
MEMCG_API int memcg_charge(struct memcg_engine *e, struct folio *folio,
			   struct mem_cgroup *memcg, unsigned gfp);

/** memcg_folio_get - take a reference on a folio */
MEMCG_API void memcg_folio_get(struct memcg_engine *e, struct folio *folio);

/**
 * memcg_folio_put - drop a reference; the last one uncharges and frees
 * @e: engine
 * @folio: folio; NULL is a no-op. A folio that is no live folio of @e
 *         (another engine's, already freed, a tail) is reported on stderr
 *         and left alone; the other folio entry points answer -EINVAL.
 */
MEMCG_API void memcg_folio_put(struct memcg_engine *e, struct folio *folio);

/**
 * memcg_folios_put - drop one reference on each folio of an array
 * @e: engine
 * @folios: folios
 * @nr: how many
 *
 * Folios whose last reference goes are uncharged together, one counter
 * update per run of folios of the same cgroup.
 */
MEMCG_API void memcg_folios_put(struct memcg_engine *e, struct folio **folios,
				size_t nr);

/**
 * memcg_migrate - transfer the charge of @old to @new_folio
 * @e: engine
 * @old: a charged folio
 * @new_folio: an uncharged folio of the same size
 *
 * Counters do not move; @new_folio takes over @old's cgroup reference and
 * @old will be freed without uncharging. A folio in the swap cache hands
 * its place there to @new_folio (the kernel's folio_migrate_mapping()):
 * the cache then holds @new_folio, which the caller fills with @old's data.
 *
 * Return: 0, -EINVAL on a size mismatch or a charged @new_folio, or
 * -EBUSY if @old is in the swap cache and under writeback or held by
 * anyone but the caller and the cache (nothing changes).
 */
MEMCG_API int memcg_migrate(struct memcg_engine *e, struct folio *old,
			    struct folio *new_folio);

/**
 * memcg_replace_folio - charge @new_folio like @old (page-cache
 * replacement)
 * @e: engine
 * @old: a charged folio, uncharged later at its own final put
 * @new_folio: an uncharged folio of the same size, force-charged
 *
 * Return: 0 or -EINVAL.
 */
MEMCG_API int memcg_replace_folio(struct memcg_engine *e, struct folio *old,
				  struct folio *new_folio);

/**
 * memcg_split_folio - split a huge folio into order-0 folios
 * @e: engine
 * @folio: a huge folio the caller holds
 * @out: if not NULL, receives the 1 << order new folios, head first
 *
 * Each new folio keeps the charge and takes its own cgroup reference.
 *
 * Return: 0, or -EINVAL if @folio is not huge.
 */
MEMCG_API int memcg_split_folio(struct memcg_engine *e, struct folio *folio,
				struct folio **out);

/**
 * memcg_move_account - move a folio's charge to another cgroup (v1)
 * @e: engine
 * @folio: a charged folio
 * @to: the new owner
 *
 * Return: 0, -ENOMEM if @to is over its limit, -EINVAL if uncharged.
 */
MEMCG_API int memcg_move_account(struct memcg_engine *e, struct folio *folio,
				 struct mem_cgroup *to);

/**
 * memcg_folio_memcg - the cgroup a folio is charged to, or NULL
 * @e: engine
 * @folio: folio the caller holds
 *
 * No reference is taken: valid while the folio stays charged. NULL for a
 * kernel folio charged through an objcg (memcg_kmem_folio_objcg()).
 */
MEMCG_API struct mem_cgroup *memcg_folio_memcg(struct memcg_engine *e,
					       struct folio *folio);

/** memcg_folio_data - the folio's bytes, NULL for data-less frames */
MEMCG_API void *memcg_folio_data(struct memcg_engine *e, struct folio *folio);
/** memcg_folio_nr_pages - pages in the folio */
MEMCG_API long memcg_folio_nr_pages(struct folio *folio);

/* --- swap --- */

/* A swap entry: slot + 1, so that 0 means "none". */
typedef struct {
	uint32_t val;
} memcg_swp_entry_t;

/**
 * memcg_swapon - give the engine a swap device
 * @e: engine
 * @path: swap file, created or truncated; NULL for an unlinked temporary
 *        file in $TMPDIR. Data-less engines do no I/O.
 * @bytes: size of the device
 *
 * Return: 0, -EBUSY if the engine has one, -EINVAL, or the file's errno.
 */
MEMCG_API int memcg_swapon(struct memcg_engine *e, const char *path,
			   size_t bytes);

/**
 * memcg_swap_out - swap out a folio only the caller references
 * @e: engine
 * @folio: an anon or shmem folio with refcount 1; charged or not
 * @entry: where it went
 *
 * The caller's folio reference becomes a reference on the entry (one per
 * slot of a huge folio, which swaps out as a run of slots). v2: the swap
 * counter is charged and memory uncharged at the folio's final put; v1:
 * memory is uncharged and memory+swap stays charged, owned by the entry.
 *
 * Return: 0; -ENODEV without swap; -EBUSY if others hold the folio;
 * -ENOSPC (no slots, or the file is full); -ENOMEM over memory.swap.max;
 * -EIO. On error the folio is untouched, still charged and referenced.
 */
MEMCG_API int memcg_swap_out(struct memcg_engine *e, struct folio *folio,
			     memcg_swp_entry_t *entry);

/**
 * memcg_swap_alloc - add a folio to the swap cache (first step of swap-out)
 * @e: engine
 * @folio: an anon or shmem folio not in the swap cache
 * @entry: its slots; the swap cache holds a folio reference
 *
 * v2 charges the swap counter here: the folio counts in memory.current and
 * memory.swap.current until it leaves memory.
 *
 * Return: 0, -ENODEV, -EEXIST, -ENOSPC (MEMCG_SWAP_FAIL), -ENOMEM
 * (memory.swap.max: "max" and "fail" events). @entry is 0 on error.
 */
MEMCG_API int memcg_swap_alloc(struct memcg_engine *e, struct folio *folio,
			       memcg_swp_entry_t *entry);

/**
 * memcg_swap_reclaim_folio - write a swap-cache folio and free it
 * @e: engine
 * @folio: in the swap cache at @entry, referenced only by the cache
 * @entry: its entry
 *
 * Return: 0, -EBUSY if referenced, -EINVAL, or the write's error (the
 * folio then stays in the swap cache, charged).
 */
MEMCG_API int memcg_swap_reclaim_folio(struct memcg_engine *e,
				       struct folio *folio,
				       memcg_swp_entry_t entry);

/**
 * memcg_swap_dup - one more page-table reference on @entry (a fork)
 * @e: engine
 * @entry: a referenced entry, or one in the swap cache
 *
 * Counts go on past 126 as the kernel's continuation pages let them, up
 * to 2^32 - 1 references.
 *
 * Return: 0, -EINVAL for a free entry, -ENOMEM when the count's
 * continuation cannot be allocated or is at its maximum.
 */
MEMCG_API int memcg_swap_dup(struct memcg_engine *e, memcg_swp_entry_t entry);

/**
 * memcg_swap_free - drop a page-table reference on @entry; the last one
 * (with no folio in the swap cache) frees the slot and uncharges it
 * @e: engine
 * @entry: entry
 *
 * Return: 0 or -EINVAL if nothing references the entry.
 */
MEMCG_API int memcg_swap_free(struct memcg_engine *e, memcg_swp_entry_t entry);

/**
 * memcg_swapin - fault an entry back in
 * @e: engine
 * @entry: a referenced entry
 * @memcg: the faulting task's cgroup, charged if the entry's owner is
 *         offline (NULL: the root)
 * @gfp: MEMCG_GFP_* flags
 * @out: the folio, in the swap cache, with a reference for the caller
 *
 * A page that cannot be read back as it was written (memcg_swap_nr_bad())
 * fails with -EIO, charging nothing; the entry stays referenced and
 * charged to swap until its page tables let it go (the kernel's faulting
 * task gets SIGBUS and exits).
 *
 * Return: 0, -ENOMEM, -EIO, -EINVAL.
 */
MEMCG_API int memcg_swapin(struct memcg_engine *e, memcg_swp_entry_t entry,
			   struct mem_cgroup *memcg, unsigned gfp,
			   struct folio **out);

/**
 * memcg_folio_free_swap - take a folio out of the swap cache and free its
 * slots, once no page table refers to them
 * @e: engine
 * @folio: in the swap cache at @entry; the caller holds a reference
 * @entry: entry
 *
 * Return: 0, -EBUSY while the slots are referenced, -EINVAL.
 */
MEMCG_API int memcg_folio_free_swap(struct memcg_engine *e, struct folio *folio,
				    memcg_swp_entry_t entry);

/** memcg_swap_nr_free - free slots, or -ENODEV */
MEMCG_API long memcg_swap_nr_free(struct memcg_engine *e);

/**
 * memcg_swap_nr_bad - swap slots whose data could not be read back (the
 * swap file was truncated, grown back or written by someone else): each
 * failed its swap-in with -EIO and stays out of the free map for good,
 * as the kernel's SWAP_MAP_BAD slots; or -ENODEV
 * @e: engine
 *
 * memory.events has no key for it (the kernel only logs "Read-error on
 * swap-device"); this is where it is counted.
 */
MEMCG_API long memcg_swap_nr_bad(struct memcg_engine *e);

/**
 * memcg_swap_inject_fault - make a future swap write fail (tests)
 * @e: engine
 * @err: -EIO, -ENOSPC, -EPIPE (a short write), or 0 to cancel
 * @after: writes to let through first
 */
MEMCG_API int memcg_swap_inject_fault(struct memcg_engine *e, int err,
				      long after);

/**
 * memcg_drain_all_stock - return every CPU's cached charge of @memcg's
 * subtree to the counters
 * @memcg: cgroup
 *
 * Both stocks: pre-charged pages, and the object stocks' bytes of objcgs
 * that charge @memcg's subtree (their whole pages are uncharged, the rest
 * stays with the objcg).
 */
MEMCG_API void memcg_drain_all_stock(struct mem_cgroup *memcg);

/* --- kernel memory: objcgs, objects, kernel pages, sockets --- */

/*
 * An obj_cgroup stands between kernel memory and a cgroup. When the cgroup
 * is removed, its objcgs charge its parent instead: objects and kernel
 * pages never keep a removed cgroup alive, and their later frees uncharge
 * the parent. Every live object and kernel page holds a reference on its
 * objcg, never on a cgroup.
 */

/**
 * memcg_objcg_get - a handle on the objcg charging @memcg
 * @memcg: cgroup; if it is offline, its nearest online ancestor's objcg
 *
 * Return: a referenced objcg (drop it with memcg_objcg_put()), or NULL if
 * @memcg is NULL.
 */
MEMCG_API struct obj_cgroup *memcg_objcg_get(struct mem_cgroup *memcg);
/** memcg_objcg_put - drop a handle from memcg_objcg_get() */
MEMCG_API void memcg_objcg_put(struct obj_cgroup *objcg);
/**
 * memcg_objcg_memcg - the cgroup @objcg charges now; no reference is
 * taken and it may change at any rmdir: for display only
 */
MEMCG_API struct mem_cgroup *memcg_objcg_memcg(struct obj_cgroup *objcg);

/**
 * memcg_obj_charge - charge an object of @size bytes (the slab path)
 * @objcg: objcg the caller holds a handle on
 * @size: bytes; @size + sizeof(void *) are charged, the pointer the kernel
 *        keeps beside each accounted object
 * @gfp: MEMCG_GFP_* flags; MEMCG_GFP_RECLAIMABLE counts the object in
 *       slab_reclaimable, otherwise in slab_unreclaimable
 *
 * Sub-page remainders live in a per-CPU object stock; whole pages are
 * charged through the page path and count as kernel. The object holds a
 * reference on @objcg until memcg_obj_uncharge().
 *
 * Return: 0, -ENOMEM over the limit, -EINVAL.
 */
MEMCG_API int memcg_obj_charge(struct obj_cgroup *objcg, size_t size,
			       unsigned gfp);
/**
 * memcg_obj_uncharge - free an object charged with memcg_obj_charge()
 * @objcg: the same objcg
 * @size: the same size
 * @gfp: the same MEMCG_GFP_RECLAIMABLE choice
 */
MEMCG_API void memcg_obj_uncharge(struct obj_cgroup *objcg, size_t size,
				  unsigned gfp);

/**
 * memcg_kmem_charge_page - allocate a kernel folio charged through @objcg
 * @e: engine
 * @objcg: objcg the caller holds a handle on
 * @gfp: MEMCG_GFP_* flags
 * @order: 0 or the engine's huge order (the arena's only sizes)
 * @out: the folio, one reference, of type MEMCG_FOLIO_KERNEL
 *
 * 1 << @order pages are charged and counted as kernel; the folio holds a
 * reference on @objcg. memcg_folio_memcg() gives NULL for it.
 *
 * Return: 0, -ENOMEM (the limit, or no free frames), -EINVAL.
 */
MEMCG_API int memcg_kmem_charge_page(struct memcg_engine *e,
				     struct obj_cgroup *objcg, unsigned gfp,
				     unsigned order, struct folio **out);
/**
 * memcg_kmem_uncharge_page - uncharge and free a kernel folio
 * @e: engine
 * @folio: from memcg_kmem_charge_page() or memcg_kmem_split_page(), with
 *         the caller's reference only; memcg_folio_put() must not free it
 *
 * Return: 0, -EBUSY if others hold it, -EINVAL if it is no kernel folio.
 */
MEMCG_API int memcg_kmem_uncharge_page(struct memcg_engine *e,
				       struct folio *folio);
/**
 * memcg_kmem_split_page - split a huge kernel folio into order-0 ones
 * @e: engine
 * @folio: a huge kernel folio held exclusively
 * @out: if not NULL, receives the 1 << order folios, head first
 *
 * Each page keeps the charge and takes its own reference on the objcg.
 *
 * Return: 0 or -EINVAL.
 */
MEMCG_API int memcg_kmem_split_page(struct memcg_engine *e, struct folio *folio,
				    struct folio **out);
/** memcg_kmem_folio_objcg - the objcg a kernel folio is charged through */
MEMCG_API struct obj_cgroup *memcg_kmem_folio_objcg(struct memcg_engine *e,
						    struct folio *folio);

/**
 * memcg_sock_alloc - a socket of @memcg (mem_cgroup_sk_alloc)
 * @memcg: the creating task's cgroup
 * @out: the socket; it holds a reference on @memcg, unless @memcg is the
 *       root, offline, or on v1 has no memory.kmem.tcp.limit_in_bytes set:
 *       then its buffers are not accounted
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
MEMCG_API int memcg_sock_alloc(struct mem_cgroup *memcg,
			       struct memcg_sock **out);
/** memcg_sock_free - free a socket whose buffers were all uncharged */
MEMCG_API void memcg_sock_free(struct memcg_sock *sk);
/** memcg_sock_memcg - the cgroup a socket charges, or NULL */
MEMCG_API struct mem_cgroup *memcg_sock_memcg(struct memcg_sock *sk);
/**
 * memcg_sock_charge - charge @nr_pages of network buffers
 * @sk: socket
 * @nr_pages: pages
 * @gfp: MEMCG_GFP_* flags (MEMCG_GFP_NOFAIL forces the charge)
 *
 * v2: the memory counter and the sock stat. v1: the memory.kmem.tcp.*
 * counter only.
 *
 * Return: 0 or -ENOMEM.
 */
MEMCG_API int memcg_sock_charge(struct memcg_sock *sk, unsigned nr_pages,
				unsigned gfp);
/** memcg_sock_uncharge - uncharge @nr_pages of network buffers */
MEMCG_API void memcg_sock_uncharge(struct memcg_sock *sk, unsigned nr_pages);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_MEMCG_H */
