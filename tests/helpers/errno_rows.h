/* SPDX-License-Identifier: MIT */
/*
 * The errno table (docs/ERRNO.md): bad and odd writes, reads, mkdirs and
 * rmdirs, with the result of Linux 6.1 and 6.12 and of the engine under
 * each profile. One table, two users:
 *
 * - tests/kernel/probe/errno_probe.c runs every row on the real kernel, inside
 *   the oracle's VM in place of the player; scripts/errno-kernel.sh boots
 *   it on 6.1 v2, 6.12 v2 and 6.1 v1 and counts the rows that agree. It
 *   prints "ok ROW" or "FAIL ROW: got X, want Y" against k61/k612; with
 *   --markdown on the host it prints the table for docs/ERRNO.md.
 * - tests/unit/test_errno.c runs every row on the engine through the
 *   public API and asserts e61/e612.
 *
 * Every row starts from a fresh hierarchy holding cgroup A (FIX_A), or A
 * and A/B with the memory controller enabled in A (FIX_AB). Paths are
 * relative to the hierarchy's root, as the engine's API takes them: the
 * probe walks them from the root's directory fd. A row's engine columns
 * equal its kernel columns (test_errno.c checks it): an input the engine
 * does not model is left out (docs/ERRNO.md, "Not modeled"), and no input
 * appears twice.
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
#define ERRNO_N15	"nnnnnnnnnnnnnnn"

/* PAGE_COUNTER_MAX pages in bytes, as v1 prints "unlimited" */
#define ERRNO_V1_MAX "9223372036854771712\n"

/* a write with a write of @pf = @pv to @pp first */
#define WP2(fx, p, f, pp, pf, pv, v, r, s) \
	{ .op = ERRNO_OP_WRITE, .fix = fx, .path = p, .file = f, \
	  .pre_path = pp, .pre_file = pf, .pre_value = pv, ERRNO_VAL(v), \
	  .k61 = r, .k612 = r, .e61 = r, .e612 = r, .show = s }
#define WP1(p, f, pf, pv, v, r, s) \
	{ .op = ERRNO_OP_WRITE, .v1 = true, .path = p, .file = f, \
	  .pre_file = pf, .pre_value = pv, ERRNO_VAL(v), .k61 = r, \
	  .k612 = ERRNO_NA, .e61 = r, .e612 = ERRNO_NA, .show = s }
#define Z1(p, f, n, r, s) \
	{ .op = ERRNO_OP_WRITE, .v1 = true, .path = p, .file = f, \
	  ERRNO_ZEROS(n), .k61 = r, .k612 = ERRNO_NA, .e61 = r, \
	  .e612 = ERRNO_NA, .show = s }
#define ZP1(f, pf, pv, n, r, s) \
	{ .op = ERRNO_OP_WRITE, .v1 = true, .path = "A", .file = f, \
	  .pre_file = pf, .pre_value = pv, ERRNO_ZEROS(n), .k61 = r, \
	  .k612 = ERRNO_NA, .e61 = r, .e612 = ERRNO_NA, .show = s }
#define Z2(p, f, n, r, s) \
	{ .op = ERRNO_OP_WRITE, .path = p, .file = f, ERRNO_ZEROS(n), \
	  .k61 = r, .k612 = r, .e61 = r, .e612 = r, .show = s }
/* a mkdir or rmdir with a write of @pf = @pv to @pp first */
#define DIRP2(o, fx, p, pp, pf, pv, r, s) \
	{ .op = o, .fix = fx, .path = p, .pre_path = pp, .pre_file = pf, \
	  .pre_value = pv, .k61 = r, .k612 = r, .e61 = r, .e612 = r, \
	  .show = s }
#define READ2K(p, f, r61, r612) \
	{ .op = ERRNO_OP_READ, .path = p, .file = f, .k61 = r61, \
	  .k612 = r612, .e61 = r61, .e612 = r612 }
#define READ1(p, f, r) \
	{ .op = ERRNO_OP_READ, .v1 = true, .path = p, .file = f, .k61 = r, \
	  .k612 = ERRNO_NA, .e61 = r, .e612 = ERRNO_NA }

/*
 * page_counter_memparse(buf, "max") on a v2 limit of an empty cgroup:
 * "max", or memparse() to the end, in pages, rounded down, at most
 * PAGE_COUNTER_MAX (shown "max"); digits past 64 bits wrap.
 */
