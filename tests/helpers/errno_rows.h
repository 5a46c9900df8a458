/* SPDX-License-Identifier: MIT */
/*
 * The errno table (docs/ERRNO.md): bad and odd writes, reads, mkdirs and
 * rmdirs, with the result of Linux 6.1 and 6.12 and of the engine under
 * each profile. One table, two users:
 *
 * - tests/kernel/probe/errno_probe.c runs every row on the real kernel, inside
 *   the oracle's VM in place of the player:
 *     MEMCG_ORACLE_PLAYER=build/tests/errno-probe memcg kernel \
 *         tests/kernel/probe/errno_probe.scn [--kernel 6.12] [--mode v1]
 *   and prints "ok ROW" or "FAIL ROW: got X, want Y" against k61/k612;
 *   with --markdown on the host it prints the table for docs/ERRNO.md.
 * - tests/unit/test_errno.c runs every row on the engine through the
 *   public API and asserts e61/e612.
 *
 * Every row starts from a fresh hierarchy holding cgroup A (FIX_A), or A
 * and A/B with the memory controller enabled in A (FIX_AB). Paths are
 * relative to the hierarchy's root, as the engine's API takes them: the
 * probe prefixes "<root>/". A row's engine column differs from its kernel
 * column only where docs/ERRNO.md says why.
 */
#ifndef MEMCG_TESTS_ERRNO_ROWS_H
#define MEMCG_TESTS_ERRNO_ROWS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A result that does not apply: v1 rows under 6.12 (no cgroup v1). */
#define ERRNO_NA 1

enum errno_op {
	ERRNO_OP_WRITE,		/* open(path/file, O_WRONLY), a write(2) */
	ERRNO_OP_READ,		/* open(path/file, O_RDONLY), read(2) */
	ERRNO_OP_MKDIR,
	ERRNO_OP_RMDIR,
};

enum errno_fixture {
	ERRNO_FIX_A,		/* A */
	ERRNO_FIX_AB,		/* A, A/B, the memory controller in A */
};

/**
 * struct errno_row - one input and its results
 * @op: what is done
 * @v1: on the cgroup v1 memory hierarchy (6.1 only)
 * @fix: the cgroups present before
 * @path: write/read: the cgroup ("" is the root); mkdir/rmdir: the path
 * @file: write/read: the control file
 * @pre_path: the cgroup of @pre_file if not @path
 * @pre_file: if not NULL, written with @pre_value first
 * @pre_value: see @pre_file
 * @value: the bytes written (NULs allowed); NULL: @len bytes of '0'
 * @len: how many bytes
 * @k61: Linux 6.1's result, 0 or -errno
 * @k612: Linux 6.12's, or ERRNO_NA
 * @e61: the engine's under MEMCG_KERNEL_6_1
 * @e612: the engine's under MEMCG_KERNEL_6_12, or ERRNO_NA
 * @show: write: @file's content after success; mkdir: a path that must
 *        be a cgroup after success; NULL: not checked
 * @note: why the engine differs, or what the row shows (docs)
 */
struct errno_row {
	enum errno_op op;
	bool v1;
	enum errno_fixture fix;
	const char *path;
	const char *file;
	const char *pre_path;
	const char *pre_file;
	const char *pre_value;
	const char *value;
	size_t len;
	int k61, k612, e61, e612;
	const char *show;
	const char *note;
};

#define ERRNO_VAL(v)	.value = (v), .len = sizeof(v) - 1
#define ERRNO_ZEROS(n)	.value = NULL, .len = (n)

/* the same result on both kernels and the engine */
#define W2(p, f, v, r, s) \
	{ .op = ERRNO_OP_WRITE, .path = p, .file = f, ERRNO_VAL(v), \
	  .k61 = r, .k612 = r, .e61 = r, .e612 = r, .show = s }
