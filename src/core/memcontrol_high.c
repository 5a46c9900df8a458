// SPDX-License-Identifier: MIT
/*
 * memory.high: a charge that leaves a cgroup (or an ancestor) over its
 * high boundary is paid for on the way back to the task, by reclaim and
 * then a throttling delay that grows with the square of the overage
 * (__mem_cgroup_handle_over_high). The delay is spent on the engine's
 * clock: really slept in real time, advanced on the simulator's virtual
 * clock.
 */
#include "core/clock.h"
#include "core/psi.h"
#include "mm/oom.h"

#define HZ 1000				/* the kernel table's; Debian's 250 rounds lower */
#define MEMCG_DELAY_PRECISION_SHIFT 20
#define MEMCG_DELAY_SCALING_SHIFT 14
#define MEMCG_MAX_HIGH_DELAY_JIFFIES (2 * HZ)
#define MAX_RECLAIM_RETRIES 16
#define SWAP_CLUSTER_MAX 32

/* (usage - high) / high, in fixed point with 20 fractional bits */
static uint64_t calculate_overage(long usage, long high)
{
	if (usage <= high)
		return 0;
	if (high < 1)
		high = 1;
	return ((uint64_t)(usage - high) << MEMCG_DELAY_PRECISION_SHIFT) /
	       (uint64_t)high;
}

static uint64_t max_overage(struct mem_cgroup *memcg, bool swap)
{
	uint64_t max = 0;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		struct page_counter *c = swap ? &memcg->swap : &memcg->memory;
		uint64_t ov = calculate_overage(page_counter_read(c),
						atomic_load(&c->high));

		if (swap && ov)
			memcg_memory_event(memcg, MEMCG_SWAP_HIGH);
		if (ov > max)
			max = ov;
	}
	return max;
}

static uint64_t delay_jiffies(uint64_t overage, long nr_pages)
{
	uint64_t penalty;

	if (!overage)
		return 0;
	penalty = overage * overage * HZ;
	penalty >>= MEMCG_DELAY_PRECISION_SHIFT;
	penalty >>= MEMCG_DELAY_SCALING_SHIFT;
	return penalty * (uint64_t)nr_pages / MEMCG_CHARGE_BATCH;
}

/**
 * calculate_high_delay_ms - the throttle for @nr_pages charged over high
 * @memcg: cgroup charged
 * @nr_pages: pages charged while over high
 *
 * Return: milliseconds, at most 2000.
 */
uint64_t calculate_high_delay_ms(struct mem_cgroup *memcg, long nr_pages)
{
	uint64_t j = delay_jiffies(max_overage(memcg, false), nr_pages) +
		     delay_jiffies(max_overage(memcg, true), nr_pages);

	if (j > MEMCG_MAX_HIGH_DELAY_JIFFIES)
		j = MEMCG_MAX_HIGH_DELAY_JIFFIES;
	return j * 1000 / HZ;
}

/**
 * reclaim_high - reclaim every level over its memory.high, raising "high"
 * @memcg: cgroup charged
 * @nr_pages: pages to aim for on each level
 * @gfp: MEMCG_GFP_* flags
 *
 * Return: pages reclaimed.
 */
long reclaim_high(struct mem_cgroup *memcg, long nr_pages, unsigned gfp)
{
	long reclaimed = 0;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		if (page_counter_read(&memcg->memory) <=
		    atomic_load(&memcg->memory.high))
			continue;
		memcg_memory_event(memcg, MEMCG_HIGH);
		reclaimed += try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp,
							  MEMCG_RECLAIM_MAY_SWAP, -1);
	}
	return reclaimed;
}

__thread struct over_high current_over_high
	__attribute__((tls_model("initial-exec")));

/**
 * mem_cgroup_note_over_high - after a charge: remember what was charged
 * over a high boundary, to be paid by memcg_handle_over_high()
 * @memcg: cgroup charged
 * @batch: pages charged to the counters
 */
void mem_cgroup_note_over_high(struct mem_cgroup *memcg, unsigned batch)
{
	struct over_high *oh = &current_over_high;
	struct mem_cgroup *m;

	for (m = memcg; m && !mem_cgroup_is_root(m); m = m->parent) {
		bool mem_high = page_counter_read(&m->memory) >
				atomic_load(&m->memory.high);
		bool swap_high = !m->engine->v1 && page_counter_read(&m->swap) >
				 atomic_load(&m->swap.high);

		if (!mem_high && !swap_high)
			continue;
		if (!oh->memcg) {
			css_get(memcg);
			oh->e = memcg->engine;
			oh->memcg = memcg;
		}
		if (oh->e == memcg->engine)
			oh->nr_pages += batch;
		return;
	}
}

static void __handle_over_high(struct memcg_engine *e,
			       struct mem_cgroup *memcg, long nr_pages)
{
	int nr_retries = MAX_RECLAIM_RETRIES;
	bool in_retry = false;
	long reclaimed;
	uint64_t penalty_ms;

	for (;;) {
		reclaimed = reclaim_high(memcg, in_retry ? SWAP_CLUSTER_MAX :
					 nr_pages, MEMCG_GFP_KERNEL);
		penalty_ms = calculate_high_delay_ms(memcg, nr_pages);
		if (penalty_ms <= 1000 / 100)
			return;		/* too small to sleep for */
		if (!reclaimed && !nr_retries--)
			break;
		in_retry = true;
		if (task_is_dying())
			return;
	}
	memcg_clock_sleep(e, penalty_ms * 1000000ULL);
}

/*
 * Reclaim, then the penalty: __mem_cgroup_handle_over_high(). The thread
 * stalls on memory (PSI) for all of it, reclaim and sleep alike.
 */
static void handle_over_high(struct memcg_engine *e, struct mem_cgroup *memcg,
			     long nr_pages)
{
	struct psi_stall stall;

	psi_memstall_enter(memcg, &stall);
	__handle_over_high(e, memcg, nr_pages);
	psi_memstall_leave(&stall);
}

/**
 * mem_cgroup_handle_over_high - pay for this thread's charges over
 * memory.high: reclaim, then sleep on the engine clock
 * @e: engine
 *
 * The cgroup throttled is the thread's victim's (the kernel's current
 * task's), else the one whose charge went over.
 */
void mem_cgroup_handle_over_high(struct memcg_engine *e)
{
	struct over_high oh = current_over_high;
	struct mem_cgroup *memcg;

	if (!oh.memcg || oh.e != e)
		return;
	current_over_high = (struct over_high){ 0 };
	memcg = current_victim_memcg(e);
	if (!memcg) {
		css_get(oh.memcg);
		memcg = oh.memcg;
	}
	if (oh.nr_pages)
		handle_over_high(e, memcg, oh.nr_pages);
	css_put(memcg);
	css_put(oh.memcg);
}

void mem_cgroup_return_to_user_slow(struct memcg_engine *e, unsigned gfp)
{
	if (!current_victim && !(gfp & MEMCG_GFP_NOWAIT))
		mem_cgroup_handle_over_high(e);
}

void memcg_handle_over_high(struct memcg_engine *e)
{
	if (e)
		mem_cgroup_handle_over_high(e);
}