#define MEMPARSE_V2_ROWS(f) \
	W2("A", f, "0", 0, "0\n"), \
	W2("A", f, "4095", 0, "0\n"), \
	W2("A", f, "4096", 0, "4096\n"), \
	W2("A", f, "4097", 0, "4096\n"), \
	W2("A", f, "8191", 0, "4096\n"), \
	W2("A", f, "4k", 0, "4096\n"), \
	W2("A", f, "6K", 0, "4096\n"), \
	W2("A", f, "1M", 0, "1048576\n"), \
	W2("A", f, "3g", 0, "3221225472\n"), \
	W2("A", f, "2T", 0, "2199023255552\n"), \
	W2("A", f, "3P", 0, "3377699720527872\n"), \
	W2("A", f, "7e", 0, "8070450532247928832\n"), \
	W2("A", f, "15E", 0, "max\n"), \
	W2("A", f, "32E", 0, "0\n"), \
	W2("A", f, "Max", -EINVAL, NULL), \
	W2("A", f, "max ", 0, "max\n"), \
	W2("A", f, "\tmax\n", 0, "max\n"), \
	W2("A", f, "\xa0max\xa0", 0, "max\n"), \
	W2("A", f, "maxx", -EINVAL, NULL), \
	W2("A", f, "max1", -EINVAL, NULL), \
	W2("A", f, "max\0junk", 0, "max\n"), \
	W2("A", f, "-4096", -EINVAL, NULL), \
	W2("A", f, "+4096", -EINVAL, NULL), \
	W2("A", f, "4 k", -EINVAL, NULL), \
	W2("A", f, "4kk", -EINVAL, NULL), \
	W2("A", f, "4kB", -EINVAL, NULL), \
	W2("A", f, "4x", -EINVAL, NULL), \
	W2("A", f, "1M\n\n", 0, "1048576\n"), \
	W2("A", f, "0x2000", 0, "8192\n"), \
	W2("A", f, "0x1000k", 0, "4194304\n"), \
	W2("A", f, "017777", 0, "4096\n"), \
	W2("A", f, "09", -EINVAL, NULL), \
	W2("A", f, "1.0M", -EINVAL, NULL), \
	W2("A", f, "9223372036854771711", 0, "9223372036854767616\n"), \
	W2("A", f, "9223372036854771712", 0, "max\n"), \
	W2("A", f, "18446744073709551614", 0, "max\n"), \
	W2("A", f, "36893488147419103232", 0, "0\n"), \
	W2("A", f, "18446744073709555712", 0, "4096\n"), \
	W2("A", f, "8M\xa0", 0, "8388608\n"), \
	W2("A", f, "8M\x85", -EINVAL, NULL), \
	W2("A", f, "8M\xff", -EINVAL, NULL), \
	W2("A", f, "8\0M", 0, "0\n"), \
	Z2("A", f, 4096, 0, "0\n"), \
	Z2("A", f, 4097, -E2BIG, NULL), \
	W2("", f, "0", -ENOENT, NULL)

/*
 * v1 limits: page_counter_memparse(buf, "-1") after strstrip(): "-1" is
 * PAGE_COUNTER_MAX, shown in bytes; @S shows a value or, where the file
 * does not keep it, NULL.
 */
#define ERRNO_SHOW(s)	s
#define ERRNO_NOSHOW(s)	NULL
#define MEMPARSE_V1_ROWS(f, pf, pv, S) \
	WP1("A", f, pf, pv, "-1", 0, S(ERRNO_V1_MAX)), \
	WP1("A", f, pf, pv, "-1\n", 0, S(ERRNO_V1_MAX)), \
	WP1("A", f, pf, pv, " -1 ", 0, S(ERRNO_V1_MAX)), \
	WP1("A", f, pf, pv, "\xa0-1", 0, S(ERRNO_V1_MAX)), \
	WP1("A", f, pf, pv, "-2", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "-10", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "-1k", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "--1", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "max", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "0", 0, S("0\n")), \
	WP1("A", f, pf, pv, "4095", 0, S("0\n")), \
	WP1("A", f, pf, pv, "4097", 0, S("4096\n")), \
	WP1("A", f, pf, pv, "1k", 0, S("0\n")), \
	WP1("A", f, pf, pv, "8K", 0, S("8192\n")), \
	WP1("A", f, pf, pv, "1m", 0, S("1048576\n")), \
	WP1("A", f, pf, pv, "1G", 0, S("1073741824\n")), \
	WP1("A", f, pf, pv, "0x1000", 0, S("4096\n")), \
	WP1("A", f, pf, pv, "020000", 0, S("8192\n")), \
	WP1("A", f, pf, pv, "08", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "1.5M", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "1M1", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "1 M", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "1MB", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "+1M", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "8E", 0, S(ERRNO_V1_MAX)), \
	WP1("A", f, pf, pv, "16E", 0, S("0\n")), \
	WP1("A", f, pf, pv, "18446744073709551615", 0, S(ERRNO_V1_MAX)), \
	WP1("A", f, pf, pv, "18446744073709551616", 0, S("0\n")), \
	WP1("A", f, pf, pv, "9223372036854771711", 0, \
	    S("9223372036854767616\n")), \
	WP1("A", f, pf, pv, "\n", 0, S("0\n")), \
	WP1("A", f, pf, pv, "1M\x85", -EINVAL, NULL), \
	WP1("A", f, pf, pv, "1M\0junk", 0, S("1048576\n")), \
	ZP1(f, pf, pv, 4096, 0, S("0\n")), \
	ZP1(f, pf, pv, 4097, -E2BIG, NULL)

/*
 * v1 write_u64 files: kstrtoull() on the text as written (one trailing
 * newline allowed, no blank, no sign but '+'), before the handler.
 */
#define U64_V1_ROWS(f) \
	W1("A", f, " 1", -EINVAL, NULL), \
	W1("A", f, "1 ", -EINVAL, NULL), \
	W1("A", f, "1\n\n", -EINVAL, NULL), \
	W1("A", f, "\n", -EINVAL, NULL), \
	W1("A", f, "\xa0" "1", -EINVAL, NULL), \
	W1("A", f, "1\xa0", -EINVAL, NULL), \
	W1("A", f, "-0", -EINVAL, NULL), \
	W1("A", f, "1a", -EINVAL, NULL), \
	W1("A", f, "0x", -EINVAL, NULL), \
	W1("A", f, "09", -EINVAL, NULL), \
	W1("A", f, "one", -EINVAL, NULL), \
	W1("A", f, "1.0", -EINVAL, NULL), \
	W1("A", f, "\0", -EINVAL, NULL), \
	W1("A", f, "18446744073709551616", -ERANGE, NULL), \
	W1("A", f, "99999999999999999999x", -ERANGE, NULL), \
	W1("A", f, "18446744073709551615", -EINVAL, NULL)