/* results differing by kernel, the engine following each */
#define W2K(p, f, v, r61, r612, s) \
	{ .op = ERRNO_OP_WRITE, .path = p, .file = f, ERRNO_VAL(v), \
	  .k61 = r61, .k612 = r612, .e61 = r61, .e612 = r612, .show = s }
#define W1(p, f, v, r, s) \
	{ .op = ERRNO_OP_WRITE, .v1 = true, .path = p, .file = f, \
	  ERRNO_VAL(v), .k61 = r, .k612 = ERRNO_NA, .e61 = r, \
	  .e612 = ERRNO_NA, .show = s }
#define DIR2(o, p, r, s) \
	{ .op = o, .path = p, .k61 = r, .k612 = r, .e61 = r, .e612 = r, \
	  .show = s }
#define DIR2K(o, p, r61, r612, s) \
	{ .op = o, .path = p, .k61 = r61, .k612 = r612, .e61 = r61, \
	  .e612 = r612, .show = s }
#define DIR1(o, p, r) \
	{ .op = o, .v1 = true, .path = p, .k61 = r, .k612 = ERRNO_NA, \
	  .e61 = r, .e612 = ERRNO_NA }

#define MKDIR ERRNO_OP_MKDIR
#define RMDIR ERRNO_OP_RMDIR

/* long names: 256 bytes, NAME_MAX + 1; 4080 and 4096 bytes, near PATH_MAX */
#define ERRNO_N16	"nnnnnnnnnnnnnnnn"
#define ERRNO_N64	ERRNO_N16 ERRNO_N16 ERRNO_N16 ERRNO_N16
#define ERRNO_N256	ERRNO_N64 ERRNO_N64 ERRNO_N64 ERRNO_N64
#define ERRNO_N1024	ERRNO_N256 ERRNO_N256 ERRNO_N256 ERRNO_N256
#define ERRNO_N4080	ERRNO_N1024 ERRNO_N1024 ERRNO_N1024 ERRNO_N256 \
			ERRNO_N256 ERRNO_N256 ERRNO_N64 ERRNO_N64 ERRNO_N64 \
			ERRNO_N16 ERRNO_N16 ERRNO_N16
#define ERRNO_N4096	ERRNO_N1024 ERRNO_N1024 ERRNO_N1024 ERRNO_N1024

/* PAGE_COUNTER_MAX pages in bytes, as v1 prints "unlimited" */
#define ERRNO_V1_MAX "9223372036854771712\n"

