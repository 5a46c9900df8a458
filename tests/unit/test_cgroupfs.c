// SPDX-License-Identifier: MIT
/*
 * The control files (src/core/cgroupfs*.c) against the kernel's behaviour.
 *
 * Part one is a table: one row per (interface, cgroup, file, input), each
 * run as its own test case on a fresh engine. A row optionally writes some
 * preset values, writes its input, checks the errno, then reads the file
 * back. Part two follows files whose values come from charges: memory.peak
 * and its per-fd state, memory.events, memory.stat, cgroup.stat and the v1
 * counters.
 *
 * Kernel references (behaviour only, no code taken):
 * - kernel/cgroup/cgroup.c cgroup_file_write(): a zero-byte write returns 0
 *   before anything else; write_u64 files get kstrtoull() on the raw
 *   buffer; a file with no write handler gives -EINVAL.
 * - mm/page_counter.c page_counter_memparse(): "max" (v2) or "-1" (v1) by
 *   strcmp, else lib/cmdline.c memparse() (simple_strtoull base 0, which
 *   wraps past 64 bits, then one K/M/G/T/P/E suffix that wraps the shift),
 *   trailing garbage -EINVAL, bytes / PAGE_SIZE rounded down and capped at
 *   PAGE_COUNTER_MAX.
 * - lib/kstrtox.c: one '+' (or '-' for the signed ones), base auto (0x hex,
 *   0 octal), -ERANGE on overflow before -EINVAL on trailing garbage.
 * - mm/memcontrol.c memory_files[]/swap_files[] (flags, handlers,
 *   peak_write()/peak_show(), __memcg_memory_event()), mm/memcontrol-v1.c
 *   (mem_cgroup_legacy_files[], memsw_files[], mem_cgroup_resize_max(),
 *   memcg1_stat_format()).
 *
 * The errno of bad input, row by row against both kernels, is
 * test_errno.c's (docs/ERRNO.md).
 *
 * Known differences from the kernel, deliberately not pinned here:
 * - cgroup.stat lacks the 6.12+ nr_subsys_memory / nr_dying_subsys_memory
 *   lines, so cgroup.stat and memory.stat are checked by key, not verbatim;
 * - reads through an fd of a removed cgroup succeed (the kernel: -ENODEV).
 */
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

static struct memcg_engine *engine_new_kernel(enum memcg_mode mode,
					       bool localevents,
					       enum memcg_policy policy,
					       enum memcg_kernel kernel)
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

static struct memcg_engine *engine_new_policy(enum memcg_mode mode,
					       bool localevents,
					       enum memcg_policy policy)
{
	return engine_new_kernel(mode, localevents, policy, MEMCG_KERNEL_6_1);
}

static struct memcg_engine *engine_new(enum memcg_mode mode, bool localevents)
{
	return engine_new_policy(mode, localevents, MEMCG_POLICY_REPARENT);
}

/* Remove what is left, check the invariants, destroy. */
static void engine_done(struct memcg_engine *e)
{
	memcg_drain_all_stock(memcg_root(e));
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	assert_int_equal(atomic_load(&e->nr_memcgs), 1);
	memcg_engine_destroy(e);
	memcg_set_cpu(-1);
}

static struct mem_cgroup *mkdir_h(struct memcg_engine *e, const char *path)
{
	struct mem_cgroup *m = NULL;

	assert_int_equal(memcg_mkdir(e, path, &m), 0);
	assert_non_null(m);
	return m;
}

/* Read a whole file; the result lives until the next call. */
static const char *rd(struct mem_cgroup *m, const char *file)
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

static unsigned long long rd_num(struct mem_cgroup *m, const char *file)
{
	const char *s = rd(m, file);
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s || strcmp(end, "\n"))
		fail_msg("%s: not a number: \"%s\"", file, s);
	return v;
}

static void wr(struct mem_cgroup *m, const char *file, const char *val)
{
	int ret = memcg_write(m, file, val);

	if (ret)
		fail_msg("write \"%s\" to %s: %d", val, file, ret);
}

/* The value of "key value" in a flat keyed file. */
static long long key_value(const char *text, const char *key)
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

static long long kv(struct mem_cgroup *m, const char *file, const char *key)
{
	return key_value(rd(m, file), key);
}

/* The file has exactly these keys, in this order, each "key <number>". */
static void assert_keys(const char *text, const char *const *keys, size_t n)
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

static struct folio *charge(struct memcg_engine *e, struct mem_cgroup *m,
			    enum memcg_folio_type type, unsigned order)
{
	struct folio *f = memcg_folio_alloc(e, type, order);

	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, m, MEMCG_GFP_KERNEL), 0);
	return f;
}

/* A charge that must fail: the folio goes back uncharged. */
static void charge_fails(struct memcg_engine *e, struct mem_cgroup *m,
			 unsigned gfp)
{
	struct folio *f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);

	assert_non_null(f);
	assert_int_equal(memcg_charge(e, f, m, gfp), -ENOMEM);
	assert_null(memcg_folio_memcg(e, f));
	memcg_folio_put(e, f);
}

static void put_all(struct memcg_engine *e, struct folio **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		memcg_folio_put(e, v[i]);
}

/* ------------------------------------------------------------------ */
/* part one: the table                                                 */
/* ------------------------------------------------------------------ */

struct row {
	enum memcg_mode mode;
	bool on_root;		/* the root, or a fresh child "t" */
	const char *file;
	const char *pre[4];	/* { file, value, file, value }: must succeed */
	const char *input;	/* NULL: no write */
	int werr;		/* memcg_write() result */
	int rerr;		/* memcg_read() result, if negative */
	const char *back;	/* read-back; NULL: any non-empty text */
};

/* plain row */
#define R(m, r, f, in, err, back) \
	{ m, r, f, { NULL }, in, err, 0, back }
/* row with a preset of the same file */
#define P(m, r, f, pre, in, err, back) \
	{ m, r, f, { f, pre }, in, err, 0, back }
/* row with presets of other files */
#define P2(m, r, f, f1, v1, f2, v2, in, err, back) \
	{ m, r, f, { f1, v1, f2, v2 }, in, err, 0, back }
/* a write-only file: reads give -EINVAL */
#define W(m, r, f, in, err) \
	{ m, r, f, { NULL }, in, err, -EINVAL, NULL }
/* a file that does not exist there: read and write -ENOENT */
#define NOENT(m, r, f) \
	{ m, r, f, { NULL }, "0", -ENOENT, -ENOENT, NULL }

/*
 * v2 limits and protections (page_counter_memparse(buf, "max")). Preset
 * 3 pages, so that a write that does not apply is visible.
 */
#define LIMIT_ROWS(f)							\
	P(V2, CHILD, f, "12288", "0", 0, "0\n"),			\
	P(V2, CHILD, f, "12288", "4096", 0, "4096\n"),			\
	P(V2, CHILD, f, "12288", "4097", 0, "4096\n"),			\
	P(V2, CHILD, f, "12288", "8191", 0, "4096\n"),			\
	P(V2, CHILD, f, "12288", "1K", 0, "0\n"),			\
	P(V2, CHILD, f, "12288", "8k", 0, "8192\n"),			\
	P(V2, CHILD, f, "12288", "1M", 0, "1048576\n"),			\
	P(V2, CHILD, f, "12288", "1m", 0, "1048576\n"),			\
	P(V2, CHILD, f, "12288", "1G", 0, "1073741824\n"),		\
	P(V2, CHILD, f, "12288", "1T", 0, "1099511627776\n"),		\
	P(V2, CHILD, f, "12288", "1P", 0, "1125899906842624\n"),	\
	P(V2, CHILD, f, "12288", "7E", 0, "8070450532247928832\n"),	\
	P(V2, CHILD, f, "12288", "8E", 0, "max\n"),			\
	/* the suffix shift wraps: 16 << 60 == 0 */			\
	P(V2, CHILD, f, "12288", "16E", 0, "0\n"),			\
	P(V2, CHILD, f, "12288", "max", 0, "max\n"),			\
	P(V2, CHILD, f, "12288", "max\n", 0, "max\n"),			\
	P(V2, CHILD, f, "12288", "\tmax \n", 0, "max\n"),		\
	P(V2, CHILD, f, "12288", " 1M \n", 0, "1048576\n"),		\
	P(V2, CHILD, f, "12288", "0x2000", 0, "8192\n"),		\
	P(V2, CHILD, f, "12288", "0X2000", 0, "8192\n"),		\
	/* a leading 0 is octal: 010000 == 4096 */			\
	P(V2, CHILD, f, "12288", "010000", 0, "4096\n"),		\
	P(V2, CHILD, f, "12288", "9223372036854775807", 0, "max\n"),	\
	P(V2, CHILD, f, "12288", "18446744073709551615", 0, "max\n"),	\
	/* simple_strtoull wraps past 64 bits */			\
	P(V2, CHILD, f, "12288", "99999999999999999999", 0,		\
	  "7766279631452237824\n"),					\
	/* memparse: no digits then a suffix is 0 */			\
	P(V2, CHILD, f, "12288", "K", 0, "0\n"),			\
	/* a zero-byte write is a no-op */				\
	P(V2, CHILD, f, "12288", "", 0, "12288\n"),			\
	/* "\n" strips to "", which memparse reads as 0 */		\
	P(V2, CHILD, f, "12288", "\n", 0, "0\n"),			\
	P(V2, CHILD, f, "12288", "   ", 0, "0\n"),			\
	P(V2, CHILD, f, "12288", "abc", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "1MB", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "1M x", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "1 M", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "-1", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "+1M", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "max1", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "maxx", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "MAX", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "1.5M", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "0x", -EINVAL, "12288\n"),		\
	P(V2, CHILD, f, "12288", "08", -EINVAL, "12288\n"),		\
	NOENT(V2, ROOT, f)

