// SPDX-License-Identifier: MIT
/*
 * PSI triggers: "some|full THRESHOLD WINDOW" on an open memory.pressure.
 *
 * As the kernel's: while a watched state's stall time grows, a poll worker
 * runs every window / 10 (the smallest of the group's triggers), measures
 * each trigger's growth over a window that slides by interpolating the
 * previous window's growth, and signals a trigger whose growth reaches its
 * threshold, at most once per window; a breach within that window is kept
 * pending and signalled when the window is over. The worker starts one
 * "jiffy" (1 ms) after a state change into a watched state, and stops
 * after a window with no growth. It is replayed lazily (psi.h).
 *
 * The kernel's limits as of Linux 6.1 (the oracle's kernel): window
 * 500 ms..10 s for everyone (6.5 dropped the minimum and let unprivileged
 * writers use multiples of 2 s; we are the privileged writer).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/eventfd.h>

#include "core/clock.h"
#include "core/psi.h"

#define WINDOW_MIN_US		500000
#define WINDOW_MAX_US		10000000
#define UPDATES_PER_WINDOW	10
#define PSI_POLL_DELAY_NS	1000000ULL	/* one jiffy */

#define BIT(s)			(1u << (s))

/* The kernel's isspace(): its ctype also counts 0xa0 as a space. */
static bool kernel_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static const char *skip_spaces(const char *s)
{
	while (kernel_isspace((unsigned char)*s))
		s++;
	return s;
}

/* simple_strtoul(s, &end, 10), wrapping silently, kept in an unsigned int. */
static uint32_t parse_u32(const char **s)
{
	const char *p = *s;
	uint64_t v = 0;

	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	*s = p;
	return (uint32_t)v;
}

/*
 * sscanf(@s, "<word> %u %u") as the kernel's vsscanf(): the word must
 * start the text, blanks before each number are optional, anything after
 * the second number is ignored. Returns the numbers converted.
 */
static int scan_trigger(const char *s, const char *word, uint32_t v[2])
{
	int n;

	while (*word)
		if (*s++ != *word++)
			return 0;
	for (n = 0; n < 2; n++) {
		s = skip_spaces(s);
		if (*s < '0' || *s > '9')
			return n;
		v[n] = parse_u32(&s);
	}
	return 2;
}

int psi_trigger_parse(const char *buf, bool any_window,
		      struct psi_trigger_params *params)
{
	uint32_t min_window = any_window ? 1 : WINDOW_MIN_US;
	uint32_t v[2];

	if (scan_trigger(buf, "some", v) == 2)
		params->state = PSI_MEM_SOME;
	else if (scan_trigger(buf, "full", v) == 2)
		params->state = PSI_MEM_FULL;
	else
		return -EINVAL;
	params->threshold_us = v[0];
	params->window_us = v[1];
	if (v[1] < min_window || v[1] > WINDOW_MAX_US)
		return -EINVAL;
	if (v[0] == 0 || v[0] > v[1])
		return -EINVAL;
	return 0;
}

static void window_reset(struct psi_window *win, uint64_t now, uint64_t value,
			 uint64_t prev_growth)
{
	win->start_time = now;
	win->start_value = value;
	win->prev_growth = prev_growth;
}

/*
 * Growth over the last window: since the window's start, plus the share
 * of the previous window's growth that the sliding window still covers.
 * As the kernel, the remaining time is 32 bits and the product 64.
 */
static uint64_t window_update(struct psi_window *win, uint64_t now,
			      uint64_t value)
{
	uint64_t elapsed = now - win->start_time;
	uint64_t growth = value - win->start_value;
	uint32_t remaining;

	if (elapsed > win->size) {
		window_reset(win, now, value, growth);
		return growth;
	}
	remaining = (uint32_t)(win->size - elapsed);
	return growth + win->prev_growth * remaining / win->size;
}

/* Entering polling: every window starts now. */
static void init_triggers(struct psi_group *group, uint64_t now)
{
	struct psi_trigger *t;
	int s;

	cds_list_for_each_entry(t, &group->triggers, node)
		window_reset(&t->win, now, group->total[PSI_POLL][t->state], 0);
	for (s = 0; s < NR_PSI_STATES - 1; s++)
		group->polling_total[s] = group->total[PSI_POLL][s];
	group->polling_next_update = now + group->poll_min_period;
}

/*
 * Whether @t fires at @now; updates its window and pending breach, and
 * sets *@grew when its state's stall time grew since the last update.
 */
