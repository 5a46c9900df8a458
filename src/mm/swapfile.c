// SPDX-License-Identifier: MIT
/* The swap device: see swapfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/memcontrol.h"
#include "mm/folio.h"
#include "lib/lazymap.h"
#include "lib/tmpfile.h"
#include "mm/swapfile.h"

#define SWAP_NO_CLUSTER UINT32_MAX

static int open_swap_file(const char *path)
{
	if (path)
		return open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	return tmpfile_open("swap");
}

static size_t cluster_of(size_t off)
{
	return off / SWAPFILE_CLUSTER;
}

/* Slots in cluster @c: SWAPFILE_CLUSTER, but for a short last one. */
static size_t cluster_size(const struct swap_device *dev, size_t c)
{
	size_t left = dev->nr_slots - c * SWAPFILE_CLUSTER;

	return left < SWAPFILE_CLUSTER ? left : SWAPFILE_CLUSTER;
}

/* --- the cluster lists, under list_lock --- */

static struct swap_cluster_list_head *list_of(struct swap_device *dev,
					      unsigned list)
{
	if (list == CLUSTER_FREE)
		return &dev->free_clusters;
	if (list == CLUSTER_NONFULL)
		return &dev->nonfull_clusters;
	return NULL;		/* full clusters are on none */
}

static void list_del_cluster(struct swap_device *dev, uint32_t c)
{
	struct swap_cluster_list_head *l = list_of(dev, dev->clusters[c].list);
	struct swap_cluster *ci = &dev->clusters[c];

	if (!l)
		return;
	if (ci->prev != SWAP_NO_CLUSTER)
		dev->clusters[ci->prev].next = ci->next;
	else
		l->head = ci->next;
	if (ci->next != SWAP_NO_CLUSTER)
		dev->clusters[ci->next].prev = ci->prev;
	else
		l->tail = ci->prev;
	l->nr--;
}

static void list_add_tail_cluster(struct swap_device *dev, uint32_t c)
{
	struct swap_cluster_list_head *l = list_of(dev, dev->clusters[c].list);
	struct swap_cluster *ci = &dev->clusters[c];

	if (!l)
		return;
	ci->next = SWAP_NO_CLUSTER;
	ci->prev = l->tail;
	if (l->tail != SWAP_NO_CLUSTER)
		dev->clusters[l->tail].next = c;
	else
		l->head = c;
	l->tail = c;
	l->nr++;
}

/* Move @c to the tail of @list (or off the lists). */
static void cluster_move(struct swap_device *dev, uint32_t c, unsigned list)
{
	list_del_cluster(dev, c);
	dev->clusters[c].list = (uint8_t)list;
	list_add_tail_cluster(dev, c);
}

/* --- the free count --- */

static void nr_free_add(struct swap_device *dev, unsigned cpu, long d)
{
	struct swap_pcp *p = &dev->pcp[cpu % dev->nr_cpus];
	long v = atomic_fetch_add_explicit(&p->nr_free, d,
					   memory_order_relaxed) + d;

	if (v >= dev->free_batch || v <= -dev->free_batch) {
		v = atomic_exchange_explicit(&p->nr_free, 0, memory_order_relaxed);
		atomic_fetch_add_explicit(&dev->nr_free, v, memory_order_relaxed);
	}
}

size_t swap_nr_free(struct swap_device *dev)
{
	long n = atomic_load_explicit(&dev->nr_free, memory_order_relaxed);
	unsigned cpu;

	for (cpu = 0; cpu < dev->nr_cpus; cpu++)
		n += atomic_load_explicit(&dev->pcp[cpu].nr_free,
					  memory_order_relaxed);
	return n > 0 ? (size_t)n : 0;
}

/* --- create and destroy --- */

static void *cacheline_calloc(size_t n, size_t size)
{
	void *p = aligned_alloc(64, n * size);

	if (p)
		memset(p, 0, n * size);
	return p;
}

/*
 * A per-slot array (swap_map, cache, shadow, sum): page-aligned, so that
 * a cluster's slots (SWAPFILE_CLUSTER of them, a multiple of a line in
 * every array) share no cache line with another cluster's, which another
 * CPU allocates from; zeroed, its pages allocated as they are touched.
 */
