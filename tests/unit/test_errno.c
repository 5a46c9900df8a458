// SPDX-License-Identifier: MIT
/*
 * The errno table (docs/ERRNO.md, tests/helpers/errno_rows.h) on the
 * engine: every row under every profile it applies to (v2 rows under 6.1
 * and 6.12, v1 rows under 6.1), each its own test case on a fresh engine,
 * through the public API only. The kernel's columns are checked on the
 * kernel by tests/kernel/probe/errno_probe.c; here the engine's, which
 * equal them except where the table says why.
 *
 * Then the rows that need memory charged (v1 limits below usage, as
 * tests/kernel/errno_v1_resize.scn runs them on the kernel), checks of
 * the table itself (no input twice, the engine's columns the kernel's),
 * and cgroup.max.depth / cgroup.max.descendants beyond single rows.
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
#include "memcg/sim.h"
#include "errname.h"
#include "errno_rows.h"

#define MB(x) ((size_t)(x) << 20)

/* One row under one profile. */
struct errno_case {
	const struct errno_row *row;
	enum memcg_kernel kernel;
	char name[700];
};

static struct memcg_engine *engine_new(bool v1, enum memcg_kernel kernel)
{
	struct memcg_engine *e = NULL;
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.mode = v1 ? MEMCG_MODE_V1 : MEMCG_MODE_V2;
	cfg.kernel = kernel;
	cfg.reclaim = MEMCG_RECLAIM_CLASSIC;
	cfg.memory_bytes = MB(64);
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	return e;
}

static void engine_done(struct memcg_engine *e)
{
	memcg_engine_destroy(e);
	memcg_set_cpu(-1);
}

/* memcg_write_len() to @path/@file: the lookup's error or the write's. */
static int write_at(struct memcg_engine *e, const char *path,
		    const char *file, const void *buf, size_t len)
{
	struct mem_cgroup *cg;
	int err = memcg_lookup(e, path, &cg);

	if (err)
		return err;
	err = memcg_write_len(cg, file, buf, len);
	memcg_put(cg);
	return err;
}

/* @path/@file's content into @buf, or the error. */
static int read_at(struct memcg_engine *e, const char *path,
		   const char *file, char *buf, size_t size)
{
	struct mem_cgroup *cg;
	int err = memcg_lookup(e, path, &cg);

	buf[0] = '\0';
	if (err)
		return err;
	err = memcg_read(cg, file, buf, size);
	memcg_put(cg);
	return err < 0 ? err : 0;
}

static void fixture(struct memcg_engine *e, const struct errno_row *r)
{
	const char *pre = r->pre_path ? r->pre_path : r->path;

	assert_int_equal(memcg_mkdir(e, "A", NULL), 0);
	if (r->fix == ERRNO_FIX_AB)
		assert_int_equal(memcg_mkdir(e, "A/B", NULL), 0);
	if (r->pre_file)
		assert_int_equal(write_at(e, pre, r->pre_file, r->pre_value,
					  strlen(r->pre_value)), 0);
}

static int run_op(struct memcg_engine *e, const struct errno_row *r)
{
	char buf[8192];

	switch (r->op) {
	case ERRNO_OP_WRITE:
		if (r->value)
			return write_at(e, r->path, r->file, r->value, r->len);
		assert_true(r->len <= sizeof(buf));
		memset(buf, '0', r->len);
		return write_at(e, r->path, r->file, buf, r->len);
	case ERRNO_OP_READ:
		return read_at(e, r->path, r->file, buf, sizeof(buf));
	case ERRNO_OP_MKDIR:
		return memcg_mkdir(e, r->path, NULL);
	case ERRNO_OP_RMDIR:
		return memcg_rmdir(e, r->path);
	}
	return -EINVAL;
}