/* v1 peaks and failure counts: any text resets */
#define RESET_V1_ROWS(f) \
	W1("A", f, "0", 0, "0\n"), \
	W1("A", f, "1", 0, "0\n"), \
	W1("A", f, "\n", 0, "0\n"), \
	W1("A", f, "reset", 0, "0\n")

/*
 * cgroup.max.depth and cgroup.max.descendants: "max" (INT_MAX, shown
 * "max") or kstrtoint() of the stripped text, negative: -ERANGE.
 */
#define HIER_LIMIT_ROWS(f) \
	W2("A", f, "max", 0, "max\n"), \
	W2("A", f, "0", 0, "0\n"), \
	W2("A", f, "5", 0, "5\n"), \
	W2("A", f, " 7\n", 0, "7\n"), \
	W2("A", f, "\xa0" "7\xa0", 0, "7\n"), \
	W2("A", f, "+3", 0, "3\n"), \
	W2("A", f, "-0", 0, "0\n"), \
	W2("A", f, "0x10", 0, "16\n"), \
	W2("A", f, "010", 0, "8\n"), \
	W2("A", f, "2147483647", 0, "max\n"), \
	W2("A", f, "2147483646", 0, "2147483646\n"), \
	W2("A", f, "2147483648", -ERANGE, NULL), \
	W2("A", f, "-1", -ERANGE, NULL), \
	W2("A", f, "-2147483648", -ERANGE, NULL), \
	W2("A", f, "-2147483649", -ERANGE, NULL), \
	W2("A", f, "99999999999999999999", -ERANGE, NULL), \
	W2("A", f, "MAX", -EINVAL, NULL), \
	W2("A", f, "max\n", 0, "max\n"), \
	W2("A", f, "max max", -EINVAL, NULL), \
	W2("A", f, "1k", -EINVAL, NULL), \
	W2("A", f, "\n", -EINVAL, NULL), \
	W2("A", f, "08", -EINVAL, NULL), \
	W2("", f, "max", 0, "max\n"), \
	W2("", f, "-1", -ERANGE, NULL)

/* names of files: mkdir -EEXIST, rmdir -ENOTDIR */
#define NAME_V2_ROWS(n) \
	DIR2(MKDIR, "A/" n, -EEXIST, NULL), \
	DIR2(RMDIR, "A/" n, -ENOTDIR, NULL)