/* v2 read-only files: writes -EINVAL, zero-byte writes 0 */
#define RO_ROWS(f, back)						\
	R(V2, CHILD, f, "0", -EINVAL, back),				\
	R(V2, CHILD, f, "\n", -EINVAL, back),				\
	R(V2, CHILD, f, "", 0, back)

/*
 * Under 6.1, the default profile, memory.peak is read-only and
 * memory.swap.peak absent (6.5); 6.12's writes: test_errno.c and
 * test_v2_peak_per_fd.
 */
#define PEAK_ROWS_6_1							\
	R(V2, CHILD, "memory.peak", NULL, 0, "0\n"),			\
	R(V2, CHILD, "memory.peak", "reset", -EINVAL, "0\n"),		\
	R(V2, CHILD, "memory.peak", "\n", -EINVAL, "0\n"),		\
	R(V2, CHILD, "memory.peak", "", 0, "0\n"),			\
	NOENT(V2, ROOT, "memory.peak"),					\
	NOENT(V2, CHILD, "memory.swap.peak"),				\
	NOENT(V2, ROOT, "memory.swap.peak")

static const struct row rows[] = {
	/* ---- v2: limits and protections ---- */
	LIMIT_ROWS("memory.min"),
	LIMIT_ROWS("memory.low"),
	LIMIT_ROWS("memory.high"),
	LIMIT_ROWS("memory.max"),
	LIMIT_ROWS("memory.swap.high"),
	LIMIT_ROWS("memory.swap.max"),
	/* defaults */
	R(V2, CHILD, "memory.min", NULL, 0, "0\n"),
	R(V2, CHILD, "memory.low", NULL, 0, "0\n"),
	R(V2, CHILD, "memory.high", NULL, 0, "max\n"),
	R(V2, CHILD, "memory.max", NULL, 0, "max\n"),
	R(V2, CHILD, "memory.swap.high", NULL, 0, "max\n"),
	R(V2, CHILD, "memory.swap.max", NULL, 0, "max\n"),

	/* ---- v2: read-only files ---- */
	RO_ROWS("memory.current", "0\n"),
	RO_ROWS("memory.events", EVENTS_ZERO),
	RO_ROWS("memory.events.local", EVENTS_ZERO),
	RO_ROWS("memory.stat", NULL),
	RO_ROWS("cgroup.stat", NULL),
	RO_ROWS("memory.swap.current", "0\n"),
	RO_ROWS("memory.swap.events", "high 0\nmax 0\nfail 0\n"),
	NOENT(V2, ROOT, "memory.current"),
	NOENT(V2, ROOT, "memory.events"),
	NOENT(V2, ROOT, "memory.events.local"),
	NOENT(V2, ROOT, "memory.swap.current"),
	NOENT(V2, ROOT, "memory.swap.events"),
	/* memory.stat and cgroup.stat exist on the root */
	R(V2, ROOT, "memory.stat", "0", -EINVAL, NULL),
	R(V2, ROOT, "memory.stat", "", 0, NULL),
	R(V2, ROOT, "cgroup.stat", "0", -EINVAL, NULL),
	R(V2, ROOT, "cgroup.stat", "", 0, NULL),

	/* ---- v2: memory.peak, memory.swap.peak ---- */
	PEAK_ROWS_6_1,

	/* ---- v2: memory.reclaim ("SIZE" on 6.1, the default profile; 6.12's
	 * "swappiness=N" argument is in test_errno.c), write-only; nothing
	 * to reclaim in a fresh cgroup: -EAGAIN ---- */
	W(V2, CHILD, "memory.reclaim", "0", 0),
	W(V2, CHILD, "memory.reclaim", "", 0),
	W(V2, CHILD, "memory.reclaim", "1M", -EAGAIN),
	W(V2, CHILD, "memory.reclaim", "1M\n", -EAGAIN),
	W(V2, CHILD, "memory.reclaim", "1M swappiness=60", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "1M swappiness=0", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "1M swappiness=200", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "1M swappiness=max", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "1M swappiness=201", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "1M swappiness=-1", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "1M swappiness=", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "1M foo", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "abc", -EINVAL),
	W(V2, CHILD, "memory.reclaim", "max", -EINVAL),
	W(V2, ROOT, "memory.reclaim", "0", 0),
	W(V2, ROOT, "memory.reclaim", "4K", -EAGAIN),
	NOENT(V1, CHILD, "memory.reclaim"),
	/* ---- v2: memory.oom.group (kstrtoint, then 0 or 1) ---- */
	R(V2, CHILD, "memory.oom.group", NULL, 0, "0\n"),
	R(V2, CHILD, "memory.oom.group", "1", 0, "1\n"),
	R(V2, CHILD, "memory.oom.group", "1\n", 0, "1\n"),
	R(V2, CHILD, "memory.oom.group", " 1 \n", 0, "1\n"),
	R(V2, CHILD, "memory.oom.group", "+1", 0, "1\n"),
	R(V2, CHILD, "memory.oom.group", "0x1", 0, "1\n"),
	R(V2, CHILD, "memory.oom.group", "01", 0, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "0", 0, "0\n"),
	P(V2, CHILD, "memory.oom.group", "1", "-0", 0, "0\n"),
	P(V2, CHILD, "memory.oom.group", "1", "0x0", 0, "0\n"),
	P(V2, CHILD, "memory.oom.group", "1", "", 0, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "\n", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "2", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "-1", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "-2147483648", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "abc", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "true", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "1x", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "0 1", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "0x", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "08", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "--1", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "+-1", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "-+1", -EINVAL, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "99999999999", -ERANGE, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "2147483648", -ERANGE, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "-2147483649", -ERANGE, "1\n"),
	P(V2, CHILD, "memory.oom.group", "1", "99999999999999999999999",
	  -ERANGE, "1\n"),
	/* _kstrtoull: the overflow is reported before the garbage */
	P(V2, CHILD, "memory.oom.group", "1", "99999999999999999999999x",
	  -ERANGE, "1\n"),
	NOENT(V2, ROOT, "memory.oom.group"),

	/* ---- v2: names that do not exist ---- */
	NOENT(V2, CHILD, "memory.limit_in_bytes"),
	NOENT(V2, CHILD, "memory.use_hierarchy"),
	NOENT(V2, CHILD, "memory.kmem.usage_in_bytes"),
	NOENT(V2, ROOT, "memory.kmem.tcp.usage_in_bytes"),
	NOENT(V2, CHILD, "memory.nonexistent"),
	NOENT(V2, CHILD, "memory.MAX"),
	NOENT(V2, CHILD, "memory.max\n"),
	NOENT(V2, CHILD, "memory.max "),
	NOENT(V2, CHILD, "max"),
	NOENT(V2, CHILD, ""),
	NOENT(V2, ROOT, "memory.swappiness"),
	NOENT(V2, ROOT, ""),

	/* ---- v1: memory.limit_in_bytes (memparse with "-1") ---- */
	R(V1, CHILD, "memory.limit_in_bytes", NULL, 0, UNLIMITED),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "-1", 0, UNLIMITED),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "-1\n", 0, UNLIMITED),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", " -1 ", 0, UNLIMITED),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "max", -EINVAL,
	  "1048576\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "-2", -EINVAL,
	  "1048576\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "abc", -EINVAL,
	  "1048576\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "1MB", -EINVAL,
	  "1048576\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "", 0, "1048576\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "\n", 0, "0\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "4096", 0, "4096\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "4097", 0, "4096\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", " 8k \n", 0, "8192\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "0x2000", 0, "8192\n"),
	P(V1, CHILD, "memory.limit_in_bytes", "1M", "2G", 0, "2147483648\n"),
	/* the limit of the root cannot be set */
	R(V1, ROOT, "memory.limit_in_bytes", NULL, 0, UNLIMITED),
	R(V1, ROOT, "memory.limit_in_bytes", "1M", -EINVAL, UNLIMITED),
	R(V1, ROOT, "memory.limit_in_bytes", "-1", -EINVAL, UNLIMITED),
	R(V1, ROOT, "memory.limit_in_bytes", "abc", -EINVAL, UNLIMITED),
	R(V1, ROOT, "memory.limit_in_bytes", "", 0, UNLIMITED),
	R(V1, ROOT, "memory.memsw.limit_in_bytes", "1M", -EINVAL, UNLIMITED),
	R(V1, ROOT, "memory.memsw.limit_in_bytes", "-1", -EINVAL, UNLIMITED),

	/* ---- v1: memsw limit; memory.max <= memsw.max at all times ---- */
	R(V1, CHILD, "memory.memsw.limit_in_bytes", NULL, 0, UNLIMITED),
	R(V1, CHILD, "memory.memsw.limit_in_bytes", "1M", -EINVAL, UNLIMITED),
	R(V1, CHILD, "memory.memsw.limit_in_bytes", "-1", 0, UNLIMITED),
	R(V1, CHILD, "memory.memsw.limit_in_bytes", "max", -EINVAL,
	  UNLIMITED),
	P2(V1, CHILD, "memory.memsw.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", NULL, NULL,
	   "1M", 0, "1048576\n"),
	P2(V1, CHILD, "memory.memsw.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", NULL, NULL,
	   "2M", 0, "2097152\n"),
	P2(V1, CHILD, "memory.memsw.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", NULL, NULL,
	   "1048575", -EINVAL, UNLIMITED),
	P2(V1, CHILD, "memory.memsw.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", NULL, NULL,
	   "512K", -EINVAL, UNLIMITED),
	P2(V1, CHILD, "memory.memsw.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", "memory.memsw.limit_in_bytes", "2M",
	   "-1", 0, UNLIMITED),
	P2(V1, CHILD, "memory.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", "memory.memsw.limit_in_bytes", "2M",
	   "2M", 0, "2097152\n"),
	P2(V1, CHILD, "memory.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", "memory.memsw.limit_in_bytes", "2M",
	   "4M", -EINVAL, "1048576\n"),
	P2(V1, CHILD, "memory.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", "memory.memsw.limit_in_bytes", "2M",
	   "-1", -EINVAL, "1048576\n"),
	P2(V1, CHILD, "memory.limit_in_bytes",
	   "memory.limit_in_bytes", "1M", "memory.memsw.limit_in_bytes", "2M",
	   "512K", 0, "524288\n"),

	/* ---- v1: usage (read-only) ---- */
	R(V1, CHILD, "memory.usage_in_bytes", NULL, 0, "0\n"),
	R(V1, CHILD, "memory.usage_in_bytes", "0", -EINVAL, "0\n"),
	R(V1, CHILD, "memory.usage_in_bytes", "", 0, "0\n"),
	R(V1, ROOT, "memory.usage_in_bytes", "0", -EINVAL, "0\n"),
	R(V1, CHILD, "memory.memsw.usage_in_bytes", "0", -EINVAL, "0\n"),
	R(V1, ROOT, "memory.memsw.usage_in_bytes", "0", -EINVAL, "0\n"),

	/* ---- v1: peaks and failure counts: any write resets ---- */
	R(V1, CHILD, "memory.max_usage_in_bytes", NULL, 0, "0\n"),
	R(V1, CHILD, "memory.max_usage_in_bytes", "0", 0, "0\n"),
	R(V1, CHILD, "memory.max_usage_in_bytes", "whatever", 0, "0\n"),
	R(V1, CHILD, "memory.max_usage_in_bytes", "\n", 0, "0\n"),
	R(V1, CHILD, "memory.max_usage_in_bytes", "", 0, "0\n"),
	R(V1, ROOT, "memory.max_usage_in_bytes", "0", 0, "0\n"),
	R(V1, CHILD, "memory.memsw.max_usage_in_bytes", "x", 0, "0\n"),
	R(V1, ROOT, "memory.memsw.max_usage_in_bytes", "0", 0, "0\n"),
	R(V1, CHILD, "memory.failcnt", NULL, 0, "0\n"),
	R(V1, CHILD, "memory.failcnt", "0", 0, "0\n"),
	R(V1, CHILD, "memory.failcnt", "junk", 0, "0\n"),
	R(V1, ROOT, "memory.failcnt", "0", 0, "0\n"),
	R(V1, CHILD, "memory.memsw.failcnt", "0", 0, "0\n"),
	R(V1, ROOT, "memory.memsw.failcnt", "1", 0, "0\n"),

	/* ---- v1: memory.stat ---- */
	R(V1, CHILD, "memory.stat", "0", -EINVAL, NULL),
	R(V1, ROOT, "memory.stat", "0", -EINVAL, NULL),
	R(V1, ROOT, "memory.stat", "", 0, NULL),

	/* ---- v1: use_hierarchy (kstrtoull, only 1) ---- */
	R(V1, CHILD, "memory.use_hierarchy", NULL, 0, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "1", 0, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "1\n", 0, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "+1", 0, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "0x1", 0, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "01", 0, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "", 0, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "0", -EINVAL, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "2", -EINVAL, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "-1", -EINVAL, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "abc", -EINVAL, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "\n", -EINVAL, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "++1", -EINVAL, "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "99999999999999999999", -ERANGE,
	  "1\n"),
	R(V1, CHILD, "memory.use_hierarchy", "99999999999999999999z", -ERANGE,
	  "1\n"),
	R(V1, ROOT, "memory.use_hierarchy", "1", 0, "1\n"),
	R(V1, ROOT, "memory.use_hierarchy", "0", -EINVAL, "1\n"),

	/* ---- v1: swappiness (kstrtoull, 0..200) ---- */
	/* ---- v1: memory.move_charge_at_immigrate (bits 0 and 1) ---- */
	R(V1, CHILD, "memory.move_charge_at_immigrate", NULL, 0, "0\n"),
	R(V1, CHILD, "memory.move_charge_at_immigrate", "1", 0, "1\n"),
	R(V1, CHILD, "memory.move_charge_at_immigrate", "3", 0, "3\n"),
	R(V1, CHILD, "memory.move_charge_at_immigrate", "0x2", 0, "2\n"),
	P(V1, CHILD, "memory.move_charge_at_immigrate", "1", "4", -EINVAL, "1\n"),
	P(V1, CHILD, "memory.move_charge_at_immigrate", "1", "-1", -EINVAL, "1\n"),
	P(V1, CHILD, "memory.move_charge_at_immigrate", "1", "x", -EINVAL, "1\n"),
	R(V1, ROOT, "memory.move_charge_at_immigrate", "1", 0, "1\n"),
	NOENT(V2, CHILD, "memory.move_charge_at_immigrate"),
	R(V1, CHILD, "memory.swappiness", NULL, 0, "60\n"),
	P(V1, CHILD, "memory.swappiness", "10", "0", 0, "0\n"),
	P(V1, CHILD, "memory.swappiness", "10", "200", 0, "200\n"),
	P(V1, CHILD, "memory.swappiness", "10", "100\n", 0, "100\n"),
	P(V1, CHILD, "memory.swappiness", "10", "+5", 0, "5\n"),
	P(V1, CHILD, "memory.swappiness", "10", "0x10", 0, "16\n"),
	P(V1, CHILD, "memory.swappiness", "10", "010", 0, "8\n"),
	P(V1, CHILD, "memory.swappiness", "10", "", 0, "10\n"),
	P(V1, CHILD, "memory.swappiness", "10", "201", -EINVAL, "10\n"),
	P(V1, CHILD, "memory.swappiness", "10", "-1", -EINVAL, "10\n"),
	P(V1, CHILD, "memory.swappiness", "10", "-0", -EINVAL, "10\n"),
	P(V1, CHILD, "memory.swappiness", "10", "abc", -EINVAL, "10\n"),
	P(V1, CHILD, "memory.swappiness", "10", "\n", -EINVAL, "10\n"),
	P(V1, CHILD, "memory.swappiness", "10", "08", -EINVAL, "10\n"),
	P(V1, CHILD, "memory.swappiness", "10", "18446744073709551615",
	  -EINVAL, "10\n"),
	P(V1, CHILD, "memory.swappiness", "10", "18446744073709551616",
	  -ERANGE, "10\n"),
	R(V1, ROOT, "memory.swappiness", NULL, 0, "60\n"),
	R(V1, ROOT, "memory.swappiness", "30", 0, "30\n"),
	R(V1, ROOT, "memory.swappiness", "201", -EINVAL, "60\n"),

	/* ---- v1: kernel memory (memory.kmem.*, memory.kmem.tcp.*) ---- */
	/* 6.18: kmem.limit_in_bytes is deprecated, a write has no effect */
	R(V1, CHILD, "memory.kmem.limit_in_bytes", NULL, 0, UNLIMITED),
	R(V1, CHILD, "memory.kmem.limit_in_bytes", "1M", 0, UNLIMITED),
	R(V1, CHILD, "memory.kmem.limit_in_bytes", "abc", -EINVAL, UNLIMITED),
	R(V1, ROOT, "memory.kmem.limit_in_bytes", "1M", -EINVAL, UNLIMITED),
	R(V1, ROOT, "memory.kmem.limit_in_bytes", "", 0, UNLIMITED),
	R(V1, CHILD, "memory.kmem.usage_in_bytes", NULL, 0, "0\n"),
	R(V1, CHILD, "memory.kmem.usage_in_bytes", "0", -EINVAL, "0\n"),
	R(V1, ROOT, "memory.kmem.usage_in_bytes", "0", -EINVAL, "0\n"),
	R(V1, CHILD, "memory.kmem.failcnt", "x", 0, "0\n"),
	R(V1, ROOT, "memory.kmem.failcnt", "0", 0, "0\n"),
	R(V1, CHILD, "memory.kmem.max_usage_in_bytes", "0", 0, "0\n"),
	R(V1, ROOT, "memory.kmem.max_usage_in_bytes", "0", 0, "0\n"),
	R(V1, CHILD, "memory.kmem.tcp.limit_in_bytes", NULL, 0, UNLIMITED),
	P(V1, CHILD, "memory.kmem.tcp.limit_in_bytes", "1M", "-1", 0,
	  UNLIMITED),
	P(V1, CHILD, "memory.kmem.tcp.limit_in_bytes", "1M", "8k", 0,
	  "8192\n"),
	P(V1, CHILD, "memory.kmem.tcp.limit_in_bytes", "1M", "max", -EINVAL,
	  "1048576\n"),
	R(V1, ROOT, "memory.kmem.tcp.limit_in_bytes", "1M", -EINVAL,
	  UNLIMITED),
	R(V1, CHILD, "memory.kmem.tcp.usage_in_bytes", "0", -EINVAL, "0\n"),
	R(V1, ROOT, "memory.kmem.tcp.usage_in_bytes", NULL, 0, "0\n"),
	R(V1, CHILD, "memory.kmem.tcp.failcnt", "0", 0, "0\n"),
	R(V1, ROOT, "memory.kmem.tcp.failcnt", "0", 0, "0\n"),
	R(V1, CHILD, "memory.kmem.tcp.max_usage_in_bytes", "0", 0, "0\n"),
	R(V1, ROOT, "memory.kmem.tcp.max_usage_in_bytes", "0", 0, "0\n"),

	/* ---- v1: soft limit, oom_control, force_empty, event_control,
	 * pressure_level (the errno of more inputs: test_errno.c) ---- */
	R(V1, CHILD, "memory.soft_limit_in_bytes", NULL, 0, UNLIMITED),
	R(V1, CHILD, "memory.soft_limit_in_bytes", "1M", 0, "1048576\n"),
	R(V1, ROOT, "memory.soft_limit_in_bytes", "-1", 0, UNLIMITED),
	R(V1, CHILD, "memory.oom_control", "0", 0,
	  "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"),
	R(V1, CHILD, "memory.oom_control", "1", -EOPNOTSUPP, NULL),
	R(V1, ROOT, "memory.oom_control", "0", -EINVAL, NULL),
	W(V1, CHILD, "memory.force_empty", "0", 0),
	W(V1, ROOT, "memory.force_empty", "0", -EINVAL),
	W(V1, CHILD, "cgroup.event_control", "3 4", -EBADF),
	W(V1, ROOT, "cgroup.event_control", "3", -EINVAL),
	W(V1, CHILD, "memory.pressure_level", "low", -EINVAL),
	W(V1, ROOT, "memory.pressure_level", "", 0),

	/* ---- v1: names that do not exist (the v2 files among them) ---- */
	NOENT(V1, CHILD, "memory.max"),
	NOENT(V1, CHILD, "memory.current"),
	NOENT(V1, CHILD, "memory.peak"),
	NOENT(V1, CHILD, "memory.oom.group"),
	NOENT(V1, CHILD, "memory.events"),
	NOENT(V1, CHILD, "memory.swap.max"),
	NOENT(V1, ROOT, "cgroup.stat"),
	NOENT(V1, CHILD, "memory.limit_in_bytes "),
	NOENT(V1, CHILD, ""),
};

