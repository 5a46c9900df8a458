// SPDX-License-Identifier: MIT
/*
 * The simulator's flusher: dirty page cache is written to a backing file
 * per simulated file (an unlinked temporary, opened at the first
 * writeback), and a page read again after reclaim dropped it is read back
 * from there, so written data survives eviction. Dataless engines keep
 * the accounting and skip the I/O.
 *
 * Writeback is synchronous: woken by reclaim (the folio client's
 * writeback) it writes every dirty page before it returns; past a
 * cgroup's background threshold, enough of that cgroup's pages.
 */
#include <errno.h>
#include <unistd.h>

#include "lib/tmpfile.h"
#include "mm/writeback.h"
#include "sim/sim.h"

/*
 * The first dirty folio of @f at or after *@idx, referenced, its index in
 * *@idx; NULL when none is left. Walks only the populated entries.
 */
static struct folio *next_dirty_folio_get(struct memcg_engine *e,
					  struct memcg_file_pages *f,
					  uint64_t *idx)
{
	struct memcg_sim *sim = sim_of(e);
	struct folio *folio = NULL;
	uint64_t v;

	pthread_mutex_lock(&sim->lock);
	for (; (v = radix_next(&f->pages, idx)); (*idx)++) {
		if (file_entry_is_shadow(v))
			continue;
		folio = pfn_folio(e->arena, (uint32_t)(v - 1));
		if (folio_test_flag(folio, PG_dirty) && folio_try_get(folio))
			break;
		folio = NULL;
	}
	pthread_mutex_unlock(&sim->lock);
	return folio;
}

/* Write one page's data; a failed write leaves it dirty, as EIO would. */
static int write_page_data(struct memcg_engine *e, struct memcg_file_pages *f,
			   size_t idx, struct folio *folio)
{
	const void *data = folio_address(e->arena, folio);
	int fd, none = -1;
	ssize_t n;

	if (!data)
		return 0;		/* dataless */
	fd = atomic_load(&f->fd);
	if (fd < 0) {
		/* flushers may race to open it: the first one's stays */
		fd = tmpfile_open("file");
		if (fd < 0)
			return -errno;
		if (!atomic_compare_exchange_strong(&f->fd, &none, fd)) {
			close(fd);
			fd = none;
		}
	}
	n = pwrite(fd, data, MEMCG_PAGE_SIZE, (off_t)(idx * MEMCG_PAGE_SIZE));
	return n == (ssize_t)MEMCG_PAGE_SIZE ? 0 : -EIO;
}

/*
 * Write @folio, page @idx of @f, back if it is @memcg's; put the caller's
 * reference. Return: pages written.
 */
static long writeback_page(struct memcg_engine *e, struct memcg_file_pages *f,
			   size_t idx, struct folio *folio,
			   struct mem_cgroup *memcg)
{
	long written = 0;

	if ((!memcg || mem_cgroup_is_descendant(folio_memcg(e, folio), memcg)) &&
	    folio_start_writeback(e, folio)) {
		if (write_page_data(e, f, idx, folio))
			folio_mark_dirty(e, folio);	/* redirty: tried later */
		else
			written = folio_nr_pages(folio);
		folio_end_writeback(e, folio);
	}
	memcg_folio_put(e, folio);
	return written;
}

void sim_writeback(struct memcg_engine *e, struct mem_cgroup *memcg,
		   long nr_pages)
{
	struct memcg_sim *sim = sim_of(e);
	struct folio *folio;
	uint32_t i, nr_files;
	long written = 0;
	uint64_t idx;

	pthread_mutex_lock(&sim->lock);
	nr_files = sim->nr_files;
	pthread_mutex_unlock(&sim->lock);
	/* files in creation order, pages in index order: oldest first */
	for (i = 0; i < nr_files; i++) {
		struct memcg_file_pages *f;

		pthread_mutex_lock(&sim->lock);
		f = sim->files[i];
		pthread_mutex_unlock(&sim->lock);
		for (idx = 0; (folio = next_dirty_folio_get(e, f, &idx)); idx++) {
			written += writeback_page(e, f, idx, folio, memcg);
			if (nr_pages > 0 && written >= nr_pages)
				return;
		}
	}
}

int filemap_read_back(struct memcg_engine *e, struct memcg_file_pages *f,
		      size_t idx, struct folio *folio)
{
	void *data = folio_address(e->arena, folio);
	int fd = atomic_load(&f->fd);
	ssize_t n;

	if (fd < 0 || !data)
		return 0;
	n = pread(fd, data, MEMCG_PAGE_SIZE, (off_t)(idx * MEMCG_PAGE_SIZE));
	return n < 0 ? -errno : 0;	/* short: a hole, zeros */
}
