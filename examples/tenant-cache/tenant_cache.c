// SPDX-License-Identifier: MIT
/*
 * tenant-cache: a small multi-tenant key-value cache that governs its
 * memory with libmemcg, the way the kernel governs a machine.
 *
 * - Each tenant has a cgroup under "cache" (memory.max 64M for all):
 *   memory.high 12M and memory.max 16M per tenant.
 * - Values are charged to the tenant (objcg byte charges) and put on its
 *   cgroup's LRU: reclaim evicts the coldest, a GET touches them.
 * - A negative cache (keys known to be absent) sits behind a memcg-aware
 *   shrinker: reclaim trims it in proportion to its size.
 * - Each tenant is an OOM victim: if reclaim cannot make room, the engine
 *   picks the biggest tenant and the cache flushes it.
 * - memory.high throttling runs on a virtual clock here, so that the
 *   demo finishes at once; the time it would have slept is printed.
 *
 * One tenant ("batch") writes large values far beyond its share, and
 * keeps a session object per miss that nothing frees (a leak that no
 * reclaim can help): memory.high throttles it, and when it reaches its
 * memory.max the OOM killer picks it and the cache flushes it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memcg/hooks.h>
#include <memcg/memcg.h>

#define NR_TENANTS 4
#define NR_BUCKETS 4096
#define NR_OPS 200000

struct entry {
	struct memcg_lru_unit lru;	/* first: the LRU hands it back */
	struct tenant *t;
	struct entry *next;		/* hash chain */
	uint64_t key;
	size_t size;
	char value[];
};

struct negative {			/* a key known to be absent */
	struct negative *next;
	uint64_t key;
};

struct session {			/* unreclaimable: only a flush frees it */
	struct session *next;
	char state[1024];
};

struct tenant {
	const char *name;
	struct mem_cgroup *memcg;
	struct obj_cgroup *objcg;
	struct memcg_victim *victim;
	struct entry *buckets[NR_BUCKETS];
	struct negative *neg;
	long nr_neg;
	struct session *sessions;
	long bytes;
	bool leaks;			/* keeps a session per miss */
	long hits, misses, evicted, neg_trimmed, put_failed, flushes;
	size_t value_max;		/* PUT sizes: 1 .. value_max bytes */
	unsigned keys;			/* distinct keys it uses */
};

static struct tenant tenants[NR_TENANTS] = {
	{ .name = "web", .value_max = 2048, .keys = 4000 },
	{ .name = "api", .value_max = 1024, .keys = 6000 },
	{ .name = "auth", .value_max = 512, .keys = 2000 },
	{ .name = "batch", .value_max = 65536, .keys = 50000, .leaks = true },
};

static uint64_t virtual_ns;
static uint64_t clock_now(void *priv) { return virtual_ns; }
static void clock_sleep(void *priv, uint64_t ns) { virtual_ns += ns; }
static const struct memcg_clock_ops virtual_clock = { clock_now, clock_sleep };

/* Unlink @e from its chain and give back its memory. */
static void entry_free(struct entry *e)
{
	struct tenant *t = e->t;
	struct entry **p = &t->buckets[e->key % NR_BUCKETS];

	while (*p != e)
		p = &(*p)->next;
	*p = e->next;
	t->bytes -= (long)e->size;
	memcg_obj_uncharge(t->objcg, sizeof(*e) + e->size, 0);
	free(e);
}

static int entry_evict(struct memcg_lru_unit *u)
{
	struct entry *e = (struct entry *)u;

	e->t->evicted++;
	entry_free(e);
	return 0;
}

static const struct memcg_lru_ops entry_ops = { .evict = entry_evict };

static struct entry *lookup(struct tenant *t, uint64_t key)
{
	struct entry *e = t->buckets[key % NR_BUCKETS];

	while (e && e->key != key)
		e = e->next;
	return e;
}

