// SPDX-License-Identifier: MIT
/*
 * Control files: lookup by name, open files with per-fd state, and the
 * read/write paths shared by every file (whitespace stripping, output
 * buffers, errors).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cgroup.h"
#include "core/cgroupfs_psi.h"
#include "lib/string_helpers.h"

void seq_printf(struct seqbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, s->size - s->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= s->size - s->len) {
		s->overflow = true;
		return;
	}
	s->len += (size_t)n;
}

/**
 * seq_puts_memcg_tunable - print a limit in bytes, or "max"
 * @s: output
 * @pages: value in pages
 */
void seq_puts_memcg_tunable(struct seqbuf *s, long pages)
{
	if (pages == PAGE_COUNTER_MAX)
		seq_printf(s, "max\n");
	else
		seq_printf(s, "%llu\n",
			   (unsigned long long)pages * MEMCG_PAGE_SIZE);
}

void cgroup_stat_show(struct memcg_file *f, struct seqbuf *s)
{
	struct memcg_engine *e = f->memcg->engine;
	int live, dying;

	mem_cgroup_release_pending(e);
	pthread_mutex_lock(&e->cgroup_mutex);
	live = f->memcg->nr_descendants;
	dying = f->memcg->nr_dying_descendants;
	pthread_mutex_unlock(&e->cgroup_mutex);
	seq_printf(s, "nr_descendants %d\nnr_dying_descendants %d\n",
		   live, dying);
}

static const struct cftype *cftype_lookup(const struct cftype *cft,
					  struct mem_cgroup *memcg,
					  const char *name)
{
	bool root = mem_cgroup_is_root(memcg);
	bool k612 = memcg->engine->cfg.kernel == MEMCG_KERNEL_6_12;

	for (; cft->name; cft++) {
		if (strcmp(cft->name, name))
			continue;
		if ((cft->flags & CFTYPE_NOT_ON_ROOT) && root)
			return NULL;
		if ((cft->flags & CFTYPE_ONLY_6_12) && !k612)
			return NULL;
		if ((cft->flags & CFTYPE_ONLY_ON_ROOT) && !root)
			return NULL;
		return cft;
	}
	return NULL;
}

/*
 * The controller's files, then on v2 the cgroup core's: the hierarchy
 * limits and the pressure files.
 */
const struct cftype *cgroup_cftype_find(struct mem_cgroup *memcg,
					const char *name)
{
	const struct cftype *cft;

	if (memcg->engine->v1)
		return cftype_lookup(memcg_v1_files, memcg, name);
	cft = cftype_lookup(memcg_v2_files, memcg, name);
	if (!cft)
		cft = cftype_lookup(cgroup_core_files, memcg, name);
	return cft ? cft : cftype_lookup(cgroup_psi_files, memcg, name);
}

bool cgroup_cftype_writable(struct mem_cgroup *memcg, const struct cftype *cft)
{
	if (!cft->write)
		return false;
	return !(cft->flags & CFTYPE_WRITE_6_12) ||
	       memcg->engine->cfg.kernel == MEMCG_KERNEL_6_12;
}

static bool cftype_writable(const struct memcg_file *f)
{
	return cgroup_cftype_writable(f->memcg, f->cft);
}

/* longer than any control file's name */
#define CFTYPE_NAME_MAX 64

bool cgroup_file_exists(struct mem_cgroup *memcg, const char *name,
			size_t len)
{
	char buf[CFTYPE_NAME_MAX];

	if (len >= sizeof(buf) || memchr(name, '\0', len))
		return false;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return cgroup_cftype_find(memcg, buf) ||
	       cgroup_file_unserved(memcg, buf);
}

int memcg_open(struct mem_cgroup *memcg, const char *name,
	       struct memcg_file **out)
{
	const struct cftype *cft;
	struct memcg_file *f;

	if (!memcg || !name || !out)
		return -EINVAL;
	cft = cgroup_cftype_find(memcg, name);
	if (!cft)
		return -ENOENT;
	if (!atomic_load(&memcg->online))
		return -ENODEV;	/* kernfs: the directory is gone */
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	css_get(memcg);
	f->memcg = memcg;
	f->cft = cft;
	f->peak = -1;
	*out = f;
	return 0;
}