static void *slot_array_alloc(size_t nr, size_t size)
{
	return lazymap_alloc(nr * size, false);
}

static void slot_array_free(void *p, size_t nr, size_t size)
{
	lazymap_free(p, nr * size);
}

static int swap_clusters_init(struct swap_device *dev)
{
	uint32_t c;

	dev->nr_clusters = (dev->nr_slots + SWAPFILE_CLUSTER - 1) /
			   SWAPFILE_CLUSTER;
	dev->clusters = cacheline_calloc(dev->nr_clusters,
					 sizeof(*dev->clusters));
	if (!dev->clusters)
		return -ENOMEM;
	dev->free_clusters = (struct swap_cluster_list_head){
		SWAP_NO_CLUSTER, SWAP_NO_CLUSTER, 0 };
	dev->nonfull_clusters = dev->free_clusters;
	for (c = 0; c < dev->nr_clusters; c++) {
		pthread_mutex_init(&dev->clusters[c].lock, NULL);
		dev->clusters[c].list = CLUSTER_FREE;
		list_add_tail_cluster(dev, c);
	}
	return 0;
}

int swap_device_create(const char *path, size_t bytes, bool dataless,
		       bool indexed, unsigned nr_cpus, struct memcg_engine *engine,
		       struct swap_device **out)
{
	size_t nr = bytes / MEMCG_PAGE_SIZE, i;
	struct swap_device *dev;
	int err = -ENOMEM;

	if (!nr || nr > UINT32_MAX - 1 || !nr_cpus)
		return -EINVAL;
	dev = cacheline_calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->fd = -1;
	dev->engine = engine;
	dev->nr_slots = nr;
	dev->nr_cpus = nr_cpus;
	dev->free_batch = (long)(nr / 64 / nr_cpus);
	if (dev->free_batch > SWAP_FREE_BATCH)
		dev->free_batch = SWAP_FREE_BATCH;
	if (dev->free_batch < 1)
		dev->free_batch = 1;
	pthread_mutex_init(&dev->lock, NULL);
	pthread_mutex_init(&dev->list_lock, NULL);
	dev->swap_map = slot_array_alloc(nr, 1);
	dev->cache = slot_array_alloc(nr, sizeof(*dev->cache));	/* all empty */
	dev->shadow = slot_array_alloc(nr, sizeof(*dev->shadow));
	if (!dataless && !(dev->sum = slot_array_alloc(nr, sizeof(*dev->sum))))
		goto fail;
	dev->pcp = cacheline_calloc(nr_cpus, sizeof(*dev->pcp));
	dev->slots_ret = cacheline_calloc(nr_cpus, sizeof(*dev->slots_ret));
	if (!dev->swap_map || !dev->cache || !dev->shadow || !dev->pcp ||
	    !dev->slots_ret || swap_clusters_init(dev))
		goto fail;
	err = swap_cgroup_init(&dev->records, nr, indexed);
	if (err)
		goto fail;
	for (i = 0; i < nr_cpus; i++)
		pthread_mutex_init(&dev->slots_ret[i].lock, NULL);
	atomic_init(&dev->nr_free, (long)nr);
	dev->dataless = dataless;
	if (!dataless) {
		dev->fd = open_swap_file(path);
		if (dev->fd < 0 ||
		    ftruncate(dev->fd, (off_t)(nr * MEMCG_PAGE_SIZE))) {
			err = -errno;
			goto fail_records;
		}
	}
	*out = dev;
	return 0;
fail_records:
	if (dev->fd >= 0)
		close(dev->fd);
	swap_cgroup_destroy(&dev->records);
	for (i = 0; i < nr_cpus; i++)
		pthread_mutex_destroy(&dev->slots_ret[i].lock);
fail:
	for (i = 0; dev->clusters && i < dev->nr_clusters; i++)
		pthread_mutex_destroy(&dev->clusters[i].lock);
	free(dev->clusters);
	free(dev->slots_ret);
	free(dev->pcp);
	slot_array_free(dev->sum, nr, sizeof(*dev->sum));
	slot_array_free(dev->shadow, nr, sizeof(*dev->shadow));
	slot_array_free(dev->cache, nr, sizeof(*dev->cache));
	slot_array_free(dev->swap_map, nr, 1);
	pthread_mutex_destroy(&dev->list_lock);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
	return err;
}

