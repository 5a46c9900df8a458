// SPDX-License-Identifier: MIT
/*
 * Pressure stall information for memory: stall accounting, the running
 * averages and memory.pressure's text. psi.h describes the model; the
 * triggers and their poll worker are in psi_trigger.c.
 */
#include <stdio.h>

#include "core/cgroup.h"
#include "core/cgroupfs.h"
#include "core/clock.h"
#include "core/memcontrol.h"
#include "core/psi.h"

/* PSI_FREQ: one averaging period */
#define PSI_PERIOD_NS	2000000000ULL

/* Fixed-point decay per period, 1 / exp(2 s / 10 s, 60 s, 300 s). */
#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
#define EXP_10s		1677
#define EXP_60s		1981
#define EXP_300s	2034
#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

#define BIT(s)		(1u << (s))

static __thread bool in_memstall;

void psi_group_init(struct psi_group *group, struct psi_group *parent,
		    struct mem_cgroup *memcg, uint64_t now)
{
	pthread_mutex_init(&group->lock, NULL);
	group->parent = parent;
	group->memcg = memcg;
	group->engine = memcg->engine;
	group->state_start = now;
	group->last_now = now;
	group->avg_last_update = now;
	group->avg_next_update = now + PSI_PERIOD_NS;
	group->avgs_work_at = PSI_NEVER;
	CDS_INIT_LIST_HEAD(&group->triggers);
	group->poll_min_period = PSI_NEVER;
	group->polling_next_update = PSI_NEVER;
	group->polling_until = 0;
	group->poll_work_at = PSI_NEVER;
}

void psi_group_destroy(struct psi_group *group)
{
	if (!cds_list_empty(&group->triggers) || group->nr_memstall)
		fprintf(stderr, "libmemcg: psi group freed with a trigger or "
			"a stall\n");
	pthread_mutex_destroy(&group->lock);
}

/*
 * @now, read from the engine clock before taking the lock (a client's
 * clock runs with no engine lock held), but never before a time this
 * group already saw: another thread may have read the clock later and
 * locked first.
 */
uint64_t psi_group_now(struct psi_group *group, uint64_t now)
{
	if (now < group->last_now)
		now = group->last_now;
	group->last_now = now;
	return now;
}

/* Each state's time up to @now: the state has not changed since start. */
static void psi_times_at(const struct psi_group *group, uint64_t now,
			 uint64_t *times)
{
	uint64_t start = group->state_start;
	uint64_t delta = now > start ? now - start : 0;
	int s;

	for (s = 0; s < NR_PSI_STATES; s++)
		times[s] = group->times[s] +
			   (group->state_mask & BIT(s) ? delta : 0);
}

/**
 * psi_collect - fold the times up to @now into @aggregator's totals
 * @group: group, locked
 * @aggregator: PSI_AVGS or PSI_POLL
 * @now: time
 *
 * Return: the states whose time grew since that aggregator's last collect.
 */
uint32_t psi_collect(struct psi_group *group, enum psi_aggregators aggregator,
		     uint64_t now)
{
	uint64_t times[NR_PSI_STATES];
	uint32_t changed = 0;
	int s;

	psi_times_at(group, now, times);
	for (s = 0; s < NR_PSI_STATES; s++) {
		if (times[s] != group->total[aggregator][s])
			changed |= BIT(s);
		group->total[aggregator][s] = times[s];
	}
	return changed;
}

static void record_times(struct psi_group *group, uint64_t now)
{
	psi_times_at(group, now, group->times);
	group->state_start = now;
}

/* One step of exponential decay towards @active, rounding up when rising. */
static unsigned long calc_load(unsigned long load, unsigned long exp,
			       unsigned long active)
{
	unsigned long next = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		next += FIXED_1 - 1;
	return next / FIXED_1;
}

/* @x to the power @n, both fixed point with @frac_bits, rounded per step. */
static unsigned long fixed_power_int(unsigned long x, unsigned frac_bits,
				     unsigned n)
{
	unsigned long result = 1UL << frac_bits, half = 1UL << (frac_bits - 1);

	while (n) {
		if (n & 1)
			result = (result * x + half) >> frac_bits;
		n >>= 1;
		if (n)
			x = (x * x + half) >> frac_bits;
	}
	return result;
}

/* @n steps of decay at once. */
static unsigned long calc_load_n(unsigned long load, unsigned long exp,
				 unsigned long active, unsigned n)
{
	return calc_load(load, fixed_power_int(exp, FSHIFT, n), active);
}

static void calc_avgs(unsigned long avg[3], unsigned missed_periods,
		      uint64_t time, uint64_t period)
{
	static const unsigned long exps[3] = { EXP_10s, EXP_60s, EXP_300s };
	unsigned long pct = (unsigned long)(time * 100 / period) * FIXED_1;
	int w;

	for (w = 0; w < 3; w++) {
		if (missed_periods)	/* periods with nothing to sample */
			avg[w] = calc_load_n(avg[w], exps[w], 0,
					     missed_periods);
		avg[w] = calc_load(avg[w], exps[w], pct);
	}
}

/*
 * Feed the stall time collected since the last update into the averages.
 * The sample is 64 bits: the kernel's u32 relies on its worker running
 * every period, and a replayed or late update may cover more.
 */
static uint64_t update_averages(struct psi_group *group, uint64_t now)
{
	uint64_t expires = group->avg_next_update, period, missed = 0;
	uint64_t next;
	int s;

	if (now - expires >= PSI_PERIOD_NS)
		missed = (now - expires) / PSI_PERIOD_NS;
	/* stay on the fixed grid of periods, sample what really elapsed */
	next = expires + (1 + missed) * PSI_PERIOD_NS;
	period = now - (group->avg_last_update + missed * PSI_PERIOD_NS);
	group->avg_last_update = now;
	for (s = 0; s < NR_PSI_STATES - 1; s++) {
		uint64_t sample = group->total[PSI_AVGS][s] -
				  group->avg_total[s];

		/* more than the period slips into the next one */
		if (sample > period)
			sample = period;
		group->avg_total[s] += sample;
		calc_avgs(group->avg[s], (unsigned)missed, sample, period);
	}
	return next;
}

