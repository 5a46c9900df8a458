// SPDX-License-Identifier: MIT
/*
 * The embedding hooks under threads (run under TSan):
 * - shrinkers registered and unregistered while other threads reclaim:
 *   no callback runs once memcg_shrinker_unregister() has returned;
 * - host LRU units added, touched and deleted by workers while others
 *   reclaim them and a cgroup is removed: every unit ends either evicted
 *   (once) or deleted (once), and the counters are exact (the auditor).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit.h"
#include "seed.h"
#include "mm/host_lru.h"

#define RUN_MS 600

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct memcg_engine *engine(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	return e;
}

/* --- shrinkers unregistered during reclaim --- */

struct cache {
	atomic_bool registered;		/* false once unregister returned */
	atomic_long calls;
	atomic_int late;		/* calls after unregister returned */
};

static unsigned long cache_count(void *priv, struct memcg_shrink_control *sc)
{
	struct cache *c = priv;

	if (!atomic_load(&c->registered))
		atomic_fetch_add(&c->late, 1);
	atomic_fetch_add(&c->calls, 1);
	return 1000;
}

static unsigned long cache_scan(void *priv, struct memcg_shrink_control *sc)
{
	struct cache *c = priv;

	if (!atomic_load(&c->registered))
		atomic_fetch_add(&c->late, 1);
	return sc->nr_to_scan;
}

static const struct memcg_shrinker_ops cache_ops = {
	.count_objects = cache_count,
	.scan_objects = cache_scan,
	.seeks = MEMCG_DEFAULT_SEEKS,
	.flags = MEMCG_SHRINKER_MEMCG_AWARE,
};

struct shrink_run {
	struct memcg_engine *e;
	struct mem_cgroup *m;
	atomic_bool stop;
};

static void *reclaimer(void *arg)
{
	struct shrink_run *r = arg;

	while (!atomic_load(&r->stop))
		memcg_write(r->m, "memory.reclaim", "64K");
	return NULL;
}

static void test_unregister_during_reclaim(void **state)
{
	struct shrink_run r = { .e = engine() };
	struct cache caches[4];
	pthread_t tid[2];
	uint64_t end = now_ms() + RUN_MS;
	long rounds = 0, calls = 0;
	int i;

	assert_int_equal(memcg_mkdir(r.e, "A", &r.m), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&tid[i], NULL, reclaimer, &r), 0);
	while (now_ms() < end) {
		struct memcg_shrinker *s[4];

		for (i = 0; i < 4; i++) {
			caches[i] = (struct cache){ 0 };
			atomic_store(&caches[i].registered, true);
			assert_int_equal(memcg_shrinker_register(r.e, &cache_ops,
						&caches[i], &s[i]), 0);
		}
		for (i = 0; i < 4; i++) {
			memcg_shrinker_unregister(s[i]);
			atomic_store(&caches[i].registered, false);
		}
		for (i = 0; i < 4; i++) {
			assert_int_equal(atomic_load(&caches[i].late), 0);
			calls += atomic_load(&caches[i].calls);
		}
		rounds++;
	}
	atomic_store(&r.stop, true);
	for (i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	print_message("%ld register/unregister rounds, %ld callbacks\n",
		      rounds, calls);
	memcg_put(r.m);
	memcg_engine_destroy(r.e);
}

/* --- host LRU units under concurrent reclaim and rmdir --- */

#define NR_WORKERS 2
#define NR_ITEMS 2048
#define ITEM_BYTES 4096

struct item {
	struct memcg_lru_unit lru;
	struct obj_cgroup *objcg;
	pthread_mutex_t lock;		/* the program's own lock */
	bool live;			/* charged and listed */
	int gone;			/* evicted or deleted: at most once */
};

static int item_evict(struct memcg_lru_unit *u)
{
	struct item *it = (struct item *)u;

	if (pthread_mutex_trylock(&it->lock))
		return -EAGAIN;		/* the owner is using it */
	memcg_obj_uncharge(it->objcg, ITEM_BYTES, 0);
	it->live = false;
	it->gone++;
	pthread_mutex_unlock(&it->lock);
	return 0;
}

static const struct memcg_lru_ops item_ops = { .evict = item_evict };

struct lru_run {
	unsigned seed;
	struct memcg_engine *e;
	struct mem_cgroup *parent;
	struct item *items;
	atomic_bool stop;
	atomic_long adds, dels, busy;
};

struct worker {
	struct lru_run *r;
	int id;
	pthread_t tid;
};

