// SPDX-License-Identifier: MIT
/*
 * Notifications and pressure: memory.pressure's text, stall totals and
 * averages on a virtual clock (expectations computed by hand from the
 * kernel's fixed-point formula), SOME and FULL with tasks, hierarchy,
 * trigger parsing with the kernel's errnos, triggers that fire and that
 * must not, and the pollfd of memory.events: signalled, rate-limited,
 * re-armed by a read, closed with its file.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "memcg/notify.h"
#include "core/cgroup.h"
#include "core/psi.h"

#define MS 1000000ULL
#define SEC 1000000000ULL

#define ZERO_LINE "avg10=0.00 avg60=0.00 avg300=0.00"
#define PRESSURE_ZERO						\
	"some " ZERO_LINE " total=0\nfull " ZERO_LINE " total=0\n"

/* The virtual clock: the test sets it; a sleep advances it. */
static _Atomic uint64_t vclock_ns;

static uint64_t vclock_now(void *priv)
{
	return atomic_load((_Atomic uint64_t *)priv);
}

static void vclock_sleep(void *priv, uint64_t ns)
{
	atomic_fetch_add((_Atomic uint64_t *)priv, ns);
}

static const struct memcg_clock_ops vclock_ops = {
	.now_ns = vclock_now,
	.sleep_ns = vclock_sleep,
};

static void at(uint64_t ns)
{
	atomic_store(&vclock_ns, ns);
}

static struct fixture *engine_v2(bool localevents)
{
	struct memcg_config cfg;
	struct fixture *f;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 8 << 20;
	cfg.nr_cpus = 2;
	cfg.huge_order = 4;
	cfg.deterministic = true;
	cfg.dataless = true;
	cfg.memory_localevents = localevents;
	f = fixture_new(&cfg, "A", "B");
	atomic_store(&vclock_ns, 0);
	assert_int_equal(memcg_set_clock(f->e, &vclock_ops, &vclock_ns), 0);
	return f;
}

