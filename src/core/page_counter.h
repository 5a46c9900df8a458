/* SPDX-License-Identifier: MIT */
/*
 * Hierarchical page counters: usage, limits and protection, in pages.
 *
 * Locking: none. Every field that changes at run time is an atomic; a
 * charge walks from a counter to the root with a speculative add, so a
 * counter may briefly read above max while a competing charge rolls back.
 * Limits and protection settings are plain stores read with relaxed
 * loads: a charge racing with a limit change may see either value.
 */
#ifndef MEMCG_PAGE_COUNTER_H
#define MEMCG_PAGE_COUNTER_H

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>

#define MEMCG_PAGE_SHIFT 12
#define MEMCG_PAGE_SIZE (1UL << MEMCG_PAGE_SHIFT)

/* LONG_MAX / PAGE_SIZE, as the kernel's include/linux/page_counter.h. */
#define PAGE_COUNTER_MAX (LONG_MAX / (long)MEMCG_PAGE_SIZE)

/*
 * Every counter: 64 bytes, one cache line. The counters that take
 * memory.min and memory.low are a struct page_counter_prot (below); the
 * others (swap, memsw, kmem, tcpmem) never pay for protection.
 */
struct page_counter {
	atomic_long usage;
	atomic_long watermark;		/* all-time peak */
	atomic_long local_watermark;	/* peak since the last peak reset */
	atomic_long failcnt;
	atomic_long high;
	atomic_long max;
	struct page_counter *parent;
	bool protection_support;	/* in a page_counter_prot, on v2 only */
	bool track_failcnt;		/* v1 only */
};

/*
 * A counter with protection: a cgroup's memory counter. Its parent, if
 * any, is one too. The kernel keeps these fields in every page_counter.
 */
struct page_counter_prot {
	struct page_counter counter;

	/* effective protection, recomputed top-down by reclaim */
	atomic_long emin;
	atomic_long min_usage;		/* min(usage, min), as last propagated */
	atomic_long children_min_usage;	/* sum of children's min_usage */

	atomic_long elow;
	atomic_long low_usage;
	atomic_long children_low_usage;

	atomic_long min;
	atomic_long low;
};

/**
 * page_counter_init - initialise a counter without protection
 * @c: counter
 * @parent: parent counter or NULL for a root
 *
 * Usage 0, max and high PAGE_COUNTER_MAX.
 */
void page_counter_init(struct page_counter *c, struct page_counter *parent);

/**
 * page_counter_init_prot - initialise a counter with protection
 * @pc: counter
 * @parent: parent counter or NULL for a root
 * @protection_support: propagate min/low usage to the parent (v2)
 *
 * As page_counter_init(), no protection.
 */
void page_counter_init_prot(struct page_counter_prot *pc,
			    struct page_counter_prot *parent,
			    bool protection_support);

static inline long page_counter_read(const struct page_counter *c)
{
	return atomic_load_explicit(&c->usage, memory_order_relaxed);
}

/**
 * page_counter_charge - charge @nr pages up the hierarchy, ignoring limits
 * @c: counter
 * @nr: pages
 */
void page_counter_charge(struct page_counter *c, long nr);

/**
 * page_counter_try_charge - charge @nr pages up the hierarchy within limits
 * @c: counter
 * @nr: pages
 * @fail: set to the first counter over its max on failure
 *
 * Every level already charged is rolled back when one fails.
 *
 * Return: true on success, false if a level would exceed its max.
 */
bool page_counter_try_charge(struct page_counter *c, long nr,
			     struct page_counter **fail);

/**
 * page_counter_cancel - take @nr pages off one counter only
 * @c: counter
 * @nr: pages
 *
 * Clamps at zero when usage would go negative.
 *
 * Return: true if the counter would have underflowed (a caller bug).
 */
bool page_counter_cancel(struct page_counter *c, long nr);

/**
 * page_counter_uncharge - uncharge @nr pages up the hierarchy
 * @c: counter
 * @nr: pages
 *
 * Return: true if any level would have underflowed (clamped to zero).
 */
bool page_counter_uncharge(struct page_counter *c, long nr);

/**
 * page_counter_set_max - set the limit if usage is below it (v1 semantics)
 * @c: counter
 * @nr: new limit in pages
 *
 * Return: 0, or -EBUSY if usage is above @nr.
 */
int page_counter_set_max(struct page_counter *c, long nr);

/**
 * page_counter_set_min - set hard protection and propagate usage upward
 * @pc: counter
 * @nr: pages
 */
void page_counter_set_min(struct page_counter_prot *pc, long nr);

/**
 * page_counter_set_low - set best-effort protection and propagate upward
 * @pc: counter
 * @nr: pages
 */
void page_counter_set_low(struct page_counter_prot *pc, long nr);

static inline void page_counter_set_high(struct page_counter *c, long nr)
{
	atomic_store_explicit(&c->high, nr, memory_order_relaxed);
}

/**
 * page_counter_reset_watermark - start a new local peak at the current usage
 * @c: counter
 */
void page_counter_reset_watermark(struct page_counter *c);

/**
 * page_counter_calculate_protection - compute emin and elow of @c under @root
 * @root: the reclaim target (its own protection is ignored)
 * @c: a descendant of @root; its parent must have been computed first
 * @recursive_protection: cgroup2's memory_recursiveprot mount option
 */
void page_counter_calculate_protection(struct page_counter_prot *root,
				       struct page_counter_prot *c,
				       bool recursive_protection);

/**
 * page_counter_memparse - parse a size or "max" into pages
 * @buf: input, optionally ending in whitespace/newline
 * @max: the string meaning PAGE_COUNTER_MAX ("max" or "-1" in v1)
 * @nr_pages: result, rounded down to pages, capped at PAGE_COUNTER_MAX
 *
 * Return: 0 or -EINVAL on malformed input.
 */
int page_counter_memparse(const char *buf, const char *max, long *nr_pages);

#endif /* MEMCG_PAGE_COUNTER_H */
