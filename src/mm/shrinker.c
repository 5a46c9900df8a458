// SPDX-License-Identifier: MIT
/*
 * Shrinkers: count and scan a client's caches per cgroup in proportion to
 * the reclaim priority, with the work not done carried to the next pass
 * (the kernel's do_shrink_slab()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm/shrinker.h"

void memcg_shrinkers_init(struct memcg_engine *e)
{
	pthread_rwlockattr_t attr;

	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr,
			PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&e->shrinker_rwsem, &attr);
	pthread_rwlockattr_destroy(&attr);
	CDS_INIT_LIST_HEAD(&e->shrinkers);
}

void memcg_shrinkers_release(struct memcg_engine *e)
{
	struct memcg_shrinker *s, *tmp;
	long n = 0;

	cds_list_for_each_entry_safe(s, tmp, &e->shrinkers, node) {
		memcg_shrinker_unregister(s);
		n++;
	}
	if (n)
		fprintf(stderr, "libmemcg: %ld shrinkers still registered at "
			"engine destroy\n", n);
}

static bool shrinker_memcg_aware(const struct memcg_shrinker *s)
{
	return s->ops->flags & MEMCG_SHRINKER_MEMCG_AWARE;
}

/* The deferred count of @s for @memcg; NULL if it cannot be allocated. */
static atomic_long *deferred_slot(struct memcg_shrinker *s,
				  struct mem_cgroup *memcg, bool alloc)
{
	unsigned id = memcg->id, chunk = id / SHRINKER_DEFERRED_CHUNK;
	atomic_long *slots = atomic_load(&s->deferred[chunk]), *expected = NULL;

	if (!shrinker_memcg_aware(s))
		return &s->nr_deferred;
	if (slots || !alloc)
		return slots ? &slots[id % SHRINKER_DEFERRED_CHUNK] : NULL;
	slots = calloc(SHRINKER_DEFERRED_CHUNK, sizeof(*slots));
	if (!slots)
		return NULL;
	if (!atomic_compare_exchange_strong(&s->deferred[chunk], &expected,
					    slots)) {
		free(slots);
		slots = expected;	/* another reclaimer installed it */
	}
	return &slots[id % SHRINKER_DEFERRED_CHUNK];
}

static void shrinker_warn(struct memcg_shrinker *s, const char *what,
			  unsigned long got, unsigned long asked)
{
	if (atomic_exchange(&s->warned, true))
		return;
	fprintf(stderr, "libmemcg: shrinker %p: scan_objects %s %lu of %lu "
		"asked; clamped\n", (void *)s, what, got, asked);
}

/* One scan_objects call; Return: freed, or MEMCG_SHRINK_STOP. */
static unsigned long shrinker_scan(struct memcg_shrinker *s,
				   struct memcg_shrink_control *sc)
{
	unsigned long asked = sc->nr_to_scan, ret;

	sc->nr_scanned = asked;
	ret = s->ops->scan_objects(s->priv, sc);
	if (sc->nr_scanned > asked) {
		shrinker_warn(s, "scanned", sc->nr_scanned, asked);
		sc->nr_scanned = asked;
	}
	if (ret != MEMCG_SHRINK_STOP && ret > asked) {
		shrinker_warn(s, "freed", ret, asked);
		ret = asked;
	}
	return ret;
}

static unsigned long do_shrink_slab(struct memcg_shrink_control *sc,
				    struct memcg_shrinker *s, int priority)
{
	long batch = s->ops->batch ? s->ops->batch : SHRINK_BATCH;
	unsigned long freeable, freed = 0, ret;
	long nr, delta, total_scan, scanned = 0, next;
	atomic_long *deferred;

