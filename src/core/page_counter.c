// SPDX-License-Identifier: MIT
/*
 * Lockless hierarchical page counters, after the kernel's mm/page_counter.c.
 *
 * A charge adds to every level from a counter up to the root; a limited
 * charge adds speculatively and backs out when a level goes over its max.
 * Protection (min/low) of memory counters is tracked as the protected part
 * of each one's usage, summed into the parent, so reclaim can split a
 * parent's effective protection among its children
 * (page_counter_calculate_protection()).
 */
#include "core/page_counter.h"
#include "lib/kstrtox.h"
#include "lib/string_helpers.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MO_RELAXED memory_order_relaxed

__extension__ typedef unsigned __int128 u128;

static inline long min_long(long a, long b)
{
	return a < b ? a : b;
}

static inline long clamp_nonneg(long v)
{
	return v < 0 ? 0 : v;
}

void page_counter_init(struct page_counter *c, struct page_counter *parent)
{
	atomic_init(&c->usage, 0);
	atomic_init(&c->watermark, 0);
	atomic_init(&c->local_watermark, 0);
	atomic_init(&c->failcnt, 0);
	atomic_init(&c->high, PAGE_COUNTER_MAX);
	atomic_init(&c->max, PAGE_COUNTER_MAX);
	c->parent = parent;
	c->protection_support = false;
	c->track_failcnt = false;
}

void page_counter_init_prot(struct page_counter_prot *pc,
			    struct page_counter_prot *parent,
			    bool protection_support)
{
	page_counter_init(&pc->counter, parent ? &parent->counter : NULL);
	pc->counter.protection_support = protection_support;
	atomic_init(&pc->emin, 0);
	atomic_init(&pc->min_usage, 0);
	atomic_init(&pc->children_min_usage, 0);
	atomic_init(&pc->elow, 0);
	atomic_init(&pc->low_usage, 0);
	atomic_init(&pc->children_low_usage, 0);
	atomic_init(&pc->min, 0);
	atomic_init(&pc->low, 0);
}

/* The protected counter @c is part of; its parent is one too. */
static inline struct page_counter_prot *to_prot(struct page_counter *c)
{
	return c ? (struct page_counter_prot *)((char *)c -
			offsetof(struct page_counter_prot, counter)) : NULL;
}

/*
 * Publish min(@usage, @setting) as this counter's protected usage and add
 * the change to the parent's sum. Two racing updates of the same counter
 * may apply their deltas to the parent out of order; the sum is briefly
 * off but every delta lands, so it settles on the right value.
 */
static void propagate_one(long usage, atomic_long *setting,
			  atomic_long *prot_usage, atomic_long *parent_sum)
{
	long protected = min_long(usage,
				  atomic_load_explicit(setting, MO_RELAXED));
	long old;

	if (protected == atomic_load_explicit(prot_usage, MO_RELAXED))
		return;
	old = atomic_exchange(prot_usage, protected);
	if (protected != old)
		atomic_fetch_add(parent_sum, protected - old);
}

/* protection_support: @c and its parent are page_counter_prot */
static void propagate_protected_usage(struct page_counter *c, long usage)
{
	struct page_counter_prot *pc, *parent;

	if (!c->parent || !c->protection_support)
		return;
	pc = to_prot(c);
	parent = to_prot(c->parent);
	usage = clamp_nonneg(usage);
	propagate_one(usage, &pc->min, &pc->min_usage,
		      &parent->children_min_usage);
	propagate_one(usage, &pc->low, &pc->low_usage,
		      &parent->children_low_usage);
}

/* Raise @wm to @val unless it is already at least @val. */
static void watermark_raise(atomic_long *wm, long val)
{
	long cur = atomic_load_explicit(wm, MO_RELAXED);

	while (val > cur &&
	       !atomic_compare_exchange_weak_explicit(wm, &cur, val,
						      MO_RELAXED, MO_RELAXED))
		;
}

/*
 * Bookkeeping after @c's usage rose to @usage. The kernel raises the
 * watermarks with a racy check-then-set and tolerates a lost peak; a
 * CAS loop keeps ours monotonic at no cost on the fast path, which is
 * only the relaxed load. The local peak is never above the global one
 * (see page_counter_reset_watermark()), so the global one needs a look
 * only when the local one moved.
 */
