// SPDX-License-Identifier: MIT
/*
 * Whether rseq per-CPU locks can be used, and the fence remote lockers
 * need: membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) restarts every
 * rseq critical section running on a CPU.
 */
#include <errno.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/percpu.h"

static unsigned nr_possible_cpus;	/* set by pcpu_rseq_available() */

static int membarrier(int cmd, unsigned flags, int cpu)
{
	return (int)syscall(__NR_membarrier, cmd, flags, cpu);
}

/**
 * pcpu_rseq_available - whether this process can use rseq-mode locks
 *
 * Needs the architecture's sequence, glibc's rseq registration for the
 * calling thread, and the process registered for membarrier RSEQ.
 */
bool pcpu_rseq_available(void)
{
	int cmds;

	if (!PCPU_HAVE_RSEQ || __rseq_size == 0)
		return false;
	if ((int)atomic_load_explicit(
		    (const _Atomic unsigned *)&rseq_area()->cpu_id,
		    memory_order_relaxed) < 0)
		return false;
	cmds = membarrier(MEMBARRIER_CMD_QUERY, 0, 0);
	if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ))
		return false;
	__atomic_store_n(&nr_possible_cpus,
			 (unsigned)sysconf(_SC_NPROCESSORS_CONF), __ATOMIC_RELAXED);
	return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ,
			  0, 0) == 0;
}

static void fence(unsigned flags, int cpu)
{
	if (!membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, flags, cpu) ||
	    errno == EINVAL)
		return;
	if (errno == EPERM &&
	    !membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0) &&
	    !membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, flags, cpu))
		return;
	fprintf(stderr, "libmemcg: membarrier RSEQ failed: %m\n");
	abort();
}

/**
 * pcpu_rseq_fence - abort the rseq critical sections running on @cpu
 * @cpu: CPU
 *
 * On return, a sequence on @cpu either committed before (its stores are
 * visible) or will restart and see the caller's earlier stores. A CPU
 * the machine does not have runs nothing: no fence (the kernel would
 * say EINVAL). A child of fork() is not registered yet: register it and
 * retry. Failing that, the locks cannot be trusted.
 */
void pcpu_rseq_fence(unsigned cpu)
{
	if (cpu >= __atomic_load_n(&nr_possible_cpus, __ATOMIC_RELAXED))
		return;
	fence(MEMBARRIER_CMD_FLAG_CPU, (int)cpu);
}

/**
 * pcpu_rseq_fence_all - pcpu_rseq_fence() on every CPU, in one system call
 */
void pcpu_rseq_fence_all(void)
{
	fence(0, 0);
}
