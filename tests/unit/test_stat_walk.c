// SPDX-License-Identifier: MIT
/*
 * memcg_page_state_many(): the sums of one subtree walk equal the sums of
 * one walk per item, and memory.stat shows them, on a random tree with
 * charges, frees, swap-outs, events on every CPU and off the per-CPU path,
 * and removed cgroups whose stats were folded into their parents
 * (stat_dead), in v2 and v1.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/memcontrol.h"
#include "core/rstat.h"

#define NR_CPUS 4
#define HUGE_ORDER 3
#define MAX_CGROUPS 32
#define MAX_DEPTH 4
#define MAX_FOLIOS 512
#define MAX_ENTRIES 1024
#define NR_OPS 3000

struct cgroup_slot {
	struct mem_cgroup *memcg;	/* our handle */
	char path[64];
	int depth;
	bool online;
};

struct world {
	struct memcg_engine *e;
	uint64_t rng;
	struct cgroup_slot cg[MAX_CGROUPS];
	int nr_cg, next_name;
	struct folio *folios[MAX_FOLIOS];	/* one reference each */
	int nr_folios;
	memcg_swp_entry_t entries[MAX_ENTRIES];
	int nr_entries;
	bool saw_dead;			/* some stat_dead was nonzero */
	long nr_mkdir, nr_freed, nr_charged, nr_swapped, max_cg;
};

static uint64_t rnd(struct world *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static unsigned pick(struct world *w, unsigned n)
{
	return (unsigned)(rnd(w) % n);
}

/* An online cgroup, or the root. */
static struct mem_cgroup *random_online(struct world *w)
{
	int i = (int)pick(w, (unsigned)w->nr_cg + 1) - 1;

	if (i < 0 || !w->cg[i].online)
		return memcg_root(w->e);
	return w->cg[i].memcg;
}

/* The reference: one walk per item, summing the fields directly. */
static long ref_local(struct mem_cgroup *m, enum memcg_stat_item idx)
{
	long sum = atomic_load(&m->stat_shared[idx]);
	unsigned cpu;

	for (cpu = 0; cpu < m->engine->nr_cpus; cpu++)
		sum += atomic_load(&m->pcpu[cpu].stat[idx]);
	return sum;
}

/* Call with rcu_read_lock held. */
static long ref_subtree(struct world *w, struct mem_cgroup *m,
			enum memcg_stat_item idx)
{
	long dead = atomic_load(&m->stat_dead[idx]);
	long sum = ref_local(m, idx) + dead;
	struct mem_cgroup *c;

	if (dead)
		w->saw_dead = true;
	cds_list_for_each_entry_rcu(c, &m->children, sibling)
		sum += ref_subtree(w, c, idx);
	return sum;
}

static long ref_state(struct world *w, struct mem_cgroup *m,
		      enum memcg_stat_item idx)
{
	long sum;

	rcu_read_lock();
	sum = ref_subtree(w, m, idx);
	rcu_read_unlock();
	return sum;
}

/* Every item in order, then a random list with repeats. */
static void check_sums(struct world *w, struct mem_cgroup *m)
{
	enum memcg_stat_item items[MEMCG_NR_STAT * 2];
	long out[MEMCG_NR_STAT * 2];
	size_t i, n;

	for (i = 0; i < MEMCG_NR_STAT; i++)
		items[i] = (enum memcg_stat_item)i;
	memcg_page_state_many(m, items, MEMCG_NR_STAT, out);
	for (i = 0; i < MEMCG_NR_STAT; i++) {
		assert_int_equal(out[i], ref_state(w, m, items[i]));
		assert_int_equal(out[i], memcg_page_state(m, items[i]));
	}
	n = pick(w, MEMCG_NR_STAT * 2 + 1);
	for (i = 0; i < n; i++)
		items[i] = (enum memcg_stat_item)pick(w, MEMCG_NR_STAT);
	memcg_page_state_many(m, items, n, out);
	for (i = 0; i < n; i++)
		assert_int_equal(out[i], ref_state(w, m, items[i]));
}

/* memory.stat keys that show a hierarchical item; bytes: pages * 4K. */
struct stat_key {
	const char *name;
	enum memcg_stat_item idx;
	bool pages;
};

static const struct stat_key v2_keys[] = {
	{ "anon", MEMCG_ANON, true }, { "file", MEMCG_FILE, true },
	{ "kernel", MEMCG_KERNEL, true }, { "sock", MEMCG_SOCK, true },
	{ "shmem", MEMCG_SHMEM, true },
	{ "swapcached", MEMCG_SWAPCACHE, true },
	{ "anon_thp", MEMCG_ANON_THP, true },
	{ "file_thp", MEMCG_FILE_THP, true },
	{ "shmem_thp", MEMCG_SHMEM_THP, true },
	{ "slab_reclaimable", MEMCG_SLAB_RECLAIMABLE, false },
	{ "slab_unreclaimable", MEMCG_SLAB_UNRECLAIMABLE, false },
	{ "pgscan", MEMCG_PGSCAN, false }, { "pgsteal", MEMCG_PGSTEAL, false },
	{ "pswpin", MEMCG_PSWPIN, false }, { "pswpout", MEMCG_PSWPOUT, false },
	{ "pgfault", MEMCG_PGFAULT, false },
	{ "pgmajfault", MEMCG_PGMAJFAULT, false },
	{ "pgrefill", MEMCG_PGREFILL, false },
	{ "pgactivate", MEMCG_PGACTIVATE, false },
	{ "pgdeactivate", MEMCG_PGDEACTIVATE, false },
};

static const struct stat_key v1_keys[] = {
	{ "total_cache", MEMCG_FILE, true }, { "total_rss", MEMCG_ANON, true },
	{ "total_rss_huge", MEMCG_ANON_THP, true },
	{ "total_shmem", MEMCG_SHMEM, true }, { "total_swap", MEMCG_SWAP, true },
	{ "total_swapcached", MEMCG_SWAPCACHE, true },
	{ "total_pgpgin", MEMCG_PGPGIN, false },
	{ "total_pgpgout", MEMCG_PGPGOUT, false },
};

static long long key_value(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p;

	for (p = text; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, key, len) && p[len] == ' ')
			return atoll(p + len + 1);
		assert_non_null(strchr(p, '\n'));
	}
	fail_msg("no %s in memory.stat", key);
	return -1;
}

