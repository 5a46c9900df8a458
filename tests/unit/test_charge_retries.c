// SPDX-License-Identifier: MIT
/*
 * memcg_config.charge_retries: under MEMCG_RETRIES_SKIP_NOOP a failing
 * charge's retries skip the charge walk that must fail at the same
 * counter again, and, when the limiting cgroup has nothing charged in its
 * subtree (reclaim can change nothing), the retries themselves, counted;
 * MEMCG_RETRIES_KERNEL runs everything. On a clock that stands still
 * during the charge (the simulator's), every control file reads the same
 * under both: memory.events and .local, memory.stat, memory.pressure,
 * memory.peak, failcnt (v1); with a page to scan and under MGLRU too
 * (whose retries reclaim an empty subtree outside a stall).
 * On a clock that ticks each time it is read, the skipped stalls are what
 * is missing from memory.pressure.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "memcg/hooks.h"

/* A clock set by hand; @tick is added on every read. */
struct test_clock {
	uint64_t now, tick;
};

static uint64_t clock_now(void *priv)
{
	struct test_clock *c = priv;

	c->now += c->tick;
	return c->now;
}

static void clock_sleep(void *priv, uint64_t ns)
{
	((struct test_clock *)priv)->now += ns;
}

static const struct memcg_clock_ops clock_ops = { clock_now, clock_sleep };

#define NR_DEPTH 3
#define OUT_SIZE 65536

/* The files compared, of each cgroup of the chain P/A/B (v2). */
static const char *const files_v2[] = {
	"memory.events", "memory.events.local", "memory.stat",
	"memory.pressure", "memory.peak", "memory.current",
};

static const char *const files_v1[] = {
	"memory.failcnt", "memory.max_usage_in_bytes", "memory.usage_in_bytes",
	"memory.stat", "memory.oom_control",
};

struct run {
	enum memcg_mode mode;
	enum memcg_kernel kernel;
	enum memcg_charge_retries retries;
	enum memcg_reclaim reclaim;
	uint64_t tick;		/* ns added per clock read */
	bool charged_page;	/* a page in B under P's limit: reclaim scans */
};

static void read_all(struct mem_cgroup **h, const struct run *r, char *out)
{
	const char *const *files = r->mode == MEMCG_MODE_V1 ? files_v1 : files_v2;
	size_t nr = r->mode == MEMCG_MODE_V1 ?
		    sizeof(files_v1) / sizeof(*files_v1) :
		    sizeof(files_v2) / sizeof(*files_v2);
	size_t len = 0, i;
	int d;

	out[0] = '\0';
	for (d = 0; d < NR_DEPTH; d++) {
		for (i = 0; i < nr; i++) {
			ssize_t n;

			len += (size_t)snprintf(out + len, OUT_SIZE - len,
						"%d %s\n", d, files[i]);
			n = memcg_read(h[d], files[i], out + len, OUT_SIZE - len);
			assert_true(n >= 0);
			len += (size_t)n;
			assert_true(len < OUT_SIZE - 256);
		}
	}
}

/*
 * Three failing charges at B, one second apart, under P's limit (0, or
 * one page with that page charged in B); the files of P, A and B after.
 */
static void run_scenario(const struct run *r, char *out)
{
	static const char *const paths[NR_DEPTH] = { "P", "P/A", "P/A/B" };
	struct test_clock clk = { 1000000000ULL, r->tick };
	struct mem_cgroup *h[NR_DEPTH];
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct folio *kept = NULL;
	int i;

	test_config_init(&cfg, 64UL << 20);
	cfg.mode = r->mode;
	cfg.kernel = r->kernel;
	cfg.reclaim = r->reclaim ? r->reclaim : MEMCG_RECLAIM_CLASSIC;
	cfg.charge_retries = r->retries;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	assert_int_equal(memcg_set_clock(e, &clock_ops, &clk), 0);
	for (i = 0; i < NR_DEPTH; i++)
		assert_int_equal(memcg_mkdir(e, paths[i], &h[i]), 0);
	assert_int_equal(memcg_write(h[0], r->mode == MEMCG_MODE_V1 ?
				     "memory.limit_in_bytes" : "memory.max",
				     r->charged_page ? "4096" : "0"), 0);
	if (r->charged_page) {
		kept = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		assert_non_null(kept);
		assert_int_equal(memcg_charge(e, kept, h[2], MEMCG_GFP_KERNEL), 0);
		memcg_folio_add_lru(e, kept);
	}
	for (i = 0; i < 3; i++) {
		struct folio *f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);

		assert_non_null(f);
		assert_int_equal(memcg_charge(e, f, h[2], MEMCG_GFP_KERNEL),
				 -ENOMEM);
		memcg_folio_put(e, f);
		clk.now += 1000000000ULL;
	}
	read_all(h, r, out);
	if (kept)
		memcg_folio_put(e, kept);
	for (i = NR_DEPTH - 1; i >= 0; i--) {
		memcg_put(h[i]);
		assert_int_equal(memcg_rmdir(e, paths[i]), 0);
	}
	memcg_engine_destroy(e);
}

/* Both policies on @r; the files must read the same. */
static void compare(struct run r, char *skip, char *kernel)
{
	r.retries = MEMCG_RETRIES_SKIP_NOOP;
	run_scenario(&r, skip);
	r.retries = MEMCG_RETRIES_KERNEL;
	run_scenario(&r, kernel);
	assert_string_equal(skip, kernel);
}

