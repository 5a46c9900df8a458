/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU charge stock's fast paths, inlined into the charge path.
 * The rest (refills that take a slot, drains) is in stock.c.
 *
 * Under rseq CPU locks, a consume or a refill that finds its slot is one
 * restartable sequence on the current CPU's area: it checks that neither
 * lock word is set, finds the slot and commits by storing the slot's new
 * page count. No lock is taken. A lock holder on this CPU is not running
 * while the sequence runs (it would have been preempted, aborting the
 * sequence) and a remote locker aborts it with its fence.
 */
#ifndef MEMCG_CORE_STOCK_H
#define MEMCG_CORE_STOCK_H

#include <stddef.h>

#include "core/memcontrol.h"

/* The slot caching @memcg in @stock, or -1. */
static inline int stock_slot(const struct memcg_stock_pcp *stock,
			     const struct mem_cgroup *memcg)
{
	int i;

	for (i = 0; i < NR_MEMCG_STOCK; i++)
		if (stock->cached[i] == memcg)
			return i;
	return -1;
}

/**
 * consume_stock_locked - take @nr pages from @cpu's stock
 * @e: engine
 * @cpu: CPU whose lock the caller holds
 * @memcg: cgroup to charge
 * @nr: pages
 *
 * Return: true if the stock had them.
 */
static inline bool consume_stock_locked(struct memcg_engine *e, unsigned cpu,
					struct mem_cgroup *memcg, unsigned nr)
{
	struct memcg_stock_pcp *stock = &e->cpus[cpu].stock;
	int i = stock_slot(stock, memcg);

	if (i < 0 || stock->nr_pages[i] < nr)
		return false;
	stock->nr_pages[i] -= (uint8_t)nr;
	return true;
}

#if PCPU_HAVE_RSEQ
#define STOCK_OFF(member) offsetof(struct memcg_cpu_area, member)

_Static_assert((sizeof(struct memcg_cpu_area) &
		(sizeof(struct memcg_cpu_area) - 1)) == 0,
	       "a CPU area's size is a power of two (the sequence shifts)");
_Static_assert(STOCK_OFF(lock.remote) == STOCK_OFF(lock.local) + 4 &&
	       STOCK_OFF(lock.local) % 8 == 0,
	       "the two lock words are one aligned quadword");

/*
 * The stock sequence: %rax = this CPU's area, %rcx = the slot caching
 * @memcg, %edx = its page count; then @op computes the new count in %edx
 * (or jumps to busy) and the sequence commits it.
 */
#define STOCK_RSEQ(op)							\
	RSEQ_ASM_BEGIN("%[cs]")						\
	"movl %[cpu_id], %%eax\n\t"					\
	"cmpl %[nr_cpus], %%eax\n\t"					\
	"jae %l[busy]\n\t"						\
	"shlq %[shift], %%rax\n\t"					\
	"addq %[cpus], %%rax\n\t"					\
	"cmpq $0, %c[lock](%%rax)\n\t"					\
	"jne %l[busy]\n\t"						\
	"xorl %%ecx, %%ecx\n\t"						\
	"5:\n\t"							\
	"cmpq %[memcg], %c[cached](%%rax,%%rcx,8)\n\t"			\
	"je 6f\n\t"							\
	"incl %%ecx\n\t"						\
	"cmpl %[nr_slots], %%ecx\n\t"					\
	"jne 5b\n\t"							\
	"jmp %l[busy]\n\t"						\
	"6:\n\t"							\
	"movzbl %c[nr_pages](%%rax,%%rcx), %%edx\n\t"			\
	op								\
	"movb %%dl, %c[nr_pages](%%rax,%%rcx)\n\t"			\
	RSEQ_ASM_END("%l[busy]")

#define STOCK_RSEQ_OPERANDS(e, memcg, nr, rs)				\
	: [cs] "m"(rs->rseq_cs), [cpu_id] "m"(rs->cpu_id),		\
	  [nr_cpus] "r"(e->nr_cpus), [cpus] "r"(e->cpus),		\
	  [memcg] "r"(memcg), [nr] "r"(nr),				\
	  [shift] "i"(__builtin_ctz(sizeof(struct memcg_cpu_area))),	\
	  [lock] "i"(STOCK_OFF(lock.local)),				\
	  [cached] "i"(STOCK_OFF(stock.cached)),			\
	  [nr_pages] "i"(STOCK_OFF(stock.nr_pages)),			\
	  [nr_slots] "i"(NR_MEMCG_STOCK)				\
	: "rax", "rcx", "rdx", "cc", "memory"