static const struct errno_row errno_rows[] = {
	/* ---- kernfs: size, access, empty and NUL ---- */
	{ .op = ERRNO_OP_WRITE, .path = "A", .file = "memory.max",
	  ERRNO_ZEROS(4096), .show = "0\n",
	  .note = "a page: written at once" },
	{ .op = ERRNO_OP_WRITE, .path = "A", .file = "memory.max",
	  ERRNO_ZEROS(4097), .k61 = -E2BIG, .k612 = -E2BIG, .e61 = -E2BIG,
	  .e612 = -E2BIG, .note = "atomic_write_len: a page" },
	{ .op = ERRNO_OP_WRITE, .path = "A", .file = "memory.current",
	  ERRNO_ZEROS(4097), .k61 = -E2BIG, .k612 = -E2BIG,
	  .e61 = -E2BIG, .e612 = -E2BIG,
	  .note = "the size is checked before the handler" },
	W2("A", "memory.current", "0", -EINVAL, NULL),
	W2("A", "memory.stat", "0", -EINVAL, NULL),
	W2("A", "memory.events", "0", -EINVAL, NULL),
	W2("A", "memory.current", "", 0, NULL),
	W2("A", "memory.max", "", 0, "max\n"),
	W2("A", "memory.max", "\0", 0, "0\n"),
	W2("A", "memory.max", "64M\0junk", 0, "67108864\n"),
	W2("A", "memory.oom.group", "\0", -EINVAL, NULL),
	W2("A", "memory.foo", "1", -ENOENT, NULL),
	W2("", "memory.max", "1M", -ENOENT, NULL),
	W2("", "memory.oom.group", "1", -ENOENT, NULL),
	{ .op = ERRNO_OP_READ, .path = "A", .file = "memory.reclaim",
	  .k61 = -EINVAL, .k612 = -EINVAL, .e61 = -EINVAL, .e612 = -EINVAL },
	{ .op = ERRNO_OP_READ, .path = "A", .file = "memory.foo",
	  .k61 = -ENOENT, .k612 = -ENOENT, .e61 = -ENOENT, .e612 = -ENOENT },
	{ .op = ERRNO_OP_WRITE, .path = "A", .file = "memory.peak",
	  ERRNO_VAL("0"), .k61 = -EINVAL, .k612 = 0, .e61 = 0, .e612 = 0,
	  .note = "the engine serves 6.12's writable memory.peak (per-fd "
		  "peaks) under every profile" },
	{ .op = ERRNO_OP_WRITE, .path = "A", .file = "memory.swap.peak",
	  ERRNO_VAL("0"), .k61 = -ENOENT, .k612 = 0, .e61 = 0, .e612 = 0,
	  .note = "memory.swap.peak came in 6.5; the engine has it under "
		  "every profile" },

	/* ---- strstrip(): the kernel's isspace() is Latin-1 ---- */
	W2("A", "memory.max", "64M\xa0", 0, "67108864\n"),
	W2("A", "memory.max", "\xa0" "64M", 0, "67108864\n"),
	W2("A", "memory.max", " \t64M\n\v\f\r", 0, "67108864\n"),
	W2("A", "memory.max", "64M\x85", -EINVAL, NULL),
	W2("A", "memory.max", "64M \xa0 1", -EINVAL, NULL),
	W2("A", "memory.max", "\n", 0, "0\n"),
	W2("A", "memory.max", "\xa0", 0, "0\n"),

	/* ---- page_counter_memparse(): "max", memparse() ---- */
	W2("A", "memory.max", "max", 0, "max\n"),
	W2("A", "memory.max", "MAX", -EINVAL, NULL),
	W2("A", "memory.max", "max\n", 0, "max\n"),
	W2("A", "memory.max", "1k", 0, "0\n"),
	W2("A", "memory.max", "4K", 0, "4096\n"),
	W2("A", "memory.max", "1m", 0, "1048576\n"),
	W2("A", "memory.max", "1G", 0, "1073741824\n"),
	W2("A", "memory.max", "1T", 0, "1099511627776\n"),
	W2("A", "memory.max", "1p", 0, "1125899906842624\n"),
	W2("A", "memory.max", "1E", 0, "1152921504606846976\n"),
	W2("A", "memory.max", "7E", 0, "8070450532247928832\n"),
	W2("A", "memory.max", "8E", 0, "max\n"),
	W2("A", "memory.max", "16E", 0, "0\n"),
	W2("A", "memory.max", "17E", 0, "1152921504606846976\n"),
	W2("A", "memory.max", "1KB", -EINVAL, NULL),
	W2("A", "memory.max", "1.5G", -EINVAL, NULL),
	W2("A", "memory.max", "-1", -EINVAL, NULL),
	W2("A", "memory.max", "+1M", -EINVAL, NULL),
	W2("A", "memory.max", "0x100000", 0, "1048576\n"),
	W2("A", "memory.max", "0X100000", 0, "1048576\n"),
	W2("A", "memory.max", "0x", -EINVAL, NULL),
	W2("A", "memory.max", "08", -EINVAL, NULL),
	W2("A", "memory.max", "010000", 0, "4096\n"),
	W2("A", "memory.max", "18446744073709551616", 0, "0\n"),
	W2("A", "memory.max", "18446744073709551615", 0, "max\n"),
	W2("A", "memory.max", "0x10000000000001000", 0, "4096\n"),
	W2("A", "memory.max", "k", 0, "0\n"),
	W2("A", "memory.max", "1 M", -EINVAL, NULL),
	W2("A", "memory.max", "1M1", -EINVAL, NULL),
	W2("A", "memory.min", "max", 0, "max\n"),
	W2("A", "memory.min", "16E", 0, "0\n"),
	W2("A", "memory.low", "-1", -EINVAL, NULL),
	W2("A", "memory.low", "1G", 0, "1073741824\n"),
	W2("A", "memory.high", "1G", 0, "1073741824\n"),
	W2("A", "memory.high", " max ", 0, "max\n"),
	W2("A", "memory.high", "none", -EINVAL, NULL),
	W2("A", "memory.swap.max", "-1", -EINVAL, NULL),
	W2("A", "memory.swap.max", "0", 0, "0\n"),
	W2("A", "memory.swap.high", "1Q", -EINVAL, NULL),
	W2("A", "memory.swap.high", "1g", 0, "1073741824\n"),

	/* ---- memory.oom.group: kstrtoint(), then 0 or 1 ---- */
	W2("A", "memory.oom.group", "1", 0, "1\n"),
	W2("A", "memory.oom.group", "0", 0, "0\n"),
	W2("A", "memory.oom.group", "2", -EINVAL, NULL),
	W2("A", "memory.oom.group", "-1", -EINVAL, NULL),
	W2("A", "memory.oom.group", "+1", 0, "1\n"),
	W2("A", "memory.oom.group", "-0", 0, "0\n"),
	W2("A", "memory.oom.group", "0x1", 0, "1\n"),
	W2("A", "memory.oom.group", "01", 0, "1\n"),
	W2("A", "memory.oom.group", "1\n", 0, "1\n"),
	W2("A", "memory.oom.group", "\xa0" "1\xa0", 0, "1\n"),
	W2("A", "memory.oom.group", "2147483648", -ERANGE, NULL),
	W2("A", "memory.oom.group", "-2147483649", -ERANGE, NULL),
	W2("A", "memory.oom.group", "99999999999999999999", -ERANGE, NULL),
	W2("A", "memory.oom.group", "99999999999999999999x", -ERANGE, NULL),
	W2("A", "memory.oom.group", "1a", -EINVAL, NULL),
	W2("A", "memory.oom.group", "true", -EINVAL, NULL),
	W2("A", "memory.oom.group", "\n", -EINVAL, NULL),
	W2("A", "memory.oom.group", "0x", -EINVAL, NULL),
	W2("A", "memory.oom.group", "1 1", -EINVAL, NULL),
	W2("A", "memory.oom.group", "+-1", -EINVAL, NULL),

	/* ---- memory.reclaim on an empty cgroup: -EAGAIN once parsed ---- */
	W2("A", "memory.reclaim", "1M", -EAGAIN, NULL),
	W2("A", "memory.reclaim", "0", 0, NULL),
	W2("A", "memory.reclaim", "100", 0, NULL),
	W2("A", "memory.reclaim", "16E", 0, NULL),
	W2("", "memory.reclaim", "0", 0, NULL),
	W2K("A", "memory.reclaim", "1M swappiness=60", -EINVAL, -EAGAIN, NULL),
	W2K("A", "memory.reclaim", "1M swappiness=0", -EINVAL, -EAGAIN, NULL),
	W2K("A", "memory.reclaim", "1M swappiness=200", -EINVAL, -EAGAIN, NULL),
	W2("A", "memory.reclaim", "1M swappiness=201", -EINVAL, NULL),
	W2("A", "memory.reclaim", "1M swappiness=-1", -EINVAL, NULL),
	W2("A", "memory.reclaim", "1M swappiness=max", -EINVAL, NULL),
	W2("A", "memory.reclaim", "1M swappiness=+5", -EINVAL, NULL),
	W2("A", "memory.reclaim", "1M swappiness=", -EINVAL, NULL),
	W2("A", "memory.reclaim", "1M swappiness=6x", -EINVAL, NULL),
	W2K("A", "memory.reclaim", "1M swappiness=0x10", -EINVAL, -EAGAIN,
	    NULL),
	W2K("A", "memory.reclaim", "1M swappiness=60 swappiness=0", -EINVAL,
	    -EAGAIN, NULL),
	W2K("A", "memory.reclaim", "1M  swappiness=60 ", -EINVAL, -EAGAIN,
	    NULL),
	W2K("A", "memory.reclaim", "1M\tswappiness=60", -EINVAL, -EAGAIN, NULL),
	W2K("A", "memory.reclaim", "1M\xa0swappiness=60", -EINVAL, -EAGAIN,
	    NULL),
	W2("A", "memory.reclaim", "1M swappiness=60\tswappiness=0", -EINVAL,
	   NULL),
	W2K("A", "memory.reclaim", "1Mswappiness=60", -EINVAL, -EAGAIN, NULL),
	W2K("A", "memory.reclaim", "1M swappiness=-", -EINVAL, -EAGAIN, NULL),
	W2K("A", "memory.reclaim", "1M swappiness=-0", -EINVAL, -EAGAIN, NULL),
	W2K("A", "memory.reclaim", "1M swappiness=00000000000000000000060",
	    -EINVAL, -EAGAIN, NULL),
	W2("A", "memory.reclaim", "1M swappiness=000000000000000000000060",
	   -EINVAL, NULL),
	W2("A", "memory.reclaim", "1M swappiness=4294967356", -EINVAL, NULL),
	W2("A", "memory.reclaim", "M", 0, NULL),
	W2("A", "memory.reclaim", "1M foo", -EINVAL, NULL),
	W2K("A", "memory.reclaim", "\n", -EAGAIN, -EINVAL, NULL),
	W2("A", "memory.reclaim", "max", -EINVAL, NULL),
	W2("A", "memory.reclaim", "-1M", -EINVAL, NULL),
	W2("A", "memory.reclaim", "1.5M", -EINVAL, NULL),

	/* ---- mkdir and rmdir: names taken by files, path forms ---- */
	DIR2(MKDIR, "A/memory.stat", -EEXIST, NULL),
	DIR2(RMDIR, "A/memory.stat", -ENOTDIR, NULL),
	DIR2(RMDIR, "A/memory.stat/", -ENOTDIR, NULL),
	DIR2(MKDIR, "A/memory.max", -EEXIST, NULL),
	DIR2(MKDIR, "A/memory.pressure", -EEXIST, NULL),
	DIR2(MKDIR, "A/cgroup.procs", -EEXIST, NULL),
	DIR2(MKDIR, "A/cgroup.type", -EEXIST, NULL),
	DIR2(MKDIR, "A/cpu.stat", -EEXIST, NULL),
	DIR2(MKDIR, "A/io.pressure", -EEXIST, NULL),
	DIR2(MKDIR, "A/memory.numa_stat", -EEXIST, NULL),
	DIR2(MKDIR, "A/memory.zswap.max", -EEXIST, NULL),
	DIR2K(MKDIR, "A/cpu.stat.local", 0, -EEXIST, "A/cpu.stat.local"),
	{ .op = ERRNO_OP_MKDIR, .path = "A/memory.swap.peak", .k61 = 0,
	  .k612 = -EEXIST, .e61 = -EEXIST, .e612 = -EEXIST,
	  .note = "the engine has memory.swap.peak under every profile" },
	DIR2(MKDIR, "A/memory.Stat", 0, "A/memory.Stat"),
	DIR2(MKDIR, "memory.stat", -EEXIST, NULL),
	DIR2(MKDIR, "memory.max", 0, "memory.max"),
	DIR2(MKDIR, "cgroup.type", 0, "cgroup.type"),
	DIR2(MKDIR, "A/memory.stat/B", -ENOTDIR, NULL),
	DIR2(RMDIR, "A/memory.stat/B", -ENOTDIR, NULL),
	DIR2(MKDIR, "A/./B", 0, "A/B"),
	DIR2(MKDIR, "A/../B", 0, "B"),
	DIR2(MKDIR, "A//B", 0, "A/B"),
	DIR2(MKDIR, "A/B/", 0, "A/B"),
	DIR2(MKDIR, "/A/B", 0, "A/B"),
	DIR2(MKDIR, "./A/B", 0, "A/B"),
	DIR2(MKDIR, "X/../B", -ENOENT, NULL),
	DIR2(MKDIR, "X/B", -ENOENT, NULL),
	DIR2(MKDIR, "A", -EEXIST, NULL),
	DIR2(MKDIR, "A/", -EEXIST, NULL),
	DIR2(MKDIR, "A/.", -EEXIST, NULL),
	DIR2(MKDIR, "A/..", -EEXIST, NULL),
	DIR2(MKDIR, ".", -EEXIST, NULL),
	DIR2(MKDIR, "", -EEXIST, NULL),
	DIR2(RMDIR, "A/.", -EINVAL, NULL),
	DIR2(RMDIR, "A/..", -ENOTEMPTY, NULL),
	DIR2(RMDIR, ".", -EINVAL, NULL),
	DIR2(RMDIR, "", -EBUSY, NULL),
	DIR2(RMDIR, "/", -EBUSY, NULL),
	DIR2(RMDIR, "A/", 0, NULL),
	DIR2(RMDIR, "A//", 0, NULL),
	DIR2(RMDIR, "./A", 0, NULL),
	DIR2(RMDIR, "A/../A", 0, NULL),
	DIR2(RMDIR, "X", -ENOENT, NULL),
	DIR2(RMDIR, "X/..", -ENOENT, NULL),
	DIR2(MKDIR, "A/B\nC", -EINVAL, NULL),
	DIR2(MKDIR, "A/" ERRNO_N256, 0, "A/" ERRNO_N256),
	DIR2(RMDIR, "A/" ERRNO_N256, -ENOENT, NULL),
	DIR2(MKDIR, ERRNO_N4080, 0, ERRNO_N4080),
	{ .op = ERRNO_OP_MKDIR, .path = ERRNO_N4080 "n", .k61 = -ENAMETOOLONG,
	  .k612 = -ENAMETOOLONG, .e61 = 0, .e612 = 0,
	  .note = "the kernel's limit is PATH_MAX for the whole path, "
		  "\"/sys/fs/cgroup/\" (15 bytes) included; the engine has no "
		  "mount point and takes 4095 bytes below the root" },
	DIR2(MKDIR, ERRNO_N4096, -ENAMETOOLONG, NULL),
	DIR2(RMDIR, ERRNO_N4096, -ENAMETOOLONG, NULL),
	{ .op = ERRNO_OP_WRITE, .path = ERRNO_N4096, .file = "memory.max",
	  ERRNO_VAL("1M"), .k61 = -ENAMETOOLONG, .k612 = -ENAMETOOLONG,
	  .e61 = -ENAMETOOLONG, .e612 = -ENAMETOOLONG },
	DIR2(MKDIR, "../X", -EPERM, NULL),
	DIR2(RMDIR, "../X", -ENOENT, NULL),
	{ .op = ERRNO_OP_RMDIR, .fix = ERRNO_FIX_AB, .path = "A",
	  .k61 = -EBUSY, .k612 = -EBUSY, .e61 = -EBUSY, .e612 = -EBUSY },
	{ .op = ERRNO_OP_MKDIR, .fix = ERRNO_FIX_AB, .path = "A/B/../C",
	  .k61 = 0, .k612 = 0, .e61 = 0, .e612 = 0, .show = "A/C" },
	{ .op = ERRNO_OP_WRITE, .fix = ERRNO_FIX_AB, .path = "A/./B",
	  .file = "memory.max", ERRNO_VAL("1M"), .show = "1048576\n" },
	{ .op = ERRNO_OP_WRITE, .fix = ERRNO_FIX_AB, .path = "A/memory.stat",
	  .file = "memory.max", ERRNO_VAL("1M"), .k61 = -ENOTDIR,
	  .k612 = -ENOTDIR, .e61 = -ENOTDIR, .e612 = -ENOTDIR },

	/* ---- cgroup core files the engine does not serve ---- */
	{ .op = ERRNO_OP_WRITE, .path = "A", .file = "cgroup.procs",
	  ERRNO_VAL("999999"), .k61 = -ESRCH, .k612 = -ESRCH,
	  .e61 = -ENOENT, .e612 = -ENOENT,
	  .note = "not modeled: the engine has no cgroup.procs file "
		  "(memcg_attach_task() instead)" },
	{ .op = ERRNO_OP_WRITE, .path = "A", .file = "cgroup.subtree_control",
	  ERRNO_VAL("memory"), .k61 = -EINVAL, .k612 = -EINVAL,
	  .e61 = -ENOENT, .e612 = -ENOENT,
	  .note = "not modeled: mkdir enables the memory controller" },
	{ .op = ERRNO_OP_WRITE, .path = "A", .file = "cgroup.max.depth",
	  ERRNO_VAL("-1"), .k61 = -ERANGE, .k612 = -ERANGE,
	  .e61 = -ENOENT, .e612 = -ENOENT,
	  .note = "not modeled: no depth or descendant limits" },

	/* ---- cgroup v1 (6.1 only) ---- */
	W1("A", "memory.limit_in_bytes", "-1", 0, ERRNO_V1_MAX),
	W1("A", "memory.limit_in_bytes", "max", -EINVAL, NULL),
	W1("A", "memory.limit_in_bytes", " 64M\n", 0, "67108864\n"),
	W1("A", "memory.limit_in_bytes", "\xa0" "64M\xa0", 0, "67108864\n"),
	W1("A", "memory.limit_in_bytes", "64 M", -EINVAL, NULL),
	W1("", "memory.limit_in_bytes", "1G", -EINVAL, NULL),
	W1("A", "memory.memsw.limit_in_bytes", "64M", -EINVAL, NULL),
	{ .op = ERRNO_OP_WRITE, .v1 = true, .path = "A",
	  .file = "memory.memsw.limit_in_bytes",
	  .pre_file = "memory.limit_in_bytes", .pre_value = "32M",
	  ERRNO_VAL("64M"), .k61 = 0, .k612 = ERRNO_NA, .e61 = 0,
	  .e612 = ERRNO_NA, .show = "67108864\n" },
	{ .op = ERRNO_OP_WRITE, .v1 = true, .path = "A",
	  .file = "memory.memsw.limit_in_bytes",
	  .pre_file = "memory.limit_in_bytes", .pre_value = "64M",
	  ERRNO_VAL("32M"), .k61 = -EINVAL, .k612 = ERRNO_NA,
	  .e61 = -EINVAL, .e612 = ERRNO_NA },
	W1("A", "memory.swappiness", "60\n", 0, "60\n"),
	W1("A", "memory.swappiness", "+60", 0, "60\n"),
	W1("A", "memory.swappiness", "0x3c", 0, "60\n"),
	W1("A", "memory.swappiness", " 60", -EINVAL, NULL),
	W1("A", "memory.swappiness", "60 ", -EINVAL, NULL),
	W1("A", "memory.swappiness", "60\n\n", -EINVAL, NULL),
	W1("A", "memory.swappiness", "60\xa0", -EINVAL, NULL),
	W1("A", "memory.swappiness", "201", -EINVAL, NULL),
	W1("A", "memory.swappiness", "-1", -EINVAL, NULL),
	W1("A", "memory.swappiness", "18446744073709551616", -ERANGE, NULL),
	W1("A", "memory.use_hierarchy", "1", 0, "1\n"),
	W1("A", "memory.use_hierarchy", "0", -EINVAL, NULL),
	W1("A", "memory.use_hierarchy", " 1", -EINVAL, NULL),
	W1("A", "memory.move_charge_at_immigrate", "3", 0, "3\n"),
	W1("A", "memory.move_charge_at_immigrate", "4", -EINVAL, NULL),
	W1("A", "memory.failcnt", "junk", 0, "0\n"),
	W1("A", "memory.max_usage_in_bytes", "", 0, NULL),
	W1("A", "memory.usage_in_bytes", "0", -EINVAL, NULL),
	W1("A", "memory.kmem.limit_in_bytes", "1G", 0, NULL),
	W1("A", "memory.kmem.limit_in_bytes", "1 G", -EINVAL, NULL),
	W1("", "memory.kmem.limit_in_bytes", "1G", -EINVAL, NULL),
	W1("A", "memory.kmem.tcp.limit_in_bytes", "-1", 0, ERRNO_V1_MAX),
	DIR1(MKDIR, "A/memory.stat", -EEXIST),
	DIR1(MKDIR, "A/tasks", -EEXIST),
	DIR1(MKDIR, "A/memory.oom_control", -EEXIST),
	DIR1(RMDIR, "A/memory.limit_in_bytes", -ENOTDIR),
	DIR1(MKDIR, "A/./B", 0),
};