void swap_device_destroy(struct swap_device *dev)
{
	size_t nr_free, i;

	if (!dev)
		return;
	/* bad slots stay out of the free map for good */
	nr_free = swap_nr_free(dev) + (size_t)atomic_load(&dev->nr_bad);
	if (nr_free != dev->nr_slots)
		fprintf(stderr, "libmemcg: swapoff with %zu slots in use\n",
			dev->nr_slots - nr_free);
	if (dev->fd >= 0)
		close(dev->fd);
	for (i = 0; i < dev->nr_cpus; i++)
		pthread_mutex_destroy(&dev->slots_ret[i].lock);
	for (i = 0; i < dev->nr_clusters; i++) {
		pthread_mutex_destroy(&dev->clusters[i].lock);
		free(dev->clusters[i].cont);
	}
	pthread_mutex_destroy(&dev->list_lock);
	pthread_mutex_destroy(&dev->lock);
	free(dev->clusters);
	free(dev->slots_ret);
	free(dev->pcp);
	swap_cgroup_destroy(&dev->records);
	lazymap_free(dev->folio_swap, dev->folio_swap_bytes);
	slot_array_free(dev->sum, dev->nr_slots, sizeof(*dev->sum));
	slot_array_free(dev->shadow, dev->nr_slots, sizeof(*dev->shadow));
	slot_array_free(dev->cache, dev->nr_slots, sizeof(*dev->cache));
	slot_array_free(dev->swap_map, dev->nr_slots, 1);
	free(dev);
}

void swap_lock_range(struct swap_device *dev, size_t off, size_t nr)
{
	size_t c;

	for (c = cluster_of(off); c <= cluster_of(off + nr - 1); c++)
		pthread_mutex_lock(&dev->clusters[c].lock);
}

void swap_unlock_range(struct swap_device *dev, size_t off, size_t nr)
{
	size_t c;

	for (c = cluster_of(off); c <= cluster_of(off + nr - 1); c++)
		pthread_mutex_unlock(&dev->clusters[c].lock);
}

/* --- allocation --- */

/* An @nr-aligned run of free slots in cluster @c from @from; locked. */
static bool cluster_scan(struct swap_device *dev, size_t c, size_t from,
			 size_t nr, size_t *found)
{
	size_t start = c * SWAPFILE_CLUSTER, end = start + cluster_size(dev, c);
	size_t i, j;

	from = from < start ? start : (from + nr - 1) / nr * nr;
	for (i = from; i + nr <= end; i += nr) {
		for (j = 0; j < nr && !dev->swap_map[i + j]; j++)
			;
		if (j == nr) {
			*found = i;
			return true;
		}
	}
	return false;
}

/* Take @nr free slots from @off in cluster @c; call with its lock. */
static void cluster_alloc_range(struct swap_device *dev, size_t c, size_t off,
				size_t nr, unsigned cpu)
{
	struct swap_cluster *ci = &dev->clusters[c];
	size_t i;

	for (i = off; i < off + nr; i++)
		swap_slot_set(dev, i, SWAP_HAS_CACHE);
	if (!ci->count || ci->count + nr == cluster_size(dev, c)) {
		pthread_mutex_lock(&dev->list_lock);
		if (ci->count + nr == cluster_size(dev, c))
			cluster_move(dev, (uint32_t)c, CLUSTER_FULL);
		else if (ci->list != CLUSTER_NONFULL)
			cluster_move(dev, (uint32_t)c, CLUSTER_NONFULL);
		pthread_mutex_unlock(&dev->list_lock);
	}
	ci->count = (uint16_t)(ci->count + nr);
	nr_free_add(dev, cpu, -(long)nr);
}