static void put(struct tenant *t, uint64_t key, size_t size)
{
	struct entry *e = lookup(t, key);

	if (e) {
		memcg_lru_del(&e->lru);
		entry_free(e);
	}
	e = malloc(sizeof(*e) + size);
	if (!e || memcg_obj_charge(t->objcg, sizeof(*e) + size, 0)) {
		free(e);		/* over the limit even after reclaim */
		t->put_failed++;
		return;
	}
	*e = (struct entry){ .t = t, .key = key, .size = size };
	memset(e->value, (int)key, size);
	e->next = t->buckets[key % NR_BUCKETS];
	t->buckets[key % NR_BUCKETS] = e;
	t->bytes += (long)size;
	memcg_lru_add(t->memcg, &e->lru, sizeof(*e) + size, &entry_ops);
}

static void remember_absent(struct tenant *t, uint64_t key)
{
	struct negative *n = malloc(sizeof(*n));

	if (!n || memcg_obj_charge(t->objcg, sizeof(*n), MEMCG_GFP_RECLAIMABLE)) {
		free(n);
		return;
	}
	n->key = key;
	n->next = t->neg;
	t->neg = n;
	t->nr_neg++;
}

static void open_session(struct tenant *t)
{
	struct session *s = malloc(sizeof(*s));

	if (!s || memcg_obj_charge(t->objcg, sizeof(*s), 0)) {
		free(s);
		return;
	}
	s->next = t->sessions;
	t->sessions = s;
	t->bytes += (long)sizeof(*s);
}

/* --- the negative cache's shrinker --- */

static struct tenant *tenant_of(struct mem_cgroup *memcg)
{
	int i;

	for (i = 0; i < NR_TENANTS; i++)
		if (tenants[i].memcg == memcg)
			return &tenants[i];
	return NULL;
}

static unsigned long neg_count(void *priv, struct memcg_shrink_control *sc)
{
	struct tenant *t = tenant_of(sc->memcg);

	return t && t->nr_neg ? (unsigned long)t->nr_neg : MEMCG_SHRINK_EMPTY;
}

static unsigned long neg_scan(void *priv, struct memcg_shrink_control *sc)
{
	struct tenant *t = tenant_of(sc->memcg);
	unsigned long n = 0;

	while (t && t->neg && n < sc->nr_to_scan) {
		struct negative *neg = t->neg;

		t->neg = neg->next;
		memcg_obj_uncharge(t->objcg, sizeof(*neg), MEMCG_GFP_RECLAIMABLE);
		free(neg);
		t->nr_neg--;
		t->neg_trimmed++;
		n++;
	}
	return n;
}

static const struct memcg_shrinker_ops neg_ops = {
	.count_objects = neg_count,
	.scan_objects = neg_scan,
	.seeks = MEMCG_DEFAULT_SEEKS,
	.flags = MEMCG_SHRINKER_MEMCG_AWARE,
};

/* --- OOM: the engine may pick a tenant; we flush its entries --- */

static const struct memcg_victim_ops tenant_ops;

static long tenant_badness(void *priv)
{
	struct tenant *t = priv;

	return t->bytes / 4096;
}

static void flush(struct tenant *t)
{
	int b;

	while (t->sessions) {
		struct session *s = t->sessions;

		t->sessions = s->next;
		t->bytes -= (long)sizeof(*s);
		memcg_obj_uncharge(t->objcg, sizeof(*s), 0);
		free(s);
	}

	for (b = 0; b < NR_BUCKETS; b++)
		while (t->buckets[b]) {
			struct entry *e = t->buckets[b];

			if (memcg_lru_del(&e->lru))
				break;	/* being evicted right now */
			entry_free(e);
		}
}

static void tenant_kill(void *priv)
{
	struct tenant *t = priv;

	t->flushes++;
	flush(t);
	/* the tenant lives on, empty: make it killable again */
	memcg_victim_unregister(t->victim);
	memcg_victim_register(t->memcg, &tenant_ops, t, &t->victim);
}

