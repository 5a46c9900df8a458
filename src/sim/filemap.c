// SPDX-License-Identifier: MIT
/*
 * The page cache: files by name, each a sparse table (lib/radix.c) of
 * page-cache folios and of the shadows of evicted pages, so a file costs
 * memory for the pages it caches and remembers, never for its size. A
 * read charges missing pages to the reader's cgroup; the page cache holds
 * one reference on each folio, and reclaim drops clean ones.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm/writeback.h"
#include "sim/sim.h"

/* Entries batched per lock hold when a truncation drops folios. */
#define TRUNCATE_BATCH 64

struct folio *sim_alloc_folio(struct memcg_engine *e, enum folio_type type);

/* Find @name, or NULL; call with sim->lock held. */
static struct memcg_file_pages *file_find(struct memcg_sim *sim,
					  const char *name)
{
	uint32_t i;

	for (i = 0; i < sim->nr_files; i++)
		if (!strcmp(sim->files[i]->name, name))
			return sim->files[i];
	return NULL;
}

/* Find or create @name; call with sim->lock held. */
static struct memcg_file_pages *file_get(struct memcg_sim *sim, const char *name)
{
	struct memcg_file_pages *f = file_find(sim, name), **files;

	if (f)
		return f;
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
	atomic_init(&f->fd, -1);
	radix_init(&f->pages);
	sim->files[sim->nr_files++] = f;
	return f;
}

/* The folio cached at @idx of @f, or NULL; call with sim->lock held. */
static struct folio *file_folio(struct memcg_engine *e, struct memcg_file_pages *f,
			 size_t idx)
{
	uint64_t v = radix_lookup(&f->pages, idx);

	if (!v || file_entry_is_shadow(v))
		return NULL;
	return pfn_folio(e->arena, (uint32_t)(v - 1));
}

/* The cached folio at @idx with a reference, NULL if absent, or retry. */
static struct folio *find_get_folio(struct memcg_engine *e,
				    struct memcg_file_pages *f, size_t idx,
				    bool *retry)
{
	struct folio *folio = NULL;

	*retry = false;
	folio = file_folio(e, f, idx);
	if (!folio)
		return NULL;
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
		shadow = radix_lookup(&f->pages, idx);
		if (shadow && !file_entry_is_shadow(shadow)) {
			shadow = 0;		/* lost a race */
		} else {
			ret = radix_store(&f->pages, idx,
					  folio_pfn(e->arena, folio) + 1);
			if (!ret) {
				rmap_set(sim, e, folio, RMAP_FILE |
					 (uint64_t)f->id << 32 | idx);
				/*
				 * ours, taken before the lock drops: a
				 * truncation may put the cache's at once
				 */
				folio_get(folio);
				added = true;
			}
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
	folio_add_lru(e, folio);
	if (ret) {
		memcg_folio_put(e, folio);
		return ret;
	}
	*out = folio;
	return 0;
}

/*
 * Dirty @folio if it is still page @idx of @f. A folio a truncation took
 * out meanwhile stays clean: the truncation cancels the dirty state of
 * what it takes (after the lock), and a folio dirtied after that would be
 * freed dirty. The check and the dirtying under the lock order the two.
 */
static void dirty_if_cached(struct memcg_engine *e, struct memcg_file_pages *f,
			    size_t idx, struct folio *folio)
{
	struct memcg_sim *sim = sim_of(e);

	pthread_mutex_lock(&sim->lock);
	if (radix_lookup(&f->pages, idx) ==
	    (uint64_t)folio_pfn(e->arena, folio) + 1)
		folio_mark_dirty(e, folio);
	pthread_mutex_unlock(&sim->lock);
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
		dirty_if_cached(t->e, f, idx, folio);
	else
		folio_mark_accessed(t->e, folio);
	memcg_folio_put(t->e, folio);
	if (write)
		balance_dirty_pages_ratelimited(t->e, t->memcg);
	return 0;
}

static int filemap_access(struct memcg_task *t, const char *name,
			  size_t first, size_t end, bool write)
{
	struct memcg_sim *sim = sim_of(t->e);
	struct memcg_file_pages *f;
	size_t idx;
	int ret = 0;

	if (end > FILE_MAX_PAGES)
		return -EFBIG;
	pthread_mutex_lock(&sim->lock);
	f = file_get(sim, name);
	if (!f)
		ret = -ENOMEM;
	else if (f->nr_pages < end)
		f->nr_pages = end;	/* grown, sparse */
	pthread_mutex_unlock(&sim->lock);
	if (ret)
		return ret;
	for (idx = first; idx < end; idx++) {
		ret = access_page(t, f, idx, write);
		sim_return_to_user(t, ret ? 0 : 1);
		if (ret)
			return ret;
		if (t->oom_victim)
			return -ENOMEM;
	}
	return 0;
}

int filemap_read(struct memcg_task *t, const char *name, size_t first,
		 size_t end)
{
	return filemap_access(t, name, first, end, false);
}

int filemap_write(struct memcg_task *t, const char *name, size_t first,
		  size_t end)
{
	return filemap_access(t, name, first, end, true);
}

/* Unfreeze @folio if it is dirty; return whether it was. */
static bool folio_unfreeze_if_dirty(struct folio *folio, unsigned count)
{
	if (!folio_test_flag(folio, PG_dirty))
		return false;
	folio_ref_unfreeze(folio, count);
	return true;
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
		/*
		 * The page cache's and reclaim's references, no other; and
		 * clean once frozen, as __remove_mapping() checks: a writer
		 * may have dirtied it after reclaim looked and before its
		 * reference went.
		 */
		if (radix_lookup(&f->pages, idx) == (uint64_t)pfn + 1 &&
		    folio_ref_freeze(folio, 2) &&
		    !folio_unfreeze_if_dirty(folio, 2)) {
			/* replaces an entry: allocates nothing, cannot fail */
			radix_store(&f->pages, idx,
				    memcg_workingset_eviction(e, folio));
			rmap_set(sim, e, folio, 0);
			removed = true;
		}
	}
	pthread_mutex_unlock(&sim->lock);
	if (removed)
		folio_free_frozen(e, folio);
	return removed;
}