/* Allocate in cluster @c from slot @from; Return: true with @off set. */
static bool alloc_in_cluster(struct swap_device *dev, size_t c, size_t from,
			     size_t nr, unsigned cpu, size_t *off)
{
	struct swap_cluster *ci = &dev->clusters[c];
	bool ok = false;

	pthread_mutex_lock(&ci->lock);
	if (ci->count + nr <= cluster_size(dev, c) &&
	    cluster_scan(dev, c, from, nr, off)) {
		cluster_alloc_range(dev, c, *off, nr, cpu);
		ok = true;
	}
	pthread_mutex_unlock(&ci->lock);
	return ok;
}

/*
 * A free cluster that can hold @nr, for a CPU's own: it goes to the
 * nonfull list at once, so that the next CPU asking gets another one.
 */
static uint32_t take_free_cluster(struct swap_device *dev, size_t nr)
{
	uint32_t c = SWAP_NO_CLUSTER, k;

	pthread_mutex_lock(&dev->list_lock);
	for (k = dev->free_clusters.nr; k > 0; k--) {
		c = dev->free_clusters.head;
		if (cluster_size(dev, c) >= nr) {
			cluster_move(dev, c, CLUSTER_NONFULL);
			break;
		}
		cluster_move(dev, c, CLUSTER_FREE);	/* the short last one */
		c = SWAP_NO_CLUSTER;
	}
	pthread_mutex_unlock(&dev->list_lock);
	return c;
}

/* The first nonfull cluster, rotated to the list's tail. */
static uint32_t next_nonfull_cluster(struct swap_device *dev)
{
	uint32_t c;

	pthread_mutex_lock(&dev->list_lock);
	c = dev->nonfull_clusters.head;
	if (c != SWAP_NO_CLUSTER)
		cluster_move(dev, c, CLUSTER_NONFULL);
	pthread_mutex_unlock(&dev->list_lock);
	return c;
}

static uint32_t nr_nonfull_clusters(struct swap_device *dev)
{
	uint32_t n;

	pthread_mutex_lock(&dev->list_lock);
	n = dev->nonfull_clusters.nr;
	pthread_mutex_unlock(&dev->list_lock);
	return n;
}

/* @k clusters from @c all free; call with list_lock. */
static bool clusters_free(struct swap_device *dev, size_t c, size_t k)
{
	size_t i;

	for (i = c; i < c + k; i++)
		if (dev->clusters[i].list != CLUSTER_FREE ||
		    cluster_size(dev, i) != SWAPFILE_CLUSTER)
			return false;
	return true;
}

/*
 * A run longer than a cluster (a huge folio of an order above 9, which
 * the kernel does not have): whole free clusters, in a row, aligned. They
 * are found under list_lock, then locked in ascending order (as
 * swap_lock_range()) and checked again: a CPU whose stale hint points
 * into one of them may have allocated there meanwhile.
 */
static int alloc_clusters(struct swap_device *dev, size_t nr, unsigned cpu,
			  size_t *off)
{
	size_t k = nr / SWAPFILE_CLUSTER, c, i;
	int tries;
	bool ok;

	for (tries = 0; tries < 3; tries++) {
		pthread_mutex_lock(&dev->list_lock);
		for (c = 0; c + k <= dev->nr_clusters; c += k)
			if (clusters_free(dev, c, k))
				break;
		pthread_mutex_unlock(&dev->list_lock);
		if (c + k > dev->nr_clusters)
			return -ENOSPC;
		swap_lock_range(dev, c * SWAPFILE_CLUSTER, nr);
		pthread_mutex_lock(&dev->list_lock);
		ok = clusters_free(dev, c, k);
		pthread_mutex_unlock(&dev->list_lock);
		for (i = c; ok && i < c + k; i++)
			cluster_alloc_range(dev, i, i * SWAPFILE_CLUSTER,
					    SWAPFILE_CLUSTER, cpu);
		swap_unlock_range(dev, c * SWAPFILE_CLUSTER, nr);
		if (ok) {
			*off = c * SWAPFILE_CLUSTER;
			return 0;
		}
	}
	return -ENOSPC;
}