/* After success: the file shows @show, or the cgroup @show exists. */
static void check_show(struct memcg_engine *e, const struct errno_row *r)
{
	struct mem_cgroup *cg;
	char buf[8192];

	if (!r->show)
		return;
	if (r->op == ERRNO_OP_MKDIR) {
		assert_int_equal(memcg_lookup(e, r->show, &cg), 0);
		memcg_put(cg);
		return;
	}
	assert_int_equal(read_at(e, r->path, r->file, buf, sizeof(buf)), 0);
	assert_string_equal(buf, r->show);
}

static void test_row(void **state)
{
	const struct errno_case *c = *state;
	const struct errno_row *r = c->row;
	int want = c->kernel == MEMCG_KERNEL_6_12 ? r->e612 : r->e61, got;
	struct memcg_engine *e = engine_new(r->v1, c->kernel);

	fixture(e, r);
	got = run_op(e, r);
	if (got != want)
		fail_msg("%s: got %s, want %s", c->name,
			 got ? errname(got) : "0", want ? errname(want) : "0");
	if (!got)
		check_show(e, r);
	engine_done(e);
}

/* ---- rows with memory charged: v1 limits below usage ---- */

static struct memcg_engine *engine_v1_swap(void)
{
	struct memcg_engine *e = NULL;
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.mode = MEMCG_MODE_V1;
	cfg.memory_bytes = MB(256);
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_swapon(e, NULL, MB(128)), 0);
	memcg_set_cpu(0);
	return e;
}

static unsigned long long rd_num(struct mem_cgroup *m, const char *file)
{
	char buf[64];

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	return strtoull(buf, NULL, 10);
}

/* Reclaimable (swappable) anon: the limit is set once reclaim made room. */
static void test_v1_limit_below_usage_reclaims(void **state)
{
	struct memcg_engine *e = engine_v1_swap();
	struct memcg_task *t;
	struct mem_cgroup *a;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_task_create(e, "a", a, &t), 0);
	assert_int_equal(memcg_task_anon(t, MB(40)), 0);
	assert_int_equal(memcg_write(a, "memory.limit_in_bytes", "20M"), 0);
	assert_int_equal(rd_num(a, "memory.limit_in_bytes"), MB(20));
	assert_true(rd_num(a, "memory.usage_in_bytes") <= MB(20));
	/* the 40M and its 20 page tables (kernel memory counts in memsw) */
	assert_int_equal(rd_num(a, "memory.memsw.usage_in_bytes"),
			 MB(40) + 20 * 4096);
	/* memsw reclaim may not swap: nothing to free, -EBUSY, unchanged */
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "30M"),
			 -EBUSY);
	assert_int_equal(rd_num(a, "memory.memsw.limit_in_bytes"),
			 9223372036854771712ULL);
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "42M"),
			 0);
	assert_int_equal(memcg_write(a, "memory.memsw.limit_in_bytes", "10M"),
			 -EINVAL);
	assert_true(memcg_task_alive(t));
	memcg_task_exit(t);
	memcg_put(a);
	engine_done(e);
}

/* mlocked memory: reclaim frees nothing, -EBUSY, the limit unchanged. */
static void test_v1_limit_below_mlocked(void **state)
{
	struct memcg_engine *e = engine_v1_swap();
	struct memcg_task *t;
	struct mem_cgroup *b;

	assert_int_equal(memcg_mkdir(e, "B", &b), 0);
	assert_int_equal(memcg_task_create(e, "b", b, &t), 0);
	assert_int_equal(memcg_task_mlock(t, MB(40)), 0);
	assert_int_equal(memcg_write(b, "memory.limit_in_bytes", "20M"),
			 -EBUSY);
	assert_int_equal(rd_num(b, "memory.limit_in_bytes"),
			 9223372036854771712ULL);
	assert_int_equal(memcg_write(b, "memory.limit_in_bytes", "41M"), 0);
	assert_int_equal(rd_num(b, "memory.limit_in_bytes"), MB(41));
	assert_true(memcg_task_alive(t));
	memcg_task_exit(t);
	memcg_put(b);
	engine_done(e);
}

/* ---- the table itself ---- */

