/* SPDX-License-Identifier: MIT */
/*
 * The current CPU and per-CPU trylocks.
 *
 * The CPU number comes from glibc's registered rseq area (one load), or
 * sched_getcpu() where rseq is not registered, or the calling thread's
 * memcg_set_cpu() choice. A thread may migrate right after reading it:
 * per-CPU data is therefore always taken behind its CPU's trylock, and a
 * failed trylock sends the caller to a shared slow path.
 */
#ifndef MEMCG_LIB_PERCPU_H
#define MEMCG_LIB_PERCPU_H

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/rseq.h>

#define MEMCG_CACHELINE 64

/* The thread's memcg_set_cpu() choice, or -1. */
extern __thread int memcg_cpu_override;

static inline int raw_cpu_id(void)
{
	if (__rseq_size > 0) {
		const struct rseq *rs = (const struct rseq *)
			((char *)__builtin_thread_pointer() + __rseq_offset);
		int cpu = (int)atomic_load_explicit(
			(const _Atomic unsigned *)&rs->cpu_id, memory_order_relaxed);

		if (cpu >= 0)
			return cpu;
	}
	return sched_getcpu();
}

/**
 * this_cpu - the calling thread's CPU among @nr_cpus
 * @nr_cpus: CPUs of the engine
 * @deterministic: ignore the real CPU
 */
static inline unsigned this_cpu(unsigned nr_cpus, bool deterministic)
{
	int cpu = memcg_cpu_override;

	if (cpu < 0)
		cpu = deterministic ? 0 : raw_cpu_id();
	if (cpu < 0)
		cpu = 0;
	if ((unsigned)cpu >= nr_cpus)
		cpu = (int)((unsigned)cpu % nr_cpus);
	return (unsigned)cpu;
}

struct pcpu_lock {
	atomic_int locked;
};

static inline bool pcpu_trylock(struct pcpu_lock *l)
{
	if (atomic_load_explicit(&l->locked, memory_order_relaxed))
		return false;
	return !atomic_exchange_explicit(&l->locked, 1, memory_order_acquire);
}

/* For drains from other CPUs: holders keep the lock for a few loads. */
static inline void pcpu_lock(struct pcpu_lock *l)
{
	while (!pcpu_trylock(l))
		sched_yield();
}

static inline void pcpu_unlock(struct pcpu_lock *l)
{
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}

/*
 * Add to a per-CPU counter while holding that CPU's lock: a plain
 * load and store, no atomic read-modify-write. Readers on other CPUs
 * use relaxed loads and may see a value one update old.
 */
static inline void local_add(atomic_long *v, long delta)
{
	atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) +
			      delta, memory_order_relaxed);
}

#endif /* MEMCG_LIB_PERCPU_H */