#define NR_ROWS (sizeof(rows) / sizeof(rows[0]))

static void run_row(void **state)
{
	const struct row *r = *state;
	struct memcg_engine *e = engine_new(r->mode, false);
	struct mem_cgroup *m = NULL;
	struct memcg_file *f = NULL;
	char buf[4096];
	int i, ret;

	if (r->on_root)
		m = memcg_root(e);
	else
		m = mkdir_h(e, "t");

	for (i = 0; i < 4 && r->pre[i]; i += 2)
		wr(m, r->pre[i], r->pre[i + 1]);

	if (r->input) {
		ret = memcg_write(m, r->file, r->input);
		assert_int_equal(ret, r->werr);
	}

	ret = memcg_open(m, r->file, &f);
	if (r->rerr == -ENOENT) {
		assert_int_equal(ret, -ENOENT);
	} else {
		assert_int_equal(ret, 0);
		memcg_file_close(f);
	}

	memset(buf, 0x5a, sizeof(buf));
	ret = memcg_read(m, r->file, buf, sizeof(buf));
	if (r->rerr) {
		assert_int_equal(ret, r->rerr);
	} else {
		assert_true(ret > 0);
		assert_int_equal((size_t)ret, strlen(buf));
		assert_int_equal(buf[ret - 1], '\n');
		if (r->back)
			assert_string_equal(buf, r->back);
	}

	if (!r->on_root) {
		memcg_put(m);
		assert_int_equal(memcg_rmdir(e, "t"), 0);
	}
	engine_done(e);
}