static const struct memcg_victim_ops tenant_ops = {
	.badness_pages = tenant_badness,
	.kill = tenant_kill,
};

static long stat_of(struct mem_cgroup *m, const char *file, const char *key)
{
	char buf[4096], *p;
	size_t len = strlen(key);

	if (memcg_read(m, file, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ' ')
			return atol(p + len + 1);
	return atol(buf);	/* a single-value file */
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int main(void)
{
	struct memcg_engine *eng;
	struct mem_cgroup *cache;
	struct memcg_shrinker *shrinker;
	uint64_t seed = 42;
	char path[64];
	long op;
	int i;

	if (memcg_engine_create(NULL, &eng) ||
	    memcg_set_clock(eng, &virtual_clock, NULL) ||
	    memcg_mkdir(eng, "cache", &cache) ||
	    memcg_write(cache, "memory.max", "64M") ||
	    memcg_shrinker_register(eng, &neg_ops, NULL, &shrinker))
		return 1;
	for (i = 0; i < NR_TENANTS; i++) {
		struct tenant *t = &tenants[i];

		snprintf(path, sizeof(path), "cache/%s", t->name);
		if (memcg_mkdir(eng, path, &t->memcg) ||
		    memcg_write(t->memcg, "memory.high", "12M") ||
		    memcg_write(t->memcg, "memory.max", "16M") ||
		    memcg_victim_register(t->memcg, &tenant_ops, t, &t->victim))
			return 1;
		t->objcg = memcg_objcg_get(t->memcg);
	}
	for (op = 0; op < NR_OPS; op++) {
		struct tenant *t = &tenants[next_rand(&seed) % NR_TENANTS];
		uint64_t r = next_rand(&seed);
		/* skewed keys: low ones are hot */
		uint64_t key = (r % t->keys) * (r % t->keys) / t->keys;
		struct entry *e = lookup(t, key);

		if (e) {
			t->hits++;
			memcg_lru_touch(&e->lru);
		} else {
			t->misses++;
			if (t->leaks)
				open_session(t);
			if (r % 8 == 0)
				remember_absent(t, key);
			else
				put(t, key, 1 + (next_rand(&seed) % t->value_max));
		}
	}
	printf("%-6s %7s %7s %8s %8s %9s %6s %6s %8s %7s %8s\n", "tenant",
	       "hits", "misses", "evicted", "neg_trim", "current", "high",
	       "max", "oom_kill", "flushes", "put_fail");
	for (i = 0; i < NR_TENANTS; i++) {
		struct tenant *t = &tenants[i];

		printf("%-6s %7ld %7ld %8ld %8ld %8ldK %6ld %6ld %8ld %7ld "
		       "%8ld\n", t->name, t->hits, t->misses, t->evicted,
		       t->neg_trimmed,
		       stat_of(t->memcg, "memory.current", "") / 1024,
		       stat_of(t->memcg, "memory.events", "high"),
		       stat_of(t->memcg, "memory.events", "max"),
		       stat_of(t->memcg, "memory.events", "oom_kill"),
		       t->flushes, t->put_failed);
	}
	printf("cache: memory.current %ldK of 64M; throttled %.1f s in "
	       "memory.high penalties\n",
	       stat_of(cache, "memory.current", "") / 1024, virtual_ns / 1e9);
	for (i = 0; i < NR_TENANTS; i++) {
		struct tenant *t = &tenants[i];

		flush(t);
		while (t->neg) {
			struct negative *n = t->neg;

			t->neg = n->next;
			memcg_obj_uncharge(t->objcg, sizeof(*n), MEMCG_GFP_RECLAIMABLE);
			free(n);
		}
		memcg_victim_unregister(t->victim);
		memcg_objcg_put(t->objcg);
		memcg_put(t->memcg);
	}
	memcg_shrinker_unregister(shrinker);
	memcg_put(cache);
	memcg_engine_destroy(eng);
	return 0;
}