int swap_alloc_slots(struct swap_device *dev, size_t nr, unsigned cpu,
		     size_t *off)
{
	struct swap_pcp *p = &dev->pcp[cpu % dev->nr_cpus];
	unsigned order = (unsigned)__builtin_ctzl(nr);
	uint32_t next, c, tries;
	size_t end;

	if (!nr || nr > dev->nr_slots)
		return -ENOSPC;
	if (nr > SWAPFILE_CLUSTER)
		return alloc_clusters(dev, nr, cpu, off);
	/* this CPU's current cluster: a hint, rechecked under its lock */
	next = atomic_load_explicit(&p->next[order], memory_order_relaxed);
	if (next && alloc_in_cluster(dev, cluster_of(next - 1), next - 1, nr,
				     cpu, off))
		goto found;
	while ((c = take_free_cluster(dev, nr)) != SWAP_NO_CLUSTER)
		if (alloc_in_cluster(dev, c, (size_t)c * SWAPFILE_CLUSTER, nr,
				     cpu, off))
			goto found;
	for (tries = nr_nonfull_clusters(dev); tries > 0; tries--) {
		c = next_nonfull_cluster(dev);
		if (c == SWAP_NO_CLUSTER)
			break;
		if (alloc_in_cluster(dev, c, (size_t)c * SWAPFILE_CLUSTER, nr,
				     cpu, off))
			goto found;
	}
	atomic_store_explicit(&p->next[order], 0, memory_order_relaxed);
	return -ENOSPC;
found:
	c = (uint32_t)cluster_of(*off);
	end = (size_t)c * SWAPFILE_CLUSTER + cluster_size(dev, c);
	atomic_store_explicit(&p->next[order], *off + nr < end ?
			      (uint32_t)(*off + nr + 1) : 0, memory_order_relaxed);
	return 0;
}

/* --- checksums and bad slots --- */

static uint32_t sum_load(struct swap_device *dev, size_t off)
{
	return __atomic_load_n(&dev->sum[off], __ATOMIC_RELAXED);
}

static void sum_store(struct swap_device *dev, size_t off, uint32_t v)
{
	__atomic_store_n(&dev->sum[off], v, __ATOMIC_RELAXED);
}

/*
 * A page's checksum, odd (never 0 nor SWAP_SUM_BAD): the sum and the xor
 * of its 64-bit words, folded to 32 bits through two multiplies. Blind to
 * words trading places, which neither a truncation (zeros) nor a foreign
 * write does; two independent chains of one operation per word, so that
 * it costs a small part of the write or read it guards (about 170 ns a
 * page at -O2 on the development machine, against 3 us of pwrite+pread).
 */
static uint32_t page_sum(const void *page)
{
	const unsigned char *p = page;
	uint64_t sum = 0, x = 0, w;
	size_t i;

	for (i = 0; i < MEMCG_PAGE_SIZE; i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		sum += w;
		x ^= w;
	}
	w = sum * 0x9e3779b97f4a7c15ULL ^ x * 0xc2b2ae3d27d4eb4fULL;
	w ^= w >> 32;
	return (uint32_t)w | 1;
}

bool swap_slot_bad_free_locked(struct swap_device *dev, size_t off)
{
	struct swap_cluster *ci = &dev->clusters[cluster_of(off)];

	return dev->swap_map[off] == SWAP_MAP_BAD && dev->sum &&
	       sum_load(dev, off) == SWAP_SUM_BAD &&
	       (!ci->cont || !ci->cont[off % SWAPFILE_CLUSTER]);
}

/*
 * The slot is referenced by the caller's page table during its swap-in,
 * so it cannot have been freed and handed to someone else meanwhile.
 */
void swap_slot_mark_bad(struct swap_device *dev, size_t off)
{
	struct swap_cluster *ci = &dev->clusters[cluster_of(off)];

	if (!dev->sum)
		return;
	pthread_mutex_lock(&ci->lock);
	if (dev->swap_map[off] && sum_load(dev, off) != SWAP_SUM_BAD) {
		sum_store(dev, off, SWAP_SUM_BAD);
		atomic_fetch_add(&dev->nr_bad, 1);
	}
	pthread_mutex_unlock(&ci->lock);
}