/* @s in quotes, newlines and tabs escaped, cut to fit @len */
static void quote(char *out, size_t len, const char *s)
{
	char *p = out;

	*p++ = '"';
	for (; *s && p < out + len - 4; s++) {
		if (*s == '\n' || *s == '\t') {
			*p++ = '\\';
			*p++ = *s == '\n' ? 'n' : 't';
		} else {
			*p++ = *s;
		}
	}
	*p++ = '"';
	*p = '\0';
}

/* e.g. v2 child "memory.max" (preset) <- "4097" */
static char *row_name(const struct row *r)
{
	char file[64], in[96], *name;

	quote(file, sizeof(file), r->file);
	if (r->input)
		quote(in, sizeof(in), r->input);
	else
		strcpy(in, "(read)");
	if (asprintf(&name, "%s %s %s%s <- %s", r->mode == V1 ? "v1" : "v2",
		     r->on_root ? "root" : "child", file,
		     r->pre[0] ? " (preset)" : "", in) < 0)
		return NULL;
	return name;
}

/* ------------------------------------------------------------------ */
/* part two: files that follow charges                                 */
/* ------------------------------------------------------------------ */

/*
 * memory.peak (6.12: writable): without a write the fd shows the
 * all-time watermark; a
 * write sets the fd's value and local_watermark to the usage and raises
 * every other registered fd to at least the usage (peak_write()); reads
 * then show max(fd value, local_watermark) (peak_show()).
 */
