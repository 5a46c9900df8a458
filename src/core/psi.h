/* SPDX-License-Identifier: MIT */
/*
 * Pressure stall information for memory: the kernel's kernel/sched/psi.c,
 * for the memory resource, per cgroup and hierarchical. memory.pressure
 * (cgroupfs_psi.c) shows a group; its triggers are in psi_trigger.c.
 *
 * The model
 *
 * A thread stalls on memory between psi_memstall_enter() and
 * psi_memstall_leave(): the engine calls them around reclaim in the
 * charge path and around memory.high throttling, for the cgroup of the
 * charging thread (the kernel's current task). A stall in a cgroup is a
 * stall in each of its ancestors' groups up to the root, whose group is
 * the whole engine (the kernel's psi_system).
 *
 * Each group has one state, like a one-CPU machine (the kernel keeps one
 * per CPU and weighs them by non-idle time):
 *
 *	nonidle = max(threads stalled, tasks attached to the subtree, 1)
 *	SOME    = threads stalled > 0
 *	FULL    = threads stalled > 0 && threads stalled == nonidle
 *
 * "Tasks attached to the subtree" is memcg_attach_task()'s nr_tasks summed
 * over the cgroup and its descendants. It is sampled when a stall enters
 * or leaves the group: an attach or detach during a stall takes effect at
 * the next enter or leave. A library without tasks has nonidle 1: one
 * stalled thread is FULL.
 *
 * Stall time is measured on the engine clock (memcg_clock_now()): totals
 * in nanoseconds, shown in microseconds.
 *
 * The kernel's workers, replayed lazily
 *
 * The kernel folds the stall times into the running averages from a
 * worker that runs every PSI_FREQ while the group is active, and checks
 * triggers from a poll worker every window / 10 while stall time grows.
 * Here nothing runs in the background: a group replays, in time order,
 * the runs those workers would have made, whenever it is touched (a stall
 * entering or leaving it or a descendant, a read of its memory.pressure,
 * memcg_file_pollfd() on one). The state is constant between two
 * touches, so the replayed runs see the exact stall time at their own
 * instant. Consequences:
 * - averages are exactly the kernel's formula with an on-time worker;
 *   the worker stops after a run that saw no stall time, and the next
 *   touch catches up in one go (missed periods), as the kernel's does;
 * - a trigger event that falls inside a long stall is signalled when the
 *   stall leaves (or at the next read or pollfd), not at its instant.
 *
 * Timing: PSI_FREQ is 2 s exactly (the kernel's 2*HZ+1 jiffies are
 * 2.001 s at HZ=1000), the poll worker's "one jiffy" delay after a state
 * change is 1 ms, and the workers' reschedules are on time (the kernel
 * adds a jiffy). A group's periods start when the group is allocated:
 * its cgroup's first stall, or the first stall, event, memory.events read,
 * pollfd or trigger of it or a descendant (the kernel's, at mkdir).
 *
 * Nesting: per thread. A stall entered while the thread is already in one
 * is not counted again (the kernel's in_memstall).
 *
 * Locking: each group has a mutex. Enter and leave update the groups from
 * the cgroup up to the root, one lock at a time; readers take one. The
 * engine clock (maybe a client's callback) is read before the lock, and a
 * group never lets time go back (psi_group_now()).
 *
 * cgroup v1 engines have no memory.pressure: stalls are not accounted.
 */
#ifndef MEMCG_CORE_PSI_H
#define MEMCG_CORE_PSI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <urcu/list.h>

struct mem_cgroup;
struct memcg_engine;
struct seqbuf;

/* The kernel's psi_states, memory only. */
enum psi_states {
	PSI_MEM_SOME,
	PSI_MEM_FULL,
	PSI_NONIDLE,		/* tells the averages worker to go on */
	NR_PSI_STATES,
};

/* Who collects the totals: the averages worker and readers, or triggers. */
enum psi_aggregators {
	PSI_AVGS,
	PSI_POLL,
	NR_PSI_AGGREGATORS,
};

#define PSI_NEVER UINT64_MAX

/* A trigger's tracking window (psi_trigger.c). */
struct psi_window {
	uint64_t size;
	uint64_t start_time;
	uint64_t start_value;
	uint64_t prev_growth;
};

/**
 * struct psi_trigger - "some|full THRESHOLD WINDOW" written to an open
 * memory.pressure; signals @efd at most once per window
 */
struct psi_trigger {
	struct cds_list_head node;	/* in group->triggers */
	struct psi_group *group;
	enum psi_states state;
	uint64_t threshold;		/* ns */
	struct psi_window win;
	int efd;			/* the open file's eventfd */
	uint64_t last_event_time;
	bool fired;			/* last_event_time is valid */
	bool pending_event;
};

/**
 * struct psi_trigger_params - a parsed trigger write
 * @state: PSI_MEM_SOME or PSI_MEM_FULL
 * @threshold_us: stall time within the window that fires
 * @window_us: the window
 */
struct psi_trigger_params {
	enum psi_states state;
	uint32_t threshold_us;
	uint32_t window_us;
};