/* --- counts past the byte: continuation, under the cluster's lock --- */

static uint32_t *cont_of(struct swap_device *dev, size_t off)
{
	return &dev->clusters[cluster_of(off)].cont[off % SWAPFILE_CLUSTER];
}

/* One more reference on a slot whose byte count is @m & SWAP_MAP_MAX. */
static int count_inc_locked(struct swap_device *dev, size_t off, uint8_t m)
{
	struct swap_cluster *ci = &dev->clusters[cluster_of(off)];

	if ((m & SWAP_MAP_MAX) < SWAP_MAP_CONTINUED - 1) {
		swap_slot_set(dev, off, (uint8_t)(m + 1));
		return 0;
	}
	if ((m & SWAP_MAP_MAX) == SWAP_MAP_CONTINUED) {
		if (*cont_of(dev, off) == SWAP_CONT_MAX)
			return -ENOMEM;
		(*cont_of(dev, off))++;
		return 0;
	}
	if (!ci->cont) {
		ci->cont = calloc(SWAPFILE_CLUSTER, sizeof(*ci->cont));
		if (!ci->cont)
			return -ENOMEM;
	}
	*cont_of(dev, off) = SWAP_MAP_CONTINUED;
	swap_slot_set(dev, off, (uint8_t)(m + 1));	/* SWAP_MAP_CONTINUED */
	return 0;
}

/* One reference less; the new byte (a continued count stays so). */
static uint8_t count_dec_locked(struct swap_device *dev, size_t off, uint8_t m)
{
	if ((m & SWAP_MAP_MAX) != SWAP_MAP_CONTINUED)
		return (uint8_t)(m - 1);
	if (--(*cont_of(dev, off)) > SWAP_MAP_CONTINUED - 1)
		return m;
	*cont_of(dev, off) = 0;		/* back in the byte */
	return (uint8_t)(m - 1);
}

/* --- freeing --- */

/*
 * Back to the free map, its record cleared and its owner uncharged first;
 * call with its cluster's lock, which allocation takes too.
 */
static void slot_free_locked(struct swap_device *dev, size_t off, unsigned cpu)
{
	size_t c = cluster_of(off);
	struct swap_cluster *ci = &dev->clusters[c];
	uint16_t owner = swap_cgroup_clear(&dev->records, off, 1);

	mem_cgroup_uncharge_swap_id(dev->engine, owner, 1);
	dev->shadow[off] = 0;
	if (dev->sum && sum_load(dev, off) == SWAP_SUM_BAD) {
		swap_slot_set(dev, off, SWAP_MAP_BAD);	/* used for good */
		return;
	}
	swap_slot_set(dev, off, 0);
	if (ci->count == 1 || ci->count == cluster_size(dev, c)) {
		pthread_mutex_lock(&dev->list_lock);
		cluster_move(dev, (uint32_t)c, ci->count == 1 ? CLUSTER_FREE :
			     CLUSTER_NONFULL);
		pthread_mutex_unlock(&dev->list_lock);
	}
	ci->count--;
	nr_free_add(dev, cpu, 1);
}

static void slot_free(struct swap_device *dev, size_t off, unsigned cpu)
{
	struct swap_cluster *ci = &dev->clusters[cluster_of(off)];

	pthread_mutex_lock(&ci->lock);
	slot_free_locked(dev, off, cpu);
	pthread_mutex_unlock(&ci->lock);
}

/* Return @ret's slots to the map; call with @ret's lock held. */
static void slots_ret_flush(struct swap_device *dev, struct swap_slots_ret *ret,
			    unsigned cpu)
{
	struct swap_cluster *locked = NULL;
	unsigned i;

	for (i = 0; i < ret->n; i++) {
		struct swap_cluster *ci = &dev->clusters[cluster_of(ret->slot[i])];

		/* a CPU's slots mostly come from a few clusters: relock less */
		if (ci != locked) {
			if (locked)
				pthread_mutex_unlock(&locked->lock);
			pthread_mutex_lock(&ci->lock);
			locked = ci;
		}
		slot_free_locked(dev, ret->slot[i], cpu);
	}
	if (locked)
		pthread_mutex_unlock(&locked->lock);
	ret->n = 0;
}

