// SPDX-License-Identifier: MIT
/*
 * Classic LRU reclaim, mechanism by mechanism, against figures worked out
 * by hand from the kernel's mm/vmscan.c: folio_check_references()'s
 * table, get_scan_count()'s fractions and modes, inactive_is_low()'s
 * ratio, lru_note_cost() under both kernel profiles, and a working set
 * that survives a streaming sibling because its page tables are young.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"
#include "core/memcontrol.h"
#include "fixture.h"
#include "memcg/sim.h"
#include "mm/vmscan.h"

#define PAGES_OF(bytes) ((long)((bytes) >> 12))

/* A folio client whose every folio has @young young mappings. */
static int young;

static int fake_referenced(void *priv, struct folio *folio)
{
	(void)priv;
	(void)folio;
	return young;
}

static bool fake_unmap(void *priv, struct folio *folio, memcg_swp_entry_t e)
{
	(void)priv;
	(void)folio;
	(void)e;
	return true;
}

static const struct memcg_folio_client_ops fake_client = {
	.try_to_unmap = fake_unmap,
	.referenced = fake_referenced,
};

static struct memcg_engine *engine(size_t bytes, enum memcg_kernel kernel)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, bytes);
	cfg.kernel = kernel;
	cfg.reclaim = MEMCG_RECLAIM_CLASSIC;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	assert_int_equal(memcg_set_folio_client(e, &fake_client, NULL), 0);
	return e;
}

/* @nr charged folios of @type on @memcg's LRU, active if asked. */
static void fill(struct memcg_engine *e, struct mem_cgroup *memcg,
		 enum memcg_folio_type type, long nr, bool active,
		 struct folio **out)
{
	long i;

	for (i = 0; i < nr; i++) {
		struct folio *folio = memcg_folio_alloc(e, type, 0);

		assert_non_null(folio);
		assert_int_equal(memcg_charge(e, folio, memcg, MEMCG_GFP_KERNEL), 0);
		if (active)
			folio_set_flag(folio, PG_active);
		memcg_folio_add_lru(e, folio);
		out[i] = folio;
	}
}

static void put_all(struct memcg_engine *e, struct folio **folios, long nr)
{
	long i;

	for (i = 0; i < nr; i++)
		memcg_folio_put(e, folios[i]);
}

/* folio_check_references(): every combination, and PG_referenced after. */
static void test_check_references_table(void **state)
{
	static const struct {
		enum memcg_folio_type type;
		int ptes;
		bool referenced;
		enum folio_references want;
		bool referenced_after;
	} t[] = {
		{ MEMCG_FOLIO_ANON, 0, false, FOLIOREF_RECLAIM, false },
		{ MEMCG_FOLIO_ANON, 0, true, FOLIOREF_RECLAIM, false },
		{ MEMCG_FOLIO_ANON, 1, false, FOLIOREF_KEEP, true },
		{ MEMCG_FOLIO_ANON, 1, true, FOLIOREF_ACTIVATE, true },
		{ MEMCG_FOLIO_ANON, 2, false, FOLIOREF_ACTIVATE, true },
		{ MEMCG_FOLIO_ANON, -1, true, FOLIOREF_KEEP, false },
		{ MEMCG_FOLIO_FILE, 0, false, FOLIOREF_RECLAIM, false },
		{ MEMCG_FOLIO_FILE, 0, true, FOLIOREF_RECLAIM_CLEAN, false },
		{ MEMCG_FOLIO_FILE, 1, false, FOLIOREF_KEEP, true },
		{ MEMCG_FOLIO_FILE, 1, true, FOLIOREF_ACTIVATE, true },
		{ MEMCG_FOLIO_SHMEM, 0, true, FOLIOREF_RECLAIM, false },
	};
	struct memcg_engine *e = engine(64UL << 20, MEMCG_KERNEL_6_1);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct folio *folio = memcg_folio_alloc(e, t[i].type, 0);

		assert_non_null(folio);
		young = t[i].ptes;
		if (t[i].referenced)
			folio_set_flag(folio, PG_referenced);
		assert_int_equal(folio_check_references(e, folio), t[i].want);
		assert_int_equal(folio_test_flag(folio, PG_referenced),
				 t[i].referenced_after);
		memcg_folio_put(e, folio);
	}
	memcg_engine_destroy(e);
}