static long long shown(long v, bool pages)
{
	return pages ? v * (long long)MEMCG_PAGE_SIZE : v;
}

/* The readers: memory.stat, and v1's root usage from the stats. */
static void check_files(struct world *w, struct mem_cgroup *m)
{
	const struct stat_key *keys = w->e->v1 ? v1_keys : v2_keys;
	size_t i, n = w->e->v1 ? sizeof(v1_keys) / sizeof(v1_keys[0]) :
				 sizeof(v2_keys) / sizeof(v2_keys[0]);
	static char buf[8192];
	long usage;

	assert_true(memcg_read(m, "memory.stat", buf, sizeof(buf)) > 0);
	for (i = 0; i < n; i++)
		assert_int_equal(key_value(buf, keys[i].name),
				 shown(ref_state(w, m, keys[i].idx), keys[i].pages));
	if (!w->e->v1 || !mem_cgroup_is_root(m))
		return;
	usage = ref_state(w, m, MEMCG_FILE) + ref_state(w, m, MEMCG_ANON);
	assert_true(memcg_read(m, "memory.usage_in_bytes", buf, sizeof(buf)) > 0);
	assert_int_equal(atoll(buf), shown(usage, true));
	usage += ref_state(w, m, MEMCG_SWAP);
	assert_true(memcg_read(m, "memory.memsw.usage_in_bytes", buf,
			       sizeof(buf)) > 0);
	assert_int_equal(atoll(buf), shown(usage, true));
}

