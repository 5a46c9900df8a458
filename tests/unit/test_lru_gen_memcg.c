// SPDX-License-Identifier: MIT
/*
 * The memcg LRU of the multi-generational LRU, against Linux 6.12's
 * mm/vmscan.c worked by hand: lru_gen_online_memcg() puts a cgroup at
 * the tail of a bin of the old generation (seq % MEMCG_NR_GENS);
 * lru_gen_rotate_memcg() moves it by op (HEAD and TAIL within its
 * generation, setting seg; OLD to the head of a bin of the old one; YOUNG
 * to the tail of a bin of seq + 1) and moves seq on when the old
 * generation empties; shrink_many() walks the old generation bin by bin
 * from a random one, rotating each cgroup after the walk left it, and
 * stops at the goal.
 *
 * The bins the kernel draws at random come from a script here
 * (lru_gen_memcg.script), one per draw, in the order the kernel draws.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/lru_gen.h"
#include "mm/lru_gen_memcg.h"
#include "mm/vmscan.h"

static struct memcg_engine *engine(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64UL << 20);
	cfg.kernel = MEMCG_KERNEL_6_12;
	cfg.reclaim = MEMCG_RECLAIM_MGLRU;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	return e;
}

static void script(struct memcg_engine *e, const int *bins, int n)
{
	e->memcg_lru->script = bins;
	e->memcg_lru->nr_script = n;
}

static struct mem_cgroup *mkdir_bin(struct memcg_engine *e, const char *path,
				    int bin)
{
	static int bins[64];
	static int next;
	struct mem_cgroup *memcg;

	bins[next % 64] = bin;
	script(e, &bins[next++ % 64], 1);
	assert_int_equal(memcg_mkdir(e, path, &memcg), 0);
	assert_int_equal(e->memcg_lru->nr_script, 0);
	return memcg;
}

static void rotate(struct mem_cgroup *memcg, int op, int bin)
{
	int bins[1] = { bin };

	script(memcg->engine, bins, 1);
	lru_gen_rotate_memcg(memcg, op);
	assert_int_equal(memcg->engine->memcg_lru->nr_script, 0);
}

/* The cgroups of fifo[gen][bin], head first, into @out; returns how many. */
static int bin_list(struct memcg_engine *e, int gen, int bin,
		    struct mem_cgroup **out)
{
	struct memcg_lru_node *head = &e->memcg_lru->fifo[gen][bin], *pos;
	int n = 0;

	for (pos = head->next; pos != head; pos = pos->next)
		out[n++] = ((struct lru_gen_folio *)((char *)pos -
			     offsetof(struct lru_gen_folio, list)))->memcg;
	return n;
}

static void assert_bin(struct memcg_engine *e, int gen, int bin, int n, ...)
{
	struct mem_cgroup *got[16];
	va_list ap;
	int i;

	assert_int_equal(bin_list(e, gen, bin, got), n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_ptr_equal(got[i], va_arg(ap, struct mem_cgroup *));
	va_end(ap);
}

static void assert_nr(struct memcg_engine *e, unsigned long seq, long n0,
		      long n1, long n2)
{
	struct lru_gen_memcg *ml = e->memcg_lru;

	assert_int_equal(ml->seq, seq);
	assert_int_equal(ml->nr_memcgs[0], n0);
	assert_int_equal(ml->nr_memcgs[1], n1);
	assert_int_equal(ml->nr_memcgs[2], n2);
}

/* Classic reclaim has no memcg LRU; MGLRU onlines the root at creation. */
static void test_create(void **state)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	(void)state;
	test_config_init(&cfg, 64UL << 20);
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	assert_null(e->memcg_lru);
	memcg_engine_destroy(e);

	e = engine();
	assert_non_null(e->memcg_lru);
	assert_nr(e, 0, 1, 0, 0);
	assert_int_equal(e->root->lruvec.lrugen->gen, 0);
	assert_ptr_equal(e->root->lruvec.lrugen->memcg, e->root);
	memcg_engine_destroy(e);
}