struct lists {
	struct memcg_engine *e;
	struct mem_cgroup *a;
	struct folio *anon[1024], *file[1024];
};

/* A with 1024 inactive anon and 1024 inactive file pages, and swap. */
static void lists_init(struct lists *l)
{
	l->e = engine(64UL << 20, MEMCG_KERNEL_6_1);
	assert_int_equal(memcg_swapon(l->e, NULL, 16UL << 20), 0);
	assert_int_equal(memcg_mkdir(l->e, "A", &l->a), 0);
	fill(l->e, l->a, MEMCG_FOLIO_ANON, 1024, false, l->anon);
	fill(l->e, l->a, MEMCG_FOLIO_FILE, 1024, false, l->file);
}

static void lists_free(struct lists *l)
{
	put_all(l->e, l->anon, 1024);
	put_all(l->e, l->file, 1024);
	memcg_put(l->a);
	memcg_engine_destroy(l->e);
}

/*
 * Costs anon 100, file 300, swappiness 60: total 400, anon_cost 500,
 * file_cost 700, total 1200; ap = 60 * 1201 / 501 = 143, fp = 140 * 1201
 * / 701 = 239. Priority 1 halves 1024 to 512: anon 512 * 143 / 382 = 191,
 * file 512 * 239 / 382 = 320.
 */
static void test_scan_fractions(void **state)
{
	struct lists l;
	struct scan_control sc = {
		.priority = 1, .swappiness = -1, .may_swap = true,
		.anon_cost = 100, .file_cost = 300,
	};
	long nr[NR_SCAN_LISTS];

	(void)state;
	lists_init(&l);
	sc.target = l.a;
	get_scan_count(l.a, &sc, nr);
	assert_int_equal(nr[LRU_INACTIVE_ANON], 191);
	assert_int_equal(nr[LRU_INACTIVE_FILE], 320);
	assert_int_equal(nr[LRU_ACTIVE_ANON] + nr[LRU_ACTIVE_FILE], 0);

	/* no costs yet: 60 * 1 / 1 and 140 * 1 / 1, so 512 * 60 / 200 */
	sc.anon_cost = sc.file_cost = 0;
	get_scan_count(l.a, &sc, nr);
	assert_int_equal(nr[LRU_INACTIVE_ANON], 153);
	assert_int_equal(nr[LRU_INACTIVE_FILE], 358);

	/* cache trim mode: page cache only */
	sc.cache_trim_mode = true;
	get_scan_count(l.a, &sc, nr);
	assert_int_equal(nr[LRU_INACTIVE_ANON], 0);
	assert_int_equal(nr[LRU_INACTIVE_FILE], 512);

	/* priority 0: both in full, whatever the balance */
	sc.priority = 0;
	get_scan_count(l.a, &sc, nr);
	assert_int_equal(nr[LRU_INACTIVE_ANON], 1024);
	assert_int_equal(nr[LRU_INACTIVE_FILE], 1024);

	/* swappiness 0 in cgroup reclaim: no anon at all */
	sc.swappiness = 0;
	get_scan_count(l.a, &sc, nr);
	assert_int_equal(nr[LRU_INACTIVE_ANON], 0);
	assert_int_equal(nr[LRU_INACTIVE_FILE], 1024);
	lists_free(&l);
}

