// SPDX-License-Identifier: MIT
/*
 * The page cache: files by name, each an array of page-cache folios.
 * A read charges missing pages to the reader's cgroup; the page cache
 * holds one reference on each folio, and reclaim drops clean ones.
 * File contents are not modelled (every page is clean).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm/writeback.h"
#include "sim/sim.h"

struct folio *sim_alloc_folio(struct memcg_engine *e, enum folio_type type);

/* Find or create @name; call with sim->lock held. */
static struct memcg_file_pages *file_get(struct memcg_sim *sim, const char *name)
{
	struct memcg_file_pages *f, **files;
	uint32_t i;

	for (i = 0; i < sim->nr_files; i++)
		if (!strcmp(sim->files[i]->name, name))
			return sim->files[i];
	files = realloc(sim->files, (sim->nr_files + 1) * sizeof(*files));
	if (!files)
		return NULL;
	sim->files = files;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->name = strdup(name))) {
		free(f);
		return NULL;
	}
	f->id = sim->nr_files;
	f->fd = -1;
	sim->files[sim->nr_files++] = f;
	return f;
}

static int file_grow(struct memcg_file_pages *f, size_t nr_pages)
{
	uint32_t *pages;
	uint64_t *shadow;

	if (nr_pages <= f->nr_pages)
		return 0;
	pages = realloc(f->pages, nr_pages * sizeof(*pages));
	if (!pages)
		return -ENOMEM;
	f->pages = pages;
	shadow = realloc(f->shadow, nr_pages * sizeof(*shadow));
	if (!shadow)
		return -ENOMEM;
	f->shadow = shadow;
	memset(pages + f->nr_pages, 0, (nr_pages - f->nr_pages) * sizeof(*pages));
	memset(shadow + f->nr_pages, 0, (nr_pages - f->nr_pages) * sizeof(*shadow));
	f->nr_pages = nr_pages;
	return 0;
}

/* The cached folio at @idx with a reference, NULL if absent, or retry. */
static struct folio *find_get_folio(struct memcg_engine *e,
				    struct memcg_file_pages *f, size_t idx,
				    bool *retry)
{
	struct folio *folio = NULL;

	*retry = false;
	if (!f->pages[idx])
		return NULL;
	folio = pfn_folio(e->arena, f->pages[idx] - 1);
	if (!folio_try_get(folio)) {
		*retry = true;	/* reclaim froze it and is removing it */
		return NULL;
	}
	return folio;
}

/*
 * The page at @idx with a reference for the caller: found in the cache,
 * or a new folio charged to the task's cgroup, inserted (a refault if its
 * shadow is there) and put on the LRU.
 */
static int filemap_get_page(struct memcg_task *t, struct memcg_file_pages *f,
			    size_t idx, struct folio **out)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	struct folio *folio;
	bool retry, added = false;
	uint64_t shadow = 0;
	int ret;

	for (;;) {
		pthread_mutex_lock(&sim->lock);
		folio = find_get_folio(e, f, idx, &retry);
		pthread_mutex_unlock(&sim->lock);
		if (!retry)
			break;
		sched_yield();
	}
	if (folio) {
		*out = folio;
		return 0;
	}
	folio = sim_alloc_folio(e, FOLIO_FILE);
	if (!folio)
		return -ENOMEM;
	ret = mem_cgroup_charge(folio, t->memcg, MEMCG_GFP_KERNEL);
	if (!ret) {
		pthread_mutex_lock(&sim->lock);
		if (!f->pages[idx]) {
			f->pages[idx] = folio_pfn(e->arena, folio) + 1;
			shadow = f->shadow[idx];
			f->shadow[idx] = 0;
			rmap_set(sim, e, folio,
				 RMAP_FILE | (uint64_t)f->id << 32 | idx);
			added = true;
		}
		pthread_mutex_unlock(&sim->lock);
	}
	if (!added) {
		memcg_folio_put(e, folio);	/* failed, or lost a race */
		return ret ? ret : -EAGAIN;
	}
	if (shadow)
		memcg_workingset_refault(e, folio, shadow);
	/* data written back earlier comes back; a failed read is an I/O error */
	ret = filemap_read_back(e, f, idx, folio);
	folio_get(folio);		/* ours; the allocation's is the cache's */
	folio_add_lru(e, folio);
	if (ret) {
		memcg_folio_put(e, folio);
		return ret;
	}
	*out = folio;
	return 0;
}

