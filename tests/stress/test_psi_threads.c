// SPDX-License-Identifier: MIT
/*
 * Pressure and notifications under threads: stallers enter and leave
 * stalls in nested and sibling cgroups on a shared virtual clock, while
 * other threads read memory.pressure, arm and close triggers, raise
 * memory events and poll memory.events, and attach and detach tasks
 * (which moves the line between SOME and FULL). Checks, on the way:
 * totals never go back and FULL never exceeds SOME; at the end: no stall
 * left in any group, totals stable, every eventfd closed.
 *
 * Worker threads cannot use cmocka's assertions (they longjmp to the
 * test's stack): CHECK() prints and aborts instead.
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
#include <time.h>
#include <cmocka.h>

#include "fixture.h"
#include "seed.h"
#include "memcg/notify.h"
#include "core/cgroup.h"
#include "core/psi.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

#define NR_STALLERS 3
#define RUN_NS 400000000LL	/* wall time the stallers run */
#define NR_CGROUPS 4

static _Atomic uint64_t vclock_ns;
static atomic_bool stop;

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

struct shared {
	struct memcg_engine *e;
	struct mem_cgroup *cg[NR_CGROUPS];	/* root, A, A/B, C */
	atomic_uint seed;		/* each staller takes the next */
};

static unsigned long long parse_total(const char *buf, const char *line)
{
	const char *p = strstr(buf, line);

	CHECK(p);
	p = strstr(p, "total=");
	CHECK(p);
	return strtoull(p + 6, NULL, 10);
}

static long long wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *staller(void *arg)
{
	struct shared *sh = arg;
	unsigned seed = atomic_fetch_add(&sh->seed, 1);
	long long end = wall_ns() + RUN_NS;
	int i;

	for (i = 0; wall_ns() < end; i++) {
		struct mem_cgroup *cg = sh->cg[1 + rand_r(&seed) % 3];
		struct psi_stall s, nested;

		psi_memstall_enter(cg, &s);
		if (i % 7 == 0) {		/* a nested stall is not counted */
			psi_memstall_enter(sh->cg[1], &nested);
			CHECK(!nested.memcg);
			psi_memstall_leave(&nested);
		}
		vclock_sleep(&vclock_ns, 1000 + rand_r(&seed) % 100000);
		psi_memstall_leave(&s);
		vclock_sleep(&vclock_ns, rand_r(&seed) % 50000);
	}
	return NULL;
}

static void *reader(void *arg)
{
	struct shared *sh = arg;
	unsigned long long last[NR_CGROUPS][2] = { { 0 } };
	char buf[256];
	int i;

	while (!atomic_load(&stop)) {
		for (i = 0; i < NR_CGROUPS; i++) {
			unsigned long long some, full;

			CHECK(memcg_read(sh->cg[i], "memory.pressure", buf,
					 sizeof(buf)) > 0);
			some = parse_total(buf, "some ");
			full = parse_total(buf, "full ");
			CHECK(full <= some);
			CHECK(some >= last[i][0] && full >= last[i][1]);
			last[i][0] = some;
			last[i][1] = full;
		}
	}
	return NULL;
}

static void *triggers(void *arg)
{
	struct shared *sh = arg;
	char buf[256];
	int n = 0;

	while (!atomic_load(&stop)) {
		struct mem_cgroup *cg = sh->cg[n++ % NR_CGROUPS];
		struct memcg_file *f;
		struct pollfd p;

		CHECK(memcg_open(cg, "memory.pressure", &f) == 0);
		CHECK(memcg_file_write(f, n & 1 ? "some 1000 500000" :
						   "full 1000 500000") == 0);
		CHECK(memcg_file_write(f, "some 1000 500000") == -EBUSY);
		p = (struct pollfd){ .fd = memcg_file_pollfd(f), .events = POLLIN };
		CHECK(p.fd >= 0);
		CHECK(poll(&p, 1, 0) >= 0);
		CHECK(memcg_file_read(f, buf, sizeof(buf)) > 0);
		memcg_file_close(f);
	}
	return NULL;
}