/* Cache trim mode and deactivation, decided per pass for the target. */
static void test_prepare_scan_count(void **state)
{
	struct lists l;
	struct scan_control sc = { .priority = DEF_PRIORITY };

	(void)state;
	lists_init(&l);
	sc.target = l.a;
	prepare_scan_count(&sc);
	/* 1024 >> 12 is 0: not plenty yet */
	assert_false(sc.cache_trim_mode);
	assert_int_equal(sc.may_deactivate, 0);
	sc.priority = 10;
	prepare_scan_count(&sc);
	assert_true(sc.cache_trim_mode);
	sc.force_deactivate = true;
	prepare_scan_count(&sc);
	assert_int_equal(sc.may_deactivate, DEACTIVATE_ANON | DEACTIVATE_FILE);
	assert_false(sc.cache_trim_mode);	/* file may be deactivated */
	lists_free(&l);
}

/* Under 1 GiB the ratio is 1; at 1 GiB int_sqrt(10) = 3. */
static void test_inactive_is_low(void **state)
{
	static struct folio *f[262144];
	struct memcg_engine *e = engine(1UL << 31, MEMCG_KERNEL_6_1);
	struct mem_cgroup *a;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	fill(e, a, MEMCG_FOLIO_ANON, 2, false, f);
	fill(e, a, MEMCG_FOLIO_ANON, 2, true, f + 2);
	assert_false(inactive_is_low(a, LRU_INACTIVE_ANON));	/* 2 < 2 */
	fill(e, a, MEMCG_FOLIO_ANON, 1, true, f + 4);
	assert_true(inactive_is_low(a, LRU_INACTIVE_ANON));	/* 2 < 3 */
	put_all(e, f, 5);

	/* 65536 inactive, 196608 active: 1 GiB, 65536 * 3 < 196608 fails */
	fill(e, a, MEMCG_FOLIO_FILE, 65536, false, f);
	fill(e, a, MEMCG_FOLIO_FILE, 196608, true, f + 65536);
	assert_false(inactive_is_low(a, LRU_INACTIVE_FILE));
	/* the subtree counts: a child's lists are the parent's too */
	assert_false(inactive_is_low(e->root, LRU_INACTIVE_FILE));
	memcg_folio_put(e, f[0]);		/* 65535 * 3 < 196608 */
	assert_true(inactive_is_low(a, LRU_INACTIVE_FILE));
	assert_true(inactive_is_low(e->root, LRU_INACTIVE_FILE));
	put_all(e, f + 1, 262143);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/* 6.1 counts pages written; 6.12 32 per page written plus rotations. */
static void note_cost(enum memcg_kernel kernel, long want, long want_decayed)
{
	struct folio *f[2048];
	struct memcg_engine *e = engine(64UL << 20, kernel);
	struct mem_cgroup *a;

	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	fill(e, a, MEMCG_FOLIO_FILE, 2048, false, f);
	lru_note_cost(a, false, 10, 5);
	assert_int_equal(a->lruvec.anon_cost, want);
	assert_int_equal(e->root->lruvec.anon_cost, want);	/* up the tree */
	assert_int_equal(a->lruvec.file_cost, 0);
	/* a second time past a quarter of the 2048 pages: both halve */
	lru_note_cost(a, false, 10, 5);
	assert_int_equal(a->lruvec.anon_cost, want_decayed);
	put_all(e, f, 2048);
	memcg_put(a);
	memcg_engine_destroy(e);
}

static void test_note_cost_6_1(void **state)
{
	(void)state;
	note_cost(MEMCG_KERNEL_6_1, 10, 20);
}

static void test_note_cost_6_12(void **state)
{
	(void)state;
	note_cost(MEMCG_KERNEL_6_12, 325, 325);	/* 650 > 512: halved */
}

/*
 * A task that keeps touching 16M beside a reader streaming 64M through a
 * 32M limit: the inactive cache is plenty (cache trim mode), so reclaim
 * drops cache only and never swaps.
 */
static void test_young_working_set_survives(void **state)
{
	struct memcg_engine *e = test_engine_new(256UL << 20);
	struct mem_cgroup *a;
	struct memcg_task *worker, *reader;
	char name[16];
	int i;

	(void)state;
	assert_int_equal(memcg_swapon(e, NULL, 128UL << 20), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.max", "32M"), 0);
	assert_int_equal(memcg_task_create(e, "worker", a, &worker), 0);
	assert_int_equal(memcg_task_create(e, "reader", a, &reader), 0);
	assert_int_equal(memcg_task_anon(worker, 16UL << 20), 0);
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(memcg_task_read(reader, name, 8UL << 20), 0);
		assert_int_equal(memcg_task_touch(worker, 16UL << 20), 0);
	}
	print_message("worker: %ld pages resident, %ld swapped\n",
		      memcg_task_rss_pages(worker), memcg_task_swap_pages(worker));
	assert_int_equal(memcg_task_swap_pages(worker), 0);
	assert_int_equal(test_file_key(a, "memory.stat", "pswpout"), 0);
	assert_int_equal(memcg_task_exit(worker), 0);
	assert_int_equal(memcg_task_exit(reader), 0);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * Two tasks in 16M, no page cache: one keeps touching its 8M, the other
 * streams 32M it never touches again. The first one's page tables are
 * young at every scan (kept, then activated); the streamer's pages lose
 * their young bit after one scan and go on the next.
 */
static void test_young_anon_beats_streaming_anon(void **state)
{
	struct memcg_engine *e = test_engine_new(256UL << 20);
	struct mem_cgroup *a;
	struct memcg_task *hot, *stream;
	int i;

	(void)state;
	assert_int_equal(memcg_swapon(e, NULL, 128UL << 20), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.max", "16M"), 0);
	assert_int_equal(memcg_task_create(e, "hot", a, &hot), 0);
	assert_int_equal(memcg_task_create(e, "stream", a, &stream), 0);
	assert_int_equal(memcg_task_anon(hot, 8UL << 20), 0);
	for (i = 0; i < 16; i++) {
		assert_int_equal(memcg_task_anon(stream, 2UL << 20), 0);
		assert_int_equal(memcg_task_touch(hot, 8UL << 20), 0);
	}
	print_message("hot: %ld resident, %ld swapped; stream: %ld resident, "
		      "%ld swapped\n", memcg_task_rss_pages(hot),
		      memcg_task_swap_pages(hot), memcg_task_rss_pages(stream),
		      memcg_task_swap_pages(stream));
	assert_true(memcg_task_swap_pages(hot) * 8 < memcg_task_rss_pages(hot));
	assert_true(memcg_task_swap_pages(stream) >= PAGES_OF(20UL << 20));
	assert_int_equal(memcg_task_exit(hot), 0);
	assert_int_equal(memcg_task_exit(stream), 0);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * Refaults: 2M read twice is active; 4M of f read once, then 3M of g push
 * about 1M of f out, leaving shadows. Reading f again refaults those
 * pages; each whose distance (pages evicted or activated since it went)
 * is within the active list's 2M comes back active. Without swap, anon
 * does not count in the workingset.
 */
/* The cgroup the next folio_referenced() removes, and its path. */
static struct mem_cgroup *remove_victim;
static const char *remove_path;

static int remove_referenced(void *priv, struct folio *folio)
{
	struct memcg_engine *e = priv;

	(void)folio;
	if (remove_victim) {
		assert_int_equal(memcg_rmdir(e, remove_path), 0);
		memcg_put(remove_victim);
		remove_victim = NULL;
	}
	return 0;
}

static const struct memcg_folio_client_ops remove_client = {
	.try_to_unmap = fake_unmap,
	.referenced = remove_referenced,
};

/*
 * A cgroup removed while reclaim deactivates its pages (rmdir racing with
 * memory.reclaim of its parent): the pages move to the parent as they are
 * put back, the last of them drops the cgroup's last reference, and the
 * put releases it. The walk holds a reference on the cgroup it shrinks
 * (mem_cgroup_iter()'s css_tryget()), so the release waits until the
 * cgroup's pgdeactivate is counted and its last flush hands it to the
 * parent; counted after the release, it reached the parent's flushed sums
 * but not the stat_dead the release had left, and the cgroup sat on the
 * parent's updated tree when RCU freed it.
 */
static void test_rmdir_during_shrink(void **state)
{
	struct memcg_engine *e = engine(64UL << 20, MEMCG_KERNEL_6_12);
	struct mem_cgroup *p, *c;
	struct folio *folios[32];
	struct audit_hold hold;

	(void)state;
	assert_int_equal(memcg_set_folio_client(e, NULL, NULL), 0);
	assert_int_equal(memcg_set_folio_client(e, &remove_client, e), 0);
	assert_int_equal(memcg_swapon(e, NULL, 16UL << 20), 0);
	assert_int_equal(memcg_mkdir(e, "P", &p), 0);
	assert_int_equal(memcg_mkdir(e, "P/C", &c), 0);
	fill(e, c, MEMCG_FOLIO_ANON, 32, true, folios);
	remove_victim = c;
	remove_path = "P/C";
	memcg_write(p, "memory.reclaim", "4K");
	assert_null(remove_victim);
	assert_int_equal(atomic_load(&e->nr_memcgs), 2);	/* C released */
	hold.memcg = p;
	hold.nr = 1;
	assert_int_equal(memcg_audit(e, &hold, 1), 0);
	assert_int_equal(test_file_key(p, "memory.stat", "pgdeactivate"), 32);
	put_all(e, folios, 32);
	memcg_put(p);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

static void test_refault_activates_recent_evictions(void **state)
{
	struct memcg_engine *e = test_engine_new(256UL << 20);
	struct mem_cgroup *a;
	struct memcg_task *t;
	long refault, activate;

	(void)state;
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	assert_int_equal(memcg_write(a, "memory.max", "8M"), 0);
	assert_int_equal(memcg_task_create(e, "t", a, &t), 0);
	assert_int_equal(memcg_task_read(t, "hot", 2UL << 20), 0);
	assert_int_equal(memcg_task_read(t, "hot", 2UL << 20), 0);
	assert_int_equal(test_file_key(a, "memory.stat", "active_file"), 2L << 20);
	assert_int_equal(memcg_task_read(t, "f", 4UL << 20), 0);
	assert_int_equal(memcg_task_read(t, "g", 3UL << 20), 0);
	assert_int_equal(test_file_key(a, "memory.stat",
				       "workingset_refault_file"), 0);
	assert_int_equal(memcg_task_read(t, "f", 4UL << 20), 0);
	refault = (long)test_file_key(a, "memory.stat", "workingset_refault_file");
	activate = (long)test_file_key(a, "memory.stat",
				       "workingset_activate_file");
	print_message("refault %ld activate %ld restore %lld\n", refault,
		      activate, test_file_key(a, "memory.stat",
					      "workingset_restore_file"));
	assert_true(refault > 0 && refault <= PAGES_OF(4UL << 20));
	assert_true(activate > 0 && activate <= refault);
	assert_int_equal(memcg_task_exit(t), 0);
	memcg_put(a);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_references_table),
		cmocka_unit_test(test_scan_fractions),
		cmocka_unit_test(test_prepare_scan_count),
		cmocka_unit_test(test_inactive_is_low),
		cmocka_unit_test(test_note_cost_6_1),
		cmocka_unit_test(test_note_cost_6_12),
		cmocka_unit_test(test_young_working_set_survives),
		cmocka_unit_test(test_young_anon_beats_streaming_anon),
		cmocka_unit_test(test_refault_activates_recent_evictions),
		cmocka_unit_test(test_rmdir_during_shrink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
