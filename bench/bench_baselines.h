/* SPDX-License-Identifier: MIT */
/*
 * bench_charge's baselines, each a loop of @n charge + uncharge pairs of
 * one page as bench_paths.h's, on a->node (a level of a plain atomic
 * hierarchy, one cache line each):
 *
 *   floor    a thread-local counter, incremented and decremented
 *   naive    atomic add/sub on every level, every page, with a limit check
 *   tracker  a 64-page thread-local reservation refilled from the shared
 *            atomic hierarchy (DuckDB's buffer pool, ClickHouse's
 *            MemoryTracker); tracker_flush() gives a thread's back
 *
 * and the parts of the engine's fast path, for the analysis: the rseq
 * cpu_id load, sched_getcpu(), one CPU lock+unlock, an atomic add+sub.
 */
#ifndef MEMCG_BENCH_BASELINES_H
#define MEMCG_BENCH_BASELINES_H

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "bench_paths.h"

#define TRACKER_BATCH 64

/* A level of a plain atomic hierarchy, one cache line each. */
struct naive_node {
	_Alignas(64) atomic_long usage;
	long max;
	struct naive_node *parent;
};

static __attribute__((noinline, unused))
bool naive_charge(struct naive_node *n, long nr)
{
	struct naive_node *p, *q;

	for (p = n; p; p = p->parent) {
		if (atomic_fetch_add_explicit(&p->usage, nr,
					      memory_order_relaxed) + nr > p->max) {
			for (q = n; q != p->parent; q = q->parent)
				atomic_fetch_sub_explicit(&q->usage, nr,
							  memory_order_relaxed);
			return false;
		}
	}
	return true;
}

static __attribute__((noinline, unused))
void naive_uncharge(struct naive_node *n, long nr)
{
	for (; n; n = n->parent)
		atomic_fetch_sub_explicit(&n->usage, nr, memory_order_relaxed);
}

/* The batching tracker: a thread-local reservation of one node. */
struct tracker_tls {
	struct naive_node *owner;
	long reserved;
};

static __thread __attribute__((unused)) struct tracker_tls tracker;

static __attribute__((noinline, unused))
bool tracker_charge_slow(struct naive_node *n, long nr)
{
	struct tracker_tls *t = &tracker;

	if (t->owner != n) {
		if (t->owner)
			naive_uncharge(t->owner, t->reserved);
		t->owner = n;
		t->reserved = 0;
	}
	if (naive_charge(n, nr + TRACKER_BATCH)) {
		t->reserved += TRACKER_BATCH;
		return true;
	}
	return naive_charge(n, nr);
}

static __attribute__((noinline, unused))
bool tracker_charge(struct naive_node *n, long nr)
{
	struct tracker_tls *t = &tracker;

	if (t->owner == n && t->reserved >= nr) {
		t->reserved -= nr;
		return true;
	}
	return tracker_charge_slow(n, nr);
}

static __attribute__((noinline, unused))
void tracker_uncharge(struct naive_node *n, long nr)
{
	struct tracker_tls *t = &tracker;

	if (t->owner != n) {
		naive_uncharge(n, nr);
		return;
	}
	t->reserved += nr;
	if (t->reserved > 2 * TRACKER_BATCH) {
		naive_uncharge(n, t->reserved - TRACKER_BATCH);
		t->reserved = TRACKER_BATCH;
	}
}

static __attribute__((unused))
void tracker_flush(void)
{
	if (tracker.owner)
		naive_uncharge(tracker.owner, tracker.reserved);
	tracker.owner = NULL;
	tracker.reserved = 0;
}

/* Levels 0 (the root) to @depth, each the parent of the next. */
static __attribute__((unused))
void naive_chain(struct naive_node *nodes, int depth)
{
	int d;

	for (d = 0; d <= depth; d++) {
		atomic_init(&nodes[d].usage, 0);
		nodes[d].max = PAGE_COUNTER_MAX;
		nodes[d].parent = d ? &nodes[d - 1] : NULL;
	}
}

/* --- the loops --- */

static __thread __attribute__((unused)) long tl_counter;

static __attribute__((noinline, unused))
void loop_floor(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		tl_counter++;
		__asm__ __volatile__("" ::: "memory");
		tl_counter--;
		__asm__ __volatile__("" ::: "memory");
	}
}

static __attribute__((noinline, unused))
void loop_naive(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		if (!naive_charge(a->node, 1))
			abort();
		naive_uncharge(a->node, 1);
	}
}

static __attribute__((noinline, unused))
void loop_tracker(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		if (!tracker_charge(a->node, 1))
			abort();
		tracker_uncharge(a->node, 1);
	}
}

/* Components of the fast path, for the analysis. */
static __attribute__((noinline, unused))
void loop_this_cpu(struct bench_path_arg *a, long n)
{
	unsigned sum = 0;

	for (long i = 0; i < n; i++) {
		sum += memcg_this_cpu(a->e);
		__asm__ __volatile__("" : "+r"(sum) :: "memory");
	}
}

static __attribute__((noinline, unused))
void loop_getcpu(struct bench_path_arg *a, long n)
{
	int sum = 0;

	for (long i = 0; i < n; i++) {
		sum += sched_getcpu();
		__asm__ __volatile__("" : "+r"(sum) :: "memory");
	}
}

static __attribute__((noinline, unused))
void loop_trylock(struct bench_path_arg *a, long n)
{
	struct memcg_engine *e = a->e;

	for (long i = 0; i < n; i++) {
		unsigned cpu = memcg_this_cpu(e);

		if (!memcg_cpu_trylock(e, cpu))
			continue;	/* migrated: rare, and cheaper */
		memcg_cpu_unlock(e, cpu);
	}
}

static __attribute__((noinline, unused))
void loop_atomic_pair(struct bench_path_arg *a, long n)
{
	for (long i = 0; i < n; i++) {
		atomic_fetch_add_explicit(&a->node->usage, 1, memory_order_relaxed);
		atomic_fetch_sub_explicit(&a->node->usage, 1, memory_order_relaxed);
	}
}

#endif /* MEMCG_BENCH_BASELINES_H */