/* free_swap_slot(): into @cpu's return cache, flushed first when full. */
static void slot_return(struct swap_device *dev, size_t off, unsigned cpu)
{
	struct swap_slots_ret *ret = &dev->slots_ret[cpu % dev->nr_cpus];

	pthread_mutex_lock(&ret->lock);
	/* the caches may have been deactivated and drained meanwhile */
	if (!atomic_load(&dev->slots_cache_active)) {
		slot_free(dev, off, cpu);
	} else {
		if (ret->n == SWAP_SLOTS_CACHE_SIZE)
			slots_ret_flush(dev, ret, cpu);
		ret->slot[ret->n++] = (uint32_t)off;
	}
	pthread_mutex_unlock(&ret->lock);
}

bool swap_slot_put(struct swap_device *dev, size_t off, bool cache,
		   unsigned cpu)
{
	struct swap_cluster *ci = &dev->clusters[cluster_of(off)];
	uint8_t m;
	bool to_cache;

	pthread_mutex_lock(&ci->lock);
	m = dev->swap_map[off];
	if (cache ? !(m & SWAP_HAS_CACHE) : !(m & SWAP_MAP_MAX) ||
	    swap_slot_bad_free_locked(dev, off)) {
		fprintf(stderr, "libmemcg: swap slot %zu put with state %#x\n",
			off, m);
		abort();
	}
	m = cache ? (uint8_t)(m & ~SWAP_HAS_CACHE) : count_dec_locked(dev, off, m);
	if (m) {
		swap_slot_set(dev, off, m);
		pthread_mutex_unlock(&ci->lock);
		return false;
	}
	to_cache = atomic_load(&dev->slots_cache_active);
	if (to_cache)
		swap_slot_set(dev, off, SWAP_HAS_CACHE);	/* not allocatable */
	else
		slot_free_locked(dev, off, cpu);
	pthread_mutex_unlock(&ci->lock);
	if (to_cache)
		slot_return(dev, off, cpu);
	return true;
}

void swap_slots_drain(struct swap_device *dev, unsigned cpu)
{
	struct swap_slots_ret *ret = &dev->slots_ret[cpu % dev->nr_cpus];

	pthread_mutex_lock(&ret->lock);
	slots_ret_flush(dev, ret, cpu);
	pthread_mutex_unlock(&ret->lock);
}

/* Whether the return caches should be switched; @active is their state. */
static bool slots_cache_switch(struct swap_device *dev, bool active)
{
	long per_cpu = (long)dev->nr_cpus * SWAP_SLOTS_CACHE_SIZE;
	long nr_free = (long)swap_nr_free_approx(dev);

	return active ? nr_free < 2 * per_cpu : nr_free > 5 * per_cpu;
}

bool swap_slots_cache_check(struct swap_device *dev)
{
	bool active = atomic_load(&dev->slots_cache_active), deactivated;

	if (!slots_cache_switch(dev, active))
		return false;	/* the common case: no lock */
	pthread_mutex_lock(&dev->lock);
	active = atomic_load(&dev->slots_cache_active);
	deactivated = active && slots_cache_switch(dev, active);
	if (slots_cache_switch(dev, active))
		atomic_store(&dev->slots_cache_active, !active);
	pthread_mutex_unlock(&dev->lock);
	return deactivated;
}

void swap_slots_cache_disable(struct swap_device *dev)
{
	unsigned cpu;

	pthread_mutex_lock(&dev->lock);
	atomic_store(&dev->slots_cache_active, false);
	pthread_mutex_unlock(&dev->lock);
	for (cpu = 0; cpu < dev->nr_cpus; cpu++)
		swap_slots_drain(dev, cpu);
}

int swap_slot_dup(struct swap_device *dev, size_t off)
{
	struct swap_cluster *ci = &dev->clusters[cluster_of(off)];
	uint8_t m;
	int err;

	pthread_mutex_lock(&ci->lock);
	m = dev->swap_map[off];
	err = m && !swap_slot_bad_free_locked(dev, off) ?
	      count_inc_locked(dev, off, m) : -EINVAL;
	pthread_mutex_unlock(&ci->lock);
	return err;
}

