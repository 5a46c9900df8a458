// SPDX-License-Identifier: MIT
/* The host LRU: see host_lru.h. */
#include <errno.h>

#include "mm/host_lru.h"

static unsigned unit_flags(const struct memcg_lru_unit *u)
{
	return __atomic_load_n(&u->flags, __ATOMIC_ACQUIRE);
}

static void unit_set(struct memcg_lru_unit *u, unsigned f)
{
	__atomic_fetch_or(&u->flags, f, __ATOMIC_RELEASE);
}

static void unit_clear(struct memcg_lru_unit *u, unsigned f)
{
	__atomic_fetch_and(&u->flags, ~f, __ATOMIC_RELEASE);
}

static enum host_lru unit_lru(const struct memcg_lru_unit *u)
{
	return unit_flags(u) & LRU_UNIT_ACTIVE ? HOST_LRU_ACTIVE :
						 HOST_LRU_INACTIVE;
}

/* Link at the head of @lru; call with the lock held. */
static void unit_link(struct lruvec *lruvec, struct memcg_lru_unit *u,
		      enum host_lru lru)
{
	struct host_lru_list *l = &lruvec->host[lru];

	u->lru_prev = NULL;
	u->lru_next = l->head;
	if (l->head)
		l->head->lru_prev = u;
	else
		l->tail = u;
	l->head = u;
	host_lru_add_bytes(l, (long)u->bytes);
}

static void unit_unlink(struct lruvec *lruvec, struct memcg_lru_unit *u,
			enum host_lru lru)
{
	struct host_lru_list *l = &lruvec->host[lru];

	if (u->lru_prev)
		u->lru_prev->lru_next = u->lru_next;
	else
		l->head = u->lru_next;
	if (u->lru_next)
		u->lru_next->lru_prev = u->lru_prev;
	else
		l->tail = u->lru_prev;
	u->lru_next = u->lru_prev = NULL;
	host_lru_add_bytes(l, -(long)u->bytes);
}

/* The nearest online ancestor of an offline cgroup (the root is online). */
static struct mem_cgroup *online_memcg(struct mem_cgroup *memcg)
{
	while (memcg->parent && !atomic_load(&memcg->online))
		memcg = memcg->parent;
	return memcg;
}

/*
 * Lock the lists of @u's cgroup, which reparenting may change while we
 * wait: check again once locked. Call under rcu_read_lock().
 */
static struct mem_cgroup *unit_lock(struct memcg_lru_unit *u)
{
	struct mem_cgroup *memcg;

	for (;;) {
		memcg = __atomic_load_n(&u->memcg, __ATOMIC_ACQUIRE);
		if (!memcg)
			return NULL;
		pthread_mutex_lock(&memcg->lruvec.lock);
		if (memcg == __atomic_load_n(&u->memcg, __ATOMIC_RELAXED))
			return memcg;
		pthread_mutex_unlock(&memcg->lruvec.lock);
	}
}

int memcg_lru_add(struct mem_cgroup *memcg, struct memcg_lru_unit *u,
		  size_t bytes, const struct memcg_lru_ops *ops)
{
	int err = 0;

	if (!memcg || !u || !bytes || bytes > (size_t)LONG_MAX / 2 || !ops ||
	    !ops->evict)
		return -EINVAL;
	if (unit_flags(u) & LRU_UNIT_LISTED)
		return -EINVAL;	/* an evicted unit may be added again */
	css_get(memcg);
	pthread_mutex_lock(&memcg->lruvec.lock);
	if (!atomic_load(&memcg->online) && memcg->parent) {
		err = -ENOENT;	/* offline: its lists are being emptied */
	} else {
		u->ops = ops;
		u->bytes = bytes;
		u->flags = LRU_UNIT_LISTED;
		__atomic_store_n(&u->memcg, memcg, __ATOMIC_RELEASE);
		unit_link(&memcg->lruvec, u, HOST_LRU_INACTIVE);
	}
	pthread_mutex_unlock(&memcg->lruvec.lock);
	if (err)
		css_put(memcg);
	return err;
}

void memcg_lru_touch(struct memcg_lru_unit *u)
{
	if (u && !(unit_flags(u) & LRU_UNIT_REFERENCED))
		unit_set(u, LRU_UNIT_REFERENCED);
}

int memcg_lru_del(struct memcg_lru_unit *u)
{
	struct mem_cgroup *memcg;
	unsigned flags;

	if (!u)
		return -EINVAL;
	rcu_read_lock();
	memcg = unit_lock(u);
	rcu_read_unlock();
	if (!memcg)
		return -ENOENT;
	flags = unit_flags(u);
	if (!(flags & LRU_UNIT_LISTED)) {
		pthread_mutex_unlock(&memcg->lruvec.lock);
		/* isolated: reclaim is evicting it */
		return flags & LRU_UNIT_ISOLATED ? -EBUSY : -ENOENT;
	}
	unit_unlink(&memcg->lruvec, u, unit_lru(u));
	u->flags = 0;
	__atomic_store_n(&u->memcg, NULL, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&memcg->lruvec.lock);
	css_put(memcg);
	mem_cgroup_release_pending(memcg->engine);
	return 0;
}