	freeable = s->ops->count_objects(s->priv, sc);
	if (freeable == 0 || freeable == MEMCG_SHRINK_EMPTY)
		return freeable;
	if (freeable > LONG_MAX / 4)
		freeable = LONG_MAX / 4;
	deferred = deferred_slot(s, sc->memcg, true);
	nr = deferred ? atomic_exchange(deferred, 0) : 0;
	if (s->ops->seeks)
		delta = (long)(freeable >> priority) * 4 / s->ops->seeks;
	else
		delta = (long)freeable / 2;	/* free to recreate */
	total_scan = (nr >> priority) + delta;
	if (total_scan > 2 * (long)freeable)
		total_scan = 2 * (long)freeable;
	/* below a batch only when the whole cache is wanted (tight memory) */
	while (total_scan >= batch || total_scan >= (long)freeable) {
		sc->nr_to_scan = (unsigned long)(total_scan < batch ? total_scan :
						 batch);
		ret = shrinker_scan(s, sc);
		if (ret == MEMCG_SHRINK_STOP)
			break;
		freed += ret;
		total_scan -= (long)sc->nr_scanned;
		scanned += (long)sc->nr_scanned;
		if (!sc->nr_scanned)
			break;	/* no progress: do not spin */
	}
	next = nr + delta - scanned;
	if (next < 0)
		next = 0;
	if (next > 2 * (long)freeable)
		next = 2 * (long)freeable;
	if (deferred)
		atomic_fetch_add(deferred, next);
	return freed;
}

unsigned long shrink_slab(struct mem_cgroup *memcg, unsigned gfp, int priority)
{
	struct memcg_engine *e = memcg->engine;
	struct memcg_shrinker *s;
	unsigned long ret, freed = 0;

	if (!mem_cgroup_is_root(memcg) && !atomic_load(&memcg->online))
		return 0;
	if (pthread_rwlock_tryrdlock(&e->shrinker_rwsem))
		return 0;	/* (un)registration under way */
	cds_list_for_each_entry(s, &e->shrinkers, node) {
		struct memcg_shrink_control sc = { .memcg = memcg, .gfp = gfp };

		if (!mem_cgroup_is_root(memcg) && !shrinker_memcg_aware(s))
			continue;
		ret = do_shrink_slab(&sc, s, priority);
		if (ret != MEMCG_SHRINK_EMPTY)
			freed += ret;
	}
	pthread_rwlock_unlock(&e->shrinker_rwsem);
	return freed;
}

void reparent_shrinker_deferred(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	struct memcg_shrinker *s;

	if (!memcg->parent)
		return;
	pthread_rwlock_rdlock(&e->shrinker_rwsem);
	cds_list_for_each_entry(s, &e->shrinkers, node) {
		atomic_long *from, *to;
		long nr;

		if (!shrinker_memcg_aware(s) ||
		    !(from = deferred_slot(s, memcg, false)))
			continue;
		nr = atomic_exchange(from, 0);
		to = nr ? deferred_slot(s, memcg->parent, true) : NULL;
		if (to)
			atomic_fetch_add(to, nr);
	}
	pthread_rwlock_unlock(&e->shrinker_rwsem);
}

int memcg_shrinker_register(struct memcg_engine *e,
			    const struct memcg_shrinker_ops *ops, void *priv,
			    struct memcg_shrinker **out)
{
	struct memcg_shrinker *s, *it;
	int err = 0;

	if (!e || !ops || !ops->count_objects || !ops->scan_objects || !out ||
	    ops->seeks < 0 || ops->batch < 0 ||
	    (ops->flags & ~MEMCG_SHRINKER_MEMCG_AWARE))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->e = e;
	s->ops = ops;
	s->priv = priv;
	pthread_rwlock_wrlock(&e->shrinker_rwsem);
	cds_list_for_each_entry(it, &e->shrinkers, node)
		if (it->ops == ops && it->priv == priv)
			err = -EEXIST;
	if (!err)
		cds_list_add_tail(&s->node, &e->shrinkers);
	pthread_rwlock_unlock(&e->shrinker_rwsem);
	if (err) {
		free(s);
		return err;
	}
	*out = s;
	return 0;
}

void memcg_shrinker_unregister(struct memcg_shrinker *s)
{
	size_t i;

	if (!s)
		return;
	pthread_rwlock_wrlock(&s->e->shrinker_rwsem);	/* waits out callers */
	cds_list_del(&s->node);
	pthread_rwlock_unlock(&s->e->shrinker_rwsem);
	for (i = 0; i < sizeof(s->deferred) / sizeof(s->deferred[0]); i++)
		free(atomic_load(&s->deferred[i]));
	free(s);
}
