// SPDX-License-Identifier: MIT
/* Unit tests for src/core/page_counter.c: charging, limits, peaks, parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "core/page_counter.h"

#define MB(x) ((long)(x) * 256)	/* pages in x MiB */

#define assert_long_equal(a, b)						\
	do {								\
		long a_ = (a), b_ = (b);				\
		if (a_ != b_)						\
			fail_msg("%s == %ld, expected %ld", #a, a_, b_); \
	} while (0)

static long rd(atomic_long *v)
{
	return atomic_load(v);
}

/* root <- a <- b <- c, a plain chain without limits or protection. */
struct chain {
	struct page_counter root, a, b, c;
};

static void chain_init(struct chain *t)
{
	page_counter_init(&t->root, NULL);
	page_counter_init(&t->a, &t->root);
	page_counter_init(&t->b, &t->a);
	page_counter_init(&t->c, &t->b);
}

static void assert_chain_usage(struct chain *t, long root, long a, long b,
			       long c)
{
	assert_long_equal(page_counter_read(&t->root), root);
	assert_long_equal(page_counter_read(&t->a), a);
	assert_long_equal(page_counter_read(&t->b), b);
	assert_long_equal(page_counter_read(&t->c), c);
}

static void test_init_defaults(void **state)
{
	struct page_counter_prot root, c;
	struct page_counter plain;

	page_counter_init_prot(&root, NULL, true);
	page_counter_init_prot(&c, &root, true);
	assert_ptr_equal(c.counter.parent, &root.counter);
	assert_null(root.counter.parent);
	assert_long_equal(page_counter_read(&c.counter), 0);
	assert_long_equal(rd(&c.counter.max), PAGE_COUNTER_MAX);
	assert_long_equal(rd(&c.counter.high), PAGE_COUNTER_MAX);
	assert_long_equal(rd(&c.min), 0);
	assert_long_equal(rd(&c.low), 0);
	assert_long_equal(rd(&c.counter.watermark), 0);
	assert_long_equal(rd(&c.counter.local_watermark), 0);
	assert_long_equal(rd(&c.counter.failcnt), 0);
	assert_true(c.counter.protection_support);
	assert_false(c.counter.track_failcnt);
	page_counter_init(&plain, &c.counter);
	assert_false(plain.protection_support);
	assert_int_equal(sizeof(plain), 64);
	assert_long_equal(PAGE_COUNTER_MAX, LONG_MAX / 4096);
}

static void test_charge_uncharge_hierarchy(void **state)
{
	struct chain t;
	struct page_counter sib;

	chain_init(&t);
	page_counter_init(&sib, &t.a);

	page_counter_charge(&t.c, 10);
	assert_chain_usage(&t, 10, 10, 10, 10);
	page_counter_charge(&sib, 5);
	assert_chain_usage(&t, 15, 15, 10, 10);
	assert_long_equal(page_counter_read(&sib), 5);

	/* charge() ignores limits. */
	atomic_store(&t.b.max, 4);
	page_counter_charge(&t.c, 3);
	assert_chain_usage(&t, 18, 18, 13, 13);

	assert_false(page_counter_uncharge(&t.c, 13));
	assert_false(page_counter_uncharge(&sib, 5));
	assert_chain_usage(&t, 0, 0, 0, 0);

	/* cancel() touches one level only. */
	page_counter_charge(&t.c, 2);
	assert_false(page_counter_cancel(&t.c, 2));
	assert_chain_usage(&t, 2, 2, 2, 0);
}

static void test_try_charge_success(void **state)
{
	struct chain t;
	struct page_counter *fail = NULL;

	chain_init(&t);
	atomic_store(&t.b.max, 10);
	assert_true(page_counter_try_charge(&t.c, 10, &fail));
	assert_null(fail);
	assert_chain_usage(&t, 10, 10, 10, 10);
	/* Exactly at max is allowed, one more is not. */
	assert_false(page_counter_try_charge(&t.c, 1, &fail));
	assert_ptr_equal(fail, &t.b);
}

/* A middle level fails: every level below it is rolled back. */
static void test_try_charge_rollback_middle(void **state)
{
	struct chain t;
	struct page_counter *fail = NULL;

	chain_init(&t);
	atomic_store(&t.a.max, 50);
	assert_true(page_counter_try_charge(&t.c, 40, &fail));

	assert_false(page_counter_try_charge(&t.c, 20, &fail));
	assert_ptr_equal(fail, &t.a);
	assert_chain_usage(&t, 40, 40, 40, 40);
	/*
	 * As in the kernel, the levels charged before the failing one keep
	 * the peak of the speculative charge; the failing level and those
	 * above it don't.
	 */
	assert_long_equal(rd(&t.c.watermark), 60);
	assert_long_equal(rd(&t.b.local_watermark), 60);
	assert_long_equal(rd(&t.a.watermark), 40);
	assert_long_equal(rd(&t.root.watermark), 40);
}

static void test_try_charge_rollback_each_level(void **state)
{
	struct page_counter *levels[4];
	struct page_counter *fail;
	struct chain t;
	int i;

	for (i = 0; i < 4; i++) {
		chain_init(&t);
		levels[0] = &t.c;
		levels[1] = &t.b;
		levels[2] = &t.a;
		levels[3] = &t.root;
		atomic_store(&levels[i]->max, 5);
		page_counter_charge(&t.c, 3);

		fail = NULL;
		assert_false(page_counter_try_charge(&t.c, 3, &fail));
		assert_ptr_equal(fail, levels[i]);
		assert_chain_usage(&t, 3, 3, 3, 3);

		assert_true(page_counter_try_charge(&t.c, 2, &fail));
		assert_chain_usage(&t, 5, 5, 5, 5);
	}
}

static void test_try_charge_fail_pointer_optional(void **state)
{
	struct page_counter c;

	page_counter_init(&c, NULL);
	atomic_store(&c.max, 1);
	assert_false(page_counter_try_charge(&c, 2, NULL));
	assert_long_equal(page_counter_read(&c), 0);
}

static void test_failcnt_only_when_tracked(void **state)
{
	struct chain t;
	struct page_counter *fail;

	chain_init(&t);
	atomic_store(&t.b.max, 1);
	assert_false(page_counter_try_charge(&t.c, 2, &fail));
	assert_long_equal(rd(&t.b.failcnt), 0);

	t.root.track_failcnt = t.a.track_failcnt = true;
	t.b.track_failcnt = t.c.track_failcnt = true;
	assert_false(page_counter_try_charge(&t.c, 2, &fail));
	assert_false(page_counter_try_charge(&t.c, 2, &fail));
	assert_long_equal(rd(&t.b.failcnt), 2);
	/* Only the level that was over its limit counts the failure. */
	assert_long_equal(rd(&t.c.failcnt), 0);
	assert_long_equal(rd(&t.a.failcnt), 0);
	assert_long_equal(rd(&t.root.failcnt), 0);
	/* Successes don't count. */
	assert_true(page_counter_try_charge(&t.c, 1, &fail));
	assert_long_equal(rd(&t.b.failcnt), 2);
}

static void test_cancel_underflow_clamps(void **state)
{
	struct chain t;

	chain_init(&t);
	page_counter_charge(&t.c, 5);
	assert_true(page_counter_cancel(&t.c, 8));
	assert_long_equal(page_counter_read(&t.c), 0);
	assert_chain_usage(&t, 5, 5, 5, 0);

	/* One level underflowing is reported; the others are fine. */
	page_counter_charge(&t.c, 2);
	assert_true(page_counter_uncharge(&t.c, 3));
	assert_chain_usage(&t, 4, 4, 4, 0);
	assert_false(page_counter_uncharge(&t.b, 4));
	assert_chain_usage(&t, 0, 0, 0, 0);

	/* The counter works normally afterwards. */
	page_counter_charge(&t.c, 7);
	assert_chain_usage(&t, 7, 7, 7, 7);
}

static void test_watermarks(void **state)
{
	struct page_counter root, c;

	page_counter_init(&root, NULL);
	page_counter_init(&c, &root);

	page_counter_charge(&c, 10);
	page_counter_uncharge(&c, 5);
	assert_true(page_counter_try_charge(&c, 3, NULL));
	assert_long_equal(rd(&c.watermark), 10);
	assert_long_equal(rd(&c.local_watermark), 10);
	assert_long_equal(rd(&root.watermark), 10);

	page_counter_reset_watermark(&c);
	assert_long_equal(rd(&c.local_watermark), 8);
	assert_long_equal(rd(&c.watermark), 10);
	assert_long_equal(rd(&root.local_watermark), 10);

	page_counter_charge(&c, 1);
	assert_long_equal(rd(&c.local_watermark), 9);
	assert_long_equal(rd(&c.watermark), 10);

	assert_true(page_counter_try_charge(&c, 5, NULL));
	assert_long_equal(rd(&c.local_watermark), 14);
	assert_long_equal(rd(&c.watermark), 14);
	assert_long_equal(rd(&root.watermark), 14);

	/* Uncharging never lowers a peak. */
	page_counter_uncharge(&c, 14);
	assert_long_equal(rd(&c.local_watermark), 14);
	page_counter_reset_watermark(&c);
	assert_long_equal(rd(&c.local_watermark), 0);
	assert_long_equal(rd(&c.watermark), 14);

	/*
	 * A reset that reads a speculative add in flight (here faked) lifts
	 * the global peak with it, so that local <= global still holds and
	 * a later, lower peak is not lost.
	 */
	atomic_fetch_add(&c.usage, 20);
	page_counter_reset_watermark(&c);
	atomic_fetch_sub(&c.usage, 20);
	assert_long_equal(rd(&c.local_watermark), 20);
	assert_long_equal(rd(&c.watermark), 20);
	page_counter_charge(&c, 18);
	assert_long_equal(rd(&c.watermark), 20);
	page_counter_uncharge(&c, 18);
}

static void test_set_max(void **state)
{
	struct page_counter c;

	page_counter_init(&c, NULL);
	page_counter_charge(&c, 10);

	assert_int_equal(page_counter_set_max(&c, 9), -EBUSY);
	assert_long_equal(rd(&c.max), PAGE_COUNTER_MAX);

	assert_int_equal(page_counter_set_max(&c, 10), 0);
	assert_long_equal(rd(&c.max), 10);
	assert_false(page_counter_try_charge(&c, 1, NULL));

	assert_int_equal(page_counter_set_max(&c, 12), 0);
	assert_true(page_counter_try_charge(&c, 2, NULL));
	assert_int_equal(page_counter_set_max(&c, 11), -EBUSY);
	assert_long_equal(rd(&c.max), 12);

	page_counter_uncharge(&c, 12);
	assert_int_equal(page_counter_set_max(&c, 0), 0);
	assert_false(page_counter_try_charge(&c, 1, NULL));
	assert_int_equal(page_counter_set_max(&c, PAGE_COUNTER_MAX), 0);
	assert_true(page_counter_try_charge(&c, 1, NULL));
}

/* parent <- a, b with protection support: usage crossing min and low. */
static void test_protection_propagation(void **state)
{
	struct page_counter_prot root, p, a, b;

	page_counter_init_prot(&root, NULL, true);
	page_counter_init_prot(&p, &root, true);
	page_counter_init_prot(&a, &p, true);
	page_counter_init_prot(&b, &p, true);
	page_counter_set_min(&a, 10);
	page_counter_set_low(&a, 20);
	page_counter_set_min(&b, 100);
	assert_long_equal(rd(&p.children_min_usage), 0);

	page_counter_charge(&a.counter, 5);
	assert_long_equal(rd(&a.min_usage), 5);
	assert_long_equal(rd(&p.children_min_usage), 5);
	assert_long_equal(rd(&p.children_low_usage), 5);

	/* Crosses min: min usage caps, low usage keeps growing. */
	assert_true(page_counter_try_charge(&a.counter, 10, NULL));
	assert_long_equal(rd(&p.children_min_usage), 10);
	assert_long_equal(rd(&p.children_low_usage), 15);

	page_counter_charge(&a.counter, 10);
	assert_long_equal(rd(&p.children_min_usage), 10);
	assert_long_equal(rd(&p.children_low_usage), 20);

	page_counter_charge(&b.counter, 7);
	assert_long_equal(rd(&p.children_min_usage), 17);
	assert_long_equal(rd(&p.children_low_usage), 20);

	/* Back below min. */
	page_counter_uncharge(&a.counter, 17);
	assert_long_equal(rd(&a.min_usage), 8);
	assert_long_equal(rd(&p.children_min_usage), 15);
	assert_long_equal(rd(&p.children_low_usage), 8);

	/* Changing the setting re-propagates at once. */
	page_counter_set_min(&a, 3);
	assert_long_equal(rd(&p.children_min_usage), 10);
	page_counter_set_low(&a, 0);
	assert_long_equal(rd(&p.children_low_usage), 0);

	/* p's own protection reaches root when p is protected. */
	assert_long_equal(rd(&root.children_min_usage), 0);
	page_counter_set_min(&p, 12);
	assert_long_equal(rd(&p.min_usage), 12);
	assert_long_equal(rd(&root.children_min_usage), 12);

	/* A failed try_charge leaves the sums as they were. */
	atomic_store(&p.counter.max, 15);
	assert_false(page_counter_try_charge(&a.counter, 1, NULL));
	assert_long_equal(rd(&p.children_min_usage), 10);
	assert_long_equal(rd(&a.min_usage), 3);

	page_counter_uncharge(&a.counter, 8);
	page_counter_uncharge(&b.counter, 7);
	assert_long_equal(rd(&p.children_min_usage), 0);
	assert_long_equal(rd(&root.children_min_usage), 0);
}

static void test_protection_needs_support(void **state)
{
	struct page_counter_prot p, a;

	page_counter_init_prot(&p, NULL, false);
	page_counter_init_prot(&a, &p, false);
	page_counter_set_min(&a, 10);
	page_counter_set_low(&a, 10);
	page_counter_charge(&a.counter, 5);
	assert_long_equal(rd(&a.min_usage), 0);
	assert_long_equal(rd(&p.children_min_usage), 0);
	assert_long_equal(rd(&p.children_low_usage), 0);
}

struct parse_case {
	const char *in;
	long pages;
};

static void check_valid(const char *max, const struct parse_case *cases,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		long pages = -12345;
		int err = page_counter_memparse(cases[i].in, max, &pages);

		if (err || pages != cases[i].pages)
			fail_msg("memparse(\"%s\") = %d, %ld pages; expected %ld",
				 cases[i].in, err, pages, cases[i].pages);
	}
}