/*
 * Read or write page @idx: filemap_read() marks what it read accessed; a
 * buffered write leaves the page dirty, not accessed, and may start
 * background writeback.
 */
static int access_page(struct memcg_task *t, struct memcg_file_pages *f,
		       size_t idx, bool write)
{
	struct folio *folio;
	int ret;

	do {
		ret = filemap_get_page(t, f, idx, &folio);
	} while (ret == -EAGAIN);
	if (ret)
		return ret;
	if (write)
		folio_mark_dirty(t->e, folio);
	else
		folio_mark_accessed(t->e, folio);
	memcg_folio_put(t->e, folio);
	if (write)
		balance_dirty_pages_ratelimited(t->e, t->memcg);
	return 0;
}

static int filemap_access(struct memcg_task *t, const char *name,
			  size_t nr_pages, bool write)
{
	struct memcg_sim *sim = sim_of(t->e);
	struct memcg_file_pages *f;
	size_t idx;
	int ret;

	pthread_mutex_lock(&sim->lock);
	f = file_get(sim, name);
	ret = f ? file_grow(f, nr_pages) : -ENOMEM;
	pthread_mutex_unlock(&sim->lock);
	if (ret)
		return ret;
	for (idx = 0; idx < nr_pages; idx++) {
		ret = access_page(t, f, idx, write);
		sim_return_to_user(t, ret ? 0 : 1);
		if (ret)
			return ret;
		if (t->oom_victim)
			return -ENOMEM;
	}
	return 0;
}

int filemap_read(struct memcg_task *t, const char *name, size_t nr_pages)
{
	return filemap_access(t, name, nr_pages, false);
}

int filemap_write(struct memcg_task *t, const char *name, size_t nr_pages)
{
	return filemap_access(t, name, nr_pages, true);
}

bool filemap_remove_folio(struct memcg_engine *e, struct folio *folio)
{
	struct memcg_sim *sim = sim_of(e);
	uint32_t pfn = folio_pfn(e->arena, folio);
	struct memcg_file_pages *f;
	bool removed = false;
	uint64_t who;
	size_t idx;

	pthread_mutex_lock(&sim->lock);
	who = rmap_get(sim, e, folio);
	if (who & RMAP_FILE) {
		f = sim->files[(uint32_t)(who >> 32) & 0x3fffffff];
		idx = (uint32_t)who;
		/* the page cache's and reclaim's references, no other */
		if (f->pages[idx] == pfn + 1 && folio_ref_freeze(folio, 2)) {
			f->pages[idx] = 0;
			f->shadow[idx] = memcg_workingset_eviction(e, folio);
			rmap_set(sim, e, folio, 0);
			removed = true;
		}
	}
	pthread_mutex_unlock(&sim->lock);
	if (removed)
		folio_free_frozen(e, folio);
	return removed;
}

/* Drop every page-cache folio and file (engine teardown). */
void filemap_destroy(struct memcg_engine *e, struct memcg_sim *sim)
{
	uint32_t i;
	size_t idx;

	for (i = 0; i < sim->nr_files; i++) {
		struct memcg_file_pages *f = sim->files[i];

		for (idx = 0; idx < f->nr_pages; idx++) {
			struct folio *folio;

			if (!f->pages[idx])
				continue;
			folio = pfn_folio(e->arena, f->pages[idx] - 1);
			f->pages[idx] = 0;
			rmap_set(sim, e, folio, 0);
			folio_cancel_dirty(e, folio);	/* teardown: not written */
			memcg_folio_put(e, folio);
		}
		if (f->fd >= 0)
			close(f->fd);
		free(f->pages);
		free(f->shadow);
		free(f->name);
		free(f);
	}
	free(sim->files);
	sim->files = NULL;
	sim->nr_files = 0;
}