/* The averages worker's run at @now (psi_avgs_work()). */
static void psi_avgs_work(struct psi_group *group, uint64_t now)
{
	uint32_t changed = psi_collect(group, PSI_AVGS, now);

	if (now >= group->avg_next_update)
		group->avg_next_update = update_averages(group, now);
	/* an idle period stops the clock; the next touch catches up */
	group->avgs_work_at = changed & BIT(PSI_NONIDLE) ?
			      group->avg_next_update : PSI_NEVER;
}

static void psi_avgs_advance(struct psi_group *group, uint64_t now)
{
	while (group->avgs_work_at <= now) {
		uint64_t at = group->avgs_work_at;

		if ((now - at) / PSI_PERIOD_NS > PSI_MAX_REPLAY)
			at = now;
		psi_avgs_work(group, at);
	}
}

/* Replay both workers up to @now; group locked. */
void psi_group_advance(struct psi_group *group, uint64_t now)
{
	psi_avgs_advance(group, now);
	psi_poll_advance(group, now);
}

void psi_group_sync(struct psi_group *group)
{
	uint64_t now = memcg_clock_now(group->engine);

	pthread_mutex_lock(&group->lock);
	psi_group_advance(group, psi_group_now(group, now));
	pthread_mutex_unlock(&group->lock);
}

/* SOME, FULL and NONIDLE from the stalled threads and the subtree's tasks. */
static unsigned test_states(struct psi_group *group)
{
	unsigned nr = group->nr_memstall, mask;

	if (!nr)
		return 0;
	mask = BIT(PSI_MEM_SOME) | BIT(PSI_NONIDLE);
	if (mem_cgroup_nr_tasks(group->memcg, nr) <= (long)nr)
		mask |= BIT(PSI_MEM_FULL);
	return mask;
}

/* One thread more (@delta 1) or less (-1) stalled in @group at @now. */
static void psi_group_change(struct psi_group *group, int delta, uint64_t now)
{
	pthread_mutex_lock(&group->lock);
	now = psi_group_now(group, now);
	psi_group_advance(group, now);
	record_times(group, now);
	if (delta > 0 || group->nr_memstall)
		group->nr_memstall += delta;
	group->state_mask = test_states(group);
	if (group->state_mask & group->poll_states)
		psi_schedule_poll_work(group, now);
	if (group->avgs_work_at == PSI_NEVER)
		group->avgs_work_at = now + PSI_PERIOD_NS;
	pthread_mutex_unlock(&group->lock);
}

static void psi_task_change(struct mem_cgroup *memcg, int delta)
{
	uint64_t now = memcg_clock_now(memcg->engine);
	struct psi_group *group;

	for (group = cgroup_psi(memcg); group; group = group->parent) {
		struct psi_group *next = group->parent;

		/*
		 * Up a deep chain each level is out of cache: fetch the
		 * next group's two lines and its cgroup's task count (which
		 * a stall entering reads) while this one is changed.
		 */
		if (next) {
			__builtin_prefetch(next, 1);
			__builtin_prefetch((char *)next + 64, 1);
			if (delta > 0)
				__builtin_prefetch(&next->memcg->nr_tasks_subtree);
		}
		psi_group_change(group, delta, now);
	}
}

void psi_memstall_enter(struct mem_cgroup *memcg, struct psi_stall *s)
{
	s->memcg = NULL;
	if (!memcg || in_memstall || memcg->engine->v1)
		return;
	if (!memcg_cgroup_alloc(memcg))
		return;		/* no memory: this stall goes unseen */
	in_memstall = true;
	css_get(memcg);
	s->memcg = memcg;
	psi_task_change(memcg, 1);
}

void psi_memstall_leave(struct psi_stall *s)
{
	struct mem_cgroup *memcg = s->memcg;

	if (!memcg)
		return;
	psi_task_change(memcg, -1);
	s->memcg = NULL;
	in_memstall = false;
	css_put(memcg);
}

void psi_show(struct seqbuf *s, struct psi_group *group)
{
	unsigned long avg[NR_PSI_STATES - 1][3] = { { 0 } };
	uint64_t total[NR_PSI_STATES - 1] = { 0 };
	int full, w;

	if (group) {
		uint64_t now = memcg_clock_now(group->engine);

		pthread_mutex_lock(&group->lock);
		now = psi_group_now(group, now);
		psi_group_advance(group, now);
		psi_collect(group, PSI_AVGS, now);
		if (now >= group->avg_next_update)
			group->avg_next_update = update_averages(group, now);
		for (full = 0; full < 2; full++) {
			total[full] = group->total[PSI_AVGS][full];
			for (w = 0; w < 3; w++)
				avg[full][w] = group->avg[full][w];
		}
		pthread_mutex_unlock(&group->lock);
	}
	for (full = 0; full < 2; full++)
		seq_printf(s, "%s avg10=%lu.%02lu avg60=%lu.%02lu "
			   "avg300=%lu.%02lu total=%llu\n",
			   full ? "full" : "some",
			   LOAD_INT(avg[full][0]), LOAD_FRAC(avg[full][0]),
			   LOAD_INT(avg[full][1]), LOAD_FRAC(avg[full][1]),
			   LOAD_INT(avg[full][2]), LOAD_FRAC(avg[full][2]),
			   (unsigned long long)(total[full] / 1000));
}