size_t swap_next_used(struct swap_device *dev, size_t off)
{
	size_t c;
	uint16_t count;

	for (c = off / SWAPFILE_CLUSTER; c < dev->nr_clusters; c++) {
		pthread_mutex_lock(&dev->clusters[c].lock);
		count = dev->clusters[c].count;
		pthread_mutex_unlock(&dev->clusters[c].lock);
		if (count)
			return c == off / SWAPFILE_CLUSTER ? off :
							     c * SWAPFILE_CLUSTER;
	}
	return dev->nr_slots;
}

unsigned long swap_slot_count(struct swap_device *dev, size_t off)
{
	struct swap_cluster *ci = &dev->clusters[cluster_of(off)];
	unsigned long n;

	pthread_mutex_lock(&ci->lock);
	n = dev->swap_map[off] & SWAP_MAP_MAX;
	if (n == SWAP_MAP_CONTINUED)
		n = ci->cont ? *cont_of(dev, off) : 0;	/* 0: a bad slot */
	pthread_mutex_unlock(&ci->lock);
	return n;
}

/* --- I/O --- */

/* The injected fault for this write, if its turn has come. */
static enum swap_fault take_fault(struct swap_device *dev)
{
	enum swap_fault f = SWAP_FAULT_NONE;

	if (!atomic_load_explicit(&dev->fault_armed, memory_order_acquire))
		return f;
	pthread_mutex_lock(&dev->lock);
	if (dev->fault != SWAP_FAULT_NONE && dev->fault_after-- <= 0) {
		f = dev->fault;
		dev->fault = SWAP_FAULT_NONE;
		atomic_store(&dev->fault_armed, false);
	}
	pthread_mutex_unlock(&dev->lock);
	return f;
}

static int write_all(int fd, const char *p, size_t len, off_t pos, bool short_write)
{
	while (len) {
		size_t chunk = short_write ? len / 2 : len;
		ssize_t n;

		if (!chunk)
			return -ENOSPC;
		n = pwrite(fd, p, chunk, pos);
		if (n < 0)
			return -errno;
		if (n == 0 || short_write)
			return -ENOSPC;	/* a file that stops growing: full */
		p += n;
		pos += n;
		len -= (size_t)n;
	}
	return 0;
}

int swap_write(struct swap_device *dev, size_t off, const void *data, size_t nr)
{
	enum swap_fault f = take_fault(dev);

	if (f == SWAP_FAULT_EIO)
		return -EIO;
	if (f == SWAP_FAULT_ENOSPC)
		return -ENOSPC;
	size_t i;
	int err;

	if (dev->dataless || !data)
		return f == SWAP_FAULT_SHORT ? -ENOSPC : 0;
	err = write_all(dev->fd, data, nr * MEMCG_PAGE_SIZE,
			(off_t)(off * MEMCG_PAGE_SIZE), f == SWAP_FAULT_SHORT);
	for (i = 0; !err && i < nr; i++)
		sum_store(dev, off + i, page_sum((const char *)data +
						 i * MEMCG_PAGE_SIZE));
	return err;
}

int swap_read(struct swap_device *dev, size_t off, void *data, size_t nr)
{
	size_t len = nr * MEMCG_PAGE_SIZE, done = 0, i;

	if (dev->dataless || !data)
		return 0;
	for (i = 0; i < nr; i++)
		if (sum_load(dev, off + i) == SWAP_SUM_BAD)
			return -EIO;
	while (done < len) {
		ssize_t n = pread(dev->fd, (char *)data + done, len - done,
				  (off_t)(off * MEMCG_PAGE_SIZE + done));

		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* past the end: truncated */
		done += (size_t)n;
	}
	for (i = 0; i < nr; i++) {
		uint32_t want = sum_load(dev, off + i);

		/* 0: never written (its write failed): nothing to compare */
		if (want && page_sum((const char *)data + i * MEMCG_PAGE_SIZE) !=
			    want)
			return -EIO;
	}
	return 0;
}
