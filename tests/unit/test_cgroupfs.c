// SPDX-License-Identifier: MIT
/*
 * The control files (src/core/cgroupfs*.c) against the kernel's behaviour.
 *
 * A table: one row per (interface, cgroup, file, input), each run as its
 * own test case on a fresh engine. A row optionally writes some preset
 * values, writes its input, checks the errno, then reads the file back.
 * The files whose values come from charges are test_cgroupfs_v2.c's
 * (memory.peak and its per-fd state, memory.events, memory.stat,
 * cgroup.stat) and test_cgroupfs_v1.c's (the v1 counters).
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
 */
#include "cgroupfs_test.h"

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
