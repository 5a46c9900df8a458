/* SPDX-License-Identifier: MIT */
/*
 * The current CPU and per-CPU locks.
 *
 * The CPU number comes from glibc's registered rseq area (one load), or
 * sched_getcpu() where rseq is not registered, or the calling thread's
 * memcg_set_cpu() choice. A thread may migrate right after reading it, so
 * per-CPU data is always used behind its CPU's pcpu_lock.
 *
 * A pcpu_lock has two words and two modes:
 * - atomic mode: everyone takes @remote with an atomic exchange.
 * - rseq mode: a thread running on the lock's CPU takes @local with a
 *   restartable sequence (no atomic instruction: the kernel restarts the
 *   sequence if the thread is preempted, migrated or signalled inside it).
 *   Anyone else takes @remote with an atomic exchange, then has the kernel
 *   abort the sequences running on that CPU (membarrier RSEQ), then waits
 *   for @local to drop. The local sequence gives up while @remote is set.
 * A holder may migrate; it unlocks from wherever it runs.
 */
#ifndef MEMCG_LIB_PERCPU_H
#define MEMCG_LIB_PERCPU_H

#include <sched.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/rseq.h>

#if defined(__SANITIZE_THREAD__)
#define PCPU_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PCPU_TSAN 1
#endif
#endif
#ifdef PCPU_TSAN
#include <sanitizer/tsan_interface.h>
#endif

#define MEMCG_CACHELINE 64

/* The thread's memcg_set_cpu() choice, or -1. */
extern __thread int memcg_cpu_override;

static inline struct rseq *rseq_area(void)
{
	return (struct rseq *)((char *)__builtin_thread_pointer() +
			       __rseq_offset);
}

static inline int raw_cpu_id(void)
{
	if (__rseq_size > 0) {
		int cpu = (int)atomic_load_explicit(
			(const _Atomic unsigned *)&rseq_area()->cpu_id,
			memory_order_relaxed);

		if (cpu >= 0)
			return cpu;
	}
	return sched_getcpu();
}

/* The real CPU, wrapped to @nr_cpus. */
static inline unsigned real_cpu(unsigned nr_cpus)
{
	int cpu = raw_cpu_id();

	if (cpu < 0)
		return 0;
	return (unsigned)cpu < nr_cpus ? (unsigned)cpu : (unsigned)cpu % nr_cpus;
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
	atomic_uint local;	/* rseq mode: taken on its CPU, plain stores */
	atomic_uint remote;	/* taken with an atomic exchange */
};

bool pcpu_rseq_available(void);
void pcpu_rseq_fence(unsigned cpu);
void pcpu_rseq_fence_all(void);

#if defined(__x86_64__)
#define PCPU_HAVE_RSEQ 1
#define PCPU_STR_(x) #x
#define PCPU_STR(x) PCPU_STR_(x)

/*
 * A restartable sequence in x86-64 asm: RSEQ_ASM_BEGIN(cs) publishes the
 * sequence's descriptor (struct rseq_cs, in __rseq_cs) in the thread's
 * rseq area through the operand @cs, clobbering %rax; the sequence runs
 * from there to RSEQ_ASM_END, whose last instruction before it must be
 * the single commit store. The kernel moves a preempted, migrated or
 * signalled sequence to the abort handler, which jumps to @abort. The
 * handler is preceded by glibc's registered signature, which the kernel
 * checks, as the operand of a ud1 so that it disassembles.
 */
#define RSEQ_ASM_BEGIN(cs)						\
	".pushsection __rseq_cs, \"aw\"\n\t"				\
	".balign 32\n\t"							\
	"3:\n\t"								\
	".long 0, 0\n\t"							\
	".quad 1f, 2f - 1f, 4f\n\t"					\
	".popsection\n\t"							\
	"leaq 3b(%%rip), %%rax\n\t"					\
	"movq %%rax, " cs "\n\t"						\
	"1:\n\t"

#define RSEQ_ASM_END(abort)						\
	"2:\n\t"								\
	".pushsection __rseq_failure, \"ax\"\n\t"				\
	".byte 0x0f, 0xb9, 0x3d\n\t"					\
	".long " PCPU_STR(RSEQ_SIG) "\n\t"				\
	"4:\n\t"								\
	"jmp " abort "\n\t"						\
	".popsection\n\t"