#define NAME_V1_ROWS(n) \
	DIR1(MKDIR, "A/" n, -EEXIST), \
	DIR1(RMDIR, "A/" n, -ENOTDIR)

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
	W2K("A", "memory.peak", "0", -EINVAL, 0, NULL),
	W2K("A", "memory.swap.peak", "0", -ENOENT, 0, NULL),

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
	DIR2K(MKDIR, "A/memory.swap.peak", 0, -EEXIST, "A/memory.swap.peak"),
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
	DIR2(MKDIR, ERRNO_N4080 "n", 0, ERRNO_N4080 "n"),
	DIR2(MKDIR, ERRNO_N4080 ERRNO_N15, 0, ERRNO_N4080 ERRNO_N15),
	DIR2(MKDIR, "A/" ERRNO_N4080 "nnnnnnnnnnnnn", 0,
	     "A/" ERRNO_N4080 "nnnnnnnnnnnnn"),
	DIR2(MKDIR, "A/" ERRNO_N4080 ERRNO_N15, -ENAMETOOLONG, NULL),
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

	/* ---- v2 limits: page_counter_memparse() on each ---- */
	MEMPARSE_V2_ROWS("memory.min"),
	MEMPARSE_V2_ROWS("memory.low"),
	MEMPARSE_V2_ROWS("memory.high"),
	MEMPARSE_V2_ROWS("memory.swap.high"),
	MEMPARSE_V2_ROWS("memory.swap.max"),

	/* ---- v2 files on the root, read-only files, peaks ---- */
	W2("", "memory.min", "max", -ENOENT, NULL),
	W2("", "memory.oom.group", "0", -ENOENT, NULL),
	W2("", "memory.peak", "0", -ENOENT, NULL),
	W2("", "memory.swap.peak", "0", -ENOENT, NULL),
	W2("", "memory.events", "0", -ENOENT, NULL),
	W2("", "memory.current", "0", -ENOENT, NULL),
	W2("", "memory.swap.current", "0", -ENOENT, NULL),
	W2("", "memory.stat", "0", -EINVAL, NULL),
	W2("", "cgroup.stat", "0", -EINVAL, NULL),
	W2("A", "cgroup.stat", "0", -EINVAL, NULL),
	W2("A", "memory.events.local", "0", -EINVAL, NULL),
	W2("A", "memory.swap.current", "0", -EINVAL, NULL),
	W2("A", "memory.swap.events", "0", -EINVAL, NULL),
	W2("A", "memory.stat", "", 0, NULL),
	READ2K("", "memory.current", -ENOENT, -ENOENT),
	READ2K("", "memory.reclaim", -EINVAL, -EINVAL),
	READ2K("A", "memory.swap.peak", -ENOENT, 0),
	READ2K("A", "memory.peak", 0, 0),
	W2K("A", "memory.peak", "junk", -EINVAL, 0, NULL),
	W2K("A", "memory.peak", "\n", -EINVAL, 0, NULL),
	W2K("A", "memory.peak", "reset", -EINVAL, 0, NULL),
	W2("A", "memory.peak", "", 0, NULL),
	W2K("A", "memory.swap.peak", "junk", -ENOENT, 0, NULL),
	W2K("A", "memory.swap.peak", "\n", -ENOENT, 0, NULL),
	Z2("A", "memory.peak", 4097, -E2BIG, NULL),

	/* ---- memory.oom.group, more ---- */
	W2("A", "memory.oom.group", " 1", 0, "1\n"),
	W2("A", "memory.oom.group", "1\n\n", 0, "1\n"),
	W2("A", "memory.oom.group", "00", 0, "0\n"),
	W2("A", "memory.oom.group", "0b1", -EINVAL, NULL),
	W2("A", "memory.oom.group", "2147483647", -EINVAL, NULL),
	W2("A", "memory.oom.group", "-2147483648", -EINVAL, NULL),
	W2("A", "memory.oom.group", "1\x85", -EINVAL, NULL),
	Z2("A", "memory.oom.group", 4096, 0, "0\n"),

	/* ---- memory.reclaim, more ---- */
	W2("A", "memory.reclaim", "4095", 0, NULL),
	W2("A", "memory.reclaim", "4096", -EAGAIN, NULL),
	W2("A", "memory.reclaim", "0x0", 0, NULL),
	W2("A", "memory.reclaim", "1M\n", -EAGAIN, NULL),
	W2("A", "memory.reclaim", "\xa0" "1M", -EAGAIN, NULL),
	W2("A", "memory.reclaim", "32E", 0, NULL),
	W2K("", "memory.reclaim", "0 swappiness=60", -EINVAL, 0, NULL),
	W2K("A", "memory.reclaim", "0 swappiness=0", -EINVAL, 0, NULL),
	W2("A", "memory.reclaim", "0 swappiness=201", -EINVAL, NULL),
	W2("A", "memory.reclaim", "0 junk", -EINVAL, NULL),
	W2K("A", "memory.reclaim", "0 ", 0, 0, NULL),
	W2("A", "memory.reclaim", "+1M", -EINVAL, NULL),
	Z2("A", "memory.reclaim", 4096, 0, NULL),

	/* ---- memory.pressure: a trigger, "some|full THRESHOLD WINDOW" in us
	 * (sscanf(): the rest ignored, numbers wrap at 32 bits); 6.1 takes
	 * windows of 500 ms to 10 s, 6.12 from 1 us (as root) ---- */
	W2("A", "memory.pressure", "some 150000 1000000", 0, NULL),
	W2("A", "memory.pressure", "full 150000 1000000", 0, NULL),
	W2("A", "memory.pressure", "some 1000000 1000000", 0, NULL),
	W2("A", "memory.pressure", "some 500000 500000", 0, NULL),
	W2("A", "memory.pressure", "some 150000 10000000", 0, NULL),
	W2("A", "memory.pressure", "some 150000 1000000 junk", 0, NULL),
	W2("A", "memory.pressure", "some  150000\t1000000", 0, NULL),
	W2("A", "memory.pressure", "some150000 1000000", 0, NULL),
	W2("A", "memory.pressure", "some 150000 1000000\n", 0, NULL),
	W2("A", "memory.pressure", "some 4294967297 1000000", 0, NULL),
	W2("A", "memory.pressure", "some 0 1000000", -EINVAL, NULL),
	W2K("A", "memory.pressure", "some 150000 499999", -EINVAL, 0, NULL),
	W2K("A", "memory.pressure", "some 1 1", -EINVAL, 0, NULL),
	W2("A", "memory.pressure", "some 1 0", -EINVAL, NULL),
	W2("A", "memory.pressure", "some 150000 10000001", -EINVAL, NULL),
	W2("A", "memory.pressure", "some 1000001 1000000", -EINVAL, NULL),
	W2("A", "memory.pressure", "some 150000", -EINVAL, NULL),
	W2("A", "memory.pressure", "Some 150000 1000000", -EINVAL, NULL),
	W2("A", "memory.pressure", " some 150000 1000000", -EINVAL, NULL),
	W2("A", "memory.pressure", "some -1 1000000", -EINVAL, NULL),
	W2("A", "memory.pressure", "some +1 1000000", -EINVAL, NULL),
	W2("A", "memory.pressure", "some 4294967296 1000000", -EINVAL, NULL),
	W2("A", "memory.pressure", "both 150000 1000000", -EINVAL, NULL),
	W2("A", "memory.pressure", "junk", -EINVAL, NULL),
	W2("A", "memory.pressure", "\n", -EINVAL, NULL),
	W2("A", "memory.pressure", "", 0, NULL),
	W2("", "memory.pressure", "some 150000 1000000", 0, NULL),
	W2("", "memory.pressure", "some 0 1000000", -EINVAL, NULL),
	Z2("A", "memory.pressure", 4097, -E2BIG, NULL),

	/* ---- cgroup.max.depth, cgroup.max.descendants ---- */
	HIER_LIMIT_ROWS("cgroup.max.depth"),
	HIER_LIMIT_ROWS("cgroup.max.descendants"),
	WP2(ERRNO_FIX_AB, "A", "cgroup.max.descendants", NULL, NULL, NULL,
	    "0", 0, "0\n"),
	WP2(ERRNO_FIX_AB, "A", "cgroup.max.depth", NULL, NULL, NULL, "0", 0,
	    "0\n"),
	DIRP2(MKDIR, ERRNO_FIX_A, "A/B", "A", "cgroup.max.depth", "0",
	      -EAGAIN, NULL),
	DIRP2(MKDIR, ERRNO_FIX_A, "A/B", "A", "cgroup.max.descendants", "0",
	      -EAGAIN, NULL),
	DIRP2(MKDIR, ERRNO_FIX_A, "A/B", "A", "cgroup.max.depth", "1", 0,
	      "A/B"),
	DIRP2(MKDIR, ERRNO_FIX_A, "A/B", "A", "cgroup.max.descendants", "1",
	      0, "A/B"),
	DIRP2(MKDIR, ERRNO_FIX_A, "B", "A", "cgroup.max.depth", "0", 0, "B"),
	DIRP2(MKDIR, ERRNO_FIX_A, "A/./B", "A", "cgroup.max.depth", "0",
	      -EAGAIN, NULL),
	DIRP2(MKDIR, ERRNO_FIX_A, "A/B\nC", "A", "cgroup.max.depth", "0",
	      -EINVAL, NULL),
	DIRP2(MKDIR, ERRNO_FIX_A, "A/memory.stat", "A", "cgroup.max.depth",
	      "0", -EEXIST, NULL),
	DIRP2(MKDIR, ERRNO_FIX_A, "A", "A", "cgroup.max.descendants", "0",
	      -EEXIST, NULL),
	DIRP2(MKDIR, ERRNO_FIX_A, "A/X/B", "A", "cgroup.max.depth", "0",
	      -ENOENT, NULL),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/B/C", "A", "cgroup.max.depth", "1",
	      -EAGAIN, NULL),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/B/C", "A", "cgroup.max.depth", "2", 0,
	      "A/B/C"),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/C", "A", "cgroup.max.depth", "1", 0,
	      "A/C"),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/C", "A", "cgroup.max.descendants", "1",
	      -EAGAIN, NULL),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/B/C", "A", "cgroup.max.descendants",
	      "1", -EAGAIN, NULL),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/B/C", "A", "cgroup.max.descendants",
	      "2", 0, "A/B/C"),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/B/C", "A/B", "cgroup.max.depth", "0",
	      -EAGAIN, NULL),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/C", "A/B", "cgroup.max.depth", "0", 0,
	      "A/C"),
	DIRP2(MKDIR, ERRNO_FIX_AB, "A/B/C", "A/B", "cgroup.max.descendants",
	      "0", -EAGAIN, NULL),
	DIRP2(RMDIR, ERRNO_FIX_AB, "A/B", "A", "cgroup.max.descendants", "0",
	      0, NULL),
	DIRP2(RMDIR, ERRNO_FIX_AB, "A/B", "A", "cgroup.max.depth", "0", 0,
	      NULL),

	/* ---- v2 names: files of the cgroup and of the core ---- */
	NAME_V2_ROWS("memory.current"),
	NAME_V2_ROWS("memory.min"),
	NAME_V2_ROWS("memory.low"),
	NAME_V2_ROWS("memory.high"),
	DIR2(RMDIR, "A/memory.max", -ENOTDIR, NULL),
	NAME_V2_ROWS("memory.reclaim"),
	NAME_V2_ROWS("memory.events"),
	NAME_V2_ROWS("memory.events.local"),
	NAME_V2_ROWS("memory.oom.group"),
	NAME_V2_ROWS("memory.peak"),
	NAME_V2_ROWS("memory.swap.current"),
	NAME_V2_ROWS("memory.swap.high"),
	NAME_V2_ROWS("memory.swap.max"),
	NAME_V2_ROWS("memory.swap.events"),
	NAME_V2_ROWS("cgroup.stat"),
	NAME_V2_ROWS("cgroup.max.depth"),
	NAME_V2_ROWS("cgroup.max.descendants"),
	NAME_V2_ROWS("cgroup.controllers"),
	NAME_V2_ROWS("cgroup.events"),
	NAME_V2_ROWS("cgroup.freeze"),
	NAME_V2_ROWS("cgroup.kill"),
	DIR2(RMDIR, "A/cgroup.procs", -ENOTDIR, NULL),
	NAME_V2_ROWS("cgroup.subtree_control"),
	NAME_V2_ROWS("cgroup.threads"),
	DIR2(RMDIR, "A/memory.pressure", -ENOTDIR, NULL),
	NAME_V2_ROWS("cpu.pressure"),
	DIR2(MKDIR, "cgroup.max.depth", -EEXIST, NULL),
	DIR2(MKDIR, "cgroup.procs", -EEXIST, NULL),
	DIR2(MKDIR, "memory.reclaim", -EEXIST, NULL),
	DIR2(MKDIR, "memory.pressure", -EEXIST, NULL),
	DIR2(MKDIR, "memory.current", 0, "memory.current"),
	DIR2(MKDIR, "cgroup.events", 0, "cgroup.events"),
	DIR2(RMDIR, "memory.stat", -ENOTDIR, NULL),
	DIR2(RMDIR, "cgroup.max.descendants", -ENOTDIR, NULL),
	DIR2(MKDIR, "A/memory.Max", 0, "A/memory.Max"),
	DIR2(MKDIR, "A/memory.max ", 0, "A/memory.max "),
	DIR2(MKDIR, "A/memory", 0, "A/memory"),
	DIR2(MKDIR, "A/memory.", 0, "A/memory."),
	DIR2(MKDIR, "A/...", 0, "A/..."),
	DIR2(MKDIR, "A/.B", 0, "A/.B"),
	DIR2(MKDIR, "A/\xa0", 0, "A/\xa0"),
	DIR2(MKDIR, "A/ ", 0, "A/ "),
	DIR2(MKDIR, "A/B\tC", 0, "A/B\tC"),
	DIR2(MKDIR, "A/\n", -EINVAL, NULL),
	DIR2(RMDIR, "A/\n", -ENOENT, NULL),
	DIR2(MKDIR, "A/B/C", -ENOENT, NULL),
	DIR2(RMDIR, "A/B/..", -ENOENT, NULL),
	DIR2(RMDIR, "A/memory.stat/..", -ENOTDIR, NULL),
	DIR2(MKDIR, "A/memory.stat/..", -ENOTDIR, NULL),
	DIR2(MKDIR, "A/cgroup.max.depth/B", -ENOTDIR, NULL),
	{ .op = ERRNO_OP_MKDIR, .fix = ERRNO_FIX_AB, .path = "A/B",
	  .k61 = -EEXIST, .k612 = -EEXIST, .e61 = -EEXIST, .e612 = -EEXIST },
	{ .op = ERRNO_OP_RMDIR, .fix = ERRNO_FIX_AB, .path = "A/B/",
	  .k61 = 0, .k612 = 0, .e61 = 0, .e612 = 0 },
	{ .op = ERRNO_OP_RMDIR, .fix = ERRNO_FIX_AB, .path = "A/B/.",
	  .k61 = -EINVAL, .k612 = -EINVAL, .e61 = -EINVAL, .e612 = -EINVAL },
	{ .op = ERRNO_OP_RMDIR, .fix = ERRNO_FIX_AB, .path = "A/B/..",
	  .k61 = -ENOTEMPTY, .k612 = -ENOTEMPTY, .e61 = -ENOTEMPTY,
	  .e612 = -ENOTEMPTY },
	{ .op = ERRNO_OP_WRITE, .fix = ERRNO_FIX_AB, .path = "A/B/",
	  .file = "memory.max", ERRNO_VAL("1M"), .show = "1048576\n" },
	{ .op = ERRNO_OP_WRITE, .fix = ERRNO_FIX_AB, .path = "A/B/..",
	  .file = "memory.max", ERRNO_VAL("2M"), .show = "2097152\n" },

	/* ---- cgroup v1 (6.1 only) ---- */
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
	W1("A", "memory.use_hierarchy", "1", 0, "1\n"),
	W1("A", "memory.use_hierarchy", "0", -EINVAL, NULL),
	W1("A", "memory.move_charge_at_immigrate", "3", 0, "3\n"),
	W1("A", "memory.move_charge_at_immigrate", "4", -EINVAL, NULL),
	W1("A", "memory.failcnt", "junk", 0, "0\n"),
	W1("A", "memory.max_usage_in_bytes", "", 0, NULL),
	W1("A", "memory.usage_in_bytes", "0", -EINVAL, NULL),
	W1("A", "memory.kmem.limit_in_bytes", "1 G", -EINVAL, NULL),
	W1("", "memory.kmem.limit_in_bytes", "1G", -EINVAL, NULL),
	DIR1(MKDIR, "A/memory.stat", -EEXIST),
	DIR1(MKDIR, "A/tasks", -EEXIST),
	DIR1(MKDIR, "A/memory.oom_control", -EEXIST),
	DIR1(RMDIR, "A/memory.limit_in_bytes", -ENOTDIR),
	DIR1(MKDIR, "A/./B", 0),

	/* ---- v1 limits (6.1 only): page_counter_memparse(buf, "-1") ---- */
	MEMPARSE_V1_ROWS("memory.limit_in_bytes", NULL, NULL, ERRNO_SHOW),
	MEMPARSE_V1_ROWS("memory.soft_limit_in_bytes", NULL, NULL,
			 ERRNO_SHOW),
	MEMPARSE_V1_ROWS("memory.memsw.limit_in_bytes",
			 "memory.limit_in_bytes", "0", ERRNO_SHOW),
	MEMPARSE_V1_ROWS("memory.kmem.limit_in_bytes", NULL, NULL,
			 ERRNO_NOSHOW),
	MEMPARSE_V1_ROWS("memory.kmem.tcp.limit_in_bytes", NULL, NULL,
			 ERRNO_SHOW),
	W1("", "memory.memsw.limit_in_bytes", "-1", -EINVAL, NULL),
	W1("", "memory.kmem.tcp.limit_in_bytes", "-1", -EINVAL, NULL),
	W1("", "memory.limit_in_bytes", "junk", -EINVAL, NULL),
	W1("", "memory.soft_limit_in_bytes", "-1", 0, ERRNO_V1_MAX),
	W1("", "memory.soft_limit_in_bytes", "junk", -EINVAL, NULL),
	WP1("A", "memory.limit_in_bytes", "memory.memsw.limit_in_bytes",
	    "-1", "64M", 0, "67108864\n"),
	{ .op = ERRNO_OP_WRITE, .v1 = true, .path = "A",
	  .file = "memory.limit_in_bytes",
	  .pre_file = "memory.memsw.limit_in_bytes", .pre_value = "-1",
	  .pre_path = "A", ERRNO_VAL("-1"), .k61 = 0, .k612 = ERRNO_NA,
	  .e61 = 0, .e612 = ERRNO_NA, .show = ERRNO_V1_MAX },
	WP1("A", "memory.soft_limit_in_bytes", "memory.limit_in_bytes", "1M",
	    "64M", 0, "67108864\n"),
	WP1("A", "memory.kmem.tcp.limit_in_bytes", "memory.limit_in_bytes",
	    "1M", "64M", 0, "67108864\n"),

	/* ---- v1 write_u64 files ---- */
	U64_V1_ROWS("memory.swappiness"),
	U64_V1_ROWS("memory.use_hierarchy"),
	U64_V1_ROWS("memory.move_charge_at_immigrate"),
	U64_V1_ROWS("memory.oom_control"),
	W1("A", "memory.swappiness", "0", 0, "0\n"),
	W1("A", "memory.swappiness", "200", 0, "200\n"),
	W1("A", "memory.swappiness", "060", 0, "48\n"),
	W1("A", "memory.swappiness", "1\n", 0, "1\n"),
	W1("", "memory.swappiness", "60", 0, "60\n"),
	W1("", "memory.swappiness", "201", -EINVAL, NULL),
	W1("A", "memory.move_charge_at_immigrate", "0", 0, "0\n"),
	W1("A", "memory.move_charge_at_immigrate", "1", 0, "1\n"),
	W1("A", "memory.move_charge_at_immigrate", "2", 0, "2\n"),
	W1("A", "memory.move_charge_at_immigrate", "0x3", 0, "3\n"),
	W1("A", "memory.move_charge_at_immigrate", "+2", 0, "2\n"),
	W1("A", "memory.move_charge_at_immigrate", "7", -EINVAL, NULL),
	W1("", "memory.move_charge_at_immigrate", "0", 0, "0\n"),
	W1("A", "memory.use_hierarchy", "2", -EINVAL, NULL),
	W1("A", "memory.use_hierarchy", "01", 0, "1\n"),
	W1("A", "memory.use_hierarchy", "0x1", 0, "1\n"),
	W1("A", "memory.use_hierarchy", "+1", 0, "1\n"),
	W1("A", "memory.use_hierarchy", "1\n", 0, "1\n"),
	W1("", "memory.use_hierarchy", "1", 0, "1\n"),
	W1("", "memory.use_hierarchy", "0", -EINVAL, NULL),
	W1("A", "memory.oom_control", "0", 0,
	   "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"),
	W1("A", "memory.oom_control", "+0", 0, NULL),
	W1("A", "memory.oom_control", "00", 0, NULL),
	W1("A", "memory.oom_control", "0x0", 0, NULL),
	W1("A", "memory.oom_control", "0\n", 0, NULL),
	W1("A", "memory.oom_control", "2", -EINVAL, NULL),
	W1("", "memory.oom_control", "0", -EINVAL, NULL),
	W1("", "memory.oom_control", "1", -EINVAL, NULL),
	W1("", "memory.oom_control", "2", -EINVAL, NULL),
	W1("", "memory.oom_control", "-1", -EINVAL, NULL),

	/* ---- v1 resets, force_empty, event_control, read-only files ---- */
	RESET_V1_ROWS("memory.max_usage_in_bytes"),
	RESET_V1_ROWS("memory.memsw.max_usage_in_bytes"),
	RESET_V1_ROWS("memory.kmem.max_usage_in_bytes"),
	RESET_V1_ROWS("memory.kmem.tcp.max_usage_in_bytes"),
	RESET_V1_ROWS("memory.failcnt"),
	RESET_V1_ROWS("memory.memsw.failcnt"),
	RESET_V1_ROWS("memory.kmem.failcnt"),
	RESET_V1_ROWS("memory.kmem.tcp.failcnt"),
	W1("", "memory.max_usage_in_bytes", "0", 0, NULL),
	W1("", "memory.failcnt", "0", 0, NULL),
	Z1("A", "memory.failcnt", 4097, -E2BIG, NULL),
	W1("A", "memory.force_empty", "0", 0, NULL),
	W1("A", "memory.force_empty", "1", 0, NULL),
	W1("A", "memory.force_empty", "junk", 0, NULL),
	W1("A", "memory.force_empty", "\n", 0, NULL),
	W1("A", "memory.force_empty", "\0", 0, NULL),
	W1("A", "memory.force_empty", "", 0, NULL),
	W1("", "memory.force_empty", "0", -EINVAL, NULL),
	W1("", "memory.force_empty", "", 0, NULL),
	READ1("A", "memory.force_empty", -EINVAL),
	W1("A", "cgroup.event_control", "junk", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "1", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "\n", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "999 999", -EBADF, NULL),
	W1("A", "cgroup.event_control", "999 999 1M", -EBADF, NULL),
	W1("A", "cgroup.event_control", " 999 999\n", -EBADF, NULL),
	W1("A", "cgroup.event_control", "999  999", -EBADF, NULL),
	W1("A", "cgroup.event_control", "999 x", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "999 ", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "999\t999", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "999x 999", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "999 999x", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "-1 999", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "+1 999", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "0x10 999", -EINVAL, NULL),
	W1("A", "cgroup.event_control", "999\xa0" "999", -EINVAL, NULL),
	W1("", "cgroup.event_control", "999 999", -EBADF, NULL),
	READ1("A", "cgroup.event_control", -EINVAL),
	W1("A", "memory.pressure_level", "0", -EINVAL, NULL),
	W1("A", "memory.pressure_level", "low", -EINVAL, NULL),
	READ1("A", "memory.pressure_level", -EINVAL),
	W1("A", "memory.memsw.usage_in_bytes", "0", -EINVAL, NULL),
	W1("A", "memory.kmem.usage_in_bytes", "0", -EINVAL, NULL),
	W1("A", "memory.kmem.tcp.usage_in_bytes", "0", -EINVAL, NULL),
	W1("A", "memory.stat", "0", -EINVAL, NULL),
	W1("", "memory.usage_in_bytes", "0", -EINVAL, NULL),
	W1("A", "memory.peak", "0", -ENOENT, NULL),
	W1("A", "memory.max", "0", -ENOENT, NULL),
	W1("A", "cgroup.max.depth", "1", -ENOENT, NULL),
	READ1("A", "memory.oom_control", 0),
	READ1("A", "memory.soft_limit_in_bytes", 0),

	/* ---- v1 names ---- */
	NAME_V1_ROWS("memory.usage_in_bytes"),
	DIR1(RMDIR, "A/memory.stat", -ENOTDIR),
	DIR1(MKDIR, "A/memory.limit_in_bytes", -EEXIST),
	NAME_V1_ROWS("memory.max_usage_in_bytes"),
	NAME_V1_ROWS("memory.soft_limit_in_bytes"),
	NAME_V1_ROWS("memory.failcnt"),
	NAME_V1_ROWS("memory.force_empty"),
	NAME_V1_ROWS("memory.use_hierarchy"),
	NAME_V1_ROWS("cgroup.event_control"),
	NAME_V1_ROWS("memory.swappiness"),
	NAME_V1_ROWS("memory.move_charge_at_immigrate"),
	DIR1(RMDIR, "A/memory.oom_control", -ENOTDIR),
	NAME_V1_ROWS("memory.pressure_level"),
	NAME_V1_ROWS("memory.numa_stat"),
	NAME_V1_ROWS("memory.kmem.limit_in_bytes"),
	NAME_V1_ROWS("memory.kmem.usage_in_bytes"),
	NAME_V1_ROWS("memory.kmem.failcnt"),
	NAME_V1_ROWS("memory.kmem.max_usage_in_bytes"),
	NAME_V1_ROWS("memory.kmem.slabinfo"),
	NAME_V1_ROWS("memory.kmem.tcp.limit_in_bytes"),
	NAME_V1_ROWS("memory.kmem.tcp.usage_in_bytes"),
	NAME_V1_ROWS("memory.kmem.tcp.failcnt"),
	NAME_V1_ROWS("memory.kmem.tcp.max_usage_in_bytes"),
	NAME_V1_ROWS("memory.memsw.usage_in_bytes"),
	NAME_V1_ROWS("memory.memsw.limit_in_bytes"),
	NAME_V1_ROWS("memory.memsw.max_usage_in_bytes"),
	NAME_V1_ROWS("memory.memsw.failcnt"),
	DIR1(RMDIR, "A/tasks", -ENOTDIR),
	NAME_V1_ROWS("cgroup.procs"),
	NAME_V1_ROWS("cgroup.clone_children"),
	NAME_V1_ROWS("notify_on_release"),
	DIR1(MKDIR, "A/memory.max", 0),
	DIR1(MKDIR, "A/cgroup.max.depth", 0),
	DIR1(MKDIR, "A/memory.peak", 0),
	DIR1(MKDIR, "release_agent", -EEXIST),
	DIR1(MKDIR, "cgroup.sane_behavior", -EEXIST),
	DIR1(MKDIR, "memory.stat", -EEXIST),
	DIR1(MKDIR, "A/release_agent", 0),
	DIR1(MKDIR, "A/..", -EEXIST),
	DIR1(RMDIR, "A/.", -EINVAL),
	DIR1(MKDIR, "A/B\nC", -EINVAL),
	DIR1(MKDIR, "A/" ERRNO_N256, 0),
	DIR1(MKDIR, "A/memory.stat/B", -ENOTDIR),
	DIR1(RMDIR, "X", -ENOENT),
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
#undef WP2
#undef WP1
#undef Z1
#undef ZP1
#undef Z2
#undef DIRP2
#undef READ2K
#undef READ1
#undef MEMPARSE_V2_ROWS
#undef MEMPARSE_V1_ROWS
#undef ERRNO_SHOW
#undef ERRNO_NOSHOW
#undef U64_V1_ROWS
#undef RESET_V1_ROWS
#undef HIER_LIMIT_ROWS
#undef NAME_V2_ROWS
#undef NAME_V1_ROWS
#undef W2K
#undef W1
#undef DIR2
#undef DIR2K
#undef DIR1
#undef MKDIR
#undef RMDIR

#endif /* MEMCG_TESTS_ERRNO_ROWS_H */