static inline __attribute__((always_inline)) bool
consume_stock_rseq(struct memcg_engine *e, struct mem_cgroup *memcg,
		   unsigned nr)
{
	struct rseq *rs = rseq_area();

	__asm__ goto(STOCK_RSEQ("subl %[nr], %%edx\n\t"
				"jb %l[busy]\n\t")
		     :
		     STOCK_RSEQ_OPERANDS(e, memcg, nr, rs)
		     : busy);
	return true;
busy:
	return false;
}

static inline __attribute__((always_inline)) bool
refill_stock_rseq(struct memcg_engine *e, struct mem_cgroup *memcg,
		  unsigned nr)
{
	struct rseq *rs = rseq_area();

	__asm__ goto(STOCK_RSEQ("addl %[nr], %%edx\n\t"
				"cmpl $" PCPU_STR(MEMCG_CHARGE_BATCH) ", %%edx\n\t"
				"ja %l[busy]\n\t")
		     :
		     STOCK_RSEQ_OPERANDS(e, memcg, nr, rs)
		     : busy);
	return true;
busy:
	return false;
}
#else
static inline bool consume_stock_rseq(struct memcg_engine *e,
				      struct mem_cgroup *memcg, unsigned nr)
{
	(void)e, (void)memcg, (void)nr;
	return false;
}

static inline bool refill_stock_rseq(struct memcg_engine *e,
				     struct mem_cgroup *memcg, unsigned nr)
{
	(void)e, (void)memcg, (void)nr;
	return false;
}
#endif

/* Take @nr pages of @memcg from this CPU's stock, if it has them. */
static inline __attribute__((always_inline)) bool
consume_stock(struct mem_cgroup *memcg, unsigned nr)
{
	struct memcg_engine *e = memcg->engine;
	unsigned cpu;
	bool ok;

	if (e->rseq_locks)
		return consume_stock_rseq(e, memcg, nr);
	cpu = memcg_this_cpu(e);
	if (!memcg_cpu_trylock(e, cpu))
		return false;
	ok = consume_stock_locked(e, cpu, memcg, nr);
	memcg_cpu_unlock_trylocked(e, cpu);
	return ok;
}

/* Add @nr pages to the slot caching @memcg here, if it has room. */
static inline __attribute__((always_inline)) bool
refill_stock_fast(struct mem_cgroup *memcg, unsigned nr)
{
	struct memcg_engine *e = memcg->engine;
	struct memcg_stock_pcp *stock;
	unsigned cpu;
	bool ok = false;
	int i;

	if (e->rseq_locks)
		return refill_stock_rseq(e, memcg, nr);
	cpu = memcg_this_cpu(e);
	if (!memcg_cpu_trylock(e, cpu))
		return false;
	stock = &e->cpus[cpu].stock;
	i = stock_slot(stock, memcg);
	if (i >= 0 && stock->nr_pages[i] + nr <= MEMCG_CHARGE_BATCH) {
		stock->nr_pages[i] += (uint8_t)nr;
		ok = true;
	}
	memcg_cpu_unlock_trylocked(e, cpu);
	return ok;
}

void refill_stock_slow(struct mem_cgroup *memcg, unsigned nr);
void refill_stock_locked(struct memcg_engine *e, unsigned cpu,
			 struct mem_cgroup *memcg, unsigned nr);

/**
 * refill_stock - cache @nr pre-charged pages of @memcg on this CPU
 * @memcg: cgroup the pages are charged to
 * @nr: pages; more than a batch, or a busy stock, uncharges them instead
 */
static inline void refill_stock(struct mem_cgroup *memcg, unsigned nr)
{
	/* never the fast paths past a batch: their 32-bit sums would wrap */
	if (nr > MEMCG_CHARGE_BATCH || !refill_stock_fast(memcg, nr))
		refill_stock_slow(memcg, nr);
}

#endif /* MEMCG_CORE_STOCK_H */