/* Online at the tail of the old generation's drawn bin; every op by hand. */
static void test_online_and_rotate(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *root = e->root, *a, *b;

	(void)state;
	rotate(root, MEMCG_LRU_TAIL, 7);	/* out of the way, seg tail */
	assert_bin(e, 0, 7, 1, root);
	assert_int_equal(lru_gen_memcg_seg(root), MEMCG_LRU_TAIL);

	a = mkdir_bin(e, "A", 3);
	b = mkdir_bin(e, "B", 3);
	assert_bin(e, 0, 3, 2, a, b);		/* tail: B after A */
	assert_nr(e, 0, 3, 0, 0);
	assert_int_equal(lru_gen_memcg_seg(a), 0);

	rotate(a, MEMCG_LRU_TAIL, 3);		/* the same bin: behind B */
	assert_bin(e, 0, 3, 2, b, a);
	assert_int_equal(lru_gen_memcg_seg(a), MEMCG_LRU_TAIL);

	rotate(a, MEMCG_LRU_HEAD, 1);		/* head of bin 1, gen 0 still */
	assert_bin(e, 0, 3, 1, b);
	assert_bin(e, 0, 1, 1, a);
	assert_int_equal(a->lruvec.lrugen->gen, 0);
	assert_int_equal(lru_gen_memcg_seg(a), MEMCG_LRU_HEAD);

	rotate(b, MEMCG_LRU_YOUNG, 2);		/* young: gen seq + 1 = 1 */
	assert_bin(e, 1, 2, 1, b);
	assert_int_equal(b->lruvec.lrugen->gen, 1);
	assert_nr(e, 0, 2, 1, 0);

	rotate(a, MEMCG_LRU_YOUNG, 2);		/* tail of fifo[1][2] */
	assert_bin(e, 1, 2, 2, b, a);
	assert_int_equal(lru_gen_memcg_seg(a), 0);	/* seg reset */
	assert_nr(e, 0, 1, 2, 0);

	/* the last of the old generation leaves: seq moves on to 1 */
	rotate(root, MEMCG_LRU_YOUNG, 0);
	assert_nr(e, 1, 0, 3, 0);
	assert_bin(e, 1, 0, 1, root);

	/* OLD: the head of a bin of the old generation, now gen 1 */
	rotate(a, MEMCG_LRU_OLD, 0);
	assert_bin(e, 1, 0, 2, a, root);
	assert_nr(e, 1, 0, 3, 0);

	/* YOUNG is seq + 1 = 2 now */
	rotate(b, MEMCG_LRU_YOUNG, 5);
	assert_bin(e, 2, 5, 1, b);
	assert_nr(e, 1, 0, 2, 1);

	/* a cgroup online now joins the old generation, gen 1 */
	memcg_put(mkdir_bin(e, "C", 0));
	assert_nr(e, 1, 0, 3, 1);

	memcg_put(a);
	memcg_put(b);
	memcg_engine_destroy(e);
}

/* Offline goes old (head of a bin); release leaves and may move seq. */
static void test_offline_release(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *root = e->root, *a, *b;

	(void)state;
	/* root was alone in gen 0: it emptied, seq moved on */
	rotate(root, MEMCG_LRU_YOUNG, 7);
	assert_nr(e, 1, 0, 1, 0);
	a = mkdir_bin(e, "A", 4);
	b = mkdir_bin(e, "B", 4);
	assert_bin(e, 1, 4, 2, a, b);
	rotate(a, MEMCG_LRU_YOUNG, 4);
	assert_bin(e, 2, 4, 1, a);
	assert_nr(e, 1, 0, 2, 1);

	/* rmdir A: MEMCG_LRU_OLD to the head of fifo[1][6] */
	{
		int bins[1] = { 6 };

		script(e, bins, 1);
		assert_int_equal(memcg_rmdir(e, "A"), 0);
	}
	assert_bin(e, 1, 6, 1, a);
	assert_int_equal(a->lruvec.lrugen->gen, 1);
	assert_nr(e, 1, 0, 3, 0);

	/* release (the last reference): off the list, nothing else moves */
	memcg_put(a);
	mem_cgroup_release_pending(e);
	assert_bin(e, 1, 6, 0);
	assert_nr(e, 1, 0, 2, 0);

	/* B released too, root alone in gen 1 */
	assert_int_equal(memcg_rmdir(e, "B"), 0);
	memcg_put(b);
	mem_cgroup_release_pending(e);
	assert_nr(e, 1, 0, 1, 0);
	memcg_engine_destroy(e);
}