/* Add, touch and delete this worker's items in its own cgroup. */
static void *lru_worker(void *arg)
{
	struct worker *w = arg;
	struct lru_run *r = w->r;
	struct mem_cgroup *m;
	struct obj_cgroup *objcg;
	char path[32];
	unsigned seed = w->r->seed + (unsigned)w->id;

	snprintf(path, sizeof(path), "P/w%d", w->id);
	assert_int_equal(memcg_mkdir(r->e, path, &m), 0);
	objcg = memcg_objcg_get(m);
	while (!atomic_load(&r->stop)) {
		struct item *it = &r->items[w->id * NR_ITEMS +
					    rand_r(&seed) % NR_ITEMS];

		pthread_mutex_lock(&it->lock);
		if (!it->live) {
			if (it->objcg)
				memcg_objcg_put(it->objcg);
			it->objcg = memcg_objcg_get(m);
			if (!memcg_obj_charge(it->objcg, ITEM_BYTES, 0) &&
			    !memcg_lru_add(m, &it->lru, ITEM_BYTES, &item_ops)) {
				it->live = true;
				it->gone = 0;
				atomic_fetch_add(&r->adds, 1);
			}
		} else if (rand_r(&seed) % 4) {
			memcg_lru_touch(&it->lru);
		} else {
			int err = memcg_lru_del(&it->lru);

			if (err == -EBUSY) {
				atomic_fetch_add(&r->busy, 1);
			} else {
				assert_int_equal(err, 0);
				memcg_obj_uncharge(it->objcg, ITEM_BYTES, 0);
				it->live = false;
				it->gone++;
				atomic_fetch_add(&r->dels, 1);
			}
		}
		pthread_mutex_unlock(&it->lock);
	}
	memcg_objcg_put(objcg);
	memcg_put(m);
	return NULL;
}

static void *lru_reclaimer(void *arg)
{
	struct lru_run *r = arg;

	while (!atomic_load(&r->stop))
		memcg_write(r->parent, "memory.reclaim", "1M");
	return NULL;
}

static void test_units_under_reclaim(void **state)
{
	struct lru_run r = {
		.seed = (unsigned)test_seed("test_hooks_threads", 1),
		.e = engine(),
	};
	struct worker w[NR_WORKERS];
	pthread_t rec;
	long live = 0;
	int i;

	r.items = calloc(NR_WORKERS * NR_ITEMS, sizeof(*r.items));
	for (i = 0; i < NR_WORKERS * NR_ITEMS; i++)
		pthread_mutex_init(&r.items[i].lock, NULL);
	assert_int_equal(memcg_mkdir(r.e, "P", &r.parent), 0);
	assert_int_equal(memcg_write(r.parent, "memory.max", "4M"), 0);
	for (i = 0; i < NR_WORKERS; i++) {
		w[i] = (struct worker){ .r = &r, .id = i };
		assert_int_equal(pthread_create(&w[i].tid, NULL, lru_worker,
						&w[i]), 0);
	}
	assert_int_equal(pthread_create(&rec, NULL, lru_reclaimer, &r), 0);
	while (!atomic_load(&r.adds))
		sched_yield();
	usleep(RUN_MS * 1000);
	atomic_store(&r.stop, true);
	for (i = 0; i < NR_WORKERS; i++)
		pthread_join(w[i].tid, NULL);
	pthread_join(rec, NULL);
	/* the workers' cgroups go while their units live: to the parent */
	for (i = 0; i < NR_WORKERS; i++) {
		char path[32];

		snprintf(path, sizeof(path), "P/w%d", i);
		assert_int_equal(memcg_rmdir(r.e, path), 0);
	}
	for (i = 0; i < NR_WORKERS * NR_ITEMS; i++) {
		assert_true(r.items[i].gone <= 1);
		live += r.items[i].live;
	}
	assert_int_equal(r.parent->lruvec.host[HOST_LRU_INACTIVE].nr_bytes +
			 r.parent->lruvec.host[HOST_LRU_ACTIVE].nr_bytes,
			 live * ITEM_BYTES);
	assert_int_equal(memcg_audit(r.e, (struct audit_hold[]){
		{ r.parent, 1 } }, 1), 0);
	print_message("%ld adds, %ld deletes, %ld busy, %ld live\n",
		      atomic_load(&r.adds), atomic_load(&r.dels),
		      atomic_load(&r.busy), live);
	for (i = 0; i < NR_WORKERS * NR_ITEMS; i++) {
		struct item *it = &r.items[i];

		if (it->live) {
			assert_int_equal(memcg_lru_del(&it->lru), 0);
			memcg_obj_uncharge(it->objcg, ITEM_BYTES, 0);
		}
		if (it->objcg)
			memcg_objcg_put(it->objcg);
		pthread_mutex_destroy(&it->lock);
	}
	assert_int_equal(memcg_audit(r.e, (struct audit_hold[]){
		{ r.parent, 1 } }, 1), 0);
	memcg_put(r.parent);
	memcg_engine_destroy(r.e);
	free(r.items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unregister_during_reclaim),
		cmocka_unit_test(test_units_under_reclaim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