static void charged(struct page_counter *c, long usage)
{
	propagate_protected_usage(c, usage);
	if (usage > atomic_load_explicit(&c->local_watermark, MO_RELAXED)) {
		watermark_raise(&c->local_watermark, usage);
		watermark_raise(&c->watermark, usage);
	}
}

bool page_counter_cancel(struct page_counter *c, long nr)
{
	long new = atomic_fetch_sub(&c->usage, nr) - nr;
	bool underflow = new < 0;

	if (underflow) {
		/*
		 * More uncharged than charged: a caller bug. The kernel
		 * sets the counter to zero, which would also wipe charges
		 * racing with us; give back only the part of our own @nr
		 * that went below zero instead.
		 */
		long back = min_long(nr, -new);

		new = atomic_fetch_add(&c->usage, back) + back;
	}
	propagate_protected_usage(c, new);
	return underflow;
}

void page_counter_charge(struct page_counter *c, long nr)
{
	struct page_counter *pc;

	for (pc = c; pc; pc = pc->parent)
		charged(pc, atomic_fetch_add(&pc->usage, nr) + nr);
}

bool page_counter_try_charge(struct page_counter *c, long nr,
			     struct page_counter **fail)
{
	struct page_counter *pc, *over;

	for (pc = c; pc; pc = pc->parent) {
		/*
		 * Add first, check after, instead of a CAS loop. A large
		 * charge on its way to failing may make a racing small one
		 * fail too; tolerated, as the kernel does: the error is at
		 * most the large charge's size. The seq_cst add and load of
		 * max pair with page_counter_set_max()'s xchg and re-read:
		 * either we see the new limit or the setter sees our usage
		 * and retries.
		 */
		long new = atomic_fetch_add(&pc->usage, nr) + nr;

		if (new > atomic_load(&pc->max)) {
			atomic_fetch_sub(&pc->usage, nr);
			/* A stat only: a relaxed count is enough. */
			if (pc->track_failcnt)
				atomic_fetch_add_explicit(&pc->failcnt, 1,
							  MO_RELAXED);
			over = pc;
			goto failed;
		}
		charged(pc, new);
	}
	return true;

failed:
	for (pc = c; pc != over; pc = pc->parent)
		page_counter_cancel(pc, nr);
	if (fail)
		*fail = over;
	return false;
}

bool page_counter_uncharge(struct page_counter *c, long nr)
{
	struct page_counter *pc;
	bool underflow = false;

	for (pc = c; pc; pc = pc->parent)
		underflow |= page_counter_cancel(pc, nr);
	return underflow;
}

int page_counter_set_max(struct page_counter *c, long nr)
{
	for (;;) {
		long usage = atomic_load(&c->usage);
		long old;

		if (usage > nr)
			return -EBUSY;
		old = atomic_exchange(&c->max, nr);
		/*
		 * A charge that read the old limit has already added to
		 * usage (see page_counter_try_charge()), so usage that did
		 * not grow means no charge slipped past the new limit.
		 * Raising the limit cannot be slipped past.
		 */
		if (atomic_load(&c->usage) <= usage || nr >= old)
			return 0;
		atomic_store(&c->max, old);
	}
}

static void propagate_to_root(struct page_counter *c)
{
	for (; c; c = c->parent)
		propagate_protected_usage(c, page_counter_read(c));
}

void page_counter_set_min(struct page_counter_prot *pc, long nr)
{
	atomic_store_explicit(&pc->min, nr, MO_RELAXED);
	propagate_to_root(&pc->counter);
}

void page_counter_set_low(struct page_counter_prot *pc, long nr)
{
	atomic_store_explicit(&pc->low, nr, MO_RELAXED);
	propagate_to_root(&pc->counter);
}

void page_counter_reset_watermark(struct page_counter *c)
{
	long usage = page_counter_read(c);

	atomic_store_explicit(&c->local_watermark, usage, MO_RELAXED);
	/*
	 * @usage may include a speculative charge that is about to fail and
	 * never touched the peaks; lift the global peak to it so that it
	 * stays above the local one, which charged() relies on.
	 */
	watermark_raise(&c->watermark, usage);
}