/* Return a unit evict refused to its list (at the head, as rotated). */
static void unit_putback(struct mem_cgroup *memcg, struct memcg_lru_unit *u)
{
	struct mem_cgroup *to;

	pthread_mutex_lock(&memcg->lruvec.lock);
	to = memcg->engine->cfg.policy == MEMCG_POLICY_REPARENT ?
	     online_memcg(memcg) : memcg;
	if (to != memcg) {
		/* its cgroup went offline meanwhile: the reference moves */
		pthread_mutex_unlock(&memcg->lruvec.lock);
		css_get(to);
		css_put(memcg);
		memcg = to;
		pthread_mutex_lock(&memcg->lruvec.lock);
		__atomic_store_n(&u->memcg, memcg, __ATOMIC_RELEASE);
	}
	unit_link(&memcg->lruvec, u, unit_lru(u));
	__atomic_store_n(&u->flags, (unit_flags(u) & LRU_UNIT_ACTIVE) |
			 LRU_UNIT_LISTED, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&memcg->lruvec.lock);
}

#define HOST_ISOLATE_BATCH 32

/*
 * Take units from the tail of the inactive list until @nr_bytes are seen;
 * referenced ones move to the active list instead.
 */
static unsigned isolate_inactive(struct mem_cgroup *memcg, long *nr_bytes,
				 struct memcg_lru_unit **out, long *activated)
{
	struct lruvec *lruvec = &memcg->lruvec;
	struct memcg_lru_unit *u;
	unsigned n = 0;

	pthread_mutex_lock(&lruvec->lock);
	while (*nr_bytes > 0 && n < HOST_ISOLATE_BATCH &&
	       (u = lruvec->host[HOST_LRU_INACTIVE].tail)) {
		*nr_bytes -= (long)u->bytes;
		unit_unlink(lruvec, u, HOST_LRU_INACTIVE);
		if (unit_flags(u) & LRU_UNIT_REFERENCED) {
			/* used since the last scan: another round, active */
			unit_clear(u, LRU_UNIT_REFERENCED);
			unit_set(u, LRU_UNIT_ACTIVE);
			unit_link(lruvec, u, HOST_LRU_ACTIVE);
			*activated += (long)u->bytes;
			continue;
		}
		/* reclaim's now: not listed, the memcg and reference kept */
		__atomic_store_n(&u->flags, (unit_flags(u) & LRU_UNIT_ACTIVE) |
				 LRU_UNIT_ISOLATED, __ATOMIC_RELEASE);
		out[n++] = u;
	}
	pthread_mutex_unlock(&lruvec->lock);
	return n;
}

long shrink_host_inactive(struct mem_cgroup *memcg, long nr_to_scan,
			  long *reclaimed_bytes)
{
	struct memcg_lru_unit *units[HOST_ISOLATE_BATCH];
	long budget = nr_to_scan << MEMCG_PAGE_SHIFT, activated = 0;
	long evicted = 0, stolen = 0, scanned;
	unsigned i, n;

	do {
		n = isolate_inactive(memcg, &budget, units, &activated);
		for (i = 0; i < n; i++) {
			struct memcg_lru_unit *u = units[i];
			long bytes = (long)u->bytes;

			if (u->ops->evict(u)) {
				unit_putback(memcg, u);
				continue;
			}
			/* gone: the program may already have freed *u */
			stolen += bytes;
			evicted++;
		}
	} while (n == HOST_ISOLATE_BATCH && budget > 0);
	scanned = ((nr_to_scan << MEMCG_PAGE_SHIFT) - budget) >> MEMCG_PAGE_SHIFT;
	mod_memcg_state(memcg, MEMCG_PGSCAN, scanned);
	mod_memcg_state(memcg, MEMCG_PGSTEAL, stolen >> MEMCG_PAGE_SHIFT);
	mod_memcg_state(memcg, MEMCG_PGACTIVATE, activated >> MEMCG_PAGE_SHIFT);
	css_put_many(memcg, evicted);
	*reclaimed_bytes += stolen;
	return scanned;
}

void shrink_host_active(struct mem_cgroup *memcg, long nr_to_scan)
{
	struct lruvec *lruvec = &memcg->lruvec;
	long budget = nr_to_scan << MEMCG_PAGE_SHIFT, moved = 0;
	struct memcg_lru_unit *u;

	pthread_mutex_lock(&lruvec->lock);
	while (budget > 0 && (u = lruvec->host[HOST_LRU_ACTIVE].tail)) {
		budget -= (long)u->bytes;
		unit_unlink(lruvec, u, HOST_LRU_ACTIVE);
		unit_clear(u, LRU_UNIT_ACTIVE | LRU_UNIT_REFERENCED);
		unit_link(lruvec, u, HOST_LRU_INACTIVE);
		moved += (long)u->bytes;
	}
	pthread_mutex_unlock(&lruvec->lock);
	mod_memcg_state(memcg, MEMCG_PGDEACTIVATE, moved >> MEMCG_PAGE_SHIFT);
}

long host_lru_reparent(struct mem_cgroup *from, struct mem_cgroup *to)
{
	struct lruvec *src = &from->lruvec, *dst = &to->lruvec;
	long n = 0;
	int lru;

	pthread_mutex_lock(&src->lock);
	pthread_mutex_lock(&dst->lock);
	for (lru = 0; lru < NR_HOST_LRU; lru++) {
		struct host_lru_list *a = &src->host[lru], *b = &dst->host[lru];
		struct memcg_lru_unit *u;

		if (!a->head)
			continue;
		for (u = a->head; u; u = u->lru_next, n++)
			__atomic_store_n(&u->memcg, to, __ATOMIC_RELEASE);
		/* from's list goes before to's head: both keep their order */
		a->tail->lru_next = b->head;
		if (b->head)
			b->head->lru_prev = a->tail;
		else
			b->tail = a->tail;
		b->head = a->head;
		host_lru_add_bytes(b, a->nr_bytes);
		host_lru_add_bytes(a, -a->nr_bytes);
		a->head = a->tail = NULL;
	}
	pthread_mutex_unlock(&dst->lock);
	pthread_mutex_unlock(&src->lock);
	return n;
}