static long long key_of(const char *text, const char *section, const char *key)
{
	const char *p = strstr(text, section);
	char pat[64];

	assert_non_null(p);
	snprintf(pat, sizeof(pat), "\n%s ", key);
	p = strstr(p, pat);
	assert_non_null(p);
	return atoll(p + strlen(pat));
}

static void test_v2_same_files(void **state)
{
	char *skip = malloc(OUT_SIZE), *kernel = malloc(OUT_SIZE);
	struct run r = { .mode = MEMCG_MODE_V2 };

	(void)state;
	assert_non_null(skip);
	assert_non_null(kernel);
	r.kernel = MEMCG_KERNEL_6_1;
	compare(r, skip, kernel);
	/* 18 reclaims per charge (1, 1 after the drain, 16 retries), 1 OOM */
	assert_int_equal(key_of(skip, "0 memory.events\n", "max"), 3 * 18);
	assert_int_equal(key_of(skip, "0 memory.events\n", "oom"), 3);
	assert_int_equal(key_of(skip, "2 memory.events\n", "max"), 0);
	r.kernel = MEMCG_KERNEL_6_12;
	compare(r, skip, kernel);
	assert_int_equal(key_of(skip, "1 memory.events\n", "max"), 0);
	assert_int_equal(key_of(skip, "0 memory.events.local\n", "max"), 3 * 18);
	/* MGLRU: every retry's reclaim runs, only the walks are skipped */
	r.reclaim = MEMCG_RECLAIM_MGLRU;
	compare(r, skip, kernel);
	assert_int_equal(key_of(skip, "0 memory.events\n", "max"), 3 * 18);
	free(skip);
	free(kernel);
}

/* Each failing attempt counts one failcnt: 19 per charge, batch first. */
static void test_v1_same_failcnt(void **state)
{
	char *skip = malloc(OUT_SIZE), *kernel = malloc(OUT_SIZE);
	struct run r = { .mode = MEMCG_MODE_V1, .kernel = MEMCG_KERNEL_6_1 };
	const char *p;

	(void)state;
	assert_non_null(skip);
	assert_non_null(kernel);
	compare(r, skip, kernel);
	p = strstr(skip, "0 memory.failcnt\n");
	assert_non_null(p);
	assert_int_equal(atoll(p + strlen("0 memory.failcnt\n")), 3 * 19);
	free(skip);
	free(kernel);
}

/* With a page to scan only the walks are skipped: same files, ticking clock. */
static void test_scanning_runs_every_retry(void **state)
{
	char *skip = malloc(OUT_SIZE), *kernel = malloc(OUT_SIZE);
	struct run r = { .mode = MEMCG_MODE_V2, .kernel = MEMCG_KERNEL_6_1,
			 .tick = 1000, .charged_page = true };

	(void)state;
	assert_non_null(skip);
	assert_non_null(kernel);
	compare(r, skip, kernel);
	assert_int_equal(key_of(skip, "0 memory.events\n", "max"), 3 * 18);
	r.kernel = MEMCG_KERNEL_6_12;
	r.reclaim = MEMCG_RECLAIM_MGLRU;
	compare(r, skip, kernel);
	free(skip);
	free(kernel);
}

/*
 * On a ticking clock the skipped stalls' time is what differs: the
 * skipped retries' under classic reclaim, the retries' reclaims run
 * outside a stall under MGLRU.
 */
static void stalls_take_no_time(enum memcg_kernel k, enum memcg_reclaim rec)
{
	char *skip = malloc(OUT_SIZE), *kernel = malloc(OUT_SIZE);
	struct run r = { .mode = MEMCG_MODE_V2, .kernel = k, .reclaim = rec,
			 .tick = 1000 };
	const char *ps, *pk;

	assert_non_null(skip);
	assert_non_null(kernel);
	r.retries = MEMCG_RETRIES_SKIP_NOOP;
	run_scenario(&r, skip);
	r.retries = MEMCG_RETRIES_KERNEL;
	run_scenario(&r, kernel);
	assert_int_equal(key_of(skip, "0 memory.events\n", "max"),
			 key_of(kernel, "0 memory.events\n", "max"));
	ps = strstr(strstr(skip, "2 memory.pressure\n"), "total=");
	pk = strstr(strstr(kernel, "2 memory.pressure\n"), "total=");
	assert_non_null(ps);
	assert_non_null(pk);
	assert_true(atoll(ps + 6) > 0);
	assert_true(atoll(ps + 6) < atoll(pk + 6));
	free(skip);
	free(kernel);
}

static void test_skipped_stalls_take_no_time(void **state)
{
	(void)state;
	stalls_take_no_time(MEMCG_KERNEL_6_1, MEMCG_RECLAIM_CLASSIC);
	stalls_take_no_time(MEMCG_KERNEL_6_12, MEMCG_RECLAIM_MGLRU);
}

static void test_bad_config(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e = NULL;

	(void)state;
	test_config_init(&cfg, 64UL << 20);
	cfg.charge_retries = (enum memcg_charge_retries)2;
	assert_int_equal(memcg_engine_create(&cfg, &e), -EINVAL);
	assert_null(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_same_files),
		cmocka_unit_test(test_v1_same_failcnt),
		cmocka_unit_test(test_scanning_runs_every_retry),
		cmocka_unit_test(test_skipped_stalls_take_no_time),
		cmocka_unit_test(test_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
