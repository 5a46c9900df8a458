// SPDX-License-Identifier: MIT
/*
 * memcg_fuse_mount() called directly: bad mount points; a mount served by
 * the library's threads while this thread makes syscalls on it (mkdir,
 * a write and a read through one fd, poll() woken by charges this thread
 * makes on the engine over memory.max); files still open at
 * memcg_fuse_unmount() (closed by it: the engine reports no leak, the fd
 * then answers ENOTCONN); poll() of files that do not notify and of
 * memory.pressure; memcg_fuse_fd() after an unmount from outside.
 *
 * Exits 77 (ctest's SKIP_RETURN_CODE) when there is no /dev/fuse at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memcg/fuse.h"
#include "memcg/memcg.h"

#define HANG_GUARD_MS 60000	/* a step that takes longer has hung */

static char tmpdir[64];

/*
 * What a failed test leaves, undone by its teardown in the safe order:
 * the fds on the mount first, while the mount's threads still answer
 * their close (a process that exits with files open on a mount it serves
 * itself waits forever for its own answer), then the mount.
 */
static struct {
	struct memcg_fuse *m;
	int fds[4];
	int nr_fds;
} left;

static int keep_fd(int fd)
{
	assert_true(fd >= 0);
	left.fds[left.nr_fds++] = fd;
	return fd;
}

static void close_fds(void)
{
	while (left.nr_fds)
		close(left.fds[--left.nr_fds]);
}

static int teardown(void **state)
{
	close_fds();
	memcg_fuse_unmount(left.m);
	left.m = NULL;
	return 0;
}

static struct memcg_engine *engine_new(void)
{
	struct memcg_engine *e = NULL;
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	return e;
}

static char *path(const char *rel)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/mnt/%s", tmpdir, rel);
	return buf;
}

static void test_bad_mount_points(void **state)
{
	struct memcg_engine *e = engine_new();
	struct memcg_fuse *m = (struct memcg_fuse *)1;
	char file[128];
	int fd;

	snprintf(file, sizeof(file), "%s/file", tmpdir);
	fd = open(file, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(memcg_fuse_mount(e, "/nonexistent/memcg", &m), -ENOENT);
	assert_null(m);
	assert_int_equal(memcg_fuse_mount(e, file, &m), -ENOTDIR);
	assert_int_equal(memcg_fuse_mount(e, "/", &m), -EBUSY);
	assert_int_equal(memcg_fuse_mount(NULL, tmpdir, &m), -EINVAL);
	assert_int_equal(memcg_fuse_mount(e, NULL, &m), -EINVAL);
	unlink(file);
	memcg_engine_destroy(e);
}

/* Charge @n pages to @memcg, one try of reclaim (no OOM); kept in @f. */
static int charge(struct memcg_engine *e, struct mem_cgroup *memcg,
		  struct folio **f, int n)
{
	int i, err = 0;

	for (i = 0; i < n && !err; i++) {
		f[i] = memcg_folio_alloc(e, MEMCG_FOLIO_KERNEL, 0);
		assert_non_null(f[i]);
		err = memcg_charge(e, f[i], memcg, MEMCG_GFP_NORETRY);
		if (err) {
			memcg_folio_put(e, f[i]);
			f[i] = NULL;
		}
	}
	return err;
}

static void test_serve_and_unmount(void **state)
{
	struct memcg_engine *e = engine_new();
	struct mem_cgroup *a;
	struct memcg_fuse *m;
	struct folio *f[4] = { NULL };
	struct pollfd p;
	char buf[256];
	int fd, ev, held, i, max;
	ssize_t n;

	assert_int_equal(memcg_fuse_mount(e, path(""), &m), 0);
	left.m = m;
	assert_int_equal(mkdir(path("A"), 0755), 0);
	assert_int_equal(memcg_lookup(e, "A", &a), 0);	/* made through it */

	/* one fd: a write, then a read from offset 0 */
	fd = keep_fd(open(path("A/memory.max"), O_RDWR));
	assert_int_equal(write(fd, "8192", 4), 4);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_int_equal(n, 5);
	buf[n] = '\0';
	assert_string_equal(buf, "8192\n");
	assert_int_equal(write(fd, "5Q", 2), -1);
	assert_int_equal(errno, EINVAL);

	/* poll(): fresh is changed, a read re-arms, a max event wakes */
	ev = keep_fd(open(path("A/memory.events"), O_RDONLY));
	p = (struct pollfd){ .fd = ev, .events = POLLPRI };
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLPRI | POLLERR);
	assert_true(read(ev, buf, sizeof(buf)) > 0);
	assert_int_equal(poll(&p, 1, 0), 0);
	/* two pages fit, a third is over memory.max: a max event */
	assert_int_equal(charge(e, a, f, 2), 0);
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(charge(e, a, f + 2, 1), -ENOMEM);
	assert_int_equal(poll(&p, 1, HANG_GUARD_MS), 1);
	assert_int_equal(p.revents, POLLPRI | POLLERR);
	n = pread(ev, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "\nmax "));
	assert_int_equal(sscanf(strstr(buf, "\nmax "), " max %d", &max), 1);
	assert_true(max > 0);

	/* the library closes what is still open: no leak at destroy */
	held = fd;
	left.nr_fds = 0;	/* the unmount closes them on its side */
	close(ev);
	left.m = NULL;
	memcg_fuse_unmount(m);
	assert_int_equal(read(held, buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENOTCONN);
	close(held);
	for (i = 0; i < 4; i++)
		if (f[i])
			memcg_folio_put(e, f[i]);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	memcg_engine_destroy(e);
}