static bool rows_same_input(const struct errno_row *a, const struct errno_row *b)
{
	return a->op == b->op && a->v1 == b->v1 && a->fix == b->fix &&
	       !strcmp(a->path, b->path) &&
	       !strcmp(a->file ? a->file : "", b->file ? b->file : "") &&
	       !strcmp(a->pre_path ? a->pre_path : "",
		       b->pre_path ? b->pre_path : "") &&
	       !strcmp(a->pre_file ? a->pre_file : "",
		       b->pre_file ? b->pre_file : "") &&
	       !strcmp(a->pre_value ? a->pre_value : "",
		       b->pre_value ? b->pre_value : "") &&
	       a->len == b->len && !a->value == !b->value &&
	       (!a->value || !memcmp(a->value, b->value, a->len));
}

/* No input twice: each row counts once in docs/ERRNO.md's N of N. */
static void test_rows_distinct(void **state)
{
	unsigned same = 0;

	for (size_t i = 0; i < ERRNO_NR_ROWS; i++)
		for (size_t j = i + 1; j < ERRNO_NR_ROWS; j++)
			if (rows_same_input(&errno_rows[i], &errno_rows[j])) {
				print_error("rows %zu and %zu are the same input\n",
					    i + 1, j + 1);
				same++;
			}
	assert_int_equal(same, 0);
}

/* The engine's columns are the kernel's: every row agrees. */
static void test_rows_agree(void **state)
{
	for (size_t i = 0; i < ERRNO_NR_ROWS; i++) {
		const struct errno_row *r = &errno_rows[i];

		if (r->e61 != r->k61 || r->e612 != r->k612)
			fail_msg("row %zu: the engine differs from the kernel",
				 i + 1);
		if (r->v1 && r->k612 != ERRNO_NA)
			fail_msg("row %zu: a v1 row with a 6.12 result", i + 1);
	}
}

/* ---- cgroup.max.depth and cgroup.max.descendants ---- */

/*
 * The descendants limit counts live cgroups only: a removed one, even
 * while pinned (dying), frees its place; a limit below the count stays
 * and blocks only new ones. The depth limit counts levels below each
 * ancestor that has one, the root's too; "max" lifts both.
 */
static void test_hierarchy_limits(void **state)
{
	struct memcg_engine *e = engine_new(false, MEMCG_KERNEL_6_12);
	struct mem_cgroup *root = memcg_root(e), *a, *pinned;
	char buf[64];

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "cgroup.max.descendants", "2"), 0);
	assert_int_equal(memcg_mkdir(e, "A/B", &pinned), 0);
	assert_int_equal(memcg_mkdir(e, "A/C", NULL), 0);
	assert_int_equal(memcg_mkdir(e, "A/D", NULL), -EAGAIN);
	assert_int_equal(memcg_mkdir(e, "A/B/D", NULL), -EAGAIN);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);	/* dying: pinned */
	assert_int_equal(memcg_mkdir(e, "A/D", NULL), 0);
	assert_int_equal(memcg_write(a, "cgroup.max.descendants", "1"), 0);
	assert_int_equal(memcg_read(a, "cgroup.max.descendants", buf,
				    sizeof(buf)), 2);
	assert_string_equal(buf, "1\n");
	assert_int_equal(memcg_mkdir(e, "A/E", NULL), -EAGAIN);
	assert_int_equal(memcg_rmdir(e, "A/C"), 0);
	assert_int_equal(memcg_mkdir(e, "A/E", NULL), -EAGAIN);
	assert_int_equal(memcg_rmdir(e, "A/D"), 0);
	assert_int_equal(memcg_mkdir(e, "A/E", NULL), 0);
	assert_int_equal(memcg_write(a, "cgroup.max.descendants", "max"), 0);
	memcg_put(pinned);

	/* depth: 2 below the root, 1 below A */
	assert_int_equal(memcg_write(root, "cgroup.max.depth", "2"), 0);
	assert_int_equal(memcg_write(a, "cgroup.max.depth", "1"), 0);
	assert_int_equal(memcg_mkdir(e, "A/E/F", NULL), -EAGAIN);
	assert_int_equal(memcg_write(a, "cgroup.max.depth", "max"), 0);
	assert_int_equal(memcg_mkdir(e, "A/E/F", NULL), -EAGAIN);
	assert_int_equal(memcg_write(root, "cgroup.max.depth", "3"), 0);
	assert_int_equal(memcg_mkdir(e, "A/E/F", NULL), 0);
	assert_int_equal(memcg_mkdir(e, "A/E/F/G", NULL), -EAGAIN);
	assert_int_equal(memcg_mkdir(e, "X", NULL), 0);
	/* the root's descendants: A, A/E, A/E/F, X */
	assert_int_equal(memcg_write(root, "cgroup.max.descendants", "4"), 0);
	assert_int_equal(memcg_mkdir(e, "Y", NULL), -EAGAIN);
	assert_int_equal(memcg_mkdir(e, "X", NULL), -EEXIST);
	assert_int_equal(memcg_write(root, "cgroup.max.descendants", "max"), 0);
	assert_int_equal(memcg_write(root, "cgroup.max.depth", "max"), 0);
	assert_int_equal(memcg_mkdir(e, "A/E/F/G", NULL), 0);
	memcg_put(a);
	engine_done(e);
}

