/* SPDX-License-Identifier: MIT */
/*
 * libmemcg's task model: tasks that belong to a cgroup and own an address
 * space, fault in anonymous memory, read files through the page cache,
 * mlock, unmap, exit and move between cgroups. Charges they cause go
 * through the engine's full charge path: stock, reclaim (LRU, swap),
 * memory.high throttling on a virtual clock, and the OOM killer.
 *
 * The engine must have been created with a frame arena large enough for
 * the scenario ("machine memory"); memcg_swapon() gives it swap.
 *
 * Tasks are not thread-safe objects: drive each task from one thread at a
 * time. Different tasks may run on different threads.
 */
#ifndef MEMCG_SIM_H
#define MEMCG_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memcg/memcg.h"

#ifdef __cplusplus
extern "C" {
#endif

struct memcg_task;

/**
 * memcg_sim_attach - make @e a simulator engine now: the virtual clock
 * (unless a clock is set) and the tasks' page tables and page cache as
 * its folio client (memcg/hooks.h)
 * @e: engine, before other threads use it
 *
 * The first memcg_task_create() does it too; a driver calls it first so
 * that everything, memory.pressure included, runs on the virtual clock
 * from the start.
 *
 * Return: 0, -EBUSY if another folio client is registered, -ENOMEM.
 */
MEMCG_API int memcg_sim_attach(struct memcg_engine *e);

/*
 * Transparent huge pages for the tasks' anonymous faults, as the kernel's
 * /sys/kernel/mm/transparent_hugepage/enabled with Debian's defrag
 * setting ("madvise"; tasks never madvise): a fault that starts an
 * aligned 2 MiB range of a task's area, wholly inside what it is
 * faulting in, maps a huge folio if one is free and its charge fits
 * without reclaim; otherwise it faults 4K pages as before.
 */
enum memcg_thp {
	MEMCG_THP_NEVER,	/* the default */
	MEMCG_THP_ALWAYS,
};

/**
 * memcg_sim_set_thp - whether tasks' anonymous faults map huge folios
 * @e: engine (made a simulator engine if it is not one yet)
 * @thp: MEMCG_THP_NEVER or MEMCG_THP_ALWAYS
 *
 * Return: 0; -EINVAL for another value; -EOPNOTSUPP for ALWAYS when the
 * engine's huge order is not 9 (2 MiB, one page table's worth); -EBUSY
 * or -ENOMEM as memcg_sim_attach().
 */
MEMCG_API int memcg_sim_set_thp(struct memcg_engine *e, enum memcg_thp thp);

/**
 * memcg_task_create - a new task in @memcg
 * @e: engine
 * @name: task name (copied), unique among live tasks
 * @memcg: an online cgroup (memcg_root(e) allowed)
 * @out: the task
 *
 * Return: 0, -EEXIST (name in use), -ENOENT (cgroup offline), -EBUSY (v2:
 * a non-root cgroup with children), -ENOMEM.
 */
MEMCG_API int memcg_task_create(struct memcg_engine *e, const char *name,
				struct mem_cgroup *memcg,
				struct memcg_task **out);

/** memcg_task_find - a live or killed task by name, or NULL */
MEMCG_API struct memcg_task *memcg_task_find(struct memcg_engine *e,
					     const char *name);

/**
 * memcg_task_move - move a task to another cgroup (a cgroup.procs write)
 * @t: task
 * @to: an online cgroup
 *
 * Its pages stay charged where they are, as in cgroup v2; v1 with
 * memory.move_charge_at_immigrate moves them.
 *
 * Return: 0, -ENOENT if @to is offline, -EBUSY (v2: @to has children),
 * -ESRCH if the task is dead.
 */
MEMCG_API int memcg_task_move(struct memcg_task *t, struct mem_cgroup *to);

/**
 * memcg_task_anon - fault in and touch @bytes of new anonymous memory
 * @t: task
 * @bytes: rounded up to pages
 *
 * Each page is charged to the task's cgroup when it is first touched;
 * over a limit the engine reclaims, throttles and may OOM-kill.
 *
 * Return: 0; -ENOMEM if a charge failed for good (the task may have been
 * OOM-killed: see memcg_task_killed()); -ESRCH if the task is dead;
 * -EINVAL if @bytes does not round up to a page count (any task call).
 */
MEMCG_API int memcg_task_anon(struct memcg_task *t, size_t bytes);

/**
 * memcg_task_mlock - like memcg_task_anon(), pages locked (unevictable)
 */
MEMCG_API int memcg_task_mlock(struct memcg_task *t, size_t bytes);

/**
 * memcg_task_unmap - unmap the last @bytes of the task's anonymous memory
 * @t: task
 * @bytes: rounded up to pages, at most what is mapped
 *
 * Return: 0, -EINVAL if more than is mapped, -ESRCH.
 */
MEMCG_API int memcg_task_unmap(struct memcg_task *t, size_t bytes);

/**
 * memcg_task_touch - access the task's anonymous memory again
 * @t: task
 * @bytes: from the start of its anonymous area, at most what is mapped
 *
 * Swapped-out pages are faulted back in (charged to their recorded owner
 * if it is online); resident ones are marked referenced. A page that
 * cannot be read back from swap kills the task, as SIGBUS does.
 *
 * Return: 0, -ENOMEM, -EINVAL, -ESRCH, -EIO (killed: memcg_task_sigbus()).
 */
MEMCG_API int memcg_task_touch(struct memcg_task *t, size_t bytes);

/**
 * memcg_task_read - read the first @bytes of file @file through the page
 * cache
 * @t: task
 * @file: file name; created (sparse) on first use, grown to @bytes
 * @bytes: rounded up to pages
 *
 * Pages not in the page cache are allocated and charged to the task's
 * cgroup; cached ones are marked referenced (charged where they were).
 *
 * Return: 0, -ENOMEM, -ESRCH.
 */
MEMCG_API int memcg_task_read(struct memcg_task *t, const char *file,
			      size_t bytes);

/**
 * memcg_task_write - write the first @bytes of file @file through the page
 * cache (buffered writes, no sync)
 * @t: task
 * @file: file name; created on first use, grown to @bytes
 * @bytes: rounded up to pages
 *
 * Pages not in the page cache are allocated and charged to the task's
 * cgroup; every page written is left dirty (memory.stat file_dirty) until
 * it is written back: when reclaim finds only dirty pages it wakes the
 * flusher, which writes them all (memory.stat file_writeback meanwhile).
 *
 * Return: 0, -ENOMEM, -ESRCH.
 */
MEMCG_API int memcg_task_write(struct memcg_task *t, const char *file,
			       size_t bytes);

/**
 * memcg_task_exit - the task exits; its anonymous memory is freed
 * @t: task; the handle stays valid (for its name and killed state) until
 *     the engine is destroyed
 *
 * Return: 0 or -ESRCH if already dead.
 */
MEMCG_API int memcg_task_exit(struct memcg_task *t);

/** memcg_task_set_oom_score_adj - -1000..1000; -1000: never OOM-killed */
MEMCG_API int memcg_task_set_oom_score_adj(struct memcg_task *t, int adj);

/**
 * memcg_task_sigbus - whether the task was killed by SIGBUS: a page it
 * faulted could not be read back from swap (memcg_swap_nr_bad()); the
 * call that faulted returned -EIO and the task exited
 */
MEMCG_API bool memcg_task_sigbus(struct memcg_task *t);
/** memcg_task_killed - whether the OOM killer killed the task */
MEMCG_API bool memcg_task_killed(struct memcg_task *t);
/** memcg_task_alive - neither exited nor killed */
MEMCG_API bool memcg_task_alive(struct memcg_task *t);
/** memcg_task_name - the task's name */
MEMCG_API const char *memcg_task_name(struct memcg_task *t);
/** memcg_task_memcg - the task's cgroup (no reference taken) */
MEMCG_API struct mem_cgroup *memcg_task_memcg(struct memcg_task *t);
/** memcg_task_rss_pages - resident anonymous pages */
MEMCG_API long memcg_task_rss_pages(struct memcg_task *t);
/** memcg_task_swap_pages - swapped-out anonymous pages */
MEMCG_API long memcg_task_swap_pages(struct memcg_task *t);

/**
 * memcg_clock_ns - the engine's virtual clock: time the tasks spent
 * throttled (memory.high) and stalled, in nanoseconds
 * @e: engine
 */
MEMCG_API uint64_t memcg_clock_ns(struct memcg_engine *e);

/**
 * typedef memcg_sim_progress_fn - what memcg_sim_set_progress() calls
 * @priv: as given
 * @t: the task that made progress
 * @nr_pages: the pages that step faulted in, swapped in, read or wrote
 */
typedef void (*memcg_sim_progress_fn)(void *priv, struct memcg_task *t,
				      long nr_pages);

/**
 * memcg_sim_set_progress - have tasks report their progress within a call
 * @e: engine (made a simulator engine if it is not one yet)
 * @fn: called after each page (or huge page) a task faults in, swaps in,
 *      reads or writes through the page cache, where the task returns to
 *      user space (after any memory.high penalty, so memcg_clock_ns() has
 *      advanced by it); NULL to stop
 * @priv: passed to @fn
 *
 * For observers that sample the engine within a long task call (the
 * memcg tool's plots). @fn runs on the task's thread with no engine or
 * simulator lock held: it may read control files and call
 * memcg_for_each_dying(), but must not drive tasks. Set it before tasks
 * run, not while they do.
 *
 * Return: 0, or as memcg_sim_attach().
 */
MEMCG_API int memcg_sim_set_progress(struct memcg_engine *e,
				     memcg_sim_progress_fn fn, void *priv);

/**
 * memcg_task_for_each - call @fn for every task ever created, in creation
 * order (dead ones included)
 */
MEMCG_API void memcg_task_for_each(struct memcg_engine *e,
				   void (*fn)(struct memcg_task *t, void *arg),
				   void *arg);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_SIM_H */