/*
 * Take up to TRUNCATE_BATCH entries at or after *@idx out of @f: folios
 * into @batch (the page cache's reference now the caller's), shadows
 * dropped; *@nr is the number of folios, *@idx past the last entry seen.
 * Return: whether entries may remain.
 */
static bool truncate_batch(struct memcg_engine *e, struct memcg_sim *sim,
			   struct memcg_file_pages *f, uint64_t *idx,
			   struct folio **batch, size_t *nr)
{
	size_t n = 0, seen;
	uint64_t v;

	pthread_mutex_lock(&sim->lock);
	for (seen = 0; seen < TRUNCATE_BATCH; seen++, (*idx)++) {
		v = radix_next(&f->pages, idx);
		if (!v)
			break;
		if (!file_entry_is_shadow(v)) {
			batch[n] = pfn_folio(e->arena, (uint32_t)(v - 1));
			rmap_set(sim, e, batch[n++], 0);
		}
		radix_store(&f->pages, *idx, 0);	/* erase: cannot fail */
	}
	pthread_mutex_unlock(&sim->lock);
	*nr = n;
	return seen == TRUNCATE_BATCH;
}

/*
 * Drop the pages of @f from @first on, walking only the populated part of
 * its table. A folio under writeback is waited for, as
 * truncate_inode_pages_range() does, so that no write of it lands in the
 * backing file after that is cut. Reclaim holding one of them finds it
 * gone from the page cache and frees it with its own reference.
 * Tolerated race: a flusher holding a folio it found dirty may start its
 * writeback between the wait and the cancel here (there is no folio lock);
 * the counters stay exact, and its data may land in the backing file past
 * the new end, where a later read of that page finds it instead of zeros.
 */
static void file_drop_pages(struct memcg_engine *e, struct memcg_sim *sim,
			    struct memcg_file_pages *f, uint64_t first)
{
	struct folio *batch[TRUNCATE_BATCH];
	uint64_t idx = first;
	bool more;
	size_t n, i;

	do {
		more = truncate_batch(e, sim, f, &idx, batch, &n);
		for (i = 0; i < n; i++) {
			while (folio_test_flag(batch[i], PG_writeback))
				sched_yield();
			folio_cancel_dirty(e, batch[i]);
			memcg_folio_put(e, batch[i]);
		}
	} while (more);
}

int filemap_truncate(struct memcg_task *t, const char *name, size_t nr_pages)
{
	struct memcg_engine *e = t->e;
	struct memcg_sim *sim = sim_of(e);
	struct memcg_file_pages *f;
	int fd;

	pthread_mutex_lock(&sim->lock);
	f = file_find(sim, name);
	if (f)
		f->nr_pages = nr_pages;
	pthread_mutex_unlock(&sim->lock);
	if (!f)
		return -ENOENT;
	file_drop_pages(e, sim, f, nr_pages);
	fd = atomic_load(&f->fd);
	if (fd >= 0 && ftruncate(fd, (off_t)(nr_pages * MEMCG_PAGE_SIZE)) < 0)
		return -errno;
	return 0;
}

/* Drop every page-cache folio and file (engine teardown). */
void filemap_destroy(struct memcg_engine *e, struct memcg_sim *sim)
{
	uint32_t i;

	for (i = 0; i < sim->nr_files; i++) {
		struct memcg_file_pages *f = sim->files[i];

		file_drop_pages(e, sim, f, 0);
		radix_destroy(&f->pages);
		if (atomic_load(&f->fd) >= 0)
			close(atomic_load(&f->fd));
		free(f->name);
		free(f);
	}
	free(sim->files);
	sim->files = NULL;
	sim->nr_files = 0;
}