/* v1 has no such files; its mkdir is never limited by them. */
static void test_hierarchy_limits_v1(void **state)
{
	struct memcg_engine *e = engine_new(true, MEMCG_KERNEL_6_1);
	struct mem_cgroup *a;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "cgroup.max.depth", "0"), -ENOENT);
	assert_int_equal(memcg_write(memcg_root(e), "cgroup.max.descendants",
				     "0"), -ENOENT);
	assert_int_equal(memcg_mkdir(e, "A/B", NULL), 0);
	memcg_put(a);
	engine_done(e);
}

/* The rows of the table, one case per row and profile. */
static size_t errno_cases(struct errno_case *cases)
{
	size_t n = 0;

	for (size_t i = 0; i < ERRNO_NR_ROWS; i++) {
		const struct errno_row *r = &errno_rows[i];
		char label[600];

		errno_row_label(r, label, sizeof(label));
		cases[n] = (struct errno_case){ .row = r,
						.kernel = MEMCG_KERNEL_6_1 };
		snprintf(cases[n].name, sizeof(cases[n].name), "%zu 6.1 %s",
			 i + 1, label);
		n++;
		if (r->v1)
			continue;
		cases[n] = (struct errno_case){ .row = r,
						.kernel = MEMCG_KERNEL_6_12 };
		snprintf(cases[n].name, sizeof(cases[n].name), "%zu 6.12 %s",
			 i + 1, label);
		n++;
	}
	return n;
}

int main(void)
{
	static const struct CMUnitTest charged[] = {
		cmocka_unit_test(test_v1_limit_below_usage_reclaims),
		cmocka_unit_test(test_v1_limit_below_mlocked),
		cmocka_unit_test(test_rows_distinct),
		cmocka_unit_test(test_rows_agree),
		cmocka_unit_test(test_hierarchy_limits),
		cmocka_unit_test(test_hierarchy_limits_v1),
	};
	struct errno_case *cases = calloc(2 * ERRNO_NR_ROWS, sizeof(*cases));
	struct CMUnitTest *tests = calloc(2 * ERRNO_NR_ROWS, sizeof(*tests));
	size_t n;
	int failed;

	if (!cases || !tests)
		return 1;
	n = errno_cases(cases);
	for (size_t i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){ .name = cases[i].name,
						.test_func = test_row,
						.initial_state = &cases[i] };
	failed = _cmocka_run_group_tests("errno_table", tests, n, NULL, NULL);
	failed += cmocka_run_group_tests_name("errno_charged", charged, NULL,
					      NULL);
	free(tests);
	free(cases);
	return failed;
}
