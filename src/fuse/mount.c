// SPDX-License-Identifier: MIT
/*
 * The mount's life: check the mount point, mount through libfuse, serve
 * requests on MFUSE_WORKERS threads of our own, and tear it all down.
 *
 * Our own workers rather than fuse_loop_mt(): that loop is stopped by a
 * signal to the thread running it, which a library cannot count on. Ours
 * are stopped as libfuse stops its own: cancellation is enabled only
 * while a worker waits for a request, so a request being served is
 * finished and none is cut in half (an engine lock held, a reply not
 * sent). When the kernel ends the session (an unmount from outside),
 * every worker's read fails and the last one out signals done_efd.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include <fuse_lowlevel.h>	/* after fs.h: FUSE_USE_VERSION */

static void free_buf(void *arg)
{
	struct fuse_buf *buf = arg;

	free(buf->mem);
}

static void *worker(void *arg)
{
	struct memcg_fuse *m = arg;
	struct fuse_buf buf = { .mem = NULL };
	int res;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_cleanup_push(free_buf, &buf);
	while (!fuse_session_exited(m->se)) {
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
		res = fuse_session_receive_buf(m->se, &buf);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		if (res == -EINTR || res == -EAGAIN)
			continue;
		if (res <= 0) {		/* -ENODEV: unmounted */
			fuse_session_exit(m->se);
			break;
		}
		fuse_session_process_buf(m->se, &buf);
	}
	pthread_cleanup_pop(1);
	if (atomic_fetch_sub(&m->live_workers, 1) == 1)
		eventfd_write(m->done_efd, 1);
	return NULL;
}

/* Whether @dir is the root of a mount: statx() says, else its parent. */
static int is_mount_root(const char *dir, const struct statx *stx)
{
	struct stat self, parent;
	char *up;
	int ret;

	if (stx->stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		return !!(stx->stx_attributes & STATX_ATTR_MOUNT_ROOT);
	if (asprintf(&up, "%s/..", dir) < 0)
		return -ENOMEM;
	ret = stat(dir, &self) || stat(up, &parent) ? -errno : 0;
	free(up);
	if (ret)
		return ret;
	return self.st_dev != parent.st_dev || self.st_ino == parent.st_ino;
}

/* The mount point: a directory, not a mount root already. */
static int check_dir(const char *dir)
{
	struct statx stx;
	int ret;

	if (statx(AT_FDCWD, dir, 0, STATX_TYPE, &stx))
		return -errno;		/* ENOENT; ENOTCONN: a dead FUSE mount */
	if (!S_ISDIR(stx.stx_mode))
		return -ENOTDIR;
	ret = is_mount_root(dir, &stx);
	if (ret < 0)
		return ret;
	return ret ? -EBUSY : 0;
}

static int check_dev_fuse(void)
{
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	close(fd);
	return 0;
}

/* fuse_new(): permissions from the modes, named "memcg" in mount(8) */
static struct fuse *new_fuse(struct memcg_fuse *m)
{
	char arg0[] = "memcg", arg1[] = "-o";
	char arg2[] = "default_permissions,fsname=memcg,subtype=memcg";
	char *argv[] = { arg0, arg1, arg2, NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct fuse *f = fuse_new(&args, &mfuse_ops, sizeof(mfuse_ops), m);

	fuse_opt_free_args(&args);
	return f;
}

/* The workers, with every signal blocked: the caller's threads get them. */
static int start_workers(struct memcg_fuse *m)
{
	sigset_t all, old;
	int err = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = mfuse_poll_start(m);
	atomic_store(&m->live_workers, MFUSE_WORKERS);
	while (!err && m->nr_workers < MFUSE_WORKERS) {
		err = -pthread_create(&m->workers[m->nr_workers], NULL, worker,
				      m);
		if (!err)
			m->nr_workers++;
	}
	/* the ones never started will not count down */
	atomic_fetch_sub(&m->live_workers, MFUSE_WORKERS - m->nr_workers);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

static void stop_workers(struct memcg_fuse *m)
{
	int i;

	fuse_session_exit(m->se);
	for (i = 0; i < m->nr_workers; i++)
		pthread_cancel(m->workers[i]);
	for (i = 0; i < m->nr_workers; i++)
		pthread_join(m->workers[i], NULL);
	m->nr_workers = 0;
}

/* Everything but the mount's struct; the files nobody released closed. */
static void teardown(struct memcg_fuse *m)
{
	struct mfuse_file *mf;

	if (m->se)
		stop_workers(m);
	mfuse_poll_stop(m);
	while ((mf = m->files)) {
		m->files = mf->next;
		mfuse_poll_disarm(m, mf);
		mfuse_file_free(m, mf);
	}
	if (m->mounted)
		fuse_unmount(m->fuse);	/* closes /dev/fuse: the session ends */
	if (m->fuse)
		fuse_destroy(m->fuse);
	if (m->done_efd >= 0)
		close(m->done_efd);
	pthread_mutex_destroy(&m->files_lock);
	free(m->dir);
}

int memcg_fuse_mount(struct memcg_engine *e, const char *dir,
		     struct memcg_fuse **out)
{
	struct memcg_fuse *m;
	int err;

	if (!e || !dir || !out)
		return -EINVAL;
	*out = NULL;
	err = check_dir(dir);
	if (!err)
		err = check_dev_fuse();
	if (err)
		return err;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->e = e;
	m->uid = getuid();
	m->gid = getgid();
	clock_gettime(CLOCK_REALTIME, &m->mounted_at);
	m->done_efd = m->epfd = m->stop_efd = -1;
	pthread_mutex_init(&m->files_lock, NULL);
	err = -ENOMEM;
	m->dir = strdup(dir);
	if (!m->dir)
		goto fail;
	m->done_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->done_efd < 0) {
		err = -errno;
		goto fail;
	}
	err = -EIO;			/* libfuse said why on stderr */
	m->fuse = new_fuse(m);
	if (!m->fuse)
		goto fail;
	if (fuse_mount(m->fuse, dir))
		goto fail;
	m->mounted = true;
	m->se = fuse_get_session(m->fuse);
	err = start_workers(m);
	if (err)
		goto fail;
	*out = m;
	return 0;
fail:
	teardown(m);
	free(m);
	return err;
}

int memcg_fuse_fd(struct memcg_fuse *m)
{
	return m->done_efd;
}

void memcg_fuse_unmount(struct memcg_fuse *m)
{
	if (!m)
		return;
	teardown(m);
	free(m);
}