void memcg_file_close(struct memcg_file *f)
{
	struct memcg_engine *e;

	if (!f)
		return;
	e = f->memcg->engine;
	if (f->peak_list) {
		struct cgroup *cgrp = memcg_cgroup(f->memcg);	/* set by the write */

		pthread_mutex_lock(&cgrp->peaks_lock);
		cds_list_del(&f->peak_node);
		pthread_mutex_unlock(&cgrp->peaks_lock);
	}
	cgroup_file_release(f);	/* its pollfd and trigger */
	css_put(f->memcg);
	free(f);
	mem_cgroup_release_pending(e);
}

/**
 * memcg_peaks_release - the files' share of a cgroup's release
 * @memcg: a released cgroup
 *
 * Open files pin their cgroup, so a released cgroup has no registered
 * memory.peak fd (cgroup_free() checks it). It frees the cgroup core
 * state (cgroup.h: notifications, psi, peak fds), which nothing can use
 * any more.
 */
void memcg_peaks_release(struct mem_cgroup *memcg)
{
	cgroup_free(memcg);
}

int memcg_file_read(struct memcg_file *f, char *buf, size_t len)
{
	struct seqbuf s = { .buf = buf, .size = len };

	if (!f || !buf || !len)
		return -EINVAL;
	if (!f->cft->show)
		return -EINVAL;
	if (!atomic_load(&f->memcg->online))
		return -ENODEV;
	buf[0] = '\0';
	cgroup_file_rearm(f);	/* as a read re-arms the kernel's poll */
	f->cft->show(f, &s);
	if (s.overflow)
		return -EFBIG;
	return (int)s.len;
}

/* cgroup_file_write(): the handler, on a NUL-terminated copy. */
static int cgroup_file_write(struct memcg_file *f, char *buf)
{
	const struct cftype *cft = f->cft;
	bool raw = (cft->flags & CFTYPE_WRITE_U64) ||
		   cgroup_file_write_raw(cft);

	return cft->write(f, raw ? buf : strstrip(buf));
}

/*
 * kernfs_fop_write_iter(), then cgroup_file_write(): more than a page is
 * -E2BIG before anything else; a removed cgroup's file -ENODEV; a write of
 * no bytes returns 0 before a handler is looked for, so even a read-only
 * file takes one; then a file without a handler is -EINVAL. The handler
 * sees the bytes up to the first NUL.
 */
int memcg_file_write_len(struct memcg_file *f, const void *buf, size_t len)
{
	char *copy;
	int ret;

	if (!f || (!buf && len))
		return -EINVAL;
	if (len > CGROUP_FILE_WRITE_MAX)
		return -E2BIG;
	if (!atomic_load(&f->memcg->online))
		return -ENODEV;
	if (!len)
		return 0;
	if (!cftype_writable(f))
		return -EINVAL;
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	ret = cgroup_file_write(f, copy);
	free(copy);
	mem_cgroup_release_pending(f->memcg->engine);
	return ret;
}

int memcg_file_write(struct memcg_file *f, const char *buf)
{
	if (!buf)
		return -EINVAL;
	return memcg_file_write_len(f, buf, strlen(buf));
}

int memcg_read(struct mem_cgroup *memcg, const char *name, char *buf,
	       size_t len)
{
	struct memcg_file *f;
	int ret = memcg_open(memcg, name, &f);

	if (ret)
		return ret;
	ret = memcg_file_read(f, buf, len);
	memcg_file_close(f);
	return ret;
}

int memcg_write_len(struct mem_cgroup *memcg, const char *name,
		    const void *buf, size_t len)
{
	struct memcg_file *f;
	int ret = memcg_open(memcg, name, &f);

	if (ret)
		return ret;
	ret = memcg_file_write_len(f, buf, len);
	memcg_file_close(f);
	return ret;
}

int memcg_write(struct mem_cgroup *memcg, const char *name, const char *buf)
{
	if (!buf)
		return -EINVAL;
	return memcg_write_len(memcg, name, buf, strlen(buf));
}
