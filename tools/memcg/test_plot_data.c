// SPDX-License-Identifier: MIT
/*
 * Unit tests of the plots' samples (plot_data.h): the cgroups' order,
 * decimation in bounded memory, the run's last point, and the sample
 * lines (plot_lines.h) both ways, malformed ones included.
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

#include "plot_data.h"
#include "plot_lines.h"

static const char text[] =
	"mkdir A\n"
	"mkdir A/B\n"
	"task t A/B\n"
	"t anon 10M\n"
	"show A/memory.current\n"
	"rmdir A/B\n";

static struct scenario *load(const char *t)
{
	struct scenario *s = NULL;
	char err[256];

	assert_int_equal(scenario_parse(t, strlen(t), "t.scn", &s, err,
					sizeof(err)), 0);
	return s;
}

static void test_cgroups(void **state)
{
	struct scenario *s = load(text), *r = load("task t .\nt anon 1M\n");
	struct plot_data d;

	(void)state;
	assert_int_equal(plot_data_init(&d, s, "engine", 0), 0);
	assert_int_equal(d.nr_cg, 2);	/* no task in the root */
	assert_string_equal(d.paths[0], "A");
	assert_string_equal(d.paths[1], "A/B");
	assert_int_equal(plot_data_cgroup(&d, "A/B"), 1);
	assert_int_equal(plot_data_cgroup(&d, "C"), -1);
	assert_int_equal(d.max_frames, PLOT_MAX_FRAMES);
	plot_data_free(&d);
	assert_int_equal(plot_data_init(&d, r, "kernel", 0), 0);
	assert_int_equal(d.nr_cg, 1);
	assert_string_equal(d.paths[0], ".");
	plot_data_free(&d);
	scenario_free(s);
	scenario_free(r);
}

/*
 * 100 points into 8 frames: the stride doubles each time the frames
 * fill (2 at point 8, 4 at 16, 8 at 32, 16 at 64); the frames kept are
 * the first and the multiples of the stride.
 */
static void test_decimation(void **state)
{
	struct scenario *s = load(text);
	struct plot_data d;
	int taken = 0;

	(void)state;
	assert_int_equal(plot_data_init(&d, s, "engine", 8), 0);
	assert_int_equal(d.max_frames, 8);
	assert_non_null(plot_data_point(&d, -1, 0));
	for (int i = 1; i < 100; i++) {
		struct plot_cell *c = plot_data_point(&d, 3, (uint64_t)i);

		if (c) {
			taken++;
			assert_int_equal(c[0].state, PC_NONE);
			assert_true(c[1].v[PS_CURRENT] == PLOT_UNSET);
			c[0].state = PC_ONLINE;
			c[0].v[PS_CURRENT] = i;
		}
	}
	assert_int_equal(d.stride, 16);
	assert_int_equal(d.n_sub[3], 99);
	assert_int_equal(d.nr_points, 100);
	assert_int_equal(d.nr_frames, 7);	/* 0, 16, 32, 48, 64, 80, 96 */
	for (uint32_t k = 0; k < d.nr_frames; k++) {
		assert_int_equal(d.frames[k].nr, 16 * k);
		if (k) {
			assert_int_equal(d.frames[k].sub, 16 * k);
			assert_int_equal(plot_data_cell(&d, k, 0)->v[PS_CURRENT],
					 16 * k);
		}
	}
	/* 1-8, then 10-16 by 2, 20-32 by 4, 40-64 by 8, 80 and 96 */
	assert_int_equal(taken, 8 + 4 + 4 + 4 + 2);
	/* the run's last point, 99, is drawn whatever the stride */
	assert_non_null(plot_data_last_point(&d, 3, 99));
	assert_int_equal(d.nr_frames, 8);
	assert_int_equal(d.frames[7].nr, 99);
	assert_int_equal(d.frames[7].sub, 99);
	assert_null(plot_data_last_point(&d, 3, 99));	/* once */
	/* full: point 112, the next multiple of 16, makes room first */
	for (int i = 100; i < 112; i++)
		assert_null(plot_data_point(&d, 4, 0));
	assert_non_null(plot_data_point(&d, 4, 0));
	assert_int_equal(d.stride, 32);
	assert_int_equal(d.nr_frames, 5);	/* 0, 32, 64, 96, 112 */
	assert_int_equal(d.frames[3].nr, 96);
	assert_int_equal(d.frames[4].nr, 112);
	assert_int_equal(d.frames[4].cmd, 4);
	assert_int_equal(d.frames[4].sub, 13);
	plot_data_free(&d);
	scenario_free(s);
}

