/* SPDX-License-Identifier: MIT */
/*
 * What the control-file tests share (test_cgroupfs.c: the table,
 * test_cgroupfs_v2.c and test_cgroupfs_v1.c: files that follow charges):
 * a fresh engine, reads and writes that must succeed, keyed files, charges.
 */
#ifndef MEMCG_TEST_CGROUPFS_H
#define MEMCG_TEST_CGROUPFS_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memcg/memcg.h"
#include "memcg/hooks.h"
#include "core/cgroupfs.h"
#include "core/memcontrol.h"
#include "audit.h"

#define PG 4096ULL
#define V2 MEMCG_MODE_V2
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define V1 MEMCG_MODE_V1
#define ROOT true
#define CHILD false

/* PAGE_COUNTER_MAX * PAGE_SIZE, what v1 prints for "unlimited" */
#define UNLIMITED "9223372036854771712\n"

#define EVENTS_ZERO \
	"low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static inline struct memcg_engine *
engine_new_kernel(enum memcg_mode mode, bool localevents,
		  enum memcg_policy policy, enum memcg_kernel kernel)
{
	struct memcg_engine *e = NULL;
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.kernel = kernel;
	cfg.mode = mode;
	cfg.policy = policy;
	cfg.memory_bytes = 64UL << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	cfg.memory_localevents = localevents;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_non_null(e);
	memcg_set_cpu(0);
	return e;
}

static inline struct memcg_engine *
engine_new_policy(enum memcg_mode mode, bool localevents,
		  enum memcg_policy policy)
{
	return engine_new_kernel(mode, localevents, policy, MEMCG_KERNEL_6_1);
}

static inline struct memcg_engine *engine_new(enum memcg_mode mode,
					      bool localevents)
{
	return engine_new_policy(mode, localevents, MEMCG_POLICY_REPARENT);
}

/* Remove what is left, check the invariants, destroy. */
static inline void engine_done(struct memcg_engine *e)
{
	memcg_drain_all_stock(memcg_root(e));
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	assert_int_equal(atomic_load(&e->nr_memcgs), 1);
	memcg_engine_destroy(e);
	memcg_set_cpu(-1);
}

static inline struct mem_cgroup *mkdir_h(struct memcg_engine *e,
					 const char *path)
{
	struct mem_cgroup *m = NULL;

	assert_int_equal(memcg_mkdir(e, path, &m), 0);
	assert_non_null(m);
	return m;
}

/* Read a whole file; the result lives until the next call. */
static inline const char *rd(struct mem_cgroup *m, const char *file)
{
	static char buf[8192];
	int n;

	memset(buf, 0x5a, sizeof(buf));
	n = memcg_read(m, file, buf, sizeof(buf));
	if (n <= 0)
		fail_msg("read %s: %d", file, n);
	assert_int_equal((size_t)n, strlen(buf));
	return buf;
}

static inline unsigned long long rd_num(struct mem_cgroup *m,
						const char *file)
{
	const char *s = rd(m, file);
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s || strcmp(end, "\n"))
		fail_msg("%s: not a number: \"%s\"", file, s);
	return v;
}

static inline void wr(struct mem_cgroup *m, const char *file, const char *val)
{
	int ret = memcg_write(m, file, val);

	if (ret)
		fail_msg("write \"%s\" to %s: %d", val, file, ret);
}

/* The value of "key value" in a flat keyed file. */
static inline long long key_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');

		if (!nl)
			fail_msg("unterminated line in \"%s\"", text);
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
		p = nl + 1;
	}
	fail_msg("no key %s in \"%s\"", key, text);
	return -1;
}

static inline long long kv(struct mem_cgroup *m, const char *file,
			   const char *key)
{
	return key_value(rd(m, file), key);
}

/* The file has exactly these keys, in this order, each "key <number>". */
static inline void assert_keys(const char *text, const char *const *keys,
			       size_t n)
{
	const char *p = text;
	size_t i;

	for (i = 0; i < n; i++) {
		size_t klen = strlen(keys[i]);
		char *end;

		if (strncmp(p, keys[i], klen) || p[klen] != ' ')
			fail_msg("key %zu: want %s in \"%s\"", i, keys[i], p);
		p += klen + 1;
		if (*p < '0' || *p > '9')
			fail_msg("%s: no value", keys[i]);
		strtoull(p, &end, 10);
		if (*end != '\n')
			fail_msg("%s: bad value", keys[i]);
		p = end + 1;
	}
	if (*p)
		fail_msg("extra lines: \"%s\"", p);
}

static inline struct folio *charge(struct memcg_engine *e,
				   struct mem_cgroup *m,
				   enum memcg_folio_type type, unsigned order)
{
	struct folio *f = memcg_folio_alloc(e, type, order);

	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, m, MEMCG_GFP_KERNEL), 0);
	return f;
}

/* A charge that must fail: the folio goes back uncharged. */
static inline void charge_fails(struct memcg_engine *e,
				struct mem_cgroup *m, unsigned gfp)
{
	struct folio *f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);

	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, m, gfp), -ENOMEM);
	assert_null(memcg_folio_memcg(e, f));
	memcg_folio_put(e, f);
}

static inline void put_all(struct memcg_engine *e, struct folio **v,
			   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		memcg_folio_put(e, v[i]);
}

#endif /* MEMCG_TEST_CGROUPFS_H */