#define ERRNO_NR_ROWS (sizeof(errno_rows) / sizeof(errno_rows[0]))

/*
 * @len bytes of @s as a C string literal's body, into @out; a run of 16
 * or more of one byte shows as {N × 'c'}.
 */
static inline void errno_escape(const char *s, size_t len, char *out,
				size_t size)
{
	size_t n = 0, run;

	for (size_t i = 0; i < len && n + 24 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		for (run = 1; i + run < len && s[i + run] == s[i]; run++)
			;
		if (run >= 16 && c >= 0x20 && c < 0x7f) {
			n += (size_t)snprintf(out + n, size - n,
					      "{%zu × '%c'}", run, c);
			i += run - 1;
		} else if (c == '\n')
			n += (size_t)snprintf(out + n, size - n, "\\n");
		else if (c == '\t')
			n += (size_t)snprintf(out + n, size - n, "\\t");
		else if (c == '\\' || c == '"')
			n += (size_t)snprintf(out + n, size - n, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

/* The value column: "64M\xa0", or 4097 × '0'. */
static inline void errno_value_str(const struct errno_row *r, char *out,
				   size_t size)
{
	char esc[256];

	if (!r->value) {
		snprintf(out, size, "%zu × '0'", r->len);
		return;
	}
	errno_escape(r->value, r->len, esc, sizeof(esc));
	snprintf(out, size, "\"%s\"", esc);
}

static inline const char *errno_op_name(enum errno_op op)
{
	static const char *const names[] = {
		[ERRNO_OP_WRITE] = "write", [ERRNO_OP_READ] = "read",
		[ERRNO_OP_MKDIR] = "mkdir", [ERRNO_OP_RMDIR] = "rmdir",
	};

	return names[op];
}

/* "write A/memory.max "64M"", "mkdir A/./B", "read A/memory.reclaim". */
static inline void errno_row_label(const struct errno_row *r, char *out,
				   size_t size)
{
	char path[200], val[300];

	errno_escape(r->path, strlen(r->path), path, sizeof(path));
	if (r->op == ERRNO_OP_WRITE || r->op == ERRNO_OP_READ) {
		errno_value_str(r, val, sizeof(val));
		snprintf(out, size, "%s %s%s%s%s%s%s", errno_op_name(r->op),
			 path, *r->path ? "/" : "", r->file,
			 r->op == ERRNO_OP_WRITE ? " " : "",
			 r->op == ERRNO_OP_WRITE ? val : "",
			 r->v1 ? " (v1)" : "");
	} else {
		snprintf(out, size, "%s \"%s\"%s", errno_op_name(r->op), path,
			 r->v1 ? " (v1)" : "");
	}
}

#undef W2
#undef W2K
#undef W1
#undef DIR2
#undef DIR2K
#undef DIR1
#undef MKDIR
#undef RMDIR

#endif /* MEMCG_TESTS_ERRNO_ROWS_H */