static void check_invalid(const char *max, const char *const *in, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		long pages = -12345;
		int err = page_counter_memparse(in[i], max, &pages);

		if (err != -EINVAL || pages != -12345)
			fail_msg("memparse(\"%s\", \"%s\") = %d, %ld pages; expected -EINVAL",
				 in[i], max, err, pages);
	}
}

static void test_memparse_valid(void **state)
{
	static const struct parse_case cases[] = {
		{ "0", 0 },
		{ "4096", 1 },
		{ "4097", 1 },
		{ "4095", 0 },
		{ "8191", 1 },
		{ "1K", 0 },
		{ "4k", 1 },
		{ "8k", 2 },
		{ "1M", 256 },
		{ "1m", 256 },
		{ "50M", MB(50) },
		{ "1G", 262144 },
		{ "1g", 262144 },
		{ "1T", 268435456L },
		{ "1P", 274877906944L },
		{ "1E", 281474976710656L },
		{ "max", PAGE_COUNTER_MAX },
		{ " 1M\n", 256 },
		{ "\t\n 8k \t\r\n", 2 },
		{ "max\n", PAGE_COUNTER_MAX },
		{ "  max", PAGE_COUNTER_MAX },
		{ "0x1000", 1 },
		{ "0X2000", 2 },
		{ "0x4k", 1 },		/* k is not a hex digit */
		{ "0x1E", 0 },		/* E is a hex digit: 30 bytes */
		{ "010000", 1 },	/* octal 4096 */
		{ "0k", 0 },
		{ "00", 0 },
		/* LONG_MAX bytes is exactly PAGE_COUNTER_MAX pages. */
		{ "9223372036854775807", PAGE_COUNTER_MAX },
		/* Above it: capped. */
		{ "8E", PAGE_COUNTER_MAX },
		{ "15E", PAGE_COUNTER_MAX },
		{ "18446744073709551615", PAGE_COUNTER_MAX },
		/*
		 * The kernel's memparse() wraps modulo 2^64: simple_strtoull()
		 * keeps consuming digits past overflow and the suffix is a
		 * plain shift. 10^20 - 1 mod 2^64 = 7766279631452241919.
		 */
		{ "99999999999999999999", 7766279631452241919L / 4096 },
		{ "16E", 0 },
		{ "17E", 281474976710656L },
		{ "16777216T", 0 },
		/* Only whitespace parses as 0, as in the kernel. */
		{ "", 0 },
		{ "\n", 0 },
		{ "   ", 0 },
		/* Likewise a bare suffix: no digits is 0, then the suffix. */
		{ "M", 0 },
		{ "k\n", 0 },
	};

	check_valid("max", cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_memparse_invalid(void **state)
{
	static const char *const cases[] = {
		"abc", "1MB", "1M x", "-1", "max1", "1.5M", "1 M", "+1",
		"1KK", "0x", "0xg", "08", "Max", "MAX", "max max",
		"1Z", "1b", "- 1", "1,5M", "K1", "1M\nx",
	};

	check_invalid("max", cases, sizeof(cases) / sizeof(cases[0]));
}

/* v1 files pass "-1" as the string for PAGE_COUNTER_MAX. */
static void test_memparse_v1_minus_one(void **state)
{
	static const struct parse_case cases[] = {
		{ "-1", PAGE_COUNTER_MAX },
		{ "-1\n", PAGE_COUNTER_MAX },
		{ "1M", 256 },
	};
	static const char *const invalid[] = { "max", "-2", "-1K", "--1" };

	check_valid("-1", cases, sizeof(cases) / sizeof(cases[0]));
	check_invalid("-1", invalid, sizeof(invalid) / sizeof(invalid[0]));
}

#define NTHREADS 4
#define ITERS 100000
#define NR 3
#define LIMIT 20
#define HOLD 8	/* HOLD * NR > LIMIT: one thread alone hits the limit */

struct mt {
	struct page_counter_prot root, parent, child[NTHREADS];
	atomic_int running;
	long ok[NTHREADS];
	long failed[NTHREADS];
	long bad_fail[NTHREADS];
	long max_seen;
	long root_max_seen;
	long samples;
};

static void mt_drop(struct mt *mt, long id, struct page_counter **targets,
		    long *held)
{
	int t;

	for (t = 0; t < 2; t++) {
		if (page_counter_uncharge(targets[t], held[t]))
			mt->bad_fail[id]++;
		held[t] = 0;
	}
}

/*
 * Each thread keeps up to HOLD charges of NR pages, on its own child and on
 * child[0] in turn, and drops them all when it reaches HOLD or a charge
 * fails: each thread alone wants more than LIMIT.
 */
static void *mt_charger(void *arg)
{
	struct page_counter **ctx = arg;
	struct mt *mt = (struct mt *)ctx[0];
	long id = (long)(intptr_t)ctx[1];
	struct page_counter *targets[2] = { &mt->child[id].counter,
					     &mt->child[0].counter };
	long held[2] = { 0, 0 };
	struct page_counter *fail;
	int i, t;

	for (i = 0; i < ITERS; i++) {
		t = i & 1;
		if (page_counter_try_charge(targets[t], NR, &fail)) {
			mt->ok[id]++;
			held[t] += NR;
			if (held[0] + held[1] < HOLD * NR)
				continue;
		} else {
			mt->failed[id]++;
			if (fail != &mt->parent.counter)
				mt->bad_fail[id]++;
		}
		mt_drop(mt, id, targets, held);
	}
	mt_drop(mt, id, targets, held);
	atomic_fetch_sub(&mt->running, 1);
	return NULL;
}

static void *mt_sampler(void *arg)
{
	struct mt *mt = arg;

	while (atomic_load(&mt->running) > 0) {
		long u = page_counter_read(&mt->parent.counter);

		if (u > mt->max_seen)
			mt->max_seen = u;
		u = page_counter_read(&mt->root.counter);
		if (u > mt->root_max_seen)
			mt->root_max_seen = u;
		mt->samples++;
	}
	return NULL;
}

static void test_threaded_try_charge(void **state)
{
	static struct mt mt;
	void *ctx[NTHREADS][2];
	pthread_t th[NTHREADS], sampler;
	long ok = 0, failed = 0;
	int i;

	page_counter_init_prot(&mt.root, NULL, true);
	page_counter_init_prot(&mt.parent, &mt.root, true);
	for (i = 0; i < NTHREADS; i++)
		page_counter_init_prot(&mt.child[i], &mt.parent, true);
	page_counter_set_min(&mt.child[0], 2);
	page_counter_set_low(&mt.parent, 4);
	assert_int_equal(page_counter_set_max(&mt.parent.counter, LIMIT), 0);
	atomic_store(&mt.running, NTHREADS);

	assert_int_equal(pthread_create(&sampler, NULL, mt_sampler, &mt), 0);
	for (i = 0; i < NTHREADS; i++) {
		ctx[i][0] = &mt;
		ctx[i][1] = (void *)(intptr_t)i;
		assert_int_equal(pthread_create(&th[i], NULL, mt_charger,
						ctx[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_int_equal(pthread_join(sampler, NULL), 0);

	for (i = 0; i < NTHREADS; i++) {
		ok += mt.ok[i];
		failed += mt.failed[i];
		assert_long_equal(mt.bad_fail[i], 0);
	}
	print_message("ok %ld failed %ld samples %ld max seen %ld (root %ld)\n",
		      ok, failed, mt.samples, mt.max_seen, mt.root_max_seen);
	assert_long_equal(ok + failed, (long)NTHREADS * ITERS);
	assert_true(ok > 0);
	assert_true(failed > 0);
	/* Over the limit only by charges in flight, one per thread. */
	assert_true(mt.max_seen <= LIMIT + NTHREADS * NR);
	/*
	 * The root has no limit of its own and lags behind: an uncharge
	 * leaves the parent before the root, so it is only bounded by what
	 * the threads can hold.
	 */
	assert_true(mt.root_max_seen <= NTHREADS * HOLD * NR);

	assert_long_equal(page_counter_read(&mt.root.counter), 0);
	assert_long_equal(page_counter_read(&mt.parent.counter), 0);
	for (i = 0; i < NTHREADS; i++)
		assert_long_equal(page_counter_read(&mt.child[i].counter), 0);
	/* Only successful charges raise peaks, and those are within max. */
	assert_true(rd(&mt.parent.counter.watermark) <= LIMIT);
	assert_true(rd(&mt.parent.counter.watermark) >= NR);
	assert_true(rd(&mt.root.counter.watermark) <= NTHREADS * HOLD * NR);
	/* Protection sums settle with usage. */
	assert_long_equal(rd(&mt.parent.children_min_usage), 0);
	assert_long_equal(rd(&mt.parent.children_low_usage), 0);
	assert_long_equal(rd(&mt.root.children_low_usage), 0);
	assert_long_equal(rd(&mt.child[0].min_usage), 0);
}

/* Limits move while charges race: usage ends at 0, limit as last set. */
static void *mt_limit_setter(void *arg)
{
	struct mt *mt = arg;
	long i = 0;

	do {
		long nr = (i++ & 1) ? LIMIT : PAGE_COUNTER_MAX;

		if (page_counter_set_max(&mt->parent.counter, nr) == 0)
			mt->samples++;
		else
			mt->max_seen++;	/* -EBUSY count */
	} while (atomic_load(&mt->running) > 0);
	return NULL;
}

static void test_threaded_set_max(void **state)
{
	static struct mt mt;
	void *ctx[NTHREADS][2];
	pthread_t th[NTHREADS], setter;
	int i;

	page_counter_init_prot(&mt.root, NULL, false);
	page_counter_init_prot(&mt.parent, &mt.root, false);
	for (i = 0; i < NTHREADS; i++)
		page_counter_init_prot(&mt.child[i], &mt.parent, false);
	atomic_store(&mt.running, NTHREADS);

	assert_int_equal(pthread_create(&setter, NULL, mt_limit_setter, &mt),
			 0);
	for (i = 0; i < NTHREADS; i++) {
		ctx[i][0] = &mt;
		ctx[i][1] = (void *)(intptr_t)i;
		assert_int_equal(pthread_create(&th[i], NULL, mt_charger,
						ctx[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_int_equal(pthread_join(setter, NULL), 0);

	print_message("set_max ok %ld busy %ld\n", mt.samples, mt.max_seen);
	assert_true(mt.samples > 0);
	assert_long_equal(page_counter_read(&mt.parent.counter), 0);
	assert_long_equal(page_counter_read(&mt.root.counter), 0);
	assert_int_equal(page_counter_set_max(&mt.parent.counter, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_charge_uncharge_hierarchy),
		cmocka_unit_test(test_try_charge_success),
		cmocka_unit_test(test_try_charge_rollback_middle),
		cmocka_unit_test(test_try_charge_rollback_each_level),
		cmocka_unit_test(test_try_charge_fail_pointer_optional),
		cmocka_unit_test(test_failcnt_only_when_tracked),
		cmocka_unit_test(test_cancel_underflow_clamps),
		cmocka_unit_test(test_watermarks),
		cmocka_unit_test(test_set_max),
		cmocka_unit_test(test_protection_propagation),
		cmocka_unit_test(test_protection_needs_support),
		cmocka_unit_test(test_memparse_valid),
		cmocka_unit_test(test_memparse_invalid),
		cmocka_unit_test(test_memparse_v1_minus_one),
		cmocka_unit_test(test_threaded_try_charge),
		cmocka_unit_test(test_threaded_set_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