static void *events(void *arg)
{
	struct shared *sh = arg;
	struct memcg_file *f;
	char buf[512];
	int fd, n = 0;

	CHECK(memcg_open(sh->cg[2], "memory.events", &f) == 0);
	fd = memcg_file_pollfd(f);
	CHECK(fd >= 0);
	while (!atomic_load(&stop)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		memcg_memory_event(sh->cg[2], n++ & 1 ? MEMCG_HIGH : MEMCG_SWAP_MAX);
		CHECK(poll(&p, 1, 0) >= 0);
		CHECK(memcg_file_read(f, buf, sizeof(buf)) > 0);
	}
	memcg_file_close(f);
	return NULL;
}

static void *tasks(void *arg)
{
	struct shared *sh = arg;

	while (!atomic_load(&stop)) {
		if (memcg_attach_task(sh->cg[3]) == 0)
			memcg_detach_task(sh->cg[3]);
		if (memcg_attach_task(sh->cg[2]) == 0)
			memcg_detach_task(sh->cg[2]);
	}
	return NULL;
}

static int nr_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	CHECK(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_psi_threads(void **state)
{
	void *(*const others[])(void *) = { reader, triggers, events, tasks };
	pthread_t stallers[NR_STALLERS], helpers[4];
	struct memcg_config cfg;
	struct shared sh;
	struct fixture *f;
	char a[256], b[256];
	int i, fds;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 8 << 20;
	cfg.nr_cpus = 2;
	cfg.huge_order = 4;
	cfg.dataless = true;
	f = fixture_new(&cfg, "A", "C");
	memcg_set_cpu(-1);
	assert_int_equal(memcg_mkdir(f->e, "A/B", &sh.cg[2]), 0);
	assert_int_equal(memcg_set_clock(f->e, &vclock_ops, &vclock_ns), 0);
	sh.e = f->e;
	atomic_store(&sh.seed, (unsigned)test_seed("test_psi_threads", 1));
	sh.cg[0] = memcg_root(f->e);
	sh.cg[1] = f->a;
	sh.cg[3] = f->b;
	fds = nr_fds();
	atomic_store(&stop, false);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&helpers[i], NULL, others[i],
						&sh), 0);
	for (i = 0; i < NR_STALLERS; i++)
		assert_int_equal(pthread_create(&stallers[i], NULL, staller,
						&sh), 0);
	for (i = 0; i < NR_STALLERS; i++)
		pthread_join(stallers[i], NULL);
	atomic_store(&stop, true);
	for (i = 0; i < 4; i++)
		pthread_join(helpers[i], NULL);

	for (i = 0; i < NR_CGROUPS; i++) {
		struct psi_group *g = cgroup_psi(sh.cg[i]);

		assert_non_null(g);
		assert_int_equal(g->nr_memstall, 0);
		assert_int_equal(g->state_mask, 0);
		assert_true(cds_list_empty(&g->triggers));
		/* no stall: the totals stay as the clock moves on */
		assert_true(memcg_read(sh.cg[i], "memory.pressure", a,
				       sizeof(a)) > 0);
		vclock_sleep(&vclock_ns, 1000000000ULL);
		assert_true(memcg_read(sh.cg[i], "memory.pressure", b,
				       sizeof(b)) > 0);
		assert_int_equal(parse_total(a, "some "), parse_total(b, "some "));
		assert_int_equal(parse_total(a, "full "), parse_total(b, "full "));
		assert_true(parse_total(a, "some ") <=
			    atomic_load(&vclock_ns) / 1000);
	}
	/* the root saw every stall */
	assert_true(memcg_read(sh.cg[0], "memory.pressure", a, sizeof(a)) > 0);
	assert_true(parse_total(a, "some ") > 0);
	assert_int_equal(nr_fds(), fds);
	memcg_put(sh.cg[2]);
	assert_int_equal(memcg_rmdir(f->e, "A/B"), 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psi_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