static bool trigger_check(struct psi_group *group, struct psi_trigger *t,
			  uint64_t now, bool *grew)
{
	uint64_t total = group->total[PSI_POLL][t->state];
	bool new_stall = group->polling_total[t->state] != total;

	if (!new_stall && !t->pending_event)
		return false;
	if (new_stall) {
		uint64_t growth = window_update(&t->win, now, total);

		*grew = true;
		if (!t->pending_event && growth < t->threshold)
			return false;
		t->pending_event = true;
	}
	/* once per window; a breach meanwhile stays pending */
	return !t->fired || now >= t->last_event_time + t->win.size;
}

static uint64_t update_triggers(struct psi_group *group, uint64_t now)
{
	struct psi_trigger *t;
	bool grew = false;
	int s;

	cds_list_for_each_entry(t, &group->triggers, node) {
		if (!trigger_check(group, t, now, &grew))
			continue;
		eventfd_write(t->efd, 1);
		t->last_event_time = now;
		t->fired = true;
		t->pending_event = false;
	}
	/* several triggers may watch one state: update after all of them */
	if (grew)
		for (s = 0; s < NR_PSI_STATES - 1; s++)
			group->polling_total[s] = group->total[PSI_POLL][s];
	return now + group->poll_min_period;
}

/* The poll worker's run at @now (psi_poll_work()). */
static void psi_poll_work(struct psi_group *group, uint64_t now)
{
	uint32_t changed = psi_collect(group, PSI_POLL, now);

	if (changed & group->poll_states) {
		if (now > group->polling_until)
			init_triggers(group, now);
		/* poll for at least a window after the last growth */
		group->polling_until = now + group->poll_min_period *
					     UPDATES_PER_WINDOW;
	}
	if (now > group->polling_until) {
		group->polling_next_update = PSI_NEVER;
		group->poll_work_at = PSI_NEVER;
		return;
	}
	if (now >= group->polling_next_update)
		group->polling_next_update = update_triggers(group, now);
	group->poll_work_at = group->polling_next_update;
}

void psi_poll_advance(struct psi_group *group, uint64_t now)
{
	while (group->poll_work_at <= now) {
		uint64_t at = group->poll_work_at;

		if ((now - at) / group->poll_min_period > PSI_MAX_REPLAY)
			at = now;
		psi_poll_work(group, at);
	}
}

void psi_schedule_poll_work(struct psi_group *group, uint64_t now)
{
	if (group->poll_work_at == PSI_NEVER)
		group->poll_work_at = now + PSI_POLL_DELAY_NS;
}

int psi_trigger_create(struct psi_group *group,
		       const struct psi_trigger_params *params, int efd,
		       struct psi_trigger **out)
{
	struct psi_trigger *t = calloc(1, sizeof(*t));
	uint64_t now = memcg_clock_now(group->engine), period;

	if (!t)
		return -ENOMEM;
	t->group = group;
	t->state = params->state;
	t->threshold = (uint64_t)params->threshold_us * 1000;
	t->win.size = (uint64_t)params->window_us * 1000;
	t->efd = efd;
	pthread_mutex_lock(&group->lock);
	now = psi_group_now(group, now);
	psi_group_advance(group, now);
	window_reset(&t->win, now, group->total[PSI_POLL][t->state], 0);
	cds_list_add(&t->node, &group->triggers);
	period = t->win.size / UPDATES_PER_WINDOW;
	if (period < group->poll_min_period)
		group->poll_min_period = period;
	group->nr_triggers[t->state]++;
	group->poll_states |= BIT(t->state);
	pthread_mutex_unlock(&group->lock);
	*out = t;
	return 0;
}

void psi_trigger_destroy(struct psi_trigger *t)
{
	struct psi_group *group;
	struct psi_trigger *tmp;
	uint64_t period = PSI_NEVER;

	if (!t)
		return;
	group = t->group;
	pthread_mutex_lock(&group->lock);
	cds_list_del(&t->node);
	if (!--group->nr_triggers[t->state])
		group->poll_states &= ~BIT(t->state);
	cds_list_for_each_entry(tmp, &group->triggers, node)
		if (tmp->win.size / UPDATES_PER_WINDOW < period)
			period = tmp->win.size / UPDATES_PER_WINDOW;
	group->poll_min_period = period;
	if (!group->poll_states) {	/* the last trigger stops polling */
		group->polling_until = 0;
		group->poll_work_at = PSI_NEVER;
	}
	pthread_mutex_unlock(&group->lock);
	free(t);
}
