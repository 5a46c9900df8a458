// SPDX-License-Identifier: MIT
/*
 * A randomized test: 1,000,000 operations (v2; 300,000 more each in v1 and
 * under the kernel destruction policy) (charge, put, batch put,
 * migrate, replace, split, move, mkdir, rmdir, drain, limits, CPU
 * changes, swap-out, swap-in, swap cache, slot free, write faults) on a
 * small engine, with the auditor after every one, a fixed
 * seed (MEMCG_SEED picks another), and a teardown that must leave every counter at zero and every
 * cgroup released. MEMCG_RANDOM_OPS overrides the count.
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

#include "audit.h"
#include "seed.h"

#define NR_CPUS 3
#define HUGE_ORDER 4
#define MAX_FOLIOS 1024
#define MAX_CGROUPS 16
#define MAX_DEPTH 4
#define MAX_ENTRIES 256

/* The engine configuration a run uses. */
struct variant {
	enum memcg_mode mode;
	enum memcg_policy policy;
	long nr_ops;			/* unless MEMCG_RANDOM_OPS says */
};

struct held_folio {
	struct folio *folio;
	int refs;			/* references the test holds */
	memcg_swp_entry_t cached;	/* its swap-cache entry, or 0 */
};

struct cgroup_slot {
	struct mem_cgroup *memcg;	/* our handle; NULL when dropped */
	char path[64];
	int depth;
	bool online;
};

struct world {
	struct memcg_engine *e;
	uint64_t rng;
	struct held_folio folios[MAX_FOLIOS];
	int nr_folios;
	struct cgroup_slot cg[MAX_CGROUPS];
	int nr_cg;
	int next_name;
	memcg_swp_entry_t entries[MAX_ENTRIES];	/* one page-table ref each */
	int nr_entries;
	long stats[16];
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

static void audit(struct world *w)
{
	struct audit_hold holds[MAX_CGROUPS];
	int i;

	for (i = 0; i < w->nr_cg; i++)
		holds[i] = (struct audit_hold){ w->cg[i].memcg, 1 };
	assert_int_equal(memcg_audit(w->e, holds, (size_t)w->nr_cg), 0);
}

static struct mem_cgroup *random_memcg(struct world *w)
{
	unsigned i = pick(w, (unsigned)w->nr_cg + 1);

