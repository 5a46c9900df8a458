// SPDX-License-Identifier: MIT
/*
 * The embedding hooks' costs, each against a baseline in the same run:
 *
 *   a  a reclaim pass over 1,000,000 host LRU units of 4 KiB that frees
 *      10% (memory.reclaim), against the floor: walking the same number
 *      of units off a plain intrusive list and calling the same evict
 *   b  shrink_slab over one memcg-aware shrinker, per call, against
 *      calling count_objects directly
 *
 *   build-bench/bench/bench_hooks [a|b]...
 */
#include <errno.h>
#include <stdint.h>

#include "bench_util.h"
#include "memcg/hooks.h"
#include "mm/shrinker.h"

#define NR_UNITS 1000000L
#define UNIT_BYTES 4096
#define RUNS 5

struct unit {
	struct memcg_lru_unit lru;
	struct unit *next;		/* the baseline's list */
	struct obj_cgroup *objcg;
	bool live;
};

static long evicted;

static int unit_evict(struct memcg_lru_unit *u)
{
	struct unit *it = (struct unit *)u;

	memcg_obj_uncharge(it->objcg, UNIT_BYTES, 0);
	it->live = false;
	evicted++;
	return 0;
}

static const struct memcg_lru_ops unit_ops = { .evict = unit_evict };

static struct memcg_engine *engine(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.dataless = true;
	if (memcg_engine_create(&cfg, &e))
		exit(1);
	return e;
}

static void fill(struct mem_cgroup *m, struct obj_cgroup *objcg,
		 struct unit *units)
{
	long i;

	for (i = 0; i < NR_UNITS; i++) {
		units[i].objcg = objcg;
		if (memcg_obj_charge(objcg, UNIT_BYTES, 0) ||
		    memcg_lru_add(m, &units[i].lru, UNIT_BYTES, &unit_ops))
			exit(1);
		units[i].live = true;
	}
}

static void empty(struct unit *units)
{
	long i;

	for (i = 0; i < NR_UNITS; i++)
		if (units[i].live) {
			memcg_lru_del(&units[i].lru);
			memcg_obj_uncharge(units[i].objcg, UNIT_BYTES, 0);
			units[i].live = false;
		}
}

/* The floor: unlink NR_UNITS / 10 from a list and evict each. */
static double baseline_pass(struct unit *units, struct obj_cgroup *objcg)
{
	struct unit *head = NULL, *u;
	double t0;
	long i, n = NR_UNITS / 10;

	for (i = 0; i < NR_UNITS; i++) {
		memcg_obj_charge(objcg, UNIT_BYTES, 0);
		units[i].live = true;
		units[i].next = head;
		head = &units[i];
	}
	t0 = now_ns();
	for (i = 0; i < n && head; i++) {
		u = head;
		head = u->next;
		unit_evict(&u->lru);
	}
	t0 = now_ns() - t0;
	for (u = head; u; u = u->next)
		unit_evict(&u->lru);
	return t0;
}

static void bench_reclaim(void)
{
	struct memcg_engine *e = engine();
	struct unit *units = calloc(NR_UNITS, sizeof(*units));
	double eng[RUNS], base[RUNS];
	struct obj_cgroup *objcg;
	struct mem_cgroup *m;
	struct load_mark lm, lm2;
	long by_reclaim = 0;
	char size[32];
	int r;

	if (!units || memcg_mkdir(e, "A", &m))
		exit(1);
	objcg = memcg_objcg_get(m);
	snprintf(size, sizeof(size), "%ld", NR_UNITS / 10 * UNIT_BYTES);
	load_mark(&lm);
	for (r = 0; r < RUNS; r++) {
		double t0;

		fill(m, objcg, units);
		evicted = 0;
		t0 = now_ns();
		if (memcg_write(m, "memory.reclaim", size))
			exit(1);
		eng[r] = now_ns() - t0;
		by_reclaim = evicted;
		if (evicted < NR_UNITS / 10)
			exit(1);
		empty(units);
		base[r] = baseline_pass(units, objcg);
	}
	printf("a: reclaim 10%% of %ld host LRU units of 4 KiB (%ld evicted "
	       "by the last pass)\n", NR_UNITS, by_reclaim);
	printf("   memory.reclaim    %8.2f ms (median of %d)\n",
	       median(eng, RUNS) / 1e6, RUNS);
	printf("   baseline list     %8.2f ms   ratio %.2fx\n",
	       median(base, RUNS) / 1e6, median(eng, RUNS) / median(base, RUNS));
	load_mark(&lm2);
	printf("   other load on the machine: %.2f CPUs\n", other_cpus(&lm, &lm2));
	memcg_objcg_put(objcg);
	memcg_put(m);
	memcg_engine_destroy(e);
	free(units);
}

static unsigned long count(void *priv, struct memcg_shrink_control *sc)
{
	return 1000;
}

static unsigned long scan(void *priv, struct memcg_shrink_control *sc)
{
	return sc->nr_to_scan;
}

static const struct memcg_shrinker_ops ops = {
	.count_objects = count, .scan_objects = scan,
	.seeks = MEMCG_DEFAULT_SEEKS, .flags = MEMCG_SHRINKER_MEMCG_AWARE,
};

static void bench_shrink_slab(void)
{
	struct memcg_engine *e = engine();
	struct memcg_shrink_control sc = { 0 };
	struct memcg_shrinker *s;
	struct mem_cgroup *m;
	volatile unsigned long sink = 0;
	double t0, t_slab, t_base;
	long i, n = 2000000;

	if (memcg_mkdir(e, "A", &m) || memcg_shrinker_register(e, &ops, NULL, &s))
		exit(1);
	sc.memcg = m;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		sink += shrink_slab(m, 0, 12);	/* counts, defers */
	t_slab = now_ns() - t0;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		sink += ops.count_objects(NULL, &sc);
	t_base = now_ns() - t0;
	printf("b: shrink_slab at priority 12, one shrinker\n");
	printf("   shrink_slab       %8.2f ns per call\n", t_slab / n);
	printf("   count_objects     %8.2f ns per call   ratio %.1fx\n",
	       t_base / n, t_slab / t_base);
	memcg_shrinker_unregister(s);
	memcg_put(m);
	memcg_engine_destroy(e);
	(void)sink;
}

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "ab";

	if (strchr(which, 'a'))
		bench_reclaim();
	if (strchr(which, 'b'))
		bench_shrink_slab();
	return 0;
}