static int setup(void **state)
{
	*state = engine_v2(false);
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static const char *pressure(struct mem_cgroup *cg)
{
	static char buf[256];

	assert_true(memcg_read(cg, "memory.pressure", buf, sizeof(buf)) > 0);
	return buf;
}

/* A stall of @ns on the virtual clock, by this thread. */
static void stall(struct mem_cgroup *cg, uint64_t ns)
{
	struct psi_stall s;

	psi_memstall_enter(cg, &s);
	vclock_sleep(&vclock_ns, ns);
	psi_memstall_leave(&s);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static struct memcg_file *open_file(struct mem_cgroup *cg, const char *name)
{
	struct memcg_file *file;

	assert_int_equal(memcg_open(cg, name, &file), 0);
	return file;
}

static void read_file(struct memcg_file *file)
{
	char buf[512];

	assert_true(memcg_file_read(file, buf, sizeof(buf)) > 0);
}

/* @file's pollfd: ready while never read, as kernfs; then read it. */
static int armed_fd(struct memcg_file *file)
{
	int fd = memcg_file_pollfd(file);

	assert_true(fd >= 0);
	assert_true(readable(fd));
	read_file(file);
	assert_false(readable(fd));
	return fd;
}

static int nr_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* ---- memory.pressure: the text ---- */

static void test_format_fresh(void **state)
{
	struct fixture *f = *state;
	char buf[256];

	assert_string_equal(pressure(memcg_root(f->e)), PRESSURE_ZERO);
	assert_string_equal(pressure(f->a), PRESSURE_ZERO);
	/* a read-write file: a zero-byte write is a no-op */
	assert_int_equal(memcg_write(f->a, "memory.pressure", ""), 0);
	/* the buffer must hold both lines */
	assert_int_equal(memcg_read(f->a, "memory.pressure", buf, 40), -EFBIG);
}

static void test_format_v1_absent(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *a;
	struct memcg_file *file;
	char buf[256];

	memcg_config_init(&cfg);
	cfg.mode = MEMCG_MODE_V1;
	cfg.memory_bytes = 8 << 20;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_read(a, "memory.pressure", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(memcg_read(memcg_root(e), "memory.pressure", buf,
				    sizeof(buf)), -ENOENT);
	/* v1 has no notifying file */
	file = open_file(a, "memory.usage_in_bytes");
	assert_int_equal(memcg_file_pollfd(file), -EINVAL);
	memcg_file_close(file);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	memcg_engine_destroy(e);
}

/* ---- stall totals ---- */

static void test_totals(void **state)
{
	struct fixture *f = *state;
	const char *want =
		"some " ZERO_LINE " total=251234\n"
		"full " ZERO_LINE " total=251234\n";

	at(1 * SEC);
	stall(f->a, 250 * MS);
	stall(f->a, 1234567);		/* 1234.567 us */
	/* 251234567 ns, in whole microseconds; no average before 3 s */
	assert_string_equal(pressure(f->a), want);
	assert_string_equal(pressure(memcg_root(f->e)), want);
	assert_string_equal(pressure(f->b), PRESSURE_ZERO);
}

/* A stall in progress counts up to the read. */
static void test_totals_in_progress(void **state)
{
	struct fixture *f = *state;
	struct psi_stall s;

	at(1 * SEC);
	psi_memstall_enter(f->a, &s);
	at(1 * SEC + 700 * MS);
	assert_string_equal(pressure(f->a),
			    "some " ZERO_LINE " total=700000\n"
			    "full " ZERO_LINE " total=700000\n");
	at(1 * SEC + 900 * MS);
	psi_memstall_leave(&s);
	at(2 * SEC);
	assert_string_equal(pressure(f->a),
			    "some " ZERO_LINE " total=900000\n"
			    "full " ZERO_LINE " total=900000\n");
}

/* A thread already stalled does not count twice (in_memstall). */
static void test_nested_stall(void **state)
{
	struct fixture *f = *state;
	struct psi_stall outer, inner;

	at(1 * SEC);
	psi_memstall_enter(f->a, &outer);
	psi_memstall_enter(f->b, &inner);	/* nested: not counted */
	assert_null(inner.memcg);
	at(1 * SEC + 100 * MS);
	psi_memstall_leave(&inner);
	at(1 * SEC + 200 * MS);
	psi_memstall_leave(&outer);
	assert_string_equal(pressure(f->a),
			    "some " ZERO_LINE " total=200000\n"
			    "full " ZERO_LINE " total=200000\n");
	assert_string_equal(pressure(f->b), PRESSURE_ZERO);
}

/* ---- averages, against the kernel's formula worked by hand ----
 *
 * FIXED_1 = 2048; one period decays by e = 1677 (10 s), 1981 (60 s),
 * 2034 (300 s); a sample of p percent is active = p * 2048, and
 * calc_load(l, e, a) = (l * e + a * (2048 - e) [+ 2047 if a >= l]) / 2048.
 * The text is l >> 11, then ((l & 2047) * 100) >> 11.
 */
static void test_averages(void **state)
{
	struct fixture *f = *state;

	/*
	 * A's group starts with its first stall at 1 s: the averages worker
	 * runs at 3 s, 5 s, ... The stall lasts 1 s.
	 */
	at(1 * SEC);
	stall(f->a, 1 * SEC);
	/*
	 * The worker at 3 s: 1 s of a 2 s period, 50 %, active 102400.
	 * avg10  = (102400 * 371 + 2047) / 2048 = 18550 -> 9 + 11800/2048 = 9.05
	 * avg60  = (102400 *  67 + 2047) / 2048 =  3350 -> 1 + 130200/2048 = 1.63
	 * avg300 = (102400 *  14 + 2047) / 2048 =   700 -> 0 + 70000/2048 = 0.34
	 */
	at(3 * SEC + 500 * MS);
	assert_string_equal(pressure(f->a),
			    "some avg10=9.05 avg60=1.63 avg300=0.34 total=1000000\n"
			    "full avg10=9.05 avg60=1.63 avg300=0.34 total=1000000\n");
	/*
	 * The worker at 5 s: an idle period, 0 %.
	 * avg10  = 18550 * 1677 / 2048 = 15189 -> 7.41
	 * avg60  =  3350 * 1981 / 2048 =  3240 -> 1.58
	 * avg300 =   700 * 2034 / 2048 =   695 -> 0.33
	 * Nothing changed since 3 s: the worker stops.
	 */
	at(5 * SEC + 500 * MS);
	assert_string_equal(pressure(f->a),
			    "some avg10=7.41 avg60=1.58 avg300=0.33 total=1000000\n"
			    "full avg10=7.41 avg60=1.58 avg300=0.33 total=1000000\n");
	/*
	 * The read at 10 s catches up: expires 7 s, one missed period
	 * (decay e^1, rounded: e itself), then a 3 s period at 0 %.
	 * avg10:  15189 -> 12437 -> 10184 -> 4.97
	 * avg60:   3240 ->  3134 ->  3031 -> 1.47
	 * avg300:   695 ->   690 ->   685 -> 0.33
	 */
	at(10 * SEC);
	assert_string_equal(pressure(f->a),
			    "some avg10=4.97 avg60=1.47 avg300=0.33 total=1000000\n"
			    "full avg10=4.97 avg60=1.47 avg300=0.33 total=1000000\n");
}

/* A long stall: the replayed worker samples 100 % every period. */
static void test_averages_long_stall(void **state)
{
	struct fixture *f = *state;

	/*
	 * 1 s .. 11 s; worker runs at 3, 5, 7, 9, 11 s, each at 100 %
	 * (active 204800):
	 * avg10:  37100, 67480, 92356, 112726, 129406 -> 63.18
	 * avg60:   6700, 13181, 19450,  25514,  31380 -> 15.32
	 * avg300:  1400,  2791,  4172,   5544,   6907 ->  3.37
	 */
	at(1 * SEC);
	stall(f->b, 10 * SEC);
	assert_string_equal(pressure(f->b),
			    "some avg10=63.18 avg60=15.32 avg300=3.37 total=10000000\n"
			    "full avg10=63.18 avg60=15.32 avg300=3.37 total=10000000\n");
}

/* ---- SOME and FULL ---- */

struct stall_thread {
	struct mem_cgroup *cg;
	pthread_barrier_t entered, go;
};

static void *stall_thread_fn(void *arg)
{
	struct stall_thread *st = arg;
	struct psi_stall s;

	psi_memstall_enter(st->cg, &s);
	pthread_barrier_wait(&st->entered);
	pthread_barrier_wait(&st->go);
	psi_memstall_leave(&s);
	return NULL;
}

/* Two tasks in A: FULL only while both threads stall. */
static void test_some_full_two_threads(void **state)
{
	struct fixture *f = *state;
	struct stall_thread st = { .cg = f->a };
	struct psi_stall s;
	pthread_t t;
	const char *want =
		"some " ZERO_LINE " total=1500000\n"
		"full " ZERO_LINE " total=500000\n";

	assert_int_equal(memcg_attach_task(f->a), 0);
	assert_int_equal(memcg_attach_task(f->a), 0);
	pthread_barrier_init(&st.entered, NULL, 2);
	pthread_barrier_init(&st.go, NULL, 2);
	at(1 * SEC);
	psi_memstall_enter(f->a, &s);		/* 1 of 2: SOME */
	at(1 * SEC + 500 * MS);
	assert_int_equal(pthread_create(&t, NULL, stall_thread_fn, &st), 0);
	pthread_barrier_wait(&st.entered);	/* 2 of 2: FULL */
	at(2 * SEC);
	pthread_barrier_wait(&st.go);
	pthread_join(t, NULL);			/* 1 of 2 again */
	at(2 * SEC + 500 * MS);
	psi_memstall_leave(&s);
	assert_string_equal(pressure(f->a), want);
	assert_string_equal(pressure(memcg_root(f->e)), want);
	pthread_barrier_destroy(&st.entered);
	pthread_barrier_destroy(&st.go);
	memcg_detach_task(f->a);
	memcg_detach_task(f->a);
}

/* One task in A, one in B: A stalls FULL, the engine only SOME. */
static void test_some_full_tasks_hierarchy(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(memcg_attach_task(f->a), 0);
	assert_int_equal(memcg_attach_task(f->b), 0);
	at(1 * SEC);
	stall(f->a, 1 * SEC);
	assert_string_equal(pressure(f->a),
			    "some " ZERO_LINE " total=1000000\n"
			    "full " ZERO_LINE " total=1000000\n");
	assert_string_equal(pressure(memcg_root(f->e)),
			    "some " ZERO_LINE " total=1000000\n"
			    "full " ZERO_LINE " total=0\n");
	memcg_detach_task(f->a);
	memcg_detach_task(f->b);
}

/* ---- hierarchy ---- */

static void test_hierarchy(void **state)
{
	struct fixture *f = *state;
	struct mem_cgroup *c;

	assert_int_equal(memcg_mkdir(f->e, "A/C", &c), 0);
	at(1 * SEC);
	stall(c, 300 * MS);
	at(1 * SEC + 500 * MS);
	stall(f->b, 100 * MS);
	assert_string_equal(pressure(c),
			    "some " ZERO_LINE " total=300000\n"
			    "full " ZERO_LINE " total=300000\n");
	assert_string_equal(pressure(f->a),
			    "some " ZERO_LINE " total=300000\n"
			    "full " ZERO_LINE " total=300000\n");
	assert_string_equal(pressure(f->b),
			    "some " ZERO_LINE " total=100000\n"
			    "full " ZERO_LINE " total=100000\n");
	/* the root is the whole engine */
	assert_string_equal(pressure(memcg_root(f->e)),
			    "some " ZERO_LINE " total=400000\n"
			    "full " ZERO_LINE " total=400000\n");
	memcg_put(c);
	assert_int_equal(memcg_rmdir(f->e, "A/C"), 0);
}

/* ---- triggers: parsing and errnos ---- */

static int write_fresh(struct mem_cgroup *cg, const char *text)
{
	return memcg_write(cg, "memory.pressure", text);
}

static void test_trigger_errno(void **state)
{
	static const struct {
		const char *text;
		int err;
	} rows[] = {
		{ "some 150000 1000000", 0 },
		{ "full 150000 1000000", 0 },
		{ "some 150000 1000000\n", 0 },
		{ "some 150000 1000000 trailing", 0 },	/* sscanf stops */
		{ "some150000 1000000", 0 },	/* blanks are optional */
		{ "some 150000\t\n1000000", 0 },
		{ "some 1000000 1000000", 0 },	/* threshold == window */
		{ "some 1 500000", 0 },		/* WINDOW_MIN_US */
		{ "some 1 10000000", 0 },		/* WINDOW_MAX_US */
		{ "some 4294967297 1000000", 0 },	/* %u keeps 32 bits: 1 */
		{ "some 4294967296 1000000", -EINVAL },	/* ... 0 */
		{ "some 1 499999", -EINVAL },
		{ "some 1 10000001", -EINVAL },
		{ "some 0 1000000", -EINVAL },
		{ "some 1000001 1000000", -EINVAL },
		{ "some 150000", -EINVAL },
		{ "some", -EINVAL },
		{ "\n", -EINVAL },
		{ " ", -EINVAL },
		{ " some 150000 1000000", -EINVAL },	/* not stripped */
		{ "SOME 150000 1000000", -EINVAL },
		{ "avg 150000 1000000", -EINVAL },
		{ "some -1 1000000", -EINVAL },
		{ "some +1 1000000", -EINVAL },
		{ "some 0x10 1000000", -EINVAL },
		{ "some 1.5 1000000", -EINVAL },
		{ "some 150000 x1000000", -EINVAL },
		{ "", 0 },				/* zero bytes: no-op */
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int got = write_fresh(f->a, rows[i].text);

		if (got != rows[i].err)
			fail_msg("\"%s\": got %d, want %d", rows[i].text, got,
				 rows[i].err);
		/* the root has memory.pressure and triggers too */
		assert_int_equal(write_fresh(memcg_root(f->e), rows[i].text),
				 rows[i].err);
	}
	/* each write's trigger went with its file */
	assert_true(cds_list_empty(&cgroup_psi(f->a)->triggers));
	assert_int_equal(cgroup_psi(f->a)->poll_states, 0);
}

static void test_trigger_busy_and_nodev(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *file, *other;
	struct mem_cgroup *c;

	file = open_file(f->a, "memory.pressure");
	/* a failed write leaves the file free for a trigger */
	assert_int_equal(memcg_file_write(file, "some 0 1000000"), -EINVAL);
	assert_int_equal(memcg_file_write(file, "some 150000 1000000"), 0);
	/* one trigger per open file, checked before the text */
	assert_int_equal(memcg_file_write(file, "full 150000 1000000"), -EBUSY);
	assert_int_equal(memcg_file_write(file, "garbage"), -EBUSY);
	assert_int_equal(memcg_file_write(file, ""), 0);
	/* another open file has its own */
	other = open_file(f->a, "memory.pressure");
	assert_int_equal(memcg_file_write(other, "full 150000 1000000"), 0);
	assert_int_equal(cgroup_psi(f->a)->poll_states, 3);
	memcg_file_close(other);
	assert_int_equal(cgroup_psi(f->a)->poll_states, 1);
	memcg_file_close(file);
	assert_int_equal(cgroup_psi(f->a)->poll_states, 0);
	assert_true(cds_list_empty(&cgroup_psi(f->a)->triggers));

	/* removed cgroup: -ENODEV, like cgroup_kn_lock_live() failing */
	assert_int_equal(memcg_mkdir(f->e, "C", &c), 0);
	file = open_file(c, "memory.pressure");
	assert_int_equal(memcg_rmdir(f->e, "C"), 0);
	assert_int_equal(memcg_file_write(file, "some 150000 1000000"), -ENODEV);
	assert_int_equal(memcg_file_pollfd(file), -ENODEV);
	memcg_file_close(file);
	memcg_put(c);
}

/* ---- triggers: firing ---- */

static void test_trigger_fires(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *file;
	int fd;

	at(1 * SEC);
	file = open_file(f->a, "memory.pressure");
	assert_int_equal(memcg_file_write(file, "some 150000 1000000"), 0);
	fd = memcg_file_pollfd(file);
	assert_true(fd >= 0);
	assert_int_equal(memcg_file_pollfd(file), fd);	/* the same one */
	assert_false(readable(fd));
	/*
	 * Stall 1.0 .. 1.3 s. The poll worker starts a jiffy later, at
	 * 1.001 (window start, 1 ms of stall), then runs every 100 ms:
	 * 1.101 sees 100 ms of growth, 1.201 sees 200 ms >= 150 ms: fires.
	 */
	stall(f->a, 300 * MS);
	assert_true(readable(fd));
	read_file(file);			/* re-arms */
	assert_false(readable(fd));
	/*
	 * A second stall, 1.5 .. 1.8 s, breaches again within the window of
	 * the event at 1.201: held pending until 2.201.
	 */
	at(1 * SEC + 500 * MS);
	stall(f->a, 300 * MS);
	assert_false(readable(fd));
	at(2 * SEC + 200 * MS);
	assert_int_equal(memcg_file_pollfd(file), fd);	/* syncs: 2.101 */
	assert_false(readable(fd));
	at(2 * SEC + 300 * MS);
	assert_int_equal(memcg_file_pollfd(file), fd);	/* 2.201: fires */
	assert_true(readable(fd));
	read_file(file);
	assert_false(readable(fd));
	/* nothing more: polling stops a window after the last growth */
	at(10 * SEC);
	assert_int_equal(memcg_file_pollfd(file), fd);
	assert_false(readable(fd));
	memcg_file_close(file);
}

/* Growth below the threshold never fires. */
static void test_trigger_below_threshold(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *file;
	int fd, i;

	at(1 * SEC);
	file = open_file(f->a, "memory.pressure");
	assert_int_equal(memcg_file_write(file, "some 500000 1000000"), 0);
	fd = memcg_file_pollfd(file);
	assert_true(fd >= 0);
	/* 300 ms, then 100 ms every 2 s: at most 300 ms in any window */
	stall(f->a, 300 * MS);
	for (i = 1; i <= 5; i++) {
		at((1 + 2 * (uint64_t)i) * SEC);
		stall(f->a, 100 * MS);
	}
	at(30 * SEC);
	assert_int_equal(memcg_file_pollfd(file), fd);
	assert_false(readable(fd));
	memcg_file_close(file);
}

/* FULL needs every task stalled; SOME fires from the same stall. */
static void test_trigger_full_vs_some(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *some, *full;
	int some_fd, full_fd;

	assert_int_equal(memcg_attach_task(f->a), 0);
	assert_int_equal(memcg_attach_task(f->a), 0);
	at(1 * SEC);
	some = open_file(f->a, "memory.pressure");
	full = open_file(f->a, "memory.pressure");
	assert_int_equal(memcg_file_write(some, "some 100000 1000000"), 0);
	assert_int_equal(memcg_file_write(full, "full 100000 1000000"), 0);
	some_fd = memcg_file_pollfd(some);
	full_fd = memcg_file_pollfd(full);
	assert_true(some_fd >= 0 && full_fd >= 0 && some_fd != full_fd);
	stall(f->a, 2 * SEC);			/* one of two tasks */
	assert_true(readable(some_fd));
	assert_false(readable(full_fd));
	memcg_file_close(some);
	memcg_file_close(full);
	memcg_detach_task(f->a);
	memcg_detach_task(f->a);
}

/* A trigger on an ancestor sees its descendants' stalls. */
static void test_trigger_on_root(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *file;
	int fd;

	at(1 * SEC);
	file = open_file(memcg_root(f->e), "memory.pressure");
	assert_int_equal(memcg_file_write(file, "some 150000 1000000"), 0);
	fd = memcg_file_pollfd(file);
	stall(f->b, 500 * MS);
	assert_true(readable(fd));
	memcg_file_close(file);
}

/* ---- memory.events and friends: the pollfd ---- */

static void test_events_pollfd(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *file, *twin;
	int fd, twin_fd;

	at(1 * SEC);
	file = open_file(f->a, "memory.events");
	twin = open_file(f->a, "memory.events");
	/* read before the pollfd: ready only after a change */
	read_file(twin);
	twin_fd = memcg_file_pollfd(twin);
	assert_false(readable(twin_fd));
	/* never read: ready at once (kernfs: of->event 0, the file's 1) */
	fd = armed_fd(file);
	assert_true(fd != twin_fd);
	assert_int_equal(memcg_file_pollfd(file), fd);
	memcg_memory_event(f->a, MEMCG_MAX);
	assert_true(readable(fd));		/* every open file */
	assert_true(readable(twin_fd));
	read_file(file);			/* re-arms this one only */
	assert_false(readable(fd));
	assert_true(readable(twin_fd));
	memcg_file_close(twin);
	memcg_file_close(file);
}

/*
 * At most one signal per 10 ms per file; what is held back is signalled
 * later, dated at the end of the interval, never lost.
 */
static void test_events_rate_limit(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *file;
	int fd;

	at(1 * SEC);
	file = open_file(f->a, "memory.events");
	fd = armed_fd(file);
	memcg_memory_event(f->a, MEMCG_HIGH);	/* signalled at 1.000 */
	assert_true(readable(fd));
	read_file(file);
	at(1 * SEC + 5 * MS);
	memcg_memory_event(f->a, MEMCG_HIGH);	/* held back */
	assert_false(readable(fd));
	at(1 * SEC + 9 * MS);
	assert_int_equal(memcg_file_pollfd(file), fd);
	assert_false(readable(fd));		/* still within 10 ms */
	at(1 * SEC + 10 * MS);
	assert_int_equal(memcg_file_pollfd(file), fd);
	assert_true(readable(fd));		/* delivered, dated 1.010 */
	read_file(file);
	assert_false(readable(fd));
	at(1 * SEC + 15 * MS);
	memcg_memory_event(f->a, MEMCG_HIGH);	/* within 10 ms of 1.010 */
	assert_false(readable(fd));
	/* the next event delivers it (at 1.020), then is itself too soon */
	at(1 * SEC + 25 * MS);
	memcg_memory_event(f->a, MEMCG_HIGH);
	assert_true(readable(fd));
	read_file(file);			/* not yet due: 1.030 */
	assert_false(readable(fd));
	at(1 * SEC + 30 * MS);
	read_file(file);			/* a read delivers, and drains */
	assert_false(readable(fd));
	/* an event long after the last signal goes at once */
	at(2 * SEC);
	memcg_memory_event(f->a, MEMCG_HIGH);
	assert_true(readable(fd));
	memcg_file_close(file);
}

/* Which files an event notifies: memcg_memory_event()'s calls. */
static void test_events_which_files(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *c_ev, *c_local, *c_swap, *a_ev, *a_local, *b_ev;
	struct mem_cgroup *c;

	assert_int_equal(memcg_mkdir(f->e, "A/C", &c), 0);
	c_ev = open_file(c, "memory.events");
	c_local = open_file(c, "memory.events.local");
	c_swap = open_file(c, "memory.swap.events");
	a_ev = open_file(f->a, "memory.events");
	a_local = open_file(f->a, "memory.events.local");
	b_ev = open_file(f->b, "memory.events");
	armed_fd(c_ev);
	armed_fd(c_local);
	armed_fd(c_swap);
	armed_fd(a_ev);
	armed_fd(a_local);
	armed_fd(b_ev);

	at(1 * SEC);
	memcg_memory_event(c, MEMCG_OOM);
	assert_true(readable(memcg_file_pollfd(c_ev)));
	assert_true(readable(memcg_file_pollfd(c_local)));
	assert_false(readable(memcg_file_pollfd(c_swap)));
	assert_true(readable(memcg_file_pollfd(a_ev)));	/* counted there */
	assert_false(readable(memcg_file_pollfd(a_local)));
	assert_false(readable(memcg_file_pollfd(b_ev)));
	read_file(c_ev);
	read_file(c_local);
	read_file(a_ev);

	/* swap events: memory.swap.events, never memory.events.local */
	at(2 * SEC);
	memcg_memory_event(c, MEMCG_SWAP_MAX);
	assert_false(readable(memcg_file_pollfd(c_ev)));
	assert_false(readable(memcg_file_pollfd(c_local)));
	assert_true(readable(memcg_file_pollfd(c_swap)));
	assert_false(readable(memcg_file_pollfd(a_ev)));

	memcg_file_close(c_ev);
	memcg_file_close(c_local);
	memcg_file_close(c_swap);
	memcg_file_close(a_ev);
	memcg_file_close(a_local);
	memcg_file_close(b_ev);
	memcg_put(c);
	assert_int_equal(memcg_rmdir(f->e, "A/C"), 0);
}

/* memory_localevents: the parent's memory.events does not count it. */
static void test_events_localevents(void **state)
{
	struct fixture *f = engine_v2(true);
	struct memcg_file *c_ev, *a_ev;
	struct mem_cgroup *c;

	assert_int_equal(memcg_mkdir(f->e, "A/C", &c), 0);
	c_ev = open_file(c, "memory.events");
	a_ev = open_file(f->a, "memory.events");
	armed_fd(c_ev);
	armed_fd(a_ev);
	at(1 * SEC);
	memcg_memory_event(c, MEMCG_MAX);
	assert_true(readable(memcg_file_pollfd(c_ev)));
	assert_false(readable(memcg_file_pollfd(a_ev)));
	memcg_file_close(c_ev);
	memcg_file_close(a_ev);
	memcg_put(c);
	assert_int_equal(memcg_rmdir(f->e, "A/C"), 0);
	fixture_free(f);
}

/* rmdir removes the files: a removed cgroup's events signal nothing. */
static void test_events_after_rmdir(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *file;
	struct mem_cgroup *c;
	int fd;

	assert_int_equal(memcg_mkdir(f->e, "C", &c), 0);
	file = open_file(c, "memory.events");
	fd = armed_fd(file);
	assert_int_equal(memcg_rmdir(f->e, "C"), 0);
	at(1 * SEC);
	memcg_memory_event(c, MEMCG_MAX);
	assert_false(readable(fd));
	assert_int_equal(memcg_file_pollfd(file), -ENODEV);
	memcg_file_close(file);
	memcg_put(c);
}

static void test_pollfd_einval(void **state)
{
	static const char *const quiet[] = {
		"memory.current", "memory.max", "memory.stat", "cgroup.stat",
		"memory.peak", "memory.swap.current", "memory.oom.group",
	};
	struct fixture *f = *state;
	struct memcg_file *file;
	size_t i;

	assert_int_equal(memcg_file_pollfd(NULL), -EINVAL);
	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		file = open_file(f->a, quiet[i]);
		assert_int_equal(memcg_file_pollfd(file), -EINVAL);
		memcg_file_close(file);
	}
	file = open_file(memcg_root(f->e), "memory.stat");
	assert_int_equal(memcg_file_pollfd(file), -EINVAL);
	memcg_file_close(file);
	/* memory.pressure without a trigger: a quiet fd, a trigger may come */
	file = open_file(f->a, "memory.pressure");
	assert_true(memcg_file_pollfd(file) >= 0);
	memcg_file_close(file);
}

/* Closing files closes their eventfds and frees their triggers. */
static void test_close_no_leak(void **state)
{
	struct fixture *f = *state;
	struct memcg_file *files[16];
	int before = nr_fds(), i;

	for (i = 0; i < 16; i++) {
		files[i] = open_file(i & 1 ? f->a : f->b,
				     i & 2 ? "memory.events" : "memory.pressure");
		assert_true(memcg_file_pollfd(files[i]) >= 0);
		if (!(i & 2))
			assert_int_equal(memcg_file_write(files[i],
							  "some 1 500000"), 0);
	}
	assert_int_equal(nr_fds(), before + 16);
	for (i = 0; i < 16; i++)
		memcg_file_close(files[i]);
	assert_int_equal(nr_fds(), before);
	assert_int_equal(atomic_load(&memcg_cgroup(f->a)->nr_open_files), 0);
	assert_true(cds_list_empty(&cgroup_psi(f->b)->triggers));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_format_fresh, setup, teardown),
		cmocka_unit_test(test_format_v1_absent),
		cmocka_unit_test_setup_teardown(test_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totals_in_progress, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nested_stall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_averages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_averages_long_stall, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_some_full_two_threads, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_some_full_tasks_hierarchy,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_hierarchy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trigger_errno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trigger_busy_and_nodev, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_trigger_fires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trigger_below_threshold, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_trigger_full_vs_some, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_trigger_on_root, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_events_pollfd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_rate_limit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_events_which_files, setup,
						teardown),
		cmocka_unit_test(test_events_localevents),
		cmocka_unit_test_setup_teardown(test_events_after_rmdir, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pollfd_einval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_no_leak, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