static void check_all(struct world *w)
{
	int i;

	check_sums(w, memcg_root(w->e));
	check_files(w, memcg_root(w->e));
	for (i = 0; i < w->nr_cg; i++) {
		check_sums(w, w->cg[i].memcg);
		if (w->cg[i].online)	/* else -ENODEV: the directory is gone */
			check_files(w, w->cg[i].memcg);
	}
}

static void op_mkdir(struct world *w)
{
	int parent = (int)pick(w, (unsigned)w->nr_cg + 1) - 1;
	struct cgroup_slot *c = &w->cg[w->nr_cg];

	if (w->nr_cg >= MAX_CGROUPS)
		return;
	if (parent >= 0 && (!w->cg[parent].online ||
			    w->cg[parent].depth >= MAX_DEPTH))
		return;
	if (parent < 0) {
		snprintf(c->path, sizeof(c->path), "g%d", w->next_name++);
	} else {
		char ppath[64];

		memcpy(ppath, w->cg[parent].path, sizeof(ppath));
		snprintf(c->path, sizeof(c->path), "%.40s/g%d", ppath,
			 w->next_name++);
	}
	c->depth = parent < 0 ? 1 : w->cg[parent].depth + 1;
	assert_int_equal(memcg_mkdir(w->e, c->path, &c->memcg), 0);
	c->online = true;
	w->nr_cg++;
	w->nr_mkdir++;
	if (w->nr_cg > w->max_cg)
		w->max_cg = w->nr_cg;
}

static bool has_online_child(struct world *w, int i)
{
	size_t len = strlen(w->cg[i].path);
	int j;

	for (j = 0; j < w->nr_cg; j++)
		if (j != i && w->cg[j].online &&
		    !strncmp(w->cg[j].path, w->cg[i].path, len) &&
		    w->cg[j].path[len] == '/')
			return true;
	return false;
}

/* Remove a leaf; or drop the handle on a removed one, which frees it. */
static void op_rmdir(struct world *w)
{
	int i;

	if (!w->nr_cg)
		return;
	i = (int)pick(w, (unsigned)w->nr_cg);
	if (!w->cg[i].online) {
		memcg_put(w->cg[i].memcg);
		w->cg[i] = w->cg[--w->nr_cg];
		w->nr_freed++;
		return;
	}
	if (has_online_child(w, i))
		return;
	assert_int_equal(memcg_rmdir(w->e, w->cg[i].path), 0);
	w->cg[i].online = false;
}

static void op_charge(struct world *w)
{
	unsigned order = pick(w, 8) ? 0 : HUGE_ORDER;
	struct folio *folio;

	if (w->nr_folios >= MAX_FOLIOS)
		return;
	folio = memcg_folio_alloc(w->e, (enum memcg_folio_type)pick(w, 4),
				  order);
	if (!folio)
		return;
	assert_int_equal(memcg_charge(w->e, folio, random_online(w),
				      MEMCG_GFP_KERNEL), 0);
	w->folios[w->nr_folios++] = folio;
	w->nr_charged++;
}

static void op_put(struct world *w)
{
	int i;

	if (!w->nr_folios)
		return;
	i = (int)pick(w, (unsigned)w->nr_folios);
	memcg_folio_put(w->e, w->folios[i]);
	w->folios[i] = w->folios[--w->nr_folios];
}

static void op_swap_out(struct world *w)
{
	memcg_swp_entry_t entry;
	struct folio *folio;
	long j, nr;
	int i;

	if (!w->nr_folios)
		return;
	i = (int)pick(w, (unsigned)w->nr_folios);
	folio = w->folios[i];
	nr = folio_nr_pages(folio);
	if ((folio_type(folio) != FOLIO_ANON &&
	     folio_type(folio) != FOLIO_SHMEM) ||
	    w->nr_entries + nr > MAX_ENTRIES ||
	    memcg_swap_out(w->e, folio, &entry))
		return;
	for (j = 0; j < nr; j++)
		w->entries[w->nr_entries++] =
			(memcg_swp_entry_t){ entry.val + (uint32_t)j };
	w->folios[i] = w->folios[--w->nr_folios];
	w->nr_swapped++;
}

