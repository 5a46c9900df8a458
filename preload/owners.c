// SPDX-License-Identifier: MIT
/*
 * The cgroups the process charges, by slot (the number in each block's
 * tag; 0 means none), and each one's remainder: bytes charged to it that
 * belong to no block and no thread's budget. The remainder takes frees of
 * the cgroup's blocks from threads charging elsewhere, the budgets of
 * threads that exit or move, and the charges of exiting threads; it gives
 * whole pages back at once, so it always holds less than a page. Hence,
 * once the budgets are flushed and the stocks drained, memory.current is
 * the cgroup's live bytes rounded up to a page.
 *
 * A slot holds a reference on its cgroup until the process exits; slots
 * are never reused (a fork's child starts again from none).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "core/memcontrol.h"
#include "memcg/hooks.h"
#include "shim.h"

struct preload_owner {
	struct mem_cgroup *memcg;	/* referenced; set once */
	atomic_flag lock;		/* the remainder's */
	long pool;			/* the remainder: < one page */
} __attribute__((aligned(64)));

static struct preload_owner owners[MEMCG_PRELOAD_MAX_CGROUPS + 1];
static unsigned nr_owners = 1;		/* slot 0 is none */
static pthread_mutex_t owners_lock = PTHREAD_MUTEX_INITIALIZER;

/** preload_owner_memcg - the cgroup of @slot, or NULL */
struct mem_cgroup *preload_owner_memcg(unsigned slot)
{
	return __atomic_load_n(&owners[slot].memcg, __ATOMIC_ACQUIRE);
}

/**
 * preload_pay_over_high - the return-to-user step after a charge: pay for
 * this thread's charges over memory.high (reclaim, then the kernel's
 * sleep); a charge without reclaim (MEMCG_GFP_NOWAIT) left it pending
 * @slot: the slot just charged
 */
void preload_pay_over_high(unsigned slot)
{
	struct preload_thread *t = &preload_tls;

	preload_enter(t);
	memcg_handle_over_high(preload_owner_memcg(slot)->engine);
	preload_leave(t);
}

/**
 * preload_owner_slot - the slot of @memcg, given one if it has none
 * @memcg: an online cgroup
 *
 * Return: the slot, -ENOENT if @memcg is offline, -ENOSPC if every slot
 * is taken.
 */
int preload_owner_slot(struct mem_cgroup *memcg)
{
	unsigned i;
	int ret = -ENOSPC;

	if (!memcg_is_online(memcg))
		return -ENOENT;
	pthread_mutex_lock(&owners_lock);
	for (i = 1; i < nr_owners; i++)
		if (owners[i].memcg == memcg)
			break;
	if (i < nr_owners) {
		ret = (int)i;
	} else if (nr_owners <= MEMCG_PRELOAD_MAX_CGROUPS) {
		memcg_get(memcg);
		__atomic_store_n(&owners[nr_owners].memcg, memcg,
				 __ATOMIC_RELEASE);
		ret = (int)nr_owners++;
	}
	pthread_mutex_unlock(&owners_lock);
	return ret;
}

static void pool_lock(struct preload_owner *o)
{
	while (atomic_flag_test_and_set_explicit(&o->lock, memory_order_acquire)) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
}

static void pool_unlock(struct preload_owner *o)
{
	atomic_flag_clear_explicit(&o->lock, memory_order_release);
}

static void uncharge_pages(struct preload_owner *o, long pages)
{
	struct preload_thread *t = &preload_tls;

	if (!pages)
		return;
	preload_enter(t);
	memcg_uncharge_pages(o->memcg, (unsigned long)pages);
	preload_leave(t);
}

/* Add @bytes to the remainder and take the whole pages out. */
static long pool_add(struct preload_owner *o, long bytes)
{
	long pages;

	o->pool += bytes;
	pages = o->pool / PRELOAD_PAGE;
	o->pool -= pages * PRELOAD_PAGE;
	return pages;
}

/**
 * preload_pool_uncharge - give @bytes of @slot's cgroup back
 * @slot: slot
 * @bytes: bytes
 */
void preload_pool_uncharge(unsigned slot, size_t bytes)
{
	struct preload_owner *o = &owners[slot];
	long pages;

	pool_lock(o);
	pages = pool_add(o, (long)bytes);
	pool_unlock(o);
	uncharge_pages(o, pages);
}

/* The remainder's bytes, if it has @bytes; else what it lacks. */
static long pool_take(struct preload_owner *o, long bytes)
{
	long lack = 0;

	pool_lock(o);
	if (o->pool >= bytes)
		o->pool -= bytes;
	else
		lack = bytes - o->pool;
	pool_unlock(o);
	return lack;
}

/**
 * preload_pool_charge - charge @bytes to @slot's cgroup, through its
 * remainder (a thread that has no budget any more)
 * @slot: slot
 * @bytes: bytes
 * @nofail: force the charge past memory.max
 *
 * Return: 0 or -ENOMEM.
 */
int preload_pool_charge(unsigned slot, size_t bytes, bool nofail)
{
	struct preload_thread *t = &preload_tls;
	struct preload_owner *o = &owners[slot];
	long lack, pages, extra = 0;
	int err;

	while ((lack = pool_take(o, (long)bytes))) {
		pages = (lack + PRELOAD_PAGE - 1) / PRELOAD_PAGE;
		preload_enter(t);
		err = memcg_charge_pages(o->memcg, (unsigned long)pages,
					 nofail ? MEMCG_GFP_NOFAIL : MEMCG_GFP_KERNEL);
		preload_leave(t);
		if (err)
			return err;
		/* others may have taken from it meanwhile: then again */
		pool_lock(o);
		o->pool += pages * PRELOAD_PAGE;
		if (o->pool >= (long)bytes) {
			o->pool -= (long)bytes;
			extra = pool_add(o, 0);
			pool_unlock(o);
			break;
		}
		pool_unlock(o);
	}
	uncharge_pages(o, extra);
	preload_pay_over_high(slot);
	return 0;
}

/** preload_owners_fork_child - a fork's child charges no cgroup yet */
void preload_owners_fork_child(void)
{
	memset(owners, 0, sizeof(owners));
	nr_owners = 1;
	owners_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
}
