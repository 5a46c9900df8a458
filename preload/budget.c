// SPDX-License-Identifier: MIT
/*
 * A thread's budget: bytes charged ahead to its cgroup, as the kernel's
 * per-CPU stock holds pages. A charge the budget cannot cover charges the
 * missing pages plus PRELOAD_REFILL more in one memcg_charge_pages() call
 * (the padding first without reclaim, then the exact need through the
 * whole charge path), then pays for going over memory.high, as the kernel
 * does on the way back to user space. A free that lifts the budget over
 * PRELOAD_HIGH gives whole pages back down to PRELOAD_LOW. A budget so
 * stays between 0 and one batch (PRELOAD_BATCH pages): that is how far
 * memory.current may lag behind the thread's live blocks. A thread's exit, memcg_thread_flush()
 * and memcg_thread_attach() give the whole budget back (owners.c keeps
 * the part of a page left over).
 */
#include <errno.h>

#include "shim.h"

static unsigned long pages_for(long bytes)
{
	return (unsigned long)((bytes + PRELOAD_PAGE - 1) / PRELOAD_PAGE);
}

/* Charge what @t's budget lacks for @bytes, and a refill. */
static int budget_refill(struct preload_thread *t, size_t bytes, bool nofail)
{
	struct mem_cgroup *memcg = preload_owner_memcg(t->slot);
	unsigned long need = pages_for((long)bytes - t->budget);
	int err;

	preload_enter(t);
	err = memcg_charge_pages(memcg, need + PRELOAD_REFILL, MEMCG_GFP_NOWAIT);
	if (!err)
		need += PRELOAD_REFILL;
	else
		err = memcg_charge_pages(memcg, need, nofail ? MEMCG_GFP_NOFAIL :
					 MEMCG_GFP_KERNEL);
	preload_leave(t);
	if (err)
		return err;
	t->budget += (long)need * PRELOAD_PAGE - (long)bytes;
	preload_pay_over_high(t->slot);
	return 0;
}

/**
 * preload_charge_slow - preload_charge() when the budget cannot take it
 * @t: the calling thread
 * @bytes: bytes
 * @nofail: force the charge past memory.max
 *
 * Return: the slot charged, 0 when nothing is (inside the shim, or an
 * unaccounted thread), or -ENOMEM.
 */
int preload_charge_slow(struct preload_thread *t, size_t bytes, bool nofail)
{
	int err;

	if (t->depth)
		return 0;
	if (t->state == PT_NEW)
		preload_thread_start(t);
	switch (t->state) {
	case PT_ACCOUNTED:
		if (t->budget >= (long)bytes) {
			t->budget -= (long)bytes;
			return t->slot;
		}
		err = budget_refill(t, bytes, nofail);
		return err ? -ENOMEM : t->slot;
	case PT_EXITING:
		err = preload_pool_charge(t->slot, bytes, nofail);
		return err ? -ENOMEM : t->slot;
	default:
		return 0;
	}
}

/**
 * preload_uncharge_slow - preload_uncharge() of another cgroup's bytes,
 * or from a thread with no budget: through the cgroup's remainder
 * @t: the calling thread
 * @slot: the cgroup's slot
 * @bytes: bytes
 */
void preload_uncharge_slow(struct preload_thread *t, unsigned slot,
			   size_t bytes)
{
	preload_pool_uncharge(slot, bytes);
}

/**
 * preload_budget_drain - give whole pages back, down to PRELOAD_LOW
 * @t: the calling thread, over PRELOAD_HIGH
 */
void preload_budget_drain(struct preload_thread *t)
{
	long pages = (t->budget - PRELOAD_LOW) / PRELOAD_PAGE;

	t->budget -= pages * PRELOAD_PAGE;
	preload_enter(t);
	memcg_uncharge_pages(preload_owner_memcg(t->slot), (unsigned long)pages);
	preload_leave(t);
}

/**
 * preload_budget_flush - give the whole budget back
 * @t: the calling thread
 */
void preload_budget_flush(struct preload_thread *t)
{
	long bytes = t->budget;

	t->budget = 0;
	if (t->slot && bytes > 0)
		preload_pool_uncharge(t->slot, (size_t)bytes);
}

/**
 * preload_charge_slot - the slot a charge from @t would go to now
 * @t: the calling thread
 *
 * Return: the slot, or 0 if the thread's charges are not accounted.
 */
unsigned preload_charge_slot(struct preload_thread *t)
{
	if (t->depth)
		return 0;
	if (t->state == PT_NEW)
		preload_thread_start(t);
	if (t->state == PT_ACCOUNTED || t->state == PT_EXITING)
		return t->slot;
	return 0;
}