/**
 * struct psi_group - one cgroup's pressure (struct cgroup's psi)
 *
 * Every field is under @lock.
 */
struct psi_group {
	/*
	 * A stall enters and leaves every group up to the root: what that
	 * touches comes first, the lock and the state in two cache lines
	 * on x86-64 glibc, the averages and triggers after.
	 */
	pthread_mutex_t lock;
	struct psi_group *parent;
	struct mem_cgroup *memcg;
	uint64_t last_now;		/* latest time seen */

	/* the current state, and the times it accrued before state_start */
	unsigned nr_memstall;
	unsigned state_mask;
	uint64_t state_start;
	uint64_t times[NR_PSI_STATES];
	uint64_t avgs_work_at;		/* next averages run or PSI_NEVER */
	unsigned poll_states;
	uint64_t poll_work_at;		/* next poll run or PSI_NEVER */

	struct memcg_engine *engine;

	/* times as each aggregator last collected them */
	uint64_t total[NR_PSI_AGGREGATORS][NR_PSI_STATES];

	/* running averages (fixed point, FSHIFT bits) */
	uint64_t avg_total[NR_PSI_STATES - 1];
	uint64_t avg_last_update;
	uint64_t avg_next_update;
	unsigned long avg[NR_PSI_STATES - 1][3];

	/* triggers and the poll worker */
	struct cds_list_head triggers;
	unsigned nr_triggers[NR_PSI_STATES - 1];
	uint64_t poll_min_period;
	uint64_t polling_total[NR_PSI_STATES - 1];
	uint64_t polling_next_update;
	uint64_t polling_until;
};

/**
 * struct psi_stall - one thread's stall, from enter to leave
 * @memcg: the cgroup stalled, with a reference; NULL when not counted
 *         (nested in another stall, v1, or no memory for the group)
 */
struct psi_stall {
	struct mem_cgroup *memcg;
};

/**
 * psi_memstall_enter - the calling thread starts stalling on memory
 * @memcg: the thread's cgroup (the charging task's, not the ancestor
 *         whose limit is hit); the caller holds a reference
 * @s: the stall, kept by the caller until psi_memstall_leave()
 */
void psi_memstall_enter(struct mem_cgroup *memcg, struct psi_stall *s);

/**
 * psi_memstall_leave - the stall entered with @s ends
 * @s: the stall
 */
void psi_memstall_leave(struct psi_stall *s);

/**
 * psi_group_init - a new group, for a cgroup's lazily allocated state
 * @group: the group
 * @parent: the parent cgroup's group, or NULL for the root
 * @memcg: its cgroup
 * @now: the engine clock
 */
void psi_group_init(struct psi_group *group, struct psi_group *parent,
		    struct mem_cgroup *memcg, uint64_t now);

/** psi_group_destroy - free a group with no stall and no trigger left */
void psi_group_destroy(struct psi_group *group);

/**
 * psi_show - print memory.pressure, the kernel's two lines
 * @s: output
 * @group: the group, or NULL for a cgroup that never stalled (zeros)
 */
void psi_show(struct seqbuf *s, struct psi_group *group);

/**
 * psi_group_sync - replay the group's workers up to now; may fire triggers
 * @group: the group
 */
void psi_group_sync(struct psi_group *group);

/* A worker this many periods late runs once, as a delayed kernel worker. */
#define PSI_MAX_REPLAY 100000

/* psi.c, for psi_trigger.c; call with group->lock held */
uint64_t psi_group_now(struct psi_group *group, uint64_t now);
void psi_group_advance(struct psi_group *group, uint64_t now);
uint32_t psi_collect(struct psi_group *group, enum psi_aggregators aggregator,
		     uint64_t now);

/* psi_trigger.c; call with group->lock held */
void psi_poll_advance(struct psi_group *group, uint64_t now);
void psi_schedule_poll_work(struct psi_group *group, uint64_t now);

/**
 * psi_trigger_parse - parse a trigger write as the kernel does
 * @buf: the text written, unstripped
 * @any_window: 6.12's rule, for a privileged writer: any window from 1 us
 *              (6.1: from 500 ms)
 * @params: the result
 *
 * Return: 0, or -EINVAL (no "some|full N N", a window of 0, below 500 ms
 * under 6.1's rule or above 10 s, a threshold of 0 or above the window).
 */
int psi_trigger_parse(const char *buf, bool any_window,
		      struct psi_trigger_params *params);

/**
 * psi_trigger_create - arm a trigger on @group
 * @group: the group
 * @params: from psi_trigger_parse()
 * @efd: the eventfd to signal; it outlives the trigger
 * @out: the trigger
 *
 * Return: 0 or -ENOMEM.
 */
int psi_trigger_create(struct psi_group *group,
		       const struct psi_trigger_params *params, int efd,
		       struct psi_trigger **out);

/** psi_trigger_destroy - disarm and free a trigger (NULL: nothing) */
void psi_trigger_destroy(struct psi_trigger *t);

#endif /* MEMCG_CORE_PSI_H */