	return i == (unsigned)w->nr_cg ? memcg_root(w->e) : w->cg[i].memcg;
}

static void add_folio(struct world *w, struct folio *folio, int refs)
{
	assert_true(w->nr_folios < MAX_FOLIOS);
	w->folios[w->nr_folios++] = (struct held_folio){ folio, refs, { 0 } };
}

static void remove_folio(struct world *w, int i)
{
	w->folios[i] = w->folios[--w->nr_folios];
}

static void op_charge(struct world *w)
{
	unsigned order = pick(w, 10) ? 0 : HUGE_ORDER;
	struct folio *folio;
	struct mem_cgroup *m;
	int ret;

	if (w->nr_folios >= MAX_FOLIOS - (1 << HUGE_ORDER))
		return;
	folio = memcg_folio_alloc(w->e, (enum memcg_folio_type)pick(w, 4), order);
	if (!folio)
		return;
	m = random_memcg(w);
	ret = memcg_charge(w->e, folio, m,
			   pick(w, 20) ? MEMCG_GFP_KERNEL : MEMCG_GFP_NOFAIL);
	if (ret) {
		assert_int_equal(ret, -ENOMEM);
		assert_null(memcg_folio_memcg(w->e, folio));
		memcg_folio_put(w->e, folio);
		w->stats[0]++;
		return;
	}
	assert_ptr_equal(memcg_folio_memcg(w->e, folio), m);
	add_folio(w, folio, 1);
	w->stats[1]++;
}

/* Before the test's last reference goes, take it out of the swap cache. */
static void uncache_before_last_put(struct world *w, int i)
{
	if (w->folios[i].refs > 1 || !w->folios[i].cached.val)
		return;
	assert_int_equal(memcg_folio_free_swap(w->e, w->folios[i].folio,
					       w->folios[i].cached), 0);
	w->folios[i].cached.val = 0;
}

static void op_put(struct world *w)
{
	int i;

	if (!w->nr_folios)
		return;
	i = (int)pick(w, (unsigned)w->nr_folios);
	uncache_before_last_put(w, i);
	memcg_folio_put(w->e, w->folios[i].folio);
	if (!--w->folios[i].refs)
		remove_folio(w, i);
}

static void op_get(struct world *w)
{
	int i;

	if (!w->nr_folios)
		return;
	i = (int)pick(w, (unsigned)w->nr_folios);
	if (w->folios[i].refs >= 3)
		return;
	memcg_folio_get(w->e, w->folios[i].folio);
	w->folios[i].refs++;
}

/* Put the last @n folios (one reference each) in one batch. */
static void op_batch_put(struct world *w)
{
	struct folio *batch[32];
	int i, n = (int)pick(w, 32) + 1;

	if (n > w->nr_folios)
		n = w->nr_folios;
	for (i = 0; i < n; i++) {
		int j = w->nr_folios - 1 - i;

		uncache_before_last_put(w, j);
		batch[i] = w->folios[j].folio;
		w->folios[j].refs--;
	}
	memcg_folios_put(w->e, batch, (size_t)n);
	for (i = w->nr_folios - 1; i >= 0; i--)
		if (!w->folios[i].refs)
			remove_folio(w, i);
}

/* A folio the test holds alone and that is not in the swap cache, or -1. */
static int exclusive_folio(struct world *w)
{
	int i;

	if (!w->nr_folios)
		return -1;
	i = (int)pick(w, (unsigned)w->nr_folios);
	return w->folios[i].refs == 1 && !w->folios[i].cached.val ? i : -1;
}

static struct folio *alloc_like(struct world *w, struct folio *old)
{
	return memcg_folio_alloc(w->e, (enum memcg_folio_type)folio_type(old),
				 folio_order(old));
}

static void op_migrate(struct world *w)
{
	int i = exclusive_folio(w);
	struct mem_cgroup *m;
	struct folio *new;

	if (i < 0 || !(new = alloc_like(w, w->folios[i].folio)))
		return;
	m = memcg_folio_memcg(w->e, w->folios[i].folio);
	assert_int_equal(memcg_migrate(w->e, w->folios[i].folio, new), 0);
	assert_ptr_equal(memcg_folio_memcg(w->e, new), m);
	memcg_folio_put(w->e, w->folios[i].folio);
	w->folios[i].folio = new;
	w->stats[2]++;
}

static void op_replace(struct world *w)
{
	int i = exclusive_folio(w);
	struct folio *new;

	if (i < 0 || w->nr_folios >= MAX_FOLIOS - (1 << HUGE_ORDER) ||
	    !(new = alloc_like(w, w->folios[i].folio)))
		return;
	assert_int_equal(memcg_replace_folio(w->e, w->folios[i].folio, new), 0);
	assert_ptr_equal(memcg_folio_memcg(w->e, new),
			 memcg_folio_memcg(w->e, w->folios[i].folio));
	add_folio(w, new, 1);
	w->stats[7]++;
}

static void op_split(struct world *w)
{
	struct folio *pieces[1 << HUGE_ORDER];
	int i = exclusive_folio(w), j;

	if (i < 0 || folio_order(w->folios[i].folio) == 0)
		return;
	assert_int_equal(memcg_split_folio(w->e, w->folios[i].folio, pieces), 0);
	w->folios[i].folio = pieces[0];
	for (j = 1; j < 1 << HUGE_ORDER; j++)
		add_folio(w, pieces[j], 1);
	w->stats[3]++;
}

static void op_move(struct world *w)
{
	int i = exclusive_folio(w), ret;
	struct mem_cgroup *to = random_memcg(w), *from;

	if (i < 0 || !(from = memcg_folio_memcg(w->e, w->folios[i].folio)))
		return;
	ret = memcg_move_account(w->e, w->folios[i].folio, to);
	if (ret) {
		assert_int_equal(ret, -ENOMEM);
		assert_ptr_equal(memcg_folio_memcg(w->e, w->folios[i].folio), from);
	} else {
		assert_ptr_equal(memcg_folio_memcg(w->e, w->folios[i].folio), to);
		w->stats[4]++;
	}
}

static bool swappable(struct world *w, int i)
{
	enum folio_type t = folio_type(w->folios[i].folio);

	return (t == FOLIO_ANON || t == FOLIO_SHMEM) &&
	       w->nr_entries + folio_nr_pages(w->folios[i].folio) <= MAX_ENTRIES;
}

static void hold_entries(struct world *w, memcg_swp_entry_t first, long nr)
{
	long j;

	for (j = 0; j < nr; j++)
		w->entries[w->nr_entries++] =
			(memcg_swp_entry_t){ first.val + (uint32_t)j };
}

static void check_swap_error(int ret)
{
	assert_true(ret == -ENOSPC || ret == -ENOMEM || ret == -EIO);
}

static void op_swap_out(struct world *w)
{
	int i = exclusive_folio(w), ret;
	memcg_swp_entry_t entry;
	long nr;

	if (i < 0 || !swappable(w, i))
		return;
	nr = folio_nr_pages(w->folios[i].folio);
	ret = memcg_swap_out(w->e, w->folios[i].folio, &entry);
	if (ret) {
		check_swap_error(ret);
		return;
	}
	hold_entries(w, entry, nr);
	remove_folio(w, i);
	w->stats[8]++;
}

static void op_swap_alloc(struct world *w)
{
	int i = exclusive_folio(w), ret;

	if (i < 0 || !swappable(w, i))
		return;
	ret = memcg_swap_alloc(w->e, w->folios[i].folio, &w->folios[i].cached);
	if (ret)
		check_swap_error(ret);
}

/* A folio in the swap cache, or -1. */
static int cached_folio(struct world *w)
{
	int i;

	if (!w->nr_folios)
		return -1;
	i = (int)pick(w, (unsigned)w->nr_folios);
	return w->folios[i].cached.val ? i : -1;
}

static void op_free_swap(struct world *w)
{
	int i = cached_folio(w);

	if (i < 0)
		return;
	assert_int_equal(memcg_folio_free_swap(w->e, w->folios[i].folio,
					       w->folios[i].cached), 0);
	w->folios[i].cached.val = 0;
}

/* Trade our folio reference for entry references, then reclaim it. */
static void op_reclaim(struct world *w)
{
	int i = cached_folio(w), ret;
	memcg_swp_entry_t entry;
	struct folio *folio;
	long j, nr;

	if (i < 0 || w->folios[i].refs != 1 || !swappable(w, i))
		return;
	folio = w->folios[i].folio;
	entry = w->folios[i].cached;
	nr = folio_nr_pages(folio);
	for (j = 0; j < nr; j++)
		assert_int_equal(memcg_swap_dup(w->e, (memcg_swp_entry_t){
					entry.val + (uint32_t)j }), 0);
	memcg_folio_put(w->e, folio);
	ret = memcg_swap_reclaim_folio(w->e, folio, entry);
	if (!ret) {
		hold_entries(w, entry, nr);
		remove_folio(w, i);
		w->stats[9]++;
		return;
	}
	check_swap_error(ret);
	/* the write failed: fault it back in from the swap cache */
	assert_int_equal(memcg_swapin(w->e, entry, NULL, 0, &folio), 0);
	assert_ptr_equal(folio, w->folios[i].folio);
	for (j = 0; j < nr; j++)
		assert_int_equal(memcg_swap_free(w->e, (memcg_swp_entry_t){
					entry.val + (uint32_t)j }), 0);
}

static void op_swapin(struct world *w)
{
	struct folio *folio;
	memcg_swp_entry_t entry;
	int k, ret;

	if (!w->nr_entries || w->nr_folios >= MAX_FOLIOS - (1 << HUGE_ORDER))
		return;
	k = (int)pick(w, (unsigned)w->nr_entries);
	entry = w->entries[k];
	ret = memcg_swapin(w->e, entry, random_memcg(w),
			   pick(w, 10) ? MEMCG_GFP_KERNEL : MEMCG_GFP_NOFAIL,
			   &folio);
	if (ret) {
		assert_int_equal(ret, -ENOMEM);
		return;
	}
	assert_int_equal(memcg_swap_free(w->e, entry), 0);	/* pte maps it */
	w->entries[k] = w->entries[--w->nr_entries];
	add_folio(w, folio, 1);
	w->folios[w->nr_folios - 1].cached = entry;
	w->stats[10]++;
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

static void op_swap_fault(struct world *w)
{
	static const int errs[] = { -EIO, -ENOSPC, -EPIPE };

	assert_int_equal(memcg_swap_inject_fault(w->e, errs[pick(w, 3)],
						 (long)pick(w, 4)), 0);
}

static void op_mkdir(struct world *w)
{
	struct cgroup_slot *c;
	int parent = (int)pick(w, (unsigned)w->nr_cg + 1) - 1;

	if (w->nr_cg >= MAX_CGROUPS)
		return;
	if (parent >= 0 && (!w->cg[parent].online ||
			    w->cg[parent].depth >= MAX_DEPTH))
		return;
	c = &w->cg[w->nr_cg];
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
	w->stats[5]++;
}

static bool has_online_child(struct world *w, int i)
{
	int j;
	size_t len = strlen(w->cg[i].path);

	for (j = 0; j < w->nr_cg; j++)
		if (j != i && w->cg[j].online &&
		    !strncmp(w->cg[j].path, w->cg[i].path, len) &&
		    w->cg[j].path[len] == '/')
			return true;
	return false;
}

static void op_rmdir(struct world *w)
{
	int i, ret;

	if (!w->nr_cg)
		return;
	i = (int)pick(w, (unsigned)w->nr_cg);
	if (!w->cg[i].online) {
		/* drop our handle on a removed cgroup */
		memcg_put(w->cg[i].memcg);
		w->cg[i] = w->cg[--w->nr_cg];
		return;
	}
	ret = memcg_rmdir(w->e, w->cg[i].path);
	if (has_online_child(w, i)) {
		assert_int_equal(ret, -EBUSY);
		return;
	}
	assert_int_equal(ret, 0);
	w->cg[i].online = false;
	w->stats[6]++;
}

static void op_limit(struct world *w)
{
	static const char *const limits[] = { "max", "0", "64K", "256K", "1M",
					      "max", "max", "512K" };
	const char *limit;
	int i, ret;

	if (!w->nr_cg)
		return;
	i = (int)pick(w, (unsigned)w->nr_cg);
	if (!w->cg[i].online)
		return;
	limit = limits[pick(w, 8)];
	if (!w->e->v1) {
		assert_int_equal(memcg_write(w->cg[i].memcg, "memory.max",
					     limit), 0);
		return;
	}
	/* v1 refuses a limit below usage */
	ret = memcg_write(w->cg[i].memcg, "memory.limit_in_bytes",
			  limit[0] == 'm' ? "-1" : limit);
	assert_true(ret == 0 || ret == -EBUSY);
}

static void run_op(struct world *w)
{
	unsigned op = pick(w, 100);

	if (op < 24)
		op_charge(w);
	else if (op < 38)
		op_put(w);
	else if (op < 42)
		op_get(w);
	else if (op < 46)
		op_batch_put(w);
	else if (op < 50)
		op_migrate(w);
	else if (op < 52)
		op_replace(w);
	else if (op < 54)
		op_split(w);
	else if (op < 58)
		op_move(w);
	else if (op < 61)
		op_mkdir(w);
	else if (op < 64)
		op_rmdir(w);
	else if (op < 66)
		memcg_drain_all_stock(random_memcg(w));
	else if (op < 69)
		op_limit(w);
	else if (op < 72)
		memcg_set_cpu((int)pick(w, NR_CPUS));
	else if (op < 77)
		op_swap_out(w);
	else if (op < 80)
		op_swap_alloc(w);
	else if (op < 82)
		op_free_swap(w);
	else if (op < 86)
		op_reclaim(w);
	else if (op < 93)
		op_swapin(w);
	else if (op < 98)
		op_swap_free(w);
	else
		op_swap_fault(w);
}

static void teardown_world(struct world *w)
{
	struct mem_cgroup *root = memcg_root(w->e);
	bool removed;
	int i;

	while (w->nr_folios)
		op_put(w);
	while (w->nr_entries)
		op_swap_free(w);
	for (removed = true; removed;) {
		removed = false;
		for (i = 0; i < w->nr_cg; i++) {
			if (!w->cg[i].online || has_online_child(w, i))
				continue;
			assert_int_equal(memcg_rmdir(w->e, w->cg[i].path), 0);
			w->cg[i].online = false;
			removed = true;
		}
	}
	audit(w);
	for (i = 0; i < w->nr_cg; i++)
		memcg_put(w->cg[i].memcg);
	w->nr_cg = 0;
	memcg_drain_all_stock(root);
	audit(w);
	assert_int_equal(page_counter_read(&root->memory), 0);
	assert_int_equal(memcg_page_state(root, MEMCG_ANON) +
			 memcg_page_state(root, MEMCG_FILE) +
			 memcg_page_state(root, MEMCG_KERNEL), 0);
	assert_int_equal(atomic_load(&w->e->nr_memcgs), 1);
	assert_int_equal(folio_arena_nr_free(w->e->arena),
			 folio_arena_nr_frames(w->e->arena));
	assert_int_equal(memcg_swap_nr_free(w->e), 256);
}

static void test_random_ops(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	const char *env = getenv("MEMCG_RANDOM_OPS");
	long i, nr_ops = env ? atol(env) : ((struct variant *)*state)->nr_ops;
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 2 << 20;	/* 512 frames: the audit scans them all */
	cfg.nr_cpus = NR_CPUS;
	cfg.huge_order = HUGE_ORDER;
	cfg.deterministic = true;
	cfg.mode = ((struct variant *)*state)->mode;
	cfg.policy = ((struct variant *)*state)->policy;
	assert_int_equal(memcg_engine_create(&cfg, &w->e), 0);
	assert_int_equal(memcg_swapon(w->e, NULL, 1 << 20), 0);
	w->rng = test_seed("test_random_ops", 0x9e3779b97f4a7c15ULL);
	memcg_set_cpu(0);
	for (i = 0; i < nr_ops; i++) {
		run_op(w);
		audit(w);
	}
	teardown_world(w);
	printf("%ld operations: %ld charges (%ld refused), %ld migrations, "
	       "%ld replacements, %ld splits, %ld moves, %ld mkdirs, %ld rmdirs, "
	       "%ld swap-outs, %ld reclaims, %ld swap-ins\n",
	       nr_ops, w->stats[1], w->stats[0], w->stats[2], w->stats[7],
	       w->stats[3], w->stats[4], w->stats[5], w->stats[6],
	       w->stats[8], w->stats[9], w->stats[10]);
	memcg_engine_destroy(w->e);
	memcg_set_cpu(-1);
	free(w);
}

int main(void)
{
	static struct variant v2 = { MEMCG_MODE_V2, MEMCG_POLICY_REPARENT, 1000000 };
	static struct variant v1 = { MEMCG_MODE_V1, MEMCG_POLICY_REPARENT, 300000 };
	static struct variant v2k = { MEMCG_MODE_V2, MEMCG_POLICY_KERNEL, 300000 };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_random_ops, &v2),
		cmocka_unit_test_prestate(test_random_ops, &v1),
		cmocka_unit_test_prestate(test_random_ops, &v2k),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
