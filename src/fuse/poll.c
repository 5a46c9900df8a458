// SPDX-License-Identifier: MIT
/*
 * The poll watcher: one thread waits, with epoll, on the eventfds of the
 * open files a poll() is waiting on (memcg_file_pollfd()), and tells the
 * kernel (fuse_notify_poll()) when one becomes readable, as
 * kernfs_notify() wakes the file's poll queue. Each registration is
 * one-shot: the kernel polls again, which re-arms it.
 *
 * An event names its file by id, not by pointer: a file may be released
 * between epoll_wait() returning and the watcher taking files_lock.
 */
#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fs.h"

#define STOP_ID 0	/* the stop eventfd's; files' ids start at 1 */

int mfuse_poll_arm(struct memcg_fuse *m, struct mfuse_file *mf, int efd,
		   struct fuse_pollhandle *ph)
{
	struct epoll_event ev = {
		.events = EPOLLIN | EPOLLONESHOT, .data.u64 = mf->id,
	};
	int op = mf->efd < 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;

	if (mf->ph)
		fuse_pollhandle_destroy(mf->ph);	/* one notify wakes all */
	mf->ph = ph;
	if (epoll_ctl(m->epfd, op, efd, &ev)) {
		int err = -errno;

		fuse_pollhandle_destroy(ph);
		mf->ph = NULL;
		return err;
	}
	mf->efd = efd;
	return 0;
}

void mfuse_poll_disarm(struct memcg_fuse *m, struct mfuse_file *mf)
{
	if (mf->efd >= 0)
		epoll_ctl(m->epfd, EPOLL_CTL_DEL, mf->efd, NULL);
	mf->efd = -1;
	if (mf->ph)
		fuse_pollhandle_destroy(mf->ph);
	mf->ph = NULL;
}

static void notify(struct memcg_fuse *m, uint64_t id)
{
	struct mfuse_file *mf;

	pthread_mutex_lock(&m->files_lock);
	for (mf = m->files; mf && mf->id != id; mf = mf->next)
		;
	if (mf && mf->ph) {
		fuse_notify_poll(mf->ph);
		fuse_pollhandle_destroy(mf->ph);
		mf->ph = NULL;
	}
	pthread_mutex_unlock(&m->files_lock);
}

static void *watch(void *arg)
{
	struct memcg_fuse *m = arg;
	struct epoll_event ev[16];
	int n, i;

	for (;;) {
		n = epoll_wait(m->epfd, ev, 16, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		for (i = 0; i < n; i++) {
			if (ev[i].data.u64 == STOP_ID)
				return NULL;
			notify(m, ev[i].data.u64);
		}
	}
}

/**
 * mfuse_poll_start - create the epoll set and start the watcher
 * @m: the mount; call with every signal blocked (the thread inherits it)
 *
 * Return: 0 or a negative errno.
 */
int mfuse_poll_start(struct memcg_fuse *m)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = STOP_ID };
	int err;

	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (m->epfd < 0)
		return -errno;
	m->stop_efd = eventfd(0, EFD_CLOEXEC);
	if (m->stop_efd < 0)
		return -errno;
	if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, m->stop_efd, &ev))
		return -errno;
	err = pthread_create(&m->watcher, NULL, watch, m);
	if (err)
		return -err;
	m->watcher_started = true;
	return 0;
}

/**
 * mfuse_poll_stop - stop the watcher and close what mfuse_poll_start()
 * opened (also after it failed half way)
 * @m: the mount, its fds -1 where not opened
 */
void mfuse_poll_stop(struct memcg_fuse *m)
{
	if (m->watcher_started) {
		eventfd_write(m->stop_efd, 1);
		pthread_join(m->watcher, NULL);
		m->watcher_started = false;
	}
	if (m->stop_efd >= 0)
		close(m->stop_efd);
	if (m->epfd >= 0)
		close(m->epfd);
	m->stop_efd = m->epfd = -1;
}