static void op_swap_free(struct world *w)
{
	int k;

	if (!w->nr_entries)
		return;
	k = (int)pick(w, (unsigned)w->nr_entries);
	assert_int_equal(memcg_swap_free(w->e, w->entries[k]), 0);
	w->entries[k] = w->entries[--w->nr_entries];
}

/* An event item on any live cgroup: on a CPU's area or the shared atomic. */
static void op_event(struct world *w)
{
	enum memcg_stat_item idx = (enum memcg_stat_item)
		(MEMCG_PGPGIN + pick(w, MEMCG_PGDEACTIVATE - MEMCG_PGPGIN + 1));
	int i = (int)pick(w, (unsigned)w->nr_cg + 1) - 1;
	struct mem_cgroup *m = i < 0 ? memcg_root(w->e) : w->cg[i].memcg;
	long val = 1 + (long)pick(w, 100);
	unsigned cpu = pick(w, NR_CPUS + 1);

	if (cpu == NR_CPUS) {
		mod_memcg_state_shared(m, idx, val);
	} else
		mod_memcg_state_local(m, cpu, idx, val);
}

static void run_op(struct world *w)
{
	unsigned op = pick(w, 100);

	if (op < 30)
		op_charge(w);
	else if (op < 45)
		op_put(w);
	else if (op < 55)
		op_swap_out(w);
	else if (op < 62)
		op_swap_free(w);
	else if (op < 75)
		op_event(w);
	else if (op < 85)
		op_mkdir(w);
	else if (op < 93)
		op_rmdir(w);
	else if (op < 96)
		memcg_drain_all_stock(random_online(w));
	else
		memcg_set_cpu((int)pick(w, NR_CPUS));
}

static void teardown_world(struct world *w)
{
	bool removed = true;
	int i;

	while (w->nr_folios)
		op_put(w);
	while (w->nr_entries)
		op_swap_free(w);
	while (removed) {
		removed = false;
		for (i = 0; i < w->nr_cg; i++) {
			if (!w->cg[i].online || has_online_child(w, i))
				continue;
			assert_int_equal(memcg_rmdir(w->e, w->cg[i].path), 0);
			w->cg[i].online = false;
			removed = true;
		}
	}
	for (i = 0; i < w->nr_cg; i++)
		memcg_put(w->cg[i].memcg);
	w->nr_cg = 0;
	memcg_drain_all_stock(memcg_root(w->e));
	check_all(w);
	assert_int_equal(atomic_load(&w->e->nr_memcgs), 1);
}

static void run(enum memcg_mode mode)
{
	struct world *w = calloc(1, sizeof(*w));
	struct memcg_config cfg;
	int i;

	assert_non_null(w);
	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 8 << 20;
	cfg.nr_cpus = NR_CPUS;
	cfg.huge_order = HUGE_ORDER;
	cfg.deterministic = true;
	assert_int_equal(memcg_engine_create(&cfg, &w->e), 0);
	assert_int_equal(memcg_swapon(w->e, NULL, 4 << 20), 0);
	w->rng = 0x2545f4914f6cdd1dULL;
	memcg_set_cpu(0);
	for (i = 0; i < NR_OPS; i++) {
		run_op(w);
		if (i % 16 == 0)
			check_all(w);
	}
	check_all(w);
	teardown_world(w);
	assert_true(w->saw_dead);
	printf("%ld mkdirs (up to %ld cgroups), %ld freed, %ld charges, "
	       "%ld swap-outs\n", w->nr_mkdir, w->max_cg, w->nr_freed,
	       w->nr_charged, w->nr_swapped);
	memcg_engine_destroy(w->e);
	memcg_set_cpu(-1);
	free(w);
}

static void test_stat_walk_v2(void **state)
{
	(void)state;
	run(MEMCG_MODE_V2);
}

static void test_stat_walk_v1(void **state)
{
	(void)state;
	run(MEMCG_MODE_V1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_walk_v2),
		cmocka_unit_test(test_stat_walk_v1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