/* Many cgroups: fewer frames, never fewer than PLOT_MIN_FRAMES. */
static void test_bounded(void **state)
{
	size_t n = 40000, len = 0;
	char *t = malloc(n * 16);
	struct scenario *s;
	struct plot_data d;

	(void)state;
	assert_non_null(t);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(t + len, "mkdir c%zu\n", i);
	s = load(t);
	assert_int_equal(plot_data_init(&d, s, "engine", 0), 0);
	assert_int_equal(d.max_frames, PLOT_MIN_FRAMES);
	for (int i = 0; i < 1000; i++)
		plot_data_point(&d, 0, 0);
	assert_true(d.nr_frames <= PLOT_MIN_FRAMES);
	plot_data_free(&d);
	scenario_free(s);
	free(t);

	s = load("mkdir A\nmkdir B\n");
	assert_int_equal(plot_data_init(&d, s, "engine", 0), 0);
	assert_int_equal(d.max_frames, PLOT_MAX_FRAMES);
	plot_data_free(&d);
	scenario_free(s);
}

static void test_lines(void **state)
{
	struct scenario *s = load(text);
	struct plot_cell cells[2];
	struct plot_data d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	memset(cells, 0, sizeof(cells));
	for (int i = 0; i < PS_NR; i++)
		cells[0].v[i] = cells[1].v[i] = PLOT_UNSET;
	for (int i = 0; i < PE_NR; i++)
		cells[0].ev[i] = cells[1].ev[i] = PLOT_UNSET;
	cells[1].state = PC_DYING;
	cells[1].v[PS_CURRENT] = 4096;
	cells[1].v[PS_MAX] = PLOT_NO_LIMIT;
	cells[1].ev[PE_OOM_KILL] = 2;
	plot_lines_write(f, 5, 12500000, cells, 2);
	fclose(f);
	assert_string_equal(buf, "@@SAMPLE 5 12.500 1=4096,-,-,-,-,max,-,-,-,-,2,d\n");

	assert_int_equal(plot_data_init(&d, s, "kernel", 0), 0);
	buf[len - 1] = '\0';
	assert_int_equal(plot_lines_parse(&d, buf), 1);
	assert_int_equal(d.nr_frames, 1);
	assert_int_equal(d.frames[0].cmd, 5);
	assert_int_equal(d.frames[0].clock_ns, 12500000);
	assert_int_equal(plot_data_cell(&d, 0, 0)->state, PC_NONE);
	assert_int_equal(plot_data_cell(&d, 0, 1)->state, PC_DYING);
	assert_int_equal(plot_data_cell(&d, 0, 1)->v[PS_CURRENT], 4096);
	assert_true(plot_data_cell(&d, 0, 1)->v[PS_MAX] == PLOT_NO_LIMIT);
	assert_true(plot_data_cell(&d, 0, 1)->v[PS_SWAP] == PLOT_UNSET);
	assert_int_equal(plot_data_cell(&d, 0, 1)->ev[PE_OOM_KILL], 2);
	assert_int_equal(plot_lines_parse(&d, "@@SAMPLE -1 0.000"), 1);
	assert_int_equal(plot_lines_parse(&d, "ok A/memory.current"), 0);
	/* malformed: command or cgroup out of range, a short or bad cell */
	assert_int_equal(plot_lines_parse(&d, "@@SAMPLE 6 1.0"), -EINVAL);
	assert_int_equal(plot_lines_parse(&d, "@@SAMPLE 0 1.0 2=1,-,-,-,-,-,-,-,-,-,-"), -EINVAL);
	assert_int_equal(plot_lines_parse(&d, "@@SAMPLE 0 1.0 0=1,-,-"), -EINVAL);
	assert_int_equal(plot_lines_parse(&d, "@@SAMPLE 0 1.0 0=x,-,-,-,-,-,-,-,-,-,-"), -EINVAL);
	assert_int_equal(plot_lines_parse(&d, "@@SAMPLE 0 -1 0=1,-,-,-,-,-,-,-,-,-,-"), -EINVAL);
	plot_data_free(&d);
	free(buf);
	scenario_free(s);
}

static void test_events(void **state)
{
	int64_t ev[PE_NR];

	(void)state;
	plot_parse_events("low 1\nhigh 2\nmax 3\noom 4\noom_kill 5\n"
			  "oom_group_kill 6\n", ev);
	for (int i = 0; i < PE_NR; i++)
		assert_int_equal(ev[i], i + 1);
	plot_parse_events("max 7\n", ev);
	assert_true(ev[PE_LOW] == PLOT_UNSET);
	assert_int_equal(ev[PE_MAX], 7);
	assert_string_equal(plot_event_name(PE_OOM_KILL), "oom_kill");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroups),
		cmocka_unit_test(test_decimation),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
