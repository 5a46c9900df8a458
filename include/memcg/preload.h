/* SPDX-License-Identifier: MIT */
/*
 * libmemcg-preload.so: a program's heap charged to a cgroup.
 *
 * Loaded with LD_PRELOAD (or linked before libc), the shim replaces
 * malloc and its family and anonymous mmap/munmap/mremap, and charges
 * what they return to a cgroup of an engine it creates in the process:
 * the one MEMCG_CGROUP names, or the one a thread chose with
 * memcg_thread_attach(). preload/README.md describes the environment
 * variables, what is charged and how far memory.current may lag.
 *
 * The functions below exist in libmemcg-preload.so only; the shim also
 * exports the whole libmemcg API (memcg.h, pages.h), which acts on its
 * engine through memcg_preload_engine().
 */
#ifndef MEMCG_PRELOAD_H
#define MEMCG_PRELOAD_H

#include "memcg/memcg.h"
#include "memcg/pages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most cgroups a process's threads can be attached to, in all. */
#define MEMCG_PRELOAD_MAX_CGROUPS 4095

/**
 * memcg_preload_engine - the shim's engine
 *
 * Created at startup when MEMCG_CGROUP is set, otherwise on the first
 * call. Data-less, with the machine's CPUs; the cgroup MEMCG_CGROUP names
 * is found with memcg_lookup(). Each process has its own: a child of
 * fork() starts a new one at its first allocation.
 *
 * Return: the engine, valid until the process exits; NULL if it cannot be
 * created.
 */
MEMCG_API struct memcg_engine *memcg_preload_engine(void);

/**
 * memcg_thread_attach - charge the calling thread's allocations to @memcg
 * @memcg: a cgroup (of the shim's engine or any other), or NULL for the
 *         process's default: MEMCG_CGROUP's cgroup, or none
 *
 * The thread's pre-charged budget goes back to its previous cgroup first.
 * Blocks keep the cgroup they were charged to: freeing one uncharges that
 * cgroup, whichever thread frees it. The shim keeps a reference on every
 * cgroup a thread was attached to until the process exits.
 *
 * Return: 0; -ENOENT if @memcg was removed; -ENOSPC if the shim already
 * charges MEMCG_PRELOAD_MAX_CGROUPS cgroups; -EBUSY from inside the
 * engine (a reclaim or OOM callback); -ENODEV if the shim is off (a bad
 * environment with MEMCG_STRICT=0) or cannot start.
 */
MEMCG_API int memcg_thread_attach(struct mem_cgroup *memcg);

/**
 * memcg_thread_cgroup - the cgroup the calling thread's allocations are
 * charged to
 *
 * Return: the cgroup (no reference is taken: the shim keeps one), or NULL
 * if the thread is not accounted.
 */
MEMCG_API struct mem_cgroup *memcg_thread_cgroup(void);

/**
 * memcg_thread_flush - give the calling thread's pre-charged budget back
 *
 * Whole pages are uncharged at once; the part of a page left goes to the
 * cgroup's shared remainder. Afterwards the cgroup's memory.current, less
 * what the per-CPU stocks and other threads' budgets hold, is exactly
 * the sum of its live blocks rounded up to a page (preload/README.md).
 */
MEMCG_API void memcg_thread_flush(void);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_PRELOAD_H */