static void test_v2_peak_per_fd(void **state)
{
	struct memcg_engine *e = engine_new_kernel(V2, false,
						   MEMCG_POLICY_REPARENT,
						   MEMCG_KERNEL_6_12);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct memcg_file *fd1, *fd2, *fd3, *sw;
	struct folio *v[8];
	char buf[64];
	int i;

	assert_int_equal(memcg_open(a, "memory.peak", &fd1), 0);
	assert_int_equal(memcg_open(a, "memory.peak", &fd2), 0);
	assert_int_equal(memcg_file_read(fd1, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "0\n");
	assert_string_equal(rd(a, "memory.peak"), "0\n");

	/* the first charge takes a batch of 64 pages, 63 go to the stock */
	for (i = 0; i < 4; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.current"), 64 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 64 * PG);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 64 * PG);

	memcg_drain_all_stock(a);
	assert_int_equal(rd_num(a, "memory.current"), 4 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 64 * PG);

	/* reset on fd1: fd1 shows the usage, fd2 and fresh fds the global */
	assert_int_equal(memcg_file_write(fd1, "reset\n"), 0);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 4 * PG);
	assert_true(memcg_file_read(fd2, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 64 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 64 * PG);

	/* charge more: 4 + 64 pages; the new peak is everyone's */
	v[4] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	v[5] = charge(e, a, MEMCG_FOLIO_FILE, 0);
	assert_int_equal(rd_num(a, "memory.current"), 68 * PG);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 68 * PG);
	assert_true(memcg_file_read(fd2, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 68 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 68 * PG);

	/*
	 * A reset on fd2 at 6 pages raises fd1 only to the usage: as in the
	 * kernel, fd1 forgets the 68 pages it saw since its own reset.
	 */
	memcg_drain_all_stock(a);
	assert_int_equal(memcg_file_write(fd2, "x"), 0);
	assert_true(memcg_file_read(fd2, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 6 * PG);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 6 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 68 * PG);

	/* a zero-byte write does not register the fd */
	assert_int_equal(memcg_open(a, "memory.peak", &fd3), 0);
	assert_int_equal(memcg_file_write(fd3, ""), 0);
	assert_true(memcg_file_read(fd3, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 68 * PG);
	memcg_file_close(fd3);

	/* a closed fd leaves the watchers; the others keep working */
	memcg_file_close(fd2);
	v[6] = charge(e, a, MEMCG_FOLIO_ANON, 0);	/* 6 + 64 pages */
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 70 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 70 * PG);
	assert_int_equal(memcg_file_write(fd1, "reset"), 0);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 70 * PG);
	memcg_drain_all_stock(a);
	assert_int_equal(memcg_file_write(fd1, "reset"), 0);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 7 * PG);
	memcg_file_close(fd1);

	/* memory.swap.peak: the same per-fd file over the (empty) swap */
	assert_int_equal(memcg_open(a, "memory.swap.peak", &sw), 0);
	assert_int_equal(memcg_file_write(sw, "reset"), 0);
	assert_int_equal(memcg_file_read(sw, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "0\n");
	memcg_file_close(sw);

	put_all(e, v, 7);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static const char *const event_keys[] = {
	"low", "high", "max", "oom", "oom_kill", "oom_group_kill",
};

/* Only "max" and "oom" set (a failed charge with no task to kill). */
static void assert_events_only_max(struct mem_cgroup *m, const char *file,
				   long long max, long long oom)
{
	const char *s = rd(m, file);
	size_t i;

	assert_keys(s, event_keys, ARRAY_SIZE(event_keys));
	for (i = 0; i < ARRAY_SIZE(event_keys); i++)
		assert_int_equal(key_value(s, event_keys[i]),
				 i == 2 ? max : i == 3 ? oom : 0);
}

/*
 * A charge that fails against a limit raises MEMCG_MAX on the cgroup whose
 * limit failed (mem_over_limit), counted in its memory.events.local and in
 * memory.events of it and each ancestor below the root.
 */
static void events_max_case(bool localevents)
{
	struct memcg_engine *e = engine_new(V2, localevents);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct mem_cgroup *b = mkdir_h(e, "A/B");
	struct mem_cgroup *c = mkdir_h(e, "A/B/C");
	struct folio *v[17], *forced;
	long long n, n2;
	int i;

	wr(b, "memory.max", "64K");		/* 16 pages */
	/* the batch does not fit: each charge retries with 1 page, no event */
	for (i = 0; i < 16; i++)
		v[i] = charge(e, c, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(b, "memory.current"), 16 * PG);
	assert_string_equal(rd(b, "memory.events"), EVENTS_ZERO);
	assert_string_equal(rd(a, "memory.events"), EVENTS_ZERO);

	charge_fails(e, c, MEMCG_GFP_KERNEL);
	n = kv(b, "memory.events.local", "max");
	assert_true(n >= 1);
	/* no task to kill: mem_cgroup_oom() raises "oom", kills nothing */
	assert_int_equal(kv(b, "memory.events.local", "oom"), 1);
	assert_events_only_max(b, "memory.events.local", n, 1);
	assert_events_only_max(b, "memory.events", n, 1);
	assert_events_only_max(a, "memory.events", localevents ? 0 : n,
			       localevents ? 0 : 1);
	assert_events_only_max(a, "memory.events.local", 0, 0);
	assert_events_only_max(c, "memory.events", 0, 0);
	assert_events_only_max(c, "memory.events.local", 0, 0);

	/* a charge that may not block gives up before raising the event */
	charge_fails(e, c, MEMCG_GFP_NOWAIT);
	assert_int_equal(kv(b, "memory.events.local", "max"), n);

	/* a forced charge goes past max and raises it */
	forced = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(forced);
	assert_int_equal(memcg_charge(e, forced, c, MEMCG_GFP_NOFAIL), 0);
	assert_int_equal(rd_num(b, "memory.current"), 17 * PG);
	n2 = kv(b, "memory.events.local", "max");
	assert_true(n2 > n);
	/* NOFAIL goes through the OOM path too before forcing */
	assert_events_only_max(b, "memory.events", n2, 2);
	assert_events_only_max(a, "memory.events", localevents ? 0 : n2,
			       localevents ? 0 : 2);
	assert_events_only_max(c, "memory.events.local", 0, 0);
	v[16] = forced;

	put_all(e, v, 17);
	/* events are counts: they stay when the usage goes */
	assert_int_equal(rd_num(b, "memory.current"), 0);
	assert_int_equal(kv(b, "memory.events", "max"), n2);

	memcg_put(c);
	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B/C"), 0);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static void test_v2_events_max(void **state)
{
	events_max_case(false);
}

/* cgroup2's memory_localevents: memory.events stops at the first level */
static void test_v2_events_max_localevents(void **state)
{
	events_max_case(true);
}

/* memory.stat of Linux 6.1 (Debian 6.1.0-57), as `memcg kernel` printed it */
static const char *const v2_stat_keys[] = {
	"anon", "file", "kernel", "kernel_stack", "pagetables",
	"sec_pagetables", "percpu", "sock", "vmalloc", "shmem", "zswap",
	"zswapped", "file_mapped", "file_dirty", "file_writeback",
	"swapcached", "anon_thp", "file_thp", "shmem_thp", "inactive_anon",
	"active_anon", "inactive_file", "active_file", "unevictable",
	"slab_reclaimable", "slab_unreclaimable", "slab",
	"workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file",
	"workingset_nodereclaim", "pgscan", "pgsteal", "pgscan_kswapd",
	"pgscan_direct", "pgsteal_kswapd", "pgsteal_direct", "pgfault",
	"pgmajfault", "pgrefill", "pgactivate", "pgdeactivate", "pglazyfree",
	"pglazyfreed", "zswpin", "zswpout", "thp_fault_alloc",
	"thp_collapse_alloc",
	"pswpin", "pswpout",	/* the engine's, not the kernel's: still read */
};

/* memory.stat of Linux 6.12 (Debian 6.12.118), classic LRU and MGLRU alike */
static const char *const v2_stat_keys_6_12[] = {
	"anon", "file", "kernel", "kernel_stack", "pagetables",
	"sec_pagetables", "percpu", "sock", "vmalloc", "shmem", "zswap",
	"zswapped", "file_mapped", "file_dirty", "file_writeback",
	"swapcached", "anon_thp", "file_thp", "shmem_thp", "inactive_anon",
	"active_anon", "inactive_file", "active_file", "unevictable",
	"slab_reclaimable", "slab_unreclaimable", "slab",
	"workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file",
	"workingset_nodereclaim", "pgdemote_kswapd", "pgdemote_direct",
	"pgdemote_khugepaged", "pgpromote_success", "pgscan", "pgsteal",
	"pgscan_kswapd", "pgscan_direct", "pgscan_khugepaged",
	"pgsteal_kswapd", "pgsteal_direct", "pgsteal_khugepaged", "pgfault",
	"pgmajfault", "pgrefill", "pgactivate", "pgdeactivate", "pglazyfree",
	"pglazyfreed", "swpin_zero", "swpout_zero", "zswpin", "zswpout",
	"zswpwb", "thp_fault_alloc", "thp_collapse_alloc", "thp_swpout",
	"thp_swpout_fallback", "numa_pages_migrated", "numa_pte_updates",
	"numa_hint_faults",
	"pswpin", "pswpout",	/* the engine's, not the kernel's: still read */
};

struct v2_stat {
	unsigned long long anon, file, kernel, shmem, anon_thp, file_thp,
		shmem_thp;	/* pages */
};

static void assert_v2_stat(struct mem_cgroup *m, struct v2_stat want)
{
	const char *s = rd(m, "memory.stat");

	assert_keys(s, v2_stat_keys, sizeof(v2_stat_keys) / sizeof(v2_stat_keys[0]));
	assert_int_equal(key_value(s, "anon"), want.anon * PG);
	assert_int_equal(key_value(s, "file"), want.file * PG);
	assert_int_equal(key_value(s, "kernel"), want.kernel * PG);
	assert_int_equal(key_value(s, "shmem"), want.shmem * PG);
	assert_int_equal(key_value(s, "anon_thp"), want.anon_thp * PG);
	assert_int_equal(key_value(s, "file_thp"), want.file_thp * PG);
	assert_int_equal(key_value(s, "shmem_thp"), want.shmem_thp * PG);
}

/* memory.stat follows the charges by folio type; parents include children */
static void test_v2_stat(void **state)
{
	struct memcg_engine *e = engine_new(V2, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct mem_cgroup *b = mkdir_h(e, "A/B");
	struct v2_stat zero = { 0 };
	struct v2_stat wb = {
		.anon = 2 + 512, .file = 3, .kernel = 1, .anon_thp = 512,
	};
	/* shmem counts in file too, as NR_FILE_PAGES includes NR_SHMEM */
	struct v2_stat wa = {
		.anon = 2 + 512, .file = 3 + 1 + 512 + 512, .kernel = 1,
		.shmem = 1 + 512, .anon_thp = 512, .file_thp = 512,
		.shmem_thp = 512,
	};
	struct v2_stat wa_local = {
		.file = 1 + 512 + 512, .shmem = 1 + 512, .file_thp = 512,
		.shmem_thp = 512,
	};
	struct folio *v[10];
	size_t n = 0;

	assert_v2_stat(b, zero);
	assert_v2_stat(memcg_root(e), zero);

	v[n++] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_FILE, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_FILE, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_FILE, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_KERNEL, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_ANON, 9);
	assert_v2_stat(b, wb);
	assert_v2_stat(a, wb);

	v[n++] = charge(e, a, MEMCG_FOLIO_SHMEM, 0);
	v[n++] = charge(e, a, MEMCG_FOLIO_SHMEM, 9);
	v[n++] = charge(e, a, MEMCG_FOLIO_FILE, 9);
	assert_v2_stat(b, wb);
	assert_v2_stat(a, wa);
	assert_v2_stat(memcg_root(e), wa);

	/* stats count the folios, not the stock */
	memcg_drain_all_stock(a);
	assert_v2_stat(a, wa);
	assert_int_equal(rd_num(a, "memory.current"),
			 (2 + 512 + 3 + 1 + 1 + 512 + 512) * PG);

	/* uncharging B leaves A's own folios */
	put_all(e, v, 7);
	assert_v2_stat(b, zero);
	assert_v2_stat(a, wa_local);
	put_all(e, v + 7, 3);
	assert_v2_stat(a, zero);
	assert_v2_stat(memcg_root(e), zero);
	assert_int_equal(rd_num(a, "memory.current"), 0);

	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* A reclaimable unit of a program's cache, for memory.reclaim to evict. */
struct stat_unit {
	struct memcg_lru_unit lru;
	struct obj_cgroup *objcg;
	bool live;
};

static int stat_unit_evict(struct memcg_lru_unit *u)
{
	struct stat_unit *su = (struct stat_unit *)u;

	memcg_obj_uncharge(su->objcg, PG, MEMCG_GFP_RECLAIMABLE);
	su->live = false;
	return 0;
}

static const struct memcg_lru_ops stat_unit_ops = { .evict = stat_unit_evict };

/*
 * memory.stat on the 6.12 profile: 6.12's keys in its order, and reclaim
 * counted as direct reclaim (pgscan_direct == pgscan), as the engine has
 * no kswapd and no khugepaged.
 */
static void test_v2_stat_6_12(void **state)
{
	struct memcg_engine *e = NULL;
	struct memcg_config cfg;
	struct stat_unit units[16];
	struct obj_cgroup *objcg;
	struct mem_cgroup *a;
	const char *s;
	size_t i;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	cfg.kernel = MEMCG_KERNEL_6_12;
	cfg.reclaim = MEMCG_RECLAIM_CLASSIC;	/* the engine refuses MGLRU for now */
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	a = mkdir_h(e, "A");
	objcg = memcg_objcg_get(a);
	for (i = 0; i < 16; i++) {
		units[i] = (struct stat_unit){ .objcg = objcg, .live = true };
		assert_int_equal(memcg_obj_charge(objcg, PG, MEMCG_GFP_RECLAIMABLE), 0);
		assert_int_equal(memcg_lru_add(a, &units[i].lru, PG, &stat_unit_ops), 0);
	}
	s = rd(a, "memory.stat");
	assert_keys(s, v2_stat_keys_6_12,
		    sizeof(v2_stat_keys_6_12) / sizeof(v2_stat_keys_6_12[0]));
	assert_int_equal(key_value(s, "pgscan"), 0);

	assert_int_equal(memcg_write(a, "memory.reclaim", "32K"), 0);
	s = rd(a, "memory.stat");
	assert_keys(s, v2_stat_keys_6_12,
		    sizeof(v2_stat_keys_6_12) / sizeof(v2_stat_keys_6_12[0]));
	assert_true(key_value(s, "pgsteal") >= 8);
	assert_true(key_value(s, "pgscan") >= key_value(s, "pgsteal"));
	assert_int_equal(key_value(s, "pgscan_direct"), key_value(s, "pgscan"));
	assert_int_equal(key_value(s, "pgsteal_direct"), key_value(s, "pgsteal"));
	assert_int_equal(key_value(s, "pgscan_kswapd"), 0);
	assert_int_equal(key_value(s, "pgscan_khugepaged"), 0);
	assert_int_equal(key_value(s, "pgsteal_kswapd"), 0);
	assert_int_equal(key_value(s, "pgsteal_khugepaged"), 0);
	/* the root's file sums the same subtree */
	assert_int_equal(kv(memcg_root(e), "memory.stat", "pgsteal_direct"),
			 key_value(s, "pgsteal"));

	for (i = 0; i < 16; i++) {
		if (!units[i].live)
			continue;
		assert_int_equal(memcg_lru_del(&units[i].lru), 0);
		memcg_obj_uncharge(objcg, PG, MEMCG_GFP_RECLAIMABLE);
	}
	memcg_objcg_put(objcg);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static void assert_cgroup_stat(struct mem_cgroup *m, int live, int dying)
{
	const char *s = rd(m, "cgroup.stat");

	assert_int_equal(key_value(s, "nr_descendants"), live);
	assert_int_equal(key_value(s, "nr_dying_descendants"), dying);
}

/*
 * cgroup.stat: rmdir moves a cgroup from nr_descendants to
 * nr_dying_descendants of every ancestor; it stays dying while anything
 * holds a reference (here a handle), and leaves both when released.
 */
static void test_v2_cgroup_stat(void **state)
{
	/* the kernel's policy: charged folios pin a removed cgroup */
	struct memcg_engine *e = engine_new_policy(V2, false,
						   MEMCG_POLICY_KERNEL);
	struct mem_cgroup *root = memcg_root(e);
	struct mem_cgroup *a, *b, *c;

	assert_cgroup_stat(root, 0, 0);
	a = mkdir_h(e, "A");
	b = mkdir_h(e, "A/B");
	c = mkdir_h(e, "A/C");
	assert_int_equal(memcg_mkdir(e, "A/B/D", NULL), 0);
	assert_cgroup_stat(root, 4, 0);
	assert_cgroup_stat(a, 3, 0);
	assert_cgroup_stat(b, 1, 0);
	assert_cgroup_stat(c, 0, 0);

	/* nothing holds D: it is released at once */
	assert_int_equal(memcg_rmdir(e, "A/B/D"), 0);
	assert_cgroup_stat(root, 3, 0);
	assert_cgroup_stat(a, 2, 0);
	assert_cgroup_stat(b, 0, 0);

	/* rmdir with children is refused and changes nothing */
	assert_int_equal(memcg_rmdir(e, "A"), -EBUSY);
	assert_cgroup_stat(root, 3, 0);

	/* the handle keeps B dying */
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_false(memcg_is_online(b));
	assert_cgroup_stat(root, 2, 1);
	assert_cgroup_stat(a, 1, 1);
	memcg_put(b);
	assert_cgroup_stat(root, 2, 0);
	assert_cgroup_stat(a, 1, 0);

	/* a folio keeps C dying as well, until it is uncharged */
	{
		struct folio *f = charge(e, c, MEMCG_FOLIO_FILE, 0);

		memcg_put(c);
		assert_int_equal(memcg_rmdir(e, "A/C"), 0);
		assert_cgroup_stat(a, 0, 1);
		memcg_folio_put(e, f);
	}
	assert_cgroup_stat(root, 1, 0);
	assert_cgroup_stat(a, 0, 0);

	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_cgroup_stat(root, 0, 0);
	engine_done(e);
}

/* v2 memory.max is set even below the usage: no -EBUSY (xchg, then drain) */
static void test_v2_max_below_usage(void **state)
{
	struct memcg_engine *e = engine_new(V2, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct folio *v[3];
	int i;

	for (i = 0; i < 3; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.current"), 64 * PG);
	/* below the stocked usage: the write drains the stock */
	assert_int_equal(memcg_write(a, "memory.max", "8K"), 0);
	assert_string_equal(rd(a, "memory.max"), "8192\n");
	assert_int_equal(rd_num(a, "memory.current"), 3 * PG);
	/* and the limit holds for new charges */
	charge_fails(e, a, MEMCG_GFP_KERNEL);
	assert_int_equal(memcg_write(a, "memory.max", "max"), 0);
	put_all(e, v, 3);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* files of a removed cgroup: writes give -ENODEV (kernfs_get_active) */
static void test_v2_write_offline(void **state)
{
	struct memcg_engine *e = engine_new(V2, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct memcg_file *f, *ro;

	assert_int_equal(memcg_open(a, "memory.max", &f), 0);
	assert_int_equal(memcg_open(a, "memory.current", &ro), 0);
	/* a read-only file through an fd: -EINVAL, zero bytes 0 */
	assert_int_equal(memcg_file_write(ro, "1"), -EINVAL);
	assert_int_equal(memcg_file_write(ro, ""), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_int_equal(memcg_file_write(f, "1M"), -ENODEV);
	assert_int_equal(memcg_file_write(f, ""), -ENODEV);
	assert_int_equal(memcg_file_write(ro, "1"), -ENODEV);
	memcg_file_close(ro);
	memcg_file_close(f);
	memcg_put(a);
	engine_done(e);
}

/* a read into a buffer too small for the text gives -EFBIG */
static void test_read_efbig(void **state)
{
	struct memcg_engine *e = engine_new(V2, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct memcg_file *f;
	char buf[512];
	size_t need;

	/* "max\n" needs 5 bytes with its NUL */
	assert_int_equal(memcg_read(a, "memory.max", buf, 4), -EFBIG);
	assert_int_equal(memcg_read(a, "memory.max", buf, 5), 4);
	assert_string_equal(buf, "max\n");
	assert_int_equal(memcg_read(a, "memory.max", buf, 0), -EINVAL);
	assert_int_equal(memcg_read(a, "memory.max", NULL, 5), -EINVAL);

	need = strlen(EVENTS_ZERO) + 1;
	assert_int_equal(memcg_read(a, "memory.events", buf, need - 1), -EFBIG);
	assert_int_equal(memcg_read(a, "memory.events", buf, need),
			 (int)need - 1);
	assert_int_equal(memcg_read(a, "memory.stat", buf, 16), -EFBIG);
	assert_int_equal(memcg_read(memcg_root(e), "cgroup.stat", buf, 8),
			 -EFBIG);

	/* the same fd reads again with a bigger buffer */
	assert_int_equal(memcg_open(a, "memory.events", &f), 0);
	assert_int_equal(memcg_file_read(f, buf, 1), -EFBIG);
	assert_int_equal(memcg_file_read(f, buf, sizeof(buf)), (int)need - 1);
	assert_string_equal(buf, EVENTS_ZERO);
	memcg_file_close(f);

	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/*
 * v1: a limit below the usage is refused with -EBUSY once the stocks are
 * drained (mem_cgroup_resize_max(); the kernel would reclaim first, which
 * the engine does not do yet); the ordering check comes before it.
 */
static void test_v1_limit_busy(void **state)
{
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct folio *v[4];
	int i;

	for (i = 0; i < 4; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.usage_in_bytes"), 64 * PG);
	assert_int_equal(rd_num(a, "memory.memsw.usage_in_bytes"), 64 * PG);

	/* below the stocked usage but above the real one: drained, set */
	assert_int_equal(memcg_write(a, "memory.limit_in_bytes", "32K"), 0);
	assert_string_equal(rd(a, "memory.limit_in_bytes"), "32768\n");
	assert_int_equal(rd_num(a, "memory.usage_in_bytes"), 4 * PG);

	assert_int_equal(memcg_write(a, "memory.limit_in_bytes", "8K"), -EBUSY);
	assert_string_equal(rd(a, "memory.limit_in_bytes"), "32768\n");
	/* memsw below memory: -EINVAL, even though it is also below usage */
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "8K"),
			 -EINVAL);
	/* equal to the usage is fine */
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "32K"),
			 0);
	assert_int_equal(memcg_write(a, "memory.limit_in_bytes", "16K"), 0);
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "12K"),
			 -EINVAL);
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "16K"),
			 0);
	assert_string_equal(rd(a, "memory.memsw.limit_in_bytes"), "16384\n");

	put_all(e, v, 4);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* v1 failcnt: every failed counter charge counts; any write resets it */
static void test_v1_failcnt(void **state)
{
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct folio *v[4];
	unsigned long long n;
	int i;

	wr(a, "memory.limit_in_bytes", "16K");		/* 4 pages */
	/*
	 * Each charge first tries a 64-page batch, which fails (one failcnt),
	 * then succeeds with its own page, as in the kernel.
	 */
	for (i = 0; i < 4; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.failcnt"), 4);
	assert_int_equal(rd_num(a, "memory.memsw.failcnt"), 0);

	charge_fails(e, a, MEMCG_GFP_KERNEL);
	n = rd_num(a, "memory.failcnt");
	assert_true(n > 4);
	assert_int_equal(rd_num(a, "memory.memsw.failcnt"), 0);
	assert_int_equal(memcg_write(a, "memory.failcnt", "0"), 0);
	assert_string_equal(rd(a, "memory.failcnt"), "0\n");
	charge_fails(e, a, MEMCG_GFP_KERNEL);
	assert_true(rd_num(a, "memory.failcnt") > 0);
	assert_int_equal(memcg_write(a, "memory.failcnt", "anything"), 0);
	assert_string_equal(rd(a, "memory.failcnt"), "0\n");
	/* a zero-byte write is no write */
	charge_fails(e, a, MEMCG_GFP_KERNEL);
	n = rd_num(a, "memory.failcnt");
	assert_true(n > 0);
	assert_int_equal(memcg_write(a, "memory.failcnt", ""), 0);
	assert_int_equal(rd_num(a, "memory.failcnt"), n);
	wr(a, "memory.failcnt", "\n");

	/* memsw at the same limit fails first: its own failcnt */
	wr(a, "memory.memsw.limit_in_bytes", "16K");
	charge_fails(e, a, MEMCG_GFP_KERNEL);
	assert_true(rd_num(a, "memory.memsw.failcnt") > 0);
	assert_int_equal(rd_num(a, "memory.failcnt"), 0);
	wr(a, "memory.memsw.failcnt", "0");
	assert_string_equal(rd(a, "memory.memsw.failcnt"), "0\n");

	put_all(e, v, 4);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* v1 max_usage_in_bytes: the watermark; a write resets it to the usage */
static void test_v1_max_usage(void **state)
{
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct folio *v[4];
	int i;

	for (i = 0; i < 3; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 64 * PG);
	assert_int_equal(rd_num(a, "memory.memsw.max_usage_in_bytes"),
			 64 * PG);
	memcg_drain_all_stock(a);
	assert_int_equal(rd_num(a, "memory.usage_in_bytes"), 3 * PG);
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 64 * PG);

	wr(a, "memory.max_usage_in_bytes", "0");
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 3 * PG);
	assert_int_equal(rd_num(a, "memory.memsw.max_usage_in_bytes"),
			 64 * PG);
	wr(a, "memory.memsw.max_usage_in_bytes", "reset");
	assert_int_equal(rd_num(a, "memory.memsw.max_usage_in_bytes"), 3 * PG);

	v[3] = charge(e, a, MEMCG_FOLIO_FILE, 0);	/* 3 + 64 pages */
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 67 * PG);
	assert_int_equal(rd_num(a, "memory.memsw.max_usage_in_bytes"),
			 67 * PG);

	put_all(e, v, 4);
	assert_int_equal(rd_num(a, "memory.max_usage_in_bytes"), 67 * PG);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static const char *const v1_stat_keys[] = {
	"cache", "rss", "rss_huge", "shmem", "swap", "swapcached", "pgpgin",
	"pgpgout", "hierarchical_memory_limit", "hierarchical_memsw_limit",
	"total_cache", "total_rss", "total_rss_huge", "total_shmem",
	"total_swap", "total_swapcached", "total_pgpgin", "total_pgpgout",
};

struct v1_stat {
	unsigned long long cache, rss, rss_huge, shmem, swap;	/* pages */
	unsigned long long pgpgin, pgpgout;			/* folios */
};

static void assert_v1_stat(struct mem_cgroup *m, struct v1_stat local,
			   struct v1_stat total, unsigned long long mem_limit,
			   unsigned long long memsw_limit)
{
	const char *s = rd(m, "memory.stat");

	assert_keys(s, v1_stat_keys, sizeof(v1_stat_keys) / sizeof(v1_stat_keys[0]));
	assert_int_equal(key_value(s, "cache"), local.cache * PG);
	assert_int_equal(key_value(s, "rss"), local.rss * PG);
	assert_int_equal(key_value(s, "rss_huge"), local.rss_huge * PG);
	assert_int_equal(key_value(s, "shmem"), local.shmem * PG);
	assert_int_equal(key_value(s, "swap"), local.swap * PG);
	assert_int_equal(key_value(s, "pgpgin"), local.pgpgin);
	assert_int_equal(key_value(s, "pgpgout"), local.pgpgout);
	assert_int_equal((unsigned long long)key_value(s,
			 "hierarchical_memory_limit"), mem_limit);
	assert_int_equal((unsigned long long)key_value(s,
			 "hierarchical_memsw_limit"), memsw_limit);
	assert_int_equal(key_value(s, "total_cache"), total.cache * PG);
	assert_int_equal(key_value(s, "total_rss"), total.rss * PG);
	assert_int_equal(key_value(s, "total_rss_huge"), total.rss_huge * PG);
	assert_int_equal(key_value(s, "total_shmem"), total.shmem * PG);
	assert_int_equal(key_value(s, "total_swap"), total.swap * PG);
	assert_int_equal(key_value(s, "total_pgpgin"), total.pgpgin);
	assert_int_equal(key_value(s, "total_pgpgout"), total.pgpgout);
}

/* memcg1_stat_format(): local values, the hierarchical limits, totals */
static void test_v1_stat(void **state)
{
	const unsigned long long unl = 9223372036854771712ULL;
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *root = memcg_root(e);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct mem_cgroup *b = mkdir_h(e, "A/B");
	struct v1_stat zero = { 0 };
	/* cache is NR_FILE_PAGES: shmem included; rss includes THPs */
	struct v1_stat wb = {
		.cache = 2, .rss = 2 + 512, .rss_huge = 512, .shmem = 1,
		.pgpgin = 5,
	};
	struct v1_stat wb2 = {
		.cache = 2, .rss = 1 + 512, .rss_huge = 512, .shmem = 1,
		.pgpgin = 5, .pgpgout = 1,
	};
	struct folio *v[5];

	assert_v1_stat(b, zero, zero, unl, unl);
	wr(b, "memory.limit_in_bytes", "4M");
	wr(b, "memory.memsw.limit_in_bytes", "8M");
	wr(a, "memory.limit_in_bytes", "16M");
	wr(a, "memory.memsw.limit_in_bytes", "32M");
	assert_v1_stat(b, zero, zero, 4 << 20, 8 << 20);
	assert_v1_stat(a, zero, zero, 16 << 20, 32 << 20);

	v[0] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	v[1] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	v[2] = charge(e, b, MEMCG_FOLIO_FILE, 0);
	v[3] = charge(e, b, MEMCG_FOLIO_SHMEM, 0);
	v[4] = charge(e, b, MEMCG_FOLIO_ANON, 9);
	assert_v1_stat(b, wb, wb, 4 << 20, 8 << 20);
	assert_v1_stat(a, zero, wb, 16 << 20, 32 << 20);

	/* pgpgout counts uncharged folios */
	memcg_folio_put(e, v[0]);
	assert_v1_stat(b, wb2, wb2, 4 << 20, 8 << 20);
	assert_v1_stat(a, zero, wb2, 16 << 20, 32 << 20);

	/* the root's usage comes from the stats: file + anon pages */
	assert_int_equal(rd_num(root, "memory.usage_in_bytes"),
			 (2 + 1 + 512) * PG);
	assert_int_equal(rd_num(root, "memory.memsw.usage_in_bytes"),
			 (2 + 1 + 512) * PG);

	put_all(e, v + 1, 4);
	assert_int_equal(key_value(rd(b, "memory.stat"), "rss"), 0);
	assert_int_equal(key_value(rd(b, "memory.stat"), "pgpgout"), 5);
	assert_int_equal(key_value(rd(a, "memory.stat"), "total_pgpgout"), 5);
	assert_int_equal(rd_num(root, "memory.usage_in_bytes"), 0);

	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* v1 swappiness: a new cgroup starts with its parent's value */
static void test_v1_swappiness_inherit(void **state)
{
	struct memcg_engine *e = engine_new(V1, false);
	struct mem_cgroup *root = memcg_root(e);
	struct mem_cgroup *a, *b;

	wr(root, "memory.swappiness", "30");
	a = mkdir_h(e, "A");
	assert_string_equal(rd(a, "memory.swappiness"), "30\n");
	wr(a, "memory.swappiness", "0");
	b = mkdir_h(e, "A/B");
	assert_string_equal(rd(b, "memory.swappiness"), "0\n");
	assert_string_equal(rd(root, "memory.swappiness"), "30\n");
	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* every file of each table is covered by at least one row */
static void test_table_covers_every_file(void **state)
{
	const struct cftype *tables[2] = { memcg_v2_files, memcg_v1_files };
	const enum memcg_mode modes[2] = { V2, V1 };
	int t;

	for (t = 0; t < 2; t++) {
		const struct cftype *cft;

		for (cft = tables[t]; cft->name; cft++) {
			bool child = false, root = false;
			size_t i;

			for (i = 0; i < NR_ROWS; i++) {
				if (rows[i].mode != modes[t] ||
				    strcmp(rows[i].file, cft->name))
					continue;
				if (rows[i].on_root)
					root = true;
				else
					child = true;
			}
			if (!child || !root)
				fail_msg("%s %s: no row on the %s",
					 t ? "v1" : "v2", cft->name,
					 child ? "root" : "child");
		}
	}
}

static const struct CMUnitTest dynamic_tests[] = {
	cmocka_unit_test(test_table_covers_every_file),
	cmocka_unit_test(test_v2_peak_per_fd),
	cmocka_unit_test(test_v2_events_max),
	cmocka_unit_test(test_v2_events_max_localevents),
	cmocka_unit_test(test_v2_stat),
	cmocka_unit_test(test_v2_stat_6_12),
	cmocka_unit_test(test_v2_cgroup_stat),
	cmocka_unit_test(test_v2_max_below_usage),
	cmocka_unit_test(test_v2_write_offline),
	cmocka_unit_test(test_read_efbig),
	cmocka_unit_test(test_v1_limit_busy),
	cmocka_unit_test(test_v1_failcnt),
	cmocka_unit_test(test_v1_max_usage),
	cmocka_unit_test(test_v1_stat),
	cmocka_unit_test(test_v1_swappiness_inherit),
};

int main(void)
{
	struct CMUnitTest *tests = calloc(NR_ROWS, sizeof(*tests));
	int failed;
	size_t i;

	if (!tests)
		return 1;
	for (i = 0; i < NR_ROWS; i++) {
		tests[i].name = row_name(&rows[i]);
		tests[i].test_func = run_row;
		tests[i].initial_state = (void *)&rows[i];
		if (!tests[i].name)
			return 1;
	}
	failed = _cmocka_run_group_tests("cgroupfs_table", tests, NR_ROWS,
					 NULL, NULL);
	for (i = 0; i < NR_ROWS; i++)
		free((char *)tests[i].name);
	free(tests);
	failed += cmocka_run_group_tests_name("cgroupfs", dynamic_tests, NULL,
					      NULL);
	return failed;
}
