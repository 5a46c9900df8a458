// SPDX-License-Identifier: MIT
/*
 * Embedding libmemcg: a tenant's cache entries on its cgroup's LRU, a
 * 1 MiB memory.max, and reclaim evicting the oldest entries when a new
 * one does not fit. The README's "Embedding" section shows this program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <memcg/memcg.h>
#include <memcg/hooks.h>

struct entry {
	struct memcg_lru_unit lru;	/* first: evict gets &entry->lru */
	struct obj_cgroup *objcg;
	char data[4000];
};

static int evicted;

static int entry_evict(struct memcg_lru_unit *u)
{
	struct entry *e = (struct entry *)u;

	memcg_obj_uncharge(e->objcg, sizeof(*e), 0);
	free(e);
	evicted++;
	return 0;
}

static const struct memcg_lru_ops entry_ops = { .evict = entry_evict };

int main(void)
{
	struct memcg_engine *eng;
	struct mem_cgroup *tenant;
	struct obj_cgroup *objcg;
	char buf[64];
	int i;

	if (memcg_engine_create(NULL, &eng) ||
	    memcg_mkdir(eng, "tenant", &tenant) ||
	    memcg_write(tenant, "memory.max", "1M"))
		return 1;
	objcg = memcg_objcg_get(tenant);
	for (i = 0; i < 1000; i++) {		/* 4 MB through a 1 MiB limit */
		struct entry *e = calloc(1, sizeof(*e));

		if (!e || memcg_obj_charge(objcg, sizeof(*e), 0)) {
			free(e);			/* even reclaim found no room */
			continue;
		}
		e->objcg = objcg;
		memcg_lru_add(tenant, &e->lru, sizeof(*e), &entry_ops);
	}
	memcg_read(tenant, "memory.current", buf, sizeof(buf));
	printf("evicted %d of 1000 entries, memory.current %s", evicted, buf);
	/* at exit: evict the rest (-EAGAIN once nothing is left) */
	while (memcg_write(tenant, "memory.reclaim", "1M") == 0)
		;
	memcg_objcg_put(objcg);
	memcg_put(tenant);
	memcg_engine_destroy(eng);
	return 0;
}
