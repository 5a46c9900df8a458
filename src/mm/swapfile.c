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
#include "lib/tmpfile.h"
#include "mm/swapfile.h"

static int open_swap_file(const char *path)
{
	if (path)
		return open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	return tmpfile_open("swap");
}

int swap_device_create(const char *path, size_t bytes, bool dataless,
		       bool indexed, unsigned nr_cpus, struct memcg_engine *engine,
		       struct swap_device **out)
{
	size_t nr = bytes / MEMCG_PAGE_SIZE, i;
	struct swap_device *dev;
	int err = -ENOMEM;

	if (!nr || nr > UINT32_MAX - 1)
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->fd = -1;
	dev->engine = engine;
	dev->swap_map = calloc(nr, 1);
	dev->cache = malloc(nr * sizeof(*dev->cache));
	dev->shadow = calloc(nr, sizeof(*dev->shadow));
	dev->slots_ret = calloc(nr_cpus, sizeof(*dev->slots_ret));
	if (!dev->swap_map || !dev->cache || !dev->shadow || !dev->slots_ret ||
	    swap_cgroup_init(&dev->records, nr, indexed))
		goto fail;
	dev->nr_cpus = nr_cpus;
	for (i = 0; i < nr_cpus; i++)
		pthread_mutex_init(&dev->slots_ret[i].lock, NULL);
	for (i = 0; i < nr; i++)
		dev->cache[i] = FOLIO_NONE;
	dev->nr_slots = dev->nr_free = nr;
	dev->dataless = dataless;
	if (!dataless) {
		dev->fd = open_swap_file(path);
		if (dev->fd < 0 || ftruncate(dev->fd, (off_t)(nr * MEMCG_PAGE_SIZE))) {
			err = -errno;
			goto fail;
		}
	}
	pthread_mutex_init(&dev->lock, NULL);
	*out = dev;
	return 0;
fail:
	if (dev->fd >= 0)
		close(dev->fd);
	swap_cgroup_destroy(&dev->records);
	free(dev->slots_ret);
	free(dev->shadow);
	free(dev->cache);
	free(dev->swap_map);
	free(dev);
	return err;
}

void swap_device_destroy(struct swap_device *dev)
{
	if (!dev)
		return;
	if (dev->nr_free != dev->nr_slots)
		fprintf(stderr, "libmemcg: swapoff with %zu slots in use\n",
			dev->nr_slots - dev->nr_free);
	if (dev->fd >= 0)
		close(dev->fd);
	pthread_mutex_destroy(&dev->lock);
	for (unsigned cpu = 0; cpu < dev->nr_cpus; cpu++)
		pthread_mutex_destroy(&dev->slots_ret[cpu].lock);
	free(dev->slots_ret);
	swap_cgroup_destroy(&dev->records);
	free(dev->folio_swap);
	free(dev->shadow);
	free(dev->cache);
	free(dev->swap_map);
	free(dev);
}

static bool run_free(struct swap_device *dev, size_t off, size_t nr)
{
	size_t i;

	for (i = off; i < off + nr; i++)
		if (dev->swap_map[i])
			return false;
	return true;
}

int swap_alloc_slots(struct swap_device *dev, size_t nr, size_t *off)
{
	size_t n, i, start;
	int err = -ENOSPC;

	pthread_mutex_lock(&dev->lock);
	if (dev->nr_free < nr || nr > dev->nr_slots)
		goto out;
	/* from the cursor round the device, aligned runs of @nr */
	start = dev->cursor / nr * nr;
	for (n = 0; n < dev->nr_slots; n += nr) {
		i = (start + n) % (dev->nr_slots / nr * nr);
		if (!run_free(dev, i, nr))
			continue;
		memset(dev->swap_map + i, SWAP_HAS_CACHE, nr);
		dev->nr_free -= nr;
		dev->cursor = i + nr;
		*off = i;
		err = 0;
		break;
	}
out:
	pthread_mutex_unlock(&dev->lock);
	return err;
}

/*
 * Back to the free map, its record cleared and its owner uncharged first;
 * call with the lock, which allocation takes too.
 */
static void slot_free_locked(struct swap_device *dev, size_t off)
{
	uint16_t owner = swap_cgroup_clear(&dev->records, off, 1);

	mem_cgroup_uncharge_swap_id(dev->engine, owner, 1);
	dev->swap_map[off] = 0;
	dev->shadow[off] = 0;
	dev->nr_free++;
}

/* Return @ret's slots to the map; call with @ret's lock held. */
static void slots_ret_flush(struct swap_device *dev, struct swap_slots_ret *ret)
{
	unsigned i;

	pthread_mutex_lock(&dev->lock);
	for (i = 0; i < ret->n; i++)
		slot_free_locked(dev, ret->slot[i]);
	pthread_mutex_unlock(&dev->lock);
	ret->n = 0;
}