/*
 * poll() of the files that do not notify as kernfs answers it: any file
 * is changed until its first read, then never; memory.pressure is
 * POLLERR | POLLPRI without a trigger, quiet with one that has not fired.
 */
static void test_poll_other_files(void **state)
{
	struct memcg_engine *e = engine_new();
	struct memcg_fuse *m;
	struct pollfd p;
	char buf[256];
	int fd;

	assert_int_equal(memcg_fuse_mount(e, path(""), &m), 0);
	left.m = m;
	assert_int_equal(mkdir(path("A"), 0755), 0);
	fd = keep_fd(open(path("A/memory.max"), O_RDONLY));
	p = (struct pollfd){ .fd = fd, .events = POLLIN | POLLPRI };
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLIN | POLLPRI | POLLERR);
	assert_int_equal(read(fd, buf, sizeof(buf)), 4);	/* "max\n" */
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLIN);

	fd = keep_fd(open(path("A/memory.pressure"), O_RDWR));
	p = (struct pollfd){ .fd = fd, .events = POLLPRI };
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLPRI | POLLERR);
	assert_int_equal(write(fd, "some 150000 1000000", 19), 19);
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(write(fd, "some 150000 1000000", 19), -1);
	assert_int_equal(errno, EBUSY);	/* one trigger per open file */

	close_fds();
	left.m = NULL;
	memcg_fuse_unmount(m);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	memcg_engine_destroy(e);
}

/* An unmount from outside: memcg_fuse_fd() becomes readable. */
static void test_unmounted_outside(void **state)
{
	struct memcg_engine *e = engine_new();
	struct memcg_fuse *m;
	struct pollfd p;

	assert_int_equal(memcg_fuse_mount(e, path(""), &m), 0);
	left.m = m;
	p = (struct pollfd){ .fd = memcg_fuse_fd(m), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 0);
	if (umount2(path(""), 0)) {	/* not root: fusermount3 */
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "fusermount3 -u '%s'", path(""));
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(poll(&p, 1, HANG_GUARD_MS), 1);
	left.m = NULL;
	memcg_fuse_unmount(m);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_mount_points),
		cmocka_unit_test_teardown(test_serve_and_unmount, teardown),
		cmocka_unit_test_teardown(test_poll_other_files, teardown),
		cmocka_unit_test_teardown(test_unmounted_outside, teardown),
	};
	int ret;

	if (access("/dev/fuse", F_OK)) {
		printf("SKIP: no /dev/fuse here: this kernel or container has "
		       "no FUSE\n");
		return 77;
	}
	if (access("/dev/fuse", R_OK | W_OK)) {
		printf("FAIL: /dev/fuse exists but this user cannot open it\n");
		return 1;
	}
	if (system("command -v fusermount3 >/dev/null")) {
		printf("FAIL: fusermount3 is missing: install fuse3 "
		       "(scripts/deps.sh)\n");
		return 1;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/memcg-fuse-XXXXXX");
	if (!mkdtemp(tmpdir) || mkdir(path(""), 0755)) {
		perror("memcg-fuse test directory");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	umount2(path(""), MNT_DETACH);	/* after a failure, if still there */
	rmdir(path(""));
	rmdir(tmpdir);
	return ret;
}