/*
 * Protection of a counter using @usage pages out of its parent's
 * @parent_usage, with @setting declared, given the parent's effective
 * protection @peff and the protected usage @sibs of all its children.
 *
 * Overcommitted (@sibs > @peff): the parent's protection is split in
 * proportion to each child's protected usage. Otherwise the child keeps
 * what it claims and uses, plus, with recursive protection, a share of
 * the unclaimed rest in proportion to its unprotected usage.
 *
 * Inputs are read without a common lock and may be transiently skewed,
 * hence the clamping; products are taken in 128 bits since @peff can be
 * PAGE_COUNTER_MAX ("max").
 */
static long effective_protection(long usage, long parent_usage, long setting,
				 long peff, long sibs, bool recursive)
{
	long protected, ep;
	u128 share;

	usage = clamp_nonneg(usage);
	parent_usage = clamp_nonneg(parent_usage);
	peff = clamp_nonneg(peff);
	sibs = clamp_nonneg(sibs);
	protected = min_long(usage, clamp_nonneg(setting));

	if (sibs > peff)
		return (long)((u128)protected * (u128)peff / (u128)sibs);

	ep = protected;
	if (!recursive)
		return ep;

	if (peff > sibs && parent_usage > sibs && usage > protected) {
		share = (u128)(peff - sibs) * (u128)(usage - protected);
		share /= (u128)(parent_usage - sibs);
		if (share > (u128)(PAGE_COUNTER_MAX - ep))
			return PAGE_COUNTER_MAX;
		ep += (long)share;
	}
	return ep;
}

void page_counter_calculate_protection(struct page_counter_prot *root,
				       struct page_counter_prot *c,
				       bool recursive_protection)
{
	struct page_counter_prot *parent = to_prot(c->counter.parent);
	long usage, parent_usage;

	/* The reclaim target's own protection is ignored; leave it stale. */
	if (c == root)
		return;

	/* Nothing to protect: keep the last values, as the kernel does. */
	usage = page_counter_read(&c->counter);
	if (usage <= 0)
		return;

	/* no parent: a top-level counter in v2, whose root counts nothing */
	if (parent == root || !parent) {
		atomic_store_explicit(&c->emin,
			atomic_load_explicit(&c->min, MO_RELAXED), MO_RELAXED);
		atomic_store_explicit(&c->elow,
			atomic_load_explicit(&c->low, MO_RELAXED), MO_RELAXED);
		return;
	}

	parent_usage = page_counter_read(&parent->counter);
	atomic_store_explicit(&c->emin,
		effective_protection(usage, parent_usage,
			atomic_load_explicit(&c->min, MO_RELAXED),
			atomic_load_explicit(&parent->emin, MO_RELAXED),
			atomic_load_explicit(&parent->children_min_usage, MO_RELAXED),
			recursive_protection), MO_RELAXED);
	atomic_store_explicit(&c->elow,
		effective_protection(usage, parent_usage,
			atomic_load_explicit(&c->low, MO_RELAXED),
			atomic_load_explicit(&parent->elow, MO_RELAXED),
			atomic_load_explicit(&parent->children_low_usage, MO_RELAXED),
			recursive_protection), MO_RELAXED);
}

int page_counter_memparse(const char *buf, const char *max, long *nr_pages)
{
	char *end;
	size_t len;
	uint64_t bytes;

	/* The cgroup core strstrip()s a write before it gets here. */
	while (kernel_isspace(*buf))
		buf++;
	len = strlen(buf);
	while (len && kernel_isspace(buf[len - 1]))
		len--;

	if (strlen(max) == len && !memcmp(buf, max, len)) {
		*nr_pages = PAGE_COUNTER_MAX;
		return 0;
	}

	/*
	 * As in the kernel, an empty string parses as 0: "echo > memory.max"
	 * sets the limit to 0. Only a write of no bytes at all is a no-op,
	 * and that is the cgroup file layer's business.
	 */
	bytes = memparse(buf, &end);
	if (end != buf + len)
		return -EINVAL;

	bytes /= MEMCG_PAGE_SIZE;
	*nr_pages = bytes > (uint64_t)PAGE_COUNTER_MAX ? PAGE_COUNTER_MAX
						       : (long)bytes;
	return 0;
}
