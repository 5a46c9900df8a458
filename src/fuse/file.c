// SPDX-License-Identifier: MIT
/*
 * Control files opened through the mount: one memcg_open() per open(2),
 * reads from a copy taken at offset 0 (kernfs's seq_file), one control
 * write per write(2), and poll() as kernfs answers it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>

#include "memcg/notify.h"
#include "fs.h"

/* A copy larger than this is refused (memory.stat is a few KiB). */
#define MFUSE_READ_MAX (1u << 20)

static struct mfuse_file *fi_file(const struct fuse_file_info *fi)
{
	return (struct mfuse_file *)(uintptr_t)fi->fh;
}

int mfuse_open(const char *path, struct fuse_file_info *fi)
{
	struct memcg_fuse *m = mfuse_self();
	struct mem_cgroup *memcg;
	struct mfuse_file *mf;
	const char *name;
	int mode, err;

	mode = mfuse_resolve_file(m, path, &memcg, &name);
	if (mode < 0)
		return mode;
	mf = calloc(1, sizeof(*mf));
	if (!mf) {
		memcg_put(memcg);
		return -ENOMEM;
	}
	err = memcg_open(memcg, name, &mf->f);
	memcg_put(memcg);
	if (err) {
		free(mf);
		return err == -ENODEV ? -ENOENT : err;	/* removed meanwhile */
	}
	pthread_mutex_init(&mf->lock, NULL);
	mf->mode = (unsigned int)mode;
	mf->pressure = !strcmp(name, "memory.pressure");
	mf->efd = -1;
	pthread_mutex_lock(&m->files_lock);
	mf->id = ++m->next_id;
	mf->next = m->files;
	if (m->files)
		m->files->prev = mf;
	m->files = mf;
	pthread_mutex_unlock(&m->files_lock);
	fi->fh = (uintptr_t)mf;
	fi->direct_io = 1;
	return 0;
}

void mfuse_file_free(struct memcg_fuse *m, struct mfuse_file *mf)
{
	memcg_file_close(mf->f);
	pthread_mutex_destroy(&mf->lock);
	free(mf->copy);
	free(mf);
}

int mfuse_release(const char *path, struct fuse_file_info *fi)
{
	struct memcg_fuse *m = mfuse_self();
	struct mfuse_file *mf = fi_file(fi);

	pthread_mutex_lock(&m->files_lock);
	if (mf->prev)
		mf->prev->next = mf->next;
	else
		m->files = mf->next;
	if (mf->next)
		mf->next->prev = mf->prev;
	mfuse_poll_disarm(m, mf);
	pthread_mutex_unlock(&m->files_lock);
	mfuse_file_free(m, mf);
	return 0;
}

/* A fresh copy of the file's content; mf->lock held. */
static int take_copy(struct mfuse_file *mf)
{
	size_t cap = mf->copy_cap ? mf->copy_cap : 4096;
	int ret;

	mf->copy_valid = false;
	for (;;) {
		if (cap > mf->copy_cap) {
			char *buf = realloc(mf->copy, cap);

			if (!buf)
				return -ENOMEM;
			mf->copy = buf;
			mf->copy_cap = cap;
		}
		ret = memcg_file_read(mf->f, mf->copy, cap);
		if (ret != -EFBIG)
			break;
		if (cap >= MFUSE_READ_MAX)
			return -EFBIG;
		cap *= 2;
	}
	if (ret < 0)
		return ret;	/* -EINVAL: write-only; -ENODEV: removed */
	mf->copy_len = (size_t)ret;
	mf->copy_valid = true;
	mf->read_once = true;
	return 0;
}

int mfuse_read(const char *path, char *buf, size_t size, off_t off,
	       struct fuse_file_info *fi)
{
	struct mfuse_file *mf = fi_file(fi);
	size_t n = 0;
	int ret = 0;

	pthread_mutex_lock(&mf->lock);
	if (off == 0 || !mf->copy_valid)
		ret = take_copy(mf);
	if (!ret && (size_t)off < mf->copy_len) {
		n = mf->copy_len - (size_t)off;
		if (n > size)
			n = size;
		memcpy(buf, mf->copy + off, n);
	}
	pthread_mutex_unlock(&mf->lock);
	return ret ? ret : (int)n;
}

/* kernfs_fop_write_iter(): the whole buffer, the offset ignored */
int mfuse_write(const char *path, const char *buf, size_t size, off_t off,
		struct fuse_file_info *fi)
{
	struct mfuse_file *mf = fi_file(fi);
	int ret = memcg_file_write_len(mf->f, buf, size);

	if (ret)
		return ret;
	if (mf->pressure && size) {
		pthread_mutex_lock(&mf->lock);
		mf->armed = true;	/* one trigger per open file */
		pthread_mutex_unlock(&mf->lock);
	}
	return (int)size;
}

static bool fd_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/*
 * What poll() reports beyond kernfs's DEFAULT_POLLMASK, and whether a
 * later change can wake a waiter (then *@efd is the eventfd to watch);
 * mf->lock held.
 */
static int poll_state(struct mfuse_file *mf, unsigned *revents, int *efd)
{
	int fd = memcg_file_pollfd(mf->f);
	eventfd_t v;

	*efd = -1;
	if (fd == -ENODEV) {		/* removed: kernfs_get_active() fails */
		*revents |= POLLERR | POLLPRI;
	} else if (fd == -EINVAL) {	/* a file that never notifies */
		if (!mf->read_once)
			*revents |= POLLERR | POLLPRI;
	} else if (fd < 0) {
		return fd;
	} else if (mf->pressure) {	/* psi_trigger_poll() */
		if (!mf->armed)
			*revents |= POLLERR | POLLPRI;
		else if (eventfd_read(fd, &v) == 0)	/* consumes the event */
			*revents |= POLLPRI;
		else
			*efd = fd;
	} else if (fd_readable(fd)) {	/* kernfs_generic_poll() */
		*revents |= POLLERR | POLLPRI;
	} else {
		*efd = fd;
	}
	return 0;
}

int mfuse_poll(const char *path, struct fuse_file_info *fi,
	       struct fuse_pollhandle *ph, unsigned *reventsp)
{
	struct memcg_fuse *m = mfuse_self();
	struct mfuse_file *mf = fi_file(fi);
	unsigned revents = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	int efd, err;

	pthread_mutex_lock(&mf->lock);
	err = poll_state(mf, &revents, &efd);
	if (ph) {
		pthread_mutex_lock(&m->files_lock);
		if (!err && efd >= 0)
			err = mfuse_poll_arm(m, mf, efd, ph);
		else
			fuse_pollhandle_destroy(ph);	/* nothing to wait for */
		pthread_mutex_unlock(&m->files_lock);
	}
	pthread_mutex_unlock(&mf->lock);
	if (err)
		return err;
	*reventsp = revents;
	return 0;
}