/* A shrink_one that records its visits and answers from a script. */
static struct {
	struct mem_cgroup *visited[16];
	int nr_visited;
	const int *ops;
	long gain;
} fake;

static int fake_shrink_one(struct mem_cgroup *memcg, struct scan_control *sc)
{
	fake.visited[fake.nr_visited] = memcg;
	sc->nr_reclaimed += fake.gain;
	return fake.ops[fake.nr_visited++];
}

static void assert_visits(int n, ...)
{
	va_list ap;
	int i;

	assert_int_equal(fake.nr_visited, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_ptr_equal(fake.visited[i], va_arg(ap, struct mem_cgroup *));
	va_end(ap);
	fake.nr_visited = 0;
}

/*
 * Bins: 2 = A, B; 4 = C; 7 = root. First walk from bin 2, goal 100, 30
 * pages a visit: A (30, stays), B (60, YOUNG: leaves for fifo[1][6] once
 * the walk is past it), bin 3 empty, C (90, TAIL: to the tail of bin 4
 * again, drawn 4), bins 5 and 6 hold nobody of gen 0 (B is gen 1 now),
 * root (120): the goal, stop.
 *
 * Second walk from bin 4, goal 100: C (30, YOUNG to fifo[1][0]), root
 * (60), bins 0 and 1 nobody of gen 0, A (90), bin 3 empty; back at bin 4:
 * done short of the goal.
 */
static void test_shrink_many(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *root = e->root, *a, *b, *c;
	struct scan_control sc = { .target = e->root, .nr_to_reclaim = 100 };
	static const int ops1[] = { 0, MEMCG_LRU_YOUNG, MEMCG_LRU_TAIL, 0 };
	static const int ops2[] = { MEMCG_LRU_YOUNG, 0, 0 };
	static const int bins1[] = { 2, 6, 4 };	/* start, B's, C's */
	static const int bins2[] = { 4, 0 };	/* start, C's */

	(void)state;
	rotate(root, MEMCG_LRU_TAIL, 7);
	a = mkdir_bin(e, "A", 2);
	b = mkdir_bin(e, "B", 2);
	c = mkdir_bin(e, "C", 4);

	fake.gain = 30;
	fake.ops = ops1;
	script(e, bins1, 3);
	shrink_many(e, &sc, fake_shrink_one);
	assert_int_equal(e->memcg_lru->nr_script, 0);
	assert_visits(4, a, b, c, root);
	assert_int_equal(sc.nr_reclaimed, 120);
	assert_bin(e, 0, 2, 1, a);
	assert_bin(e, 1, 6, 1, b);
	assert_bin(e, 0, 4, 1, c);
	assert_int_equal(lru_gen_memcg_seg(c), MEMCG_LRU_TAIL);
	assert_nr(e, 0, 3, 1, 0);

	sc.nr_reclaimed = 0;
	fake.ops = ops2;
	script(e, bins2, 2);
	shrink_many(e, &sc, fake_shrink_one);
	assert_visits(3, c, root, a);
	assert_int_equal(sc.nr_reclaimed, 90);
	assert_bin(e, 1, 0, 1, c);
	assert_nr(e, 0, 2, 2, 0);

	memcg_put(a);
	memcg_put(b);
	memcg_put(c);
	memcg_engine_destroy(e);
}

/*
 * The walk meets a cgroup rotated to the tail of the bin it walks, with
 * the real lru_gen_shrink_one() and nothing on the lists: the root, not
 * sizable, answers TAIL, then YOUNG when met again; A, charged but below
 * its memory.low, answers TAIL, then counts a low event and (nothing to
 * scan, not sizable, seg tail) YOUNG. All in bin 0 of gen 0: root, A.
 * Draws: the start (0), root to the tail (0: A, root), A to the tail (0:
 * root, A), root young (fifo[1][1]), A young (fifo[1][2]). Gen 0 empties:
 * seq 1.
 */
static void test_shrink_one_rotations(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *root = e->root, *a;
	struct scan_control sc = {
		.target = e->root, .nr_to_reclaim = 32, .priority = DEF_PRIORITY,
		.swappiness = -1,
	};
	static const int bins[] = { 0, 0, 0, 1, 2 };
	struct folio *folio;

	(void)state;
	rotate(root, MEMCG_LRU_HEAD, 0);
	a = mkdir_bin(e, "A", 0);
	assert_bin(e, 0, 0, 2, root, a);
	assert_int_equal(memcg_write(a, "memory.low", "1M"), 0);
	folio = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(folio);
	assert_int_equal(mem_cgroup_charge(folio, a, MEMCG_GFP_KERNEL), 0);

	script(e, bins, 5);
	shrink_many(e, &sc, lru_gen_shrink_one);
	assert_int_equal(e->memcg_lru->nr_script, 0);
	assert_int_equal(sc.nr_reclaimed, 0);
	assert_bin(e, 0, 0, 0);
	assert_bin(e, 1, 1, 1, root);
	assert_bin(e, 1, 2, 1, a);
	assert_nr(e, 1, 0, 2, 0);
	assert_int_equal(test_file_key(a, "memory.events", "low"), 1);

	memcg_folio_put(e, folio);
	memcg_put(a);
	memcg_engine_destroy(e);
}

/*
 * Which reclaim uses the memcg LRU: reclaim of A (memory.max, .high,
 * .reclaim on A) walks A's subtree with mem_cgroup_iter() and draws no
 * bin while no cgroup ages; reclaim with the root as target goes through
 * shrink_many(), which draws a start bin on each of its passes (13
 * priorities, DEF_PRIORITY down to 0, at least), and rotates the empty
 * cgroups (A and B below min, 0 >= 0, go young) until the old
 * generation empties and seq moves on.
 */
static void test_which_reclaim(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *root = e->root, *a, *b;
	static int bins[256];

	(void)state;
	rotate(root, MEMCG_LRU_HEAD, 0);
	a = mkdir_bin(e, "A", 0);
	b = mkdir_bin(e, "B", 0);
	script(e, bins, 256);
	assert_int_equal(try_to_free_mem_cgroup_pages(a, 32, MEMCG_GFP_KERNEL,
						      MEMCG_RECLAIM_MAY_SWAP,
						      -1), 0);
	assert_int_equal(e->memcg_lru->nr_script, 256);
	assert_bin(e, 0, 0, 3, root, a, b);
	assert_nr(e, 0, 3, 0, 0);

	assert_int_equal(try_to_free_mem_cgroup_pages(root, 32,
						      MEMCG_GFP_KERNEL,
						      MEMCG_RECLAIM_MAY_SWAP,
						      -1), 0);
	assert_true(e->memcg_lru->nr_script <= 256 - 13);
	assert_true(e->memcg_lru->seq > 0);
	memcg_put(a);
	memcg_put(b);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_online_and_rotate),
		cmocka_unit_test(test_offline_release),
		cmocka_unit_test(test_shrink_many),
		cmocka_unit_test(test_shrink_one_rotations),
		cmocka_unit_test(test_which_reclaim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