/* free_swap_slot(): into @cpu's return cache, flushed first when full. */
static void slot_return(struct swap_device *dev, size_t off, unsigned cpu)
{
	struct swap_slots_ret *ret = &dev->slots_ret[cpu % dev->nr_cpus];

	pthread_mutex_lock(&ret->lock);
	/* the caches may have been deactivated and drained meanwhile */
	if (!atomic_load(&dev->slots_cache_active)) {
		pthread_mutex_lock(&dev->lock);
		slot_free_locked(dev, off);
		pthread_mutex_unlock(&dev->lock);
	} else {
		if (ret->n == SWAP_SLOTS_CACHE_SIZE)
			slots_ret_flush(dev, ret);
		ret->slot[ret->n++] = (uint32_t)off;
	}
	pthread_mutex_unlock(&ret->lock);
}

bool swap_slot_put(struct swap_device *dev, size_t off, bool cache,
		   unsigned cpu)
{
	uint8_t *m = &dev->swap_map[off];
	bool to_cache;

	pthread_mutex_lock(&dev->lock);
	if (cache ? !(*m & SWAP_HAS_CACHE) : !(*m & SWAP_MAP_MAX)) {
		fprintf(stderr, "libmemcg: swap slot %zu put with state %#x\n",
			off, *m);
		abort();
	}
	if (cache)
		*m &= (uint8_t)~SWAP_HAS_CACHE;
	else
		(*m)--;
	if (*m) {
		pthread_mutex_unlock(&dev->lock);
		return false;
	}
	to_cache = atomic_load(&dev->slots_cache_active);
	if (to_cache)
		*m = SWAP_HAS_CACHE;	/* the return cache's, not allocatable */
	else
		slot_free_locked(dev, off);
	pthread_mutex_unlock(&dev->lock);
	if (to_cache)
		slot_return(dev, off, cpu);
	return true;
}

void swap_slots_drain(struct swap_device *dev, unsigned cpu)
{
	struct swap_slots_ret *ret = &dev->slots_ret[cpu % dev->nr_cpus];

	pthread_mutex_lock(&ret->lock);
	slots_ret_flush(dev, ret);
	pthread_mutex_unlock(&ret->lock);
}

bool swap_slots_cache_check(struct swap_device *dev)
{
	size_t per_cpu = (size_t)dev->nr_cpus * SWAP_SLOTS_CACHE_SIZE;
	bool deactivated = false;

	pthread_mutex_lock(&dev->lock);
	if (!atomic_load(&dev->slots_cache_active)) {
		if (dev->nr_free > 5 * per_cpu)
			atomic_store(&dev->slots_cache_active, true);
	} else if (dev->nr_free < 2 * per_cpu) {
		atomic_store(&dev->slots_cache_active, false);
		deactivated = true;
	}
	pthread_mutex_unlock(&dev->lock);
	return deactivated;
}

int swap_slot_dup(struct swap_device *dev, size_t off)
{
	uint8_t *m = &dev->swap_map[off];
	int err = 0;

	pthread_mutex_lock(&dev->lock);
	if (!*m)
		err = -EINVAL;
	else if ((*m & SWAP_MAP_MAX) == SWAP_MAP_MAX)
		err = -ENOMEM;
	else
		(*m)++;
	pthread_mutex_unlock(&dev->lock);
	return err;
}

uint8_t swap_slot_state(struct swap_device *dev, size_t off)
{
	uint8_t v;

	pthread_mutex_lock(&dev->lock);
	v = dev->swap_map[off];
	pthread_mutex_unlock(&dev->lock);
	return v;
}

/* The injected fault for this write, if its turn has come. */
static enum swap_fault take_fault(struct swap_device *dev)
{
	enum swap_fault f = SWAP_FAULT_NONE;

	pthread_mutex_lock(&dev->lock);
	dev->nr_writes++;
	if (dev->fault != SWAP_FAULT_NONE && dev->fault_after-- <= 0) {
		f = dev->fault;
		dev->fault = SWAP_FAULT_NONE;
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
	if (dev->dataless || !data)
		return f == SWAP_FAULT_SHORT ? -ENOSPC : 0;
	return write_all(dev->fd, data, nr * MEMCG_PAGE_SIZE,
			 (off_t)(off * MEMCG_PAGE_SIZE), f == SWAP_FAULT_SHORT);
}

int swap_read(struct swap_device *dev, size_t off, void *data, size_t nr)
{
	size_t len = nr * MEMCG_PAGE_SIZE, done = 0;

	pthread_mutex_lock(&dev->lock);
	dev->nr_reads++;
	pthread_mutex_unlock(&dev->lock);
	if (dev->dataless || !data)
		return 0;
	while (done < len) {
		ssize_t n = pread(dev->fd, (char *)data + done, len - done,
				  (off_t)(off * MEMCG_PAGE_SIZE + done));

		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}