/* On CPU @cpu with neither word set, set @local. */
static inline bool pcpu_rseq_trylock(struct pcpu_lock *l, unsigned cpu)
{
	struct rseq *rs = rseq_area();

	__asm__ goto(
		RSEQ_ASM_BEGIN("%[cs]")
		"cmpl %[cpu], %[cpu_id]\n\t"
		"jne %l[busy]\n\t"
		"cmpl $0, %[remote]\n\t"
		"jne %l[busy]\n\t"
		"cmpl $0, %[local]\n\t"
		"jne %l[busy]\n\t"
		"movl $1, %[local]\n\t"
		RSEQ_ASM_END("%l[busy]")
		:
		: [cs] "m"(rs->rseq_cs), [cpu_id] "m"(rs->cpu_id),
		  [cpu] "r"(cpu), [remote] "m"(l->remote), [local] "m"(l->local)
		: "rax", "cc", "memory"
		: busy);
#ifdef PCPU_TSAN
	/* the sequence's loads are invisible to TSan: say what they order */
	__tsan_acquire(&l->local);
	__tsan_acquire(&l->remote);
#endif
	return true;
busy:
	return false;
}
#else
#define PCPU_HAVE_RSEQ 0
static inline bool pcpu_rseq_trylock(struct pcpu_lock *l, unsigned cpu)
{
	(void)l;
	(void)cpu;
	return false;
}
#endif

static inline bool pcpu_atomic_trylock(struct pcpu_lock *l)
{
	if (atomic_load_explicit(&l->remote, memory_order_relaxed))
		return false;
	return !atomic_exchange_explicit(&l->remote, 1, memory_order_acquire);
}

/**
 * pcpu_trylock - take @cpu's lock from a thread that runs on @cpu
 * @l: the lock
 * @cpu: the lock's CPU
 * @rseq: the lock's mode
 *
 * Fails when the lock is held, or (rseq) when the thread is not on @cpu.
 */
static inline bool pcpu_trylock(struct pcpu_lock *l, unsigned cpu, bool rseq)
{
	return rseq ? pcpu_rseq_trylock(l, cpu) : pcpu_atomic_trylock(l);
}

/**
 * pcpu_lock - take @cpu's lock from any thread, waiting for its holder
 * @l: the lock
 * @cpu: the lock's CPU
 * @rseq: the lock's mode
 *
 * Holders keep the lock for a few loads and stores; waiters yield.
 */
static inline void pcpu_lock(struct pcpu_lock *l, unsigned cpu, bool rseq)
{
	while (!pcpu_atomic_trylock(l))
		sched_yield();
	if (!rseq)
		return;
	pcpu_rseq_fence(cpu);
	while (atomic_load_explicit(&l->local, memory_order_acquire))
		sched_yield();
}

/**
 * pcpu_lock_many - pcpu_lock() on @nr locks @stride bytes apart, in order,
 * with one fence for all of them
 * @first: the first lock
 * @stride: bytes from one lock to the next
 * @nr: locks, the CPUs 0..@nr-1
 * @rseq: their mode
 */
static inline void pcpu_lock_many(struct pcpu_lock *first, size_t stride,
				  unsigned nr, bool rseq)
{
	char *p = (char *)first;
	unsigned i;

	for (i = 0; i < nr; i++)
		while (!pcpu_atomic_trylock((struct pcpu_lock *)(p + i * stride)))
			sched_yield();
	if (!rseq)
		return;
	pcpu_rseq_fence_all();
	for (i = 0; i < nr; i++)
		while (atomic_load_explicit(
			       &((struct pcpu_lock *)(p + i * stride))->local,
			       memory_order_acquire))
			sched_yield();
}

/**
 * pcpu_unlock - release a lock taken by either function
 * @l: the lock
 *
 * @local is set only while a local holder has it: the remote holder
 * waited for it to drop, and no local sequence succeeds under @remote.
 */
static inline void pcpu_unlock(struct pcpu_lock *l)
{
	if (atomic_load_explicit(&l->local, memory_order_relaxed))
		atomic_store_explicit(&l->local, 0, memory_order_release);
	else
		atomic_store_explicit(&l->remote, 0, memory_order_release);
}

/**
 * pcpu_unlock_trylocked - pcpu_unlock() after a pcpu_trylock() success
 * @l: the lock
 * @rseq: the lock's mode
 */
static inline void pcpu_unlock_trylocked(struct pcpu_lock *l, bool rseq)
{
	atomic_store_explicit(rseq ? &l->local : &l->remote, 0,
			      memory_order_release);
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
